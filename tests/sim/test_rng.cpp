#include "sim/rng.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using migsim::sim::RandomStream;

TEST_CASE("a stream depends only on the seed and its name", "[rng]")
{
  RandomStream a(42, "service.api"), b(42, "service.api"), other(42, "service.db"), reseeded(43, "service.api");
  bool differs_by_name = false, differs_by_seed = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next_u64();
    CHECK(x == b.next_u64());
    differs_by_name |= x != other.next_u64();
    differs_by_seed |= x != reseeded.next_u64();
  }
  CHECK(differs_by_name);
  CHECK(differs_by_seed);
}

TEST_CASE("drawing more from one stream leaves another untouched", "[rng]")
{
  RandomStream arrivals1(7, "arrivals"), service1(7, "service");
  RandomStream arrivals2(7, "arrivals"), service2(7, "service");
  for (int i = 0; i < 1000; ++i)
    service2.exponential(1.0);  // an unrelated component draws more
  for (int i = 0; i < 100; ++i)
    CHECK(arrivals1.uniform01() == arrivals2.uniform01());
  (void)service1;
}

TEST_CASE("distributions have the right moments", "[rng]")
{
  RandomStream r(1, "moments");
  const int n = 400000;
  double s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = r.exponential(2.0);
    s += x;
    s2 += x * x;
  }
  CHECK(s / n == Approx(2.0).epsilon(0.01));
  CHECK(s2 / n - (s / n) * (s / n) == Approx(4.0).epsilon(0.03));

  double l = 0, l2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = r.lognormal(10.0, 0.5);
    l += x;
    l2 += x * x;
  }
  const double mean = l / n, sd = std::sqrt(l2 / n - mean * mean);
  CHECK(mean == Approx(10.0).epsilon(0.01));
  CHECK(sd / mean == Approx(0.5).epsilon(0.03));

  for (double m : {0.7, 12.0, 80.0, 2000.0}) {
    double p = 0;
    for (int i = 0; i < 20000; ++i)
      p += static_cast<double>(r.poisson(m));
    CHECK(p / 20000 == Approx(m).epsilon(0.02));
  }
}

TEST_CASE("pick follows the weights", "[rng]")
{
  RandomStream r(3, "pick");
  const std::vector<double> cumulative = {45, 57, 79, 91, 97, 100};  // the default mix
  std::vector<int> hits(6, 0);
  const int n = 200000;
  for (int i = 0; i < n; ++i)
    ++hits[r.pick(cumulative.data(), cumulative.size())];
  const double w[] = {45, 12, 22, 12, 6, 3};
  for (int i = 0; i < 6; ++i)
    CHECK(hits[i] / static_cast<double>(n) == Approx(w[i] / 100.0).epsilon(0.03));
}
