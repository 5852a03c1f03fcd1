#include "models/eks/scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace migsim::models::eks {

namespace {

constexpr int64_t kMaxNodeScore = 100;
// kube-scheduler scores pods with no request as if they asked for 100m CPU and 200 MB.
constexpr int64_t kDefaultCpuRequestM = 100;
constexpr int64_t kDefaultMemRequestMib = 200 * 1000 * 1000 / (1024 * 1024);

Resources non_zero(const Resources& r)
{
  return {r.cpu_m ? r.cpu_m : kDefaultCpuRequestM, r.mem_mib ? r.mem_mib : kDefaultMemRequestMib};
}

bool pod_matches_node_affinity(const PodSpec& pod, const NodeView& node)
{
  for (const auto& [k, v] : pod.node_selector)
    if (node.label(k) != v)
      return false;
  return std::all_of(pod.required_affinity.begin(), pod.required_affinity.end(),
                     [&](const LabelRequirement& r) { return r.matches(node.labels); });
}

// DefaultNormalizeScore of the framework: scale to 0..100 by the maximum, optionally reversed.
void default_normalize(std::vector<int64_t>& s, const std::vector<bool>& feasible, bool reverse)
{
  int64_t max_count = 0;
  for (size_t i = 0; i < s.size(); ++i)
    if (feasible[i])
      max_count = std::max(max_count, s[i]);
  for (size_t i = 0; i < s.size(); ++i) {
    if (max_count == 0) {
      s[i] = reverse ? kMaxNodeScore : s[i];
      continue;
    }
    s[i] = kMaxNodeScore * s[i] / max_count;
    if (reverse)
      s[i] = kMaxNodeScore - s[i];
  }
}

}  // namespace

bool Toleration::tolerates(const Taint& t) const
{
  if (!any_effect && effect != t.effect)
    return false;
  if (key.empty())
    return exists;  // empty key + Exists tolerates everything
  if (key != t.key)
    return false;
  return exists || value == t.value;
}

bool LabelRequirement::matches(const std::map<std::string, std::string>& labels) const
{
  auto it = labels.find(key);
  const bool has = it != labels.end();
  switch (op) {
    case Op::Exists: return has;
    case Op::DoesNotExist: return !has;
    case Op::In: return has && std::find(values.begin(), values.end(), it->second) != values.end();
    case Op::NotIn: return !has || std::find(values.begin(), values.end(), it->second) == values.end();
  }
  return false;
}

std::vector<SpreadConstraint> default_spread_constraints()
{
  return {{kLabelHostname, 3}, {kLabelZone, 5}};
}

int64_t least_allocated_score(const Resources& req, const Resources& alloc)
{
  auto one = [](int64_t requested, int64_t capacity) -> int64_t {
    if (capacity == 0 || requested > capacity)
      return 0;
    return (capacity - requested) * kMaxNodeScore / capacity;
  };
  // CPU and memory, weight 1 each.
  return (one(req.cpu_m, alloc.cpu_m) + one(req.mem_mib, alloc.mem_mib)) / 2;
}

int64_t balanced_allocation_score(const Resources& req, const Resources& alloc)
{
  const double f_cpu = alloc.cpu_m ? std::min(1.0, static_cast<double>(req.cpu_m) / alloc.cpu_m) : 1.0;
  const double f_mem = alloc.mem_mib ? std::min(1.0, static_cast<double>(req.mem_mib) / alloc.mem_mib) : 1.0;
  // Standard deviation of the two fractions is |f_cpu - f_mem| / 2.
  const double std_dev = std::abs(f_cpu - f_mem) / 2;
  return static_cast<int64_t>((1 - std_dev) * kMaxNodeScore);
}

std::string fit_error_message(size_t node_count, const std::vector<std::vector<std::string>>& reasons)
{
  std::map<std::string, int> histogram;
  for (const auto& node : reasons)
    for (const auto& r : node)
      ++histogram[r];
  std::vector<std::string> parts;
  for (const auto& [reason, count] : histogram)
    parts.push_back(std::to_string(count) + " " + reason);
  std::sort(parts.begin(), parts.end());  // kube-scheduler sorts the "count reason" strings
  std::string msg = "0/" + std::to_string(node_count) + " nodes are available";
  for (size_t i = 0; i < parts.size(); ++i)
    msg += (i == 0 ? ": " : ", ") + parts[i];
  return msg + ".";
}

