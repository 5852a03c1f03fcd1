#include "harness/serve/cloudwatch/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace migsim::harness::serve::cloudwatch {

namespace {

// How a registry family becomes a CloudWatch metric.
enum class Source { Series, CpuPercent };
struct Binding {
  const char* name_space;
  const char* name;
  const char* dimension;  // "" for a metric without dimensions
  const char* family;     // registry name before '{'
  const char* unit;
  Source source;
  double scale = 1.0;  // registry unit -> CloudWatch unit (ms -> s: 0.001)
};

// The mapping table (kept in step with docs/mock-endpoint-services.md). The ApplicationELB rows bind the
// names the ALB model registers (alb_*{load_balancer=...}); they show up once it does.
constexpr Binding kMetricBindings[] = {
    {"AWS/DMS", "CDCLatencySource", "ReplicationConfigId", "dms_cdc_latency_source_s", "Seconds", Source::Series},
    {"AWS/DMS", "CDCLatencyTarget", "ReplicationConfigId", "dms_cdc_latency_target_s", "Seconds", Source::Series},
    {"AWS/DMS", "CapacityUtilization", "ReplicationConfigId", "dms_capacity_utilization_pct", "Percent", Source::Series},
    {"AWS/DMS", "CapacityUnits", "ReplicationConfigId", "dms_capacity_dcu", "Count", Source::Series},
    {"AWS/EC2", "CPUUtilization", "InstanceId", "server_busy_cores", "Percent", Source::CpuPercent},
    {"AWS/EC2", "CPUUtilization", "InstanceId", "ec2_cpu_utilization_pct", "Percent", Source::Series},
    {"AWS/EC2", "CPUUtilization", "AutoScalingGroupName", "asg_cpu_utilization_pct", "Percent", Source::Series},
    {"AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", "server_busy_cores", "Percent", Source::CpuPercent},
    {"AWS/RDS", "ReplicaLag", "DBInstanceIdentifier", "rds_replica_lag_s", "Seconds", Source::Series},
    {"AWS/ApplicationELB", "RequestCount", "LoadBalancer", "alb_request_count", "Count", Source::Series},
    {"AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", "alb_target_response_time_ms", "Seconds", Source::Series, 0.001},
    {"AWS/ApplicationELB", "HealthyHostCount", "LoadBalancer", "alb_healthy_hosts", "Count", Source::Series},
    {"AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", "alb_target_5xx", "Count", Source::Series},
    {"Migsim/MGN", "LagSeconds", "SourceServer", "mgn_lag_s", "Seconds", Source::Series},
    {"Migsim/MGN", "BackloggedBytes", "SourceServer", "mgn_backlog_bytes", "Bytes", Source::Series},
    {"Migsim/Workload", "RequestCount", "", "arrivals", "Count", Source::Series},
    {"Migsim/Workload", "RequestCount", "Site", "arrivals", "Count", Source::Series},
    {"Migsim/Workload", "Errors", "", "errors", "Count", Source::Series},
    {"Migsim/Workload", "LatencyP99", "", "latency_p99_ms", "Milliseconds", Source::Series},
    {"Migsim/Workload", "WritesRefused", "", "writes_refused", "Count", Source::Series},
};

// Splits "family{label=value}" into family and value ("" without a label).
std::pair<std::string, std::string> split_name(const std::string& full)
{
  const auto brace = full.find('{');
  if (brace == std::string::npos)
    return {full, ""};
  const auto eq = full.find('=', brace);
  const auto close = full.rfind('}');
  if (eq == std::string::npos || close == std::string::npos || close < eq)
    return {full.substr(0, brace), ""};
  return {full.substr(0, brace), full.substr(eq + 1, close - eq - 1)};
}

// One registry entry with its name split once: family, label value, and the series it names.
struct Parsed {
  std::string family, label;
  const sim::TimeSeries* series = nullptr;
  const sim::TimeWeighted* weighted = nullptr;
};

// The registry's names, split; re-parsed only when metrics were added (hot path of every call).
const std::vector<Parsed>& parsed_names(const sim::Registry& reg)
{
  static const sim::Registry* cached_for = nullptr;
  static size_t cached_size = 0;
  static std::vector<Parsed> cache;
  const size_t size = reg.all_series().size() + reg.all_time_weighted().size();
  if (cached_for != &reg || cached_size != size) {
    cache.clear();
    for (const auto& [full, ts] : reg.all_series()) {
      auto [family, label] = split_name(full);
      cache.push_back({family, label, ts, nullptr});
    }
    for (const auto& [full, tw] : reg.all_time_weighted()) {
      auto [family, label] = split_name(full);
      cache.push_back({family, label, nullptr, tw});
    }
    cached_for = &reg;
    cached_size = size;
  }
  return cache;
}

// The metric a binding makes of a registry entry, or nullopt when the entry is not for it.
std::optional<MetricSource> bind(const Binding& b, const Parsed& p, const CatalogContext& ctx)
{
  const bool dimensionless = std::string(b.dimension).empty();
  if (p.family != b.family || p.label.empty() != dimensionless)
    return std::nullopt;
  MetricSource m{b.name_space, b.name, {}, b.unit, {}};
  if (!dimensionless)
    m.dimensions.push_back({b.dimension, p.label});
  if (b.source == Source::Series) {
    if (!p.series)
      return std::nullopt;
    const sim::TimeSeries* ts = p.series;
    const double scale = b.scale;
    m.minutes = [ts, scale](size_t n) {
      std::vector<double> v = ts->values(n);
      if (scale != 1.0)
        for (double& x : v)
          x *= scale;
      return v;
    };
    return m;
  }
  if (!p.weighted || (std::string(b.name_space) == "AWS/RDS") != (p.label == ctx.rds_server))
    return std::nullopt;
  auto cores = ctx.cores_by_server.find(p.label);
  if (cores == ctx.cores_by_server.end() || cores->second <= 0)
    return std::nullopt;
  const sim::TimeWeighted* w = p.weighted;
  const double c = cores->second, now = ctx.now_s;
  m.minutes = [w, c, now](size_t n) {
    auto v = w->step_means(n, std::max(now, static_cast<double>(n) * 60.0));
    for (double& x : v)
      x = 100.0 * x / c;
    return v;
  };
  return m;
}

// The ApplicationELB metrics of the model's target groups as AWS publishes them: dimensions
// LoadBalancer and TargetGroup on each group's, plus the load balancer's own RequestCount and
// HTTPCode_ELB_503_Count (the sum over its groups, minute by minute).
void add_load_balancer_view(std::vector<MetricSource>& out, const CatalogContext& ctx)
{
  std::map<std::string, std::vector<std::function<std::vector<double>(size_t)>>> sums;  // metric -> groups'
  std::map<std::string, std::string> units;
  for (MetricSource& m : out) {
    if (m.name_space != "AWS/ApplicationELB" || m.dimensions.size() != 1)
      continue;
    const std::string group = m.dimensions[0].second;
    m.dimensions = {{"LoadBalancer", ctx.load_balancer},
                    {"TargetGroup", ctx.target_group ? ctx.target_group(group) : group}};
    if (m.name == "RequestCount") {
      sums[m.name].push_back(m.minutes);
      units[m.name] = m.unit;
    }
  }
  // The load balancer's own 503s (no healthy target: AWS's HTTPCode_ELB_503_Count).
  for (const Parsed& p : parsed_names(*ctx.registry))
    if (p.family == "alb_http_503" && p.label.empty() && p.series) {
      const sim::TimeSeries* ts = p.series;
      out.push_back({"AWS/ApplicationELB", "HTTPCode_ELB_503_Count", {{"LoadBalancer", ctx.load_balancer}}, "Count",
                     [ts](size_t n) { return ts->values(n); }});
    }
  for (auto& [name, parts] : sums)
    out.push_back({"AWS/ApplicationELB", name, {{"LoadBalancer", ctx.load_balancer}}, units[name],
                   [parts](size_t n) {
                     std::vector<double> total(n, 0.0);
                     for (const auto& part : parts) {
                       const std::vector<double> v = part(n);
                       for (size_t i = 0; i < std::min(n, v.size()); ++i)
                         total[i] += v[i];
                     }
                     return total;
                   }});
}

}  // namespace

