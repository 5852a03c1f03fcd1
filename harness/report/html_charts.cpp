// The report's charts, generic over the per-minute series: known families get their section and
// titles, capacity_<unit>{label} columns one chart per unit, anything else a chart of its family
// under "Other series", so series added by later models appear without touching this file.
// Families with many members (an AWS estate's instance slots) are pooled per Auto Scaling group and
// per AZ (series_pool), the way a capacity planner reads them.
#include "harness/report/html_report.hpp"
#include "harness/report/series_pool.hpp"
#include "harness/report/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace migsim::harness::html {

namespace {

using nlohmann::json;

// "mgn_lag_s{server=db}" -> "mgn_lag_s"; the label part -> "db" (values only, joined by ", ").
std::string family_of(const std::string& col) { return col.substr(0, col.find('{')); }
std::string label_of(const std::string& col)
{
  const auto a = col.find('{');
  if (a == std::string::npos)
    return col;
  std::string inner = col.substr(a + 1, col.size() - a - 2), out;
  size_t pos = 0;
  while (pos <= inner.size()) {
    const auto comma = inner.find(',', pos);
    const auto item = inner.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    const auto eq = item.find('=');
    out += (out.empty() ? "" : ", ") + (eq == std::string::npos ? item : item.substr(eq + 1));
    if (comma == std::string::npos)
      break;
    pos = comma + 1;
  }
  return out;
}

// Unit and scale of a family from its name's suffix (bytes are shown in GB).
std::pair<std::string, double> unit_of(const std::string& family)
{
  auto ends = [&](const char* suffix) { return family.ends_with(suffix); };
  if (ends("_pct")) return {"%", 1};
  if (ends("_ms")) return {"ms", 1};
  if (ends("_s")) return {"s", 1};
  if (ends("_bytes")) return {"GB", 1e-9};
  if (ends("_dcu")) return {"DCU", 1};
  return {"per minute", 1};
}

std::string pretty(std::string family)
{
  for (auto& c : family)
    if (c == '_')
      c = ' ';
  return family;
}

class Builder {
public:
  Builder(const json& s, const SeriesTable& ts) : s_(s), ts_(ts), cal_(calendar_of(s))
  {
    duration_s_ = s.value("/scenario/duration_s"_json_pointer, 60.0 * static_cast<double>(ts.rows.size()));
    for (size_t i = 0; i < ts.rows.size(); ++i)
      x_.push_back(std::min(duration_s_, ts.rows[i][0] * 60.0 + 30.0));
    if (s.contains("migration")) {
      const auto& m = s["migration"];
      const json::json_pointer stop("/cutover/writes_stopped_s");
      const double down = m.value("/downtime/write_downtime_s"_json_pointer, 0.0);
      if (m.contains(stop) && m.at(stop).is_number() && down > 0)
        bands_.push_back({m.at(stop).get<double>(), m.at(stop).get<double>() + down,
                          "writes unavailable " + duration(down)});
      if (m.contains("cutover"))
        for (const auto& [k, v] : m["cutover"].items())
          if (k.ends_with("_s") && k != "duration_s" && v.is_number())
            markers_.push_back({v.get<double>(), k.substr(0, k.size() - 2) + " at " + at_time(cal_, v.get<double>())});
    }
  }

  // Columns of a family, or with a name prefix.
  std::vector<size_t> family(const std::string& fam) const
  {
    std::vector<size_t> out;
    for (size_t c = 1; c < ts_.columns.size(); ++c)
      if (family_of(ts_.columns[c]) == fam)
        out.push_back(c);
    return out;
  }

  svg::Series series(size_t col, const std::string& name, double scale = 1.0)
  {
    used_.insert(col);
    svg::Series s{name, x_, ts_.values(col), "", false};
    for (auto& y : s.y)
      y *= scale;
    return s;
  }

  std::string chart(const std::string& title, const std::string& unit, std::vector<svg::Series> series,
                    std::optional<double> y_max = std::nullopt, int height = 260)
  {
    if (series.empty())
      return "";
    svg::LineChart c;
    c.id = "chart" + std::to_string(++count_);
    c.title = title;
    c.y_unit = unit;
    c.series = std::move(series);
    c.bands = bands_;
    c.markers = markers_;
    c.x_min = 0;
    c.x_max = duration_s_;
    c.y_max = y_max;
    c.calendar = cal_;
    c.height = height;
    return svg::render(c);
  }