std::vector<std::string> Scheduler::filter(const PodSpec& pod, const NodeView& node) const
{
  // Plugins in the default profile's order; a node stops at the first plugin that rejects it.
  if (!node.schedulable)
    return {kReasonUnschedulable};
  for (const auto& t : node.taints) {
    if (t.effect == TaintEffect::PreferNoSchedule)
      continue;
    const bool ok = std::any_of(pod.tolerations.begin(), pod.tolerations.end(),
                                [&](const Toleration& tol) { return tol.tolerates(t); });
    if (!ok)
      return {"node(s) had untolerated taint {" + t.key + ": " + t.value + "}"};
  }
  if (!pod_matches_node_affinity(pod, node))
    return {kReasonAffinity};
  std::vector<std::string> fit;  // NodeResourcesFit reports every insufficient resource
  if (node.pod_count + 1 > node.max_pods)
    fit.push_back(kReasonTooManyPods);
  const Resources after = node.requested + pod.requests;
  if (after.cpu_m > node.allocatable.cpu_m)
    fit.push_back(kReasonCpu);
  if (after.mem_mib > node.allocatable.mem_mib)
    fit.push_back(kReasonMemory);
  return fit;
}

size_t feasible_nodes_to_find(size_t n)
{
  if (n < 100)
    return n;
  const int64_t pct = std::max<int64_t>(5, 50 - static_cast<int64_t>(n) / 125);
  return std::max<size_t>(100, n * static_cast<size_t>(pct) / 100);
}

bool Scheduler::fits(const PodSpec& pod, const NodeView& node) const
{
  if (!node.schedulable)
    return false;
  for (const auto& t : node.taints)
    if (t.effect != TaintEffect::PreferNoSchedule &&
        std::none_of(pod.tolerations.begin(), pod.tolerations.end(), [&](const Toleration& tol) { return tol.tolerates(t); }))
      return false;
  if (!pod_matches_node_affinity(pod, node))
    return false;
  const Resources after = node.requested + pod.requests;
  return node.pod_count + 1 <= node.max_pods && after.fits_in(node.allocatable);
}

ScheduleResult Scheduler::schedule(const PodSpec& pod, const std::vector<NodeView>& nodes) const
{
  std::vector<const NodeView*> ptrs;
  ptrs.reserve(nodes.size());
  for (const auto& n : nodes)
    ptrs.push_back(&n);
  return schedule(pod, ptrs);
}

