#!/usr/bin/env python3
"""STS, SNS, S3 and SSM of `migsim serve` as real clients see them, one protocol each: STS and SNS
(query), S3 (rest-xml), SSM (json 1.1).

Usage: python3 tests/e2e/test_serve_services.py <path to migsim>   (from the repo root)

Three unmodified clients drive every implemented operation and the values are checked: boto3;
botocore's own serializers and parsers (botocore.serialize / botocore.parsers, fed raw HTTP), so
the codec is checked against the reference implementation of each protocol byte for byte; and the
AWS CLI (`aws --endpoint-url ...`). Also: each protocol's error shape for unknown operations,
missing/invalid parameters and malformed bodies. Prints "N passed, M failed"; exits 1 on failure.
"""
import hashlib
import http.client
import json
import re
import os
import sys
import tempfile
import time

import botocore.config
import botocore.parsers
import botocore.serialize
import botocore.session
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import ROOT, Serve, aws_cli, check, client as fixture_client, small_scenario, summary  # noqa: E402


def client(service, port):
    return fixture_client(service, f"http://127.0.0.1:{port}")


def cli(port, *args):
    """Runs the AWS CLI against the endpoint; returns (exit code, parsed JSON output or text, stderr)."""
    return aws_cli(f"http://127.0.0.1:{port}", *args, timeout_s=60)


def error_code(fn):
    """The AWS error code a call raises (None when it succeeds)."""
    try:
        fn()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    return None


class Botocore:
    """botocore's own serializer and parser for one service, over plain HTTP (no boto3 client)."""

    def __init__(self, service, port):
        self.model = botocore.session.get_session().get_service_model(service)
        self.serializer = botocore.serialize.create_serializer(self.model.metadata["protocol"], include_validation=True)
        self.parser = botocore.parsers.create_parser(self.model.metadata["protocol"])
        self.port = port
        self.service = service

    def call(self, op_name, params):
        op = self.model.operation_model(op_name)
        req = self.serializer.serialize_to_request(params, op)
        url = req["url_path"]
        if req["query_string"]:
            from urllib.parse import urlencode
            url += ("&" if "?" in url else "?") + urlencode(req["query_string"], doseq=True)
        body = req["body"]
        if isinstance(body, dict):
            from urllib.parse import urlencode
            body = urlencode(body, doseq=True)
        headers = dict(req["headers"])
        headers["Authorization"] = (f"AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/"
                                    f"{self.model.signing_name}/aws4_request, SignedHeaders=host, Signature=00")
        if self.model.metadata["protocol"] == "query":
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(req["method"], url, body=body or None, headers=headers)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        resp = {"status_code": r.status, "headers": botocore.awsrequest.HeadersDict(r.getheaders()), "body": data}
        return r.status, self.parser.parse(resp, op.output_shape)


def test_sts(port):
    sts = client("sts", port)
    ident = sts.get_caller_identity()
    check("sts: GetCallerIdentity account and ARN", ident["Account"] == "000000000000"
          and ident["Arn"] == "arn:aws:iam::000000000000:root" and ident["UserId"], ident)
    rc, out, err = cli(port, "sts", "get-caller-identity")
    check("sts: aws sts get-caller-identity", rc == 0 and out["Account"] == "000000000000", (rc, out, err))
    status, parsed = Botocore("sts", port).call("GetCallerIdentity", {})
    check("sts: botocore's query parser reads the response", status == 200 and parsed["Account"] == "000000000000"
          and parsed["ResponseMetadata"]["RequestId"], parsed)
    code = error_code(lambda: sts.assume_role(RoleArn="arn:aws:iam::000000000000:role/x", RoleSessionName="session"))
    check("sts: an operation migsim does not implement -> InvalidAction 400", code == ("InvalidAction", 400), code)


