// The AWS client end to end over real HTTP: against `migsim serve` running the lift-and-shift
// scenario at --speed max (DMS json 1.1, MGN rest-json), and against moto_server (STS, ELBv2,
// Auto Scaling, RDS: query; Route 53, S3: rest-xml), which proves a third-party endpoint works.
// Also `migsim aws`.
#include "harness/aws/client/aws_client.hpp"
#include "test_aws_client_process.hpp"
#include "sim/calendar.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <regex>
#include <thread>

namespace {

using migsim::aws::AwsClient;
using migsim::aws::AwsClientError;
using migsim::aws::AwsClientOptions;
using migsim::test::ChildProcess;
using nlohmann::json;

const std::string kScenario = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/lift-and-shift-cutover.json";

AwsClientOptions local_options(const std::string& url)
{
  AwsClientOptions o;
  o.endpoint_url = url;
  o.region = "us-east-1";
  o.credentials = migsim::aws::AwsCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
  o.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  return o;
}

long long epoch_s(std::chrono::system_clock::time_point t) { return std::chrono::system_clock::to_time_t(t); }

}  // namespace

TEST_CASE("aws client: DMS and MGN of migsim serve, values as the scenario says")
{
  ChildProcess serve({MIGSIM_BINARY, "serve", kScenario, "--port", "0", "--speed", "max"});
  const auto m = serve.wait_for(R"(listening on (http://127\.0\.0\.1:\d+))", 60);
  INFO(serve.log());
  REQUIRE(m.size() == 2);
  json scenario;
  std::ifstream(kScenario) >> scenario;
  AwsClient client(local_options(m[1]));

  // DMS (JSON 1.1): the one serverless replication, its capacity range from the scenario.
  const auto reps = client.call("dms", "DescribeReplications");
  REQUIRE(reps["Replications"].size() == 1);
  CHECK(reps["Replications"][0]["ReplicationConfigArn"] ==
        "arn:aws:dms:us-east-1:000000000000:replication-config:fast-engineering-db");
  CHECK(reps["Replications"][0]["Status"].is_string());
  REQUIRE(client.last_response_date().has_value());
  const auto first_date_s = epoch_s(*client.last_response_date());
  // Simulated t = 0 is the scenario's `start` on the calendar.
  const auto start = migsim::sim::parse_calendar(scenario.value("start", std::string("2025-01-01T00:00:00Z")));
  REQUIRE(start.has_value());
  const auto scenario_epoch = static_cast<long long>(start->start_epoch_s);
  CHECK(first_date_s >= scenario_epoch);
  CHECK(first_date_s <= scenario_epoch + scenario["duration_s"].get<long long>());
  CHECK(client.last_call().status == 200);
  CHECK(client.last_call().attempts == 1);
  CHECK_FALSE(client.last_call().request_id.empty());
  const auto cfgs = client.call("dms", "DescribeReplicationConfigs");
  REQUIRE(cfgs["ReplicationConfigs"].size() == 1);
  CHECK(cfgs["ReplicationConfigs"][0]["ComputeConfig"]["MinCapacityUnits"] == scenario["migration"]["dms"]["min_dcu"]);
  CHECK(cfgs["ReplicationConfigs"][0]["ComputeConfig"]["MaxCapacityUnits"] == scenario["migration"]["dms"]["max_dcu"]);
  CHECK(cfgs["ReplicationConfigs"][0]["ReplicationType"] == "full-load-and-cdc");

  // MGN (rest-json): the scenario's application servers appear once their agents are installed.
  std::vector<std::string> hostnames, want;
  for (const auto& s : scenario["migration"]["mgn"]["servers"])
    want.push_back(s["source"]);
  std::sort(want.begin(), want.end());
  json servers;
  for (int i = 0; i < 200 && hostnames.size() < want.size(); ++i) {
    servers = client.call("mgn", "DescribeSourceServers", json::object());
    hostnames.clear();
    for (const auto& s : servers["items"])
      hostnames.push_back(s["sourceProperties"]["identificationHints"]["hostname"]);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::sort(hostnames.begin(), hostnames.end());
  CHECK(hostnames == want);
  for (const auto& s : servers["items"]) {
    const std::string id = s["sourceServerID"];
    CHECK(std::regex_match(id, std::regex("s-[0-9a-f]{17}")));
    CHECK(s["arn"] == "arn:aws:mgn:us-east-1:000000000000:source-server/" + id);
  }
  // The simulated clock runs at --speed max (60 s per 20 ms tick): the server's Date moves on.
  for (int i = 0; i < 200 && epoch_s(*client.last_response_date()) <= first_date_s; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    client.call("mgn", "DescribeSourceServers", json::object());
  }
  CHECK(epoch_s(*client.last_response_date()) > first_date_s);

  // The service's errors come back typed, with status and request id, and are not retried.
  try {
    client.call("dms", "DescribeReplications", {{"Filters", {{{"Name", "colour"}, {"Values", {"red"}}}}}});
    FAIL("expected InvalidParameterValueException");
  } catch (const AwsClientError& e) {
    CHECK(e.code == "InvalidParameterValueException");
    CHECK(e.status == 400);
    CHECK_FALSE(e.request_id.empty());
    CHECK(e.attempts == 1);
  }
  // An operation outside botocore's model fails before anything is sent.
  CHECK_THROWS_AS(client.call("dms", "DescribeNothingAtAll"), AwsClientError);
}

TEST_CASE("aws client: STS, Route 53, ELBv2, Auto Scaling, RDS and S3 against moto_server, and migsim aws")
{
  const auto port = migsim::test::free_port();
  ChildProcess moto({"moto_server", "-H", "127.0.0.1", "-p", std::to_string(port)});
  const auto m = moto.wait_for(R"(Running on http://127\.0\.0\.1:\d+)", 60);
  INFO("moto_server (pip package moto, preinstalled on the project's machines): " << moto.log());
  REQUIRE(m.size() == 1);
  const auto url = "http://127.0.0.1:" + std::to_string(port);
  AwsClient client(local_options(url));

  // STS (query protocol, XML response).
  const auto who = client.call("sts", "GetCallerIdentity");
  CHECK(who["Account"] == "123456789012");
  CHECK(who["Arn"].get<std::string>().rfind("arn:aws:", 0) == 0);

  // Route 53 (rest-xml, a global service): create a zone, UPSERT a record, read it back.
  const auto zone = client.call("route53", "CreateHostedZone",
                                {{"Name", "shop.example.com."}, {"CallerReference", "migsim-client-test"}});
  const std::string zone_id = zone["HostedZone"]["Id"];
  CHECK(zone["HostedZone"]["Name"] == "shop.example.com.");
  const auto change = client.call(
      "route53", "ChangeResourceRecordSets",
      {{"HostedZoneId", zone_id},
       {"ChangeBatch",
        {{"Changes",
          {{{"Action", "UPSERT"},
            {"ResourceRecordSet",
             {{"Name", "www.shop.example.com."}, {"Type", "A"}, {"TTL", 60},
              {"ResourceRecords", {{{"Value", "203.0.113.10"}}}}}}}}}}}});
  CHECK(change["ChangeInfo"]["Status"].is_string());
  const auto zones = client.call("route53", "ListHostedZones");
  REQUIRE(zones["HostedZones"].size() == 1);
  CHECK(zones["HostedZones"][0]["Id"] == zone_id);
  const auto records = client.call("route53", "ListResourceRecordSets", {{"HostedZoneId", zone_id}});
  bool found = false;
  for (const auto& r : records["ResourceRecordSets"])
    if (r["Name"] == "www.shop.example.com." && r["Type"] == "A")
      found = r["ResourceRecords"][0]["Value"] == "203.0.113.10" && r["TTL"] == 60;
  CHECK(found);
  try {
    client.call("route53", "GetHostedZone", {{"Id", "ZNOSUCHZONE"}});
    FAIL("expected NoSuchHostedZone");
  } catch (const AwsClientError& e) {
    CHECK(e.code == "NoSuchHostedZone");
    CHECK(e.status == 404);
    CHECK(e.attempts == 1);
  }

  // ELBv2 (query protocol, lists in XML).
  const auto lbs = client.call("elbv2", "DescribeLoadBalancers");
  CHECK(lbs["LoadBalancers"].is_array());
  CHECK(lbs["LoadBalancers"].empty());

  // Auto Scaling (query, nested lists and members): a group created, then read back.
  client.call("autoscaling", "CreateLaunchConfiguration",
              {{"LaunchConfigurationName", "web-lc"}, {"ImageId", "ami-12345678"}, {"InstanceType", "t3.micro"}});
  client.call("autoscaling", "CreateAutoScalingGroup",
              {{"AutoScalingGroupName", "web"}, {"LaunchConfigurationName", "web-lc"}, {"MinSize", 1},
               {"MaxSize", 4}, {"DesiredCapacity", 2}, {"AvailabilityZones", {"us-east-1a"}}});
  const auto groups = client.call("autoscaling", "DescribeAutoScalingGroups", {{"AutoScalingGroupNames", {"web"}}});
  REQUIRE(groups["AutoScalingGroups"].size() == 1);
  CHECK(groups["AutoScalingGroups"][0]["MaxSize"] == 4);
  CHECK(groups["AutoScalingGroups"][0]["DesiredCapacity"] == 2);
  CHECK(groups["AutoScalingGroups"][0]["AvailabilityZones"] == json::array({"us-east-1a"}));
  // RDS (query).
  CHECK(client.call("rds", "DescribeDBInstances")["DBInstances"] == json::array());
  // S3 (rest-xml, S3 signing: path as sent, x-amz-content-sha256): a key with a space round-trips.
  client.call("s3", "CreateBucket", {{"Bucket", "migsim-client"}});
  client.call("s3", "PutObject", {{"Bucket", "migsim-client"}, {"Key", "runbooks/a b.json"}, {"Body", "aGVsbG8="}});
  const auto object = client.call("s3", "GetObject", {{"Bucket", "migsim-client"}, {"Key", "runbooks/a b.json"}});
  CHECK(object["Body"] == "aGVsbG8=");  // base64 of "hello"
  CHECK(object["ContentLength"] == 5);

  // The command line: same call, JSON on stdout, credentials from the environment.
  const auto cmd = std::string("AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret ") + MIGSIM_BINARY +
                   " aws route53 ListHostedZones --endpoint-url " + url + " --region us-east-1";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0)
    out.append(buf, n);
  CHECK(::pclose(p) == 0);
  const auto printed = json::parse(out, nullptr, false);
  REQUIRE_FALSE(printed.is_discarded());
  CHECK(printed["HostedZones"][0]["Id"] == zone_id);
  // A service error: exit 1.
  const auto bad = std::string("AWS_ACCESS_KEY_ID=a AWS_SECRET_ACCESS_KEY=b ") + MIGSIM_BINARY +
                   " aws route53 GetHostedZone --input '{\"Id\":\"ZNOPE\"}' --endpoint-url " + url +
                   " --region us-east-1 2>/dev/null";
  CHECK(WEXITSTATUS(std::system(bad.c_str())) == 1);
}

