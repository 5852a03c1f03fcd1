#include "models/eks/eks_cluster.hpp"

#include "models/eks/request_load.hpp"

#include "sim/engine.hpp"
#include "sim/event_log.hpp"
#include "sim/json_reader.hpp"
#include "sim/horizon.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace migsim::models::eks {

namespace {

sim::Engine& engine() { return sim::Engine::instance(); }
double now() { return engine().now(); }
void log(const std::string& what) { sim::EventLog::instance().record(now(), "eks", what); }

// A duration as kubelet writes it in its events ("10s", "2.5s").
std::string seconds_text(double s)
{
  char buf[32];
  std::snprintf(buf, sizeof buf, "%gs", s);
  return buf;
}

}  // namespace

EksCluster::EksCluster(const sim::Scenario& sc, sim::Registry& metrics)
    : sc_(sc), spec_(parse_eks(sc)), metrics_(metrics)
{
  if (spec_.fidelity == "request")
    load_ = std::make_unique<RequestLoad>(sc, spec_, metrics);
  else
    load_ = std::make_unique<FluidLoad>(sc, spec_, metrics);
  for (const auto& g : spec_.node_groups) {
    Group grp{g, g.min_size, g.max_size, {}};
    const auto& t = instance_type(g.instance_type);
    grp.template_node.allocatable = t.allocatable;
    grp.template_node.max_pods = t.max_pods;
    grp.template_node.labels = {{kLabelInstanceType, t.name}, {kLabelNodeGroup, g.name}};
    groups_.push_back(grp);
    ts_group_nodes_.push_back(&metrics.series("capacity_nodes{nodegroup=" + g.name + "}", sim::TimeSeries::Kind::Last));
  }
  if (spec_.provisioner == "karpenter") {
    ts_group_nodes_.push_back(&metrics.series("capacity_nodes{nodegroup=karpenter}", sim::TimeSeries::Kind::Last));
    for (const auto& n : spec_.karpenter_types)
      pool_.instance_types.push_back(instance_type(n));
    pool_.consolidation = spec_.karpenter_consolidation;
    pool_.consolidate_after_s = spec_.karpenter_consolidate_after_s;
  }
  if (spec_.provisioner == "cluster-autoscaler")
    ca_ = std::make_unique<ClusterAutoscaler>(spec_.ca);
  for (const auto& d : spec_.deployments) {
    Deployment dep;
    dep.spec = &d;
    dep.desired = d.replicas;
    if (d.hpa) {
      dep.hpa = std::make_unique<Hpa>(*d.hpa);
      dep.desired = std::clamp(dep.desired, d.hpa->min_replicas, d.hpa->max_replicas);
    }
    dep.ts_pods = &metrics.series("capacity_pods{deployment=" + d.name + "}", sim::TimeSeries::Kind::Last);
    dep.ts_desired = &metrics.series("hpa_desired_replicas{deployment=" + d.name + "}", sim::TimeSeries::Kind::Last);
    deps_.push_back(std::move(dep));
  }
  ts_pending_ = &metrics.series("eks_pending_pods", sim::TimeSeries::Kind::Max);
  ts_nodes_total_ = &metrics.series("eks_nodes_total", sim::TimeSeries::Kind::Last);
  counters_.provisioner = spec_.provisioner;
}

EksCluster::~EksCluster() = default;

// --- Nodes ---------------------------------------------------------------------------------------

std::string EksCluster::pick_zone(int group) const
{
  // The group's ASG balances across its zones: the zone with the fewest live nodes, first on ties.
  std::vector<int> count(spec_.zones.size(), 0);
  for (const auto& n : nodes_)
    if (n.group == group && n.state != NodeState::Gone)
      for (size_t z = 0; z < spec_.zones.size(); ++z)
        if (spec_.zones[z] == n.zone)
          ++count[z];
  return spec_.zones[static_cast<size_t>(std::min_element(count.begin(), count.end()) - count.begin())];
}

