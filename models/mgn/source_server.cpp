#include "models/mgn/source_server.hpp"

#include "models/mgn/launcher.hpp"

#include "sim/engine.hpp"
#include "sim/event_log.hpp"
#include "sim/platform.hpp"

#include <simgrid/s4u/Host.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace migsim::models::mgn {

namespace {
constexpr double kMB = 1e6;
constexpr double kMbit = 1e6 / 8.0;  // bytes per second in one Mbit/s
}  // namespace

// Stable across runs, seeds and platforms: FNV-1a of the name and of the name + "#".
std::string hex17(const std::string& name)
{
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx%llx", static_cast<unsigned long long>(sim::hash_name(name)),
                static_cast<unsigned long long>(sim::hash_name(name + "#") & 0xfULL));
  return buf;
}

// A scenario server as a source server: one disk of disk_gb, its cores and memory.
SourceServerSpec source_server_spec(const sim::ServerSpec& server)
{
  return {server.name, {{"/dev/sda", server.disk_gb * 1e9}}, server.cores, server.ram_gb};
}

// Source host and disk reader, replication host and its disk writer (the staging volume).
ReplicationHosts replication_hosts(const sim::Platform& platform, const std::string& source,
                                   const std::string& replication_server)
{
  return {platform.host(source), platform.disk_reader(source), platform.host(replication_server),
          platform.disk_writer(replication_server)};
}

// Checks the inputs, builds the transfer (throttle, streams, overhead) and the launcher.
SourceServer::SourceServer(SourceServerSpec spec, ReplicationHosts hosts, const MgnSettings& settings,
                           sim::RandomStream rng, sim::Registry& metrics)
    : spec_(std::move(spec)), hosts_(hosts), settings_(settings), rng_(rng),
      id_("s-" + hex17("mgn-source-server:" + spec_.hostname)),
      replicated_series_(metrics.series("mgn_replicated_bytes{server=" + spec_.hostname + "}", sim::TimeSeries::Kind::Last)),
      backlog_series_(metrics.series("mgn_backlog_bytes{server=" + spec_.hostname + "}", sim::TimeSeries::Kind::Last)),
      lag_series_(metrics.series("mgn_lag_s{server=" + spec_.hostname + "}", sim::TimeSeries::Kind::Last))
{
  validate(settings_);
  if (spec_.hostname.empty())
    throw std::invalid_argument("mgn: a source server needs a hostname");
  if (spec_.disks.empty())
    throw std::invalid_argument("mgn: source server " + spec_.hostname + " has no disk to replicate");
  for (const auto& d : spec_.disks) {
    if (!(d.bytes >= 0.0))
      throw std::invalid_argument("mgn: disk " + d.device_name + " of " + spec_.hostname + " has a negative size");
    disk_bytes_ += d.bytes;
  }
  if (!hosts_.source || !hosts_.replication)
    throw std::invalid_argument("mgn: source server " + spec_.hostname + " needs a source and a replication host");

  launcher_ = std::make_unique<Launcher>(*this);
  launcher_->configuration().name = spec_.hostname;
  launcher_->configuration().ec2_launch_template_id = "lt-" + hex17("mgn-launch-template:" + id_);

  BulkOptions options;
  options.streams = settings_.streams;
  options.chunk_bytes = settings_.chunk_mb * kMB;
  options.wire_overhead = settings_.wire_overhead;
  // The throttle caps bits on the wire; the transfer's limit is in payload bytes.
  options.rate_limit_Bps = settings_.throttle_mbps * kMbit / settings_.wire_overhead;
  options.retry_after_s = settings_.retry_after_s;
  transfer_ = std::make_unique<BulkTransfer>(
      "mgn:" + spec_.hostname,
      BulkEndpoints{hosts_.source_disk, hosts_.source, hosts_.replication, hosts_.staging_disk}, options);
  transfer_->on_progress = [this](double) {
    if (!first_byte_s_)
      first_byte_s_ = now();
    if (stage_ == Stage::InitialSync && transfer_->done_bytes() >= disk_bytes_)
      end_initial_sync();
    else if (replication_state_ == DataReplicationState::STALLED)
      update_replication_state();
  };
  transfer_->on_stall = [this]() { update_replication_state(); };

  added_s_ = now();
  const double staging_Bps = staging_write_mbps(settings_) * kMB;
  if (hosts_.staging_disk && std::abs(hosts_.staging_disk->get_speed() - staging_Bps) > 1e-6 * staging_Bps)
    log("staging disk host writes at " + sim::format_number(hosts_.staging_disk->get_speed() / kMB) +
        " MB/s, not the " + sim::format_number(staging_Bps / kMB) + " MB/s of staging_disk_type " +
        settings_.staging_disk_type + " (the platform decides)");
}

