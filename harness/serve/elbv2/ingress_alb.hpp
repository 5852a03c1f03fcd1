// The AWS Load Balancer Controller's part for an Ingress of IngressClass `alb` on a simulated EKS
// cluster: it makes the ALB in this server's ELBv2 API, as the controller would through the real
// one. One ALB per Ingress (Ingresses of one `alb.ingress.kubernetes.io/group.name` are not merged
// into one ALB as the controller merges them), its scheme from
// `alb.ingress.kubernetes.io/scheme` (internal by default, as the controller's), an HTTP:80 listener
// whose default action is a 404 fixed response (the controller's, without a default backend), a
// target group per backend Service and port (target type from `alb.ingress.kubernetes.io/target-type`,
// instance by default; health check path from `.../healthcheck-path`), and a rule per host and path
// in the order the Ingress lists them (host-header and path-pattern conditions, forward to the group).
// Names as the controller's: k8s-<namespace>-<name>-<hash>, cut to ELBv2's 32 characters.
#pragma once

#include "harness/serve/core/serve_context.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <utility>

namespace migsim::harness::serve::elbv2 {

struct IngressAlb {
  std::string load_balancer_arn;
  std::string dns_name;
  std::string target_type;                         // instance or ip
  std::map<std::string, std::string> target_groups;  // "<service>:<port>" -> target group ARN
};

// Makes the ALB of `ingress` (a networking.k8s.io/v1 Ingress of cluster `cluster`), in the
// scenario's region. Throws AwsError when ELBv2 refuses a part of it.
IngressAlb create_ingress_alb(ServeContext& ctx, const std::string& cluster, const nlohmann::json& ingress);

// The targets of a target group made by create_ingress_alb: `targets` (id, port) registered, the
// others deregistered (they drain).
void sync_ingress_targets(ServeContext& ctx, const std::string& target_group_arn, const std::set<std::pair<std::string, int>>& targets);

// Deletes an ALB made by create_ingress_alb, its rules, listener and target groups.
void delete_ingress_alb(ServeContext& ctx, const std::string& load_balancer_arn);

}  // namespace migsim::harness::serve::elbv2