  // One chart of a whole family, one line per label; with more labels than a chart can show, pooled
  // per Auto Scaling group when the labels are its instance slots, else the top ones and "others".
  std::string family_chart(const std::string& fam, const std::string& title, std::optional<double> y_max = {},
                           std::string unit_override = "")
  {
    auto [unit, scale] = unit_of(fam);
    if (!unit_override.empty())
      unit = unit_override;
    const auto cols = family(fam);
    if (cols.size() <= kMaxLines) {
      std::vector<svg::Series> ss;
      for (size_t c : cols)
        ss.push_back(series(c, label_of(ts_.columns[c]), scale));
      return chart(title, unit, ss, y_max);
    }
    // Rates and levels (percentages, times) spread; counts and capacity add up.
    const bool spread = unit == "%" || unit == "s" || unit == "ms";
    std::vector<std::pair<std::string, size_t>> members;
    for (size_t c : cols)
      members.emplace_back(label_of(ts_.columns[c]), c);
    PoolOptions po;
    po.how = spread ? Pooling::spread : Pooling::sum;
    const bool by_group = std::any_of(members.begin(), members.end(), [&](auto& m) { return placement(m.first); });
    const std::string how = spread ? "median, band min to max" : "sum";
    return chart(title + (by_group ? " per Auto Scaling group (" + how + ")" : " (" + how + " beyond the top lines)"),
                 unit, pool(groups_of(members, false, scale), x_, po), y_max);
  }

  std::string traffic_latency_errors()
  {
    std::ostringstream o;
    o << "<h2 id=\"charts\">Traffic, latency and errors</h2>\n";
    std::vector<svg::Series> t;
    if (auto c = ts_.column("arrivals"); c != std::string::npos)
      t.push_back(series(c, "arrivals", 1.0 / 60));
    if (auto c = ts_.column("completed"); c != std::string::npos)
      t.push_back(series(c, "completed", 1.0 / 60));
    std::vector<size_t> sites;
    for (size_t c : family("arrivals"))
      if (ts_.columns[c] != "arrivals")
        sites.push_back(c);
    for (size_t c : sites)
      if (sites.size() > 1) {
        t.push_back(series(c, "arrivals at " + label_of(ts_.columns[c]), 1.0 / 60));
        t.back().dashed = true;
      } else {
        used_.insert(c);
      }
    o << chart("Traffic", "requests/s", t);
    std::vector<svg::Series> l;
    for (const char* p : {"p50_ms", "p95_ms", "p99_ms"})
      if (auto c = ts_.column(p); c != std::string::npos)
        l.push_back(series(c, std::string(p).substr(0, 3)));
    o << chart("Latency percentiles of successful requests, per minute", "ms", l);
    std::vector<svg::Series> e;
    if (auto c = ts_.column("errors"); c != std::string::npos)
      e.push_back(series(c, "failed requests"));
    if (auto c = ts_.column("writes_refused"); c != std::string::npos) {
      auto w = series(c, "writes refused (maintenance)");
      if (std::any_of(w.y.begin(), w.y.end(), [](double v) { return v != 0; }))
        e.push_back(std::move(w));
    }
    o << chart("Errors", "per minute", e);
    return o.str();
  }

  std::string capacity()
  {
    std::ostringstream o;
    o << "<h2 id=\"capacity\">Capacity and utilisation</h2>\n";
    std::set<std::string> fams;
    for (size_t c = 1; c < ts_.columns.size(); ++c)
      if (ts_.columns[c].rfind("capacity_", 0) == 0)
        fams.insert(family_of(ts_.columns[c]));
    // Servers, instances, nodes and pods first, workers last (there are many).
    std::vector<std::string> order(fams.begin(), fams.end());
    std::stable_partition(order.begin(), order.end(), [](auto& f) { return f != "capacity_workers"; });
    for (const auto& f : order) {
      const auto cols = family(f);
      const auto& first = ts_.columns[cols.front()];
      const auto brace = first.find('{'), eq = first.find('=');
      const std::string by = brace != std::string::npos && eq != std::string::npos ? " by " + first.substr(brace + 1, eq - brace - 1) : "";
      o << family_chart(f, "Capacity: " + pretty(f.substr(9)) + by, std::nullopt, pretty(f.substr(9)));
    }
    o << utilisation();
    return o.str();
  }

