#include "models/aws/api_estate.hpp"

#include "sim/engine.hpp"
#include "sim/event_log.hpp"
#include "sim/horizon.hpp"
#include "sim/json_reader.hpp"

#include <simgrid/s4u/Host.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace migsim::models::aws {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Simulated time from the engine (as the scenario-declared estate's clock).
class EngineClock final : public Clock {
public:
  double now() const override { return sim::Engine::instance().now(); }
  void at(double t_s, std::function<void()> fn) override { sim::Engine::instance().at(std::max(t_s, now()), std::move(fn)); }
};

}  // namespace

// A host reserved for the API's instances of one service and type in one AZ.
struct ApiEstate::Slot {
  std::string server, service, type_name, az;
  const ec2::InstanceType* type = nullptr;
  const ApiServiceSpec* svc = nullptr;
  Station* station = nullptr;
  sim::TimeWeighted* busy = nullptr;  // busy cores
  std::string instance;               // "" when free
  bool down = false;                  // host off (an instance terminated on it)
  std::unique_ptr<ec2::CpuCredits> credits;
  double last_t = 0, last_area = 0, minute_vcpu_s = 0;
  sim::TimeSeries *ts_cpu = nullptr, *ts_credits = nullptr;
};

// A target group of the API's load balancer and what CloudWatch counts of it each minute.
struct ApiEstate::Group {
  std::string name;
  std::unique_ptr<alb::TargetGroup> tg;
  bool removed = false;
  uint64_t minute_requests = 0, minute_answered = 0, minute_5xx = 0;
  double minute_latency_sum = 0;
  sim::TimeSeries *ts_requests, *ts_response_ms, *ts_5xx, *ts_healthy;
};

ApiEstate::ApiEstate(const sim::Scenario& scenario, RequestFlow& flow, sim::Registry& metrics)
    : scenario_(scenario),
      spec_(parse_aws(scenario)),
      flow_(flow),
      metrics_(metrics),
      clock_(std::make_unique<EngineClock>())
{
  std::map<std::string, Station*> station_of;
  for (const auto& st : flow.stations())
    station_of[st->spec().name] = st.get();
  const auto& catalog = ec2::default_instance_catalog();
  for (const auto& svc : spec_.from_api.services)
    for (const auto& type : spec_.from_api.instance_types)
      for (const auto& az : spec_.azs)
        for (int k = 0; k < spec_.from_api.hosts_per_az; ++k) {
          auto s = std::make_unique<Slot>();
          s->server = api_host_name(svc.name, type, az, k);
          s->service = svc.name;
          s->type_name = type;
          s->type = &catalog.at(type);
          s->svc = &svc;
          s->az = az;
          s->station = station_of.at(s->server);
          s->busy = &metrics.time_weighted("server_busy_cores{server=" + s->server + "}");
          slots_.push_back(std::move(s));
        }
  // Each class visits one API-hosted service: the host the load balancer picks must run it.
  for (const auto& c : scenario.workload.classes) {
    std::string service;
    for (const auto& st : c.stages)
      if (st.on_target)
        for (const auto& s : slots_)
          if (s->server == st.service)
            service = s->service;
    class_service_.push_back(service);
  }
  ts_503_ = &metrics.series("alb_http_503");
  flow.pick_target = [this](Request& r) { return pick(r); };
  flow.on_leave = [this](Request& r) { left(r); };
}

ApiEstate::~ApiEstate() = default;

void ApiEstate::log(const std::string& msg) const
{
  sim::EventLog::instance().record(sim::Engine::instance().now(), "aws-api", msg);
}

void ApiEstate::start()
{
  set_database(false, "no RDS instance tagged migsim:service for it yet");
  clock_->at(60.0, [this]() { minute_loop(); });
}

// --- Instances on hosts --------------------------------------------------------------------------

ApiEstate::Slot* ApiEstate::slot_of(const std::string& id)
{
  auto it = slot_by_instance_.find(id);
  return it == slot_by_instance_.end() ? nullptr : slots_[it->second].get();
}

