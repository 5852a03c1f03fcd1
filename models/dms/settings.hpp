// What a DMS Serverless replication can be told: the published settings (AWS names in comments,
// values from REFERENCE.md "DMS (serverless)") and every unpublished number the model needs, each
// declared once with its unit and default. validate() reports a bad value by name, never silently.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace migsim::models::dms {

// ReplicationType / MigrationType of a replication config.
enum class MigrationType { FullLoad, Cdc, FullLoadAndCdc };

// The capacity values DMS Serverless accepts for MinCapacityUnits and MaxCapacityUnits.
inline constexpr std::array<int, 11> kAllowedCapacityUnits{1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384};
inline constexpr double kGbPerDcu = 2.0;  // 1 DCU = 2 GB of memory

// The AWS spelling of a migration type ("full-load", "cdc", "full-load-and-cdc").
inline std::string to_string(MigrationType t)
{
  switch (t) {
    case MigrationType::FullLoad: return "full-load";
    case MigrationType::Cdc: return "cdc";
    default: return "full-load-and-cdc";
  }
}

// Parses the AWS spelling; throws std::invalid_argument naming the value.
inline MigrationType parse_migration_type(const std::string& s)
{
  if (s == "full-load") return MigrationType::FullLoad;
  if (s == "cdc") return MigrationType::Cdc;
  if (s == "full-load-and-cdc") return MigrationType::FullLoadAndCdc;
  throw std::invalid_argument("MigrationType \"" + s + "\" is not one of full-load, cdc, full-load-and-cdc");
}

// True when dcu is one of kAllowedCapacityUnits.
inline bool is_allowed_capacity(int dcu)
{
  return std::find(kAllowedCapacityUnits.begin(), kAllowedCapacityUnits.end(), dcu) != kAllowedCapacityUnits.end();
}

// The ErrorBehavior task settings for recoverable (environmental) errors such as an unreachable
// source: the restart attempts before the replication fails (error_behavior.hpp). Defaults: the DMS
// User Guide, "Error handling task settings", except where noted (docs/migration-model.md).
struct ErrorBehavior {
  int recoverable_error_count = -1;                    // RecoverableErrorCount: -1 = no limit, 0 = never restart
  double recoverable_error_interval_s = 5.0;           // RecoverableErrorInterval
  bool recoverable_error_throttling = true;            // RecoverableErrorThrottling: the wait doubles each attempt
  double recoverable_error_throttling_max_s = 1800.0;  // RecoverableErrorThrottlingMax: the longest wait
  // RecoverableErrorStopRetryAfterThrottlingMax: no documented default; ours (docs/migration-model.md)
  bool recoverable_error_stop_retry_after_throttling_max = true;
};

// Every setting of one replication. Published values first, then model parameters (not published
// by AWS: defaults are this model's assumptions, to be calibrated).
struct ReplicationSettings {
  // --- Published -------------------------------------------------------------------------------
  int min_capacity_units = 1;                   // MinCapacityUnits (DCU)
  int max_capacity_units = 0;                   // MaxCapacityUnits (DCU), required: 0 = not given
  MigrationType migration_type = MigrationType::FullLoadAndCdc;
  int max_full_load_subtasks = 8;               // MaxFullLoadSubTasks: tables loaded at once, 1..49
  int commit_rate_rows = 10000;                 // CommitRate: rows per full-load commit
  bool batch_apply_enabled = false;             // BatchApplyEnabled
  int min_transaction_size_rows = 1000;         // MinTransactionSize (transactional apply)
  double commit_timeout_s = 1.0;                // CommitTimeout (transactional apply)
  double batch_apply_timeout_min_s = 1.0;       // BatchApplyTimeoutMin
  double batch_apply_timeout_max_s = 30.0;      // BatchApplyTimeoutMax
  bool validation_enabled = true;               // ValidationSettings.EnableValidation
  int validation_partition_size_rows = 10000;   // ValidationSettings.PartitionSize
  int validation_thread_count = 5;              // ValidationSettings.ThreadCount
  bool heartbeat_enable = false;                // HeartbeatEnable: idle heartbeats count as captured events
  ErrorBehavior error_behavior;                 // ErrorBehavior: restarts after a recoverable error
  // CdcStartPosition as a binlog sequence: changes with seq > this are captured. Unset: 0 for the
  // full-load types (the model's snapshot is the state before seq 1), the source's last committed
  // seq at the first start() for cdc.
  std::optional<uint64_t> cdc_start_after_seq;

