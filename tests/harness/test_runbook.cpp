// The runbook format and executor, driven by a scripted fake AwsCaller on a fake server clock:
// validation before any call (tests/data/bad_runbooks), interpolation, selectors, branches,
// retries, wait timeouts on the server's clock, onFailure rollback paths, secrets in the log.
#include "harness/runbook/branch.hpp"
#include "harness/runbook/document.hpp"
#include "harness/runbook/executor.hpp"
#include "harness/runbook/values.hpp"

#include <catch2/catch.hpp>

#include <sstream>

#include <deque>
#include <functional>
#include <map>

using namespace migsim::harness::runbook;

namespace {

const std::string kBadDir = std::string(MIGSIM_SOURCE_DIR) + "/tests/data/bad_runbooks/";

// A server clock that only moves when slept on (or when a call takes time).
class FakeClock : public ServerClock {
public:
  double now = 1735754400;  // 2025-01-01T18:00:00Z
  double slept = 0;
  double now_epoch_s() override { return now; }
  void sleep_s(double s) override
  {
    now += s;
    slept += s;
  }
};

// Answers each (service, api) from a script: a function of the call number and input.
class FakeCaller : public AwsCaller {
public:
  using Script = std::function<json(int call, const json& input)>;
  explicit FakeCaller(FakeClock& clock) : clock_(clock) {}
  std::map<std::string, Script> scripts;
  std::vector<std::pair<std::string, json>> calls;
  double call_cost_s = 0;  // server time each call takes

  AwsReply call(const std::string& service, const std::string& api, const json& input) override
  {
    const std::string key = service + "." + api;
    calls.emplace_back(key, input);
    clock_.now += call_cost_s;
    const int n = static_cast<int>(std::count_if(calls.begin(), calls.end(), [&](const auto& c) { return c.first == key; }));
    auto it = scripts.find(key);
    if (it == scripts.end())
      throw AwsCallError("UnknownOperationException", key + " not scripted", 400);
    return {it->second(n, input), clock_.now};
  }
  int count(const std::string& key) const
  {
    return static_cast<int>(std::count_if(calls.begin(), calls.end(), [&](const auto& c) { return c.first == key; }));
  }

private:
  FakeClock& clock_;
};

Runbook parse(const std::string& text) { return parse_runbook(json::parse(text), "test"); }

json run(const Runbook& rb, FakeCaller& caller, FakeClock& clock, std::map<std::string, std::string> params = {},
         ExecutorOptions opt = {})
{
  Executor ex(rb, caller, clock, opt);
  return ex.run(resolve_parameters(rb, params));
}

const json* step(const json& log, const std::string& name)
{
  for (const auto& s : log["steps"])
    if (s["name"] == name)
      return &s;
  return nullptr;
}

}  // namespace

TEST_CASE("runbook: every bad runbook is rejected naming its step and field")
{
  struct Case {
    const char* file;
    const char* step;
    const char* field;
    const char* words;
  };
  const std::vector<Case> cases = {
      {"unknown_action.json", "restartApp", "action", "aws:runCommand"},
      {"missing_input.json", "stopReplication", "inputs.ReplicationConfigArn", "required input"},
      {"bad_interpolation.json", "stopReplication", "inputs.ReplicationConfigArn", "describe.ReplicationArn"},
      {"unknown_api.json", "launchCutover", "inputs.Api", "BeginCutover"},
      {"unknown_service.json", "targets", "inputs.Service", "alb"},
      {"unknown_field.json", "describe", "retries", "unknown field"},
      {"unknown_api_input.json", "describe", "inputs.Filter", "not an input of dms DescribeReplications"},
      {"bad_branch_target.json", "decide", "inputs.Choices[0].NextStep", "proceed"},
      {"bad_duration.json", "pause", "inputs.Duration", "ISO 8601"},
      {"bad_rollback_target.json", "describe", "onFailure", "rollbak"},
      {"wait_without_selector.json", "waitStopped", "inputs.PropertySelector", "missing"},
  };
  for (const auto& c : cases) {
    INFO(c.file);
    try {
      load_runbook(kBadDir + c.file);
      FAIL("accepted");
    } catch (const RunbookError& e) {
      CHECK(e.step() == c.step);
      CHECK(e.field() == c.field);
      CHECK_THAT(e.what(), Catch::Contains(c.words));
      CHECK_THAT(e.what(), Catch::Contains(std::string("step '") + c.step + "'"));
    }
  }
}

