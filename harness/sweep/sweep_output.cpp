// What a sweep writes: sweep.csv and sweep.json (one row per variant, the Pareto front marked),
// sweep.html (the front drawn as inline SVG) and the Kubernetes manifests of the same grid.
#include "harness/report/html_report.hpp"
#include "harness/report/svg_chart.hpp"
#include "harness/sweep/sweep.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

namespace migsim::harness::sweep {

namespace fs = std::filesystem;

namespace {

std::string csv_cell(const std::string& s)
{
  if (s.find_first_of(",\"\n") == std::string::npos)
    return s;
  std::string o = "\"";
  for (char c : s)
    o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

std::string param_text(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::string fixed(double v, int decimals)
{
  if (!std::isfinite(v))
    return "";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string describe(const Row& r)
{
  std::string s;
  for (const auto& [p, v] : r.params)
    s += (s.empty() ? "" : ", ") + p + "=" + param_text(v);
  return s.empty() ? "(base scenario)" : s;
}

// YAML block scalar: every line indented.
std::string indent(const std::string& text, const std::string& pad)
{
  std::string out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    out += pad + line + "\n";
  return out;
}

}  // namespace

void write_outputs(std::vector<Row>& rows, const std::string& out_dir, const std::string& title)
{
  mark_pareto(rows);
  fs::create_directories(out_dir);
  const fs::path out = fs::absolute(out_dir);
  for (auto& r : rows)  // links in the page and the table are relative to the output directory
    if (!r.dir.empty())
      r.dir = fs::relative(fs::absolute(r.dir), out).string();
  std::ostringstream csv;
  csv << "index";
  if (!rows.empty())
    for (const auto& [p, v] : rows.front().params)
      csv << "," << csv_cell(p);
  csv << ",verdict,met_slos,exit_code,p99_ms,error_rate,cost_per_month_usd,cost_basis,pareto,missed,dir\n";
  auto variants = nlohmann::json::array();
  auto front = nlohmann::json::array();
  nlohmann::json fronts = nlohmann::json::array();  // one per traffic level (conditions), in row order
  for (const auto& r : rows) {
    csv << r.index;
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [p, v] : r.params) {
      csv << "," << csv_cell(param_text(v));
      params[p] = v;
    }
    std::string missed;
    for (const auto& m : r.missed)
      missed += (missed.empty() ? "" : "; ") + m;
    csv << "," << r.verdict << "," << (r.met_slos ? "yes" : "no") << "," << r.exit_code << "," << fixed(r.p99_ms, 3)
        << "," << fixed(r.error_rate, 6) << "," << fixed(r.cost_per_month_usd, 2) << "," << r.cost_basis << ","
        << (r.pareto ? "yes" : "no") << "," << csv_cell(missed) << "," << csv_cell(r.dir) << "\n";
    variants.push_back({{"index", r.index},
                        {"params", params},
                        {"verdict", r.verdict},
                        {"met_slos", r.met_slos},
                        {"missed", r.missed},
                        {"conditions", conditions_of(r)},
                        {"exit_code", r.exit_code},
                        {"p99_ms", std::isfinite(r.p99_ms) ? nlohmann::json(r.p99_ms) : nlohmann::json(nullptr)},
                        {"error_rate", r.error_rate},
                        {"cost_per_month_usd", r.cost_per_month_usd},
                        {"cost_basis", r.cost_basis},
                        {"pareto", r.pareto},
                        {"dir", r.dir}});
    if (r.pareto) {
      front.push_back(r.index);
      auto it = std::find_if(fronts.begin(), fronts.end(), [&](auto& f) { return f["conditions"] == conditions_of(r); });
      if (it == fronts.end())
        it = fronts.insert(fronts.end(), nlohmann::json::object({{"conditions", conditions_of(r)},
                                                                 {"variants", nlohmann::json::array()}}));
      (*it)["variants"].push_back(r.index);
    }
  }
  write_text_file((out / "sweep.csv").string(), csv.str());
  write_text_file((out / "sweep.json").string(),
                  nlohmann::json{{"schema_version", 1},
                                 {"title", title},
                                 {"variants", variants},
                                 {"pareto_front", front},
                                 {"pareto_fronts", fronts}}
                          .dump(2) +
                      "\n");
  write_text_file((out / "sweep.html").string(), sweep_html(rows, title));
}

std::string sweep_html(const std::vector<Row>& rows, const std::string& title)
{
  using html::esc;
  size_t on_front = 0, met = 0, measured = 0;
  bool ec2 = false;
  std::vector<std::string> levels;  // the traffic levels (conditions), in row order
  for (const auto& r : rows) {
    on_front += r.pareto;
    met += r.met_slos;
    measured += r.exit_code == 0 || r.exit_code == 1;
    ec2 |= r.cost_basis == "ec2-equivalent";
    if (std::find(levels.begin(), levels.end(), conditions_of(r)) == levels.end())
      levels.push_back(conditions_of(r));
  }
  double lo = 0, hi = 0;
  for (const auto& r : rows)
    if (std::isfinite(r.p99_ms) && r.p99_ms > 0) {
      lo = lo == 0 ? r.p99_ms : std::min(lo, r.p99_ms);
      hi = std::max(hi, r.p99_ms);
    }
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>migsim sweep: " << esc(title)
    << "</title>\n<style>\n" << html::stylesheet() << "</style>\n</head>\n<body>\n<main>\n<h1>Sweep: " << esc(title)
    << "</h1>\n<section class=\"verdict " << (met == rows.size() ? "pass" : "fail") << "\" id=\"verdict\">"
    << "<div class=\"big\">" << met << " of " << rows.size() << " variants met their SLOs</div><p>" << measured
    << " ran to the end; " << on_front << " on the Pareto front" << (levels.size() > 1 ? "s" : "") << " of cost vs p99"
    << (levels.size() > 1 ? ", one per traffic level (" + std::to_string(levels.size()) + " levels)" : std::string())
    << ". A variant meets its SLOs when every expectation of the base scenario holds, except those pinning the "
       "failure the scenario is built to show (<code>pins_failure</code>), which must not: the variant no longer "
       "fails. The table says which each variant missed, measured against its bound (also in its run.log).";
  if (ec2)
    o << " No model priced this estate: cost is the monthly on-demand price of an EC2 instance with at least each "
         "server's cores and RAM (a yardstick for comparing variants, not a bill).";
  o << "</p></section>\n";
  for (const auto& level : levels) {
    svg::ScatterChart c;
    c.id = "pareto" + std::to_string(&level - levels.data());
    c.title = std::string("Cost vs p99 latency") + (level.empty() ? "" : " at " + level) +
              " (orange: Pareto front; hollow: SLOs missed)";
    c.x_title = ec2 ? "monthly cost, USD (EC2 on-demand equivalent of the servers)" : "monthly cost, USD";
    c.y_title = "p99 latency, ms";
    c.log_y = lo > 0 && hi / lo > 20;  // seconds-long outliers would flatten the front
    if (c.log_y)
      c.y_title += " (log scale)";
    for (const auto& r : rows)
      if (conditions_of(r) == level && (r.exit_code == 0 || r.exit_code == 1) && std::isfinite(r.p99_ms) &&
          r.cost_per_month_usd >= 0)
        c.points.push_back({r.cost_per_month_usd, r.p99_ms,
                            "#" + std::to_string(r.index) + " " + describe(r) + ": p99 " + html::latency(r.p99_ms) +
                                ", " + html::money(r.cost_per_month_usd) + "/month, " +
                                (r.met_slos ? "met its SLOs" : "SLOs missed"),
                            r.pareto, !r.met_slos});
    o << svg::render(c);
  }
  o << "<h2>Variants</h2>\n<table><tr><th>#</th>";
  if (!rows.empty())
    for (const auto& [p, v] : rows.front().params)
      o << "<th><code>" << esc(p) << "</code></th>";
  o << "<th>SLOs</th><th>p99</th><th>error rate</th><th>cost / month</th><th>Pareto</th><th>missed (measured vs "
       "bound)</th><th>report</th></tr>\n";
  for (const auto& r : rows) {
    o << "<tr" << (r.pareto ? " style=\"font-weight:600\"" : "") << "><td class=\"n\">" << r.index << "</td>";
    for (const auto& [p, v] : r.params)
      o << "<td class=\"n\">" << esc(param_text(v)) << "</td>";
    std::string missed;
    for (const auto& m : r.missed)
      missed += (missed.empty() ? "" : "<br>") + esc(m);
    o << "<td><span class=\"tag " << (r.met_slos ? "pass" : "fail") << "\">"
      << (r.met_slos ? "met" : r.verdict == "error" ? "no result" : "missed") << "</span></td><td class=\"n\">"
      << html::latency(r.p99_ms) << "</td><td class=\"n\">" << fixed(r.error_rate * 100, 3) << " %</td><td class=\"n\">"
      << (r.cost_per_month_usd >= 0 ? html::money(r.cost_per_month_usd) : "–") << "</td><td>"
      << (r.pareto ? "★ front" : "") << "</td><td>" << missed << "</td><td><a href=\"" << esc(r.dir)
      << "/report.html\">report</a></td></tr>\n";
  }
  o << "</table>\n<footer>Generated by migsim sweep. A variant is on the Pareto front when no other variant at the "
       "same traffic level (the same values of the axes under <code>workload</code>, <code>seed</code>, "
       "<code>duration_s</code>, <code>start</code>) is at most as costly and at most as slow with one of the two "
       "strictly better.</footer>\n</main>\n</body>\n</html>\n";
  return o.str();
}

std::string k8s_manifest(const nlohmann::json& scenario, const std::vector<Axis>& axes, const K8sOptions& k)
{
  const size_t n = variant_count(axes);
  std::ostringstream y;
  y << "# migsim sweep as a Kubernetes Indexed Job: " << n << " variants, one per completion index.\n"
    << "# Each pod runs the variant JOB_COMPLETION_INDEX of grid.json and writes /results/variants/NNN;\n"
    << "# the PersistentVolumeClaim " << k.results_claim << " (ReadWriteMany) must exist. Then:\n"
    << "#   migsim sweep collect RESULTS_DIR -o merged   (sweep.csv, sweep.json, sweep.html)\n"
    << "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " << k.name << "-input\n  labels:\n    app: migsim-sweep\n"
    << "data:\n  scenario.json: |\n"
    << indent(scenario.dump(2), "    ") << "  grid.json: |\n" << indent(axes_to_json(axes).dump(2), "    ") << "---\n"
    << "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: " << k.name << "\n  labels:\n    app: migsim-sweep\n"
    << "spec:\n  completionMode: Indexed\n  completions: " << n << "\n  parallelism: " << k.parallelism
    << "\n  backoffLimit: " << n << "\n  template:\n    metadata:\n      labels:\n        app: migsim-sweep\n"
    << "    spec:\n      restartPolicy: Never\n      containers:\n        - name: migsim\n          image: \"" << k.image
    << "\"\n          command: [\"migsim\", \"sweep\", \"/input/scenario.json\", \"--grid\", \"/input/grid.json\",\n"
    << "                    \"--index\", \"env\", \"--out\", \"/results\", \"--quiet\"]\n"
    << "          resources:\n            requests:\n              cpu: \"1\"\n              memory: 512Mi\n"
    << "          volumeMounts:\n            - name: input\n              mountPath: /input\n              readOnly: true\n"
    << "            - name: results\n              mountPath: /results\n      volumes:\n        - name: input\n"
    << "          configMap:\n            name: " << k.name << "-input\n        - name: results\n"
    << "          persistentVolumeClaim:\n            claimName: " << k.results_claim << "\n";
  return y.str();
}

}  // namespace migsim::harness::sweep
