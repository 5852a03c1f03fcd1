#include "harness/k8s/nodes.hpp"

#include "models/eks/eks_cluster.hpp"

#include <regex>
#include <set>

namespace migsim::harness::k8s {

namespace {

using models::eks::Node;
using models::eks::NodeState;

const ResourceKey kNodes{"", "nodes"};

// Graviton instance families (m6g, c7g, r7gd, t4g, ...) run arm64.
std::string architecture(const std::string& instance_type)
{
  static const std::regex graviton("^[a-z]+[0-9]+g[a-z]*\\..*");
  return std::regex_match(instance_type, graviton) ? "arm64" : "amd64";
}

json condition(const std::string& type, const std::string& status, const std::string& reason, const std::string& message,
               const std::string& since)
{
  return {{"type", type}, {"status", status}, {"reason", reason}, {"message", message}, {"lastTransitionTime", since}};
}

// The Node object of a model node that has joined.
json node_object(const Node& n, const std::string& minor, const std::function<std::string(double)>& iso)
{
  const std::string arch = architecture(n.type->name);
  json labels = json::object();
  for (const auto& [k, v] : n.view.labels)
    labels[k] = v;
  labels["kubernetes.io/os"] = "linux";
  labels["kubernetes.io/arch"] = arch;
  labels["beta.kubernetes.io/os"] = "linux";
  labels["beta.kubernetes.io/arch"] = arch;
  labels["beta.kubernetes.io/instance-type"] = n.type->name;
  labels["topology.kubernetes.io/region"] = n.zone.empty() ? "" : n.zone.substr(0, n.zone.size() - 1);
  labels["failure-domain.beta.kubernetes.io/zone"] = n.zone;
  if (n.group < 0)
    labels["karpenter.sh/nodepool"] = "default";
  else
    labels["eks.amazonaws.com/capacityType"] = "ON_DEMAND";
  const bool failed = n.state == NodeState::Failed, draining = n.state == NodeState::Draining;
  const std::string ready_since = iso(n.ready_s), failed_since = iso(n.gone_s >= 0 ? n.gone_s : n.ready_s);
  json spec = {{"providerID", "aws:///" + n.zone + "/" + n.name}};
  json taints = json::array();
  if (draining) {
    spec["unschedulable"] = true;
    taints.push_back({{"key", "node.kubernetes.io/unschedulable"}, {"effect", "NoSchedule"}, {"timeAdded", ready_since}});
  }
  if (failed) {
    taints.push_back({{"key", "node.kubernetes.io/unreachable"}, {"effect", "NoSchedule"}, {"timeAdded", failed_since}});
    taints.push_back({{"key", "node.kubernetes.io/unreachable"}, {"effect", "NoExecute"}, {"timeAdded", failed_since}});
  }
  if (!taints.empty())
    spec["taints"] = taints;
  const auto& a = n.type->allocatable;
  json conditions = json::array();
  for (const auto& [type, reason, message] :
       {std::tuple{"MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"},
        std::tuple{"DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
        std::tuple{"PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"}})
    conditions.push_back(failed ? condition(type, "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.", failed_since)
                                : condition(type, "False", reason, message, ready_since));
  conditions.push_back(failed ? condition("Ready", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.", failed_since)
                              : condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", ready_since));
  json status = {
      {"capacity", {{"cpu", std::to_string(n.type->vcpu)}, {"memory", std::to_string(n.type->memory_mib * 1024) + "Ki"},
                    {"pods", std::to_string(n.type->max_pods)}}},
      {"allocatable", {{"cpu", std::to_string(a.cpu_m) + "m"}, {"memory", std::to_string(a.mem_mib * 1024) + "Ki"},
                       {"pods", std::to_string(n.type->max_pods)}}},
      {"conditions", conditions},
      {"addresses", json::array({{{"type", "Hostname"}, {"address", n.name}}})},
      {"nodeInfo", {{"architecture", arch}, {"operatingSystem", "linux"}, {"osImage", "Amazon Linux 2023"},
                    {"kubeletVersion", "v1." + minor + ".0-eks-migsim"}, {"kubeProxyVersion", "v1." + minor + ".0-eks-migsim"},
                    {"containerRuntimeVersion", "containerd://1.7.22"}, {"kernelVersion", "6.1.112-amzn2023"}}}};
  return {{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", n.name}, {"labels", labels}}}, {"spec", spec}, {"status", status}};
}

}  // namespace

void advance_nodes(Store& store, const models::eks::EksCluster& model, const std::string& minor, double now_s,
                   const std::function<std::string(double)>& iso)
{
  std::set<std::string> joined;
  for (const Node& n : model.nodes()) {
    if (n.state == NodeState::Booting || n.state == NodeState::Gone || n.ready_s < 0 || n.ready_s > now_s)
      continue;
    joined.insert(n.name);
    const json want = node_object(n, minor, iso);
    const auto have = store.get(kNodes, "", n.name);
    if (!have) {
      store.create(kNodes, "", want, iso(n.ready_s));
      continue;
    }
    if ((*have)["metadata"].value("labels", json::object()) == want["metadata"]["labels"] && (*have)["spec"] == want["spec"] &&
        (*have)["status"] == want["status"])
      continue;
    json next = *have;
    next["metadata"]["labels"] = want["metadata"]["labels"];
    next["metadata"].erase("resourceVersion");
    next["spec"] = want["spec"];
    next["status"] = want["status"];
    store.update(kNodes, "", next);
  }
  // The model's nodes that are gone leave the API (nodes created through the API are left alone).
  for (const Node& n : model.nodes())
    if (!joined.count(n.name) && n.state == NodeState::Gone && store.get(kNodes, "", n.name))
      store.remove(kNodes, "", n.name);
}

}  // namespace migsim::harness::k8s
