// HorizontalPodAutoscaler (autoscaling/v2) for one Deployment and one CPU-utilisation metric, as
// the kube-controller-manager's horizontal controller computes it: the replica calculator
// (desired = ceil(ratio x ready pods), tolerance 0.1, pods grouped into ready / unready / missing /
// ignored with the CPU initialisation period and initial readiness delay, missing metrics counted
// as 100 % on a scale-down and 0 % on a scale-up, unready pods as 0 % on a scale-up), then the
// behaviour: stabilisation windows (scale-down 300 s: the highest recommendation in the window
// wins) and rate policies (Pods / Percent per periodSeconds, selectPolicy Max / Min / Disabled).
// Defaults are the API's: scale up max(100 %, 4 pods) per 15 s, no up-window; scale down 100 % per
// 15 s after a 300 s window. Plain C++: the caller calls reconcile() every sync period (15 s).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace migsim::models::eks {

enum class PolicyType : uint8_t { Pods, Percent };
enum class SelectPolicy : uint8_t { Max, Min, Disabled };

struct ScalingPolicy {
  PolicyType type = PolicyType::Percent;
  int value = 100;
  int period_s = 15;
  bool operator==(const ScalingPolicy&) const = default;
};

struct ScalingRules {
  int stabilization_window_s = 0;
  SelectPolicy select = SelectPolicy::Max;
  std::vector<ScalingPolicy> policies;
  bool operator==(const ScalingRules&) const = default;
};

// The API defaults of spec.behavior.
ScalingRules default_scale_up();
ScalingRules default_scale_down();

struct HpaSpec {
  int min_replicas = 1;
  int max_replicas = 10;
  int target_utilization_pct = 80;  // averageUtilization of CPU, % of the pods' requests
  double tolerance = 0.1;
  double cpu_initialization_period_s = 300;
  double initial_readiness_delay_s = 30;
  ScalingRules scale_up = default_scale_up();
  ScalingRules scale_down = default_scale_down();
  bool operator==(const HpaSpec&) const = default;
};

// One pod of the target as the controller sees it at a sync.
struct HpaPod {
  bool running = true;        // false: Pending (not started yet)
  bool deleting = false;      // being deleted or failed: ignored
  bool ready = true;          // the Ready condition
  double start_s = 0;         // status.startTime
  double ready_changed_s = 0; // Ready condition's lastTransitionTime
  bool has_metric = true;
  double metric_timestamp_s = 0;
  double metric_window_s = 15;
  int64_t usage_m = 0;        // CPU used (millicores) averaged over the window
  int64_t request_m = 0;      // CPU requested
};

// How the replica calculator grouped the pods.
struct PodGroups {
  int ready = 0, unready = 0, missing = 0, ignored = 0;
};

// The replica calculator alone (GetResourceReplicas). Returns std::nullopt when no pod has a usable
// metric (the controller then leaves the scale alone).
std::optional<int> replicas_for_cpu(const HpaSpec& spec, int current_replicas, const std::vector<HpaPod>& pods,
                                    double now_s, PodGroups* groups = nullptr);

class Hpa {
public:
  explicit Hpa(HpaSpec spec) : spec_(std::move(spec)) {}

  // One sync at now_s: returns the replicas the Deployment should have and remembers the change.
  int reconcile(double now_s, int current_replicas, const std::vector<HpaPod>& pods);
  // The last unstabilised recommendation (the metric's desired replicas), for the series.
  int last_metric_desired() const { return last_metric_desired_; }
  const HpaSpec& spec() const { return spec_; }

private:
  struct Stamped {
    int value;
    double t_s;
  };
  int stabilize(double now_s, int current, int desired);
  int rate_limit(double now_s, int current, int desired) const;
  int change_in_period(const std::deque<Stamped>& events, double now_s, int period_s) const;

  HpaSpec spec_;
  std::vector<Stamped> recommendations_;
  std::deque<Stamped> up_events_, down_events_;
  int last_metric_desired_ = 0;
};

}  // namespace migsim::models::eks
