// The Deployment controller on the simulated clock: a rolling update (maxSurge / maxUnavailable,
// 25 % each by default) or Recreate, pods that become ready `pod_start_s` after they are created,
// old pods removed as new ones become available; every Deployment's status (replicas, updated,
// ready, available, conditions, observedGeneration) written back to the store when it changes, so
// that watches (`kubectl rollout status`) see it progress.
//
// The controller keeps the ReplicaSet of each revision (deployment.kubernetes.io/revision, so that
// `kubectl rollout history|undo` work) and the Pods in the store, owned as a real controller owns
// them (ownerReferences), for `kubectl get rs|pods`.
//
// A Deployment annotated `migsim.io/service: <name>` on the scenario's cluster is bound to the EKS
// model (models/eks): it becomes the workload of the scenario Deployment of that name (its
// containers' requests and CPU limit, replicas, rollout limits; a new pod template is the model's
// rolling update) and its pods are the model's, mirrored: Pending until the model's scheduler places
// them (or its Cluster Autoscaler / Karpenter brings a node), ContainerCreating during the image
// pull and start, Running, Ready after the readiness probe. Unbound Deployments (no annotation, a
// cluster the model does not run) keep the controller's own timing (`pod_start_s`).
#pragma once

#include "harness/k8s/events.hpp"
#include "harness/k8s/store.hpp"
#include "models/eks/eks_cluster.hpp"

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

// The annotation that binds a Deployment to a scenario Deployment of the EKS model.
inline constexpr const char* kServiceAnnotation = "migsim.io/service";

class Deployments {
public:
  explicit Deployments(DeploymentTimings t = {}) : timings_(t) {}
  // The EKS model that runs this cluster (the scenario's); null: no Deployment is bound.
  void bind_model(models::eks::EksCluster* model) { model_ = model; }
  // Where the controller's Events go (ScalingReplicaSet; for bound Deployments also the model's:
  // FailedScheduling, TriggeredScaleUp, Pulling, Started, SuccessfulRescale, ...); null: none.
  void record_events_to(EventRecorder* recorder) { recorder_ = recorder; }
  // The model's Deployment index a Deployment is bound to, or -1.
  int bound_index(const std::string& ns, const std::string& name) const;
  // The model Deployment indices bound so far.
  std::vector<int> bound_indices() const;
  // A model pod's name (kept from the first time it was mirrored), or "" if never mirrored.
  std::string model_pod_name(size_t pod) const;
  // Moves every Deployment of the store to simulated time `now_s`, step by step through the
  // instants pods become ready. `iso` renders a simulated time as an RFC 3339 timestamp.
  void advance(Store& store, double now_s, const std::function<std::string(double)>& iso);
  // The pods of a Deployment: (template hash, ready) per pod.
  std::vector<std::pair<std::string, bool>> pods(const std::string& ns, const std::string& name, double now_s) const;
  const DeploymentTimings& timings() const { return timings_; }

  // The pod-template-hash of a template (10 lowercase characters).
  static std::string template_hash(const nlohmann::json& tmpl);

private:
  // Where a pod is: not placed yet, pulling its image and starting, started but not ready, ready.
  enum class Stage : uint8_t { Unscheduled, Creating, Running, Ready };
  struct Pod {
    std::string hash, name;
    double created_s = 0, ready_s = 0;
    // Bound pods only: the model's node and stage, and the scheduler's message while unplaced.
    std::string node;
    Stage stage = Stage::Creating;
    std::string unschedulable;
    double running_s = -1;
  };
  // One Deployment's pods and revisions.
  struct Workload {
    std::vector<Pod> pods;
    std::map<std::string, int> revisions;  // template hash -> revision
    int max_revision = 0;
    uint64_t serial = 0;  // pods created so far (their names)
    std::map<std::string, nlohmann::json> templates;  // template hash -> the pod template of that revision
    std::map<std::string, std::string> rs_uids;  // ReplicaSet name -> uid
    std::map<std::string, std::string> pods_written;  // Pod name -> the state last written
    // Bound to the model: its Deployment index, the model version of each template hash, what was
    // last applied to it.
    int model_index = -1;
    bool binding_refused = false;  // annotated with a service it cannot run as (said in a Warning Event)
    std::map<std::string, int> versions;
    models::eks::AppliedWorkload applied;
  };
  // The bound path: applies the Deployment to the model and mirrors the model's pods.
  void drive_model(const nlohmann::json& d, Workload& w, const std::string& hash, int desired, double t);
  // The name of a model pod of a bound workload (kept once given).
  const std::string& name_model_pod(const Workload& w, const std::string& deployment, size_t pod);
  // The model's events since the last pass, as Events on the Pods, Deployments and HPAs.
  void record_model_events(Store& store, const std::function<std::string(double)>& iso);
  // Writes the ReplicaSets and Pods of a Deployment to the store; returns the revision annotation.
  int sync_objects(Store& store, const nlohmann::json& d, Workload& w, const std::string& hash, double t,
                   const std::function<std::string(double)>& iso);
  void store_pod(Store& store, const std::string& ns, const std::string& deployment, Workload& w, const Pod& p, Stage stage,
                 const std::function<std::string(double)>& iso);
  void remove_objects(Store& store, const std::string& ns, Workload& w);
  void reconcile_all(Store& store, double t, const std::function<std::string(double)>& iso);
  void reconcile(Store& store, const nlohmann::json& d, double t, const std::function<std::string(double)>& iso);
  DeploymentTimings timings_;
  models::eks::EksCluster* model_ = nullptr;
  EventRecorder* recorder_ = nullptr;
  size_t model_events_seen_ = 0;
  std::map<size_t, std::string> model_pod_names_;  // model pod id -> Pod name
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
