// RDS for MySQL as state: instance classes and connection limits, storage limits, Multi-AZ
// failover (window, status, endpoint AZ, commit point) and read replica lag, against hand-computed
// figures and the documented behaviour in REFERENCE.md.
#include "models/mysql/database.hpp"
#include "models/rds/db_instance.hpp"
#include "models/rds/instance_class.hpp"
#include "models/rds/read_replica.hpp"
#include "models/rds/storage.hpp"
#include "sim/rng.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace migsim::models;
using migsim::sim::RandomStream;

TEST_CASE("RDS max_connections follows MySQL's default formula DBInstanceClassMemory/12582880")
{
  // 8 GiB = 8589934592 B; / 12582880 = 682.66 -> 682. 4 GiB -> 341.33 -> 341. 16 GiB -> 1365.33.
  CHECK(rds::default_max_connections(rds::find_db_instance_class("db.m5.large")->memory_gib) == 682);
  CHECK(rds::default_max_connections(rds::find_db_instance_class("db.t3.medium")->memory_gib) == 341);
  CHECK(rds::default_max_connections(rds::find_db_instance_class("db.r5.large")->memory_gib) == 1365);
  // 10 % reserved: 8 GiB x 0.9 = 7730941132.8 B -> 614.4 -> 614.
  CHECK(rds::default_max_connections(8, 0.1) == 614);
  CHECK(rds::find_db_instance_class("db.x9.huge") == nullptr);
  CHECK(rds::price_item("db.m5.large", true) == "rds.mysql.multi-az.db.m5.large");
}

TEST_CASE("RDS refuses connections beyond max_connections with Too many connections")
{
  rds::DbInstanceConfig cfg;
  cfg.instance_class = "db.t3.micro";  // 1 GiB: 1073741824 / 12582880 = 85.3 -> 85
  rds::DbInstance db(cfg, RandomStream(1, "rds"));
  REQUIRE(db.max_connections() == 85);
  int opened = 0;
  for (int i = 0; i < 100; ++i)
    opened += db.connect(10.0) ? 1 : 0;
  CHECK(opened == 85);
  CHECK(db.refused_too_many() == 15);
  db.disconnect();
  CHECK(db.connect(11.0));
  CHECK_FALSE(db.connect(11.0));
  CHECK(db.refused_too_many() == 16);
}

TEST_CASE("RDS storage limits: gp3 baseline and striping, gp2 per GiB with burst, io1 provisioned")
{
  auto gp3 = rds::storage_limits({rds::StorageType::gp3, 100, 0, 0});
  CHECK(gp3.sustained_iops == 3000);
  CHECK(gp3.throughput_mibps == 125);
  auto gp3_big = rds::storage_limits({rds::StorageType::gp3, 500, 0, 0});
  CHECK(gp3_big.sustained_iops == 12000);
  CHECK(gp3_big.throughput_mibps == 500);
  auto gp2 = rds::storage_limits({rds::StorageType::gp2, 100, 0, 0});
  CHECK(gp2.sustained_iops == 300);
  CHECK(gp2.burst_iops == 3000);
  CHECK(rds::storage_limits({rds::StorageType::gp2, 20, 0, 0}).sustained_iops == 100);  // minimum
  CHECK(rds::storage_limits({rds::StorageType::gp2, 2000, 0, 0}).burst_iops == 6000);  // no burst from 1 TiB
  auto io1 = rds::storage_limits({rds::StorageType::io1, 200, 10000, 0});
  CHECK(io1.sustained_iops == 10000);
  // 16 KiB pages: gp3 3000 x 16384 = 49152000 B/s (below 125 MiB/s = 131072000 B/s).
  CHECK(rds::sustained_bandwidth_Bps(gp3, 16) == Approx(49152000.0));
  // 256 KiB I/Os: throughput-bound at 125 MiB/s.
  CHECK(rds::sustained_bandwidth_Bps(gp3, 256) == Approx(131072000.0));
  // Queries needing 4 page reads each: 3000 / 4 = 750 per second.
  CHECK(rds::disk_bound_qps(gp3, 4, 16) == Approx(750.0));
}

