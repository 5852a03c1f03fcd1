#include "models/cost/alb_lcu.hpp"

#include <algorithm>
#include <stdexcept>

namespace migsim::models::cost {

double AlbLcuDimensions::lcus() const
{
  return std::max({new_connections, active_connections, processed_bytes, rule_evaluations});
}

AlbLcuDimensions alb_lcu_dimensions(const AlbTrafficSpan& s)
{
  if (!(s.span_s > 0))
    throw std::invalid_argument("an ALB traffic span needs span_s > 0");
  AlbLcuDimensions d;
  d.new_connections = s.new_connections / s.span_s / kAlbNewConnectionsPerLcu_s;
  // Mean open connections over the span (AWS samples them per minute; the mean of those samples).
  d.active_connections = s.connection_seconds / s.span_s / kAlbActiveConnectionsPerLcu;
  d.processed_bytes = s.processed_bytes / 1e9 / (s.span_s / 3600.0) / kAlbProcessedGbPerLcuHour;
  d.rule_evaluations = s.requests * std::max(0.0, s.rules - kAlbFreeRules) / s.span_s / kAlbRuleEvaluationsPerLcu_s;
  return d;
}

double alb_lcu_hours(const std::vector<AlbTrafficSpan>& spans)
{
  double total = 0;
  for (const auto& s : spans)
    total += alb_lcu_dimensions(s).lcus() * s.span_s / 3600.0;
  return total;
}

}  // namespace migsim::models::cost
