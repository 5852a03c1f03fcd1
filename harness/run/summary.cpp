#include "harness/run/summary.hpp"

#include "harness/run/output_file.hpp"
#include "sim/event_log.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace migsim::harness {

namespace {

// Rounds to 9 significant digits so summaries stay readable and stable.
double tidy(double v)
{
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return std::strtod(buf, nullptr);
}

std::string fmt(const char* f, double v)
{
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

}  // namespace

const char* expectation_label(const ExpectationResult& e)
{
  if (e.pins_failure)
    return e.passed ? "FAILS (pinned)" : "FAIL (failure not reproduced)";
  return e.passed ? "PASS" : "FAIL";
}

bool is_slo_metric(const std::string& m) { return m.ends_with("_ms") || m == "error_rate" || m == "utilisation"; }

nlohmann::json summary_json(const RunResult& r)
{
  nlohmann::json j;
  j["schema_version"] = kSummarySchemaVersion;
  j["scenario"] = {{"name", r.scenario},
                   {"seed", r.seed},
                   {"duration_s", tidy(r.duration_s)},
                   {"start", r.calendar.iso(0)},
                   {"end", r.calendar.iso(r.duration_s)}};
  if (!r.settings.empty())
    j["scenario"]["set"] = r.settings;
  j["requests"] = {{"arrivals", r.arrivals},
                   {"expected_arrivals", tidy(r.expected_arrivals)},
                   {"completed", r.completed},
                   {"failed", r.failed},
                   {"in_flight", r.in_flight},
                   {"in_flight_past_deadline", r.in_flight_past_deadline},
                   {"rejected", r.rejected},
                   {"timeouts", r.timeouts},
                   {"server_errors", r.server_errors},
                   {"error_rate", tidy(r.error_rate)},
                   {"throughput_rps", tidy(r.throughput_rps)}};
  j["latency_ms"] = {{"p50", tidy(r.p50_ms)}, {"p95", tidy(r.p95_ms)}, {"p99", tidy(r.p99_ms)},
                     {"max", tidy(r.max_ms)}, {"mean", tidy(r.mean_ms)}};
  j["transactions"] = {{"committed", r.transactions_committed}, {"rows_committed", r.rows_committed}};
  j["littles_law"] = {{"L", tidy(r.little_l)},
                      {"lambda_per_s", tidy(r.little_lambda)},
                      {"W_s", tidy(r.little_w_s)},
                      {"relative_error", tidy(r.little_rel_error)}};
  auto& classes = j["classes"] = nlohmann::json::array();
  for (const auto& c : r.classes)
    classes.push_back({{"name", c.name},
                       {"arrivals", c.arrivals},
                       {"completed", c.completed},
                       {"rejected", c.rejected},
                       {"timeouts", c.timeouts},
                       {"server_errors", c.server_errors},
                       {"latency_ms",
                        {{"p50", tidy(c.p50_ms)}, {"p95", tidy(c.p95_ms)}, {"p99", tidy(c.p99_ms)},
                         {"max", tidy(c.max_ms)}, {"mean", tidy(c.mean_ms)}}}});
  auto& servers = j["servers"] = nlohmann::json::array();
  for (const auto& s : r.servers)
    servers.push_back({{"name", s.name},
                       {"cores", s.cores},
                       {"utilisation", tidy(s.utilisation)},
                       {"peak_minute_utilisation", tidy(s.peak_minute_utilisation)}});
  auto& services = j["services"] = nlohmann::json::array();
  for (const auto& s : r.services)
    services.push_back({{"name", s.name}, {"server", s.server}, {"workers", s.workers}, {"peak_queue", s.peak_queue},
                        {"served", s.served}, {"mean_wait_ms", tidy(s.mean_wait_ms)}});
  auto& inv = j["invariants"] = nlohmann::json::array();
  for (const auto& i : r.invariants)
    inv.push_back({{"name", i.name}, {"held", i.held}, {"detail", i.detail}});
  auto& ex = j["expectations"] = nlohmann::json::array();
  for (const auto& e : r.expectations) {
    nlohmann::json x = {{"name", e.name}, {"metric", e.metric}, {"measured", tidy(e.measured)}, {"passed", e.passed}};
    if (e.min)
      x["min"] = *e.min;
    if (e.max)
      x["max"] = *e.max;
    if (!e.window.empty())
      x["window"] = e.window;
    if (!e.note.empty())
      x["note"] = e.note;
    if (e.pins_failure)
      x["pins_failure"] = true;
    ex.push_back(x);
  }
  if (r.eks)
    j["eks"] = r.eks->detail;
  if (r.migration) {
    const auto& g = *r.migration;
    auto& mj = j["migration"];
    auto& phases = mj["phases"] = nlohmann::json::array();
    for (const auto& p : g.phases)
      phases.push_back({{"name", p.name},
                        {"start_s", tidy(p.start_s)},
                        {"end_s", p.end_s < 0 ? nlohmann::json(nullptr) : nlohmann::json(tidy(p.end_s))},
                        {"duration_s", p.end_s < 0 ? nlohmann::json(nullptr) : nlohmann::json(tidy(p.end_s - p.start_s))},
                        {"status", p.skipped ? "skipped" : p.end_s < 0 ? "running" : "done"},
                        {"detail", p.detail}});
    auto opt = [](double v) { return v < 0 ? nlohmann::json(nullptr) : nlohmann::json(tidy(v)); };
    mj["cutover"] = {{"result", g.cutover_result},
                     {"failed_step", g.cutover_failed_step},
                     {"reason", g.cutover_reason},
                     {"started_s", opt(g.cutover_started_s)},
                     {"writes_stopped_s", opt(g.writes_stopped_s)},
                     {"cdc_drained_s", opt(g.drained_s)},
                     {"dms_stopped_s", opt(g.dms_stopped_s)},
                     {"instances_launched_s", opt(g.launched_s)},
                     {"dns_switched_s", opt(g.dns_switched_s)},
                     {"dns_insync_s", opt(g.dns_insync_s)},
                     {"finalized_s", opt(g.finalized_s)},
                     {"duration_s", opt(g.cutover_duration_s)}};
    mj["downtime"] = {{"write_downtime_s", tidy(g.writes_unavailable_s)},
                      {"refused_writes", g.refused_writes},
                      {"dns_shift_95_s", opt(g.shift_95_s)},
                      {"rto_s", opt(g.rto_s)}};
    auto& shift = mj["dns_shift"] = nlohmann::json::array();
    for (const auto& [t, share] : g.dns_shift)
      shift.push_back({{"t_s", tidy(t)}, {"share_new_site", tidy(share)}});
    auto& tables = mj["integrity"]["tables"] = nlohmann::json::array();
    for (const auto& t : g.tables)
      tables.push_back({{"name", t.name},
                        {"source_rows", t.source_rows},
                        {"target_rows", t.target_rows},
                        {"source_checksum", t.source_checksum},
                        {"target_checksum", t.target_checksum},
                        {"match", t.match}});
    mj["integrity"]["source_committed"] = g.source_committed;
    mj["integrity"]["target_applied"] = g.target_applied;
    mj["integrity"]["lost_transactions"] = g.lost_transactions;
    mj["integrity"]["behind_transactions"] = g.behind_transactions;
    mj["integrity"]["clean"] = g.integrity_clean;
    mj["target_site_commits"] = g.target_site_commits;
    mj["dms"] = {{"status", g.dms_status}, {"peak_dcu", g.dms_dcu_peak}, {"max_cdc_latency_s", tidy(g.max_cdc_latency_s)}};
    auto& capacity = mj["dms"]["capacity"] = nlohmann::json::array();
    for (const auto& [t, dcu] : g.dms_capacity)
      capacity.push_back({{"t_s", tidy(t)}, {"dcu", dcu}});
    mj["cost"] = g.cost_bill;
    mj["estimates"] = g.estimates;
    auto& mgn = mj["mgn"] = nlohmann::json::array();
    for (const auto& [server, state] : g.mgn_states)
      mgn.push_back({{"server", server}, {"lifecycle", state}});
  }
  if (r.cost_per_month_usd >= 0)
    j["cost_per_month_usd"] = tidy(r.cost_per_month_usd);
  if (!r.rds.is_null())
    j["rds"] = r.rds;
  if (!r.edge.is_null())
    j["edge"] = r.edge;
  if (r.aws)
    j["aws"] = *r.aws;
  if (r.pins_failures())
    j["failure_reproduced"] = r.failure_reproduced();
  j["verdict"] = !r.all_invariants_held() ? "invariant_violated" : (r.all_expectations_passed() ? "pass" : "fail");
  return j;
}

void write_summary(const RunResult& r, const std::string& dir)
{
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw OutputError("cannot create output directory \"" + dir + "\": " + ec.message());
  write_text_file(dir + "/summary.json", summary_json(r).dump(2) + "\n");
  std::ostringstream csv;
  for (size_t i = 0; i < r.series_columns.size(); ++i)
    csv << (i ? "," : "") << r.series_columns[i];
  csv << "\n";
  for (const auto& row : r.series_rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      char buf[32];
      std::snprintf(buf, sizeof buf, i == 0 ? "%.0f" : "%.6g", row[i]);
      csv << (i ? "," : "") << buf;
    }
    csv << "\n";
  }
  write_text_file(dir + "/timeseries.csv", csv.str());
}

