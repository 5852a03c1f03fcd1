// `migsim run`: one batch simulation of a scenario from t = 0 to its duration.
#pragma once

#include "harness/run/run_result.hpp"
#include "harness/run/simulation.hpp"
#include "sim/scenario.hpp"

#include <memory>

namespace migsim::harness {

struct RunOptions {
  bool progress = false;  // progress line on stderr (TTY only)
  bool verbose = false;   // echo the event log
};

// Loads and validates a scenario file, every section included (the migration's too); throws
// sim::InputError with the JSON pointer. An empty path loads the built-in default.
sim::Scenario load_scenario(const std::string& path);
// Same, from a parsed document.
sim::Scenario parse_full_scenario(const nlohmann::json& doc, const std::string& source);

// Runs the scenario in this process (one simulation per process: SimGrid's engine is a singleton).
RunResult run_scenario(const sim::Scenario& scenario, const RunOptions& options);

}  // namespace migsim::harness
