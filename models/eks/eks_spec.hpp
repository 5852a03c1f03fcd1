// The "eks" section of a scenario: the cluster (zones, managed node groups or a Karpenter NodePool,
// node boot/join times, failure handling), the workloads (Deployments with requests/limits, probes,
// image pull and start times, graceful termination, rolling-update surge, HPA), what the request
// classes' stages become on EKS (a Deployment's pods, or a fixed latency for services outside the
// cluster such as RDS), the ALB, EFS volumes and the autoscalers' settings. Every key is declared
// here once with unit, default, range and help (scenarios/README.md lists them).
#pragma once

#include "models/eks/cluster_autoscaler.hpp"
#include "models/eks/eks_api_state.hpp"
#include "models/eks/eks_cost_spec.hpp"
#include "models/eks/hpa.hpp"
#include "models/eks/karpenter.hpp"
#include "sim/scenario.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migsim::models::eks {

struct NodeGroupSpec {
  std::string name;
  std::string instance_type = "m5.xlarge";
  int min_size = 1;
  int max_size = 10;
  int desired_size = 2;
};

struct HpaScenarioSpec {
  HpaSpec spec;
};

struct DeploymentSpec {
  std::string name;
  int replicas = 2;
  Resources requests{250, 256};
  int64_t cpu_limit_m = 500;
  double cpu_scale = 1.0;            // CPU per request relative to the stage's cpu_ms
  double image_pull_s = 10;
  double container_start_s = 3;
  double readiness_initial_delay_s = 5;
  double readiness_period_s = 10;
  int readiness_failure_threshold = 3;
  double termination_grace_s = 30;
  double max_surge_pct = 25;
  double max_unavailable_pct = 25;
  std::string efs_volume;            // empty: none
  double efs_kb_per_request = 0;
  int max_concurrency = 0;           // request fidelity: requests a pod serves at once (0: no limit)
  std::optional<HpaSpec> hpa;
};

struct EfsSpec {
  std::string name;
  std::string mode = "elastic";      // elastic or bursting
  double throughput_mibps = 1024;    // elastic: the file system's limit
  double size_gib = 100;             // bursting: baseline 50 KiB/s per GiB, burst 100 MiB/s per TiB (min 100)
};

// The ALB target group of each Deployment at request fidelity (IP targets = ready pods); defaults
// are the AWS Load Balancer Controller's (health check 15 s / 5 s / 2 / 2) and the ALB's
// (round robin, no slow start, deregistration delay 300 s).
struct AlbTargetGroupSpec {
  std::string algorithm = "round_robin";  // or least_outstanding_requests, weighted_random
  double slow_start_s = 0;
  double deregistration_delay_s = 300;
  double health_interval_s = 15;
  double health_timeout_s = 5;
  int healthy_threshold = 2;
  int unhealthy_threshold = 2;
};

struct EksSpec {
  std::string cluster_name = "shop";
  std::vector<std::string> zones;
  std::string provisioner = "cluster-autoscaler";  // or karpenter
  double tick_s = 1;
  double node_boot_s = 90;
  double node_join_s = 30;
  double node_monitor_grace_s = 40;
  double pod_eviction_s = 300;
  double node_replace_s = 300;
  double metrics_resolution_s = 15;
  double hpa_sync_s = 15;
  double alb_latency_ms = 1.0;
  std::string fidelity = "fluid";    // or request (request_load.hpp)
  AlbTargetGroupSpec alb_targets;    // request fidelity only
  std::vector<NodeGroupSpec> node_groups;
  CaSettings ca;
  std::vector<std::string> karpenter_types;
  Consolidation karpenter_consolidation = Consolidation::WhenEmptyOrUnderutilized;
  double karpenter_consolidate_after_s = 30;
  double karpenter_batch_s = 10;
  std::vector<DeploymentSpec> deployments;
  std::map<std::string, double> external_latency_ms;  // service -> fixed latency
  std::vector<EfsSpec> efs;
  EksApiTimings api;                                  // what the mock endpoint's EKS API takes (eks.api)
  EksCostSpec cost;                                   // /eks/cost: inputs of the bill
};

// Parses scenario.eks (throws sim::InputError with the JSON pointer); checks every stage of every
// request class maps to a Deployment or an external service.
EksSpec parse_eks(const sim::Scenario& scenario);

}  // namespace migsim::models::eks
