// The report's sections other than the charts: headline verdict, migration details, cost,
// expectations and detail tables. Everything is read from summary.json (schema_version 1); a
// section whose data is absent is left out or says so.
#include "harness/report/html_report.hpp"

#include "harness/run/summary.hpp"
#include "sim/calendar.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <vector>
#include <sstream>

namespace migsim::harness::html {

namespace {

using nlohmann::json;

double num_at(const json& j, const std::string& pointer, double def = std::nan(""))
{
  const json::json_pointer p(pointer);
  return j.contains(p) && j.at(p).is_number() ? j.at(p).get<double>() : def;
}

// A metric's value in its unit, the way a reader says it ("9 min 25 s", "0.02 %", "$6.52").
std::string with_unit(const std::string& metric, double v)
{
  if (metric == "integrity_clean" || metric == "cutover_completed")
    return v >= 1 ? "yes" : "no";
  if (metric == "error_rate" || metric == "utilisation") {
    char buf[32];
    std::snprintf(buf, sizeof buf, v != 0 && std::abs(v) < 0.0001 ? "%.4f %%" : "%.2f %%", v * 100);
    return buf;
  }
  if (metric.ends_with("_ms"))
    return latency(v);
  if (metric.ends_with("_usd"))
    return money(v);
  if (metric.ends_with("_s"))
    return v == 0 ? "0 s" : duration(v);
  return number(v);
}

std::string bound_text(const json& e)
{
  const std::string m = e.value("metric", std::string());
  const bool lo = e.contains("min"), hi = e.contains("max");
  if (m == "integrity_clean" || m == "cutover_completed")
    return lo && e["min"].get<double>() >= 1 ? "yes" : "any";
  if (lo && hi)
    return with_unit(m, e["min"].get<double>()) + " ≤ x ≤ " + with_unit(m, e["max"].get<double>());
  if (hi)
    return "≤ " + with_unit(m, e["max"].get<double>());
  if (lo)
    return "≥ " + with_unit(m, e["min"].get<double>());
  return "";
}

std::string measured_text(const json& e)
{
  if (!e["measured"].is_number() || !std::isfinite(e["measured"].get<double>()))
    return "not measured" + (e.contains("note") ? " (" + e["note"].get<std::string>() + ")" : std::string());
  return with_unit(e.value("metric", std::string()), e["measured"].get<double>());
}

// Which headline card a metric belongs to (failed expectations turn their card red).
std::string card_of(const std::string& m)
{
  static const std::set<std::string> lat = {"p50_ms", "p95_ms", "p99_ms", "max_ms", "mean_ms"};
  static const std::set<std::string> err = {"error_rate", "errors", "rejected", "timeouts", "server_errors"};
  static const std::set<std::string> down = {"write_downtime_s", "rto_s", "cutover_duration_s", "refused_writes",
                                             "cutover_completed", "dns_shift_95_s"};
  static const std::set<std::string> lost = {"lost_transactions", "integrity_clean"};
  return lat.count(m) ? "latency" : err.count(m) ? "errors" : down.count(m) ? "downtime" : lost.count(m) ? "lost"
         : m == "cost_per_month_usd" ? "monthly" : m == "migration_cost_usd" ? "onetime" : "";
}

// Every itemised bill in the summary: top-level "cost", "migration.cost", and "<section>.cost".
std::vector<std::pair<std::string, const json*>> bills(const json& s)
{
  std::vector<std::pair<std::string, const json*>> out;
  auto is_bill = [](const json& j) { return j.is_object() && j.contains("lines") && j["lines"].is_array(); };
  if (s.contains("cost") && is_bill(s["cost"]))
    out.emplace_back("Estate", &s["cost"]);
  for (const auto& [k, v] : s.items())
    if (v.is_object() && v.contains("cost") && is_bill(v["cost"]))
      out.emplace_back(k == "migration" ? "Migration (one-time)" : k, &v["cost"]);
  // The design's monthly estimates after the migration (migration.estimates).
  if (s.contains("migration") && s["migration"].is_object() && s["migration"].contains("estimates")) {
    const json& e = s["migration"]["estimates"];
    if (e.contains("post_migration") && is_bill(e["post_migration"]))
      out.emplace_back("Post-migration month (design estimate)", &e["post_migration"]);
    if (e.contains("post_modernisation") && is_bill(e["post_modernisation"]))
      out.emplace_back("Post-modernisation month (design estimate)", &e["post_modernisation"]);
  }
  return out;
}

// An expectation's tag: PASS / FAIL, or for one pinning the failure the scenario is built to show
// "FAILS (pinned)" when it holds and "FAIL (failure not reproduced)" when it does not.
std::pair<std::string, std::string> tag_of(const json& e)
{
  const bool ok = e.value("passed", false);
  if (e.value("pins_failure", false))
    return ok ? std::pair{"pinned", "FAILS (pinned)"} : std::pair{"fail", "FAIL (failure not reproduced)"};
  return ok ? std::pair{"pass", "PASS"} : std::pair{"fail", "FAIL"};
}

}  // namespace

sim::Calendar calendar_of(const json& s)
{
  const json::json_pointer p("/scenario/start");
  if (s.contains(p) && s.at(p).is_string())
    if (const auto c = sim::parse_calendar(s.at(p).get<std::string>()))
      return *c;
  return {};
}

std::string at_time(const sim::Calendar& c, double t_s)
{
  if (!std::isfinite(t_s) || t_s < 0)
    return "–";
  return c.datetime(t_s) + " (+" + (t_s == 0 ? std::string("0 s") : duration(t_s)) + ")";
}

std::string headline(const json& s)
{
  std::ostringstream o;
  const std::string verdict = s.value("verdict", std::string("fail"));
  const auto& ex = s.contains("expectations") ? s["expectations"] : json::array();
  size_t passed = 0, pinned = 0;
  std::map<std::string, int> card_state;  // 1 all related pass, -1 one fails
  for (const auto& e : ex) {
    passed += e.value("passed", false);
    pinned += e.value("pins_failure", false);
    const auto c = card_of(e.value("metric", std::string()));
    // A card turns red when an expectation about it fails, or when one that pins a failure holds
    // (the estate fails that SLO); another passing one says nothing about health.
    if (!c.empty() && (e.value("passed", false) == e.value("pins_failure", false)))
      card_state[c] = -1;
  }
  const sim::Calendar cal = calendar_of(s);
  const double dur = num_at(s, "/scenario/duration_s");
  o << "<h1>" << esc(s.value("/scenario/name"_json_pointer, std::string("run"))) << "</h1>\n<div class=\"note\">seed "
    << s.value("/scenario/seed"_json_pointer, 0ULL) << ", " << duration(dur) << " simulated, from "
    << esc(cal.datetime(0)) << " to " << esc(cal.datetime(std::isfinite(dur) ? dur : 0)) << " (" << esc(cal.zone())
    << "; every time on this page is on this calendar)</div>\n";
  // A scenario built to show a failure says so first: a green PASS over red numbers misleads. The
  // failure is either SLOs the estate breaks (on-prem at Black Friday) or a fault it is put through
  // (an AZ lost), whose effect is pinned while the other expectations judge how the estate held.
  const bool reproduced = verdict != "invariant_violated" && s.value("failure_reproduced", false);
  bool breaks_slos = false;
  for (const auto& e : ex)
    breaks_slos |= e.value("pins_failure", false) && is_slo_metric(e.value("metric", std::string()));
  const bool fault_held = reproduced && !breaks_slos && verdict == "pass";
  const std::string cls = fault_held ? "fault" : reproduced && breaks_slos ? "reproduced" : verdict;
  o << "<section class=\"verdict " << esc(cls) << "\" id=\"verdict\"><div class=\"big\">"
    << (fault_held                    ? "THE FAULT SHOWS; THE ESTATE HOLDS ITS OTHER EXPECTATIONS"
        : reproduced && breaks_slos ? "THE ESTATE FAILS ITS SLOs"
        : verdict == "pass"           ? "PASS"
        : verdict == "fail"           ? "FAIL"
                                      : "INVARIANT VIOLATED: results cannot be trusted")
    << "</div><p>";
  if (reproduced && breaks_slos)
    o << "As this scenario is built to show: the " << pinned << " expectations marked FAILS (pinned) describe the "
      << "failure and it was reproduced" << (verdict == "pass" ? " (the run's verdict is pass: it showed what it is "
                                                                 "meant to show)" : "") << ". ";
  else if (reproduced)
    o << "The failure this scenario injects shows as it is meant to (" << pinned << " expectation"
      << (pinned == 1 ? " marked FAILS (pinned) describes" : "s marked FAILS (pinned) describe")
      << " its effect); the others say how the estate held through it. ";
  else if (s.contains("failure_reproduced"))
    o << "This scenario is built to show a failure and it was NOT reproduced. ";
  o << passed << " of " << ex.size() << " of the scenario's expectations hold (its own assertions, listed below).";
  if (s.contains("migration")) {
    const auto& m = s["migration"];
    o << " Cutover " << esc(m.value("/cutover/result"_json_pointer, std::string("not started")));
    if (m.contains("/cutover/duration_s"_json_pointer) && m["cutover"]["duration_s"].is_number())
      o << " in " << duration(m["cutover"]["duration_s"].get<double>());
    o << "; writes unavailable " << duration(num_at(m, "/downtime/write_downtime_s")) << "; "
      << number(num_at(m, "/integrity/lost_transactions")) << " transactions lost.";
  }
  o << "</p>";
  if (!ex.empty()) {
    o << "<ul class=\"failed-list\">";
    std::vector<const json*> failed_first;
    for (const auto& e : ex)
      if (!e.value("passed", false))
        failed_first.push_back(&e);
    for (const auto& e : ex)
      if (e.value("passed", false))
        failed_first.push_back(&e);
    for (const auto* ep : failed_first) {
      const bool ok = ep->value("passed", false), pin = ep->value("pins_failure", false);
      o << "<li>" << (pin && ok ? "<b>✘ FAILS (pinned): " : ok ? "✔ " : "<b>✘ ") << esc(ep->value("name", std::string()))
        << ": " << esc(measured_text(*ep)) << " (bound " << esc(bound_text(*ep)) << ")" << (ok && !pin ? "" : "</b>")
        << "</li>";
    }
    o << "</ul>";
  }
  o << "</section>\n<div class=\"cards\">\n";
  auto card = [&](const std::string& key, const std::string& title, const std::string& value, const std::string& sub) {
    const auto it = card_state.find(key);
    const std::string cls = it != card_state.end() && it->second < 0 ? " bad" : "";
    o << "<div class=\"card" << cls << "\"><div class=\"k\">" << esc(title) << "</div><div class=\"v\">" << esc(value)
      << "</div><div class=\"s\">" << esc(sub) << "</div></div>\n";
  };
  card("latency", "p99 latency", latency(num_at(s, "/latency_ms/p99")),
       "p50 " + latency(num_at(s, "/latency_ms/p50")) + " · p95 " + latency(num_at(s, "/latency_ms/p95")));
  const double rate = num_at(s, "/requests/error_rate", 0);
  if (rate >= 0.01)
    card_state["errors"] = -1;
  char pct[32];
  std::snprintf(pct, sizeof pct, rate > 0 && rate < 0.0001 ? "%.4f %%" : "%.2f %%", rate * 100);
  card("errors", "errors", pct,
       number(num_at(s, "/requests/failed", 0)) + " failed of " + number(num_at(s, "/requests/arrivals", 0)) +
           " requests");
  if (s.contains("migration")) {
    const auto& m = s["migration"];
    card("downtime", "write downtime", duration(num_at(m, "/downtime/write_downtime_s")),
         number(num_at(m, "/downtime/refused_writes", 0)) + " writes refused · RTO " +
             duration(num_at(m, "/downtime/rto_s")));
    card("lost", "lost transactions", number(num_at(m, "/integrity/lost_transactions")),
         m.value("/integrity/clean"_json_pointer, false) ? "integrity clean" : "integrity NOT clean");
  } else {
    card("downtime", "downtime", "–", "no cutover in this scenario");
  }
  double monthly = num_at(s, "/cost_per_month_usd");
  for (const auto& [title, b] : bills(s))
    if (std::isnan(monthly) && b->value("monthly_run_rate_usd", 0.0) > 0)
      monthly = (*b)["monthly_run_rate_usd"].get<double>();
  double one_time = 0;
  for (const auto& [title, b] : bills(s))
    one_time += b->value("migration_total_usd", 0.0);
  card("monthly", "monthly cost", std::isnan(monthly) ? "not priced" : money(monthly),
       std::isnan(monthly) ? "no cost model for this estate" : "730-hour month, list prices");
  if (one_time > 0)
    card("onetime", "one-time migration", money(one_time), "DMS, MGN, VPN ... (see Cost)");
  double peak = -1;
  std::string peak_server;
  if (s.contains("servers"))
    for (const auto& sv : s["servers"])
      if (sv.value("peak_minute_utilisation", 0.0) > peak) {
        peak = sv.value("peak_minute_utilisation", 0.0);
        peak_server = sv.value("name", std::string());
      }
  if (peak >= 0.9)
    card_state["cpu"] = -1;
  if (peak >= 0)
    card("cpu", "busiest server", number(peak * 100, 3) + " %", peak_server + ", peak minute CPU");
  o << "</div>\n";
  return o.str();
}

std::string expectation_table(const json& s)
{
  std::ostringstream o;
  o << "<h2 id=\"expectations\">Expectations</h2>\n";
  if (!s.contains("expectations") || s["expectations"].empty())
    return o.str() + "<p class=\"note\">This scenario declares no expectations.</p>\n";
  o << "<table><tr><th></th><th>expectation</th><th>metric</th><th>window</th><th>measured</th><th>bound</th>"
       "<th>note</th></tr>\n";
  for (const auto& e : s["expectations"]) {
    const auto [cls, tag] = tag_of(e);
    o << "<tr class=\"" << (cls == "pass" ? "pass" : "fail") << "\"><td><span class=\"tag " << cls << "\">" << tag
      << "</span></td><td>" << esc(e.value("name", std::string())) << "</td><td><code>"
      << esc(e.value("metric", std::string())) << "</code></td><td>"
      << esc(e.value("window", std::string("whole run"))) << "</td><td class=\"n\">"
      << esc(e["measured"].is_number() && std::isfinite(e["measured"].get<double>()) ? measured_text(e) : "–")
      << "</td><td class=\"n\">" << esc(bound_text(e)) << "</td><td>" << esc(e.value("note", std::string()))
      << "</td></tr>\n";
  }
  o << "</table>\n";
  if (s.contains("failure_reproduced"))
    o << "<p class=\"note\"><b>FAILS (pinned)</b>: the expectation describes the failure this scenario is built to "
         "show (key <code>pins_failure</code>) and it held, so the estate fails that SLO as expected. <b>FAIL (failure "
         "not reproduced)</b>: the failure did not happen.</p>\n";
  return o.str();
}

std::string cost_tables(const json& s)
{
  std::ostringstream o;
  o << "<h2 id=\"cost\">Cost</h2>\n";
  const auto found = bills(s);
  if (found.empty())
    return o.str() + "<p class=\"note\">No cost model priced this scenario (the on-prem estate has no AWS bill).</p>\n";
  if (s.contains("migration") && s["migration"].is_object() && s["migration"].contains("estimates")) {
    const json& e = s["migration"]["estimates"];
    o << "<p class=\"note\">The migration is billed over " << esc(e.value("period", std::string()))
      << (e.contains("migration") ? ": " + money(e["migration"].value("total_usd", 0.0)) + " in all" : std::string())
      << ". " << esc(e.value("on_prem", std::string())) << ".</p>\n";
  }
  for (const auto& [title, b] : found) {
    o << "<h3>" << esc(title) << "</h3>\n<table><tr><th>service</th><th>item</th><th>note</th><th>phase</th>"
         "<th>quantity</th><th>unit</th><th>unit price</th><th>cost</th></tr>\n";
    for (const auto& l : (*b)["lines"])
      o << "<tr><td>" << esc(l.value("service", std::string())) << "</td><td><code>"
        << esc(l.value("item", std::string())) << "</code></td><td>" << esc(l.value("note", std::string()))
        << "</td><td>" << esc(l.value("phase", std::string())) << "</td><td class=\"n\">"
        << number(l.value("quantity", 0.0)) << (l.value("free_quantity", 0.0) > 0 ? " (free " + number(l.value("free_quantity", 0.0)) + ")" : "")
        << "</td><td>" << esc(l.value("unit", std::string())) << "</td><td class=\"n\">$"
        << number(l.value("unit_usd", 0.0)) << "</td><td class=\"n\">" << money(l.value("cost_usd", 0.0))
        << "</td></tr>\n";
    if (title.find("design estimate") != std::string::npos) {
      o << "</table>\n<p class=\"note\">Monthly total <b>" << money(b->value("monthly_run_rate_usd", 0.0))
        << "</b>: the run's traffic scaled to a month, with every service the design names ("
        << esc(b->value("region", std::string())) << " list prices as of " << esc(b->value("as_of", std::string()))
        << ").</p>\n";
      continue;
    }
    o << "</table>\n<p class=\"note\">One-time total <b>" << money(b->value("migration_total_usd", 0.0))
      << "</b>; recurring over the simulated " << number(b->value("simulated_hours", 0.0)) << " h "
      << money(b->value("run_total_usd", 0.0)) << ", monthly run rate <b>" << money(b->value("monthly_run_rate_usd", 0.0))
      << "</b> (" << esc(b->value("region", std::string())) << " list prices as of "
      << esc(b->value("as_of", std::string())) << ").</p>\n";
  }
  return o.str();
}

std::string migration_details(const json& s)
{
  if (!s.contains("migration"))
    return "";
  const auto& m = s["migration"];
  const sim::Calendar cal = calendar_of(s);
  std::ostringstream o;
  o << "<h3>Phases</h3>\n<table><tr><th>phase</th><th>start (elapsed since the run's start)</th><th>duration</th>"
       "<th>detail</th></tr>\n";
  for (const auto& p : m.value("phases", json::array())) {
    const bool skipped = p.value("status", std::string()) == "skipped";
    o << "<tr" << (skipped ? " class=\"fail\"" : "") << "><td>" << esc(p.value("name", std::string())) << "</td><td>"
      << esc(at_time(cal, p.value("start_s", 0.0))) << "</td><td>"
      << (skipped                    ? std::string("<b>SKIPPED</b>")
          : p["duration_s"].is_number() ? duration(p["duration_s"].get<double>())
                                        : std::string("running at the end"))
      << "</td><td>" << esc(p.value("detail", std::string())) << "</td></tr>\n";
  }
  o << "</table>\n<h3>Cutover steps</h3>\n";
  // In the order they happened (summary.json keeps them by name).
  std::vector<std::pair<double, std::string>> steps;
  if (m.contains("cutover"))
    for (const auto& [k, v] : m["cutover"].items())
      if (k.size() > 2 && k.ends_with("_s") && k != "duration_s" && v.is_number())
        steps.emplace_back(v.get<double>(), k.substr(0, k.size() - 2));
  std::stable_sort(steps.begin(), steps.end(), [](auto& a, auto& b) { return a.first < b.first; });
  if (steps.empty()) {
    o << "<p class=\"note\">The cutover did not start.</p>\n";
  } else {
    o << "<table><tr><th>step</th><th>at</th><th>since the cutover started</th></tr>\n";
    for (const auto& [t, name] : steps)
      o << "<tr><td>" << esc(name) << "</td><td>" << esc(cal.datetime(t)) << "</td><td>"
        << (t - steps.front().first == 0 ? std::string("0 s") : duration(t - steps.front().first)) << "</td></tr>\n";
    o << "</table>\n";
  }
  if (!m.value("/cutover/failed_step"_json_pointer, std::string()).empty())
    o << "<p><b>Failed step:</b> " << esc(m["cutover"]["failed_step"].get<std::string>()) << ": "
      << esc(m["cutover"].value("reason", std::string())) << "</p>\n";
  if (m.contains("integrity")) {
    const auto& g = m["integrity"];
    o << "<h3>Data integrity</h3>\n<p>" << number(num_at(g, "/source_committed", 0))
      << " transactions committed on-prem, " << number(num_at(g, "/target_applied", 0)) << " applied on the target, "
      << number(num_at(g, "/lost_transactions", 0)) << " lost (gone from the database that ended up primary), "
      << number(num_at(g, "/behind_transactions", 0)) << " behind (on-prem still primary, not yet on the target): <b>" << (g.value("clean", false) ? "clean" : "NOT clean") << "</b>.</p>\n"
      << "<table><tr><th>table</th><th>source rows</th><th>target rows</th><th>checksums</th></tr>\n";
    for (const auto& t : g.value("tables", json::array()))
      o << "<tr" << (t.value("match", false) ? "" : " class=\"fail\"") << "><td>" << esc(t.value("name", std::string()))
        << "</td><td class=\"n\">" << number(t.value("source_rows", 0.0)) << "</td><td class=\"n\">"
        << number(t.value("target_rows", 0.0)) << "</td><td>" << (t.value("match", false) ? "match" : "DIFFER")
        << "</td></tr>\n";
    o << "</table>\n";
  }
  if (m.contains("mgn") && !m["mgn"].empty()) {
    o << "<h3>MGN source servers</h3>\n<table><tr><th>server</th><th>lifecycle at the end</th></tr>\n";
    for (const auto& x : m["mgn"])
      o << "<tr><td>" << esc(x.value("server", std::string())) << "</td><td>" << esc(x.value("lifecycle", std::string()))
        << "</td></tr>\n";
    o << "</table>\n";
  }
  if (m.contains("dms"))
    o << "<p class=\"note\">DMS replication " << esc(m["dms"].value("status", std::string())) << " at the end; peak "
      << number(num_at(m, "/dms/peak_dcu", 0)) << " DCU; max CDC latency after the full load "
      << duration(num_at(m, "/dms/max_cdc_latency_s")) << ".</p>\n";
  return o.str();
}

std::string detail_tables(const json& s)
{
  std::ostringstream o;
  o << "<h2 id=\"details\">Details</h2>\n<h3>Request classes</h3>\n<table><tr><th>class</th><th>arrived</th>"
       "<th>errors</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr>\n";
  for (const auto& c : s.value("classes", json::array()))
    o << "<tr><td>" << esc(c.value("name", std::string())) << "</td><td class=\"n\">"
      << number(c.value("arrivals", 0.0)) << "</td><td class=\"n\">"
      << number(c.value("rejected", 0.0) + c.value("timeouts", 0.0) + c.value("server_errors", 0.0))
      << "</td><td class=\"n\">" << latency(num_at(c, "/latency_ms/p50")) << "</td><td class=\"n\">"
      << latency(num_at(c, "/latency_ms/p95")) << "</td><td class=\"n\">" << latency(num_at(c, "/latency_ms/p99"))
      << "</td><td class=\"n\">" << latency(num_at(c, "/latency_ms/max")) << "</td></tr>\n";
  o << "</table>\n<h3>Servers</h3>\n<table><tr><th>server</th><th>cores</th><th>CPU, run average</th>"
       "<th>CPU, peak minute</th></tr>\n";
  for (const auto& v : s.value("servers", json::array()))
    o << "<tr><td>" << esc(v.value("name", std::string())) << "</td><td class=\"n\">" << number(v.value("cores", 0.0))
      << "</td><td class=\"n\">" << number(v.value("utilisation", 0.0) * 100, 3) << " %</td><td class=\"n\">"
      << number(v.value("peak_minute_utilisation", 0.0) * 100, 3) << " %</td></tr>\n";
  o << "</table>\n<h3>Services</h3>\n<table><tr><th>service</th><th>server</th><th>workers</th><th>peak queue</th>"
       "<th>served</th><th>mean wait for a worker</th></tr>\n";
  for (const auto& v : s.value("services", json::array()))
    o << "<tr><td>" << esc(v.value("name", std::string())) << "</td><td>" << esc(v.value("server", std::string()))
      << "</td><td class=\"n\">" << number(v.value("workers", 0.0)) << "</td><td class=\"n\">"
      << number(v.value("peak_queue", 0.0)) << "</td><td class=\"n\">" << number(v.value("served", 0.0))
      << "</td><td class=\"n\">" << latency(v.value("mean_wait_ms", 0.0)) << "</td></tr>\n";
  o << "</table>\n<h3>Invariants (checked by every run)</h3>\n<table><tr><th></th><th>invariant</th><th>detail</th></tr>\n";
  for (const auto& v : s.value("invariants", json::array()))
    o << "<tr" << (v.value("held", false) ? "" : " class=\"fail\"") << "><td>" << (v.value("held", false) ? "ok" : "VIOLATED")
      << "</td><td>" << esc(v.value("name", std::string())) << "</td><td>" << esc(v.value("detail", std::string()))
      << "</td></tr>\n";
  o << "</table>\n";
  return o.str();
}

}  // namespace migsim::harness::html
