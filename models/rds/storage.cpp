#include "models/rds/storage.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace migsim::models::rds {

StorageType parse_storage_type(const std::string& s)
{
  if (s == "gp2")
    return StorageType::gp2;
  if (s == "gp3")
    return StorageType::gp3;
  if (s == "io1")
    return StorageType::io1;
  throw std::invalid_argument("unknown storage type \"" + s + "\" (gp2, gp3 or io1)");
}

const char* to_string(StorageType t)
{
  switch (t) {
    case StorageType::gp2: return "gp2";
    case StorageType::gp3: return "gp3";
    case StorageType::io1: return "io1";
  }
  return "?";
}

StorageLimits storage_limits(const StorageSpec& s)
{
  StorageLimits l;
  switch (s.type) {
    case StorageType::gp3: {
      const bool striped = s.allocated_gib >= 400;  // RDS for MySQL stripes gp3 from 400 GiB
      const double base_iops = striped ? 12000 : 3000;
      const double base_mibps = striped ? 500 : 125;
      l.sustained_iops = std::max(base_iops, s.provisioned_iops);
      l.throughput_mibps = std::max(base_mibps, s.provisioned_mibps);
      l.burst_iops = l.sustained_iops;
      break;
    }
    case StorageType::gp2:
      l.sustained_iops = std::clamp(3.0 * s.allocated_gib, 100.0, 16000.0);
      l.burst_iops = s.allocated_gib < 1000 ? std::max(3000.0, l.sustained_iops) : l.sustained_iops;
      l.throughput_mibps = 250;
      break;
    case StorageType::io1:
      l.sustained_iops = s.provisioned_iops;
      l.burst_iops = l.sustained_iops;
      l.throughput_mibps = s.provisioned_mibps > 0 ? s.provisioned_mibps : 1000;
      break;
  }
  return l;
}

double sustained_bandwidth_Bps(const StorageLimits& l, double io_kib)
{
  return std::min(l.throughput_mibps * 1024.0 * 1024.0, l.sustained_iops * io_kib * 1024.0);
}

double disk_bound_qps(const StorageLimits& l, double ios_per_query, double io_kib)
{
  return sustained_bandwidth_Bps(l, io_kib) / (ios_per_query * io_kib * 1024.0);
}

Gp2BurstBucket::Gp2BurstBucket(const StorageLimits& limits, double credits) : limits_(limits), credits_(credits) {}

double Gp2BurstBucket::serve(double demand_iops, double dt_s)
{
  const double base = limits_.sustained_iops;
  const double want = std::min(demand_iops, limits_.burst_iops);
  if (want <= base) {
    credits_ = std::min(kFullCredits, credits_ + (base - want) * dt_s);
    return want;
  }
  // Above the baseline: credits drain at (want - base) per second until empty.
  const double burst_s = std::min(dt_s, credits_ / (want - base));
  credits_ -= (want - base) * burst_s;
  return (want * burst_s + base * (dt_s - burst_s)) / dt_s;
}

double Gp2BurstBucket::time_to_empty_s(double demand_iops) const
{
  const double over = std::min(demand_iops, limits_.burst_iops) - limits_.sustained_iops;
  return over > 0 ? credits_ / over : std::numeric_limits<double>::infinity();
}

}  // namespace migsim::models::rds
