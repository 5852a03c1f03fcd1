// The report's runbook section, for a rehearsal (rehearsal.json beside summary.json): the runbook's
// outcome, every step on one timeline (a bar from its start to its end, coloured by status, the
// rollback path apart), the scenario's injected events as markers on the same axis, and the steps
// table in time order. All times are on the scenario's calendar.
#include "harness/report/html_report.hpp"
#include "harness/report/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

namespace migsim::harness::html {

namespace {

using nlohmann::json;

struct StepBar {
  std::string name, action, status, reason;
  double start_s = 0, end_s = 0;
  int attempts = 1;
  bool rollback = false;
};

struct Marker {
  double at_s = 0;
  std::string label;
};

std::string fixed(double v)
{
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

const char* colour(const StepBar& b)
{
  if (b.status != "Success")
    return "#b3261e";
  return b.rollback ? "#1f5fa8" : "#1e7b34";
}

// The timeline: one row per step, the events as vertical markers, the axis on the calendar.
std::string timeline_svg(const std::vector<StepBar>& steps, const std::vector<Marker>& markers,
                         const sim::Calendar& cal)
{
  double t0 = steps.front().start_s, t1 = steps.front().end_s;
  for (const auto& s : steps) {
    t0 = std::min(t0, s.start_s);
    t1 = std::max(t1, s.end_s);
  }
  for (const auto& m : markers) {
    t0 = std::min(t0, m.at_s);
    t1 = std::max(t1, m.at_s);
  }
  if (t1 <= t0)
    t1 = t0 + 60;
  const double left = 230, width = 700, row = 18, top = 24;
  const double height = top + row * static_cast<double>(steps.size()) + 46;
  auto x = [&](double t) { return left + (t - t0) / (t1 - t0) * width; };
  std::ostringstream o;
  o << "<svg class=\"runbook-timeline\" role=\"img\" aria-label=\"runbook steps over time\" viewBox=\"0 0 "
    << fixed(left + width + 20) << " " << fixed(height) << "\" width=\"100%\">\n";
  for (size_t i = 0; i < steps.size(); ++i) {
    const auto& s = steps[i];
    const double y = top + row * static_cast<double>(i);
    const double x0 = x(s.start_s), w = std::max(2.0, x(s.end_s) - x0);
    o << "<text x=\"" << fixed(left - 6) << "\" y=\"" << fixed(y + 12) << "\" text-anchor=\"end\" font-size=\"11\">"
      << esc(s.name) << "</text>";
    o << "<rect x=\"" << fixed(x0) << "\" y=\"" << fixed(y + 3) << "\" width=\"" << fixed(w) << "\" height=\""
      << fixed(row - 6) << "\" fill=\"" << colour(s) << "\"><title>" << esc(s.name) << ": " << esc(s.status)
      << (s.rollback ? " (rollback)" : "") << ", " << esc(cal.time_of_day(s.start_s)) << " for "
      << esc(s.end_s - s.start_s > 0 ? duration(s.end_s - s.start_s) : std::string("0 s")) << "</title></rect>\n";
  }
  const double bottom = top + row * static_cast<double>(steps.size());
  for (const auto& m : markers) {
    o << "<line x1=\"" << fixed(x(m.at_s)) << "\" x2=\"" << fixed(x(m.at_s)) << "\" y1=\"" << fixed(top - 8)
      << "\" y2=\"" << fixed(bottom) << "\" stroke=\"#e07000\" stroke-width=\"2\" stroke-dasharray=\"4 3\"><title>"
      << esc(m.label) << "</title></line>";
    o << "<text x=\"" << fixed(x(m.at_s) + 3) << "\" y=\"" << fixed(top - 10) << "\" font-size=\"10\" fill=\"#e07000\">"
      << esc(m.label) << "</text>\n";
  }
  o << "<line x1=\"" << fixed(left) << "\" x2=\"" << fixed(left + width) << "\" y1=\"" << fixed(bottom + 4)
    << "\" y2=\"" << fixed(bottom + 4) << "\" stroke=\"#888\"/>";
  // Ticks at round local times (every 5 min, 15 min, ...), the date under the first one.
  const svg::Ticks ticks = svg::time_ticks(t0, t1, 6, cal);
  for (size_t k = 0; k < ticks.values.size(); ++k) {
    const auto label = svg::time_label(cal, ticks.values[k], ticks.step, k == 0);
    o << "<text x=\"" << fixed(x(ticks.values[k])) << "\" y=\"" << fixed(bottom + 18)
      << "\" font-size=\"10\" text-anchor=\"middle\">" << esc(label.time);
    if (!label.date.empty())
      o << "<tspan x=\"" << fixed(x(ticks.values[k])) << "\" dy=\"12\">" << esc(label.date) << "</tspan>";
    o << "</text>";
  }
  o << "\n</svg>\n";
  return o.str();
}

}  // namespace

std::string runbook_section(const json& rep, const json& summary)
{
  const sim::Calendar cal = calendar_of(summary);
  const json& rb = rep.value("runbook", json::object());
  std::ostringstream o;
  o << "<h2 id=\"runbook\">Runbook rehearsal</h2>\n";
  const std::string status = rb.value("status", std::string("?"));
  o << "<p>Runbook <code>" << esc(rb.value("file", std::string())) << "</code>: <b>" << esc(status) << "</b>, from "
    << esc(cal.datetime(rb.value("start_s", 0.0))) << " to " << esc(cal.datetime(rb.value("end_s", 0.0))) << " ("
    << duration(rb.value("duration_s", 0.0)) << " simulated, speed " << esc(rep.value("speed", std::string("?")))
    << "). Cutover " << esc(rep.value("/cutover/result"_json_pointer, std::string("not reported"))) << ".</p>\n";
  if (rb.contains("failed_step"))
    o << "<p><b>Failed step: " << esc(rb["failed_step"].get<std::string>()) << "</b>: "
      << esc(rb.value("failure_reason", std::string())) << "</p>\n";
  std::vector<StepBar> steps;
  for (const auto& e : rep.value("timeline", json::array())) {
    StepBar b;
    b.name = e.value("step", std::string());
    b.action = e.value("action", std::string());
    b.status = e.value("status", std::string());
    b.reason = e.value("failure_reason", std::string());
    b.start_s = e.value("start_s", 0.0);
    b.end_s = std::max(b.start_s, e.value("end_s", b.start_s));
    b.attempts = e.value("attempts", 1);
    b.rollback = e.value("rollback", false);
    steps.push_back(std::move(b));
  }
  std::stable_sort(steps.begin(), steps.end(), [](const StepBar& a, const StepBar& b) { return a.start_s < b.start_s; });
  std::vector<Marker> markers;
  const double from = rb.value("start_s", 0.0) - 3600, to = rb.value("end_s", 0.0) + 3600;
  for (const auto& e : rep.value("events", json::array())) {
    const double at = e.value("at_s", 0.0);
    if (at < from || at > to)
      continue;  // events far from the runbook would squash its steps
    markers.push_back({at, e.value("action", std::string()) +
                               (e.contains("target") ? " " + e["target"].get<std::string>() : std::string()) + " " +
                               cal.time_of_day(at)});
  }
  if (steps.empty())
    return o.str() + "<p class=\"note\">The runbook ran no step.</p>\n";
  const bool any_rollback = std::any_of(steps.begin(), steps.end(), [](auto& s) { return s.rollback; });
  o << "<p class=\"note\">Each bar is a step from its start to its end: <span style=\"color:#1e7b34\">■</span> "
       "succeeded, <span style=\"color:#b3261e\">■</span> failed or timed out"
    << (any_rollback ? ", <span style=\"color:#1f5fa8\">■</span> the rollback path (steps after the failure)" : "")
    << (markers.empty() ? "" : "; dashed lines: the scenario's injected events (faults)") << ".</p>\n";
  o << timeline_svg(steps, markers, cal);
  o << "<table><tr><th>#</th><th>step</th><th>action</th><th>status</th><th>start</th><th>duration</th>"
       "<th>attempts</th><th>note</th></tr>\n";
  for (size_t i = 0; i < steps.size(); ++i) {
    const auto& s = steps[i];
    o << "<tr" << (s.status != "Success" ? " class=\"fail\"" : "") << "><td class=\"n\">" << i + 1 << "</td><td>"
      << esc(s.name) << "</td><td><code>" << esc(s.action) << "</code></td><td>" << esc(s.status) << "</td><td>"
      << esc(cal.datetime(s.start_s)) << "</td><td class=\"n\">"
      << (s.end_s - s.start_s > 0 ? duration(s.end_s - s.start_s) : std::string("0 s")) << "</td><td class=\"n\">"
      << s.attempts << "</td><td>" << (s.rollback ? "rollback path. " : "") << esc(s.reason) << "</td></tr>\n";
  }
  o << "</table>\n";
  if (!markers.empty()) {
    o << "<h3>Injected events</h3>\n<table><tr><th>at</th><th>event</th></tr>\n";
    for (const auto& m : markers)
      o << "<tr><td>" << esc(cal.datetime(m.at_s)) << "</td><td>" << esc(m.label.substr(0, m.label.rfind(' ')))
        << "</td></tr>\n";
    o << "</table>\n";
  }
  return o.str();
}

}  // namespace migsim::harness::html
