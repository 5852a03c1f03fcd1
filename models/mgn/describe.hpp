// What DescribeSourceServers and DescribeJobs show, as plain structs (the API's fields in
// snake_case, values already in the API's formats), and the ISO-8601 formats they use. The wire
// layer turns these into JSON; nothing here knows about SimGrid.
#pragma once

#include "models/mgn/launch_job.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace migsim::models::mgn {

struct ReplicatedDisk {
  std::string device_name;
  double total_storage_bytes = 0.0;
  double replicated_storage_bytes = 0.0;
  double rescanned_storage_bytes = 0.0;
  double backlogged_storage_bytes = 0.0;
};

struct DataReplicationErrorInfo {
  std::string error;      // API enum, e.g. UNSTABLE_NETWORK
  std::string raw_error;
};

struct LifeCycleInfo {
  std::string state;
  std::string added_to_service_date_time;
  std::optional<std::string> first_byte_date_time;
  std::optional<std::string> elapsed_replication_duration;
  std::optional<std::string> last_test_job_id;
  std::optional<std::string> last_cutover_job_id;
  std::optional<std::string> last_cutover_finalized_date_time;
};

struct DataReplicationInfo {
  std::string data_replication_state;
  std::optional<std::string> lag_duration;   // null until launchable, as in the API
  std::optional<std::string> eta_date_time;  // null when nothing is left to send or no throughput yet
  std::vector<ReplicatedDisk> replicated_disks;
  std::optional<DataReplicationErrorInfo> data_replication_error;
  std::optional<std::string> last_snapshot_date_time;
};

struct LaunchedInstanceInfo {
  std::string ec2_instance_id;
  std::string job_id;
  std::string first_boot;  // WAITING, SUCCEEDED, STOPPED
};

struct SourceServerDescription {
  std::string source_server_id;
  std::string hostname;  // sourceProperties.identificationHints.hostname
  bool is_archived = false;
  LifeCycleInfo life_cycle;
  DataReplicationInfo data_replication_info;
  std::optional<LaunchedInstanceInfo> launched_instance;
};

struct ParticipatingServerDescription {
  std::string source_server_id;
  std::string launch_status;
  std::string launched_ec2_instance_id;
};

struct JobDescription {
  std::string job_id;
  std::string type;
  std::string initiated_by;
  std::string status;
  std::string creation_date_time;
  std::optional<std::string> end_date_time;
  std::vector<ParticipatingServerDescription> participating_servers;
};

// A duration as ISO 8601 in whole seconds: "PT0S", "PT45S", "PT1H2M3S" (hours are not folded
// into days).
inline std::string iso8601_duration(double seconds)
{
  auto total = static_cast<uint64_t>(std::floor(std::max(0.0, seconds)));
  const uint64_t h = total / 3600, m = total / 60 % 60, s = total % 60;
  std::string out = "PT";
  if (h)
    out += std::to_string(h) + "H";
  if (m)
    out += std::to_string(m) + "M";
  if (s || (!h && !m))
    out += std::to_string(s) + "S";
  return out;
}

// A Unix time as "2025-01-01T00:00:00Z" (UTC, whole seconds; civil-from-days, no time zone
// database involved, identical on every platform).
inline std::string iso8601_datetime(double unix_s)
{
  const auto t = static_cast<int64_t>(std::floor(unix_s));
  int64_t days = t / 86400, sod = t % 86400;
  if (sod < 0) {
    sod += 86400;
    --days;
  }
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t mo = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (mo <= 2 ? 1 : 0);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", static_cast<long long>(y),
                static_cast<long long>(mo), static_cast<long long>(d), static_cast<long long>(sod / 3600),
                static_cast<long long>(sod / 60 % 60), static_cast<long long>(sod % 60));
  return buf;
}

// DescribeJobs entry for a job; epoch_unix_s maps simulated time to DateTime fields.
inline JobDescription describe_job(const Job& job, double epoch_unix_s)
{
  JobDescription d;
  d.job_id = job.job_id;
  d.type = to_string(job.type);
  d.initiated_by = to_string(job.initiated_by);
  d.status = to_string(job.status);
  d.creation_date_time = iso8601_datetime(epoch_unix_s + job.creation_s);
  if (job.end_s)
    d.end_date_time = iso8601_datetime(epoch_unix_s + *job.end_s);
  for (const auto& p : job.participating_servers)
    d.participating_servers.push_back({p.source_server_id, std::string(to_string(p.launch_status)),
                                       p.launched_ec2_instance_id});
  return d;
}

}  // namespace migsim::models::mgn
