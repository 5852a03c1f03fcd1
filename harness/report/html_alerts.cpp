#include "harness/report/html_alerts.hpp"

#include "harness/report/html_report.hpp"

#include <algorithm>
#include <sstream>

namespace migsim::harness::html {

std::string alert_timeline(const nlohmann::json& s)
{
  if (!s.contains("alerts") || !s["alerts"].is_object())
    return "";
  const auto& a = s["alerts"];
  const sim::Calendar cal = calendar_of(s);
  const nlohmann::json list = a.value("alerts", nlohmann::json::array());
  double end = std::max(a.value("run_end_s", 0.0), 1.0);
  std::ostringstream o;
  o << "<h2 id=\"alerts\">Alerts</h2>\n<p>Rule file <code>" << esc(a.value("rules_file", std::string())) << "</code>, "
    << "evaluated by promtool every " << number(a.value("evaluation_interval_s", 60.0)) << " s over the run: ";
  if (list.empty()) {
    o << "no alert fired.</p>\n";
    return o.str();
  }
  o << list.size() << " alert instance" << (list.size() == 1 ? "" : "s") << " fired.</p>\n"
    << "<table><tr><th>alert</th><th>labels</th><th>firing</th><th style=\"width:40%\">timeline</th></tr>\n";
  for (const auto& al : list) {
    std::string labels, when;
    const nlohmann::json label_set = al.value("labels", nlohmann::json::object());
    const nlohmann::json intervals = al.value("firing", nlohmann::json::array());
    for (const auto& [k, v] : label_set.items())
      if (k != "alertname")
        labels += (labels.empty() ? "" : ", ") + k + "=" + v.get<std::string>();
    std::ostringstream bars;
    for (const auto& f : intervals) {
      const double from = f.value("from_s", 0.0), to = f.value("to_s", 0.0);
      when += (when.empty() ? "" : "; ") + cal.datetime(from) + " → " + cal.time_of_day(to) + " (" +
              duration(to - from) + ")";
      bars << "<div title=\"" << esc(at_time(cal, from) + " to " + cal.time_of_day(to)) << "\" style=\"position:absolute;top:2px;"
           << "bottom:2px;background:#c0392b;left:" << 100 * from / end << "%;width:" << std::max(0.3, 100 * (to - from) / end)
           << "%\"></div>";
    }
    o << "<tr><td>" << esc(al.value("alert", std::string())) << "</td><td>" << esc(labels) << "</td><td>" << esc(when)
      << "</td><td><div style=\"position:relative;height:14px;background:#eef0f3\">" << bars.str()
      << "</div></td></tr>\n";
  }
  o << "</table>\n";
  return o.str();
}

}  // namespace migsim::harness::html
