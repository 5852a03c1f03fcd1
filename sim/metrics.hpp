// Metrics registry: the single source of everything measured (reports, expectations, and later
// CloudWatch on the mock endpoint all read it). Memory is bounded: histograms are log-linear
// (HDR-style) bucket arrays, time series hold one value per simulated minute.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace migsim::sim {

// Log-linear histogram of non-negative values (HDR-style). Each power of two above `lowest` is split
// into 2^sub_bucket_bits equal buckets, so a reported percentile is within a relative error of
// 2^-sub_bucket_bits of the true sample (0.4 % with the default 8). Values below `lowest` share the
// first bucket; values above `highest` share the last one. min, max, sum and count are exact.
class Histogram {
public:
  explicit Histogram(double lowest = 1e-6, double highest = 1e5, int sub_bucket_bits = 8);

  void record(double value);
  void record_n(double value, uint64_t n);
  void merge(const Histogram& other);  // same layout required (throws std::invalid_argument)
  void reset();

  uint64_t count() const { return count_; }
  double sum() const { return sum_; }
  double min() const;   // 0 when empty
  double max() const;   // 0 when empty
  double mean() const;  // 0 when empty
  // p in [0, 100]. Value such that at least p % of samples are <= it (nearest-rank on buckets),
  // reported as the bucket's midpoint clamped to [min(), max()]; 0 when empty.
  double percentile(double p) const;
  size_t bucket_count() const { return buckets_.size(); }
  // For each boundary of `les` (ascending), the samples whose bucket midpoint (the value
  // percentile() reports for them) is <= it: cumulative counts of coarser exported buckets that
  // agree with percentile() about which side of a boundary every sample lies.
  std::vector<uint64_t> cumulative_counts(const std::vector<double>& les) const;

private:
  size_t index_of(double value) const;
  double bucket_mid(size_t index) const;

  double lowest_;
  double highest_;
  int sub_bits_;
  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  double sum_ = 0.0;
  double min_ = 0.0;
  double max_ = 0.0;
};

// One value per simulated minute. How values within a minute combine is fixed at creation:
// Sum (counts), Last (gauges sampled at a point), Max.
class TimeSeries {
public:
  enum class Kind { Sum, Last, Max };
  explicit TimeSeries(Kind kind = Kind::Sum, double step_s = 60.0) : kind_(kind), step_s_(step_s) {}

  void add(double t_s, double value);  // combines into minute floor(t / step) according to kind
  double step_s() const { return step_s_; }
  Kind kind() const { return kind_; }
  // Values for minutes [0, n): missing minutes are 0 (Sum, Max) or carry the previous value (Last).
  std::vector<double> values(size_t n) const;
  size_t size() const { return values_.size(); }
  // The value of the latest minute that received one (0 before any).
  double latest() const;
  // Sum over every minute so far (a Sum series' running total).
  double total() const { return total_; }

private:
  Kind kind_;
  double total_ = 0.0;
  double step_s_;
  std::vector<double> values_;
  std::vector<bool> set_;
};

// Time-weighted value (a level that changes at instants: busy cores, requests in system).
// Integrates the area exactly between changes; gives the overall time average and per-step
// averages.
class TimeWeighted {
public:
  explicit TimeWeighted(double step_s = 60.0) : step_s_(step_s) {}

  void set(double t_s, double level);            // t must not go backwards (throws std::logic_error)
  void add(double t_s, double delta) { set(t_s, level_ + delta); }
  double level() const { return level_; }
  double area(double t_end_s) const;             // integral of the level over [0, t_end]
  double mean(double t_end_s) const;             // area / t_end (0 when t_end == 0)
  // Mean level in each step [k*step, (k+1)*step) for k < n, the last one closed at t_end.
  std::vector<double> step_means(size_t n, double t_end_s) const;

private:
  void accumulate_to(double t_s);
  double step_s_;
  double level_ = 0.0;
  double last_t_ = 0.0;
  double area_ = 0.0;
  std::vector<double> step_area_;
};

// Named metrics. References stay valid for the registry's lifetime, so hot paths look a metric up
// once and keep the reference. Names follow `family{label=value,...}` by convention.
class Registry {
public:
  uint64_t& counter(const std::string& name);
  double& gauge(const std::string& name);
  Histogram& histogram(const std::string& name);
  TimeSeries& series(const std::string& name, TimeSeries::Kind kind = TimeSeries::Kind::Sum);
  TimeWeighted& time_weighted(const std::string& name);

  const std::map<std::string, uint64_t*>& counters() const { return counter_index_; }
  const std::map<std::string, double*>& gauges() const { return gauge_index_; }
  const std::map<std::string, Histogram*>& histograms() const { return histogram_index_; }
  const std::map<std::string, TimeSeries*>& all_series() const { return series_index_; }
  const std::map<std::string, TimeWeighted*>& all_time_weighted() const { return tw_index_; }

private:
  std::deque<uint64_t> counters_;
  std::deque<double> gauges_;
  std::deque<Histogram> histograms_;
  std::deque<TimeSeries> series_;
  std::deque<TimeWeighted> tws_;
  std::map<std::string, uint64_t*> counter_index_;
  std::map<std::string, double*> gauge_index_;
  std::map<std::string, Histogram*> histogram_index_;
  std::map<std::string, TimeSeries*> series_index_;
  std::map<std::string, TimeWeighted*> tw_index_;
};

}  // namespace migsim::sim
