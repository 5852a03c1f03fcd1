// The ec2 protocol of the codec (harness/aws/protocol/ec2_codec.cpp): the form fields it sends,
// compared with what botocore 1.43.11's EC2Serializer sends for the same calls (printed with
// botocore.serialize.create_serializer('ec2') and copied here), the XML answers and error shape
// botocore's EC2QueryParser reads (tests/e2e/test_serve_asg_create.py drives the same paths
// with boto3 and the AWS CLI), routing, and malformed input.
#include "harness/aws/protocol/codec.hpp"
#include "harness/aws/protocol/text.hpp"

#include <catch2/catch.hpp>

#include <set>

using migsim::aws::AwsError;
using migsim::aws::Headers;
using migsim::aws::json;
using migsim::aws::Protocol;
using migsim::aws::WireRequest;
using migsim::aws::WireResponse;
namespace aws = migsim::aws;

namespace {

// The form fields of a body, as a set (botocore orders them by the shape's member order, the codec
// by name: the set is what a server reads).
std::set<std::pair<std::string, std::string>> fields(const std::string& form)
{
  std::set<std::pair<std::string, std::string>> out;
  for (auto& kv : aws::text::parse_form(form))
    out.insert(kv);
  return out;
}

WireRequest form_request(const std::string& body, const std::string& scope = "ec2")
{
  WireRequest r;
  r.method = "POST";
  r.target = "/";
  r.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";
  if (!scope.empty())
    r.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/" + scope +
                                 "/aws4_request, SignedHeaders=host, Signature=0";
  r.body = body;
  return r;
}

AwsError parse_error(const WireRequest& req)
{
  try {
    aws::parse_request("ec2", req);
  } catch (const AwsError& e) {
    return e;
  }
  FAIL("no error raised");
  return AwsError("", "");
}

}  // namespace

TEST_CASE("ec2 protocol: requests are the form fields botocore's EC2Serializer sends", "[aws][ec2]")
{
  // Lists flattened as Name.N under the capitalised locationName, nested lists too.
  const json describe = {{"LaunchTemplateIds", {"lt-1", "lt-2"}},
                         {"Filters", {{{"Name", "tag:env"}, {"Values", {"prod", "test"}}}}},
                         {"DryRun", true},
                         {"MaxResults", 5}};
  CHECK(fields(aws::serialize_request("ec2", "DescribeLaunchTemplates", describe).body) ==
        fields("Action=DescribeLaunchTemplates&Version=2016-11-15&LaunchTemplateId.1=lt-1&LaunchTemplateId.2=lt-2&"
               "Filter.1.Name=tag%3Aenv&Filter.1.Value.1=prod&Filter.1.Value.2=test&DryRun=true&MaxResults=5"));
  // A member renamed by its locationName: DefaultVersion goes as SetDefaultVersion.
  CHECK(fields(aws::serialize_request("ec2", "ModifyLaunchTemplate", {{"LaunchTemplateName", "web"}, {"DefaultVersion", "2"}})
                   .body) ==
        fields("Action=ModifyLaunchTemplate&Version=2016-11-15&LaunchTemplateName=web&SetDefaultVersion=2"));
  // Structures inside structures, lists of structures, booleans and integers.
  const json create = {
      {"LaunchTemplateName", "web"},
      {"LaunchTemplateData",
       {{"InstanceType", "t3.small"},
        {"SecurityGroupIds", {"sg-1", "sg-2"}},
        {"Monitoring", {{"Enabled", true}}},
        {"BlockDeviceMappings", {{{"DeviceName", "/dev/xvda"}, {"Ebs", {{"VolumeSize", 20}}}}}}}},
      {"TagSpecifications", {{{"ResourceType", "launch-template"}, {"Tags", {{{"Key", "team"}, {"Value", "platform"}}}}}}}};
  const WireRequest req = aws::serialize_request("ec2", "CreateLaunchTemplate", create);
  CHECK(req.headers.at("Content-Type") == "application/x-www-form-urlencoded; charset=utf-8");
  CHECK(fields(req.body) ==
        fields("Action=CreateLaunchTemplate&Version=2016-11-15&LaunchTemplateName=web&LaunchTemplateData.InstanceType=t3.small&"
               "LaunchTemplateData.SecurityGroupId.1=sg-1&LaunchTemplateData.SecurityGroupId.2=sg-2&"
               "LaunchTemplateData.Monitoring.Enabled=true&LaunchTemplateData.BlockDeviceMapping.1.DeviceName=%2Fdev%2Fxvda&"
               "LaunchTemplateData.BlockDeviceMapping.1.Ebs.VolumeSize=20&TagSpecification.1.ResourceType=launch-template&"
               "TagSpecification.1.Tag.1.Key=team&TagSpecification.1.Tag.1.Value=platform"));
  // An empty list sends nothing (the query protocol would send "Versions=").
  CHECK(fields(aws::serialize_request("ec2", "DescribeLaunchTemplateVersions",
                                      {{"LaunchTemplateId", "lt-1"}, {"Versions", json::array()}})
                   .body) == fields("Action=DescribeLaunchTemplateVersions&Version=2016-11-15&LaunchTemplateId=lt-1"));

  // The server reads back exactly what was sent (types restored from the shapes).
  const aws::ParsedRequest parsed = aws::parse_request("ec2", req);
  CHECK(parsed.protocol == Protocol::ec2);
  CHECK(parsed.operation == "CreateLaunchTemplate");
  CHECK(parsed.input == create);
  CHECK(aws::parse_request("ec2", aws::serialize_request("ec2", "DescribeLaunchTemplates", describe)).input == describe);
}

