// The AWS codec per protocol: client serialize -> server parse -> server serialize -> client parse
// round trips, the bytes each protocol puts on the wire (compared with what botocore sends and
// parses; tests/e2e/test_serve_services.py drives the same paths with botocore itself), error
// shapes and malformed input.
#include "harness/aws/protocol/codec.hpp"

#include <catch2/catch.hpp>

using migsim::aws::AwsError;
using migsim::aws::Headers;
using migsim::aws::json;
using migsim::aws::Protocol;
using migsim::aws::WireRequest;
using migsim::aws::WireResponse;
namespace aws = migsim::aws;

namespace {

// What the server decodes from what the client encodes.
json server_sees(const std::string& service, const std::string& op, const json& input)
{
  const WireRequest req = aws::serialize_request(service, op, input);
  const aws::ParsedRequest parsed = aws::parse_request(service, req);
  REQUIRE(parsed.operation == op);
  return parsed.input;
}

// What the client decodes from what the server encodes.
json client_sees(const std::string& service, const std::string& op, const json& output)
{
  const WireResponse res = aws::serialize_response(service, op, output, "req-1");
  const aws::ParsedResponse parsed = aws::parse_response(service, op, res.status, res.headers, res.body);
  REQUIRE(parsed.ok());
  CHECK(parsed.request_id == "req-1");
  return parsed.output;
}

// The error a server-side parse raises.
AwsError parse_error(const std::string& service, const WireRequest& req)
{
  try {
    aws::parse_request(service, req);
  } catch (const AwsError& e) {
    return e;
  }
  FAIL("no error raised");
  return AwsError("", "");
}

// The error a client decodes from serialize_error.
AwsError client_error(const std::string& service, const std::string& op, const AwsError& e)
{
  const WireResponse res = aws::serialize_error(service, e, "req-9");
  const aws::ParsedResponse parsed = aws::parse_response(service, op, res.status, res.headers, res.body);
  REQUIRE_FALSE(parsed.ok());
  return *parsed.error;
}

}  // namespace

TEST_CASE("codec tables: services, protocols and signing names from botocore")
{
  CHECK(aws::services().size() == 22);  // ec2 for launch templates; the 9 platform services (IAM ... CloudFront, amp)
  CHECK(aws::find_service("iam")->protocol == Protocol::query);
  CHECK(aws::find_service("aps")->name == "amp");  // Managed Prometheus: signed as aps
  CHECK(aws::find_service("amp")->protocol == Protocol::rest_json);
  CHECK(aws::find_service("cloudfront")->protocol == Protocol::rest_xml);
  CHECK(aws::find_service("elasticfilesystem")->name == "efs");
  CHECK(aws::find_service("wafv2")->target_prefix == "AWSWAF_20190729");
  CHECK(aws::find_service("dms")->protocol == Protocol::json);
  CHECK(aws::find_service("dms")->target_prefix == "AmazonDMSv20160101");
  CHECK(aws::find_service("elasticloadbalancing")->name == "elbv2");
  CHECK(aws::find_service("monitoring")->name == "cloudwatch");
  CHECK(aws::find_service("cloudwatch")->protocols ==
        std::vector<Protocol>{Protocol::rpc_v2_cbor, Protocol::json, Protocol::query});
  CHECK(aws::find_service("route53")->xml_namespace == "https://route53.amazonaws.com/doc/2013-04-01/");
  CHECK(aws::find_operation("route53", "CreateHostedZone")->response_code == 201);
  CHECK(aws::find_operation("s3", "GetObject")->request_uri == "/{Bucket}/{Key+}");
  CHECK(aws::find_operation("dms", "CreateMigrationProject") == nullptr);
}

TEST_CASE("json protocol: DMS request and response round trip with timestamps as epoch seconds")
{
  const json input = {{"Filters", {{{"Name", "replication-config-id"}, {"Values", {"a", "b"}}}}}, {"MaxRecords", 20}};
  const WireRequest req = aws::serialize_request("dms", "DescribeReplications", input);
  CHECK(req.method == "POST");
  CHECK(req.target == "/");
  CHECK(req.headers.at("x-amz-target") == "AmazonDMSv20160101.DescribeReplications");
  CHECK(req.headers.at("Content-Type") == "application/x-amz-json-1.1");
  CHECK(aws::identify_service(req) == "dms");
  CHECK(server_sees("dms", "DescribeReplications", input) == input);

  const json output = {{"Replications",
                        {{{"ReplicationConfigIdentifier", "db"},
                          {"ReplicationCreateTime", 1735689600.5},
                          {"ReplicationStats", {{"FullLoadProgressPercent", 42}, {"StartDate", 1735689660}}}}}}};
  const WireResponse res = aws::serialize_response("dms", "DescribeReplications", output, "req-1");
  CHECK(res.status == 200);
  CHECK(json::parse(res.body)["Replications"][0]["ReplicationCreateTime"] == 1735689600.5);
  CHECK(res.headers.at("x-amzn-RequestId") == "req-1");
  CHECK(client_sees("dms", "DescribeReplications", output) == output);
}

