// ELBv2's reads and target operations over every load balancer the endpoint knows: those created
// through the API (backend.hpp), the estate's simulated ALB (estate_alb.hpp) and, without an aws
// estate, the migration's site target groups (migration_sites.hpp). A filter value naming a created
// resource is answered from the created ones, the rest by the estate's (or the sites').
#include "harness/serve/elbv2/backend.hpp"
#include "harness/serve/elbv2/estate_alb.hpp"
#include "harness/serve/elbv2/migration_sites.hpp"

#include <algorithm>

namespace migsim::harness::serve::elbv2 {

namespace {

// Splits the values of `key` into those a created resource answers (matched) and the rest.
std::vector<std::string> remaining(const json& in, const char* key, const std::function<bool(const std::string&)>& created)
{
  std::vector<std::string> rest;
  for (const auto& v : strings(in, key))
    if (!created(v))
      rest.push_back(v);
  return rest;
}

bool wanted(const json& in, const char* key, const std::string& v)
{
  const auto f = strings(in, key);
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

json load_balancers_with(const Handler& base, const json& in, ServeContext& ctx)
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

json target_groups_with(const Handler& base, const json& in, ServeContext& ctx)
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

json listeners_with(const Handler& base, const json& in, ServeContext& ctx)
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

json rules_with(const Handler& base, const json& in, ServeContext& ctx)
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

// Without an aws estate, the target groups are the migration's sites: the cutover runbook waits on
// them; with one, the simulated ALB's groups.
json estate_or_sites(json (*on_estate)(const json&, ServeContext&), json (*on_sites)(const json&, ServeContext&),
                     const json& in, ServeContext& ctx)
{
  return scenario_aws(ctx) ? on_estate(in, ctx) : on_sites(in, ctx);
}

// The created target group the request names (nullptr when it names none or another one).
TargetGroup* created_group(const json& in, ServeContext& ctx)
{
  return in.contains("TargetGroupArn") ? ctx.state<Store>().target_group(in["TargetGroupArn"].get<std::string>()) : nullptr;
}

}  // namespace

json describe_load_balancers(const json& in, ServeContext& ctx)
{
  const Handler estate = [](const json& i, ServeContext& c) {
    return estate_or_sites(elbv2_estate::describe_load_balancers, elbv2_sites::describe_load_balancers, i, c);
  };
  return load_balancers_with(estate, in, ctx);
}

json describe_target_groups(const json& in, ServeContext& ctx)
{
  const Handler estate = [](const json& i, ServeContext& c) {
    return estate_or_sites(elbv2_estate::describe_target_groups, elbv2_sites::describe_target_groups, i, c);
  };
  return target_groups_with(estate, in, ctx);
}

json describe_listeners(const json& in, ServeContext& ctx)
{
  const Handler estate = [](const json& i, ServeContext& c) {
    return estate_or_sites(elbv2_estate::describe_listeners, elbv2_sites::describe_listeners, i, c);
  };
  return listeners_with(estate, in, ctx);
}

json describe_rules(const json& in, ServeContext& ctx)
{
  const Handler estate = [](const json& i, ServeContext& c) {
    return estate_or_sites(elbv2_estate::describe_rules, elbv2_sites::describe_rules, i, c);
  };
  return rules_with(estate, in, ctx);
}

json describe_target_health(const json& in, ServeContext& ctx)
{
  if (TargetGroup* g = created_group(in, ctx))
    return describe_target_health(*g, in, ctx);
  return estate_or_sites(elbv2_estate::describe_target_health, elbv2_sites::describe_target_health, in, ctx);
}

json register_targets(const json& in, ServeContext& ctx)
{
  if (TargetGroup* g = created_group(in, ctx))
    return register_targets(*g, in, ctx);
  return elbv2_estate::register_targets(in, ctx);
}

json deregister_targets(const json& in, ServeContext& ctx)
{
  if (TargetGroup* g = created_group(in, ctx))
    return deregister_targets(*g, in, ctx);
  return elbv2_estate::deregister_targets(in, ctx);
}

}  // namespace migsim::harness::serve::elbv2
