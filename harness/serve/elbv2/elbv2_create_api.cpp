// The created-resource operations in the serve registry, and the wrappers that let the estate's
// Describe*, RegisterTargets and DeregisterTargets (elbv2_api.cpp) answer for created resources
// too: a filter value naming a created resource is answered here, the rest by the estate's handler.
#include "harness/serve/elbv2/elbv2_create.hpp"

#include <algorithm>

namespace migsim::harness::serve::elbv2_create {

namespace {

// Splits the values of `key` into those a created resource answers (matched) and the rest.
std::vector<std::string> remaining(const json& in, const char* key, const std::function<bool(const std::string&)>& created)
{
  std::vector<std::string> rest;
  for (const auto& v : strings_of(in, key))
    if (!created(v))
      rest.push_back(v);
  return rest;
}

bool wanted(const json& in, const char* key, const std::string& v)
{
  const auto f = strings_of(in, key);
  return f.empty() || std::find(f.begin(), f.end(), v) != f.end();
}

// The estate's answer: its items under `list_key`, after the created ones. Without filters an
// estate that does not exist (no aws section) answers nothing; with filters it is asked only for
// the values no created resource matched.
json merge(const Handler& base, ServeContext& ctx, json in, const char* list_key, json created,
           std::initializer_list<std::pair<const char*, std::vector<std::string>>> rest, const char* not_found)
{
  bool filtered = false, left = false;
  for (const auto& [key, values] : rest) {
    filtered |= in.contains(key) && !in[key].empty();
    left |= !values.empty();
    if (in.contains(key)) {
      if (values.empty())
        in.erase(key);
      else
        in[key] = values;
    }
  }
  if (filtered && !left)
    return {{list_key, created}};
  try {
    json out = base(in, ctx);
    for (const auto& x : out[list_key])
      created.push_back(x);
  } catch (const AwsError& e) {
    if (filtered || e.code != not_found)
      throw;
  }
  return {{list_key, created}};
}

json describe_load_balancers(const Handler& base, const json& in, ServeContext& ctx)
{
  auto& st = ctx.state<Store>();
  json mine = json::array();
  for (const auto& lb : st.load_balancers)
    if (wanted(in, "LoadBalancerArns", lb.arn) && wanted(in, "Names", lb.name))
      mine.push_back(describe_load_balancer(lb, ctx));
  auto arns = remaining(in, "LoadBalancerArns", [&](const std::string& a) { return st.load_balancer(a) != nullptr; });
  auto names = remaining(in, "Names", [&](const std::string& n) {
    return std::any_of(st.load_balancers.begin(), st.load_balancers.end(), [&](const LoadBalancer& lb) { return lb.name == n; });
  });
  return merge(base, ctx, in, "LoadBalancers", mine, {{"LoadBalancerArns", arns}, {"Names", names}}, "LoadBalancerNotFound");
}

json describe_target_groups(const Handler& base, const json& in, ServeContext& ctx)
{
  auto& st = ctx.state<Store>();
  const std::string lb = in.value("LoadBalancerArn", "");
  const bool created_lb = !lb.empty() && st.load_balancer(lb);
  json mine = json::array();
  for (const auto& g : st.target_groups) {
    const auto lbs = st.load_balancers_of(g.arn);
    if (wanted(in, "TargetGroupArns", g.arn) && wanted(in, "Names", g.name) &&
        (lb.empty() || std::find(lbs.begin(), lbs.end(), lb) != lbs.end()))
      mine.push_back(describe_target_group(st, g));
  }
  if (created_lb)
    return {{"TargetGroups", mine}};
  if (!lb.empty())
    return base(in, ctx);
  auto arns = remaining(in, "TargetGroupArns", [&](const std::string& a) { return st.target_group(a) != nullptr; });
  auto names = remaining(in, "Names", [&](const std::string& n) {
    return std::any_of(st.target_groups.begin(), st.target_groups.end(), [&](const TargetGroup& g) { return g.name == n; });
  });
  return merge(base, ctx, in, "TargetGroups", mine, {{"TargetGroupArns", arns}, {"Names", names}}, "LoadBalancerNotFound");
}

json describe_listeners(const Handler& base, const json& in, ServeContext& ctx)
{
  auto& st = ctx.state<Store>();
  const std::string lb = in.value("LoadBalancerArn", "");
  json mine = json::array();
  for (const auto& l : st.listeners)
    if (wanted(in, "ListenerArns", l.arn) && (lb.empty() || l.lb_arn == lb))
      mine.push_back(describe_listener(l));
  if (!lb.empty() && st.load_balancer(lb))
    return {{"Listeners", mine}};
  if (!lb.empty())
    return base(in, ctx);
  auto arns = remaining(in, "ListenerArns", [&](const std::string& a) { return st.listener(a) != nullptr; });
  return merge(base, ctx, in, "Listeners", mine, {{"ListenerArns", arns}}, "LoadBalancerNotFound");
}

json describe_rules(const Handler& base, const json& in, ServeContext& ctx)
{
  auto& st = ctx.state<Store>();
  const std::string listener = in.value("ListenerArn", "");
  json mine = json::array();
  for (const auto& l : st.listeners)
    if (listener.empty() || l.arn == listener)
      for (const auto& r : describe_rules_of(st, l))
        if (wanted(in, "RuleArns", r["RuleArn"].get<std::string>()))
          mine.push_back(r);
  if (!listener.empty() && st.listener(listener)) {
    if (mine.empty())
      throw AwsError("RuleNotFound", "One or more rules not found", 400);
    return {{"Rules", mine}};
  }
  if (!listener.empty())
    return base(in, ctx);
  auto arns = remaining(in, "RuleArns", [&](const std::string& a) {
    return std::any_of(mine.begin(), mine.end(), [&](const json& r) { return r["RuleArn"] == a; });
  });
  return merge(base, ctx, in, "Rules", mine, {{"RuleArns", arns}}, "LoadBalancerNotFound");
}

// RegisterTargets, DeregisterTargets, DescribeTargetHealth: a created group answers here.
Handler on_group(json (*fn)(TargetGroup&, const json&, ServeContext&), Handler base)
{
  return [fn, base](const json& in, ServeContext& ctx) {
    auto& st = ctx.state<Store>();
    if (in.contains("TargetGroupArn"))
      if (TargetGroup* g = st.target_group(in["TargetGroupArn"].get<std::string>()))
        return fn(*g, in, ctx);
    return base(in, ctx);
  };
}

}  // namespace

Handler with_created(const std::string& operation, Handler base)
{
  using Fn = json (*)(const Handler&, const json&, ServeContext&);
  static const std::map<std::string, Fn> kDescribe = {{"DescribeLoadBalancers", describe_load_balancers},
                                                      {"DescribeTargetGroups", describe_target_groups},
                                                      {"DescribeListeners", describe_listeners},
                                                      {"DescribeRules", describe_rules}};
  if (auto it = kDescribe.find(operation); it != kDescribe.end())
    return [fn = it->second, base](const json& in, ServeContext& ctx) { return fn(base, in, ctx); };
  if (operation == "RegisterTargets")
    return on_group(register_targets, base);
  if (operation == "DeregisterTargets")
    return on_group(deregister_targets, base);
  if (operation == "DescribeTargetHealth")
    return on_group(describe_target_health, base);
  return base;
}

void register_operations(Registry& r)
{
  r.add("elbv2", "CreateLoadBalancer", {"Name", "Subnets", "SubnetMappings", "SecurityGroups", "Scheme", "Type", "IpAddressType"},
        create_load_balancer);
  r.add("elbv2", "DeleteLoadBalancer", {"LoadBalancerArn"}, delete_load_balancer);
  r.add("elbv2", "CreateTargetGroup",
        {"Name", "Protocol", "ProtocolVersion", "Port", "VpcId", "HealthCheckProtocol", "HealthCheckPort", "HealthCheckEnabled",
         "HealthCheckPath", "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount",
         "UnhealthyThresholdCount", "Matcher", "TargetType"},
        create_target_group);
  r.add("elbv2", "DeleteTargetGroup", {"TargetGroupArn"}, delete_target_group);
  r.add("elbv2", "ModifyTargetGroup",
        {"TargetGroupArn", "HealthCheckProtocol", "HealthCheckPort", "HealthCheckPath", "HealthCheckEnabled",
         "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount", "UnhealthyThresholdCount", "Matcher"},
        modify_target_group);
  r.add("elbv2", "CreateListener", {"LoadBalancerArn", "Protocol", "Port", "SslPolicy", "Certificates", "DefaultActions"}, create_listener);
  r.add("elbv2", "DeleteListener", {"ListenerArn"}, delete_listener);
  r.add("elbv2", "CreateRule", {"ListenerArn", "Conditions", "Priority", "Actions"}, create_rule);
  r.add("elbv2", "DeleteRule", {"RuleArn"}, delete_rule);
}

}  // namespace migsim::harness::serve::elbv2_create
