#include "harness/report/compare.hpp"

#include "harness/run/output_file.hpp"
#include "sim/json_text.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace migsim::harness {

namespace {

using nlohmann::json;

// Reads a number at a JSON pointer; throws naming the file when absent or not a number.
double required_number(const json& doc, const std::string& ptr, const std::string& file)
{
  const json::json_pointer p(ptr);
  if (!doc.contains(p) || !doc.at(p).is_number())
    throw CompareInputError(file + ": " + ptr + ": missing or not a number");
  return doc.at(p).get<double>();
}

// A number at a JSON pointer, or nothing when absent or null; throws when present but not a number.
std::optional<double> optional_number(const json& doc, const std::string& ptr, const std::string& file)
{
  const json::json_pointer p(ptr);
  if (!doc.contains(p) || doc.at(p).is_null())
    return std::nullopt;
  if (!doc.at(p).is_number())
    throw CompareInputError(file + ": " + ptr + ": not a number");
  return doc.at(p).get<double>();
}

const json& required_array(const json& doc, const std::string& key, const std::string& file)
{
  if (!doc.contains(key) || !doc[key].is_array())
    throw CompareInputError(file + ": /" + key + ": missing or not an array");
  return doc[key];
}

std::string name_of(const json& item, const std::string& where, const std::string& file)
{
  if (!item.is_object() || !item.contains("name") || !item["name"].is_string())
    throw CompareInputError(file + ": " + where + ": entry without a string \"name\"");
  return item["name"].get<std::string>();
}

// name -> element, in file order.
std::vector<std::pair<std::string, const json*>> by_name(const json& doc, const std::string& key,
                                                         const std::string& file)
{
  std::vector<std::pair<std::string, const json*>> out;
  const auto& arr = required_array(doc, key, file);
  for (size_t i = 0; i < arr.size(); ++i)
    out.emplace_back(name_of(arr[i], "/" + key + "/" + std::to_string(i), file), &arr[i]);
  return out;
}

const json* find(const std::vector<std::pair<std::string, const json*>>& v, const std::string& name)
{
  for (const auto& [n, p] : v)
    if (n == name)
      return p;
  return nullptr;
}

std::string num(double v)
{
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// How bad an outcome is; higher is worse. Unknown words rank with the failures.
int verdict_rank(const std::string& v)
{
  if (v == "pass") return 0;
  if (v == "fail") return 1;
  return 2;  // invariant_violated, or anything unknown
}

int cutover_rank(const std::string& r)
{
  if (r == "completed") return 0;
  if (r == "running") return 1;  // still going when the run ended
  return 2;                       // aborted, rolled back, not started
}

std::optional<std::string> optional_string(const json& doc, const std::string& ptr, const std::string& file)
{
  const json::json_pointer p(ptr);
  if (!doc.contains(p) || doc.at(p).is_null())
    return std::nullopt;
  if (!doc.at(p).is_string())
    throw CompareInputError(file + ": " + ptr + ": not a string");
  return doc.at(p).get<std::string>();
}

// The outcome rows: verdict, cutover result, then each expectation by name (base order, then the
// ones only CURRENT has).
void compare_outcome(Comparison& c, const json& base, const json& current, const std::string& base_file,
                     const std::string& current_file)
{
  auto add = [&](const std::string& item, const std::optional<std::string>& b, const std::optional<std::string>& cu,
                 int rank_b, int rank_c) {
    OutcomeComparison o{item, b.value_or("absent"), cu.value_or("absent"), CompareStatus::Ok};
    if (!b || !cu)
      o.status = b == cu ? CompareStatus::Ok : CompareStatus::Absent;
    else if (rank_c > rank_b)
      o.status = CompareStatus::Regression;
    else if (rank_c < rank_b)
      o.status = CompareStatus::Improved;
    if (o.status == CompareStatus::Regression)
      ++c.regressions;
    c.outcome.push_back(std::move(o));
  };
  {
    const auto b = optional_string(base, "/verdict", base_file), cu = optional_string(current, "/verdict", current_file);
    add("verdict", b, cu, verdict_rank(b.value_or("")), verdict_rank(cu.value_or("")));
  }
  {
    const auto b = optional_string(base, "/migration/cutover/result", base_file);
    const auto cu = optional_string(current, "/migration/cutover/result", current_file);
    if (b || cu)
      add("cutover", b, cu, cutover_rank(b.value_or("")), cutover_rank(cu.value_or("")));
  }
  auto expectations = [](const json& doc, const std::string& file) {
    std::vector<std::pair<std::string, bool>> out;
    if (!doc.contains("expectations"))
      return out;
    if (!doc["expectations"].is_array())
      throw CompareInputError(file + ": /expectations: not an array");
    for (size_t i = 0; i < doc["expectations"].size(); ++i) {
      const auto& e = doc["expectations"][i];
      const std::string where = "/expectations/" + std::to_string(i);
      const auto name = name_of(e, where, file);
      if (!e.contains("passed") || !e["passed"].is_boolean())
        throw CompareInputError(file + ": " + where + "/passed: missing or not a boolean");
      out.emplace_back(name, e["passed"].get<bool>());
    }
    return out;
  };
  const auto be = expectations(base, base_file), ce = expectations(current, current_file);
  auto lookup = [](const std::vector<std::pair<std::string, bool>>& v, const std::string& n) -> std::optional<bool> {
    for (const auto& [name, passed] : v)
      if (name == n)
        return passed;
    return std::nullopt;
  };
  auto word = [](std::optional<bool> p) { return p ? std::optional<std::string>(*p ? "PASS" : "FAIL") : std::nullopt; };
  for (const auto& [name, passed] : be) {
    const auto other = lookup(ce, name);
    add("expectation \"" + name + "\"", word(passed), word(other), passed ? 0 : 1, other.value_or(false) ? 0 : 1);
  }
  for (const auto& [name, passed] : ce)
    if (!lookup(be, name))
      add("expectation \"" + name + "\"", std::nullopt, word(passed), 0, passed ? 0 : 1);
}

class Builder {
public:
  Builder(Comparison& c, const CompareOptions& o) : c_(c), o_(o) {}

  void add(const std::string& metric, double base, double current, bool higher_is_worse, bool is_count)
  {
    MetricComparison m;
    m.metric = metric;
    m.base = base;
    m.current = current;
    m.higher_is_worse = higher_is_worse;
    m.is_count = is_count;
    auto it = o_.per_metric.find(metric);
    m.tolerance = it == o_.per_metric.end() ? o_.tolerance : it->second;
    if (it != o_.per_metric.end())
      used_.insert(metric);
    const double diff = current - base;
    const double worse_abs = higher_is_worse ? diff : -diff;  // > 0: current is worse
    if (base != 0) {
      m.change = diff / std::fabs(base);
      const double worse_rel = worse_abs / std::fabs(base);
      if (worse_rel > m.tolerance)
        m.status = CompareStatus::Regression;
      else if (worse_rel < -m.tolerance)
        m.status = CompareStatus::Improved;
    } else if (worse_abs > 0) {
      // No relative change from 0: any worsening is a regression (an increase in a count that was
      // 0, or e.g. an error rate or downtime appearing).
      m.status = CompareStatus::Regression;
    } else if (worse_abs < 0) {
      m.status = CompareStatus::Improved;
    }
    if (m.status == CompareStatus::Regression)
      ++c_.regressions;
    c_.metrics.push_back(std::move(m));
  }

  // BASE_WHY / CURRENT_WHY non-empty: that run has no such metric (the reason is printed).
  void add_optional(const std::string& metric, std::optional<double> base, std::optional<double> current,
                    bool higher_is_worse, bool is_count, std::string base_why = "", std::string current_why = "")
  {
    if (!base && base_why.empty())
      base_why = "no value";
    if (!current && current_why.empty())
      current_why = "no value";
    if (base_why.empty() && current_why.empty()) {
      add(metric, *base, *current, higher_is_worse, is_count);
      return;
    }
    if (!base_why.empty() && !current_why.empty() && base_why == current_why)
      return;  // neither run has it, for the same reason: nothing to say
    MetricComparison m;
    m.metric = metric;
    m.base = base.value_or(0);
    m.current = current.value_or(0);
    m.base_absent = base_why;
    m.current_absent = current_why;
    m.higher_is_worse = higher_is_worse;
    m.is_count = is_count;
    m.status = CompareStatus::Absent;
    c_.metrics.push_back(std::move(m));
  }

  void warn_unused_overrides()
  {
    for (const auto& [metric, tol] : o_.per_metric)
      if (!used_.count(metric))
        c_.warnings.push_back("--tolerance-for " + metric + ": no such metric in this comparison");
  }

private:
  Comparison& c_;
  const CompareOptions& o_;
  std::set<std::string> used_;
};

}  // namespace

const char* status_name(CompareStatus s)
{
  switch (s) {
  case CompareStatus::Regression: return "REGRESSION";
  case CompareStatus::Improved: return "improved";
  case CompareStatus::Absent: return "absent";
  default: return "ok";
  }
}

json load_summary_for_compare(const std::string& path, std::string* resolved_file)
{
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string file = path;
  if (fs::is_directory(path, ec))
    file = (fs::path(path) / "summary.json").string();
  if (resolved_file)
    *resolved_file = file;
  if (!fs::exists(file, ec))
    throw CompareInputError(file + ": no such file");
  const std::string run_dir = fs::path(file).has_parent_path() ? fs::path(file).parent_path().string() : ".";
  if (const auto why = incomplete_run_reason(run_dir))
    throw CompareInputError(*why);
  std::string text;
  try {
    text = sim::read_input_file(file, "summary");
  } catch (const sim::InputFileError& e) {
    throw CompareInputError(e.what());
  }
  sim::JsonTextError err;
  const json doc = sim::parse_json_text(text, sim::JsonTextLimits{}, &err);
  if (doc.is_discarded())
    throw CompareInputError(file + ": not valid JSON: " + err.describe());
  if (!doc.is_object())
    throw CompareInputError(file + ": not a summary.json object");
  if (doc.contains("schema_version") && doc["schema_version"] != 1)
    throw CompareInputError(file + ": /schema_version: unsupported (expected 1)");
  return doc;
}

Comparison compare_summaries(const json& base, const json& current, const CompareOptions& opt,
                             const std::string& base_file, const std::string& current_file)
{
  Comparison c;
  c.base_file = base_file;
  c.current_file = current_file;
  auto scenario_name = [](const json& d, const std::string& f) {
    const json::json_pointer p("/scenario/name");
    if (!d.contains(p) || !d.at(p).is_string())
      throw CompareInputError(f + ": /scenario/name: missing or not a string");
    return d.at(p).get<std::string>();
  };
  c.base_scenario = scenario_name(base, base_file);
  c.current_scenario = scenario_name(current, current_file);
  if (c.base_scenario != c.current_scenario)
    c.warnings.push_back("different scenarios: BASE is \"" + c.base_scenario + "\", CURRENT is \"" +
                         c.current_scenario + "\"; comparing anyway");

  compare_outcome(c, base, current, base_file, current_file);
  Builder b(c, opt);
  auto both = [&](const std::string& ptr) {
    return std::pair{required_number(base, ptr, base_file), required_number(current, ptr, current_file)};
  };
  for (const char* q : {"p50", "p95", "p99", "max"}) {
    auto [x, y] = both(std::string("/latency_ms/") + q);
    b.add(std::string("latency_ms.") + q, x, y, true, false);
  }
  {
    auto [x, y] = both("/requests/error_rate");
    b.add("requests.error_rate", x, y, true, false);
  }
  {
    auto [x, y] = both("/requests/throughput_rps");
    b.add("requests.throughput_rps", x, y, false, false);
  }

  // Per class: p99 and errors (rejected + timeouts + server errors), matched by name.
  const auto bc = by_name(base, "classes", base_file), cc = by_name(current, "classes", current_file);
  auto class_errors = [](const json& cls, const std::string& f, const std::string& where) {
    double e = 0;
    for (const char* k : {"rejected", "timeouts", "server_errors"})
      e += required_number(cls, std::string("/") + k, f + ": " + where);
    return e;
  };
  for (const auto& [name, bj] : bc) {
    const json* cj = find(cc, name);
    if (!cj) {
      c.warnings.push_back("class " + name + ": only in BASE; not compared");
      continue;
    }
    b.add("class." + name + ".p99_ms", required_number(*bj, "/latency_ms/p99", base_file + ": class " + name),
          required_number(*cj, "/latency_ms/p99", current_file + ": class " + name), true, false);
    b.add("class." + name + ".errors", class_errors(*bj, base_file, "class " + name),
          class_errors(*cj, current_file, "class " + name), true, true);
  }
  for (const auto& [name, cj] : cc)
    if (!find(bc, name))
      c.warnings.push_back("class " + name + ": only in CURRENT; not compared");

  // Per server: mean utilisation (higher is worse: less headroom).
  const auto bs = by_name(base, "servers", base_file), cs = by_name(current, "servers", current_file);
  for (const auto& [name, bj] : bs) {
    const json* cj = find(cs, name);
    if (!cj) {
      c.warnings.push_back("server " + name + ": only in BASE; not compared");
      continue;
    }
    b.add("server." + name + ".utilisation", required_number(*bj, "/utilisation", base_file + ": server " + name),
          required_number(*cj, "/utilisation", current_file + ": server " + name), true, false);
  }
  for (const auto& [name, cj] : cs)
    if (!find(bs, name))
      c.warnings.push_back("server " + name + ": only in CURRENT; not compared");

  // Migration, when both runs have one.
  const bool bm = base.contains("migration") && base["migration"].is_object();
  const bool cm = current.contains("migration") && current["migration"].is_object();
  if (bm && cm) {
    auto opt2 = [&](const std::string& ptr) {
      return std::pair{optional_number(base, ptr, base_file), optional_number(current, ptr, current_file)};
    };
    {
      auto [x, y] = opt2("/migration/integrity/lost_transactions");
      b.add_optional("migration.lost_transactions", x, y, true, true);
    }
    // Downtime and cutover duration are what a completed cutover cost; a cutover that aborted or
    // rolled back has none (its zero downtime is not an improvement).
    auto not_completed = [](const json& d, const std::string& f) {
      const auto r = optional_string(d, "/migration/cutover/result", f).value_or("not started");
      return r == "completed" ? std::string() : "cutover " + r;
    };
    const auto bwhy = not_completed(base, base_file), cwhy = not_completed(current, current_file);
    {
      auto [x, y] = opt2("/migration/downtime/write_downtime_s");
      b.add_optional("migration.write_downtime_s", x, y, true, false, bwhy, cwhy);
    }
    {
      auto [x, y] = opt2("/migration/cutover/duration_s");
      b.add_optional("migration.cutover_duration_s", x, y, true, false, bwhy, cwhy);
    }
    {
      auto [x, y] = opt2("/migration/cost/migration_total_usd");
      b.add_optional("migration.cost_usd", x, y, true, false);
    }
  } else if (bm || cm) {
    c.warnings.push_back(std::string("only ") + (bm ? "BASE" : "CURRENT") +
                         " has a migration section; migration metrics not compared");
  }
  b.warn_unused_overrides();
  return c;
}

void print_comparison(const Comparison& c, std::ostream& out)
{
  out << "BASE    " << c.base_file << " (" << c.base_scenario << ")\n";
  out << "CURRENT " << c.current_file << " (" << c.current_scenario << ")\n\n";
  char line[512];
  size_t owidth = 7;
  for (const auto& o : c.outcome)
    owidth = std::max(owidth, o.item.size());
  std::snprintf(line, sizeof line, "%-*s %14s %14s  %s\n", static_cast<int>(owidth), "outcome", "base", "current",
                "status");
  out << line;
  for (const auto& o : c.outcome) {
    std::snprintf(line, sizeof line, "%-*s %14s %14s  %s\n", static_cast<int>(owidth), o.item.c_str(), o.base.c_str(),
                  o.current.c_str(), status_name(o.status));
    out << line;
  }
  out << "\n";
  size_t width = 6;
  for (const auto& m : c.metrics)
    width = std::max(width, m.metric.size());
  std::snprintf(line, sizeof line, "%-*s %14s %14s %10s  %s\n", static_cast<int>(width), "metric", "base", "current",
                "change", "status");
  out << line;
  for (const auto& m : c.metrics) {
    std::string change = "n/a";
    if (m.change) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%+.1f %%", *m.change * 100);
      change = buf;
    } else if (m.current == m.base) {
      change = "+0.0 %";
    }
    std::string status = status_name(m.status);
    if (m.status == CompareStatus::Absent) {
      change = "n/a";
      status += " in " + std::string(m.base_absent.empty() ? "CURRENT (" + m.current_absent + ")"
                                     : m.current_absent.empty() ? "BASE (" + m.base_absent + ")"
                                                                : "both");
    }
    std::snprintf(line, sizeof line, "%-*s %14s %14s %10s  %s\n", static_cast<int>(width), m.metric.c_str(),
                  m.base_absent.empty() ? num(m.base).c_str() : "absent",
                  m.current_absent.empty() ? num(m.current).c_str() : "absent", change.c_str(), status.c_str());
    out << line;
  }
  out << "\n" << c.regressions << " regressions\n";
}

