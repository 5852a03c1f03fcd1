// `migsim serve`: the loop that owns the simulation and the HTTP server on one thread, paces the
// simulated clock, and answers the control paths:
//   GET|HEAD /metrics             the metrics registry for Prometheus (harness/observe/)
//   GET|HEAD /_localstack/health  LocalStack's health shape (services and their state)
//   GET      /_localstack/info    LocalStack's info shape
//   GET      /_migsim/clock       {"now_s", "duration_s", "speed", "date", "window"}: window is
//                                 "inside" the scenario's [0, duration_s] or "past" it
//   POST     /_migsim/clock       {"advance_s": N} or {"to_s": T}: runs the simulation forward, then
//                                 answers like GET. The clock never goes back (400) and never
//                                 stops: past duration_s the workload goes on (the daily curve
//                                 repeats day after day; events and spikes are not repeated).
//   GET      /_migsim/timeline    the resources created through the endpoint: created at, available
//                                 at, and how long the apply needed on the simulated clock
//   GET      /_migsim/calls       the recorded mutating calls (CloudTrail events), oldest first
#pragma once

#include "harness/serve/core/http_server.hpp"
#include "harness/serve/core/serve_context.hpp"
#include "sim/scenario.hpp"

#include <optional>
#include <string>
#include <vector>

namespace migsim::harness::serve {

struct ServeOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 4566;  // 0: any free port (the listening line tells which)
  Speed speed;
  double tick_s = 0.020;       // how often the paced clock advances
  double max_step_s = 60;      // simulated seconds per tick at --speed max
  std::vector<std::string> allowed_origins;  // --allowed-origin (besides loopback pages)
  std::vector<std::string> allowed_hosts;    // --allowed-host (control-plane Host names besides loopback)
  bool enforce_sigv4 = false;                // --enforce-sigv4: check signatures against the scenario's /credentials
  std::vector<std::string> timings;  // --timing NAME=SECONDS (core/provisioning.hpp)
};

// The answer to a control path, or nullopt when the path is not one (/_localstack/*, /_migsim/*).
std::optional<Response> handle_control(const Request& req, ServeContext& ctx);

// Runs until SIGINT/SIGTERM; prints the listening line on stdout. Returns the process exit code
// (0 after a signal, 2 when the address cannot be used).
int run_serve(const sim::Scenario& scenario, const ServeOptions& options);

}  // namespace migsim::harness::serve