size_t EksCluster::launch_node(int group, const InstanceType& type)
{
  Node n;
  n.name = "ip-" + std::to_string(10000 + nodes_.size()) + (group >= 0 ? "." + groups_[static_cast<size_t>(group)].spec.name : ".karpenter");
  n.group = group;
  n.type = &type;
  n.zone = pick_zone(group);
  n.launched_s = now();
  n.view.name = n.name;
  n.view.allocatable = type.allocatable;
  n.view.max_pods = type.max_pods;
  n.view.labels = {{kLabelHostname, n.name}, {kLabelZone, n.zone}, {kLabelInstanceType, type.name}};
  if (group >= 0)
    n.view.labels[kLabelNodeGroup] = groups_[static_cast<size_t>(group)].spec.name;
  nodes_.push_back(std::move(n));
  const size_t id = nodes_.size() - 1;
  ++counters_.nodes_launched;
  engine().at(now() + spec_.node_boot_s + spec_.node_join_s, [this, id]() {
    if (nodes_[id].state == NodeState::Booting)
      node_ready(id);
  });
  return id;
}

void EksCluster::node_ready(size_t id)
{
  auto& n = nodes_[id];
  n.state = NodeState::Ready;
  n.ready_s = now();
  n.last_pod_change_s = now();
  requeue_ = true;
}

void EksCluster::fail_node(size_t id)
{
  auto& n = nodes_[id];
  n.state = NodeState::Failed;
  n.view.schedulable = false;
  ++counters_.node_failures;
  log("node " + n.name + " (" + n.zone + ") failed with " + std::to_string(n.pods.size()) + " pods");
  for (size_t p : n.pods)
    pods_[p].unreachable = true;
  // NotReady after the grace period: its pods leave the endpoints (out of the ALB's rotation).
  engine().at(now() + spec_.node_monitor_grace_s, [this, id]() {
    for (size_t p : nodes_[id].pods)
      if (pods_[p].state == PodState::Ready || pods_[p].state == PodState::Running) {
        if (pods_[p].state == PodState::Ready)
          --ready_pods_total_;
        pods_[p].state = PodState::Running;
        pods_[p].unreachable = false;
      }
  });
  // Evicted after tolerationSeconds: the ReplicaSets create replacements.
  engine().at(now() + spec_.node_monitor_grace_s + spec_.pod_eviction_s, [this, id]() {
    const auto pods = nodes_[id].pods;
    for (size_t p : pods)
      terminate_pod(p, true);
  });
  // The group (ASG) replaces the instance; a Karpenter node is just removed.
  engine().at(now() + spec_.node_replace_s, [this, id]() {
    const int group = nodes_[id].group;
    const auto pods = nodes_[id].pods;
    for (size_t p : pods)
      terminate_pod(p, true);
    node_gone(id);
    if (group >= 0 && groups_[static_cast<size_t>(group)].max_size > 0)  // not a deleted group
      launch_node(group, *nodes_[id].type);
  });
}

void EksCluster::drain_node(size_t id)
{
  auto& n = nodes_[id];
  n.state = NodeState::Draining;
  n.view.schedulable = false;
  const auto pods = n.pods;
  double longest = 0;
  for (size_t p : pods) {
    longest = std::max(longest, std::min(spec_.deployments[pods_[p].deployment].termination_grace_s, 2.0));
    terminate_pod(p, false);
  }
  engine().at(now() + longest + 1, [this, id]() { node_gone(id); });
}

void EksCluster::node_gone(size_t id)
{
  auto& n = nodes_[id];
  if (n.state == NodeState::Gone)
    return;
  for (size_t p : std::vector<size_t>(n.pods))
    release_pod(p);
  n.state = NodeState::Gone;
  n.gone_s = now();
  ++counters_.nodes_removed;
  for (auto& p : pods_)
    if (p.nominated == static_cast<int>(id))
      p.nominated = -1;
  schedule_dirty_ = true;
}

