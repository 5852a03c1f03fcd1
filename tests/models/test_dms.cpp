// DMS Serverless replication: full-load duration against bytes x overhead / bandwidth (alone and
// sharing the VPN), CDC lag bounded or growing at 1 - a/w, VPN outage and stop/resume with
// exactly-once integrity, DCU scaling and its limits, the documented status sequence.
// Each TEST_CASE runs one simulation (ctest runs each case in its own process).
#include "models/dms/error_behavior.hpp"
#include "models/dms/replication.hpp"
#include "models/mysql/database.hpp"
#include "models/network/bulk_transfer.hpp"
#include "sim/engine.hpp"
#include "sim/platform.hpp"
#include "sim/scenario.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

using namespace migsim;
using namespace migsim::models;
using Catch::Matchers::Contains;

namespace {

// Two sites joined by a VPN: the source database on-prem, RDS in AWS, and a second pair of
// servers for competing traffic. Disks and NICs are fast, so the VPN is the bottleneck.
sim::Scenario two_sites(double vpn_mbps)
{
  const std::string json = R"({"name": "dms", "duration_s": 100000,
    "platform": {
      "zones": [{"name": "onprem", "lan_latency_ms": 0.1}, {"name": "aws", "lan_latency_ms": 0.1}],
      "servers": [
        {"name": "db", "zone": "onprem", "cores": 4, "disk_read_mbps": 4000, "nic_mbps": 10000},
        {"name": "web", "zone": "onprem", "cores": 2, "disk_read_mbps": 4000, "nic_mbps": 10000},
        {"name": "rds", "zone": "aws", "cores": 4, "disk_write_mbps": 4000, "nic_mbps": 10000},
        {"name": "repl", "zone": "aws", "cores": 2, "disk_write_mbps": 4000, "nic_mbps": 10000}],
      "links": [{"name": "vpn", "from_zone": "onprem", "to_zone": "aws", "bandwidth_mbps": )" +
                           std::to_string(vpn_mbps) + R"(, "latency_ms": 15}],
      "services": [{"name": "mysql", "server": "db", "kind": "database", "workers": 1}]},
    "workload": {"client_zone": "onprem", "base_rps": 1,
      "classes": [{"name": "idle", "weight": 1, "stages": [{"service": "mysql"}]}]}})";
  return sim::parse_scenario(nlohmann::json::parse(json), "dms-test");
}

std::vector<mysql::TableSpec> equal_tables(int n, uint64_t rows, double row_bytes)
{
  std::vector<mysql::TableSpec> t;
  for (int i = 0; i < n; ++i) {
    std::string name = "t";  // (not "t" + to_string: GCC 12 -Wrestrict false positive)
    name += std::to_string(i);
    t.push_back({name, rows, row_bytes, 1.0 / n, 0.5, 0});
  }
  return t;
}

std::vector<mysql::TableSpec> shop_tables()
{
  return {{"orders", 1000000, 200, 0.6, 0.3, 0}, {"customers", 200000, 300, 0.4, 0.8, 50000}};
}

// One simulation: engine, platform, metrics, the source and target databases.
struct Bed {
  sim::Engine engine;
  sim::Scenario scenario;
  sim::Platform platform;
  sim::Registry metrics;
  mysql::SourceDatabase source;
  mysql::TargetDatabase target;

  Bed(double vpn_mbps, std::vector<mysql::TableSpec> tables)
      : scenario(two_sites(vpn_mbps)), platform(scenario.platform),
        source(std::move(tables), sim::RandomStream(20261126, "binlog")), target(source.tables())
  {}

  dms::ReplicationConfig config(const dms::ReplicationSettings& s)
  {
    return {"r1", dms::endpoint_on(platform, "onprem-mysql", dms::EndpointRole::Source, "db"),
            dms::endpoint_on(platform, "rds-mysql", dms::EndpointRole::Target, "rds"), nullptr, s};
  }
  // For cdc-only replications: the target already holds the snapshot.
  void preload_snapshot()
  {
    for (size_t i = 0; i < source.tables().size(); ++i)
      target.load_range(i, 1, source.tables()[i].rows);
  }
  // The workload: a transaction of `rows` row changes every every_s in [from, to).
  void drive(dms::Replication& r, double from, double to, double every_s, int rows)
  {
    for (double t = from; t < to - 1e-9; t += every_s)
      engine.at(t, [this, &r, rows]() {
        source.commit(engine.now(), rows);
        r.notify_commit();
      });
  }
  // Calls fn(now) every every_s in [from, to].
  void sample(double from, double to, double every_s, std::function<void(double)> fn)
  {
    for (double t = from; t <= to + 1e-9; t += every_s)
      engine.at(t, [this, fn]() { fn(engine.now()); });
  }
};