// Out of line: Launcher is complete only here.
SourceServer::~SourceServer() = default;

// Simulated time.
double SourceServer::now() const { return sim::Engine::instance().now(); }

// Runs fn at t unless this server is gone by then.
void SourceServer::schedule(double t, std::function<void()> fn)
{
  std::weak_ptr<bool> alive = alive_;
  sim::Engine::instance().at(t, [alive, fn = std::move(fn)]() {
    if (alive.lock())
      fn();
  });
}

// One line in the event log, component mgn:<hostname>.
void SourceServer::log(const std::string& message) const
{
  sim::EventLog::instance().record(now(), "mgn:" + spec_.hostname, message);
}

// Simulated time as an API DateTime.
std::string SourceServer::date_time(double t_s) const { return iso8601_datetime(settings_.epoch_unix_s + t_s); }

// Moves the lifecycle through the table, or throws IllegalTransition leaving it unchanged.
LifeCycleState SourceServer::apply(LifeCycleEvent event)
{
  const auto next = lifecycle_next(event, lifecycle_);
  if (!next)
    throw IllegalTransition(id_, lifecycle_, std::string(to_string(event)), "allowed from " + allowed_from(event));
  if (*next != lifecycle_) {
    lifecycle_history_.push_back({now(), event, lifecycle_, *next});
    log("lifecycle " + std::string(to_string(lifecycle_)) + " -> " + std::string(to_string(*next)));
    lifecycle_ = *next;
  }
  return lifecycle_;
}

// Applies event when the table allows it in the current state (model events racing user requests).
bool SourceServer::try_apply(LifeCycleEvent event)
{
  if (!lifecycle_next(event, lifecycle_))
    return false;
  apply(event);
  return true;
}

// Moves the data-replication state through its table, recording the change and the error shown.
void SourceServer::set_replication_state(DataReplicationState to)
{
  const auto from = replication_state_;
  if (from == to)
    return;
  if (!replication_move_allowed(from, to))
    throw std::logic_error("mgn model bug: data replication " + std::string(to_string(from)) + " -> " +
                           std::string(to_string(to)) + " is not in kReplicationMoves");
  replication_history_.push_back({now(), from, to});
  log("data replication " + std::string(to_string(from)) + " -> " + std::string(to_string(to)));
  replication_state_ = to;
  if (to == DataReplicationState::STALLED)
    error_ = hosts_.source->is_on()
                 ? DataReplicationErrorInfo{"UNSTABLE_NETWORK", "no replication progress: sends to the replication "
                                                                "server fail or do not complete"}
                 : DataReplicationErrorInfo{"AGENT_NOT_SEEN", "the source server is down"};
  else if (from == DataReplicationState::STALLED)
    error_.reset();
}

// True while sends fail, or while nothing has landed for stall_after_s with data to send.
bool SourceServer::transfer_stalled() const
{
  if (transfer_->stalled())
    return true;
  if (settings_.stall_after_s <= 0.0 || transfer_->idle())
    return false;
  return now() - std::max(transfer_->last_progress_s(), progress_clock_s_) > settings_.stall_after_s;
}

// The data-replication state that the stage and the transfer call for.
void SourceServer::update_replication_state()
{
  DataReplicationState want = replication_state_;
  switch (stage_) {
    case Stage::Discovered:
    case Stage::AgentInstall:
      want = DataReplicationState::STOPPED;
      break;
    case Stage::Initiating:
      want = DataReplicationState::INITIATING;
      break;
    case Stage::Disconnected:
      want = DataReplicationState::DISCONNECTED;
      break;
    default:
      if (paused_)
        want = DataReplicationState::PAUSED;
      else if (transfer_stalled())
        want = DataReplicationState::STALLED;
      else if (stage_ == Stage::InitialSync)
        want = DataReplicationState::INITIAL_SYNC;
      else if (stage_ == Stage::FirstSnapshot)
        want = DataReplicationState::CREATING_SNAPSHOT;
      else
        want = transfer_->backlog_bytes() > settings_.backlog_threshold_mb * kMB ? DataReplicationState::BACKLOG
                                                                                 : DataReplicationState::CONTINUOUS;
  }
  set_replication_state(want);
  if (replication_state_ == DataReplicationState::CONTINUOUS)
    last_continuous_s_ = now();
}

