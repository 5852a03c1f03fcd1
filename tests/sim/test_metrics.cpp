#include "sim/metrics.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

using migsim::sim::Histogram;
using migsim::sim::Registry;
using migsim::sim::TimeSeries;
using migsim::sim::TimeWeighted;

namespace {

// Percentiles checked, in units of 0.01 % so the exact nearest rank is computed in integers.
const std::vector<uint64_t> kPercentilesBp = {1, 10, 100, 1000, 2500, 5000, 7500, 9000, 9500, 9900, 9990, 9999};

// Exact nearest-rank percentile of a sorted sample, p given in units of 0.01 %.
double exact_percentile(const std::vector<double>& sorted, uint64_t p_bp)
{
  const uint64_t n = sorted.size();
  uint64_t rank = (p_bp * n + 9999) / 10000;  // ceil(p/100 * n)
  rank = std::clamp<uint64_t>(rank, 1, n);
  return sorted[rank - 1];
}

// Checks every listed percentile of the histogram against the exact sample within `rel`.
void check_percentiles(const Histogram& h, std::vector<double> sample, double rel)
{
  std::sort(sample.begin(), sample.end());
  for (uint64_t p_bp : kPercentilesBp) {
    const double exact = exact_percentile(sample, p_bp);
    const double got = h.percentile(static_cast<double>(p_bp) / 100.0);
    INFO("p = " << static_cast<double>(p_bp) / 100.0 << " exact = " << exact << " got = " << got);
    CHECK(std::abs(got - exact) <= rel * exact);
  }
  CHECK(h.percentile(0.0) == sample.front());
  CHECK(h.percentile(100.0) == sample.back());
}

// Records a sample into a histogram and returns it.
Histogram histogram_of(const std::vector<double>& sample, double lowest = 1e-6, double highest = 1e5, int bits = 8)
{
  Histogram h(lowest, highest, bits);
  for (double v : sample)
    h.record(v);
  return h;
}

// Seeded exponential sample.
std::vector<double> exponential_sample(size_t n, double mean, uint64_t seed)
{
  std::mt19937_64 gen(seed);
  std::exponential_distribution<double> dist(1.0 / mean);
  std::vector<double> out(n);
  for (auto& v : out)
    v = dist(gen);
  return out;
}

// Seeded sample of uniform integers in [lo, hi].
std::vector<double> uniform_int_sample(size_t n, int64_t lo, int64_t hi, uint64_t seed)
{
  std::mt19937_64 gen(seed);
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  std::vector<double> out(n);
  for (auto& v : out)
    v = static_cast<double>(dist(gen));
  return out;
}

const double kRelErr8 = std::ldexp(1.0, -8);  // documented error with the default 8 sub-bucket bits

}  // namespace

TEST_CASE("Histogram: empty histogram reports zeros", "[metrics][histogram]")
{
  Histogram h;
  CHECK(h.count() == 0);
  CHECK(h.sum() == 0.0);
  CHECK(h.min() == 0.0);
  CHECK(h.max() == 0.0);
  CHECK(h.mean() == 0.0);
  CHECK(h.percentile(0.0) == 0.0);
  CHECK(h.percentile(50.0) == 0.0);
  CHECK(h.percentile(100.0) == 0.0);
}

TEST_CASE("Histogram: invalid layouts are rejected", "[metrics][histogram]")
{
  CHECK_THROWS_AS(Histogram(0.0, 1.0, 8), std::invalid_argument);
  CHECK_THROWS_AS(Histogram(-1.0, 1.0, 8), std::invalid_argument);
  CHECK_THROWS_AS(Histogram(2.0, 1.0, 8), std::invalid_argument);
  CHECK_THROWS_AS(Histogram(1.0, 10.0, -1), std::invalid_argument);
}

TEST_CASE("Histogram: integers 1..100000 give exact stats and bounded percentile error",
          "[metrics][histogram]")
{
  std::vector<double> sample;
  for (int i = 1; i <= 100000; ++i)
    sample.push_back(i);
  const Histogram h = histogram_of(sample);
  CHECK(h.count() == 100000);
  CHECK(h.min() == 1.0);
  CHECK(h.max() == 100000.0);
  CHECK(h.sum() == 5000050000.0);
  CHECK(h.mean() == 50000.5);
  check_percentiles(h, sample, kRelErr8);
  // Nearest rank on 1..100000 is simply ceil(p * 1000).
  CHECK(h.percentile(50.0) == Approx(50000.0).epsilon(kRelErr8));
  CHECK(h.percentile(99.9) == Approx(99900.0).epsilon(kRelErr8));
}