void print_summary(const RunResult& r, std::ostream& out)
{
  out << "Scenario " << r.scenario << " (seed " << r.seed << ", " << sim::format_duration(r.duration_s)
      << " simulated)\n";
  out << "  clock      " << r.calendar.datetime(0) << " to " << r.calendar.datetime(r.duration_s) << " "
      << r.calendar.zone() << " (times below are on this calendar)\n";
  for (const auto& set : r.settings)
    out << "  with --set " << set << "\n";
  out << "  requests   " << r.arrivals << " arrived, " << r.completed << " completed, " << r.failed << " failed ("
      << r.rejected << " rejected, " << r.timeouts << " timed out, " << r.server_errors << " server errors), "
      << r.in_flight << " in flight\n";
  out << "  error rate " << fmt("%.3f %%", r.error_rate * 100) << "   throughput " << fmt("%.1f req/s", r.throughput_rps)
      << "   write transactions committed " << r.transactions_committed << "\n";
  out << "  latency    p50 " << fmt("%.1f", r.p50_ms) << " ms   p95 " << fmt("%.1f", r.p95_ms) << " ms   p99 "
      << fmt("%.1f", r.p99_ms) << " ms   max " << fmt("%.1f", r.max_ms) << " ms\n\n";
  char line[256];
  std::snprintf(line, sizeof line, "  %-12s %10s %10s %9s %9s %9s %9s\n", "class", "arrived", "errors", "p50 ms",
                "p95 ms", "p99 ms", "max ms");
  out << line;
  for (const auto& c : r.classes) {
    std::snprintf(line, sizeof line, "  %-12s %10llu %10llu %9.1f %9.1f %9.1f %9.1f\n", c.name.c_str(), c.arrivals,
                  c.rejected + c.timeouts + c.server_errors, c.p50_ms, c.p95_ms, c.p99_ms, c.max_ms);
    out << line;
  }
  out << "\n";
  std::snprintf(line, sizeof line, "  %-12s %6s %12s %14s\n", "server", "cores", "utilisation", "peak minute");
  out << line;
  for (const auto& s : r.servers) {
    std::snprintf(line, sizeof line, "  %-12s %6d %11.1f%% %13.1f%%\n", s.name.c_str(), s.cores, s.utilisation * 100,
                  s.peak_minute_utilisation * 100);
    out << line;
  }
  out << "\n";
  if (r.migration) {
    const auto& g = *r.migration;
    out << "  migration phases\n";
    for (const auto& p : g.phases) {
      std::snprintf(line, sizeof line, "    %-28s %19s  ", p.name.c_str(), r.calendar.datetime(p.start_s).c_str());
      out << line
          << (p.skipped  ? std::string("SKIPPED")
              : p.end_s < 0 ? std::string("(running at the end)")
                            : sim::format_duration(p.end_s - p.start_s))
          << (p.detail.empty() ? "" : "  " + p.detail) << "\n";
    }
    out << "  cutover " << g.cutover_result;
    if (g.cutover_started_s >= 0)
      out << " (started " << r.calendar.datetime(g.cutover_started_s) << ")";
    if (!g.cutover_failed_step.empty())
      out << " (step " << g.cutover_failed_step << ": " << g.cutover_reason << ")";
    if (g.cutover_duration_s >= 0)
      out << ", " << sim::format_duration(g.cutover_duration_s);
    out << "\n  writes unavailable " << sim::format_duration(g.writes_unavailable_s) << " (" << g.refused_writes
        << " writes refused); DNS 95 % shifted "
        << (g.shift_95_s < 0 ? std::string("-") : sim::format_duration(g.shift_95_s)) << " after the switch; RTO "
        << (g.rto_s < 0 ? std::string("-") : sim::format_duration(g.rto_s)) << "\n";
    out << "  integrity " << (g.integrity_clean ? "clean" : "NOT CLEAN") << ": " << g.source_committed
        << " transactions committed on-prem, " << g.target_applied << " applied on RDS, " << g.lost_transactions
        << " lost"
        << (g.behind_transactions ? ", " + std::to_string(g.behind_transactions) + " behind (on-prem still primary)" : "")
        << "\n";
    char money[64];
    std::snprintf(money, sizeof money, "$%.2f", g.migration_cost_usd);
    out << "  one-time migration cost " << money << " over " << g.estimates.value("period", std::string())
        << " (us-east-1 list prices:";
    for (const auto& [service, usd] : g.migration_cost_by_service) {
      std::snprintf(money, sizeof money, " %s $%.2f", service.c_str(), usd);
      out << money;
    }
    out << ")\n";
    if (g.estimates.contains("post_migration")) {
      char months[160];
      std::snprintf(months, sizeof months, "$%.2f a month after the migration, $%.2f after the modernisation",
                    g.estimates["post_migration"].value("monthly_run_rate_usd", 0.0),
                    g.estimates["post_modernisation"].value("monthly_run_rate_usd", 0.0));
      out << "  design estimates: " << months << " (the run's traffic scaled to a month; on-prem not priced)\n";
    }
    for (const auto& t : g.tables)
      if (!t.match)
        out << "    table " << t.name << ": source " << t.source_rows << " rows / " << t.source_checksum << ", target "
            << t.target_rows << " rows / " << t.target_checksum << "\n";
    out << "\n";
  }
  if (!r.rds.is_null()) {
    const auto& d = r.rds;
    out << "  RDS " << d["identifier"].get<std::string>() << " " << d["instance_class"].get<std::string>()
        << (d["multi_az"].get<bool>() ? " Multi-AZ" : " Single-AZ") << ", max_connections "
        << d["max_connections"].get<int>() << ", " << d["transactions_committed"].get<unsigned long long>()
        << " transactions committed\n";
    for (const auto& o : d["outages"])
      out << "    outage at " << r.calendar.datetime(o["start_s"].get<double>()) << " for "
          << sim::format_duration(o["window_s"].get<double>()) << " (" << o.value("cause", std::string("AZ down"))
          << "): " << o["errors"].get<unsigned long long>() << " errors, "
          << o.value("committed_at_start", 0ULL) - o.value("on_standby_at_start", 0ULL) << " committed transactions lost\n";
    if (d.contains("read_replica"))
      out << "    read replica " << d["read_replica"]["identifier"].get<std::string>() << ": max lag "
          << fmt("%.1f", d["read_replica"]["max_lag_s"].get<double>()) << " s\n";
    out << "\n";
  }
  if (!r.edge.is_null()) {
    const auto& e = r.edge;
    out << "  CloudFront " << e["requests"].get<unsigned long long>() << " requests, " << e["hits"].get<unsigned long long>()
        << " edge hits, " << e["s3_fetches"].get<unsigned long long>() << " S3 fetches, "
        << e["passed_to_alb"].get<unsigned long long>() << " to the ALB; WAF blocked "
        << e["waf_blocked"].get<unsigned long long>() << "; edge cost "
        << fmt("$%.2f", e["metrics"]["edge_monthly_cost_usd"].get<double>()) << " a month\n\n";
  }
  if (r.aws) {
    const auto& a = *r.aws;
    out << "  AWS estate (" << a["region"].get<std::string>() << ")\n";
    for (const auto& g : a["groups"]) {
      std::snprintf(line, sizeof line, "    %-12s %-10s peak %2d in service, %7.1f instance-hours, %d scale-outs, %d scale-ins\n",
                    g["name"].get<std::string>().c_str(), g["instance_type"].get<std::string>().c_str(),
                    g["peak_in_service"].get<int>(), g["instance_hours"].get<double>(), g["scale_out_decisions"].get<int>(),
                    g["scale_in_decisions"].get<int>());
      out << line;
    }
    std::snprintf(line, sizeof line, "    monthly run-rate $%.2f (us-east-1 list prices, from what ran)\n\n",
                  a["monthly_run_rate_usd"].get<double>());
    out << line;
  }
  if (r.eks) {
    const auto& d = r.eks->detail;
    char money[160];
    std::snprintf(money, sizeof money, "$%.2f over the run, $%.0f per month at this rate", r.eks->cost_usd,
                  r.eks->monthly_cost_usd);
    out << "  EKS (" << r.eks->provisioner << "): time to capacity "
        << sim::format_duration(r.eks->time_to_capacity_max_s) << " (longest of "
        << d["time_to_capacity_s"]["scale_up_episodes"].get<int>() << " scale-ups); nodes peak "
        << d["nodes"]["peak"].get<int>() << ", " << fmt("%.1f", r.eks->node_hours) << " node-hours; pending pods max "
        << r.eks->max_pending_pods << "\n  EKS cost " << money << "\n\n";
  }
  for (const auto& i : r.invariants)
    out << "  invariant " << (i.held ? "ok      " : "VIOLATED") << " " << i.name << ": " << i.detail << "\n";
  if (!r.expectations.empty())
    out << "\n";
  for (const auto& e : r.expectations) {
    out << "  " << expectation_label(e) << "  " << e.name << " = " << fmt("%.6g", e.measured);
    if (e.min)
      out << "  (min " << fmt("%.6g", *e.min) << ")";
    if (e.max)
      out << "  (max " << fmt("%.6g", *e.max) << ")";
    if (!e.window.empty())
      out << "  over " << e.window;
    if (!e.note.empty())
      out << "  [" << e.note << "]";
    out << "\n";
  }
  size_t passed = 0, pinned = 0;
  for (const auto& e : r.expectations) {
    passed += e.passed;
    pinned += e.pins_failure;
  }
  out << "\n  verdict: "
      << (!r.all_invariants_held() ? "INVARIANT VIOLATED"
                                   : (r.all_expectations_passed() ? "PASS" : "FAIL"))
      << " (" << passed << "/" << r.expectations.size() << " expectations)\n";
  const bool breaks_slos = std::any_of(r.expectations.begin(), r.expectations.end(),
                                       [](auto& e) { return e.pins_failure && is_slo_metric(e.metric); });
  if (r.all_invariants_held() && r.failure_reproduced() && breaks_slos)
    out << "  the estate FAILS its SLOs, as this scenario is built to show: " << pinned
        << " expectation(s) pin the failure and hold (marked FAILS (pinned))\n";
  else if (r.all_invariants_held() && r.failure_reproduced())
    out << "  the fault this scenario injects shows: " << pinned << " expectation(s) pin its effect and hold (marked "
        << "FAILS (pinned)); the others say how the estate held through it\n";
  else if (r.all_invariants_held() && r.pins_failures())
    out << "  the failure this scenario is built to show was NOT reproduced\n";
}

}  // namespace migsim::harness
