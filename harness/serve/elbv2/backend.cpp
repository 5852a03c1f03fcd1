// Created load balancers, listeners and rules (see backend.hpp); target groups and targets are
// in target_groups.cpp.
#include "harness/serve/core/provisioning.hpp"
#include "harness/serve/elbv2/backend.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/ec2/network.hpp"

#include "harness/serve/elbv2/estate_alb.hpp"
#include "harness/serve/elbv2/migration_sites.hpp"
#include "models/aws/aws_estate.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

namespace migsim::harness::serve::elbv2 {

namespace {

// The VPC's Availability Zones: the estate's, else the region's a, b and c.
std::vector<std::string> zones(ServeContext& ctx)
{
  if (auto* a = scenario_aws(ctx))
    return a->load_balancer().azs();
  const std::string r = region(ctx);
  return {r + "a", r + "b", r + "c"};
}

// The Route 53 hosted zone of ALBs in a region (the alias target's zone); us-east-1's otherwise.
std::string canonical_zone(const std::string& region)
{
  static const std::map<std::string, std::string> kZones = {
      {"us-east-1", "Z35SXDOTRQ7X7K"}, {"us-east-2", "Z3AADJGX6KTTL2"}, {"us-west-1", "Z368ELLRRE2KJ0"},
      {"us-west-2", "Z1H1FL5HABSF5"},  {"eu-west-1", "Z32O12XQLNTSW2"}, {"eu-central-1", "Z215JYRZR1TBD5"}};
  auto it = kZones.find(region);
  return it == kZones.end() ? kZones.at("us-east-1") : it->second;
}

AwsError fault(const std::string& code, const std::string& message) { return AwsError(code, message, 400); }

// The subnets of CreateLoadBalancer with their zones: an estate subnet is in its zone; any other
// subnet id is placed in the VPC's zones in the order given.
std::vector<std::pair<std::string, std::string>> place_subnets(const json& in, ServeContext& ctx)
{
  std::vector<std::string> ids = strings(in, "Subnets");
  if (in.contains("SubnetMappings"))
    for (const auto& m : in["SubnetMappings"])
      if (m.contains("SubnetId"))
        ids.push_back(m["SubnetId"].get<std::string>());
  const auto azs = zones(ctx);
  std::vector<std::pair<std::string, std::string>> out;
  size_t next = 0;
  auto& net = ctx.state<ec2net::Ec2Network>();
  for (const auto& id : ids) {
    std::string zone;
    if (auto it = net.subnets.find(id); it != net.subnets.end()) {  // a subnet created through EC2
      if (std::none_of(out.begin(), out.end(), [&](const auto& p) { return p.first == id; }))
        out.emplace_back(id, it->second["AvailabilityZone"].get<std::string>());
      continue;
    }
    if (!net.subnets.empty() && net.vpcs.size() > 0 && !net.subnets.count(id) && id.rfind("subnet-", 0) == 0 &&
        std::none_of(azs.begin(), azs.end(), [&](const std::string& az) { return id == "subnet-" + hex16(az).substr(0, 8); }))
      throw fault("SubnetNotFound", "The subnet ID '" + id + "' is not valid");
    for (const auto& az : azs)
      if (id == "subnet-" + hex16(az).substr(0, 8))
        zone = az;
    if (zone.empty())
      zone = azs[next++ % azs.size()];
    if (std::none_of(out.begin(), out.end(), [&](const auto& p) { return p.first == id; }))
      out.emplace_back(id, zone);
  }
  std::set<std::string> distinct;
  for (const auto& p : out)
    distinct.insert(p.second);
  if (distinct.size() < 2)
    throw fault("ValidationError", "At least two subnets in two different Availability Zones must be specified");
  if (distinct.size() != out.size())
    throw fault("ValidationError", "You cannot specify multiple subnets from the same Availability Zone");
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  return out;
}

}  // namespace

double& provisioning_s_option()
{
  static double value = elbv2_health::kDefaultProvisioning_s;
  return value;
}

std::string hex16(const std::string& s) { return stable_id(s); }

std::string arn_prefix(ServeContext& ctx) { return arn(ctx, "elasticloadbalancing", ""); }

bool is_estate_load_balancer(ServeContext& ctx, const std::string& arn)
{
  auto* a = scenario_aws(ctx);
  return a && arn == arn_prefix(ctx) + elbv2_estate::load_balancer_arn(a->load_balancer().name());
}

bool is_estate_listener(ServeContext& ctx, const std::string& arn)
{
  auto* a = scenario_aws(ctx);
  return a && arn == arn_prefix(ctx) + elbv2_estate::listener_arn(a->load_balancer().name());
}

bool estate_has_target_group_named(ServeContext& ctx, const std::string& name)
{
  if (auto* a = scenario_aws(ctx))
    return a->load_balancer().target_groups().count(name) > 0;
  const std::string sites = elbv2_sites::target_group_arn(ctx);
  return !sites.empty() && sites.find("targetgroup/" + name + "/") != std::string::npos;
}

bool is_estate_target_group(ServeContext& ctx, const std::string& arn)
{
  if (auto* a = scenario_aws(ctx)) {
    for (const auto& [name, g] : a->load_balancer().target_groups())
      if (arn == arn_prefix(ctx) + elbv2_estate::target_group_arn(name))
        return true;
    return false;
  }
  return !arn.empty() && arn == elbv2_sites::target_group_arn(ctx);
}

// --- Store ---------------------------------------------------------------------------------------

template <class T>
T* find_arn(std::vector<T>& v, const std::string& arn)
{
  for (auto& x : v)
    if (x.arn == arn)
      return &x;
  return nullptr;
}

LoadBalancer* Store::load_balancer(const std::string& arn) { return find_arn(load_balancers, arn); }
TargetGroup* Store::target_group(const std::string& arn) { return find_arn(target_groups, arn); }
Listener* Store::listener(const std::string& arn) { return find_arn(listeners, arn); }
Rule* Store::rule(const std::string& arn) { return find_arn(rules, arn); }

std::vector<std::string> Store::forwarded_groups(const json& actions)
{
  std::vector<std::string> out;
  for (const auto& a : actions) {
    if (a.value("Type", "") != "forward")
      continue;
    if (a.contains("TargetGroupArn"))
      out.push_back(a["TargetGroupArn"].get<std::string>());
    if (a.contains("ForwardConfig") && a["ForwardConfig"].contains("TargetGroups"))
      for (const auto& t : a["ForwardConfig"]["TargetGroups"])
        if (t.contains("TargetGroupArn") && std::find(out.begin(), out.end(), t["TargetGroupArn"]) == out.end())
          out.push_back(t["TargetGroupArn"].get<std::string>());
  }
  return out;
}

double Store::in_use_from_s(const std::string& tg_arn) const
{
  double from = elbv2_health::kNever;
  auto consider = [&](const json& actions, const std::string& listener_arn, double created_s) {
    const auto groups = forwarded_groups(actions);
    if (std::find(groups.begin(), groups.end(), tg_arn) == groups.end())
      return;
    for (const auto& l : listeners)
      if (l.arn == listener_arn)
        for (const auto& lb : load_balancers)
          if (lb.arn == l.lb_arn)
            from = std::min(from, std::max(created_s, lb.active_s));
  };
  for (const auto& l : listeners)
    consider(l.default_actions, l.arn, l.created_s);
  for (const auto& r : rules)
    consider(r.actions, r.listener_arn, r.created_s);
  return from;
}

std::vector<std::string> Store::load_balancers_of(const std::string& tg_arn) const
{
  std::vector<std::string> out;
  auto add = [&](const json& actions, const std::string& listener_arn) {
    const auto groups = forwarded_groups(actions);
    if (std::find(groups.begin(), groups.end(), tg_arn) == groups.end())
      return;
    for (const auto& l : listeners)
      if (l.arn == listener_arn && std::find(out.begin(), out.end(), l.lb_arn) == out.end())
        out.push_back(l.lb_arn);
  };
  for (const auto& l : listeners)
    add(l.default_actions, l.arn);
  for (const auto& r : rules)
    add(r.actions, r.listener_arn);
  return out;
}

// --- Load balancers ------------------------------------------------------------------------------

json describe_load_balancer(const LoadBalancer& lb, ServeContext& ctx)
{
  json azs = json::array();
  for (const auto& [subnet, zone] : lb.subnets)
    azs.push_back({{"ZoneName", zone}, {"SubnetId", subnet}});
  return {{"LoadBalancerArn", lb.arn},
          {"DNSName", lb.dns_name},
          {"CanonicalHostedZoneId", canonical_zone(region(ctx))},
          {"CreatedTime", epoch_s(lb.created_s)},
          {"LoadBalancerName", lb.name},
          {"Scheme", lb.scheme},
          {"VpcId", lb.vpc_id},
          {"State", {{"Code", elbv2_health::load_balancer_state(lb.created_s, lb.active_s - lb.created_s, ctx.simulation.now())}}},
          {"Type", "application"},
          {"AvailabilityZones", azs},
          {"SecurityGroups", lb.security_groups},
          {"IpAddressType", lb.ip_address_type}};
}

json create_load_balancer(const json& in, ServeContext& ctx)
{
  auto& st = ctx.state<Store>();
  const std::string name = in.at("Name").get<std::string>();
  if (name.empty() || name.size() > 32 || name.front() == '-' || name.back() == '-' || name.rfind("internal-", 0) == 0 ||
      !std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; }))
    throw fault("ValidationError", "The load balancer name '" + name + "' is not valid: at most 32 alphanumeric characters or hyphens, not beginning or ending with a hyphen, not beginning with 'internal-'");
  const std::string type = in.value("Type", "application");
  if (type != "application")
    throw fault("ValidationError", "Load balancer type '" + type + "' is not simulated (migsim simulates Application Load Balancers)");
  LoadBalancer lb;
  lb.name = name;
  lb.scheme = in.value("Scheme", "internet-facing");
  lb.ip_address_type = in.value("IpAddressType", "ipv4");
  lb.subnets = place_subnets(in, ctx);
  if (auto& net = ctx.state<ec2net::Ec2Network>(); net.subnets.count(lb.subnets.front().first))
    lb.vpc_id = net.subnets[lb.subnets.front().first]["VpcId"].get<std::string>();
  lb.security_groups = strings(in, "SecurityGroups");
  for (const auto& sg : lb.security_groups)
    if (auto& net = ctx.state<ec2net::Ec2Network>(); lb.vpc_id != kVpcId && !net.security_groups.count(sg))
      throw fault("InvalidSecurityGroup", "Security group '" + sg + "' does not exist");
  if (lb.security_groups.empty())
    lb.security_groups.push_back("sg-" + hex16("default-sg").substr(0, 8));  // the VPC's default security group
  if (scenario_aws(ctx) && scenario_aws(ctx)->load_balancer().name() == name)
    throw fault("DuplicateLoadBalancerName", "A load balancer with the same name '" + name + "' exists, but with different settings");
  for (const auto& x : st.load_balancers)
    if (x.name == name) {
      if (x.scheme == lb.scheme && x.subnets == lb.subnets && x.ip_address_type == lb.ip_address_type)
        return {{"LoadBalancers", {describe_load_balancer(x, ctx)}}};  // idempotent: same settings
      throw fault("DuplicateLoadBalancerName", "A load balancer with the same name '" + name + "' exists, but with different settings");
    }
  const std::string id = hex16("lb/" + name + "/" + std::to_string(++st.created));
  lb.arn = arn_prefix(ctx) + "loadbalancer/app/" + name + "/" + id;
  char digits[16];
  std::snprintf(digits, sizeof digits, "%llu", static_cast<unsigned long long>(std::stoull(id.substr(0, 8), nullptr, 16) % 1000000000ULL));
  lb.dns_name = (lb.scheme == "internal" ? "internal-" : "") + name + "-" + digits + "." + region(ctx) + ".elb.amazonaws.com";
  lb.created_s = ctx.simulation.now();
  lb.active_s = lb.created_s + st.provisioning_s;
  ctx.state<ResourceTimeline>().created("elbv2", "LoadBalancer", lb.arn, lb.created_s, lb.active_s, ctx.request_id);
  st.load_balancers.push_back(lb);
  return {{"LoadBalancers", {describe_load_balancer(lb, ctx)}}};
}

