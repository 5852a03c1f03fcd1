// eCommerce traffic: a non-homogeneous Poisson arrival process whose rate follows the daily curve
// (hourly factors interpolated linearly between hour midpoints), times the day multiplier (Black
// Friday) and any flash-sale spikes. Arrivals are drawn exactly by thinning (Lewis-Shedler) over
// pieces where the rate is linear, so the bound is tight and no arrival is lost or invented.
#pragma once

#include "sim/rng.hpp"
#include "sim/scenario.hpp"

namespace migsim::sim {

class TrafficProfile {
public:
  explicit TrafficProfile(const WorkloadSpec& spec);

  double rate(double t_s) const;  // requests per second at simulated time t
  // End of the piece starting at t where the rate is linear (next curve knot, spike edge or minute).
  double piece_end(double t_s) const;
  // Expected number of arrivals in [t0, t1] (the integral of the rate), for reports and tests.
  double expected_arrivals(double t0_s, double t1_s) const;
  void set_multiplier(double m) { multiplier_ = m; }
  double multiplier() const { return multiplier_; }

private:
  double curve(double t_s) const;
  double spike_factor(double t_s) const;
  const WorkloadSpec& spec_;
  double multiplier_;
};

// Draws arrival times from a profile with its own random stream.
class ArrivalGenerator {
public:
  ArrivalGenerator(const TrafficProfile& profile, RandomStream stream) : profile_(profile), rng_(stream) {}
  // First arrival strictly after t and before horizon; returns horizon when there is none.
  double next(double t_s, double horizon_s);

private:
  const TrafficProfile& profile_;
  RandomStream rng_;
};

}  // namespace migsim::sim
