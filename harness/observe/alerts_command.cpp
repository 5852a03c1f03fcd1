#include "harness/observe/alerts_command.hpp"

#include "harness/observe/openmetrics_recorder.hpp"
#include "harness/report/html_report.hpp"
#include "sim/calendar.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace migsim::harness::observe {

namespace {

namespace fs = std::filesystem;

class AlertsInputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

std::string shell_quote(const std::string& s)
{
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string yaml_single_quoted(const std::string& s)
{
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// Go duration as promtool prints it ("1h4m", "30s", "2d") -> seconds.
double parse_go_duration(const std::string& text)
{
  static const std::regex part(R"((\d+(?:\.\d+)?)(ms|y|w|d|h|m|s))");
  double total = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), part); it != std::sregex_iterator(); ++it) {
    const double v = std::stod((*it)[1]);
    const std::string u = (*it)[2];
    total += v * (u == "ms" ? 0.001 : u == "s" ? 1 : u == "m" ? 60 : u == "h" ? 3600 : u == "d" ? 86400
                  : u == "w" ? 604800 : 31536000);
  }
  return total;
}

// {a="1", b="x \"y\""} -> map.
std::map<std::string, std::string> parse_label_set(const std::string& text)
{
  std::map<std::string, std::string> out;
  size_t i = text.find('{');
  if (i == std::string::npos)
    return out;
  ++i;
  while (i < text.size() && text[i] != '}') {
    while (i < text.size() && (text[i] == ' ' || text[i] == ','))
      ++i;
    const size_t eq = text.find('=', i);
    if (eq == std::string::npos || eq + 1 >= text.size() || text[eq + 1] != '"')
      break;
    const std::string key = text.substr(i, eq - i);
    std::string value;
    size_t j = eq + 2;
    for (; j < text.size() && text[j] != '"'; ++j) {
      if (text[j] == '\\' && j + 1 < text.size()) {
        ++j;
        value += text[j] == 'n' ? '\n' : text[j];
      } else {
        value += text[j];
      }
    }
    out[key] = value;
    i = j + 1;
  }
  return out;
}

std::string run_capture(const std::string& command, int& status)
{
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) {
    status = -1;
    return out;
  }
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
    out.append(buf.data(), n);
  const int rc = pclose(p);
  status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

std::string clock_text(double s)
{
  char buf[32];
  const long t = std::lround(s);
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  return buf;
}

}  // namespace

// The samples of the file by series, at simulated seconds. The file's timestamps are on the run's
// calendar; simulated second 0 is read from the file itself (migsim_simulated_time_seconds says the
// simulated time of each instant), so the result does not depend on this process's calendar.
std::map<std::string, std::vector<std::pair<double, double>>> read_openmetrics_series(const std::string& path,
                                                                                      double* start_epoch_s)
{
  std::ifstream in(path);
  if (!in)
    throw AlertsInputError("cannot read " + path + " (write it with: migsim run SCENARIO --openmetrics FILE)");
  std::map<std::string, std::vector<std::pair<double, double>>> out;
  std::optional<double> epoch0;
  std::string line;
  size_t n = 0;
  bool eof = false;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') {
      eof = eof || line == "# EOF";
      continue;
    }
    // name{labels} value timestamp: labels may hold spaces inside quotes.
    size_t end_of_series = line.find('{') != std::string::npos && line.find('{') < line.find(' ')
                               ? line.find("} ") + 1
                               : line.find(' ');
    if (end_of_series == std::string::npos || end_of_series == 0)
      throw AlertsInputError(path + ":" + std::to_string(n) + ": not an OpenMetrics sample line");
    std::istringstream rest(line.substr(end_of_series));
    double value = 0, ts = 0;
    if (!(rest >> value >> ts))
      throw AlertsInputError(path + ":" + std::to_string(n) + ": a sample needs a value and a timestamp " +
                             "(the file of migsim run --openmetrics)");
    const std::string series = line.substr(0, end_of_series);
    if (!epoch0 && series == "migsim_simulated_time_seconds")
      epoch0 = ts - value;
    out[series].emplace_back(ts, value);
  }
  if (!eof)
    throw AlertsInputError(path + ": no \"# EOF\" line (truncated file?)");
  if (out.empty())
    throw AlertsInputError(path + ": no samples");
  if (!epoch0)
    throw AlertsInputError(path + ": no migsim_simulated_time_seconds sample (the file of migsim run --openmetrics "
                                  "says the simulated time of its instants with it)");
  for (auto& [_, points] : out)
    for (auto& point : points)
      point.first -= *epoch0;
  *start_epoch_s = *epoch0;
  return out;
}

