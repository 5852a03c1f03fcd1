#include "harness/report/compare_estates.hpp"

#include "harness/report/compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
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

// The run's recurring bill (models/cost Bill JSON): aws.cost, eks.cost, then any other section's or
// the top-level one, migration bills (one-time) left out. Lines summed by item, unrounded
// (billable quantity x unit price), projected to 730 h as cost::compute does.
bool read_bill(const nlohmann::json& j, EstateColumn& c)
{
  auto is_bill = [](const nlohmann::json* b) {
    return b && b->is_object() && b->contains("lines") && (*b)["lines"].is_array() && b->contains("simulated_hours");
  };
  std::vector<std::pair<std::string, const nlohmann::json*>> candidates;
  for (const char* k : {"aws", "eks"})
    if (j.contains(k) && j[k].is_object() && j[k].contains("cost"))
      candidates.emplace_back(std::string("/") + k + "/cost", &j[k]["cost"]);
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "aws" && it.key() != "eks" && it.key() != "migration" && it->is_object() && it->contains("cost"))
      candidates.emplace_back("/" + it.key() + "/cost", &(*it)["cost"]);
  if (j.contains("cost"))
    candidates.emplace_back("/cost", &j["cost"]);
  for (const auto& [where, b] : candidates) {
    if (!is_bill(b))
      continue;
    const double hours = (*b)["simulated_hours"].get<double>();
    std::vector<EstateBillLine> lines;
    for (const auto& l : (*b)["lines"]) {
      if (l.value("phase", "run") != "run" || hours <= 0)
        continue;
      const double monthly = l.value("billable_quantity", 0.0) * l.value("unit_usd", 0.0) * 730.0 / hours;
      const std::string item = l.value("item", "");
      auto it = std::find_if(lines.begin(), lines.end(), [&](const EstateBillLine& x) { return x.item == item; });
      if (it == lines.end())
        lines.push_back({l.value("service", ""), item, monthly});
      else
        it->monthly_usd += monthly;
    }
    if (lines.empty())
      continue;
    c.bill = std::move(lines);
    c.monthly_usd = 0;
    for (const auto& l : c.bill)
      c.monthly_usd += l.monthly_usd;
    c.cost_source = where;
    return true;
  }
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
    const auto calendar_hour = static_cast<long long>(std::floor(c.calendar.epoch_s(v[0] * 60.0) / 3600.0));
    if (p99 >= 0 && static_cast<size_t>(p99) < v.size())
      c.p99_by_hour[calendar_hour] = std::max(c.p99_by_hour[calendar_hour], v[static_cast<size_t>(p99)]);
    if (nodes >= 0 && static_cast<size_t>(nodes) < v.size())
      c.nodes_by_hour[calendar_hour] = std::max(c.nodes_by_hour[calendar_hour], v[static_cast<size_t>(nodes)]);
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

