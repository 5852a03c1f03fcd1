// HorizontalPodAutoscalers: the two served versions of one stored object (autoscaling/v2 is kept;
// autoscaling/v1, which `kubectl autoscale` writes, is converted on the way in and out, as the API
// server converts between versions), and the HPA controller on the simulated clock.
#pragma once

#include "harness/k8s/resources.hpp"
#include "harness/k8s/store.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

namespace migsim::harness::k8s {

using nlohmann::json;

// The resource whose version the store keeps for objects served as `r` (itself for all but
// autoscaling/v1 HorizontalPodAutoscalers).
const Resource& stored_resource(const Resource& r);
// An object served as `r` in the stored version, and back.
json to_stored_version(const Resource& r, const json& obj);
json to_served_version(const Resource& r, const json& obj);
// An HPA of either version as autoscaling/v2.
json hpa_as_v2(const json& hpa);

// The HPA controller: each HPA reads its target Deployment's scale, keeps its replicas within
// minReplicas..maxReplicas (scaling the Deployment when they are not) and writes its status. No
// metrics are served yet, so the metric-driven part reports ScalingActive False, as a cluster
// without metrics-server does. Writes only what changed.
void advance_autoscalers(Store& store, double now_s, const std::function<std::string(double)>& iso);

}  // namespace migsim::harness::k8s
