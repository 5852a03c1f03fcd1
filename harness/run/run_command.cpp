#include "harness/run/run_command.hpp"

#include "harness/sweep/sweep.hpp"

#include "harness/run/expectations.hpp"
#include "harness/run/extra_series.hpp"
#include "models/aws/api_estate.hpp"
#include "models/aws/aws_estate.hpp"
#include "models/aws/aws_spec.hpp"
#include "models/cutover/migration.hpp"
#include "models/eks/eks_cluster.hpp"
#include "models/edge/edge_spec.hpp"
#include "models/rds/rds_runtime.hpp"
#include "models/onprem/onprem_estate.hpp"
#include "sim/engine.hpp"
#include "sim/event_log.hpp"
#include "sim/json_reader.hpp"
#include "sim/metrics.hpp"
#include "sim/horizon.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>

namespace migsim::harness {

namespace {

// Builds the per-minute table: traffic, errors, latency percentiles, utilisation per server.
void collect_series(const sim::Scenario& sc, sim::Registry& m, double t_end, RunResult& out)
{
  const size_t n = static_cast<size_t>(std::ceil(t_end / 60.0));
  std::vector<std::pair<std::string, std::vector<double>>> cols;
  auto add_series = [&](const std::string& col, const std::string& name) {
    cols.emplace_back(col, m.all_series().at(name)->values(n));
  };
  add_series("arrivals", "arrivals");
  add_series("completed", "completed");
  add_series("errors", "errors");
  add_series("p50_ms", "latency_p50_ms");
  add_series("p95_ms", "latency_p95_ms");
  add_series("p99_ms", "latency_p99_ms");
  add_series("transactions", "transactions_committed");
  cols.emplace_back("in_system", m.all_time_weighted().at("requests_in_system")->step_means(n, t_end));
  // Every other per-minute series the models registered (sites, DMS, MGN), by registry name.
  static const std::set<std::string> kShown = {"arrivals", "completed", "errors", "latency_p50_ms", "latency_p95_ms",
                                               "latency_p99_ms", "transactions_committed"};
  for (const auto& [name, series] : m.all_series())
    if (!kShown.count(name))
      cols.emplace_back(name, series->values(n));
  for (const auto& s : sc.platform.servers) {
    auto v = m.all_time_weighted().at("server_busy_cores{server=" + s.name + "}")->step_means(n, t_end);
    for (auto& x : v)
      x /= s.cores;
    cols.emplace_back("util_" + s.name, std::move(v));
  }
  out.series_columns.push_back("minute");
  for (const auto& c : cols)
    out.series_columns.push_back(c.first);
  for (size_t i = 0; i < n; ++i) {
    std::vector<double> row{static_cast<double>(i)};
    for (const auto& c : cols)
      row.push_back(c.second[i]);
    out.series_rows.push_back(std::move(row));
  }
  // Peak per-minute utilisation per server (only full minutes).
  for (auto& s : out.servers) {
    const auto& col = std::find_if(cols.begin(), cols.end(), [&](auto& c) { return c.first == "util_" + s.name; })->second;
    for (size_t i = 0; i < n; ++i)
      if ((i + 1) * 60.0 <= t_end)
        s.peak_minute_utilisation = std::max(s.peak_minute_utilisation, col[i]);
  }
}

std::string hex64(uint64_t v)
{
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// Copies the migration model's report into the run result.
MigrationResult collect_migration(const models::MigrationReport& m, sim::Registry& metrics, double t_end)
{
  MigrationResult r;
  for (const auto& p : m.phases)
    r.phases.push_back({p.name, p.start_s, p.end_s, p.detail, p.skipped});
  const auto& c = m.cutover;
  r.cutover_result = c.result;
  r.cutover_failed_step = c.failed_step;
  r.cutover_reason = c.reason;
  r.cutover_started_s = c.started_s;
  r.writes_stopped_s = c.writes_stopped_s;
  r.drained_s = c.drained_s;
  r.dms_stopped_s = c.dms_stopped_s;
  r.launched_s = c.launched_s;
  r.dns_switched_s = c.dns_switched_s;
  r.dns_insync_s = c.dns_insync_s;
  r.finalized_s = c.finalized_s;
  r.cutover_duration_s = c.started_s >= 0 ? (c.ended_s >= 0 ? c.ended_s : t_end) - c.started_s : -1;
  r.source_committed = m.integrity.source_committed;
  r.target_applied = m.integrity.target_applied;
  r.lost_transactions = m.integrity.lost_transactions;
  r.behind_transactions = m.behind_transactions;
  // On-prem still the primary with RDS behind: the tables differ by what DMS has yet to apply; clean
  // means nothing lost and, when nothing is behind, identical tables.
  r.integrity_clean = m.behind_transactions > 0 ? m.integrity.lost_transactions == 0 : m.integrity.clean();
  for (const auto& t : m.integrity.tables)
    r.tables.push_back({t.table, t.source.count, t.target.count, hex64(t.source.checksum), hex64(t.target.checksum),
                        t.match()});
  r.refused_writes = m.refused_writes;
  r.target_site_commits = m.target_site_commits;
  r.writes_unavailable_s = m.writes_unavailable_s;
  r.shift_95_s = m.shift_95_s;
  r.rto_s = m.rto_s;
  r.dns_shift = m.dns_shift;
  r.dms_dcu_peak = m.dms_dcu_peak;
  r.dms_capacity = m.dms_capacity;
  r.dms_status = m.dms_status;
  r.mgn_states = m.mgn_states;
  r.migration_cost_usd = m.cost.migration_total_usd;
  for (const auto& [service, usd] : m.cost.migration_by_service_usd)
    r.migration_cost_by_service.emplace_back(service, usd);
  r.cost_bill = m.cost.to_json();
  const auto& cal = m.calendar;
  r.estimates = {
      {"period", m.calendar_given ? "the migration's calendar" : "the simulated window only (no /migration/calendar)"},
      {"calendar", m.calendar_given ? nlohmann::json{{"replication_days_before_cutover", cal.replication_days_before_cutover},
                                                     {"test_launches", cal.test_launches},
                                                     {"test_launch_hours", cal.test_launch_hours},
                                                     {"test_instance_type", cal.test_instance_type},
                                                     {"days_after_cutover_before_finalize",
                                                      cal.days_after_cutover_before_finalize}}
                                    : nlohmann::json()},
      {"monthly_traffic", {{"requests", m.monthly_traffic.requests}, {"response_gb", m.monthly_traffic.response_gb},
                           {"request_gb", m.monthly_traffic.request_gb},
                           {"static_share", m.monthly_traffic.static_share}}},
      {"migration", {{"total_usd", m.cost.migration_total_usd}}},
      {"post_migration", m.post_migration.to_json()},
      {"post_modernisation", m.post_modernisation.to_json()},
      {"on_prem", models::cost::kOnPremNotPriced}};
  // Highest per-minute CDC latency (source or target) once the full load had finished.
  double cdc_from = -1;
  for (const auto& p : m.phases)
    if (p.name == "DMS CDC")
      cdc_from = p.start_s;
  for (const auto& [name, series] : metrics.all_series()) {
    if (cdc_from < 0 || name.rfind("dms_cdc_latency_", 0) != 0)
      continue;
    const auto v = series->values(series->size());
    for (size_t i = static_cast<size_t>(std::ceil(cdc_from / 60.0)); i < v.size(); ++i)
      r.max_cdc_latency_s = std::max(r.max_cdc_latency_s, v[i]);
  }
  return r;
}

// Copies the EKS model's report into the run result (and summary.json's "eks" object).
EksResult collect_eks(const models::eks::EksReport& k)
{
  EksResult e;
  e.provisioner = k.provisioner;
  e.time_to_capacity_max_s = k.time_to_capacity_max_s;
  e.cost_usd = k.total_usd;
  e.monthly_cost_usd = k.monthly_usd;
  e.node_hours = k.node_hours;
  e.max_pending_pods = k.max_pending_pods;
  auto& j = e.detail;
  j["provisioner"] = k.provisioner;
  j["time_to_capacity_s"] = {{"max", k.time_to_capacity_max_s}, {"mean", k.time_to_capacity_mean_s},
                             {"scale_up_episodes", k.scale_up_episodes}};
  j["nodes"] = {{"peak", k.peak_nodes}, {"launched", k.nodes_launched}, {"removed", k.nodes_removed},
                {"failed", k.node_failures}, {"node_hours", k.node_hours}};
  for (const auto& [type, h] : k.node_hours_by_type)
    j["nodes"]["node_hours_by_type"][type] = h;
  j["pods"] = {{"peak_ready", k.peak_ready_pods}, {"max_pending", k.max_pending_pods},
               {"last_pending_reason", k.last_pending_reason},
               {"rolling_updates_completed", k.rolling_updates_completed}};
  for (const auto& [name, n] : k.final_replicas)
    j["pods"]["final_replicas"][name] = n;
  j["cost_usd"] = {{"control_plane", k.control_plane_usd}, {"nodes", k.node_cost_usd}, {"total", k.total_usd},
                   {"monthly_run_rate", k.monthly_usd}};
  j["cost"] = k.bill.to_json();  // itemised, same line items as aws.cost (compare-estates aligns them)
  return e;
}

void check_invariants(RunResult& r)
{
  // Every request is accounted for.
  const bool conserved = r.arrivals == r.completed + r.failed + r.in_flight;
  r.invariants.push_back({"request_conservation", conserved,
                          "arrivals " + std::to_string(r.arrivals) + " = completed " + std::to_string(r.completed) +
                              " + failed " + std::to_string(r.failed) + " + in flight " + std::to_string(r.in_flight)});
  const bool failures_add_up = r.failed == r.rejected + r.timeouts + r.server_errors;
  r.invariants.push_back({"failure_breakdown", failures_add_up,
                          "failed " + std::to_string(r.failed) + " = rejected + timeouts + server errors"});
  // Little's law, L measured from the in-system level, W from the requests' own timestamps.
  char buf[160];
  std::snprintf(buf, sizeof buf, "L = %.6g, lambda * W = %.6g * %.6g = %.6g (relative error %.3g %%)", r.little_l,
                r.little_lambda, r.little_w_s, r.little_lambda * r.little_w_s, r.little_rel_error * 100);
  r.invariants.push_back({"littles_law", r.arrivals == 0 || r.little_rel_error <= 0.01, buf});
}

}  // namespace

// Validates the model sections (rds, edge) and sizes the RDS server from its class and storage.
void prepare_model_sections(sim::Scenario& sc)
{
  models::rds::apply_rds_to_platform(sc);
  if (!sc.edge.is_null())
    models::edge::parse_edge(sc.edge, "/edge", sc);
}

sim::Scenario parse_full_scenario(const nlohmann::json& doc, const std::string& source)
{
  auto sc = sim::parse_scenario(doc, source);
  if (!sc.migration.is_null())
    models::parse_migration(sc);  // validates; the model parses it again when it is built
  if (!sc.aws.is_null())
    models::aws::expand_scenario(sc);  // the logical estate becomes the AWS one
  if (!sc.eks.is_null())
    models::eks::parse_eks(sc);
  prepare_model_sections(sc);
  return sc;
}

sim::Scenario load_scenario(const std::string& path)
{
  if (path.empty())
    return parse_full_scenario(nlohmann::json::parse(sim::default_scenario_json()), "<built-in default>");
  auto sc = sim::load_scenario_file(path);
  if (!sc.migration.is_null())
    models::parse_migration(sc);
  if (!sc.aws.is_null())
    models::aws::expand_scenario(sc);
  if (!sc.eks.is_null())
    models::eks::parse_eks(sc);
  prepare_model_sections(sc);
  return sc;
}

sim::Scenario load_scenario(const std::string& path, const std::vector<std::string>& sets)
{
  if (sets.empty())
    return load_scenario(path);
  auto doc = path.empty() ? nlohmann::json::parse(sim::default_scenario_json()) : sim::read_scenario_json(path);
  for (const auto& set : sets) {
    try {
      const auto axis = sweep::parse_set(set);
      if (axis.values.size() != 1)
        throw sweep::SweepInputError("--set " + set + ": one value only (a list of values is what sweep is for)");
      sweep::apply_path(doc, axis.path, axis.values.front());
    } catch (const sweep::SweepInputError& e) {
      std::string why = e.what();
      if (why.rfind("--set " + set + ": ", 0) == 0)
        why = why.substr(set.size() + 8);
      throw sim::InputError("--set " + set, why);
    }
  }
  return parse_full_scenario(doc, path.empty() ? "<built-in default>" : path);
}

RunResult run_scenario(const sim::Scenario& sc, const RunOptions& options)
{
  const auto wall0 = std::chrono::steady_clock::now();
  Simulation simulation(sc, options.verbose);
  auto& engine = simulation.engine();

  // Advance a simulated minute at a time so progress can be shown.
  double last_print = 0.0;
  for (double t = 0.0; t < sc.duration_s;) {
    t = std::min(sc.duration_s, t + 60.0);
    simulation.advance_to(t);
    if (options.progress) {
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
      if (wall - last_print >= 0.5 || t >= sc.duration_s) {
        last_print = wall;
        const double eta = t > 0 ? wall * (sc.duration_s - t) / t : 0.0;
        std::fprintf(stderr, "\r  simulated %s (%s of %s)   wall %.1f s   %.0f events/s   ETA %.0f s   ",
                     sim::format_sim_time(t).c_str(), sim::format_duration(t).c_str(),
                     sim::format_duration(sc.duration_s).c_str(), wall,
                     static_cast<double>(engine.events_run() + engine.activities_ended()) / std::max(wall, 1e-9), eta);
      }
    }
  }
  if (options.progress)
    std::fprintf(stderr, "\r%100s\r", "");
  auto r = simulation.finish();
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  return r;
}

Simulation::Simulation(const sim::Scenario& scenario, bool verbose)
    : sc_(scenario), engine_(std::make_unique<sim::Engine>()), metrics_(std::make_unique<sim::Registry>())
{
  sim::EventLog::instance().set_echo(verbose);
  sim::set_output_calendar(sc_.calendar);
  estate_ = std::make_unique<models::OnpremEstate>(sc_, *metrics_);
  if (!sc_.migration.is_null()) {
    migration_ = std::make_unique<models::Migration>(sc_, estate_->platform(), estate_->flow(), *metrics_);
    estate_->on_other_event = [this](const sim::EventSpec& e) { migration_->handle(e); };
    migration_->start();
    start_minute_sampler(*engine_, *metrics_, *migration_, sim::horizon_s(sc_));
  }
  if (!sc_.aws.is_null() && sc_.aws.contains("from_api")) {
    // The AWS estate is what the API builds: the endpoint binds it (docs/estate-from-api.md).
    api_estate_ = std::make_unique<models::aws::ApiEstate>(sc_, estate_->flow(), *metrics_);
    api_estate_->start();
  } else if (!sc_.aws.is_null()) {
    aws_ = std::make_unique<models::aws::AwsEstate>(sc_, estate_->platform(), estate_->flow(), *metrics_);
    estate_->on_other_event = [this](const sim::EventSpec& e) { aws_->handle(e); };
    aws_->start();
  }
  if (!sc_.rds.is_null()) {
    rds_ = std::make_unique<models::rds::RdsRuntime>(sc_, estate_->flow(), *metrics_);
    auto previous = estate_->on_other_event;
    estate_->on_other_event = [this, previous](const sim::EventSpec& e) {
      if (!rds_->handle(e) && previous)
        previous(e);
    };
  }
  if (!sc_.edge.is_null())
    edge_ = std::make_unique<models::edge::EdgeRuntime>(sc_, sc_.edge, "/edge", estate_->flow(), *metrics_);
  if (aws_ && rds_) {
    // An AZ lost or back: the RDS instance fails over (Multi-AZ) or goes down with it.
    aws_->on_az_change = [this](const std::string& az, bool up) {
      if (up)
        rds_->az_restored(az);
      else
        rds_->az_lost(az);
    };
  }
  if (aws_ && edge_) {
    // CloudFront, S3 and WAF on the estate's bill, from what the edge counted.
    auto previous = aws_->add_costs;
    aws_->add_costs = [this, previous](models::cost::SharedQuantities& s, double hours) {
      if (previous)
        previous(s, hours);
      // Every viewer request passes CloudFront, so every response byte is billed as CloudFront data
      // out; CloudFront's fetches from the origin are free. Billing them as internet egress from the
      // region as well would count them twice.
      s.internet_out_gb = 0;
      const auto& c = edge_->cloudfront().counters();
      const auto& e = edge_->cloudfront().settings();
      s.cloudfront_gb += c.bytes_out / 1e9;
      s.cloudfront_https_requests += static_cast<double>(c.requests);
      s.s3_get_requests += static_cast<double>(c.s3_fetches);
      if (e.waf) {
        s.waf_web_acls = std::max(s.waf_web_acls, 1.0);
        s.waf_rules = std::max(s.waf_rules, static_cast<double>(e.waf_rules));
        s.waf_requests += static_cast<double>(c.requests);
      }
      (void)hours;
    };
  }
  if (!sc_.eks.is_null()) {
    // The workload is served by the EKS estate instead of the platform's servers.
    eks_ = std::make_unique<models::eks::EksCluster>(sc_, *metrics_);
    for (const auto& e : sc_.events)
      engine_->at(e.at_s, [this, &e]() {
        if (!eks_->handle(e))
          sim::EventLog::instance().record(engine_->now(), "eks", "event " + e.action + " does not apply to EKS");
      });
    eks_->start();
    return;
  }
  estate_->start();
}

Simulation::~Simulation() = default;

double Simulation::now() const { return engine_->now(); }

void Simulation::advance_to(double t) { engine_->run_until(std::min(t, sim::horizon_s(sc_))); }

RunResult Simulation::finish()
{
  const auto& sc = sc_;
  auto& engine = *engine_;
  auto& metrics = *metrics_;
  auto& estate = *estate_;
  auto& migration = migration_;
  advance_to(sc.duration_s);
  const double t_end = sc.duration_s;
  estate.finish(t_end);

  RunResult r;
  r.scenario = sc.name;
  r.source = sc.source;
  r.seed = sc.seed;
  r.duration_s = t_end;
  r.calendar = sc.calendar;
  const auto& tot = estate.flow().totals();
  r.arrivals = tot.arrivals;
  r.completed = tot.completed;
  r.failed = tot.failed;
  r.in_flight = tot.in_flight;
  r.rejected = tot.rejected;
  r.timeouts = tot.timeouts;
  r.server_errors = tot.server_errors;
  r.in_flight_past_deadline = tot.in_flight_past_deadline;
  r.transactions_committed = metrics.counter("transactions_committed");
  r.rows_committed = metrics.counter("rows_committed");
  r.expected_arrivals = estate.flow().profile().expected_arrivals(0.0, t_end);
  const auto& lat = metrics.histogram("latency_s");
  r.p50_ms = lat.percentile(50) * 1000;
  r.p95_ms = lat.percentile(95) * 1000;
  r.p99_ms = lat.percentile(99) * 1000;
  r.max_ms = lat.max() * 1000;
  r.mean_ms = lat.mean() * 1000;
  const auto finished = r.completed + r.failed;
  // Requests still in flight past their client's deadline were errors for those clients.
  const auto seen_errors = r.failed + r.in_flight_past_deadline;
  r.error_rate = finished + r.in_flight_past_deadline
                     ? static_cast<double>(seen_errors) / static_cast<double>(finished + r.in_flight_past_deadline)
                     : 0.0;
  r.throughput_rps = static_cast<double>(r.completed) / t_end;

  r.little_l = metrics.time_weighted("requests_in_system").mean(t_end);
  r.little_lambda = static_cast<double>(r.arrivals) / t_end;
  r.little_w_s = r.arrivals ? tot.sojourn_sum_s / static_cast<double>(r.arrivals) : 0.0;
  r.little_rel_error = r.little_l > 0 ? std::abs(r.little_l - r.little_lambda * r.little_w_s) / r.little_l : 0.0;

  for (const auto& c : sc.workload.classes) {
    const std::string l = "{class=" + c.name + "}";
    const auto& h = metrics.histogram("latency_s" + l);
    r.classes.push_back({c.name, metrics.counter("requests_arrived" + l), metrics.counter("requests_completed" + l),
                         metrics.counter("requests_rejected" + l), metrics.counter("requests_timed_out" + l),
                         metrics.counter("requests_server_error" + l), h.percentile(50) * 1000,
                         h.percentile(95) * 1000, h.percentile(99) * 1000, h.max() * 1000, h.mean() * 1000});
  }
  for (const auto& s : sc.platform.servers) {
    const double busy = metrics.time_weighted("server_busy_cores{server=" + s.name + "}").mean(t_end);
    r.servers.push_back({s.name, s.cores, busy / s.cores, 0.0});
  }
  for (const auto& st : estate.flow().stations())
    r.services.push_back({st->spec().name, st->spec().server, st->workers(), st->peak_queue_length(), st->served(),
                          st->mean_wait_s() * 1000});
  if (migration)
    r.migration = collect_migration(migration->report(t_end), metrics, t_end);
  if (rds_) {
    r.rds = rds_->report(t_end);
    for (const auto& [k, v] : rds_->metrics(t_end))
      r.model_metrics[k] = v;
  }
  if (edge_) {
    r.edge = edge_->report(t_end);
    for (const auto& [k, v] : edge_->metrics(t_end))
      r.model_metrics[k] = v;
  }
  if (aws_) {
    aws_->finish(t_end);
    r.aws = aws_->report();
    r.aws_metrics = aws_->headline();
    if (auto it = r.aws_metrics.find("aws_monthly_cost_usd"); it != r.aws_metrics.end())
      r.cost_per_month_usd = it->second;
  }
  if (r.migration && r.migration->cost_bill.value("monthly_run_rate_usd", 0.0) > 0)
    r.cost_per_month_usd = r.migration->cost_bill.value("monthly_run_rate_usd", 0.0);
  if (eks_) {
    eks_->finish(t_end);
    const auto t = eks_->load().totals();
    r.arrivals = t.arrivals;
    r.completed = t.completed;
    r.failed = t.failed;
    r.in_flight = t.in_flight;
    r.rejected = t.rejected;
    r.timeouts = t.timeouts;
    r.server_errors = t.server_errors;
    r.expected_arrivals = eks_->load().profile().expected_arrivals(0.0, t_end);
    r.p50_ms = lat.percentile(50) * 1000;
    r.p95_ms = lat.percentile(95) * 1000;
    r.p99_ms = lat.percentile(99) * 1000;
    r.max_ms = lat.max() * 1000;
    r.mean_ms = lat.mean() * 1000;
    const auto fin = r.completed + r.failed;
    r.error_rate = fin ? static_cast<double>(r.failed) / static_cast<double>(fin) : 0.0;
    r.throughput_rps = static_cast<double>(r.completed) / t_end;
    r.little_l = metrics.time_weighted("requests_in_system").mean(t_end);
    r.little_lambda = static_cast<double>(r.arrivals) / t_end;
    r.little_w_s = r.arrivals ? t.sojourn_sum_s / static_cast<double>(r.arrivals) : 0.0;
    r.little_rel_error = r.little_l > 0 ? std::abs(r.little_l - r.little_lambda * r.little_w_s) / r.little_l : 0.0;
    r.eks = collect_eks(eks_->report(t_end));
    r.cost_per_month_usd = r.eks->monthly_cost_usd;
  }
  collect_series(sc, metrics, t_end, r);
  append_capacity_series(sc, r);
  check_invariants(r);
  evaluate_expectations(sc, r);

  r.events = engine.events_run() + engine.activities_ended();
  return r;
}

bool RunResult::all_expectations_passed() const
{
  return std::all_of(expectations.begin(), expectations.end(), [](auto& e) { return e.passed; });
}

bool RunResult::pins_failures() const
{
  return std::any_of(expectations.begin(), expectations.end(), [](auto& e) { return e.pins_failure; });
}

bool RunResult::failure_reproduced() const
{
  return pins_failures() &&
         std::all_of(expectations.begin(), expectations.end(), [](auto& e) { return !e.pins_failure || e.passed; });
}

bool RunResult::all_invariants_held() const
{
  return std::all_of(invariants.begin(), invariants.end(), [](auto& i) { return i.held; });
}

}  // namespace migsim::harness
