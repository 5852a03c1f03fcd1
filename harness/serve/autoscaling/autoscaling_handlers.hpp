// Auto Scaling operations on the live groups of the AWS as-is estate: input and output as botocore
// members (boto3 dicts, timestamps as epoch seconds), independent of the wire; the registry wrapper
// (autoscaling_api.cpp) turns a Fault into the protocol's AwsError. DescribeScalingActivities is the
// simulated history (models/asg), newest first as AWS lists it.
#pragma once

#include "harness/serve/core/serve_context.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace migsim::harness::serve::autoscaling {

// An error the caller caused (Auto Scaling uses ValidationError for most, with HTTP 400).
struct Fault : std::runtime_error {
  std::string code;
  int status;
  Fault(std::string c, const std::string& message, int s = 400) : std::runtime_error(message), code(std::move(c)), status(s) {}
};

nlohmann::json describe_auto_scaling_groups(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json describe_scaling_activities(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json set_desired_capacity(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json update_auto_scaling_group(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json describe_policies(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json put_scaling_policy(const nlohmann::json& in, ServeContext& ctx);
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