json delete_load_balancer(const json& in, ServeContext& ctx)
{
  auto& st = ctx.state<Store>();
  const std::string arn = in.at("LoadBalancerArn").get<std::string>();
  if (is_estate_load_balancer(ctx, arn))
    throw fault("OperationNotPermitted", "Load balancer '" + arn + "' is the simulated estate's and cannot be deleted");
  if (arn.rfind("arn:aws:elasticloadbalancing:", 0) != 0 || arn.find(":loadbalancer/") == std::string::npos)
    throw fault("ValidationError", "'" + arn + "' is not a valid load balancer ARN");
  if (!st.load_balancer(arn))
    return json::object();  // documented: deleting a load balancer that does not exist succeeds
  std::set<std::string> gone;
  for (const auto& l : st.listeners)
    if (l.lb_arn == arn)
      gone.insert(l.arn);
  std::erase_if(st.rules, [&](const Rule& r) { return gone.count(r.listener_arn) > 0; });
  std::erase_if(st.listeners, [&](const Listener& l) { return l.lb_arn == arn; });
  std::erase_if(st.load_balancers, [&](const LoadBalancer& lb) { return lb.arn == arn; });
  return json::object();
}

// --- Listeners and rules -------------------------------------------------------------------------

json normalise_actions(Store& st, ServeContext& ctx, const json& actions, const std::string& lb_arn)
{
  if (!actions.is_array() || actions.empty())
    throw fault("ValidationError", "At least one action must be specified");
  json out = json::array();
  int order = 0;
  for (const auto& a : actions) {
    json x = a;
    const std::string type = a.value("Type", "");
    if (type == "forward") {
      const auto groups = Store::forwarded_groups(json::array({a}));
      if (groups.empty())
        throw fault("ValidationError", "A target group ARN must be specified for a forward action");
      json tgs = json::array();
      for (const auto& g : groups) {
        TargetGroup* tg = st.target_group(g);
        if (!tg && is_estate_target_group(ctx, g))
          throw fault("TargetGroupAssociationLimit", "The following target groups cannot be associated with more than one load balancer: " + g);
        if (!tg)
          throw fault("TargetGroupNotFound", "Target groups '" + g + "' not found");
        if (tg->protocol != "HTTP" && tg->protocol != "HTTPS")
          throw fault("IncompatibleProtocols", "The protocol of target group '" + g + "' (" + tg->protocol + ") cannot be used by an Application Load Balancer");
        for (const auto& other : st.load_balancers_of(g))
          if (other != lb_arn)
            throw fault("TargetGroupAssociationLimit", "The following target groups cannot be associated with more than one load balancer: " + g);
        int weight = 1;
        if (a.contains("ForwardConfig") && a["ForwardConfig"].contains("TargetGroups"))
          for (const auto& t : a["ForwardConfig"]["TargetGroups"])
            if (t.value("TargetGroupArn", "") == g)
              weight = t.value("Weight", 1);
        tgs.push_back({{"TargetGroupArn", g}, {"Weight", weight}});
      }
      if (groups.size() == 1)
        x["TargetGroupArn"] = groups[0];
      x["ForwardConfig"] = {{"TargetGroups", tgs}, {"TargetGroupStickinessConfig", {{"Enabled", false}}}};
    } else if (type != "fixed-response" && type != "redirect") {
      throw fault("ValidationError", "Action type '" + type + "' is not supported (forward, fixed-response, redirect)");
    }
    x["Order"] = a.value("Order", ++order);
    out.push_back(x);
  }
  return out;
}