ScheduleResult Scheduler::schedule(const PodSpec& pod, const std::vector<const NodeView*>& all) const
{
  ScheduleResult res;
  const size_t n = all.size();
  res.nodes.resize(n);
  std::vector<bool> feasible(n, false);
  // Filter, from where the last cycle stopped, until enough feasible nodes are found.
  const size_t want = feasible_nodes_to_find(n);
  size_t found = 0, examined = 0;
  const size_t start = n ? next_start_ % n : 0;
  for (; examined < n && found < want; ++examined) {
    const size_t i = (start + examined) % n;
    feasible[i] = res.nodes[i].feasible = fits(pod, *all[i]);
    found += feasible[i];
  }
  next_start_ = n ? (start + examined) % n : 0;
  if (found == 0) {
    std::vector<std::vector<std::string>> reasons(n);
    for (size_t i = 0; i < n; ++i)
      res.nodes[i].reasons = reasons[i] = filter(pod, *all[i]);
    res.message = fit_error_message(n, reasons);
    return res;
  }

  std::vector<int64_t> taint(n, 0), affinity(n, 0), spread(n, 0);
  // Per node: pods of the pod's app on it, and its value of each constraint's topology key.
  std::vector<int64_t> app_count(n, 0);
  std::vector<std::vector<const std::string*>> value(spread_.size(), std::vector<const std::string*>(n, nullptr));
  for (size_t i = 0; i < n; ++i) {
    auto it = all[i]->pods_by_app.find(pod.app);
    app_count[i] = it == all[i]->pods_by_app.end() ? 0 : it->second;
    for (size_t c = 0; c < spread_.size(); ++c) {
      auto l = all[i]->labels.find(spread_[c].topology_key);
      value[c][i] = l == all[i]->labels.end() ? nullptr : &l->second;
    }
  }
  // PodTopologySpread PreScore: pod counts per domain over the feasible nodes, weight log(size + 2).
  std::vector<double> spread_weight(spread_.size());
  std::vector<std::vector<std::pair<const std::string*, int64_t>>> domains(spread_.size());
  // Domains are those of the feasible nodes; their counts take every node in them (as kube does).
  auto find_domain = [](std::vector<std::pair<const std::string*, int64_t>>& d, const std::string* v) -> int64_t* {
    for (auto& [name, count] : d)
      if (name == v || *name == *v)
        return &count;
    return nullptr;
  };
  auto domain_of = [&](std::vector<std::pair<const std::string*, int64_t>>& d, const std::string* v) -> int64_t& {
    if (auto* c = find_domain(d, v))
      return *c;
    d.emplace_back(v, 0);
    return d.back().second;
  };
  for (size_t c = 0; c < spread_.size(); ++c) {
    const bool host = spread_[c].topology_key == kLabelHostname;
    if (!host) {
      for (size_t i = 0; i < n; ++i)
        if (feasible[i] && value[c][i])
          domain_of(domains[c], value[c][i]);
      for (size_t i = 0; i < n; ++i)
        if (value[c][i])
          if (auto* count = find_domain(domains[c], value[c][i]))
            *count += app_count[i];
    }
    spread_weight[c] = std::log(static_cast<double>((host ? found : domains[c].size()) + 2));
  }

  for (size_t i = 0; i < n; ++i) {
    if (!feasible[i])
      continue;
    const auto& node = *all[i];
    auto& s = res.nodes[i];
    // TaintToleration: untolerated PreferNoSchedule taints (fewer is better).
    for (const auto& t : node.taints)
      if (t.effect == TaintEffect::PreferNoSchedule &&
          std::none_of(pod.tolerations.begin(), pod.tolerations.end(), [&](auto& tol) { return tol.tolerates(t); }))
        ++taint[i];
    // NodeAffinity: sum of the weights of preferred terms that match.
    for (const auto& term : pod.preferred_affinity)
      if (std::all_of(term.match.begin(), term.match.end(), [&](auto& r) { return r.matches(node.labels); }))
        affinity[i] += term.weight;
    // PodTopologySpread: matching pods in the node's domain, weighted by log(domains + 2).
    double score = 0;
    for (size_t c = 0; c < spread_.size(); ++c) {
      if (!value[c][i])
        continue;
      const int64_t cnt =
          spread_[c].topology_key == kLabelHostname ? app_count[i] : domain_of(domains[c], value[c][i]);
      score += static_cast<double>(cnt) * spread_weight[c] + (spread_[c].max_skew - 1);
    }
    spread[i] = std::llround(score);
    const Resources with_pod = node.requested + non_zero(pod.requests);
    s.least_allocated = least_allocated_score(with_pod, node.allocatable);
    s.balanced_allocation = balanced_allocation_score(with_pod, node.allocatable);
  }
  default_normalize(taint, feasible, true);
  default_normalize(affinity, feasible, false);
  // PodTopologySpread NormalizeScore: fewer matching pods is better, scaled by max + min.
  int64_t min_s = std::numeric_limits<int64_t>::max(), max_s = 0;
  for (size_t i = 0; i < n; ++i)
    if (feasible[i]) {
      min_s = std::min(min_s, spread[i]);
      max_s = std::max(max_s, spread[i]);
    }
  for (size_t i = 0; i < n; ++i)
    if (feasible[i])
      spread[i] = max_s == 0 ? kMaxNodeScore : kMaxNodeScore * (max_s + min_s - spread[i]) / max_s;

  int64_t best = -1;
  for (size_t i = 0; i < n; ++i) {
    if (!feasible[i])
      continue;
    auto& s = res.nodes[i];
    s.taint_toleration = taint[i];
    s.node_affinity = affinity[i];
    s.pod_topology_spread = spread[i];
    s.total = weights_.taint_toleration * s.taint_toleration + weights_.node_affinity * s.node_affinity +
              weights_.pod_topology_spread * s.pod_topology_spread + weights_.least_allocated * s.least_allocated +
              weights_.balanced_allocation * s.balanced_allocation;
    if (s.total > best) {
      best = s.total;
      res.node = static_cast<int>(i);
    }
  }
  return res;
}

}  // namespace migsim::models::eks
