// Created target groups and their targets (see backend.hpp): CreateTargetGroup with the ALB's
// documented health check defaults, DeleteTargetGroup, ModifyTargetGroup, Register/DeregisterTargets
// and DescribeTargetHealth on the simulated clock (elbv2_health.hpp).
#include "harness/serve/autoscaling/backend.hpp"
#include "harness/serve/elbv2/backend.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/ec2/network.hpp"

#include "harness/serve/elbv2/estate_alb.hpp"
#include "models/aws/api_estate.hpp"
#include "models/aws/aws_estate.hpp"
#include "models/cutover/migration.hpp"
#include "models/mgn/source_server.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace migsim::harness::serve::elbv2 {

namespace {

using elbv2_health::kNever;

AwsError fault(const std::string& code, const std::string& message) { return AwsError(code, message, 400); }

// Reads and checks the health check members shared by CreateTargetGroup and ModifyTargetGroup.
void read_health(TargetGroup& g, const json& in)
{
  g.hc_protocol = in.value("HealthCheckProtocol", g.hc_protocol);
  g.hc_port = in.value("HealthCheckPort", g.hc_port);
  g.hc_path = in.value("HealthCheckPath", g.hc_path);
  if (in.contains("Matcher"))
    g.matcher = in["Matcher"].value("HttpCode", g.matcher);
  auto& h = g.health;
  h.interval_s = in.value("HealthCheckIntervalSeconds", static_cast<int>(h.interval_s));
  h.timeout_s = in.value("HealthCheckTimeoutSeconds", static_cast<int>(h.timeout_s));
  h.healthy_threshold = in.value("HealthyThresholdCount", h.healthy_threshold);
  h.unhealthy_threshold = in.value("UnhealthyThresholdCount", h.unhealthy_threshold);
  if (in.contains("HealthCheckEnabled") && !in["HealthCheckEnabled"].get<bool>())
    throw fault("ValidationError", "Health checks cannot be disabled for target groups with target type '" + g.target_type + "'");
  if (h.interval_s < 5 || h.interval_s > 300)
    throw fault("ValidationError", "Health check interval must be between 5 and 300 seconds");
  if (h.timeout_s < 2 || h.timeout_s > 120)
    throw fault("ValidationError", "Health check timeout must be between 2 and 120 seconds");
  if (h.timeout_s >= h.interval_s)
    throw fault("ValidationError", "Health check timeout '" + std::to_string(static_cast<int>(h.timeout_s)) +
                                       "' must be smaller than the interval '" + std::to_string(static_cast<int>(h.interval_s)) + "'");
  if (h.healthy_threshold < 2 || h.healthy_threshold > 10 || h.unhealthy_threshold < 2 || h.unhealthy_threshold > 10)
    throw fault("ValidationError", "Health check thresholds must be between 2 and 10");
  if (g.hc_protocol != "HTTP" && g.hc_protocol != "HTTPS")
    throw fault("ValidationError", "Health check protocol '" + g.hc_protocol + "' is not supported for target groups with the " + g.protocol + " protocol");
  if (g.hc_path.empty() || g.hc_path[0] != '/')
    throw fault("ValidationError", "Health check path must begin with a '/' character");
}

// An IPv4 address a target group of the VPC accepts: RFC 1918 or RFC 6598 (100.64.0.0/10).
bool private_ipv4(const std::string& s)
{
  unsigned a, b, c, d;
  char tail;
  if (std::sscanf(s.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 || b > 255 || c > 255 || d > 255)
    return false;
  return a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168) || (a == 100 && b >= 64 && b <= 127);
}

// The simulation's instance `id` in an Auto Scaling group of the aws estate.
const models::asg::Instance* asg_instance(ServeContext& ctx, const std::string& id)
{
  if (auto* a = scenario_aws(ctx))
    for (auto* g : a->groups())
      if (const auto* i = g->instance(id))
        return i;
  for (auto& g : ctx.state<autoscaling::ApiGroups>().all)
    if (const auto* i = g->group->instance(id))
      return i;
  return nullptr;
}

// The MGN source server whose launched (test or cutover) instance is `id`.
models::mgn::SourceServer* mgn_server(ServeContext& ctx, const std::string& id)
{
  if (auto* m = scenario_migration(ctx))
    for (const auto& s : m->mgn_servers())
      if (const auto d = s->describe(); d.launched_instance && d.launched_instance->ec2_instance_id == id)
        return s.get();
  return nullptr;
}

// Simulated seconds of an ISO 8601 UTC date of the endpoint's clock (kNever when malformed).
double sim_seconds_of(const std::string& iso) { return parse_date(iso).value_or(kNever); }

// When a TerminateTargetInstances job of the source server completed, not before after_s (-1: none).
double terminated_at(ServeContext& ctx, const std::string& source_server_id, double after_s)
{
  double at = -1;
  if (auto* m = scenario_migration(ctx))
    for (const auto& s : m->mgn_servers())
      if (s->describe().source_server_id == source_server_id)
        for (const auto& j : s->describe_jobs())
          if (j.type == "TERMINATE" && j.status == "COMPLETED" && j.end_date_time && sim_seconds_of(*j.end_date_time) >= after_s)
            at = std::max(at, sim_seconds_of(*j.end_date_time));
  return at;
}

// When the target answers health checks, from the simulation's state of it (see backend.hpp).
elbv2_health::Answering answering(ServeContext& ctx, Target& t, bool& terminated)
{
  const double now = ctx.simulation.now();
  terminated = false;
  if (t.kind == TargetKind::external)
    return {};
  double from = kNever;
  bool present = false, down = false;
  if (t.kind == TargetKind::asg_instance) {
    if (const auto* i = asg_instance(ctx, t.id)) {
      present = true;
      from = i->in_service_s >= 0 ? i->in_service_s : kNever;
      if (i->terminated_s >= 0 && t.gone_s < 0)
        t.gone_s = i->terminated_s;
      down = i->state == models::asg::LifecycleState::Terminating || i->state == models::asg::LifecycleState::Terminated || !i->healthy;
      terminated = i->state == models::asg::LifecycleState::Terminated;
    }
  } else if (auto* s = mgn_server(ctx, t.id)) {
    present = true;
    t.source_server_id = s->describe().source_server_id;
    const auto d = s->describe();
    const auto& li = *d.launched_instance;
    bool failed = li.first_boot == "STOPPED";
    for (const auto& j : s->describe_jobs())
      if (j.job_id == li.job_id) {
        for (const auto& p : j.participating_servers)
          failed |= p.source_server_id == d.source_server_id && p.launch_status == "FAILED";
        if (!failed && j.status == "COMPLETED" && j.end_date_time && li.first_boot == "SUCCEEDED")
          from = sim_seconds_of(*j.end_date_time);
      }
  }
  if (present && from != kNever)
    t.last_from_s = from;
  if (!present && t.kind == TargetKind::mgn_instance && t.gone_s < 0)
    t.gone_s = terminated_at(ctx, t.source_server_id, t.last_from_s);
  if ((!present || down) && t.gone_s < 0)
    t.gone_s = now;  // the model keeps no time for this: the first time the endpoint sees it
  if (!present)
    terminated = true;
  return {present ? from : t.last_from_s, t.gone_s >= 0 ? t.gone_s : kNever};
}

std::string description(const std::string& reason)
{
  static const std::map<std::string, std::string> kText = {
      {"Elb.RegistrationInProgress", "Target registration is in progress"},
      {"Elb.InitialHealthChecking", "Initial health checks in progress"},
      {"Target.FailedHealthChecks", "Health checks failed"},
      {"Target.InvalidState", "Target is in the stopped or terminated state"},
      {"Target.NotInUse", "Target group is not configured to receive traffic from the load balancer"},
      {"Target.DeregistrationInProgress", "Target deregistration is in progress"},
      {"Target.NotRegistered", "Target is not registered to the target group"}};
  auto it = kText.find(reason);
  return it == kText.end() ? reason : it->second;
}

// Forgets targets whose deregistration delay has passed.
void purge(TargetGroup& g, double now)
{
  std::erase_if(g.targets, [&](const Target& t) { return t.drain_until_s >= 0 && now >= t.drain_until_s; });
}

// The TargetHealth of a registered target now.
json health_of(Store& st, TargetGroup& g, Target& t, ServeContext& ctx, elbv2_health::State* state_out = nullptr)
{
  const double now = ctx.simulation.now();
  json h;
  const models::alb::Target* carried = nullptr;  // the target as the traffic's load balancer sees it
  if (auto* estate = ctx.simulation.api_estate())
    if (auto* tg = estate->find_target_group(g.arn))
      carried = tg->find(t.id);
  if (t.drain_until_s >= 0)
    h = {{"State", "draining"}, {"Reason", "Target.DeregistrationInProgress"}};
  else if (carried && carried->state != models::alb::TargetState::draining) {
    // Bound to the simulated traffic: the health its checks found (docs/estate-from-api.md).
    h = {{"State", models::alb::to_string(carried->state)}};
    if (!carried->reason.empty())
      h["Reason"] = carried->reason;
    if (state_out)
      *state_out = carried->state == models::alb::TargetState::healthy     ? elbv2_health::State::healthy
                   : carried->state == models::alb::TargetState::unhealthy ? elbv2_health::State::unhealthy
                                                                           : elbv2_health::State::initial;
  } else if (const double in_use = st.in_use_from_s(g.arn); in_use == kNever)
    h = {{"State", "unused"}, {"Reason", "Target.NotInUse"}};
  else {
    bool terminated = false;
    const auto a = answering(ctx, t, terminated);
    const auto r = elbv2_health::evaluate(g.health, std::max(t.base_s, in_use), t.base_state, a, now);
    if (state_out)
      *state_out = r.state;
    h = {{"State", elbv2_health::to_string(r.state)}};
    if (!r.reason.empty())
      h["Reason"] = r.state == elbv2_health::State::unhealthy && terminated ? "Target.InvalidState" : r.reason;
  }
  if (h.contains("Reason"))
    h["Description"] = description(h["Reason"].get<std::string>());
  return h;
}

}  // namespace

