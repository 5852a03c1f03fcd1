// The disruption controller: each PodDisruptionBudget's status from the pods its selector selects
// in its namespace (expected, healthy = Ready, desired healthy from minAvailable or maxUnavailable,
// percentages rounded up as the controller rounds them; the disruptions allowed now), on the
// simulated clock as the pods become ready.
#pragma once

#include "harness/k8s/store.hpp"

#include <functional>
#include <string>

namespace migsim::harness::k8s {

void advance_disruption_budgets(Store& store, double now_s, const std::function<std::string(double)>& iso);

}  // namespace migsim::harness::k8s
