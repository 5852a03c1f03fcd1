#include "models/asg/target_tracking.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace migsim::models::asg {

const char* to_string(PredefinedMetric m)
{
  return m == PredefinedMetric::ASGAverageCPUUtilization ? "ASGAverageCPUUtilization" : "ALBRequestCountPerTarget";
}

TargetTracking::TargetTracking(std::vector<TargetTrackingPolicy> policies)
{
  for (auto& p : policies)
    add_policy(std::move(p));
}

void TargetTracking::add_policy(TargetTrackingPolicy p)
{
  if (!(p.target > 0))
    throw std::invalid_argument("policy " + p.name + ": target must be > 0");
  for (size_t i = 0; i < policies_.size(); ++i)
    if (policies_[i].name == p.name) {  // PutScalingPolicy on an existing name replaces it
      policies_[i] = std::move(p);
      history_[i].clear();
      return;
    }
  policies_.push_back(std::move(p));
  history_.emplace_back();
}

void TargetTracking::remove_policy(const std::string& name)
{
  for (size_t i = 0; i < policies_.size(); ++i)
    if (policies_[i].name == name) {
      policies_.erase(policies_.begin() + static_cast<long>(i));
      history_.erase(history_.begin() + static_cast<long>(i));
      return;
    }
}

void TargetTracking::add_datapoints(const std::vector<double>& values)
{
  if (values.size() != policies_.size())
    throw std::invalid_argument("one datapoint per policy expected");
  for (size_t i = 0; i < values.size(); ++i) {
    auto& h = history_[i];
    h.push_back(values[i]);
    const size_t keep = static_cast<size_t>(std::max(policies_[i].scale_out_datapoints, policies_[i].scale_in_datapoints));
    while (h.size() > keep)
      h.pop_front();
  }
}

namespace {

// The last n datapoints all present and satisfying pred; "missing" when one is absent.
enum class Window { satisfied, not_satisfied, missing };
template <class Pred> Window last_n(const std::deque<double>& h, int n, Pred pred)
{
  if (static_cast<int>(h.size()) < n)
    return Window::missing;
  Window w = Window::satisfied;
  for (size_t i = h.size() - static_cast<size_t>(n); i < h.size(); ++i) {
    if (std::isnan(h[i]))
      return Window::missing;
    if (!pred(h[i]))
      w = Window::not_satisfied;
  }
  return w;
}

}  // namespace

std::string TargetTracking::high_alarm_state(size_t i) const
{
  const auto& p = policies_.at(i);
  switch (last_n(history_[i], p.scale_out_datapoints, [&](double v) { return v > p.target; })) {
    case Window::satisfied: return "ALARM";
    case Window::not_satisfied: return "OK";
    default: return "INSUFFICIENT_DATA";
  }
}

std::string TargetTracking::low_alarm_state(size_t i) const
{
  const auto& p = policies_.at(i);
  switch (last_n(history_[i], p.scale_in_datapoints, [&](double v) { return v < p.scale_in_fraction * p.target; })) {
    case Window::satisfied: return "ALARM";
    case Window::not_satisfied: return "OK";
    default: return "INSUFFICIENT_DATA";
  }
}

ScalingDecision TargetTracking::evaluate(int desired, int serving, int min_size, int max_size, bool scaling_out) const
{
  ScalingDecision out;
  out.new_capacity = desired;
  // Scale out if any policy's high alarm is in ALARM: the largest proportional capacity wins.
  int best_out = desired;
  for (size_t i = 0; i < policies_.size(); ++i) {
    if (high_alarm_state(i) != "ALARM" || serving <= 0)
      continue;
    const double m = history_[i].back();
    const int want = static_cast<int>(std::ceil(serving * m / policies_[i].target - 1e-9));
    if (want > best_out) {
      best_out = want;
      out.policy = policies_[i].name;
      out.alarm = "AlarmHigh";
      out.metric = m;
    }
  }
  best_out = std::min(best_out, max_size);
  if (best_out > desired) {
    out.kind = ScalingDecision::Kind::scale_out;
    out.new_capacity = best_out;
    return out;
  }
  out.policy.clear();
  // Scale in only if every policy's low alarm is in ALARM and nothing blocks it.
  if (policies_.empty())
    return out;
  int best_in = -1;
  for (size_t i = 0; i < policies_.size(); ++i) {
    const auto& p = policies_[i];
    const std::string low = low_alarm_state(i);
    if (p.disable_scale_in) {
      out.blocked = "scale-in disabled on " + p.name;
      return out;
    }
    if (low == "INSUFFICIENT_DATA") {
      out.blocked = "insufficient data for " + p.name;
      return out;
    }
    if (low != "ALARM")
      return out;
    const double m = history_[i].back();
    const double removed = std::floor(serving - serving * m / p.target + 1e-9);
    const int want = serving - static_cast<int>(std::max(0.0, removed)) + (desired - serving);
    if (want > best_in) {
      best_in = want;
      out.policy = p.name;
      out.alarm = "AlarmLow";
      out.metric = m;
    }
  }
  if (scaling_out) {
    out.blocked = "scale-out or warm-up in progress";
    out.policy.clear();
    return out;
  }
  best_in = std::max(best_in, min_size);
  if (best_in < desired) {
    out.kind = ScalingDecision::Kind::scale_in;
    out.new_capacity = best_in;
  } else {
    out.policy.clear();
  }
  return out;
}

}  // namespace migsim::models::asg
