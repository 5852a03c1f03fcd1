// ELBv2 operations on the live ALB of the AWS as-is estate: input and output as botocore members
// (boto3 dicts: timestamps as epoch seconds), independent of the wire. Errors are AwsError. State comes from models/alb: target
// health is what the simulated health checks found.
#pragma once

#include "harness/serve/core/errors.hpp"

#include "harness/serve/core/serve_context.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace migsim::harness::serve::elbv2_estate {

nlohmann::json describe_load_balancers(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json describe_target_groups(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json describe_listeners(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json describe_rules(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json describe_target_health(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json register_targets(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json deregister_targets(const nlohmann::json& in, ServeContext& ctx);

// The ARNs the estate's resources show.
std::string load_balancer_arn(const std::string& name);
std::string target_group_arn(const std::string& name);
std::string listener_arn(const std::string& lb_name);
std::string rule_arn(const std::string& lb_name, const std::string& rule);

}  // namespace migsim::harness::serve::elbv2_estate
