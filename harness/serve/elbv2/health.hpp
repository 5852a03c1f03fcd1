// The clock-driven state machines behind API-created ELBv2 resources (backend.cpp), in
// closed form: a load balancer's State.Code (provisioning -> active after provisioning_s) and a
// registered target's health (initial -> healthy / unhealthy) as a pure function of the simulated
// time, the health check settings and when the target answers. No HTTP, no ServeContext: the
// Catch2 tests check them against hand-computed times.
#pragma once

#include <limits>
#include <string>

namespace migsim::harness::serve::elbv2_health {

inline constexpr double kNever = std::numeric_limits<double>::infinity();

// ALB provisioning time: not published by AWS ("a few minutes"); the stated default. The
// LoadBalancerAvailable waiter of botocore (15 s x 40 attempts) gives up after 600 s.
inline constexpr double kDefaultProvisioning_s = 180.0;

// State.Code of a load balancer created at created_s, `provisioning_s` to become active.
const char* load_balancer_state(double created_s, double provisioning_s, double now_s);

// A target group's health check settings (CreateTargetGroup's members; ALB defaults for HTTP:
// interval 30 s, timeout 5 s, healthy threshold 5, unhealthy threshold 2).
struct Settings {
  double interval_s = 30.0;
  double timeout_s = 5.0;
  int healthy_threshold = 5;
  int unhealthy_threshold = 2;
};

// When the target answers health checks: from from_s (inclusive) until until_s (exclusive).
// -kNever / kNever for open ends; from_s = kNever: it never answers.
struct Answering {
  double from_s = -kNever;
  double until_s = kNever;
};

enum class State { initial, healthy, unhealthy };
const char* to_string(State s);

// The health of one target now.
struct Health {
  State state = State::initial;
  std::string reason;   // Elb.RegistrationInProgress, Elb.InitialHealthChecking, Target.FailedHealthChecks, ""
  double since_s = 0;   // when it entered this state (start_s when it has not changed)
};

// The health at now_s of a target whose checks start at start_s in state `start`: check k (k = 1,
// 2, ...) runs at start_s + k x interval; it passes when the target answers at that instant (the
// result is known at once) and fails otherwise (known when the timeout expires). healthy after
// healthy_threshold consecutive passes, unhealthy after unhealthy_threshold consecutive failures.
Health evaluate(const Settings& s, double start_s, State start, const Answering& a, double now_s);

}  // namespace migsim::harness::serve::elbv2_health
