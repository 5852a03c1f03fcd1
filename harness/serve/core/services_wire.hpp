// The hooks of the services this branch adds, called by router.cpp around the registry: the chaos
// and events control paths, the chaos faults applied to every AWS request (in the request's
// protocol, through the shared codec). Everything else falls through to the registry.
#pragma once

#include "harness/serve/core/http_server.hpp"
#include "harness/serve/core/serve_context.hpp"

#include <optional>
#include <string>

namespace migsim::harness::serve {

// The response header the HTTP layer reads (and removes) to delay a response (chaos latency).
inline constexpr const char* kDelayHeader = "X-Migsim-Delay-Ms";

// /_localstack/chaos/* and /_migsim/events; nullopt for other paths.
std::optional<Response> handle_service_control(const Request& req, ServeContext& ctx);
// An AWS request a chaos fault matches: its error; nullopt to fall through.
std::optional<Response> route_services(const Request& req, ServeContext& ctx);
// Marks an AWS response with the chaos latency effect (no-op for control paths).
void apply_chaos_effects(const Request& req, Response& res, ServeContext& ctx);

}  // namespace migsim::harness::serve