/* Stage 0: agent installation, then replication initiation (replication server, staging volumes). */

// InstallAgent: the agent installs for agent_install_s.
void SourceServer::install_agent()
{
  apply(LifeCycleEvent::InstallAgent);
  stage_ = Stage::AgentInstall;
  schedule(now() + settings_.agent_install_s, [this]() { agent_installed(); });
}

// NOT_READY: replication initiates for initiation_s; the feed/metrics tick starts.
void SourceServer::agent_installed()
{
  apply(LifeCycleEvent::AgentInstalled);
  stage_ = Stage::Initiating;
  update_replication_state();
  last_tick_s_ = now();
  schedule(now() + settings_.feed_interval_s, [this]() { tick(); });
  schedule(now() + settings_.initiation_s, [this]() { begin_initial_sync(); });
}

/* Stage 1: initial sync of every disk byte, then the first snapshot makes the server launchable. */

// Every disk byte goes into the transfer.
void SourceServer::begin_initial_sync()
{
  stage_ = Stage::InitialSync;
  sync_started_s_ = progress_clock_s_ = now();
  update_replication_state();
  feeds_.emplace_back(now(), disk_bytes_);
  if (disk_bytes_ > 0.0)
    transfer_->add(disk_bytes_);
  else
    end_initial_sync();
}

// The last disk byte landed: the first snapshot is being created.
void SourceServer::end_initial_sync()
{
  sync_done_s_ = last_continuous_s_ = now();
  stage_ = Stage::FirstSnapshot;
  log("initial sync of " + sim::format_number(disk_bytes_ / 1e9) + " GB done in " +
      sim::format_duration(now() - *sync_started_s_));
  update_replication_state();
  schedule(now() + settings_.first_snapshot_s, [this]() { first_snapshot_taken(); });
}

// Launchable: READY_FOR_TEST, lag known, Stage 2 from here on.
void SourceServer::first_snapshot_taken()
{
  if (stage_ != Stage::FirstSnapshot)
    return;
  take_snapshot();
  stage_ = Stage::Continuous;
  lag_known_ = true;
  next_snapshot_s_ = now() + settings_.snapshot_interval_s;
  try_apply(LifeCycleEvent::BecameLaunchable);
  update_replication_state();
}

/* Stage 2: continuous replication. Every feed_interval_s: judge the backlog left from earlier
   feeds, hand this interval's writes to the transfer, record metrics, take due snapshots. */

// Collects written bytes until the next feed tick.
void SourceServer::on_disk_write(double bytes)
{
  if (bytes <= 0.0 || stage_ < Stage::InitialSync || stage_ == Stage::Disconnected)
    return;  // before Stage 1 the writes are part of the disk it will read; after finalize, gone
  pending_bytes_ += bytes;
  written_bytes_ += bytes;
}

// The feed tick (every feed_interval_s): state, feed, recovery point, ETA window, metrics, snapshots.
void SourceServer::tick()
{
  if (stage_ == Stage::Disconnected)
    return;
  const double t = now();
  if (stage_ >= Stage::InitialSync) {
    const double background = settings_.background_write_mbps * kMB * (t - last_tick_s_);
    pending_bytes_ += background;
    written_bytes_ += background;
  }
  last_tick_s_ = t;
  update_replication_state();
  if (stage_ >= Stage::InitialSync && pending_bytes_ > 0.0) {
    transfer_->add(pending_bytes_);
    pending_bytes_ = 0.0;
    feeds_.emplace_back(t, transfer_->total_bytes());
  }
  while (!feeds_.empty() && feeds_.front().second <= transfer_->done_bytes() * (1 + 1e-12)) {
    staged_as_of_s_ = feeds_.front().first;
    feeds_.pop_front();
  }
  samples_.emplace_back(t, transfer_->done_bytes());
  while (samples_.size() > 2 && samples_[1].first <= t - settings_.eta_window_s)
    samples_.pop_front();

  replicated_series_.add(t, replicated_bytes());
  backlog_series_.add(t, backlog_bytes());
  if (const auto lag = lag_s())
    lag_series_.add(t, *lag);

  if (stage_ == Stage::Continuous && t >= next_snapshot_s_ - 1e-9) {
    if (replication_state_ == DataReplicationState::CONTINUOUS || replication_state_ == DataReplicationState::BACKLOG)
      take_snapshot();
    next_snapshot_s_ = t + settings_.snapshot_interval_s;
  }
  schedule(t + settings_.feed_interval_s, [this]() { tick(); });
}

