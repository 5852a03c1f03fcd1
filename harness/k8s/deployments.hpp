// The Deployment controller on the simulated clock: a rolling update (maxSurge / maxUnavailable,
// 25 % each by default) or Recreate, pods that become ready `pod_start_s` after they are created,
// old pods removed as new ones become available; every Deployment's status (replicas, updated,
// ready, available, conditions, observedGeneration) written back to the store when it changes, so
// that watches (`kubectl rollout status`) see it progress.
//
// The controller keeps the ReplicaSet of each revision (deployment.kubernetes.io/revision, so that
// `kubectl rollout history|undo` work) and the Pods in the store, owned as a real controller owns
// them (ownerReferences), for `kubectl get rs|pods`. The pods' timing is the controller's own. Binding a Deployment to the EKS model
// (models/eks: the scheduler placing pods on nodes, image pulls sized by the image, the
// `migsim.io/service` annotation naming the scenario service) replaces `pod_start_s` with the
// model's placement and start times: see Deployments::advance.
#pragma once

#include "harness/k8s/store.hpp"

#include <cstdint>
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
    std::string hash, name;
    double created_s = 0, ready_s = 0;
  };
  // One Deployment's pods and revisions.
  struct Workload {
    std::vector<Pod> pods;
    std::map<std::string, int> revisions;  // template hash -> revision
    int max_revision = 0;
    uint64_t serial = 0;  // pods created so far (their names)
    std::map<std::string, nlohmann::json> templates;  // template hash -> the pod template of that revision
    std::map<std::string, std::string> rs_uids;  // ReplicaSet name -> uid
    std::map<std::string, bool> pods_written;    // Pod name -> the readiness last written
  };
  // Writes the ReplicaSets and Pods of a Deployment to the store; returns the revision annotation.
  int sync_objects(Store& store, const nlohmann::json& d, Workload& w, const std::string& hash, double t,
                   const std::function<std::string(double)>& iso);
  void remove_objects(Store& store, const std::string& ns, Workload& w);
  void reconcile_all(Store& store, double t, const std::function<std::string(double)>& iso);
  void reconcile(Store& store, const nlohmann::json& d, double t, const std::function<std::string(double)>& iso);
  DeploymentTimings timings_;
  std::map<std::pair<std::string, std::string>, Workload> workloads_;
  double cursor_s_ = 0;
  uint64_t settled_rv_ = 0;     // the store's version after the last full pass
  double settled_until_s_ = 0;  // when a pod next becomes ready (after that pass)
};

// The name of a Deployment's pod: <deployment>-<template hash>-<5 characters>.
std::string pod_name(const std::string& deployment, const std::string& hash, uint64_t serial);

// An int-or-string (3 or "25%") of `total`, rounded up or down.
int scaled_value(const nlohmann::json& v, int total, bool round_up);

}  // namespace migsim::harness::k8s
