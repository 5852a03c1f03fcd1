// The user traffic on the EKS estate at fluid fidelity: every step (1 s by default) each request
// class brings rate x step requests (the traffic profile's exact integral); the ALB spreads each
// Deployment's share round robin over its pods in rotation, so every healthy pod sees the same
// rate. A pod is a processor-sharing server whose speed is its CPU limit (CFS quota): a request of
// cpu_ms takes cpu_ms / min(1, limit cores) alone and cpu_ms / (1 - rho) under load (M/G/1-PS,
// insensitive to the distribution); offered work beyond the pods' capacity queues as a FIFO backlog
// of per-tick cohorts, each counted once: completed when all its work is served (or, for the part
// whose latency passes the client timeout, timed out), timed out when it waited longer than the
// client timeout (also while no pod is Ready to work it off). Requests sent to pods on a dead
// node fail, as do all when no pod is in rotation (ALB 503). EFS volumes are shared PS servers of
// their throughput limit. Latency percentiles come from each class's mean sojourn: a fixed part
// (ALB, external services, backlog wait) plus the PS sojourns taken as a two-moment distribution
// (sojourn_tail.hpp: M/M/1-PS variance), recorded over 19 quantile strata into the same metrics
// the request-level model writes, so reports, expectations and compare work unchanged.
#pragma once

#include "models/eks/eks_spec.hpp"
#include "models/eks/load_model.hpp"
#include "sim/metrics.hpp"
#include "sim/scenario.hpp"
#include "sim/traffic.hpp"

#include <array>
#include <cstdint>
#include <deque>
#include <vector>

namespace migsim::models::eks {

class FluidLoad final : public LoadModel {
public:
  FluidLoad(const sim::Scenario& scenario, const EksSpec& spec, sim::Registry& metrics);

  // Advances [t, t + dt) with the given pods in rotation per Deployment (spec order).
  void step(double t_s, double dt_s, const std::vector<RotationCounts>& rotation) override;
  // CPU used per healthy pod in the last step (millicores).
  double usage_per_pod_m(size_t deployment) const override { return usage_m_[deployment]; }
  // Queueing delay before a request reaches a CPU share, per Deployment (backlog / capacity).
  double wait_s(size_t deployment) const override { return wait_s_[deployment]; }
  // Requests per second offered to a Deployment in the last step.
  double offered_rps(size_t deployment) const override { return lambda_[deployment]; }
  void set_multiplier(double m) override { profile_.set_multiplier(m); }
  void finish(double t_end_s) override;

  using Totals = LoadTotals;
  Totals totals() const override;
  const sim::TrafficProfile& profile() const override { return profile_; }

private:
  static constexpr size_t kStrata = 19;
  struct ClassAcc {
    double arrivals = 0, completed = 0, timeouts = 0, server_errors = 0;
    uint64_t arrivals_i = 0, completed_i = 0, timeouts_i = 0, server_errors_i = 0;
    std::array<double, kStrata> strata{};
  };
  struct Visit {
    size_t deployment;
    double cpu_s;        // CPU seconds per request at this stage
    double service_scv;  // SCV of the stage's CPU time (exponential 1, constant 0, lognormal cv^2)
  };
  // One class's requests admitted in one step, until all their work is served or they time out.
  struct Cohort {
    size_t cls = 0;
    double t0_s = 0;
    double n = 0;              // requests admitted
    double alive = 1;          // share not yet timed out in a backlog
    int open = 0;              // backlog entries not yet worked off
    double wait_s = 0;         // backlog waits, summed over the visits
    double fixed_s = 0;        // ALB, external services, EFS queue
    double ps_mean_s = 0, ps_scv = 1;  // processor-sharing part of the sojourn
    bool closed = false;
  };
  // A cohort's work waiting in one Deployment's backlog.
  struct Entry {
    size_t cohort;  // absolute cohort index
    double t_s;     // step it entered
    double work_cpu_s, left_cpu_s;
  };
  // Counts a cohort's outcome: requests completed within the client timeout, the rest timeouts.
  void close_cohort(Cohort& h);
  void flush_minute(double t_s);
  // Adds whole counts for what the cumulative fluid amount passed (deterministic rounding).
  static uint64_t take(double cumulative, uint64_t& taken);

  const sim::Scenario& scenario_;
  const EksSpec& spec_;
  sim::Registry& metrics_;
  sim::TrafficProfile profile_;
  std::vector<double> class_share_;
  std::vector<std::vector<Visit>> visits_;  // per class
  std::vector<double> fixed_s_;             // per class: external services + ALB
  std::vector<double> lambda_, usage_m_, wait_s_;
  std::vector<std::deque<Entry>> backlog_;  // per Deployment, FIFO
  std::deque<Cohort> cohorts_;
  size_t cohort_base_ = 0;                  // absolute index of cohorts_.front()
  double in_system_step_ = 0;
  std::vector<double> efs_backlog_mib_, efs_credits_mib_;
  std::vector<int> dep_efs_;                // volume index or -1
  std::vector<ClassAcc> acc_;
  std::vector<uint64_t*> c_arrived_, c_completed_, c_timeouts_, c_errors_, c_rejected_;
  std::vector<sim::Histogram*> c_latency_;
  sim::Histogram* all_latency_;
  sim::Histogram minute_latency_;
  double minute_start_ = 0;
  double minute_errors_ = 0, minute_arrivals_ = 0, minute_completed_ = 0;
  sim::TimeWeighted* in_system_;
  double sojourn_sum_s_ = 0;
};

}  // namespace migsim::models::eks