// Records a snapshot of the staging volumes, consistent as of the recovery point.
const Snapshot& SourceServer::take_snapshot()
{
  const std::string sid = "snap-" + hex17(id_ + ":snapshot:" + std::to_string(snapshots_.size()));
  return snapshots_.emplace_back(Snapshot{sid, now(), recovery_point_s().value_or(now()), replicated_bytes()});
}

// PauseReplication: nothing new is sent; writes keep accumulating.
void SourceServer::pause_replication()
{
  if (paused_ || stage_ < Stage::InitialSync || stage_ == Stage::Disconnected)
    throw IllegalTransition(id_, lifecycle_, "PauseReplication",
                            "data replication is " + std::string(to_string(replication_state_)));
  paused_ = true;
  transfer_->pause();
  update_replication_state();
}

// ResumeReplication: the backlog is sent again.
void SourceServer::resume_replication()
{
  if (!paused_ || stage_ == Stage::Disconnected)
    throw IllegalTransition(id_, lifecycle_, "ResumeReplication",
                            "data replication is " + std::string(to_string(replication_state_)));
  paused_ = false;
  progress_clock_s_ = now();
  transfer_->resume();
  update_replication_state();
}

// lagDuration: 0 while CONTINUOUS, else time since the server was last CONTINUOUS.
std::optional<double> SourceServer::lag_s() const
{
  if (!lag_known_ || stage_ == Stage::Disconnected)
    return std::nullopt;
  return replication_state_ == DataReplicationState::CONTINUOUS ? 0.0 : now() - last_continuous_s_;
}

// etaDateTime: what is left (disk during Stage 1, backlog after) at the throughput of eta_window_s.
std::optional<double> SourceServer::eta_s() const
{
  const double done = transfer_->done_bytes();
  const double remaining = stage_ == Stage::InitialSync ? std::max(0.0, disk_bytes_ - done) : backlog_bytes();
  if (remaining <= 0.0 || samples_.size() < 2 || stage_ < Stage::InitialSync || stage_ == Stage::Disconnected)
    return std::nullopt;
  const double span = samples_.back().first - samples_.front().first;
  const double rate = span > 0.0 ? (samples_.back().second - samples_.front().second) / span : 0.0;
  if (rate <= 0.0)
    return std::nullopt;
  return now() + remaining / rate;
}

// Newest time whose writes are all staged (bytes are counted as landing in the order they were fed).
std::optional<double> SourceServer::recovery_point_s() const
{
  if (!sync_done_s_)
    return std::nullopt;
  std::optional<double> rp = staged_as_of_s_;
  for (const auto& [t, total] : feeds_) {
    if (total > transfer_->done_bytes() * (1 + 1e-12))
      return rp;
    rp = t;
  }
  return pending_bytes_ > 0.0 ? rp : std::optional<double>(now());  // all fed data is staged
}

/* Stage 3: launch jobs (test and cutover), finalize, archive, terminate; jobs run in launcher.hpp. */

// StartTest, StartCutover, TerminateTargetInstances and the job views: see launcher.hpp.
const Job& SourceServer::start_test() { return launcher_->start(false); }
const Job& SourceServer::start_cutover() { return launcher_->start(true); }
const Job& SourceServer::terminate_target_instances() { return launcher_->terminate_all(); }
const std::deque<Job>& SourceServer::jobs() const { return launcher_->jobs(); }
const std::deque<TargetInstance>& SourceServer::instances() const { return launcher_->instances(); }
const LaunchConfiguration& SourceServer::launch_configuration() const { return launcher_->configuration(); }

// UpdateLaunchConfiguration (the launch template id stays).
void SourceServer::update_launch_configuration(const LaunchConfiguration& config)
{
  launcher_->update_configuration(config);
}

// The next launch job fails in phase with reason.
void SourceServer::inject_launch_failure(std::string reason, LaunchFailurePhase phase)
{
  launcher_->inject_failure(std::move(reason), phase);
}