TEST_CASE("Histogram: seeded uniform integers in [1, 100000]", "[metrics][histogram]")
{
  const auto sample = uniform_int_sample(200000, 1, 100000, 12345);
  const Histogram h = histogram_of(sample);
  CHECK(h.count() == sample.size());
  CHECK(h.min() == *std::min_element(sample.begin(), sample.end()));
  CHECK(h.max() == *std::max_element(sample.begin(), sample.end()));
  double sum = 0.0;
  for (double v : sample)
    sum += v;
  CHECK(h.sum() == sum);  // integers: the sum is exact in any order
  CHECK(h.mean() == Approx(sum / sample.size()).epsilon(1e-12));
  check_percentiles(h, sample, kRelErr8);
}

TEST_CASE("Histogram: seeded exponential sample", "[metrics][histogram]")
{
  const auto sample = exponential_sample(200000, 0.05, 42);
  const Histogram h = histogram_of(sample);
  CHECK(h.count() == sample.size());
  CHECK(h.min() == *std::min_element(sample.begin(), sample.end()));
  CHECK(h.max() == *std::max_element(sample.begin(), sample.end()));
  double sum = 0.0;
  for (double v : sample)
    sum += v;
  CHECK(h.sum() == Approx(sum).epsilon(1e-12));
  CHECK(h.mean() == Approx(sum / sample.size()).epsilon(1e-12));
  check_percentiles(h, sample, kRelErr8);
}

TEST_CASE("Histogram: error bound follows sub_bucket_bits", "[metrics][histogram]")
{
  const auto sample = exponential_sample(50000, 2.0, 7);
  for (int bits : {2, 4, 6, 10}) {
    INFO("bits = " << bits);
    const Histogram h = histogram_of(sample, 1e-6, 1e3, bits);
    check_percentiles(h, sample, std::ldexp(1.0, -bits));
  }
}

TEST_CASE("Histogram: bucket layout and midpoints", "[metrics][histogram]")
{
  // [1, 1024] with 8 sub-buckets per octave: octaves 0..9 fully, plus the first bucket of octave 10.
  CHECK(Histogram(1.0, 1024.0, 3).bucket_count() == 81);
  CHECK(Histogram(1.0, 1023.0, 3).bucket_count() == 80);
  CHECK(Histogram(1.0, 1.0, 3).bucket_count() == 1);
  // Default: 1e11 = 2^36 * 1.4552 -> 36 full octaves of 256 plus sub-buckets 0..116.
  CHECK(Histogram().bucket_count() == 36 * 256 + 117);

  Histogram h(1.0, 1024.0, 3);
  h.record(5.0);  // octave [4, 8), width 0.5: bucket [5, 5.5)
  h.record(5.9);  // bucket [5.5, 6)
  CHECK(h.percentile(50.0) == 5.25);
  CHECK(h.percentile(99.0) == 5.75);
  CHECK(h.percentile(100.0) == 5.9);
  CHECK(h.percentile(0.0) == 5.0);

  Histogram g(1.0, 1024.0, 3);
  g.record(1.0);
  g.record(1.1);  // both in [1, 1.125)
  CHECK(g.percentile(50.0) == 1.0625);
  CHECK(g.percentile(100.0) == 1.1);
}

TEST_CASE("Histogram: midpoint is clamped to [min, max]", "[metrics][histogram]")
{
  Histogram h(1.0, 1024.0, 3);
  h.record(5.1);
  h.record(5.2);  // bucket [5, 5.5) has midpoint 5.25 > max
  CHECK(h.percentile(50.0) == 5.2);
  CHECK(h.percentile(10.0) == 5.2);
  Histogram g(1.0, 1024.0, 3);
  g.record(5.4);  // midpoint 5.25 < min
  CHECK(g.percentile(50.0) == 5.4);
}

TEST_CASE("Histogram: nearest-rank semantics", "[metrics][histogram]")
{
  const Histogram h = histogram_of({1.0, 2.0, 3.0, 4.0});
  const auto near = [](double x) { return Approx(x).epsilon(kRelErr8); };
  CHECK(h.percentile(1.0) == near(1.0));
  CHECK(h.percentile(25.0) == near(1.0));   // rank 1
  CHECK(h.percentile(25.1) == near(2.0));   // rank 2
  CHECK(h.percentile(50.0) == near(2.0));   // rank 2
  CHECK(h.percentile(50.1) == near(3.0));   // rank 3
  CHECK(h.percentile(75.0) == near(3.0));   // rank 3
  CHECK(h.percentile(76.0) == near(4.0));   // rank 4
  CHECK(h.percentile(100.0) == 4.0);
  CHECK(h.percentile(150.0) == 4.0);
  CHECK(h.percentile(-5.0) == 1.0);
}

