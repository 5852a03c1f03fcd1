#include "harness/serve/cloudwatch_metrics.hpp"

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
};

// The mapping table (kept in step with notes/README-services.md). The ApplicationELB rows bind the
// names the ALB model registers (alb_*{load_balancer=...}); they show up once it does.
constexpr Binding kMetricBindings[] = {
    {"AWS/DMS", "CDCLatencySource", "ReplicationConfigId", "dms_cdc_latency_source_s", "Seconds", Source::Series},
    {"AWS/DMS", "CDCLatencyTarget", "ReplicationConfigId", "dms_cdc_latency_target_s", "Seconds", Source::Series},
    {"AWS/DMS", "CapacityUtilization", "ReplicationConfigId", "dms_capacity_utilization_pct", "Percent", Source::Series},
    {"AWS/DMS", "CapacityUnits", "ReplicationConfigId", "dms_capacity_dcu", "Count", Source::Series},
    {"AWS/EC2", "CPUUtilization", "InstanceId", "server_busy_cores", "Percent", Source::CpuPercent},
    {"AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", "server_busy_cores", "Percent", Source::CpuPercent},
    {"AWS/ApplicationELB", "RequestCount", "LoadBalancer", "alb_request_count", "Count", Source::Series},
    {"AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", "alb_target_response_time_s", "Seconds", Source::Series},
    {"AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", "alb_target_5xx_count", "Count", Source::Series},
    {"Migsim/MGN", "LagSeconds", "SourceServer", "mgn_lag_s", "Seconds", Source::Series},
    {"Migsim/MGN", "BackloggedBytes", "SourceServer", "mgn_backlog_bytes", "Bytes", Source::Series},
    {"Migsim/Workload", "RequestCount", "", "arrivals", "Count", Source::Series},
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

}  // namespace

std::vector<MetricSource> list_metrics(const CatalogContext& ctx)
{
  std::vector<MetricSource> out;
  if (!ctx.registry)
    return out;
  const double now = ctx.now_s;
  for (const Binding& b : kMetricBindings) {
    const bool dimensionless = std::string(b.dimension).empty();
    auto make = [&](const std::string& label, std::function<std::vector<double>(size_t)> fn) {
      MetricSource m{b.name_space, b.name, {}, b.unit, std::move(fn)};
      if (!dimensionless)
        m.dimensions.push_back({b.dimension, label});
      out.push_back(std::move(m));
    };
    if (b.source == Source::Series) {
      for (const auto& [full, series] : ctx.registry->all_series()) {
        const auto [family, label] = split_name(full);
        if (family != b.family || label.empty() != dimensionless)
          continue;
        const sim::TimeSeries* ts = series;
        make(label, [ts](size_t n) { return ts->values(n); });
      }
    } else {
      for (const auto& [full, tw] : ctx.registry->all_time_weighted()) {
        const auto [family, label] = split_name(full);
        if (family != b.family || label.empty())
          continue;
        const bool is_rds = label == ctx.rds_server;
        if ((std::string(b.name_space) == "AWS/RDS") != is_rds)
          continue;
        auto cores = ctx.cores_by_server.find(label);
        if (cores == ctx.cores_by_server.end() || cores->second <= 0)
          continue;
        const sim::TimeWeighted* w = tw;
        const double c = cores->second;
        make(label, [w, c, now](size_t n) {
          auto v = w->step_means(n, std::max(now, static_cast<double>(n) * 60.0));
          for (double& x : v)
            x = 100.0 * x / c;
          return v;
        });
      }
    }
  }
  return out;
}

std::optional<MetricSource> find_metric(const CatalogContext& ctx, const std::string& name_space,
                                        const std::string& name, Dimensions dimensions)
{
  std::sort(dimensions.begin(), dimensions.end());
  for (auto& m : list_metrics(ctx)) {
    auto dims = m.dimensions;
    std::sort(dims.begin(), dims.end());
    if (m.name_space == name_space && m.name == name && dims == dimensions)
      return m;
  }
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