json describe_target_group(const Store& st, const TargetGroup& g)
{
  return {{"TargetGroupArn", g.arn},
          {"TargetGroupName", g.name},
          {"Protocol", g.protocol},
          {"Port", g.port},
          {"VpcId", g.vpc_id},
          {"HealthCheckProtocol", g.hc_protocol},
          {"HealthCheckPort", g.hc_port},
          {"HealthCheckEnabled", true},
          {"HealthCheckIntervalSeconds", static_cast<int>(g.health.interval_s)},
          {"HealthCheckTimeoutSeconds", static_cast<int>(g.health.timeout_s)},
          {"HealthyThresholdCount", g.health.healthy_threshold},
          {"UnhealthyThresholdCount", g.health.unhealthy_threshold},
          {"HealthCheckPath", g.hc_path},
          {"Matcher", {{"HttpCode", g.matcher}}},
          {"LoadBalancerArns", st.load_balancers_of(g.arn)},
          {"TargetType", g.target_type},
          {"ProtocolVersion", g.protocol_version},
          {"IpAddressType", "ipv4"}};
}

json create_target_group(const json& in, ServeContext& ctx)
{
  auto& st = ctx.state<Store>();
  TargetGroup g;
  g.name = in.at("Name").get<std::string>();
  if (g.name.empty() || g.name.size() > 32 || g.name.front() == '-' || g.name.back() == '-' ||
      !std::all_of(g.name.begin(), g.name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; }))
    throw fault("ValidationError", "Target group name '" + g.name + "' is not valid: at most 32 alphanumeric characters or hyphens, not beginning or ending with a hyphen");
  g.target_type = in.value("TargetType", "instance");
  if (g.target_type != "instance" && g.target_type != "ip")
    throw fault("ValidationError", "Target type '" + g.target_type + "' is not simulated (instance, ip)");
  if (!in.contains("Protocol") || !in.contains("Port") || !in.contains("VpcId"))
    throw fault("ValidationError", "A protocol, a port and a VPC ID must be specified for target groups with target type '" + g.target_type + "'");
  g.protocol = in["Protocol"].get<std::string>();
  g.port = in["Port"].get<int>();
  if (g.port < 1 || g.port > 65535)
    throw fault("ValidationError", "Port must be between 1 and 65535");
  g.vpc_id = in["VpcId"].get<std::string>();
  if (g.vpc_id != kVpcId && !ctx.state<ec2net::Ec2Network>().vpcs.count(g.vpc_id))
    throw fault("ValidationError", "The VPC ID '" + g.vpc_id + "' is not found (the simulation's VPC is " + kVpcId + ")");
  g.protocol_version = in.value("ProtocolVersion", "HTTP1");
  g.hc_protocol = g.protocol == "HTTPS" ? "HTTPS" : "HTTP";
  read_health(g, in);
  if (estate_has_target_group_named(ctx, g.name))
    throw fault("DuplicateTargetGroupName", "A target group with the same name '" + g.name + "' exists, but with different settings");
  for (const auto& x : st.target_groups)
    if (x.name == g.name) {
      const bool same = x.protocol == g.protocol && x.port == g.port && x.vpc_id == g.vpc_id && x.target_type == g.target_type &&
                        x.hc_path == g.hc_path && x.hc_port == g.hc_port && x.matcher == g.matcher &&
                        x.health.interval_s == g.health.interval_s && x.health.timeout_s == g.health.timeout_s &&
                        x.health.healthy_threshold == g.health.healthy_threshold &&
                        x.health.unhealthy_threshold == g.health.unhealthy_threshold;
      if (same)
        return {{"TargetGroups", {describe_target_group(st, x)}}};  // idempotent: same settings
      throw fault("DuplicateTargetGroupName", "A target group with the same name '" + g.name + "' exists, but with different settings");
    }
  g.arn = arn_prefix(ctx) + "targetgroup/" + g.name + "/" + hex16("tg/" + g.name + "/" + std::to_string(++st.created));
  g.created_s = ctx.simulation.now();
  st.target_groups.push_back(g);
  return {{"TargetGroups", {describe_target_group(st, g)}}};
}