  // CPU utilisation: one line per server; with many servers, per Auto Scaling group and per AZ
  // (median of the instances busy in the minute, band from the least to the most busy), or the
  // busiest servers and "others".
  std::string utilisation()
  {
    std::vector<std::pair<std::string, size_t>> servers;
    for (size_t c = 1; c < ts_.columns.size(); ++c)
      if (ts_.columns[c].rfind("util_", 0) == 0)
        servers.emplace_back(ts_.columns[c].substr(5), c);
    if (servers.size() <= kMaxLines) {
      std::vector<svg::Series> u;
      for (const auto& [name, c] : servers)
        u.push_back(series(c, name, 100));
      return chart("CPU utilisation per server", "%", u, 100.0);
    }
    PoolOptions po;
    po.how = Pooling::spread;
    po.active_only = true;
    const bool aws = std::any_of(servers.begin(), servers.end(), [&](auto& m) { return placement(m.first); });
    if (!aws)
      return chart("CPU utilisation per server (the busiest; others: median of the rest busy, band min to max)", "%",
                   pool(groups_of(servers, false, 100, true), x_, po), 100.0);
    std::string out = chart("CPU utilisation per Auto Scaling group (median of its busy instances, band min to max)",
                            "%", pool(groups_of(servers, false, 100), x_, po), 100.0);
    if (s_.value("/aws/azs"_json_pointer, json::array()).size() > 1)
      out += chart("CPU utilisation per Availability Zone (median of its busy instances, band min to max)", "%",
                   pool(groups_of(servers, true, 100), x_, po), 100.0);
    return out;
  }

  std::string migration()
  {
    if (!s_.contains("migration"))
      return "";
    const auto& m = s_["migration"];
    std::ostringstream o;
    o << "<h2 id=\"migration\">Migration</h2>\n";
    svg::Timeline tl;
    tl.id = "timeline";
    tl.title = "Timeline (bars: phases; shaded: writes unavailable; dashed: cutover steps)";
    tl.x_max = duration_s_;
    tl.calendar = cal_;
    for (const auto& p : m.value("phases", json::array())) {
      const bool running = !p["end_s"].is_number();
      tl.rows.push_back({p.value("name", std::string()), p.value("start_s", 0.0),
                         running ? duration_s_ : p["end_s"].get<double>(), p.value("detail", std::string()), running});
    }
    tl.bands = bands_;
    tl.markers = markers_;
    o << svg::render(tl);
    o << cutover_closeup();
    o << "<h3>DMS: database replication</h3>\n";
    double cdc_from = -1;
    for (const auto& p : m.value("phases", json::array()))
      if (p.value("name", std::string()) == "DMS CDC")
        cdc_from = p.value("start_s", -1.0);
    std::vector<svg::Series> lat;
    for (const char* fam : {"dms_cdc_latency_source_s", "dms_cdc_latency_target_s"})
      for (size_t c : family(fam)) {
        auto s = series(c, std::string(fam).substr(16, 6) + " " + label_of(ts_.columns[c]));
        for (size_t i = 0; i < s.x.size(); ++i)
          if (s.x[i] < cdc_from || cdc_from < 0)
            s.y[i] = std::nan("");
        lat.push_back(std::move(s));
      }
    if (cdc_from >= 0)
      o << chart("DMS CDC latency once the full load is done (CDCLatencySource, CDCLatencyTarget)", "s", lat);
    for (const auto& fam : family_names("dms_"))
      o << family_chart(fam, dms_title(fam), fam.ends_with("_pct") ? std::optional<double>(100) : std::nullopt);
    o << "<h3>MGN: server replication</h3>\n";
    // Progress = replicated / (replicated + backlog), per server.
    std::vector<svg::Series> prog;
    for (size_t c : family("mgn_replicated_bytes")) {
      const auto server = label_of(ts_.columns[c]);
      const size_t b = ts_.column("mgn_backlog_bytes" + ts_.columns[c].substr(ts_.columns[c].find('{')));
      if (b == std::string::npos)
        continue;
      auto s = series(c, server);
      const auto backlog = ts_.values(b);
      for (size_t i = 0; i < s.y.size(); ++i)
        s.y[i] = s.y[i] + backlog[i] > 0 ? 100.0 * s.y[i] / (s.y[i] + backlog[i]) : std::nan("");
      prog.push_back(std::move(s));
    }
    o << chart("MGN replication progress (replicated / replicated + backlog)", "%", prog, 100.0);
    o << family_chart("mgn_lag_s", "MGN replication lag");
    o << family_chart("mgn_backlog_bytes", "MGN replication backlog");
    for (const auto& fam : family_names("mgn_"))
      o << family_chart(fam, pretty(fam));
    return o.str();
  }