std::string ApiEstate::start_instance(const std::string& id, const std::string& service, const std::string& type,
                                      const std::string& az)
{
  if (Slot* s = slot_of(id))
    return s->server;
  if (!spec_.from_api.service(service)) {
    note_unbound(id, "its migsim:service \"" + service + "\" is not in aws.from_api.services");
    return "";
  }
  for (size_t i = 0; i < slots_.size(); ++i) {
    Slot& s = *slots_[i];
    if (!s.instance.empty() || s.service != service || s.type_name != type || s.az != az)
      continue;
    const double now = clock_->now();
    if (s.down) {
      flow_.server_up(s.server);
      s.down = false;
    }
    s.instance = id;
    s.last_t = now;
    s.last_area = s.busy->area(now);
    s.minute_vcpu_s = 0;
    // AWS's default for t3/t3a launched through the API is unlimited mode, starting at 0 credits.
    if (s.type->burstable())
      s.credits = std::make_unique<ec2::CpuCredits>(*s.type, ec2::CreditMode::unlimited, 0.0);
    s.ts_cpu = &metrics_.series("ec2_cpu_utilization_pct{instance=" + id + "}", sim::TimeSeries::Kind::Last);
    s.ts_credits = s.credits ? &metrics_.series("ec2_cpu_credit_balance{instance=" + id + "}", sim::TimeSeries::Kind::Last)
                             : nullptr;
    slot_by_instance_[id] = i;
    log(id + " runs " + service + " on " + s.server);
    return s.server;
  }
  note_unbound(id, "no free host of " + service + " for " + type + " in " + az +
                       " (aws.from_api.hosts_per_az / instance_types)");
  return "";
}

void ApiEstate::stop_instance(const std::string& id)
{
  Slot* s = slot_of(id);
  if (!s)
    return;
  account(*s, clock_->now());
  if (s->station->host()->is_on())
    flow_.server_down(s->server);  // anything still on it fails; the host is off until reused
  s->down = true;
  s->instance.clear();
  s->credits.reset();
  slot_by_instance_.erase(id);
  log(id + " terminated: " + s->server + " is free");
}

void ApiEstate::note_unbound(const std::string& id, const std::string& why)
{
  if (said_unbound_.insert(id).second)
    log(id + " runs nothing: " + why);
}

std::string ApiEstate::host_of(const std::string& id) const
{
  auto it = slot_by_instance_.find(id);
  return it == slot_by_instance_.end() ? "" : slots_[it->second]->server;
}

double ApiEstate::cpu_pct(const std::string& id) const
{
  auto it = cpu_pct_.find(id);
  return it == cpu_pct_.end() ? kNaN : it->second;
}

// Brings an instance's CPU use and credit balance up to now.
void ApiEstate::account(Slot& s, double now)
{
  if (s.instance.empty() || now <= s.last_t)
    return;
  const double area = s.busy->area(now);
  const double used = area - s.last_area;
  if (s.credits)
    s.credits->advance(now - s.last_t, used);
  s.minute_vcpu_s += used;
  s.last_t = now;
  s.last_area = area;
}

// --- Target groups -------------------------------------------------------------------------------

alb::TargetGroup& ApiEstate::target_group(const std::string& key, const alb::TargetGroupSpec& spec)
{
  auto it = groups_.find(key);
  if (it != groups_.end()) {
    // Kept even when removed (its checks and requests in flight hold it): used again as it is.
    it->second->removed = false;
    auto& s = it->second->tg->mutable_spec();
    s.health = spec.health;
    s.deregistration_delay_s = spec.deregistration_delay_s;
    return *it->second->tg;
  }
  auto g = std::make_unique<Group>();
  g->name = spec.name;
  g->tg = std::make_unique<alb::TargetGroup>(spec, *clock_);
  const std::string l = "{target_group=" + spec.name + "}";
  g->ts_requests = &metrics_.series("alb_request_count" + l);
  g->ts_response_ms = &metrics_.series("alb_target_response_time_ms" + l, sim::TimeSeries::Kind::Last);
  g->ts_5xx = &metrics_.series("alb_target_5xx" + l);
  g->ts_healthy = &metrics_.series("alb_healthy_hosts" + l, sim::TimeSeries::Kind::Last);
  Group* self = g.get();
  // A check passes when the instance runs on an up host and its service answers the check's path
  // with 200; a full queue answers after the timeout.
  g->tg->probe = [this, self](const alb::Target& t) {
    if (t.slot < 0)
      return alb::ProbeResult{false, 0.0};
    const Slot& s = *slots_.at(static_cast<size_t>(t.slot));
    if (s.instance != t.id || s.down || !s.station->host()->is_on())
      return alb::ProbeResult{false, 0.0};
    const auto& hc = self->tg->spec().health;
    const auto& paths = s.svc->health_check_paths;
    if (std::find(paths.begin(), paths.end(), hc.path) == paths.end())
      return alb::ProbeResult{false, 0.0};  // answered 404: the matcher fails it like a timeout would
    const auto& svc = s.station->spec();
    if (svc.queue_limit > 0 && s.station->queue_length() >= static_cast<uint64_t>(svc.queue_limit))
      return alb::ProbeResult{true, hc.timeout_s + 1.0};
    return alb::ProbeResult{true, 0.002};
  };
  g->tg->on_state_change = [this, self](const alb::Target& t, alb::TargetState from) {
    log(self->name + ": target " + t.id + " " + alb::to_string(from) + " -> " + alb::to_string(t.state) +
        (t.reason.empty() ? "" : " (" + t.reason + ")"));
  };
  auto& made = *g->tg;
  groups_.emplace(key, std::move(g));
  return made;
}