json delete_target_group(const json& in, ServeContext& ctx)
{
  auto& st = ctx.state<Store>();
  const std::string arn = in.at("TargetGroupArn").get<std::string>();
  if (is_estate_target_group(ctx, arn) || !st.load_balancers_of(arn).empty())
    throw fault("ResourceInUse", "Target group '" + arn + "' is currently in use by a listener or a rule");
  std::erase_if(st.target_groups, [&](const TargetGroup& g) { return g.arn == arn; });  // absent: succeeds, as AWS
  return json::object();
}

json modify_target_group(const json& in, ServeContext& ctx)
{
  auto& st = ctx.state<Store>();
  const std::string arn = in.at("TargetGroupArn").get<std::string>();
  TargetGroup* g = st.target_group(arn);
  if (!g)
    throw fault(is_estate_target_group(ctx, arn) ? "InvalidConfigurationRequest" : "TargetGroupNotFound",
                is_estate_target_group(ctx, arn) ? "The simulated estate's target groups are read-only in migsim"
                                                 : "Target groups '" + arn + "' not found");
  TargetGroup changed = *g;
  read_health(changed, in);
  // The health so far is kept: each target's timeline restarts now from its current state.
  purge(*g, ctx.simulation.now());
  for (auto& t : g->targets) {
    elbv2_health::State s = t.base_state;
    health_of(st, *g, t, ctx, &s);
    t.base_state = s;
    t.base_s = ctx.simulation.now();
  }
  changed.targets = g->targets;
  *g = changed;
  return {{"TargetGroups", {describe_target_group(st, *g)}}};
}