  // The cutover up close: the minutes around it, where a whole-run chart shows a sliver.
  std::string cutover_closeup()
  {
    if (!s_.contains("migration"))
      return "";
    const auto& c = s_["migration"]["cutover"];
    if (!c.contains("started_s") || !c["started_s"].is_number())
      return "";
    double end = c["started_s"].get<double>();
    for (const auto& [k, v] : c.items())
      if (k.ends_with("_s") && k != "duration_s" && v.is_number())
        end = std::max(end, v.get<double>());
    const double from = std::max(0.0, c["started_s"].get<double>() - 600), to = std::min(duration_s_, end + 1200);
    std::ostringstream o;
    o << "<h3>The cutover up close (" << esc(cal_.datetime(from)) << " to " << esc(cal_.time_of_day(to)) << ")</h3>\n";
    auto zoom = [&](const std::string& title, const std::string& unit, std::vector<svg::Series> ss) {
      svg::LineChart ch;
      ch.id = "chart" + std::to_string(++count_);
      ch.title = title;
      ch.y_unit = unit;
      ch.series = std::move(ss);
      ch.bands = bands_;
      ch.markers = markers_;
      ch.x_min = from;
      ch.x_max = to;
      ch.calendar = cal_;
      ch.height = 230;
      return svg::render(ch);
    };
    std::vector<svg::Series> t;
    for (size_t col : family("arrivals"))
      if (ts_.columns[col] != "arrivals")
        t.push_back(series(col, "arrivals at " + label_of(ts_.columns[col]), 1.0 / 60));
    o << zoom("Traffic by site", "requests/s", t);
    std::vector<svg::Series> e;
    if (auto col = ts_.column("errors"); col != std::string::npos)
      e.push_back(series(col, "failed requests"));
    if (auto col = ts_.column("writes_refused"); col != std::string::npos)
      e.push_back(series(col, "writes refused (maintenance)"));
    o << zoom("Errors", "per minute", e);
    std::vector<svg::Series> l;
    for (const char* p : {"p50_ms", "p95_ms", "p99_ms"})
      if (auto col = ts_.column(p); col != std::string::npos)
        l.push_back(series(col, std::string(p).substr(0, 3)));
    o << zoom("Latency percentiles", "ms", l);
    std::vector<svg::Series> d;
    if (s_["migration"].contains("dns_shift")) {
      svg::Series sh{"share of requests at the new site", {}, {}, "", false};
      for (const auto& p : s_["migration"]["dns_shift"]) {
        sh.x.push_back(p.value("t_s", 0.0));
        sh.y.push_back(100 * p.value("share_new_site", 0.0));
      }
      if (!sh.x.empty())
        d.push_back(sh);
    }
    o << zoom("DNS shift", "%", d);
    return o.str();
  }

  // Whatever no section drew: one chart per family.
  std::string others()
  {
    std::vector<std::string> fams;
    for (size_t c = 1; c < ts_.columns.size(); ++c)
      if (!used_.count(c) && std::find(fams.begin(), fams.end(), family_of(ts_.columns[c])) == fams.end())
        fams.push_back(family_of(ts_.columns[c]));
    if (fams.empty())
      return "";
    std::ostringstream o;
    o << "<h2 id=\"other\">Other series</h2>\n";
    for (const auto& f : fams) {
      if (f == "in_system")
        o << family_chart(f, "Requests in the system (time average of each minute)", std::nullopt, "requests");
      else if (f == "transactions")
        o << family_chart(f, "Write transactions committed", std::nullopt, "per minute");
      else
        o << family_chart(f, pretty(f));
    }
    return o.str();
  }

private:
  static constexpr size_t kMaxLines = 8;  // lines a chart shows before it pools

