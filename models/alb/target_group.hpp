// An ALB target group: registered targets, the health check state machine with the documented
// defaults (interval 30 s, timeout 5 s, healthy threshold 5, unhealthy threshold 2, matcher 200),
// the routing algorithm (round robin with optional linear slow start, or least outstanding
// requests), deregistration delay (300 s, or until the target has no request in flight) and
// fail-open (no healthy target: route to every registered one).
//
// State and decisions only: the estate runs the probes (is the instance up, does it answer in time)
// and carries the requests.
#pragma once

#include "models/common/clock.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace migsim::models::alb {

struct HealthCheckSettings {
  double interval_s = 30.0;
  double timeout_s = 5.0;
  int healthy_threshold = 5;
  int unhealthy_threshold = 2;
  std::string path = "/health";
  std::string matcher = "200";
};

enum class Algorithm { round_robin, least_outstanding_requests };
const char* to_string(Algorithm a);

// DescribeTargetHealth's TargetHealth.State values.
enum class TargetState { initial, healthy, unhealthy, draining };
const char* to_string(TargetState s);

struct TargetGroupSpec {
  std::string name;
  int port = 80;
  Algorithm algorithm = Algorithm::round_robin;
  double slow_start_s = 0.0;              // 0 = off; 30-900 s; not with least outstanding requests
  double deregistration_delay_s = 300.0;
  HealthCheckSettings health;
};

struct Target {
  std::string id;              // the instance id
  std::string az;
  int slot = -1;               // where the estate runs it
  TargetState state = TargetState::initial;
  std::string reason;          // Elb.InitialHealthChecking, Target.FailedHealthChecks, ...
  int ok_streak = 0, fail_streak = 0;
  double registered_s = 0.0;
  double healthy_since_s = -1.0;
  bool slow_start = false;     // ramping since healthy_since_s
  double drain_until_s = -1.0;
  uint64_t outstanding = 0;    // requests sent and not yet answered
  uint64_t requests = 0;
  uint64_t generation = 0;     // bumps at (re)registration: stale health checks are ignored
  double rr_credit = 0.0;      // smooth weighted round robin
};

// What a health probe saw: answered (with the matcher's code) and how long it took.
struct ProbeResult {
  bool answered = false;
  double response_s = 0.0;
};

class TargetGroup {
public:
  TargetGroup(TargetGroupSpec spec, Clock& clock);

  // The estate's probe of one target (run at each health check).
  std::function<ProbeResult(const Target&)> probe;
  std::function<void(const Target&, TargetState from)> on_state_change;
  // Called when a draining target has finished deregistering (no request left, or the delay passed).
  std::function<void(const Target&)> on_deregistered;

  // RegisterTargets: the target starts in `initial` and is health-checked at once, then every interval.
  // healthy_now registers it already healthy (targets that predate the run).
  void register_target(const std::string& id, const std::string& az, int slot, bool healthy_now = false);
  // DeregisterTargets: draining until nothing is in flight or the deregistration delay has passed.
  void deregister_target(const std::string& id);
  // Picks the target for a new request (nullptr: no registered target, HTTP 503).
  Target* pick();
  void request_started(Target& t) { ++t.outstanding; ++t.requests; }
  void request_ended(Target& t);
  // Applies one health check result (used by the scheduled checks; exposed for tests).
  void apply_check(const std::string& id, uint64_t generation, bool ok, const std::string& fail_reason);

  const TargetGroupSpec& spec() const { return spec_; }
  TargetGroupSpec& mutable_spec() { return spec_; }
  const std::vector<Target>& targets() const { return targets_; }
  Target* find(const std::string& id);
  int healthy_count() const;
  bool fail_open() const;  // no healthy target: routing to every registered one
  // Slow start weight of a target now (1 outside slow start).
  double weight(const Target& t) const;

private:
  void schedule_check(const std::string& id, uint64_t generation, double at_s);
  void run_check(const std::string& id, uint64_t generation);
  void set_state(Target& t, TargetState s, const std::string& reason);
  void finish_drain(const std::string& id, uint64_t generation);
  Target* pick_round_robin(const std::vector<Target*>& pool);
  Target* pick_least_outstanding(const std::vector<Target*>& pool);

  TargetGroupSpec spec_;
  Clock& clock_;
  std::vector<Target> targets_;
  size_t lor_rotation_ = 0;
  uint64_t next_generation_ = 1;
};

}  // namespace migsim::models::alb
