// What DescribeReplications and DescribeReplicationTableStatistics would show for a DMS Serverless
// replication, as plain structs (AWS field names in comments; times in simulated seconds, -1 when
// the event has not happened). The wire layer shapes these into JSON; the model only fills them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace migsim::models::dms {

// Replication statuses, in the documented start-up order, then the end states.
inline constexpr const char* kStatusCreated = "created";  // configured, never started (model's own)
inline constexpr const char* kStatusRunning = "running";
inline constexpr const char* kStatusStopping = "stopping";
inline constexpr const char* kStatusStopped = "stopped";
inline constexpr const char* kStatusFailed = "failed";

// Stop reasons (ReplicationTask/Replication StopReason values).
inline constexpr const char* kStopNormal = "Stop Reason NORMAL";
inline constexpr const char* kStopFullLoadOnlyFinished = "Stop Reason FULL_LOAD_ONLY_FINISHED";
inline constexpr const char* kStopFatalError = "Stop Reason FATAL_ERROR";

// Table states (TableStatistics.TableState).
inline constexpr const char* kTableBeforeLoad = "Before load";
inline constexpr const char* kTableFullLoad = "Full load";
inline constexpr const char* kTableCompleted = "Table completed";
inline constexpr const char* kTableError = "Table error";

// DMS table validation states (TableStatistics.ValidationState).
inline constexpr const char* kValidationNotEnabled = "Not enabled";
inline constexpr const char* kValidationPending = "Pending records";
inline constexpr const char* kValidated = "Validated";
inline constexpr const char* kValidationMismatched = "Mismatched records";

// A status the replication entered, and when.
struct StatusChange {
  double t_s;
  std::string status;
};

// One Replication element of DescribeReplications, plus the CloudWatch CDC and capacity metrics.
struct ReplicationDescription {
  std::string replication_config_identifier;  // ReplicationConfigIdentifier
  std::string replication_type;               // ReplicationType
  std::string status;                         // Status
  std::string stop_reason;                    // StopReason ("" until stopped)
  std::vector<std::string> failure_messages;  // FailureMessages
  // ProvisionData
  std::string provision_state;                // ProvisionState: "", provisioning, provisioned
  int provisioned_capacity_units = 0;         // ProvisionedCapacityUnits (DCU)
  // ReplicationStats
  double full_load_progress_percent = 0.0;    // FullLoadProgressPercent (bytes committed / snapshot bytes)
  double elapsed_time_ms = 0.0;               // ElapsedTimeMillis (since StartDate)
  int tables_loaded = 0, tables_loading = 0, tables_queued = 0, tables_errored = 0;
  double fresh_start_date_s = -1.0;           // FreshStartDate (first start)
  double start_date_s = -1.0;                 // StartDate (latest start, fresh or resume)
  double stop_date_s = -1.0;                  // StopDate
  double full_load_start_date_s = -1.0;       // FullLoadStartDate (first chunk started)
  double full_load_finish_date_s = -1.0;      // FullLoadFinishDate (last chunk committed)
  double replication_last_stop_time_s = -1.0; // ReplicationLastStopTime
  // RecoveryCheckpoint, as binlog sequences
  uint64_t applied_seq = 0;                   // last transaction the target committed
  uint64_t recovery_seq = 0;                  // last saved checkpoint: a resume re-reads after it
  uint64_t captured_seq = 0;                  // last transaction captured from the source
  // CloudWatch
  double cdc_latency_source_s = 0.0;          // CDCLatencySource
  double cdc_latency_target_s = 0.0;          // CDCLatencyTarget
  double capacity_utilization_pct = 0.0;      // CapacityUtilization
  uint64_t cdc_changes_waiting = 0;           // captured row changes not yet applied (memory)
  uint64_t replays_skipped = 0;               // re-read transactions the target had already applied
  uint64_t capture_failures = 0;
};

// One element of DescribeReplicationTableStatistics.
struct TableStatistics {
  std::string table_name;                     // TableName
  std::string table_state;                    // TableState
  uint64_t full_load_rows = 0;                // FullLoadRows (committed on the target)
  uint64_t inserts = 0;                       // Inserts (CDC)
  uint64_t updates = 0;                       // Updates (CDC)
  uint64_t deletes = 0;                       // Deletes (the workload model never deletes)
  std::string validation_state;               // ValidationState
  uint64_t validation_pending_records = 0;    // ValidationPendingRecords
  uint64_t validation_failed_records = 0;     // ValidationFailedRecords
  double full_load_start_s = -1.0;            // FullLoadStartTime
  double full_load_end_s = -1.0;              // FullLoadEndTime
};

}  // namespace migsim::models::dms
