// The Deployment controller on the simulated clock: a rolling update (maxSurge / maxUnavailable,
// 25 % each by default) or Recreate, pods that become ready `pod_start_s` after they are created,
// old pods removed as new ones become available; every Deployment's status (replicas, updated,
// ready, available, conditions, observedGeneration) written back to the store when it changes, so
// that watches (`kubectl rollout status`) see it progress.
//
// The pods here are the controller's own bookkeeping. Binding a Deployment to the EKS model
// (models/eks: the scheduler placing pods on nodes, image pulls sized by the image, the
// `migsim.io/service` annotation naming the scenario service) replaces `pod_start_s` with the
// model's placement and start times: see Deployments::advance.
#pragma once

#include "harness/k8s/store.hpp"

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace migsim::harness::k8s {

struct DeploymentTimings {
  // From pod creation to Ready: scheduling, image pull, container start and the first successful
  // readiness probe. Not published (the Kubernetes pod startup SLO, p99 <= 5 s, excludes the image
  // pull); our default.
  double pod_start_s = 15;
};

class Deployments {
public:
  explicit Deployments(DeploymentTimings t = {}) : timings_(t) {}
  // Moves every Deployment of the store to simulated time `now_s`, step by step through the
  // instants pods become ready. `iso` renders a simulated time as an RFC 3339 timestamp.
  void advance(Store& store, double now_s, const std::function<std::string(double)>& iso);
  // The pods of a Deployment: (template hash, ready) per pod.
  std::vector<std::pair<std::string, bool>> pods(const std::string& ns, const std::string& name, double now_s) const;
  const DeploymentTimings& timings() const { return timings_; }

  // The pod-template-hash of a template (10 lowercase characters).
  static std::string template_hash(const nlohmann::json& tmpl);

private:
  struct Pod {
    std::string hash;
    double created_s = 0, ready_s = 0;
  };
  void reconcile_all(Store& store, double t, const std::function<std::string(double)>& iso);
  void reconcile(Store& store, const nlohmann::json& d, double t, const std::function<std::string(double)>& iso);
  DeploymentTimings timings_;
  std::map<std::pair<std::string, std::string>, std::vector<Pod>> pods_;
  double cursor_s_ = 0;
};

// An int-or-string (3 or "25%") of `total`, rounded up or down.
int scaled_value(const nlohmann::json& v, int total, bool round_up);

}  // namespace migsim::harness::k8s