TEST_CASE("Histogram: percentile is monotonic in p", "[metrics][histogram]")
{
  const Histogram h = histogram_of(exponential_sample(20000, 0.3, 99));
  double prev = h.percentile(0.0);
  for (int i = 1; i <= 1000; ++i) {
    const double cur = h.percentile(i / 10.0);
    REQUIRE(cur >= prev);
    prev = cur;
  }
}

TEST_CASE("Histogram: values outside [lowest, highest] share the end buckets", "[metrics][histogram]")
{
  SECTION("above highest")
  {
    Histogram h(1.0, 1000.0, 8);
    const size_t buckets = h.bucket_count();
    h.record(1.0);
    h.record(2000.0);
    h.record(3000.0);
    CHECK(h.bucket_count() == buckets);
    CHECK(h.max() == 3000.0);  // exact even though clamped in the buckets
    CHECK(h.sum() == 5001.0);
    // Rank 2 lies in the last bucket, [1000, 1002): midpoint 1001.
    CHECK(h.percentile(50.0) == Approx(1001.0).epsilon(1e-12));
    CHECK(h.percentile(100.0) == 3000.0);
  }
  SECTION("below lowest")
  {
    Histogram h(1e-3, 1.0, 8);
    h.record(1e-9);
    h.record(1e-9);
    h.record(0.0);
    h.record(10.0);
    h.record(10.0);
    CHECK(h.min() == 0.0);
    CHECK(h.max() == 10.0);
    // Rank 3 of 5 is in the first bucket [1e-3, 1e-3 * (1 + 1/256)).
    CHECK(h.percentile(50.0) == Approx(1e-3 * (1.0 + 1.0 / 512.0)).epsilon(1e-12));
    CHECK(h.percentile(0.0) == 0.0);
    // Ranks 4 and 5 are above highest: last bucket midpoint, below max so not clamped.
    CHECK(h.percentile(80.0) <= 1.0 * (1.0 + 1.0 / 256.0));
    CHECK(h.percentile(80.0) >= 1.0);
  }
  SECTION("only values below lowest: midpoint clamped to max")
  {
    Histogram h(1.0, 1000.0, 8);
    h.record(0.25);
    h.record(0.5);
    CHECK(h.percentile(50.0) == 0.5);
  }
}

TEST_CASE("Histogram: memory does not grow with the number of records", "[metrics][histogram]")
{
  Histogram h;
  const size_t buckets = h.bucket_count();
  std::mt19937_64 gen(3);
  std::uniform_real_distribution<double> exp10(-9.0, 8.0);  // spans below lowest to above highest
  for (int i = 0; i < 1000000; ++i)
    h.record(std::pow(10.0, exp10(gen)));
  CHECK(h.count() == 1000000);
  CHECK(h.bucket_count() == buckets);
  CHECK(h.bucket_count() == Histogram().bucket_count());
  CHECK(h.bucket_count() < 10000);
}

TEST_CASE("Histogram: merge equals recording both samples", "[metrics][histogram]")
{
  const auto a = exponential_sample(50000, 0.05, 1);
  const auto b = uniform_int_sample(30000, 1, 1000, 2);
  Histogram ha = histogram_of(a);
  const Histogram hb = histogram_of(b);
  Histogram both;
  for (double v : a)
    both.record(v);
  for (double v : b)
    both.record(v);

  ha.merge(hb);
  CHECK(ha.count() == both.count());
  CHECK(ha.min() == both.min());
  CHECK(ha.max() == both.max());
  CHECK(ha.sum() == Approx(both.sum()).epsilon(1e-12));
  for (int i = 0; i <= 1000; ++i) {
    INFO("p = " << i / 10.0);
    REQUIRE(ha.percentile(i / 10.0) == both.percentile(i / 10.0));
  }

  std::vector<double> all = a;
  all.insert(all.end(), b.begin(), b.end());
  check_percentiles(ha, all, kRelErr8);
}

