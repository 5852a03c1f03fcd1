// The control loops of the EKS cluster acting on its state: metrics-server, the HPA, readiness
// probes under load, the Cluster Autoscaler and Karpenter (split from eks_cluster.cpp for size).
#include "models/eks/eks_cluster.hpp"

#include "sim/engine.hpp"
#include "sim/event_log.hpp"

#include <algorithm>
#include <cmath>

namespace migsim::models::eks {

namespace {

sim::Engine& engine() { return sim::Engine::instance(); }
double now() { return engine().now(); }
void log(const std::string& what) { sim::EventLog::instance().record(now(), "eks", what); }

}  // namespace

// --- Control loops ----------------------------------------------------------------------------------

void EksCluster::scrape()
{
  // metrics-server: CPU per pod averaged over the last resolution window.
  const double window = now() - scrape_window_start_s_;
  for (auto& dep : deps_) {
    const double avg = window > 0 ? dep.usage_integral_m_s / window : 0;
    for (size_t id : dep.pods) {
      auto& p = pods_[id];
      if ((p.state == PodState::Ready || p.state == PodState::Running) && !p.unreachable) {
        const double own = load_->pod_usage_m(id);  // the pod's own CPU at request fidelity
        p.metric_m = std::isnan(own) ? (p.state == PodState::Ready ? avg : 0) : own;
        p.metric_t_s = now();
      }
    }
    dep.usage_integral_m_s = 0;
  }
  load_->scraped(now());
  scrape_window_start_s_ = now();
}

void EksCluster::hpa_sync()
{
  for (size_t d = 0; d < deps_.size(); ++d) {
    auto& dep = deps_[d];
    if (!dep.hpa)
      continue;
    std::vector<HpaPod> view;
    for (size_t id : dep.pods) {
      const auto& p = pods_[id];
      HpaPod h;
      h.deleting = p.state == PodState::Terminating;
      h.running = p.state == PodState::Running || p.state == PodState::Ready;
      h.ready = p.state == PodState::Ready;
      h.start_s = p.bound_s;
      h.ready_changed_s = p.ready_s >= 0 ? p.ready_s : std::max(p.running_s, p.bound_s);
      h.has_metric = h.running && p.metric_t_s >= 0 && p.metric_t_s >= p.running_s + spec_.metrics_resolution_s;
      h.metric_timestamp_s = p.metric_t_s;
      h.metric_window_s = spec_.metrics_resolution_s;
      h.usage_m = static_cast<int64_t>(p.metric_m);
      h.request_m = p.requests.cpu_m;
      view.push_back(h);
    }
    // The utilisation the HPA reports (status.currentMetrics): usage over requests of the pods
    // with a metric.
    int64_t used = 0, requested = 0;
    for (const auto& h : view)
      if (h.has_metric && !h.deleting) {
        used += h.usage_m;
        requested += h.request_m;
      }
    dep.hpa_utilization_pct = requested > 0 ? static_cast<int>(used * 100 / requested) : -1;
    const int before = dep.desired;
    dep.desired = dep.hpa->reconcile(now(), dep.desired, view);
    if (dep.desired != before) {
      log("HPA " + dep.spec->name + ": " + std::to_string(before) + " -> " + std::to_string(dep.desired) + " replicas");
      dep.hpa_last_scale_s = now();
      record(d, -1, "SuccessfulRescale",
             "New size: " + std::to_string(dep.desired) + "; reason: cpu resource utilization (percentage of request) " +
                 (dep.desired > before ? "above" : "below") + " target");
    }
    if (dep.desired > before && dep.episode_start_s < 0 && ready_pods(d) < dep.desired) {
      dep.episode_start_s = now();
    }
    dep.episode_target = std::max(dep.episode_target, dep.desired);
  }
}

// Readiness probes under load (timeout 1 s): while requests wait longer than the probe's timeout,
// probes fail; after failureThreshold consecutive failures (periodSeconds apart) the pods turn
// NotReady and leave the endpoints; they return at the first probe that answers in time.
void EksCluster::readiness_probes(size_t d)
{
  constexpr double kProbeTimeout_s = 1.0;
  if (load_->per_pod()) {
    readiness_probes_per_pod(d);
    return;
  }
  auto& dep = deps_[d];
  const auto& ds = *dep.spec;
  if (load_->wait_s(d) > kProbeTimeout_s) {
    if (dep.probe_failing_since_s < 0)
      dep.probe_failing_since_s = now();
    if (now() - dep.probe_failing_since_s < ds.readiness_failure_threshold * ds.readiness_period_s)
      return;
    int dropped = 0;
    for (size_t id : dep.pods) {
      auto& p = pods_[id];
      if (p.state != PodState::Ready || p.unreachable)
        continue;
      p.state = PodState::Running;
      p.probe_failed = true;
      --ready_pods_total_;
      ++dropped;
    }
    if (dropped)
      log(ds.name + ": readiness probes timed out " + std::to_string(ds.readiness_failure_threshold) + " times: " +
          std::to_string(dropped) + " pods NotReady");
    return;
  }
  dep.probe_failing_since_s = -1;
  for (size_t id : dep.pods) {
    auto& p = pods_[id];
    if (!p.probe_failed || p.state != PodState::Running)
      continue;
    p.probe_failed = false;
    engine().at(now() + ds.readiness_period_s, [this, id]() {
      auto& q = pods_[id];
      if (q.state != PodState::Running || q.node < 0 || nodes_[static_cast<size_t>(q.node)].state != NodeState::Ready)
        return;
      q.state = PodState::Ready;
      q.ready_s = now();
      ++ready_pods_total_;
    });
  }
}

// The same probes pod by pod, when the load knows each pod's own backlog (request fidelity).
void EksCluster::readiness_probes_per_pod(size_t d)
{
  constexpr double kProbeTimeout_s = 1.0;
  const auto& ds = *deps_[d].spec;
  int dropped = 0;
  for (size_t id : deps_[d].pods) {
    auto& p = pods_[id];
    if (p.unreachable || (p.state != PodState::Ready && !(p.state == PodState::Running && p.probe_failed)))
      continue;
    const bool slow = load_->pod_wait_s(id) > kProbeTimeout_s;
    if (p.state == PodState::Ready) {
      if (!slow) {
        p.probe_failing_since_s = -1;
        continue;
      }
      if (p.probe_failing_since_s < 0)
        p.probe_failing_since_s = now();
      if (now() - p.probe_failing_since_s < ds.readiness_failure_threshold * ds.readiness_period_s)
        continue;
      p.state = PodState::Running;
      p.probe_failed = true;
      p.probe_failing_since_s = -1;
      --ready_pods_total_;
      ++dropped;
      continue;
    }
    if (slow)
      continue;
    // NotReady by its probes and answering in time again: Ready at the next probe.
    p.probe_failed = false;
    engine().at(now() + ds.readiness_period_s, [this, id]() {
      auto& q = pods_[id];
      if (q.state != PodState::Running || q.node < 0 || nodes_[static_cast<size_t>(q.node)].state != NodeState::Ready)
        return;
      q.state = PodState::Ready;
      q.ready_s = now();
      ++ready_pods_total_;
    });
  }
  if (dropped)
    log(ds.name + ": readiness probes timed out " + std::to_string(ds.readiness_failure_threshold) + " times: " +
        std::to_string(dropped) + " pods NotReady");
}

void EksCluster::track_capacity(size_t d)
{
  auto& dep = deps_[d];
  if (dep.episode_start_s < 0)
    return;
  if (ready_pods(d) >= std::min(dep.episode_target, dep.desired)) {
    episodes_s_.push_back(now() - dep.episode_start_s);
    dep.episode_start_s = -1;
    dep.episode_target = 0;
  }
}

void EksCluster::ca_scan()
{
  CaSnapshot s;
  for (size_t g = 0; g < groups_.size(); ++g)
    s.groups.push_back({groups_[g].spec.name, groups_[g].template_node, groups_[g].min_size, groups_[g].max_size,
                        group_size(g), 0});
  std::vector<size_t> node_ids, upcoming_ids;
  // Registered nodes matter only as scale-down candidates and their destinations: when no node is
  // under the threshold the snapshot leaves them out (same decision, far cheaper on big clusters).
  const bool any_candidate = std::any_of(nodes_.begin(), nodes_.end(), [&](const Node& n) {
    return n.group >= 0 && n.state == NodeState::Ready && node_utilization(n.view) < spec_.ca.utilization_threshold;
  });
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const auto& n = nodes_[i];
    if (n.group < 0)
      continue;
    if (n.state == NodeState::Ready && any_candidate) {
      CaNode c;
      c.view.name = n.view.name;  // what the CA's filter needs (no spread counts)
      c.view.labels = n.view.labels;
      c.view.taints = n.view.taints;
      c.view.allocatable = n.view.allocatable;
      c.view.requested = n.view.requested;
      c.view.max_pods = n.view.max_pods;
      c.view.pod_count = n.view.pod_count;
      c.view.schedulable = n.view.schedulable;
      c.group = n.group;
      if (node_utilization(n.view) < spec_.ca.utilization_threshold)
        for (size_t p : n.pods) {
          const auto& ds = spec_.deployments[pods_[p].deployment];
          c.pods.push_back({"", ds.name, pods_[p].requests, {}, {}, {}, {}});
        }
      s.nodes.push_back(std::move(c));
      node_ids.push_back(i);
    } else if (n.state == NodeState::Booting) {
      s.upcoming.push_back({n.group, n.launched_s});
      upcoming_ids.push_back(i);
    }
  }
  for (size_t id : pending_)
    if (pods_[id].unschedulable) {
      const auto& ds = spec_.deployments[pods_[id].deployment];
      s.unschedulable.push_back({"", ds.name, pods_[id].requests, {}, {}, {}, {}});
    }
  const auto d = ca_->scan(now(), s);
  for (size_t u : d.give_up_upcoming) {
    log("cluster-autoscaler: node " + nodes_[upcoming_ids[u]].name + " not ready after max provisioning time");
    node_gone(upcoming_ids[u]);
  }
  if (d.scale_up_group >= 0) {
    log("cluster-autoscaler: " + d.note);
    const auto g = static_cast<size_t>(d.scale_up_group);
    const int before = group_size(g);
    for (int i = 0; i < d.scale_up_nodes; ++i)
      launch_node(d.scale_up_group, instance_type(groups_[g].spec.instance_type));
    const std::string scale_up = "pod triggered scale-up: [{" + groups_[g].spec.name + " " + std::to_string(before) + "->" +
                                 std::to_string(group_size(g)) + " (max: " + std::to_string(groups_[g].max_size) + ")}]";
    for (size_t id : pending_)
      if (pods_[id].unschedulable)
        record(pods_[id].deployment, static_cast<long>(id), "TriggeredScaleUp", scale_up);
  }
  for (const auto& name : d.remove_nodes)
    for (size_t i : node_ids)
      if (nodes_[i].name == name) {
        log("cluster-autoscaler: scale down " + name);
        drain_node(i);
      }
}

