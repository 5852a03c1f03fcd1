// The binding of what clients build through the API to the simulated estate (aws.from_api,
// docs/estate-from-api.md): once per simulated second it mirrors the entry load balancer's listener
// rules and target groups into models/aws/ApiEstate, starts the InService instances of the API's
// Auto Scaling groups on hosts of the service their migsim:service tag names (registering them in
// the groups' target groups) and stops the terminated ones, and turns the database host on while
// an RDS instance tagged for the database service is available. Each minute it evaluates the API
// groups' target tracking on the simulated CPU. Nothing happens without aws.from_api.
#pragma once

#include "harness/serve/core/serve_context.hpp"

#include <string>
#include <vector>

namespace migsim::harness::serve::elbv2 {

// One rule of the entry load balancer as routing sees it: path patterns (empty: the default
// action) and the target group it forwards to ("" for another action: no target).
struct Route {
  std::vector<std::string> path_patterns;
  std::string target_group_arn;
};

// The target group a path goes to: the first route whose patterns match, else the last (default)
// route; "" when there is none.
std::string route_path(const std::vector<Route>& routes, const std::string& path);

// Starts the binding on the server's simulation (called once when the server starts).
void install_estate_binding(ServeContext& ctx);

// How CloudWatch names the entry load balancer ("app/NAME/ID", "" while it does not exist) and a
// target group of its region by name ("targetgroup/NAME/ID"), for the ApplicationELB dimensions.
std::string entry_load_balancer_dimension(ServeContext& ctx);
std::string target_group_dimension(ServeContext& ctx, const std::string& name);

}  // namespace migsim::harness::serve::elbv2
