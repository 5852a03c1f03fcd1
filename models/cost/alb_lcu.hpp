// ALB Load Balancer Capacity Units (LCUs), the one formula both target estates (AWS as-is and EKS)
// price their ALB with. AWS bills, per hour, the highest of four dimensions (ELB pricing page):
//   new connections      25 per second per LCU
//   active connections   3,000 per minute per LCU
//   processed bytes      1 GB per hour per LCU (EC2 instance and IP targets)
//   rule evaluations     1,000 per second per LCU, rule evaluations = requests x (rules - 10 free)
// A span is an hour of the run (the last one may be partial): its LCUs are averages over the span,
// and it contributes LCUs x span / 3,600 s LCU-hours. Plain arithmetic, no simulation.
#pragma once

#include <vector>

namespace migsim::models::cost {

// What the ALB handled during one span of the run.
struct AlbTrafficSpan {
  double span_s = 3600;           // length of the span (> 0)
  double requests = 0;            // HTTP requests routed
  double new_connections = 0;     // client connections opened (requests / requests per connection)
  double connection_seconds = 0;  // integral of open connections over the span (Little: rate x time open)
  double processed_bytes = 0;     // request + response bytes through the ALB
  double rules = 0;               // listener rules evaluated per request (the first 10 are free)
};

// The four dimensions of one span, each already in LCUs, and the one AWS bills (the highest).
struct AlbLcuDimensions {
  double new_connections = 0;
  double active_connections = 0;
  double processed_bytes = 0;
  double rule_evaluations = 0;
  double lcus() const;
};

inline constexpr double kAlbNewConnectionsPerLcu_s = 25.0;
inline constexpr double kAlbActiveConnectionsPerLcu = 3000.0;
inline constexpr double kAlbProcessedGbPerLcuHour = 1.0;
inline constexpr double kAlbRuleEvaluationsPerLcu_s = 1000.0;
inline constexpr double kAlbFreeRules = 10.0;

// The LCUs of each dimension over one span (averages over it).
AlbLcuDimensions alb_lcu_dimensions(const AlbTrafficSpan& span);
// LCU-hours of a run: sum over spans of max(dimensions) x span / 3,600 s.
double alb_lcu_hours(const std::vector<AlbTrafficSpan>& spans);

}  // namespace migsim::models::cost
