// What other parts of serve may ask about the EKS clusters (the Kubernetes API of harness/k8s):
// whether a cluster exists, its status and Kubernetes version.
#pragma once

#include "harness/serve/core/serve_context.hpp"

#include <optional>
#include <string>

namespace migsim::harness::serve {

struct EksClusterInfo {
  std::string status;   // CREATING, ACTIVE, DELETING
  std::string version;  // "1.30"
};

// The cluster named `name` at the simulated now; nullopt when there is none.
std::optional<EksClusterInfo> eks_cluster_info(ServeContext& ctx, const std::string& name);

}  // namespace migsim::harness::serve
