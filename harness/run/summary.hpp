// Outputs of a run: summary.json (stable schema, versioned), timeseries.csv (one row per simulated
// minute) and the human summary printed on stdout.
#pragma once

#include "harness/run/run_result.hpp"

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

namespace migsim::harness {

inline constexpr int kSummarySchemaVersion = 1;

// Deterministic: contains nothing that depends on the wall clock or the machine.
nlohmann::json summary_json(const RunResult& r);
void write_summary(const RunResult& r, const std::string& dir);  // summary.json + timeseries.csv
void print_summary(const RunResult& r, std::ostream& out);

}  // namespace migsim::harness
