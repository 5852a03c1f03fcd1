#include "harness/run/expectations.hpp"

#include "sim/event_log.hpp"
#include "sim/json_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace migsim::harness {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The phase id of a phase name: lower case, '_' for anything else ("DMS full load" -> dms_full_load).
std::string phase_id(const std::string& name)
{
  std::string id;
  for (char c : name)
    id += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  return id;
}

// The per-minute rows a window covers: every minute overlapping [from, to).
struct Window {
  double from_s = 0, to_s = 0;
  size_t first = 0, last = 0;  // rows [first, last)
};

// Resolves the expectation's window on this run; false (and note set) when it cannot be.
bool resolve_window(const sim::ExpectationSpec& e, const RunResult& r, Window& w, std::string& note,
                    std::string& label)
{
  w.from_s = e.from_s.value_or(0);
  w.to_s = std::min(e.to_s.value_or(r.duration_s), r.duration_s);
  if (!e.phase.empty()) {
    const MigrationResult::Phase* hit = nullptr;
    if (r.migration)
      for (const auto& p : r.migration->phases) {
        const auto id = phase_id(p.name);
        if (id == e.phase || (id.size() > e.phase.size() && id.ends_with("_" + e.phase)))
          hit = &p;
      }
    if (!hit) {
      note = "phase " + e.phase + " did not happen in this run";
      label = "phase " + e.phase;
      return false;
    }
    w.from_s = hit->start_s;
    w.to_s = hit->end_s < 0 ? r.duration_s : hit->end_s;
    label = "phase " + e.phase + " (" + hit->name + ")";
  }
  if (label.empty())
    label = sim::format_sim_time(w.from_s) + " to " + sim::format_sim_time(w.to_s);
  w.first = static_cast<size_t>(std::floor(w.from_s / 60.0));
  w.last = std::min(r.series_rows.size(), static_cast<size_t>(std::ceil(w.to_s / 60.0)));
  if (w.last <= w.first) {
    note = "the window is empty";
    return false;
  }
  return true;
}

// Index of a timeseries column, or npos.
size_t column(const RunResult& r, const std::string& name)
{
  const auto it = std::find(r.series_columns.begin(), r.series_columns.end(), name);
  return it == r.series_columns.end() ? std::string::npos : static_cast<size_t>(it - r.series_columns.begin());
}