TEST_CASE("runbook: document-level errors name the field")
{
  CHECK_THROWS_WITH(parse(R"({"schemaVersion": "0.2", "mainSteps": []})"), Catch::Contains("schemaVersion"));
  CHECK_THROWS_WITH(parse(R"({"schemaVersion": "0.3", "mainSteps": []})"), Catch::Contains("mainSteps"));
  CHECK_THROWS_WITH(parse(R"({"schemaVersion": "0.3", "parameters": {"X": {"type": "Float"}},
                             "mainSteps": [{"name": "s", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}]})"),
                    Catch::Contains("parameters.X.type"));
  CHECK_THROWS_WITH(parse(R"({"schemaVersion": "0.3", "mainSteps": [
                               {"name": "s", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}},
                               {"name": "s", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}]})"),
                    Catch::Contains("same name"));
  // A parameter of the wrong type or outside allowedValues, before anything runs.
  const auto rb = parse(R"({"schemaVersion": "0.3", "parameters": {
      "N": {"type": "Integer", "default": 3}, "Mode": {"type": "String", "default": "on", "allowedValues": ["on", "off"]}},
      "mainSteps": [{"name": "s", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}]})");
  CHECK_THROWS_WITH(resolve_parameters(rb, {{"N", "three"}}), Catch::Contains("parameters.N"));
  CHECK_THROWS_WITH(resolve_parameters(rb, {{"Mode", "maybe"}}), Catch::Contains("allowedValues"));
  CHECK_THROWS_WITH(resolve_parameters(rb, {{"Nope", "1"}}), Catch::Contains("no such parameter"));
  CHECK(resolve_parameters(rb, {{"N", "7"}}).at("N") == 7);
}

TEST_CASE("runbook: selectors and ISO 8601 values")
{
  const json doc = json::parse(R"({"items": [{"id": "s-1", "lifeCycle": {"state": "READY_FOR_CUTOVER"}},
                                             {"id": "s-2", "lifeCycle": {"state": "CUTOVER"}}],
                                   "Replications": [{"ReplicationStats": {"CDCLatencySource": 4}}]})");
  CHECK(*select(doc, "$.items[1].lifeCycle.state") == "CUTOVER");
  CHECK(*select(doc, "$.items[*].id") == json::array({"s-1", "s-2"}));
  CHECK(*select(doc, "$['Replications'][0].ReplicationStats.CDCLatencySource") == 4);
  CHECK_FALSE(select(doc, "$.items[5].id").has_value());
  CHECK_FALSE(select(doc, "$.Nope").has_value());
  CHECK(selector_error("items[0]") != "");
  CHECK(selector_error("$.items[x]") != "");
  CHECK(*iso_duration_s("PT5M") == 300);
  CHECK(*iso_duration_s("PT1H30M") == 5400);
  CHECK(*iso_duration_s("P1DT0.5S") == 86400.5);
  CHECK_FALSE(iso_duration_s("5M").has_value());
  CHECK(*iso_timestamp_epoch_s("2025-01-01T18:00:00Z") == 1735754400);
  CHECK(iso_timestamp(1735754400) == "2025-01-01T18:00:00Z");
}

TEST_CASE("runbook: interpolation keeps types of whole references and splices text")
{
  const auto rb = parse(R"({"schemaVersion": "0.3",
    "parameters": {"Servers": {"type": "StringList", "default": ["s-1", "s-2"]},
                   "Record": {"type": "String", "default": "shop.example.com"}, "Ttl": {"type": "Integer", "default": 60}},
    "mainSteps": [
      {"name": "zone", "action": "aws:executeAwsApi",
       "inputs": {"Service": "route53", "Api": "ListHostedZonesByName", "DNSName": "{{ Record }}"},
       "outputs": [{"Name": "ZoneId", "Selector": "$.HostedZones[0].Id", "Type": "String"}]},
      {"name": "cutover", "action": "aws:executeAwsApi",
       "inputs": {"Service": "mgn", "Api": "StartCutover", "sourceServerIDs": "{{ Servers }}",
                  "tags": {"zone": "zone {{ zone.ZoneId }} ttl {{Ttl}}", "at": "{{ global:DATE_TIME }}"}}}]})");
  FakeClock clock;
  FakeCaller caller(clock);
  caller.scripts["route53.ListHostedZonesByName"] = [](int, const json& in) {
    CHECK(in == json{{"DNSName", "shop.example.com"}});
    return json{{"HostedZones", {{{"Id", "/hostedzone/Z1"}}}}};
  };
  caller.scripts["mgn.StartCutover"] = [](int, const json& in) {
    CHECK(in["sourceServerIDs"] == json::array({"s-1", "s-2"}));
    CHECK(in["tags"]["zone"] == "zone /hostedzone/Z1 ttl 60");
    CHECK(in["tags"]["at"] == "2025-01-01_18.00.00");
    return json{{"job", {{"jobID", "mgnjob-1"}}}};
  };
  const auto log = run(rb, caller, clock, {{"Servers", "s-1, s-2"}});
  CHECK(log["status"] == "Success");
  CHECK(caller.calls.size() == 2);
  CHECK((*step(log, "zone"))["outputs"]["ZoneId"] == "/hostedzone/Z1");
}