TEST_CASE("RDS gp2 burst credits run out at 5.4 million / (demand - baseline) seconds")
{
  const auto l = rds::storage_limits({rds::StorageType::gp2, 100, 0, 0});  // 300 IOPS, burst 3000
  rds::Gp2BurstBucket bucket(l);
  CHECK(bucket.time_to_empty_s(3000) == Approx(2000.0));  // 5.4e6 / 2700
  double t_empty = -1;
  for (int s = 0; s < 3000; ++s) {
    const double delivered = bucket.serve(3000, 1.0);
    if (delivered < 3000 && t_empty < 0)
      t_empty = s;
  }
  CHECK(t_empty == 2000);
  CHECK(bucket.serve(3000, 1.0) == Approx(300.0));
  // Idle at 0 IOPS refills at the baseline: 300 credits per second.
  bucket.serve(0, 100.0);
  CHECK(bucket.credits() == Approx(30000.0));
}

TEST_CASE("RDS forced failover: rebooting for a window within 60-120 s, endpoint moves to the standby AZ")
{
  rds::DbInstanceConfig cfg;
  rds::DbInstance db(cfg, RandomStream(7, "rds"));
  for (int i = 0; i < 50; ++i)
    REQUIRE(db.connect(100.0));
  const auto rec = db.reboot(1000.0, true);
  const double window = rec.end_s - rec.start_s;
  CHECK(window >= 60.0);
  CHECK(window <= 120.0);
  CHECK(rec.connections_dropped == 50);
  CHECK(db.connections() == 0);
  CHECK(db.status_at(999.0) == "available");
  CHECK(db.status_at(1000.0) == "rebooting");
  CHECK(db.status_at(rec.end_s - 0.001) == "rebooting");
  CHECK(db.status_at(rec.end_s) == "available");
  CHECK_FALSE(db.available_at(1000.0 + window / 2));
  CHECK_FALSE(db.connect(1000.0 + window / 2));
  CHECK(db.refused_unavailable() == 1);
  CHECK(db.az_at(1000.0) == "us-east-1a");
  CHECK(db.az_at(rec.end_s) == "us-east-1b");
  CHECK(db.secondary_az_at(rec.end_s) == "us-east-1a");
  CHECK_THROWS_AS(db.commit(1000.0 + window / 2, 1), rds::RdsError);
  // Not available meanwhile: a second reboot is refused.
  try {
    db.reboot(1001.0, true);
    FAIL("expected InvalidDBInstanceState");
  } catch (const rds::RdsError& e) {
    CHECK(e.code() == "InvalidDBInstanceState");
  }
}

TEST_CASE("RDS failover windows are drawn uniformly over the configured range")
{
  rds::DbInstanceConfig cfg;
  cfg.failover_min_s = 60;
  cfg.failover_max_s = 120;
  rds::DbInstance db(cfg, RandomStream(11, "rds"));
  double t = 0, sum = 0, lo = 1e9, hi = 0;
  const int n = 2000;
  for (int i = 0; i < n; ++i) {
    const auto rec = db.reboot(t, true);
    const double w = rec.end_s - rec.start_s;
    sum += w;
    lo = std::min(lo, w);
    hi = std::max(hi, w);
    t = rec.end_s + 1;
  }
  // U(60, 120): mean 90, standard error 17.3 / sqrt(2000) = 0.39.
  CHECK(sum / n == Approx(90.0).margin(1.5));
  CHECK(lo >= 60.0);
  CHECK(lo < 61.0);
  CHECK(hi <= 120.0);
  CHECK(hi > 119.0);
}

TEST_CASE("RDS ForceFailover on a Single-AZ instance is refused")
{
  rds::DbInstanceConfig cfg;
  cfg.multi_az = false;
  rds::DbInstance db(cfg, RandomStream(1, "rds"));
  try {
    db.reboot(10.0, true);
    FAIL("expected InvalidParameterCombination");
  } catch (const rds::RdsError& e) {
    CHECK(e.code() == "InvalidParameterCombination");
  }
  // A plain reboot works: same AZ, an outage.
  const auto rec = db.reboot(10.0, false);
  CHECK(rec.to_az == rec.from_az);
  CHECK(db.status_at(11.0) == "rebooting");
}

