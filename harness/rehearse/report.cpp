#include "harness/rehearse/report.hpp"

#include "harness/run/summary.hpp"
#include "harness/serve/core/serve_context.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace migsim::harness::rehearse {

using nlohmann::json;

namespace {

// Minutes of the series from `from_s` to `to_s` (columns named as in timeseries.csv), the ones
// that tell what users saw: arrivals, completions, errors, refused writes, arrivals per site.
json user_minutes(const RunResult& r, double from_s, double to_s)
{
  std::vector<size_t> cols;
  for (size_t i = 1; i < r.series_columns.size(); ++i) {
    const auto& c = r.series_columns[i];
    if (c == "arrivals" || c == "completed" || c == "errors" || c == "writes_refused" || c.rfind("arrivals_", 0) == 0 ||
        c.rfind("arrivals{", 0) == 0)
      cols.push_back(i);
  }
  json out = json::array();
  for (const auto& row : r.series_rows) {
    const double t = row.at(0) * 60.0;
    if (t + 60 <= from_s || t > to_s)
      continue;
    json m = {{"t_s", t}, {"clock", sim_clock(t)}};
    for (size_t i : cols)
      m[r.series_columns[i]] = row.at(i);
    out.push_back(std::move(m));
  }
  return out;
}

std::string fmt_s(double s)
{
  char buf[48];
  if (s < 0)
    return "-";
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%d min %02d s", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else
    std::snprintf(buf, sizeof buf, "%d h %02d min", static_cast<int>(s) / 3600, static_cast<int>(s) % 3600 / 60);
  return buf;
}

}  // namespace

std::string sim_clock(double sim_s) { return sim::output_calendar().datetime(sim_s); }

json rehearsal_report(const RehearsalInputs& in)
{
  const RunResult& r = *in.result;
  const json& log = in.runbook_log;
  json timeline = json::array();
  // The setup commands first: on the timeline as steps of action "setup".
  for (size_t i = 0; i < in.setup.size(); ++i) {
    const json& s = in.setup[i];
    const int code = s.at("exit_code").get<int>();
    std::string name = "setup " + std::to_string(i + 1) + ": " + s.at("command").get<std::string>();
    if (name.size() > 60)
      name = name.substr(0, 57) + "...";
    json e = {{"step", name},        {"action", "setup"},      {"status", code == 0 ? "Success" : "Failed"},
              {"start_s", s.at("start_s")}, {"end_s", s.at("end_s")}, {"start", s.at("start")},
              {"end", s.at("end")},  {"duration_s", s.at("duration_s")}, {"attempts", 1},
              {"api_calls", s.at("api_calls")}};
    if (code != 0)
      e["failure_reason"] = "exited " + std::to_string(code) + " (see " + s.at("log").get<std::string>() + ")";
    timeline.push_back(std::move(e));
  }
  double runbook_end_s = in.start_at_s;
  for (const auto& s : log.at("steps")) {
    const double start = s.at("start_epoch_s").get<double>() - serve::epoch_at_zero_s();
    const double end = s.at("end_epoch_s").get<double>() - serve::epoch_at_zero_s();
    runbook_end_s = std::max(runbook_end_s, end);
    json e = {{"step", s.at("name")},   {"action", s.at("action")}, {"status", s.at("status")},
              {"start_s", start},       {"end_s", end},             {"start", sim_clock(start)}, {"end", sim_clock(end)},
              {"duration_s", end - start}, {"attempts", s.at("attempts")}};
    for (const char* k : {"service", "api", "failure_reason", "next_step"})
      if (s.contains(k))
        e[k] = s.at(k);
    timeline.push_back(std::move(e));
  }
  // The runbook's own start on the server clock (the clock may run on while the client starts).
  const double runbook_start_s = log.at("start_epoch_s").get<double>() - serve::epoch_at_zero_s();
  json runbook = {{"file", in.runbook_file},
                  {"status", log.at("status")},
                  {"clock_advanced_to_s", in.start_at_s},
                  {"start_s", runbook_start_s},
                  {"end_s", runbook_end_s},
                  {"duration_s", runbook_end_s - runbook_start_s},
                  {"parameters", in.parameters},
                  {"steps_run", timeline.size()}};
  if (log.contains("failed_step")) {
    runbook["failed_step"] = log.at("failed_step");
    runbook["failure_reason"] = log.at("failure_reason");
  }
  // Rollback: the steps run after the first failed one (the runbook's onFailure path).
  bool failed = false;
  for (auto& e : timeline) {
    if (failed)
      e["rollback"] = true;
    failed |= e["status"] != "Success";
  }
  json events = json::array();
  for (const auto& e : in.events) {
    json x = {{"at_s", e.at_s}, {"clock", sim_clock(e.at_s)}, {"action", e.action}};
    if (!e.target.empty())
      x["target"] = e.target;
    events.push_back(std::move(x));
  }
  json report = {{"schema_version", kRehearsalSchemaVersion},
                 {"scenario", {{"file", in.scenario_file}, {"name", r.scenario}, {"seed", r.seed}, {"duration_s", r.duration_s},
                               {"start", r.calendar.iso(0)}}},
                 {"speed", in.speed},
                 {"setup", in.setup},
                 {"runbook", runbook},
                 {"timeline", timeline},
                 {"events", events}};
  // What users saw: from 10 minutes before the runbook to 30 minutes after it.
  json downtime = {{"requests_failed", r.failed}, {"error_rate", r.error_rate}};
  json data = json::object();
  if (r.migration) {
    const auto& m = *r.migration;
    downtime["write_downtime_s"] = m.writes_unavailable_s;
    downtime["refused_writes"] = m.refused_writes;
    downtime["dns_shift_95_s"] = m.shift_95_s;
    downtime["rto_s"] = m.rto_s;
    data = {{"source_committed", m.source_committed}, {"target_applied", m.target_applied},
            {"lost_transactions", m.lost_transactions}, {"behind_transactions", m.behind_transactions},
            {"integrity_clean", m.integrity_clean}};
    json shift = json::array();
    for (const auto& [t, share] : m.dns_shift)
      shift.push_back({{"t_s", t}, {"clock", sim_clock(t)}, {"share_new_site", share}});
    report["dns_shift"] = shift;
    report["cutover"] = {{"result", m.cutover_result},        {"started_s", m.cutover_started_s},
                         {"writes_stopped_s", m.writes_stopped_s}, {"dns_switched_s", m.dns_switched_s},
                         {"dns_insync_s", m.dns_insync_s},    {"finalized_s", m.finalized_s}};
  }
  downtime["per_minute"] = user_minutes(r, in.start_at_s - 600, runbook_end_s + 1800);
  report["downtime"] = downtime;
  report["data"] = data;
  report["final_state"] = in.final_state;
  report["api_calls"] = in.api_calls;
  if (!in.resource_timeline.is_null())
    report["resource_timeline"] = in.resource_timeline;
  json expectations = json::array();
  for (const auto& e : r.expectations) {
    json x = {{"name", e.name}, {"metric", e.metric}, {"measured", e.measured}, {"passed", e.passed}};
    if (e.min)
      x["min"] = *e.min;
    if (e.max)
      x["max"] = *e.max;
    expectations.push_back(std::move(x));
  }
  report["expectations"] = expectations;
  json invariants = json::array();
  for (const auto& i : r.invariants)
    invariants.push_back({{"name", i.name}, {"held", i.held}, {"detail", i.detail}});
  report["invariants"] = invariants;
  const bool ok = log.at("status") == "Success" && r.all_expectations_passed();
  report["verdict"] = !r.all_invariants_held() ? "invariant_violated" : (ok ? "pass" : "fail");
  report["wall"] = {{"endpoint", in.endpoint}, {"wall_s", in.wall_s}};
  if (!in.setup_wall_s.empty())
    report["wall"]["setup_wall_s"] = in.setup_wall_s;
  return report;
}

