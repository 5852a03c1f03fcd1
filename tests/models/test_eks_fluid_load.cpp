// The fluid EKS path (eks.fidelity "fluid"): the sojourn-time tail it draws percentiles from (the
// M/M/1-PS variance of Coffman, Muntz & Trotter and the two-moment fits, against hand-computed
// quantiles and numerical integrals) and its bookkeeping under overload (every request counted
// once, never more completions than the pods' CPU, no latency past the client timeout). Each
// TEST_CASE runs at most one simulation (one SimGrid engine per process).
#include "harness/run/run_command.hpp"
#include "models/eks/sojourn_tail.hpp"
#include "sim/json_reader.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace migsim;
using models::eks::ps_sojourn_scv;
using models::eks::unit_mean_quantile;

TEST_CASE("eks fluid tail: the two-moment fit has hand-computed quantiles", "[eks]")
{
  // SCV 1 is the exponential: -ln(1 - q).
  CHECK(unit_mean_quantile(0.5, 1.0) == Approx(std::log(2.0)).epsilon(1e-12));
  CHECK(unit_mean_quantile(0.99, 1.0) == Approx(4.605170186).epsilon(1e-9));
  // SCV 0.25: 0.5 fixed + exponential of mean 0.5; SCV 0: the mean itself.
  CHECK(unit_mean_quantile(0.99, 0.25) == Approx(0.5 + 0.5 * 4.605170186).epsilon(1e-9));
  CHECK(unit_mean_quantile(0.999, 0.0) == Approx(1.0).epsilon(1e-12));
  // SCV 3, balanced H2: p = (1 + sqrt(1/2)) / 2 = 0.853553, rates 2p = 1.707107 and 2(1 - p) =
  // 0.292893. At q 0.99 the slow phase alone decides: t = ln(0.146447 / 0.01) / 0.292893 = 9.16405
  // (the fast phase adds 0.85 e^-15.6 = 1e-7 there).
  CHECK(unit_mean_quantile(0.99, 3.0) == Approx(9.164054913).epsilon(1e-8));
  // ... and the median from the survival function solved by bisection: 0.485014.
  CHECK(unit_mean_quantile(0.5, 3.0) == Approx(0.485014468).epsilon(1e-8));
  // Whatever the SCV, the fit has mean 1 and second moment 1 + SCV (midpoint rule over u).
  for (const double scv : {0.3, 1.0, 1.86, 4.0}) {
    const int n = 200000;
    double m1 = 0, m2 = 0;
    for (int i = 0; i < n; ++i) {
      const double x = unit_mean_quantile((i + 0.5) / n, scv);
      m1 += x / n;
      m2 += x * x / n;
    }
    CHECK(m1 == Approx(1.0).epsilon(2e-3));
    CHECK(m2 == Approx(1.0 + scv).epsilon(2e-2));
  }
}

TEST_CASE("eks fluid tail: the M/M/1-PS sojourn SCV is the average of the conditional variance", "[eks]")
{
  // Coffman, Muntz & Trotter (1970): given service x (mu = 1), E[T | x] = x / (1 - rho) and
  // Var[T | x] = 2 rho x / (1 - rho)^3 - 2 rho (1 - exp(-(1 - rho) x)) / (1 - rho)^4. Integrate both
  // over x ~ exp(1) numerically and compare with (2 + rho) / (2 - rho).
  for (const double rho : {0.0, 0.3, 0.6, 0.9}) {
    double m1 = 0, m2 = 0;
    const double dx = 1e-3;
    for (double x = dx / 2; x < 60; x += dx) {
      const double f = std::exp(-x) * dx;
      const double mean = x / (1 - rho);
      const double var = 2 * rho * x / std::pow(1 - rho, 3) - 2 * rho * (1 - std::exp(-(1 - rho) * x)) / std::pow(1 - rho, 4);
      m1 += mean * f;
      m2 += (var + mean * mean) * f;
    }
    const double scv = m2 / (m1 * m1) - 1;
    CHECK(scv == Approx(ps_sojourn_scv(rho, 1.0)).epsilon(1e-4));
    CHECK(ps_sojourn_scv(rho, 1.0) == Approx((2 + rho) / (2 - rho)).epsilon(1e-12));
  }
  // Another service SCV keeps the M/M/1-PS spread from the other requests: cs2 + 2 rho / (2 - rho).
  CHECK(ps_sojourn_scv(0.6, 0.64) == Approx(0.64 + 1.2 / 1.4).epsilon(1e-12));
}

TEST_CASE("eks fluid load: under overload every request is counted once and none beyond the CPU or the timeout", "[eks]")
{
  // 2 pods of 1 core, 150/s x 20 ms = 3 cores of demand: the pods can complete 100 requests/s at
  // most. The backlog passes the readiness probes' timeout, the pods flap NotReady, and what waits
  // past the clients' 30 s timeout must count as timed out, not completed.
  auto doc = nlohmann::json::parse(R"({
    "name": "eks-fluid-overload", "seed": 3, "duration_s": 1800,
    "platform": {"zones": [{"name": "internet"}],
                 "servers": [{"name": "placeholder", "zone": "internet", "cores": 1}],
                 "services": [{"name": "api", "server": "placeholder", "workers": 1}]},
    "workload": {"client_zone": "internet", "base_rps": 150, "client_timeout_s": 30,
                 "classes": [{"name": "call", "weight": 1,
                              "stages": [{"service": "api", "cpu_ms": 20, "cpu_dist": "constant"}]}]},
    "eks": {"zones": ["a", "b", "c"], "alb_latency_ms": 0, "fidelity": "fluid",
            "node_groups": [{"name": "web", "instance_type": "m5.large", "min_size": 3, "max_size": 5, "desired_size": 3}],
            "deployments": [{"name": "api", "replicas": 2, "cpu_request_m": 500, "cpu_limit_m": 1000,
                             "memory_request_mib": 256}]}
  })");
  const auto sc = harness::parse_full_scenario(doc, "test");
  harness::Simulation sim(sc);
  const auto r = sim.finish();
  CHECK(r.throughput_rps <= 100.0);
  CHECK(r.throughput_rps > 50.0);
  CHECK(r.timeouts > 0);
  CHECK(r.failed == r.server_errors + r.timeouts);
  CHECK(r.arrivals == r.completed + r.failed + r.in_flight);
  CHECK(r.max_ms <= 30000.0);
}
