#include "models/mgn/source_server.hpp"

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

// 17 lowercase hex digits derived from a name: stable across runs, seeds and platforms.
std::string hex17(const std::string& name)
{
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx%llx", static_cast<unsigned long long>(sim::hash_name(name)),
                static_cast<unsigned long long>(sim::hash_name(name + "#") & 0xfULL));
  return buf;
}
}  // namespace

SourceServerSpec source_server_spec(const sim::ServerSpec& server)
{
  return {server.name, {{"/dev/sda", server.disk_gb * 1e9}}, server.cores, server.ram_gb};
}

ReplicationHosts replication_hosts(const sim::Platform& platform, const std::string& source,
                                   const std::string& replication_server)
{
  return {platform.host(source), platform.disk_reader(source), platform.host(replication_server),
          platform.disk_writer(replication_server)};
}

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

  launch_config_.name = spec_.hostname;
  launch_config_.ec2_launch_template_id = "lt-" + hex17("mgn-launch-template:" + id_);

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

SourceServer::~SourceServer() = default;

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

void SourceServer::log(const std::string& message) const
{
  sim::EventLog::instance().record(now(), "mgn:" + spec_.hostname, message);
}

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

bool SourceServer::try_apply(LifeCycleEvent event)
{
  if (!lifecycle_next(event, lifecycle_))
    return false;
  apply(event);
  return true;
}

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
    error_ = DataReplicationErrorInfo{"UNSTABLE_NETWORK", "no replication progress: sends to the replication server fail "
                                                          "or do not complete"};
  else if (from == DataReplicationState::STALLED)
    error_.reset();
}

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

void SourceServer::install_agent()
{
  apply(LifeCycleEvent::InstallAgent);
  stage_ = Stage::AgentInstall;
  schedule(now() + settings_.agent_install_s, [this]() { agent_installed(); });
}

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

void SourceServer::end_initial_sync()
{
  sync_done_s_ = last_continuous_s_ = now();
  stage_ = Stage::FirstSnapshot;
  log("initial sync of " + sim::format_number(disk_bytes_ / 1e9) + " GB done in " +
      sim::format_duration(now() - *sync_started_s_));
  update_replication_state();
  schedule(now() + settings_.first_snapshot_s, [this]() { first_snapshot_taken(); });
}

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

void SourceServer::on_disk_write(double bytes)
{
  if (bytes <= 0.0 || stage_ < Stage::InitialSync || stage_ == Stage::Disconnected)
    return;  // before Stage 1 the writes are part of the disk it will read; after finalize, gone
  pending_bytes_ += bytes;
  written_bytes_ += bytes;
}

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

void SourceServer::take_snapshot()
{
  const std::string sid = "snap-" + hex17(id_ + ":snapshot:" + std::to_string(snapshots_.size()));
  snapshots_.push_back({sid, now(), recovery_point_s().value_or(now()), replicated_bytes()});
}

void SourceServer::pause_replication()
{
  if (paused_ || stage_ < Stage::InitialSync || stage_ == Stage::Disconnected)
    throw IllegalTransition(id_, lifecycle_, "PauseReplication",
                            "data replication is " + std::string(to_string(replication_state_)));
  paused_ = true;
  transfer_->pause();
  update_replication_state();
}

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

std::optional<double> SourceServer::lag_s() const
{
  if (!lag_known_ || stage_ == Stage::Disconnected)
    return std::nullopt;
  return replication_state_ == DataReplicationState::CONTINUOUS ? 0.0 : now() - last_continuous_s_;
}

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

/* Stage 3: launch jobs (test and cutover), finalize, archive, terminate. */

const Job& SourceServer::start_test() { return start_launch(false); }
const Job& SourceServer::start_cutover() { return start_launch(true); }

const Job& SourceServer::start_launch(bool cutover)
{
  const auto event = cutover ? LifeCycleEvent::StartCutover : LifeCycleEvent::StartTest;
  if (const Job* running = running_launch_job())
    throw IllegalTransition(id_, lifecycle_, std::string(to_string(event)),
                            "launch job " + running->job_id + " is still running");
  apply(event);
  Job& job = new_job(JobType::LAUNCH, cutover ? InitiatedBy::START_CUTOVER : InitiatedBy::START_TEST);
  job.conversion_s = rng_.lognormal(settings_.conversion_s, settings_.conversion_cv);
  job.boot_s = rng_.lognormal(settings_.boot_s, settings_.boot_cv);
  const double u = rng_.uniform01();  // drawn always, so the stream does not depend on the probability
  const size_t index = jobs_.size() - 1;
  if (injected_failure_) {
    planned_failures_[index] = *injected_failure_;
    injected_failure_.reset();
  } else if (u < settings_.launch_failure_probability) {
    planned_failures_[index] = {LaunchFailurePhase::Boot, "instance failed its status checks (launch_failure_probability)"};
  }
  (cutover ? last_cutover_job_id_ : last_test_job_id_) = job.job_id;
  schedule(now() + settings_.job_start_delay_s, [this, index]() { launch_started(index); });
  return job;
}

