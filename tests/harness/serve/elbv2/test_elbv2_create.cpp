// ELBv2 resources created through `migsim serve` (harness/serve/elbv2/backend.cpp, target_groups.cpp, describe.cpp): the closed-form
// state machines (provisioning -> active, target health) at hand-computed times, and the operations
// through the serve registry on a live estate (created and estate resources side by side, AWS's
// error codes, a Pending instance of the simulation failing its first checks until it is in
// service). The wire (query protocol) is tested with boto3 and the AWS CLI in
// tests/e2e/test_serve_elbv2_create.py.
#include "harness/run/run_command.hpp"
#include "harness/serve/autoscaling/backend.hpp"
#include "harness/serve/elbv2/backend.hpp"
#include "harness/serve/elbv2/health.hpp"
#include "harness/serve/core/registry.hpp"
#include "models/aws/aws_estate.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace migsim;
using namespace migsim::harness::serve;
using nlohmann::json;
namespace eh = migsim::harness::serve::elbv2_health;

TEST_CASE("ELBv2 created load balancer is provisioning until provisioning_s has passed", "[elbv2create]")
{
  CHECK(std::string(eh::load_balancer_state(100, 180, 100)) == "provisioning");
  CHECK(std::string(eh::load_balancer_state(100, 180, 279.9)) == "provisioning");
  CHECK(std::string(eh::load_balancer_state(100, 180, 280)) == "active");
  CHECK(std::string(eh::load_balancer_state(100, 0, 100)) == "active");
  CHECK(eh::kDefaultProvisioning_s == 180);
}

TEST_CASE("ELBv2 target health follows the health checks at hand-computed times", "[elbv2create]")
{
  const eh::Settings s;  // 30 s, 5 s, 5 healthy, 2 unhealthy
  const auto at = [&](double start, eh::State st, eh::Answering a, double now) { return eh::evaluate(s, start, st, a, now); };

  // Always answering, checks from t = 100: passes at 130, 160, 190, 220, 250 -> healthy at 250.
  CHECK(at(100, eh::State::initial, {}, 99).reason == "Elb.RegistrationInProgress");
  CHECK(at(100, eh::State::initial, {}, 100).reason == "Elb.InitialHealthChecking");
  CHECK(at(100, eh::State::initial, {}, 249.9).state == eh::State::initial);
  const auto h = at(100, eh::State::initial, {}, 250);
  CHECK(h.state == eh::State::healthy);
  CHECK(h.since_s == 250);
  CHECK(h.reason.empty());

  // Answering from 170 until 400: 130 and 160 fail (unhealthy when the 2nd times out, 165); 190 ..
  // 370 pass (healthy at the 5th, 310); 400 and 430 fail (unhealthy at 430 + 5 = 435).
  const eh::Answering window{170, 400};
  CHECK(at(100, eh::State::initial, window, 164.9).state == eh::State::initial);
  CHECK(at(100, eh::State::initial, window, 165).state == eh::State::unhealthy);
  CHECK(at(100, eh::State::initial, window, 165).reason == "Target.FailedHealthChecks");
  CHECK(at(100, eh::State::initial, window, 309.9).state == eh::State::unhealthy);
  CHECK(at(100, eh::State::initial, window, 310).state == eh::State::healthy);
  CHECK(at(100, eh::State::initial, window, 434.9).state == eh::State::healthy);
  CHECK(at(100, eh::State::initial, window, 435).state == eh::State::unhealthy);
  CHECK(at(100, eh::State::initial, window, 435).since_s == 435);

  // Never answering, interval 10 s, timeout 3 s, 3 failures: unhealthy at 30 + 3 = 33.
  const eh::Settings fast{10, 3, 5, 3};
  CHECK(eh::evaluate(fast, 0, eh::State::initial, {eh::kNever, eh::kNever}, 32.9).state == eh::State::initial);
  CHECK(eh::evaluate(fast, 0, eh::State::initial, {eh::kNever, eh::kNever}, 33).state == eh::State::unhealthy);

  // Already healthy (a ModifyTargetGroup restart), down at 50 with checks every 10 s: 10 .. 40 pass,
  // 50 and 60 fail -> unhealthy at 60 + 5 = 65; until then healthy since the restart.
  const eh::Settings ten{10, 5, 5, 2};
  CHECK(eh::evaluate(ten, 0, eh::State::healthy, {-eh::kNever, 50}, 64.9).state == eh::State::healthy);
  CHECK(eh::evaluate(ten, 0, eh::State::healthy, {-eh::kNever, 50}, 64.9).since_s == 0);
  CHECK(eh::evaluate(ten, 0, eh::State::healthy, {-eh::kNever, 50}, 65).state == eh::State::unhealthy);

  // Answering too briefly to become healthy: [15, 45) holds checks 20, 30, 40 (3 < 5); 10 fails
  // alone (1 < 2); 50 and 60 fail -> unhealthy at 65, never healthy.
  CHECK(eh::evaluate(ten, 0, eh::State::initial, {15, 45}, 64.9).state == eh::State::initial);
  CHECK(eh::evaluate(ten, 0, eh::State::initial, {15, 45}, 65).state == eh::State::unhealthy);
  CHECK(eh::evaluate(ten, 0, eh::State::initial, {15, 45}, 1e6).state == eh::State::unhealthy);
}

