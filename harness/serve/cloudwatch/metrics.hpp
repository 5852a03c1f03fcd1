// CloudWatch's view of the metrics registry (sim/metrics.hpp, the single source): which registry
// series each CloudWatch metric reads (the mapping table is kMetricBindings in the .cpp and in
// notes/README-services.md), and the statistics of GetMetricStatistics / GetMetricData computed
// from per-minute values. Every complete simulated minute is one datapoint (as a 1-minute metric
// publishes one value a minute), so SampleCount is the number of minutes in the period, Sum their
// sum, Average Sum / SampleCount, pNN the nearest-rank percentile of the minute values.
// No HTTP here: the wire layer (cloudwatch_wire.cpp) shapes requests and responses.
#pragma once

#include "sim/metrics.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace migsim::harness::serve::cloudwatch {

using Dimensions = std::vector<std::pair<std::string, std::string>>;  // (Name, Value), sorted by name

// One CloudWatch metric and where its minute values come from.
struct MetricSource {
  std::string name_space;  // "AWS/DMS"
  std::string name;        // "CDCLatencySource"
  Dimensions dimensions;
  std::string unit;        // "Seconds", "Percent", "Count", ...
  std::function<std::vector<double>(size_t n_minutes)> minutes;  // values of minutes [0, n)
};

// What the catalog needs besides the registry: cores per server (for CPUUtilization) and which
// server is the RDS target of the migration (its CPU shows as AWS/RDS).
struct CatalogContext {
  const sim::Registry* registry = nullptr;
  std::map<std::string, int> cores_by_server;
  std::string rds_server;  // "" when there is no migration
  double now_s = 0;        // only complete minutes (< floor(now / 60)) have datapoints
};

// Every metric the registry can show now (built from the registry's names on each call).
std::vector<MetricSource> list_metrics(const CatalogContext& ctx);
// The metric with exactly these dimensions (order-insensitive), or nullopt.
std::optional<MetricSource> find_metric(const CatalogContext& ctx, const std::string& name_space,
                                        const std::string& name, Dimensions dimensions);

// A statistic by its CloudWatch name: Average, Sum, Minimum, Maximum, SampleCount or pNN(.NN).
// Throws std::invalid_argument for anything else.
double statistic(const std::string& stat, std::vector<double> samples);
bool valid_statistic(const std::string& stat);

// One period's samples: the minute values of [start, start + period) that are complete.
struct PeriodSamples {
  double start_s;
  std::vector<double> samples;
};
// The periods of [start_s, end_s) (start aligned down to the period, as CloudWatch does) that have
// at least one complete minute, oldest first. period_s must be a positive multiple of 60.
std::vector<PeriodSamples> periods(const std::vector<double>& minute_values, double start_s, double end_s,
                                   int period_s);

}  // namespace migsim::harness::serve::cloudwatch
