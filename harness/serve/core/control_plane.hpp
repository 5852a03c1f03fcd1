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
//   GET|POST /_migsim/state       the journal and its snapshots; {"save": NAME} saves one
//                                 (serve/persist/, docs/persistence.md)
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
  std::string scenario_path;  // the scenario file (its bytes identify a journal)
  std::string state_dir;      // --state-dir: journal every state-changing input there, replay it at start
  std::string restore;        // --restore NAME: resume from a snapshot of the state directory
};

// Where a POST /_migsim/clock stops (< 0: where it asks, as far as its wall budget goes): a journal
// replay sets it to where the journaled jump had got when it was answered (the rest of a long jump
// went on between requests, and the journal's later records say where).
struct ClockJumpCap {
  double stop_at_s = -1;
};

// The answer to a control path, or nullopt when the path is not one (/_localstack/*, /_migsim/*).
std::optional<Response> handle_control(const Request& req, ServeContext& ctx);

// Runs until SIGINT/SIGTERM; prints the listening line on stdout. Returns the process exit code
// (0 after a signal, 2 when the address cannot be used, 4 when the journal cannot be written, 6
// when the state directory or snapshot is refused).
int run_serve(const sim::Scenario& scenario, const ServeOptions& options);

}  // namespace migsim::harness::serve
