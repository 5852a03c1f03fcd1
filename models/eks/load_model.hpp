// What the EKS cluster needs from the model carrying the user traffic, whichever fidelity runs it:
// fluid (fluid_load.hpp: per-Deployment rates each tick, queueing-theory latency) or request level
// (request_load.hpp: every request through the ALB's target groups to a pod's processor-sharing
// CPU). The cluster calls step() every tick with the pods in the endpoints, reads the CPU used per
// pod (metrics-server, hence the HPA) and the queueing delay (readiness probes under load).
#pragma once

#include "sim/traffic.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace migsim::models::eks {

// Pods of a Deployment the ALB routes to.
struct RotationCounts {
  int healthy = 0;      // ready pods on live nodes
  int unreachable = 0;  // still in rotation, on a node that died (requests to them fail)
};

// One pod whose container exists (not Pending, not Gone), as a request-level load sees it.
struct PodEndpoint {
  size_t id = 0;               // the cluster's pod id (stable for the pod's life)
  size_t deployment = 0;
  const std::string* zone = nullptr;
  bool running = false;        // the container runs (Running, Ready or Terminating): it can serve
  bool in_endpoints = false;   // Ready: in the Service's endpoints (the ALB target is registered)
  bool unreachable = false;    // its node died: requests to it fail
};

// Request counts at the end of a run.
struct LoadTotals {
  uint64_t arrivals = 0, completed = 0, failed = 0, in_flight = 0, rejected = 0, timeouts = 0, server_errors = 0;
  double sojourn_sum_s = 0;
};

class LoadModel {
public:
  virtual ~LoadModel() = default;

  // True when the model wants the pods one by one (sync_pods) before each step.
  virtual bool per_pod() const { return false; }
  virtual void sync_pods(double t_s, const std::vector<PodEndpoint>& pods) { (void)t_s, (void)pods; }
  // Advances [t, t + dt) with the given pods in rotation per Deployment (spec order).
  virtual void step(double t_s, double dt_s, const std::vector<RotationCounts>& rotation) = 0;
  // CPU used per healthy pod in the last step (millicores).
  virtual double usage_per_pod_m(size_t deployment) const = 0;
  // CPU one pod used since the previous scrape (millicores); NaN when the model has no per-pod
  // figure (the cluster then uses usage_per_pod_m). scraped() closes the scrape window.
  virtual double pod_usage_m(size_t pod_id) const { (void)pod_id; return std::nan(""); }
  virtual void scraped(double t_s) { (void)t_s; }
  // How long one pod needs to work off what it holds (its readiness probe waits that long); NaN
  // when the model has no per-pod figure (the cluster then probes with wait_s of the Deployment).
  virtual double pod_wait_s(size_t pod_id) const { (void)pod_id; return std::nan(""); }
  // Queueing delay before a request reaches a CPU share, per Deployment.
  virtual double wait_s(size_t deployment) const = 0;
  // Requests per second offered to a Deployment in the last step.
  virtual double offered_rps(size_t deployment) const = 0;
  virtual void set_multiplier(double m) = 0;
  virtual void finish(double t_end_s) = 0;
  virtual LoadTotals totals() const = 0;
  virtual const sim::TrafficProfile& profile() const = 0;
};

}  // namespace migsim::models::eks
