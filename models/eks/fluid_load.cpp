#include "models/eks/fluid_load.hpp"

#include "models/eks/sojourn_tail.hpp"

#include <algorithm>
#include <cmath>

namespace migsim::models::eks {

namespace {

// Quantile strata whose midpoints are the quantiles reports read (0.5, 0.95, 0.99, 0.999), so a
// nearest-rank percentile lands on the exact quantile of the distribution.
struct Stratum {
  double weight;
  double q;  // the quantile at the stratum's midpoint
};
const std::array<Stratum, 19>& strata()
{
  static const auto s = [] {
    constexpr double edges[] = {0,    0.05, 0.15, 0.25,  0.35,  0.45,  0.55,   0.65,   0.75,   0.85,
                                0.90, 0.94, 0.96, 0.975, 0.985, 0.995, 0.998, 0.9985, 0.9995, 1.0};
    std::array<Stratum, 19> a{};
    for (size_t k = 0; k < a.size(); ++k)
      a[k] = {edges[k + 1] - edges[k], (edges[k] + edges[k + 1]) / 2};
    return a;
  }();
  return s;
}

// SCV of a stage's CPU time as the workload describes it.
double service_scv(const std::string& dist, double cv)
{
  if (dist == "constant")
    return 0;
  if (dist == "lognormal")
    return cv * cv;
  return 1;
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
        v.push_back({static_cast<size_t>(it - spec.deployments.begin()), st.cpu_ms * it->cpu_scale / 1000,
                   service_scv(st.cpu_dist, st.cpu_cv)});
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
  backlog_.resize(nd);
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
  const double timeout_s = scenario_.workload.client_timeout_s;
  const double arrivals = profile_.expected_arrivals(t, t + dt);
  const double rate = arrivals / dt;
  in_system_step_ = 0;
  // Offered rate per Deployment; requests to pods on a dead node (or to none) fail.
  std::vector<double> fail_share(nd, 0), drop_share(nd, 0);
  for (size_t d = 0; d < nd; ++d) {
    const int in_rotation = rot[d].healthy + rot[d].unreachable;
    fail_share[d] = in_rotation == 0 ? 1.0 : static_cast<double>(rot[d].unreachable) / in_rotation;
    lambda_[d] = 0;
  }
  for (size_t c = 0; c < visits_.size(); ++c)
    for (const auto& v : visits_[c])
      lambda_[v.deployment] += rate * class_share_[c];
  // EFS: shared throughput per volume; I/O that would wait past the client timeout is dropped
  // with its requests when they arrive.
  std::vector<double> efs_rho(spec_.efs.size(), 0), efs_wait(spec_.efs.size(), 0), efs_limit(spec_.efs.size(), 1);
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
    const double max_backlog = limit * timeout_s;
    if (efs_backlog_mib_[v] > max_backlog) {
      const double dropped = demand > 0 ? std::min(1.0, (efs_backlog_mib_[v] - max_backlog) / (demand * dt)) : 0;
      for (size_t d = 0; d < nd; ++d)
        if (dep_efs_[d] == static_cast<int>(v))
          drop_share[d] = 1 - (1 - drop_share[d]) * (1 - dropped);
      efs_backlog_mib_[v] = max_backlog;
    }
    efs_limit[v] = limit;
    efs_rho[v] = std::min(demand / limit, 0.99);
    efs_wait[v] = efs_backlog_mib_[v] / limit;
  }
  // Admission: what fails or is dropped now is counted now; the rest becomes this step's cohort
  // of its class, whose work joins the backlog of every Deployment it visits.
  std::vector<double> work(nd, 0);  // CPU seconds admitted per Deployment this step
  std::vector<double> admitted(visits_.size(), 0);
  for (size_t c = 0; c < visits_.size(); ++c) {
    auto& a = acc_[c];
    const double n = arrivals * class_share_[c];
    double ok = 1, timeout = 0;
    for (const auto& v : visits_[c]) {
      const double reach = ok * (1 - fail_share[v.deployment]);
      timeout += reach * drop_share[v.deployment];
      ok = reach * (1 - drop_share[v.deployment]);
    }
    const double server_errors = std::max(0.0, n * (1 - ok) - n * timeout);
    a.arrivals += n;
    a.timeouts += n * timeout;
    a.server_errors += server_errors;
    in_system_step_ += n * timeout * timeout_s + server_errors * fixed_s_[c];
    admitted[c] = n * ok;
    for (const auto& v : visits_[c])
      work[v.deployment] += admitted[c] * v.cpu_s;
  }
  std::vector<double> rho(nd, 0);
  for (size_t d = 0; d < nd; ++d) {
    const double capacity = rot[d].healthy * spec_.deployments[d].cpu_limit_m / 1000.0;
    rho[d] = capacity > 0 ? std::min(work[d] / dt / capacity, 0.99) : 0.99;
  }
  for (size_t c = 0; c < visits_.size(); ++c) {
    if (admitted[c] <= 0)
      continue;
    Cohort h;
    h.cls = c;
    h.t0_s = t;
    h.n = admitted[c];
    h.fixed_s = fixed_s_[c];
    double var = 0;
    for (const auto& v : visits_[c]) {
      const auto& ds = spec_.deployments[v.deployment];
      const double m = v.cpu_s / std::min(1.0, ds.cpu_limit_m / 1000.0) / (1 - rho[v.deployment]);
      h.ps_mean_s += m;
      var += ps_sojourn_scv(rho[v.deployment], v.service_scv) * m * m;
      if (dep_efs_[v.deployment] >= 0) {
        const auto e = static_cast<size_t>(dep_efs_[v.deployment]);
        const double me = ds.efs_kb_per_request / 1024 / efs_limit[e] / (1 - efs_rho[e]);
        h.ps_mean_s += me;
        var += ps_sojourn_scv(efs_rho[e], 0) * me * me;  // every request moves the same KiB
        h.fixed_s += efs_wait[e];
      }
      backlog_[v.deployment].push_back({cohort_base_ + cohorts_.size(), t, h.n * v.cpu_s, h.n * v.cpu_s});
      ++h.open;
    }
    h.ps_scv = h.ps_mean_s > 0 ? var / (h.ps_mean_s * h.ps_mean_s) : 1;
    cohorts_.push_back(h);
  }
  // Pods: processor sharing at their CPU limit, the backlog worked off first come first served
  // (its wait adds to the sojourn); work waiting past the client timeout is given up.
  for (size_t d = 0; d < nd; ++d) {
    const double capacity = rot[d].healthy * spec_.deployments[d].cpu_limit_m / 1000.0;
    auto& q = backlog_[d];
    double used = 0;
    if (capacity > 0) {
      const double budget = capacity * dt;
      while (!q.empty()) {
        auto& e = q.front();
        if (e.left_cpu_s > budget - used + 1e-12) {
          e.left_cpu_s -= budget - used;
          used = budget;
          break;
        }
        used += e.left_cpu_s;
        auto& h = cohorts_[e.cohort - cohort_base_];
        h.wait_s += std::max(0.0, t + used / capacity - (e.t_s + dt));
        q.pop_front();
        if (--h.open == 0)
          close_cohort(h);
      }
    }
    while (!q.empty() && t + dt - q.front().t_s > timeout_s) {
      const auto e = q.front();
      q.pop_front();
      auto& h = cohorts_[e.cohort - cohort_base_];
      const double share = e.work_cpu_s > 0 ? e.left_cpu_s / e.work_cpu_s : 0;
      const double lost = h.n * h.alive * share;
      h.alive *= 1 - share;
      acc_[h.cls].timeouts += lost;
      in_system_step_ += lost * timeout_s;
      if (--h.open == 0)
        close_cohort(h);
    }
    double left = 0;
    for (const auto& e : q)
      left += e.left_cpu_s;
    wait_s_[d] = capacity > 0 ? left / capacity : 0;
    usage_m_[d] = rot[d].healthy > 0 ? used / dt / rot[d].healthy * 1000 : 0;
  }
  for (auto& h : cohorts_)
    if (h.open == 0 && !h.closed)
      close_cohort(h);  // classes that visit no Deployment
  while (!cohorts_.empty() && cohorts_.front().closed) {
    cohorts_.pop_front();
    ++cohort_base_;
  }
  // Whole counts for what the fluid amounts passed.
  for (size_t c = 0; c < acc_.size(); ++c) {
    auto& a = acc_[c];
    const uint64_t arr = take(a.arrivals, a.arrivals_i), comp = take(a.completed, a.completed_i);
    const uint64_t to = take(a.timeouts, a.timeouts_i), se = take(a.server_errors, a.server_errors_i);
    *c_arrived_[c] += arr;
    *c_completed_[c] += comp;
    *c_timeouts_[c] += to;
    *c_errors_[c] += se;
    minute_arrivals_ += static_cast<double>(arr);
    minute_completed_ += static_cast<double>(comp);
    minute_errors_ += static_cast<double>(to + se);
  }
  sojourn_sum_s_ += in_system_step_;
  in_system_->set(t, in_system_step_ / dt);
}

void FluidLoad::close_cohort(Cohort& h)
{
  h.closed = true;
  auto& a = acc_[h.cls];
  const double timeout_s = scenario_.workload.client_timeout_s;
  const double done = h.n * h.alive;
  const double base = h.fixed_s + h.wait_s;
  double late = 0, late_sojourn = 0;
  for (size_t k = 0; k < kStrata; ++k) {
    const double x = base + h.ps_mean_s * unit_mean_quantile(strata()[k].q, h.ps_scv);
    const double amount = done * strata()[k].weight;
    if (x > timeout_s) {  // the client gave up before this part of the cohort was answered
      late += amount;
      late_sojourn += amount * x;
      continue;
    }
    const double before = a.strata[k];
    a.strata[k] += amount;
    const auto whole = static_cast<uint64_t>(std::floor(a.strata[k])) - static_cast<uint64_t>(std::floor(before));
    if (whole == 0)
      continue;
    c_latency_[h.cls]->record_n(x, whole);
    all_latency_->record_n(x, whole);
    minute_latency_.record_n(x, whole);
  }
  a.completed += done - late;
  a.timeouts += late;
  // Time in system: served requests their sojourn, timed-out ones the client's timeout.
  in_system_step_ += std::max(0.0, done * (base + h.ps_mean_s) - late_sojourn) + late * timeout_s;
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