TEST_CASE("runbook: branch choices pick the step, Default otherwise")
{
  const auto rb = parse(R"({"schemaVersion": "0.3",
    "parameters": {"MaxLatency": {"type": "Integer", "default": 10}},
    "mainSteps": [
      {"name": "latency", "action": "aws:executeAwsApi", "inputs": {"Service": "dms", "Api": "DescribeReplications"},
       "outputs": [{"Name": "Cdc", "Selector": "$.Replications[0].ReplicationStats.CDCLatencySource", "Type": "Integer"},
                   {"Name": "Status", "Selector": "$.Replications[0].Status", "Type": "String"}]},
      {"name": "decide", "action": "aws:branch", "inputs": {"Choices": [
         {"NextStep": "tooSlow", "Variable": "{{ latency.Cdc }}", "NumericGreater": "{{ MaxLatency }}"},
         {"NextStep": "notRunning", "Not": {"Variable": "{{ latency.Status }}", "StringEquals": "running"}},
         {"NextStep": "go", "And": [{"Variable": "{{ latency.Cdc }}", "NumericLesserOrEquals": 10},
                                    {"Variable": "{{ latency.Status }}", "EqualsIgnoreCase": "RUNNING"}]}],
         "Default": "notRunning"}},
      {"name": "tooSlow", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}, "isEnd": true},
      {"name": "notRunning", "action": "aws:sleep", "inputs": {"Duration": "PT2S"}, "isEnd": true},
      {"name": "go", "action": "aws:sleep", "inputs": {"Duration": "PT3S"}, "isEnd": true}]})");
  auto path = [&](int latency, const std::string& status) {
    FakeClock clock;
    FakeCaller caller(clock);
    caller.scripts["dms.DescribeReplications"] = [&](int, const json&) {
      return json{{"Replications", {{{"Status", status}, {"ReplicationStats", {{"CDCLatencySource", latency}}}}}}};
    };
    const auto log = run(rb, caller, clock);
    REQUIRE(log["steps"].size() == 3);
    CHECK(log["steps"][1]["next_step"] == log["steps"][2]["name"]);
    return log["steps"][2]["name"].get<std::string>();
  };
  CHECK(path(45, "running") == "tooSlow");
  CHECK(path(3, "stopped") == "notRunning");
  CHECK(path(3, "running") == "go");
  CHECK(path(10, "running") == "go");  // NumericGreater is strict
}

TEST_CASE("runbook: maxAttempts retries a failing step")
{
  const auto rb = parse(R"({"schemaVersion": "0.3", "mainSteps": [
      {"name": "notify", "action": "aws:executeAwsApi", "maxAttempts": 3,
       "inputs": {"Service": "sns", "Api": "Publish", "TopicArn": "arn:aws:sns:us-east-1:000000000000:t", "Message": "hi"}}]})");
  FakeClock clock;
  FakeCaller caller(clock);
  caller.scripts["sns.Publish"] = [](int n, const json&) -> json {
    if (n < 3)
      throw AwsCallError("InternalError", "try again", 500);
    return {{"MessageId", "m-1"}};
  };
  auto log = run(rb, caller, clock);
  CHECK(log["status"] == "Success");
  CHECK(log["steps"][0]["attempts"] == 3);
  CHECK(caller.count("sns.Publish") == 3);

  // Out of attempts: the step fails with the service's error.
  FakeCaller always(clock);
  always.scripts["sns.Publish"] = [](int, const json&) -> json { throw AwsCallError("AuthorizationError", "denied", 403); };
  log = run(rb, always, clock);
  CHECK(log["status"] == "Failed");
  CHECK(log["failed_step"] == "notify");
  CHECK_THAT(log["failure_reason"].get<std::string>(), Catch::Contains("AuthorizationError"));
  CHECK(always.count("sns.Publish") == 3);
}

