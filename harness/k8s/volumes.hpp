// Persistent volumes on the simulated clock: the PersistentVolume controller and the EFS CSI
// driver's provisioner. A claim on a StorageClass of `efs.csi.aws.com` with Immediate binding gets a
// dynamically provisioned PersistentVolume (`pvc-<claim uid>`, an EFS access point of the class's
// file system, ReadWriteMany as EFS allows) and both become Bound; a released volume is deleted or
// kept by its reclaim policy.
#pragma once

#include "harness/k8s/store.hpp"

#include <functional>
#include <string>

namespace migsim::harness::k8s {

// The provisioner the cluster runs (the Amazon EFS CSI driver add-on).
inline constexpr const char* kEfsProvisioner = "efs.csi.aws.com";

void advance_volumes(Store& store, double now_s, const std::function<std::string(double)>& iso);

}  // namespace migsim::harness::k8s
