#include "models/eks/cluster_autoscaler.hpp"

#include <algorithm>
#include <set>

namespace migsim::models::eks {

namespace {

// Largest first (CPU then memory), as the binpacking estimator orders pods.
std::vector<const PodSpec*> largest_first(const std::vector<PodSpec>& pods)
{
  std::vector<const PodSpec*> v;
  for (const auto& p : pods)
    v.push_back(&p);
  std::stable_sort(v.begin(), v.end(), [](const PodSpec* a, const PodSpec* b) {
    return a->requests.cpu_m + a->requests.mem_mib > b->requests.cpu_m + b->requests.mem_mib;
  });
  return v;
}

NodeView fresh(const NodeView& t, const std::string& name)
{
  NodeView n = t;
  n.name = name;
  n.requested = {};
  n.pod_count = 0;
  n.pods_by_app.clear();
  n.schedulable = true;
  return n;
}

}  // namespace

double node_utilization(const NodeView& n)
{
  const double cpu = n.allocatable.cpu_m ? static_cast<double>(n.requested.cpu_m) / n.allocatable.cpu_m : 0;
  const double mem = n.allocatable.mem_mib ? static_cast<double>(n.requested.mem_mib) / n.allocatable.mem_mib : 0;
  return std::max(cpu, mem);
}

uint64_t ClusterAutoscaler::next_random()
{
  // splitmix64: a small deterministic generator keeps this file free of the simulation's streams.
  uint64_t z = (rng_state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

CaDecision ClusterAutoscaler::scan(double now, const CaSnapshot& snap)
{
  CaDecision d;
  for (size_t i = 0; i < snap.upcoming.size(); ++i)
    if (now - snap.upcoming[i].requested_s >= s_.max_node_provision_time_s) {
      d.give_up_upcoming.push_back(i);
      backoff_until_[snap.upcoming[i].group] = now + s_.backoff_s;
    }
  scale_up(now, snap, d);
  scale_down(now, snap, d);
  return d;
}

void ClusterAutoscaler::scale_up(double now, const CaSnapshot& snap, CaDecision& d)
{
  if (snap.unschedulable.empty())
    return;
  // Pods that will fit on nodes already on their way do not need more.
  std::vector<NodeView> coming;
  for (size_t i = 0; i < snap.upcoming.size(); ++i)
    if (std::find(d.give_up_upcoming.begin(), d.give_up_upcoming.end(), i) == d.give_up_upcoming.end())
      coming.push_back(fresh(snap.groups[static_cast<size_t>(snap.upcoming[i].group)].template_node,
                             "upcoming-" + std::to_string(i)));
  std::vector<PodSpec> remaining;
  for (const PodSpec* p : largest_first(snap.unschedulable)) {
    auto it = std::find_if(coming.begin(), coming.end(), [&](auto& n) { return filter_.fits(*p, n); });
    if (it != coming.end())
      it->add_pod(*p);
    else
      remaining.push_back(*p);
  }
  if (remaining.empty())
    return;

  struct Option {
    int group;
    int nodes;
    int pods;
    double waste;
  };
  std::vector<Option> options;
  for (size_t g = 0; g < snap.groups.size(); ++g) {
    const auto& grp = snap.groups[g];
    const int room = grp.max_size - grp.target_size;
    if (room <= 0 || (backoff_until_.count(static_cast<int>(g)) && backoff_until_[static_cast<int>(g)] > now))
      continue;
    std::vector<NodeView> added;
    const NodeView empty_node = fresh(grp.template_node, "t");
    int pods = 0;
    for (const PodSpec* p : largest_first(remaining)) {
      if (!filter_.fits(*p, empty_node))
        continue;  // would not fit even on an empty node of this group
      auto it = std::find_if(added.begin(), added.end(), [&](auto& n) { return filter_.fits(*p, n); });
      if (it == added.end()) {
        if (static_cast<int>(added.size()) == room)
          continue;
        added.push_back(fresh(grp.template_node, "new-" + std::to_string(added.size())));
        it = added.end() - 1;
      }
      it->add_pod(*p);
      ++pods;
    }
    if (pods == 0)
      continue;
    Resources alloc, req;
    for (const auto& n : added) {
      alloc += n.allocatable;
      req += n.requested;
    }
    const double waste = (alloc.cpu_m ? 1.0 - static_cast<double>(req.cpu_m) / alloc.cpu_m : 0) +
                         (alloc.mem_mib ? 1.0 - static_cast<double>(req.mem_mib) / alloc.mem_mib : 0);
    options.push_back({static_cast<int>(g), static_cast<int>(added.size()), pods, waste});
  }
  if (options.empty()) {
    d.note = std::to_string(remaining.size()) + " pods unschedulable and no node group can help";
    return;
  }
  // The expander: narrow to the best options, then pick one (random among equals, except with a
  // single survivor).
  std::vector<Option> best;
  switch (s_.expander) {
    case Expander::Random: best = options; break;
    case Expander::MostPods: {
      int top = 0;
      for (auto& o : options) top = std::max(top, o.pods);
      for (auto& o : options) if (o.pods == top) best.push_back(o);
      break;
    }
    case Expander::LeastWaste: {
      double low = 1e300;
      for (auto& o : options) low = std::min(low, o.waste);
      for (auto& o : options) if (o.waste <= low + 1e-12) best.push_back(o);
      break;
    }
    case Expander::Priority: {
      int top = -2147483647;
      for (auto& o : options) top = std::max(top, snap.groups[static_cast<size_t>(o.group)].priority);
      for (auto& o : options) if (snap.groups[static_cast<size_t>(o.group)].priority == top) best.push_back(o);
      break;
    }
  }
  const Option& pick = best.size() == 1 ? best[0] : best[next_random() % best.size()];
  d.scale_up_group = pick.group;
  d.scale_up_nodes = pick.nodes;
  d.pods_helped = pick.pods;
  d.note = "scale up " + snap.groups[static_cast<size_t>(pick.group)].name + " by " + std::to_string(pick.nodes) +
           " for " + std::to_string(pick.pods) + " unschedulable pods";
  last_scale_up_s_ = now;
}

void ClusterAutoscaler::scale_down(double now, const CaSnapshot& snap, CaDecision& d)
{
  // Working copy: pods of nodes found removable are booked onto the nodes that would take them.
  std::vector<NodeView> views;
  for (const auto& n : snap.nodes)
    views.push_back(n.view);
  std::vector<int> size(snap.groups.size());
  for (size_t g = 0; g < snap.groups.size(); ++g)
    size[g] = snap.groups[g].target_size;
  std::set<size_t> removable;
  std::map<std::string, double> still_unneeded;
  int non_empty_checked = 0;
  for (size_t i = 0; i < snap.nodes.size(); ++i) {
    const auto& n = snap.nodes[i];
    if (!n.view.schedulable || node_utilization(views[i]) >= s_.utilization_threshold)
      continue;
    if (size[static_cast<size_t>(n.group)] <= snap.groups[static_cast<size_t>(n.group)].min_size)
      continue;
    // Can every pod move to another node (not one being removed)? At most
    // max_non_empty_candidates non-empty nodes are checked per scan.
    if (!n.pods.empty() && non_empty_checked++ >= s_.max_non_empty_candidates)
      continue;
    std::vector<std::pair<size_t, const PodSpec*>> placed_on;
    bool fits = true;
    for (const PodSpec* p : largest_first(n.pods)) {
      bool placed = false;
      for (size_t j = 0; j < views.size() && !placed; ++j) {
        if (j == i || removable.count(j) || !filter_.fits(*p, views[j]))
          continue;
        views[j].add_pod(*p);
        placed_on.emplace_back(j, p);
        placed = true;
      }
      if (!placed) {
        fits = false;
        break;
      }
    }
    if (!fits) {
      for (const auto& [j, p] : placed_on)
        views[j].remove_pod(*p);
      continue;
    }
    removable.insert(i);
    --size[static_cast<size_t>(n.group)];
    auto it = unneeded_since_.find(n.view.name);
    still_unneeded[n.view.name] = it == unneeded_since_.end() ? now : it->second;
  }
  unneeded_since_ = std::move(still_unneeded);
  if (now - last_scale_up_s_ < s_.delay_after_add_s)
    return;  // scale-down in cooldown after a scale-up
  int empty_deleted = 0;
  for (size_t i : removable) {
    const auto& n = snap.nodes[i];
    if (now - unneeded_since_[n.view.name] < s_.unneeded_time_s)
      continue;
    if (n.pods.empty() && empty_deleted < s_.max_empty_bulk_delete) {
      d.remove_nodes.push_back(n.view.name);
      ++empty_deleted;
    }
  }
  if (d.remove_nodes.empty())
    for (size_t i : removable) {
      const auto& n = snap.nodes[i];
      if (now - unneeded_since_[n.view.name] >= s_.unneeded_time_s && !n.pods.empty()) {
        d.remove_nodes.push_back(n.view.name);  // one non-empty node at a time (drained)
        break;
      }
    }
  for (const auto& name : d.remove_nodes)
    unneeded_since_.erase(name);
}

}  // namespace migsim::models::eks
