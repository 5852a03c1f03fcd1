// ELBv2 attributes and tags of the load balancers, target groups, listeners and rules created
// through the API: Describe/Modify*Attributes with the defaults AWS answers for an Application Load
// Balancer and an HTTP target group (what the terraform provider reads back after create), tags
// given at create or by AddTags/RemoveTags, and DescribeCapacityReservation (no reservation).
// deregistration_delay.timeout_seconds drives the simulated draining of the group's targets.
#include "harness/serve/elbv2/backend.hpp"

#include <algorithm>
#include <map>

namespace migsim::harness::serve::elbv2 {

namespace {

// What AWS answers for a new Application Load Balancer.
const std::map<std::string, std::string>& load_balancer_defaults()
{
  static const std::map<std::string, std::string> d = {
      {"access_logs.s3.enabled", "false"},
      {"access_logs.s3.bucket", ""},
      {"access_logs.s3.prefix", ""},
      {"connection_logs.s3.enabled", "false"},
      {"connection_logs.s3.bucket", ""},
      {"connection_logs.s3.prefix", ""},
      {"health_check_logs.s3.enabled", "false"},
      {"health_check_logs.s3.bucket", ""},
      {"health_check_logs.s3.prefix", ""},
      {"client_keep_alive.seconds", "3600"},
      {"deletion_protection.enabled", "false"},
      {"idle_timeout.timeout_seconds", "60"},
      {"load_balancing.cross_zone.enabled", "true"},
      {"routing.http.desync_mitigation_mode", "defensive"},
      {"routing.http.drop_invalid_header_fields.enabled", "false"},
      {"routing.http.preserve_host_header.enabled", "false"},
      {"routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false"},
      {"routing.http.xff_client_port.enabled", "false"},
      {"routing.http.xff_header_processing.mode", "append"},
      {"routing.http2.enabled", "true"},
      {"waf.fail_open.enabled", "false"},
      {"zonal_shift.config.enabled", "false"}};
  return d;
}

// What AWS answers for a new HTTP target group of instances.
std::map<std::string, std::string> target_group_defaults(const TargetGroup& g)
{
  return {{"deregistration_delay.timeout_seconds", std::to_string(static_cast<long long>(g.deregistration_delay_s))},
          {"stickiness.enabled", "false"},
          {"stickiness.type", "lb_cookie"},
          {"stickiness.lb_cookie.duration_seconds", "86400"},
          {"stickiness.app_cookie.cookie_name", ""},
          {"stickiness.app_cookie.duration_seconds", "86400"},
          {"load_balancing.algorithm.type", "round_robin"},
          {"load_balancing.algorithm.anomaly_mitigation", "off"},
          {"load_balancing.cross_zone.enabled", "use_load_balancer_configuration"},
          {"slow_start.duration_seconds", "0"},
          {"target_group_health.dns_failover.minimum_healthy_targets.count", "1"},
          {"target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"},
          {"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"},
          {"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off"}};
}

const std::map<std::string, std::string>& listener_defaults()
{
  static const std::map<std::string, std::string> d = {{"routing.http.response.server.enabled", "true"}};
  return d;
}

// Attributes of created resources, by ARN (their tags are in the one Tags store, by ARN).
struct Extras {
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  std::map<std::string, std::map<std::string, std::string>> attributes;
};

json attribute_list(const std::map<std::string, std::string>& defaults, const std::map<std::string, std::string>& set)
{
  std::map<std::string, std::string> all = defaults;
  for (const auto& [k, v] : set)
    all[k] = v;
  json out = json::array();
  for (const auto& [k, v] : all)
    out.push_back({{"Key", k}, {"Value", v}});
  return out;
}

// Keys AWS accepts on other load balancer or target group types, or that a Describe does not list;
// stored and shown once set.
bool also_accepted(const std::string& key)
{
  static const std::vector<std::string> keys = {
      "dns_record.client_routing_policy", "ipv6.deny_all_igw_traffic", "proxy_protocol_v2.enabled",
      "preserve_client_ip.enabled", "lambda.multi_value_headers.enabled",
      "deregistration_delay.connection_termination.enabled", "target_failover.on_deregistration",
      "target_failover.on_unhealthy", "target_health_state.unhealthy.connection_termination.enabled",
      "target_health_state.unhealthy.draining_interval_seconds", "secondary_ips.auto_assign.per_subnet"};
  return std::find(keys.begin(), keys.end(), key) != keys.end() || key.rfind("routing.http.response.", 0) == 0 ||
         key.rfind("routing.http.request.", 0) == 0 || key.rfind("tcp.idle_timeout", 0) == 0;
}

// Applies a Modify*Attributes input; unknown keys are AWS's ValidationError.
void modify(Extras& x, const std::string& arn, const json& in, const std::map<std::string, std::string>& defaults)
{
  for (const auto& a : in.value("Attributes", json::array())) {
    const std::string key = a.value("Key", std::string());
    if (!defaults.count(key) && !also_accepted(key))
      throw AwsError("ValidationError", "Attribute key '" + key + "' is not recognized", 400);
    x.attributes[arn][key] = a.value("Value", std::string());
  }
}

// A resource tags can be read from: created through the API, or the scenario's estate (which a
// terraform import reads back).
bool known(ServeContext& ctx, const std::string& arn)
{
  auto& st = ctx.state<Store>();
  return st.load_balancer(arn) || st.target_group(arn) || st.listener(arn) || st.rule(arn) ||
         is_estate_load_balancer(ctx, arn) || is_estate_target_group(ctx, arn) || is_estate_listener(ctx, arn);
}

AwsError missing(const std::string& arn)
{
  if (arn.find(":targetgroup/") != std::string::npos)
    return AwsError("TargetGroupNotFound", "One or more target groups not found", 400);
  if (arn.find(":listener-rule/") != std::string::npos)
    return AwsError("RuleNotFound", "One or more rules not found", 400);
  if (arn.find(":listener/") != std::string::npos)
    return AwsError("ListenerNotFound", "One or more listeners not found", 400);
  return AwsError("LoadBalancerNotFound", "One or more load balancers not found", 400);
}

void add_tags(ServeContext& ctx, const std::string& arn, const json& tags)
{
  auto& store = ctx.state<Tags>();
  if (tags.size() + store.of(arn).size() > 50)
    throw AwsError("TooManyTags", "The quota for the number of tags that can be assigned to a load balancer has been "
                                  "reached", 400);
  store.add(arn, tags);
}

}  // namespace

Handler tagged(Handler create, const char* list_key, const char* arn_key)
{
  return [create = std::move(create), list_key, arn_key](const json& in, ServeContext& ctx) {
    json out = create(in, ctx);
    if (in.contains("Tags") && out.contains(list_key))
      for (const auto& item : out[list_key])
        add_tags(ctx, item[arn_key].get<std::string>(), in["Tags"]);
    return out;
  };
}

void forget_extras(ServeContext& ctx, const std::string& arn)
{
  ctx.state<Extras>().attributes.erase(arn);
  ctx.state<Tags>().forget(arn);
}

void register_attributes(Registry& r)
{
  r.add("elbv2", "DescribeLoadBalancerAttributes", {"LoadBalancerArn"}, [](const json& in, ServeContext& ctx) {
    const std::string arn = in["LoadBalancerArn"];
    if (!ctx.state<Store>().load_balancer(arn) && !is_estate_load_balancer(ctx, arn))
      throw missing(arn);
    return json{{"Attributes", attribute_list(load_balancer_defaults(), ctx.state<Extras>().attributes[arn])}};
  });
  r.add("elbv2", "ModifyLoadBalancerAttributes", {"LoadBalancerArn", "Attributes"}, [](const json& in, ServeContext& ctx) {
    const std::string arn = in["LoadBalancerArn"];
    if (!ctx.state<Store>().load_balancer(arn) && !is_estate_load_balancer(ctx, arn))
      throw missing(arn);
    auto& x = ctx.state<Extras>();
    modify(x, arn, in, load_balancer_defaults());
    return json{{"Attributes", attribute_list(load_balancer_defaults(), x.attributes[arn])}};
  });
  r.add("elbv2", "DescribeTargetGroupAttributes", {"TargetGroupArn"}, [](const json& in, ServeContext& ctx) {
    const std::string arn = in["TargetGroupArn"];
    auto* g = ctx.state<Store>().target_group(arn);
    if (!g)
      throw missing(arn);
    return json{{"Attributes", attribute_list(target_group_defaults(*g), ctx.state<Extras>().attributes[arn])}};
  });
  r.add("elbv2", "ModifyTargetGroupAttributes", {"TargetGroupArn", "Attributes"}, [](const json& in, ServeContext& ctx) {
    const std::string arn = in["TargetGroupArn"];
    auto* g = ctx.state<Store>().target_group(arn);
    if (!g)
      throw missing(arn);
    auto& x = ctx.state<Extras>();
    modify(x, arn, in, target_group_defaults(*g));
    auto& set = x.attributes[arn];
    if (auto it = set.find("deregistration_delay.timeout_seconds"); it != set.end()) {
      const long long v = std::stoll(it->second);
      if (v < 0 || v > 3600)
        throw AwsError("ValidationError", "'deregistration_delay.timeout_seconds' must be between 0 and 3600", 400);
      g->deregistration_delay_s = static_cast<double>(v);  // the simulated draining follows it
      set.erase(it);
    }
    return json{{"Attributes", attribute_list(target_group_defaults(*g), set)}};
  });
  r.add("elbv2", "DescribeListenerAttributes", {"ListenerArn"}, [](const json& in, ServeContext& ctx) {
    const std::string arn = in["ListenerArn"];
    if (!ctx.state<Store>().listener(arn))
      throw missing(arn);
    return json{{"Attributes", attribute_list(listener_defaults(), ctx.state<Extras>().attributes[arn])}};
  });
  r.add("elbv2", "ModifyListenerAttributes", {"ListenerArn", "Attributes"}, [](const json& in, ServeContext& ctx) {
    const std::string arn = in["ListenerArn"];
    if (!ctx.state<Store>().listener(arn))
      throw missing(arn);
    auto& x = ctx.state<Extras>();
    modify(x, arn, in, listener_defaults());
    return json{{"Attributes", attribute_list(listener_defaults(), x.attributes[arn])}};
  });
  r.add("elbv2", "DescribeCapacityReservation", {"LoadBalancerArn"}, [](const json& in, ServeContext& ctx) {
    const std::string arn = in["LoadBalancerArn"];
    if (!ctx.state<Store>().load_balancer(arn) && !is_estate_load_balancer(ctx, arn))
      throw missing(arn);
    return json{{"DecreaseRequestsRemaining", 6}, {"CapacityReservationState", json::array()}};
  });
  r.add("elbv2", "AddTags", {"ResourceArns", "Tags"}, [](const json& in, ServeContext& ctx) {
    for (const auto& arn : strings(in, "ResourceArns"))
      if (!known(ctx, arn))
        throw missing(arn);
    for (const auto& arn : strings(in, "ResourceArns"))
      add_tags(ctx, arn, in["Tags"]);
    return json::object();
  });
  r.add("elbv2", "RemoveTags", {"ResourceArns", "TagKeys"}, [](const json& in, ServeContext& ctx) {
    for (const auto& arn : strings(in, "ResourceArns")) {
      if (!known(ctx, arn))
        throw missing(arn);
      ctx.state<Tags>().untag(arn, strings(in, "TagKeys"));
    }
    return json::object();
  });
  r.add("elbv2", "DescribeTags", {"ResourceArns"}, [](const json& in, ServeContext& ctx) {
    json out = json::array();
    for (const auto& arn : strings(in, "ResourceArns")) {
      if (!known(ctx, arn))
        throw missing(arn);
      out.push_back({{"ResourceArn", arn}, {"Tags", ctx.state<Tags>().list(arn)}});
    }
    return json{{"TagDescriptions", out}};
  });
}

}  // namespace migsim::harness::serve::elbv2
