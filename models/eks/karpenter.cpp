#include "models/eks/karpenter.hpp"

#include "models/eks/scheduler.hpp"

#include <algorithm>
#include <numeric>

namespace migsim::models::eks {

namespace {

bool type_holds(const InstanceType& t, const Resources& req, int pods)
{
  return req.fits_in(t.allocatable) && pods <= t.max_pods;
}

std::vector<size_t> largest_first(const std::vector<PodSpec>& pods)
{
  std::vector<size_t> idx(pods.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    return pods[a].requests.cpu_m + pods[a].requests.mem_mib > pods[b].requests.cpu_m + pods[b].requests.mem_mib;
  });
  return idx;
}

size_t cheapest(const NodePool& pool, const std::vector<size_t>& types)
{
  return *std::min_element(types.begin(), types.end(), [&](size_t a, size_t b) {
    const auto &ta = pool.instance_types[a], &tb = pool.instance_types[b];
    return ta.usd_per_hour != tb.usd_per_hour ? ta.usd_per_hour < tb.usd_per_hour : ta.name < tb.name;
  });
}

}  // namespace

std::vector<NodeClaim> karpenter_provision(const NodePool& pool, const std::vector<PodSpec>& pending)
{
  std::vector<NodeClaim> claims;
  std::vector<bool> placed(pending.size(), false);
  const auto order = largest_first(pending);
  for (;;) {
    std::vector<size_t> types(pool.instance_types.size());
    std::iota(types.begin(), types.end(), 0);
    NodeClaim claim;
    Resources req;
    for (size_t i : order) {
      if (placed[i])
        continue;
      const Resources with = req + pending[i].requests;
      const int n = static_cast<int>(claim.pods.size()) + 1;
      std::vector<size_t> still;
      for (size_t t : types)
        if (type_holds(pool.instance_types[t], with, n))
          still.push_back(t);
      if (still.empty())
        continue;  // try the next pod on this claim; this one goes to another claim
      types = std::move(still);
      req = with;
      claim.pods.push_back(i);
      placed[i] = true;
    }
    if (claim.pods.empty())
      break;
    claim.type = cheapest(pool, types);
    claims.push_back(std::move(claim));
  }
  return claims;
}

ConsolidationAction karpenter_consolidate(const NodePool& pool, const std::vector<KarpenterNode>& nodes, double now)
{
  ConsolidationAction a;
  // Empty nodes first (both policies).
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].pods.empty() && nodes[i].empty_since_s >= 0 &&
        now - nodes[i].empty_since_s >= pool.consolidate_after_s) {
      a.kind = ConsolidationAction::Kind::Delete;
      a.node = i;
      a.reason = "empty";
      return a;
    }
  if (pool.consolidation == Consolidation::WhenEmpty)
    return a;
  // Candidates cheapest to disrupt first: fewest pods, then lowest price saved last.
  std::vector<size_t> order(nodes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return nodes[x].pods.size() < nodes[y].pods.size(); });
  Scheduler filter;
  for (size_t i : order) {
    const auto& n = nodes[i];
    if (n.pods.empty() || !n.view.schedulable)
      continue;
    // Delete: every pod fits on the other nodes.
    std::vector<NodeView> others;
    for (size_t j = 0; j < nodes.size(); ++j)
      if (j != i && nodes[j].view.schedulable)
        others.push_back(nodes[j].view);
    bool fits = true;
    for (size_t p : largest_first(n.pods)) {
      auto it = std::find_if(others.begin(), others.end(), [&](auto& o) { return filter.fits(n.pods[p], o); });
      if (it == others.end()) {
        fits = false;
        break;
      }
      it->add_pod(n.pods[p]);
    }
    if (fits) {
      a.kind = ConsolidationAction::Kind::Delete;
      a.node = i;
      a.reason = "underutilized: its pods fit on other nodes";
      return a;
    }
    // Replace: a cheaper single type holds all its pods.
    Resources req;
    for (const auto& p : n.pods)
      req += p.requests;
    std::vector<size_t> holds;
    for (size_t t = 0; t < pool.instance_types.size(); ++t)
      if (type_holds(pool.instance_types[t], req, static_cast<int>(n.pods.size())) &&
          pool.instance_types[t].usd_per_hour < pool.instance_types[n.type].usd_per_hour)
        holds.push_back(t);
    if (!holds.empty()) {
      a.kind = ConsolidationAction::Kind::Replace;
      a.node = i;
      a.replacement = cheapest(pool, holds);
      a.reason = "underutilized: replace " + pool.instance_types[n.type].name + " with cheaper " +
                 pool.instance_types[a.replacement].name;
      return a;
    }
  }
  return a;
}

}  // namespace migsim::models::eks
