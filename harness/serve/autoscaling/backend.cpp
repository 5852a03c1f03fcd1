#include "harness/serve/autoscaling/backend.hpp"
#include "harness/serve/core/resource.hpp"

#include "harness/serve/autoscaling/backend.hpp"

#include "harness/serve/core/resource.hpp"
#include "harness/serve/elbv2/estate_alb.hpp"
#include "models/aws/aws_estate.hpp"

#include <algorithm>

namespace migsim::harness::serve::autoscaling {

using nlohmann::json;
namespace asg = models::asg;

namespace {


models::aws::AwsEstate& estate(ServeContext& ctx)
{
  auto* a = scenario_aws(ctx);
  if (!a)
    throw errors::error("ValidationError", "The scenario has no aws section: no Auto Scaling groups");
  return *a;
}

// The estate's groups (its tiers) then those created through the API.
std::vector<asg::AutoScalingGroup*> all_groups(ServeContext& ctx)
{
  std::vector<asg::AutoScalingGroup*> out;
  if (auto* a = scenario_aws(ctx))
    out = a->groups();
  for (auto* g : ctx.state<ApiGroups>().live())
    out.push_back(g->group.get());
  return out;
}

asg::AutoScalingGroup& group_named(ServeContext& ctx, const json& in)
{
  if (!in.contains("AutoScalingGroupName"))
    throw errors::error("ValidationError", "AutoScalingGroupName is required");
  const std::string name = in["AutoScalingGroupName"].get<std::string>();
  if (auto* a = scenario_aws(ctx))
    if (auto* g = a->group(name))
      return *g;
  if (auto* g = ctx.state<ApiGroups>().find(name))
    return *g->group;
  throw errors::error("ValidationError", "AutoScalingGroup name not found - AutoScalingGroup '" + name + "' not found");
}

std::string group_arn(ServeContext& ctx, const std::string& name)
{
  return "arn:aws:autoscaling:" + scenario_region(ctx) + ":" + kAccountId +
         ":autoScalingGroup:00000000-0000-4000-8000-000000000000:autoScalingGroupName/" + name;
}

std::string policy_arn(ServeContext& ctx, const std::string& group, const std::string& policy)
{
  return "arn:aws:autoscaling:" + scenario_region(ctx) + ":" + kAccountId +
         ":scalingPolicy:00000000-0000-4000-8000-000000000000:autoScalingGroupName/" + group + ":policyName/" + policy;
}

json alarms_of(ServeContext& ctx, const std::string& group, const std::string& policy)
{
  json out = json::array();
  for (const char* kind : {"AlarmHigh", "AlarmLow"}) {
    const std::string name = "TargetTracking-" + group + "-" + kind + "-" + policy;
    out.push_back({{"AlarmName", name},
                   {"AlarmARN", "arn:aws:cloudwatch:" + scenario_region(ctx) + ":" + kAccountId + ":alarm:" + name}});
  }
  return out;
}

json policy_json(ServeContext& ctx, const asg::AutoScalingGroup& g, const asg::TargetTrackingPolicy& p)
{
  json spec = {{"PredefinedMetricType", asg::to_string(p.metric)}};
  if (p.metric == asg::PredefinedMetric::ALBRequestCountPerTarget)
    spec["ResourceLabel"] = "app/" + estate(ctx).load_balancer().name() + "/targetgroup/" + p.resource_label;
  return {{"AutoScalingGroupName", g.spec().name},
          {"PolicyName", p.name},
          {"PolicyARN", policy_arn(ctx, g.spec().name, p.name)},
          {"PolicyType", "TargetTrackingScaling"},
          {"StepAdjustments", json::array()},
          {"TargetTrackingConfiguration",
           {{"PredefinedMetricSpecification", spec}, {"TargetValue", p.target}, {"DisableScaleIn", p.disable_scale_in}}},
          {"Alarms", alarms_of(ctx, g.spec().name, p.name)},
          {"Enabled", true}};
}

int integer(const json& in, const char* key)
{
  const auto& v = in.at(key);
  return v.is_string() ? std::stoi(v.get<std::string>()) : v.get<int>();
}

}  // namespace

json describe_auto_scaling_groups(const json& in, ServeContext& ctx)
{
  std::vector<std::string> names;
  if (in.contains("AutoScalingGroupNames"))
    for (const auto& n : in["AutoScalingGroupNames"])
      names.push_back(n.get<std::string>());
  json out = json::array();
  for (auto* g : all_groups(ctx)) {
    const auto& s = g->spec();
    if (!names.empty() && std::find(names.begin(), names.end(), s.name) == names.end())
      continue;
    ApiGroup* api = api_group(ctx, *g);
    json instances = json::array();
    for (const auto& i : g->instances()) {
      if (i.state == asg::LifecycleState::Terminated)
        continue;
      json x = {{"InstanceId", i.id},
                {"InstanceType", s.instance_type},
                {"AvailabilityZone", i.az},
                {"LifecycleState", asg::to_string(i.state)},
                {"HealthStatus", i.healthy ? "Healthy" : "Unhealthy"},
                {"ProtectedFromScaleIn", false}};
      if (api) {
        x["InstanceType"] = api->instance_type[i.id];
        x["LaunchTemplate"] = {{"LaunchTemplateId", api->lt_id}, {"LaunchTemplateName", api->lt_name},
                               {"Version", api->instance_lt_version[i.id]}};
      }
      instances.push_back(x);
    }
    std::string subnets;
    for (const auto& az : s.azs)
      subnets += (subnets.empty() ? "" : ",") + std::string("subnet-") + az;
    json group = {{"AutoScalingGroupName", s.name},
                   {"AutoScalingGroupARN", group_arn(ctx, s.name)},
                   {"MinSize", g->min_size()},
                   {"MaxSize", g->max_size()},
                   {"DesiredCapacity", g->desired()},
                   {"DefaultCooldown", 300},
                   {"DefaultInstanceWarmup", static_cast<int>(s.warmup_s)},
                   {"AvailabilityZones", s.azs},
                   {"LoadBalancerNames", json::array()},
                   {"TargetGroupARNs",
                    {"arn:aws:elasticloadbalancing:" + scenario_region(ctx) + ":" + kAccountId + ":" +
                     elbv2_estate::target_group_arn(s.name)}},
                   {"HealthCheckType", s.health_check_type},
                   {"HealthCheckGracePeriod", static_cast<int>(s.health_check_grace_s)},
                   {"Instances", instances},
                   {"CreatedTime", epoch_s(0)},
                   {"VPCZoneIdentifier", subnets},
                   {"TerminationPolicies", {"Default"}},
                   {"NewInstancesProtectedFromScaleIn", false}};
    if (api) {  // created through the API: what CreateAutoScalingGroup was given
      group["LaunchTemplate"] = {{"LaunchTemplateId", api->lt_id}, {"LaunchTemplateName", api->lt_name},
                                 {"Version", api->lt_version}};
      group["TargetGroupARNs"] = api->target_group_arns;
      group["CreatedTime"] = epoch_s(api->created_s);
      group["DefaultCooldown"] = api->default_cooldown_s;
      if (!api->warmup_given)
        group.erase("DefaultInstanceWarmup");
      group["VPCZoneIdentifier"] = api->vpc_zone_identifier;
      if (api->vpc_zone_identifier.empty())
        group.erase("VPCZoneIdentifier");
      if (api->deleting)
        group["Status"] = "Delete in progress";
    }
    out.push_back(group);
  }
  return {{"AutoScalingGroups", out}};
}

json describe_scaling_activities(const json& in, ServeContext& ctx)
{
  std::vector<asg::AutoScalingGroup*> groups;
  if (in.contains("AutoScalingGroupName"))
    groups.push_back(&group_named(ctx, in));
  else
    groups = all_groups(ctx);
  std::vector<std::pair<const asg::Activity*, std::string>> all;
  for (auto* g : groups)
    for (const auto& a : g->activities())
      all.emplace_back(&a, g->spec().name);
  // Newest first, as AWS lists them.
  std::stable_sort(all.begin(), all.end(), [](auto& x, auto& y) { return x.first->start_s > y.first->start_s; });
  std::vector<std::string> ids;
  if (in.contains("ActivityIds"))
    for (const auto& v : in["ActivityIds"])
      ids.push_back(v.get<std::string>());
  json out = json::array();
  for (const auto& [a, group] : all) {
    if (!ids.empty() && std::find(ids.begin(), ids.end(), a->id) == ids.end())
      continue;
    json x = {{"ActivityId", a->id},
              {"AutoScalingGroupName", group},
              {"AutoScalingGroupARN", group_arn(ctx, group)},
              {"Description", a->description},
              {"Cause", a->cause},
              {"StartTime", epoch_s(a->start_s)},
              {"StatusCode", a->status},
              {"Progress", a->progress},
              {"Details", a->details.empty() ? "{}" : a->details}};
    if (a->end_s >= 0)
      x["EndTime"] = epoch_s(a->end_s);
    out.push_back(x);
  }
  // MaxRecords 1-100 (default 100); a NextToken this listing did not hand out is InvalidNextToken.
  const Page page = paginate(out, in, {.max_member = "MaxRecords", .token_member = "NextToken", .default_max = 100,
                                       .min_max = 1, .max_max = 100, .max_code = "ValidationError"});
  json result = {{"Activities", page.items}};
  if (!page.next_token.empty())
    result["NextToken"] = page.next_token;
  return result;
}

json set_desired_capacity(const json& in, ServeContext& ctx)
{
  auto& g = group_named(ctx, in);
  if (!in.contains("DesiredCapacity"))
    throw errors::error("ValidationError", "DesiredCapacity is required");
  try {
    g.set_desired(integer(in, "DesiredCapacity"), "");
  } catch (const std::invalid_argument& e) {
    throw errors::error("ValidationError", e.what());
  }
  return json::object();
}

json update_auto_scaling_group(const json& in, ServeContext& ctx)
{
  auto& g = group_named(ctx, in);
  const int min_size = in.contains("MinSize") ? integer(in, "MinSize") : g.min_size();
  const int max_size = in.contains("MaxSize") ? integer(in, "MaxSize") : g.max_size();
  const int desired = in.contains("DesiredCapacity") ? integer(in, "DesiredCapacity") : g.desired();
  if (in.contains("DesiredCapacity") && (desired < min_size || desired > max_size))
    throw errors::error("ValidationError", "Desired capacity:" + std::to_string(desired) + " must be between the specified min size:" +
                                       std::to_string(min_size) + " and max size:" + std::to_string(max_size));
  try {
    g.update(min_size, max_size, desired);
  } catch (const std::invalid_argument& e) {
    throw errors::error("ValidationError", e.what());
  }
  return json::object();
}

json describe_policies(const json& in, ServeContext& ctx)
{
  std::vector<asg::AutoScalingGroup*> groups;
  if (in.contains("AutoScalingGroupName"))
    groups.push_back(&group_named(ctx, in));
  else
    groups = all_groups(ctx);
  std::vector<std::string> names;
  if (in.contains("PolicyNames"))
    for (const auto& n : in["PolicyNames"])
      names.push_back(n.get<std::string>());
  json out = json::array();
  for (auto* g : groups)
    for (const auto& p : g->tracking().policies())
      if (names.empty() || std::find(names.begin(), names.end(), p.name) != names.end())
        out.push_back(policy_json(ctx, *g, p));
  return {{"ScalingPolicies", out}};
}

json delete_policy(const json& in, ServeContext& ctx)
{
  auto& g = group_named(ctx, in);
  const std::string name = in.value("PolicyName", std::string());
  const auto& ps = g.tracking().policies();
  if (std::none_of(ps.begin(), ps.end(), [&](const auto& p) { return p.name == name; }))
    throw errors::validation("Policy " + name + " does not exist for group " + g.spec().name, "ValidationError");
  g.tracking().remove_policy(name);
  return json::object();
}

json put_scaling_policy(const json& in, ServeContext& ctx)
{
  auto& g = group_named(ctx, in);
  if (!in.contains("PolicyName"))
    throw errors::error("ValidationError", "PolicyName is required");
  const std::string type = in.value("PolicyType", std::string("SimpleScaling"));
  if (type != "TargetTrackingScaling")
    throw errors::error("ValidationError", "Only TargetTrackingScaling policies are simulated (got " + type + ")");
  if (!in.contains("TargetTrackingConfiguration"))
    throw errors::error("ValidationError", "TargetTrackingConfiguration is required for TargetTrackingScaling policies");
  const auto& c = in["TargetTrackingConfiguration"];
  asg::TargetTrackingPolicy p;
  p.name = in["PolicyName"].get<std::string>();
  p.resource_label = g.spec().name;
  const std::string metric =
      c.contains("PredefinedMetricSpecification") ? c["PredefinedMetricSpecification"].value("PredefinedMetricType", "") : "";
  if (metric == "ASGAverageCPUUtilization")
    p.metric = asg::PredefinedMetric::ASGAverageCPUUtilization;
  else if (metric == "ALBRequestCountPerTarget")
    p.metric = asg::PredefinedMetric::ALBRequestCountPerTarget;
  else
    throw errors::error("ValidationError", "PredefinedMetricType must be ASGAverageCPUUtilization or ALBRequestCountPerTarget, got '" +
                                       metric + "'");
  if (!c.contains("TargetValue") || !(c["TargetValue"].get<double>() > 0))
    throw errors::error("ValidationError", "TargetValue must be > 0");
  p.target = c["TargetValue"].get<double>();
  p.disable_scale_in = c.value("DisableScaleIn", false);
  g.tracking().add_policy(p);
  return {{"PolicyARN", policy_arn(ctx, g.spec().name, p.name)}, {"Alarms", alarms_of(ctx, g.spec().name, p.name)}};
}

// --- Instance refresh (models/asg/instance_refresh.cpp) -----------------------------------------

json start_instance_refresh(const json& in, ServeContext& ctx)
{
  auto& g = group_named(ctx, in);
  if (in.value("Strategy", std::string("Rolling")) != "Rolling")
    throw errors::error("ValidationError", "Only the Rolling strategy is supported");
  asg::RefreshPreferences prefs;
  if (in.contains("Preferences")) {
    const auto& p = in["Preferences"];
    if (p.contains("MinHealthyPercentage"))
      prefs.min_healthy_pct = integer(p, "MinHealthyPercentage");
    if (p.contains("MaxHealthyPercentage"))
      prefs.max_healthy_pct = integer(p, "MaxHealthyPercentage");
    if (p.contains("InstanceWarmup"))
      prefs.instance_warmup_s = integer(p, "InstanceWarmup");
  }
  try {
    return {{"InstanceRefreshId", g.start_refresh(prefs)}};
  } catch (const std::invalid_argument& e) {
    throw errors::error("ValidationError", e.what());
  } catch (const std::logic_error& e) {
    throw errors::error("InstanceRefreshInProgress", e.what());
  }
}

json describe_instance_refreshes(const json& in, ServeContext& ctx)
{
  auto& g = group_named(ctx, in);
  std::vector<std::string> ids;
  if (in.contains("InstanceRefreshIds"))
    for (const auto& v : in["InstanceRefreshIds"])
      ids.push_back(v.get<std::string>());
  json out = json::array();
  const auto& all = g.refreshes();
  for (auto it = all.rbegin(); it != all.rend(); ++it) {  // newest first
    const auto& r = *it;
    if (!ids.empty() && std::find(ids.begin(), ids.end(), r.id) == ids.end())
      continue;
    json prefs = {{"MinHealthyPercentage", r.prefs.min_healthy_pct},
                  {"InstanceWarmup", static_cast<int>(r.warmup_s)},
                  {"SkipMatching", false},
                  {"AutoRollback", false},
                  {"ScaleInProtectedInstances", "Ignore"},
                  {"StandbyInstances", "Ignore"}};
    if (r.prefs.max_healthy_pct != 100)
      prefs["MaxHealthyPercentage"] = r.prefs.max_healthy_pct;
    json x = {{"InstanceRefreshId", r.id},
              {"AutoScalingGroupName", g.spec().name},
              {"Status", r.status},
              {"StartTime", epoch_s(r.start_s)},
              {"PercentageComplete", r.percentage_complete},
              {"InstancesToUpdate", r.instances_to_update},
              {"Preferences", prefs},
              {"Strategy", "Rolling"}};
    if (!r.status_reason.empty())
      x["StatusReason"] = r.status_reason;
    if (r.end_s >= 0)
      x["EndTime"] = epoch_s(r.end_s);
    out.push_back(x);
  }
  return {{"InstanceRefreshes", out}};
}

json cancel_instance_refresh(const json& in, ServeContext& ctx)
{
  auto& g = group_named(ctx, in);
  try {
    return {{"InstanceRefreshId", g.cancel_refresh()}};
  } catch (const std::logic_error& e) {
    throw errors::error("ActiveInstanceRefreshNotFound", e.what());
  }
}

}  // namespace migsim::harness::serve::autoscaling
