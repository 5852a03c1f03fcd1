// EC2: the instance catalogue against the price table and AWS's burstable table (credits per hour
// = vCPUs x baseline x 60), the CPU credit arithmetic by hand, and a long peak on a t3.small in
// standard mode: the credits run out at the predicted time and throughput drops to the baseline.
#include "harness/run/run_command.hpp"
#include "models/cost/cost_model.hpp"
#include "models/ec2/cpu_credits.hpp"
#include "models/ec2/instance_catalog.hpp"
#include "sim/event_log.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace migsim;
using namespace migsim::models::ec2;

TEST_CASE("instance catalogue: prices agree with the price table, burstable figures with AWS's table", "[ec2]")
{
  const auto& c = default_instance_catalog();
  const auto& prices = models::cost::default_price_table();
  REQUIRE(c.types.size() >= 20);
  for (const auto& [name, t] : c.types) {
    INFO(name);
    CHECK(prices.at("ec2." + name).usd == t.usd_per_hour);
    if (t.burstable())
      CHECK(t.credits_per_hour == Approx(t.vcpu * t.baseline_fraction * 60));
  }
  const auto& small = c.at("t3.small");
  CHECK(small.vcpu == 2);
  CHECK(small.memory_gib == 2);
  CHECK(small.baseline_fraction == 0.2);
  CHECK(small.credits_per_hour == 24);
  CHECK(small.max_credits() == 576);
  CHECK(c.at("t3.micro").max_credits() == 288);
  CHECK(c.at("t3.xlarge").credits_per_hour == 96);
  CHECK_FALSE(c.at("m5.large").burstable());
  CHECK(prices.at("ec2.burstable.surplus-vcpu-hour").usd == c.surplus_usd_per_vcpu_hour);
  CHECK_THROWS_AS(c.at("t9.huge"), std::out_of_range);
}

TEST_CASE("CPU credits: earned at the baseline rate, spent per vCPU-minute, capped at 24 h of earnings", "[ec2]")
{
  const auto& small = default_instance_catalog().at("t3.small");
  CpuCredits std_mode(small, CreditMode::standard, 100);
  // One hour at 1 busy vCPU: earns 24, spends 60 -> 100 - 36 = 64.
  std_mode.advance(3600, 3600);
  CHECK(std_mode.balance() == Approx(64));
  // Two busy vCPUs drain 2 - 0.4 = 1.6 credits a minute: 64 credits last 40 minutes.
  CHECK(std_mode.seconds_to_empty(2.0) == Approx(2400));
  CHECK(std::isinf(std_mode.seconds_to_empty(0.4)));  // at the baseline: never
  std_mode.advance(2400, 2 * 2400);
  CHECK(std_mode.throttled());
  // Idle for a day: the balance fills to 576 and stops there.
  std_mode.advance(86400, 0);
  CHECK(std_mode.balance() == Approx(576));
  CHECK_FALSE(std_mode.throttled());

  // Unlimited: no throttling; spending beyond the balance is surplus, paid back by later earnings
  // first, and what is left at the end is charged.
  CpuCredits unl(small, CreditMode::unlimited, 10);
  unl.advance(600, 2 * 600);  // 10 min at 2 vCPUs: earn 4, spend 20 -> 10 + 4 - 20 = -6
  CHECK(unl.balance() == 0);
  CHECK(unl.surplus() == Approx(6));
  CHECK_FALSE(unl.throttled());
  unl.advance(600, 0);        // earn 4: surplus 2 left
  CHECK(unl.surplus() == Approx(2));
  CHECK(unl.charge_outstanding() == Approx(2));
  CHECK(unl.surplus_charged() == Approx(2));
  // t3 gets no launch credits: a new instance starts empty and, in standard mode, at the baseline.
  CHECK(CpuCredits(small, CreditMode::standard, 0).throttled());
  CHECK_THROWS_AS(CpuCredits(default_instance_catalog().at("m5.large"), CreditMode::standard, 0), std::invalid_argument);
}

namespace {

// One t3.small (standard credits, a quarter of the maximum balance: 144 credits) under a constant
// overload of 100 ms requests: both vCPUs busy all the time.
nlohmann::json long_peak()
{
  return nlohmann::json::parse(R"({
    "name": "t3-long-peak", "seed": 3, "duration_s": 7200,
    "platform": {
      "zones": [{"name": "internet"}, {"name": "onprem"}],
      "servers": [{"name": "box", "zone": "onprem", "cores": 2}],
      "links": [{"name": "uplink", "from_zone": "internet", "to_zone": "onprem"}],
      "services": [{"name": "api", "server": "box", "workers": 64}]
    },
    "workload": {"client_zone": "internet", "base_rps": 30, "client_timeout_s": 30,
                 "classes": [{"name": "work", "weight": 1, "response_kb": 1,
                              "stages": [{"service": "api", "cpu_ms": 100, "cpu_dist": "constant", "request_kb": 1}]}]},
    "aws": {
      "azs": ["us-east-1a", "us-east-1b"],
      "tiers": [{"name": "api", "serves": ["api"], "instance_type": "t3.small", "credit_mode": "standard",
                 "initial_credits_fraction": 0.25, "min_size": 1, "max_size": 1, "desired": 1, "workers": 64,
                 "queue_limit": 500, "queue_timeout_s": 5, "health_check_type": "EC2"}],
      "database": {"serves": []}
    }
  })");
}

}  // namespace

TEST_CASE("t3 credits: a long peak empties the balance at the predicted time and throughput drops to the baseline", "[ec2][slow]")
{
  const auto sc = harness::parse_full_scenario(long_peak(), "t3 long peak");
  const auto r = harness::run_scenario(sc, {});
  // 144 credits drained at 2 - 0.4 = 1.6 credits/min: empty after 90 min = 5400 s.
  double exhausted_at = -1;
  for (const auto& e : sim::EventLog::instance().entries())
    if (e.message.find("CPU credits exhausted") != std::string::npos && exhausted_at < 0)
      exhausted_at = e.t_s;
  CHECK(exhausted_at == Approx(5400).margin(1.0));
  // Throughput: 2 vCPUs / 100 ms = 20 requests/s = 1200 a minute at full speed; 0.4 vCPU at the
  // 20 % baseline = 4 requests/s = 240 a minute afterwards.
  size_t col = 0;
  for (size_t i = 0; i < r.series_columns.size(); ++i)
    if (r.series_columns[i] == "completed")
      col = i;
  REQUIRE(col > 0);
  auto mean_completed = [&](size_t from, size_t to) {
    double s = 0;
    for (size_t m = from; m < to; ++m)
      s += r.series_rows[m][col];
    return s / static_cast<double>(to - from);
  };
  CHECK(mean_completed(10, 89) == Approx(1200).epsilon(0.01));
  CHECK(mean_completed(91, 119) == Approx(240).epsilon(0.02));
  CHECK(r.aws_metrics.at("aws_min_credit_balance") == Approx(0).margin(1e-6));
}
