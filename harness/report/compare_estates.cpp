#include "harness/report/compare_estates.hpp"

#include "harness/report/compare.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace migsim::harness {

namespace {

// The first number under a key naming a monthly figure, searched depth-first in document order.
bool find_monthly(const nlohmann::json& j, const std::string& path, double& usd, std::string& where)
{
  if (!j.is_object())
    return false;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const auto& k = it.key();
    if (it->is_number() && (k == "monthly_run_rate" || k.rfind("monthly", 0) == 0)) {
      usd = it->get<double>();
      where = path + "/" + k;
      return true;
    }
  }
  for (auto it = j.begin(); it != j.end(); ++it)
    if (find_monthly(*it, path + "/" + it.key(), usd, where))
      return true;
  return false;
}

// Hourly figures from timeseries.csv beside the summary (max over each hour's minutes).
void read_series(const std::filesystem::path& csv, EstateColumn& c)
{
  std::ifstream in(csv);
  std::string line;
  if (!std::getline(in, line))
    return;
  std::vector<std::string> cols;
  std::stringstream hs(line);
  for (std::string f; std::getline(hs, f, ',');)
    cols.push_back(f);
  auto index = [&](const std::string& name) {
    auto it = std::find(cols.begin(), cols.end(), name);
    return it == cols.end() ? -1 : static_cast<int>(it - cols.begin());
  };
  const int p99 = index("p99_ms"), nodes = index("eks_nodes_total");
  while (std::getline(in, line)) {
    std::vector<double> v;
    std::stringstream ls(line);
    for (std::string f; std::getline(ls, f, ',');)
      v.push_back(std::strtod(f.c_str(), nullptr));
    if (v.empty())
      continue;
    const auto hour = static_cast<size_t>(v[0] / 60);
    if (c.hourly_p99_ms.size() <= hour) {
      c.hourly_p99_ms.resize(hour + 1, 0);
      c.hourly_capacity.resize(hour + 1, 0);
    }
    if (p99 >= 0 && static_cast<size_t>(p99) < v.size())
      c.hourly_p99_ms[hour] = std::max(c.hourly_p99_ms[hour], v[static_cast<size_t>(p99)]);
    if (nodes >= 0 && static_cast<size_t>(nodes) < v.size())
      c.hourly_capacity[hour] = std::max(c.hourly_capacity[hour], v[static_cast<size_t>(nodes)]);
  }
}

std::string num(const char* f, double v)
{
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

}  // namespace

EstateColumn load_estate(const std::string& path)
{
  EstateColumn c;
  const auto j = load_summary_for_compare(path, &c.file);
  try {
    c.scenario = j.at("scenario").at("name").get<std::string>();
    c.requests = j.at("requests").at("arrivals").get<unsigned long long>();
    c.error_rate = j.at("requests").at("error_rate").get<double>();
    c.throughput_rps = j.at("requests").at("throughput_rps").get<double>();
    c.p50_ms = j.at("latency_ms").at("p50").get<double>();
    c.p95_ms = j.at("latency_ms").at("p95").get<double>();
    c.p99_ms = j.at("latency_ms").at("p99").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw CompareInputError(c.file + ": not a migsim summary.json (" + e.what() + ")");
  }
  if (j.contains("eks")) {
    c.capacity = "peak " + std::to_string(j["eks"]["nodes"]["peak"].get<int>()) + " nodes, " +
                 num("%.0f", j["eks"]["nodes"]["node_hours"].get<double>()) + " node-h";
  } else if (j.contains("servers")) {
    int cores = 0;
    for (const auto& s : j["servers"])
      cores += s.value("cores", 0);
    c.capacity = std::to_string(j["servers"].size()) + " servers, " + std::to_string(cores) + " cores";
  }
  find_monthly(j, "", c.monthly_usd, c.cost_source);
  read_series(std::filesystem::path(c.file).parent_path() / "timeseries.csv", c);
  return c;
}

void print_estates(const std::vector<EstateColumn>& runs, std::ostream& out)
{
  char line[256];
  auto row = [&](const std::string& label, auto cell) {
    std::snprintf(line, sizeof line, "  %-18s", label.c_str());
    out << line;
    for (const auto& r : runs) {
      std::snprintf(line, sizeof line, " %28s", cell(r).c_str());
      out << line;
    }
    out << "\n";
  };
  row("", [](const EstateColumn& r) { return r.scenario; });
  row("requests", [](const EstateColumn& r) { return std::to_string(r.requests); });
  row("p50 / p99 ms", [](const EstateColumn& r) { return num("%.1f", r.p50_ms) + " / " + num("%.1f", r.p99_ms); });
  row("error rate", [](const EstateColumn& r) { return num("%.3f %%", r.error_rate * 100); });
  row("throughput req/s", [](const EstateColumn& r) { return num("%.1f", r.throughput_rps); });
  row("capacity", [](const EstateColumn& r) { return r.capacity.empty() ? std::string("-") : r.capacity; });
  row("monthly cost", [](const EstateColumn& r) { return r.monthly_usd < 0 ? std::string("not reported") : num("$%.0f", r.monthly_usd); });
  size_t hours = 0;
  for (const auto& r : runs)
    hours = std::max(hours, r.hourly_p99_ms.size());
  if (hours)
    out << "\n  hour by hour: worst-minute p99 ms (nodes, for EKS runs)\n";
  for (size_t h = 0; h < hours; ++h)
    row("  hour " + std::to_string(h), [&](const EstateColumn& r) {
      if (h >= r.hourly_p99_ms.size())
        return std::string("-");
      return num("%.0f", r.hourly_p99_ms[h]) + (r.hourly_capacity[h] > 0 ? " (" + num("%.0f", r.hourly_capacity[h]) + ")" : "");
    });
}

nlohmann::json estates_json(const std::vector<EstateColumn>& runs)
{
  auto a = nlohmann::json::array();
  for (const auto& r : runs)
    a.push_back({{"file", r.file},
                 {"scenario", r.scenario},
                 {"requests", r.requests},
                 {"p50_ms", r.p50_ms},
                 {"p95_ms", r.p95_ms},
                 {"p99_ms", r.p99_ms},
                 {"error_rate", r.error_rate},
                 {"throughput_rps", r.throughput_rps},
                 {"capacity", r.capacity},
                 {"monthly_usd", r.monthly_usd < 0 ? nlohmann::json(nullptr) : nlohmann::json(r.monthly_usd)},
                 {"cost_source", r.cost_source},
                 {"hourly_p99_ms", r.hourly_p99_ms},
                 {"hourly_capacity_nodes", r.hourly_capacity}});
  return {{"estates", a}};
}

}  // namespace migsim::harness