Job& SourceServer::new_job(JobType type, InitiatedBy by)
{
  Job& job = jobs_.emplace_back();
  job.job_id = "mgnjob-" + hex17(id_ + ":job:" + std::to_string(jobs_.size()));
  job.type = type;
  job.initiated_by = by;
  job.creation_s = now();
  job.participating_servers.push_back({id_, LaunchStatus::PENDING, ""});
  log(std::string(to_string(by)) + " job " + job.job_id + " created");
  return job;
}

void SourceServer::launch_started(size_t index)
{
  Job& job = jobs_[index];
  set_status(job, JobStatus::STARTED);
  add_log(job, JobLogEvent::JOB_START);
  // A new test replaces the previous test instance; a cutover also removes test instances.
  add_log(job, JobLogEvent::CLEANUP_START);
  for (auto& inst : instances_)
    if (inst.is_test && inst.state != "terminated")
      terminate_instance(inst);
  add_log(job, JobLogEvent::CLEANUP_END);
  add_log(job, JobLogEvent::SNAPSHOT_START);
  take_snapshot();
  job.data_as_of_s = snapshots_.back().consistent_as_of_s;
  add_log(job, JobLogEvent::SNAPSHOT_END);
  set_launch_status(job, LaunchStatus::IN_PROGRESS);
  add_log(job, JobLogEvent::CONVERSION_START);
  schedule(now() + job.conversion_s, [this, index]() { conversion_ended(index); });
}

void SourceServer::conversion_ended(size_t index)
{
  Job& job = jobs_[index];
  const auto failure = planned_failures_.find(index);
  if (failure != planned_failures_.end() && failure->second.phase == LaunchFailurePhase::Conversion) {
    const std::string reason = failure->second.reason;
    add_log(job, JobLogEvent::CONVERSION_FAIL, {}, reason);
    launch_failed(index, reason);
    return;
  }
  add_log(job, JobLogEvent::CONVERSION_END);
  TargetInstance& inst = instances_.emplace_back();
  inst.ec2_instance_id = "i-" + hex17(job.job_id + ":instance");
  inst.instance_type = launch_config_.target_instance_type_right_sizing_method == RightSizing::BASIC
                           ? right_size(spec_.cores, spec_.ram_gb)
                           : launch_config_.template_instance_type;
  inst.is_test = job.initiated_by == InitiatedBy::START_TEST;
  inst.job_id = job.job_id;
  inst.launch_started_s = now();
  inst.data_as_of_s = job.data_as_of_s;
  job.participating_servers[0].launched_ec2_instance_id = inst.ec2_instance_id;
  add_log(job, JobLogEvent::LAUNCH_START, inst.ec2_instance_id);
  schedule(now() + job.boot_s, [this, index]() { boot_ended(index); });
}

void SourceServer::boot_ended(size_t index)
{
  Job& job = jobs_[index];
  auto it = std::find_if(instances_.begin(), instances_.end(), [&](const TargetInstance& i) { return i.job_id == job.job_id; });
  const auto failure = planned_failures_.find(index);
  if (failure != planned_failures_.end()) {
    const std::string reason = failure->second.reason;
    add_log(job, JobLogEvent::LAUNCH_FAILED, it->ec2_instance_id, reason);
    it->state = "terminated";
    it->terminated_s = now();
    launch_failed(index, reason);
    return;
  }
  it->state = launch_config_.launch_disposition == LaunchDisposition::STARTED ? "running" : "stopped";
  it->ready_s = now();
  set_launch_status(job, LaunchStatus::LAUNCHED);
  finish_job(job);
  if (job.initiated_by == InitiatedBy::START_CUTOVER)
    try_apply(LifeCycleEvent::CutoverLaunched);
}

// Rollback: the job completes with the server FAILED and the lifecycle returns to where it was.
void SourceServer::launch_failed(size_t index, std::string reason)
{
  Job& job = jobs_[index];
  planned_failures_.erase(index);
  job.failure_reason = std::move(reason);
  set_launch_status(job, LaunchStatus::FAILED);
  finish_job(job);
  log("launch job " + job.job_id + " failed: " + job.failure_reason);
  try_apply(job.initiated_by == InitiatedBy::START_CUTOVER ? LifeCycleEvent::CutoverLaunchFailed
                                                           : LifeCycleEvent::TestLaunchFailed);
}

void SourceServer::finish_job(Job& job)
{
  add_log(job, JobLogEvent::JOB_END);
  set_status(job, JobStatus::COMPLETED);
}

void SourceServer::add_log(Job& job, JobLogEvent event, std::string instance_id, std::string raw_error)
{
  job.log.push_back({now(), event, std::move(instance_id), std::move(raw_error)});
}

