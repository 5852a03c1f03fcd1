// Seeded random streams, one per component: a stream's sequence depends only on the scenario seed
// and the stream's name, so one component drawing more numbers never shifts another's results.
// The generator (xoshiro256**) and the distributions are written here, not taken from <random>, so
// results are identical across standard libraries.
#pragma once

#include <cstdint>
#include <string_view>

namespace migsim::sim {

class RandomStream {
public:
  RandomStream(uint64_t seed, std::string_view name);

  uint64_t next_u64();
  double uniform01();                          // in [0, 1), 53 random bits
  double uniform(double lo, double hi);
  double exponential(double mean);             // mean > 0; 0 when mean == 0
  double lognormal(double mean, double cv);    // mean and coefficient of variation of the result
  double normal(double mean, double stddev);
  uint64_t poisson(double mean);               // exact for small means, normal approx above 500
  // Index in [0, n) with probability weights[i] / sum(weights); cumulative must be increasing.
  size_t pick(const double* cumulative, size_t n);

private:
  uint64_t s_[4];
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

// Stable 64-bit hash of a name (FNV-1a), used to derive stream seeds.
uint64_t hash_name(std::string_view name);

}  // namespace migsim::sim