TEST_CASE("runbook: waits poll on the server clock and time out on it")
{
  const auto rb = parse(R"({"schemaVersion": "0.3", "mainSteps": [
      {"name": "waitInsync", "action": "aws:waitForAwsResourceProperty", "timeoutSeconds": 60,
       "inputs": {"Service": "route53", "Api": "GetChange", "Id": "C1",
                  "PropertySelector": "$.ChangeInfo.Status", "DesiredValues": ["INSYNC"]}}]})");
  // Reaches INSYNC at the 3rd poll: 2 polls of 15 s slept.
  {
    FakeClock clock;
    FakeCaller caller(clock);
    caller.scripts["route53.GetChange"] = [](int n, const json&) {
      return json{{"ChangeInfo", {{"Status", n >= 3 ? "INSYNC" : "PENDING"}}}};
    };
    const auto log = run(rb, caller, clock);
    CHECK(log["status"] == "Success");
    CHECK(clock.slept == 30);
    CHECK(log["steps"][0]["duration_s"] == 30);
  }
  // Never: polls at 0, 15, 30, 45, 60 s, then TimedOut after exactly the timeout.
  {
    FakeClock clock;
    FakeCaller caller(clock);
    caller.scripts["route53.GetChange"] = [](int, const json&) { return json{{"ChangeInfo", {{"Status", "PENDING"}}}}; };
    const auto log = run(rb, caller, clock);
    CHECK(log["status"] == "Failed");
    CHECK(log["steps"][0]["status"] == "TimedOut");
    CHECK(caller.count("route53.GetChange") == 5);
    CHECK(log["steps"][0]["duration_s"] == 60);
    CHECK_THAT(log["failure_reason"].get<std::string>(), Catch::Contains("PENDING"));
  }
  // The poll interval is an option; calls that take server time count toward the timeout.
  {
    FakeClock clock;
    FakeCaller caller(clock);
    caller.call_cost_s = 5;
    caller.scripts["route53.GetChange"] = [](int, const json&) { return json{{"ChangeInfo", {{"Status", "PENDING"}}}}; };
    ExecutorOptions opt;
    opt.poll_s = 25;
    const auto log = run(rb, caller, clock, {}, opt);
    // t = 5 (call), sleep 25 -> 30, call -> 35, sleep 25 -> 60, call -> 65 >= 60: timed out.
    CHECK(caller.count("route53.GetChange") == 3);
    CHECK(log["steps"][0]["duration_s"] == 65);
  }
}

TEST_CASE("runbook: a failed step with onFailure step:rollback runs the rollback path")
{
  const auto rb = parse(R"({"schemaVersion": "0.3", "mainSteps": [
      {"name": "stopWrites", "action": "aws:executeAwsApi",
       "inputs": {"Service": "ssm", "Api": "PutParameter", "Name": "/fast/maintenance-mode", "Value": "on",
                  "Type": "String", "Overwrite": true}},
      {"name": "assertValidated", "action": "aws:assertAwsResourceProperty", "onFailure": "step:rollback",
       "inputs": {"Service": "dms", "Api": "DescribeReplications",
                  "PropertySelector": "$.Replications[0].ReplicationStats.FullLoadFinishDate", "DesiredValues": ["done"]}},
      {"name": "launch", "action": "aws:executeAwsApi", "isEnd": true,
       "inputs": {"Service": "mgn", "Api": "StartCutover", "sourceServerIDs": ["s-1"]}},
      {"name": "rollback", "action": "aws:executeAwsApi", "isEnd": true,
       "inputs": {"Service": "ssm", "Api": "PutParameter", "Name": "/fast/maintenance-mode", "Value": "off",
                  "Type": "String", "Overwrite": true}}]})");
  FakeClock clock;
  FakeCaller caller(clock);
  caller.scripts["ssm.PutParameter"] = [](int, const json&) { return json{{"Version", 1}}; };
  caller.scripts["dms.DescribeReplications"] = [](int, const json&) {
    return json{{"Replications", {{{"ReplicationStats", {{"FullLoadFinishDate", "not yet"}}}}}}};
  };
  const auto log = run(rb, caller, clock);
  CHECK(log["status"] == "Failed");
  CHECK(log["failed_step"] == "assertValidated");
  CHECK_THAT(log["failure_reason"].get<std::string>(), Catch::Contains("not yet"));
  REQUIRE(log["steps"].size() == 3);
  CHECK(log["steps"][2]["name"] == "rollback");
  CHECK(log["steps"][2]["status"] == "Success");
  CHECK(caller.count("mgn.StartCutover") == 0);
  CHECK(caller.calls.back().second["Value"] == "off");
}

