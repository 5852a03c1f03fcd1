#!/usr/bin/env python3
"""Who may use `migsim serve`: boto3 against `--enforce-sigv4` (AWS's errors for a wrong secret,
an unknown key, a request signed 10 minutes ago, a missing signature), the Origin allow-list and
CORS preflights, the control plane's Host check, and `--allowed-origin` / `--allowed-host`.

    test_serve_access.py MIGSIM
"""
import datetime
import http.client
import json
import os
import sys
import tempfile
import time
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from serve_fixture import Serve, aws_error, check, small_scenario, summary  # noqa: E402

KEY, SECRET = "AKIAREHEARSAL0000001", "rehearsal-secret-not-a-real-one"


def dms(srv, key=KEY, secret=SECRET):
    import boto3
    import botocore.config
    return boto3.client("dms", endpoint_url=srv.url, region_name="us-east-1", aws_access_key_id=key,
                        aws_secret_access_key=secret, config=botocore.config.Config(retries={"max_attempts": 1}))


def raw(port, method, path, headers=None, body=""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, data


def s3(srv, key=KEY, secret=SECRET):
    import boto3
    import botocore.config
    return boto3.client("s3", endpoint_url=srv.url, region_name="us-east-1", aws_access_key_id=key,
                        aws_secret_access_key=secret, config=botocore.config.Config(
                            retries={"max_attempts": 1}, signature_version="s3v4", s3={"addressing_style": "path"}))


def presigned(srv):
    """Presigned URLs (query-string SigV4, as boto3's generate_presigned_url writes them) under --enforce-sigv4."""
    import urllib.error
    import urllib.request

    def fetch(url, method="GET", data=None):
        try:
            with urllib.request.urlopen(urllib.request.Request(url, method=method, data=data), timeout=30) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    s3(srv).create_bucket(Bucket="presigned")
    s3(srv).put_object(Bucket="presigned", Key="plan.txt", Body=b"freeze writes at 02:00\n")
    url = s3(srv).generate_presigned_url("get_object", Params={"Bucket": "presigned", "Key": "plan.txt"}, ExpiresIn=300)
    status, body = fetch(url)
    check("a presigned GET with the scenario's key: the object", status == 200 and body == b"freeze writes at 02:00\n",
          (status, body[:200]))
    put = s3(srv).generate_presigned_url("put_object", Params={"Bucket": "presigned", "Key": "up.txt"}, ExpiresIn=300)
    status, body = fetch(put, "PUT", b"uploaded with a presigned URL")
    got = s3(srv).get_object(Bucket="presigned", Key="up.txt")["Body"].read() if status == 200 else None
    check("a presigned PUT stores the body", got == b"uploaded with a presigned URL", (status, body[:200]))
    status, body = fetch(url.replace("plan.txt", "other.txt"))
    check("a presigned URL used for another key: SignatureDoesNotMatch 403",
          status == 403 and b"SignatureDoesNotMatch" in body, (status, body[:200]))
    status, body = fetch(s3(srv, secret="wrong").generate_presigned_url(
        "get_object", Params={"Bucket": "presigned", "Key": "plan.txt"}))
    check("presigned with a wrong secret: SignatureDoesNotMatch 403", status == 403 and b"SignatureDoesNotMatch" in body,
          (status, body[:200]))
    status, body = fetch(s3(srv, key="AKIAUNKNOWN000000000").generate_presigned_url(
        "get_object", Params={"Bucket": "presigned", "Key": "plan.txt"}))
    check("presigned with an unknown key: InvalidAccessKeyId 403", status == 403 and b"InvalidAccessKeyId" in body,
          (status, body[:200]))
    past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=10)
    with mock.patch("botocore.auth.get_current_datetime", return_value=past.replace(tzinfo=None)):
        old = s3(srv).generate_presigned_url("get_object", Params={"Bucket": "presigned", "Key": "plan.txt"}, ExpiresIn=60)
    status, body = fetch(old)
    check("a presigned URL past its X-Amz-Expires: AccessDenied 403 (Request has expired)",
          status == 403 and b"AccessDenied" in body and b"expired" in body and "X-Amz-Expires=60" in old,
          (status, body[:200], old))
    status, body = fetch(url.replace("X-Amz-Expires=300", "X-Amz-Expires=700000"))
    check("X-Amz-Expires over a week: AuthorizationQueryParametersError 400",
          status == 400 and b"AuthorizationQueryParametersError" in body, (status, body[:200]))