  // --- Model parameters: start-up and stop (durations of each status) --------------------------
  double initializing_s = 30.0;
  double preparing_metadata_resources_s = 120.0;
  double testing_connection_s = 30.0;           // the round-trip tests run inside it
  double fetching_metadata_s = 60.0;
  double calculating_capacity_s = 60.0;
  double provisioning_capacity_s = 300.0;       // provisioning time
  double replication_starting_s = 60.0;
  double stopping_s = 60.0;

  // --- Model parameters: transport over the VPN ------------------------------------------------
  double vpn_wire_overhead = 1.06;              // wire bytes per payload byte (IPsec + TCP/IP headers)
  double chunk_mb = 64.0;                       // full-load chunk (MB = 1e6 bytes)
  int streams_per_table = 1;                    // parallel streams of one full-load subtask
  double transfer_retry_s = 30.0;               // a failed chunk is resent after this
  double capture_batch_max_mb = 16.0;           // binlog bytes carried per capture message at most
  double capture_retry_s = 5.0;                 // a failed capture or heartbeat is retried after this
  double source_heartbeat_s = 5.0;              // idle source: reachability probe period

  // --- Model parameters: CDC apply ---------------------------------------------------------------
  double transactional_apply_rows_per_s_per_dcu = 1000.0;  // rows/s per DCU, transactional apply
  double commit_overhead_s = 0.005;             // per target commit, transactional apply
  double batch_apply_rows_per_s_per_dcu = 5000.0;          // rows/s per DCU, batch apply
  double batch_overhead_s = 0.5;                // per batch, batch apply
  int batch_apply_max_rows = 100000;            // rows per batch at most (stands for BatchApplyMemoryLimit)
  double checkpoint_interval_s = 60.0;          // recovery checkpoint saved this often (resume re-reads from it)
  bool trim_source_binlog = true;               // purge the source binlog up to the recovery checkpoint

  // --- Model parameters: validation ----------------------------------------------------------
  double validation_rows_per_s_per_thread = 2000.0;  // rows/s compared by one thread (both sides read)
  double validation_recheck_s = 60.0;           // CDC changes are re-validated this often

  // --- Model parameters: capacity --------------------------------------------------------------
  double base_memory_gb = 0.25;                 // engine, metadata, buffers
  double memory_per_subtask_gb = 0.25;          // per table loading
  double memory_per_cached_change_kb = 1.0;     // per captured row change not yet applied
  double scale_up_utilization_pct = 80.0;       // CapacityUtilization above this ...
  double scale_up_hold_s = 300.0;               // ... for this long: one allowed step up
  double scale_down_utilization_pct = 40.0;     // below this ...
  double scale_down_hold_s = 900.0;             // ... for this long: one allowed step down
  double idle_to_min_s = 1800.0;                // source idle (no change, nothing to do) this long: to Min
  double control_tick_s = 1.0;                  // capacity, metrics, capture tick, health checks
};

namespace detail {
// Throws std::invalid_argument(what) unless ok.
inline void require(bool ok, const std::string& what)
{
  if (!ok)
    throw std::invalid_argument(what);
}
// A number without trailing zeros, for messages.
inline std::string num(double v)
{
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.')
    s.pop_back();
  return s;
}
}  // namespace detail

// Checks one capacity value against kAllowedCapacityUnits; throws std::invalid_argument naming it.
inline void validate_capacity_units(const char* name, int dcu)
{
  if (!is_allowed_capacity(dcu))
    throw std::invalid_argument(std::string(name) + " " + std::to_string(dcu) +
                                " is not an allowed DCU value (1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384)");
}

