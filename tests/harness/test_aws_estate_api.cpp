// The ELBv2 and Auto Scaling handlers of `migsim serve` on a live AWS estate, called in-process
// with boto3-shaped input: what Describe* shows follows the simulation (health checks, launches,
// scaling activities), and the mutating calls act on it. The wire (query protocol) is tested with
// boto3 in tests/e2e/test_serve_asis.py.
#include "harness/run/run_command.hpp"
#include "harness/serve/autoscaling/backend.hpp"
#include "harness/serve/elbv2/estate_alb.hpp"

#include <catch2/catch.hpp>

using namespace migsim;
using namespace migsim::harness::serve;
using nlohmann::json;

namespace {

json estate_doc()
{
  return json::parse(R"({
    "name": "aws-api", "seed": 9, "duration_s": 3600,
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
                 "boot_mean_s": 100, "policies": [{"name": "cpu50", "metric": "ASGAverageCPUUtilization", "target": 50}]},
                {"name": "admin", "serves": ["api"], "path_patterns": ["/admin/*"], "priority": 5,
                 "min_size": 1, "max_size": 1, "desired": 1}],
      "database": {"serves": ["mysql"]}
    }
  })");
}

}  // namespace

TEST_CASE("ELBv2 and Auto Scaling handlers follow the live estate", "[serve][aws]")
{
  const auto sc = harness::parse_full_scenario(estate_doc(), "api");
  harness::Simulation sim(sc);
  ServeContext ctx{sim};
  sim.advance_to(300);

  const auto lbs = elbv2_estate::describe_load_balancers(json::object(), ctx)["LoadBalancers"];
  REQUIRE(lbs.size() == 1);
  CHECK(lbs[0]["LoadBalancerName"] == "shop-alb");
  CHECK(lbs[0]["State"]["Code"] == "active");
  CHECK(lbs[0]["AvailabilityZones"].size() == 2);
  const std::string lb_arn = lbs[0]["LoadBalancerArn"];
  CHECK(lb_arn.rfind("arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/shop-alb/", 0) == 0);
  CHECK_THROWS_AS(elbv2_estate::describe_load_balancers({{"Names", {"other"}}}, ctx), aws::AwsError);

  const auto tgs = elbv2_estate::describe_target_groups({{"LoadBalancerArn", lb_arn}}, ctx)["TargetGroups"];
  REQUIRE(tgs.size() == 2);
  CHECK(tgs[1]["TargetGroupName"] == "web");
  CHECK(tgs[1]["HealthCheckIntervalSeconds"] == 30);
  CHECK(tgs[1]["HealthyThresholdCount"] == 5);
  const std::string web_arn = tgs[1]["TargetGroupArn"];

  const auto listeners = elbv2_estate::describe_listeners({{"LoadBalancerArn", lb_arn}}, ctx)["Listeners"];
  REQUIRE(listeners.size() == 1);
  CHECK(listeners[0]["DefaultActions"][0]["TargetGroupArn"] == web_arn);
  const auto rules = elbv2_estate::describe_rules({{"ListenerArn", listeners[0]["ListenerArn"]}}, ctx)["Rules"];
  REQUIRE(rules.size() == 2);
  CHECK(rules[0]["Priority"] == "5");
  CHECK(rules[0]["Conditions"][0]["Values"][0] == "/admin/*");
  CHECK(rules[1]["IsDefault"] == true);

  auto health = elbv2_estate::describe_target_health({{"TargetGroupArn", web_arn}}, ctx)["TargetHealthDescriptions"];
  REQUIRE(health.size() == 2);
  CHECK(health[0]["TargetHealth"]["State"] == "healthy");

  // Scale the web group to 3 by hand: a launch activity, an instance that boots in 100 s, then a
  // target that is `initial` until its 5th passing health check 120 s after registration.
  autoscaling::set_desired_capacity({{"AutoScalingGroupName", "web"}, {"DesiredCapacity", 3}}, ctx);
  auto groups = autoscaling::describe_auto_scaling_groups({{"AutoScalingGroupNames", {"web"}}}, ctx)["AutoScalingGroups"];
  REQUIRE(groups.size() == 1);
  CHECK(groups[0]["DesiredCapacity"] == 3);
  REQUIRE(groups[0]["Instances"].size() == 3);
  CHECK(groups[0]["Instances"][2]["LifecycleState"] == "Pending");
  const std::string new_id = groups[0]["Instances"][2]["InstanceId"];
  sim.advance_to(401);
  health = elbv2_estate::describe_target_health({{"TargetGroupArn", web_arn}, {"Targets", {{{"Id", new_id}}}}}, ctx)
               ["TargetHealthDescriptions"];
  CHECK(health[0]["TargetHealth"]["State"] == "initial");
  CHECK(health[0]["TargetHealth"]["Reason"] == "Elb.InitialHealthChecking");
  sim.advance_to(521);
  health = elbv2_estate::describe_target_health({{"TargetGroupArn", web_arn}, {"Targets", {{{"Id", new_id}}}}}, ctx)
               ["TargetHealthDescriptions"];
  CHECK(health[0]["TargetHealth"]["State"] == "healthy");

  auto acts = autoscaling::describe_scaling_activities({{"AutoScalingGroupName", "web"}}, ctx)["Activities"];
  REQUIRE(acts.size() == 1);
  CHECK(acts[0]["Description"] == "Launching a new EC2 instance: " + new_id);
  CHECK(acts[0]["StatusCode"] == "Successful");
  CHECK(acts[0]["StartTime"].get<double>() == epoch_at_zero_s() + 300);
  CHECK(acts[0]["EndTime"].get<double>() == epoch_at_zero_s() + 400);
  CHECK(acts[0]["Cause"].get<std::string>().find("a user request explicitly set group desired capacity changing the "
                                                  "desired capacity from 2 to 3") != std::string::npos);

  // Out of bounds, unknown group: ValidationError as Auto Scaling answers.
  try {
    autoscaling::set_desired_capacity({{"AutoScalingGroupName", "web"}, {"DesiredCapacity", 9}}, ctx);
    FAIL("no error");
  } catch (const aws::AwsError& f) {
    CHECK(f.code == "ValidationError");
  }
  CHECK_THROWS_AS(autoscaling::describe_scaling_activities({{"AutoScalingGroupName", "nope"}}, ctx), aws::AwsError);

  // Policies: the scenario's, then one added by PutScalingPolicy.
  auto policies = autoscaling::describe_policies({{"AutoScalingGroupName", "web"}}, ctx)["ScalingPolicies"];
  REQUIRE(policies.size() == 1);
  CHECK(policies[0]["TargetTrackingConfiguration"]["TargetValue"] == 50.0);
  CHECK(policies[0]["Alarms"][0]["AlarmName"] == "TargetTracking-web-AlarmHigh-cpu50");
  json put_in = {{"AutoScalingGroupName", "web"}, {"PolicyName", "req"}, {"PolicyType", "TargetTrackingScaling"}};
  put_in["TargetTrackingConfiguration"]["PredefinedMetricSpecification"]["PredefinedMetricType"] = "ALBRequestCountPerTarget";
  put_in["TargetTrackingConfiguration"]["TargetValue"] = 500.0;
  const auto put = autoscaling::put_scaling_policy(put_in, ctx);
  CHECK(put["Alarms"].size() == 2);
  CHECK(autoscaling::describe_policies({{"AutoScalingGroupName", "web"}}, ctx)["ScalingPolicies"].size() == 2);

  // UpdateAutoScalingGroup back to 2: a termination; DeregisterTargets drains a target.
  autoscaling::update_auto_scaling_group({{"AutoScalingGroupName", "web"}, {"MinSize", 2}, {"MaxSize", 3}, {"DesiredCapacity", 2}}, ctx);
  acts = autoscaling::describe_scaling_activities({{"AutoScalingGroupName", "web"}}, ctx)["Activities"];
  REQUIRE(acts.size() == 2);
  CHECK(acts[0]["Description"].get<std::string>().rfind("Terminating EC2 instance: ", 0) == 0);  // newest first
  const std::string admin_arn = tgs[0]["TargetGroupArn"];
  const std::string admin_id = elbv2_estate::describe_target_health({{"TargetGroupArn", admin_arn}}, ctx)
                                   ["TargetHealthDescriptions"][0]["Target"]["Id"];
  elbv2_estate::deregister_targets({{"TargetGroupArn", admin_arn}, {"Targets", {{{"Id", admin_id}}}}}, ctx);
  sim.advance_to(530);
  const auto gone = elbv2_estate::describe_target_health({{"TargetGroupArn", admin_arn}, {"Targets", {{{"Id", admin_id}}}}}, ctx);
  const std::string state = gone["TargetHealthDescriptions"][0]["TargetHealth"]["State"];
  CHECK((state == "draining" || state == "unused"));
  elbv2_estate::register_targets({{"TargetGroupArn", admin_arn}, {"Targets", {{{"Id", admin_id}}}}}, ctx);
  CHECK_THROWS_AS(elbv2_estate::register_targets({{"TargetGroupArn", admin_arn}, {"Targets", {{{"Id", "i-nothere"}}}}}, ctx),
                  aws::AwsError);
}