int EksCluster::group_size(size_t g) const
{
  int n = 0;
  for (const auto& node : nodes_)
    if (node.group == static_cast<int>(g) && (node.state == NodeState::Booting || node.state == NodeState::Ready))
      ++n;
  return n;
}

int EksCluster::group_ready(size_t g) const
{
  int n = 0;
  for (const auto& node : nodes_)
    if (node.group == static_cast<int>(g) && node.state == NodeState::Ready)
      ++n;
  return n;
}

size_t EksCluster::add_node_group(const NodeGroupSpec& g)
{
  Group grp{g, g.min_size, g.max_size, {}};
  const auto& t = instance_type(g.instance_type);
  grp.template_node.allocatable = t.allocatable;
  grp.template_node.max_pods = t.max_pods;
  grp.template_node.labels = {{kLabelInstanceType, t.name}, {kLabelNodeGroup, g.name}};
  groups_.push_back(grp);
  spec_.node_groups.push_back(g);
  // Karpenter's series stays last (tick() counts its nodes there).
  auto* ts = &metrics_.series("capacity_nodes{nodegroup=" + g.name + "}", sim::TimeSeries::Kind::Last);
  ts_group_nodes_.insert(ts_group_nodes_.begin() + static_cast<std::ptrdiff_t>(groups_.size() - 1), ts);
  const size_t index = groups_.size() - 1;
  for (int i = 0; i < g.desired_size; ++i)
    launch_node(static_cast<int>(index), t);
  log("node group " + g.name + " created: " + std::to_string(g.desired_size) + " x " + t.name + " booting");
  return index;
}

bool EksCluster::remove_node_group(const std::string& group)
{
  for (size_t g = 0; g < groups_.size(); ++g) {
    if (groups_[g].spec.name != group)
      continue;
    groups_[g].min_size = groups_[g].max_size = 0;
    for (size_t i = 0; i < nodes_.size(); ++i) {
      if (nodes_[i].group != static_cast<int>(g))
        continue;
      if (nodes_[i].state == NodeState::Ready)
        drain_node(i);
      else if (nodes_[i].state == NodeState::Booting)
        node_gone(i);
    }
    log("node group " + group + " deleted: its nodes drained");
    return true;
  }
  return false;
}

bool EksCluster::set_node_group_size(const std::string& group, int min_size, int max_size, int desired)
{
  for (size_t g = 0; g < groups_.size(); ++g) {
    if (groups_[g].spec.name != group)
      continue;
    groups_[g].min_size = min_size;
    groups_[g].max_size = max_size;
    int size = group_size(g);
    for (; size < desired; ++size)
      launch_node(static_cast<int>(g), instance_type(groups_[g].spec.instance_type));
    for (size_t i = nodes_.size(); i-- > 0 && size > desired;)
      if (nodes_[i].group == static_cast<int>(g) && nodes_[i].state == NodeState::Ready) {
        drain_node(i);
        --size;
      }
    return true;
  }
  return false;
}

// --- Pods -----------------------------------------------------------------------------------------

size_t EksCluster::create_pod(size_t d, int version)
{
  Pod p;
  p.deployment = d;
  p.version = version;
  p.created_s = now();
  p.requests = spec_.deployments[d].requests;
  pods_.push_back(p);
  const size_t id = pods_.size() - 1;
  deps_[d].pods.push_back(id);
  pending_.push_back(id);
  schedule_dirty_ = true;
  return id;
}

