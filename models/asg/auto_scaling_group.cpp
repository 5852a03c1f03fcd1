#include "models/asg/auto_scaling_group.hpp"

#include "sim/calendar.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace migsim::models::asg {

std::string iso_time(double sim_s)
{
  const std::time_t t = static_cast<std::time_t>(std::floor(sim::output_calendar().epoch_s(sim_s)));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

const char* to_string(LifecycleState s)
{
  switch (s) {
    case LifecycleState::Pending: return "Pending";
    case LifecycleState::InService: return "InService";
    case LifecycleState::Terminating: return "Terminating";
    case LifecycleState::Terminated: return "Terminated";
  }
  return "?";
}

AutoScalingGroup::AutoScalingGroup(AsgSpec spec, Clock& clock, sim::RandomStream rng)
    : spec_(std::move(spec)), clock_(clock), rng_(rng), tracking_(spec_.policies)
{
  if (spec_.azs.empty())
    throw std::invalid_argument("group " + spec_.name + " needs at least one Availability Zone");
  if (spec_.min_size > spec_.max_size || spec_.desired < spec_.min_size || spec_.desired > spec_.max_size)
    throw std::invalid_argument("group " + spec_.name + ": needs min <= desired <= max");
  for (const auto& az : spec_.azs)
    az_available_[az] = true;
}

void AutoScalingGroup::note(const std::string& msg)
{
  if (log)
    log(msg);
}

void AutoScalingGroup::start()
{
  // The group exists before the run: its desired instances are InService and warmed up.
  for (int i = 0; i < spec_.desired; ++i) {
    Instance inst;
    inst.id = make_id ? make_id() : spec_.name + "-i-" + std::to_string(next_id_++);
    inst.az = pick_az();
    inst.launched_s = 0;
    inst.in_service_s = 0;
    inst.warm_until_s = 0;
    inst.state = LifecycleState::InService;
    instances_.push_back(inst);
    instances_.back().slot = on_launch ? on_launch(instances_.back()) : 0;
    if (on_in_service)
      on_in_service(instances_.back());
  }
}

const Instance* AutoScalingGroup::instance(const std::string& id) const
{
  for (const auto& i : instances_)
    if (i.id == id)
      return &i;
  return nullptr;
}

int AutoScalingGroup::actual() const
{
  int n = 0;
  for (const auto& i : instances_)
    n += i.state == LifecycleState::Pending || i.state == LifecycleState::InService;
  return n;
}

int AutoScalingGroup::in_service() const
{
  int n = 0;
  for (const auto& i : instances_)
    n += i.state == LifecycleState::InService;
  return n;
}

int AutoScalingGroup::serving() const
{
  int n = 0;
  for (const auto& i : instances_)
    n += i.state == LifecycleState::InService && clock_.now() >= i.warm_until_s;
  return n;
}

bool AutoScalingGroup::scaling_out() const
{
  for (const auto& i : instances_)
    if (i.state == LifecycleState::Pending || (i.state == LifecycleState::InService && clock_.now() < i.warm_until_s))
      return true;
  return false;
}

double AutoScalingGroup::instance_hours(double t_end_s) const
{
  double h = 0;
  for (const auto& i : instances_)
    h += ((i.terminated_s >= 0 ? i.terminated_s : t_end_s) - i.launched_s) / 3600.0;
  return h;
}

// Balanced placement: the usable AZ with the fewest instances (declaration order breaks ties).
std::string AutoScalingGroup::pick_az() const
{
  std::string best;
  int best_n = 1 << 30;
  for (const auto& az : spec_.azs) {
    if (!az_available_.at(az))
      continue;
    int n = 0;
    for (const auto& i : instances_)
      n += i.az == az && (i.state == LifecycleState::Pending || i.state == LifecycleState::InService);
    if (n < best_n) {
      best_n = n;
      best = az;
    }
  }
  return best;
}

Activity& AutoScalingGroup::begin_activity(const std::string& description, const std::string& cause)
{
  Activity a;
  char id[40];
  std::snprintf(id, sizeof id, "%08llx-%04zx-4000-8000-%012llx", static_cast<unsigned long long>(next_id_ * 2654435761ULL),
                activities_.size(), static_cast<unsigned long long>(activities_.size() + 1));
  a.id = id;
  a.description = description;
  a.cause = cause;
  a.start_s = clock_.now();
  activities_.push_back(a);
  return activities_.back();
}

void AutoScalingGroup::launch(const std::string& cause)
{
  Instance inst;
  inst.id = make_id ? make_id() : spec_.name + "-i-" + std::to_string(next_id_++);
  inst.az = pick_az();
  inst.launched_s = clock_.now();
  const size_t activity = activities_.size();
  begin_activity("Launching a new EC2 instance: " + inst.id, cause);
  if (inst.az.empty() || !on_launch || (inst.slot = on_launch(inst)) < 0) {
    auto& a = activities_[activity];
    a.status = "Failed";
    a.end_s = clock_.now();
    a.progress = 100;
    a.details = inst.az.empty() ? "no usable Availability Zone" : "insufficient capacity in " + inst.az;
    note("launch failed: " + a.details);
    return;
  }
  activities_[activity].details = "{\"Subnet ID\":\"subnet-" + inst.az + "\",\"Availability Zone\":\"" + inst.az + "\"}";
  instances_.push_back(inst);
  note("launching " + inst.id + " in " + inst.az);
  const double boot = spec_.boot_cv > 0 ? rng_.lognormal(spec_.boot_mean_s, spec_.boot_cv) : spec_.boot_mean_s;
  const std::string id = inst.id;
  clock_.at(clock_.now() + boot, [this, id, activity]() {
    for (auto& i : instances_) {
      if (i.id != id || i.state != LifecycleState::Pending)
        continue;
      i.state = LifecycleState::InService;
      i.in_service_s = clock_.now();
      i.warm_until_s = clock_.now() + spec_.warmup_s;
      auto& a = activities_[activity];
      a.status = "Successful";
      a.progress = 100;
      a.end_s = clock_.now();
      note(id + " InService in " + i.az);
      if (on_in_service)
        on_in_service(i);
      if (auto* r = active_refresh())  // the refresh moves on once this one has warmed up
        clock_.at(clock_.now() + r->warmup_s, [this]() { refresh_step(); });
      return;
    }
  });
}

void AutoScalingGroup::terminate(Instance& inst, const std::string& cause, bool)
{
  inst.state = LifecycleState::Terminating;
  const size_t activity = activities_.size();
  begin_activity("Terminating EC2 instance: " + inst.id, cause);
  note("terminating " + inst.id);
  const std::string id = inst.id;
  auto done = [this, id, activity]() {
    for (auto& i : instances_) {
      if (i.id != id || i.state != LifecycleState::Terminating)
        continue;
      i.state = LifecycleState::Terminated;
      i.terminated_s = clock_.now();
      auto& a = activities_[activity];
      a.status = "Successful";
      a.progress = 100;
      a.end_s = clock_.now();
      if (on_terminated)
        on_terminated(i);
      return;
    }
  };
  if (on_terminate)
    on_terminate(inst, done);
  else
    done();
}

// Default termination policy: the AZ with the most instances, then (AWS picks at random among the
// rest) the oldest instance, for determinism.
Instance* AutoScalingGroup::pick_for_termination()
{
  std::map<std::string, int> per_az;
  for (const auto& i : instances_)
    if (i.state == LifecycleState::Pending || i.state == LifecycleState::InService)
      ++per_az[i.az];
  std::string az;
  int most = 0;
  for (const auto& name : spec_.azs)
    if (per_az[name] > most) {
      most = per_az[name];
      az = name;
    }
  for (auto& i : instances_)
    if (i.az == az && (i.state == LifecycleState::Pending || i.state == LifecycleState::InService))
      return &i;
  return nullptr;
}

void AutoScalingGroup::converge(const std::string& cause_prefix)
{
  const int from = actual();
  const std::string t = iso_time(clock_.now());
  while (actual() < spec_.desired) {
    const int n = actual();
    launch(cause_prefix + "At " + t + " an instance was started in response to a difference between desired and actual "
                                      "capacity, increasing the capacity from " +
           std::to_string(n) + " to " + std::to_string(std::max(spec_.desired, n + 1)) + ".");
    if (actual() == n)
      break;  // the launch failed (no usable AZ or no room); the next evaluation tries again
  }
  while (actual() > spec_.desired) {
    Instance* victim = pick_for_termination();
    if (!victim)
      break;
    terminate(*victim,
              cause_prefix + "At " + t + " an instance was taken out of service in response to a difference between "
                                         "desired and actual capacity, shrinking the capacity from " +
                  std::to_string(from) + " to " + std::to_string(spec_.desired) + ". At " + t + " instance " +
                  victim->id + " was selected for termination.",
              false);
  }
}

void AutoScalingGroup::set_desired(int desired, const std::string& cause)
{
  if (desired < spec_.min_size || desired > spec_.max_size)
    throw std::invalid_argument("New SetDesiredCapacity value " + std::to_string(desired) +
                                " is outside of the group's min/max [" + std::to_string(spec_.min_size) + ", " +
                                std::to_string(spec_.max_size) + "]");
  const int from = spec_.desired;
  spec_.desired = desired;
  if (from != desired)
    note("desired capacity " + std::to_string(from) + " -> " + std::to_string(desired));
  converge(cause.empty() ? "At " + iso_time(clock_.now()) +
                               " a user request explicitly set group desired capacity changing the desired capacity "
                               "from " + std::to_string(from) + " to " + std::to_string(desired) + ". "
                         : cause);
}

void AutoScalingGroup::update(int min_size, int max_size, int desired)
{
  if (min_size > max_size)
    throw std::invalid_argument("min size " + std::to_string(min_size) + " is above max size " + std::to_string(max_size));
  spec_.min_size = min_size;
  spec_.max_size = max_size;
  const int d = std::clamp(desired, min_size, max_size);
  const int from = spec_.desired;
  spec_.desired = d;
  converge("At " + iso_time(clock_.now()) + " a user request update of AutoScalingGroup constraints to min: " +
           std::to_string(min_size) + ", max: " + std::to_string(max_size) + ", desired: " + std::to_string(d) +
           " changing the desired capacity from " + std::to_string(from) + " to " + std::to_string(d) + ". ");
}

ScalingDecision AutoScalingGroup::evaluate_minute(const std::vector<double>& datapoints)
{
  tracking_.add_datapoints(datapoints);
  auto d = tracking_.evaluate(spec_.desired, serving(), spec_.min_size, spec_.max_size, scaling_out());
  if (d.kind == ScalingDecision::Kind::none)
    return d;
  decisions_.push_back(d);
  const int from = spec_.desired;
  spec_.desired = d.new_capacity;
  note(std::string(d.kind == ScalingDecision::Kind::scale_out ? "scale out" : "scale in") + " " + std::to_string(from) +
       " -> " + std::to_string(d.new_capacity) + " (" + d.policy + ", metric " + std::to_string(d.metric) + ")");
  converge("At " + iso_time(clock_.now()) + " a monitor alarm TargetTracking-" + spec_.name + "-" + d.alarm + "-" +
           d.policy + " in state ALARM triggered policy " + d.policy + " changing the desired capacity from " +
           std::to_string(from) + " to " + std::to_string(d.new_capacity) + ". ");
  return d;
}

void AutoScalingGroup::report_unhealthy(const std::string& id, bool from_elb)
{
  if (from_elb && spec_.health_check_type != "ELB")
    return;
  for (auto& i : instances_) {
    if (i.id != id || i.state != LifecycleState::InService)
      continue;
    if (clock_.now() < i.in_service_s + spec_.health_check_grace_s && i.in_service_s > 0)
      return;  // within the health check grace period
    i.healthy = false;
    const std::string t = iso_time(clock_.now());
    terminate(i,
              "At " + t + " an instance was taken out of service in response to " +
                  (from_elb ? std::string("an ELB system health check failure.")
                            : std::string("an EC2 health check indicating it has been terminated or stopped.")),
              true);
    converge("");
    return;
  }
}

void AutoScalingGroup::set_az_available(const std::string& az, bool available)
{
  if (!az_available_.count(az))
    return;
  az_available_[az] = available;
  if (available)
    converge("");
}

}  // namespace migsim::models::asg