// The calendar to print times on: the run's (summary.json's scenario start, with its UTC offset) when
// the run directory has one, else UTC from the file's simulated second 0.
sim::Calendar print_calendar(const std::string& run_dir, double start_epoch_s)
{
  sim::Calendar cal;
  cal.start_epoch_s = start_epoch_s;
  std::ifstream in(fs::path(run_dir) / "summary.json");
  if (!in)
    return cal;
  try {
    const auto s = nlohmann::json::parse(in);
    if (const auto c = sim::parse_calendar(s.at("scenario").at("start").get<std::string>()))
      cal.utc_offset_s = c->utc_offset_s;
  } catch (const std::exception&) {
    // no calendar in it: UTC
  }
  return cal;
}

std::vector<std::string> alert_names(const std::string& rules_path)
{
  std::ifstream in(rules_path);
  if (!in)
    throw AlertsInputError("cannot read " + rules_path);
  static const std::regex alert(R"(^\s*(?:-\s*)?alert:\s*["']?([A-Za-z_:][A-Za-z0-9_:]*)["']?\s*(#.*)?$)");
  std::vector<std::string> names;
  std::string line;
  std::smatch m;
  while (std::getline(in, line))
    if (std::regex_match(line, m, alert) && std::find(names.begin(), names.end(), m[1].str()) == names.end())
      names.push_back(m[1]);
  return names;
}

std::string promtool_test_yaml(const std::string& rules_path,
                               const std::map<std::string, std::vector<std::pair<double, double>>>& series,
                               const std::vector<std::string>& alerts, double step_s, size_t* evaluations)
{
  size_t steps = 0;
  for (const auto& [_, points] : series)
    for (const auto& [t, __] : points)
      steps = std::max(steps, static_cast<size_t>(std::llround(t / step_s)) + 1);
  std::ostringstream y;
  const std::string step = std::to_string(static_cast<long>(step_s)) + "s";
  y << "rule_files:\n  - " << yaml_single_quoted(fs::absolute(rules_path).string()) << "\n"
    << "evaluation_interval: " << step << "\n"
    << "tests:\n  - interval: " << step << "\n    input_series:\n";
  for (const auto& [name, points] : series) {
    std::vector<std::string> values(steps, "_");
    for (const auto& [t, v] : points) {
      const auto k = static_cast<size_t>(std::llround(t / step_s));
      if (k < steps && std::isfinite(v)) {
        std::ostringstream num;
        num.precision(17);
        num << v;
        values[k] = num.str();
      }
    }
    y << "      - series: " << yaml_single_quoted(name) << "\n        values: '";
    for (size_t k = 0; k < steps; ++k)
      y << (k ? " " : "") << values[k];
    y << "'\n";
  }
  y << "    alert_rule_test:\n";
  for (size_t k = 0; k < steps; ++k)
    for (const auto& a : alerts)
      y << "      - {eval_time: " << static_cast<long>(k * step_s) << "s, alertname: " << yaml_single_quoted(a)
        << ", exp_alerts: []}\n";
  if (evaluations)
    *evaluations = steps;
  return y.str();
}

std::vector<AlertFiring> parse_promtool_failures(const std::string& output, double step_s)
{
  static const std::regex header(R"(alertname: ([^,]+), time: ([0-9a-z.]+),)");
  static const std::regex labels(R"(Labels:(\{.*\}))");
  std::map<std::pair<std::string, std::map<std::string, std::string>>, std::vector<double>> seen;
  std::istringstream in(output);
  std::string line, current;
  double at = 0;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, header)) {
      current = m[1];
      at = parse_go_duration(m[2]);
    } else if (!current.empty() && std::regex_search(line, m, labels)) {
      seen[{current, parse_label_set(m[1])}].push_back(at);
    }
  }
  std::vector<AlertFiring> out;
  for (auto& [key, times] : seen) {
    std::sort(times.begin(), times.end());
    AlertFiring f{key.first, key.second, {}};
    for (double t : times) {
      if (!f.intervals_s.empty() && t - f.intervals_s.back().second < step_s * 0.5)
        f.intervals_s.back().second = t + step_s;
      else
        f.intervals_s.emplace_back(t, t + step_s);
    }
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(), [](const AlertFiring& a, const AlertFiring& b) {
    return a.intervals_s.front().first < b.intervals_s.front().first ||
           (a.intervals_s.front().first == b.intervals_s.front().first && a.labels < b.labels);
  });
  return out;
}

nlohmann::json alerts_json(const std::string& rules_path, const std::vector<AlertFiring>& firing, double step_s,
                           double run_end_s)
{
  nlohmann::json j = {{"rules_file", rules_path}, {"evaluation_interval_s", step_s}, {"run_end_s", run_end_s},
                      {"alerts", nlohmann::json::array()}};
  for (const auto& f : firing) {
    nlohmann::json a = {{"alert", f.alert}, {"labels", f.labels}, {"firing", nlohmann::json::array()}};
    for (const auto& [from, to] : f.intervals_s)
      a["firing"].push_back({{"from_s", from}, {"to_s", to}, {"duration_s", to - from}});
    j["alerts"].push_back(std::move(a));
  }
  return j;
}

