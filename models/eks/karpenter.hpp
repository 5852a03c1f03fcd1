// Karpenter as the alternative provisioner. Provisioning: pending pods (largest first) are packed
// into NodeClaims; each claim keeps the NodePool's instance types that can still hold every pod
// put on it, takes a pod only while at least one type remains, and launches the cheapest remaining
// type (on-demand lowest-price allocation). Consolidation (disruption controller): WhenEmpty
// deletes nodes empty for consolidateAfter; WhenEmptyOrUnderutilized also deletes a node whose pods
// all fit on the other nodes, or replaces it with a cheaper single type that holds its pods, one
// action per pass (multi-node consolidation is not modelled). Plain C++.
#pragma once

#include "models/eks/instance_catalog.hpp"
#include "models/eks/resources.hpp"

#include <string>
#include <vector>

namespace migsim::models::eks {

enum class Consolidation : uint8_t { WhenEmpty, WhenEmptyOrUnderutilized };

struct NodePool {
  std::vector<InstanceType> instance_types;  // the allowed list (requirements on instance type)
  Consolidation consolidation = Consolidation::WhenEmptyOrUnderutilized;
  double consolidate_after_s = 0;
};

// One node to launch: its type and the pending pods (indices) it was sized for.
struct NodeClaim {
  size_t type = 0;  // index in pool.instance_types
  std::vector<size_t> pods;
};

// Packs the pending pods into claims (pods fitting no allowed type are left out).
std::vector<NodeClaim> karpenter_provision(const NodePool& pool, const std::vector<PodSpec>& pending);

struct KarpenterNode {
  NodeView view;
  size_t type = 0;  // index in pool.instance_types
  std::vector<PodSpec> pods;
  double empty_since_s = -1;  // -1: has pods
};

struct ConsolidationAction {
  enum class Kind : uint8_t { None, Delete, Replace } kind = Kind::None;
  size_t node = 0;          // index into the nodes given
  size_t replacement = 0;   // type index for Replace
  std::string reason;
};

// One disruption pass at now_s.
ConsolidationAction karpenter_consolidate(const NodePool& pool, const std::vector<KarpenterNode>& nodes, double now_s);

}  // namespace migsim::models::eks
