// HorizontalPodAutoscalers: the two served versions of one stored object (autoscaling/v2 is kept;
// autoscaling/v1, which `kubectl autoscale` writes, is converted on the way in and out, as the API
// server converts between versions), and the HPA controller on the simulated clock.
#pragma once

#include "harness/k8s/deployments.hpp"
#include "harness/k8s/resources.hpp"
#include "harness/k8s/store.hpp"
#include "models/eks/hpa.hpp"

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

// The HPA controller: each HPA reads its target Deployment's scale and writes its status.
// - Target bound to the EKS model (`migsim.io/service`, deployments.hpp) with a CPU utilisation
//   target: the HPA becomes the model's HPA of that Deployment (models/eks/hpa.hpp: the replica
//   calculator on the pods' simulated CPU, behaviour, stabilisation), the Deployment's replicas
//   follow the model's decisions, and the status carries the measured utilisation.
// - Otherwise (no model metrics): replicas kept within minReplicas..maxReplicas, ScalingActive
//   False as on a cluster without metrics-server.
// Writes only what changed.
void advance_autoscalers(Store& store, Deployments& deployments, models::eks::EksCluster* model, double now_s,
                         const std::function<std::string(double)>& iso);

// The model's HPA of an autoscaling/v2 object: bounds, the CPU utilisation target (80 % when none
// is given), behaviour; nullopt when it has a metric other than CPU utilisation.
std::optional<models::eks::HpaSpec> model_hpa(const json& hpa);

}  // namespace migsim::harness::k8s
