#include "models/eks/sojourn_tail.hpp"

#include <algorithm>
#include <cmath>

namespace migsim::models::eks {

double ps_sojourn_scv(double rho, double service_scv)
{
  const double r = std::clamp(rho, 0.0, 0.99);
  return std::max(0.0, service_scv) + 2 * r / (2 - r);
}

double unit_mean_quantile(double q, double scv)
{
  const double tail = -std::log(1 - q);  // exponential quantile of mean 1
  if (scv <= 1) {
    const double c = std::sqrt(std::max(0.0, scv));  // exponential part of mean c: SCV c^2
    return (1 - c) + c * tail;
  }
  // Balanced means (p / l1 = (1 - p) / l2 = 1/2): p = (1 + sqrt((scv - 1) / (scv + 1))) / 2.
  const double p = (1 + std::sqrt((scv - 1) / (scv + 1))) / 2;
  const double l1 = 2 * p, l2 = 2 * (1 - p);
  const double target = 1 - q;
  // The survival function is convex and decreasing: Newton from the left of the root (where
  // either phase alone reaches the target) climbs monotonically to it.
  double t = std::max({0.0, std::log(p / target) / l1, std::log((1 - p) / target) / l2});
  for (int i = 0; i < 60; ++i) {
    const double e1 = p * std::exp(-l1 * t), e2 = (1 - p) * std::exp(-l2 * t);
    const double f = e1 + e2 - target;
    const double step = f / (l1 * e1 + l2 * e2);
    t += step;
    if (step <= 1e-13 * std::max(1.0, t))
      break;
  }
  return t;
}

}  // namespace migsim::models::eks