// ChangeServerLifeCycleState: only READY_FOR_TEST and READY_FOR_CUTOVER may be requested.
void SourceServer::change_lifecycle_state(LifeCycleState target)
{
  if (target == LifeCycleState::READY_FOR_TEST)
    apply(LifeCycleEvent::RevertToReadyForTest);
  else if (target == LifeCycleState::READY_FOR_CUTOVER)
    apply(LifeCycleEvent::MarkReadyForCutover);
  else
    throw IllegalTransition(id_, lifecycle_, "ChangeServerLifeCycleState(" + std::string(to_string(target)) + ")",
                            "only READY_FOR_TEST or READY_FOR_CUTOVER can be requested");
}

// FinalizeCutover: replication stops (batches in flight land) and the server is DISCONNECTED.
void SourceServer::finalize_cutover()
{
  apply(LifeCycleEvent::FinalizeCutover);
  stage_ = Stage::Disconnected;
  paused_ = false;
  transfer_->pause();
  finalized_s_ = now();
  update_replication_state();
}

// MarkAsArchived: the flag only; the state stays.
void SourceServer::mark_as_archived()
{
  apply(LifeCycleEvent::MarkAsArchived);
  archived_ = true;
  log("archived");
}

// The job with this id, or nullptr.
const Job* SourceServer::find_job(const std::string& job_id) const
{
  for (const auto& job : jobs())
    if (job.job_id == job_id)
      return &job;
  return nullptr;
}

// The instance with this id, or nullptr.
const TargetInstance* SourceServer::find_instance(const std::string& ec2_instance_id) const
{
  for (const auto& inst : instances())
    if (inst.ec2_instance_id == ec2_instance_id)
      return &inst;
  return nullptr;
}

/* What DescribeSourceServers and DescribeJobs show. */

// DescribeSourceServers item.
SourceServerDescription SourceServer::describe() const
{
  SourceServerDescription d;
  d.source_server_id = id_;
  d.hostname = spec_.hostname;
  d.is_archived = archived_;
  auto& lc = d.life_cycle;
  lc.state = to_string(lifecycle_);
  lc.added_to_service_date_time = date_time(added_s_);
  if (first_byte_s_)
    lc.first_byte_date_time = date_time(*first_byte_s_);
  if (sync_started_s_)
    lc.elapsed_replication_duration = iso8601_duration(finalized_s_.value_or(now()) - *sync_started_s_);
  if (!launcher_->last_test_job_id().empty())
    lc.last_test_job_id = launcher_->last_test_job_id();
  if (!launcher_->last_cutover_job_id().empty())
    lc.last_cutover_job_id = launcher_->last_cutover_job_id();
  if (finalized_s_)
    lc.last_cutover_finalized_date_time = date_time(*finalized_s_);

  auto& dri = d.data_replication_info;
  dri.data_replication_state = to_string(replication_state_);
  if (const auto lag = lag_s())
    dri.lag_duration = iso8601_duration(*lag);
  if (const auto eta = eta_s())
    dri.eta_date_time = date_time(*eta);
  // The initial sync fills the disks in order; later writes are spread over them by size.
  const double done = transfer_->done_bytes();
  const double sync_left = std::max(0.0, disk_bytes_ - done);
  const double write_backlog = std::max(0.0, backlog_bytes() - sync_left);
  double offset = 0.0;
  for (const auto& disk : spec_.disks) {
    const double replicated = std::clamp(std::min(done, disk_bytes_) - offset, 0.0, disk.bytes);
    const double share = disk_bytes_ > 0.0 ? disk.bytes / disk_bytes_ : 1.0 / static_cast<double>(spec_.disks.size());
    dri.replicated_disks.push_back({disk.device_name, disk.bytes, replicated, 0.0, write_backlog * share});
    offset += disk.bytes;
  }
  dri.data_replication_error = error_;
  if (!snapshots_.empty())
    dri.last_snapshot_date_time = date_time(snapshots_.back().t_s);

  for (auto it = instances().rbegin(); it != instances().rend(); ++it) {
    if (it->state == "terminated")
      continue;
    const char* first_boot = it->state == "running" ? "SUCCEEDED" : it->state == "stopped" ? "STOPPED" : "WAITING";
    d.launched_instance = LaunchedInstanceInfo{it->ec2_instance_id, it->job_id, first_boot};
    break;
  }
  return d;
}

// DescribeJobs items of this server.
std::vector<JobDescription> SourceServer::describe_jobs() const
{
  std::vector<JobDescription> out;
  for (const auto& job : jobs())
    out.push_back(describe_job(job, settings_.epoch_unix_s));
  return out;
}

}  // namespace migsim::models::mgn