TEST_CASE("runbook: Continue and non-critical steps, nextStep jumps, unset outputs fail their user")
{
  const auto rb = parse(R"({"schemaVersion": "0.3", "mainSteps": [
      {"name": "optional", "action": "aws:executeAwsApi", "onFailure": "Continue", "isCritical": false,
       "inputs": {"Service": "cloudwatch", "Api": "DescribeAlarms"},
       "outputs": [{"Name": "First", "Selector": "$.MetricAlarms[0].AlarmName", "Type": "String"}]},
      {"name": "jump", "action": "aws:sleep", "inputs": {"Duration": "PT1M"}, "nextStep": "useIt"},
      {"name": "skipped", "action": "aws:sleep", "inputs": {"Duration": "PT1H"}},
      {"name": "useIt", "action": "aws:executeAwsApi",
       "inputs": {"Service": "sns", "Api": "Publish", "Message": "alarm {{ optional.First }}"}}]})");
  FakeClock clock;
  FakeCaller caller(clock);
  caller.scripts["cloudwatch.DescribeAlarms"] = [](int, const json&) -> json { throw AwsCallError("Throttling", "slow down", 400); };
  caller.scripts["sns.Publish"] = [](int, const json&) { return json{{"MessageId", "m"}}; };
  const auto log = run(rb, caller, clock);
  REQUIRE(log["steps"].size() == 3);
  CHECK(log["steps"][0]["status"] == "Failed");
  CHECK(log["steps"][1]["next_step"] == "useIt");
  CHECK(clock.slept == 60);
  CHECK(log["steps"][2]["status"] == "Failed");  // its output was never set
  CHECK_THAT(log["steps"][2]["failure_reason"].get<std::string>(), Catch::Contains("optional.First"));
  CHECK(log["failed_step"] == "useIt");  // the non-critical failure does not count
  CHECK(caller.count("sns.Publish") == 0);
}

TEST_CASE("runbook: secrets are masked in the log")
{
  const auto rb = parse(R"({"schemaVersion": "0.3",
    "parameters": {"DbPassword": {"type": "String", "default": "hunter2"}},
    "mainSteps": [{"name": "store", "action": "aws:executeAwsApi",
       "inputs": {"Service": "ssm", "Api": "PutParameter", "Name": "/fast/db", "Value": "{{ DbPassword }}",
                  "Type": "SecureString"}}]})");
  FakeClock clock;
  FakeCaller caller(clock);
  caller.scripts["ssm.PutParameter"] = [](int, const json& in) {
    CHECK(in["Value"] == "hunter2");  // the call itself gets the value
    return json{{"Version", 1}};
  };
  const auto log = run(rb, caller, clock);
  CHECK(log["status"] == "Success");
  CHECK(log.dump().find("hunter2") == std::string::npos);
  CHECK(log["parameters"]["DbPassword"] == "****");
  CHECK(log["steps"][0]["inputs"]["Value"] == "****");
}

TEST_CASE("runbook: against a server whose clock differs from the local one, no step has a negative duration")
{
  // The mock endpoint's calendar is its scenario's (2025 here), not this machine's: the executor's
  // clock is local until the first Date header, then the server's. Every time in the log must be on
  // the server's clock.
  class DatedCaller : public AwsCaller {
  public:
    double server_now = 1735754400;  // 2025-01-01T18:00:00Z
    AwsReply call(const std::string&, const std::string&, const json&) override
    {
      server_now += 2;
      return {json{{"Replications", json::array()}}, server_now};
    }
  } caller;
  const auto rb = parse(R"({"schemaVersion": "0.3", "mainSteps": [
      {"name": "first", "action": "aws:executeAwsApi", "inputs": {"Service": "dms", "Api": "DescribeReplications"}},
      {"name": "second", "action": "aws:executeAwsApi", "inputs": {"Service": "dms", "Api": "DescribeReplications"}}]})");
  DateHeaderClock clock;
  std::ostringstream printed;
  ExecutorOptions opt;
  opt.out = &printed;
  Executor ex(rb, caller, clock, opt);
  const json log = ex.run(resolve_parameters(rb, {}));
  INFO(log.dump(2) << "\n" << printed.str());
  REQUIRE(log["steps"].size() == 2);
  for (const auto& s : log["steps"]) {
    CHECK(s["duration_s"].get<double>() >= 0);
    CHECK(s["duration_s"].get<double>() < 60);
    CHECK(std::abs(s["start_epoch_s"].get<double>() - 1735754400) < 60);
  }
  CHECK(log["duration_s"].get<double>() >= 0);
  CHECK(std::abs(log["start_epoch_s"].get<double>() - 1735754400) < 60);
  CHECK(log["started_at"].get<std::string>().rfind("2025-01-01T18:00", 0) == 0);
  CHECK(printed.str().find(" -") == std::string::npos);  // no negative duration printed
}
