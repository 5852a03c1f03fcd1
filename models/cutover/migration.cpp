#include "models/cutover/migration.hpp"

#include "models/dms/replication.hpp"
#include "models/mgn/source_server.hpp"
#include "sim/engine.hpp"
#include "sim/event_log.hpp"
#include "sim/horizon.hpp"

#include <cmath>

namespace migsim::models {

namespace {
void log(const std::string& msg) { sim::EventLog::instance().record(sim::Engine::instance().now(), "cutover", msg); }
}  // namespace

Migration::Migration(const sim::Scenario& scenario, sim::Platform& platform, RequestFlow& flow, sim::Registry& metrics)
    : scenario_(scenario), spec_(parse_migration(scenario)), platform_(platform), flow_(flow), metrics_(metrics)
{
  source_ = std::make_unique<mysql::SourceDatabase>(spec_.tables, sim::RandomStream(scenario.seed, "mysql.binlog"));
  target_ = std::make_unique<mysql::TargetDatabase>(spec_.tables);
  target_site_ = flow_.add_site(spec_.target_site, spec_.target_services);
  route53::DnsSettings dns{spec_.dns_ttl_s, 10.0, 60.0, spec_.dns_sticky_share, spec_.dns_sticky_hold_s};
  dns_ = std::make_unique<route53::RecordSwitch>(spec_.dns_record, 0, dns, sim::RandomStream(scenario.seed, "dns.clients"));
  flow_.choose_site = [this](double t) { return dns_->route(t); };
  flow_.on_commit = [this](double t, const sim::RequestClassSpec& c, int rows, int site) { on_commit(t, c, rows, site); };
}

Migration::~Migration() = default;

void Migration::start()
{
  auto& engine = sim::Engine::instance();
  engine.at(spec_.mgn_install_s, [this]() { mgn_install(); });
  engine.at(spec_.dms_start_s, [this]() { dms_create_and_start(); });
  watch_progress();
}

// Write transactions committed on-prem go to the binlog (and on to DMS); on the target site they
// are the new primary's (RDS) own.
void Migration::on_commit(double t, const sim::RequestClassSpec&, int rows, int site)
{
  if (site == 0) {
    source_->commit(t, rows);
    dms_notify_commit();
  } else {
    ++target_site_commits_;
  }
}

void Migration::begin_phase(const std::string& name, const std::string& detail)
{
  phases_.push_back({name, sim::Engine::instance().now(), -1, detail});
  log(name + " started" + (detail.empty() ? "" : ": " + detail));
}

void Migration::end_phase(const std::string& name, const std::string& detail)
{
  for (auto& p : phases_)
    if (p.name == name && p.end_s < 0) {
      p.end_s = sim::Engine::instance().now();
      if (!detail.empty())
        p.detail = detail;
      log(name + " done after " + sim::format_duration(p.end_s - p.start_s) + (detail.empty() ? "" : ": " + detail));
      return;
    }
}

// Polls a condition on the simulated clock (as a runbook's wait step would).
void Migration::wait_until(const std::string& what, std::function<bool()> cond, double timeout_s,
                           std::function<void()> then, std::function<void()> on_timeout)
{
  auto& engine = sim::Engine::instance();
  const double deadline = engine.now() + timeout_s;
  auto poll = std::make_shared<std::function<void()>>();
  *poll = [this, what, cond, then, on_timeout, deadline, poll]() {
    auto& e = sim::Engine::instance();
    if (cond()) {
      then();
      return;
    }
    if (e.now() >= deadline) {
      on_timeout();
      return;
    }
    e.at(e.now() + spec_.cutover_poll_s, *poll);
  };
  (*poll)();
}

// Records phase ends (full load, initial syncs) as they happen, once a minute.
void Migration::watch_progress()
{
  auto& engine = sim::Engine::instance();
  engine.at(engine.now() + 60.0, [this]() {
    watch_phase_progress();
    if (sim::Engine::instance().now() + 60.0 < sim::horizon_s(scenario_))
      watch_progress();
  });
}

void Migration::stop_writes()
{
  flow_.set_writes_blocked(0, true);
  cutover_.writes_stopped_s = sim::Engine::instance().now();
}

void Migration::resume_writes(int site)
{
  flow_.set_writes_blocked(site, false);
  if (site == 0)
    onprem_writes_resumed_s_ = sim::Engine::instance().now();
}

void Migration::switch_dns(int site)
{
  const auto& change = dns_->upsert(sim::Engine::instance().now(), site);
  log("Route 53 UPSERT " + spec_.dns_record + " -> " + flow_.site_names().at(static_cast<size_t>(site)) + " (" +
      change.id + ", INSYNC after " + sim::format_duration(change.insync_s - change.submitted_s) + ")");
}

void Migration::test_launch()
{
  if (!mgn_all_ready_for_test()) {
    std::string states;
    for (const auto& [server, state] : mgn_lifecycles())
      states += (states.empty() ? "" : ", ") + server + " " + state;
    const std::string why = "not every server is ready for test (" + (states.empty() ? "no agents" : states) + ")";
    log("test launch skipped: " + why);
    const double now = sim::Engine::instance().now();
    phases_.push_back({"MGN test launch", now, now, "skipped: " + why, true});
    return;
  }
  begin_phase("MGN test launch");
  mgn_start_test();
  wait_until(
      "test launch", [this]() { return mgn_jobs_state() != 0; }, 7200,
      [this]() {
        end_phase("MGN test launch", mgn_jobs_state() > 0 ? "instances launched and checked" : "a launch job failed");
        mgn_mark_ready_for_cutover();
      },
      [this]() { end_phase("MGN test launch", "timed out"); });
}

void Migration::fail_cutover(const std::string& step, const std::string& reason)
{
  auto& engine = sim::Engine::instance();
  cutover_.failed_step = step;
  cutover_.reason = reason;
  log("cutover step \"" + step + "\" failed: " + reason + "; rolling back");
  // Rollback: DNS back to on-prem if it moved, writes resume on-prem, DMS resumes replication.
  if (cutover_.dns_switched_s >= 0)
    switch_dns(0);
  resume_writes(0);
  if (cutover_.dms_stopped_s >= 0)
    dms_resume();
  cutover_.result = "rolled back";
  cutover_.ended_s = engine.now();
  end_phase("cutover", "rolled back at step " + step);
}

// The cutover runbook, in simulated time.
void Migration::start_cutover()
{
  auto& engine = sim::Engine::instance();
  cutover_ = CutoverOutcome{};
  cutover_.result = "running";
  cutover_.started_s = engine.now();
  begin_phase("cutover");

  /* Step 1: pre-checks */
  if (!dms_running() || dms_cdc_latency_s() > spec_.cutover_max_cdc_latency_s) {
    cutover_.result = "aborted";
    cutover_.failed_step = "pre-checks";
    cutover_.reason = !dms_running() ? "DMS replication is not running"
                                     : "CDC latency " + sim::format_number(dms_cdc_latency_s()) + " s is above " +
                                           sim::format_number(spec_.cutover_max_cdc_latency_s) + " s";
    cutover_.ended_s = engine.now();
    end_phase("cutover", "aborted: " + cutover_.reason);
    return;
  }
  if (!mgn_all_ready_for_cutover()) {
    cutover_.result = "aborted";
    cutover_.failed_step = "pre-checks";
    cutover_.reason = "not every source server is READY_FOR_CUTOVER";
    cutover_.ended_s = engine.now();
    end_phase("cutover", "aborted: " + cutover_.reason);
    return;
  }
  /* Step 2: stop writes on-prem (the app shows a maintenance page for writes) */
  stop_writes();
  /* Step 3: wait for CDC to drain to zero */
  auto after_drain = [this]() {
    auto& e = sim::Engine::instance();
    cutover_.drained_s = e.now();
    /* Step 4: validate (row counts and checksums of every table) */
    integrity_at_stop_ = mysql::compare(*source_, *target_);
    integrity_checked_ = true;
    cutover_.validated_s = e.now();
    if (!spec_.cutover_skip_drain && !integrity_at_stop_.clean()) {
      fail_cutover("validate", "source and target differ");
      return;
    }
    /* Step 5: stop the replication */
    dms_stop();
    cutover_.dms_stopped_s = e.now();
    /* Step 6: launch the cutover instances */
    mgn_start_cutover();
    wait_until(
        "cutover launch", [this]() { return mgn_jobs_state() != 0; }, 7200,
        [this]() {
          auto& e2 = sim::Engine::instance();
          if (mgn_jobs_state() < 0) {
            fail_cutover("cutover launch", "a launch job failed");
            return;
          }
          cutover_.launched_s = e2.now();
          /* Step 7: point the app at RDS and accept writes there */
          resume_writes(target_site_);
          cutover_.app_on_rds_s = e2.now();
          /* Step 8: switch DNS and wait for INSYNC */
          switch_dns(target_site_);
          cutover_.dns_switched_s = e2.now();
          const auto change = dns_->changes().back();
          e2.at(change.insync_s, [this]() {
            cutover_.dns_insync_s = sim::Engine::instance().now();
            /* Step 9: monitor, then finalize */
            sim::Engine::instance().at(sim::Engine::instance().now() + spec_.cutover_monitor_s, [this]() {
              mgn_finalize();
              cutover_.finalized_s = sim::Engine::instance().now();
              cutover_.result = "completed";
              cutover_.ended_s = cutover_.finalized_s;
              end_phase("cutover", "completed");
            });
          });
        },
        [this]() { fail_cutover("cutover launch", "launch jobs did not finish in 2 h"); });
  };
  if (spec_.cutover_skip_drain) {
    log("not waiting for CDC to drain (skip_drain)");
    after_drain();
    return;
  }
  // Writes already admitted may still commit: the drain waits for them too.
  wait_until(
      "CDC drain", [this]() { return flow_.writes_in_flight(0) == 0 && dms_drained(); }, spec_.cutover_drain_timeout_s,
      after_drain,
      [this]() { fail_cutover("drain", "CDC did not drain within " + sim::format_duration(spec_.cutover_drain_timeout_s)); });
}

void Migration::handle(const sim::EventSpec& e)
{
  if (e.action == "test_launch")
    test_launch();
  else if (e.action == "cutover_start")
    start_cutover();
  else if (e.action == "stop_writes")
    stop_writes();
  else if (e.action == "resume_writes")
    resume_writes(0);
  else if (e.action == "dns_switch")
    switch_dns(e.target == spec_.target_site ? target_site_ : 0);
  else if (e.action == "dms_stop")
    dms_stop();
  else if (e.action == "dms_resume")
    dms_resume();
  else if (e.action == "dms_fail" && dms_)  // injected by the mock endpoint (/_migsim/events)
    dms_->inject_failure("Last Error: injected failure (migsim event dms_fail)");
  else if (e.action == "mgn_launch_fail")
    for (auto& s : mgn_)
      if (e.target.empty() || e.target == s->hostname())
        s->inject_launch_failure("injected launch failure (migsim event mgn_launch_fail)");
}

MigrationReport Migration::report(double t_end) const
{
  MigrationReport r;
  r.phases = phases_;
  const CutoverOutcome cutover = effective_cutover(t_end);
  r.cutover = cutover;
  // Integrity at the end of the run. Transactions committed on-prem and not on RDS are lost only if
  // RDS ended up the primary (the app writes there and on-prem is left behind); while on-prem is
  // still the primary (no cutover, or one aborted or rolled back) they are behind: on-prem holds
  // them and DMS has yet to apply them, whether it is still running, stopped or failed.
  r.integrity = mysql::compare(*source_, *target_);
  const bool rds_primary = cutover.app_on_rds_s >= 0 && cutover.result != "rolled back";
  if (!rds_primary) {
    r.behind_transactions = r.integrity.lost_transactions;
    r.integrity.lost_transactions = 0;
  }
  r.integrity_checked_at_stop = integrity_checked_;
  r.refused_writes = flow_.totals().maintenance;
  r.target_site_commits = target_site_commits_;
  if (cutover.writes_stopped_s >= 0) {
    const double back = cutover.app_on_rds_s >= 0 ? cutover.app_on_rds_s
                                                   : (cutover.ended_s >= 0 ? cutover.ended_s : t_end);
    r.writes_unavailable_s = back - cutover.writes_stopped_s;
  }
  if (cutover.dns_switched_s >= 0) {
    for (double t = cutover.dns_switched_s; t <= t_end; t += 1.0) {
      if (dns_->share(t, target_site_) >= 0.95) {
        r.shift_95_s = t - cutover.dns_switched_s;
        r.rto_s = t - cutover.started_s;
        break;
      }
    }
    for (double t = std::floor(cutover.dns_switched_s / 60.0) * 60.0; t <= std::min(t_end, cutover.dns_switched_s + 3600);
         t += 60.0)
      r.dns_shift.emplace_back(t, dns_->share(t, target_site_));
  }
  fill_tool_report(r);
  r.cost = migration_bill(t_end);
  r.calendar_given = spec_.calendar_given;
  r.calendar = spec_.calendar;
  r.monthly_traffic = monthly_traffic(t_end);
  const auto& prices = cost::default_price_table();
  r.post_migration = cost::asis_monthly_estimate(prices, cost::post_migration_quantities(spec_.design, r.monthly_traffic));
  r.post_modernisation =
      cost::eks_monthly_estimate(prices, cost::post_modernisation_quantities(spec_.design, r.monthly_traffic));
  return r;
}

}  // namespace migsim::models
