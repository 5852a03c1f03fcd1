// The grid: --set parsing, paths into the scenario, variant enumeration, the Pareto front and the
// EC2-equivalent cost yardstick.
#include "harness/sweep/sweep.hpp"
#include "sim/json_text.hpp"

#include "models/cost/cost_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace migsim::harness::sweep {

namespace {

nlohmann::json parse_value(const std::string& text)
{
  auto v = sim::parse_json_text(text, sim::JsonTextLimits{});
  if (v.is_discarded())
    return text;  // a bare word: a string
  return v;
}

}  // namespace

Axis parse_set(const std::string& arg)
{
  const auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size())
    throw SweepInputError("--set " + arg + ": expected path=v1,v2,...");
  Axis a;
  a.path = arg.substr(0, eq);
  std::string cur;
  int depth = 0;
  bool quoted = false;
  for (size_t i = eq + 1; i <= arg.size(); ++i) {
    const char c = i < arg.size() ? arg[i] : ',';
    if (c == '"' && (i == 0 || arg[i - 1] != '\\'))
      quoted = !quoted;
    if (!quoted && (c == '[' || c == '{'))
      ++depth;
    if (!quoted && (c == ']' || c == '}'))
      --depth;
    if (c == ',' && depth == 0 && !quoted) {
      if (cur.empty())
        throw SweepInputError("--set " + arg + ": empty value");
      a.values.push_back(parse_value(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  return a;
}

std::vector<Axis> axes_from_json(const nlohmann::json& grid)
{
  std::vector<Axis> out;
  if (!grid.is_object() || !grid.contains("axes") || !grid["axes"].is_array())
    throw SweepInputError("grid: expected {\"axes\": [{\"path\": ..., \"values\": [...]}, ...]}");
  for (const auto& a : grid["axes"]) {
    if (!a.is_object() || !a.contains("path") || !a["path"].is_string() || !a.contains("values") ||
        !a["values"].is_array() || a["values"].empty())
      throw SweepInputError("grid: each axis needs a \"path\" string and a non-empty \"values\" array");
    out.push_back({a["path"].get<std::string>(), a["values"].get<std::vector<nlohmann::json>>()});
  }
  return out;
}

nlohmann::json axes_to_json(const std::vector<Axis>& axes)
{
  auto arr = nlohmann::json::array();
  for (const auto& a : axes)
    arr.push_back({{"path", a.path}, {"values", a.values}});
  return {{"axes", arr}};
}

size_t variant_count(const std::vector<Axis>& axes)
{
  size_t n = 1;
  for (const auto& a : axes)
    n *= a.values.size();
  return n;
}

std::vector<std::pair<std::string, nlohmann::json>> variant_params(const std::vector<Axis>& axes, size_t index)
{
  std::vector<std::pair<std::string, nlohmann::json>> out(axes.size());
  for (size_t k = axes.size(); k-- > 0;) {
    out[k] = {axes[k].path, axes[k].values[index % axes[k].values.size()]};
    index /= axes[k].values.size();
  }
  return out;
}

void apply_path(nlohmann::json& doc, const std::string& path, const nlohmann::json& value)
{
  nlohmann::json* cur = &doc;
  std::string walked;
  size_t pos = 0;
  while (true) {
    const auto dot = path.find('.', pos);
    const std::string step = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    if (step.empty())
      throw SweepInputError("path " + path + ": empty step");
    const bool last = dot == std::string::npos;
    nlohmann::json* next = nullptr;
    if (cur->is_array()) {
      const bool numeric = std::all_of(step.begin(), step.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (numeric) {
        const size_t i = std::stoul(step);
        if (i >= cur->size())
          throw SweepInputError("path " + path + ": " + walked + " has " + std::to_string(cur->size()) +
                                " elements, no index " + step);
        next = &(*cur)[i];
      } else {
        for (auto& e : *cur)
          if (e.is_object() && e.value("name", std::string()) == step)
            next = &e;
        if (!next)
          throw SweepInputError("path " + path + ": no element named \"" + step + "\" in " + walked);
      }
    } else if (cur->is_object()) {
      if (!last && !cur->contains(step))
        throw SweepInputError("path " + path + ": " + (walked.empty() ? "the scenario" : walked) + " has no key \"" +
                              step + "\"");
      next = &(*cur)[step];  // the last key may be new (an optional key): the scenario loader checks it
    } else {
      throw SweepInputError("path " + path + ": " + walked + " is not an object or array");
    }
    walked += (walked.empty() ? "" : ".") + step;
    if (last) {
      *next = value;
      return;
    }
    cur = next;
    pos = dot + 1;
  }
}

double ec2_equivalent_monthly_usd(const nlohmann::json& scenario)
{
  // vCPUs and GiB of memory of the EC2 types in the price table (AWS instance type pages).
  struct Type {
    const char* key;
    int vcpu;
    double gib;
  };
  static const Type kTypes[] = {{"ec2.t3.micro", 2, 1},   {"ec2.t3.small", 2, 2},   {"ec2.t3.medium", 2, 4},
                                {"ec2.t3.large", 2, 8},   {"ec2.t3.xlarge", 4, 16}, {"ec2.m5.large", 2, 8},
                                {"ec2.m5.xlarge", 4, 16}, {"ec2.m5.2xlarge", 8, 32}, {"ec2.c5.large", 2, 4},
                                {"ec2.c5.xlarge", 4, 8},  {"ec2.r5.large", 2, 16},  {"ec2.r5.xlarge", 4, 32}};
  const auto& prices = models::cost::default_price_table();
  double hourly = 0;
  for (const auto& s : scenario.at("platform").at("servers")) {
    const double cores = s.value("cores", 1.0), ram = s.value("ram_gb", 1.0);
    double best = std::numeric_limits<double>::infinity();
    for (const auto& t : kTypes)
      if (t.vcpu >= cores && t.gib >= ram && prices.items.count(t.key))
        best = std::min(best, prices.at(t.key).usd);
    if (!std::isfinite(best))  // bigger than any type listed: as many m5.2xlarge as needed
      best = prices.at("ec2.m5.2xlarge").usd * std::ceil(std::max(cores / 8, ram / 32));
    hourly += best;
  }
  return hourly * models::cost::kHoursPerMonth;
}

bool is_condition_axis(const std::string& path)
{
  const std::string first = path.substr(0, path.find('.'));
  return first == "workload" || first == "seed" || first == "duration_s" || first == "start";
}

std::string conditions_of(const Row& row)
{
  std::string out;
  for (const auto& [path, value] : row.params)
    if (is_condition_axis(path))
      out += (out.empty() ? "" : ", ") + path + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
  return out;
}

std::vector<std::string> missed_slos(const nlohmann::json& summary)
{
  auto num = [](const nlohmann::json& v) {
    if (!v.is_number())
      return std::string("not measured");
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.6g", v.get<double>());
    return std::string(buf);
  };
  std::vector<std::string> out;
  for (const auto& e : summary.value("expectations", nlohmann::json::array())) {
    const bool passed = e.value("passed", false), pinned = e.value("pins_failure", false);
    if (passed != pinned)
      continue;  // held, or a pinned failure that no longer happens
    std::string bound;
    if (e.contains("min"))
      bound += ">= " + num(e["min"]);
    if (e.contains("max"))
      bound += (bound.empty() ? "" : " and ") + std::string("<= ") + num(e["max"]);
    out.push_back(e.value("name", std::string()) + ": " + e.value("metric", std::string()) + " measured " +
                  num(e.value("measured", nlohmann::json())) +
                  (pinned ? ", the failure the base scenario pins still happens (" + bound + ")" : ", limit " + bound));
  }
  return out;
}

void mark_pareto(std::vector<Row>& rows)
{
  auto measured = [](const Row& r) {
    return (r.exit_code == 0 || r.exit_code == 1) && r.cost_per_month_usd >= 0 && std::isfinite(r.p99_ms);
  };
  for (auto& r : rows) {
    r.pareto = measured(r);
    if (!r.pareto)
      continue;
    const std::string level = conditions_of(r);
    for (const auto& o : rows)
      if (&o != &r && measured(o) && conditions_of(o) == level && o.cost_per_month_usd <= r.cost_per_month_usd &&
          o.p99_ms <= r.p99_ms &&
          (o.cost_per_month_usd < r.cost_per_month_usd || o.p99_ms < r.p99_ms)) {
        r.pareto = false;
        break;
      }
  }
}

}  // namespace migsim::harness::sweep