void EksCluster::bind(size_t id, size_t node_id)
{
  auto& p = pods_[id];
  auto& n = nodes_[node_id];
  const auto& ds = spec_.deployments[p.deployment];
  p.node = static_cast<int>(node_id);
  p.state = PodState::Starting;
  p.bound_s = now();
  p.unschedulable = false;
  PodSpec ps{"", ds.name, p.requests, {}, {}, {}, {}};
  n.view.add_pod(ps);
  n.pods.push_back(id);
  n.last_pod_change_s = now();
  const size_t image = p.deployment * 100000 + static_cast<size_t>(p.version);  // a new version is a new image
  const double pull = n.images.count(image) ? 0 : ds.image_pull_s;
  n.images.insert(image);
  const double running_at = now() + pull + ds.container_start_s;
  const size_t d = p.deployment;
  record(d, static_cast<long>(id), "Scheduled", "Successfully assigned to " + n.name);
  if (pull > 0) {
    record(d, static_cast<long>(id), "Pulling", "Pulling image");
    engine().at(now() + pull, [this, id, d, pull]() {
      if (pods_[id].state == PodState::Starting)
        record(d, static_cast<long>(id), "Pulled", "Successfully pulled image in " + seconds_text(pull));
    });
  } else {
    record(d, static_cast<long>(id), "Pulled", "Container image already present on machine");
  }
  engine().at(running_at, [this, id, d]() {
    if (pods_[id].state != PodState::Starting)
      return;
    pods_[id].state = PodState::Running;
    pods_[id].running_s = now();
    record(d, static_cast<long>(id), "Created", "Created container");
    record(d, static_cast<long>(id), "Started", "Started container");
  });
  // The first readiness probe runs initialDelaySeconds after the start and succeeds.
  engine().at(running_at + ds.readiness_initial_delay_s, [this, id]() {
    auto& q = pods_[id];
    if (q.state != PodState::Running || nodes_[static_cast<size_t>(q.node)].state != NodeState::Ready)
      return;
    q.state = PodState::Ready;
    q.ready_s = now();
    ++ready_pods_total_;
  });
}

void EksCluster::terminate_pod(size_t id, bool force)
{
  auto& p = pods_[id];
  if (p.state == PodState::Terminating || p.state == PodState::Gone)
    return;
  if (p.state == PodState::Ready)
    --ready_pods_total_;
  if (p.state == PodState::Pending) {
    pending_.erase(std::remove(pending_.begin(), pending_.end(), id), pending_.end());
    release_pod(id);
    return;
  }
  p.state = PodState::Terminating;  // out of the endpoints at once; in-flight work finishes
  const auto& ds = spec_.deployments[p.deployment];
  record(p.deployment, static_cast<long>(id), "Killing", "Stopping container");
  if (force) {
    release_pod(id);
    return;
  }
  engine().at(now() + std::min(ds.termination_grace_s, 2.0), [this, id]() { release_pod(id); });
}

void EksCluster::release_pod(size_t id)
{
  auto& p = pods_[id];
  if (p.state == PodState::Gone)
    return;
  if (p.state == PodState::Ready)
    --ready_pods_total_;
  const auto d = p.deployment;
  if (p.node >= 0) {
    auto& n = nodes_[static_cast<size_t>(p.node)];
    PodSpec ps{"", spec_.deployments[d].name, p.requests, {}, {}, {}, {}};
    n.view.remove_pod(ps);
    n.pods.erase(std::remove(n.pods.begin(), n.pods.end(), id), n.pods.end());
    n.last_pod_change_s = now();
    requeue_ = true;
  }
  p.state = PodState::Gone;
  auto& v = deps_[d].pods;
  v.erase(std::remove(v.begin(), v.end(), id), v.end());
}

int EksCluster::alive_pods(size_t d, int version, bool ready_only) const
{
  int n = 0;
  for (size_t id : deps_[d].pods) {
    const auto& p = pods_[id];
    if (p.state == PodState::Terminating || (version >= 0 && p.version != version))
      continue;
    if (!ready_only || p.state == PodState::Ready)
      ++n;
  }
  return n;
}

int EksCluster::ready_pods(size_t d) const { return alive_pods(d, -1, true); }

