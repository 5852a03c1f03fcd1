// `migsim run`: one batch simulation of a scenario from t = 0 to its duration.
#pragma once

#include "harness/run/run_result.hpp"
#include "sim/scenario.hpp"

namespace migsim::harness {

struct RunOptions {
  bool progress = false;  // progress line on stderr (TTY only)
  bool verbose = false;   // echo the event log
};

// Runs the scenario in this process (one simulation per process: SimGrid's engine is a singleton).
RunResult run_scenario(const sim::Scenario& scenario, const RunOptions& options);

}  // namespace migsim::harness
