// The front door of the services this branch adds, hooked into router.cpp until the shared codec's
// registry takes the AWS side over: the chaos and events control paths, the chaos faults applied
// to every AWS request (in the request's protocol), and the dispatch of Route 53 (rest-xml),
// CloudWatch (json 1.0 and query), the DMS operations of dms_ops.cpp (json 1.1) and the MGN
// operations of mgn_ops.cpp (rest-json). Anything else falls through to the router.
#pragma once

#include "harness/serve/http_server.hpp"
#include "harness/serve/serve_context.hpp"

#include <optional>
#include <string>

namespace migsim::harness::serve {

// The response header the HTTP layer reads (and removes) to delay a response (chaos latency).
inline constexpr const char* kDelayHeader = "X-Migsim-Delay-Ms";

// /_localstack/chaos/* and /_migsim/events; nullopt for other paths.
std::optional<Response> handle_service_control(const Request& req, ServeContext& ctx);
// An AWS request: a chaos fault, or one of the added operations; nullopt to fall through.
std::optional<Response> route_services(const Request& req, ServeContext& ctx);
// Marks an AWS response with the chaos latency effect (no-op for control paths).
void apply_chaos_effects(const Request& req, Response& res, ServeContext& ctx);

// (service, operation, region) of an AWS request as the chaos rules see it.
struct CallIdentity {
  std::string service, operation, region;
};
CallIdentity identify_call(const Request& req);

}  // namespace migsim::harness::serve
