#include "sim/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace migsim::sim {

namespace {

// Bucket index of a ratio value/lowest >= 1: binary exponent selects the power-of-two range, the
// top `bits` mantissa bits select the equal-width sub-bucket inside it.
size_t raw_index(double ratio, int bits)
{
  int e = 0;
  const double m = std::frexp(ratio, &e);  // ratio = m * 2^e, m in [0.5, 1)
  const auto k = static_cast<size_t>(e - 1);  // ratio in [2^k, 2^(k+1))
  // 2m - 1 is in [0, 1) and exact; scaling by 2^bits is exact too.
  const auto j = static_cast<size_t>(std::ldexp(2.0 * m - 1.0, bits));
  return (k << bits) + j;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Histogram

// Builds an empty histogram with exactly the buckets needed to cover [lowest, highest].
Histogram::Histogram(double lowest, double highest, int sub_bucket_bits)
    : lowest_(lowest), highest_(highest), sub_bits_(sub_bucket_bits)
{
  if (!(lowest > 0.0) || !std::isfinite(lowest))
    throw std::invalid_argument("Histogram: lowest must be finite and > 0");
  if (!(highest >= lowest) || !std::isfinite(highest))
    throw std::invalid_argument("Histogram: highest must be finite and >= lowest");
  if (sub_bucket_bits < 0 || sub_bucket_bits > 30)
    throw std::invalid_argument("Histogram: sub_bucket_bits must be in [0, 30]");
  buckets_.assign(raw_index(highest / lowest, sub_bucket_bits) + 1, 0);
}

// Maps a value to its bucket, clamping to the first/last bucket outside [lowest, highest].
size_t Histogram::index_of(double value) const
{
  if (!(value > lowest_))
    return 0;
  if (value >= highest_)
    return buckets_.size() - 1;
  return std::min(raw_index(value / lowest_, sub_bits_), buckets_.size() - 1);
}

// Midpoint of a bucket's value range.
double Histogram::bucket_mid(size_t index) const
{
  const auto k = static_cast<int>(index >> sub_bits_);
  const auto j = static_cast<double>(index & ((size_t{1} << sub_bits_) - 1));
  return lowest_ * std::ldexp(1.0 + std::ldexp(j + 0.5, -sub_bits_), k);
}

// Records one sample (O(1), no allocation); NaN samples are ignored.
void Histogram::record(double value)
{
  if (std::isnan(value))
    return;
  ++buckets_[index_of(value)];
  if (count_ == 0) {
    min_ = max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  ++count_;
  sum_ += value;
}

// Records the same sample n times (O(1)); NaN samples and n == 0 are ignored.
void Histogram::record_n(double value, uint64_t n)
{
  if (n == 0 || std::isnan(value))
    return;
  buckets_[index_of(value)] += n;
  if (count_ == 0) {
    min_ = max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  count_ += n;
  sum_ += value * static_cast<double>(n);
}

// Adds another histogram's samples; both must share lowest, highest and sub-bucket bits.
void Histogram::merge(const Histogram& other)
{
  if (lowest_ != other.lowest_ || highest_ != other.highest_ || sub_bits_ != other.sub_bits_ ||
      buckets_.size() != other.buckets_.size())
    throw std::invalid_argument("Histogram::merge: different bucket layout");
  if (other.count_ == 0)
    return;
  for (size_t i = 0; i < buckets_.size(); ++i)
    buckets_[i] += other.buckets_[i];
  if (count_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  count_ += other.count_;
  sum_ += other.sum_;
}

// Forgets all samples, keeping the bucket layout.
void Histogram::reset()
{
  std::fill(buckets_.begin(), buckets_.end(), 0);
  count_ = 0;
  sum_ = 0.0;
  min_ = 0.0;
  max_ = 0.0;
}

// Exact smallest sample (0 when empty).
double Histogram::min() const { return count_ == 0 ? 0.0 : min_; }

// Exact largest sample (0 when empty).
double Histogram::max() const { return count_ == 0 ? 0.0 : max_; }

// Exact arithmetic mean (0 when empty).
double Histogram::mean() const { return count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_); }

// Nearest-rank percentile on buckets: midpoint of the bucket holding the rank, clamped to [min, max].
double Histogram::percentile(double p) const
{
  if (count_ == 0)
    return 0.0;
  if (p <= 0.0)
    return min_;
  if (p >= 100.0 || std::isnan(p))
    return max_;
  // rank = ceil(p/100 * count); the tiny relative slack keeps e.g. 99.9 % of 100000 at 99900
  // despite 99.9 not being exactly representable.
  const double x = p * static_cast<double>(count_) / 100.0;
  double r = std::ceil(x - x * 1e-12);
  r = std::clamp(r, 1.0, static_cast<double>(count_));
  const auto rank = static_cast<uint64_t>(r);
  uint64_t seen = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank)
      return std::clamp(bucket_mid(i), min_, max_);
  }
  return max_;  // unreachable: the buckets hold count_ samples
}

// One pass over the buckets, closing each boundary as the midpoints pass it.
std::vector<uint64_t> Histogram::cumulative_counts(const std::vector<double>& les) const
{
  if (!std::is_sorted(les.begin(), les.end()))
    throw std::invalid_argument("Histogram::cumulative_counts: boundaries must be ascending");
  std::vector<uint64_t> out(les.size(), count_);
  uint64_t seen = 0;
  size_t b = 0;
  for (size_t i = 0; i < buckets_.size() && b < les.size(); ++i) {
    if (buckets_[i] == 0)
      continue;
    const double mid = bucket_mid(i);
    while (b < les.size() && mid > les[b])
      out[b++] = seen;
    seen += buckets_[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// TimeSeries

// Combines a value into step floor(t / step) according to the series kind.
void TimeSeries::add(double t_s, double value)
{
  if (!(t_s >= 0.0) || !std::isfinite(t_s))
    throw std::invalid_argument("TimeSeries::add: time must be finite and >= 0");
  if (!(step_s_ > 0.0))
    throw std::invalid_argument("TimeSeries::add: step must be > 0");
  const auto idx = static_cast<size_t>(std::floor(t_s / step_s_));
  if (idx >= values_.size()) {
    values_.resize(idx + 1, 0.0);
    set_.resize(idx + 1, false);
  }
  double& slot = values_[idx];
  switch (kind_) {
  case Kind::Sum:
    slot += value;
    total_ += value;
    break;
  case Kind::Max:
    slot = set_[idx] ? std::max(slot, value) : value;
    break;
  case Kind::Last:
    slot = value;
    break;
  }
  set_[idx] = true;
}

// Dense values for steps [0, n): gaps are 0 for Sum/Max and carry the previous value for Last.
std::vector<double> TimeSeries::values(size_t n) const
{
  std::vector<double> out(n, 0.0);
  double carry = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const bool have = i < values_.size() && set_[i];
    if (kind_ == Kind::Last) {
      if (have)
        carry = values_[i];
      out[i] = carry;
    } else if (have) {
      out[i] = values_[i];
    }
  }
  return out;
}

// The value of the highest minute set so far.
double TimeSeries::latest() const
{
  for (size_t i = set_.size(); i-- > 0;)
    if (set_[i])
      return values_[i];
  return 0.0;
}

// ---------------------------------------------------------------------------------------------
// TimeWeighted

// Changes the level at time t after integrating the previous level up to t.
void TimeWeighted::set(double t_s, double level)
{
  if (!std::isfinite(t_s))
    throw std::invalid_argument("TimeWeighted::set: time must be finite");
  if (t_s < last_t_)
    throw std::logic_error("TimeWeighted::set: time went backwards");
  if (!(step_s_ > 0.0))
    throw std::invalid_argument("TimeWeighted::set: step must be > 0");
  accumulate_to(t_s);
  level_ = level;
}

// Integrates the current level over [last change, t], splitting the area across the steps crossed.
void TimeWeighted::accumulate_to(double t_s)
{
  if (t_s <= last_t_)
    return;
  area_ += level_ * (t_s - last_t_);
  if (level_ != 0.0) {
    const auto k0 = static_cast<size_t>(std::floor(last_t_ / step_s_));
    const auto k1 = static_cast<size_t>(std::floor(t_s / step_s_));
    if (k1 >= step_area_.size())
      step_area_.resize(k1 + 1, 0.0);
    for (size_t k = k0; k <= k1; ++k) {
      const double lo = k == k0 ? last_t_ : static_cast<double>(k) * step_s_;
      const double hi = k == k1 ? t_s : static_cast<double>(k + 1) * step_s_;
      if (hi > lo)
        step_area_[k] += level_ * (hi - lo);
    }
  }
  last_t_ = t_s;
}

// Integral of the level over [0, t_end]; t_end must not precede the last change.
double TimeWeighted::area(double t_end_s) const
{
  if (t_end_s < last_t_)
    throw std::logic_error("TimeWeighted::area: t_end before the last change");
  return area_ + level_ * (t_end_s - last_t_);
}

// Time average of the level over [0, t_end] (0 when t_end <= 0).
double TimeWeighted::mean(double t_end_s) const
{
  if (t_end_s <= 0.0)
    return 0.0;
  return area(t_end_s) / t_end_s;
}

// Per-step mean level for steps [0, n); the step containing t_end is averaged over its covered part.
std::vector<double> TimeWeighted::step_means(size_t n, double t_end_s) const
{
  if (t_end_s < last_t_)
    throw std::logic_error("TimeWeighted::step_means: t_end before the last change");
  if (!(step_s_ > 0.0))
    throw std::invalid_argument("TimeWeighted::step_means: step must be > 0");
  std::vector<double> out(n, 0.0);
  for (size_t k = 0; k < n; ++k) {
    const double start = static_cast<double>(k) * step_s_;
    if (start >= t_end_s)
      break;  // this and later steps lie entirely after t_end
    const double end = std::min(static_cast<double>(k + 1) * step_s_, t_end_s);
    double a = k < step_area_.size() ? step_area_[k] : 0.0;
    // Pending level from the last change up to t_end, restricted to this step.
    const double lo = std::max(last_t_, start);
    if (end > lo)
      a += level_ * (end - lo);
    out[k] = a / (end - start);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Registry

// Counter by name, created at 0 on first use.
uint64_t& Registry::counter(const std::string& name)
{
  if (auto it = counter_index_.find(name); it != counter_index_.end())
    return *it->second;
  uint64_t& c = counters_.emplace_back(0);
  counter_index_.emplace(name, &c);
  return c;
}

// Gauge by name, created at 0 on first use.
double& Registry::gauge(const std::string& name)
{
  if (auto it = gauge_index_.find(name); it != gauge_index_.end())
    return *it->second;
  double& g = gauges_.emplace_back(0.0);
  gauge_index_.emplace(name, &g);
  return g;
}

// Histogram by name, created with the default layout on first use.
Histogram& Registry::histogram(const std::string& name)
{
  if (auto it = histogram_index_.find(name); it != histogram_index_.end())
    return *it->second;
  Histogram& h = histograms_.emplace_back();
  histogram_index_.emplace(name, &h);
  return h;
}

// Time series by name; an existing series must have the requested kind.
TimeSeries& Registry::series(const std::string& name, TimeSeries::Kind kind)
{
  if (auto it = series_index_.find(name); it != series_index_.end()) {
    if (it->second->kind() != kind)
      throw std::invalid_argument("Registry::series: '" + name + "' exists with another kind");
    return *it->second;
  }
  TimeSeries& s = series_.emplace_back(kind);
  series_index_.emplace(name, &s);
  return s;
}

// Time-weighted level by name, created at level 0 on first use.
TimeWeighted& Registry::time_weighted(const std::string& name)
{
  if (auto it = tw_index_.find(name); it != tw_index_.end())
    return *it->second;
  TimeWeighted& w = tws_.emplace_back();
  tw_index_.emplace(name, &w);
  return w;
}

}  // namespace migsim::sim
