#include "harness/k8s/disruption.hpp"

#include "harness/k8s/objects.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace migsim::harness::k8s {

namespace {

bool pod_ready(const json& pod)
{
  for (const auto& c : pod.value("status", json::object()).value("conditions", json::array()))
    if (c.value("type", "") == "Ready")
      return c.value("status", "") == "True";
  return false;
}

// An int-or-percent of `total`, rounded up (the disruption controller's GetScaledValueFromIntOrPercent).
int scaled(const json& v, int total)
{
  if (v.is_number_integer())
    return v.get<int>();
  const std::string s = v.is_string() ? v.get<std::string>() : "0";
  return static_cast<int>(std::ceil(std::atoi(s.c_str()) * total / 100.0));
}

}  // namespace

void advance_disruption_budgets(Store& store, double now_s, const std::function<std::string(double)>& iso)
{
  const ResourceKey budgets{"policy", "poddisruptionbudgets"};
  for (const json& pdb : store.list(budgets, "")) {
    const std::string ns = pdb["metadata"].value("namespace", "");
    const json spec = pdb.value("spec", json::object());
    int expected = 0, healthy = 0;
    if (spec.contains("selector") && spec["selector"].is_object())  // a null selector selects no pods
      for (const json& pod : store.list({"", "pods"}, ns))
        if (selector_matches(spec["selector"], pod["metadata"].value("labels", json::object()))) {
          ++expected;
          healthy += pod_ready(pod);
        }
    int desired = 0;
    if (spec.contains("maxUnavailable"))
      desired = std::max(0, expected - scaled(spec["maxUnavailable"], expected));
    else if (spec.contains("minAvailable"))
      desired = scaled(spec["minAvailable"], expected);
    const int allowed = std::max(0, healthy - desired);
    json status = pdb.value("status", json::object());
    const json old = status;
    status["expectedPods"] = expected;
    status["currentHealthy"] = healthy;
    status["desiredHealthy"] = desired;
    status["disruptionsAllowed"] = allowed;
    status["observedGeneration"] = pdb["metadata"].value("generation", 1);
    const std::string cond_status = allowed > 0 ? "True" : "False";
    const json prev = old.value("conditions", json::array());
    const bool same = !prev.empty() && prev[0].value("status", "") == cond_status;
    status["conditions"] = json::array({{{"type", "DisruptionAllowed"},
                                         {"status", cond_status},
                                         {"reason", allowed > 0 ? "SufficientPods" : "InsufficientPods"},
                                         {"message", ""},
                                         {"observedGeneration", status["observedGeneration"]},
                                         {"lastTransitionTime", same ? prev[0].value("lastTransitionTime", iso(now_s)) : iso(now_s)}}});
    if (status == old)
      continue;
    json next = pdb;
    next["status"] = status;
    next["metadata"].erase("resourceVersion");
    store.update(budgets, ns, next);
  }
}

}  // namespace migsim::harness::k8s
