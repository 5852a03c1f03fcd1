// Kubernetes objects as the control loops see them: resource quantities (CPU in millicores, memory
// in MiB), taints and tolerations, node-affinity requirements, a pod's scheduling spec and a node's
// view (labels, allocatable, what its pods request). Plain data, no SimGrid: the scheduler, HPA,
// Cluster Autoscaler and Karpenter are pure functions of these.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace migsim::models::eks {

// Well-known node labels.
inline constexpr const char* kLabelHostname = "kubernetes.io/hostname";
inline constexpr const char* kLabelZone = "topology.kubernetes.io/zone";
inline constexpr const char* kLabelInstanceType = "node.kubernetes.io/instance-type";
inline constexpr const char* kLabelNodeGroup = "eks.amazonaws.com/nodegroup";

// CPU (millicores) and memory (MiB) of a request, a limit or a node's allocatable.
struct Resources {
  int64_t cpu_m = 0;
  int64_t mem_mib = 0;

  Resources& operator+=(const Resources& o) { cpu_m += o.cpu_m; mem_mib += o.mem_mib; return *this; }
  Resources& operator-=(const Resources& o) { cpu_m -= o.cpu_m; mem_mib -= o.mem_mib; return *this; }
  friend Resources operator+(Resources a, const Resources& b) { return a += b; }
  friend Resources operator-(Resources a, const Resources& b) { return a -= b; }
  bool fits_in(const Resources& free) const { return cpu_m <= free.cpu_m && mem_mib <= free.mem_mib; }
  bool operator==(const Resources&) const = default;
};

enum class TaintEffect : uint8_t { NoSchedule, PreferNoSchedule, NoExecute };

struct Taint {
  std::string key;
  std::string value;
  TaintEffect effect = TaintEffect::NoSchedule;
};

// operator Exists ignores value; an empty key with Exists tolerates everything; effect unset = all.
struct Toleration {
  std::string key;
  bool exists = false;  // operator Exists (else Equal)
  std::string value;
  bool any_effect = true;
  TaintEffect effect = TaintEffect::NoSchedule;

  bool tolerates(const Taint& t) const;
};

// A node-selector requirement (In, NotIn, Exists, DoesNotExist) on node labels.
struct LabelRequirement {
  enum class Op : uint8_t { In, NotIn, Exists, DoesNotExist };
  std::string key;
  Op op = Op::In;
  std::vector<std::string> values;

  bool matches(const std::map<std::string, std::string>& labels) const;
};

// preferredDuringSchedulingIgnoredDuringExecution term: weight 1-100, all requirements must hold.
struct PreferredTerm {
  int weight = 1;
  std::vector<LabelRequirement> match;
};

// What the scheduler needs to know about a pod.
struct PodSpec {
  std::string name;
  std::string app;  // the label the default topology spread selects on (its Deployment)
  Resources requests;
  std::map<std::string, std::string> node_selector;
  std::vector<LabelRequirement> required_affinity;  // one nodeSelectorTerm (requirements ANDed)
  std::vector<PreferredTerm> preferred_affinity;
  std::vector<Toleration> tolerations;
};

// A node as the scheduler sees it (a scheduler snapshot).
struct NodeView {
  std::string name;
  std::map<std::string, std::string> labels;  // hostname, zone, instance type, node group ...
  std::vector<Taint> taints;
  Resources allocatable;
  Resources requested;  // sum of its pods' requests
  int max_pods = 110;
  int pod_count = 0;
  bool schedulable = true;  // Ready and not cordoned
  std::map<std::string, int> pods_by_app;  // for topology spread

  std::string label(const std::string& key) const
  {
    auto it = labels.find(key);
    return it == labels.end() ? std::string() : it->second;
  }
  // Books a pod onto this view (what a bind does to the snapshot).
  void add_pod(const PodSpec& p)
  {
    requested += p.requests;
    ++pod_count;
    ++pods_by_app[p.app];
  }
  void remove_pod(const PodSpec& p)
  {
    requested -= p.requests;
    --pod_count;
    if (--pods_by_app[p.app] <= 0)
      pods_by_app.erase(p.app);
  }
};

}  // namespace migsim::models::eks