// The ReplicaSet and Deployment controllers for one Deployment.
void EksCluster::reconcile(size_t d)
{
  auto& dep = deps_[d];
  const auto& ds = *dep.spec;
  if (!dep.rolling) {
    int alive = alive_pods(d, -1, false);
    for (; alive < dep.desired; ++alive)
      create_pod(d, dep.version);
    if (alive > dep.desired) {
      // Delete the least useful first: Pending, starting, not ready, then ready; newest first.
      std::vector<size_t> cand;
      for (size_t id : dep.pods)
        if (pods_[id].state != PodState::Terminating)
          cand.push_back(id);
      auto rank = [&](size_t id) {
        switch (pods_[id].state) {
          case PodState::Pending: return 0;
          case PodState::Starting: return 1;
          case PodState::Running: return 2;
          default: return 3;
        }
      };
      std::stable_sort(cand.begin(), cand.end(), [&](size_t a, size_t b) {
        return rank(a) != rank(b) ? rank(a) < rank(b) : pods_[a].created_s > pods_[b].created_s;
      });
      for (size_t i = 0; i < cand.size() && alive > dep.desired; ++i, --alive)
        terminate_pod(cand[i], false);
    }
    return;
  }
  if (dep.paused)
    return;
  // Rolling update: maxSurge rounded up, maxUnavailable rounded down (both 0 -> surge 1); an applied
  // Deployment gives them as pod counts.
  int surge = dep.max_surge >= 0 ? dep.max_surge : static_cast<int>(std::ceil(dep.desired * ds.max_surge_pct / 100 - 1e-9));
  const int unavailable = dep.max_unavailable >= 0
                              ? dep.max_unavailable
                              : static_cast<int>(std::floor(dep.desired * ds.max_unavailable_pct / 100 + 1e-9));
  if (surge == 0 && unavailable == 0)
    surge = 1;
  const int fresh = alive_pods(d, dep.version, false);
  const int total = alive_pods(d, -1, false);
  const int old = total - fresh;
  const int add = std::min(dep.desired + surge - total, dep.desired - fresh);
  for (int i = 0; i < add; ++i)
    create_pod(d, dep.version);
  const int ready = alive_pods(d, -1, true);
  int removable = std::min(old, ready - (dep.desired - unavailable));
  // Old pods that are not ready go first and do not count against availability.
  for (size_t id : std::vector<size_t>(dep.pods)) {
    const auto& p = pods_[id];
    if (p.version != dep.version && p.state != PodState::Terminating && p.state != PodState::Ready)
      terminate_pod(id, false);
  }
  for (size_t id : std::vector<size_t>(dep.pods)) {
    if (removable <= 0)
      break;
    if (pods_[id].version != dep.version && pods_[id].state == PodState::Ready) {
      terminate_pod(id, false);
      --removable;
    }
  }
  if (old == 0 && fresh >= dep.desired && alive_pods(d, dep.version, true) >= dep.desired) {
    dep.rolling = false;
    ++counters_.rolling_updates_completed;
    log("rolling update of " + ds.name + " complete");
  }
}

// --- Scheduling -------------------------------------------------------------------------------------

