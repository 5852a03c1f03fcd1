// Replaying a journal into a freshly built endpoint, at full speed: the simulation is run to each
// record's simulated time, the record's request is handled again (admitted as it was: no Origin,
// Host or signature check, the same request number and chaos draws), and a clock record runs the
// simulation to its time. A record whose answer or clock differs from the journaled one is a
// divergence: counted and reported (the state then is not what it was).
#pragma once

#include "harness/serve/core/serve_context.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace migsim::harness::serve::persist {

struct ReplayOutcome {
  uint64_t calls = 0;
  uint64_t clocks = 0;
  uint64_t diverged = 0;
  std::string first_divergence;  // "" when none
};

// Replays records[1..] (records[0] is the header). `where` names the journal in errors. Throws
// StateError for a record that cannot be read.
ReplayOutcome replay_records(const std::vector<nlohmann::json>& records, const std::string& where, ServeContext& ctx);

// Runs the simulation to t_s in the slices a clock jump uses, then the Kubernetes controllers (as a
// tick of the paced clock does between requests), and ends a pending clock jump that got there.
void advance_replay_clock(ServeContext& ctx, double t_s);

}  // namespace migsim::harness::serve::persist