def test_sns(port):
    sns = client("sns", port)
    arn = sns.create_topic(Name="cutover-alarms", Attributes={"DisplayName": "Cutover"})["TopicArn"]
    check("sns: CreateTopic ARN", arn == "arn:aws:sns:us-east-1:000000000000:cutover-alarms", arn)
    again = sns.create_topic(Name="cutover-alarms")["TopicArn"]
    check("sns: CreateTopic is idempotent", again == arn, again)
    sns.create_topic(Name="ops")
    topics = [t["TopicArn"] for t in sns.list_topics()["Topics"]]
    check("sns: ListTopics lists both in creation order", topics == [arn, arn.replace("cutover-alarms", "ops")], topics)
    sub = sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="oncall@example.com")["SubscriptionArn"]
    check("sns: Subscribe returns a subscription ARN under the topic", sub.startswith(arn + ":"), sub)
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint="arn:aws:sqs:us-east-1:000000000000:q")
    attrs = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    check("sns: GetTopicAttributes (map entries) with DisplayName and 2 subscriptions",
          attrs["TopicArn"] == arn and attrs["DisplayName"] == "Cutover" and attrs["SubscriptionsConfirmed"] == "2",
          attrs)
    subs = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
    check("sns: ListSubscriptionsByTopic", [(s["Protocol"], s["Endpoint"]) for s in subs]
          == [("email", "oncall@example.com"), ("sqs", "arn:aws:sqs:us-east-1:000000000000:q")], subs)
    mid = sns.publish(TopicArn=arn, Message="DMS CDC latency > 60 s", Subject="ALARM")["MessageId"]
    check("sns: Publish returns a MessageId", len(mid) == 36, mid)
    code = error_code(lambda: sns.publish(TopicArn=arn + "-nope", Message="x"))
    check("sns: Publish to a missing topic -> NotFound 404", code == ("NotFound", 404), code)
    code = error_code(lambda: sns.create_topic(Name="bad name!"))
    check("sns: invalid topic name -> InvalidParameter 400", code == ("InvalidParameter", 400), code)
    # botocore's own query serializer and parser.
    bc = Botocore("sns", port)
    status, parsed = bc.call("ListSubscriptions", {})
    check("sns: botocore parses ListSubscriptions", status == 200 and len(parsed["Subscriptions"]) == 2
          and parsed["Subscriptions"][0]["Owner"] == "000000000000", parsed)
    status, parsed = bc.call("GetTopicAttributes", {"TopicArn": arn})
    check("sns: botocore parses the Attributes map", parsed["Attributes"].get("DisplayName") == "Cutover", parsed)
    # The AWS CLI.
    rc, out, err = cli(port, "sns", "list-topics")
    check("sns: aws sns list-topics", rc == 0 and [t["TopicArn"] for t in out["Topics"]] == topics, (rc, out, err))
    rc, out, err = cli(port, "sns", "publish", "--topic-arn", arn, "--message", "from the CLI")
    check("sns: aws sns publish", rc == 0 and len(out["MessageId"]) == 36, (rc, out, err))
    rc, out, err = cli(port, "sns", "list-subscriptions")
    check("sns: aws sns list-subscriptions", rc == 0 and len(out["Subscriptions"]) == 2, (rc, out, err))
    rc, out, err = cli(port, "sns", "publish", "--topic-arn", arn)
    check("sns: CLI refuses a publish without --message (client-side)", rc != 0, (rc, out, err))
    rc, out, err = cli(port, "sns", "create-topic", "--name", "cli-topic", "--attributes", "DisplayName=From CLI")
    cli_arn = out["TopicArn"] if rc == 0 else None
    check("sns: aws sns create-topic", cli_arn == arn.replace("cutover-alarms", "cli-topic"), (rc, out, err))
    rc, out, err = cli(port, "sns", "subscribe", "--topic-arn", cli_arn, "--protocol", "email", "--notification-endpoint",
                       "cli@example.com")
    check("sns: aws sns subscribe", rc == 0 and out["SubscriptionArn"].startswith(f"{cli_arn}:"), (rc, out, err))
    rc, out, err = cli(port, "sns", "get-topic-attributes", "--topic-arn", cli_arn)
    check("sns: aws sns get-topic-attributes: DisplayName, 1 subscription", rc == 0
          and out["Attributes"]["DisplayName"] == "From CLI" and out["Attributes"]["SubscriptionsConfirmed"] == "1",
          (rc, out, err))
    rc, out, err = cli(port, "sns", "list-subscriptions-by-topic", "--topic-arn", cli_arn)
    check("sns: aws sns list-subscriptions-by-topic", rc == 0 and [(s["Protocol"], s["Endpoint"]) for s in
                                                                   out["Subscriptions"]] == [("email", "cli@example.com")],
          (rc, out, err))
    sns.delete_topic(TopicArn=cli_arn)
    # Query protocol error shapes over raw HTTP.
    status, body = raw(port, "POST", "/", "Action=Publish&Version=2010-03-31&TopicArn=" + arn,
                       {"Content-Type": "application/x-www-form-urlencoded"})
    check("sns: missing Message -> 400 MissingParameter in <ErrorResponse>",
          status == 400 and b"<Code>MissingParameter</Code>" in body and b"<RequestId>" in body
          and b"<Type>Sender</Type>" in body, (status, body))
    status, body = raw(port, "POST", "/", "Action=ListTopics&Version=2010-03-31&NextToken=&x=%zz",
                       {"Content-Type": "application/x-www-form-urlencoded"})
    check("sns: stray parameters are ignored", status == 200 and b"<ListTopicsResult>" in body, (status, body))
    sns.delete_topic(TopicArn=arn.replace("cutover-alarms", "ops"))
    rc, out, err = cli(port, "sns", "delete-topic", "--topic-arn", arn)
    topics = [t["TopicArn"] for t in sns.list_topics()["Topics"]]
    check("sns: DeleteTopic (boto3 and CLI) removes both", rc == 0 and topics == [], (rc, topics, err))
    check("sns: subscriptions of deleted topics are gone", sns.list_subscriptions()["Subscriptions"] == [])


