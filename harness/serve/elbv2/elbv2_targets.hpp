// A minimal ELBv2 on the mock endpoint, for the cutover runbook's "wait for healthy targets":
// one target group per migration, named migsim-<target site> (e.g. migsim-aws), whose targets are
// the EC2 instances MGN launched for the cutover. A target is "initial" while its instance boots
// and until it has passed HealthyThresholdCount consecutive health checks every
// HealthCheckIntervalSeconds after its launch job completed (the ALB defaults, 5 x 30 s), then
// "healthy"; a failed launch shows "unhealthy". Added by the runbook branch because no other
// branch implements ELBv2 yet (see notes/README-runbook.md).
#pragma once

#include "harness/serve/core/serve_context.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace migsim::harness::serve::elbv2_sites {

inline constexpr int kHealthyThresholdCount = 5;      // ALB default
inline constexpr double kHealthCheckIntervalS = 30;   // ALB default

// A client error of this API (code, message; HTTP 400).
struct Elbv2Error : std::runtime_error {
  std::string code;
  Elbv2Error(std::string c, const std::string& message) : std::runtime_error(message), code(std::move(c)) {}
};

// The ARN of the migration's target group ("" without a migration).
std::string target_group_arn(ServeContext& ctx);

// DescribeTargetHealth (input and output as boto3 dicts); throws Elbv2Error.
nlohmann::json describe_target_health(const nlohmann::json& input, ServeContext& ctx);

// DescribeTargetGroups (Names / TargetGroupArns filters); throws Elbv2Error.
nlohmann::json describe_target_groups(const nlohmann::json& input, ServeContext& ctx);

}  // namespace migsim::harness::serve::elbv2_sites
