// block_replication: one source server under AWS Application Migration Service (MGN). Its state
// (what DescribeSourceServers / DescribeJobs show: lifecycle, data replication, jobs, launched
// instances) is plain data advanced through the tables of lifecycle.hpp and launch_job.hpp; the
// physics is one BulkTransfer (agent disk -> agent -> VPN -> replication server -> staging volume)
// shared with everything else on the platform, and timed events on the Engine.
//
// The stages, in the order they run (numbered once, here, and in source_server.cpp):
//   Stage 0  agent: install_agent() -> PENDING_INSTALLATION for agent_install_s -> NOT_READY,
//            replication INITIATING for initiation_s (replication server, staging volumes).
//   Stage 1  initial sync: every disk byte through the BulkTransfer (INITIAL_SYNC), bounded by the
//            VPN's fair share, the throttle and the disks; then the first snapshot
//            (CREATING_SNAPSHOT, first_snapshot_s), after which the server is launchable:
//            NOT_READY -> READY_FOR_TEST and lagDuration becomes known.
//   Stage 2  continuous replication: writes fed by on_disk_write() (plus background_write_mbps)
//            are batched every feed_interval_s into the same transfer; CONTINUOUS while the data
//            fed before the last feed is within backlog_threshold_mb, BACKLOG above, STALLED while
//            sends fail (VPN outage) or nothing progresses for stall_after_s; a snapshot every
//            snapshot_interval_s. Writes made before Stage 1 starts are part of the disk it reads.
//   Stage 3  launch: start_test() / start_cutover() run LAUNCH jobs (cleanup of the previous test
//            instance, snapshot, conversion for conversion_s, boot for boot_s, drawn lognormal from
//            the given RandomStream) while Stage 2 goes on; finalize_cutover() ends replication.
#pragma once

#include "models/mgn/describe.hpp"
#include "models/mgn/launch_job.hpp"
#include "models/mgn/lifecycle.hpp"
#include "models/mgn/mgn_settings.hpp"
#include "models/network/bulk_transfer.hpp"
#include "sim/metrics.hpp"
#include "sim/rng.hpp"

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace simgrid::s4u {
class Host;
}
namespace migsim::sim {
class Platform;
}

namespace migsim::models::mgn {

class Launcher;

// 17 lowercase hex digits derived from a name, for deterministic MGN / EC2 ids.
std::string hex17(const std::string& name);

struct DiskSpec {
  std::string device_name = "/dev/sda";
  double bytes = 0.0;
};

// The source machine as MGN sees it (hostname, disks, size for right-sizing).
struct SourceServerSpec {
  std::string hostname;
  std::vector<DiskSpec> disks;
  int cores = 1;
  double ram_gb = 1.0;
};

// Where the bytes go: source disk (read) -> source host -> replication server -> staging volume.
struct ReplicationHosts {
  simgrid::s4u::Host* source = nullptr;
  simgrid::s4u::Host* source_disk = nullptr;   // disk-read host of the source (nullptr: no limit)
  simgrid::s4u::Host* replication = nullptr;
  simgrid::s4u::Host* staging_disk = nullptr;  // disk-write host of the replication server (nullptr: no limit)
};

// A scenario server as a source server: one disk of disk_gb.
SourceServerSpec source_server_spec(const sim::ServerSpec& server);
// The hosts of a source server and its replication server, taken from the platform.
ReplicationHosts replication_hosts(const sim::Platform& platform, const std::string& source,
                                   const std::string& replication_server);

// Where the server is in its stages (see above); Stage 3 runs alongside Continuous.
enum class Stage { Discovered, AgentInstall, Initiating, InitialSync, FirstSnapshot, Continuous, Disconnected };

struct Snapshot {
  std::string snapshot_id;
  double t_s = 0.0;
  double consistent_as_of_s = 0.0;  // source writes up to this time are in it
  double replicated_bytes = 0.0;
};

struct LifeCycleChange {
  double t_s;
  LifeCycleEvent event;
  LifeCycleState from;
  LifeCycleState to;
};

struct ReplicationChange {
  double t_s;
  DataReplicationState from;
  DataReplicationState to;
};

class SourceServer {
public:
  // Validates the settings (sim::InputError); the Engine must exist. Metrics are per-minute
  // series mgn_{replicated_bytes,backlog_bytes,lag_s}{server=<hostname>} (Kind::Last).
  SourceServer(SourceServerSpec spec, ReplicationHosts hosts, const MgnSettings& settings, sim::RandomStream rng,
               sim::Registry& metrics);
  ~SourceServer();
  SourceServer(const SourceServer&) = delete;
  SourceServer& operator=(const SourceServer&) = delete;

  const std::string& id() const { return id_; }
  const std::string& hostname() const { return spec_.hostname; }
  double disk_bytes() const { return disk_bytes_; }
  const MgnSettings& settings() const { return settings_; }

  // Stage 0: starts the agent installation (DISCOVERED -> PENDING_INSTALLATION).
  void install_agent();
  // Stage 2: the workload wrote bytes to this server's disks (replicated from Stage 1 on).
  void on_disk_write(double bytes);
  void pause_replication();   // PauseReplication
  void resume_replication();  // ResumeReplication

