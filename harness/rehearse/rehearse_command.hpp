// `migsim rehearse SCENARIO --runbook FILE [--speed step|N|max] [--setup CMD]... [-p key=value]... [--out DIR]`:
// runs a runbook against the scenario's simulated AWS and reports what the rehearsal showed. The
// default speed, step, is deterministic (same scenario, runbook and seed: same results); a wall-clock
// speed (N or max) depends on how fast the machine computes and is not reproducible.
//
// Setup commands (--setup) run first, on a wall-paced clock (--setup-speed: terraform's waits need
// the clock to move), each recorded with its exit code, simulated interval and the mutating API
// calls it made; they put a rehearsal's simulated times at the machine's mercy, so a rehearsal with
// setup is not reproducible byte for byte. The runbook then starts where --start-at (or the
// replaced event) says, or where the setup left the clock if that is later.
//
// The mock endpoint runs in-process on its own thread (MockEndpoint: the simulation stays on the
// server's thread), bound to a free loopback port; the runbook runs on the main thread through
// migsim's AWS client over real HTTP, exactly as `migsim runbook run --endpoint-url` would. The
// scenario's automated `cutover_start` events (or those named by --replace-event) are removed: the
// runbook does that work; the simulated clock is first advanced to the first of them (or --start-at). Once the runbook ends
// the simulation runs to the scenario's end, and DIR gets summary.json, timeseries.csv,
// runbook-log.json, rehearsal.json (report.hpp) and report.html (the run's report with the runbook
// on its timeline, as `migsim report DIR` rebuilds it).
//
// Exit codes: 0 the runbook succeeded and every expectation held, 1 otherwise, 2 bad input
// (scenario, runbook, parameter), 3 invariant violated, 4 output not writable.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace migsim::harness::rehearse {

struct RehearseOptions {
  std::string scenario, runbook, out_dir = "migsim-rehearsal", speed = "step";
  std::vector<std::string> params;
  std::vector<std::string> replace_events = {"cutover_start"};  // scenario events the runbook replaces
  double start_at_s = -1;    // -1: the first cutover_start event, else 0
  double poll_s = 15;        // server time between polls of wait steps
  double wall_limit_s = 600; // a step still running after this much wall time fails
  std::vector<std::string> setup;  // shell commands run before the runbook (setup_command.hpp)
  std::string setup_speed = "60";   // the clock's speed while they run
  double setup_timeout_s = 3600;    // wall seconds
  bool quiet = false;
};

// Runs one rehearsal; returns the exit code.
int rehearse(const RehearseOptions& options);

// The `rehearse` subcommand, registered on the app; run() is the exit code once parsed.
class RehearseCli {
public:
  explicit RehearseCli(CLI::App& app);
  std::optional<int> run() const;

private:
  CLI::App* cmd_ = nullptr;
  RehearseOptions opt_;
};

}  // namespace migsim::harness::rehearse
