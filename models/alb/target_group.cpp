#include "models/alb/target_group.hpp"

#include <algorithm>
#include <stdexcept>

namespace migsim::models::alb {

const char* to_string(Algorithm a) { return a == Algorithm::round_robin ? "round_robin" : "least_outstanding_requests"; }

const char* to_string(TargetState s)
{
  switch (s) {
    case TargetState::initial: return "initial";
    case TargetState::healthy: return "healthy";
    case TargetState::unhealthy: return "unhealthy";
    case TargetState::draining: return "draining";
  }
  return "?";
}

TargetGroup::TargetGroup(TargetGroupSpec spec, Clock& clock) : spec_(std::move(spec)), clock_(clock)
{
  if (spec_.slow_start_s > 0 && spec_.algorithm == Algorithm::least_outstanding_requests)
    throw std::invalid_argument("target group " + spec_.name + ": slow start is not supported with least outstanding requests");
  if (spec_.slow_start_s != 0 && (spec_.slow_start_s < 30 || spec_.slow_start_s > 900))
    throw std::invalid_argument("target group " + spec_.name + ": slow start must be 0 or 30-900 s");
}

Target* TargetGroup::find(const std::string& id)
{
  for (auto& t : targets_)
    if (t.id == id)
      return &t;
  return nullptr;
}

int TargetGroup::healthy_count() const
{
  int n = 0;
  for (const auto& t : targets_)
    n += t.state == TargetState::healthy;
  return n;
}

bool TargetGroup::fail_open() const
{
  if (healthy_count() > 0)
    return false;
  return std::any_of(targets_.begin(), targets_.end(), [](const Target& t) { return t.state != TargetState::draining; });
}

void TargetGroup::set_state(Target& t, TargetState s, const std::string& reason)
{
  const TargetState from = t.state;
  t.reason = reason;
  if (from == s)
    return;
  t.state = s;
  if (s == TargetState::healthy) {
    t.healthy_since_s = clock_.now();
    // Slow start applies when another healthy target is not itself in slow start.
    bool other_serving = false;
    for (const auto& o : targets_)
      other_serving |= &o != &t && o.state == TargetState::healthy && weight(o) >= 1.0;
    t.slow_start = spec_.slow_start_s > 0 && other_serving;
    t.rr_credit = 0;
  }
  if (on_state_change)
    on_state_change(t, from);
}

void TargetGroup::register_target(const std::string& id, const std::string& az, int slot, bool healthy_now)
{
  Target* t = find(id);
  if (!t) {
    targets_.push_back({});
    t = &targets_.back();
  }
  *t = Target{};
  t->id = id;
  t->az = az;
  t->slot = slot;
  t->registered_s = clock_.now();
  t->generation = next_generation_++;
  if (healthy_now) {
    t->state = TargetState::healthy;
    t->healthy_since_s = -1e9;  // long before: not in slow start
  } else {
    t->state = TargetState::initial;
    t->reason = "Elb.InitialHealthChecking";
  }
  schedule_check(id, t->generation, clock_.now() + (healthy_now ? spec_.health.interval_s : 0.0));
}

void TargetGroup::deregister_target(const std::string& id)
{
  Target* t = find(id);
  if (!t || t->state == TargetState::draining)
    return;
  set_state(*t, TargetState::draining, "Target.DeregistrationInProgress");
  t->drain_until_s = clock_.now() + spec_.deregistration_delay_s;
  const uint64_t g = ++t->generation;  // stops its health checks
  if (t->outstanding == 0) {
    finish_drain(id, g);
    return;
  }
  clock_.at(t->drain_until_s, [this, id, g]() { finish_drain(id, g); });
}

void TargetGroup::finish_drain(const std::string& id, uint64_t generation)
{
  for (size_t i = 0; i < targets_.size(); ++i) {
    if (targets_[i].id != id || targets_[i].generation != generation || targets_[i].state != TargetState::draining)
      continue;
    const Target done = targets_[i];
    targets_.erase(targets_.begin() + static_cast<long>(i));
    if (on_deregistered)
      on_deregistered(done);
    return;
  }
}

void TargetGroup::request_ended(Target& t)
{
  if (t.outstanding > 0)
    --t.outstanding;
  if (t.state == TargetState::draining && t.outstanding == 0) {
    const std::string id = t.id;
    const uint64_t g = t.generation;
    clock_.at(clock_.now(), [this, id, g]() { finish_drain(id, g); });  // not inside the request's own callback
  }
}

// --- Health checks -----------------------------------------------------------------------------

void TargetGroup::schedule_check(const std::string& id, uint64_t generation, double at_s)
{
  clock_.at(at_s, [this, id, generation]() { run_check(id, generation); });
}

void TargetGroup::run_check(const std::string& id, uint64_t generation)
{
  Target* t = find(id);
  if (!t || t->generation != generation)
    return;
  const ProbeResult r = probe ? probe(*t) : ProbeResult{true, 0.0};
  const auto& hc = spec_.health;
  const double now = clock_.now();
  // An answer within the timeout passes; no answer (or a late one) fails when the timeout expires.
  const bool ok = r.answered && r.response_s <= hc.timeout_s;
  const double result_at = now + (ok ? r.response_s : hc.timeout_s);
  const std::string reason = r.answered ? "Target.Timeout" : "Target.FailedHealthChecks";
  clock_.at(result_at, [this, id, generation, ok, reason]() { apply_check(id, generation, ok, reason); });
  schedule_check(id, generation, now + hc.interval_s);
}

void TargetGroup::apply_check(const std::string& id, uint64_t generation, bool ok, const std::string& fail_reason)
{
  Target* t = find(id);
  if (!t || t->generation != generation || t->state == TargetState::draining)
    return;
  const auto& hc = spec_.health;
  if (ok) {
    ++t->ok_streak;
    t->fail_streak = 0;
    if (t->state != TargetState::healthy && t->ok_streak >= hc.healthy_threshold)
      set_state(*t, TargetState::healthy, "");
  } else {
    ++t->fail_streak;
    t->ok_streak = 0;
    if (t->state != TargetState::unhealthy && t->fail_streak >= hc.unhealthy_threshold)
      set_state(*t, TargetState::unhealthy, fail_reason);
  }
}

// --- Routing -----------------------------------------------------------------------------------

double TargetGroup::weight(const Target& t) const
{
  if (!t.slow_start || spec_.slow_start_s <= 0)
    return 1.0;
  const double f = (clock_.now() - t.healthy_since_s) / spec_.slow_start_s;
  return std::clamp(f, 0.0, 1.0);
}

Target* TargetGroup::pick()
{
  std::vector<Target*> pool;
  for (auto& t : targets_)
    if (t.state == TargetState::healthy)
      pool.push_back(&t);
  if (pool.empty())  // fail open: every registered target that is not draining
    for (auto& t : targets_)
      if (t.state != TargetState::draining)
        pool.push_back(&t);
  if (pool.empty())
    return nullptr;
  return spec_.algorithm == Algorithm::round_robin ? pick_round_robin(pool) : pick_least_outstanding(pool);
}

// Smooth weighted round robin: equal weights give plain rotation; a target in slow start has a
// weight growing linearly from 0 to 1 over slow_start_s, so its share of requests ramps linearly.
Target* TargetGroup::pick_round_robin(const std::vector<Target*>& pool)
{
  double total = 0;
  Target* best = nullptr;
  for (Target* t : pool) {
    const double w = std::max(weight(*t), 1e-3);
    t->rr_credit += w;
    total += w;
    if (!best || t->rr_credit > best->rr_credit)
      best = t;
  }
  best->rr_credit -= total;
  return best;
}

// Fewest requests in flight; ties rotate so that idle identical targets share evenly.
Target* TargetGroup::pick_least_outstanding(const std::vector<Target*>& pool)
{
  const size_t n = pool.size();
  Target* best = nullptr;
  for (size_t k = 0; k < n; ++k) {
    Target* t = pool[(lor_rotation_ + k) % n];
    if (!best || t->outstanding < best->outstanding)
      best = t;
  }
  ++lor_rotation_;
  return best;
}

}  // namespace migsim::models::alb