json describe_listener(const Listener& l)
{
  json x = {{"ListenerArn", l.arn}, {"LoadBalancerArn", l.lb_arn}, {"Port", l.port}, {"Protocol", l.protocol},
            {"DefaultActions", l.default_actions}};
  if (l.protocol == "HTTPS") {
    x["Certificates"] = l.certificates;
    x["SslPolicy"] = l.ssl_policy;
  }
  return x;
}

json create_listener(const json& in, ServeContext& ctx)
{
  auto& st = ctx.state<Store>();
  const std::string lb_arn = in.at("LoadBalancerArn").get<std::string>();
  if (is_estate_load_balancer(ctx, lb_arn))
    throw fault("InvalidConfigurationRequest", "The simulated estate's load balancer is read-only in migsim");
  LoadBalancer* lb = st.load_balancer(lb_arn);
  if (!lb)
    throw fault("LoadBalancerNotFound", "Load balancer '" + lb_arn + "' not found");
  Listener l;
  l.lb_arn = lb_arn;
  l.protocol = in.value("Protocol", "HTTP");
  if (l.protocol != "HTTP" && l.protocol != "HTTPS")
    throw fault("UnsupportedProtocol", "Protocol '" + l.protocol + "' is not supported for Application Load Balancers");
  if (!in.contains("Port"))
    throw fault("ValidationError", "A listener port must be specified");
  l.port = in["Port"].get<int>();
  if (l.port < 1 || l.port > 65535)
    throw fault("ValidationError", "Listener port must be between 1 and 65535");
  if (l.protocol == "HTTPS") {
    if (!in.contains("Certificates") || in["Certificates"].empty())
      throw fault("ValidationError", "A certificate must be specified for HTTPS listeners");
    l.certificates = in["Certificates"];
    l.ssl_policy = in.value("SslPolicy", "ELBSecurityPolicy-2016-08");
  }
  l.default_actions = normalise_actions(st, ctx, in.value("DefaultActions", json::array()), lb_arn);
  for (const auto& x : st.listeners)
    if (x.lb_arn == lb_arn && x.port == l.port) {
      if (x.protocol == l.protocol && x.default_actions == l.default_actions)
        return {{"Listeners", {describe_listener(x)}}};  // idempotent: same settings
      throw fault("DuplicateListener", "A listener already exists on this port for this load balancer '" + lb_arn + "'");
    }
  const std::string lb_path = lb_arn.substr(lb_arn.find(":loadbalancer/") + 14);  // app/NAME/ID
  l.arn = arn_prefix(ctx) + "listener/" + lb_path + "/" + hex16("listener/" + std::to_string(++st.created));
  l.created_s = ctx.simulation.now();
  st.listeners.push_back(l);
  return {{"Listeners", {describe_listener(l)}}};
}

