// The resource metrics API (metrics.k8s.io/v1beta1) as metrics-server serves it, from the EKS model:
// NodeMetrics for every joined node (its pods' CPU over the model's last metrics-server window, and
// their memory requests) and PodMetrics for the pods of Deployments bound to the model (the pod's
// CPU over that window, its memory request). `kubectl top nodes|pods` reads them. Written by the
// server only (read-only resources), when they change.
#pragma once

#include "harness/k8s/deployments.hpp"
#include "harness/k8s/store.hpp"

#include <functional>
#include <string>

namespace migsim::harness::k8s {

void advance_metrics(Store& store, const Deployments& deployments, const models::eks::EksCluster& model,
                     const std::function<std::string(double)>& iso);

}  // namespace migsim::harness::k8s
