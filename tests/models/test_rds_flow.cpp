// RDS live in the request flow (one simulation per test case): a forced failover costs errors only
// inside its window and loses no committed transaction; max_connections refuses queries as an
// Erlang loss system; gp3 storage caps disk-bound query throughput at IOPS / I/Os per query.
#include "harness/run/run_command.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

// An app server in front of an RDS instance; `rds` and the classes are the test's.
json estate(double base_rps, double duration_s, const json& classes, const json& rds, const json& events)
{
  return {{"name", "rds-flow"},
          {"seed", 42},
          {"duration_s", duration_s},
          {"platform",
           {{"zones", {{{"name", "az-a"}, {"lan_latency_ms", 0.2}}}},
            {"servers",
             {{{"name", "app"}, {"zone", "az-a"}, {"cores", 64}, {"speed_gflops", 1}},
              {{"name", "db"}, {"zone", "az-a"}, {"cores", 64}, {"speed_gflops", 1}}}},
            {"services",
             {{{"name", "api"}, {"server", "app"}, {"kind", "app"}, {"workers", 2000}},
              {{"name", "mysql"}, {"server", "db"}, {"kind", "database"}, {"workers", 100}}}}}},
          {"workload", {{"client_zone", "az-a"}, {"base_rps", base_rps}, {"client_timeout_s", 30}, {"classes", classes}}},
          {"rds", rds},
          {"events", events}};
}

migsim::harness::RunResult run(const json& doc)
{
  auto sc = migsim::harness::parse_full_scenario(doc, "test");
  return migsim::harness::run_scenario(sc, {});
}

// Erlang B: probability that an arrival finds all c servers busy at offered load a (erlangs).
double erlang_b(int c, double a)
{
  double b = 1.0;
  for (int k = 1; k <= c; ++k)
    b = a * b / (k + a * b);
  return b;
}

}  // namespace

TEST_CASE("RDS failover in the flow: errors only in the configured window, no committed transaction lost")
{
  const json classes = {
      {{"name", "browse"}, {"weight", 4}, {"response_kb", 20},
       {"stages", {{{"service", "api"}, {"cpu_ms", 5}}, {{"service", "mysql"}, {"cpu_ms", 2}, {"disk_read_kb", 32}}}}},
      {{"name", "order"}, {"weight", 1}, {"response_kb", 5}, {"rows_written", 3},
       {"stages", {{{"service", "api"}, {"cpu_ms", 8}}, {{"service", "mysql"}, {"cpu_ms", 3}, {"disk_write_kb", 16}}}}}};
  const json rds = {{"server", "db"}, {"service", "mysql"}, {"instance_class", "db.m5.xlarge"},
                    {"failover_min_s", 90}, {"failover_max_s", 90}, {"size_server", false}};
  const json events = {{{"at_s", 600}, {"action", "rds_failover"}}};
  const auto r = run(estate(100, 1200, classes, rds, events));
  const auto& m = r.model_metrics;
  INFO(r.rds.dump(2));
  CHECK(m.at("rds_failovers") == 1);
  CHECK(m.at("rds_unavailable_s") == Approx(90.0));
  // Writes (20 per second) stop for the window: the gap between the last commit before and the
  // first after is the window plus at most a few inter-arrival times.
  CHECK(m.at("rds_write_gap_s") >= 90.0);
  CHECK(m.at("rds_write_gap_s") <= 91.0);
  // Every request reaching the database in the window fails (about 100/s x 90 s), none outside.
  CHECK(m.at("errors_in_rds_outages") > 8000);
  CHECK(m.at("errors_in_rds_outages") < 10000);
  CHECK(m.at("errors_outside_rds_outages") == 0);
  CHECK(r.failed == static_cast<unsigned long long>(m.at("errors_in_rds_outages")));
  // The commit point: every transaction the flow committed (before or after) is on the instance
  // and its synchronous standby; none committed while it was unavailable.
  CHECK(m.at("rds_lost_transactions") == 0);
  CHECK(r.rds["transactions_committed"].get<unsigned long long>() == r.transactions_committed);
  CHECK(r.rds["standby_applied"].get<unsigned long long>() == r.transactions_committed);
  CHECK(r.rds["commits_while_unavailable"].get<unsigned long long>() == 0);
  const auto& outage = r.rds["outages"].at(0);
  CHECK(outage["committed_at_start"] == outage["on_standby_at_start"]);
  CHECK(outage["from_az"] == "us-east-1a");
  CHECK(outage["to_az"] == "us-east-1b");
  CHECK(r.rds["availability_zone"] == "us-east-1b");
  // Acknowledged orders are a subset of the committed ones (an order whose response was lost
  // would be committed and not acknowledged; here none is).
  unsigned long long orders_ok = 0;
  for (const auto& c : r.classes)
    if (c.name == "order")
      orders_ok = c.completed;
  CHECK(orders_ok == r.transactions_committed);
}

TEST_CASE("RDS max_connections refuses queries as an Erlang loss system")
{
  // 10 connections, Poisson queries at 80/s holding one for 100 ms of CPU (64 cores: no sharing):
  // offered 8 erlangs, Erlang B(10, 8) = 12.2 % refused ("Too many connections").
  const json classes = {{{"name", "q"}, {"weight", 1}, {"response_kb", 0},
                         {"stages", {{{"service", "mysql"}, {"cpu_ms", 100}, {"request_kb", 0}}}}}};
  const json rds = {{"server", "db"}, {"service", "mysql"}, {"max_connections", 10}, {"size_server", false}};
  const auto r = run(estate(80, 3000, classes, rds, json::array()));
  const double refused = static_cast<double>(r.rejected) / static_cast<double>(r.arrivals);
  const double predicted = erlang_b(10, 8.0);
  INFO("refused " << refused << ", Erlang B " << predicted << " over " << r.arrivals << " queries");
  CHECK(predicted == Approx(0.1217).margin(0.0005));
  CHECK(refused == Approx(predicted).margin(0.012));
  CHECK(r.server_errors == 0);
  CHECK(r.services.at(1).workers == 10);
}

TEST_CASE("RDS gp3 storage caps disk-bound queries at IOPS divided by I/Os per query")
{
  // 100 GiB gp3: 3,000 IOPS of 16 KiB = 49.152 MB/s; a query reads 4 pages (65.536 kB): 750/s.
  // Offered 900/s for 120 s, 50 connections and a queue behind them: the database completes 750/s.
  const json classes = {{{"name", "scan"}, {"weight", 1}, {"response_kb", 0},
                         {"stages", {{{"service", "mysql"}, {"cpu_ms", 0}, {"disk_read_kb", 65.536},
                                      {"request_kb", 0}}}}}};
  const json rds = {{"server", "db"},
                    {"service", "mysql"},
                    {"storage", {{"type", "gp3"}, {"allocated_gb", 100}}},
                    {"refuse_when_full", false},
                    {"max_connections", 50}};
  auto doc = estate(900, 120, classes, rds, json::array());
  doc["workload"]["client_timeout_s"] = 3600;
  const auto r = run(doc);
  const double rate = static_cast<double>(r.completed) / 120.0;
  INFO("completed " << r.completed << " (" << rate << "/s), disk " << r.rds["storage"].dump());
  CHECK(r.rds["storage"]["disk_bound_bandwidth_mbps"].get<double>() == Approx(49.152));
  CHECK(rate == Approx(750.0).epsilon(0.02));
  CHECK(r.arrivals > 105000);
  CHECK(r.failed == 0);
}