// The ec2 protocol in the client direction against a third-party server: moto_server parses the
// Name.N lists and capitalised locationNames the codec sends, the codec reads moto's <item> lists,
// <requestId> and its <Response><Errors> error (RequestID).
TEST_CASE("aws client: EC2 launch templates in the ec2 protocol against moto_server")
{
  const auto port = migsim::test::free_port();
  ChildProcess moto({"moto_server", "-H", "127.0.0.1", "-p", std::to_string(port)});
  const auto m = moto.wait_for(R"(Running on http://127\.0\.0\.1:\d+)", 60);
  INFO("moto_server: " << moto.log());
  REQUIRE(m.size() == 1);
  AwsClient client(local_options("http://127.0.0.1:" + std::to_string(port)));

  const json data = {{"ImageId", "ami-12c6146b"}, {"InstanceType", "t3.small"}, {"SecurityGroupIds", {"sg-1", "sg-2"}}};
  const auto lt = client.call("ec2", "CreateLaunchTemplate",
                              {{"LaunchTemplateName", "client-lt"},
                               {"LaunchTemplateData", data},
                               {"TagSpecifications",
                                {{{"ResourceType", "launch-template"}, {"Tags", {{{"Key", "team"}, {"Value", "platform"}}}}}}}});
  const std::string id = lt["LaunchTemplate"]["LaunchTemplateId"];
  CHECK(id.rfind("lt-", 0) == 0);
  CHECK(lt["LaunchTemplate"]["Tags"] == json::array({{{"Key", "team"}, {"Value", "platform"}}}));
  CHECK(lt["LaunchTemplate"]["CreateTime"].is_number());
  client.call("ec2", "CreateLaunchTemplateVersion",
              {{"LaunchTemplateId", id}, {"LaunchTemplateData", {{"InstanceType", "t3.medium"}}}});
  const auto versions = client.call("ec2", "DescribeLaunchTemplateVersions", {{"LaunchTemplateName", "client-lt"}});
  REQUIRE(versions["LaunchTemplateVersions"].size() == 2);
  std::vector<std::string> types;
  for (const auto& v : versions["LaunchTemplateVersions"])
    types.push_back(v["LaunchTemplateData"]["InstanceType"]);
  std::sort(types.begin(), types.end());
  CHECK(types == std::vector<std::string>{"t3.medium", "t3.small"});
  for (const auto& v : versions["LaunchTemplateVersions"])
    if (v["VersionNumber"] == 1)
      CHECK(v["LaunchTemplateData"]["SecurityGroupIds"] == data["SecurityGroupIds"]);
  const auto mod = client.call("ec2", "ModifyLaunchTemplate", {{"LaunchTemplateId", id}, {"DefaultVersion", "2"}});
  CHECK(mod["LaunchTemplate"]["DefaultVersionNumber"] == 2);
  const auto listed = client.call("ec2", "DescribeLaunchTemplates", {{"LaunchTemplateIds", {id}}});
  REQUIRE(listed["LaunchTemplates"].size() == 1);
  CHECK(listed["LaunchTemplates"][0]["LatestVersionNumber"] == 2);
  try {
    client.call("ec2", "DescribeLaunchTemplates", {{"LaunchTemplateNames", {"no-such-lt"}}});
    FAIL("expected InvalidLaunchTemplateName.NotFoundException");
  } catch (const AwsClientError& e) {
    CHECK(e.code == "InvalidLaunchTemplateName.NotFoundException");
    CHECK(e.status == 400);
    CHECK_FALSE(e.request_id.empty());
  }
  CHECK(client.call("ec2", "DeleteLaunchTemplate", {{"LaunchTemplateId", id}})["LaunchTemplate"]["LaunchTemplateName"] ==
        "client-lt");
  CHECK(client.call("ec2", "DescribeInstances")["Reservations"] == json::array());
}
