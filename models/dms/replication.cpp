#include "models/dms/replication.hpp"

#include "models/dms/error_behavior.hpp"
#include "models/dms/lifecycle.hpp"
#include "sim/event_log.hpp"

#include <algorithm>
#include <stdexcept>

namespace migsim::models::dms {

namespace {
double now() { return sim::Engine::instance().now(); }

// The config validated (settings, endpoint roles and hosts), with the DMS host defaulted.
ReplicationConfig checked(ReplicationConfig c)
{
  validate(c.settings);
  if (c.source.role != EndpointRole::Source || c.target.role != EndpointRole::Target)
    throw std::invalid_argument("replication " + c.id + ": the source endpoint must have role source and the target role target");
  for (const auto* e : {&c.source, &c.target}) {
    if (e->engine != "mysql")
      throw std::invalid_argument("endpoint " + e->id + ": engine \"" + e->engine + "\" is not supported (mysql)");
    if (!e->host || !e->disk_reader || !e->disk_writer)
      throw std::invalid_argument("endpoint " + e->id + ": host, disk reader and disk writer are required");
  }
  if (!c.dms_host)
    c.dms_host = c.target.host;
  return c;
}
}  // namespace

Replication::Replication(ReplicationConfig config, mysql::SourceDatabase& source, mysql::TargetDatabase& target,
                         sim::Registry& metrics)
    : cfg_(checked(std::move(config))), source_(source), target_(target), metrics_(metrics),
      dms_host_(cfg_.dms_host), source_test_(cfg_.source, cfg_.dms_host), target_test_(cfg_.target, cfg_.dms_host),
      scaler_(cfg_.settings),
      capture_(cfg_.settings, source, cdc_, cfg_.source.host, cfg_.dms_host,
               {.reachability = [this](bool up) { up ? mark_reachable() : mark_unreachable(); },
                .fail = [this](const std::string& why) { fail(why); },
                .captured = [this]() { schedule_advance(); }}),
      validation_(cfg_.settings, tables_, source, target, [this]() { schedule_advance(); }),
      m_latency_source_(metrics.series(metric("dms_cdc_latency_source_s"), sim::TimeSeries::Kind::Last)),
      m_latency_target_(metrics.series(metric("dms_cdc_latency_target_s"), sim::TimeSeries::Kind::Last)),
      m_capacity_(metrics.series(metric("dms_capacity_dcu"), sim::TimeSeries::Kind::Last)),
      m_utilization_(metrics.series(metric("dms_capacity_utilization_pct"), sim::TimeSeries::Kind::Last)),
      m_full_load_rows_(metrics.counter(metric("dms_full_load_rows"))),
      m_applied_tx_(metrics.counter(metric("dms_cdc_applied_transactions"))),
      m_applied_rows_(metrics.counter(metric("dms_cdc_applied_rows"))),
      m_capture_wire_bytes_(metrics.gauge(metric("dms_cdc_capture_wire_bytes")))
{
  for (size_t i = 0; i < source_.tables().size(); ++i) {
    TableProgress t;
    t.index = i;
    t.name = source_.tables()[i].name;
    t.rows = source_.tables()[i].rows;
    t.row_bytes = source_.tables()[i].row_bytes;
    tables_.push_back(t);
  }
  snapshot_bytes_ = source_.total_snapshot_bytes();
}

Replication::~Replication() = default;

// family{replication=<id>}.
std::string Replication::metric(const std::string& family) const { return family + "{replication=" + cfg_.id + "}"; }

// ---------------------------------------------------------------------------------------------
// Lifecycle: the start-up sequence, running, stopping/stopped, failed.

// StartReplication: a fresh start, or a resume from the checkpoint.
void Replication::start()
{
  if (!can_start(status_))
    throw std::logic_error("replication " + cfg_.id + " cannot start while " + status_);
  if (!ever_started_) {
    ever_started_ = true;
    const auto& s = cfg_.settings;
    recovery_seq_ = s.cdc_start_after_seq ? *s.cdc_start_after_seq : (does_full_load() ? 0 : source_.committed_seq());
  }
  // Resume from the checkpoint: re-read the binlog after the recovery position (the target skips
  // what it already applied) and reload each unfinished table from its committed rows.
  cdc_.reset(recovery_seq_);
  capture_.reset();
  apply_in_flight_ = false;
  apply_wake_s_ = -1;
  last_group_start_s_ = -1e300;
  validation_.reset();
  for (auto& t : tables_)
    if (t.state == kTableError)
      t.state = t.rows_committed > 0 ? kTableFullLoad : kTableBeforeLoad;
  stop_reason_.clear();
  failure_messages_.clear();
  ++epoch_;
  enter_startup_step(0, epoch_);
}

// Enters start-up status k (of kStartupSequence) and schedules the next one after its duration.
void Replication::enter_startup_step(size_t k, uint64_t epoch)
{
  if (epoch != epoch_)
    return;
  if (k == std::size(kStartupSequence)) {
    enter_running();
    return;
  }
  const std::string status = kStartupSequence[k].status;
  set_status(status);
  if (status == "testing_connection") {
    source_test_.start();
    target_test_.start();
  } else if (status == "provisioning_capacity") {
    provision_state_ = "provisioning";
  }
  sim::Engine::instance().at(now() + cfg_.settings.*kStartupSequence[k].duration_s, [this, k, epoch, status]() {
    if (epoch != epoch_)
      return;
    if (status == "testing_connection") {
      for (const auto* test : {&source_test_, &target_test_}) {
        const auto& c = test->status();
        if (c.status != "successful") {
          fail("Test connection failed for endpoint " + c.endpoint_id + ": " +
               (c.status == "testing" ? std::string("no answer within testing_connection_s") : c.last_failure_message));
          return;
        }
      }
    } else if (status == "provisioning_capacity") {
      provision_state_ = "provisioned";
      scaler_.provision(now(), cfg_.settings.min_capacity_units);
    }
    enter_startup_step(k + 1, epoch);
  });
}

// The last start-up step ended: running; the stages and the control loop begin.
void Replication::enter_running()
{
  set_status(kStatusRunning);
  start_s_ = now();
  if (fresh_start_s_ < 0)
    fresh_start_s_ = start_s_;
  unreachable_since_s_ = -1;
  last_activity_s_ = last_checkpoint_s_ = start_s_;
  next_recheck_s_ = start_s_ + cfg_.settings.validation_recheck_s;
  if (!does_full_load() && cfg_.settings.validation_enabled)
    for (auto& t : tables_)
      t.validation_queued = true;  // cdc only: the rows already on the target are validated too
  tick();
  schedule_advance();
}

// Records a status change (history and event log).
void Replication::set_status(const std::string& status)
{
  status_ = status;
  status_history_.push_back({now(), status});
  sim::EventLog::instance().record(now(), "dms:" + cfg_.id, "status " + status);
}

// Ends the current run: late events and activities of it are ignored from now on; loading
// transfers are paused and detached (rows landed but not committed will be loaded again).
void Replication::halt()
{
  ++epoch_;
  advance_pending_ = false;
  for (auto& t : tables_) {
    if (t.transfer) {
      t.transfer->pause();
      t.transfer->on_progress = nullptr;
      t.transfer->on_stall = nullptr;
      t.transfer = nullptr;
    }
    t.loading = false;
  }
  capture_.reset();
  apply_in_flight_ = false;
  validation_.reset();
}

// StopReplication from start-up or running.
void Replication::stop()
{
  if (!can_stop(status_))
    throw std::logic_error("replication " + cfg_.id + " cannot stop while " + status_);
  finish(kStopNormal);
}

// Ends the run: stopping for stopping_s, then stopped, with the given stop reason.
void Replication::finish(const char* stop_reason)
{
  halt();
  stop_reason_ = stop_reason;
  set_status(kStatusStopping);
  sim::Engine::instance().at(now() + cfg_.settings.stopping_s, [this, e = epoch_]() {
    if (e != epoch_)
      return;
    stop_s_ = now();
    set_status(kStatusStopped);
  });
}

// Ends the run at once in status failed (FATAL_ERROR) with a failure message.
void Replication::fail(const std::string& message)
{
  for (auto& t : tables_)
    if (t.loading)
      t.state = kTableError;
  halt();
  stop_reason_ = kStopFatalError;
  failure_messages_.push_back(message);
  stop_s_ = now();
  sim::EventLog::instance().record(now(), "dms:" + cfg_.id, "failed: " + message);
  set_status(kStatusFailed);
}

void Replication::inject_failure(const std::string& message)
{
  if (!can_stop(status_))
    throw std::logic_error("replication " + cfg_.id + " is " + status_ + ": only a starting or running replication can fail");
  fail(message.empty() ? std::string("injected failure") : message);
}

// Runs advance() once at the current instant (callbacks never advance the stages re-entrantly).
void Replication::schedule_advance()
{
  if (advance_pending_)
    return;
  advance_pending_ = true;
  sim::Engine::instance().at(now(), [this, e = epoch_]() {
    if (e != epoch_)
      return;
    advance_pending_ = false;
    advance();
  });
}

// The replication's work once running, in one place. Called (deferred) whenever a stage may move.
void Replication::advance()
{
  if (!running())
    return;
  const auto& s = cfg_.settings;

  /* Stage 1: full load: up to MaxFullLoadSubTasks tables at once, in table order */
  if (does_full_load()) {
    int loading = static_cast<int>(std::count_if(tables_.begin(), tables_.end(), [](auto& t) { return t.loading; }));
    for (auto& t : tables_) {
      if (loading >= s.max_full_load_subtasks)
        break;
      if (!t.loading && t.state != kTableCompleted) {
        start_table_load(t);
        ++loading;
      }
    }
  }

  /* Stage 2: CDC: capture from the start (cached during full load), apply once every table is loaded */
  if (does_cdc()) {
    capture_.poll();
    try_apply();
    if (!running())
      return;  // the binlog position was lost: failed
  }

  /* Stage 3: validation: tables after their full load, by partitions */
  if (s.validation_enabled)
    validation_.pump();

  /* End: a full-load replication stops once loaded (and validated) */
  if (!does_cdc() && full_load_done() && (!s.validation_enabled || validation_.done()))
    finish(kStopFullLoadOnlyFinished);
}

// ---------------------------------------------------------------------------------------------
// Stage 1: full load.

// Starts a full-load subtask: a BulkTransfer of the table's remaining rows, source disk to target disk.
void Replication::start_table_load(TableProgress& t)
{
  const auto& s = cfg_.settings;
  t.loading = true;
  t.state = kTableFullLoad;
  if (t.load_start_s < 0)
    t.load_start_s = now();
  if (full_load_start_s_ < 0)
    full_load_start_s_ = now();
  t.base_rows = t.rows_committed;
  t.landed_bytes = 0;
  if (t.rows_committed >= t.rows) {
    chunk_landed(t, 0.0);
    return;
  }
  BulkEndpoints ep{cfg_.source.disk_reader, cfg_.source.host, cfg_.target.host, cfg_.target.disk_writer};
  BulkOptions opt{.streams = s.streams_per_table, .chunk_bytes = s.chunk_mb * 1e6,
                  .wire_overhead = s.vpn_wire_overhead, .retry_after_s = s.transfer_retry_s};
  auto tr = std::make_unique<BulkTransfer>("dms:" + cfg_.id + ":" + t.name, ep, opt);
  tr->on_progress = [this, &t](double bytes) { chunk_landed(t, bytes); };
  tr->on_stall = [this]() { mark_unreachable(); };
  t.transfer = tr.get();
  transfers_.push_back(std::move(tr));
  t.transfer->add(t.remaining_bytes());
}

// A chunk was written at the target: commit every whole CommitRate batch of rows it completes
// (the rest of the table at its last chunk), then close the table when all its rows are there.
void Replication::chunk_landed(TableProgress& t, double bytes)
{
  mark_reachable();
  const auto [first, last] = t.land(bytes, static_cast<uint64_t>(cfg_.settings.commit_rate_rows));
  if (first <= last) {
    target_.load_range(t.index, first, last);
    m_full_load_rows_ += last - first + 1;
  }
  if (t.rows_committed < t.rows)
    return;
  t.state = kTableCompleted;
  t.loading = false;
  t.transfer = nullptr;
  t.load_end_s = now();
  t.validation_queued = cfg_.settings.validation_enabled;
  if (full_load_done()) {
    full_load_finish_s_ = now();
    sim::EventLog::instance().record(now(), "dms:" + cfg_.id, "full load finished");
  }
  schedule_advance();
}

// True when every table is "Table completed".
bool Replication::full_load_done() const
{
  return std::all_of(tables_.begin(), tables_.end(), [](auto& t) { return t.state == kTableCompleted; });
}

// ---------------------------------------------------------------------------------------------
// Stage 2: CDC capture (binlog over the VPN) and apply (in commit order, exactly once).

// The workload committed on the source: capture it now rather than at the next tick.
void Replication::notify_commit()
{
  if (!running() || !does_cdc())
    return;
  last_activity_s_ = now();
  capture_.poll();
}

// Starts the next apply group when cdc_apply's rules allow it, else wakes up when they will.
void Replication::try_apply()
{
  const auto& s = cfg_.settings;
  if (!running() || !does_cdc() || apply_in_flight_ || !cdc_.waiting())
    return;
  if (does_full_load() && !full_load_done())
    return;  // changes stay cached until every table is loaded
  if (!cfg_.target.host->is_on()) {
    wake_apply_at(now() + s.capture_retry_s);
    return;
  }
  const auto rows_of = [this](uint64_t seq) -> uint64_t {
    const auto* tx = source_.find(seq);
    return tx ? tx->changes.size() : 0;
  };
  const auto plan = plan_apply(s, scaler_.dcu(), now(), cdc_.next_apply_seq(), cdc_.captured_seq(),
                               cdc_.oldest_captured_s(), last_group_start_s_, rows_of);
  if (!plan.ready) {
    wake_apply_at(plan.wake_s);
    return;
  }
  apply_in_flight_ = true;
  last_group_start_s_ = now();
  sim::Engine::instance().at(now() + plan.duration_s, [this, e = epoch_, first = cdc_.next_apply_seq(), plan]() {
    if (e == epoch_)
      apply_group_ended(first, plan.last_seq, plan.rows);
  });
}

// Looks at the apply queue again at t_s (one pending wake-up at a time, the earliest).
void Replication::wake_apply_at(double t_s)
{
  if (apply_wake_s_ >= now() && apply_wake_s_ <= t_s)
    return;  // an earlier wake-up is already due
  apply_wake_s_ = t_s;
  sim::Engine::instance().at(t_s, [this, e = epoch_, t_s]() {
    if (e != epoch_)
      return;
    if (apply_wake_s_ == t_s)
      apply_wake_s_ = -1;
    try_apply();
  });
}

// The group's target transaction committed: every source transaction in it takes effect, in
// order; one the target already holds (re-read after a resume) is skipped by the target.
void Replication::apply_group_ended(uint64_t first, uint64_t last, uint64_t rows)
{
  for (uint64_t seq = first; seq <= last; ++seq) {
    const auto* tx = source_.find(seq);
    if (!tx) {
      fail("binlog position " + std::to_string(seq) + " vanished before it was applied");
      return;
    }
    if (!target_.apply(*tx)) {
      ++replays_skipped_;
      continue;
    }
    ++m_applied_tx_;
    m_applied_rows_ += tx->changes.size();
    for (const auto& ch : tx->changes) {
      auto& t = tables_[ch.table];
      ++(is_insert(source_, ch) ? t.inserts : t.updates);
      if (cfg_.settings.validation_enabled)
        ++t.cdc_pending;
    }
  }
  cdc_.applied(last, rows);
  apply_in_flight_ = false;
  schedule_advance();
}

// ---------------------------------------------------------------------------------------------
// Control loop: idleness, capacity, recovery checkpoint, reachability, capture tick, metrics.

// One control tick: idleness, capacity, recovery checkpoint, reachability, capture, recheck, metrics.
void Replication::tick()
{
  const auto& s = cfg_.settings;
  const double t = now();
  if (source_.committed_seq() != seen_committed_) {
    seen_committed_ = source_.committed_seq();
    last_activity_s_ = t;
  }
  const bool busy = cdc_.waiting_rows() > 0 || apply_in_flight_ || validation_.busy() > 0 ||
                    std::any_of(tables_.begin(), tables_.end(), [](auto& x) { return x.loading; });
  if (busy)
    last_activity_s_ = t;
  if (scaler_.observe(t, capacity_utilization_pct(), t - last_activity_s_))
    sim::EventLog::instance().record(t, "dms:" + cfg_.id, "capacity " + std::to_string(scaler_.dcu()) + " DCU");

  if (t - last_checkpoint_s_ >= s.checkpoint_interval_s) {
    last_checkpoint_s_ = t;
    recovery_seq_ = std::max(recovery_seq_, cdc_.applied_through());
    if (s.trim_source_binlog)
      source_.trim_binlog(recovery_seq_);
  }
  const auto& eb = s.error_behavior;
  if (const auto give_up = give_up_after_s(eb); unreachable_since_s_ >= 0 && give_up && t - unreachable_since_s_ >= *give_up) {
    const size_t attempts = restart_waits_s(eb, static_cast<size_t>(std::max(eb.recoverable_error_count, 64))).size();
    fail("source endpoint " + cfg_.source.id + " unreachable for " + sim::format_duration(t - unreachable_since_s_) +
         ": " + std::to_string(attempts) + " restart attempts failed (ErrorBehavior RecoverableErrorCount " +
         std::to_string(eb.recoverable_error_count) + ", RecoverableErrorThrottlingMax " +
         detail::num(eb.recoverable_error_throttling_max_s) + " s)");
    return;
  }
  if (does_cdc())
    capture_.poll();
  if (!running())
    return;
  if (s.validation_enabled && t >= next_recheck_s_) {
    next_recheck_s_ = t + s.validation_recheck_s;
    validation_.recheck();
  }
  m_latency_source_.add(t, cdc_latency_source_s());
  m_latency_target_.add(t, cdc_latency_target_s());
  m_capacity_.add(t, scaler_.dcu());
  m_utilization_.add(t, capacity_utilization_pct());
  m_capture_wire_bytes_ = capture_.wire_bytes();
  sim::Engine::instance().at(t + s.control_tick_s, [this, e = epoch_]() {
    if (e == epoch_)
      tick();
  });
}

void Replication::set_error_behavior(const ErrorBehavior& e)
{
  if (!can_start(status_))
    throw std::logic_error("the replication is " + status_ + ": stop it before modifying its settings");
  auto s = cfg_.settings;
  s.error_behavior = e;
  validate(s);
  cfg_.settings.error_behavior = e;
}

// The source could not be reached (capture or transfer failed): the outage clock starts.
void Replication::mark_unreachable()
{
  if (unreachable_since_s_ < 0)
    unreachable_since_s_ = now();
}

// Something came back from the source: the outage clock stops.
void Replication::mark_reachable() { unreachable_since_s_ = -1; }

// ---------------------------------------------------------------------------------------------
// What Describe* shows.

// CDCLatencySource: now - commit time of the last event captured (0 before any).
double Replication::cdc_latency_source_s() const
{
  const double last = capture_.last_captured_commit_s();
  return does_cdc() && last >= 0 ? now() - last : 0.0;
}

// CDCLatencyTarget: now - commit time of the oldest captured change not yet applied (0 when none).
double Replication::cdc_latency_target_s() const
{
  if (!cdc_.waiting())
    return 0.0;
  const auto* tx = source_.find(cdc_.next_apply_seq());
  return tx ? now() - tx->commit_t : 0.0;
}

// Memory in use: base + running subtasks + cached changes.
double Replication::memory_used_gb() const
{
  const auto& s = cfg_.settings;
  const auto loading = std::count_if(tables_.begin(), tables_.end(), [](auto& t) { return t.loading; });
  return s.base_memory_gb + static_cast<double>(loading) * s.memory_per_subtask_gb +
         static_cast<double>(cdc_.waiting_rows()) * s.memory_per_cached_change_kb * 1e3 / 1e9;
}

double Replication::capacity_utilization_pct() const { return 100.0 * memory_used_gb() / scaler_.memory_gb(); }

// The last connection test of an endpoint (DescribeConnections).
const ConnectionStatus& Replication::connection(EndpointRole role) const
{
  return role == EndpointRole::Source ? source_test_.status() : target_test_.status();
}

// DescribeReplications for this replication.
ReplicationDescription Replication::describe() const
{
  ReplicationDescription d;
  d.replication_config_identifier = cfg_.id;
  d.replication_type = to_string(cfg_.settings.migration_type);
  d.status = status_;
  d.stop_reason = stop_reason_;
  d.failure_messages = failure_messages_;
  d.provision_state = provision_state_;
  d.provisioned_capacity_units = provision_state_ == "provisioned" ? scaler_.dcu() : 0;
  double committed_bytes = 0;
  for (const auto& t : tables_) {
    committed_bytes += static_cast<double>(t.rows_committed) * t.row_bytes;
    d.tables_loaded += t.state == kTableCompleted;
    d.tables_loading += t.loading;
    d.tables_errored += t.state == kTableError;
    d.tables_queued += !t.loading && (t.state == kTableBeforeLoad || t.state == kTableFullLoad);
  }
  d.full_load_progress_percent = snapshot_bytes_ > 0 ? 100.0 * committed_bytes / snapshot_bytes_ : 100.0;
  d.elapsed_time_ms = start_s_ >= 0 ? 1000.0 * ((running() ? now() : std::max(stop_s_, start_s_)) - start_s_) : 0.0;
  d.fresh_start_date_s = fresh_start_s_;
  d.start_date_s = start_s_;
  d.stop_date_s = d.replication_last_stop_time_s = stop_s_;
  d.full_load_start_date_s = full_load_start_s_;
  d.full_load_finish_date_s = full_load_finish_s_;
  d.applied_seq = target_.applied_seq();
  d.recovery_seq = recovery_seq_;
  d.captured_seq = cdc_.captured_seq();
  d.cdc_latency_source_s = cdc_latency_source_s();
  d.cdc_latency_target_s = cdc_latency_target_s();
  d.capacity_utilization_pct = capacity_utilization_pct();
  d.cdc_changes_waiting = cdc_.waiting_rows();
  d.replays_skipped = replays_skipped_;
  d.capture_failures = capture_.failures();
  return d;
}

// DescribeReplicationTableStatistics.
std::vector<TableStatistics> Replication::table_statistics() const
{
  std::vector<TableStatistics> out;
  for (const auto& t : tables_)
    out.push_back(t.statistics(cfg_.settings.validation_enabled));
  return out;
}

}  // namespace migsim::models::dms
