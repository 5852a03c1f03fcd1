// ELBv2 operations on the live ALB of the AWS as-is estate: input and output as botocore members
// (boto3 dicts: timestamps as epoch seconds), independent of the wire. The registry wrapper
// (elbv2_api.cpp) turns a Fault into the protocol's AwsError. State comes from models/alb: target
// health is what the simulated health checks found.
#pragma once

#include "harness/serve/core/serve_context.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace migsim::harness::serve::elbv2 {

// An error the caller caused: code as ELBv2 names it (LoadBalancerNotFound, TargetGroupNotFound,
// InvalidTarget, ValidationError, ...).
struct Fault : std::runtime_error {
  std::string code;
  int status;
  Fault(std::string c, const std::string& message, int s = 400) : std::runtime_error(message), code(std::move(c)), status(s) {}
};

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

}  // namespace migsim::harness::serve::elbv2

namespace migsim::harness::serve {
class Registry;
// Adds these operations to the serve registry (elbv2_api.cpp; compiled when the registry is).
void register_elbv2(Registry& r);
}  // namespace migsim::harness::serve