TEST_CASE("Histogram: merge with empty sides", "[metrics][histogram]")
{
  Histogram empty;
  Histogram h = histogram_of({3.0, 7.0});
  h.merge(empty);
  CHECK(h.count() == 2);
  CHECK(h.min() == 3.0);  // an empty histogram's 0 must not leak into min
  CHECK(h.max() == 7.0);

  Histogram target;
  target.merge(h);
  CHECK(target.count() == 2);
  CHECK(target.min() == 3.0);
  CHECK(target.max() == 7.0);
  CHECK(target.sum() == 10.0);
  CHECK(target.percentile(50.0) == h.percentile(50.0));
}

TEST_CASE("Histogram: merge rejects a different layout", "[metrics][histogram]")
{
  Histogram h(1e-6, 1e5, 8);
  CHECK_THROWS_AS(h.merge(Histogram(1e-6, 1e5, 7)), std::invalid_argument);
  CHECK_THROWS_AS(h.merge(Histogram(1e-6, 1e4, 8)), std::invalid_argument);
  CHECK_THROWS_AS(h.merge(Histogram(1e-5, 1e5, 8)), std::invalid_argument);
  CHECK_NOTHROW(h.merge(Histogram(1e-6, 1e5, 8)));
}

TEST_CASE("Histogram: record_n equals n records and reset empties", "[metrics][histogram]")
{
  Histogram a;
  Histogram b;
  a.record_n(0.125, 1000);
  a.record_n(4.0, 3);
  a.record_n(9.0, 0);  // no-op
  for (int i = 0; i < 1000; ++i)
    b.record(0.125);
  for (int i = 0; i < 3; ++i)
    b.record(4.0);
  CHECK(a.count() == 1003);
  CHECK(a.count() == b.count());
  CHECK(a.sum() == b.sum());
  CHECK(a.min() == b.min());
  CHECK(a.max() == 4.0);
  for (double p : {0.0, 10.0, 50.0, 99.7, 99.8, 100.0})
    CHECK(a.percentile(p) == b.percentile(p));

  Histogram c;
  c.record_n(5.0, 0);
  CHECK(c.count() == 0);
  CHECK(c.min() == 0.0);

  a.reset();
  CHECK(a.count() == 0);
  CHECK(a.sum() == 0.0);
  CHECK(a.min() == 0.0);
  CHECK(a.max() == 0.0);
  CHECK(a.percentile(50.0) == 0.0);
  a.record(2.0);
  CHECK(a.min() == 2.0);  // not polluted by samples before reset
  CHECK(a.max() == 2.0);
  CHECK(a.percentile(100.0) == 2.0);
  CHECK(a.percentile(50.0) == 2.0);
}

TEST_CASE("TimeSeries: Sum adds within a minute, gaps are 0", "[metrics][timeseries]")
{
  TimeSeries s(TimeSeries::Kind::Sum);
  CHECK(s.kind() == TimeSeries::Kind::Sum);
  CHECK(s.step_s() == 60.0);
  s.add(0.0, 1.0);
  s.add(59.9, 2.0);
  s.add(60.0, 5.0);
  s.add(185.0, 1.0);
  CHECK(s.size() == 4);
  CHECK(s.values(5) == std::vector<double>{3.0, 5.0, 0.0, 1.0, 0.0});
  CHECK(s.values(2) == std::vector<double>{3.0, 5.0});
  CHECK(s.values(0).empty());
}

TEST_CASE("TimeSeries: Max keeps the largest, even when negative", "[metrics][timeseries]")
{
  TimeSeries s(TimeSeries::Kind::Max);
  s.add(10.0, 3.0);
  s.add(20.0, 7.0);
  s.add(30.0, 5.0);
  s.add(130.0, -2.0);
  s.add(140.0, -4.0);
  CHECK(s.values(4) == std::vector<double>{7.0, 0.0, -2.0, 0.0});
}

TEST_CASE("TimeSeries: Last overwrites and carries forward", "[metrics][timeseries]")
{
  TimeSeries s(TimeSeries::Kind::Last);
  s.add(10.0, 3.0);
  s.add(50.0, 4.0);
  s.add(130.0, 9.0);
  CHECK(s.values(5) == std::vector<double>{4.0, 4.0, 9.0, 9.0, 9.0});

  TimeSeries late(TimeSeries::Kind::Last);
  late.add(125.0, 2.0);
  CHECK(late.values(4) == std::vector<double>{0.0, 0.0, 2.0, 2.0});

  TimeSeries zero(TimeSeries::Kind::Last);
  zero.add(5.0, 6.0);
  zero.add(65.0, 0.0);  // an explicit 0 is carried too
  CHECK(zero.values(3) == std::vector<double>{6.0, 0.0, 0.0});
}