TEST_CASE("json protocol: the X-Amz-Target prefix as botocore and as the Smithy SDKs send it")
{
  // botocore: the model's whole targetPrefix; the Go SDK v2 (the terraform AWS provider): the service
  // shape's name, its last segment. AWS takes both.
  WireRequest req = aws::serialize_request("cloudtrail", "CreateTrail", {{"Name", "audit"}, {"S3BucketName", "b"}});
  CHECK(req.headers.at("x-amz-target") == "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.CreateTrail");
  CHECK(aws::identify_service(req) == "cloudtrail");
  req.headers["x-amz-target"] = "CloudTrail_20131101.CreateTrail";
  CHECK(aws::identify_service(req) == "cloudtrail");
  CHECK(aws::parse_request("cloudtrail", req).operation == "CreateTrail");
  CHECK(aws::parse_request("cloudtrail", req).input["Name"] == "audit");
  req.headers["x-amz-target"] = "v20131101.CloudTrail_20131101.CreateTrail";  // a partial prefix is not one
  CHECK(aws::identify_service(req) != "cloudtrail");
}

TEST_CASE("json protocol: ISO-8601 timestamps in a request become epoch seconds")
{
  WireRequest req = aws::serialize_request("dms", "StartReplication", {{"ReplicationConfigArn", "arn"},
                                                                       {"StartReplicationType", "start-replication"}});
  req.body = R"({"ReplicationConfigArn":"arn","StartReplicationType":"start-replication","CdcStartTime":"2025-01-01T00:01:00Z"})";
  CHECK(aws::parse_request("dms", req).input["CdcStartTime"] == 1735689660.0);
}

TEST_CASE("json protocol: validation, serialization and unknown-operation errors")
{
  WireRequest req = aws::serialize_request("dms", "StartReplication", {{"ReplicationConfigArn", "arn"}});
  AwsError e = parse_error("dms", req);
  CHECK(e.code == "ValidationException");
  CHECK(e.message.find("StartReplicationType") != std::string::npos);
  req.body = R"({"ReplicationConfigArn": 5, "StartReplicationType": "x"})";
  CHECK(parse_error("dms", req).code == "SerializationException");
  req.body = R"({"ReplicationConfigArn": )";
  CHECK(parse_error("dms", req).code == "SerializationException");
  req.body = "[]";
  CHECK(parse_error("dms", req).code == "SerializationException");
  req.headers["X-Amz-Target"] = "AmazonDMSv20160101.CreateMigrationProject";
  e = parse_error("dms", req);
  CHECK(e.code == "UnknownOperationException");
  CHECK(e.status == 400);
  // SSM: an enum value outside the set
  WireRequest put = aws::serialize_request("ssm", "PutParameter", {{"Name", "n"}, {"Value", "v"}, {"Type", "Plain"}});
  e = parse_error("ssm", put);
  CHECK(e.code == "ValidationException");
  CHECK(e.message.find("[String, StringList, SecureString]") != std::string::npos);
}

