#include "harness/serve/elbv2/estate_alb.hpp"
#include "harness/serve/core/resource.hpp"

#include "models/aws/aws_estate.hpp"

#include <cstdio>
#include <functional>

namespace migsim::harness::serve::elbv2_estate {

using nlohmann::json;

namespace {

constexpr const char* kVpc = "vpc-0a5150000000000";

std::string hex_id(const std::string& s) { return stable_id(s); }

std::string prefix(ServeContext& ctx)
{
  return arn_in(scenario_region(ctx), "elasticloadbalancing", "");
}

models::aws::AwsEstate& estate(ServeContext& ctx)
{
  auto* a = scenario_aws(ctx);
  if (!a)
    throw errors::error("LoadBalancerNotFound", "One or more load balancers not found (the scenario has no aws section)");
  return *a;
}

bool wanted(const std::vector<std::string>& filter, const std::string& v)
{
  return filter.empty() || std::find(filter.begin(), filter.end(), v) != filter.end();
}

// The target group named by an ARN (TargetGroupNotFound otherwise).
models::alb::TargetGroup& group_of(models::aws::AwsEstate& e, ServeContext& ctx, const std::string& arn)
{
  for (const auto& [name, g] : e.load_balancer().target_groups())
    if (prefix(ctx) + target_group_arn(name) == arn)
      return *g;
  throw errors::error("TargetGroupNotFound", "One or more target groups not found");
}

}  // namespace

std::string load_balancer_arn(const std::string& name) { return "loadbalancer/app/" + name + "/" + hex_id("lb" + name); }
std::string target_group_arn(const std::string& name) { return "targetgroup/" + name + "/" + hex_id("tg" + name); }
std::string listener_arn(const std::string& lb) { return "listener/app/" + lb + "/" + hex_id("lb" + lb) + "/" + hex_id("l" + lb); }
std::string rule_arn(const std::string& lb, const std::string& rule)
{
  return "listener-rule/app/" + lb + "/" + hex_id("lb" + lb) + "/" + hex_id("l" + lb) + "/" + hex_id("r" + rule);
}

json describe_load_balancers(const json& in, ServeContext& ctx)
{
  auto& e = estate(ctx);
  const auto& lb = e.load_balancer();
  const std::string arn = prefix(ctx) + load_balancer_arn(lb.name());
  const auto arns = strings(in, "LoadBalancerArns"), names = strings(in, "Names");
  if (!wanted(arns, arn) || !wanted(names, lb.name()))
    throw errors::error("LoadBalancerNotFound", "One or more load balancers not found");
  json azs = json::array();
  for (const auto& az : lb.azs())
    azs.push_back({{"ZoneName", az}, {"SubnetId", "subnet-" + hex_id(az).substr(0, 8)}});
  return {{"LoadBalancers",
           {{{"LoadBalancerArn", arn},
             {"DNSName", lb.name() + "-" + hex_id(lb.name()).substr(0, 10) + "." + e.spec().region + ".elb.amazonaws.com"},
             {"CanonicalHostedZoneId", "Z35SXDOTRQ7X7K"},
             {"CreatedTime", epoch_s(0)},
             {"LoadBalancerName", lb.name()},
             {"Scheme", "internet-facing"},
             {"VpcId", kVpc},
             {"State", {{"Code", "active"}}},
             {"Type", "application"},
             {"AvailabilityZones", azs},
             {"SecurityGroups", {"sg-" + hex_id("alb").substr(0, 8)}},
             {"IpAddressType", "ipv4"}}}}};
}

json describe_target_groups(const json& in, ServeContext& ctx)
{
  auto& e = estate(ctx);
  const auto& lb = e.load_balancer();
  const std::string lb_arn = prefix(ctx) + load_balancer_arn(lb.name());
  if (in.contains("LoadBalancerArn") && in["LoadBalancerArn"] != lb_arn)
    throw errors::error("LoadBalancerNotFound", "One or more load balancers not found");
  const auto arns = strings(in, "TargetGroupArns"), names = strings(in, "Names");
  json out = json::array();
  for (const auto& [name, g] : lb.target_groups()) {
    const std::string arn = prefix(ctx) + target_group_arn(name);
    if (!wanted(arns, arn) || !wanted(names, name))
      continue;
    const auto& s = g->spec();
    out.push_back({{"TargetGroupArn", arn},
                   {"TargetGroupName", name},
                   {"Protocol", "HTTP"},
                   {"Port", s.port},
                   {"VpcId", kVpc},
                   {"HealthCheckProtocol", "HTTP"},
                   {"HealthCheckPort", "traffic-port"},
                   {"HealthCheckEnabled", true},
                   {"HealthCheckIntervalSeconds", static_cast<int>(s.health.interval_s)},
                   {"HealthCheckTimeoutSeconds", static_cast<int>(s.health.timeout_s)},
                   {"HealthyThresholdCount", s.health.healthy_threshold},
                   {"UnhealthyThresholdCount", s.health.unhealthy_threshold},
                   {"HealthCheckPath", s.health.path},
                   {"Matcher", {{"HttpCode", s.health.matcher}}},
                   {"LoadBalancerArns", {lb_arn}},
                   {"TargetType", "instance"},
                   {"ProtocolVersion", "HTTP1"},
                   {"IpAddressType", "ipv4"}});
  }
  if (out.empty() && (!arns.empty() || !names.empty()))
    throw errors::error("TargetGroupNotFound", "One or more target groups not found");
  return {{"TargetGroups", out}};
}

json describe_listeners(const json& in, ServeContext& ctx)
{
  auto& e = estate(ctx);
  const auto& lb = e.load_balancer();
  const std::string lb_arn = prefix(ctx) + load_balancer_arn(lb.name());
  const std::string arn = prefix(ctx) + listener_arn(lb.name());
  if (in.contains("LoadBalancerArn") && in["LoadBalancerArn"] != lb_arn)
    throw errors::error("LoadBalancerNotFound", "One or more load balancers not found");
  if (!wanted(strings(in, "ListenerArns"), arn))
    throw errors::error("ListenerNotFound", "One or more listeners not found");
  const auto& l = lb.listener();
  return {{"Listeners",
           {{{"ListenerArn", arn},
             {"LoadBalancerArn", lb_arn},
             {"Port", l.port},
             {"Protocol", l.protocol},
             {"DefaultActions",
              {{{"Type", "forward"}, {"TargetGroupArn", prefix(ctx) + target_group_arn(l.default_target_group)}}}}}}}};
}

json describe_rules(const json& in, ServeContext& ctx)
{
  auto& e = estate(ctx);
  const auto& lb = e.load_balancer();
  if (in.contains("ListenerArn") && in["ListenerArn"] != prefix(ctx) + listener_arn(lb.name()))
    throw errors::error("ListenerNotFound", "One or more listeners not found");
  const auto arns = strings(in, "RuleArns");
  json rules = json::array();
  auto forward = [&](const std::string& tg) {
    return json::array({{{"Type", "forward"}, {"TargetGroupArn", prefix(ctx) + target_group_arn(tg)}, {"Order", 1}}});
  };
  for (const auto& r : lb.listener().rules) {
    const std::string arn = prefix(ctx) + rule_arn(lb.name(), std::to_string(r.priority));
    if (!wanted(arns, arn))
      continue;
    rules.push_back({{"RuleArn", arn},
                     {"Priority", std::to_string(r.priority)},
                     {"Conditions",
                      {{{"Field", "path-pattern"},
                        {"Values", r.path_patterns},
                        {"PathPatternConfig", {{"Values", r.path_patterns}}}}}},
                     {"Actions", forward(r.target_group)},
                     {"IsDefault", false}});
  }
  const std::string def = prefix(ctx) + rule_arn(lb.name(), "default");
  if (wanted(arns, def))
    rules.push_back({{"RuleArn", def},
                     {"Priority", "default"},
                     {"Conditions", json::array()},
                     {"Actions", forward(lb.listener().default_target_group)},
                     {"IsDefault", true}});
  if (rules.empty())
    throw errors::error("RuleNotFound", "One or more rules not found");
  return {{"Rules", rules}};
}

json describe_target_health(const json& in, ServeContext& ctx)
{
  auto& e = estate(ctx);
  if (!in.contains("TargetGroupArn"))
    throw errors::error("ValidationError", "TargetGroupArn is required");
  auto& g = group_of(e, ctx, in["TargetGroupArn"].get<std::string>());
  std::vector<std::string> ids;
  if (in.contains("Targets"))
    for (const auto& t : in["Targets"])
      ids.push_back(t.at("Id").get<std::string>());
  static const std::map<std::string, std::string> kDescription = {
      {"Elb.InitialHealthChecking", "Initial health checks in progress"},
      {"Target.FailedHealthChecks", "Health checks failed"},
      {"Target.Timeout", "Request timed out"},
      {"Target.DeregistrationInProgress", "Target deregistration is in progress"},
      {"Target.NotRegistered", "Target is not registered to the target group"}};
  json out = json::array();
  auto describe = [&](const std::string& id, const models::alb::Target* t) {
    json health = {{"State", t ? models::alb::to_string(t->state) : "unused"}};
    const std::string reason = t ? t->reason : "Target.NotRegistered";
    if (!reason.empty()) {
      health["Reason"] = reason;
      health["Description"] = kDescription.count(reason) ? kDescription.at(reason) : reason;
    }
    out.push_back({{"Target", {{"Id", id}, {"Port", g.spec().port}}},
                   {"HealthCheckPort", std::to_string(g.spec().port)},
                   {"TargetHealth", health}});
  };
  if (ids.empty())
    for (const auto& t : g.targets())
      describe(t.id, &t);
  else
    for (const auto& id : ids)
      describe(id, g.find(id));
  return {{"TargetHealthDescriptions", out}};
}

json register_targets(const json& in, ServeContext& ctx)
{
  auto& e = estate(ctx);
  auto& g = group_of(e, ctx, in.at("TargetGroupArn").get<std::string>());
  for (const auto& t : in.at("Targets")) {
    const std::string id = t.at("Id").get<std::string>();
    const models::asg::Instance* inst = nullptr;
    for (auto* group : e.groups())
      if (const auto* i = group->instance(id); i && i->state == models::asg::LifecycleState::InService)
        inst = i;
    if (!inst)
      throw errors::error("InvalidTarget", "The following targets are not in a running state and cannot be registered: '" + id + "'");
    if (!g.find(id))
      g.register_target(id, inst->az, inst->slot);
  }
  return json::object();
}

json deregister_targets(const json& in, ServeContext& ctx)
{
  auto& e = estate(ctx);
  auto& g = group_of(e, ctx, in.at("TargetGroupArn").get<std::string>());
  for (const auto& t : in.at("Targets")) {
    const std::string id = t.at("Id").get<std::string>();
    if (!g.find(id))
      throw errors::error("InvalidTarget", "The following targets are not registered in target group: '" + id + "'");
    g.deregister_target(id);
  }
  return json::object();
}

}  // namespace migsim::harness::serve::elbv2_estate