TEST_CASE("TimeSeries: custom step and negative time", "[metrics][timeseries]")
{
  TimeSeries s(TimeSeries::Kind::Sum, 10.0);
  s.add(9.999, 1.0);
  s.add(10.0, 2.0);
  s.add(35.0, 4.0);
  CHECK(s.values(4) == std::vector<double>{1.0, 2.0, 0.0, 4.0});
  CHECK_THROWS_AS(s.add(-0.001, 1.0), std::invalid_argument);
  CHECK(s.values(4) == std::vector<double>{1.0, 2.0, 0.0, 4.0});
}

TEST_CASE("TimeWeighted: area and step means across step boundaries", "[metrics][timeweighted]")
{
  TimeWeighted w;  // 60 s steps
  w.set(0.0, 2.0);
  w.set(30.0, 4.0);
  w.set(150.0, 1.0);  // level 4 over [30, 150) spans steps 0, 1 and 2
  CHECK(w.level() == 1.0);
  // 2*30 + 4*120 + 1*50
  CHECK(w.area(200.0) == Approx(590.0).epsilon(1e-12));
  CHECK(w.mean(200.0) == Approx(2.95).epsilon(1e-12));
  CHECK(w.area(150.0) == Approx(540.0).epsilon(1e-12));

  const auto m = w.step_means(5, 200.0);
  REQUIRE(m.size() == 5);
  CHECK(m[0] == Approx(3.0).epsilon(1e-12));  // (2*30 + 4*30) / 60
  CHECK(m[1] == Approx(4.0).epsilon(1e-12));  // 4*60 / 60
  CHECK(m[2] == Approx(2.5).epsilon(1e-12));  // (4*30 + 1*30) / 60
  CHECK(m[3] == Approx(1.0).epsilon(1e-12));  // 1*20 over the covered 20 s
  CHECK(m[4] == 0.0);                          // after t_end

  const auto shorter = w.step_means(2, 200.0);
  CHECK(shorter.size() == 2);
  CHECK(shorter[1] == Approx(4.0).epsilon(1e-12));
}

TEST_CASE("TimeWeighted: pending level counts up to t_end", "[metrics][timeweighted]")
{
  TimeWeighted w;
  CHECK(w.area(100.0) == 0.0);
  CHECK(w.mean(0.0) == 0.0);
  w.set(0.0, 3.0);
  CHECK(w.area(100.0) == Approx(300.0).epsilon(1e-12));
  const auto m = w.step_means(3, 100.0);
  CHECK(m[0] == Approx(3.0).epsilon(1e-12));
  CHECK(m[1] == Approx(3.0).epsilon(1e-12));  // 120 / 40 covered seconds
  CHECK(m[2] == 0.0);

  // t_end on a step boundary: that step is full, the next one empty.
  const auto b = w.step_means(3, 120.0);
  CHECK(b[0] == Approx(3.0).epsilon(1e-12));
  CHECK(b[1] == Approx(3.0).epsilon(1e-12));
  CHECK(b[2] == 0.0);
}

TEST_CASE("TimeWeighted: long interval, add() and late first change", "[metrics][timeweighted]")
{
  TimeWeighted w(10.0);
  w.add(15.0, 2.0);  // level 0 over [0, 15), then 2
  w.add(15.0, 1.0);  // same instant: level 3, zero-length interval
  CHECK(w.level() == 3.0);
  w.set(95.0, 0.0);  // level 3 over [15, 95): steps 1..9
  CHECK(w.area(100.0) == Approx(240.0).epsilon(1e-12));
  CHECK(w.mean(100.0) == Approx(2.4).epsilon(1e-12));
  const auto m = w.step_means(11, 100.0);
  CHECK(m[0] == 0.0);
  CHECK(m[1] == Approx(1.5).epsilon(1e-12));  // 3 over [15, 20)
  for (int k = 2; k <= 8; ++k)
    CHECK(m[k] == Approx(3.0).epsilon(1e-12));
  CHECK(m[9] == Approx(1.5).epsilon(1e-12));  // 3 over [90, 95)
  CHECK(m[10] == 0.0);
}

