// The cluster's Nodes, from the EKS model: every node of its managed node groups (or launched by
// Karpenter) that has joined the cluster appears as a Node object, named and labelled as the model
// schedules on it (kubernetes.io/hostname, node.kubernetes.io/instance-type,
// topology.kubernetes.io/zone, eks.amazonaws.com/nodegroup) plus the labels kubelet sets, with the
// instance type's capacity and allocatable; Ready, NotReady when the model's node failed,
// SchedulingDisabled while drained; gone when the model's node is. Written only when it changes.
#pragma once

#include "harness/k8s/store.hpp"

#include <functional>
#include <string>

namespace migsim::models::eks {
class EksCluster;
}

namespace migsim::harness::k8s {

// `minor`: the cluster's Kubernetes minor version (the kubelets' version).
void advance_nodes(Store& store, const models::eks::EksCluster& model, const std::string& minor, double now_s,
                   const std::function<std::string(double)>& iso);

}  // namespace migsim::harness::k8s