json register_targets(TargetGroup& g, const json& in, ServeContext& ctx)
{
  const double now = ctx.simulation.now();
  purge(g, now);
  std::vector<Target> add;
  for (const auto& x : in.at("Targets")) {
    Target t;
    t.id = x.at("Id").get<std::string>();
    t.port = x.value("Port", g.port);
    if (g.target_type == "ip") {
      if (!private_ipv4(t.id))
        throw fault("InvalidTarget", "The IP address '" + t.id + "' is not a valid private IPv4 address of the VPC");
    } else if (t.id.rfind("i-", 0) != 0) {
      throw fault("ValidationError", "The instance ID '" + t.id + "' is not valid");
    } else if (const auto* i = asg_instance(ctx, t.id)) {
      if (i->state == models::asg::LifecycleState::Terminating || i->state == models::asg::LifecycleState::Terminated)
        throw fault("InvalidTarget", "The following targets are not in a running state and cannot be registered: '" + t.id + "'");
      t.kind = TargetKind::asg_instance;
    } else if (auto* s = mgn_server(ctx, t.id)) {
      t.kind = TargetKind::mgn_instance;
      t.source_server_id = s->describe().source_server_id;
    }
    t.base_s = now;
    add.push_back(t);
  }
  for (const auto& t : add) {
    auto it = std::find_if(g.targets.begin(), g.targets.end(), [&](const Target& o) { return o.id == t.id && o.port == t.port; });
    if (it == g.targets.end())
      g.targets.push_back(t);
    else if (it->drain_until_s >= 0)
      *it = t;  // registered again while draining: starts over
  }
  return json::object();
}

