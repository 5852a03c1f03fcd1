#include "sim/traffic.hpp"

#include <algorithm>
#include <cmath>

namespace migsim::sim {

TrafficProfile::TrafficProfile(const WorkloadSpec& spec) : spec_(spec), multiplier_(spec.multiplier) {}

double TrafficProfile::curve(double t_s) const
{
  if (spec_.daily_curve.empty())
    return 1.0;
  // Hour h's factor applies at h:30; between two midpoints the factor moves linearly (wrapping at
  // midnight).
  double hour = std::fmod(spec_.start_hour + t_s / 3600.0, 24.0);
  double x = hour - 0.5;
  if (x < 0)
    x += 24.0;
  const int i = static_cast<int>(std::floor(x)) % 24;
  const double f = x - std::floor(x);
  const double a = spec_.daily_curve[static_cast<size_t>(i)];
  const double b = spec_.daily_curve[static_cast<size_t>((i + 1) % 24)];
  return a + (b - a) * f;
}

double TrafficProfile::spike_factor(double t_s) const
{
  double f = 1.0;
  for (const auto& s : spec_.spikes)
    if (t_s >= s.start_s && t_s < s.start_s + s.duration_s)
      f *= s.multiplier;
  return f;
}

double TrafficProfile::rate(double t_s) const { return spec_.base_rps * multiplier_ * curve(t_s) * spike_factor(t_s); }

double TrafficProfile::piece_end(double t_s) const
{
  double end = (std::floor(t_s / 60.0) + 1.0) * 60.0;
  if (!spec_.daily_curve.empty()) {
    // Next curve knot: the next time of day equal to h:30.
    const double hour = spec_.start_hour + t_s / 3600.0;
    double knot = std::floor(hour - 0.5) + 1.5;
    end = std::min(end, (knot - spec_.start_hour) * 3600.0);
  }
  for (const auto& s : spec_.spikes) {
    if (s.start_s > t_s)
      end = std::min(end, s.start_s);
    if (s.start_s + s.duration_s > t_s)
      end = std::min(end, s.start_s + s.duration_s);
  }
  return end > t_s ? end : t_s + 1e-9;
}

double TrafficProfile::expected_arrivals(double t0_s, double t1_s) const
{
  // The rate is linear on each piece, so the trapezoid rule is exact.
  double total = 0.0;
  double t = t0_s;
  while (t < t1_s) {
    const double e = std::min(piece_end(t), t1_s);
    const double mid = (t + e) / 2.0;
    total += rate(mid) * (e - t);  // exact for a linear piece (midpoint rule)
    t = e;
  }
  return total;
}

double ArrivalGenerator::next(double t_s, double horizon_s)
{
  double t = t_s;
  while (t < horizon_s) {
    const double end = std::min(profile_.piece_end(t), horizon_s);
    // Linear on [t, end): the bound is the larger end value (end itself excluded).
    const double bound = std::max(profile_.rate(t), profile_.rate(std::nextafter(end, t)));
    if (bound <= 0.0) {
      t = end;
      continue;
    }
    const double candidate = t + rng_.exponential(1.0 / bound);
    if (candidate >= end) {
      t = end;  // memoryless: restart the draw at the piece boundary
      continue;
    }
    if (rng_.uniform01() * bound <= profile_.rate(candidate))
      return candidate;
    t = candidate;
  }
  return horizon_s;
}

}  // namespace migsim::sim
