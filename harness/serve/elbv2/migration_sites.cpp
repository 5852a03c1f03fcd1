#include "harness/serve/elbv2/migration_sites.hpp"
#include "harness/serve/core/resource.hpp"

#include "harness/run/run_command.hpp"
#include "models/cutover/migration.hpp"
#include "models/mgn/source_server.hpp"
#include "models/onprem/onprem_estate.hpp"

#include <cstdio>

namespace migsim::harness::serve::elbv2_sites {

using nlohmann::json;

namespace {

std::string group_name(ServeContext& ctx)
{
  models::Migration* m = scenario_migration(ctx);
  if (!m)
    return "";
  const auto& sites = ctx.simulation.estate().flow().site_names();
  return "migsim-" + sites.at(static_cast<size_t>(m->target_site()));
}

// Seconds since the Unix epoch of an ISO 8601 date (-1 when malformed).
double epoch_of(const std::string& s) { return aws::text::parse_timestamp(s).value_or(-1); }

bool in_cutover(models::mgn::LifeCycleState s)
{
  using S = models::mgn::LifeCycleState;
  return s == S::CUTTING_OVER || s == S::CUTOVER || s == S::DISCONNECTED;
}

}  // namespace

std::string target_group_arn(ServeContext& ctx)
{
  const std::string name = group_name(ctx);
  return name.empty() ? "" : arn_in(scenario_region(ctx), "elasticloadbalancing", "targetgroup/" + name + "/0000000000000001");
}

std::string load_balancer_arn(ServeContext& ctx)
{
  const std::string name = group_name(ctx);
  return name.empty() ? "" : arn_in(scenario_region(ctx), "elasticloadbalancing", "loadbalancer/app/" + name + "/0000000000000001");
}

json describe_load_balancers(const json& input, ServeContext& ctx)
{
  const std::string arn = load_balancer_arn(ctx);
  json out = json::array();
  bool wanted = !arn.empty();
  if (wanted && input.contains("Names") && !input.at("Names").empty()) {
    wanted = false;
    for (const auto& n : input.at("Names"))
      wanted |= n == group_name(ctx);
  }
  if (wanted && input.contains("LoadBalancerArns") && !input.at("LoadBalancerArns").empty()) {
    wanted = false;
    for (const auto& a : input.at("LoadBalancerArns"))
      wanted |= a == arn;
  }
  if (wanted) {
    const std::string region = scenario_region(ctx), name = group_name(ctx);
    json azs = json::array();
    for (const char* zone : {"a", "b"})
      azs.push_back({{"ZoneName", region + zone}, {"SubnetId", "subnet-" + name + "-" + zone}});
    out.push_back({{"LoadBalancerArn", arn},
                   {"DNSName", name + "-1." + region + ".elb.amazonaws.com"},
                   {"CanonicalHostedZoneId", "Z35SXDOTRQ7X7K"},
                   {"CreatedTime", epoch_s(0)},
                   {"LoadBalancerName", name},
                   {"Scheme", "internet-facing"},
                   {"State", {{"Code", "active"}}},
                   {"Type", "application"},
                   {"AvailabilityZones", azs},
                   {"IpAddressType", "ipv4"}});
  }
  if (out.empty() && ((input.contains("Names") && !input.at("Names").empty()) ||
                      (input.contains("LoadBalancerArns") && !input.at("LoadBalancerArns").empty())))
    throw errors::error("LoadBalancerNotFound", "One or more load balancers not found");
  return {{"LoadBalancers", out}};
}

namespace {

std::string listener_arn(ServeContext& ctx)
{
  const std::string name = group_name(ctx);
  return arn_in(scenario_region(ctx), "elasticloadbalancing", "listener/app/" + name + "/0000000000000001/0000000000000001");
}

json forward(ServeContext& ctx) { return json::array({{{"Type", "forward"}, {"TargetGroupArn", target_group_arn(ctx)}}}); }

bool names_other(const json& input, const char* key, const std::string& arn)
{
  if (!input.contains(key))
    return false;
  if (input.at(key).is_string())
    return input.at(key) != arn;
  for (const auto& a : input.at(key))
    if (a != arn)
      return true;
  return false;
}

}  // namespace

json describe_listeners(const json& input, ServeContext& ctx)
{
  const std::string lb = load_balancer_arn(ctx);
  if (lb.empty() || names_other(input, "LoadBalancerArn", lb))
    throw errors::error("LoadBalancerNotFound", "One or more load balancers not found");
  if (names_other(input, "ListenerArns", listener_arn(ctx)))
    throw errors::error("ListenerNotFound", "One or more listeners not found");
  return {{"Listeners", json::array({{{"ListenerArn", listener_arn(ctx)},
                                      {"LoadBalancerArn", lb},
                                      {"Port", 80},
                                      {"Protocol", "HTTP"},
                                      {"DefaultActions", forward(ctx)}}})}};
}

json describe_rules(const json& input, ServeContext& ctx)
{
  if (load_balancer_arn(ctx).empty() || names_other(input, "ListenerArn", listener_arn(ctx)))
    throw errors::error("ListenerNotFound", "One or more listeners not found");
  const std::string rule = arn_in(scenario_region(ctx), "elasticloadbalancing",
                                  "listener-rule/app/" + group_name(ctx) + "/0000000000000001/0000000000000001/0000000000000001");
  if (names_other(input, "RuleArns", rule))
    throw errors::error("RuleNotFound", "One or more rules not found");
  return {{"Rules", json::array({{{"RuleArn", rule},
                                  {"Priority", "default"},
                                  {"Conditions", json::array()},
                                  {"Actions", forward(ctx)},
                                  {"IsDefault", true}}})}};
}

json describe_target_health(const json& input, ServeContext& ctx)
{
  if (!input.contains("TargetGroupArn") || !input.at("TargetGroupArn").is_string())
    throw errors::error("ValidationError", "TargetGroupArn is required");
  const std::string arn = input.at("TargetGroupArn").get<std::string>();
  if (arn != target_group_arn(ctx))
    throw errors::error("TargetGroupNotFound", "Target groups '" + arn + "' not found" +
                                                (target_group_arn(ctx).empty() ? std::string(" (the scenario has no migration)")
                                                                               : " (the mock has " + target_group_arn(ctx) + ")"));
  models::Migration* m = scenario_migration(ctx);
  const double now_epoch = epoch_s(ctx.simulation.now());
  json out = json::array();
  for (const auto& s : m->mgn_servers()) {
    const auto d = s->describe();
    if (!d.launched_instance || !in_cutover(s->lifecycle_state()))
      continue;
    json health;
    const auto& li = *d.launched_instance;
    double done_epoch = -1;
    bool failed = li.first_boot == "STOPPED";
    for (const auto& j : s->describe_jobs()) {
      if (j.job_id != li.job_id)
        continue;
      if (j.end_date_time && j.status == "COMPLETED")
        done_epoch = epoch_of(*j.end_date_time);
      for (const auto& p : j.participating_servers)
        if (p.source_server_id == d.source_server_id && p.launch_status == "FAILED")
          failed = true;
    }
    const double healthy_at = done_epoch + kHealthyThresholdCount * kHealthCheckIntervalS;
    if (failed)
      health = {{"State", "unhealthy"}, {"Reason", "Target.FailedHealthChecks"}, {"Description", "Health checks failed"}};
    else if (done_epoch >= 0 && li.first_boot == "SUCCEEDED" && now_epoch >= healthy_at)
      health = {{"State", "healthy"}};
    else
      health = {{"State", "initial"}, {"Reason", "Elb.RegistrationInProgress"},
                {"Description", "Target registration is in progress"}};
    out.push_back({{"Target", {{"Id", li.ec2_instance_id}, {"Port", 80}}}, {"HealthCheckPort", "80"}, {"TargetHealth", health}});
  }
  return {{"TargetHealthDescriptions", out}};
}

json describe_target_groups(const json& input, ServeContext& ctx)
{
  const std::string arn = target_group_arn(ctx);
  json groups = json::array();
  if (!arn.empty()) {
    bool wanted = true;
    if (input.contains("Names")) {
      wanted = false;
      for (const auto& n : input.at("Names"))
        wanted |= n == group_name(ctx);
    }
    if (input.contains("TargetGroupArns")) {
      wanted = false;
      for (const auto& a : input.at("TargetGroupArns"))
        wanted |= a == arn;
    }
    if (wanted)
      groups.push_back({{"TargetGroupArn", arn}, {"TargetGroupName", group_name(ctx)}, {"Protocol", "HTTP"},
                        {"LoadBalancerArns", {load_balancer_arn(ctx)}},
                        {"Port", 80}, {"TargetType", "instance"}, {"HealthCheckIntervalSeconds", kHealthCheckIntervalS},
                        {"HealthyThresholdCount", kHealthyThresholdCount}, {"HealthCheckPath", "/"}});
  }
  if (groups.empty() && (input.contains("Names") || input.contains("TargetGroupArns")))
    throw errors::error("TargetGroupNotFound", "One or more target groups not found");
  return {{"TargetGroups", groups}};
}

}  // namespace migsim::harness::serve::elbv2_sites
