// A DMS Serverless replication (its config and its run) from an on-prem MySQL to RDS over the VPN.
//
// start() walks the documented start-up statuses, then runs, in one place (replication.cpp,
// advance()):
//   Stage 1 full load: tables queued, up to MaxFullLoadSubTasks loading at once, each moved by a
//           BulkTransfer (source disk -> source host -> VPN -> target host -> target disk) and
//           committed on the target every CommitRate rows as chunks land;
//   Stage 2 CDC: binlog transactions committed after the start position are captured over the VPN
//           (cached during full load) and applied in commit order, exactly once, at a rate
//           proportional to the current DCU (cdc_apply.hpp);
//   Stage 3 validation: each table after its full load, by partitions on ThreadCount threads, then
//           CDC changes re-validated periodically (validation.hpp).
// The capacity follows memory use (capacity.hpp). stop() keeps the checkpoint (loaded rows per
// table, applied and recovery sequences); start() again resumes from it. A source that stays
// unreachable through the ErrorBehavior restart attempts fails the replication (error_behavior.hpp).
//
// The object must outlive the simulation run (events and activities refer to it).
#pragma once

#include "models/dms/capacity.hpp"
#include "models/dms/cdc_apply.hpp"
#include "models/dms/cdc_capture.hpp"
#include "models/dms/describe.hpp"
#include "models/dms/endpoint.hpp"
#include "models/dms/settings.hpp"
#include "models/dms/table_progress.hpp"
#include "models/dms/validation.hpp"
#include "models/mysql/database.hpp"
#include "models/network/bulk_transfer.hpp"
#include "sim/metrics.hpp"

#include <memory>
#include <string>
#include <vector>

namespace migsim::models::dms {

// A replication config (CreateReplicationConfig): endpoints, where the serverless capacity runs,
// and settings.
struct ReplicationConfig {
  std::string id;                             // ReplicationConfigIdentifier
  EndpointSpec source;
  EndpointSpec target;
  simgrid::s4u::Host* dms_host = nullptr;     // the serverless capacity's host (nullptr: the target's host)
  ReplicationSettings settings;
};

// One serverless replication: its lifecycle, the three stages and what Describe* would show.
class Replication {
public:
  // Validates config (throws std::invalid_argument naming the bad value). Metrics are registered
  // in `metrics` with the label {replication=<id>}.
  Replication(ReplicationConfig config, mysql::SourceDatabase& source, mysql::TargetDatabase& target,
              sim::Registry& metrics);
  ~Replication();
  Replication(const Replication&) = delete;
  Replication& operator=(const Replication&) = delete;

  // StartReplication: a fresh start, or a resume from the checkpoint after stop/failure.
  // Throws std::logic_error while starting, running or stopping.
  void start();
  // StopReplication: stopping, then stopped; the checkpoint is kept. Throws std::logic_error unless
  // starting or running.
  void stop();
  // A fault injected from outside (the mock endpoint's dms_fail event): the replication fails as on
  // a fatal error (status failed, checkpoint kept, resumable). Throws std::logic_error unless
  // starting or running.
  void inject_failure(const std::string& message);
  // ModifyReplicationConfig of the ErrorBehavior settings: allowed unless starting, running or
  // stopping (throws std::logic_error with the status, or std::invalid_argument for a bad value).
  void set_error_behavior(const ErrorBehavior& e);
  // The workload calls this after SourceDatabase::commit, so capture wakes up at once.
  void notify_commit();

  ReplicationDescription describe() const;
  std::vector<TableStatistics> table_statistics() const;
  const std::string& status() const { return status_; }
  const std::vector<StatusChange>& status_history() const { return status_history_; }
  const std::vector<CapacityPoint>& capacity_history() const { return scaler_.history(); }
  const ConnectionStatus& connection(EndpointRole role) const;
  double cdc_latency_source_s() const;
  double cdc_latency_target_s() const;
  double capacity_utilization_pct() const;
  double memory_used_gb() const;
  int capacity_dcu() const { return scaler_.dcu(); }
  const ReplicationConfig& config() const { return cfg_; }
  // The metric name of a family for this replication: family{replication=<id>}.
  std::string metric(const std::string& family) const;

private:

  // Lifecycle
  void enter_startup_step(size_t k, uint64_t epoch);
  void enter_running();
  void set_status(const std::string& status);
  void halt();
  void finish(const char* stop_reason);
  void fail(const std::string& message);
  bool running() const { return status_ == kStatusRunning; }
  bool does_full_load() const { return cfg_.settings.migration_type != MigrationType::Cdc; }
  bool does_cdc() const { return cfg_.settings.migration_type != MigrationType::FullLoad; }
  void schedule_advance();
  void advance();
  // Stage 1
  void start_table_load(TableProgress& t);
  void chunk_landed(TableProgress& t, double bytes);
  bool full_load_done() const;
  // Stage 2
  void try_apply();
  void wake_apply_at(double t_s);
  void apply_group_ended(uint64_t first, uint64_t last, uint64_t rows);
  // Control loop: capacity, metrics, checkpoint, health
  void tick();
  void mark_unreachable();
  void mark_reachable();

  ReplicationConfig cfg_;
  mysql::SourceDatabase& source_;
  mysql::TargetDatabase& target_;
  sim::Registry& metrics_;
  simgrid::s4u::Host* dms_host_;

  // Lifecycle state
  std::string status_ = kStatusCreated;
  std::string stop_reason_;
  std::vector<std::string> failure_messages_;
  std::vector<StatusChange> status_history_;
  uint64_t epoch_ = 0;              // bumped by stop/fail: late events of an earlier run are ignored
  bool advance_pending_ = false;
  bool ever_started_ = false;
  double fresh_start_s_ = -1, start_s_ = -1, stop_s_ = -1;
  std::string provision_state_;
  ConnectionTest source_test_, target_test_;
  CapacityScaler scaler_;

  // Stage 1 state
  std::vector<TableProgress> tables_;        // fixed size: events refer to its elements
  std::vector<std::unique_ptr<BulkTransfer>> transfers_;  // kept until exit (chunks may be in flight)
  double full_load_start_s_ = -1, full_load_finish_s_ = -1;
  double snapshot_bytes_ = 0;

  // Stage 2 state (the checkpoint is the target's applied seq plus recovery_seq_)
  uint64_t recovery_seq_ = 0;       // saved every checkpoint_interval_s: a resume re-reads after it
  CdcQueue cdc_;
  BinlogCapture capture_;
  bool apply_in_flight_ = false;
  double apply_wake_s_ = -1;
  double last_group_start_s_ = -1e300;
  uint64_t replays_skipped_ = 0;

  // Stage 3 state
  ValidationRunner validation_;
  double next_recheck_s_ = 0;

  // Control state
  double unreachable_since_s_ = -1;
  double last_activity_s_ = 0;
  double last_checkpoint_s_ = 0;
  uint64_t seen_committed_ = 0;

  // Metrics
  sim::TimeSeries& m_latency_source_;
  sim::TimeSeries& m_latency_target_;
  sim::TimeSeries& m_capacity_;
  sim::TimeSeries& m_utilization_;
  uint64_t& m_full_load_rows_;
  uint64_t& m_applied_tx_;
  uint64_t& m_applied_rows_;
  double& m_capture_wire_bytes_;
};

}  // namespace migsim::models::dms