dms::ReplicationSettings settings(dms::MigrationType type, int min_dcu, int max_dcu)
{
  dms::ReplicationSettings s;
  s.migration_type = type;
  s.min_capacity_units = min_dcu;
  s.max_capacity_units = max_dcu;
  return s;
}

// Time the default start-up sequence takes (sum of its status durations).
double startup_s(const dms::ReplicationSettings& s)
{
  return s.initializing_s + s.preparing_metadata_resources_s + s.testing_connection_s + s.fetching_metadata_s +
         s.calculating_capacity_s + s.provisioning_capacity_s + s.replication_starting_s;
}

// Least-squares slope of y over x.
double slope(const std::vector<std::pair<double, double>>& xy)
{
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (auto [x, y] : xy) {
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const double n = static_cast<double>(xy.size());
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

void check_integrity(const Bed& b)
{
  const auto report = mysql::compare(b.source, b.target);
  for (const auto& t : report.tables) {
    INFO(t.table << ": source " << t.source.count << " rows, target " << t.target.count);
    CHECK(t.match());
  }
  CHECK(report.lost_transactions == 0);
  CHECK(report.clean());
}

}  // namespace

TEST_CASE("dms full load takes bytes x wire overhead / VPN bandwidth", "[dms]")
{
  Bed b(1000, equal_tables(8, 10'000'000, 250));  // 8 x 2.5 GB
  auto s = settings(dms::MigrationType::FullLoad, 1, 16);
  s.validation_enabled = false;
  dms::Replication r(b.config(s), b.source, b.target, b.metrics);
  r.start();
  b.engine.run_until(5000);

  const auto d = r.describe();
  const double expected = 20e9 * s.vpn_wire_overhead / (1000e6 / 8);  // 169.6 s
  const double measured = d.full_load_finish_date_s - d.full_load_start_date_s;
  INFO("expected " << expected << " s, measured " << measured << " s");
  CHECK(d.full_load_start_date_s == Approx(startup_s(s)));
  CHECK(measured == Approx(expected).epsilon(0.02));
  CHECK(d.full_load_progress_percent == Approx(100.0));
  CHECK(d.tables_loaded == 8);
  CHECK(d.status == "stopped");
  CHECK(d.stop_reason == dms::kStopFullLoadOnlyFinished);
  for (const auto& t : r.table_statistics()) {
    CHECK(t.table_state == dms::kTableCompleted);
    CHECK(t.full_load_rows == 10'000'000);
    CHECK(t.validation_state == dms::kValidationNotEnabled);
  }
  check_integrity(b);
}

TEST_CASE("dms full load and a second transfer share the VPN max-min", "[dms]")
{
  Bed b(1000, equal_tables(8, 10'000'000, 250));  // 8 tables: 8 streams, 16 chunks on the wire
  auto s = settings(dms::MigrationType::FullLoad, 1, 16);
  s.validation_enabled = false;
  dms::Replication r(b.config(s), b.source, b.target, b.metrics);
  // A competing bulk copy (e.g. MGN) with as many streams: each side gets half of the VPN.
  BulkTransfer other("other", {b.platform.disk_reader("web"), b.platform.host("web"), b.platform.host("repl"),
                               b.platform.disk_writer("repl")},
                     {.streams = 8, .chunk_bytes = 16e6});  // as many flows on the VPN as the 8 tables
  double other_done = -1;
  other.on_idle = [&] { other_done = b.engine.now(); };
  const double t0 = startup_s(s);
  b.engine.at(t0, [&] { other.add(10e9); });
  r.start();
  b.engine.run_until(5000);

  // Both at 62.5 MB/s on the wire: the other copy (10 GB) ends at 160 s; by then DMS has sent
  // 10 GB of its 21.2 GB on the wire and sends the remaining 11.2 GB alone at 125 MB/s.
  const double half = 1000e6 / 8 / 2;
  const double other_expected = 10e9 / half;
  const double dms_expected = other_expected + (20e9 * s.vpn_wire_overhead - 10e9) / (2 * half);
  const auto d = r.describe();
  INFO("other: expected " << other_expected << " got " << other_done - t0 << "; dms: expected " << dms_expected
                          << " got " << d.full_load_finish_date_s - d.full_load_start_date_s);
  CHECK(d.full_load_start_date_s == Approx(t0));
  CHECK(other_done - t0 == Approx(other_expected).epsilon(0.02));
  CHECK(d.full_load_finish_date_s - d.full_load_start_date_s == Approx(dms_expected).epsilon(0.02));
  check_integrity(b);
}

TEST_CASE("dms CDC latency stays bounded when apply capacity exceeds the write rate", "[dms]")
{
  Bed b(1000, shop_tables());
  b.preload_snapshot();
  auto s = settings(dms::MigrationType::Cdc, 1, 1);
  dms::Replication r(b.config(s), b.source, b.target, b.metrics);
  r.start();
  const double t0 = startup_s(s) + 10;
  // w = 100 rows/s against a = 1000 rows/s per DCU: groups commit on CommitTimeout (1 s).
  b.drive(r, t0, t0 + 3600, 0.1, 10);
  double worst_target = 0, worst_source = 0;
  b.sample(t0 + 5, t0 + 3600, 0.25, [&](double) {
    worst_target = std::max(worst_target, r.cdc_latency_target_s());
    worst_source = std::max(worst_source, r.cdc_latency_source_s());
  });
  b.engine.run_until(t0 + 3700);

  INFO("worst CDCLatencyTarget " << worst_target << " s, worst CDCLatencySource " << worst_source << " s");
  CHECK(worst_target > 0.5);                                   // the CommitTimeout wait is visible
  CHECK(worst_target < s.commit_timeout_s + 0.5);              // and nothing else accumulates
  CHECK(worst_source < 0.5);
  CHECK(r.describe().cdc_latency_target_s == 0.0);             // all applied once writes stop
  CHECK(b.metrics.series(r.metric("dms_cdc_latency_target_s"), sim::TimeSeries::Kind::Last).size() > 60);
  check_integrity(b);
  for (const auto& t : r.table_statistics()) {
    CHECK(t.validation_state == dms::kValidated);
    CHECK(t.inserts + t.updates > 0);
  }
}

TEST_CASE("dms CDC latency grows at 1 - a/w when writes outpace apply", "[dms]")
{
  Bed b(1000, shop_tables());
  b.preload_snapshot();
  auto s = settings(dms::MigrationType::Cdc, 1, 1);
  s.transactional_apply_rows_per_s_per_dcu = 400;
  dms::Replication r(b.config(s), b.source, b.target, b.metrics);
  r.start();
  const double t0 = startup_s(s) + 10;
  const double w = 1000.0;  // 100 rows every 0.1 s
  b.drive(r, t0, t0 + 1800, 0.1, 100);
  // Backlogged groups hold MinTransactionSize rows: a = 1000 / (overhead + 1000 / 400).
  const double group = s.min_transaction_size_rows;
  const double a = group / (s.commit_overhead_s + group / s.transactional_apply_rows_per_s_per_dcu);
  std::vector<std::pair<double, double>> samples;
  b.sample(t0 + 300, t0 + 1800, 10, [&](double t) { samples.emplace_back(t, r.cdc_latency_target_s()); });
  b.engine.run_until(t0 + 1800);

  const double predicted = 1.0 - a / w;
  const double measured = slope(samples);
  INFO("a = " << a << " rows/s, w = " << w << " rows/s: predicted slope " << predicted << ", measured " << measured);
  CHECK(measured == Approx(predicted).epsilon(0.05));
  CHECK(r.cdc_latency_source_s() < 1.0);  // capture keeps up; the lag is all on the apply side
}

TEST_CASE("dms batch apply applies everything exactly once within BatchApplyTimeoutMax", "[dms]")
{
  Bed b(1000, shop_tables());
  b.preload_snapshot();
  auto s = settings(dms::MigrationType::Cdc, 2, 2);
  s.batch_apply_enabled = true;
  dms::Replication r(b.config(s), b.source, b.target, b.metrics);
  r.start();
  const double t0 = startup_s(s) + 10;
  b.drive(r, t0, t0 + 1800, 0.1, 10);
  double worst = 0;
  b.sample(t0, t0 + 1800, 0.5, [&](double) { worst = std::max(worst, r.cdc_latency_target_s()); });
  b.engine.run_until(t0 + 1900);
  INFO("worst CDCLatencyTarget " << worst << " s");
  CHECK(worst > s.batch_apply_timeout_max_s - 1);  // small batches wait for the timeout
  CHECK(worst < s.batch_apply_timeout_max_s + 2);
  CHECK(b.target.replays_skipped() == 0);
  check_integrity(b);
}

TEST_CASE("dms VPN outage during CDC stalls capture then resumes from its checkpoint", "[dms]")
{
  Bed b(1000, shop_tables());
  auto s = settings(dms::MigrationType::FullLoadAndCdc, 1, 4);
  dms::Replication r(b.config(s), b.source, b.target, b.metrics);
  r.start();
  const double t0 = startup_s(s);
  b.drive(r, 10, 3000, 0.5, 10);  // writes from before the start: cached during the full load
  const double down = 1200, up = 1800;
  b.engine.at(down, [&] { b.platform.set_link_up("vpn", false); });
  b.engine.at(up, [&] { b.platform.set_link_up("vpn", true); });
  uint64_t captured_at_down = 0, committed_at_down = 0;
  b.engine.at(down - 1e-6, [&] { committed_at_down = b.source.committed_seq(); });
  b.engine.at(down + 1, [&] { captured_at_down = r.describe().captured_seq; });
  dms::ReplicationDescription during, after;
  uint64_t committed_after = 0;
  b.engine.at(up - 1, [&] { during = r.describe(); });
  b.engine.at(up + 30, [&] {
    after = r.describe();
    committed_after = b.source.committed_seq();
  });
  b.engine.run_until(3100);

  INFO("captured " << captured_at_down << " of " << committed_at_down << " before the outage");
  CHECK(t0 < down);
  CHECK(captured_at_down >= committed_at_down - 1);
  // During the outage: still running, nothing new captured, the source latency grows.
  CHECK(during.status == "running");
  CHECK(during.captured_seq == captured_at_down);
  CHECK(during.capture_failures > 0);
  CHECK(during.cdc_latency_source_s > up - down - 5);
  CHECK(during.cdc_latency_target_s == 0.0);  // what was captured got applied
  // After: caught up within a retry interval and a few capture messages.
  CHECK(after.captured_seq >= committed_after - 1);
  CHECK(after.cdc_latency_source_s < 5.0);
  // At the end: nothing lost, nothing applied twice, nothing skipped over.
  const auto d = r.describe();
  CHECK(d.status == "running");
  CHECK(d.applied_seq == b.source.committed_seq());
  CHECK(b.target.replays_skipped() == 0);
  CHECK(b.target.gaps() == 0);
  check_integrity(b);
  for (const auto& t : r.table_statistics())
    CHECK(t.validation_state == dms::kValidated);
}

TEST_CASE("dms ErrorBehavior: the documented restart schedule and when it gives up", "[dms][error_behavior]")
{
  dms::ErrorBehavior s;  // the defaults: -1, 5 s, throttling, 1800 s (documented), stop at the maximum (ours)
  // 5 s, then doubling, until the wait reaches RecoverableErrorThrottlingMax; that attempt is the last.
  CHECK(dms::restart_waits_s(s, 100) == std::vector<double>{5, 10, 20, 40, 80, 160, 320, 640, 1280, 1800});
  CHECK(dms::give_up_after_s(s) == Approx(2555 + 1800));  // 5 x (2^9 - 1) s of doublings, then the 1800 s wait
  // RecoverableErrorCount bounds the attempts: 3 attempts, 5 + 10 + 20 s.
  s.recoverable_error_count = 3;
  CHECK(dms::give_up_after_s(s) == Approx(35));
  // Without throttling every wait is RecoverableErrorInterval.
  s.recoverable_error_throttling = false;
  s.recoverable_error_interval_s = 30;
  CHECK(dms::restart_waits_s(s, 100) == std::vector<double>{30, 30, 30});
  // 0: never restarted, the replication fails at the error.
  s.recoverable_error_count = 0;
  CHECK(dms::give_up_after_s(s) == Approx(0));
  // -1 without throttling (or without the stop at the maximum) retries for ever.
  s.recoverable_error_count = -1;
  CHECK_FALSE(dms::give_up_after_s(s).has_value());
  s.recoverable_error_throttling = true;
  s.recoverable_error_stop_retry_after_throttling_max = false;
  CHECK_FALSE(dms::give_up_after_s(s).has_value());
  CHECK(dms::restart_waits_s(s, 12).back() == 1800);  // every later wait is the maximum
  // A lower maximum: 30, 60, 120, 240, then 300 (the maximum), the last attempt.
  s.recoverable_error_stop_retry_after_throttling_max = true;
  s.recoverable_error_throttling_max_s = 300;
  CHECK(dms::restart_waits_s(s, 100) == std::vector<double>{30, 60, 120, 240, 300});
  CHECK(dms::give_up_after_s(s) == Approx(750));
  auto bad = settings(dms::MigrationType::Cdc, 1, 1);
  bad.error_behavior.recoverable_error_count = -2;
  CHECK_THROWS_WITH(dms::validate(bad), Contains("RecoverableErrorCount -2"));
}

TEST_CASE("dms fails when the source stays unreachable through the ErrorBehavior restarts", "[dms][error_behavior]")
{
  Bed b(1000, shop_tables());
  b.preload_snapshot();
  auto s = settings(dms::MigrationType::Cdc, 1, 1);
  const double give_up = *dms::give_up_after_s(s.error_behavior);  // 4355 s with the defaults
  dms::Replication r(b.config(s), b.source, b.target, b.metrics);
  r.start();
  const double down = startup_s(s) + 100;
  b.drive(r, startup_s(s) + 10, down + give_up + 600, 1.0, 10);
  b.engine.at(down, [&] { b.platform.set_link_up("vpn", false); });
  b.engine.run_until(down + give_up + 600);

  const auto& h = r.status_history();
  REQUIRE(h.back().status == "failed");
  CHECK(h.back().t_s >= down + give_up);
  CHECK(h.back().t_s <= down + give_up + s.capture_retry_s + 2 * s.control_tick_s);
  const auto d = r.describe();
  CHECK(d.stop_reason == dms::kStopFatalError);
  REQUIRE(d.failure_messages.size() == 1);
  CHECK_THAT(d.failure_messages[0], Contains("unreachable"));
  CHECK_THAT(d.failure_messages[0], Contains("10 restart attempts failed"));
}

TEST_CASE("dms stop then resume re-reads from the recovery checkpoint exactly once", "[dms]")
{
  Bed b(1000, shop_tables());
  auto s = settings(dms::MigrationType::FullLoadAndCdc, 1, 4);
  dms::Replication r(b.config(s), b.source, b.target, b.metrics);
  r.start();
  b.drive(r, 10, 4000, 0.2, 10);
  const double stop_at = 1530.5, resume_at = 2000;
  dms::ReplicationDescription at_stop;
  b.engine.at(stop_at, [&] {
    r.stop();
    at_stop = r.describe();
  });
  std::string status_while_stopped;
  b.engine.at(stop_at + s.stopping_s + 1, [&] { status_while_stopped = r.status(); });
  b.engine.at(resume_at, [&] { r.start(); });
  b.engine.run_until(4200);

  // Transactions applied after the last saved checkpoint are read again, and skipped by the target.
  const uint64_t expected_replays = at_stop.applied_seq - at_stop.recovery_seq;
  INFO("applied " << at_stop.applied_seq << ", recovery checkpoint " << at_stop.recovery_seq);
  CHECK(at_stop.status == "stopping");
  CHECK(at_stop.stop_reason == dms::kStopNormal);
  CHECK(status_while_stopped == "stopped");
  CHECK(expected_replays > 0);
  CHECK(b.target.replays_skipped() == expected_replays);
  CHECK(r.describe().replays_skipped == expected_replays);
  CHECK(b.target.gaps() == 0);
  CHECK(r.describe().status == "running");
  CHECK(r.describe().fresh_start_date_s < r.describe().start_date_s);
  check_integrity(b);
}

TEST_CASE("dms stop during the full load resumes each table from its committed rows", "[dms]")
{
  Bed b(100, equal_tables(4, 4'000'000, 250));  // 4 x 1 GB over 100 Mbit/s: about 340 s
  auto s = settings(dms::MigrationType::FullLoad, 1, 16);
  s.validation_rows_per_s_per_thread = 1e6;
  dms::Replication r(b.config(s), b.source, b.target, b.metrics);
  r.start();
  const double t0 = startup_s(s);
  std::vector<dms::TableStatistics> at_stop;
  b.engine.at(t0 + 100, [&] {
    r.stop();
    at_stop = r.table_statistics();
  });
  b.engine.at(t0 + 500, [&] { r.start(); });
  b.engine.run_until(t0 + 5000);

  for (const auto& t : at_stop) {
    CHECK(t.full_load_rows > 0);
    CHECK(t.full_load_rows < 4'000'000);
    CHECK(t.full_load_rows % s.commit_rate_rows == 0);  // committed in whole CommitRate batches
  }
  const auto d = r.describe();
  CHECK(d.status == "stopped");
  CHECK(d.stop_reason == dms::kStopFullLoadOnlyFinished);
  // The second run moved only what was left (no table restarted from scratch).
  double left = 0;
  for (const auto& t : at_stop)
    left += (4'000'000.0 - static_cast<double>(t.full_load_rows)) * 250;
  const double second_run = d.full_load_finish_date_s - (t0 + 500 + startup_s(s));
  CHECK(second_run == Approx(left * s.vpn_wire_overhead / (100e6 / 8)).epsilon(0.05));
  for (const auto& t : r.table_statistics()) {
    CHECK(t.full_load_rows == 4'000'000);
    CHECK(t.validation_state == dms::kValidated);  // no row loaded twice, none missing
  }
  check_integrity(b);
}

TEST_CASE("dms capacity scales up under a heavy full load and back to Min when idle", "[dms]")
{
  Bed b(100, equal_tables(40, 2'000'000, 250));  // 40 x 0.5 GB over 100 Mbit/s: about 1700 s
  auto s = settings(dms::MigrationType::FullLoadAndCdc, 1, 16);
  s.max_full_load_subtasks = 40;
  s.memory_per_subtask_gb = 0.5;  // 40 subtasks: 20.25 GB in use, 63 % of 16 DCU
  s.validation_enabled = false;
  s.idle_to_min_s = 600;
  dms::Replication r(b.config(s), b.source, b.target, b.metrics);
  r.start();
  b.engine.run_until(6000);

  const auto& h = r.capacity_history();
  REQUIRE(h.size() >= 2);
  int peak = 0;
  for (size_t i = 0; i < h.size(); ++i) {
    CHECK(h[i].dcu >= s.min_capacity_units);
    CHECK(h[i].dcu <= s.max_capacity_units);
    peak = std::max(peak, h[i].dcu);
    if (i > 0 && h[i].dcu > h[i - 1].dcu) {
      CHECK(h[i].dcu == dms::CapacityScaler::step_up(h[i - 1].dcu));  // one allowed step at a time
      CHECK(h[i].t_s - h[i - 1].t_s >= s.scale_up_hold_s - s.control_tick_s);
    }
  }
  CHECK(peak == 16);
  const auto d = r.describe();
  CHECK(d.full_load_progress_percent == Approx(100.0));
  CHECK(h.back().dcu == 1);
  CHECK(h.back().t_s == Approx(d.full_load_finish_date_s + s.idle_to_min_s).margin(2 * s.control_tick_s));
  CHECK(r.capacity_dcu() == 1);
  const auto series = b.metrics.series(r.metric("dms_capacity_dcu"), sim::TimeSeries::Kind::Last).values(100);
  CHECK(*std::max_element(series.begin(), series.end()) == 16);
  check_integrity(b);
}

TEST_CASE("dms rejects capacity values that are not allowed", "[dms]")
{
  auto with = [](int min_dcu, int max_dcu) {
    dms::ReplicationSettings s;
    s.min_capacity_units = min_dcu;
    s.max_capacity_units = max_dcu;
    dms::validate(s);
  };
  CHECK_NOTHROW(with(1, 384));
  CHECK_NOTHROW(with(192, 192));
  CHECK_THROWS_WITH(with(3, 16), Contains("MinCapacityUnits 3"));
  CHECK_THROWS_WITH(with(1, 3), Contains("MaxCapacityUnits 3"));
  CHECK_THROWS_WITH(with(0, 16), Contains("MinCapacityUnits 0"));
  CHECK_THROWS_WITH(with(1, 512), Contains("MaxCapacityUnits 512"));
  CHECK_THROWS_WITH(with(16, 8), Contains("greater than MaxCapacityUnits 8"));
  CHECK_THROWS_WITH(with(1, 0), Contains("MaxCapacityUnits is required"));
  CHECK_THROWS_AS(with(3, 16), std::invalid_argument);
  dms::ReplicationSettings s;
  s.max_capacity_units = 8;
  s.max_full_load_subtasks = 50;
  CHECK_THROWS_WITH(dms::validate(s), Contains("MaxFullLoadSubTasks 50"));
  CHECK_THROWS_WITH(dms::parse_migration_type("full"), Contains("\"full\""));
  CHECK(dms::CapacityScaler::step_up(128) == 192);
  CHECK(dms::CapacityScaler::step_down(256) == 192);
  CHECK(dms::CapacityScaler::step_up(384) == 384);
}

TEST_CASE("dms start-up walks the documented statuses then runs", "[dms]")
{
  Bed b(1000, shop_tables());
  b.preload_snapshot();
  auto s = settings(dms::MigrationType::Cdc, 2, 8);
  dms::Replication r(b.config(s), b.source, b.target, b.metrics);
  CHECK(r.status() == "created");
  r.start();
  CHECK_THROWS_AS(r.start(), std::logic_error);
  b.engine.run_until(3600);

  const std::vector<std::string> expected = {"initializing",     "preparing_metadata_resources", "testing_connection",
                                             "fetching_metadata", "calculating_capacity",        "provisioning_capacity",
                                             "replication_starting", "running"};
  const std::vector<double> durations = {s.initializing_s,         s.preparing_metadata_resources_s,
                                         s.testing_connection_s,   s.fetching_metadata_s,
                                         s.calculating_capacity_s, s.provisioning_capacity_s,
                                         s.replication_starting_s};
  std::vector<std::string> seen;
  for (const auto& c : r.status_history())
    seen.push_back(c.status);
  CHECK(seen == expected);
  double t = 0;
  for (size_t i = 0; i + 1 < r.status_history().size(); ++i) {
    CHECK(r.status_history()[i].t_s == Approx(t).margin(1e-9));
    t += durations[i];
  }
  CHECK(r.status_history().back().t_s == Approx(t));
  CHECK(r.connection(dms::EndpointRole::Source).status == "successful");
  CHECK(r.connection(dms::EndpointRole::Target).status == "successful");
  const auto d = r.describe();
  CHECK(d.provision_state == "provisioned");
  CHECK(d.provisioned_capacity_units == 2);
  CHECK(d.start_date_s == Approx(t));
}

TEST_CASE("dms connection test fails when the VPN is down", "[dms]")
{
  Bed b(1000, shop_tables());
  auto s = settings(dms::MigrationType::FullLoadAndCdc, 1, 4);
  dms::Replication r(b.config(s), b.source, b.target, b.metrics);
  b.platform.set_link_up("vpn", false);
  r.start();
  b.engine.run_until(3600);

  CHECK(r.status() == "failed");
  CHECK(r.status_history().back().t_s == Approx(s.initializing_s + s.preparing_metadata_resources_s + s.testing_connection_s));
  CHECK(r.connection(dms::EndpointRole::Source).status == "failed");
  CHECK_THAT(r.connection(dms::EndpointRole::Source).last_failure_message, Contains("link"));
  CHECK(r.connection(dms::EndpointRole::Target).status == "successful");
  const auto d = r.describe();
  REQUIRE(d.failure_messages.size() == 1);
  CHECK_THAT(d.failure_messages[0], Contains("Test connection failed for endpoint onprem-mysql"));
}