namespace {

json estate_doc()
{
  return json::parse(R"({
    "name": "elbv2-create", "seed": 9, "duration_s": 3600,
    "platform": {
      "zones": [{"name": "internet"}, {"name": "onprem"}],
      "servers": [{"name": "web", "zone": "onprem", "cores": 2}, {"name": "db", "zone": "onprem", "cores": 2}],
      "links": [{"name": "uplink", "from_zone": "internet", "to_zone": "onprem"}],
      "services": [{"name": "nginx", "server": "web", "kind": "proxy", "workers": 100},
                   {"name": "api", "server": "web", "workers": 32},
                   {"name": "mysql", "server": "db", "kind": "database", "workers": 100}]
    },
    "workload": {"client_zone": "internet", "base_rps": 5,
                 "classes": [{"name": "browse", "weight": 1, "response_kb": 10,
                              "stages": [{"service": "nginx", "cpu_ms": 0.3}, {"service": "api", "cpu_ms": 10},
                                         {"service": "mysql", "cpu_ms": 2}]}]},
    "aws": {
      "azs": ["us-east-1a", "us-east-1b"], "alb_replaces": ["nginx"],
      "tiers": [{"name": "web", "serves": ["api"], "min_size": 2, "max_size": 4, "desired": 2, "boot_cv": 0,
                 "boot_mean_s": 100, "policies": [{"name": "cpu50", "metric": "ASGAverageCPUUtilization", "target": 50}]}],
      "database": {"serves": ["mysql"]}
    }
  })");
}

// Calls an operation through the registry (describe.cpp answers for created and estate resources).
json call(ServeContext& ctx, const std::string& op, const json& in)
{
  const auto* e = registry().find("elbv2", op);
  REQUIRE(e);
  return e->handler(in, ctx);
}

// The error code an operation answers ("" when it succeeds).
std::string code(ServeContext& ctx, const std::string& op, const json& in)
{
  try {
    call(ctx, op, in);
    return "";
  } catch (const aws::AwsError& e) {
    return e.code;
  }
}

}  // namespace

