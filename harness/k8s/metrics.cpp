#include "harness/k8s/metrics.hpp"

#include <cmath>
#include <map>
#include <set>

namespace migsim::harness::k8s {

namespace {

using models::eks::NodeState;
using models::eks::PodState;

const ResourceKey kNodeMetrics{"metrics.k8s.io", "nodes"};
const ResourceKey kPodMetrics{"metrics.k8s.io", "pods"};
const ResourceKey kPods{"", "pods"};

std::string cpu_text(double m) { return std::to_string(static_cast<int64_t>(std::llround(m))) + "m"; }
std::string memory_text(int64_t mib) { return std::to_string(mib * 1024) + "Ki"; }

bool running(const models::eks::Pod& p) { return p.state == PodState::Running || p.state == PodState::Ready; }

// Writes `obj` (create or update); update writes nothing when nothing changed.
void put(Store& store, const ResourceKey& r, const std::string& ns, const json& obj, const std::string& now)
{
  if (store.get(r, ns, obj["metadata"].value("name", "")))
    store.update(r, ns, obj);
  else
    store.create(r, ns, obj, now);
}

// Removes the objects of `r` not in `keep` (namespace, name).
void prune(Store& store, const ResourceKey& r, const std::set<std::pair<std::string, std::string>>& keep)
{
  for (const json& o : store.list(r, "")) {
    const std::string ns = o["metadata"].value("namespace", ""), name = o["metadata"].value("name", "");
    if (!keep.count({ns, name}))
      store.remove(r, ns, name);
  }
}

}  // namespace

void advance_metrics(Store& store, const Deployments& deployments, const models::eks::EksCluster& model,
                     const std::function<std::string(double)>& iso)
{
  const auto& pods = model.pods();
  const auto& nodes = model.nodes();
  const std::string window = std::to_string(static_cast<int>(model.spec().metrics_resolution_s)) + "s";
  // Nodes: what their running pods used over the last window, and the memory those pods request.
  std::set<std::pair<std::string, std::string>> keep_nodes;
  for (const auto& n : nodes) {
    if (n.state != NodeState::Ready && n.state != NodeState::Draining)
      continue;
    double cpu_m = 0, scraped_s = n.ready_s;
    int64_t mem_mib = 0;
    for (size_t id : n.pods)
      if (running(pods[id])) {
        cpu_m += pods[id].metric_m;
        mem_mib += pods[id].requests.mem_mib;
        scraped_s = std::max(scraped_s, pods[id].metric_t_s);
      }
    keep_nodes.insert({"", n.name});
    json obj = {{"apiVersion", "metrics.k8s.io/v1beta1"}, {"kind", "NodeMetrics"},
                {"metadata", {{"name", n.name}, {"labels", json::object()}}},
                {"timestamp", iso(scraped_s)}, {"window", window},
                {"usage", {{"cpu", cpu_text(cpu_m)}, {"memory", memory_text(mem_mib)}}}};
    for (const auto& [k, v] : n.view.labels)
      obj["metadata"]["labels"][k] = v;
    put(store, kNodeMetrics, "", obj, iso(n.ready_s));
  }
  prune(store, kNodeMetrics, keep_nodes);

  // Pods of the bound Deployments that have a metric, their usage shared among their containers.
  std::set<std::pair<std::string, std::string>> keep_pods;
  std::map<std::string, json> live_pods;
  for (const json& live : store.list(kPods, ""))
    live_pods[live["metadata"].value("name", "")] = live;
  for (int index : deployments.bound_indices())
    for (size_t id : model.deployment_pods(static_cast<size_t>(index))) {
      const auto& p = pods[id];
      const std::string name = deployments.model_pod_name(id);
      if (!running(p) || p.metric_t_s < 0 || name.empty())
        continue;
      if (auto found = live_pods.find(name); found != live_pods.end()) {
        const json& live = found->second;
        const std::string ns = live["metadata"].value("namespace", "");
        const json containers = live["spec"].value("containers", json::array());
        const double share = containers.empty() ? 1.0 : 1.0 / static_cast<double>(containers.size());
        json usage = json::array();
        for (const auto& c : containers)
          usage.push_back({{"name", c.value("name", "")},
                           {"usage", {{"cpu", cpu_text(p.metric_m * share)},
                                      {"memory", memory_text(static_cast<int64_t>(std::ceil(static_cast<double>(p.requests.mem_mib) * share)))}}}});
        keep_pods.insert({ns, name});
        json obj = {{"apiVersion", "metrics.k8s.io/v1beta1"}, {"kind", "PodMetrics"},
                    {"metadata", {{"name", name}, {"namespace", ns}, {"labels", live["metadata"].value("labels", json::object())}}},
                    {"timestamp", iso(p.metric_t_s)}, {"window", window}, {"containers", usage}};
        put(store, kPodMetrics, ns, obj, iso(p.metric_t_s));
      }
    }
  prune(store, kPodMetrics, keep_pods);
}

}  // namespace migsim::harness::k8s
