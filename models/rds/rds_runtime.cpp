#include "models/rds/rds_runtime.hpp"

#include "models/rds/instance_class.hpp"
#include "sim/engine.hpp"
#include "sim/event_log.hpp"
#include "sim/horizon.hpp"

#include <cmath>
#include <limits>
#include <algorithm>

namespace migsim::models::rds {

RdsRuntime::RdsRuntime(const sim::Scenario& scenario, RequestFlow& flow, sim::Registry& metrics)
    : scenario_(scenario), flow_(flow), engine_(sim::Engine::instance()), spec_(parse_rds(scenario))
{
  db_ = std::make_unique<DbInstance>(spec_.instance, sim::RandomStream(scenario.seed, "rds.instance"));
  if (spec_.replica) {
    replica_ = std::make_unique<ReadReplica>(spec_.replica_identifier, *spec_.replica);
    ts_lag_ = &metrics.series("rds_replica_lag_s", sim::TimeSeries::Kind::Max);
  }
  ts_unavailable_ = &metrics.series("rds_unavailable_s");
  metrics_ = &metrics;
  for (const auto& st : flow_.stations())
    if (st->spec().name == spec_.service && spec_.refuse_when_full)
      st->reject_when_busy = true;
  // Chain after any earlier commit hook (the migration's binlog).
  auto previous = flow_.on_commit;
  flow_.on_commit = [this, previous](double t, const sim::RequestClassSpec& c, int rows, int site) {
    if (previous)
      previous(t, c, rows, site);
    if (site == 0)
      on_commit(t, rows);
  };
  if (replica_)
    engine_.at(0.0, [this]() { sample_lag(); });
}

void RdsRuntime::on_commit(double t, int rows)
{
  if (!db_->available_at(t)) {
    ++commits_refused_;
    return;
  }
  const uint64_t seq = db_->commit(t, rows);
  if (replica_)
    replica_->on_commit(t, seq, rows);
  if (commit_listener)
    commit_listener(t, seq, rows);
  for (auto& w : windows_)
    if (w.first_commit_after_s < 0 && t >= w.end_s)
      w.first_commit_after_s = t;
  last_commit_s_ = t;
}

void RdsRuntime::sample_lag()
{
  const double t = engine_.now();
  ts_lag_->add(t, replica_->lag_s(t));
  if (t + 10.0 < sim::horizon_s(scenario_))
    engine_.at(t + 10.0, [this]() { sample_lag(); });
}

void RdsRuntime::sample_every_10s(const std::string& name, std::function<std::optional<double>(double t)> fn)
{
  auto* ts = &metrics_->series(name, sim::TimeSeries::Kind::Max);
  const double t = engine_.now();
  const auto v = fn(t);
  if (!v)
    return;
  if (*v >= 0)
    ts->add(t, *v);
  if (t + 10.0 < sim::horizon_s(scenario_))
    engine_.at(t + 10.0, [this, name, fn]() { sample_every_10s(name, fn); });
}

bool RdsRuntime::handle(const sim::EventSpec& e)
{
  if (e.action != "rds_failover" && e.action != "rds_reboot")
    return false;
  try {
    reboot(e.action == "rds_failover");
  } catch (const RdsError& err) {
    sim::EventLog::instance().record(engine_.now(), "rds", std::string(e.action) + " refused: " + err.what());
  }
  return true;
}

FailoverRecord RdsRuntime::reboot(bool force_failover)
{
  const double t = engine_.now();
  for (const auto& st : flow_.stations())
    if (st->spec().name == spec_.service)
      db_->set_open_connections(st->busy());
  const auto rec = db_->reboot(t, force_failover);
  sim::EventLog::instance().record(
      t, "rds",
      std::string(force_failover ? "failover " : "reboot ") + "of " + db_->identifier() + " from " + rec.from_az +
          " to " + rec.to_az + ": unavailable for " + sim::format_duration(rec.end_s - rec.start_s) + ", " +
          std::to_string(rec.connections_dropped) + " connections dropped");
  reboots_.push_back(rec);
  outage(t, rec.end_s);
  return rec;
}

void RdsRuntime::az_lost(const std::string& az)
{
  const double t = engine_.now();
  const size_t before = db_->failovers().size();
  const bool was_available = db_->available_at(t);
  db_->az_lost(t, az);
  if (db_->failovers().size() > before) {
    const auto& rec = db_->failovers().back();
    sim::EventLog::instance().record(t, "rds", "AZ " + az + " lost: failover to " + rec.to_az);
    reboots_.push_back(rec);
    outage(t, rec.end_s);
  } else if (was_available && !db_->available_at(t)) {
    sim::EventLog::instance().record(t, "rds", "AZ " + az + " lost: Single-AZ instance down");
    outage(t, sim::is_live() ? std::numeric_limits<double>::infinity() : scenario_.duration_s + 1);
  }
}

void RdsRuntime::az_restored(const std::string& az)
{
  const double t = engine_.now();
  const bool was_down = !db_->available_at(t);
  db_->az_restored(t, az);
  if (was_down && db_->available_at(t)) {
    flow_.server_up(spec_.server);
    for (auto& w : windows_)
      if (!w.ended) {
        w.end_s = t;
        w.ended = true;
        w.failed_at_end = flow_.totals().failed;
      }
  }
}

void RdsRuntime::modify(const std::string& new_class, bool multi_az, const StorageSpec* storage)
{
  const double t = engine_.now();
  const size_t before = db_->failovers().size();
  db_->modify(t, new_class, multi_az, storage);
  sim::EventLog::instance().record(t, "rds", "modification of " + db_->identifier() +
                                                 (new_class.empty() ? "" : " to " + new_class) + " started");
  if (db_->failovers().size() > before) {
    const FailoverRecord rec = db_->failovers().back();
    engine_.at(rec.start_s, [this, rec]() {
      reboots_.push_back(rec);
      outage(rec.start_s, rec.end_s);
    });
  } else if (!db_->available_at(t)) {
    const double end_s = t + db_->config().modify_s;
    reboots_.push_back({FailoverCause::modification, t, end_s, db_->az_at(t), db_->az_at(t), db_->committed(),
                        db_->committed(), 0});
    outage(t, end_s);
  }
}

// The instance is unreachable over [start, end): the server goes down (what was queued or running
// there fails), and comes back from the standby at the end.
void RdsRuntime::outage(double start_s, double end_s)
{
  Window w;
  w.start_s = start_s;
  w.end_s = end_s;
  w.failed_at_start = flow_.totals().failed;
  w.last_commit_before_s = last_commit_s_;
  windows_.push_back(w);
  const size_t index = windows_.size() - 1;
  for (double m = std::floor(start_s / 60.0) * 60.0; m < std::min(end_s, scenario_.duration_s); m += 60.0)
    ts_unavailable_->add(m, std::min(end_s, m + 60.0) - std::max(start_s, m));
  flow_.server_down(spec_.server);
  if (std::isfinite(end_s) && end_s <= sim::horizon_s(scenario_))
    engine_.at(end_s, [this, index]() {
      flow_.server_up(spec_.server);
      auto& win = windows_[index];
      win.ended = true;
      win.failed_at_end = flow_.totals().failed;
      sim::EventLog::instance().record(engine_.now(), "rds", db_->identifier() + " available again in " +
                                                                 db_->az_at(engine_.now()));
    });
}

std::map<std::string, double> RdsRuntime::metrics(double t_end) const
{
  std::map<std::string, double> m;
  double unavailable = 0, max_gap = 0;
  uint64_t in_windows = 0;
  for (const auto& w : windows_) {
    unavailable += std::min(w.end_s, t_end) - w.start_s;
    in_windows += (w.ended ? w.failed_at_end : flow_.totals().failed) - w.failed_at_start;
    if (w.last_commit_before_s >= 0 && w.first_commit_after_s >= 0)
      max_gap = std::max(max_gap, w.first_commit_after_s - w.last_commit_before_s);
  }
  uint64_t lost = 0;
  for (const auto& f : db_->failovers())
    lost += f.committed_at_start - f.on_standby_at_start;
  m["rds_failovers"] = static_cast<double>(db_->failovers().size());
  m["rds_unavailable_s"] = unavailable;
  m["rds_write_gap_s"] = max_gap;
  m["rds_lost_transactions"] = static_cast<double>(lost + commits_refused_);
  m["errors_in_rds_outages"] = static_cast<double>(in_windows);
  m["errors_outside_rds_outages"] = static_cast<double>(flow_.totals().failed - in_windows);
  if (replica_)
    m["rds_max_replica_lag_s"] = replica_->max_lag_s();
  return m;
}

nlohmann::json RdsRuntime::report(double t_end) const
{
  const auto& c = db_->config();
  const auto limits = storage_limits(c.storage);
  nlohmann::json j;
  j["identifier"] = c.identifier;
  j["instance_class"] = db_->instance_class_at(t_end);
  j["multi_az"] = db_->multi_az_at(t_end);
  j["status"] = db_->status_at(t_end);
  j["availability_zone"] = db_->az_at(t_end);
  j["secondary_availability_zone"] = db_->secondary_az_at(t_end);
  j["endpoint"] = db_->endpoint_address();
  j["max_connections"] = db_->max_connections();
  j["storage"] = {{"type", to_string(c.storage.type)},
                  {"allocated_gb", c.storage.allocated_gib},
                  {"iops", limits.sustained_iops},
                  {"burst_iops", limits.burst_iops},
                  {"throughput_mbps", limits.throughput_mibps},
                  {"disk_bound_bandwidth_mbps", sustained_bandwidth_Bps(limits, spec_.io_kib) / 1e6}};
  j["transactions_committed"] = db_->committed();
  j["standby_applied"] = db_->standby_data() ? db_->standby_data()->applied_seq() : 0;
  j["commits_while_unavailable"] = commits_refused_;
  nlohmann::json outages = nlohmann::json::array();
  for (size_t i = 0; i < windows_.size(); ++i) {
    const auto& w = windows_[i];
    nlohmann::json o = {{"start_s", w.start_s},
                        {"end_s", w.end_s},
                        {"window_s", w.end_s - w.start_s},
                        {"errors", (w.ended ? w.failed_at_end : flow_.totals().failed) - w.failed_at_start},
                        {"last_commit_before_s", w.last_commit_before_s},
                        {"first_commit_after_s", w.first_commit_after_s}};
    if (i < reboots_.size()) {
      const auto& r = reboots_[i];
      o["cause"] = to_string(r.cause);
      o["from_az"] = r.from_az;
      o["to_az"] = r.to_az;
      o["committed_at_start"] = r.committed_at_start;
      o["on_standby_at_start"] = r.on_standby_at_start;
      o["connections_dropped"] = r.connections_dropped;
    }
    outages.push_back(o);
  }
  j["outages"] = outages;
  if (replica_)
    j["read_replica"] = {{"identifier", replica_->identifier()},
                         {"received", replica_->received()},
                         {"max_lag_s", replica_->max_lag_s()},
                         {"apply_rate_tps", replica_->apply_rate_tps(1)}};
  for (const auto& [k, v] : metrics(t_end))
    j["metrics"][k] = v;
  return j;
}

}  // namespace migsim::models::rds
