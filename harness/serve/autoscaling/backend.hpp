// Auto Scaling on the mock endpoint: the live groups of the AWS as-is estate and those created through
// the API, both models/asg groups on the simulation's clock. Input and output as botocore members
// (boto3 dicts, timestamps as epoch seconds), independent of the wire; errors are AwsError.
// DescribeScalingActivities is the simulated history (models/asg), newest first as AWS lists it.
#pragma once

#include "harness/serve/core/errors.hpp"

#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/serve_context.hpp"
#include "models/asg/auto_scaling_group.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace migsim::harness::serve::autoscaling {

nlohmann::json describe_auto_scaling_groups(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json describe_scaling_activities(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json set_desired_capacity(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json update_auto_scaling_group(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json describe_policies(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json put_scaling_policy(const nlohmann::json& in, ServeContext& ctx);
// tags.cpp: group tags around CreateAutoScalingGroup, DeleteAutoScalingGroup and
// DescribeAutoScalingGroups, and CreateOrUpdateTags, DeleteTags, DescribeTags.
Handler recording_tags(Handler create);
Handler forgetting_tags(Handler remove);
Handler with_group_tags(Handler describe);
void register_tags(Registry& r);
// The value of a group's tag that propagates to its instances at launch ("" when none).
std::string propagated_tag(ServeContext& ctx, const std::string& group, const std::string& key);
// attachments.cpp: DescribeLoadBalancers, DescribeLifecycleHooks, DescribeWarmPool, DescribeTrafficSources.
void register_attachments(Registry& r);
// DeletePolicy (its alarms go with it).
nlohmann::json delete_policy(const nlohmann::json& in, ServeContext& ctx);
// StartInstanceRefresh (Rolling; MinHealthyPercentage, MaxHealthyPercentage, InstanceWarmup honoured),
// DescribeInstanceRefreshes (newest first), CancelInstanceRefresh.
nlohmann::json start_instance_refresh(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json describe_instance_refreshes(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json cancel_instance_refresh(const nlohmann::json& in, ServeContext& ctx);

// ---- Groups created through the API ----

// created_groups.cpp: Auto Scaling groups created through the API (CreateAutoScalingGroup) and their
// deletion. Each is a
// real models/asg AutoScalingGroup on the simulation's clock: it launches instances of its launch
// template's instance type (resolved at each launch, $Default / $Latest / a number, as AWS does),
// they boot for the scenario's boot time (Pending -> InService), its scaling activities are recorded,
// and the other Auto Scaling operations (Describe*, SetDesiredCapacity, UpdateAutoScalingGroup,
// instance refresh) act on it as on the estate's groups. With aws.from_api its tagged instances run
// their service, join its target groups and its CPU target tracking is evaluated
// (elbv2/estate_binding.hpp); otherwise its instances serve no traffic.

// A group created with CreateAutoScalingGroup and what Auto Scaling reports of it besides the model.
struct ApiGroup {
  std::unique_ptr<models::asg::AutoScalingGroup> group;
  std::string lt_id, lt_name, lt_version;  // the LaunchTemplate specification (version as asked)
  std::vector<std::string> target_group_arns;
  std::string vpc_zone_identifier;
  int default_cooldown_s = 300;
  bool warmup_given = false;  // DefaultInstanceWarmup was set (Auto Scaling shows it only then)
  double created_s = 0;
  bool deleting = false;  // ForceDelete: instances terminating, then the group goes
  bool deleted = false;   // kept (never freed: the clock's callbacks hold the group)
  std::map<std::string, std::string> instance_type;       // instance id -> type it launched with
  std::map<std::string, std::string> instance_lt_version; // instance id -> launch template version
};

// The groups created through the API (ctx.state<ApiGroups>()).
struct ApiGroups {
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  // Seconds an instance takes from terminate to terminated (shutting-down). Not published by AWS:
  // a parameter, default 30 s.
  double shutdown_s = 30.0;
  std::vector<std::unique_ptr<ApiGroup>> all;
  std::unique_ptr<models::Clock> clock;  // the engine's, made on first use
  uint64_t instances = 0;                // id counter

  // A live group by name (deleted ones are not; a force-deleted one goes once its instances are gone).
  ApiGroup* find(const std::string& name);
  // The live groups, in creation order.
  std::vector<ApiGroup*> live();
};

// The API group a model group is, or nullptr for an estate group.
ApiGroup* api_group(ServeContext& ctx, const models::asg::AutoScalingGroup& g);

nlohmann::json create_auto_scaling_group(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json delete_auto_scaling_group(const nlohmann::json& in, ServeContext& ctx);

}  // namespace migsim::harness::serve::autoscaling
