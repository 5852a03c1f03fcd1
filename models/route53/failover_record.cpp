#include "models/route53/failover_record.hpp"

#include <cmath>

namespace migsim::models::route53 {

FailoverRecord::FailoverRecord(std::string name, int primary, int secondary, HealthCheckSettings hc, DnsSettings dns,
                               sim::RandomStream rng)
    : name_(std::move(name)),
      primary_(primary),
      secondary_(secondary),
      hc_(hc),
      switch_(name_, primary, dns, rng),
      phase_s_(sim::RandomStream(rng.next_u64(), "health-check-phase").uniform(0.0, hc.request_interval_s))
{}

double FailoverRecord::detection_time(double t) const
{
  const double interval = hc_.request_interval_s;
  // First probe at or after t, then threshold - 1 more probes seeing the same.
  const double first = phase_s_ + std::ceil((t - phase_s_) / interval) * interval;
  return first + (hc_.failure_threshold - 1) * interval;
}

void FailoverRecord::settle(double t)
{
  if (pending_at_s_ >= 0 && pending_at_s_ <= t) {
    reported_healthy_ = actual_healthy_;
    switch_.set_answer(pending_at_s_, reported_healthy_ ? primary_ : secondary_);
    pending_at_s_ = -1;
  }
}

void FailoverRecord::set_primary_healthy(double t, bool healthy)
{
  settle(t);
  if (healthy == actual_healthy_)
    return;
  actual_healthy_ = healthy;
  // A change back before the verdict flipped cancels it (the consecutive count was broken).
  if (healthy == reported_healthy_)
    pending_at_s_ = -1;
  else
    pending_at_s_ = detection_time(t);
}

bool FailoverRecord::health_check_passing(double t)
{
  settle(t);
  return reported_healthy_;
}

int FailoverRecord::answer(double t)
{
  settle(t);
  return switch_.value_at_name_servers(t);
}

int FailoverRecord::route(double t)
{
  settle(t);
  return switch_.route(t);
}

double FailoverRecord::share(double t, int value)
{
  settle(t);
  return switch_.share(t, value);
}

}  // namespace migsim::models::route53
