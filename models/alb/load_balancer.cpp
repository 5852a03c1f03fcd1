#include "models/alb/load_balancer.hpp"

#include <algorithm>
#include <stdexcept>

namespace migsim::models::alb {

bool path_matches(const std::string& pattern, const std::string& path)
{
  // Iterative wildcard match with backtracking to the last '*'.
  size_t p = 0, s = 0, star = std::string::npos, mark = 0;
  while (s < path.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == path[s])) {
      ++p;
      ++s;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = s;
    } else if (star != std::string::npos) {
      p = star + 1;
      s = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

LoadBalancer::LoadBalancer(std::string name, std::vector<std::string> azs, Clock& clock)
    : name_(std::move(name)), azs_(std::move(azs)), clock_(clock)
{
  if (azs_.size() < 2)
    throw std::invalid_argument("load balancer " + name_ + ": an ALB needs subnets in at least two Availability Zones");
}

TargetGroup& LoadBalancer::add_target_group(TargetGroupSpec spec)
{
  const std::string n = spec.name;
  if (groups_.count(n))
    throw std::invalid_argument("duplicate target group " + n);
  auto& g = groups_[n] = std::make_unique<TargetGroup>(std::move(spec), clock_);
  return *g;
}

TargetGroup& LoadBalancer::target_group(const std::string& name)
{
  auto it = groups_.find(name);
  if (it == groups_.end())
    throw std::out_of_range("unknown target group " + name);
  return *it->second;
}

void LoadBalancer::add_rule(Rule rule)
{
  if (!groups_.count(rule.target_group))
    throw std::invalid_argument("rule " + std::to_string(rule.priority) + ": unknown target group " + rule.target_group);
  if (rule.priority < 1 || rule.priority > 50000)
    throw std::invalid_argument("rule priority must be 1-50000, got " + std::to_string(rule.priority));
  for (const auto& r : listener_.rules)
    if (r.priority == rule.priority)
      throw std::invalid_argument("duplicate rule priority " + std::to_string(rule.priority));
  listener_.rules.push_back(std::move(rule));
  std::sort(listener_.rules.begin(), listener_.rules.end(),
            [](const Rule& a, const Rule& b) { return a.priority < b.priority; });
}

void LoadBalancer::set_default(const std::string& target_group)
{
  if (!groups_.count(target_group))
    throw std::invalid_argument("default action: unknown target group " + target_group);
  listener_.default_target_group = target_group;
}

int LoadBalancer::matched_priority(const std::string& path) const
{
  for (const auto& r : listener_.rules)
    for (const auto& p : r.path_patterns)
      if (path_matches(p, path))
        return r.priority;
  return 0;
}

const std::string& LoadBalancer::route(const std::string& path) const
{
  for (const auto& r : listener_.rules)
    for (const auto& p : r.path_patterns)
      if (path_matches(p, path))
        return r.target_group;
  return listener_.default_target_group;
}

}  // namespace migsim::models::alb
