// RDS storage: what a volume type delivers (IOPS, throughput) and therefore how many disk-bound
// queries per second the database can serve. gp3: a baseline included in the price (3,000 IOPS and
// 125 MiB/s below 400 GiB on RDS for MySQL; 12,000 IOPS and 500 MiB/s from 400 GiB, the volume
// being striped), more can be provisioned; gp2: 3 IOPS per GiB (100 minimum, 16,000 maximum),
// volumes under 1,000 GiB burst to 3,000 IOPS on a bucket of 5.4 million I/O credits refilled at
// the baseline rate; io1: provisioned IOPS. Figures: the RDS "Amazon RDS DB instance storage" page.
#pragma once

#include <string>

namespace migsim::models::rds {

enum class StorageType { gp2, gp3, io1 };
StorageType parse_storage_type(const std::string& s);  // throws std::invalid_argument
const char* to_string(StorageType t);

// What is allocated and provisioned (ModifyDBInstance / CreateDBInstance parameters).
struct StorageSpec {
  StorageType type = StorageType::gp3;
  double allocated_gib = 100;
  double provisioned_iops = 0;      // gp3: total IOPS (0 = baseline); io1: required
  double provisioned_mibps = 0;     // gp3: total MiB/s (0 = baseline); io1: 0 = 1,000 MiB/s
};

// What the volume delivers when sustained (gp2: its baseline) and at most (gp2: its burst).
struct StorageLimits {
  double sustained_iops = 0;
  double burst_iops = 0;            // = sustained_iops unless gp2 can burst
  double throughput_mibps = 0;
};

StorageLimits storage_limits(const StorageSpec& s);

// Bytes per second a workload of io_kib-sized I/Os gets: min(throughput, IOPS x I/O size).
double sustained_bandwidth_Bps(const StorageLimits& l, double io_kib);
// Disk-bound queries per second when each needs `ios_per_query` I/Os of io_kib.
double disk_bound_qps(const StorageLimits& l, double ios_per_query, double io_kib);

// gp2 burst bucket: 5.4 million I/O credits, spent above the baseline, refilled at the baseline.
class Gp2BurstBucket {
public:
  explicit Gp2BurstBucket(const StorageLimits& limits, double credits = kFullCredits);
  static constexpr double kFullCredits = 5.4e6;

  // Serves a demand of `demand_iops` for dt seconds; returns the IOPS delivered on average.
  double serve(double demand_iops, double dt_s);
  double credits() const { return credits_; }
  // Seconds until the bucket is empty under a constant demand (infinity if it never empties).
  double time_to_empty_s(double demand_iops) const;

private:
  StorageLimits limits_;
  double credits_;
};

}  // namespace migsim::models::rds
