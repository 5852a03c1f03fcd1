// Auto Scaling operations on the live groups of the AWS as-is estate: input and output as botocore
// members (boto3 dicts, timestamps as epoch seconds), independent of the wire; errors are AwsError. DescribeScalingActivities is the
// simulated history (models/asg), newest first as AWS lists it.
#pragma once

#include "harness/serve/core/errors.hpp"

#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/serve_context.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace migsim::harness::serve::autoscaling {

nlohmann::json describe_auto_scaling_groups(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json describe_scaling_activities(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json set_desired_capacity(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json update_auto_scaling_group(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json describe_policies(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json put_scaling_policy(const nlohmann::json& in, ServeContext& ctx);
// autoscaling_tags.cpp: group tags around CreateAutoScalingGroup, DeleteAutoScalingGroup and
// DescribeAutoScalingGroups, and CreateOrUpdateTags, DeleteTags, DescribeTags.
Handler recording_tags(Handler create);
Handler forgetting_tags(Handler remove);
Handler with_group_tags(Handler describe);
void register_tags(Registry& r);
// attachments.cpp: DescribeLoadBalancers, DescribeLifecycleHooks, DescribeWarmPool, DescribeTrafficSources.
void register_attachments(Registry& r);
// DeletePolicy (its alarms go with it).
nlohmann::json delete_policy(const nlohmann::json& in, ServeContext& ctx);
// StartInstanceRefresh (Rolling; MinHealthyPercentage, MaxHealthyPercentage, InstanceWarmup honoured),
// DescribeInstanceRefreshes (newest first), CancelInstanceRefresh.
nlohmann::json start_instance_refresh(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json describe_instance_refreshes(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json cancel_instance_refresh(const nlohmann::json& in, ServeContext& ctx);

}  // namespace migsim::harness::serve::autoscaling

namespace migsim::harness::serve {
class Registry;
// Adds these operations to the serve registry (autoscaling_api.cpp; compiled when the registry is).
void register_autoscaling(Registry& r);
}  // namespace migsim::harness::serve