std::vector<MetricSource> list_metrics(const CatalogContext& ctx)
{
  std::vector<MetricSource> out;
  if (!ctx.registry)
    return out;
  const auto& names = parsed_names(*ctx.registry);
  for (const Binding& b : kMetricBindings)
    for (const Parsed& p : names)
      if (auto m = bind(b, p, ctx))
        out.push_back(std::move(*m));
  if (!ctx.load_balancer.empty())
    add_load_balancer_view(out, ctx);
  return out;
}

std::optional<MetricSource> find_metric(const CatalogContext& ctx, const std::string& name_space,
                                        const std::string& name, Dimensions dimensions)
{
  std::sort(dimensions.begin(), dimensions.end());
  for (MetricSource& m : list_metrics(ctx))
    if (m.name_space == name_space && m.name == name && m.dimensions == dimensions)
      return std::move(m);
  return std::nullopt;
}

bool valid_statistic(const std::string& stat)
{
  if (stat == "Average" || stat == "Sum" || stat == "Minimum" || stat == "Maximum" || stat == "SampleCount")
    return true;
  if (stat.size() < 2 || stat[0] != 'p')
    return false;
  char* end = nullptr;
  const double p = std::strtod(stat.c_str() + 1, &end);
  return end && *end == '\0' && p >= 0 && p <= 100;
}

double statistic(const std::string& stat, std::vector<double> s)
{
  if (!valid_statistic(stat))
    throw std::invalid_argument("unknown statistic '" + stat + "'");
  if (stat == "SampleCount")
    return static_cast<double>(s.size());
  if (s.empty())
    throw std::invalid_argument("no samples");
  double sum = 0;
  for (double v : s)
    sum += v;
  if (stat == "Sum")
    return sum;
  if (stat == "Average")
    return sum / static_cast<double>(s.size());
  if (stat == "Minimum")
    return *std::min_element(s.begin(), s.end());
  if (stat == "Maximum")
    return *std::max_element(s.begin(), s.end());
  // pNN: nearest rank, the smallest sample with at least p % of samples <= it.
  const double p = std::strtod(stat.c_str() + 1, nullptr);
  std::sort(s.begin(), s.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(s.size()));
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return s[std::min(index, s.size() - 1)];
}

std::vector<PeriodSamples> periods(const std::vector<double>& minute_values, double start_s, double end_s,
                                   int period_s)
{
  if (period_s <= 0 || period_s % 60 != 0)
    throw std::invalid_argument("period must be a positive multiple of 60 seconds");
  std::vector<PeriodSamples> out;
  const double p = period_s;
  const double first = std::floor(std::max(0.0, start_s) / p) * p;
  for (double t = first; t < end_s; t += p) {
    PeriodSamples ps{t, {}};
    for (double m = t; m < t + p && m < end_s; m += 60.0) {
      const size_t k = static_cast<size_t>(m / 60.0);
      if (k < minute_values.size())
        ps.samples.push_back(minute_values[k]);
    }
    if (!ps.samples.empty())
      out.push_back(std::move(ps));
  }
  return out;
}

}  // namespace migsim::harness::serve::cloudwatch
