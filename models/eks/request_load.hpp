// The user traffic on the EKS estate at request level (eks.fidelity "request"): Poisson arrivals
// from the traffic profile (the same generator as the on-prem request flow), each request picks
// its class, pays the ALB's and the external services' fixed latencies, and at every stage on a
// Deployment is routed by that Deployment's ALB target group (models/alb: IP targets = the pods in
// the endpoints, registered when a pod turns Ready and deregistered, with the deregistration
// delay, when it leaves them; health checks, slow start, round robin or least outstanding
// requests, or weighted random) to one pod. A pod is a processor-sharing CPU of its CPU limit (ps_server.hpp) running
// the stage's CPU drawn from its distribution x the Deployment's cpu_scale; an EFS volume is a
// processor-sharing server of its throughput. A client gives up at its timeout (the request's
// work is cancelled); requests to a pod on a dead node, or to a pod that goes away, fail; no
// target at all is an ALB 503. The CPU each pod used is what metrics-server (and so the HPA) sees.
//
// It writes the same metrics as the fluid model and the on-prem request flow, so reports,
// expectations and compare work unchanged; the fluid model is validated against it
// (tests/eks/cross_fidelity.py).
#pragma once

#include "models/alb/target_group.hpp"
#include "models/eks/eks_spec.hpp"
#include "models/eks/load_model.hpp"
#include "models/eks/ps_server.hpp"
#include "sim/metrics.hpp"
#include "sim/rng.hpp"
#include "sim/scenario.hpp"
#include "sim/traffic.hpp"

#include <deque>
#include <memory>
#include <unordered_map>
#include <vector>

namespace migsim::models::eks {

class RequestLoad final : public LoadModel {
public:
  RequestLoad(const sim::Scenario& scenario, const EksSpec& spec, sim::Registry& metrics);
  ~RequestLoad() override;

  bool per_pod() const override { return true; }
  void sync_pods(double t_s, const std::vector<PodEndpoint>& pods) override;
  void step(double t_s, double dt_s, const std::vector<RotationCounts>& rotation) override;
  double usage_per_pod_m(size_t deployment) const override { return usage_m_[deployment]; }
  double pod_usage_m(size_t pod_id) const override;
  double pod_wait_s(size_t pod_id) const override;
  void scraped(double t_s) override;
  double wait_s(size_t deployment) const override { return wait_s_[deployment]; }
  double offered_rps(size_t deployment) const override { return offered_rps_[deployment]; }
  void set_multiplier(double m) override;
  void finish(double t_end_s) override;
  LoadTotals totals() const override { return totals_; }
  const sim::TrafficProfile& profile() const override { return profile_; }

  // The target group of a Deployment (spec order), as DescribeTargetHealth would show it.
  const alb::TargetGroup& target_group(size_t deployment) const { return *groups_[deployment]; }

private:
  enum class Dist : uint8_t { Constant, Exponential, Lognormal };
  enum class Failure : uint8_t { Timeout, ServerError };
  struct Segment {
    double delay_s = 0;     // fixed latency before the visit (ALB, external services)
    int deployment = -1;    // -1: the end (the response)
    double cpu_s = 0;       // mean CPU seconds at the pod (stage cpu_ms x cpu_scale)
    Dist dist = Dist::Constant;
    double cv = 0;
  };
  struct Pod;
  struct Req {
    uint32_t cls = 0, gen = 0;
    uint16_t seg = 0;
    uint8_t phase = 0;      // 0 delay, 1 CPU at a pod, 2 EFS, 3 waiting for a worker of the pod
    bool active = false;
    double arrival_t = 0, deadline_t = 0;
    int slot = -1;          // pod slot serving it (phases 1 and 3)
    uint64_t job = 0;
    double work = 0;        // CPU seconds drawn for the current visit
  };

  void schedule_next_arrival(double after_s);
  void arrive();
  void run_segment(uint32_t idx);
  void visit(uint32_t idx);
  void start_cpu(Pod& p, uint32_t idx);
  void serve_waiting(Pod& p);
  void drop_pod_requests(Pod& p);
  void cpu_done(uint32_t idx);
  void efs_done(uint32_t idx);
  void complete(uint32_t idx);
  void fail(uint32_t idx, Failure why);
  void leave(uint32_t idx);
  void end_target(Req& r);
  alb::Target* pick_random(alb::TargetGroup& tg);
  void arm_deadline();
  void on_deadline();
  void flush_minute(double t_s);
  double draw_cpu(const Segment& s);
  uint64_t tag_of(uint32_t idx) const { return (static_cast<uint64_t>(reqs_[idx].gen) << 32) | idx; }
  bool live(uint64_t tag, uint32_t& idx) const;

  const sim::Scenario& scenario_;
  const EksSpec& spec_;
  sim::Registry& metrics_;
  std::unique_ptr<Clock> clock_;
  sim::TrafficProfile profile_;
  sim::ArrivalGenerator arrivals_;
  sim::RandomStream mix_rng_, cpu_rng_, route_rng_;
  bool random_routing_;
  std::vector<double> class_cumulative_;
  std::vector<std::vector<Segment>> plans_;
  std::vector<int> dep_efs_;
  std::vector<std::unique_ptr<alb::TargetGroup>> groups_;
  std::vector<std::unique_ptr<PsServer>> efs_;
  std::vector<double> efs_credits_mib_, efs_used_mark_;
  std::vector<std::unique_ptr<Pod>> slots_;
  std::unordered_map<size_t, size_t> slot_of_pod_;
  std::vector<Req> reqs_;
  std::vector<uint32_t> free_;
  std::deque<std::pair<uint32_t, uint32_t>> by_deadline_;  // (request, generation) in arrival order
  bool deadline_armed_ = false;
  bool started_ = false;
  uint64_t arrival_generation_ = 0;
  std::vector<double> usage_m_, wait_s_, offered_rps_, visits_;
  double scrape_t_ = 0;
  LoadTotals totals_;
  std::vector<uint64_t*> c_arrived_, c_completed_, c_timeouts_, c_errors_;
  std::vector<sim::Histogram*> c_latency_;
  sim::Histogram* all_latency_;
  sim::Histogram minute_latency_;
  double minute_start_ = 0;
  sim::TimeSeries *ts_arrivals_, *ts_completed_, *ts_errors_, *ts_p50_, *ts_p95_, *ts_p99_, *ts_503_;
  sim::TimeWeighted* in_system_;
};

}  // namespace migsim::models::eks