TEST_CASE("ELBv2 created resources next to the live estate, errors and simulated instances", "[elbv2create][aws]")
{
  const auto sc = harness::parse_full_scenario(estate_doc(), "elbv2-create");
  harness::Simulation sim(sc);
  ServeContext ctx{sim};
  sim.advance_to(300);
  auto& st = ctx.state<elbv2::Store>();
  REQUIRE(st.provisioning_s == eh::kDefaultProvisioning_s);

  // A load balancer created at 300 is provisioning until 480; the estate's ALB is listed too.
  const json lb = call(ctx, "CreateLoadBalancer", {{"Name", "green"}, {"Subnets", {"subnet-1", "subnet-2"}}})["LoadBalancers"][0];
  CHECK(lb["State"]["Code"] == "provisioning");
  CHECK(lb["AvailabilityZones"].size() == 2);
  CHECK(lb["AvailabilityZones"][0]["ZoneName"] == "us-east-1a");
  CHECK(lb["CreatedTime"] == epoch_s(300));
  const std::string lb_arn = lb["LoadBalancerArn"];
  auto names = [&] {
    std::vector<std::string> out;
    const json all = call(ctx, "DescribeLoadBalancers", json::object());
    for (const auto& x : all["LoadBalancers"])
      out.push_back(x["LoadBalancerName"]);
    return out;
  };
  CHECK(names() == std::vector<std::string>{"green", "shop-alb"});
  CHECK(code(ctx, "CreateLoadBalancer", {{"Name", "green"}, {"Subnets", {"subnet-1", "subnet-3"}, }, {"Scheme", "internal"}}) == "DuplicateLoadBalancerName");
  CHECK(code(ctx, "CreateLoadBalancer", {{"Name", "shop-alb"}, {"Subnets", {"subnet-1", "subnet-2"}}}) == "DuplicateLoadBalancerName");
  CHECK(code(ctx, "CreateLoadBalancer", {{"Name", "one-zone"}, {"Subnets", {"subnet-1"}}}) == "ValidationError");
  CHECK(call(ctx, "CreateLoadBalancer", {{"Name", "green"}, {"Subnets", {"subnet-1", "subnet-2"}}})["LoadBalancers"][0]["LoadBalancerArn"] == lb_arn);

  // A second load balancer with no provisioning time, for the health part.
  st.provisioning_s = 0;
  const std::string fast_arn = call(ctx, "CreateLoadBalancer", {{"Name", "fast"}, {"Subnets", {"subnet-1", "subnet-2"}}})["LoadBalancers"][0]["LoadBalancerArn"];
  st.provisioning_s = eh::kDefaultProvisioning_s;

  const json tg = call(ctx, "CreateTargetGroup", {{"Name", "green-web"}, {"Protocol", "HTTP"}, {"Port", 8080}, {"VpcId", elbv2::kVpcId}})["TargetGroups"][0];
  CHECK(tg["HealthCheckIntervalSeconds"] == 30);
  CHECK(tg["HealthCheckTimeoutSeconds"] == 5);
  CHECK(tg["HealthyThresholdCount"] == 5);
  CHECK(tg["UnhealthyThresholdCount"] == 2);
  CHECK(tg["HealthCheckPath"] == "/");
  CHECK(tg["Matcher"]["HttpCode"] == "200");
  const std::string tg_arn = tg["TargetGroupArn"];
  CHECK(code(ctx, "CreateTargetGroup", {{"Name", "green-web"}, {"Protocol", "HTTP"}, {"Port", 80}, {"VpcId", elbv2::kVpcId}}) == "DuplicateTargetGroupName");
  CHECK(code(ctx, "CreateTargetGroup", {{"Name", "web"}, {"Protocol", "HTTP"}, {"Port", 80}, {"VpcId", elbv2::kVpcId}}) == "DuplicateTargetGroupName");
  CHECK(code(ctx, "CreateTargetGroup", {{"Name", "bad"}, {"Protocol", "HTTP"}, {"Port", 80}, {"VpcId", elbv2::kVpcId},
                                        {"HealthCheckIntervalSeconds", 5}, {"HealthCheckTimeoutSeconds", 5}}) == "ValidationError");

  const json l = call(ctx, "CreateListener", {{"LoadBalancerArn", fast_arn}, {"Protocol", "HTTP"}, {"Port", 80},
                                              {"DefaultActions", {{{"Type", "forward"}, {"TargetGroupArn", tg_arn}}}}})["Listeners"][0];
  const std::string l_arn = l["ListenerArn"];
  CHECK(code(ctx, "CreateListener", {{"LoadBalancerArn", lb_arn + "x"}, {"Port", 80}, {"DefaultActions", {{{"Type", "forward"}, {"TargetGroupArn", tg_arn}}}}}) == "LoadBalancerNotFound");
  CHECK(code(ctx, "CreateListener", {{"LoadBalancerArn", lb_arn}, {"Port", 80}, {"DefaultActions", {{{"Type", "forward"}, {"TargetGroupArn", tg_arn}}}}}) == "TargetGroupAssociationLimit");
  const json rule_in = {{"ListenerArn", l_arn}, {"Priority", 10},
                        {"Conditions", {{{"Field", "path-pattern"}, {"Values", {"/api/*"}}}}},
                        {"Actions", {{{"Type", "forward"}, {"TargetGroupArn", tg_arn}}}}};
  const std::string rule_arn = call(ctx, "CreateRule", rule_in)["Rules"][0]["RuleArn"];
  CHECK(code(ctx, "CreateRule", rule_in) == "PriorityInUse");
  json other_listener = rule_in;
  other_listener["ListenerArn"] = l_arn + "x";
  CHECK(code(ctx, "CreateRule", other_listener) == "ListenerNotFound");
  const auto rules = call(ctx, "DescribeRules", {{"ListenerArn", l_arn}})["Rules"];
  REQUIRE(rules.size() == 2);
  CHECK(rules[0]["Conditions"][0]["PathPatternConfig"]["Values"][0] == "/api/*");
  CHECK(rules[1]["IsDefault"] == true);
  CHECK(code(ctx, "DeleteRule", {{"RuleArn", rules[1]["RuleArn"]}}) == "OperationNotPermitted");
  CHECK(code(ctx, "DeleteTargetGroup", {{"TargetGroupArn", tg_arn}}) == "ResourceInUse");

  // Scale the estate's web group: the new instance is Pending until it boots (100 s). Registered at
  // 300 on a listener in use from 300, it fails the checks before it is in service.
  autoscaling::set_desired_capacity({{"AutoScalingGroupName", "web"}, {"DesiredCapacity", 3}}, ctx);
  const auto groups = autoscaling::describe_auto_scaling_groups({{"AutoScalingGroupNames", {"web"}}}, ctx)["AutoScalingGroups"];
  const std::string new_id = groups[0]["Instances"][2]["InstanceId"];
  const std::string old_id = groups[0]["Instances"][0]["InstanceId"];
  call(ctx, "RegisterTargets", {{"TargetGroupArn", tg_arn}, {"Targets", {{{"Id", new_id}}, {{"Id", old_id}}, {{"Id", "i-0outside"}}}}});
  auto state_of = [&](const std::string& id) {
    return call(ctx, "DescribeTargetHealth", {{"TargetGroupArn", tg_arn}, {"Targets", {{{"Id", id}}}}})
        ["TargetHealthDescriptions"][0]["TargetHealth"]["State"].get<std::string>();
  };
  CHECK(state_of(new_id) == "initial");
  sim.advance_to(600);
  const double in_service = ctx.simulation.aws()->group("web")->instance(new_id)->in_service_s;
  REQUIRE(in_service > 360);  // booting through the checks at 330 and 360
  REQUIRE(in_service < 600);
  const double first_pass = 300 + 30 * std::ceil((in_service - 300) / 30);
  const double healthy_at = first_pass + 4 * 30;
  // The timeline at the hand-computed instants (the simulation is at 600 now).
  auto& g = *st.target_group(tg_arn);
  auto evaluate = [&](double now) {
    return eh::evaluate(g.health, 300, eh::State::initial, {in_service, eh::kNever}, now).state;
  };
  CHECK(evaluate(364.9) == eh::State::initial);
  CHECK(evaluate(365) == eh::State::unhealthy);
  CHECK(evaluate(healthy_at - 0.1) == eh::State::unhealthy);
  CHECK(evaluate(healthy_at) == eh::State::healthy);
  CHECK(state_of(new_id) == (600 >= healthy_at ? "healthy" : "unhealthy"));
  CHECK(state_of(old_id) == "healthy");       // in service since t = 0: 5 passes, 330 .. 450
  CHECK(state_of("i-0outside") == "healthy"); // not an instance of the simulation: answers every check
  CHECK(state_of("i-0notregistered") == "unused");

  // Green (created at 300) is active at 600; deleting a load balancer deletes its listeners only.
  CHECK(call(ctx, "DescribeLoadBalancers", {{"Names", {"green"}}})["LoadBalancers"][0]["State"]["Code"] == "active");
  CHECK(call(ctx, "DeleteLoadBalancer", {{"LoadBalancerArn", fast_arn}}) == json::object());
  CHECK(call(ctx, "DeleteLoadBalancer", {{"LoadBalancerArn", fast_arn}}) == json::object());  // absent: succeeds
  CHECK(code(ctx, "DescribeListeners", {{"ListenerArns", {l_arn}}}) == "ListenerNotFound");
  CHECK(state_of(old_id) == "unused");
  const std::string estate_arn = call(ctx, "DescribeLoadBalancers", {{"Names", {"shop-alb"}}})["LoadBalancers"][0]["LoadBalancerArn"];
  CHECK(code(ctx, "DeleteLoadBalancer", {{"LoadBalancerArn", estate_arn}}) == "OperationNotPermitted");
  CHECK(call(ctx, "DeleteTargetGroup", {{"TargetGroupArn", tg_arn}}) == json::object());
  CHECK(code(ctx, "DescribeTargetGroups", {{"TargetGroupArns", {tg_arn}}}) == "TargetGroupNotFound");
  CHECK(code(ctx, "DeleteRule", {{"RuleArn", rule_arn}}) == "RuleNotFound");
}