  // Stage 3 (MGN API operations). Illegal requests throw IllegalTransition, state unchanged.
  const Job& start_test();
  const Job& start_cutover();
  void change_lifecycle_state(LifeCycleState target);  // ChangeServerLifeCycleState
  void finalize_cutover();
  void mark_as_archived();
  const Job& terminate_target_instances();
  // The next launch job fails in this phase with this reason (for rollback paths).
  void inject_launch_failure(std::string reason, LaunchFailurePhase phase = LaunchFailurePhase::Boot);
  const LaunchConfiguration& launch_configuration() const;
  void update_launch_configuration(const LaunchConfiguration& config);

  LifeCycleState lifecycle_state() const { return lifecycle_; }
  DataReplicationState replication_state() const { return replication_state_; }
  Stage stage() const { return stage_; }
  bool archived() const { return archived_; }
  // Time since the server was last CONTINUOUS (0 while CONTINUOUS); nullopt until launchable
  // and after finalize, as lagDuration in the API.
  std::optional<double> lag_s() const;
  bool lagging() const { return lag_s().value_or(0.0) > settings_.lagging_after_s; }
  double replicated_bytes() const { return transfer_->done_bytes(); }  // disk + writes, durably staged
  double total_bytes() const { return transfer_->total_bytes() + pending_bytes_; }
  double backlog_bytes() const { return total_bytes() - replicated_bytes(); }
  double written_bytes() const { return written_bytes_; }  // writes accepted for replication
  std::optional<double> eta_s() const;                      // simulated time the backlog empties
  std::optional<double> recovery_point_s() const;           // newest source time fully staged
  std::optional<double> initial_sync_started_s() const { return sync_started_s_; }
  std::optional<double> initial_sync_done_s() const { return sync_done_s_; }
  const std::vector<Snapshot>& snapshots() const { return snapshots_; }
  const std::deque<Job>& jobs() const;
  const Job* find_job(const std::string& job_id) const;
  const std::deque<TargetInstance>& instances() const;
  const TargetInstance* find_instance(const std::string& ec2_instance_id) const;
  const std::vector<LifeCycleChange>& lifecycle_history() const { return lifecycle_history_; }
  const std::vector<ReplicationChange>& replication_history() const { return replication_history_; }
  const std::optional<DataReplicationErrorInfo>& replication_error() const { return error_; }

  SourceServerDescription describe() const;        // DescribeSourceServers item
  std::vector<JobDescription> describe_jobs() const;  // DescribeJobs items of this server
  BulkTransfer& transfer() { return *transfer_; }

private:
  friend class Launcher;  // Stage 3 moves the lifecycle and takes snapshots through the members below

  void schedule(double t, std::function<void()> fn);
  double now() const;
  void log(const std::string& message) const;
  LifeCycleState apply(LifeCycleEvent event);
  bool try_apply(LifeCycleEvent event);
  void set_replication_state(DataReplicationState to);
  void update_replication_state();
  bool transfer_stalled() const;
  // Stages 0 to 2.
  void agent_installed();
  void begin_initial_sync();
  void end_initial_sync();
  void first_snapshot_taken();
  void tick();
  const Snapshot& take_snapshot();
  std::string date_time(double t_s) const;

  SourceServerSpec spec_;
  ReplicationHosts hosts_;
  MgnSettings settings_;
  sim::RandomStream rng_;
  std::string id_;
  double disk_bytes_ = 0.0;
  sim::TimeSeries& replicated_series_;
  sim::TimeSeries& backlog_series_;
  sim::TimeSeries& lag_series_;
  std::unique_ptr<BulkTransfer> transfer_;
  std::unique_ptr<Launcher> launcher_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

  LifeCycleState lifecycle_ = LifeCycleState::DISCOVERED;
  DataReplicationState replication_state_ = DataReplicationState::STOPPED;
  Stage stage_ = Stage::Discovered;
  bool archived_ = false;
  bool paused_ = false;
  std::optional<DataReplicationErrorInfo> error_;

  double pending_bytes_ = 0.0;  // written, not yet fed to the transfer
  double written_bytes_ = 0.0;
  std::deque<std::pair<double, double>> feeds_;    // (feed time, transfer total after it), not yet staged
  std::optional<double> staged_as_of_s_;           // time of the newest feed fully staged
  std::deque<std::pair<double, double>> samples_;  // (time, done bytes) over eta_window_s
  double last_tick_s_ = 0.0;
  double progress_clock_s_ = 0.0;  // stall detection counts from here (sync start, resume)
  double last_continuous_s_ = 0.0;
  bool lag_known_ = false;
  double next_snapshot_s_ = 0.0;
  double added_s_ = 0.0;
  std::optional<double> first_byte_s_;
  std::optional<double> sync_started_s_;
  std::optional<double> sync_done_s_;
  std::optional<double> finalized_s_;

  std::vector<Snapshot> snapshots_;
  std::vector<LifeCycleChange> lifecycle_history_;
  std::vector<ReplicationChange> replication_history_;
};

}  // namespace migsim::models::mgn
