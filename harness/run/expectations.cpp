#include "harness/run/expectations.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace migsim::harness {

double measure(const sim::ExpectationSpec& e, const RunResult& r)
{
  const ClassResult* c = nullptr;
  for (const auto& x : r.classes)
    if (x.name == e.request_class)
      c = &x;
  auto failed_of = [](const ClassResult& x) { return x.rejected + x.timeouts + x.server_errors; };
  const auto& m = e.metric;
  // A latency bound says nothing when no request succeeded: such a run measures NaN and fails.
  const bool latency = m == "p50_ms" || m == "p95_ms" || m == "p99_ms" || m == "max_ms" || m == "mean_ms";
  if (latency && (c ? c->completed : r.completed) == 0)
    return std::numeric_limits<double>::quiet_NaN();
  if (m == "p50_ms") return c ? c->p50_ms : r.p50_ms;
  if (m == "p95_ms") return c ? c->p95_ms : r.p95_ms;
  if (m == "p99_ms") return c ? c->p99_ms : r.p99_ms;
  if (m == "max_ms") return c ? c->max_ms : r.max_ms;
  if (m == "mean_ms") return c ? c->mean_ms : r.mean_ms;
  if (m == "errors") return static_cast<double>(c ? failed_of(*c) : r.failed);
  if (m == "rejected") return static_cast<double>(c ? c->rejected : r.rejected);
  if (m == "server_errors") return static_cast<double>(c ? c->server_errors : r.server_errors);
  if (m == "timeouts") return static_cast<double>(c ? c->timeouts : r.timeouts);
  if (m == "completed") return static_cast<double>(c ? c->completed : r.completed);
  if (m == "throughput_rps") return static_cast<double>(c ? c->completed : r.completed) / r.duration_s;
  if (m == "transactions_committed") return static_cast<double>(r.transactions_committed);
  if (m == "error_rate") {
    if (!c)
      return r.error_rate;
    const auto fin = c->completed + failed_of(*c);
    return fin ? static_cast<double>(failed_of(*c)) / static_cast<double>(fin) : 0.0;
  }
  if (m == "utilisation") {
    for (const auto& s : r.servers)
      if (s.name == e.server)
        return s.utilisation;
    throw std::invalid_argument("unknown server " + e.server);
  }
  if (m == "lost_transactions" || m == "write_downtime_s" || m == "refused_writes" || m == "integrity_clean" ||
      m == "cutover_completed" || m == "cutover_duration_s" || m == "rto_s" || m == "max_cdc_latency_s" ||
      m == "dns_shift_95_s" || m == "migration_cost_usd") {
    if (!r.migration)
      return std::numeric_limits<double>::quiet_NaN();
    const auto& g = *r.migration;
    if (m == "lost_transactions") return static_cast<double>(g.lost_transactions);
    if (m == "write_downtime_s") return g.writes_unavailable_s;
    if (m == "refused_writes") return static_cast<double>(g.refused_writes);
    if (m == "integrity_clean") return g.integrity_clean ? 1.0 : 0.0;
    if (m == "cutover_completed") return g.cutover_result == "completed" ? 1.0 : 0.0;
    if (m == "cutover_duration_s") return g.cutover_duration_s;
    if (m == "rto_s") return g.rto_s < 0 ? std::numeric_limits<double>::quiet_NaN() : g.rto_s;
    if (m == "max_cdc_latency_s") return g.max_cdc_latency_s;
    if (m == "migration_cost_usd") return g.migration_cost_usd;
    if (m == "dns_shift_95_s") return g.shift_95_s < 0 ? std::numeric_limits<double>::quiet_NaN() : g.shift_95_s;
  }
  if (auto it = r.model_metrics.find(m); it != r.model_metrics.end())
    return it->second;
  if (m.rfind("rds_", 0) == 0 || m.rfind("edge_", 0) == 0 || m.rfind("waf_", 0) == 0 ||
      m == "errors_in_rds_outages" || m == "errors_outside_rds_outages")
    return std::numeric_limits<double>::quiet_NaN();  // the scenario has no such model
  if (m.rfind("aws_", 0) == 0) {
    auto it = r.aws_metrics.find(m);
    return it == r.aws_metrics.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
  }
  throw std::invalid_argument("unknown expectation metric " + m);
}

void evaluate_expectations(const sim::Scenario& sc, RunResult& r)
{
  for (const auto& e : sc.expectations) {
    ExpectationResult x;
    x.name = e.name;
    x.metric = e.metric;
    x.min = e.min;
    x.max = e.max;
    x.measured = measure(e, r);
    x.passed = !std::isnan(x.measured) && (!e.min || x.measured >= *e.min) && (!e.max || x.measured <= *e.max);
    r.expectations.push_back(x);
  }
}

}  // namespace migsim::harness
