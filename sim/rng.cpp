#include "sim/rng.hpp"

#include <cmath>

namespace migsim::sim {

namespace {

// SplitMix64 step, used to expand one seed into the generator's state.
uint64_t splitmix64(uint64_t& x)
{
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

uint64_t hash_name(std::string_view name)
{
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : name) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

RandomStream::RandomStream(uint64_t seed, std::string_view name)
{
  uint64_t x = seed ^ rotl(hash_name(name), 17);
  for (auto& s : s_)
    s = splitmix64(x);
}

uint64_t RandomStream::next_u64()
{
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double RandomStream::uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double RandomStream::uniform(double lo, double hi) { return lo + (hi - lo) * uniform01(); }

double RandomStream::exponential(double mean)
{
  if (mean <= 0.0)
    return 0.0;
  return -mean * std::log1p(-uniform01());
}

double RandomStream::normal(double mean, double stddev)
{
  // Marsaglia polar method; keeps the second variate for the next call.
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return mean + stddev * spare_normal_;
  }
  double u, v, s;
  do {
    u = 2.0 * uniform01() - 1.0;
    v = 2.0 * uniform01() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double m = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * m;
  has_spare_normal_ = true;
  return mean + stddev * u * m;
}

double RandomStream::lognormal(double mean, double cv)
{
  if (mean <= 0.0)
    return 0.0;
  if (cv <= 0.0)
    return mean;
  const double sigma2 = std::log1p(cv * cv);
  const double mu = std::log(mean) - sigma2 / 2.0;
  return std::exp(normal(mu, std::sqrt(sigma2)));
}

uint64_t RandomStream::poisson(double mean)
{
  if (mean <= 0.0)
    return 0;
  if (mean > 500.0) {
    const double x = std::floor(normal(mean, std::sqrt(mean)) + 0.5);
    return x < 0.0 ? 0 : static_cast<uint64_t>(x);
  }
  // Knuth's multiplication method, split in chunks so exp(-mean) does not underflow.
  uint64_t k = 0;
  double remaining = mean;
  while (remaining > 0.0) {
    const double chunk = remaining > 30.0 ? 30.0 : remaining;
    remaining -= chunk;
    const double limit = std::exp(-chunk);
    double p = uniform01();
    while (p > limit) {
      ++k;
      p *= uniform01();
    }
  }
  return k;
}

size_t RandomStream::pick(const double* cumulative, size_t n)
{
  const double x = uniform01() * cumulative[n - 1];
  size_t lo = 0, hi = n - 1;
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (x < cumulative[mid])
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

}  // namespace migsim::sim
