// Expectations: the scenario's SLO assertions, measured on a finished run.
#pragma once

#include "harness/run/run_result.hpp"
#include "sim/scenario.hpp"

namespace migsim::harness {

// Fills result.expectations, one verdict per scenario expectation, in scenario order.
void evaluate_expectations(const sim::Scenario& scenario, RunResult& result);

// The measured value of one expectation metric (throws std::invalid_argument on unknown metric).
double measure(const sim::ExpectationSpec& e, const RunResult& result);

}  // namespace migsim::harness
