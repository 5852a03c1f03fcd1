// Target tracking scaling, the control loop of an Auto Scaling group, as AWS documents it
// (AWS EC2 Auto Scaling User Guide, "Target tracking scaling policies"):
//   - each policy has two alarms over one-minute datapoints of its metric: high = above the target
//     for 3 of 3 datapoints, low = below scale_in_fraction x target (about 0.7, observed) for 15 of 15;
//   - high -> scale out proportionally: new capacity = ceil(serving x metric / target), where serving
//     excludes warming instances (they are out of the aggregated metric and of current capacity),
//     so the instances still warming count toward the new capacity rather than being added again;
//   - low -> scale in gradually: the number of instances removed, serving - serving x metric / target,
//     is rounded down (capacity rounds up when adding, down when removing: both keep more capacity);
//   - several policies: out if any says out (the largest capacity wins), in only if all say in (the
//     largest remaining capacity wins); no scale-in while a scale-out or a warm-up is in progress;
//     a missing datapoint in a policy's low window (insufficient data) blocks scale-in.
// Pure arithmetic over datapoints, no clock: the group feeds it one datapoint per policy per minute.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <vector>

namespace migsim::models::asg {

// The predefined metrics a target tracking policy can follow.
enum class PredefinedMetric { ASGAverageCPUUtilization, ALBRequestCountPerTarget };
const char* to_string(PredefinedMetric m);

// One target tracking policy (PutScalingPolicy with a TargetTrackingConfiguration).
struct TargetTrackingPolicy {
  std::string name;
  PredefinedMetric metric = PredefinedMetric::ASGAverageCPUUtilization;
  std::string resource_label;        // ALBRequestCountPerTarget: the target group
  double target = 50.0;              // percent (CPU) or requests per target per minute
  bool disable_scale_in = false;
  int scale_out_datapoints = 3;      // high alarm: M of M one-minute datapoints above the target
  int scale_in_datapoints = 15;      // low alarm: N of N below scale_in_fraction x target
  double scale_in_fraction = 0.7;
};

// What one evaluation decided.
struct ScalingDecision {
  enum class Kind { none, scale_out, scale_in };
  Kind kind = Kind::none;
  int new_capacity = 0;
  std::string policy;     // the policy whose vote set the capacity
  std::string alarm;      // "AlarmHigh" / "AlarmLow"
  double metric = 0.0;    // its latest datapoint
  std::string blocked;    // why a scale-in was not done ("warm-up", "scale-out in progress", "insufficient data", ...)
};

class TargetTracking {
public:
  explicit TargetTracking(std::vector<TargetTrackingPolicy> policies);

  // One one-minute datapoint per policy, in the order of policies(); NaN = missing.
  void add_datapoints(const std::vector<double>& values);
  // Decides from the datapoints so far. desired: the group's desired capacity; serving: InService
  // instances past their warm-up; scaling_out: launches or warm-ups in progress.
  ScalingDecision evaluate(int desired, int serving, int min_size, int max_size, bool scaling_out) const;

  const std::vector<TargetTrackingPolicy>& policies() const { return policies_; }
  void add_policy(TargetTrackingPolicy p);
  void remove_policy(const std::string& name);
  // Datapoints kept for policy i, oldest first.
  const std::deque<double>& datapoints(size_t i) const { return history_.at(i); }
  // The state of a policy's alarm from its datapoints: "ALARM", "OK" or "INSUFFICIENT_DATA".
  std::string high_alarm_state(size_t i) const;
  std::string low_alarm_state(size_t i) const;

private:
  std::vector<TargetTrackingPolicy> policies_;
  std::vector<std::deque<double>> history_;
};

}  // namespace migsim::models::asg
