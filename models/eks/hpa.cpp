#include "models/eks/hpa.hpp"

#include <algorithm>
#include <climits>
#include <cmath>

namespace migsim::models::eks {

ScalingRules default_scale_up()
{
  return {0, SelectPolicy::Max, {{PolicyType::Percent, 100, 15}, {PolicyType::Pods, 4, 15}}};
}

ScalingRules default_scale_down()
{
  return {300, SelectPolicy::Max, {{PolicyType::Percent, 100, 15}}};
}

namespace {

// metricsclient.GetResourceUtilizationRatio: integer percent of the summed requests.
double usage_ratio(const std::vector<std::pair<int64_t, int64_t>>& usage_request, int target_pct)
{
  int64_t used = 0, requested = 0;
  for (const auto& [u, r] : usage_request) {
    used += u;
    requested += r;
  }
  if (requested == 0)
    return 0;
  const int64_t utilization = used * 100 / requested;
  return static_cast<double>(utilization) / target_pct;
}

}  // namespace

std::optional<int> replicas_for_cpu(const HpaSpec& spec, int current, const std::vector<HpaPod>& pods, double now,
                                    PodGroups* groups_out)
{
  // groupPods.
  PodGroups g;
  std::vector<std::pair<int64_t, int64_t>> metrics;  // ready pods: (usage, request)
  std::vector<int64_t> unready_requests, missing_requests;
  for (const auto& p : pods) {
    if (p.deleting) {
      ++g.ignored;
      continue;
    }
    if (!p.running) {
      ++g.unready;
      unready_requests.push_back(p.request_m);
      continue;
    }
    if (!p.has_metric) {
      ++g.missing;
      missing_requests.push_back(p.request_m);
      continue;
    }
    bool unready;
    if (p.start_s + spec.cpu_initialization_period_s > now)
      // Still initialising: ignore unless ready and a full metric window was seen since it turned so.
      unready = !p.ready || p.metric_timestamp_s < p.ready_changed_s + p.metric_window_s;
    else
      // Ignore only pods that are unready and have never been ready.
      unready = !p.ready && p.start_s + spec.initial_readiness_delay_s > p.ready_changed_s;
    if (unready) {
      ++g.unready;
      unready_requests.push_back(p.request_m);
      continue;
    }
    ++g.ready;
    metrics.emplace_back(p.usage_m, p.request_m);
  }
  if (groups_out)
    *groups_out = g;
  if (metrics.empty())
    return std::nullopt;

  const double ratio = usage_ratio(metrics, spec.target_utilization_pct);
  const bool scale_up_with_unready = g.unready > 0 && ratio > 1.0;
  if (!scale_up_with_unready && g.missing == 0) {
    if (std::abs(1.0 - ratio) <= spec.tolerance)
      return current;
    return static_cast<int>(std::ceil(ratio * g.ready));
  }
  if (g.missing > 0) {
    // Scale-down: missing pods use 100 % (at least the target) of their request; scale-up: 0.
    const int64_t fallback_pct = std::max(100, spec.target_utilization_pct);
    if (ratio < 1.0)
      for (auto r : missing_requests)
        metrics.emplace_back(r * fallback_pct / 100, r);
    else if (ratio > 1.0)
      for (auto r : missing_requests)
        metrics.emplace_back(0, r);
  }
  if (scale_up_with_unready)
    for (auto r : unready_requests)
      metrics.emplace_back(0, r);
  const double new_ratio = usage_ratio(metrics, spec.target_utilization_pct);
  // No change within tolerance, nor when the corrections reversed the direction.
  if (std::abs(1.0 - new_ratio) <= spec.tolerance || (ratio < 1.0 && new_ratio > 1.0) ||
      (ratio > 1.0 && new_ratio < 1.0))
    return current;
  const int replicas = static_cast<int>(std::ceil(new_ratio * static_cast<double>(metrics.size())));
  if ((new_ratio < 1.0 && replicas > current) || (new_ratio > 1.0 && replicas < current))
    return current;
  return replicas;
}

int Hpa::change_in_period(const std::deque<Stamped>& events, double now, int period_s) const
{
  int sum = 0;
  for (const auto& e : events)
    if (e.t_s > now - period_s)
      sum += e.value;
  return sum;
}

int Hpa::stabilize(double now, int current, int desired)
{
  const double up_cutoff = now - spec_.scale_up.stabilization_window_s;
  const double down_cutoff = now - spec_.scale_down.stabilization_window_s;
  int up = desired, down = desired;
  int old_index = -1;
  for (size_t i = 0; i < recommendations_.size(); ++i) {
    const auto& r = recommendations_[i];
    if (r.t_s > up_cutoff)
      up = std::min(up, r.value);
    if (r.t_s > down_cutoff)
      down = std::max(down, r.value);
    if (r.t_s < up_cutoff && r.t_s < down_cutoff)
      old_index = static_cast<int>(i);
  }
  int rec = std::max(current, up);
  rec = std::min(rec, down);
  // Remember the unstabilised recommendation (reusing a slot that fell out of both windows).
  if (old_index >= 0)
    recommendations_[static_cast<size_t>(old_index)] = {desired, now};
  else
    recommendations_.push_back({desired, now});
  return rec;
}

int Hpa::rate_limit(double now, int current, int desired) const
{
  auto limit = [&](const ScalingRules& rules, bool up) {
    if (rules.select == SelectPolicy::Disabled)
      return current;
    const bool take_max = (rules.select == SelectPolicy::Max) == up;  // Max = most change
    int result = take_max ? INT_MIN : INT_MAX;
    for (const auto& p : rules.policies) {
      const int start = current - change_in_period(up_events_, now, p.period_s) +
                        change_in_period(down_events_, now, p.period_s);
      int proposed;
      if (up)
        proposed = p.type == PolicyType::Pods ? start + p.value
                                              : static_cast<int>(std::ceil(start * (1 + p.value / 100.0)));
      else
        proposed = p.type == PolicyType::Pods ? start - p.value : static_cast<int>(start * (1 - p.value / 100.0));
      result = take_max ? std::max(result, proposed) : std::min(result, proposed);
    }
    return result;
  };
  if (desired > current) {
    const int allowed = std::min(spec_.max_replicas, std::max(current, limit(spec_.scale_up, true)));
    return std::min(desired, allowed);
  }
  if (desired < current) {
    const int allowed = std::max(spec_.min_replicas, std::min(current, limit(spec_.scale_down, false)));
    return std::max(desired, allowed);
  }
  return desired;
}

int Hpa::reconcile(double now, int current, const std::vector<HpaPod>& pods)
{
  // Forget scale events older than the longest policy period.
  int longest = 0;
  for (const auto* rules : {&spec_.scale_up, &spec_.scale_down})
    for (const auto& p : rules->policies)
      longest = std::max(longest, p.period_s);
  for (auto* ev : {&up_events_, &down_events_})
    while (!ev->empty() && ev->front().t_s <= now - longest)
      ev->pop_front();

  int desired;
  if (current == 0 && spec_.min_replicas != 0)
    return 0;  // scaled to zero by hand: autoscaling disabled
  if (current > spec_.max_replicas)
    desired = spec_.max_replicas;
  else if (current < spec_.min_replicas)
    desired = spec_.min_replicas;
  else {
    const auto metric = replicas_for_cpu(spec_, current, pods, now);
    if (!metric)
      return current;
    last_metric_desired_ = *metric;
    desired = rate_limit(now, current, stabilize(now, current, *metric));
  }
  if (desired > current)
    up_events_.push_back({desired - current, now});
  else if (desired < current)
    down_events_.push_back({current - desired, now});
  return desired;
}

}  // namespace migsim::models::eks