void EksCluster::schedule_pending()
{
  // New pods are tried at once; pods found unschedulable wait for an event that may free room (a
  // node Ready, a pod gone) or the periodic flush (kube-scheduler's unschedulable queue).
  const bool flush = now() - last_unschedulable_retry_s_ >= 60;
  if (!schedule_dirty_ && !requeue_ && !flush)
    return;
  if (flush)
    last_unschedulable_retry_s_ = now();
  const bool retry_all = requeue_ || flush;
  schedule_dirty_ = requeue_ = false;
  if (pending_.empty())
    return;
  std::vector<size_t> ids;  // nodes the scheduler sees (their own views: a bind updates them)
  std::vector<const NodeView*> views;
  std::vector<size_t> still;
  std::vector<std::string> failed(deps_.size());  // equal pods fail alike within one pass
  bool built = false;
  for (size_t id : pending_) {
    auto& p = pods_[id];
    if (p.unschedulable && !retry_all) {
      still.push_back(id);
      continue;
    }
    if (!failed[p.deployment].empty()) {
      if (!p.unschedulable)
        record(p.deployment, static_cast<long>(id), "FailedScheduling", failed[p.deployment], true);
      p.unschedulable = true;
      still.push_back(id);
      continue;
    }
    if (!built) {
      for (size_t i = 0; i < nodes_.size(); ++i)
        if (nodes_[i].state == NodeState::Ready) {
          ids.push_back(i);
          views.push_back(&nodes_[i].view);
        }
      built = true;
    }
    const auto& ds = spec_.deployments[p.deployment];
    PodSpec ps{ds.name + "-" + std::to_string(id), ds.name, p.requests, {}, {}, {}, {}};
    const auto r = scheduler_.schedule(ps, views);
    if (r.node < 0) {
      if (!p.unschedulable)
        record(p.deployment, static_cast<long>(id), "FailedScheduling", r.message, true);
      p.unschedulable = true;
      counters_.last_pending_reason = failed[p.deployment] = deps_[p.deployment].unschedulable_message = r.message;
      still.push_back(id);
      continue;
    }
    bind(id, ids[static_cast<size_t>(r.node)]);
  }
  pending_ = std::move(still);
  for (auto& dep : deps_)
    if (std::none_of(dep.pods.begin(), dep.pods.end(), [&](size_t id) { return pods_[id].unschedulable; }))
      dep.unschedulable_message.clear();
}

std::vector<RotationCounts> EksCluster::rotation() const
{
  std::vector<RotationCounts> r(deps_.size());
  for (size_t d = 0; d < deps_.size(); ++d)
    for (size_t id : deps_[d].pods) {
      const auto& p = pods_[id];
      if (p.state != PodState::Ready)
        continue;
      if (p.unreachable)
        ++r[d].unreachable;
      else
        ++r[d].healthy;
    }
  return r;
}

std::vector<PodEndpoint> EksCluster::endpoints() const
{
  std::vector<PodEndpoint> v;
  for (size_t d = 0; d < deps_.size(); ++d)
    for (size_t id : deps_[d].pods) {
      const auto& p = pods_[id];
      if (p.node < 0 || p.state == PodState::Pending || p.state == PodState::Starting)
        continue;
      const auto& n = nodes_[static_cast<size_t>(p.node)];
      v.push_back({id, d, &n.zone, true, p.state == PodState::Ready, p.unreachable || n.state == NodeState::Failed});
    }
  return v;
}

// --- Clock --------------------------------------------------------------------------------------------

void EksCluster::start()
{
  // The cluster as it stands at t = 0: the groups' nodes Ready, the Deployments' pods Ready on them.
  for (size_t g = 0; g < groups_.size(); ++g)
    for (int i = 0; i < groups_[g].spec.desired_size; ++i) {
      const size_t id = launch_node(static_cast<int>(g), instance_type(groups_[g].spec.instance_type));
      node_ready(id);
    }
  counters_.nodes_launched = 0;
  for (size_t d = 0; d < deps_.size(); ++d)
    reconcile(d);
  schedule_pending();
  for (auto& p : pods_)
    if (p.state == PodState::Starting) {
      p.state = PodState::Ready;
      p.bound_s = p.running_s = p.ready_s = -1000;
      ++ready_pods_total_;
    }
  next_scrape_s_ = spec_.metrics_resolution_s;
  next_hpa_s_ = spec_.hpa_sync_s;
  next_ca_s_ = spec_.ca.scan_interval_s;
  engine().at(0, [this]() { tick(); });
}

