#include "models/eks/fluid_load.hpp"

#include <algorithm>
#include <cmath>

namespace migsim::models::eks {

namespace {

// Quantile strata whose midpoints are the quantiles reports read (0.5, 0.95, 0.99, 0.999), so a
// nearest-rank percentile lands on the exact quantile of the distribution.
struct Stratum {
  double weight;
  double tail;  // -ln(1 - q) at the stratum's midpoint: exponential quantile / mean
};
const std::array<Stratum, 19>& strata()
{
  static const auto s = [] {
    constexpr double edges[] = {0,    0.05, 0.15, 0.25,  0.35,  0.45,  0.55,   0.65,   0.75,   0.85,
                                0.90, 0.94, 0.96, 0.975, 0.985, 0.995, 0.998, 0.9985, 0.9995, 1.0};
    std::array<Stratum, 19> a{};
    for (size_t k = 0; k < a.size(); ++k)
      a[k] = {edges[k + 1] - edges[k], -std::log(1 - (edges[k] + edges[k + 1]) / 2)};
    return a;
  }();
  return s;
}

}  // namespace

FluidLoad::FluidLoad(const sim::Scenario& sc, const EksSpec& spec, sim::Registry& metrics)
    : scenario_(sc), spec_(spec), metrics_(metrics), profile_(sc.workload)
{
  double total_w = 0;
  for (const auto& c : sc.workload.classes)
    total_w += c.weight;
  const size_t nd = spec.deployments.size();
  for (const auto& c : sc.workload.classes) {
    class_share_.push_back(c.weight / total_w);
    std::vector<Visit> v;
    double fixed = spec.alb_latency_ms / 1000;
    for (const auto& st : c.stages) {
      auto it = std::find_if(spec.deployments.begin(), spec.deployments.end(), [&](auto& d) { return d.name == st.service; });
      if (it != spec.deployments.end())
        v.push_back({static_cast<size_t>(it - spec.deployments.begin()), st.cpu_ms * it->cpu_scale / 1000});
      else
        fixed += spec.external_latency_ms.at(st.service) / 1000;
    }
    visits_.push_back(std::move(v));
    fixed_s_.push_back(fixed);
    const std::string l = "{class=" + c.name + "}";
    c_arrived_.push_back(&metrics.counter("requests_arrived" + l));
    c_completed_.push_back(&metrics.counter("requests_completed" + l));
    c_rejected_.push_back(&metrics.counter("requests_rejected" + l));
    c_timeouts_.push_back(&metrics.counter("requests_timed_out" + l));
    c_errors_.push_back(&metrics.counter("requests_server_error" + l));
    c_latency_.push_back(&metrics.histogram("latency_s" + l));
  }
  acc_.resize(sc.workload.classes.size());
  all_latency_ = &metrics.histogram("latency_s");
  in_system_ = &metrics.time_weighted("requests_in_system");
  lambda_.assign(nd, 0);
  usage_m_.assign(nd, 0);
  backlog_cpu_s_.assign(nd, 0);
  wait_s_.assign(nd, 0);
  for (const auto& d : spec.deployments) {
    int v = -1;
    for (size_t i = 0; i < spec.efs.size(); ++i)
      if (spec.efs[i].name == d.efs_volume)
        v = static_cast<int>(i);
    dep_efs_.push_back(v);
  }
  efs_backlog_mib_.assign(spec.efs.size(), 0);
  efs_credits_mib_.assign(spec.efs.size(), 2.1 * 1024 * 1024);  // every new file system starts with 2.1 TiB
}

uint64_t FluidLoad::take(double cumulative, uint64_t& taken)
{
  const auto whole = static_cast<uint64_t>(std::floor(cumulative + 1e-9));
  const uint64_t n = whole > taken ? whole - taken : 0;
  taken += n;
  return n;
}

void FluidLoad::step(double t, double dt, const std::vector<RotationCounts>& rot)
{
  if (t >= minute_start_ + 60)
    flush_minute(t);
  const size_t nd = spec_.deployments.size();
  const double arrivals = profile_.expected_arrivals(t, t + dt);
  const double rate = arrivals / dt;
  // Offered rate and CPU work per Deployment.
  std::vector<double> work(nd, 0);  // CPU seconds per second offered (from requests that reach a healthy pod)
  std::vector<double> fail_share(nd, 0);
  for (size_t d = 0; d < nd; ++d) {
    const int in_rotation = rot[d].healthy + rot[d].unreachable;
    fail_share[d] = in_rotation == 0 ? 1.0 : static_cast<double>(rot[d].unreachable) / in_rotation;
    lambda_[d] = 0;
  }
  for (size_t c = 0; c < visits_.size(); ++c)
    for (const auto& v : visits_[c]) {
      lambda_[v.deployment] += rate * class_share_[c];
      work[v.deployment] += rate * class_share_[c] * (1 - fail_share[v.deployment]) * v.cpu_s;
    }
  // Pods: processor sharing at their CPU limit; fluid backlog above capacity, dropped past the timeout.
  std::vector<double> rho(nd, 0), wait_s(nd, 0), drop_share(nd, 0);
  for (size_t d = 0; d < nd; ++d) {
    const auto& ds = spec_.deployments[d];
    const double capacity = rot[d].healthy * ds.cpu_limit_m / 1000.0;  // CPU seconds per second
    if (capacity <= 0) {
      usage_m_[d] = 0;
      backlog_cpu_s_[d] = 0;
      wait_s_[d] = 0;
      continue;
    }
    backlog_cpu_s_[d] = std::max(0.0, backlog_cpu_s_[d] + (work[d] - capacity) * dt);
    const double max_backlog = capacity * scenario_.workload.client_timeout_s;
    if (backlog_cpu_s_[d] > max_backlog) {
      drop_share[d] = work[d] > 0 ? std::min(1.0, (backlog_cpu_s_[d] - max_backlog) / (work[d] * dt)) : 0;
      backlog_cpu_s_[d] = max_backlog;
    }
    rho[d] = std::min(work[d] / capacity, 0.99);
    wait_s[d] = backlog_cpu_s_[d] / capacity;
    wait_s_[d] = wait_s[d];
    usage_m_[d] = std::min(work[d], capacity) / rot[d].healthy * 1000;
  }
  // EFS: shared throughput per volume.
  std::vector<double> efs_factor(spec_.efs.size(), 0), efs_wait(spec_.efs.size(), 0), efs_limit(spec_.efs.size(), 1);
  for (size_t v = 0; v < spec_.efs.size(); ++v) {
    const auto& f = spec_.efs[v];
    double demand = 0;
    for (size_t d = 0; d < nd; ++d)
      if (dep_efs_[d] == static_cast<int>(v))
        demand += lambda_[d] * (1 - fail_share[d]) * spec_.deployments[d].efs_kb_per_request / 1024;
    double limit = f.throughput_mibps;
    if (f.mode == "bursting") {
      const double baseline = f.size_gib * 0.05;
      const double burst = std::max(100.0, f.size_gib / 1024 * 100);
      limit = efs_credits_mib_[v] > 0 ? std::max(baseline, burst) : baseline;
      efs_credits_mib_[v] = std::max(0.0, efs_credits_mib_[v] - (std::min(demand, limit) - baseline) * dt);
    }
    efs_backlog_mib_[v] = std::max(0.0, efs_backlog_mib_[v] + (demand - limit) * dt);
    // I/O that would wait past the client timeout is dropped with its requests.
    const double max_backlog = limit * scenario_.workload.client_timeout_s;
    if (efs_backlog_mib_[v] > max_backlog) {
      const double dropped = demand > 0 ? std::min(1.0, (efs_backlog_mib_[v] - max_backlog) / (demand * dt)) : 0;
      for (size_t d = 0; d < nd; ++d)
        if (dep_efs_[d] == static_cast<int>(v))
          drop_share[d] = 1 - (1 - drop_share[d]) * (1 - dropped);
      efs_backlog_mib_[v] = max_backlog;
    }
    efs_limit[v] = limit;
    efs_factor[v] = 1 / (1 - std::min(demand / limit, 0.99));
    efs_wait[v] = efs_backlog_mib_[v] / limit;
  }
  // Classes: outcome and latency.
  double in_system = 0;
  for (size_t c = 0; c < visits_.size(); ++c) {
    auto& a = acc_[c];
    const double n = arrivals * class_share_[c];
    double ok = 1, timeout = 0, mean_s = fixed_s_[c];
    for (const auto& v : visits_[c]) {
      const auto& ds = spec_.deployments[v.deployment];
      const double alone_s = v.cpu_s / std::min(1.0, ds.cpu_limit_m / 1000.0);
      mean_s += alone_s / (1 - rho[v.deployment]) + wait_s[v.deployment];
      if (dep_efs_[v.deployment] >= 0) {
        const auto e = static_cast<size_t>(dep_efs_[v.deployment]);
        mean_s += ds.efs_kb_per_request / 1024 / efs_limit[e] * efs_factor[e] + efs_wait[e];
      }
      const double reach = ok * (1 - fail_share[v.deployment]);
      timeout += reach * drop_share[v.deployment];
      ok = reach * (1 - drop_share[v.deployment]);
    }
    const double server_errors = n * (1 - ok) - n * timeout;
    const double done = n * ok;
    a.arrivals += n;
    a.completed += done;
    a.timeouts += n * timeout;
    a.server_errors += std::max(0.0, server_errors);
    const uint64_t arr = take(a.arrivals, a.arrivals_i), comp = take(a.completed, a.completed_i);
    const uint64_t to = take(a.timeouts, a.timeouts_i), se = take(a.server_errors, a.server_errors_i);
    *c_arrived_[c] += arr;
    *c_completed_[c] += comp;
    *c_timeouts_[c] += to;
    *c_errors_[c] += se;
    minute_arrivals_ += static_cast<double>(arr);
    minute_completed_ += static_cast<double>(comp);
    minute_errors_ += static_cast<double>(to + se);
    const double fixed = fixed_s_[c];
    const double expo = mean_s - fixed;
    for (size_t k = 0; k < kStrata; ++k) {
      const double before = a.strata[k];
      a.strata[k] += done * strata()[k].weight;
      const auto whole = static_cast<uint64_t>(std::floor(a.strata[k])) - static_cast<uint64_t>(std::floor(before));
      if (whole == 0)
        continue;
      const double x = fixed + expo * strata()[k].tail;
      c_latency_[c]->record_n(x, whole);
      all_latency_->record_n(x, whole);
      minute_latency_.record_n(x, whole);
    }
    // Time in system: served requests their sojourn, dropped ones the client's timeout, refused
    // ones the fixed path (Little's law then holds for the fluid amounts).
    const double sojourn = done * mean_s + n * timeout * scenario_.workload.client_timeout_s +
                           std::max(0.0, server_errors) * fixed;
    sojourn_sum_s_ += sojourn;
    in_system += sojourn / dt;
  }
  in_system_->set(t, in_system);
}

void FluidLoad::flush_minute(double t)
{
  while (t >= minute_start_ + 60) {
    const double at = minute_start_;
    metrics_.series("arrivals").add(at, minute_arrivals_);
    metrics_.series("completed").add(at, minute_completed_);
    metrics_.series("errors").add(at, minute_errors_);
    metrics_.series("latency_p50_ms", sim::TimeSeries::Kind::Last).add(at, minute_latency_.percentile(50) * 1000);
    metrics_.series("latency_p95_ms", sim::TimeSeries::Kind::Last).add(at, minute_latency_.percentile(95) * 1000);
    metrics_.series("latency_p99_ms", sim::TimeSeries::Kind::Last).add(at, minute_latency_.percentile(99) * 1000);
    minute_latency_.reset();
    minute_arrivals_ = minute_completed_ = minute_errors_ = 0;
    minute_start_ += 60;
  }
}

void FluidLoad::finish(double t_end)
{
  flush_minute(t_end);
  if (t_end > minute_start_)
    flush_minute(minute_start_ + 60);
  in_system_->set(t_end, in_system_->level());
}

FluidLoad::Totals FluidLoad::totals() const
{
  Totals t;
  for (size_t c = 0; c < acc_.size(); ++c) {
    t.arrivals += acc_[c].arrivals_i;
    t.completed += acc_[c].completed_i;
    t.timeouts += acc_[c].timeouts_i;
    t.server_errors += acc_[c].server_errors_i;
  }
  t.failed = t.timeouts + t.server_errors;
  t.in_flight = t.arrivals - std::min(t.arrivals, t.completed + t.failed);
  t.sojourn_sum_s = sojourn_sum_s_;
  return t;
}

}  // namespace migsim::models::eks
