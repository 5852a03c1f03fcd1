// A minimal ELBv2 on the mock endpoint, for the cutover runbook's "wait for healthy targets":
// one target group per migration, named migsim-<target site> (e.g. migsim-aws), whose targets are
// the EC2 instances MGN launched for the cutover. A target is "initial" while its instance boots
// and until it has passed HealthyThresholdCount consecutive health checks every
// HealthCheckIntervalSeconds after its launch job completed (the ALB defaults, 5 x 30 s), then
// "healthy"; a failed launch shows "unhealthy". The group sits behind the site's load balancer
// (migsim-<target site> too), so the scenario's resources are visible as in AWS. Answers
// DescribeLoadBalancers / DescribeTargetGroups / DescribeTargetHealth when the scenario has no aws
// estate (describe.cpp); with one, estate_alb.cpp does.
#pragma once

#include "harness/serve/core/errors.hpp"

#include "harness/serve/core/serve_context.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace migsim::harness::serve::elbv2_sites {

inline constexpr int kHealthyThresholdCount = 5;      // ALB default
inline constexpr double kHealthCheckIntervalS = 30;   // ALB default

// The ARN of the migration's target group ("" without a migration).
std::string target_group_arn(ServeContext& ctx);
// The ARN of the target site's load balancer in front of that group ("" without a migration).
std::string load_balancer_arn(ServeContext& ctx);

// DescribeLoadBalancers (Names / LoadBalancerArns filters): the target site's load balancer, active
// from the start (the site is built before the migration begins); throws AwsError.
nlohmann::json describe_load_balancers(const nlohmann::json& input, ServeContext& ctx);
// DescribeListeners / DescribeRules: its one HTTP:80 listener, whose default rule forwards to the group.
nlohmann::json describe_listeners(const nlohmann::json& input, ServeContext& ctx);
nlohmann::json describe_rules(const nlohmann::json& input, ServeContext& ctx);

// DescribeTargetHealth (input and output as boto3 dicts); throws AwsError.
nlohmann::json describe_target_health(const nlohmann::json& input, ServeContext& ctx);

// DescribeTargetGroups (Names / TargetGroupArns filters); throws AwsError.
nlohmann::json describe_target_groups(const nlohmann::json& input, ServeContext& ctx);

}  // namespace migsim::harness::serve::elbv2_sites