// Throws std::invalid_argument naming the first invalid setting and its value.
inline void validate(const ReplicationSettings& s)
{
  using detail::num;
  using detail::require;
  require(s.max_capacity_units != 0, "MaxCapacityUnits is required");
  validate_capacity_units("MinCapacityUnits", s.min_capacity_units);
  validate_capacity_units("MaxCapacityUnits", s.max_capacity_units);
  require(s.min_capacity_units <= s.max_capacity_units,
          "MinCapacityUnits " + std::to_string(s.min_capacity_units) + " is greater than MaxCapacityUnits " +
              std::to_string(s.max_capacity_units));
  require(s.max_full_load_subtasks >= 1 && s.max_full_load_subtasks <= 49,
          "MaxFullLoadSubTasks " + std::to_string(s.max_full_load_subtasks) + " is outside 1..49");
  require(s.commit_rate_rows >= 1, "CommitRate " + std::to_string(s.commit_rate_rows) + " must be >= 1");
  require(s.min_transaction_size_rows >= 1, "MinTransactionSize must be >= 1");
  require(s.batch_apply_timeout_min_s >= 0 && s.batch_apply_timeout_min_s <= s.batch_apply_timeout_max_s,
          "BatchApplyTimeoutMin " + num(s.batch_apply_timeout_min_s) + " must be within 0..BatchApplyTimeoutMax " +
              num(s.batch_apply_timeout_max_s));
  require(s.validation_partition_size_rows >= 1, "PartitionSize must be >= 1");
  require(s.validation_thread_count >= 1, "ThreadCount must be >= 1");
  for (auto [name, v] : {std::pair{"initializing_s", s.initializing_s},
                         {"preparing_metadata_resources_s", s.preparing_metadata_resources_s},
                         {"testing_connection_s", s.testing_connection_s},
                         {"fetching_metadata_s", s.fetching_metadata_s},
                         {"calculating_capacity_s", s.calculating_capacity_s},
                         {"provisioning_capacity_s", s.provisioning_capacity_s},
                         {"replication_starting_s", s.replication_starting_s},
                         {"stopping_s", s.stopping_s},
                         {"CommitTimeout", s.commit_timeout_s},
                         {"commit_overhead_s", s.commit_overhead_s},
                         {"batch_overhead_s", s.batch_overhead_s},
                         {"base_memory_gb", s.base_memory_gb},
                         {"memory_per_subtask_gb", s.memory_per_subtask_gb},
                         {"memory_per_cached_change_kb", s.memory_per_cached_change_kb},
                         {"scale_up_hold_s", s.scale_up_hold_s},
                         {"scale_down_hold_s", s.scale_down_hold_s},
                         {"idle_to_min_s", s.idle_to_min_s}})
    require(v >= 0, std::string(name) + " " + num(v) + " must be >= 0");
  for (auto [name, v] : {std::pair{"vpn_wire_overhead", s.vpn_wire_overhead},
                         {"chunk_mb", s.chunk_mb},
                         {"transfer_retry_s", s.transfer_retry_s},
                         {"capture_batch_max_mb", s.capture_batch_max_mb},
                         {"capture_retry_s", s.capture_retry_s},
                         {"source_heartbeat_s", s.source_heartbeat_s},
                         {"RecoverableErrorInterval", s.error_behavior.recoverable_error_interval_s},
                         {"RecoverableErrorThrottlingMax", s.error_behavior.recoverable_error_throttling_max_s},
                         {"transactional_apply_rows_per_s_per_dcu", s.transactional_apply_rows_per_s_per_dcu},
                         {"batch_apply_rows_per_s_per_dcu", s.batch_apply_rows_per_s_per_dcu},
                         {"checkpoint_interval_s", s.checkpoint_interval_s},
                         {"validation_rows_per_s_per_thread", s.validation_rows_per_s_per_thread},
                         {"validation_recheck_s", s.validation_recheck_s},
                         {"control_tick_s", s.control_tick_s}})
    require(v > 0, std::string(name) + " " + num(v) + " must be > 0");
  require(s.error_behavior.recoverable_error_count >= -1, "RecoverableErrorCount " +
                                                              std::to_string(s.error_behavior.recoverable_error_count) +
                                                              " must be -1 (no limit) or >= 0");
  require(s.vpn_wire_overhead >= 1.0, "vpn_wire_overhead " + num(s.vpn_wire_overhead) + " must be >= 1");
  require(s.streams_per_table >= 1, "streams_per_table must be >= 1");
  require(s.batch_apply_max_rows >= 1, "batch_apply_max_rows must be >= 1");
  require(s.scale_down_utilization_pct >= 0 && s.scale_down_utilization_pct < s.scale_up_utilization_pct,
          "scale_down_utilization_pct " + num(s.scale_down_utilization_pct) +
              " must be >= 0 and below scale_up_utilization_pct " + num(s.scale_up_utilization_pct));
}

}  // namespace migsim::models::dms