void EksCluster::tick()
{
  const double t = now();
  const double dt = std::min(spec_.tick_s, sim::horizon_s(sc_) - t);
  if (dt <= 0)
    return;
  schedule_pending();
  if (load_->per_pod())
    load_->sync_pods(t, endpoints());
  load_->step(t, dt, rotation());
  for (size_t d = 0; d < deps_.size(); ++d)
    deps_[d].usage_integral_m_s += load_->usage_per_pod_m(d) * dt;
  if (t + 1e-9 >= next_scrape_s_) {
    scrape();
    next_scrape_s_ += spec_.metrics_resolution_s;
  }
  if (t + 1e-9 >= next_hpa_s_) {
    hpa_sync();
    next_hpa_s_ += spec_.hpa_sync_s;
  }
  for (size_t d = 0; d < deps_.size(); ++d) {
    readiness_probes(d);
    reconcile(d);
    track_capacity(d);
  }
  schedule_pending();
  if (ca_ && t + 1e-9 >= next_ca_s_) {
    ca_scan();
    next_ca_s_ += spec_.ca.scan_interval_s;
  }
  if (spec_.provisioner == "karpenter")
    karpenter_loop();
  // Per-minute gauges (sampled each step; the minute keeps the last value, pending its maximum).
  counters_.max_pending_pods = std::max(counters_.max_pending_pods, static_cast<int>(pending_.size()));
  ts_pending_->add(t, static_cast<double>(pending_.size()));
  {
    std::vector<int> per_group(ts_group_nodes_.size(), 0);
    int total = 0;
    for (const auto& n : nodes_)
      if (n.state == NodeState::Ready) {
        ++per_group[n.group >= 0 ? static_cast<size_t>(n.group) : per_group.size() - 1];
        ++total;
      }
    for (size_t g = 0; g < per_group.size(); ++g)
      ts_group_nodes_[g]->add(t, per_group[g]);
    ts_nodes_total_->add(t, total);
    counters_.peak_nodes = std::max(counters_.peak_nodes, total);
  }
  for (size_t d = 0; d < deps_.size(); ++d) {
    deps_[d].ts_pods->add(t, ready_pods(d));
    deps_[d].ts_desired->add(t, deps_[d].desired);
  }
  counters_.peak_ready_pods = std::max(counters_.peak_ready_pods, ready_pods_total_);
  engine().at(t + dt, [this]() { tick(); });
}

// --- Deployments applied through the Kubernetes API ------------------------------------------------

int EksCluster::deployment_index(const std::string& name) const
{
  for (size_t d = 0; d < deps_.size(); ++d)
    if (deps_[d].spec->name == name)
      return static_cast<int>(d);
  return -1;
}

void EksCluster::apply(size_t d, const AppliedWorkload& w)
{
  auto& dep = deps_[d];
  auto& ds = spec_.deployments[d];
  if (!dep.applied) {
    dep.applied = true;
    dep.hpa.reset();  // the applied workload's HPA is the one applied with it (set_hpa)
    log(ds.name + " is driven through the Kubernetes API");
  }
  ds.requests = w.requests;  // pods created from now on; the running ones keep what they asked for
  ds.cpu_limit_m = w.cpu_limit_m;
  ds.replicas = w.replicas;
  ds.readiness_initial_delay_s = w.readiness_initial_delay_s;
  ds.readiness_period_s = w.readiness_period_s;
  ds.readiness_failure_threshold = w.readiness_failure_threshold;
  dep.max_surge = w.max_surge;
  dep.max_unavailable = w.max_unavailable;
  dep.paused = w.paused;
  dep.desired = w.replicas;
  if (dep.hpa)
    dep.desired = std::clamp(dep.desired, dep.hpa->spec().min_replicas, dep.hpa->spec().max_replicas);
  if (w.version != dep.version) {
    dep.version = w.version;
    dep.rolling = true;
    log("rolling update of " + ds.name + " to version " + std::to_string(w.version) + " (applied)");
  }
  reconcile(d);
}

void EksCluster::set_hpa(size_t d, const std::optional<HpaSpec>& hpa)
{
  auto& dep = deps_[d];
  if (!hpa) {
    dep.hpa.reset();
    dep.hpa_utilization_pct = -1;
    return;
  }
  if (dep.hpa && dep.hpa->spec() == *hpa)
    return;
  dep.hpa = std::make_unique<Hpa>(*hpa);  // a changed spec starts with no history, as a new object would
  dep.desired = std::clamp(dep.desired, hpa->min_replicas, hpa->max_replicas);
}