TEST_CASE("ec2 protocol: answers carry requestId and item lists, errors the Response/Errors shape", "[aws][ec2]")
{
  const json out = {{"LaunchTemplates",
                     {{{"LaunchTemplateId", "lt-0a5170000000001"},
                       {"LaunchTemplateName", "web"},
                       {"CreateTime", 1735689600.0 + 90},
                       {"DefaultVersionNumber", 1},
                       {"LatestVersionNumber", 2},
                       {"Tags", {{{"Key", "team"}, {"Value", "platform"}}}}}}}};
  const WireResponse res = aws::serialize_response("ec2", "DescribeLaunchTemplates", out, "rid-7");
  CHECK(res.status == 200);
  CHECK(res.body ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeLaunchTemplatesResponse "
        "xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>rid-7</requestId><launchTemplates><item>"
        "<createTime>2025-01-01T00:01:30Z</createTime><defaultVersionNumber>1</defaultVersionNumber>"
        "<latestVersionNumber>2</latestVersionNumber><launchTemplateId>lt-0a5170000000001</launchTemplateId>"
        "<launchTemplateName>web</launchTemplateName><tagSet><item><key>team</key><value>platform</value></item></tagSet>"
        "</item></launchTemplates></DescribeLaunchTemplatesResponse>");
  // The client reads it back, the request id from the body (EC2 answers carry no header for it).
  const aws::ParsedResponse parsed = aws::parse_response("ec2", "DescribeLaunchTemplates", 200, Headers{}, res.body);
  REQUIRE(parsed.ok());
  CHECK(parsed.output == out);
  CHECK(parsed.request_id == "rid-7");

  const WireResponse err =
      aws::serialize_error("ec2", AwsError("InvalidLaunchTemplateId.NotFound", "The specified launch template, with template ID lt-9, does not exist."), "rid-8");
  CHECK(err.status == 400);
  CHECK(err.body == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>InvalidLaunchTemplateId.NotFound"
                    "</Code><Message>The specified launch template, with template ID lt-9, does not exist.</Message></Error>"
                    "</Errors><RequestID>rid-8</RequestID></Response>");
  const aws::ParsedResponse failed = aws::parse_response("ec2", "DescribeLaunchTemplates", err.status, Headers{}, err.body);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error->code == "InvalidLaunchTemplateId.NotFound");
  CHECK(failed.request_id == "rid-8");
}

TEST_CASE("ec2 protocol: routing by credential scope or Action+Version, and EC2's error codes", "[aws][ec2]")
{
  CHECK(aws::identify_service(form_request("Action=DescribeInstances&Version=2016-11-15")) == "ec2");
  CHECK(aws::identify_service(form_request("Action=DescribeInstances&Version=2016-11-15", "")) == "ec2");
  CHECK(aws::find_service("ec2")->protocol == Protocol::ec2);
  CHECK(aws::operation_of("ec2", form_request("Action=DescribeLaunchTemplates&Version=2016-11-15")) == "DescribeLaunchTemplates");

  const AwsError missing = parse_error(form_request("Action=CreateLaunchTemplate&Version=2016-11-15&LaunchTemplateName=web"));
  CHECK(missing.code == "MissingParameter");
  CHECK(missing.message == "The request must contain the parameter LaunchTemplateData");
  CHECK(parse_error(form_request("Action=RunInstances&Version=2016-11-15")).code == "InvalidAction");
  CHECK(parse_error(form_request("Action=DescribeInstances&Version=2014-01-01")).code == "InvalidAction");
  CHECK(parse_error(form_request("Action=DescribeInstances&Version=2016-11-15&MaxResults=many")).code ==
        "InvalidParameterValue");
  WireRequest json_body = form_request("{}");
  json_body.headers["Content-Type"] = "application/json";
  CHECK(parse_error(json_body).code == "MalformedQueryString");
}
