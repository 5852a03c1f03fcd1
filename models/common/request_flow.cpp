#include "models/common/request_flow.hpp"

#include "sim/event_log.hpp"
#include "sim/horizon.hpp"

#include <simgrid/s4u.hpp>

#include <cmath>
#include <stdexcept>

namespace sg4 = simgrid::s4u;

namespace migsim::models {

namespace {
constexpr double kRefFlops = 1e9;  // stage CPU demands are in ms at 1 Gflop/s
constexpr double kKB = 1000.0;

// One-way latency of the route between two hosts (0 for the same host).
double route_latency(sg4::Host* from, sg4::Host* to)
{
  if (from == to)
    return 0.0;
  std::vector<sg4::Link*> links;
  double latency = 0.0;
  from->route_to(to, links, &latency);
  return latency;
}
}  // namespace

void Request::on_activity_end(bool ok) { flow->advance(this, ok); }

RequestFlow::RequestFlow(const sim::Scenario& scenario, sim::Platform& platform, sim::Registry& metrics)
    : scenario_(scenario),
      platform_(platform),
      engine_(sim::Engine::instance()),
      metrics_(metrics),
      profile_(scenario.workload),
      arrivals_(profile_, sim::RandomStream(scenario.seed, "workload.arrivals")),
      mix_rng_(scenario.seed, "workload.mix")
{
  const auto& spec = scenario.platform;
  for (size_t i = 0; i < spec.servers.size(); ++i) {
    const auto& s = spec.servers[i];
    servers_.push_back({s.name, s.cores, 0, true, &metrics.time_weighted("server_busy_cores{server=" + s.name + "}")});
  }
  for (const auto& svc : spec.services) {
    int idx = 0;
    for (size_t i = 0; i < spec.servers.size(); ++i)
      if (spec.servers[i].name == svc.server)
        idx = static_cast<int>(i);
    stations_.push_back(std::make_unique<Station>(svc, idx, platform.host(svc.server),
                                                  platform.disk_reader(svc.server), platform.disk_writer(svc.server),
                                                  sim::RandomStream(scenario.seed, "service." + svc.name)));
  }
  double cumulative = 0.0;
  for (const auto& c : scenario.workload.classes) {
    cumulative += c.weight;
    class_cumulative_.push_back(cumulative);
    const std::string l = "{class=" + c.name + "}";
    class_metrics_.push_back({&metrics.counter("requests_arrived" + l), &metrics.counter("requests_completed" + l),
                              &metrics.counter("requests_rejected" + l), &metrics.counter("requests_timed_out" + l),
                              &metrics.counter("requests_server_error" + l), &metrics.histogram("latency_s" + l)});
  }
  ts_maintenance_ = &metrics.series("writes_refused");
  add_site("primary", {});
  all_latency_ = &metrics.histogram("latency_s");
  ts_arrivals_ = &metrics.series("arrivals");
  ts_completed_ = &metrics.series("completed");
  ts_errors_ = &metrics.series("errors");
  ts_p50_ = &metrics.series("latency_p50_ms", sim::TimeSeries::Kind::Last);
  ts_p95_ = &metrics.series("latency_p95_ms", sim::TimeSeries::Kind::Last);
  ts_p99_ = &metrics.series("latency_p99_ms", sim::TimeSeries::Kind::Last);
  ts_transactions_ = &metrics.series("transactions_committed");
  in_system_ = &metrics.time_weighted("requests_in_system");
  transactions_committed_ = &metrics.counter("transactions_committed");
  rows_committed_ = &metrics.counter("rows_committed");
}

RequestFlow::ClassPlan RequestFlow::build_plan(const sim::RequestClassSpec& c,
                                               const std::map<std::string, std::string>& services)
{
  auto station_of = [&](const std::string& logical) -> Station* {
    auto it = services.find(logical);
    const std::string& name = it == services.end() ? logical : it->second;
    for (auto& st : stations_)
      if (st->spec().name == name)
        return st.get();
    throw std::invalid_argument("unknown service " + name);
  };
  auto* clients = platform_.clients(scenario_.workload.client_zone);
  ClassPlan plan{&c, {}, {}, {}, {}, 0.0, {}, {}, false};
  sg4::Host* prev = clients;
  for (const auto& st : c.stages) {
    Station* s = station_of(st.service);
    plan.stations.push_back(s);
    plan.on_target.push_back(st.on_target);
    plan.has_target |= st.on_target;
    plan.cpu_dist.push_back(st.cpu_dist == "exponential" ? CpuDist::Exponential
                            : st.cpu_dist == "lognormal" ? CpuDist::Lognormal
                                                         : CpuDist::Constant);
    plan.hop_latency_s.push_back(route_latency(prev, s->host()));
    plan.hop_links.push_back(sim::route_links(prev, s->host()));
    prev = s->host();
  }
  plan.response_latency_s = route_latency(plan.stations.front()->host(), clients);
  plan.response_links = sim::route_links(plan.stations.front()->host(), clients);
  return plan;
}

int RequestFlow::add_site(const std::string& name, const std::map<std::string, std::string>& services)
{
  std::vector<ClassPlan> plans;
  for (const auto& c : scenario_.workload.classes)
    plans.push_back(build_plan(c, services));
  site_plans_.push_back(std::move(plans));
  site_names_.push_back(name);
  writes_blocked_.push_back(false);
  writes_in_flight_.push_back(0);
  ts_site_arrivals_.push_back(&metrics_.series("arrivals{site=" + name + "}"));
  const std::string l = "{site=" + name + "}";
  site_metrics_.push_back({&metrics_.counter("site_requests_completed" + l), &metrics_.counter("site_requests_failed" + l),
                           &metrics_.histogram("site_latency_s" + l)});
  return static_cast<int>(site_plans_.size() - 1);
}

void RequestFlow::set_writes_blocked(int site, bool blocked)
{
  writes_blocked_.at(static_cast<size_t>(site)) = blocked;
  sim::EventLog::instance().record(engine_.now(), "app", std::string("writes ") + (blocked ? "stopped" : "resumed") +
                                                            " at " + site_names_.at(static_cast<size_t>(site)));
}

RequestFlow::~RequestFlow()
{
  // Activities still running at the end of the run stay with SimGrid (which is never torn down):
  // destroying a started communication from outside an actor aborts in SimGrid 3.32.
  for (auto& r : pool_storage_)
    if (r->current_activity)
      r->current_activity.detach();
}

Request* RequestFlow::allocate()
{
  if (!free_list_) {
    pool_storage_.push_back(std::make_unique<Request>());
    pool_storage_.back()->flow = this;
    return pool_storage_.back().get();
  }
  Request* r = free_list_;
  free_list_ = r->next_in_queue;
  r->next_in_queue = nullptr;
  return r;
}

void RequestFlow::start() { schedule_next_arrival(0.0); }

void RequestFlow::schedule_next_arrival(double after)
{
  const double t = arrivals_.next(after, sim::horizon_s(scenario_));
  if (t >= sim::horizon_s(scenario_))
    return;
  engine_.at(t, [this, g = arrival_generation_]() {
    if (g == arrival_generation_)
      arrive();
  });
}

void RequestFlow::set_multiplier(double m)
{
  // Poisson arrivals are memoryless, so redrawing from now at the new rate is exact.
  profile_.set_multiplier(m);
  ++arrival_generation_;
  schedule_next_arrival(engine_.now());
}

// Stage 1: a request arrives from the clients' zone and picks its class.
void RequestFlow::arrive()
{
  const double now = engine_.now();
  schedule_next_arrival(now);
  Request* r = allocate();
  r->in_use = true;
  r->cls = static_cast<uint32_t>(mix_rng_.pick(class_cumulative_.data(), class_cumulative_.size()));
  const EdgeVerdict edge = at_edge ? at_edge(now, r->cls) : EdgeVerdict{};
  if (edge.kind == EdgeVerdict::Kind::Blocked) {
    ++totals_.edge_blocked;
    r->in_use = false;
    r->next_in_queue = free_list_;
    free_list_ = r;
    return;
  }
  r->arrival_t = now;
  r->deadline_t = now + scenario_.workload.client_timeout_s;
  r->site = static_cast<uint8_t>(choose_site ? choose_site(now) : 0);
  r->stage = 0;
  r->held = 0;
  r->committed = false;
  ++totals_.arrivals;
  ++*class_metrics_[r->cls].arrivals;
  ts_arrivals_->add(now, 1.0);
  ts_site_arrivals_[r->site]->add(now, 1.0);
  in_system_->add(now, 1.0);
  if (edge.kind == EdgeVerdict::Kind::Answered) {
    engine_.at(now + edge.latency_s, [this, r]() { complete(r); });
    return;
  }
  if (writes_blocked_[r->site] && plan_of(r).spec->is_write) {
    // Maintenance page for writes while the cutover has writes stopped.
    ++totals_.maintenance;
    ts_maintenance_->add(now, 1.0);
    fail(r, Failure::Rejected);
    return;
  }
  r->target = nullptr;
  if (plan_of(r).has_target) {
    // A load balancer picks the station of the stages marked on_target (no target: HTTP 503).
    r->target = pick_target ? pick_target(*r) : nullptr;
    if (!r->target) {
      fail(r, Failure::ServerError);
      return;
    }
  }
  if (plan_of(r).spec->is_write) {
    ++writes_in_flight_[r->site];
    r->counted_write = true;
  }
  enter_stage(r);
}

// Stage 2: the request travels to the next stage's server (skipped when nothing to carry).
void RequestFlow::enter_stage(Request* r)
{
  const auto& plan = plan_of(r);
  Station* st = station_at(r, r->stage);
  const double bytes = plan.spec->stages[r->stage].request_kb * kKB;
  if (bytes <= 0.0 && plan.hop_latency_s[r->stage] <= 0.0) {
    begin_work(r);
    return;
  }
  sg4::Host* from = r->stage == 0 ? platform_.clients(scenario_.workload.client_zone) : station_at(r, r->stage - 1u)->host();
  if (from == st->host()) {
    begin_work(r);
    return;
  }
  if (!from->is_on() || !st->host()->is_on() ||
      (!plan.on_target[r->stage] && (r->stage == 0 || !plan.on_target[r->stage - 1u]) && !sim::route_up(plan.hop_links[r->stage]))) {
    fail(r, Failure::ServerError);  // connection refused
    return;
  }
  r->phase = Phase::Hop;
  engine_.start(sg4::Comm::sendto_init(from, st->host())->set_payload_size(static_cast<uint64_t>(bytes)), r);
}

// Stage 3: take a worker of the stage's service, or wait in its queue.
void RequestFlow::begin_work(Request* r)
{
  Station* st = station_at(r, r->stage);
  if (!servers_[static_cast<size_t>(st->server_index())].up) {
    fail(r, Failure::ServerError);
    return;
  }
  if (st->try_acquire()) {
    st->record_wait(0.0);
    r->held = static_cast<uint16_t>(r->stage + 1);
    start_cpu(r);
    return;
  }
  if (!st->has_room()) {
    fail(r, Failure::Rejected);
    return;
  }
  r->phase = Phase::Waiting;
  r->enqueued_t = engine_.now();
  st->push(r);
}

// Stage 4: CPU on the server, shared with everything else running there.
void RequestFlow::start_cpu(Request* r)
{
  const auto& stage = plan_of(r).spec->stages[r->stage];
  Station* st = station_at(r, r->stage);
  double ms = stage.cpu_ms;
  switch (plan_of(r).cpu_dist[r->stage]) {
    case CpuDist::Exponential: ms = st->rng().exponential(stage.cpu_ms); break;
    case CpuDist::Lognormal: ms = st->rng().lognormal(stage.cpu_ms, stage.cpu_cv); break;
    case CpuDist::Constant: break;
  }
  if (ms <= 0.0) {
    after_cpu(r);
    return;
  }
  r->phase = Phase::Cpu;
  cpu_started(st->server_index());
  engine_.start(sg4::Exec::init()->set_flops_amount(ms / 1000.0 * kRefFlops)->set_host(st->host()), r);
}

void RequestFlow::after_cpu(Request* r)
{
  const auto& stage = plan_of(r).spec->stages[r->stage];
  if (stage.disk_read_kb > 0.0)
    start_disk(r, false);
  else if (stage.disk_write_kb > 0.0)
    start_disk(r, true);
  else
    next_stage(r);
}

// Stage 5: disk reads, then writes (redo log, binlog), on the server's disk.
void RequestFlow::start_disk(Request* r, bool write)
{
  const auto& stage = plan_of(r).spec->stages[r->stage];
  Station* st = station_at(r, r->stage);
  r->phase = write ? Phase::DiskWrite : Phase::DiskRead;
  const double bytes = (write ? stage.disk_write_kb : stage.disk_read_kb) * kKB;
  if (write && on_disk_write)
    on_disk_write(st->server_index(), bytes);
  engine_.start(sg4::Exec::init()->set_flops_amount(bytes)->set_host(write ? st->disk_writer() : st->disk_reader()), r);
}

void RequestFlow::next_stage(Request* r)
{
  const auto& plan = plan_of(r);
  // A write class commits on its database stage.
  if (plan.spec->is_write && !r->committed && station_at(r, r->stage)->spec().kind == "database") {
    r->committed = true;
    const double now = engine_.now();
    ++*transactions_committed_;
    *rows_committed_ += static_cast<uint64_t>(plan.spec->rows_written);
    ts_transactions_->add(now, 1.0);
    if (on_commit)
      on_commit(now, *plan.spec, plan.spec->rows_written, r->site);
  }
  if (r->stage + 1u < plan.stations.size()) {
    ++r->stage;
    enter_stage(r);
    return;
  }
  respond(r);
}

// Stage 6: the downstream workers are free again; the first tier sends the response.
void RequestFlow::respond(Request* r)
{
  release_workers(r, 1);
  const auto& plan = plan_of(r);
  const double bytes = plan.spec->response_kb * kKB;
  if (bytes <= 0.0 && plan.response_latency_s <= 0.0) {
    complete(r);
    return;
  }
  if (!station_at(r, 0)->host()->is_on() || (!plan.on_target[0] && !sim::route_up(plan.response_links))) {
    fail(r, Failure::ServerError);  // the first tier died before it could answer
    return;
  }
  r->phase = Phase::Response;
  engine_.start(sg4::Comm::sendto_init(station_at(r, 0)->host(), platform_.clients(scenario_.workload.client_zone))
                    ->set_payload_size(static_cast<uint64_t>(bytes)),
                r);
}

void RequestFlow::advance(Request* r, bool ok)
{
  const Phase phase = r->phase;
  if (phase == Phase::Cpu)
    cpu_ended(station_at(r, r->stage)->server_index());
  // Disks are hosts of their own: an I/O ending on a server that went down meanwhile failed with it
  // (a write never reached durable storage: the transaction does not commit).
  if (ok && (phase == Phase::DiskRead || phase == Phase::DiskWrite) &&
      !servers_[static_cast<size_t>(station_at(r, r->stage)->server_index())].up)
    ok = false;
  if (!ok) {
    fail(r, Failure::ServerError);
    return;
  }
  switch (phase) {
    case Phase::Hop: begin_work(r); break;
    case Phase::Cpu: after_cpu(r); break;
    case Phase::DiskRead:
      if (plan_of(r).spec->stages[r->stage].disk_write_kb > 0.0)
        start_disk(r, true);
      else
        next_stage(r);
      break;
    case Phase::DiskWrite: next_stage(r); break;
    case Phase::Response: complete(r); break;
    case Phase::Waiting: break;
  }
}

void RequestFlow::complete(Request* r)
{
  const double now = engine_.now();
  if (now > r->deadline_t) {
    // The server finished, but the client had given up at its deadline.
    fail(r, Failure::Timeout);
    return;
  }
  const double latency = now - r->arrival_t;
  auto& cm = class_metrics_[r->cls];
  ++*cm.completed;
  cm.latency->record(latency);
  all_latency_->record(latency);
  ++*site_metrics_[r->site].completed;
  site_metrics_[r->site].latency->record(latency);
  if (now >= minute_start_ + 60.0)
    flush_minute(now);
  minute_latency_.record(latency);
  ts_completed_->add(now, 1.0);
  ++totals_.completed;
  release_workers(r, 0);
  leave(r);
}

void RequestFlow::fail(Request* r, Failure why)
{
  const double now = engine_.now();
  // A client that waited past its deadline saw a timeout, whatever happened after.
  if (now > r->deadline_t)
    why = Failure::Timeout;
  auto& cm = class_metrics_[r->cls];
  switch (why) {
    case Failure::Rejected: ++*cm.rejected; ++totals_.rejected; break;
    case Failure::Timeout: ++*cm.timeouts; ++totals_.timeouts; break;
    case Failure::ServerError: ++*cm.server_errors; ++totals_.server_errors; break;
  }
  ++totals_.failed;
  ++*site_metrics_[r->site].failed;
  ts_errors_->add(why == Failure::Timeout ? r->deadline_t : now, 1.0);
  release_workers(r, 0);
  leave(r);
}

void RequestFlow::leave(Request* r)
{
  const double now = engine_.now();
  if (on_leave)
    on_leave(*r);
  if (r->counted_write) {
    --writes_in_flight_[r->site];
    r->counted_write = false;
  }
  totals_.sojourn_sum_s += now - r->arrival_t;
  in_system_->add(now, -1.0);
  r->in_use = false;
  r->next_in_queue = free_list_;
  free_list_ = r;
}

void RequestFlow::release_workers(Request* r, uint16_t keep)
{
  while (r->held > keep) {
    --r->held;
    Station* st = station_at(r, r->held);
    st->release();
    serve_queue(st);
  }
}

// A worker came free: hand it to the oldest waiting request still worth serving.
void RequestFlow::serve_queue(Station* st)
{
  const double now = engine_.now();
  while (st->can_serve_queue()) {
    Request* next = st->pop();
    const double timeout = st->spec().queue_timeout_s;
    if ((timeout > 0.0 && now - next->enqueued_t > timeout) || !servers_[static_cast<size_t>(st->server_index())].up) {
      fail(next, Failure::ServerError);  // gateway timeout / connection reset
      continue;
    }
    st->try_acquire();
    st->record_wait(now - next->enqueued_t);
    next->held = static_cast<uint16_t>(next->stage + 1);
    start_cpu(next);
  }
}

void RequestFlow::cpu_started(int server_index)
{
  auto& s = servers_[static_cast<size_t>(server_index)];
  ++s.running;
  if (s.running <= s.cores)
    s.busy_cores->set(engine_.now(), s.running);
}

void RequestFlow::cpu_ended(int server_index)
{
  auto& s = servers_[static_cast<size_t>(server_index)];
  --s.running;
  if (s.running < s.cores)
    s.busy_cores->set(engine_.now(), s.running);
}

void RequestFlow::flush_minute(double t)
{
  if (minute_latency_.count() > 0) {
    ts_p50_->add(minute_start_, minute_latency_.percentile(50) * 1000.0);
    ts_p95_->add(minute_start_, minute_latency_.percentile(95) * 1000.0);
    ts_p99_->add(minute_start_, minute_latency_.percentile(99) * 1000.0);
    minute_latency_.reset();
  }
  minute_start_ = std::floor(t / 60.0) * 60.0;
}

void RequestFlow::server_down(const std::string& server)
{
  for (auto& s : servers_) {
    if (s.name != server || !s.up)
      continue;
    s.up = false;
    sim::EventLog::instance().record(engine_.now(), "onprem", "server " + server + " down");
    // Waiting requests are refused at once; running activities fail with the host.
    for (auto& st : stations_) {
      if (st->host() != platform_.host(server))
        continue;
      while (Request* r = st->pop())
        fail(r, Failure::ServerError);
    }
    platform_.host(server)->turn_off();
    engine_.topology_changed();
  }
}

void RequestFlow::server_up(const std::string& server)
{
  for (auto& s : servers_) {
    if (s.name != server || s.up)
      continue;
    s.up = true;
    platform_.host(server)->turn_on();
    sim::EventLog::instance().record(engine_.now(), "onprem", "server " + server + " up");
  }
}

void RequestFlow::set_workers(const std::string& service, int workers)
{
  for (auto& st : stations_) {
    if (st->spec().name != service)
      continue;
    st->set_workers(workers);
    sim::EventLog::instance().record(engine_.now(), "onprem",
                                     "service " + service + " workers set to " + std::to_string(workers));
    serve_queue(st.get());
  }
}

void RequestFlow::finish(double t_end)
{
  flush_minute(t_end);
  for (const auto& r : pool_storage_) {
    if (!r->in_use)
      continue;
    ++totals_.in_flight;
    totals_.sojourn_sum_s += t_end - r->arrival_t;
    if (r->deadline_t < t_end)
      ++totals_.in_flight_past_deadline;
  }
  in_system_->add(t_end, 0.0);
  for (auto& s : servers_)
    s.busy_cores->add(t_end, 0.0);
}

}  // namespace migsim::models
