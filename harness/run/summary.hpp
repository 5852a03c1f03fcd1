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
// An expectation's label for people: PASS / FAIL, or for one that pins the failure a scenario is
// built to show, "FAILS (pinned)" when it holds (the estate fails that SLO, as meant) and "FAIL
// (failure not reproduced)" when it does not.
const char* expectation_label(const ExpectationResult& e);

// Whether a pinned failure on this metric is an SLO the estate breaks (a bound on latency, error
// rate or utilisation: what SLOs are written on) rather than the visible effect of an injected
// fault (a count of errors or failovers), which the scenario's other expectations then judge.
bool is_slo_metric(const std::string& metric);

}  // namespace migsim::harness