  struct Placement {
    std::string group, az;
  };
  // The Auto Scaling group and AZ of an AWS estate's instance slot: slots are named
  // <group>-<az>-<n> after summary.json's aws.groups and aws.azs.
  std::optional<Placement> placement(const std::string& server) const
  {
    for (const auto& g : s_.value("/aws/groups"_json_pointer, json::array()))
      for (const auto& az : s_.value("/aws/azs"_json_pointer, json::array())) {
        const std::string prefix = g.value("name", std::string()) + "-" + az.get<std::string>() + "-";
        if (server.size() > prefix.size() && server.rfind(prefix, 0) == 0 &&
            server.find_first_not_of("0123456789", prefix.size()) == std::string::npos)
          return Placement{g.value("name", std::string()), az.get<std::string>()};
      }
    return std::nullopt;
  }

  // Members (label, column) grouped by their Auto Scaling group (or AZ when by_az); anything that is
  // not an instance slot is a group of its own, and so is every member when singles (top N, others).
  std::vector<PoolGroup> groups_of(const std::vector<std::pair<std::string, size_t>>& members, bool by_az, double scale,
                                   bool singles = false)
  {
    std::vector<PoolGroup> out;
    for (const auto& [label, col] : members) {
      used_.insert(col);
      const auto p = singles ? std::nullopt : placement(label);
      if (by_az && !p)
        continue;  // the AZ view is of the groups' instances only
      const std::string name = p ? (by_az ? p->az : p->group) : label;
      auto it = std::find_if(out.begin(), out.end(), [&](auto& g) { return g.name == name; });
      if (it == out.end())
        it = out.insert(out.end(), PoolGroup{name, {}});
      auto v = ts_.values(col);
      for (auto& y : v)
        y *= scale;
      it->members.push_back(std::move(v));
    }
    return out;
  }

  // Families with a prefix not drawn yet, in column order.
  std::vector<std::string> family_names(const std::string& prefix) const
  {
    std::vector<std::string> out;
    for (size_t c = 1; c < ts_.columns.size(); ++c)
      if (!used_.count(c) && ts_.columns[c].rfind(prefix, 0) == 0 &&
          std::find(out.begin(), out.end(), family_of(ts_.columns[c])) == out.end())
        out.push_back(family_of(ts_.columns[c]));
    // Progress first, then latency, then capacity.
    std::stable_sort(out.begin(), out.end(), [](auto& a, auto& b) { return rank(a) < rank(b); });
    return out;
  }
  static int rank(const std::string& f)
  {
    return f.find("full_load") != std::string::npos ? 0 : f.find("latency") != std::string::npos ? 1 : 2;
  }
  static std::string dms_title(const std::string& fam)
  {
    static const std::map<std::string, std::string> kTitles = {
        {"dms_full_load_pct", "DMS full load progress (snapshot rows on the target)"},
        {"dms_cdc_latency_source_s", "DMS CDC latency, source (CDCLatencySource)"},
        {"dms_cdc_latency_target_s", "DMS CDC latency, target (CDCLatencyTarget)"},
        {"dms_capacity_dcu", "DMS serverless capacity"},
        {"dms_capacity_utilization_pct", "DMS capacity utilisation"}};
    const auto it = kTitles.find(fam);
    return it == kTitles.end() ? pretty(fam) : it->second;
  }

  const json& s_;
  const SeriesTable& ts_;
  const sim::Calendar cal_;
  double duration_s_ = 0;
  std::vector<double> x_;
  std::vector<svg::Band> bands_;
  std::vector<svg::Marker> markers_;
  std::set<size_t> used_;
  int count_ = 0;
};

}  // namespace

std::string charts(const json& s, const SeriesTable& ts)
{
  Builder b(s, ts);
  std::string out = b.traffic_latency_errors();
  out += b.capacity();
  out += b.migration();
  out += migration_details(s);
  out += b.others();
  return out;
}

}  // namespace migsim::harness::html
