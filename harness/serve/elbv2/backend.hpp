// ELBv2 resources created through the API of `migsim serve` (CreateLoadBalancer, CreateTargetGroup,
// CreateListener, CreateRule, their Delete*, ModifyTargetGroup), alongside the estate's simulated
// ALB (estate_alb.cpp) and the migration's site target groups (migration_sites.cpp).
//
// A small state machine kept in the serve layer (ctx.state<Store>()), not models/alb objects: the
// resources must exist in scenarios without an aws estate (which owns the only models::Clock the
// harness can reach), and their states are closed-form functions of the simulated clock
// (health.hpp), so they do not depend on when clients poll. Targets that are instances of the
// simulation answer health checks from their simulated state; any other target answers always.
#pragma once

#include "harness/serve/elbv2/health.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace migsim::harness::serve::elbv2 {

// The VPC of the simulation (the estate's, estate_alb.cpp): created load balancers are in it and
// CreateTargetGroup accepts no other.
inline constexpr const char* kVpcId = "vpc-0a5150000000000";

// The provisioning time of created load balancers (`migsim serve --elbv2-provisioning-s`), read
// when the server's Store is first used.
double& provisioning_s_option();

struct LoadBalancer {
  std::string arn, name, dns_name, scheme = "internet-facing", ip_address_type = "ipv4";
  std::string vpc_id = kVpcId;  // the VPC of its subnets (an API-created VPC, or the simulation's)
  std::vector<std::pair<std::string, std::string>> subnets;  // (subnet id, zone), sorted by zone
  std::vector<std::string> security_groups;
  double created_s = 0, active_s = 0;
};

// Where a registered target's liveness comes from.
enum class TargetKind { asg_instance, mgn_instance, external };

struct Target {
  std::string id;
  int port = 0;
  TargetKind kind = TargetKind::external;
  std::string source_server_id;                             // mgn_instance: the MGN source server it was launched for
  double base_s = 0;                                        // health timeline restarts here (registration, ModifyTargetGroup)
  elbv2_health::State base_state = elbv2_health::State::initial;
  double last_from_s = -elbv2_health::kNever;               // last answering start seen for a simulated instance
  double gone_s = -1;                                       // first seen terminated or missing
  double drain_until_s = -1;                                // draining until then (-1: registered)
};

struct TargetGroup {
  std::string arn, name, protocol = "HTTP", protocol_version = "HTTP1", vpc_id, target_type = "instance";
  int port = 80;
  std::string hc_protocol = "HTTP", hc_port = "traffic-port", hc_path = "/", matcher = "200";
  elbv2_health::Settings health;
  double deregistration_delay_s = 300;  // ALB default (deregistration_delay.timeout_seconds)
  double created_s = 0;
  std::vector<Target> targets;
};

struct Listener {
  std::string arn, lb_arn, protocol = "HTTP";
  int port = 80;
  nlohmann::json default_actions = nlohmann::json::array();
  nlohmann::json certificates = nlohmann::json::array();
  std::string ssl_policy;
  double created_s = 0;
};

struct Rule {
  std::string arn, listener_arn;
  int priority = 1;
  nlohmann::json conditions = nlohmann::json::array(), actions = nlohmann::json::array();
  double created_s = 0;
};

// The created resources of one server, in creation order.
struct Store {
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  double provisioning_s = provisioning_s_option();
  std::vector<LoadBalancer> load_balancers;
  std::vector<TargetGroup> target_groups;
  std::vector<Listener> listeners;
  std::vector<Rule> rules;
  uint64_t created = 0;  // resources created so far (a new ARN id each time)

  LoadBalancer* load_balancer(const std::string& arn);
  TargetGroup* target_group(const std::string& arn);
  Listener* listener(const std::string& arn);
  Rule* rule(const std::string& arn);
  // Target group ARNs an action list forwards to.
  static std::vector<std::string> forwarded_groups(const nlohmann::json& actions);
  // When the group starts receiving traffic: the earliest max(listener or rule created, its load
  // balancer active) over the listeners and rules that forward to it; kNever when none does.
  double in_use_from_s(const std::string& tg_arn) const;
  // The load balancers whose listeners or rules forward to the group.
  std::vector<std::string> load_balancers_of(const std::string& tg_arn) const;
};

// --- shared helpers (backend.cpp) ---
std::string arn_prefix(ServeContext& ctx);          // arn:aws:elasticloadbalancing:REGION:ACCOUNT: (the request's region)
std::string hex16(const std::string& s);            // FNV-1a, 16 hex digits
// The estate's resources (so names stay unique and the estate stays read-only).
bool is_estate_load_balancer(ServeContext& ctx, const std::string& arn);
bool is_estate_listener(ServeContext& ctx, const std::string& arn);
bool estate_has_target_group_named(ServeContext& ctx, const std::string& name);
bool is_estate_target_group(ServeContext& ctx, const std::string& arn);
// Validates the actions of a listener or rule of `lb_arn` and answers them as DescribeListeners shows them.
json normalise_actions(Store& st, ServeContext& ctx, const json& actions, const std::string& lb_arn);

// --- operations (input and output as botocore members) ---
json create_load_balancer(const json& in, ServeContext& ctx);
json delete_load_balancer(const json& in, ServeContext& ctx);
json create_listener(const json& in, ServeContext& ctx);
json delete_listener(const json& in, ServeContext& ctx);
json create_rule(const json& in, ServeContext& ctx);
json delete_rule(const json& in, ServeContext& ctx);
json describe_load_balancer(const LoadBalancer& lb, ServeContext& ctx);
json describe_listener(const Listener& l);
json describe_rules_of(const Store& st, const Listener& l);

// target_groups.cpp
json create_target_group(const json& in, ServeContext& ctx);
json delete_target_group(const json& in, ServeContext& ctx);
json modify_target_group(const json& in, ServeContext& ctx);
json describe_target_group(const Store& st, const TargetGroup& g);
json register_targets(TargetGroup& g, const json& in, ServeContext& ctx);
json deregister_targets(TargetGroup& g, const json& in, ServeContext& ctx);
json describe_target_health(TargetGroup& g, const json& in, ServeContext& ctx);

// describe.cpp: the reads and target operations over every load balancer (created, the estate's,
// the migration's sites).
json describe_load_balancers(const json& in, ServeContext& ctx);
json describe_target_groups(const json& in, ServeContext& ctx);
json describe_listeners(const json& in, ServeContext& ctx);
json describe_rules(const json& in, ServeContext& ctx);
json describe_target_health(const json& in, ServeContext& ctx);
json register_targets(const json& in, ServeContext& ctx);
json deregister_targets(const json& in, ServeContext& ctx);

// attributes.cpp: attributes and tags of created resources. `tagged` records the Tags of a
// Create* input under the ARNs of its output list; forget_extras drops them on delete.
Handler tagged(Handler create, const char* list_key, const char* arn_key);
void forget_extras(ServeContext& ctx, const std::string& arn);
void register_attributes(Registry& r);

}  // namespace migsim::harness::serve::elbv2
