#include "sim/rng.hpp"
#include "sim/traffic.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace migsim::sim;

namespace {
WorkloadSpec workload(double base, std::vector<double> curve = {}, double mult = 1.0, std::vector<SpikeSpec> spikes = {})
{
  WorkloadSpec w;
  w.base_rps = base;
  w.multiplier = mult;
  if (!curve.empty()) {
    double sum = 0;
    for (double v : curve)
      sum += v;
    for (double& v : curve)
      v *= 24.0 / sum;
  }
  w.daily_curve = curve;
  w.spikes = spikes;
  return w;
}
}  // namespace

TEST_CASE("flat profile: rate and integral", "[traffic]")
{
  auto w = workload(10.0, {}, 2.0);
  TrafficProfile p(w);
  CHECK(p.rate(0) == Approx(20.0));
  CHECK(p.rate(50000) == Approx(20.0));
  CHECK(p.expected_arrivals(0, 3600) == Approx(72000.0));
}

TEST_CASE("daily curve is interpolated between hour midpoints and has mean 1", "[traffic]")
{
  std::vector<double> curve(24, 1.0);
  curve[10] = 3.0;  // normalised: 3 * 24 / 26
  auto w = workload(1.0, curve);
  TrafficProfile p(w);
  const double k = 24.0 / 26.0;
  CHECK(p.rate(10.5 * 3600) == Approx(3.0 * k));          // at the midpoint of hour 10
  CHECK(p.rate(10.0 * 3600) == Approx(2.0 * k));          // halfway between 9:30 and 10:30
  CHECK(p.rate(12 * 3600) == Approx(1.0 * k));
  CHECK(p.expected_arrivals(0, 86400) == Approx(86400.0).epsilon(1e-9));  // mean 1 over the day
}

TEST_CASE("spikes multiply the rate over their window", "[traffic]")
{
  auto w = workload(5.0, {}, 1.0, {{100.0, 50.0, 3.0}});
  TrafficProfile p(w);
  CHECK(p.rate(99.9) == Approx(5.0));
  CHECK(p.rate(100.0) == Approx(15.0));
  CHECK(p.rate(150.0) == Approx(5.0));
  CHECK(p.expected_arrivals(0, 200) == Approx(5.0 * 200 + 10.0 * 50));
}

TEST_CASE("arrival counts match the profile's integral, window by window", "[traffic]")
{
  // A strongly varying day (factor 10 between night and evening) plus a spike: counts per hour
  // must match the integral within Poisson noise (4 standard deviations).
  std::vector<double> curve = {0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.7, 0.9, 1.0, 1.1, 1.2,
                               1.2, 1.2, 1.1, 1.1, 1.2, 1.4, 1.7, 2.0, 2.0, 1.6, 1.0, 0.5};
  auto w = workload(20.0, curve, 1.0, {{19.25 * 3600, 900, 2.5}});
  TrafficProfile p(w);
  ArrivalGenerator gen(p, RandomStream(99, "arrivals"));
  std::vector<double> counts(24, 0.0);
  double t = 0;
  long total = 0;
  while ((t = gen.next(t, 86400.0)) < 86400.0) {
    counts[static_cast<size_t>(t / 3600)] += 1;
    ++total;
  }
  for (int h = 0; h < 24; ++h) {
    const double expected = p.expected_arrivals(h * 3600.0, (h + 1) * 3600.0);
    INFO("hour " << h << ": expected " << expected << ", got " << counts[static_cast<size_t>(h)]);
    CHECK(std::abs(counts[static_cast<size_t>(h)] - expected) <= 4 * std::sqrt(expected));
  }
  const double expected_total = p.expected_arrivals(0, 86400);
  CHECK(std::abs(total - expected_total) <= 4 * std::sqrt(expected_total));
}

TEST_CASE("inter-arrival times are exponential at a constant rate", "[traffic]")
{
  auto w = workload(50.0);
  TrafficProfile p(w);
  ArrivalGenerator gen(p, RandomStream(5, "arrivals"));
  // Fraction of gaps longer than the mean is exp(-1) for an exponential distribution.
  double t = 0, prev = 0;
  long n = 0, longer = 0;
  double sum = 0;
  while ((t = gen.next(t, 4000.0)) < 4000.0) {
    const double gap = t - prev;
    sum += gap;
    longer += gap > 1.0 / 50.0;
    prev = t;
    ++n;
  }
  CHECK(sum / n == Approx(1.0 / 50.0).epsilon(0.02));
  CHECK(longer / static_cast<double>(n) == Approx(std::exp(-1.0)).epsilon(0.02));
}
