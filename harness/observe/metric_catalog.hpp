// How each family of the metrics registry is shown to Prometheus: its exported name (units in the
// name, base units), type, help text, the scale to base units and any label it adds. Families not
// listed are exported by a generic rule (migsim_<name>, units converted from the name's suffix).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace migsim::harness::observe {

enum class MetricType { Counter, Gauge, Histogram };

// Where a value comes from in the registry.
enum class Source { Counter, Gauge, Histogram, SumSeries, LevelSeries, TimeWeightedArea, TimeWeightedLevel };

struct CatalogEntry {
  std::string name;  // exported family name (a counter's without "_total")
  MetricType type = MetricType::Gauge;
  std::string unit;  // OpenMetrics UNIT (the name ends with it), empty when none
  std::string help;
  double scale = 1.0;  // registry value x scale = exported value (ms -> s, % -> ratio)
  std::vector<std::pair<std::string, std::string>> extra_labels;
  bool skip = false;  // not exported (a duplicate of another family)
};

// The entry of a registry family (the part of a registry name before '{') read from `source`.
CatalogEntry catalog_entry(const std::string& family, Source source);

// Latency bucket boundaries (seconds) of every exported histogram.
const std::vector<double>& latency_buckets_s();

}  // namespace migsim::harness::observe