TEST_CASE("RDS Multi-AZ failover loses no committed transaction, an asynchronous replica would")
{
  rds::DbInstanceConfig cfg;
  rds::DbInstance db(cfg, RandomStream(3, "rds"));
  rds::ReadReplica replica("shop-db-replica", {5.0, 0.0});  // applies 200 transactions/s
  RandomStream arrivals(3, "writes");
  double t = 0;
  uint64_t acknowledged = 0;
  while (t < 600) {  // 300 writes/s for 10 minutes, above the replica's apply rate
    t += arrivals.exponential(1.0 / 300.0);
    const uint64_t seq = db.commit(t, 3);
    replica.on_commit(t, seq, 3);
    ++acknowledged;
  }
  const auto rec = db.reboot(t, true);
  // Every transaction acknowledged before the failover is on the standby that takes over.
  CHECK(rec.committed_at_start == acknowledged);
  CHECK(rec.on_standby_at_start == acknowledged);
  auto report = mysql::compare(db.primary_data(), *db.standby_data());
  CHECK(report.clean());
  CHECK(report.lost_transactions == 0);
  // Promoting the asynchronous replica instead would lose its backlog: about (300 - 200) x 600.
  const uint64_t replica_has = replica.applied_seq(t);
  CHECK(acknowledged - replica_has == replica.backlog(t));
  CHECK(static_cast<double>(replica.backlog(t)) == Approx(60000.0).epsilon(0.05));
  // After the window, commits continue on the new primary, still synchronously mirrored.
  db.commit(rec.end_s + 1, 2);
  CHECK(db.standby_data()->applied_seq() == acknowledged + 1);
  CHECK(mysql::compare(db.primary_data(), *db.standby_data()).clean());
}

TEST_CASE("RDS read replica lag grows at 1 - apply / write under overload and drains afterwards")
{
  // Writes: Poisson 400/s for 300 s, then 100/s. Apply: 1 transaction per 3.333 ms = 300/s.
  rds::ReadReplica replica("r", {1000.0 / 300.0, 0.0});
  REQUIRE(replica.apply_rate_tps(1) == Approx(300.0));
  RandomStream rng(5, "writes");
  double t = 0;
  uint64_t seq = 0;
  std::vector<std::pair<double, double>> samples;  // (t, lag)
  double next_sample = 10;
  while (t < 900) {
    const double rate = t < 300 ? 400.0 : 100.0;
    t += rng.exponential(1.0 / rate);
    while (next_sample <= t) {
      samples.emplace_back(next_sample, replica.lag_s(next_sample));
      next_sample += 10;
    }
    replica.on_commit(t, ++seq, 1);
  }
  auto lag_at = [&](double at) {
    for (auto& [ts, lag] : samples)
      if (ts == at)
        return lag;
    return -1.0;
  };
  // Predicted: lag(t) = t (1 - 300/400) = 0.25 t during the overload.
  CHECK(lag_at(100) == Approx(25.0).epsilon(0.08));
  CHECK(lag_at(300) == Approx(75.0).epsilon(0.05));
  const double slope = (lag_at(300) - lag_at(100)) / 200.0;
  CHECK(slope == Approx(0.25).epsilon(0.1));
  // Backlog (400 - 300) x 300 = 30000 drains at 300 - 100 = 200/s: caught up 150 s after the peak.
  // Meanwhile the SQL thread still works through transactions committed at 400/s: the lag keeps
  // growing at 0.25/s for the 100 s those take (peak 75 + 25 = 100 s at t = 400), then falls by
  // 300/100 - 1 = 2 s per second: 20 s left at t = 440, zero from t = 450.
  CHECK(lag_at(400) == Approx(100.0).epsilon(0.06));
  CHECK(lag_at(440) == Approx(20.0).margin(5.0));
  CHECK(lag_at(470) < 1.0);
  CHECK(lag_at(600) < 1.0);
  CHECK(replica.max_lag_s() == Approx(100.0).epsilon(0.06));
}