AlertsCli::AlertsCli(CLI::App& app)
{
  cmd_ = app.add_subcommand("alerts", "Evaluate a Prometheus rule file over a recorded run (migsim run --openmetrics) "
                                      "with promtool: which alerts would have fired, when and for how long. Writes "
                                      "alerts.json next to the run. Exit 0 none fired, 1 some fired, 2 bad input.");
  cmd_->add_option("rules", rules_, "Prometheus rule file (groups: ... alert: ...)")->required();
  cmd_->add_option("run", run_, "Run directory holding metrics.om, or the OpenMetrics file itself")->required();
  cmd_->add_option("--promtool", promtool_, "promtool to use (Debian package prometheus)")->capture_default_str();
}

std::optional<int> AlertsCli::run() const
{
  if (!*cmd_)
    return std::nullopt;
  constexpr double step_s = 60;
  const bool is_dir = fs::is_directory(run_);
  const std::string om_path = is_dir ? (fs::path(run_) / "metrics.om").string() : run_;
  const std::string out_dir = is_dir ? run_ : fs::path(run_).parent_path().string();
  std::vector<AlertFiring> firing;
  double run_end_s = 0;
  double start_epoch_s = 0;
  try {
    const auto names = alert_names(rules_);
    if (names.empty())
      throw AlertsInputError(rules_ + ": no alerting rule (alert: NAME) found");
    const auto series = read_openmetrics_series(om_path, &start_epoch_s);
    for (const auto& [_, points] : series)
      run_end_s = std::max(run_end_s, points.back().first);
    size_t evaluations = 0;
    const std::string yaml = promtool_test_yaml(rules_, series, names, step_s, &evaluations);
    char dir_template[] = "/tmp/migsim-alerts-XXXXXX";
    if (!mkdtemp(dir_template))
      throw AlertsInputError("cannot create a temporary directory");
    const fs::path test_file = fs::path(dir_template) / "alerts_test.yml";
    std::ofstream(test_file) << yaml;
    int status = 0;
    const std::string output =
        run_capture(shell_quote(promtool_) + " test rules " + shell_quote(test_file.string()) + " 2>&1", status);
    std::error_code ec;
    fs::remove_all(dir_template, ec);
    if (status == 127 || status < 0)
      throw AlertsInputError("cannot run " + promtool_ + " (install the Debian package prometheus, or give --promtool)");
    firing = parse_promtool_failures(output, step_s);
    for (auto& f : firing)
      for (auto& iv : f.intervals_s)
        iv.second = std::min(iv.second, std::max(run_end_s, iv.first));
    if (status != 0 && firing.empty())
      throw AlertsInputError("promtool rejected the rules or the generated series:\n" + output);
    std::cout << "migsim alerts: " << names.size() << " alerting rules evaluated every " << step_s << " s over "
              << evaluations << " evaluations of " << om_path << "\n";
  } catch (const AlertsInputError& e) {
    std::cerr << "migsim alerts: " << e.what() << "\n";
    return 2;
  }
  const sim::Calendar cal = print_calendar(out_dir.empty() ? "." : out_dir, start_epoch_s);
  if (firing.empty())
    std::cout << "  no alert fired\n";
  for (const auto& f : firing) {
    std::string labels;
    for (const auto& [k, v] : f.labels)
      if (k != "alertname")
        labels += (labels.empty() ? "" : ", ") + k + "=" + v;
    for (const auto& [from, to] : f.intervals_s)
      std::cout << "  FIRING " << f.alert << " {" << labels << "} from " << cal.datetime(from) << " to "
                << cal.time_of_day(to) << " " << cal.zone() << " (" << clock_text(to - from) << ")\n";
  }
  const std::string json_path = (fs::path(out_dir.empty() ? "." : out_dir) / "alerts.json").string();
  try {
    write_text_file(json_path, alerts_json(rules_, firing, step_s, run_end_s).dump(2) + "\n");
    if (fs::exists(fs::path(out_dir.empty() ? "." : out_dir) / "summary.json"))
      write_report_for_dir(out_dir.empty() ? "." : out_dir, (fs::path(out_dir.empty() ? "." : out_dir) / "report.html").string());
  } catch (const std::exception& e) {
    std::cerr << "migsim alerts: " << e.what() << "\n";
    return 4;
  }
  std::cout << "  wrote " << json_path << "\n";
  return firing.empty() ? 0 : 1;
}

}  // namespace migsim::harness::observe