json deregister_targets(TargetGroup& g, const json& in, ServeContext& ctx)
{
  auto& st = ctx.state<Store>();
  const double now = ctx.simulation.now();
  purge(g, now);
  const bool in_use = st.in_use_from_s(g.arn) != kNever;
  for (const auto& x : in.at("Targets")) {
    const std::string id = x.at("Id").get<std::string>();
    for (auto& t : g.targets)
      if (t.id == id && (!x.contains("Port") || x["Port"].get<int>() == t.port) && t.drain_until_s < 0)
        t.drain_until_s = now + (in_use ? g.deregistration_delay_s : 0.0);  // unknown targets: success, as documented
  }
  purge(g, now);
  return json::object();
}

json describe_target_health(TargetGroup& g, const json& in, ServeContext& ctx)
{
  auto& st = ctx.state<Store>();
  purge(g, ctx.simulation.now());
  json out = json::array();
  auto describe = [&](Target* t, const std::string& id, int port) {
    const json health = t ? health_of(st, g, *t, ctx)
                          : json{{"State", "unused"}, {"Reason", "Target.NotRegistered"}, {"Description", description("Target.NotRegistered")}};
    out.push_back({{"Target", {{"Id", id}, {"Port", port}}},
                   {"HealthCheckPort", g.hc_port == "traffic-port" ? std::to_string(port) : g.hc_port},
                   {"TargetHealth", health}});
  };
  if (!in.contains("Targets"))
    for (auto& t : g.targets)
      describe(&t, t.id, t.port);
  else
    for (const auto& x : in["Targets"]) {
      const std::string id = x.at("Id").get<std::string>();
      bool any = false;
      for (auto& t : g.targets)
        if (t.id == id && (!x.contains("Port") || x["Port"].get<int>() == t.port)) {
          describe(&t, t.id, t.port);
          any = true;
        }
      if (!any)
        describe(nullptr, id, x.value("Port", g.port));
    }
  return {{"TargetHealthDescriptions", out}};
}

}  // namespace migsim::harness::serve::elbv2