def raw(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, data


def test_s3(port, tmp):
    s3 = client("s3", port)
    s3.create_bucket(Bucket="cutover-artifacts")
    s3.create_bucket(Bucket="logs")
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    check("s3: ListBuckets", names == ["cutover-artifacts", "logs"], names)
    code = error_code(lambda: s3.create_bucket(Bucket="logs"))
    check("s3: CreateBucket twice -> BucketAlreadyOwnedByYou 409", code == ("BucketAlreadyOwnedByYou", 409), code)
    code = error_code(lambda: s3.create_bucket(Bucket="Bad_Name"))
    check("s3: invalid bucket name -> InvalidBucketName 400", code == ("InvalidBucketName", 400), code)
    check("s3: HeadBucket of an existing bucket", s3.head_bucket(Bucket="logs")["ResponseMetadata"]["HTTPStatusCode"] == 200)
    code = error_code(lambda: s3.head_bucket(Bucket="nope"))
    check("s3: HeadBucket of a missing bucket -> 404", code is not None and code[1] == 404, code)
    data = bytes(range(256)) * 40  # binary, 10 KiB
    put = s3.put_object(Bucket="cutover-artifacts", Key="runbooks/cutover v1.json", Body=data,
                        ContentType="application/json", Metadata={"owner": "platform"})
    check("s3: PutObject ETag is the MD5", put["ETag"] == '"' + hashlib.md5(data).hexdigest() + '"', put["ETag"])
    got = s3.get_object(Bucket="cutover-artifacts", Key="runbooks/cutover v1.json")
    body = got["Body"].read()
    check("s3: GetObject returns the bytes, type, metadata, length",
          body == data and got["ContentType"] == "application/json" and got["Metadata"] == {"owner": "platform"}
          and got["ContentLength"] == len(data), {k: got[k] for k in ("ContentType", "Metadata", "ContentLength")})
    head = s3.head_object(Bucket="cutover-artifacts", Key="runbooks/cutover v1.json")
    check("s3: HeadObject length and ETag", head["ContentLength"] == len(data) and head["ETag"] == put["ETag"]
          and head["LastModified"].year == 2025, head)
    for key in ("runbooks/rollback.json", "reports/day1.csv", "reports/day2.csv", "top.txt"):
        s3.put_object(Bucket="cutover-artifacts", Key=key, Body=key.encode())
    listing = s3.list_objects_v2(Bucket="cutover-artifacts", Delimiter="/")
    check("s3: ListObjectsV2 with a delimiter: keys and common prefixes",
          [o["Key"] for o in listing.get("Contents", [])] == ["top.txt"]
          and [p["Prefix"] for p in listing["CommonPrefixes"]] == ["reports/", "runbooks/"]
          and listing["KeyCount"] == 3, listing)
    page1 = s3.list_objects_v2(Bucket="cutover-artifacts", Prefix="r", MaxKeys=2)
    page2 = s3.list_objects_v2(Bucket="cutover-artifacts", Prefix="r", MaxKeys=2,
                               ContinuationToken=page1["NextContinuationToken"])
    keys = [o["Key"] for o in page1["Contents"] + page2["Contents"]]
    check("s3: ListObjectsV2 pages with MaxKeys and a continuation token",
          page1["IsTruncated"] and not page2["IsTruncated"] and keys == sorted(keys) and len(keys) == 4, keys)
    code = error_code(lambda: s3.get_object(Bucket="cutover-artifacts", Key="missing"))
    check("s3: GetObject of a missing key -> NoSuchKey 404", code == ("NoSuchKey", 404), code)
    code = error_code(lambda: s3.delete_bucket(Bucket="cutover-artifacts"))
    check("s3: DeleteBucket of a non-empty bucket -> BucketNotEmpty 409", code == ("BucketNotEmpty", 409), code)
    status, body = raw(port, "GET", "/nope?list-type=2")
    check("s3: errors are <Error><Code/><Message/><RequestId/>", status == 404 and body.count(b"<Error>") == 1
          and b"<Code>NoSuchBucket</Code>" in body and b"<RequestId>" in body, (status, body))
    status, body = raw(port, "PUT", "/logs?cors", b"<CORSConfiguration><CORSRule>", {"Content-Type": "application/xml"})
    check("s3: an operation migsim does not implement -> 501 NotImplemented", status == 501
          and b"<Code>NotImplemented</Code>" in body, (status, body))
    # botocore's rest-xml serializer and parser.
    bc = Botocore("s3", port)
    status, parsed = bc.call("ListObjectsV2", {"Bucket": "cutover-artifacts", "Prefix": "reports/"})
    check("s3: botocore parses ListObjectsV2", status == 200 and [o["Key"] for o in parsed["Contents"]]
          == ["reports/day1.csv", "reports/day2.csv"] and parsed["Contents"][0]["Size"] == 16, parsed)
    # The AWS CLI (s3api, and the high-level s3 commands, which upload with Expect: 100-continue).
    src = os.path.join(tmp, "plan.txt")
    with open(src, "wb") as f:
        f.write(b"step 1: freeze writes\n" * 100)
    rc, out, err = cli(port, "s3api", "create-bucket", "--bucket", "cli-bucket")
    check("s3: aws s3api create-bucket", rc == 0 and out["Location"] == "/cli-bucket", (rc, out, err))
    rc, out, err = cli(port, "s3api", "head-bucket", "--bucket", "cli-bucket")
    rc2, _, err2 = cli(port, "s3api", "head-bucket", "--bucket", "no-such-bucket")
    check("s3: aws s3api head-bucket: found, and 404 for a missing one", rc == 0 and rc2 != 0 and "404" in err2,
          (rc, err, rc2, err2))
    s3.delete_bucket(Bucket="cli-bucket")
    rc, out, err = cli(port, "s3api", "put-object", "--bucket", "logs", "--key", "plan.txt", "--body", src)
    check("s3: aws s3api put-object", rc == 0 and out["ETag"] == '"' + hashlib.md5(b"step 1: freeze writes\n" * 100)
          .hexdigest() + '"', (rc, out, err))
    rc, out, err = cli(port, "s3api", "head-object", "--bucket", "logs", "--key", "plan.txt")
    check("s3: aws s3api head-object", rc == 0 and out["ContentLength"] == 2200, (rc, out, err))
    dst = os.path.join(tmp, "plan-copy.txt")
    rc, out, err = cli(port, "s3", "cp", "s3://logs/plan.txt", dst)
    check("s3: aws s3 cp downloads the same bytes", rc == 0 and open(dst, "rb").read() == open(src, "rb").read(),
          (rc, out, err))
    dst2 = os.path.join(tmp, "plan-get.txt")
    rc, out, err = cli(port, "s3api", "get-object", "--bucket", "logs", "--key", "plan.txt", dst2)
    check("s3: aws s3api get-object writes the bytes, prints length and type", rc == 0 and out["ContentLength"] == 2200
          and open(dst2, "rb").read() == open(src, "rb").read(), (rc, out, err))
    # Multipart with s3api: one part, completed; a second upload aborted (its parts then refused).
    rc, up, err = cli(port, "s3api", "create-multipart-upload", "--bucket", "logs", "--key", "multi.txt")
    upload_id = up["UploadId"] if rc == 0 else "none"
    check("s3: aws s3api create-multipart-upload", rc == 0 and up["Key"] == "multi.txt" and upload_id, (rc, up, err))
    rc, part, err = cli(port, "s3api", "upload-part", "--bucket", "logs", "--key", "multi.txt", "--part-number", "1",
                        "--upload-id", upload_id, "--body", src)
    check("s3: aws s3api upload-part: the part's MD5 as ETag", rc == 0 and part["ETag"] == '"' + hashlib.md5(
        b"step 1: freeze writes\n" * 100).hexdigest() + '"', (rc, part, err))
    parts = json.dumps({"Parts": [{"PartNumber": 1, "ETag": part["ETag"] if rc == 0 else ""}]})
    rc, done, err = cli(port, "s3api", "complete-multipart-upload", "--bucket", "logs", "--key", "multi.txt",
                        "--upload-id", upload_id, "--multipart-upload", parts)
    check("s3: aws s3api complete-multipart-upload: a multipart ETag (-1), the object's bytes",
          rc == 0 and done["ETag"].endswith('-1"') and s3.get_object(Bucket="logs", Key="multi.txt")["Body"].read()
          == b"step 1: freeze writes\n" * 100, (rc, done, err))
    rc, up2, err = cli(port, "s3api", "create-multipart-upload", "--bucket", "logs", "--key", "aborted.txt")
    rc2, _, err2 = cli(port, "s3api", "abort-multipart-upload", "--bucket", "logs", "--key", "aborted.txt",
                       "--upload-id", up2["UploadId"] if rc == 0 else "none")
    rc3, _, err3 = cli(port, "s3api", "upload-part", "--bucket", "logs", "--key", "aborted.txt", "--part-number", "1",
                       "--upload-id", up2["UploadId"] if rc == 0 else "none", "--body", src)
    check("s3: aws s3api abort-multipart-upload: the upload's parts are refused after (NoSuchUpload)",
          rc == 0 and rc2 == 0 and rc3 != 0 and "NoSuchUpload" in err3, (rc, rc2, err2, rc3, err3))
    s3.delete_object(Bucket="logs", Key="multi.txt")
    rc, out, err = cli(port, "s3api", "list-objects-v2", "--bucket", "logs")
    check("s3: aws s3api list-objects-v2", rc == 0 and [o["Key"] for o in out["Contents"]] == ["plan.txt"], (rc, out, err))
    rc, out, err = cli(port, "s3api", "list-buckets")
    check("s3: aws s3api list-buckets", rc == 0 and [b["Name"] for b in out["Buckets"]] == ["cutover-artifacts", "logs"],
          (rc, out, err))
    for key in ("runbooks/cutover v1.json", "runbooks/rollback.json", "reports/day1.csv", "reports/day2.csv", "top.txt"):
        s3.delete_object(Bucket="cutover-artifacts", Key=key)
    s3.delete_bucket(Bucket="cutover-artifacts")
    rc, out, err = cli(port, "s3api", "delete-object", "--bucket", "logs", "--key", "plan.txt")
    rc2, out, err2 = cli(port, "s3api", "delete-bucket", "--bucket", "logs")
    check("s3: DeleteObject and DeleteBucket (boto3 and CLI) leave no bucket",
          rc == 0 and rc2 == 0 and s3.list_buckets()["Buckets"] == [], (rc, rc2, err, err2))


def test_s3_bucket_config(port):
    """A bucket's configuration through `aws s3api` (what the terraform AWS provider writes and reads)."""
    def code(err):
        m = re.search(r"An error occurred \(([A-Za-z0-9.]+)\)", err)
        return m.group(1) if m else err.strip()[-200:]

    rc, _, err = cli(port, "s3api", "create-bucket", "--bucket", "cfg-bucket")
    check("s3 config: create-bucket", rc == 0, err)
    rc, _, err = cli(port, "s3api", "get-bucket-policy", "--bucket", "cfg-bucket")
    check("s3 config: get-bucket-policy before one: NoSuchBucketPolicy", rc != 0 and code(err) == "NoSuchBucketPolicy", err)
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service":
                         "cloudfront.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::cfg-bucket/*"}]})
    rc, _, err = cli(port, "s3api", "put-bucket-policy", "--bucket", "cfg-bucket", "--policy", policy)
    rc2, out, err2 = cli(port, "s3api", "get-bucket-policy", "--bucket", "cfg-bucket")
    check("s3 config: put/get-bucket-policy: the document as given", rc == 0 and rc2 == 0 and out["Policy"] == policy,
          (err, err2, out))
    rc, _, err = cli(port, "s3api", "put-bucket-policy", "--bucket", "cfg-bucket", "--policy", '{"Version": "2012-10-17"}')
    check("s3 config: a policy without Statement: MalformedPolicy", rc != 0 and code(err) == "MalformedPolicy", err)
    rc, _, err = cli(port, "s3api", "put-bucket-policy", "--bucket", "cfg-bucket", "--policy", "allow all")
    check("s3 config: a policy that is not JSON: MalformedPolicy", rc != 0 and code(err) == "MalformedPolicy", err)
    cli(port, "s3api", "delete-bucket-policy", "--bucket", "cfg-bucket")
    rc, _, err = cli(port, "s3api", "get-bucket-policy", "--bucket", "cfg-bucket")
    check("s3 config: delete-bucket-policy", code(err) == "NoSuchBucketPolicy", err)

    rc, _, err = cli(port, "s3api", "get-public-access-block", "--bucket", "cfg-bucket")
    check("s3 config: get-public-access-block before one: NoSuchPublicAccessBlockConfiguration",
          code(err) == "NoSuchPublicAccessBlockConfiguration", err)
    cli(port, "s3api", "put-public-access-block", "--bucket", "cfg-bucket", "--public-access-block-configuration",
        "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=false")
    rc, out, err = cli(port, "s3api", "get-public-access-block", "--bucket", "cfg-bucket")
    check("s3 config: put/get-public-access-block: the four flags",
          rc == 0 and out["PublicAccessBlockConfiguration"] == {"BlockPublicAcls": True, "IgnorePublicAcls": True,
                                                                "BlockPublicPolicy": True, "RestrictPublicBuckets": False},
          (out, err))
    cli(port, "s3api", "delete-public-access-block", "--bucket", "cfg-bucket")
    rc, _, err = cli(port, "s3api", "get-public-access-block", "--bucket", "cfg-bucket")
    check("s3 config: delete-public-access-block", code(err) == "NoSuchPublicAccessBlockConfiguration", err)

    rc, _, err = cli(port, "s3api", "get-bucket-tagging", "--bucket", "cfg-bucket")
    check("s3 config: get-bucket-tagging untagged: NoSuchTagSet", code(err) == "NoSuchTagSet", err)
    cli(port, "s3api", "put-bucket-tagging", "--bucket", "cfg-bucket", "--tagging",
        "TagSet=[{Key=team,Value=platform},{Key=env,Value=rehearsal}]")
    cli(port, "s3api", "put-bucket-tagging", "--bucket", "cfg-bucket", "--tagging", "TagSet=[{Key=team,Value=web}]")
    rc, out, err = cli(port, "s3api", "get-bucket-tagging", "--bucket", "cfg-bucket")
    check("s3 config: put-bucket-tagging replaces the whole set", rc == 0 and out["TagSet"] == [{"Key": "team", "Value": "web"}],
          (out, err))
    rc, _, err = cli(port, "s3api", "put-bucket-tagging", "--bucket", "cfg-bucket", "--tagging",
                     "TagSet=[{Key=a,Value=1},{Key=a,Value=2}]")
    check("s3 config: a repeated tag key: InvalidTag", code(err) == "InvalidTag", err)
    cli(port, "s3api", "delete-bucket-tagging", "--bucket", "cfg-bucket")
    rc, _, err = cli(port, "s3api", "get-bucket-tagging", "--bucket", "cfg-bucket")
    check("s3 config: delete-bucket-tagging", code(err) == "NoSuchTagSet", err)

    rc, out, err = cli(port, "s3api", "get-bucket-versioning", "--bucket", "cfg-bucket")
    check("s3 config: get-bucket-versioning never set: no Status", rc == 0 and not (out or {}).get("Status"), (out, err))
    cli(port, "s3api", "put-bucket-versioning", "--bucket", "cfg-bucket", "--versioning-configuration", "Status=Enabled")
    rc, out, err = cli(port, "s3api", "get-bucket-versioning", "--bucket", "cfg-bucket")
    check("s3 config: put-bucket-versioning Enabled", rc == 0 and out["Status"] == "Enabled", (out, err))

    rc, out, err = cli(port, "s3api", "get-bucket-ownership-controls", "--bucket", "cfg-bucket")
    check("s3 config: a new bucket's ownership: BucketOwnerEnforced",
          rc == 0 and out["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}], (out, err))
    cli(port, "s3api", "put-bucket-ownership-controls", "--bucket", "cfg-bucket", "--ownership-controls",
        "Rules=[{ObjectOwnership=ObjectWriter}]")
    rc, out, err = cli(port, "s3api", "get-bucket-ownership-controls", "--bucket", "cfg-bucket")
    check("s3 config: put-bucket-ownership-controls", rc == 0 and
          out["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "ObjectWriter"}], (out, err))
    cli(port, "s3api", "delete-bucket-ownership-controls", "--bucket", "cfg-bucket")
    rc, _, err = cli(port, "s3api", "get-bucket-ownership-controls", "--bucket", "cfg-bucket")
    check("s3 config: delete-bucket-ownership-controls", code(err) == "OwnershipControlsNotFoundError", err)

    rc, out, err = cli(port, "s3api", "get-bucket-location", "--bucket", "cfg-bucket")
    check("s3 config: get-bucket-location in us-east-1: null", rc == 0 and out["LocationConstraint"] is None, (out, err))
    rc, out, err = cli(port, "s3api", "get-bucket-acl", "--bucket", "cfg-bucket")
    check("s3 config: get-bucket-acl: the owner has FULL_CONTROL", rc == 0 and out["Grants"][0]["Permission"] ==
          "FULL_CONTROL" and out["Grants"][0]["Grantee"]["Type"] == "CanonicalUser" and
          out["Grants"][0]["Grantee"]["ID"] == out["Owner"]["ID"], (out, err))
    rc, out, err = cli(port, "s3api", "get-bucket-encryption", "--bucket", "cfg-bucket")
    check("s3 config: get-bucket-encryption: SSE-S3 by default", rc == 0 and out["ServerSideEncryptionConfiguration"]
          ["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256", (out, err))
    rc, out, err = cli(port, "s3api", "get-bucket-request-payment", "--bucket", "cfg-bucket")
    check("s3 config: get-bucket-request-payment: BucketOwner", rc == 0 and out["Payer"] == "BucketOwner", (out, err))
    rc, out, err = cli(port, "s3api", "get-bucket-accelerate-configuration", "--bucket", "cfg-bucket")
    check("s3 config: get-bucket-accelerate-configuration: never set", rc == 0 and not (out or {}).get("Status"), (out, err))
    rc, out, err = cli(port, "s3api", "get-bucket-logging", "--bucket", "cfg-bucket")
    check("s3 config: get-bucket-logging: off", rc == 0 and not (out or {}).get("LoggingEnabled"), (out, err))
    # What a new bucket does not have answers as AWS does when it is not configured.
    rc, _, err = cli(port, "s3api", "get-bucket-cors", "--bucket", "cfg-bucket")
    check("s3 config: get-bucket-cors: NoSuchCORSConfiguration", rc != 0 and code(err) == "NoSuchCORSConfiguration", err)
    rc, _, err = cli(port, "s3api", "get-bucket-website", "--bucket", "cfg-bucket")
    check("s3 config: get-bucket-website: NoSuchWebsiteConfiguration", code(err) == "NoSuchWebsiteConfiguration", err)
    rc, _, err = cli(port, "s3api", "get-bucket-lifecycle-configuration", "--bucket", "cfg-bucket")
    check("s3 config: get-bucket-lifecycle-configuration: NoSuchLifecycleConfiguration",
          code(err) == "NoSuchLifecycleConfiguration", err)
    rc, _, err = cli(port, "s3api", "get-bucket-replication", "--bucket", "cfg-bucket")
    check("s3 config: get-bucket-replication: ReplicationConfigurationNotFoundError",
          code(err) == "ReplicationConfigurationNotFoundError", err)
    rc, _, err = cli(port, "s3api", "get-object-lock-configuration", "--bucket", "cfg-bucket")
    check("s3 config: get-object-lock-configuration: ObjectLockConfigurationNotFoundError",
          code(err) == "ObjectLockConfigurationNotFoundError", err)
    rc, _, err = cli(port, "s3api", "get-bucket-policy", "--bucket", "no-such-bucket")
    check("s3 config: a missing bucket: NoSuchBucket", code(err) == "NoSuchBucket", err)
    cli(port, "s3api", "delete-bucket", "--bucket", "cfg-bucket")


def test_ssm(port):
    ssm = client("ssm", port)
    v = ssm.put_parameter(Name="/migsim/maintenance-mode", Value="off", Type="String")
    check("ssm: PutParameter creates version 1", v["Version"] == 1 and v["Tier"] == "Standard", v)
    code = error_code(lambda: ssm.put_parameter(Name="/migsim/maintenance-mode", Value="on", Type="String"))
    check("ssm: PutParameter without Overwrite -> ParameterAlreadyExists", code == ("ParameterAlreadyExists", 400), code)
    v = ssm.put_parameter(Name="/migsim/maintenance-mode", Value="on", Type="String", Overwrite=True)
    check("ssm: overwrite -> version 2", v["Version"] == 2, v)
    p = ssm.get_parameter(Name="/migsim/maintenance-mode")["Parameter"]
    check("ssm: GetParameter value, version, ARN, date", p["Value"] == "on" and p["Version"] == 2
          and p["ARN"] == "arn:aws:ssm:us-east-1:000000000000:parameter/migsim/maintenance-mode"
          and p["LastModifiedDate"].year == 2025, p)
    code = error_code(lambda: ssm.get_parameter(Name="/nope"))
    check("ssm: missing parameter -> ParameterNotFound", code == ("ParameterNotFound", 400), code)
    rc, out, err = cli(port, "ssm", "put-parameter", "--name", "db-password", "--value", "s3cret", "--type",
                       "SecureString")
    check("ssm: aws ssm put-parameter", rc == 0 and out["Version"] == 1, (rc, out, err))
    rc, out, err = cli(port, "ssm", "get-parameter", "--name", "db-password")
    check("ssm: SecureString hidden without --with-decryption", rc == 0 and out["Parameter"]["Value"] != "s3cret",
          (rc, out, err))
    rc, out, err = cli(port, "ssm", "get-parameter", "--name", "db-password", "--with-decryption")
    check("ssm: aws ssm get-parameter --with-decryption", rc == 0 and out["Parameter"]["Value"] == "s3cret",
          (rc, out, err))
    status, parsed = Botocore("ssm", port).call("GetParameter", {"Name": "/migsim/maintenance-mode"})
    check("ssm: botocore's json parser reads GetParameter", status == 200 and parsed["Parameter"]["Value"] == "on",
          parsed)
    hdr = {"X-Amz-Target": "AmazonSSM.PutParameter", "Content-Type": "application/x-amz-json-1.1"}
    status, body = raw(port, "POST", "/", json.dumps({"Name": "x", "Value": "y", "Type": "Plain"}), hdr)
    check("ssm: bad enum value -> ValidationException naming the enum set",
          status == 400 and json.loads(body)["__type"] == "ValidationException"
          and "SecureString" in json.loads(body)["message"], (status, body))
    status, body = raw(port, "POST", "/", json.dumps({"Name": "x", "Value": 5}), hdr)
    check("ssm: wrong type -> SerializationException", status == 400
          and json.loads(body)["__type"] == "SerializationException", (status, body))
    status, body = raw(port, "POST", "/", json.dumps({"Value": "y"}), hdr)
    check("ssm: missing Name -> ValidationException", status == 400
          and json.loads(body)["__type"] == "ValidationException" and "'Name'" in json.loads(body)["message"],
          (status, body))
    status, body = raw(port, "POST", "/", "{not json", hdr)
    check("ssm: malformed body -> SerializationException", status == 400
          and json.loads(body)["__type"] == "SerializationException", (status, body))


def test_routing(port):
    """No signature at all: X-Amz-Target, Action+Version, then the path decide the service."""
    status, body = raw(port, "POST", "/", "Action=GetCallerIdentity&Version=2011-06-15",
                       {"Content-Type": "application/x-www-form-urlencoded"})
    check("routing: Action+Version alone reach STS", status == 200 and b"<Account>000000000000</Account>" in body
          and b'xmlns="https://sts.amazonaws.com/doc/2011-06-15/"' in body, (status, body))
    status, body = raw(port, "POST", "/", "{}", {"X-Amz-Target": "Kinesis_20131202.ListStreams",
                                                "Content-Type": "application/x-amz-json-1.1"})
    check("routing: an unknown service -> json UnknownOperationException", status == 400
          and json.loads(body)["__type"] == "UnknownOperationException", (status, body))


def main():
    migsim = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build", "migsim")
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "serve-test.json")
        small_scenario(path, "serve-test")
        with Serve(migsim, path) as srv:
            port = srv.port
            if check("prints the listening line", srv.listening(20) is not None):
                for test in (lambda: test_sts(port), lambda: test_sns(port), lambda: test_s3(port, tmp), lambda: test_s3_bucket_config(port),
                             lambda: test_ssm(port), lambda: test_routing(port)):
                    try:
                        test()
                    except Exception as e:
                        check(f"no exception in {test.__code__.co_names}", False, repr(e))
            check("server still running after every request", srv.proc.poll() is None, srv.proc.poll())
    return summary(started)


if __name__ == "__main__":
    sys.exit(main())