json delete_listener(const json& in, ServeContext& ctx)
{
  auto& st = ctx.state<Store>();
  const std::string arn = in.at("ListenerArn").get<std::string>();
  if (is_estate_listener(ctx, arn))
    throw fault("ResourceInUse", "Listener '" + arn + "' is the simulated estate's and cannot be deleted");
  if (!st.listener(arn))
    throw fault("ListenerNotFound", "Listener '" + arn + "' not found");
  std::erase_if(st.rules, [&](const Rule& r) { return r.listener_arn == arn; });
  std::erase_if(st.listeners, [&](const Listener& l) { return l.arn == arn; });
  return json::object();
}

namespace {

// A rule's conditions as DescribeRules shows them (path-pattern with both Values and PathPatternConfig).
json normalise_conditions(const json& conditions)
{
  if (!conditions.is_array() || conditions.empty())
    throw fault("ValidationError", "A rule must have at least one condition");
  json out = json::array();
  for (const auto& c : conditions) {
    json x = c;
    const std::string field = c.value("Field", "");
    if (field.empty())
      throw fault("ValidationError", "A condition field must be specified");
    if (field == "path-pattern") {
      json values = c.contains("PathPatternConfig") ? c["PathPatternConfig"].value("Values", json::array()) : c.value("Values", json::array());
      if (values.empty())
        throw fault("ValidationError", "A path-pattern condition must have at least one value");
      x["Values"] = values;
      x["PathPatternConfig"] = {{"Values", values}};
    }
    out.push_back(x);
  }
  return out;
}

std::string rule_arn_of(const std::string& listener_arn, const std::string& id)
{
  const size_t at = listener_arn.find(":listener/");
  return listener_arn.substr(0, at) + ":listener-rule/" + listener_arn.substr(at + 10) + "/" + id;
}

}  // namespace

