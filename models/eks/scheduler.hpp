// kube-scheduler's default profile for one pod: Filter (NodeUnschedulable, TaintToleration,
// NodeAffinity incl. nodeSelector, NodeResourcesFit) then Score with the default plugins and
// weights (TaintToleration 3, NodeAffinity 2, PodTopologySpread 2, NodeResourcesFit/LeastAllocated
// 1, NodeResourcesBalancedAllocation 1), each normalised to 0-100 the way its plugin does. When no
// node passes, the pod stays Pending with kube-scheduler's message ("0/3 nodes are available:
// 3 Insufficient cpu."). Ties go to the first node in snapshot order (kube-scheduler picks one at
// random; a simulation needs determinism). Plain C++: no SimGrid.
#pragma once

#include "models/eks/resources.hpp"

#include <string>
#include <vector>

namespace migsim::models::eks {

// Weights of the score plugins (kube-scheduler defaults). Zero disables a plugin.
struct ScoreWeights {
  int taint_toleration = 3;
  int node_affinity = 2;
  int pod_topology_spread = 2;
  int least_allocated = 1;
  int balanced_allocation = 1;
};

// One soft (ScheduleAnyway) topology spread constraint on the pod's own app label.
struct SpreadConstraint {
  std::string topology_key;
  int max_skew = 1;
};

// The cluster-level defaults: hostname maxSkew 3, zone maxSkew 5, both ScheduleAnyway.
std::vector<SpreadConstraint> default_spread_constraints();

// Per node: did it pass, why not, and each plugin's normalised score.
struct NodeScore {
  bool feasible = false;
  std::vector<std::string> reasons;  // filter failures (kube-scheduler's wording), filled when Pending
  int64_t taint_toleration = 0, node_affinity = 0, pod_topology_spread = 0, least_allocated = 0,
          balanced_allocation = 0;
  int64_t total = 0;  // weighted sum
};

struct ScheduleResult {
  int node = -1;          // index in the snapshot; -1 = Pending
  std::string message;    // why Pending (empty when bound)
  std::vector<NodeScore> nodes;
};

// Filter reasons, as kube-scheduler words them.
inline constexpr const char* kReasonUnschedulable = "node(s) were unschedulable";
inline constexpr const char* kReasonAffinity = "node(s) didn't match Pod's node affinity/selector";
inline constexpr const char* kReasonTooManyPods = "Too many pods";
inline constexpr const char* kReasonCpu = "Insufficient cpu";
inline constexpr const char* kReasonMemory = "Insufficient memory";

class Scheduler {
public:
  explicit Scheduler(ScoreWeights weights = {}, std::vector<SpreadConstraint> spread = default_spread_constraints())
      : weights_(weights), spread_(std::move(spread))
  {}

  // Filter only: the reasons a node rejects the pod (empty = feasible).
  std::vector<std::string> filter(const PodSpec& pod, const NodeView& node) const;
  // The same verdict without the reasons (no allocation): the hot path.
  bool fits(const PodSpec& pod, const NodeView& node) const;
  // Filter and score every node; picks the highest total (first on ties).
  ScheduleResult schedule(const PodSpec& pod, const std::vector<NodeView>& nodes) const;
  // Same on nodes held elsewhere (no copies). With more than 100 nodes only the first
  // numFeasibleNodesToFind feasible ones are scored, searching from where the previous cycle
  // stopped (kube-scheduler's adaptive percentageOfNodesToScore: 50 - nodes / 125 %, at least 5 %
  // and 100 nodes).
  ScheduleResult schedule(const PodSpec& pod, const std::vector<const NodeView*>& nodes) const;

private:
  ScoreWeights weights_;
  std::vector<SpreadConstraint> spread_;
  mutable size_t next_start_ = 0;
};

// kube-scheduler's numFeasibleNodesToFind for a cluster of n nodes (default percentage).
size_t feasible_nodes_to_find(size_t n);

// The scoring pieces, exposed for tests: NodeResourcesFit LeastAllocated and BalancedAllocation on a
// node with the pod's request added (kube-scheduler's integer arithmetic).
int64_t least_allocated_score(const Resources& requested_with_pod, const Resources& allocatable);
int64_t balanced_allocation_score(const Resources& requested_with_pod, const Resources& allocatable);
// kube-scheduler's "0/N nodes are available: ..." message from each node's reasons.
std::string fit_error_message(size_t node_count, const std::vector<std::vector<std::string>>& reasons);

}  // namespace migsim::models::eks
