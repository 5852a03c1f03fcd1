// The metrics registry in Prometheus' exposition formats: the text format 0.0.4 (what /metrics
// answers by default) and OpenMetrics 1.0 (when the scraper's Accept header asks for it, and for
// the backfill file of `migsim run --openmetrics`). One collection step turns the registry into
// metric families; the writers only format them.
#pragma once

#include "harness/observe/metric_catalog.hpp"

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace migsim::sim {
class Registry;
}

namespace migsim::harness::observe {

using Labels = std::vector<std::pair<std::string, std::string>>;

// One labelled series of a family at one instant.
struct Point {
  Labels labels;
  double value = 0;                // counter or gauge
  std::vector<uint64_t> buckets;   // histogram: cumulative count per boundary of Family::les
  uint64_t count = 0;              // histogram
  double sum = 0;                  // histogram
};

struct Family {
  std::string name;  // a counter's without "_total"
  MetricType type = MetricType::Gauge;
  std::string unit;
  std::string help;
  std::vector<double> les;  // histogram boundaries (+Inf implied)
  std::vector<Point> points;
};

// Every family of the registry at simulated time now_s (sorted by name; series sorted by labels).
// State gauges (state_gauges.hpp) must have been published first when they are wanted.
std::vector<Family> collect_families(const sim::Registry& registry, double now_s);

// The text exposition format 0.0.4.
std::string to_text_format(const std::vector<Family>& families);
// OpenMetrics 1.0 text, ending with "# EOF".
std::string to_openmetrics(const std::vector<Family>& families);

inline constexpr const char* kTextContentType = "text/plain; version=0.0.4; charset=utf-8";
inline constexpr const char* kOpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";
// True when an Accept header prefers OpenMetrics (it names application/openmetrics-text, with a
// quality above that of text/plain if both are named).
bool accepts_openmetrics(std::string_view accept);

// Formatting helpers shared with the backfill writer.
std::string format_value(double v);
std::string format_labels(const Labels& labels, const std::pair<std::string, std::string>* extra = nullptr);
// HELP/TYPE/UNIT lines of a family in OpenMetrics.
void write_openmetrics_header(std::ostream& out, const Family& f);
// The sample lines of one point in OpenMetrics; `timestamp` appended when not empty.
void write_openmetrics_point(std::ostream& out, const Family& f, const Point& p, const std::string& timestamp);

}  // namespace migsim::harness::observe