TEST_CASE("json protocol: error shape __type, message and x-amzn-ErrorType, read back by the client")
{
  const WireResponse res = aws::serialize_error("dms", AwsError("ResourceNotFoundFault", "no such config", 400), "r");
  CHECK(res.status == 400);
  CHECK(res.headers.at("x-amzn-ErrorType") == "ResourceNotFoundFault");
  CHECK(json::parse(res.body) == json{{"__type", "ResourceNotFoundFault"}, {"message", "no such config"}});
  const AwsError e = client_error("dms", "DescribeReplications", AwsError("ResourceNotFoundFault", "no such config"));
  CHECK(e.code == "ResourceNotFoundFault");
  CHECK(e.message == "no such config");
  // botocore's __type may carry a namespace: "aws.protocol#Code".
  const auto parsed = aws::parse_response("dms", "DescribeReplications", 400, {}, R"({"__type":"com.amazon#Throttling","message":"m"})");
  CHECK(parsed.error->code == "Throttling");
}

TEST_CASE("query protocol: SNS maps (entry.N.key), lists of structures (member.N) and booleans")
{
  const json input = {{"Name", "alarms"},
                      {"Attributes", {{"DisplayName", "Cutover alarms"}, {"FifoTopic", "false"}}},
                      {"Tags", {{{"Key", "team"}, {"Value", "platform & data"}}}}};
  const WireRequest req = aws::serialize_request("sns", "CreateTopic", input);
  CHECK(req.headers.at("Content-Type").find("x-www-form-urlencoded") != std::string::npos);
  CHECK(req.body.find("Action=CreateTopic&Version=2010-03-31") == 0);
  CHECK(req.body.find("Attributes.entry.1.key=DisplayName") != std::string::npos);
  CHECK(req.body.find("Tags.member.1.Value=platform%20%26%20data") != std::string::npos);
  CHECK(aws::identify_service(req) == "sns");
  CHECK(server_sees("sns", "CreateTopic", input) == input);
  // The same request with form '+' spaces, as some clients send it.
  WireRequest plus = req;
  plus.body = "Action=CreateTopic&Version=2010-03-31&Name=alarms&Attributes.entry.1.key=DisplayName&"
              "Attributes.entry.1.value=Cutover+alarms";
  CHECK(aws::parse_request("sns", plus).input["Attributes"]["DisplayName"] == "Cutover alarms");
  // Auto Scaling: integers and booleans become typed values.
  const json asg = {{"AutoScalingGroupName", "api"}, {"MinSize", 2}, {"NewInstancesProtectedFromScaleIn", true}};
  CHECK(server_sees("autoscaling", "UpdateAutoScalingGroup", asg) == asg);
  // An empty list is sent as "Names=" and read back as [].
  const json names = {{"Names", json::array()}};
  CHECK(server_sees("elbv2", "DescribeLoadBalancers", names) == names);
}

TEST_CASE("query protocol: response XML with result wrapper, request id, lists and maps")
{
  const json topics = {{"Topics", {{{"TopicArn", "arn:a"}}, {{"TopicArn", "arn:b"}}}}, {"NextToken", "t"}};
  const WireResponse res = aws::serialize_response("sns", "ListTopics", topics, "rid-7");
  CHECK(res.headers.at("Content-Type") == "text/xml");
  CHECK(res.body.find("<ListTopicsResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ListTopicsResult>") !=
        std::string::npos);
  CHECK(res.body.find("<Topics><member><TopicArn>arn:a</TopicArn></member>") != std::string::npos);
  CHECK(res.body.find("<ResponseMetadata><RequestId>rid-7</RequestId></ResponseMetadata></ListTopicsResponse>") !=
        std::string::npos);
  CHECK(client_sees("sns", "ListTopics", topics) == topics);
  const json attrs = {{"Attributes", {{"DisplayName", "x<y"}, {"Owner", "000000000000"}}}};
  const WireResponse a = aws::serialize_response("sns", "GetTopicAttributes", attrs, "r");
  CHECK(a.body.find("<entry><key>DisplayName</key><value>x&lt;y</value></entry>") != std::string::npos);
  CHECK(client_sees("sns", "GetTopicAttributes", attrs) == attrs);
  // Timestamps as ISO-8601 in XML (ELBv2 CreatedTime).
  const json lbs = {{"LoadBalancers", {{{"LoadBalancerName", "web"}, {"CreatedTime", 1735689600.0}}}}};
  const WireResponse l = aws::serialize_response("elbv2", "DescribeLoadBalancers", lbs, "r");
  CHECK(l.body.find("<CreatedTime>2025-01-01T00:00:00Z</CreatedTime>") != std::string::npos);
  CHECK(client_sees("elbv2", "DescribeLoadBalancers", lbs) == lbs);
  // An operation without output still answers ResponseMetadata.
  CHECK(client_sees("sns", "DeleteTopic", json::object()) == json::object());
}

TEST_CASE("query protocol: MissingParameter, InvalidParameterValue, InvalidAction and the ErrorResponse shape")
{
  WireRequest req = aws::serialize_request("sns", "Publish", {{"TopicArn", "arn"}});
  AwsError e = parse_error("sns", req);
  CHECK(e.code == "MissingParameter");
  CHECK(e.message.find("Message") != std::string::npos);
  req = aws::serialize_request("autoscaling", "SetDesiredCapacity", {{"AutoScalingGroupName", "g"}, {"DesiredCapacity", 1}});
  req.body += "&HonorCooldown=maybe";
  CHECK(parse_error("autoscaling", req).code == "InvalidParameterValue");
  req.body = "Action=Frobnicate&Version=2011-01-01";
  CHECK(parse_error("autoscaling", req).code == "InvalidAction");
  req.body = "Action=SetDesiredCapacity&Version=2099-01-01";
  CHECK(parse_error("autoscaling", req).code == "InvalidAction");

  const WireResponse res = aws::serialize_error("sns", AwsError("NotFound", "Topic does not exist", 404), "rid-3");
  CHECK(res.status == 404);
  CHECK(res.body.find("<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type>"
                      "<Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>rid-3</RequestId>"
                      "</ErrorResponse>") != std::string::npos);
  const AwsError back = client_error("sns", "Publish", AwsError("InternalError", "boom", 500, false));
  CHECK(back.code == "InternalError");
  CHECK_FALSE(back.sender);
}

TEST_CASE("rest-json protocol: EKS labels, querystring, body and unix timestamps")
{
  const WireRequest get = aws::serialize_request("eks", "DescribeCluster", {{"name", "prod eks"}});
  CHECK(get.method == "GET");
  CHECK(get.target == "/clusters/prod%20eks");
  CHECK(get.body.empty());
  CHECK(server_sees("eks", "DescribeCluster", {{"name", "prod eks"}}) == json{{"name", "prod eks"}});
  const json list = {{"maxResults", 10}, {"include", {"all"}}};
  const WireRequest l = aws::serialize_request("eks", "ListClusters", list);
  CHECK(l.target == "/clusters?include=all&maxResults=10");  // members in name order
  CHECK(server_sees("eks", "ListClusters", list) == list);
  const json ng = {{"clusterName", "prod"}, {"nodegroupName", "ng1"},
                   {"scalingConfig", {{"minSize", 1}, {"maxSize", 5}, {"desiredSize", 3}}}};
  CHECK(server_sees("eks", "UpdateNodegroupConfig", ng) == ng);
  const json out = {{"cluster", {{"name", "prod"}, {"status", "ACTIVE"}, {"createdAt", 1735689600.25}}}};
  const WireResponse res = aws::serialize_response("eks", "DescribeCluster", out, "r");
  CHECK(json::parse(res.body)["cluster"]["createdAt"] == 1735689600.25);
  CHECK(client_sees("eks", "DescribeCluster", out) == out);
}

TEST_CASE("rest-json protocol: MGN POST paths, 404 for unknown paths, ValidationException for bad input")
{
  const json filters = {{"filters", {{"lifeCycleStates", {"READY_FOR_TEST"}}, {"isArchived", false}}}};
  const WireRequest req = aws::serialize_request("mgn", "DescribeSourceServers", filters);
  CHECK(req.target == "/DescribeSourceServers");
  CHECK(server_sees("mgn", "DescribeSourceServers", filters) == filters);
  WireRequest bad = req;
  bad.body = R"({"filters": {"lifeCycleStates": ["SLEEPING"]}})";
  CHECK(parse_error("mgn", bad).code == "ValidationException");
  bad.body = "{";
  CHECK(parse_error("mgn", bad).code == "ValidationException");
  bad.target = "/NoSuchOperation";
  const AwsError e = parse_error("mgn", bad);
  CHECK(e.code == "UnknownOperationException");
  CHECK(e.status == 404);
  const WireResponse res = aws::serialize_error("mgn", AwsError("ValidationException", "bad"), "r");
  CHECK(res.headers.at("x-amzn-ErrorType") == "ValidationException");
  CHECK(json::parse(res.body)["message"] == "bad");
}

TEST_CASE("rest-xml protocol: Route 53 nested lists, root element and namespace, 201 status")
{
  const json change = {
      {"HostedZoneId", "Z123"},
      {"ChangeBatch",
       {{"Comment", "cutover"},
        {"Changes",
         {{{"Action", "UPSERT"},
           {"ResourceRecordSet",
            {{"Name", "shop.example.com."}, {"Type", "CNAME"}, {"TTL", 60},
             {"ResourceRecords", {{{"Value", "alb.aws"}}}}}}}}}}}};
  const WireRequest req = aws::serialize_request("route53", "ChangeResourceRecordSets", change);
  CHECK(req.method == "POST");
  CHECK(req.target == "/2013-04-01/hostedzone/Z123/rrset/");
  CHECK(req.body.find("<ChangeResourceRecordSetsRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">") !=
        std::string::npos);
  CHECK(req.body.find("<Changes><Change><Action>UPSERT</Action>") != std::string::npos);
  CHECK(req.body.find("<ResourceRecords><ResourceRecord><Value>alb.aws</Value></ResourceRecord></ResourceRecords>") !=
        std::string::npos);
  CHECK(aws::identify_service(req) == "route53");
  CHECK(server_sees("route53", "ChangeResourceRecordSets", change) == change);

  const json zone = {{"HostedZone", {{"Id", "/hostedzone/Z1"}, {"Name", "example.com."}, {"CallerReference", "c"}}},
                     {"ChangeInfo", {{"Id", "/change/C1"}, {"Status", "PENDING"}, {"SubmittedAt", 1735689600.0}}},
                     {"DelegationSet", {{"NameServers", {"ns-1.awsdns.com"}}}},
                     {"Location", "https://route53.amazonaws.com/2013-04-01/hostedzone/Z1"}};
  const WireResponse res = aws::serialize_response("route53", "CreateHostedZone", zone, "r");
  CHECK(res.status == 201);
  CHECK(res.headers.at("Location") == "https://route53.amazonaws.com/2013-04-01/hostedzone/Z1");
  CHECK(res.body.find("<CreateHostedZoneResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">") !=
        std::string::npos);
  CHECK(res.body.find("<NameServers><NameServer>ns-1.awsdns.com</NameServer></NameServers>") != std::string::npos);
  CHECK(res.body.find("<SubmittedAt>2025-01-01T00:00:00Z</SubmittedAt>") != std::string::npos);
  CHECK(client_sees("route53", "CreateHostedZone", zone) == zone);

  const WireResponse err = aws::serialize_error("route53", AwsError("NoSuchHostedZone", "No hosted zone", 404), "r5");
  CHECK(err.body.find("<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Error><Type>Sender"
                      "</Type><Code>NoSuchHostedZone</Code>") != std::string::npos);
  CHECK(client_error("route53", "GetHostedZone", AwsError("NoSuchHostedZone", "No hosted zone", 404)).code ==
        "NoSuchHostedZone");
  WireRequest broken = req;
  broken.body = "<ChangeResourceRecordSetsRequest><ChangeBatch>";
  CHECK(parse_error("route53", broken).code == "MalformedXML");
}

TEST_CASE("rest-xml protocol: S3 greedy keys, payload bytes, metadata headers, querystring operations")
{
  const std::string bytes("\x00\x01\xff binary", 10);
  const json put = {{"Bucket", "b"}, {"Key", "dir/sub dir/a+b.txt"}, {"Body", "AAH/IGJpbmFyeQ=="},
                    {"ContentType", "text/plain"}, {"Metadata", {{"owner", "platform"}}}};
  const WireRequest req = aws::serialize_request("s3", "PutObject", put);
  CHECK(req.method == "PUT");
  CHECK(req.target == "/b/dir/sub%20dir/a%2Bb.txt");
  CHECK(req.body == bytes);
  CHECK(req.headers.at("x-amz-meta-owner") == "platform");
  CHECK(server_sees("s3", "PutObject", put) == put);
  // CopyObject shares PutObject's URI: the x-amz-copy-source header tells them apart.
  WireRequest copy = req;
  copy.headers["x-amz-copy-source"] = "/b/other";
  CHECK(aws::parse_request("s3", copy).operation == "CopyObject");
  // ListObjectsV2 is GET /{Bucket}?list-type=2; ListObjects is the same path without it.
  const WireRequest list = aws::serialize_request("s3", "ListObjectsV2", {{"Bucket", "b"}, {"Prefix", "dir/"}, {"MaxKeys", 2}});
  CHECK(list.target.find("/b?list-type=2") == 0);
  CHECK(aws::parse_request("s3", list).operation == "ListObjectsV2");
  CHECK(aws::parse_request("s3", WireRequest{"GET", "/b", {}, ""}).operation == "ListObjects");
  CHECK(aws::identify_service(list) == "s3");

  const json got = {{"Body", "AAH/IGJpbmFyeQ=="}, {"ContentLength", 10}, {"ContentType", "application/octet-stream"}, {"ETag", "\"e\""},
                    {"LastModified", 1735689600.0}, {"Metadata", {{"owner", "platform"}}}};
  const WireResponse res = aws::serialize_response("s3", "GetObject", got, "r");
  CHECK(res.body == bytes);
  CHECK(res.headers.at("Last-Modified") == "Wed, 01 Jan 2025 00:00:00 GMT");
  CHECK(res.headers.at("x-amz-request-id") == "r");
  CHECK(client_sees("s3", "GetObject", got) == got);
  const json listing = {{"Name", "b"}, {"KeyCount", 1}, {"IsTruncated", false},
                        {"Contents", {{{"Key", "k"}, {"Size", 3}, {"LastModified", 1735689600.0}}}},
                        {"CommonPrefixes", {{{"Prefix", "dir/"}}}}};
  const WireResponse lr = aws::serialize_response("s3", "ListObjectsV2", listing, "r");
  CHECK(lr.body.find("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">") != std::string::npos);
  CHECK(lr.body.find("<Contents><Key>k</Key>") != std::string::npos);  // flattened list: no wrapper
  CHECK(client_sees("s3", "ListObjectsV2", listing) == listing);

  const WireResponse err = aws::serialize_error("s3", AwsError("NoSuchKey", "The specified key does not exist.", 404), "r8");
  CHECK(err.body.find("<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>r8"
                      "</RequestId></Error>") != std::string::npos);
  // A HEAD error has no body: the client falls back to the status.
  const auto head = aws::parse_response("s3", "HeadObject", 404, {}, "");
  CHECK(head.error->code == "404");
  const AwsError unknown = parse_error("s3", WireRequest{"PATCH", "/b", {}, ""});
  CHECK(unknown.code == "NotImplemented");
  CHECK(unknown.status == 501);
}

TEST_CASE("routing: credential scope, X-Amz-Target, Action+Version, host, then path")
{
  WireRequest r{"POST", "/", {}, "Action=ListMetrics&Version=2010-08-01"};
  r.headers["Content-Type"] = "application/x-www-form-urlencoded";
  CHECK(aws::identify_service(r) == "cloudwatch");
  r.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=AK/20250101/us-east-1/monitoring/aws4_request, "
                               "SignedHeaders=host, Signature=0";
  CHECK(aws::identify_service(r) == "cloudwatch");
  CHECK(aws::request_protocol("cloudwatch", r) == Protocol::query);
  WireRequest j{"POST", "/", {}, "{}"};
  j.headers["X-Amz-Target"] = "GraniteServiceVersion20100801.ListMetrics";
  j.headers["Content-Type"] = "application/x-amz-json-1.0";
  CHECK(aws::identify_service(j) == "cloudwatch");
  CHECK(aws::request_protocol("cloudwatch", j) == Protocol::json);
  CHECK(aws::parse_request("cloudwatch", j).protocol == Protocol::json);
  CHECK(aws::parse_request("cloudwatch", r).protocol == Protocol::query);
  WireRequest presigned{"GET", "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Credential=AK%2F20250101%2Fus-east-1%2Fsts%2Faws4_request", {}, ""};
  CHECK(aws::identify_service(presigned) == "sts");
  WireRequest host{"GET", "/", {}, ""};
  host.headers["Host"] = "sns.us-east-1.amazonaws.com:4566";
  CHECK(aws::identify_service(host) == "sns");
  CHECK(aws::identify_service(WireRequest{"GET", "/2013-04-01/hostedzone", {}, ""}) == "route53");
  CHECK(aws::identify_service(WireRequest{"POST", "/", {}, "{}"}) == "");
  CHECK(aws::operation_of("cloudwatch", j) == "ListMetrics");
}

TEST_CASE("codec: cloudwatch answers in the protocol it was asked in")
{
  const json out = {{"Metrics", {{{"Namespace", "AWS/DMS"}, {"MetricName", "CDCLatencySource"}}}}};
  const WireResponse q = aws::serialize_response("cloudwatch", "ListMetrics", out, "r", Protocol::query);
  CHECK(q.body.find("<ListMetricsResult><Metrics><member><MetricName>CDCLatencySource</MetricName><Namespace>AWS/DMS"
                    "</Namespace></member></Metrics>") != std::string::npos);
  const WireResponse js = aws::serialize_response("cloudwatch", "ListMetrics", out, "r", Protocol::json);
  CHECK(json::parse(js.body) == out);
  CHECK(js.headers.at("Content-Type") == "application/x-amz-json-1.0");
}