void EksCluster::record(size_t d, long pod, const std::string& reason, const std::string& message, bool warning)
{
  if (deps_[d].applied)
    events_.push_back({now(), d, pod, warning, reason, message});
}

bool EksCluster::handle(const sim::EventSpec& e)
{
  if (e.action == "set_multiplier") {
    load_->set_multiplier(e.value);
    return true;
  }
  if (e.action == "eks_rolling_update") {
    for (size_t d = 0; d < deps_.size(); ++d)
      if (deps_[d].spec->name == e.target) {
        ++deps_[d].version;
        deps_[d].rolling = true;
        log("rolling update of " + e.target + " to version " + std::to_string(deps_[d].version));
        reconcile(d);
        return true;
      }
    throw sim::InputError("/events", "eks_rolling_update: unknown deployment \"" + e.target + "\"");
  }
  if (e.action == "eks_node_failure") {
    const int count = std::max(1, static_cast<int>(e.value));
    for (int k = 0; k < count; ++k) {
      // The Ready node of the group (or zone) with the most pods, first on ties.
      int best = -1;
      for (size_t i = 0; i < nodes_.size(); ++i) {
        const auto& n = nodes_[i];
        const bool match = n.zone == e.target ||
                           (n.group >= 0 ? groups_[static_cast<size_t>(n.group)].spec.name == e.target : e.target == "karpenter");
        if (match && n.state == NodeState::Ready &&
            (best < 0 || n.pods.size() > nodes_[static_cast<size_t>(best)].pods.size()))
          best = static_cast<int>(i);
      }
      if (best < 0)
        throw sim::InputError("/events", "eks_node_failure: no Ready node in \"" + e.target + "\"");
      fail_node(static_cast<size_t>(best));
    }
    return true;
  }
  return false;
}

void EksCluster::finish(double t_end) { load_->finish(t_end); }

EksReport EksCluster::report(double t_end) const
{
  EksReport r = counters_;
  EksNodeUsage usage;  // node-seconds integrated from launch to termination, by type and zone
  for (const auto& n : nodes_) {
    const double h = std::max(0.0, (n.gone_s >= 0 ? n.gone_s : t_end) - std::max(0.0, n.launched_s)) / 3600;
    usage.hours_by_type[n.type->name] += h;
    usage.hours_by_zone[n.zone] += h;
  }
  for (const auto& [type, h] : usage.hours_by_type) {
    r.node_hours_by_type.emplace_back(type, h);
    r.node_hours += h;
  }
  r.bill = eks_bill(eks_cost_inputs(sc_, spec_, metrics_, usage, t_end));
  for (const auto& l : r.bill.lines)
    r.node_cost_usd += l.item.rfind("ec2.", 0) == 0 ? l.cost_usd : 0.0;
  r.control_plane_usd = r.bill.run_by_service_usd.count("EKS") ? r.bill.run_by_service_usd.at("EKS") : 0.0;
  r.total_usd = r.bill.run_total_usd;
  r.monthly_usd = r.bill.monthly_run_rate_usd;
  auto eps = episodes_s_;
  for (const auto& dep : deps_)  // episodes still open at the end count to the end
    if (dep.episode_start_s >= 0)
      eps.push_back(t_end - dep.episode_start_s);
  r.scale_up_episodes = static_cast<int>(eps.size());
  for (double e : eps) {
    r.time_to_capacity_max_s = std::max(r.time_to_capacity_max_s, e);
    r.time_to_capacity_mean_s += e / static_cast<double>(eps.size());
  }
  for (size_t d = 0; d < deps_.size(); ++d)
    r.final_replicas.emplace_back(deps_[d].spec->name, deps_[d].desired);
  return r;
}

}  // namespace migsim::models::eks