alb::TargetGroup* ApiEstate::find_target_group(const std::string& key)
{
  auto it = groups_.find(key);
  return it == groups_.end() || it->second->removed ? nullptr : it->second->tg.get();
}

void ApiEstate::remove_target_group(const std::string& key)
{
  auto it = groups_.find(key);
  if (it == groups_.end() || it->second->removed)
    return;
  it->second->removed = true;
  std::vector<std::string> ids;
  for (const auto& t : it->second->tg->targets())
    ids.push_back(t.id);
  for (const auto& id : ids)
    it->second->tg->deregister_target(id);
}

std::vector<std::string> ApiEstate::target_group_keys() const
{
  std::vector<std::string> out;
  for (const auto& [k, g] : groups_)
    if (!g->removed)
      out.push_back(k);
  return out;
}

void ApiEstate::register_target(const std::string& key, const std::string& id)
{
  alb::TargetGroup* tg = find_target_group(key);
  if (!tg)
    return;
  auto it = slot_by_instance_.find(id);
  if (it == slot_by_instance_.end())
    tg->register_target(id, "", -1);
  else
    tg->register_target(id, slots_[it->second]->az, static_cast<int>(it->second));
}

// --- The database --------------------------------------------------------------------------------

void ApiEstate::set_database(bool up, const std::string& why)
{
  if (up == database_up_)
    return;
  database_up_ = up;
  if (up)
    flow_.server_up(spec_.database.name);
  else
    flow_.server_down(spec_.database.name);
  log("database host " + spec_.database.name + (up ? " up: " : " down: ") + why);
}

// --- Requests ------------------------------------------------------------------------------------

Station* ApiEstate::pick(Request& r)
{
  const double now = clock_->now();
  const std::string key = route ? route(scenario_.workload.classes[r.cls].path) : std::string();
  auto it = groups_.find(key);
  alb::Target* t = it == groups_.end() || it->second->removed ? nullptr : it->second->tg->pick();
  if (!t) {
    ++http_503_;
    ts_503_->add(now, 1.0);
    return nullptr;
  }
  Group& g = *it->second;
  ++g.minute_requests;
  const Slot* s = t->slot < 0 ? nullptr : slots_[static_cast<size_t>(t->slot)].get();
  if (!s || s->instance != t->id || s->service != class_service_[r.cls]) {
    ++g.minute_5xx;  // fail-open onto an instance that runs nothing, or one running another service
    return nullptr;
  }
  g.tg->request_started(*t);
  in_flight_[&r] = {&g, t->id};
  return s->station;
}

void ApiEstate::left(Request& r)
{
  const uint64_t failed = flow_.totals().failed;
  const bool ok = failed == failed_seen_;  // RequestFlow counts a failure just before the request leaves
  failed_seen_ = failed;
  auto it = in_flight_.find(&r);
  if (it == in_flight_.end())
    return;
  Group& g = *it->second.first;
  if (ok) {
    g.minute_latency_sum += clock_->now() - r.arrival_t;
    ++g.minute_answered;
  } else {
    ++g.minute_5xx;
  }
  if (alb::Target* t = g.tg->find(it->second.second))
    g.tg->request_ended(*t);
  in_flight_.erase(it);
}

// --- Once a minute: what CloudWatch shows ---------------------------------------------------------

void ApiEstate::minute_loop()
{
  const double now = clock_->now();
  const double minute_start = now - 60.0;
  for (auto& sp : slots_) {
    Slot& s = *sp;
    if (s.instance.empty())
      continue;
    account(s, now);
    const double cpu = s.minute_vcpu_s / (60.0 * s.type->vcpu) * 100.0;
    s.minute_vcpu_s = 0;
    cpu_pct_[s.instance] = cpu;
    s.ts_cpu->add(minute_start, cpu);
    if (s.ts_credits)
      s.ts_credits->add(minute_start, s.credits->balance());
  }
  for (auto& [key, gp] : groups_) {
    Group& g = *gp;
    g.ts_requests->add(minute_start, static_cast<double>(g.minute_requests));
    g.ts_response_ms->add(minute_start, g.minute_answered ? g.minute_latency_sum / g.minute_answered * 1000 : 0.0);
    g.ts_5xx->add(minute_start, static_cast<double>(g.minute_5xx));
    g.ts_healthy->add(minute_start, g.removed ? 0 : g.tg->healthy_count());
    g.minute_requests = g.minute_answered = g.minute_5xx = 0;
    g.minute_latency_sum = 0;
  }
  if (on_minute)
    on_minute(minute_start);
  if (now + 60.0 <= sim::horizon_s(scenario_))
    clock_->at(now + 60.0, [this]() { minute_loop(); });
}

}  // namespace migsim::models::aws