void EksCluster::karpenter_loop()
{
  // Provisioning: Pending pods not yet nominated to a node on its way, batched for a second.
  std::vector<PodSpec> batch;
  std::vector<size_t> batch_ids;
  for (size_t id : pending_) {
    const auto& p = pods_[id];
    if (!p.unschedulable || p.nominated >= 0 || now() - p.created_s < 1.0)
      continue;
    const auto& ds = spec_.deployments[p.deployment];
    batch.push_back({"", ds.name, p.requests, {}, {}, {}, {}});
    batch_ids.push_back(id);
  }
  if (!batch.empty()) {
    for (const auto& claim : karpenter_provision(pool_, batch)) {
      const size_t node = launch_node(-1, instance_type(pool_.instance_types[claim.type].name));
      for (size_t i : claim.pods) {
        pods_[batch_ids[i]].nominated = static_cast<int>(node);
        record(pods_[batch_ids[i]].deployment, static_cast<long>(batch_ids[i]), "Nominated",
               "Pod should schedule on: nodeclaim/" + nodes_[node].name);
      }
      log("karpenter: launched " + nodes_[node].type->name + " for " + std::to_string(claim.pods.size()) + " pods");
    }
  }
  // Disruption: one consolidation action per pass, only while nothing is Pending.
  if (now() < next_consolidate_s_ || !pending_.empty())
    return;
  next_consolidate_s_ = now() + 10;
  std::vector<KarpenterNode> kn;
  std::vector<size_t> ids;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const auto& n = nodes_[i];
    if (n.group >= 0 || n.state != NodeState::Ready || now() - n.last_pod_change_s < pool_.consolidate_after_s)
      continue;
    KarpenterNode k;
    k.view = n.view;
    for (size_t t = 0; t < pool_.instance_types.size(); ++t)
      if (pool_.instance_types[t].name == n.type->name)
        k.type = t;
    for (size_t p : n.pods) {
      const auto& ds = spec_.deployments[pods_[p].deployment];
      k.pods.push_back({"", ds.name, pods_[p].requests, {}, {}, {}, {}});
    }
    k.empty_since_s = n.pods.empty() ? n.last_pod_change_s : -1;
    kn.push_back(std::move(k));
    ids.push_back(i);
  }
  const auto a = karpenter_consolidate(pool_, kn, now());
  if (a.kind == ConsolidationAction::Kind::None)
    return;
  const size_t victim = ids[a.node];
  log("karpenter: consolidation " + nodes_[victim].name + ": " + a.reason);
  if (a.kind == ConsolidationAction::Kind::Delete) {
    drain_node(victim);
    return;
  }
  const size_t repl = launch_node(-1, instance_type(pool_.instance_types[a.replacement].name));
  engine().at(nodes_[repl].launched_s + spec_.node_boot_s + spec_.node_join_s + 0.001, [this, victim]() {
    if (nodes_[victim].state == NodeState::Ready)
      drain_node(victim);
  });
}

}  // namespace migsim::models::eks
