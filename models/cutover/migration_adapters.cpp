// How the migration drives the DMS and MGN models: creating them from the scenario, the calls the
// cutover makes, and what the report shows of them.
#include "models/cutover/migration.hpp"
#include "models/dms/replication.hpp"
#include "models/mgn/mgn_settings.hpp"
#include "models/mgn/source_server.hpp"
#include "sim/engine.hpp"
#include "sim/event_log.hpp"
#include "sim/json_reader.hpp"

#include <algorithm>

namespace migsim::models {

void Migration::dms_create_and_start()
{
  dms::ReplicationConfig cfg;
  cfg.id = kDmsReplicationConfigId;
  cfg.source = dms::endpoint_on(platform_, kDmsSourceEndpointId, dms::EndpointRole::Source, spec_.db_source_server);
  cfg.target = dms::endpoint_on(platform_, kDmsTargetEndpointId, dms::EndpointRole::Target, spec_.db_target_server);
  cfg.settings.min_capacity_units = spec_.dms_min_dcu;
  cfg.settings.max_capacity_units = spec_.dms_max_dcu;
  cfg.settings.migration_type = dms::parse_migration_type(spec_.dms_migration_type);
  cfg.settings.max_full_load_subtasks = spec_.dms_max_full_load_subtasks;
  cfg.settings.batch_apply_enabled = spec_.dms_batch_apply;
  cfg.settings.vpn_wire_overhead = spec_.vpn_wire_overhead;
  cfg.settings.error_behavior = spec_.dms_error_behavior;
  // Heartbeats keep CDCLatencySource meaningful when the source is quiet (at night).
  cfg.settings.heartbeat_enable = true;
  try {
    dms_ = std::make_unique<dms::Replication>(cfg, *source_, *target_, metrics_);
  } catch (const std::invalid_argument& e) {
    throw sim::InputError("/migration/dms", e.what());
  }
  begin_phase("DMS start-up");
  dms_->start();
}

void Migration::dms_notify_commit()
{
  if (dms_)
    dms_->notify_commit();
}

void Migration::dms_stop()
{
  if (dms_ && (dms_->status() == dms::kStatusRunning)) {
    dms_->stop();
    end_phase("DMS CDC", "stopped with " + std::to_string(target_->applied_seq()) + " transactions applied");
  }
}

void Migration::dms_resume()
{
  if (dms_ && (dms_->status() == dms::kStatusStopped || dms_->status() == dms::kStatusFailed))
    dms_->start();
}

void Migration::start_replication()
{
  if (!dms_) {
    dms_create_and_start();
    return;
  }
  dms_->start();  // resume from the checkpoint; throws unless stopped or failed
}

void Migration::stop_replication()
{
  if (!dms_)
    throw std::logic_error("the replication has not been started (status created)");
  dms_->stop();  // throws unless starting or running
  end_phase("DMS CDC", "stopped with " + std::to_string(target_->applied_seq()) + " transactions applied");
}

void Migration::set_dms_error_behavior(const dms::ErrorBehavior& e)
{
  if (dms_)
    dms_->set_error_behavior(e);
  spec_.dms_error_behavior = e;
}

bool Migration::dms_running() const { return dms_ && dms_->status() == dms::kStatusRunning; }

bool Migration::dms_full_load_done() const { return dms_ && dms_->describe().full_load_finish_date_s >= 0; }

double Migration::dms_cdc_latency_s() const
{
  return dms_ ? std::max(dms_->cdc_latency_source_s(), dms_->cdc_latency_target_s()) : 0.0;
}

// Drained: every transaction committed on-prem is committed on RDS.
bool Migration::dms_drained() const { return target_->applied_seq() >= source_->committed_seq(); }

void Migration::mgn_install()
{
  mgn::MgnSettings settings;
  if (!spec_.mgn_settings.is_null()) {
    sim::ObjectReader r(spec_.mgn_settings, "/migration/mgn/settings");
    settings = mgn::read_mgn_settings(r);
  }
  // DateTime fields on the scenario's calendar, unless the settings pin another epoch.
  if (spec_.mgn_settings.is_null() || !spec_.mgn_settings.contains("epoch_unix_s"))
    settings.epoch_unix_s = scenario_.calendar.start_epoch_s;
  if (spec_.mgn_throttle_mbps > 0)
    settings.throttle_mbps = spec_.mgn_throttle_mbps;
  settings.wire_overhead = std::max(settings.wire_overhead, spec_.vpn_wire_overhead);
  begin_phase("MGN initial sync", std::to_string(spec_.mgn_servers.size()) + " servers");
  mgn_installed_s_ = sim::Engine::instance().now();
  for (const auto& s : spec_.mgn_servers) {
    mgn::SourceServerSpec src = mgn::source_server_spec(*scenario_.server(s.source));
    if (!src.disks.empty())
      src.disks.front().bytes = s.disk_gb * 1e9;
    auto hosts = mgn::replication_hosts(platform_, s.source, spec_.mgn_replication_server);
    mgn_.push_back(std::make_unique<mgn::SourceServer>(src, hosts, settings,
                                                       sim::RandomStream(scenario_.seed, "mgn." + s.source), metrics_));
    int idx = 0;
    for (size_t i = 0; i < scenario_.platform.servers.size(); ++i)
      if (scenario_.platform.servers[i].name == s.source)
        idx = static_cast<int>(i);
    mgn_server_index_.push_back(idx);
    mgn_.back()->install_agent();
  }
  // The servers' disk writes feed continuous block replication.
  flow_.on_disk_write = [this](int server_index, double bytes) {
    for (size_t i = 0; i < mgn_.size(); ++i)
      if (mgn_server_index_[i] == server_index)
        mgn_[i]->on_disk_write(bytes);
  };
}

bool Migration::mgn_all_ready_for_test() const
{
  return !mgn_.empty() && std::all_of(mgn_.begin(), mgn_.end(), [](auto& s) {
    return s->lifecycle_state() == mgn::LifeCycleState::READY_FOR_TEST ||
           s->lifecycle_state() == mgn::LifeCycleState::TESTING ||
           s->lifecycle_state() == mgn::LifeCycleState::READY_FOR_CUTOVER;
  });
}

bool Migration::mgn_all_ready_for_cutover() const
{
  return !mgn_.empty() && std::all_of(mgn_.begin(), mgn_.end(), [](auto& s) {
    return s->lifecycle_state() == mgn::LifeCycleState::READY_FOR_CUTOVER;
  });
}

void Migration::mgn_start_test()
{
  mgn_jobs_.clear();
  for (auto& s : mgn_)
    mgn_jobs_.push_back(s->start_test().job_id);
}

void Migration::mgn_mark_ready_for_cutover()
{
  for (auto& s : mgn_)
    if (s->lifecycle_state() == mgn::LifeCycleState::TESTING)
      s->change_lifecycle_state(mgn::LifeCycleState::READY_FOR_CUTOVER);
}

void Migration::mgn_start_cutover()
{
  mgn_jobs_.clear();
  for (auto& s : mgn_)
    mgn_jobs_.push_back(s->start_cutover().job_id);
}

int Migration::mgn_jobs_state() const
{
  bool all_done = true;
  for (size_t i = 0; i < mgn_.size() && i < mgn_jobs_.size(); ++i) {
    const auto* job = mgn_[i]->find_job(mgn_jobs_[i]);
    if (!job)
      continue;
    if (job->failed())
      return -1;
    all_done &= job->status == mgn::JobStatus::COMPLETED;
  }
  return all_done ? 1 : 0;
}

void Migration::mgn_finalize()
{
  for (auto& s : mgn_)
    if (s->lifecycle_state() == mgn::LifeCycleState::CUTOVER)
      s->finalize_cutover();
  finalized_s_ = sim::Engine::instance().now();
}

// The one-time migration bill from what the run used: DMS capacity over time, MGN servers and the
// replication server from agent install to finalize, staging volumes, the VPN for the whole run.
cost::Bill Migration::migration_bill(double t_end) const
{
  cost::MigrationQuantities q;
  q.hours = t_end / 3600.0;
  cost::MeasuredMigration measured;
  if (dms_) {
    const auto& history = dms_->capacity_history();
    const auto d = dms_->describe();
    const double until = d.stop_date_s >= 0 && dms_->status() == dms::kStatusStopped ? d.stop_date_s : t_end;
    const double cdc_from = d.full_load_finish_date_s >= 0 ? d.full_load_finish_date_s : until;
    double cdc_dcu_hours = 0;
    for (size_t i = 0; i < history.size(); ++i) {
      const double from = history[i].t_s;
      const double to = i + 1 < history.size() ? std::min(history[i + 1].t_s, until) : until;
      if (to > from)
        q.dms_dcu_hours += history[i].dcu * (to - from) / 3600.0;
      if (std::min(to, until) > std::max(from, cdc_from))
        cdc_dcu_hours += history[i].dcu * (std::min(to, until) - std::max(from, cdc_from)) / 3600.0;
    }
    measured.dms_dcu_hours = q.dms_dcu_hours;
    measured.dms_hours = history.empty() ? 0.0 : (until - history.front().t_s) / 3600.0;
    measured.dms_cdc_mean_dcu = until > cdc_from ? cdc_dcu_hours * 3600.0 / (until - cdc_from)
                                                 : (history.empty() ? 0.0 : history.back().dcu);
  }
  if (spec_.calendar_given) {
    measured.mgn_servers = static_cast<int>(mgn_.size());
    for (const auto& s : mgn_)
      measured.mgn_disk_gb += s->disk_bytes() / 1e9;
    return cost::migration_estimate(cost::default_price_table(), cost::calendar_quantities(spec_.calendar, measured));
  }
  if (mgn_installed_s_ >= 0) {
    const double span_h = ((finalized_s_ >= 0 ? finalized_s_ : t_end) - mgn_installed_s_) / 3600.0;
    double disk_gb = 0;
    for (const auto& s : mgn_) {
      q.mgn_server_hours.push_back(span_h);
      disk_gb += s->disk_bytes() / 1e9;
    }
    q.replication_server_instance_hours = span_h;
    q.staging_ebs_gb_months = cost::gb_months(disk_gb, span_h);
  }
  q.vpn_connection_hours = q.hours;
  return cost::migration_estimate(cost::default_price_table(), q);
}

// The shop's traffic of the run (every class, both sites), scaled from the window to a 730-hour month.
cost::MonthlyTraffic Migration::monthly_traffic(double t_end) const
{
  cost::MonthlyTraffic t;
  double static_requests = 0;
  for (const auto& c : scenario_.workload.classes) {
    const double n = static_cast<double>(metrics_.counter("requests_completed{class=" + c.name + "}"));
    t.requests += n;
    t.response_gb += n * c.response_kb / 1e6;
    if (!c.stages.empty())
      t.request_gb += n * c.stages.front().request_kb / 1e6;
    if (c.name == spec_.static_class)
      static_requests = n;
  }
  t.static_share = t.requests > 0 ? static_requests / t.requests : 0.0;
  const double scale = t_end > 0 ? cost::kHoursPerMonth * 3600.0 / t_end : 0.0;
  t.requests *= scale;
  t.response_gb *= scale;
  t.request_gb *= scale;
  return t;
}

// Closes the phases whose end the models report (full load done, initial syncs done).
void Migration::watch_phase_progress()
{
  if (dms_) {
    const auto d = dms_->describe();
    auto open = [&](const std::string& name) {
      return std::any_of(phases_.begin(), phases_.end(), [&](auto& p) { return p.name == name && p.end_s < 0; });
    };
    if (open("DMS start-up") && d.full_load_start_date_s >= 0)
      end_phase("DMS start-up", "running with " + std::to_string(d.provisioned_capacity_units) + " DCU");
    if (!full_load_reported_ && d.full_load_start_date_s >= 0) {
      full_load_reported_ = true;
      phases_.push_back({"DMS full load", d.full_load_start_date_s, -1,
                         sim::format_number(source_->total_snapshot_bytes() / 1e9) + " GB"});
    }
    if (open("DMS full load") && d.full_load_finish_date_s >= 0) {
      const double s = d.full_load_finish_date_s - d.full_load_start_date_s;
      const double mbps = source_->total_snapshot_bytes() * 8 / 1e6 / std::max(s, 1e-9);
      for (auto& p : phases_)
        if (p.name == "DMS full load" && p.end_s < 0) {
          p.end_s = d.full_load_finish_date_s;
          char buf[96];
          std::snprintf(buf, sizeof buf, "%.0f GB at %.0f Mbps average", source_->total_snapshot_bytes() / 1e9, mbps);
          p.detail = buf;
          sim::EventLog::instance().record(sim::Engine::instance().now(), "cutover",
                                           "DMS full load done after " + sim::format_duration(s) + ": " + buf);
          phases_.push_back({"DMS CDC", p.end_s, -1, "ongoing replication"});
        }
    }
  }
  if (!mgn_.empty() && !initial_sync_reported_ &&
      std::all_of(mgn_.begin(), mgn_.end(), [](auto& s) { return s->initial_sync_done_s().has_value(); })) {
    initial_sync_reported_ = true;
    double bytes = 0, last = 0;
    for (auto& s : mgn_) {
      bytes += s->disk_bytes();
      last = std::max(last, *s->initial_sync_done_s());
    }
    for (auto& p : phases_)
      if (p.name == "MGN initial sync" && p.end_s < 0) {
        p.end_s = last;
        char buf[96];
        std::snprintf(buf, sizeof buf, "%.0f GB at %.0f Mbps average", bytes / 1e9,
                      bytes * 8 / 1e6 / std::max(last - p.start_s, 1e-9));
        p.detail = buf;
      }
  }
}

std::vector<std::pair<std::string, std::string>> Migration::mgn_lifecycles() const
{
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : mgn_)
    out.emplace_back(s->hostname(), std::string(mgn::to_string(s->lifecycle_state())));
  return out;
}

void Migration::fill_tool_report(MigrationReport& r) const
{
  if (dms_) {
    r.dms_status = dms_->status();
    for (const auto& c : dms_->capacity_history()) {
      r.dms_dcu_peak = std::max(r.dms_dcu_peak, c.dcu);
      r.dms_capacity.emplace_back(c.t_s, c.dcu);
    }
  }
  r.mgn_states = mgn_lifecycles();
}

}  // namespace migsim::models