bool rehearsal_passed(const json& report) { return report.at("verdict") == "pass"; }

void print_rehearsal(const json& rep, std::ostream& out)
{
  const json& rb = rep.at("runbook");
  out << "\n  rehearsal of " << rep["scenario"]["name"].get<std::string>() << " with " << rb["file"].get<std::string>();
  for (const auto& s : rep.value("setup", json::array()))
    out << "\n  setup `" << s["command"].get<std::string>() << "`: exit " << s["exit_code"].get<int>() << ", "
        << s["api_calls"].get<size_t>() << " mutating API calls, " << fmt_s(s["duration_s"].get<double>())
        << " simulated from " << s["start"].get<std::string>();
  out
      << "\n  runbook " << rb["status"].get<std::string>() << " from " << sim_clock(rb["start_s"].get<double>()) << " to "
      << sim_clock(rb["end_s"].get<double>()) << " (" << fmt_s(rb["duration_s"].get<double>()) << " simulated)\n";
  if (rb.contains("failed_step"))
    out << "  failed step: " << rb["failed_step"].get<std::string>() << ": " << rb["failure_reason"].get<std::string>()
        << "\n";
  if (rep.contains("cutover"))
    out << "  cutover " << rep["cutover"]["result"].get<std::string>() << "\n";
  const json& d = rep.at("downtime");
  if (d.contains("write_downtime_s"))
    out << "  writes unavailable " << fmt_s(d["write_downtime_s"].get<double>()) << " ("
        << d["refused_writes"].get<unsigned long long>() << " writes refused); DNS 95 % shifted "
        << fmt_s(d["dns_shift_95_s"].get<double>()) << " after the switch\n";
  const json& data = rep.at("data");
  if (!data.empty())
    out << "  data: " << data["source_committed"].get<unsigned long long>() << " transactions committed on-prem, "
        << data["target_applied"].get<unsigned long long>() << " applied on RDS, "
        << data["lost_transactions"].get<unsigned long long>() << " lost, "
        << data["behind_transactions"].get<unsigned long long>() << " behind (on-prem still primary)\n";
  if (rep.contains("api_calls") && !rep["api_calls"].empty()) {
    size_t failed = 0;
    for (const auto& c : rep["api_calls"])
      failed += c.contains("error_code");
    out << "  audit trail: " << rep["api_calls"].size() << " mutating API calls recorded (" << failed
        << " failed); CloudTrail LookupEvents returns them\n";
  }
  if (rep.contains("resource_timeline") && !rep["resource_timeline"]["resources"].empty()) {
    const json& tl = rep["resource_timeline"];
    out << "  resources created through the API: " << tl["resources"].size() << ", available after "
        << fmt_s(tl["critical_path_s"].get<double>()) << " of provisioning on the critical path\n";
  }
  out << "  expectations\n";
  for (const auto& e : rep.at("expectations")) {
    out << "    " << (e["passed"].get<bool>() ? "PASS " : "FAIL ") << e["name"].get<std::string>() << ": measured "
        << e["measured"].dump();
    if (e.contains("max"))
      out << " (max " << e["max"].dump() << ")";
    if (e.contains("min"))
      out << " (min " << e["min"].dump() << ")";
    out << "\n";
  }
  out << "  verdict: " << rep.at("verdict").get<std::string>() << "\n";
}

}  // namespace migsim::harness::rehearse
