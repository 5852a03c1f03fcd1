// The rehearsal report: what the runbook did (step timeline in simulated time) and what users and
// data saw meanwhile (from the simulation): write downtime and refused/failed requests per minute,
// lost transactions, the DNS shift curve, the final state of every resource, the scenario's
// expectations. rehearsal.json is this document (no wall-clock value except under "wall").
#pragma once

#include "harness/run/run_result.hpp"
#include "sim/scenario.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace migsim::harness::rehearse {

inline constexpr int kRehearsalSchemaVersion = 1;

struct RehearsalInputs {
  std::string scenario_file, runbook_file, speed, endpoint;
  double start_at_s = 0;            // simulated time the runbook started at
  nlohmann::json parameters;        // as given (masked)
  nlohmann::json runbook_log;       // the executor's log
  nlohmann::json final_state;       // resources when the runbook ended
  nlohmann::json api_calls = nlohmann::json::array();  // the mutating calls the endpoint recorded (CloudTrail)
  const RunResult* result = nullptr;  // the simulation, run to the scenario's end
  std::vector<sim::EventSpec> events;  // the scenario's timed events left in (faults injected meanwhile)
  nlohmann::json setup = nlohmann::json::array();         // the setup commands run (rehearse_command.cpp)
  nlohmann::json setup_wall_s = nlohmann::json::array();  // their wall times
  nlohmann::json resource_timeline;  // GET /_migsim/timeline's document when the runbook ended
  double wall_s = 0;
};

// The report document (see rehearse_command.hpp for its use).
nlohmann::json rehearsal_report(const RehearsalInputs& in);

// The human summary of a report.
void print_rehearsal(const nlohmann::json& report, std::ostream& out);

// Whether the rehearsal passed: the runbook succeeded, every expectation held, no invariant broke.
bool rehearsal_passed(const nlohmann::json& report);

// A simulated time on the scenario's calendar, "2025-11-28 18:00:00" (sim::output_calendar()).
std::string sim_clock(double sim_s);

}  // namespace migsim::harness::rehearse
