// Validation against queueing theory: one server configured as M/M/c (Poisson arrivals,
// exponential service, c cores and c workers, FIFO) must give the Erlang-C mean waiting time.
// Each TEST_CASE runs one simulation (ctest runs each case in its own process).
#include "harness/run/run_command.hpp"
#include "sim/scenario.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

namespace {

// Erlang C: probability that an arrival waits, then Wq = C / (c mu - lambda).
double erlang_c_wait(int c, double lambda, double mu)
{
  const double a = lambda / mu;
  const double rho = a / c;
  double term = 1.0, sum = 1.0;  // k = 0
  for (int k = 1; k < c; ++k) {
    term *= a / k;
    sum += term;
  }
  const double last = term * a / c / (1.0 - rho);  // a^c / c! / (1 - rho)
  const double p_wait = last / (sum + last);
  return p_wait / (c * mu - lambda);
}

migsim::sim::Scenario mmc_scenario(int c, double rho, double service_ms, double duration_s, unsigned long long seed)
{
  const double mu = 1000.0 / service_ms;
  const double lambda = rho * c * mu;
  const std::string json = R"({
    "name": "mmc", "seed": )" + std::to_string(seed) + R"(, "duration_s": )" + std::to_string(duration_s) + R"(,
    "platform": {
      "zones": [{"name": "lab", "lan_latency_ms": 0}],
      "servers": [{"name": "s", "zone": "lab", "cores": )" + std::to_string(c) + R"(, "speed_gflops": 1}],
      "services": [{"name": "q", "server": "s", "workers": )" + std::to_string(c) + R"(}]
    },
    "workload": {
      "client_zone": "lab", "base_rps": )" + std::to_string(lambda) + R"(, "client_timeout_s": 3600,
      "classes": [{"name": "job", "weight": 1, "response_kb": 0,
                   "stages": [{"service": "q", "cpu_ms": )" + std::to_string(service_ms) + R"(, "request_kb": 0}]}]
    }
  })";
  return migsim::sim::parse_scenario(nlohmann::json::parse(json), "mmc");
}

void check_mmc(int c, double rho, double requests)
{
  const double service_ms = 10.0;
  const double mu = 100.0;
  const double lambda = rho * c * mu;
  auto sc = mmc_scenario(c, rho, service_ms, requests / lambda, 20261126);
  auto r = migsim::harness::run_scenario(sc, {});
  const double expected_ms = erlang_c_wait(c, lambda, mu) * 1000.0;
  const double measured_ms = r.services.at(0).mean_wait_ms;
  INFO("M/M/" << c << " at " << rho * 100 << " %: Erlang C Wq = " << expected_ms << " ms, simulated " << measured_ms
              << " ms over " << r.completed << " requests");
  CHECK(r.completed >= static_cast<unsigned long long>(requests * 0.99));
  CHECK(measured_ms == Approx(expected_ms).epsilon(0.02));
  // Utilisation is rho, and Little's law holds on the run itself.
  CHECK(r.servers.at(0).utilisation == Approx(rho).epsilon(0.01));
  CHECK(r.all_invariants_held());
}

}  // namespace

TEST_CASE("M/M/2 at 50 % load matches Erlang C", "[queueing][slow]") { check_mmc(2, 0.5, 2e6); }
TEST_CASE("M/M/2 at 90 % load matches Erlang C", "[queueing][slow]") { check_mmc(2, 0.9, 6e6); }
TEST_CASE("M/M/8 at 50 % load matches Erlang C", "[queueing][slow]") { check_mmc(8, 0.5, 2e6); }
TEST_CASE("M/M/8 at 90 % load matches Erlang C", "[queueing][slow]") { check_mmc(8, 0.9, 6e6); }

TEST_CASE("Erlang C reference values", "[queueing]")
{
  // Textbook values: M/M/1 reduces to rho / (mu - lambda); M/M/2 with a = 1: P(wait) = 1/3.
  CHECK(erlang_c_wait(1, 0.5, 1.0) == Approx(1.0));
  CHECK(erlang_c_wait(2, 1.0, 1.0) == Approx((1.0 / 3.0) / (2.0 - 1.0)));
}
