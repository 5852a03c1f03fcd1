#include "models/eks/scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

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

ScheduleResult Scheduler::schedule(const PodSpec& pod, const std::vector<NodeView>& nodes) const
{
  ScheduleResult res;
  const size_t n = nodes.size();
  res.nodes.resize(n);
  std::vector<bool> feasible(n);
  std::vector<std::vector<std::string>> reasons(n);
  for (size_t i = 0; i < n; ++i) {
    reasons[i] = filter(pod, nodes[i]);
    feasible[i] = res.nodes[i].feasible = reasons[i].empty();
    res.nodes[i].reasons = reasons[i];
  }
  if (std::none_of(feasible.begin(), feasible.end(), [](bool b) { return b; })) {
    res.message = fit_error_message(n, reasons);
    return res;
  }

  std::vector<int64_t> taint(n, 0), affinity(n, 0), spread(n, 0);
  // PodTopologySpread PreScore: domain sizes over the feasible nodes, pod counts per zone.
  std::vector<double> spread_weight(spread_.size());
  std::vector<std::map<std::string, int64_t>> domain_counts(spread_.size());
  for (size_t c = 0; c < spread_.size(); ++c) {
    std::set<std::string> domains;
    for (size_t i = 0; i < n; ++i) {
      if (!feasible[i] || !nodes[i].labels.count(spread_[c].topology_key))
        continue;
      domains.insert(nodes[i].label(spread_[c].topology_key));
    }
    // Counts per domain come from every node carrying the key (all nodes, as kube does).
    for (size_t i = 0; i < n; ++i) {
      const auto& node = nodes[i];
      if (!domains.count(node.label(spread_[c].topology_key)))
        continue;
      auto it = node.pods_by_app.find(pod.app);
      domain_counts[c][node.label(spread_[c].topology_key)] += it == node.pods_by_app.end() ? 0 : it->second;
    }
    const size_t size = spread_[c].topology_key == kLabelHostname
                            ? static_cast<size_t>(std::count(feasible.begin(), feasible.end(), true))
                            : domains.size();
    spread_weight[c] = std::log(static_cast<double>(size + 2));
  }

  for (size_t i = 0; i < n; ++i) {
    if (!feasible[i])
      continue;
    const auto& node = nodes[i];
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
      if (!node.labels.count(spread_[c].topology_key))
        continue;
      int64_t cnt = 0;
      if (spread_[c].topology_key == kLabelHostname) {
        auto it = node.pods_by_app.find(pod.app);
        cnt = it == node.pods_by_app.end() ? 0 : it->second;
      } else {
        cnt = domain_counts[c][node.label(spread_[c].topology_key)];
      }
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
