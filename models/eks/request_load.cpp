#include "models/eks/request_load.hpp"

#include "sim/engine.hpp"
#include "sim/event_log.hpp"
#include "sim/horizon.hpp"

#include <algorithm>
#include <cmath>

namespace migsim::models::eks {

namespace {

// Simulated time from the engine, for the ALB target groups and the processor-sharing servers.
class EngineClock final : public Clock {
public:
  double now() const override { return sim::Engine::instance().now(); }
  void at(double t_s, std::function<void()> fn) override { sim::Engine::instance().at(std::max(t_s, now()), std::move(fn)); }
};

// A pod's IP target id: 10.<a>.<b>.<c> from its id (unique per run).
std::string ip_of(size_t pod)
{
  const size_t n = pod + 1;
  return "10." + std::to_string(n / 65536 % 256) + "." + std::to_string(n / 256 % 256) + "." + std::to_string(n % 256);
}

}  // namespace

// A pod as the ALB sees it: its target id, its CPU, and what it used at the last scrape.
struct RequestLoad::Pod {
  size_t id = 0, deployment = 0;
  std::string ip;
  std::unique_ptr<PsServer> cpu;  // null once the pod is gone
  int limit = 0;                  // max_concurrency (0: none)
  int in_service = 0;             // requests on the CPU
  std::deque<std::pair<uint32_t, uint32_t>> waiting;  // (request, generation) for a worker, FIFO
  double waiting_work = 0;        // CPU seconds of the live waiting requests
  bool running = false, unreachable = false, registered = false, seen = false;
  double mark_used = 0, mark_t = 0, step_used = 0;
};

RequestLoad::RequestLoad(const sim::Scenario& sc, const EksSpec& spec, sim::Registry& metrics)
    : scenario_(sc),
      spec_(spec),
      metrics_(metrics),
      clock_(std::make_unique<EngineClock>()),
      profile_(sc.workload),
      arrivals_(profile_, sim::RandomStream(sc.seed, "workload.arrivals")),
      mix_rng_(sc.seed, "workload.mix"),
      cpu_rng_(sc.seed, "eks.request.cpu"),
      route_rng_(sc.seed, "eks.request.route"),
      random_routing_(spec.alb_targets.algorithm == "weighted_random")
{
  const size_t nd = spec.deployments.size();
  double cumulative = 0;
  for (const auto& c : sc.workload.classes) {
    cumulative += c.weight;
    class_cumulative_.push_back(cumulative);
    std::vector<Segment> plan;
    double delay = spec.alb_latency_ms / 1000;
    for (const auto& st : c.stages) {
      auto it = std::find_if(spec.deployments.begin(), spec.deployments.end(), [&](auto& d) { return d.name == st.service; });
      if (it == spec.deployments.end()) {
        delay += spec.external_latency_ms.at(st.service) / 1000;
        continue;
      }
      Segment s;
      s.delay_s = delay;
      s.deployment = static_cast<int>(it - spec.deployments.begin());
      s.cpu_s = st.cpu_ms * it->cpu_scale / 1000;
      s.dist = st.cpu_dist == "exponential" ? Dist::Exponential : st.cpu_dist == "lognormal" ? Dist::Lognormal : Dist::Constant;
      s.cv = st.cpu_cv;
      plan.push_back(s);
      delay = 0;
    }
    Segment end;
    end.delay_s = delay;
    plan.push_back(end);
    plans_.push_back(std::move(plan));
    const std::string l = "{class=" + c.name + "}";
    c_arrived_.push_back(&metrics.counter("requests_arrived" + l));
    c_completed_.push_back(&metrics.counter("requests_completed" + l));
    metrics.counter("requests_rejected" + l);
    c_timeouts_.push_back(&metrics.counter("requests_timed_out" + l));
    c_errors_.push_back(&metrics.counter("requests_server_error" + l));
    c_latency_.push_back(&metrics.histogram("latency_s" + l));
  }
  all_latency_ = &metrics.histogram("latency_s");
  ts_arrivals_ = &metrics.series("arrivals");
  ts_completed_ = &metrics.series("completed");
  ts_errors_ = &metrics.series("errors");
  ts_p50_ = &metrics.series("latency_p50_ms", sim::TimeSeries::Kind::Last);
  ts_p95_ = &metrics.series("latency_p95_ms", sim::TimeSeries::Kind::Last);
  ts_p99_ = &metrics.series("latency_p99_ms", sim::TimeSeries::Kind::Last);
  ts_503_ = &metrics.series("alb_http_503");
  in_system_ = &metrics.time_weighted("requests_in_system");

  // One target group per Deployment (the controller's TargetGroupBinding for its Service).
  const auto& a = spec.alb_targets;
  for (size_t d = 0; d < nd; ++d) {
    alb::TargetGroupSpec t;
    t.name = "k8s-" + spec.deployments[d].name;
    t.algorithm = a.algorithm == "least_outstanding_requests" ? alb::Algorithm::least_outstanding_requests
                                                              : alb::Algorithm::round_robin;
    t.slow_start_s = a.slow_start_s;
    t.deregistration_delay_s = a.deregistration_delay_s;
    t.health.interval_s = a.health_interval_s;
    t.health.timeout_s = a.health_timeout_s;
    t.health.healthy_threshold = a.healthy_threshold;
    t.health.unhealthy_threshold = a.unhealthy_threshold;
    groups_.push_back(std::make_unique<alb::TargetGroup>(t, *clock_));
    auto& g = *groups_.back();
    // The health check waits behind the pod's unfinished work (the accept queue), like a request.
    g.probe = [this](const alb::Target& target) {
      const Pod& p = *slots_.at(static_cast<size_t>(target.slot));
      if (!p.cpu || !p.running || p.unreachable)
        return alb::ProbeResult{false, 0.0};
      return alb::ProbeResult{true, 0.001 + (p.cpu->unfinished_work() + p.waiting_work) / p.cpu->capacity()};
    };
    g.on_state_change = [this, d](const alb::Target& target, alb::TargetState from) {
      if (target.state == alb::TargetState::unhealthy || from == alb::TargetState::unhealthy)
        sim::EventLog::instance().record(clock_->now(), "eks",
                                         "ALB target " + target.id + " of " + spec_.deployments[d].name + ": " +
                                             alb::to_string(from) + " -> " + alb::to_string(target.state));
    };
  }
  for (const auto& d : spec.deployments) {
    int v = -1;
    for (size_t i = 0; i < spec.efs.size(); ++i)
      if (spec.efs[i].name == d.efs_volume)
        v = static_cast<int>(i);
    dep_efs_.push_back(v);
  }
  for (const auto& f : spec.efs) {
    const double cap = f.mode == "bursting" ? std::max(f.size_gib * 0.05, std::max(100.0, f.size_gib / 1024 * 100))
                                            : f.throughput_mibps;
    efs_.push_back(std::make_unique<PsServer>(*clock_, cap, cap));
    efs_.back()->on_done = [this](uint64_t tag) {
      uint32_t idx;
      if (live(tag, idx))
        efs_done(idx);
    };
  }
  efs_credits_mib_.assign(spec.efs.size(), 2.1 * 1024 * 1024);  // a new file system starts with 2.1 TiB
  efs_used_mark_.assign(spec.efs.size(), 0);
  usage_m_.assign(nd, 0);
  wait_s_.assign(nd, 0);
  offered_rps_.assign(nd, 0);
  visits_.assign(nd, 0);
}

RequestLoad::~RequestLoad() = default;

bool RequestLoad::live(uint64_t tag, uint32_t& idx) const
{
  idx = static_cast<uint32_t>(tag & 0xffffffffu);
  return idx < reqs_.size() && reqs_[idx].active && reqs_[idx].gen == static_cast<uint32_t>(tag >> 32);
}

// --- Pods and targets ------------------------------------------------------------------------------

void RequestLoad::sync_pods(double t, const std::vector<PodEndpoint>& pods)
{
  for (auto& p : slots_)
    p->seen = false;
  for (const auto& e : pods) {
    auto it = slot_of_pod_.find(e.id);
    if (it == slot_of_pod_.end()) {
      auto p = std::make_unique<Pod>();
      p->id = e.id;
      p->deployment = e.deployment;
      p->ip = ip_of(e.id);
      const double cores = static_cast<double>(spec_.deployments[e.deployment].cpu_limit_m) / 1000.0;
      p->cpu = std::make_unique<PsServer>(*clock_, cores, 1.0);
      p->limit = spec_.deployments[e.deployment].max_concurrency;
      p->mark_t = t;
      p->cpu->on_done = [this](uint64_t tag) {
        uint32_t idx;
        if (live(tag, idx))
          cpu_done(idx);
      };
      it = slot_of_pod_.emplace(e.id, slots_.size()).first;
      slots_.push_back(std::move(p));
    }
    const size_t slot = it->second;
    Pod& p = *slots_[slot];
    p.seen = true;
    p.running = e.running;
    auto& tg = *groups_[p.deployment];
    if (e.unreachable && !p.unreachable)
      drop_pod_requests(p);  // the node died: what it was serving is lost
    p.unreachable = e.unreachable;
    if (e.in_endpoints && !p.registered) {
      // The Load Balancer Controller registers the pod's IP; pods of the cluster at t = 0 are healthy.
      tg.register_target(p.ip, e.zone ? *e.zone : std::string(), static_cast<int>(slot), t == 0.0);
      p.registered = true;
    } else if (!e.in_endpoints && p.registered) {
      tg.deregister_target(p.ip);
      p.registered = false;
    }
  }
  // Pods no longer there: their container is gone; requests still on it fail (connection reset).
  for (size_t slot = 0; slot < slots_.size(); ++slot) {
    Pod& p = *slots_[slot];
    if (p.seen || !p.cpu)
      continue;
    if (p.registered)
      groups_[p.deployment]->deregister_target(p.ip);
    p.registered = false;
    drop_pod_requests(p);
    p.cpu.reset();
    p.running = false;
    slot_of_pod_.erase(p.id);
  }
  if (!started_) {
    started_ = true;
    schedule_next_arrival(t);
  }
}

void RequestLoad::step(double t, double dt, const std::vector<RotationCounts>& rotation)
{
  // CPU used per healthy pod and the queueing delay over the step that ended (for metrics and
  // probes); offered rate from the visits routed in it.
  const size_t nd = spec_.deployments.size();
  std::vector<double> used(nd, 0), wait_sum(nd, 0);
  std::vector<int> serving(nd, 0);
  for (auto& p : slots_) {
    if (!p->cpu)
      continue;
    const double u = p->cpu->used();
    used[p->deployment] += u - p->step_used;
    p->step_used = u;
    if (p->running && !p->unreachable) {  // probes reach every running pod, in the endpoints or not
      wait_sum[p->deployment] += (p->cpu->unfinished_work() + p->waiting_work) / p->cpu->capacity();
      ++serving[p->deployment];
    }
  }
  for (size_t d = 0; d < nd; ++d) {
    const int healthy = std::max(1, rotation[d].healthy);
    usage_m_[d] = used[d] / dt / healthy * 1000;
    wait_s_[d] = serving[d] ? wait_sum[d] / serving[d] : 0;
    offered_rps_[d] = visits_[d] / dt;
    visits_[d] = 0;
  }
  // EFS bursting: credits spent above the baseline, the burst rate only while credits remain.
  for (size_t v = 0; v < spec_.efs.size(); ++v) {
    const auto& f = spec_.efs[v];
    const double u = efs_[v]->used();
    const double moved = u - efs_used_mark_[v];
    efs_used_mark_[v] = u;
    if (f.mode != "bursting")
      continue;
    const double baseline = f.size_gib * 0.05;
    const double burst = std::max(100.0, f.size_gib / 1024 * 100);
    efs_credits_mib_[v] = std::max(0.0, efs_credits_mib_[v] - (moved - baseline * dt));
    const double cap = efs_credits_mib_[v] > 0 ? std::max(baseline, burst) : baseline;
    if (cap != efs_[v]->capacity())
      efs_[v]->set_capacity(cap);
  }
  (void)t;
}

double RequestLoad::pod_usage_m(size_t pod_id) const
{
  auto it = slot_of_pod_.find(pod_id);
  if (it == slot_of_pod_.end())
    return 0;
  const Pod& p = *slots_[it->second];
  const double window = clock_->now() - p.mark_t;
  return window > 0 && p.cpu ? (p.cpu->used() - p.mark_used) / window * 1000 : 0;
}

double RequestLoad::pod_wait_s(size_t pod_id) const
{
  auto it = slot_of_pod_.find(pod_id);
  if (it == slot_of_pod_.end() || !slots_[it->second]->cpu)
    return 0;
  const Pod& p = *slots_[it->second];
  return (p.cpu->unfinished_work() + p.waiting_work) / p.cpu->capacity();
}

void RequestLoad::scraped(double t)
{
  for (auto& p : slots_)
    if (p->cpu) {
      p->mark_used = p->cpu->used();
      p->mark_t = t;
    }
  scrape_t_ = t;
}

// --- Requests --------------------------------------------------------------------------------------

void RequestLoad::schedule_next_arrival(double after)
{
  const double t = arrivals_.next(after, sim::horizon_s(scenario_));
  if (t >= sim::horizon_s(scenario_))
    return;
  sim::Engine::instance().at(t, [this, g = arrival_generation_]() {
    if (g == arrival_generation_)
      arrive();
  });
}

void RequestLoad::set_multiplier(double m)
{
  // Poisson arrivals are memoryless: redrawing from now at the new rate is exact.
  profile_.set_multiplier(m);
  ++arrival_generation_;
  if (started_)
    schedule_next_arrival(clock_->now());
}

void RequestLoad::arrive()
{
  const double now = clock_->now();
  schedule_next_arrival(now);
  uint32_t idx;
  if (!free_.empty()) {
    idx = free_.back();
    free_.pop_back();
  } else {
    idx = static_cast<uint32_t>(reqs_.size());
    reqs_.emplace_back();
  }
  Req& r = reqs_[idx];
  ++r.gen;
  r.active = true;
  r.cls = static_cast<uint32_t>(mix_rng_.pick(class_cumulative_.data(), class_cumulative_.size()));
  r.seg = 0;
  r.phase = 0;
  r.slot = -1;
  r.arrival_t = now;
  r.deadline_t = now + scenario_.workload.client_timeout_s;
  ++totals_.arrivals;
  ++*c_arrived_[r.cls];
  ts_arrivals_->add(now, 1.0);
  in_system_->add(now, 1.0);
  by_deadline_.emplace_back(idx, r.gen);
  arm_deadline();
  run_segment(idx);
}

void RequestLoad::run_segment(uint32_t idx)
{
  Req& r = reqs_[idx];
  const Segment& s = plans_[r.cls][r.seg];
  if (s.delay_s <= 0) {
    visit(idx);
    return;
  }
  r.phase = 0;
  const uint64_t tag = tag_of(idx);
  clock_->at(clock_->now() + s.delay_s, [this, tag]() {
    uint32_t i;
    if (live(tag, i))
      visit(i);
  });
}

double RequestLoad::draw_cpu(const Segment& s)
{
  switch (s.dist) {
    case Dist::Exponential: return cpu_rng_.exponential(s.cpu_s);
    case Dist::Lognormal: return cpu_rng_.lognormal(s.cpu_s, s.cv);
    case Dist::Constant: break;
  }
  return s.cpu_s;
}

// The Deployment's target group picks a pod; the request's CPU runs on it.
void RequestLoad::visit(uint32_t idx)
{
  Req& r = reqs_[idx];
  const Segment& s = plans_[r.cls][r.seg];
  if (s.deployment < 0) {
    complete(idx);
    return;
  }
  const auto d = static_cast<size_t>(s.deployment);
  visits_[d] += 1;
  auto& tg = *groups_[d];
  alb::Target* t = random_routing_ ? pick_random(tg) : tg.pick();
  if (!t) {
    ts_503_->add(clock_->now(), 1.0);
    fail(idx, Failure::ServerError);  // no target registered: HTTP 503
    return;
  }
  Pod& p = *slots_.at(static_cast<size_t>(t->slot));
  if (!p.cpu || !p.running || p.unreachable) {
    fail(idx, Failure::ServerError);  // its node died (502/504 for the client)
    return;
  }
  tg.request_started(*t);
  r.slot = t->slot;
  r.work = draw_cpu(s);
  if (p.limit > 0 && p.in_service >= p.limit) {
    r.phase = 3;  // every worker busy: wait in the pod's queue
    p.waiting.emplace_back(idx, r.gen);
    p.waiting_work += r.work;
    return;
  }
  start_cpu(p, idx);
}

void RequestLoad::start_cpu(Pod& p, uint32_t idx)
{
  Req& r = reqs_[idx];
  r.phase = 1;
  ++p.in_service;
  r.job = p.cpu->add(r.work, tag_of(idx));
}

// A worker came free: the oldest waiting request still in flight takes it.
void RequestLoad::serve_waiting(Pod& p)
{
  while (!p.waiting.empty() && (p.limit == 0 || p.in_service < p.limit)) {
    const auto [idx, gen] = p.waiting.front();
    p.waiting.pop_front();
    Req& r = reqs_[idx];
    if (!r.active || r.gen != gen || r.phase != 3)
      continue;
    p.waiting_work -= r.work;
    start_cpu(p, idx);
  }
  if (p.waiting.empty())
    p.waiting_work = 0;  // no drift
}

// The pod's node died or the pod is gone: every request on it or waiting for it fails.
void RequestLoad::drop_pod_requests(Pod& p)
{
  std::vector<uint32_t> lost;
  for (uint64_t tag : p.cpu->clear()) {
    uint32_t idx;
    if (live(tag, idx))
      lost.push_back(idx);
  }
  for (const auto& [idx, gen] : p.waiting)
    if (reqs_[idx].active && reqs_[idx].gen == gen && reqs_[idx].phase == 3)
      lost.push_back(idx);
  p.waiting.clear();
  p.waiting_work = 0;
  p.in_service = 0;
  for (uint32_t idx : lost) {
    reqs_[idx].phase = 0;
    end_target(reqs_[idx]);
    fail(idx, Failure::ServerError);
  }
}

// Weighted random: a healthy target drawn with probability proportional to its slow-start weight
// (fail open: every registered target not draining when none is healthy), so each pod receives a
// Poisson share of a Poisson stream.
alb::Target* RequestLoad::pick_random(alb::TargetGroup& tg)
{
  std::vector<const alb::Target*> pool;
  for (const auto& t : tg.targets())
    if (t.state == alb::TargetState::healthy)
      pool.push_back(&t);
  if (pool.empty())
    for (const auto& t : tg.targets())
      if (t.state != alb::TargetState::draining)
        pool.push_back(&t);
  if (pool.empty())
    return nullptr;
  double total = 0;
  for (const auto* t : pool)
    total += std::max(tg.weight(*t), 1e-3);
  double u = route_rng_.uniform01() * total;
  for (const auto* t : pool) {
    u -= std::max(tg.weight(*t), 1e-3);
    if (u < 0)
      return tg.find(t->id);
  }
  return tg.find(pool.back()->id);
}

void RequestLoad::end_target(Req& r)
{
  if (r.slot < 0)
    return;
  const Pod& p = *slots_[static_cast<size_t>(r.slot)];
  if (alb::Target* t = groups_[p.deployment]->find(p.ip))
    groups_[p.deployment]->request_ended(*t);
  r.slot = -1;
}

void RequestLoad::cpu_done(uint32_t idx)
{
  Req& r = reqs_[idx];
  const int d = plans_[r.cls][r.seg].deployment;
  Pod& p = *slots_[static_cast<size_t>(r.slot)];
  --p.in_service;
  end_target(r);
  serve_waiting(p);
  const int v = dep_efs_[static_cast<size_t>(d)];
  const double kb = spec_.deployments[static_cast<size_t>(d)].efs_kb_per_request;
  if (v >= 0 && kb > 0) {
    r.phase = 2;
    r.job = efs_[static_cast<size_t>(v)]->add(kb / 1024, tag_of(idx));
    return;
  }
  efs_done(idx);
}

void RequestLoad::efs_done(uint32_t idx)
{
  Req& r = reqs_[idx];
  r.phase = 0;
  ++r.seg;
  run_segment(idx);
}

void RequestLoad::complete(uint32_t idx)
{
  Req& r = reqs_[idx];
  const double now = clock_->now();
  const double latency = now - r.arrival_t;
  ++*c_completed_[r.cls];
  c_latency_[r.cls]->record(latency);
  all_latency_->record(latency);
  if (now >= minute_start_ + 60.0)
    flush_minute(now);
  minute_latency_.record(latency);
  ts_completed_->add(now, 1.0);
  ++totals_.completed;
  leave(idx);
}

void RequestLoad::fail(uint32_t idx, Failure why)
{
  Req& r = reqs_[idx];
  const double now = clock_->now();
  // Whatever the request was doing is abandoned.
  if ((r.phase == 1 || r.phase == 3) && r.slot >= 0) {
    Pod& p = *slots_[static_cast<size_t>(r.slot)];
    const bool was_serving = r.phase == 1;
    if (was_serving && p.cpu && p.cpu->cancel(r.job))
      --p.in_service;
    if (!was_serving)
      p.waiting_work -= r.work;  // its queue entry is skipped when reached
    end_target(r);
    r.phase = 0;
    if (was_serving && p.cpu)
      serve_waiting(p);
  } else if (r.phase == 2) {
    const int v = dep_efs_[static_cast<size_t>(plans_[r.cls][r.seg].deployment)];
    efs_[static_cast<size_t>(v)]->cancel(r.job);
  }
  if (why == Failure::Timeout) {
    ++*c_timeouts_[r.cls];
    ++totals_.timeouts;
  } else {
    ++*c_errors_[r.cls];
    ++totals_.server_errors;
  }
  ++totals_.failed;
  ts_errors_->add(now, 1.0);
  leave(idx);
}

void RequestLoad::leave(uint32_t idx)
{
  Req& r = reqs_[idx];
  const double now = clock_->now();
  totals_.sojourn_sum_s += now - r.arrival_t;
  in_system_->add(now, -1.0);
  r.active = false;
  r.phase = 0;
  r.slot = -1;
  free_.push_back(idx);
}

// Clients give up at their timeout: deadlines come in arrival order, so one timer at the oldest
// request still in flight is enough.
void RequestLoad::arm_deadline()
{
  if (deadline_armed_)
    return;
  while (!by_deadline_.empty()) {
    const auto [idx, gen] = by_deadline_.front();
    if (reqs_[idx].active && reqs_[idx].gen == gen)
      break;
    by_deadline_.pop_front();
  }
  if (by_deadline_.empty())
    return;
  deadline_armed_ = true;
  const auto [idx, gen] = by_deadline_.front();
  (void)gen;
  clock_->at(reqs_[idx].deadline_t, [this]() { on_deadline(); });
}

void RequestLoad::on_deadline()
{
  deadline_armed_ = false;
  const double now = clock_->now();
  while (!by_deadline_.empty()) {
    const auto [idx, gen] = by_deadline_.front();
    Req& r = reqs_[idx];
    if (r.active && r.gen == gen) {
      if (r.deadline_t > now)
        break;
      by_deadline_.pop_front();
      fail(idx, Failure::Timeout);
      continue;
    }
    by_deadline_.pop_front();
  }
  arm_deadline();
}

void RequestLoad::flush_minute(double t)
{
  if (minute_latency_.count() > 0) {
    ts_p50_->add(minute_start_, minute_latency_.percentile(50) * 1000.0);
    ts_p95_->add(minute_start_, minute_latency_.percentile(95) * 1000.0);
    ts_p99_->add(minute_start_, minute_latency_.percentile(99) * 1000.0);
    minute_latency_.reset();
  }
  minute_start_ = std::floor(t / 60.0) * 60.0;
}

void RequestLoad::finish(double t_end)
{
  flush_minute(t_end);
  for (const auto& r : reqs_) {
    if (!r.active)
      continue;
    ++totals_.in_flight;
    totals_.sojourn_sum_s += t_end - r.arrival_t;
  }
  in_system_->add(t_end, 0.0);
}

}  // namespace migsim::models::eks