// The run's hours on the calendar: [{hour (ISO 8601 in the run's zone), p99_ms, nodes}].
static nlohmann::json by_hour(const EstateColumn& r)
{
  auto a = nlohmann::json::array();
  for (const auto& [h, p99] : r.p99_by_hour) {
    const auto n = r.nodes_by_hour.find(h);
    a.push_back({{"hour", r.calendar.iso(static_cast<double>(h) * 3600.0 - r.calendar.start_epoch_s)},
                 {"p99_ms", p99},
                 {"nodes", n == r.nodes_by_hour.end() ? 0.0 : n->second}});
  }
  return a;
}

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
  } else if (j.contains("aws") && j["aws"].contains("groups")) {  // the as-is estate: its Auto Scaling groups
    double peak = 0, hours = 0;
    for (const auto& g : j["aws"]["groups"]) {
      peak += g.value("peak_in_service", 0.0);
      hours += g.value("instance_hours", 0.0);
    }
    c.capacity = "peak " + num("%.0f", peak) + " instances, " + num("%.0f", hours) + " inst-h";
  } else if (j.contains("servers")) {
    int cores = 0;
    for (const auto& s : j["servers"])
      cores += s.value("cores", 0);
    c.capacity = std::to_string(j["servers"].size()) + " servers, " + std::to_string(cores) + " cores";
  }
  if (!read_bill(j, c))
    find_monthly(j, "", c.monthly_usd, c.cost_source);
  const nlohmann::json::json_pointer start_ptr("/scenario/start");
  if (j.contains(start_ptr)) {
    std::string why;
    const auto cal = j.at(start_ptr).is_string() ? sim::parse_calendar(j.at(start_ptr).get<std::string>(), &why)
                                                 : std::nullopt;
    if (!cal)
      throw CompareInputError(c.file + ": /scenario/start: " + (why.empty() ? "not a string" : why));
    c.calendar = *cal;
    c.start_known = true;
  }
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
  const auto rows = align_bills(runs);
  if (!rows.empty())
    out << "\n  monthly bill, line by line (USD per 730-hour month, list prices; - : no such line)\n";
  for (const auto& b : rows) {
    std::snprintf(line, sizeof line, "  %-36s", b.item.empty() ? b.service.c_str() : ("  " + b.item).c_str());
    out << line;
    for (double v : b.monthly_usd) {
      std::snprintf(line, sizeof line, " %28s", v < 0 ? "-" : num("%.2f", v).c_str());
      out << line;
    }
    out << "\n";
  }
  if (!rows.empty()) {
    std::snprintf(line, sizeof line, "  %-36s", "total");
    out << line;
    for (const auto& r : runs) {
      std::snprintf(line, sizeof line, " %28s", r.bill.empty() ? "-" : num("%.2f", r.monthly_usd).c_str());
      out << line;
    }
    out << "\n";
  }
  // Hour by hour on the calendar: every calendar hour any run covers, labelled in the first run's
  // local time; a run shows "-" for hours it did not simulate.
  std::set<long long> hours;
  for (const auto& r : runs)
    for (const auto& [h, v] : r.p99_by_hour)
      hours.insert(h);
  if (hours.empty())
    return;
  const sim::Calendar& labels = runs.front().calendar;
  out << "\n  hour by hour, aligned by calendar time (" << labels.zone()
      << ", each run's scenario start): worst-minute p99 ms (nodes, for EKS runs)\n";
  row("  starts", [](const EstateColumn& r) {
    return r.start_known ? r.calendar.datetime(0).substr(0, 16) : std::string("no start (2025-01-01 assumed)");
  });
  for (const long long h : hours)
    row("  " + labels.datetime(static_cast<double>(h) * 3600.0 - labels.start_epoch_s).substr(0, 16),
        [&](const EstateColumn& r) {
          const auto p = r.p99_by_hour.find(h);
          if (p == r.p99_by_hour.end())
            return std::string("-");
          const auto n = r.nodes_by_hour.find(h);
          return num("%.0f", p->second) + (n != r.nodes_by_hour.end() && n->second > 0 ? " (" + num("%.0f", n->second) + ")" : "");
        });
}

std::vector<AlignedBillRow> align_bills(const std::vector<EstateColumn>& runs)
{
  std::vector<std::string> services;
  for (const auto& r : runs)
    for (const auto& l : r.bill)
      if (std::find(services.begin(), services.end(), l.service) == services.end())
        services.push_back(l.service);
  std::vector<AlignedBillRow> rows;
  for (const auto& svc : services) {
    AlignedBillRow total{svc, "", {}};
    std::vector<std::string> items;
    for (const auto& r : runs) {
      double sum = -1;
      for (const auto& l : r.bill)
        if (l.service == svc) {
          sum = std::max(sum, 0.0) + l.monthly_usd;
          if (std::find(items.begin(), items.end(), l.item) == items.end())
            items.push_back(l.item);
        }
      total.monthly_usd.push_back(sum);
    }
    rows.push_back(std::move(total));
    for (const auto& item : items) {
      AlignedBillRow row{svc, item, {}};
      for (const auto& r : runs) {
        auto it = std::find_if(r.bill.begin(), r.bill.end(), [&](const EstateBillLine& l) { return l.item == item; });
        row.monthly_usd.push_back(it == r.bill.end() ? -1 : it->monthly_usd);
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

nlohmann::json estates_json(const std::vector<EstateColumn>& runs)
{
  auto a = nlohmann::json::array();
  for (const auto& r : runs) {
    auto bill = nlohmann::json::array();
    for (const auto& l : r.bill)
      bill.push_back({{"service", l.service}, {"item", l.item}, {"monthly_usd", l.monthly_usd}});
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
                 {"start", r.start_known ? nlohmann::json(r.calendar.iso(0)) : nlohmann::json(nullptr)},
                 {"hourly_p99_ms", r.hourly_p99_ms},
                 {"hourly_capacity_nodes", r.hourly_capacity},
                 {"by_calendar_hour", by_hour(r)},
                 {"bill", bill}});
  }
  auto rows = nlohmann::json::array();
  for (const auto& b : align_bills(runs)) {
    auto v = nlohmann::json::array();
    for (double x : b.monthly_usd)
      v.push_back(x < 0 ? nlohmann::json(nullptr) : nlohmann::json(x));
    rows.push_back({{"service", b.service}, {"item", b.item.empty() ? nlohmann::json(nullptr) : nlohmann::json(b.item)},
                    {"monthly_usd", v}});
  }
  return {{"estates", a}, {"bill_rows", rows}};
}

}  // namespace migsim::harness
