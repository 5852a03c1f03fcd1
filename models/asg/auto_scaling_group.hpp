// An EC2 Auto Scaling group: min/max/desired capacity across Availability Zones, balanced placement,
// instance lifecycle (Pending -> InService -> Terminating -> Terminated), warm-up, health checks
// with their grace period and the replacement of unhealthy instances, target tracking policies
// (target_tracking.hpp) and the scaling activity history DescribeScalingActivities shows.
//
// State and decisions only: the estate supplies the clock and the physics through the hooks (where
// an instance runs, when the load balancer has drained it).
#pragma once

#include "models/asg/target_tracking.hpp"
#include "models/common/clock.hpp"
#include "sim/rng.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace migsim::models::asg {

using models::Clock;  // sim::Engine in a run, ManualClock in tests

// ISO 8601 UTC of a simulated time on the scenario's calendar (sim::output_calendar(), the same as
// the mock endpoint's): "2025-01-01T16:03:00Z".
std::string iso_time(double sim_s);

struct AsgSpec {
  std::string name;
  int min_size = 1;
  int max_size = 1;
  int desired = 1;
  std::vector<std::string> azs;
  std::string instance_type = "t3.small";
  double boot_mean_s = 120.0;       // launch -> InService (not published: parameter)
  double boot_cv = 0.2;             // lognormal spread of the boot time (0 = constant)
  double warmup_s = 300.0;          // instance warm-up (excluded from metrics and capacity)
  double health_check_grace_s = 300.0;
  std::string health_check_type = "EC2";  // EC2 or ELB
  std::vector<TargetTrackingPolicy> policies;
};

enum class LifecycleState { Pending, InService, Terminating, Terminated };
const char* to_string(LifecycleState s);

struct Instance {
  std::string id;            // i-0000000000000001 style
  std::string az;
  int slot = -1;             // where the estate runs it
  LifecycleState state = LifecycleState::Pending;
  bool healthy = true;
  double launched_s = 0.0;
  double in_service_s = -1.0;
  double warm_until_s = 0.0;
  double terminated_s = -1.0;
};

// StartInstanceRefresh preferences (rolling strategy; AWS defaults when no instance maintenance
// policy: MinHealthyPercentage 90, MaxHealthyPercentage 100, InstanceWarmup = the group's default
// instance warm-up). instance_warmup_s < 0 means that default.
struct RefreshPreferences {
  int min_healthy_pct = 90;   // 0..100 of desired capacity (rounded up) kept InService, healthy, warmed
  int max_healthy_pct = 100;  // 100..200: 100 = terminate then launch, above = launch before terminate
  double instance_warmup_s = -1.0;
};

// One instance refresh (DescribeInstanceRefreshes): status Pending -> InProgress -> Successful, or
// Cancelled; status_history keeps (time, status) for tests and the log.
struct InstanceRefresh {
  std::string id;
  RefreshPreferences prefs;
  double warmup_s = 0.0;                 // the effective InstanceWarmup
  std::string status = "Pending";        // Pending, InProgress, Successful, Cancelled
  std::string status_reason;
  double start_s = 0.0;
  double end_s = -1.0;
  int total = 0;                         // instances to replace when it started
  int percentage_complete = 0;
  int instances_to_update = 0;
  std::vector<std::string> old_ids;      // the instances to replace
  std::vector<std::pair<double, std::string>> status_history;
};

// One entry of DescribeScalingActivities.
struct Activity {
  std::string id;
  std::string description;
  std::string cause;
  double start_s = 0.0;
  double end_s = -1.0;
  std::string status = "InProgress";  // InProgress, Successful, Failed, Cancelled
  int progress = 0;
  std::string details;
};

class AutoScalingGroup {
public:
  AutoScalingGroup(AsgSpec spec, Clock& clock, sim::RandomStream rng);

  // Physics hooks. on_launch places an instance (returns the slot, -1 when there is no room);
  // on_in_service registers it with the load balancer; on_terminate deregisters it and calls done
  // once drained; on_terminated frees its slot.
  std::function<int(const Instance&)> on_launch;
  std::function<void(const Instance&)> on_in_service;
  std::function<void(const Instance&, std::function<void()> done)> on_terminate;
  std::function<void(const Instance&)> on_terminated;
  std::function<void(const std::string&)> log;
  // Instance ids ("i-..."); default: a counter of this group.
  std::function<std::string()> make_id;

  // The instances running at t = 0 (InService, warmed up, no activity: they predate the run).
  void start();
  // SetDesiredCapacity / UpdateAutoScalingGroup (throws std::invalid_argument outside [min, max]).
  void set_desired(int desired, const std::string& cause);
  void update(int min_size, int max_size, int desired);
  // One minute of the control loop: datapoints of every policy (NaN = missing), then the decision.
  ScalingDecision evaluate_minute(const std::vector<double>& datapoints);
  // Health: the instance failed its EC2 status checks or its ELB health checks (ignored in the
  // grace period, and for ELB failures unless health_check_type is ELB).
  void report_unhealthy(const std::string& id, bool from_elb);
  // StartInstanceRefresh (throws std::invalid_argument on bad preferences, std::logic_error when one
  // is already in progress); returns the refresh id. CancelInstanceRefresh (std::logic_error when none
  // is in progress); returns the id. See instance_refresh.cpp.
  std::string start_refresh(const RefreshPreferences& prefs);
  std::string cancel_refresh();
  const std::vector<InstanceRefresh>& refreshes() const { return refreshes_; }
  // An Availability Zone becomes unusable (no launches there) or usable again.
  void set_az_available(const std::string& az, bool available);

  const AsgSpec& spec() const { return spec_; }
  int desired() const { return spec_.desired; }
  int min_size() const { return spec_.min_size; }
  int max_size() const { return spec_.max_size; }
  const std::vector<Instance>& instances() const { return instances_; }
  const Instance* instance(const std::string& id) const;
  const std::vector<Activity>& activities() const { return activities_; }
  TargetTracking& tracking() { return tracking_; }
  const TargetTracking& tracking() const { return tracking_; }
  int in_service() const;    // InService (warming included)
  int serving() const;       // InService and warmed up
  bool scaling_out() const;  // a launch or a warm-up in progress
  double instance_hours(double t_end_s) const;  // launched -> terminated (or t_end), all instances
  const std::vector<ScalingDecision>& decisions() const { return decisions_; }

private:
  int actual() const;  // Pending + InService (what desired is compared with)
  void converge(const std::string& cause_prefix);
  void launch(const std::string& cause);
  InstanceRefresh* active_refresh();
  void refresh_step();
  void refresh_progress(InstanceRefresh& r);
  void terminate(Instance& inst, const std::string& cause, bool replace);
  Instance* pick_for_termination();
  std::string pick_az() const;
  Activity& begin_activity(const std::string& description, const std::string& cause);
  void note(const std::string& msg);

  AsgSpec spec_;
  Clock& clock_;
  sim::RandomStream rng_;
  TargetTracking tracking_;
  std::vector<Instance> instances_;
  std::vector<Activity> activities_;
  std::vector<InstanceRefresh> refreshes_;
  std::vector<ScalingDecision> decisions_;
  std::map<std::string, bool> az_available_;
  uint64_t next_id_ = 1;
};

}  // namespace migsim::models::asg
