#include "models/route53/dns_switch.hpp"

#include <algorithm>
#include <cstdio>

namespace migsim::models::route53 {

RecordSwitch::RecordSwitch(std::string record, int initial_value, DnsSettings settings, sim::RandomStream rng)
    : record_(std::move(record)), initial_(initial_value), settings_(settings), rng_(rng)
{}

const Change& RecordSwitch::upsert(double t, int value)
{
  const double propagation = rng_.uniform(settings_.propagation_min_s, settings_.propagation_max_s);
  char id[40];
  std::snprintf(id, sizeof id, "/change/C%012llX", static_cast<unsigned long long>(rng_.next_u64() >> 16));
  changes_.push_back({id, t, t + propagation, value});
  return changes_.back();
}

std::string RecordSwitch::status(const std::string& change_id, double t) const
{
  for (const auto& c : changes_)
    if (c.id == change_id)
      return t >= c.insync_s ? "INSYNC" : "PENDING";
  return "";
}

// The record value a client sees at t if its cached answer is `delay` old at most: the latest
// change that was in sync at least `delay` ago.
int RecordSwitch::value_for_delay(double t, double delay) const
{
  int v = initial_;
  for (const auto& c : changes_)
    if (c.insync_s + delay <= t)
      v = c.value;
  return v;
}

int RecordSwitch::route(double t)
{
  if (changes_.empty())
    return initial_;
  const bool sticky = rng_.uniform01() < settings_.sticky_share;
  const double delay = rng_.uniform01() * (sticky ? settings_.sticky_hold_s : settings_.ttl_s);
  return value_for_delay(t, delay);
}

double RecordSwitch::share(double t, int value) const
{
  // Integrate over the client delay distributions piecewise: value_for_delay changes only at
  // t - insync_s of each change, so the share is a sum of interval lengths.
  auto share_for = [&](double hold) {
    if (hold <= 0.0)
      return value_for_delay(t, 0.0) == value ? 1.0 : 0.0;
    std::vector<double> cuts{0.0, hold};
    for (const auto& c : changes_) {
      const double d = t - c.insync_s;
      if (d > 0.0 && d < hold)
        cuts.push_back(d);
    }
    std::sort(cuts.begin(), cuts.end());
    double s = 0.0;
    for (size_t i = 0; i + 1 < cuts.size(); ++i) {
      const double mid = (cuts[i] + cuts[i + 1]) / 2.0;
      if (value_for_delay(t, mid) == value)
        s += cuts[i + 1] - cuts[i];
    }
    return s / hold;
  };
  return (1.0 - settings_.sticky_share) * share_for(settings_.ttl_s) +
         settings_.sticky_share * share_for(settings_.sticky_hold_s);
}

int RecordSwitch::value_at_name_servers(double t) const { return value_for_delay(t, 0.0); }

}  // namespace migsim::models::route53