json describe_rules_of(const Store& st, const Listener& l)
{
  std::vector<const Rule*> mine;
  for (const auto& r : st.rules)
    if (r.listener_arn == l.arn)
      mine.push_back(&r);
  std::sort(mine.begin(), mine.end(), [](const Rule* a, const Rule* b) { return a->priority < b->priority; });
  json out = json::array();
  for (const Rule* r : mine)
    out.push_back({{"RuleArn", r->arn}, {"Priority", std::to_string(r->priority)}, {"Conditions", r->conditions},
                   {"Actions", r->actions}, {"IsDefault", false}});
  out.push_back({{"RuleArn", rule_arn_of(l.arn, hex16("default" + l.arn))}, {"Priority", "default"},
                 {"Conditions", json::array()}, {"Actions", l.default_actions}, {"IsDefault", true}});
  return out;
}

json create_rule(const json& in, ServeContext& ctx)
{
  auto& st = ctx.state<Store>();
  const std::string listener_arn = in.at("ListenerArn").get<std::string>();
  if (is_estate_listener(ctx, listener_arn))
    throw fault("InvalidConfigurationRequest", "The rules of the simulated estate's listener are read-only in migsim");
  Listener* l = st.listener(listener_arn);
  if (!l)
    throw fault("ListenerNotFound", "Listener '" + listener_arn + "' not found");
  Rule r;
  r.listener_arn = listener_arn;
  r.priority = in.at("Priority").get<int>();
  if (r.priority < 1 || r.priority > 50000)
    throw fault("ValidationError", "Priority must be between 1 and 50000");
  r.conditions = normalise_conditions(in.value("Conditions", json::array()));
  r.actions = normalise_actions(st, ctx, in.value("Actions", json::array()), l->lb_arn);
  for (const auto& x : st.rules)
    if (x.listener_arn == listener_arn && x.priority == r.priority)
      throw fault("PriorityInUse", "Priority '" + std::to_string(r.priority) + "' is currently in use");
  r.arn = rule_arn_of(listener_arn, hex16("rule/" + std::to_string(++st.created)));
  r.created_s = ctx.simulation.now();
  st.rules.push_back(r);
  return {{"Rules", {{{"RuleArn", r.arn}, {"Priority", std::to_string(r.priority)}, {"Conditions", r.conditions},
                      {"Actions", r.actions}, {"IsDefault", false}}}}};
}

json delete_rule(const json& in, ServeContext& ctx)
{
  auto& st = ctx.state<Store>();
  const std::string arn = in.at("RuleArn").get<std::string>();
  if (st.rule(arn)) {
    std::erase_if(st.rules, [&](const Rule& r) { return r.arn == arn; });
    return json::object();
  }
  for (const auto& l : st.listeners)
    if (arn == rule_arn_of(l.arn, hex16("default" + l.arn)))
      throw fault("OperationNotPermitted", "Default rule '" + arn + "' cannot be deleted");
  if (auto* a = scenario_aws(ctx); a && arn.find(":listener-rule/app/" + a->load_balancer().name() + "/") != std::string::npos)
    throw fault("OperationNotPermitted", "Rule '" + arn + "' is the simulated estate's and cannot be deleted");
  throw fault("RuleNotFound", "One or more rules not found");
}

}  // namespace migsim::harness::serve::elbv2
