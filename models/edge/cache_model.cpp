#include "models/edge/cache_model.hpp"

#include <cmath>

namespace migsim::models::edge {

double ttl_hit_ratio(double lambda_per_s, double ttl_s)
{
  const double x = lambda_per_s * ttl_s;
  return x / (1.0 + x);
}

std::vector<double> zipf_popularity(int objects, double zipf_s)
{
  std::vector<double> p(static_cast<size_t>(objects));
  double sum = 0.0;
  for (int i = 0; i < objects; ++i) {
    p[static_cast<size_t>(i)] = std::pow(static_cast<double>(i + 1), -zipf_s);
    sum += p[static_cast<size_t>(i)];
  }
  for (auto& x : p)
    x /= sum;
  return p;
}

double class_hit_ratio(double rate_per_s, int objects, double zipf_s, double ttl_s, int edges)
{
  double h = 0.0;
  for (double p : zipf_popularity(objects, zipf_s))
    h += p * ttl_hit_ratio(rate_per_s * p / edges, ttl_s);
  return h;
}

}  // namespace migsim::models::edge
