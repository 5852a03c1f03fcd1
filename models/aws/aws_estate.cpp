#include "models/aws/aws_estate.hpp"

#include "models/cost/alb_lcu.hpp"

#include "sim/engine.hpp"
#include "sim/event_log.hpp"
#include "sim/json_reader.hpp"
#include "sim/horizon.hpp"

#include <simgrid/s4u/Host.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <cstdio>
#include <limits>

namespace migsim::models::aws {

namespace {

constexpr double kCreditTick_s = 10.0;  // credit accounting step (exhaustion is predicted within it)
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Simulated time from the engine.
class EngineClock final : public Clock {
public:
  double now() const override { return sim::Engine::instance().now(); }
  void at(double t_s, std::function<void()> fn) override { sim::Engine::instance().at(std::max(t_s, now()), std::move(fn)); }
};

double tidy(double v)
{
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return std::strtod(buf, nullptr);
}

}  // namespace

// One place an instance can run: a server of the expanded platform with its station.
struct AwsEstate::Slot {
  std::string server;
  std::string az;
  size_t tier = 0;
  Station* station = nullptr;
  sim::TimeWeighted* busy = nullptr;  // busy cores (CPU activities running, capped at the cores)
  bool in_use = false;
  bool failed = false;                // host down (instance failure, AZ loss)
  double failed_at = -1;
  std::string instance;
  std::unique_ptr<ec2::CpuCredits> credits;
  bool throttled = false;
  double last_t = 0, last_area = 0;
  double tick_t = 0, tick_area = 0;   // the previous credit tick (to predict the balance's end)
  double minute_vcpu_s = 0;           // CPU used since the last minute boundary
  uint64_t generation = 0;            // bumps when the slot changes hands
};

// A tier: its Auto Scaling group, its target group and its slots.
struct AwsEstate::Tier {
  const TierSpec* spec = nullptr;
  const ec2::InstanceType* type = nullptr;
  alb::TargetGroup* tg = nullptr;
  std::unique_ptr<asg::AutoScalingGroup> asg;
  std::vector<size_t> slots;
  std::map<std::string, std::function<void()>> pending_done;  // terminations waiting for the drain
  uint64_t minute_requests = 0, requests = 0;
  double minute_latency_sum = 0;
  uint64_t minute_answered = 0;
  int peak_in_service = 0;
  double throttled_s = 0;
  double min_credit_balance = std::numeric_limits<double>::infinity();
  sim::TimeSeries *ts_instances, *ts_desired, *ts_cpu, *ts_requests, *ts_response_ms, *ts_healthy, *ts_credits;
};

AwsEstate::AwsEstate(const sim::Scenario& scenario, sim::Platform& platform, RequestFlow& flow, sim::Registry& metrics)
    : scenario_(scenario),
      spec_(parse_aws(scenario)),
      platform_(platform),
      flow_(flow),
      metrics_(metrics),
      clock_(std::make_unique<EngineClock>())
{
  alb_ = std::make_unique<alb::LoadBalancer>(spec_.alb_name, spec_.azs, *clock_);
  const auto& catalog = ec2::default_instance_catalog();
  slot_of_server_.assign(scenario.platform.servers.size(), -1);
  std::map<std::string, Station*> station_of;
  for (const auto& st : flow.stations())
    station_of[st->spec().name] = st.get();
  for (size_t ti = 0; ti < spec_.tiers.size(); ++ti) {
    const auto& ts = spec_.tiers[ti];
    auto t = std::make_unique<Tier>();
    t->spec = &ts;
    t->type = &catalog.at(ts.instance_type);
    t->tg = &alb_->add_target_group(ts.target_group);
    if (!ts.path_patterns.empty())
      alb_->add_rule({ts.priority, ts.path_patterns, ts.name});
    else
      alb_->set_default(ts.name);
    for (const auto& az : spec_.azs)
      for (int k = 0; k < ts.max_size; ++k) {
        auto s = std::make_unique<Slot>();
        s->server = slot_server_name(ts.name, az, k);
        s->az = az;
        s->tier = ti;
        s->station = station_of.at(s->server);
        s->busy = &metrics.time_weighted("server_busy_cores{server=" + s->server + "}");
        slot_of_server_.at(static_cast<size_t>(s->station->server_index())) = static_cast<int>(slots_.size());
        t->slots.push_back(slots_.size());
        slots_.push_back(std::move(s));
      }
    const std::string l = "{group=" + ts.name + "}";
    t->ts_instances = &metrics.series("capacity_instances" + l, sim::TimeSeries::Kind::Last);
    t->ts_desired = &metrics.series("capacity_desired" + l, sim::TimeSeries::Kind::Last);
    t->ts_cpu = &metrics.series("asg_cpu_utilization_pct" + l, sim::TimeSeries::Kind::Last);
    t->ts_requests = &metrics.series("alb_request_count" + l);
    t->ts_response_ms = &metrics.series("alb_target_response_time_ms" + l, sim::TimeSeries::Kind::Last);
    t->ts_healthy = &metrics.series("alb_healthy_hosts" + l, sim::TimeSeries::Kind::Last);
    if (t->type->burstable())
      t->ts_credits = &metrics.series("ec2_cpu_credit_balance" + l, sim::TimeSeries::Kind::Last);
    else
      t->ts_credits = nullptr;

    asg::AsgSpec a;
    a.name = ts.name;
    a.min_size = ts.min_size;
    a.max_size = ts.max_size;
    a.desired = ts.desired;
    a.azs = spec_.azs;
    a.instance_type = ts.instance_type;
    a.boot_mean_s = ts.boot_mean_s;
    a.boot_cv = ts.boot_cv;
    a.warmup_s = ts.warmup_s;
    a.health_check_grace_s = ts.health_check_grace_s;
    a.health_check_type = ts.health_check_type;
    a.policies = ts.policies;
    t->asg = std::make_unique<asg::AutoScalingGroup>(a, *clock_, sim::RandomStream(scenario.seed, "asg." + ts.name));
    Tier* tier = t.get();
    static uint64_t instance_counter = 0;  // ids unique across the groups of the (one) run in this process
    t->asg->make_id = []() {
      char buf[24];
      std::snprintf(buf, sizeof buf, "i-%017llx", static_cast<unsigned long long>(0x0a5150000000000ULL + ++instance_counter));
      return std::string(buf);
    };
    t->asg->log = [this, tier](const std::string& m) { log(tier->spec->name + ": " + m); };
    t->asg->on_launch = [this, tier](const asg::Instance& i) { return place(*tier, i); };
    t->asg->on_in_service = [this, tier](const asg::Instance& i) {
      tier->tg->register_target(i.id, i.az, i.slot, clock_->now() == 0.0);
    };
    t->asg->on_terminate = [tier](const asg::Instance& i, std::function<void()> done) {
      if (!tier->tg->find(i.id)) {
        done();
        return;
      }
      tier->pending_done[i.id] = std::move(done);
      tier->tg->deregister_target(i.id);
    };
    t->asg->on_terminated = [this, tier](const asg::Instance& i) { release(*tier, i); };
    t->tg->on_deregistered = [tier](const alb::Target& target) {
      auto it = tier->pending_done.find(target.id);
      if (it == tier->pending_done.end())
        return;
      auto done = std::move(it->second);
      tier->pending_done.erase(it);
      done();
    };
    t->tg->on_state_change = [this, tier](const alb::Target& target, alb::TargetState from) {
      log(tier->spec->name + ": target " + target.id + " " + alb::to_string(from) + " -> " + alb::to_string(target.state) +
          (target.reason.empty() ? "" : " (" + target.reason + ")"));
    };
    // The health check: the instance answers if it is up; a full queue answers too late.
    t->tg->probe = [this, tier](const alb::Target& target) {
      const Slot& s = *slots_.at(static_cast<size_t>(target.slot));
      if (s.failed || !s.station->host()->is_on())
        return alb::ProbeResult{false, 0.0};
      const auto& svc = s.station->spec();
      if (svc.queue_limit > 0 && s.station->queue_length() >= static_cast<uint64_t>(svc.queue_limit))
        return alb::ProbeResult{true, tier->spec->target_group.health.timeout_s + 1.0};
      return alb::ProbeResult{true, 0.002};
    };
    tiers_.push_back(std::move(t));
  }

  // Per class: its tier (the ALB's routing), and the bytes it moves (LCU, inter-AZ transfer).
  for (const auto& c : scenario.workload.classes) {
    const TierSpec& routed = route_class(spec_, c.name);
    for (size_t ti = 0; ti < spec_.tiers.size(); ++ti)
      if (spec_.tiers[ti].name == routed.name)
        class_tier_.push_back(ti);
    double db_kb = 0;
    bool uses_db = false;
    for (const auto& st : c.stages)
      if (st.service == spec_.database.name) {
        uses_db = true;
        db_kb += 2 * st.request_kb;  // the query, and a result of about the same size coming back
      }
    class_uses_db_.push_back(uses_db);
    class_db_kb_.push_back(db_kb);
    class_alb_kb_.push_back(c.stages.front().request_kb + c.response_kb);
  }
  ts_503_ = &metrics.series("alb_http_503");
  flow.pick_target = [this](Request& r) { return pick(r); };
  flow.on_leave = [this](Request& r) { left(r); };
}

AwsEstate::~AwsEstate() = default;

void AwsEstate::log(const std::string& msg) const
{
  sim::EventLog::instance().record(sim::Engine::instance().now(), "aws", msg);
}

asg::AutoScalingGroup* AwsEstate::group(const std::string& name)
{
  for (auto& t : tiers_)
    if (t->spec->name == name)
      return t->asg.get();
  return nullptr;
}

std::vector<asg::AutoScalingGroup*> AwsEstate::groups()
{
  std::vector<asg::AutoScalingGroup*> out;
  for (auto& t : tiers_)
    out.push_back(t->asg.get());
  return out;
}

void AwsEstate::start()
{
  for (auto& t : tiers_) {
    t->asg->start();
    t->peak_in_service = t->asg->in_service();
  }
  clock_->at(60.0, [this]() { minute_loop(); });
}

// --- Instances on slots ------------------------------------------------------------------------

int AwsEstate::place(Tier& tier, const asg::Instance& inst)
{
  const double now = clock_->now();
  for (size_t idx : tier.slots) {
    Slot& s = *slots_[idx];
    if (s.in_use || s.az != inst.az)
      continue;
    if (s.failed) {
      if (!s.station->host()->is_on())
        flow_.server_up(s.server);
      s.failed = false;
    }
    s.in_use = true;
    s.instance = inst.id;
    ++s.generation;
    s.throttled = false;
    platform_.set_throttled(s.server, false);
    s.last_t = now;
    s.last_area = s.busy->area(now);
    s.tick_t = s.last_t;
    s.tick_area = s.last_area;
    s.minute_vcpu_s = 0;
    if (tier.type->burstable()) {
      const double initial = now == 0.0 ? tier.spec->initial_credits_fraction * tier.type->max_credits() : 0.0;
      s.credits = std::make_unique<ec2::CpuCredits>(
          *tier.type, tier.spec->credit_mode == "unlimited" ? ec2::CreditMode::unlimited : ec2::CreditMode::standard,
          initial);
      const uint64_t g = s.generation;
      clock_->at(now + kCreditTick_s, [this, idx, g]() { credit_tick(idx, g); });
    }
    return static_cast<int>(idx);
  }
  return -1;
}

void AwsEstate::release(Tier& tier, const asg::Instance& inst)
{
  if (inst.slot < 0)
    return;
  Slot& s = *slots_.at(static_cast<size_t>(inst.slot));
  account(s, clock_->now());
  if (s.credits && s.credits->mode() == ec2::CreditMode::unlimited)
    surplus_credits_charged_ += s.credits->charge_outstanding();
  // The instance is gone: anything still on it fails, the host is off until the slot is reused.
  if (s.station->host()->is_on())
    flow_.server_down(s.server);
  s.failed = true;
  s.in_use = false;
  s.instance.clear();
  s.credits.reset();
  ++s.generation;
  (void)tier;
}

void AwsEstate::fail_slot(Slot& s, const std::string& why)
{
  if (s.failed)
    return;
  account(s, clock_->now());
  s.failed = true;
  s.failed_at = clock_->now();
  if (s.station->host()->is_on())
    flow_.server_down(s.server);
  if (s.in_use)
    log(s.instance + " on " + s.server + " failed: " + why);
}

// --- CPU and credits ---------------------------------------------------------------------------

// Brings a slot's CPU use and credit balance up to now; throttles at an empty balance.
void AwsEstate::account(Slot& s, double now)
{
  if (!s.in_use || now <= s.last_t)
    return;
  const double area = s.busy->area(now);
  const double busy_vcpu_s = area - s.last_area;
  Tier& tier = *tiers_[s.tier];
  const double used = s.throttled ? busy_vcpu_s * tier.type->baseline_fraction : busy_vcpu_s;
  const double dt = now - s.last_t;
  if (s.throttled)
    tier.throttled_s += dt;
  s.minute_vcpu_s += used;
  s.last_t = now;
  s.last_area = area;
  if (!s.credits)
    return;
  s.credits->advance(dt, used);
  tier.min_credit_balance = std::min(tier.min_credit_balance, s.credits->balance());
  if (!s.throttled && s.credits->throttled()) {
    s.throttled = true;
    platform_.set_throttled(s.server, true);
    log(s.instance + " CPU credits exhausted: throttled to the " +
        sim::format_number(tier.type->baseline_fraction * 100) + " % baseline");
  } else if (s.throttled && s.credits->balance() >= s.credits->earn_per_second() * kCreditTick_s) {
    s.throttled = false;
    platform_.set_throttled(s.server, false);
    log(s.instance + " CPU credits available again: full speed");
  }
}

// Every credit tick: account, then if the balance will empty before the next tick at the current
// rate, account again exactly then (so throttling starts at the predicted time).
void AwsEstate::credit_tick(size_t idx, uint64_t generation)
{
  Slot& s = *slots_[idx];
  if (s.generation != generation || !s.in_use)
    return;
  const double now = clock_->now();
  account(s, now);
  const double area = s.busy->area(now);
  const double busy = now > s.tick_t ? (area - s.tick_area) / (now - s.tick_t) : 0.0;  // busy vCPUs over the tick
  s.tick_t = now;
  s.tick_area = area;
  if (s.credits && !s.throttled && s.credits->mode() == ec2::CreditMode::standard) {
    const double t_empty = s.credits->seconds_to_empty(busy);
    if (t_empty < kCreditTick_s)
      clock_->at(now + t_empty, [this, idx, generation]() {
        Slot& x = *slots_[idx];
        if (x.generation == generation)
          account(x, clock_->now());
      });
  }
  clock_->at(now + kCreditTick_s, [this, idx, generation]() { credit_tick(idx, generation); });
}

// --- Requests ----------------------------------------------------------------------------------

Station* AwsEstate::pick(Request& r)
{
  Tier& tier = *tiers_[class_tier_[r.cls]];
  const double now = clock_->now();
  const size_t hour = static_cast<size_t>(now / 3600.0);
  if (hour_requests_.size() <= hour) {
    hour_requests_.resize(hour + 1, 0.0);
    hour_kb_.resize(hour + 1, 0.0);
  }
  hour_requests_[hour] += 1;
  hour_kb_[hour] += class_alb_kb_[r.cls];
  alb::Target* t = tier.tg->pick();
  if (!t) {
    ++http_503_;
    ts_503_->add(now, 1.0);
    return nullptr;
  }
  tier.tg->request_started(*t);
  ++tier.minute_requests;
  ++tier.requests;
  Slot& s = *slots_.at(static_cast<size_t>(t->slot));
  if (class_uses_db_[r.cls] && s.az != spec_.database.az)
    inter_az_kb_ += class_db_kb_[r.cls];
  return s.station;
}

void AwsEstate::left(Request& r)
{
  if (!r.target)
    return;
  const int idx = slot_of_server_.at(static_cast<size_t>(r.target->server_index()));
  if (idx < 0)
    return;
  Slot& s = *slots_[static_cast<size_t>(idx)];
  Tier& tier = *tiers_[s.tier];
  tier.minute_latency_sum += clock_->now() - r.arrival_t;
  ++tier.minute_answered;
  const auto hour = static_cast<size_t>(r.arrival_t / 3600.0);
  if (hour_connection_s_.size() <= hour)
    hour_connection_s_.resize(hour + 1, 0.0);
  hour_connection_s_[hour] += clock_->now() - r.arrival_t;
  if (s.instance.empty())
    return;
  if (alb::Target* t = tier.tg->find(s.instance))
    tier.tg->request_ended(*t);
}

// --- The control loop, once a minute -----------------------------------------------------------

void AwsEstate::minute_loop()
{
  const double now = clock_->now();
  const double minute_start = now - 60.0;
  for (auto& tp : tiers_) {
    Tier& t = *tp;
    auto& g = *t.asg;
    // CPU of each serving instance over the minute; the group's average is the metric.
    std::map<std::string, double> cpu_of;
    double credit_sum = 0;
    int credit_n = 0;
    for (size_t idx : t.slots) {
      Slot& s = *slots_[idx];
      if (!s.in_use)
        continue;
      account(s, now);
      cpu_of[s.instance] = s.minute_vcpu_s / (60.0 * t.type->vcpu) * 100.0;
      s.minute_vcpu_s = 0;
      if (s.credits) {
        credit_sum += s.credits->balance();
        ++credit_n;
      }
      // EC2 status checks see a failed instance after ec2_status_check_s.
      if (s.failed && now - s.failed_at >= t.spec->ec2_status_check_s)
        g.report_unhealthy(s.instance, false);
    }
    double cpu_sum = 0;
    int serving = 0;
    for (const auto& i : g.instances())
      if (i.state == asg::LifecycleState::InService && now >= i.warm_until_s && cpu_of.count(i.id)) {
        cpu_sum += cpu_of[i.id];
        ++serving;
      }
    const double cpu = serving ? cpu_sum / serving : kNaN;
    const double per_target = serving ? static_cast<double>(t.minute_requests) / serving : kNaN;
    // ELB health: unhealthy targets are replaced when the group uses ELB health checks.
    std::vector<std::string> unhealthy;
    for (const auto& target : t.tg->targets())
      if (target.state == alb::TargetState::unhealthy)
        unhealthy.push_back(target.id);
    for (const auto& id : unhealthy)
      g.report_unhealthy(id, true);
    std::vector<double> dps;
    for (const auto& p : g.tracking().policies())
      dps.push_back(p.metric == asg::PredefinedMetric::ASGAverageCPUUtilization ? cpu : per_target);
    g.evaluate_minute(dps);

    t.ts_cpu->add(minute_start, std::isnan(cpu) ? 0.0 : cpu);
    t.ts_requests->add(minute_start, static_cast<double>(t.minute_requests));
    t.ts_response_ms->add(minute_start, t.minute_answered ? t.minute_latency_sum / t.minute_answered * 1000 : 0.0);
    t.ts_instances->add(minute_start, g.in_service());
    t.ts_desired->add(minute_start, g.desired());
    t.ts_healthy->add(minute_start, t.tg->healthy_count());
    if (t.ts_credits)
      t.ts_credits->add(minute_start, credit_n ? credit_sum / credit_n : 0.0);
    t.peak_in_service = std::max(t.peak_in_service, g.in_service());
    t.minute_requests = 0;
    t.minute_latency_sum = 0;
    t.minute_answered = 0;
  }
  if (now + 60.0 <= sim::horizon_s(scenario_))
    clock_->at(now + 60.0, [this]() { minute_loop(); });
}

// --- Events ------------------------------------------------------------------------------------

bool AwsEstate::handle(const sim::EventSpec& e)
{
  if (e.action == "az_down" || e.action == "az_up") {
    const bool up = e.action == "az_up";
    log("Availability Zone " + e.target + (up ? " back" : " lost"));
    for (auto& sp : slots_) {
      Slot& s = *sp;
      if (s.az != e.target)
        continue;
      if (!up) {
        fail_slot(s, "Availability Zone " + e.target + " lost");
      } else if (!s.in_use && s.failed) {
        flow_.server_up(s.server);
        s.failed = false;
      }
    }
    for (auto& t : tiers_)
      t->asg->set_az_available(e.target, up);
    if (on_az_change) {
      on_az_change(e.target, up);
    } else if (spec_.database.az == e.target) {
      if (up)
        flow_.server_up(spec_.database.name);
      else
        flow_.server_down(spec_.database.name);
    }
    return true;
  }
  if (e.action == "instance_fail") {
    Tier* tier = nullptr;
    for (auto& t : tiers_)
      if (t->spec->name == e.target)
        tier = t.get();
    int n = std::max(1, static_cast<int>(e.value));
    for (const auto& i : tier->asg->instances()) {
      if (n == 0)
        break;
      if (i.state != asg::LifecycleState::InService || i.slot < 0 || slots_[static_cast<size_t>(i.slot)]->failed)
        continue;
      fail_slot(*slots_[static_cast<size_t>(i.slot)], "instance failure (scenario event)");
      --n;
    }
    return true;
  }
  if (e.action == "set_desired") {
    group(e.target)->set_desired(static_cast<int>(e.value), "");
    return true;
  }
  if (e.action == "instance_refresh") {
    asg::RefreshPreferences prefs;  // MaxHealthyPercentage 100, InstanceWarmup: the group's
    if (e.value > 0)
      prefs.min_healthy_pct = static_cast<int>(e.value);
    try {
      group(e.target)->start_refresh(prefs);
    } catch (const std::logic_error& x) {  // one already in progress: AWS refuses the second
      log(e.target + ": instance refresh refused: " + x.what());
    }
    return true;
  }
  return false;
}

// --- The end of the run: bill and report -------------------------------------------------------

cost::Bill AwsEstate::bill(double t_end) const
{
  const double hours = t_end / 3600.0;
  cost::AsIsQuantities q;
  double ebs_gb_hours = 0, instance_hours = 0;
  for (const auto& t : tiers_) {
    const double h = t->asg->instance_hours(t_end);
    q.ec2.instance_hours[t->spec->instance_type] += h;
    ebs_gb_hours += h * t->spec->ebs_gb;
    instance_hours += h;
  }
  q.ec2.ebs_type = "gp3";
  q.ec2.ebs_gb_each = instance_hours > 0 ? ebs_gb_hours / instance_hours : 0;
  auto& s = q.shared;
  s.hours = hours;
  // ALB: hours, and LCU-hours from each hour's new connections, active connections (requests in
  // flight), processed bytes and rule evaluations (models/cost/alb_lcu.hpp, shared with EKS).
  s.alb_hours = hours;
  const double rules = static_cast<double>(alb_->listener().rules.size());
  std::vector<cost::AlbTrafficSpan> spans;
  for (size_t h = 0; h < hour_requests_.size(); ++h) {
    const double span_s = std::min(3600.0, t_end - static_cast<double>(h) * 3600.0);
    if (span_s <= 0)
      break;
    spans.push_back({span_s, hour_requests_[h], hour_requests_[h] / spec_.cost.requests_per_connection,
                     h < hour_connection_s_.size() ? hour_connection_s_[h] : 0.0, hour_kb_[h] * 1e3, rules});
  }
  s.alb_lcu_hours = cost::alb_lcu_hours(spans);
  s.nat_gateway_hours = spec_.cost.nat_gateways * hours;
  s.nat_processed_gb = spec_.cost.nat_processed_gb_per_hour * hours;
  double out_kb = 0, arrivals = 0;
  for (const auto& c : scenario_.workload.classes) {
    out_kb += c.response_kb * static_cast<double>(metrics_.counter("requests_completed{class=" + c.name + "}"));
    arrivals += static_cast<double>(metrics_.counter("requests_arrived{class=" + c.name + "}"));
  }
  s.internet_out_gb = out_kb / 1e6;
  s.inter_az_gb = inter_az_kb_ / 1e6;
  s.route53_hosted_zones = spec_.cost.route53_hosted_zones;
  s.route53_queries = arrivals * spec_.cost.route53_queries_per_request;
  for (const auto& t : tiers_)
    s.cloudwatch_alarms += 2.0 * static_cast<double>(t->asg->tracking().policies().size());
  // The database tier is always billed; a hook (the edge's CloudFront/S3/WAF) adds to it or overrides it.
  s.rds_instance_class = spec_.database.instance_class;
  s.rds_multi_az = spec_.database.multi_az;
  s.rds_instance_hours = hours;
  s.rds_storage_type = spec_.database.storage_type;
  s.rds_storage_gb = spec_.database.storage_gb;
  if (add_costs)
    add_costs(s, hours);
  auto usage = cost::asis_usage(q);
  if (surplus_credits_charged_ > 0)
    usage.add(cost::Phase::run, "ec2.burstable.surplus-vcpu-hour", surplus_credits_charged_ / 60.0, "vCPU-hour",
              "unlimited mode: " + sim::format_number(surplus_credits_charged_) + " surplus credits not paid back");
  return cost::compute(cost::default_price_table(), usage, hours);
}

void AwsEstate::finish(double t_end)
{
  for (auto& s : slots_)
    account(*s, t_end);
  for (auto& s : slots_)
    if (s->in_use && s->credits && s->credits->mode() == ec2::CreditMode::unlimited)
      surplus_credits_charged_ += s->credits->charge_outstanding();
  const cost::Bill b = bill(t_end);

  nlohmann::json groups = nlohmann::json::array();
  double peak_total = 0, min_credits = std::numeric_limits<double>::infinity();
  int scale_outs = 0;
  for (const auto& t : tiers_) {
    const auto& g = *t->asg;
    nlohmann::json acts = nlohmann::json::array();
    for (const auto& a : g.activities())
      acts.push_back({{"activity_id", a.id},
                      {"description", a.description},
                      {"cause", a.cause},
                      {"start_s", tidy(a.start_s)},
                      {"end_s", a.end_s < 0 ? nlohmann::json(nullptr) : nlohmann::json(tidy(a.end_s))},
                      {"status", a.status}});
    int outs = 0, ins = 0;
    for (const auto& d : g.decisions()) {
      outs += d.kind == asg::ScalingDecision::Kind::scale_out;
      ins += d.kind == asg::ScalingDecision::Kind::scale_in;
    }
    scale_outs += outs;
    peak_total += t->peak_in_service;
    nlohmann::json gj = {{"name", g.spec().name},
                         {"instance_type", g.spec().instance_type},
                         {"min_size", g.min_size()},
                         {"max_size", g.max_size()},
                         {"desired_at_end", g.desired()},
                         {"in_service_at_end", g.in_service()},
                         {"peak_in_service", t->peak_in_service},
                         {"instance_hours", tidy(g.instance_hours(t_end))},
                         {"scale_out_decisions", outs},
                         {"scale_in_decisions", ins},
                         {"requests", t->requests},
                         {"activities", acts}};
    if (t->type->burstable()) {
      const double mc = std::isfinite(t->min_credit_balance) ? t->min_credit_balance : 0.0;
      min_credits = std::min(min_credits, mc);
      gj["cpu_credits"] = {{"mode", t->spec->credit_mode},
                           {"min_balance", tidy(mc)},
                           {"throttled_instance_s", tidy(t->throttled_s)}};
    }
    groups.push_back(gj);
  }
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& r : alb_->listener().rules)
    rules.push_back({{"priority", r.priority}, {"path_patterns", r.path_patterns}, {"target_group", r.target_group}});
  rules.push_back({{"priority", "default"}, {"target_group", alb_->listener().default_target_group}});
  report_ = {{"region", spec_.region},
             {"azs", spec_.azs},
             {"load_balancer", {{"name", spec_.alb_name}, {"rules", rules}, {"http_503", http_503_}}},
             {"groups", groups},
             {"cost", b.to_json()},
             {"monthly_run_rate_usd", tidy(static_cast<double>(cost::to_cents(b.monthly_run_rate_usd)) / 100.0)}};
  headline_["aws_monthly_cost_usd"] = b.monthly_run_rate_usd;
  headline_["aws_peak_instances"] = peak_total;
  headline_["aws_scale_out_events"] = scale_outs;
  headline_["aws_min_credit_balance"] = std::isfinite(min_credits) ? min_credits : kNaN;
}

}  // namespace migsim::models::aws
