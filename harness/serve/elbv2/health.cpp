#include "harness/serve/elbv2/health.hpp"

#include <cmath>
#include <vector>

namespace migsim::harness::serve::elbv2_health {

namespace {

constexpr double kEps = 1e-9;

// One change of state at a time.
struct Change {
  double at_s;
  State to;
};

}  // namespace

const char* load_balancer_state(double created_s, double provisioning_s, double now_s)
{
  return now_s + kEps >= created_s + provisioning_s ? "active" : "provisioning";
}

const char* to_string(State s)
{
  switch (s) {
    case State::initial: return "initial";
    case State::healthy: return "healthy";
    case State::unhealthy: return "unhealthy";
  }
  return "?";
}

Health evaluate(const Settings& s, double start_s, State start, const Answering& a, double now_s)
{
  Health h{start, start == State::initial ? "Elb.RegistrationInProgress" : "", start_s};
  if (start == State::unhealthy)
    h.reason = "Target.FailedHealthChecks";
  if (now_s + kEps < start_s + s.interval_s) {
    if (now_s + kEps >= start_s && start == State::initial)
      h.reason = "Elb.InitialHealthChecking";
    return h;
  }
  const double iv = s.interval_s;
  auto check_at = [&](double k) { return start_s + k * iv; };
  // The checks that pass are k_first..k_last (none when k_first > k_last).
  double k_first = a.from_s == -kNever ? 1.0 : std::max(1.0, std::ceil((a.from_s - start_s) / iv - kEps));
  double k_last = a.until_s == kNever ? kNever : std::ceil((a.until_s - start_s) / iv - kEps) - 1.0;
  if (a.from_s == kNever || k_last < k_first)
    k_first = k_last = kNever;  // no check passes: every one fails

  std::vector<Change> changes;
  const double U = s.unhealthy_threshold, H = s.healthy_threshold;
  // Failures before the target answers: checks 1 .. k_first - 1.
  if (k_first - 1.0 >= U)
    changes.push_back({check_at(U) + s.timeout_s, State::unhealthy});
  if (k_first != kNever) {
    // Passes k_first .. k_last; then failures from k_last + 1.
    if (k_last - k_first + 1.0 >= H)
      changes.push_back({check_at(k_first + H - 1.0), State::healthy});
    if (k_last != kNever)
      changes.push_back({check_at(k_last + U) + s.timeout_s, State::unhealthy});
  }
  State state = start;
  double since = start_s;
  for (const auto& c : changes) {
    if (c.at_s > now_s + kEps)
      break;
    if (c.to != state) {
      state = c.to;
      since = c.at_s;
    }
  }
  h.state = state;
  h.since_s = since;
  h.reason = state == State::initial ? "Elb.InitialHealthChecking" : state == State::unhealthy ? "Target.FailedHealthChecks" : "";
  return h;
}

}  // namespace migsim::harness::serve::elbv2_health
