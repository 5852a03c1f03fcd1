// The EKS cluster in simulated time: nodes of managed node groups (or launched by Karpenter) that
// boot, join, fail and are replaced; pods of Deployments that are scheduled by kube-scheduler,
// pull their image, start, pass their readiness probe, serve traffic through the ALB and terminate
// gracefully; the ReplicaSet/Deployment controllers (scaling, rolling updates with maxSurge /
// maxUnavailable), metrics-server, the HPA, and the Cluster Autoscaler or Karpenter acting on the
// cluster. The control decisions come from the plain-C++ loops of this folder (scheduler.hpp,
// hpa.hpp, cluster_autoscaler.hpp, karpenter.hpp); this class owns the state and the clock.
#pragma once

#include "models/eks/cluster_autoscaler.hpp"
#include "models/eks/eks_cost.hpp"
#include "models/eks/eks_spec.hpp"
#include "models/eks/fluid_load.hpp"
#include "models/eks/hpa.hpp"
#include "models/eks/instance_catalog.hpp"
#include "models/eks/karpenter.hpp"
#include "models/eks/load_model.hpp"
#include "models/eks/scheduler.hpp"
#include "sim/metrics.hpp"
#include "sim/scenario.hpp"

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace migsim::models::eks {

enum class NodeState : uint8_t { Booting, Ready, Failed, Draining, Gone };
enum class PodState : uint8_t { Pending, Starting, Running, Ready, Terminating, Gone };

struct Node {
  std::string name;
  int group = -1;            // node group index; -1: launched by Karpenter
  const InstanceType* type = nullptr;
  std::string zone;
  NodeState state = NodeState::Booting;
  double launched_s = 0, ready_s = -1, gone_s = -1, last_pod_change_s = 0;
  NodeView view;             // what the scheduler sees
  std::set<size_t> images;   // images (deployment, version) already pulled on the node
  std::vector<size_t> pods;  // pod ids bound here (alive)
};

struct Pod {
  size_t deployment = 0;
  int version = 0;
  PodState state = PodState::Pending;
  int node = -1;
  bool unschedulable = false;
  bool unreachable = false;  // its node died; still in rotation until the node is marked NotReady
  bool probe_failed = false; // NotReady after failureThreshold readiness probes timed out
  double probe_failing_since_s = -1;  // request fidelity: this pod's probes time out since then
  int nominated = -1;        // node Karpenter launched for it
  Resources requests;        // its Deployment's requests when it was created (a rollout may change them)
  double created_s = 0, bound_s = -1, running_s = -1, ready_s = -1, metric_t_s = -1;
  double metric_m = 0;
};

// What a Deployment applied through the Kubernetes API asks of a scenario Deployment it takes over
// (harness/k8s): its replicas, its pod template's revision (a new one rolls), the containers'
// requests and CPU limit, its readiness probe, and the rollout's maxSurge / maxUnavailable as pod
// counts.
struct AppliedWorkload {
  int replicas = 1;
  int version = 0;
  Resources requests;
  int64_t cpu_limit_m = 0;
  int max_surge = 1;
  int max_unavailable = 0;
  bool paused = false;
  // The first container's readiness probe (initialDelaySeconds, periodSeconds, failureThreshold).
  double readiness_initial_delay_s = 0;
  double readiness_period_s = 10;
  int readiness_failure_threshold = 3;
  bool operator==(const AppliedWorkload&) const = default;
};

// Something the cluster's controllers did to an applied workload, as Kubernetes reports it in an
// Event: FailedScheduling, Scheduled, TriggeredScaleUp, Nominated, Pulling, Pulled, Created, Started,
// Killing, SuccessfulRescale. `pod` is -1 for an event about the Deployment (its HPA).
struct ClusterEvent {
  double t_s = 0;
  size_t deployment = 0;
  long pod = -1;
  bool warning = false;
  std::string reason;
  std::string message;
};

// The numbers a run reports about the cluster.
struct EksReport {
  std::string provisioner;
  double time_to_capacity_max_s = 0;   // longest HPA scale-up until every asked-for pod was Ready
  double time_to_capacity_mean_s = 0;
  int scale_up_episodes = 0;
  double node_hours = 0;
  std::vector<std::pair<std::string, double>> node_hours_by_type;
  double node_cost_usd = 0;            // EC2 instance-hours of the nodes (bill's ec2.* lines)
  double control_plane_usd = 0;        // EKS cluster-hours
  double total_usd = 0;                // the whole bill over the run
  double monthly_usd = 0;              // at this run's average rate, over 730 h
  cost::Bill bill;                     // itemised, same line items as the as-is estate's (eks_cost.hpp)
  int peak_nodes = 0;
  int peak_ready_pods = 0;
  int max_pending_pods = 0;
  int nodes_launched = 0;
  int nodes_removed = 0;
  int node_failures = 0;
  int rolling_updates_completed = 0;
  std::vector<std::pair<std::string, int>> final_replicas;
  std::string last_pending_reason;
};

class EksCluster {
public:
  EksCluster(const sim::Scenario& scenario, sim::Registry& metrics);
  ~EksCluster();

  void start();                             // initial nodes and pods, then the control loops
  bool handle(const sim::EventSpec& e);     // eks_node_failure, eks_rolling_update, set_multiplier
  void finish(double t_end_s);
  EksReport report(double t_end_s) const;

  const EksSpec& spec() const { return spec_; }
  const LoadModel& load() const { return *load_; }
  const std::vector<Node>& nodes() const { return nodes_; }
  const std::vector<Pod>& pods() const { return pods_; }  // every pod ever created (Gone included)
  int ready_pods(size_t deployment) const;
  int desired_replicas(size_t deployment) const { return deps_[deployment].desired; }
  // Node group sizing (UpdateNodegroupConfig): new min / max / desired, clamped; false if unknown.
  bool set_node_group_size(const std::string& group, int min_size, int max_size, int desired);
  int group_min(size_t g) const { return groups_[g].min_size; }
  int group_max(size_t g) const { return groups_[g].max_size; }
  int group_size(size_t g) const;  // nodes launched and not gone
  int group_ready(size_t g) const;  // Ready nodes
  // CreateNodegroup on the simulated cluster (now): a new managed node group whose desired_size
  // nodes boot and join now (node_boot_s + node_join_s); the Cluster Autoscaler may then resize it
  // within min/max. Returns its index (spec().node_groups gains it).
  size_t add_node_group(const NodeGroupSpec& group);
  // DeleteNodegroup: min = max = 0, Ready nodes drained, booting ones abandoned; false if unknown.
  bool remove_node_group(const std::string& group);

  // --- Deployments applied through the Kubernetes API (harness/k8s) ---
  // The index of the scenario Deployment named `name`, or -1.
  int deployment_index(const std::string& name) const;
  // The applied workload becomes Deployment d's: its requests and CPU limit, replicas and rollout
  // limits; a version other than the running one starts a rolling update to it. From then on the
  // Deployment's HPA is the applied one (set_hpa), none until one is applied, and the controllers
  // record ClusterEvents about it.
  void apply(size_t d, const AppliedWorkload& w);
  // A HorizontalPodAutoscaler applied for Deployment d (nullopt: none); it changes desired_replicas.
  void set_hpa(size_t d, const std::optional<HpaSpec>& hpa);
  int version(size_t d) const { return deps_[d].version; }
  bool rolling(size_t d) const { return deps_[d].rolling; }
  const std::vector<size_t>& deployment_pods(size_t d) const { return deps_[d].pods; }  // alive pods' ids
  // kube-scheduler's message for Deployment d's pods that did not fit (empty when none).
  const std::string& unschedulable_message(size_t d) const { return deps_[d].unschedulable_message; }
  // The HPA's view of Deployment d: the pods' average CPU use (metrics-server) as % of requests, -1
  // before a metric.
  int hpa_utilization_pct(size_t d) const { return deps_[d].hpa_utilization_pct; }
  double hpa_last_scale_s(size_t d) const { return deps_[d].hpa_last_scale_s; }
  // The CPU a pod used over the last metrics-server window (millicores), and whether it has one.
  double pod_cpu_m(size_t pod) const { return pods_[pod].metric_m; }
  const std::vector<ClusterEvent>& events() const { return events_; }  // applied Deployments' only

private:
  struct Group {
    NodeGroupSpec spec;
    int min_size, max_size;
    NodeView template_node;
  };
  struct Deployment {
    const DeploymentSpec* spec;
    int desired = 0;
    int version = 0;
    bool rolling = false;
    std::unique_ptr<Hpa> hpa;
    std::vector<size_t> pods;        // alive (not Gone)
    double usage_integral_m_s = 0;   // per healthy pod since the last scrape
    double probe_failing_since_s = -1;  // readiness probes timing out (queue wait above 1 s)
    double episode_start_s = -1;
    int episode_target = 0;
    bool applied = false;       // driven through the Kubernetes API (apply)
    int max_surge = -1, max_unavailable = -1;  // the applied pod counts (-1: the spec's percentages)
    bool paused = false;
    std::string unschedulable_message;
    int hpa_utilization_pct = -1;
    double hpa_last_scale_s = -1;
    sim::TimeSeries* ts_pods;
    sim::TimeSeries* ts_desired;
  };

  void tick();
  void scrape();
  void hpa_sync();
  void ca_scan();
  void karpenter_loop();
  void schedule_pending();
  void reconcile(size_t d);
  void track_capacity(size_t d);
  void readiness_probes(size_t d);
  void readiness_probes_per_pod(size_t d);
  size_t create_pod(size_t d, int version);
  void bind(size_t pod, size_t node);
  void terminate_pod(size_t pod, bool force);
  void release_pod(size_t pod);
  size_t launch_node(int group, const InstanceType& type);
  void node_ready(size_t node);
  void fail_node(size_t node);
  void drain_node(size_t node);
  void node_gone(size_t node);
  std::string pick_zone(int group) const;
  int alive_pods(size_t d, int version, bool ready_only) const;
  std::vector<RotationCounts> rotation() const;
  std::vector<PodEndpoint> endpoints() const;  // every pod with a container, for a request-level load
  void record(size_t d, long pod, const std::string& reason, const std::string& message, bool warning = false);

  const sim::Scenario& sc_;
  EksSpec spec_;
  sim::Registry& metrics_;
  std::unique_ptr<LoadModel> load_;  // fluid_load.hpp or request_load.hpp (eks.fidelity)
  Scheduler scheduler_;
  std::unique_ptr<ClusterAutoscaler> ca_;
  NodePool pool_;
  std::vector<Group> groups_;
  std::vector<Deployment> deps_;
  std::vector<Node> nodes_;
  std::vector<Pod> pods_;
  std::vector<size_t> pending_;       // pod ids waiting for a node (creation order)
  bool schedule_dirty_ = true;  // new pods to try
  bool requeue_ = true;         // room may have been freed: retry unschedulable pods
  double last_unschedulable_retry_s_ = 0;
  double next_scrape_s_ = 0, next_hpa_s_ = 0, next_ca_s_ = 0, next_consolidate_s_ = 0, last_minute_s_ = -60;
  double scrape_window_start_s_ = 0;
  std::vector<double> episodes_s_;
  EksReport counters_;
  std::vector<ClusterEvent> events_;
  int ready_pods_total_ = 0;
  std::vector<sim::TimeSeries*> ts_group_nodes_;
  sim::TimeSeries* ts_pending_;
  sim::TimeSeries* ts_nodes_total_;
};

}  // namespace migsim::models::eks
