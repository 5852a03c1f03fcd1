// GET /metrics of `migsim serve`: the metrics registry of the running simulation, at the current
// simulated time, for a Prometheus scraper (OpenMetrics when its Accept header asks for it).
#pragma once

#include "harness/serve/core/http_server.hpp"
#include "harness/serve/core/serve_context.hpp"

#include <optional>

namespace migsim::harness::observe {

// The answer for /metrics (405 for a method other than GET or HEAD); nullopt for any other path.
std::optional<serve::Response> handle_metrics(const serve::Request& req, serve::ServeContext& ctx);

}  // namespace migsim::harness::observe
