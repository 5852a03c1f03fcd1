#include "harness/report/series_pool.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace migsim::harness::html {

namespace {

// The group's line (and band for a spread of several members).
svg::Series pooled(const std::string& name, const std::vector<const std::vector<double>*>& members,
                   const std::vector<double>& x, const PoolOptions& o)
{
  svg::Series s{name, x, std::vector<double>(x.size(), std::nan("")), "", false};
  const bool band = o.how == Pooling::spread && members.size() > 1;
  if (band) {
    s.lo.assign(x.size(), std::nan(""));
    s.hi.assign(x.size(), std::nan(""));
  }
  std::vector<double> at;
  for (size_t i = 0; i < x.size(); ++i) {
    at.clear();
    for (const auto* m : members)
      if (i < m->size() && std::isfinite((*m)[i]) && (!o.active_only || (*m)[i] > 0))
        at.push_back((*m)[i]);
    if (at.empty()) {  // a sum of nothing is 0; a spread of nothing is a gap in the line
      if (o.how == Pooling::sum)
        s.y[i] = 0;
      continue;
    }
    if (o.how == Pooling::sum) {
      s.y[i] = std::accumulate(at.begin(), at.end(), 0.0);
      continue;
    }
    std::sort(at.begin(), at.end());
    const size_t n = at.size();
    s.y[i] = n % 2 ? at[n / 2] : (at[n / 2 - 1] + at[n / 2]) / 2;
    if (band) {
      s.lo[i] = at.front();
      s.hi[i] = at.back();
    }
  }
  if (band)
    s.name += " (" + std::to_string(members.size()) + ")";
  return s;
}

double peak(const svg::Series& s)
{
  double p = -std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < s.y.size(); ++i) {
    if (std::isfinite(s.y[i]))
      p = std::max(p, s.y[i]);
    if (i < s.hi.size() && std::isfinite(s.hi[i]))
      p = std::max(p, s.hi[i]);
  }
  return p;
}

}  // namespace

std::vector<svg::Series> pool(const std::vector<PoolGroup>& groups, const std::vector<double>& x,
                              const PoolOptions& o)
{
  std::vector<svg::Series> lines;
  for (const auto& g : groups) {
    std::vector<const std::vector<double>*> members;
    for (const auto& m : g.members)
      members.push_back(&m);
    lines.push_back(pooled(g.name, members, x, o));
  }
  if (lines.size() <= std::max<size_t>(o.max_lines, 1))
    return lines;
  // The highest peaks keep their line (ties in the groups' order); the rest are pooled.
  std::vector<size_t> order(lines.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return peak(lines[a]) > peak(lines[b]); });
  const size_t keep = std::max<size_t>(o.max_lines, 2) - 1;
  std::vector<bool> kept(lines.size(), false);
  for (size_t k = 0; k < keep; ++k)
    kept[order[k]] = true;
  std::vector<svg::Series> out;
  std::vector<const std::vector<double>*> rest;
  for (size_t i = 0; i < lines.size(); ++i)
    if (kept[i])
      out.push_back(std::move(lines[i]));
    else
      for (const auto& m : groups[i].members)
        rest.push_back(&m);
  auto others = pooled("others", rest, x, o);
  others.name = "others (" + std::to_string(lines.size() - keep) + " more" + (o.how == Pooling::spread ? ")" : ", summed)");
  others.dashed = true;
  out.push_back(std::move(others));
  return out;
}

}  // namespace migsim::harness::html
