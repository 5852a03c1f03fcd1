// aws:branch choices: {NextStep, Variable, <Operator>: value} or And/Or (arrays of choices) and
// Not (one choice), as in SSM Automation. Checked when the runbook loads, evaluated when it runs.
#pragma once

#include "harness/runbook/values.hpp"

#include <string>

namespace migsim::harness::runbook {

// Rejects a malformed choice (RunbookError naming step and field). Top-level choices need NextStep;
// nested ones (inside And/Or/Not) must not have it.
void check_choice(const json& choice, const std::string& step, const std::string& field, bool top_level);

// Whether a choice holds, its Variable resolved through `resolve`. Throws std::runtime_error when a
// variable cannot be resolved or a numeric comparison meets a non-number.
bool evaluate_choice(const json& choice, const Resolver& resolve);

}  // namespace migsim::harness::runbook