// A metric measured on the per-minute series over a window.
double measure_windowed(const sim::ExpectationSpec& e, const RunResult& r, const Window& w, std::string& note)
{
  const auto& m = e.metric;
  auto sum_of = [&](const std::string& col) {
    const size_t c = column(r, col);
    double s = 0;
    if (c != std::string::npos)
      for (size_t i = w.first; i < w.last; ++i)
        s += r.series_rows[i][c];
    return s;
  };
  auto max_of_prefix = [&](const std::string& prefix) {
    double v = kNaN;
    for (size_t c = 0; c < r.series_columns.size(); ++c)
      if (r.series_columns[c].rfind(prefix, 0) == 0)
        for (size_t i = w.first; i < w.last; ++i)
          v = std::isnan(v) ? r.series_rows[i][c] : std::max(v, r.series_rows[i][c]);
    return v;
  };
  if (m == "p50_ms" || m == "p95_ms" || m == "p99_ms") {
    // The worst minute: per-minute percentiles cannot be merged exactly; minutes without any
    // completed request are skipped.
    const size_t c = column(r, m), done = column(r, "completed");
    double v = kNaN;
    for (size_t i = w.first; i < w.last; ++i)
      if (r.series_rows[i][done] > 0)
        v = std::isnan(v) ? r.series_rows[i][c] : std::max(v, r.series_rows[i][c]);
    if (std::isnan(v))
      note = "no request completed in the window";
    return v;
  }
  if (m == "errors")
    return sum_of("errors");
  if (m == "completed")
    return sum_of("completed");
  if (m == "throughput_rps")
    return sum_of("completed") / (w.to_s - w.from_s);
  if (m == "error_rate") {
    const double err = sum_of("errors"), fin = err + sum_of("completed");
    return fin > 0 ? err / fin : 0.0;
  }
  if (m == "refused_writes")
    return sum_of("writes_refused");
  if (m == "max_cdc_latency_s") {
    const double v = max_of_prefix("dms_cdc_latency_");
    if (std::isnan(v))
      note = "no DMS replication in this run";
    return v;
  }
  if (m == "utilisation") {
    const size_t c = column(r, "util_" + e.server);
    double s = 0;
    for (size_t i = w.first; i < w.last; ++i)
      s += r.series_rows[i][c];
    return s / static_cast<double>(w.last - w.first);
  }
  if (m == "time_to_capacity_s") {
    // Level at the end of each minute: the family's series summed; the first minute end at which it
    // reaches the target, counted from the window start.
    std::vector<size_t> cols;
    const std::string prefix = "capacity_" + e.capacity;
    for (size_t c = 0; c < r.series_columns.size(); ++c)
      if (r.series_columns[c] == prefix || r.series_columns[c].rfind(prefix + "{", 0) == 0)
        cols.push_back(c);
    if (cols.empty()) {
      note = "no capacity_" + e.capacity + " series in this run";
      return kNaN;
    }
    for (size_t i = w.first; i < w.last; ++i) {
      double level = 0;
      for (size_t c : cols)
        level += r.series_rows[i][c];
      if (level >= *e.capacity_target)
        return std::max(0.0, std::min((static_cast<double>(i) + 1) * 60.0, r.duration_s) - w.from_s);
    }
    note = "capacity_" + e.capacity + " never reached " + sim::format_number(*e.capacity_target) + " in the window";
    return kNaN;
  }
  throw std::invalid_argument("metric " + m + " has no time window");
}

}  // namespace

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
  if (m == "lost_transactions" || m == "behind_transactions" || m == "dms_peak_dcu" || m == "write_downtime_s" || m == "refused_writes" || m == "integrity_clean" ||
      m == "cutover_completed" || m == "cutover_duration_s" || m == "rto_s" || m == "max_cdc_latency_s" ||
      m == "dns_shift_95_s" || m == "migration_cost_usd") {
    if (!r.migration)
      return std::numeric_limits<double>::quiet_NaN();
    const auto& g = *r.migration;
    if (m == "lost_transactions") return static_cast<double>(g.lost_transactions);
    if (m == "behind_transactions") return static_cast<double>(g.behind_transactions);
    if (m == "dms_peak_dcu") return static_cast<double>(g.dms_dcu_peak);
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
  if (m == "cost_per_month_usd")
    return r.cost_per_month_usd < 0 ? std::numeric_limits<double>::quiet_NaN() : r.cost_per_month_usd;
  if (auto it = r.model_metrics.find(m); it != r.model_metrics.end())
    return it->second;
  if (m.rfind("rds_", 0) == 0 || m.rfind("edge_", 0) == 0 || m.rfind("waf_", 0) == 0 ||
      m == "errors_in_rds_outages" || m == "errors_outside_rds_outages")
    return std::numeric_limits<double>::quiet_NaN();  // the scenario has no such model
  if (m.rfind("aws_", 0) == 0) {
    auto it = r.aws_metrics.find(m);
    return it == r.aws_metrics.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
  }
  if (m == "eks_time_to_capacity_s" || m == "eks_cost_usd" || m == "eks_monthly_cost_usd" || m == "eks_node_hours" ||
      m == "eks_max_pending_pods") {
    if (!r.eks)
      return std::numeric_limits<double>::quiet_NaN();
    if (m == "eks_time_to_capacity_s") return r.eks->time_to_capacity_max_s;
    if (m == "eks_cost_usd") return r.eks->cost_usd;
    if (m == "eks_monthly_cost_usd") return r.eks->monthly_cost_usd;
    if (m == "eks_node_hours") return r.eks->node_hours;
    return r.eks->max_pending_pods;
  }
  throw std::invalid_argument("unknown expectation metric " + m);
}

// Measures with the expectation's window (the whole run without one); note says why a NaN.
double measure_with_window(const sim::ExpectationSpec& e, const RunResult& r, std::string& window, std::string& note)
{
  if (!e.from_s && !e.to_s && e.phase.empty() && e.metric != "time_to_capacity_s") {
    const double v = measure(e, r);
    if (std::isnan(v))
      note = e.metric == "cost_per_month_usd" ? "this scenario's models do not price a recurring estate"
             : (!r.migration && e.metric != "p50_ms" && e.metric != "p95_ms" && e.metric != "p99_ms" &&
                e.metric != "max_ms" && e.metric != "mean_ms")
                 ? "no migration in this scenario"
                 : "not measurable in this run";
    return v;
  }
  Window w;
  if (!resolve_window(e, r, w, note, window))
    return kNaN;
  if (!e.from_s && !e.to_s && e.phase.empty())
    window.clear();
  return measure_windowed(e, r, w, note);
}

void evaluate_expectations(const sim::Scenario& sc, RunResult& r)
{
  for (const auto& e : sc.expectations) {
    ExpectationResult x;
    x.name = e.name;
    x.metric = e.metric;
    x.min = e.min;
    x.max = e.max;
    x.pins_failure = e.pins_failure;
    x.measured = measure_with_window(e, r, x.window, x.note);
    x.passed = !std::isnan(x.measured) && (!e.min || x.measured >= *e.min) && (!e.max || x.measured <= *e.max);
    r.expectations.push_back(x);
  }
}

}  // namespace migsim::harness