void SourceServer::set_status(Job& job, JobStatus to)
{
  if (!status_move_allowed(kJobStatusMoves, job.status, to))
    throw std::logic_error("mgn model bug: job " + job.job_id + " " + std::string(to_string(job.status)) + " -> " +
                           std::string(to_string(to)));
  job.status = to;
  if (to == JobStatus::STARTED)
    job.started_s = now();
  if (to == JobStatus::COMPLETED)
    job.end_s = now();
}

void SourceServer::set_launch_status(Job& job, LaunchStatus to)
{
  auto& p = job.participating_servers[0];
  if (!status_move_allowed(kLaunchStatusMoves, p.launch_status, to))
    throw std::logic_error("mgn model bug: launch status of job " + job.job_id + " " +
                           std::string(to_string(p.launch_status)) + " -> " + std::string(to_string(to)));
  p.launch_status = to;
}

void SourceServer::terminate_instance(TargetInstance& instance)
{
  instance.state = "terminated";
  instance.terminated_s = now();
  log("instance " + instance.ec2_instance_id + " terminated");
  for (auto& job : jobs_)
    if (job.job_id == instance.job_id && job.participating_servers[0].launch_status == LaunchStatus::LAUNCHED)
      set_launch_status(job, LaunchStatus::TERMINATED);
}

const Job* SourceServer::running_launch_job() const
{
  for (const auto& job : jobs_)
    if (job.type == JobType::LAUNCH && !job.finished())
      return &job;
  return nullptr;
}

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

void SourceServer::finalize_cutover()
{
  apply(LifeCycleEvent::FinalizeCutover);
  stage_ = Stage::Disconnected;
  paused_ = false;
  transfer_->pause();  // in-flight batches land; nothing new is sent
  finalized_s_ = now();
  update_replication_state();
}

void SourceServer::mark_as_archived()
{
  apply(LifeCycleEvent::MarkAsArchived);
  archived_ = true;
  log("archived");
}

const Job& SourceServer::terminate_target_instances()
{
  apply(LifeCycleEvent::TerminateTargetInstances);
  Job& job = new_job(JobType::TERMINATE, InitiatedBy::TERMINATE);
  const size_t index = jobs_.size() - 1;
  schedule(now() + settings_.job_start_delay_s, [this, index]() {
    Job& j = jobs_[index];
    set_status(j, JobStatus::STARTED);
    add_log(j, JobLogEvent::JOB_START);
    set_launch_status(j, LaunchStatus::IN_PROGRESS);
    schedule(now() + settings_.terminate_s, [this, index]() {
      Job& k = jobs_[index];
      for (auto& inst : instances_)
        if (inst.state != "terminated")
          terminate_instance(inst);
      set_launch_status(k, LaunchStatus::TERMINATED);
      finish_job(k);
    });
  });
  return job;
}

void SourceServer::inject_launch_failure(std::string reason, LaunchFailurePhase phase)
{
  if (reason.empty())
    reason = "injected launch failure";
  injected_failure_ = LaunchFailure{phase, std::move(reason)};
}

void SourceServer::update_launch_configuration(const LaunchConfiguration& config)
{
  if (config.target_instance_type_right_sizing_method == RightSizing::NONE &&
      !find_instance_type(config.template_instance_type))
    throw std::invalid_argument("mgn: UpdateLaunchConfiguration of " + id_ + ": unknown instance type \"" +
                                config.template_instance_type + "\"");
  const std::string template_id = launch_config_.ec2_launch_template_id;
  launch_config_ = config;
  launch_config_.ec2_launch_template_id = template_id;  // not updatable
  if (launch_config_.name.empty())
    launch_config_.name = spec_.hostname;
}

const Job* SourceServer::find_job(const std::string& job_id) const
{
  for (const auto& job : jobs_)
    if (job.job_id == job_id)
      return &job;
  return nullptr;
}

const TargetInstance* SourceServer::find_instance(const std::string& ec2_instance_id) const
{
  for (const auto& inst : instances_)
    if (inst.ec2_instance_id == ec2_instance_id)
      return &inst;
  return nullptr;
}

/* What DescribeSourceServers and DescribeJobs show. */

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
  if (!last_test_job_id_.empty())
    lc.last_test_job_id = last_test_job_id_;
  if (!last_cutover_job_id_.empty())
    lc.last_cutover_job_id = last_cutover_job_id_;
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

  for (auto it = instances_.rbegin(); it != instances_.rend(); ++it) {
    if (it->state == "terminated")
      continue;
    const char* first_boot = it->state == "running" ? "SUCCEEDED" : it->state == "stopped" ? "STOPPED" : "WAITING";
    d.launched_instance = LaunchedInstanceInfo{it->ec2_instance_id, it->job_id, first_boot};
    break;
  }
  return d;
}

std::vector<JobDescription> SourceServer::describe_jobs() const
{
  std::vector<JobDescription> out;
  for (const auto& job : jobs_)
    out.push_back(describe_job(job, settings_.epoch_unix_s));
  return out;
}

}  // namespace migsim::models::mgn