json comparison_json(const Comparison& c)
{
  json j;
  auto word = [](CompareStatus s) {
    return s == CompareStatus::Regression ? "regression"
           : s == CompareStatus::Improved ? "improved"
           : s == CompareStatus::Absent   ? "absent"
                                          : "ok";
  };
  auto& os = j["outcome"] = json::array();
  for (const auto& o : c.outcome)
    os.push_back({{"item", o.item}, {"base", o.base}, {"current", o.current}, {"status", word(o.status)}});
  j["base"] = {{"file", c.base_file}, {"scenario", c.base_scenario}};
  j["current"] = {{"file", c.current_file}, {"scenario", c.current_scenario}};
  auto& ms = j["metrics"] = json::array();
  for (const auto& m : c.metrics)
    ms.push_back({{"metric", m.metric},
                  {"base", m.base_absent.empty() ? json(m.base) : json(nullptr)},
                  {"current", m.current_absent.empty() ? json(m.current) : json(nullptr)},
                  {"absent_because", {{"base", m.base_absent}, {"current", m.current_absent}}},
                  {"change", m.change ? json(*m.change) : json(nullptr)},
                  {"worse_when", m.higher_is_worse ? "higher" : "lower"},
                  {"tolerance", m.tolerance},
                  {"status", word(m.status)}});
  j["warnings"] = c.warnings;
  j["regressions"] = c.regressions;
  return j;
}

}  // namespace migsim::harness