def main():
    migsim = sys.argv[1]
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="migsim_access_") as tmp:
        scenario = os.path.join(tmp, "cutover.json")
        doc = small_scenario(scenario, "access")
        doc["credentials"] = [{"access_key_id": KEY, "secret_access_key": SECRET}]
        with open(scenario, "w") as f:
            json.dump(doc, f)
        with Serve(migsim, scenario, extra=("--enforce-sigv4",)) as srv:
            check("serve --enforce-sigv4 starts", srv.listening() is not None)
            ok = dms(srv).describe_replication_configs()
            check("a request signed with the scenario's key is served", "ReplicationConfigs" in ok, ok)
            code, status = aws_error(dms(srv, secret="wrong").describe_replication_configs)
            check("a wrong secret: SignatureDoesNotMatch 403", (code, status) == ("SignatureDoesNotMatch", 403), (code, status))
            code, status = aws_error(dms(srv, key="AKIAUNKNOWN000000000").describe_replication_configs)
            check("an unknown key: InvalidClientTokenId 403", (code, status) == ("InvalidClientTokenId", 403), (code, status))
            past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=10)
            with mock.patch("botocore.auth.get_current_datetime", return_value=past.replace(tzinfo=None)):
                code, status = aws_error(dms(srv).describe_replication_configs)
            check("a request signed 10 minutes ago: RequestExpired", code == "RequestExpired", (code, status))
            status, _, body = raw(srv.port, "POST", "/", {"X-Amz-Target": "AmazonDMSv20160101.DescribeReplications",
                                                          "Content-Type": "application/x-amz-json-1.1"}, "{}")
            check("no signature at all: MissingAuthenticationToken 403",
                  status == 403 and b"MissingAuthenticationToken" in body, (status, body[:200]))
            status, _, _ = raw(srv.port, "GET", "/_migsim/clock")
            check("the control plane needs no signature", status == 200, status)
            presigned(srv)
        with Serve(migsim, scenario, extra=("--allowed-origin", "https://console.example:8443",
                                            "--allowed-host", "rehearsal.internal")) as srv:
            check("serve starts", srv.listening() is not None)
            status, hdrs, _ = raw(srv.port, "OPTIONS", "/", {"Origin": "http://localhost:3000",
                                                             "Access-Control-Request-Method": "POST",
                                                             "Access-Control-Request-Headers": "x-amz-target,content-type"})
            check("a preflight from a localhost page: 200 with the CORS headers",
                  status == 200 and hdrs.get("access-control-allow-origin") == "http://localhost:3000"
                  and "x-amz-target" in hdrs.get("access-control-allow-headers", ""), (status, hdrs))
            status, hdrs, _ = raw(srv.port, "OPTIONS", "/", {"Origin": "https://console.example:8443",
                                                             "Access-Control-Request-Method": "POST"})
            check("a preflight from --allowed-origin: 200", status == 200
                  and hdrs.get("access-control-allow-origin") == "https://console.example:8443", (status, hdrs))
            status, hdrs, _ = raw(srv.port, "OPTIONS", "/", {"Origin": "https://evil.example",
                                                             "Access-Control-Request-Method": "POST"})
            check("a preflight from another origin: 403 without CORS headers",
                  status == 403 and "access-control-allow-origin" not in hdrs, (status, hdrs))
            status, hdrs, _ = raw(srv.port, "POST", "/", {"Origin": "http://127.0.0.1:8080",
                                                          "X-Amz-Target": "AmazonDMSv20160101.DescribeReplications",
                                                          "Content-Type": "application/x-amz-json-1.1"}, "{}")
            check("an AWS call from a loopback page: served, readable cross-origin",
                  status == 200 and hdrs.get("access-control-allow-origin") == "http://127.0.0.1:8080", (status, hdrs))
            status, _, body = raw(srv.port, "POST", "/", {"Origin": "http://evil.example",
                                                          "X-Amz-Target": "AmazonDMSv20160101.DescribeReplications",
                                                          "Content-Type": "text/plain"}, "{}")
            check("an AWS call from another origin: 403 AccessDenied", status == 403 and b"AccessDenied" in body,
                  (status, body[:200]))
            before = srv.now()
            status, _, body = raw(srv.port, "POST", "/_migsim/clock", {"Origin": "http://evil.example",
                                                                       "Content-Type": "text/plain"},
                                  '{"advance_s": 600}')
            check("a cross-origin simple POST to the clock: 403, the clock does not move",
                  status == 403 and srv.now() == before, (status, body[:200]))
            status, _, _ = raw(srv.port, "GET", "/_migsim/clock", {"Host": "rehearsal.internal:4566"})
            check("--allowed-host names are answered", status == 200, status)
            status, _, body = raw(srv.port, "GET", "/_migsim/clock", {"Host": "attacker.example"})
            check("a DNS-rebinding Host: 403 ForbiddenHost", status == 403 and b"ForbiddenHost" in body, (status, body))
    sys.exit(summary(started))


if __name__ == "__main__":
    main()
