#include "models/dms/replication.hpp"

#include "models/dms/cdc_apply.hpp"
#include "models/dms/validation.hpp"
#include "sim/event_log.hpp"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sg4 = simgrid::s4u;

namespace migsim::models::dms {

namespace {
// The documented start-up sequence, each status held for its duration parameter.
struct StartupStep {
  const char* status;
  double ReplicationSettings::*duration_s;
};
constexpr StartupStep kStartup[] = {
    {"initializing", &ReplicationSettings::initializing_s},
    {"preparing_metadata_resources", &ReplicationSettings::preparing_metadata_resources_s},
    {"testing_connection", &ReplicationSettings::testing_connection_s},
    {"fetching_metadata", &ReplicationSettings::fetching_metadata_s},
    {"calculating_capacity", &ReplicationSettings::calculating_capacity_s},
    {"provisioning_capacity", &ReplicationSettings::provisioning_capacity_s},
    {"replication_starting", &ReplicationSettings::replication_starting_s},
};
constexpr double kHeartbeatBytes = 64.0;

double now() { return sim::Engine::instance().now(); }

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

// Per-table progress: full-load checkpoint, CDC counts and validation.
struct Replication::TableRun {
  size_t index = 0;
  uint64_t rows = 0;
  double row_bytes = 0;
  std::string state = kTableBeforeLoad;
  bool loading = false;
  uint64_t rows_committed = 0;  // checkpoint: rows [1, rows_committed] are on the target
  uint64_t base_rows = 0;       // rows_committed when the current transfer started
  double landed_bytes = 0;      // written at the target by the current transfer
  BulkTransfer* transfer = nullptr;
  double load_start_s = -1, load_end_s = -1;
  uint64_t inserts = 0, updates = 0;
  bool validation_queued = false, validation_done = false;
  uint64_t validation_issued = 0, validation_rows_done = 0, cdc_pending = 0, failed_records = 0;
  std::string validation_state = kValidationPending;
};

// One capture message on the wire (source host -> replication host); its end calls `done`.
struct Replication::Step final : sim::CompletionTarget {
  std::function<void(bool)> done;
  void on_activity_end(bool ok) override
  {
    auto f = std::move(done);
    done = nullptr;
    if (f)
      f(ok);
  }
};

Replication::Replication(ReplicationConfig config, mysql::SourceDatabase& source, mysql::TargetDatabase& target,
                         sim::Registry& metrics)
    : cfg_(checked(std::move(config))), source_(source), target_(target), metrics_(metrics),
      dms_host_(cfg_.dms_host), source_test_(cfg_.source, cfg_.dms_host), target_test_(cfg_.target, cfg_.dms_host),
      scaler_(cfg_.settings), m_latency_source_(metrics.series(metric("dms_cdc_latency_source_s"), sim::TimeSeries::Kind::Last)),
      m_latency_target_(metrics.series(metric("dms_cdc_latency_target_s"), sim::TimeSeries::Kind::Last)),
      m_capacity_(metrics.series(metric("dms_capacity_dcu"), sim::TimeSeries::Kind::Last)),
      m_utilization_(metrics.series(metric("dms_capacity_utilization_pct"), sim::TimeSeries::Kind::Last)),
      m_full_load_rows_(metrics.counter(metric("dms_full_load_rows"))),
      m_applied_tx_(metrics.counter(metric("dms_cdc_applied_transactions"))),
      m_applied_rows_(metrics.counter(metric("dms_cdc_applied_rows"))),
      m_capture_bytes_(metrics.counter(metric("dms_cdc_captured_bytes")))
{
  for (size_t i = 0; i < source_.tables().size(); ++i) {
    TableRun t;
    t.index = i;
    t.rows = source_.tables()[i].rows;
    t.row_bytes = source_.tables()[i].row_bytes;
    tables_.push_back(t);
  }
  snapshot_bytes_ = source_.total_snapshot_bytes();
  capture_route_ = sim::route_links(cfg_.source.host, dms_host_);
  // A link or host going down breaks the capture message on the wire.
  topology_ = sim::Engine::instance().subscribe_topology([this]() {
    if (cfg_.source.host->is_on() && dms_host_->is_on() && sim::route_up(capture_route_))
      return;
    for (auto& st : steps_)
      if (st->current_activity)
        st->current_activity->cancel();
  });
}

Replication::~Replication()
{
  sim::Engine::instance().unsubscribe_topology(topology_);
  for (auto& st : steps_)
    if (st->current_activity)
      st->current_activity.detach();
}

std::string Replication::metric(const std::string& family) const { return family + "{replication=" + cfg_.id + "}"; }

// ---------------------------------------------------------------------------------------------
// Lifecycle: the start-up sequence, running, stopping/stopped, failed.

void Replication::start()
{
  if (status_ != kStatusCreated && status_ != kStatusStopped && status_ != kStatusFailed)
    throw std::logic_error("replication " + cfg_.id + " cannot start while " + status_);
  if (!ever_started_) {
    ever_started_ = true;
    const auto& s = cfg_.settings;
    recovery_seq_ = s.cdc_start_after_seq ? *s.cdc_start_after_seq : (does_full_load() ? 0 : source_.committed_seq());
  }
  // Resume from the checkpoint: re-read the binlog after the recovery position (the target skips
  // what it already applied) and reload each unfinished table from its committed rows.
  captured_seq_ = recovery_seq_;
  next_apply_seq_ = recovery_seq_ + 1;
  batches_.clear();
  waiting_rows_ = 0;
  capture_in_flight_ = apply_in_flight_ = false;
  apply_wake_s_ = -1;
  last_group_start_s_ = -1e300;
  capture_retry_at_s_ = 0;
  validation_busy_ = 0;
  for (auto& t : tables_) {
    if (t.state == kTableError)
      t.state = t.rows_committed > 0 ? kTableFullLoad : kTableBeforeLoad;
    t.validation_issued = t.validation_rows_done;
  }
  stop_reason_.clear();
  failure_messages_.clear();
  ++epoch_;
  enter_startup_step(0, epoch_);
}

void Replication::enter_startup_step(size_t k, uint64_t epoch)
{
  if (epoch != epoch_)
    return;
  if (k == std::size(kStartup)) {
    enter_running();
    return;
  }
  const std::string status = kStartup[k].status;
  set_status(status);
  if (status == "testing_connection") {
    source_test_.start();
    target_test_.start();
  } else if (status == "provisioning_capacity") {
    provision_state_ = "provisioning";
  }
  sim::Engine::instance().at(now() + cfg_.settings.*kStartup[k].duration_s, [this, k, epoch, status]() {
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

void Replication::enter_running()
{
  set_status(kStatusRunning);
  start_s_ = now();
  if (fresh_start_s_ < 0)
    fresh_start_s_ = start_s_;
  unreachable_since_s_ = -1;
  last_activity_s_ = last_checkpoint_s_ = start_s_;
  last_contact_s_ = -1e300;
  next_recheck_s_ = start_s_ + cfg_.settings.validation_recheck_s;
  if (!does_full_load() && cfg_.settings.validation_enabled)
    for (auto& t : tables_)
      t.validation_queued = true;  // cdc only: the rows already on the target are validated too
  tick();
  schedule_advance();
}

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
  capture_in_flight_ = apply_in_flight_ = false;
  validation_busy_ = 0;
}

void Replication::stop()
{
  if (status_ == kStatusCreated || status_ == kStatusStopping || status_ == kStatusStopped || status_ == kStatusFailed)
    throw std::logic_error("replication " + cfg_.id + " cannot stop while " + status_);
  finish(kStopNormal);
}

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
    try_capture();
    try_apply();
  }

  /* Stage 3: validation: tables after their full load, by partitions */
  if (s.validation_enabled)
    pump_validation();

  /* End: a full-load replication stops once loaded (and validated) */
  if (!does_cdc() && full_load_done() && (!s.validation_enabled || validation_done()))
    finish(kStopFullLoadOnlyFinished);
}

// ---------------------------------------------------------------------------------------------
// Stage 1: full load.

void Replication::start_table_load(TableRun& t)
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
  auto tr = std::make_unique<BulkTransfer>("dms:" + cfg_.id + ":" + source_.tables()[t.index].name, ep, opt);
  tr->on_progress = [this, &t](double bytes) { chunk_landed(t, bytes); };
  tr->on_stall = [this]() { mark_unreachable(); };
  t.transfer = tr.get();
  transfers_.push_back(std::move(tr));
  t.transfer->add(static_cast<double>(t.rows - t.rows_committed) * t.row_bytes);
}

// A chunk was written at the target: commit every whole CommitRate batch of rows it completes
// (the rest of the table at its last chunk), then close the table when all its rows are there.
void Replication::chunk_landed(TableRun& t, double bytes)
{
  mark_reachable();
  t.landed_bytes += bytes;
  const uint64_t remaining = t.rows - t.base_rows;
  const auto landed = t.base_rows + std::min(remaining, static_cast<uint64_t>(std::floor(t.landed_bytes / t.row_bytes + 1e-6)));
  const auto rate = static_cast<uint64_t>(cfg_.settings.commit_rate_rows);
  const uint64_t commit_to = landed == t.rows ? t.rows : t.rows_committed + (landed - t.rows_committed) / rate * rate;
  if (commit_to > t.rows_committed) {
    target_.load_range(t.index, t.rows_committed + 1, commit_to);
    m_full_load_rows_ += commit_to - t.rows_committed;
    t.rows_committed = commit_to;
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

bool Replication::full_load_done() const
{
  return std::all_of(tables_.begin(), tables_.end(), [](auto& t) { return t.state == kTableCompleted; });
}

// ---------------------------------------------------------------------------------------------
// Stage 2: CDC capture (binlog over the VPN) and apply (in commit order, exactly once).

void Replication::notify_commit()
{
  if (!running() || !does_cdc())
    return;
  last_activity_s_ = now();
  try_capture();
}

// Sends the next capture message: every transaction committed and not yet captured (up to
// capture_batch_max_mb), or a heartbeat when there is none and the source has been quiet.
void Replication::try_capture()
{
  const auto& s = cfg_.settings;
  if (!running() || !does_cdc() || capture_in_flight_ || now() < capture_retry_at_s_)
    return;
  const uint64_t committed = source_.committed_seq();
  uint64_t last = captured_seq_, rows = 0;
  double bytes = 0;
  for (uint64_t seq = captured_seq_ + 1; seq <= committed && bytes < s.capture_batch_max_mb * 1e6; ++seq) {
    const auto* tx = source_.find(seq);
    if (!tx) {
      fail("binlog position " + std::to_string(seq) + " is no longer available on the source");
      return;
    }
    bytes += tx->bytes;
    rows += tx->changes.size();
    last = seq;
  }
  if (last == captured_seq_) {
    if (now() - last_contact_s_ < s.source_heartbeat_s)
      return;
    bytes = kHeartbeatBytes;
  }
  const double sent_s = now();
  if (!cfg_.source.host->is_on() || !dms_host_->is_on() || !sim::route_up(capture_route_)) {
    capture_ended(false, last, rows, sent_s);
    return;
  }
  capture_in_flight_ = true;
  auto& step = free_step();
  step.done = [this, e = epoch_, last, rows, sent_s](bool ok) {
    if (e == epoch_)
      capture_ended(ok, last, rows, sent_s);
  };
  const double wire = std::max(1.0, bytes * s.vpn_wire_overhead);
  m_capture_bytes_ += static_cast<uint64_t>(wire);
  sim::Engine::instance().start(sg4::Comm::sendto_init(cfg_.source.host, dms_host_)->set_payload_size(static_cast<uint64_t>(wire)), &step);
}

void Replication::capture_ended(bool ok, uint64_t last_seq, uint64_t rows, double sent_s)
{
  capture_in_flight_ = false;
  if (!ok) {
    ++capture_failures_;
    mark_unreachable();
    capture_retry_at_s_ = now() + cfg_.settings.capture_retry_s;
    sim::Engine::instance().at(capture_retry_at_s_, [this, e = epoch_]() {
      if (e == epoch_)
        try_capture();
    });
    return;
  }
  mark_reachable();
  last_contact_s_ = now();
  if (last_seq > captured_seq_) {
    captured_seq_ = last_seq;
    batches_.push_back({last_seq, now()});
    waiting_rows_ += rows;
    if (const auto* tx = source_.find(last_seq))
      last_captured_commit_s_ = tx->commit_t;
  } else if (cfg_.settings.heartbeat_enable) {
    last_captured_commit_s_ = std::max(last_captured_commit_s_, sent_s);
  }
  schedule_advance();
}

// Starts the next apply group when cdc_apply's rules allow it, else wakes up when they will.
void Replication::try_apply()
{
  const auto& s = cfg_.settings;
  if (!running() || !does_cdc() || apply_in_flight_ || next_apply_seq_ > captured_seq_ || batches_.empty())
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
  const auto plan = plan_apply(s, scaler_.dcu(), now(), next_apply_seq_, captured_seq_, batches_.front().captured_s,
                               last_group_start_s_, rows_of);
  if (!plan.ready) {
    wake_apply_at(plan.wake_s);
    return;
  }
  apply_in_flight_ = true;
  last_group_start_s_ = now();
  sim::Engine::instance().at(now() + plan.duration_s, [this, e = epoch_, first = next_apply_seq_, plan]() {
    if (e == epoch_)
      apply_group_ended(first, plan.last_seq, plan.rows);
  });
}

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
  next_apply_seq_ = last + 1;
  waiting_rows_ -= std::min(waiting_rows_, rows);
  while (!batches_.empty() && batches_.front().last_seq <= last)
    batches_.pop_front();
  apply_in_flight_ = false;
  schedule_advance();
}

// ---------------------------------------------------------------------------------------------
// Stage 3: validation: partitions of PartitionSize rows on ThreadCount threads, then a comparison
// against the source as of the last applied change; CDC changes re-validated every recheck.

void Replication::pump_validation()
{
  const auto& s = cfg_.settings;
  for (auto& t : tables_)
    if (t.validation_queued && !t.validation_done && t.rows == 0) {
      t.validation_done = true;
      revalidate(false);
    }
  while (validation_busy_ < s.validation_thread_count) {
    auto it = std::find_if(tables_.begin(), tables_.end(),
                           [](auto& t) { return t.validation_queued && t.validation_issued < t.rows; });
    if (it == tables_.end())
      return;
    const uint64_t n = std::min<uint64_t>(s.validation_partition_size_rows, it->rows - it->validation_issued);
    it->validation_issued += n;
    ++validation_busy_;
    sim::Engine::instance().at(now() + static_cast<double>(n) / s.validation_rows_per_s_per_thread,
                               [this, &t = *it, n, e = epoch_]() {
                                 if (e == epoch_)
                                   partition_ended(t, n);
                               });
  }
}

void Replication::partition_ended(TableRun& t, uint64_t rows)
{
  --validation_busy_;
  t.validation_rows_done += rows;
  if (t.validation_rows_done >= t.rows && !t.validation_done) {
    t.validation_done = true;
    revalidate(false);
  }
  schedule_advance();
}

// Compares validated tables with the source as of the target's last applied transaction: all
// tables just finished or with CDC changes pending (only_pending: the periodic recheck).
void Replication::revalidate(bool only_pending)
{
  const auto source = source_digests_as_of(source_, target_.applied_seq());
  if (!source)
    return;  // the binlog no longer reaches back there: stay pending
  for (auto& t : tables_) {
    if (!t.validation_done)
      continue;
    const bool first_result = t.validation_state == kValidationPending;
    if (only_pending && !first_result && t.cdc_pending == 0 && t.validation_state == kValidated)
      continue;
    const auto& target = target_.digest(t.index);
    t.failed_records = mismatched_records((*source)[t.index], target);
    t.validation_state = t.failed_records ? kValidationMismatched : kValidated;
    t.cdc_pending = 0;
  }
}

bool Replication::validation_done() const
{
  return std::all_of(tables_.begin(), tables_.end(), [](auto& t) { return t.validation_done; });
}

// ---------------------------------------------------------------------------------------------
// Control loop: idleness, capacity, recovery checkpoint, reachability, capture tick, metrics.

void Replication::tick()
{
  const auto& s = cfg_.settings;
  const double t = now();
  if (source_.committed_seq() != seen_committed_) {
    seen_committed_ = source_.committed_seq();
    last_activity_s_ = t;
  }
  const bool busy = waiting_rows_ > 0 || apply_in_flight_ || validation_busy_ > 0 ||
                    std::any_of(tables_.begin(), tables_.end(), [](auto& x) { return x.loading; });
  if (busy)
    last_activity_s_ = t;
  if (scaler_.observe(t, capacity_utilization_pct(), t - last_activity_s_))
    sim::EventLog::instance().record(t, "dms:" + cfg_.id, "capacity " + std::to_string(scaler_.dcu()) + " DCU");

  if (t - last_checkpoint_s_ >= s.checkpoint_interval_s) {
    last_checkpoint_s_ = t;
    recovery_seq_ = std::max(recovery_seq_, next_apply_seq_ - 1);
    if (s.trim_source_binlog)
      source_.trim_binlog(recovery_seq_);
  }
  if (unreachable_since_s_ >= 0 && t - unreachable_since_s_ >= s.source_unreachable_fail_s) {
    fail("source endpoint " + cfg_.source.id + " unreachable for " + sim::format_duration(t - unreachable_since_s_));
    return;
  }
  try_capture();
  if (s.validation_enabled && t >= next_recheck_s_) {
    next_recheck_s_ = t + s.validation_recheck_s;
    revalidate(true);
  }
  m_latency_source_.add(t, cdc_latency_source_s());
  m_latency_target_.add(t, cdc_latency_target_s());
  m_capacity_.add(t, scaler_.dcu());
  m_utilization_.add(t, capacity_utilization_pct());
  sim::Engine::instance().at(t + s.control_tick_s, [this, e = epoch_]() {
    if (e == epoch_)
      tick();
  });
}

void Replication::mark_unreachable()
{
  if (unreachable_since_s_ < 0)
    unreachable_since_s_ = now();
}

void Replication::mark_reachable() { unreachable_since_s_ = -1; }

Replication::Step& Replication::free_step()
{
  for (auto& st : steps_)
    if (!st->current_activity && !st->done)
      return *st;
  steps_.push_back(std::make_unique<Step>());
  return *steps_.back();
}

// ---------------------------------------------------------------------------------------------
// What Describe* shows.

double Replication::cdc_latency_source_s() const
{
  return does_cdc() && last_captured_commit_s_ >= 0 ? now() - last_captured_commit_s_ : 0.0;
}

double Replication::cdc_latency_target_s() const
{
  if (next_apply_seq_ > captured_seq_)
    return 0.0;
  const auto* tx = source_.find(next_apply_seq_);
  return tx ? now() - tx->commit_t : 0.0;
}

double Replication::memory_used_gb() const
{
  const auto& s = cfg_.settings;
  const auto loading = std::count_if(tables_.begin(), tables_.end(), [](auto& t) { return t.loading; });
  return s.base_memory_gb + static_cast<double>(loading) * s.memory_per_subtask_gb +
         static_cast<double>(waiting_rows_) * s.memory_per_cached_change_kb * 1e3 / 1e9;
}

double Replication::capacity_utilization_pct() const { return 100.0 * memory_used_gb() / scaler_.memory_gb(); }

const ConnectionStatus& Replication::connection(EndpointRole role) const
{
  return role == EndpointRole::Source ? source_test_.status() : target_test_.status();
}

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
  d.captured_seq = captured_seq_;
  d.cdc_latency_source_s = cdc_latency_source_s();
  d.cdc_latency_target_s = cdc_latency_target_s();
  d.capacity_utilization_pct = capacity_utilization_pct();
  d.cdc_changes_waiting = waiting_rows_;
  d.replays_skipped = replays_skipped_;
  d.capture_failures = capture_failures_;
  return d;
}

std::vector<TableStatistics> Replication::table_statistics() const
{
  std::vector<TableStatistics> out;
  for (const auto& t : tables_) {
    TableStatistics ts;
    ts.table_name = source_.tables()[t.index].name;
    ts.table_state = t.state;
    ts.full_load_rows = t.rows_committed;
    ts.inserts = t.inserts;
    ts.updates = t.updates;
    ts.full_load_start_s = t.load_start_s;
    ts.full_load_end_s = t.load_end_s;
    if (!cfg_.settings.validation_enabled) {
      ts.validation_state = kValidationNotEnabled;
    } else {
      ts.validation_state = t.validation_state;
      ts.validation_pending_records = (t.rows - std::min(t.rows, t.validation_rows_done)) + t.cdc_pending;
      ts.validation_failed_records = t.failed_records;
    }
    out.push_back(ts);
  }
  return out;
}

}  // namespace migsim::models::dms
