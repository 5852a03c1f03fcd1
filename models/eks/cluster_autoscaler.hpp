// Cluster Autoscaler's main loop (one scan every 10 s) over a cluster snapshot. Scale-up: pods the
// scheduler left unschedulable are first fitted onto nodes already being provisioned, the rest are
// bin-packed (first fit, largest first) onto template nodes of each node group with room; an
// expander (random, most-pods, least-waste, priority) picks one group and its target grows by the
// nodes needed, within max. Scale-down: a node whose utilisation (max of CPU and memory requests /
// allocatable) is under 0.5 and whose pods all fit on other nodes is unneeded; after 10 min
// unneeded it is removed (empty nodes up to 10 at once, others one at a time), never taking a group
// below min, and not within 10 min of a scale-up. Nodes not ready 15 min after they were asked for
// are given up (the group backs off 5 min). Plain C++.
#pragma once

#include "models/eks/resources.hpp"
#include "models/eks/scheduler.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace migsim::models::eks {

enum class Expander : uint8_t { Random, MostPods, LeastWaste, Priority };

struct CaSettings {
  double scan_interval_s = 10;
  double utilization_threshold = 0.5;
  double unneeded_time_s = 600;
  double delay_after_add_s = 600;
  double max_node_provision_time_s = 900;
  double backoff_s = 300;
  int max_empty_bulk_delete = 10;
  int max_non_empty_candidates = 30;  // scale-down-non-empty-candidates-count
  Expander expander = Expander::Random;
  uint64_t seed = 1;  // for the random expander
};

struct CaNodeGroup {
  std::string name;
  NodeView template_node;  // what a new node looks like (labels, taints, allocatable)
  int min_size = 0;
  int max_size = 0;
  int target_size = 0;     // desired capacity of the group (registered + being provisioned)
  int priority = 0;        // for the priority expander (highest wins)
};

struct CaNode {
  NodeView view;
  int group = 0;
  std::vector<PodSpec> pods;  // pods that would have to move (no DaemonSets); only needed for nodes
                              // under the utilisation threshold (the others are never candidates)
};

// A node asked for and not registered yet.
struct CaUpcoming {
  int group = 0;
  double requested_s = 0;
};

struct CaSnapshot {
  std::vector<CaNodeGroup> groups;
  std::vector<CaNode> nodes;           // registered nodes
  std::vector<CaUpcoming> upcoming;    // being provisioned
  std::vector<PodSpec> unschedulable;  // Pending pods the scheduler could not place
};

struct CaDecision {
  int scale_up_group = -1;
  int scale_up_nodes = 0;
  int pods_helped = 0;
  std::vector<std::string> remove_nodes;
  std::vector<size_t> give_up_upcoming;  // indices into snapshot.upcoming past max provisioning time
  std::string note;                      // why (for the event log)
};

class ClusterAutoscaler {
public:
  explicit ClusterAutoscaler(CaSettings settings = {}) : s_(settings), rng_state_(settings.seed) {}

  // One scan at now_s. The caller applies the decision (changes target sizes, drains nodes).
  CaDecision scan(double now_s, const CaSnapshot& snapshot);

  const CaSettings& settings() const { return s_; }
  // Since when each node has been unneeded (for tests and the event log).
  const std::map<std::string, double>& unneeded_since() const { return unneeded_since_; }

private:
  void scale_up(double now_s, const CaSnapshot& snap, CaDecision& d);
  void scale_down(double now_s, const CaSnapshot& snap, CaDecision& d);
  uint64_t next_random();

  CaSettings s_;
  Scheduler filter_;
  std::map<std::string, double> unneeded_since_;
  std::map<int, double> backoff_until_;
  double last_scale_up_s_ = -1e300;
  uint64_t rng_state_;
};

// Utilisation the scale-down uses: max(CPU requested / allocatable, memory requested / allocatable).
double node_utilization(const NodeView& n);

}  // namespace migsim::models::eks