TEST_CASE("TimeWeighted: time must not go backwards", "[metrics][timeweighted]")
{
  TimeWeighted w;
  w.set(10.0, 1.0);
  CHECK_THROWS_AS(w.set(9.0, 2.0), std::logic_error);
  CHECK_THROWS_AS(w.add(5.0, 1.0), std::logic_error);
  CHECK(w.level() == 1.0);
  CHECK_NOTHROW(w.set(10.0, 2.0));
  CHECK(w.area(20.0) == Approx(20.0).epsilon(1e-12));
}

TEST_CASE("Registry: same name gives the same object", "[metrics][registry]")
{
  Registry r;
  uint64_t& c = r.counter("requests_total{service=api}");
  ++c;
  CHECK(&r.counter("requests_total{service=api}") == &c);
  CHECK(r.counter("requests_total{service=api}") == 1);
  CHECK(&r.gauge("g") == &r.gauge("g"));
  CHECK(&r.histogram("h") == &r.histogram("h"));
  CHECK(&r.time_weighted("w") == &r.time_weighted("w"));
  TimeSeries& s = r.series("s");
  CHECK(s.kind() == TimeSeries::Kind::Sum);
  CHECK(&r.series("s", TimeSeries::Kind::Sum) == &s);
  CHECK(r.counters().size() == 1);
  CHECK(r.counters().at("requests_total{service=api}") == &c);
}

TEST_CASE("Registry: series kind mismatch throws", "[metrics][registry]")
{
  Registry r;
  TimeSeries& s = r.series("cpu", TimeSeries::Kind::Max);
  CHECK(&r.series("cpu", TimeSeries::Kind::Max) == &s);
  CHECK_THROWS_AS(r.series("cpu", TimeSeries::Kind::Sum), std::invalid_argument);
  CHECK_THROWS_AS(r.series("cpu"), std::invalid_argument);
  CHECK_THROWS_AS(r.series("cpu", TimeSeries::Kind::Last), std::invalid_argument);
  CHECK(r.all_series().size() == 1);
}

TEST_CASE("Registry: references stay valid while many metrics are added", "[metrics][registry]")
{
  Registry r;
  uint64_t& c = r.counter("c");
  double& g = r.gauge("g");
  Histogram& h = r.histogram("h");
  TimeSeries& s = r.series("s", TimeSeries::Kind::Last);
  TimeWeighted& w = r.time_weighted("w");
  c = 17;
  g = 2.5;
  h.record(3.0);
  s.add(0.0, 8.0);
  w.set(0.0, 4.0);

  constexpr int kOthers = 10000;
  constexpr int kOtherHistograms = 300;  // each default histogram holds ~9k buckets
  for (int i = 0; i < kOthers; ++i) {
    const std::string name = "other{i=" + std::to_string(i) + "}";
    r.counter(name) = i;
    r.gauge(name) = i;
    r.series(name).add(0.0, i);
    r.time_weighted(name).set(0.0, i);
    if (i < kOtherHistograms)
      r.histogram(name).record(i + 1.0);
  }

  CHECK(r.counters().size() == kOthers + 1);
  CHECK(r.gauges().size() == kOthers + 1);
  CHECK(r.histograms().size() == kOtherHistograms + 1);
  CHECK(r.all_series().size() == kOthers + 1);
  CHECK(r.all_time_weighted().size() == kOthers + 1);

  CHECK(&r.counter("c") == &c);
  CHECK(&r.gauge("g") == &g);
  CHECK(&r.histogram("h") == &h);
  CHECK(&r.series("s", TimeSeries::Kind::Last) == &s);
  CHECK(&r.time_weighted("w") == &w);
  CHECK(r.counters().at("c") == &c);
  CHECK(r.histograms().at("h") == &h);
  CHECK(c == 17);
  CHECK(g == 2.5);
  CHECK(h.count() == 1);
  CHECK(h.max() == 3.0);
  CHECK(s.values(1) == std::vector<double>{8.0});
  CHECK(w.area(10.0) == Approx(40.0).epsilon(1e-12));

  // Entries created during the loop are reachable through the index and hold their values.
  CHECK(*r.counters().at("other{i=9999}") == 9999);
  CHECK(*r.gauges().at("other{i=1234}") == 1234.0);
  CHECK(r.histograms().at("other{i=299}")->max() == 300.0);
  CHECK(r.all_series().at("other{i=42}")->values(1) == std::vector<double>{42.0});
  CHECK(r.all_time_weighted().at("other{i=7}")->level() == 7.0);
}
