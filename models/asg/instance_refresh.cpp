// Instance refresh of an Auto Scaling group (StartInstanceRefresh, rolling strategy), as the EC2
// Auto Scaling user guide describes it: the instances running when it starts are replaced in
// batches; MinHealthyPercentage of the desired capacity (rounded up) stays InService, healthy and
// past its warm-up; MaxHealthyPercentage 100 terminates before launching, above 100 launches the
// replacements first (up to that percentage of desired); each batch waits for its new instances to
// be InService plus InstanceWarmup before the next; when no batch fits (90 % of 4 rounds up to 4)
// one instance at a time is replaced; while fewer than the minimum are ready (an instance still
// warming up or unhealthy) it waits, looking again every minute. An instance counts as updated (PercentageComplete) once it is
// healthy and past the warm-up.
#include "models/asg/auto_scaling_group.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace migsim::models::asg {

namespace {

bool live(const Instance& i) { return i.state == LifecycleState::Pending || i.state == LifecycleState::InService; }

bool contains(const std::vector<std::string>& ids, const std::string& id)
{
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

InstanceRefresh* AutoScalingGroup::active_refresh()
{
  if (refreshes_.empty())
    return nullptr;
  auto& r = refreshes_.back();
  return r.status == "Pending" || r.status == "InProgress" ? &r : nullptr;
}

std::string AutoScalingGroup::start_refresh(const RefreshPreferences& prefs)
{
  if (prefs.min_healthy_pct < 0 || prefs.min_healthy_pct > 100)
    throw std::invalid_argument("MinHealthyPercentage must be between 0 and 100, got " + std::to_string(prefs.min_healthy_pct));
  if (prefs.max_healthy_pct < 100 || prefs.max_healthy_pct > 200)
    throw std::invalid_argument("MaxHealthyPercentage must be between 100 and 200, got " + std::to_string(prefs.max_healthy_pct));
  if (prefs.max_healthy_pct - prefs.min_healthy_pct > 100)
    throw std::invalid_argument("The difference between MaxHealthyPercentage and MinHealthyPercentage cannot be greater than 100");
  if (active_refresh())
    throw std::logic_error("An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.");
  InstanceRefresh r;
  char id[40];
  std::snprintf(id, sizeof id, "%08zx-0000-4000-8000-%012llx", refreshes_.size() + 1,
                static_cast<unsigned long long>(std::hash<std::string>{}(spec_.name) & 0xffffffffffffULL));
  r.id = id;
  r.prefs = prefs;
  // InstanceWarmup defaults to the group's DefaultInstanceWarmup (always set here).
  r.warmup_s = prefs.instance_warmup_s >= 0 ? prefs.instance_warmup_s : spec_.warmup_s;
  r.start_s = clock_.now();
  for (const auto& i : instances_)
    if (live(i))
      r.old_ids.push_back(i.id);
  r.total = static_cast<int>(r.old_ids.size());
  r.instances_to_update = r.total;
  r.status_history.emplace_back(clock_.now(), "Pending");
  refreshes_.push_back(r);
  note("instance refresh " + r.id + " started: " + std::to_string(r.total) + " instances, min healthy " +
       std::to_string(prefs.min_healthy_pct) + " %, max healthy " + std::to_string(prefs.max_healthy_pct) + " %");
  refresh_step();
  return refreshes_.back().id;
}

std::string AutoScalingGroup::cancel_refresh()
{
  auto* r = active_refresh();
  if (!r)
    throw std::logic_error("No in progress or pending Instance Refresh found for Auto Scaling group " + spec_.name);
  // Replacements already launched carry on as ordinary instances; nothing is rolled back.
  r->status = "Cancelled";
  r->status_reason = "Instance refresh was cancelled by a user request.";
  r->end_s = clock_.now();
  r->status_history.emplace_back(clock_.now(), "Cancelled");
  note("instance refresh " + r->id + " cancelled at " + std::to_string(r->percentage_complete) + " %");
  return r->id;
}

// PercentageComplete / InstancesToUpdate: the replacements that are healthy and past the warm-up.
void AutoScalingGroup::refresh_progress(InstanceRefresh& r)
{
  int done = 0;
  for (const auto& i : instances_)
    if (i.state == LifecycleState::InService && i.healthy && !contains(r.old_ids, i.id) && i.launched_s >= r.start_s &&
        clock_.now() >= i.in_service_s + r.warmup_s)
      ++done;
  done = std::min(done, r.total);
  r.percentage_complete = r.total > 0 ? 100 * done / r.total : 100;
  r.instances_to_update = r.total - done;
}

// One decision of the refresh: wait while a batch warms up; otherwise terminate the old instances
// the healthy floor allows, launch replacements up to the maximum, or finish.
void AutoScalingGroup::refresh_step()
{
  auto* r = active_refresh();
  if (!r)
    return;
  const double now = clock_.now();
  if (r->status == "Pending") {
    r->status = "InProgress";
    r->status_history.emplace_back(now, "InProgress");
  }
  int ready = 0, old_left = 0, new_live = 0, new_waiting = 0;
  for (const auto& i : instances_) {
    if (!live(i))
      continue;
    const bool old = contains(r->old_ids, i.id);
    const bool is_ready = i.state == LifecycleState::InService && i.healthy &&
                          now >= (old ? i.warm_until_s : i.in_service_s + r->warmup_s);
    ready += is_ready;
    old_left += old;
    new_live += !old;
    new_waiting += !old && !is_ready;
  }
  refresh_progress(*r);
  if (new_waiting > 0)
    return;  // the batch in flight is not warmed up yet: its InService callbacks call back
  if (old_left == 0) {
    r->status = "Successful";
    r->status_reason.clear();
    r->end_s = now;
    r->percentage_complete = 100;
    r->instances_to_update = 0;
    r->status_history.emplace_back(now, "Successful");
    note("instance refresh " + r->id + " successful");
    return;
  }
  const int desired = spec_.desired;
  const int min_n = (desired * r->prefs.min_healthy_pct + 99) / 100;  // rounded up
  const int max_n = std::max(desired, desired * r->prefs.max_healthy_pct / 100);
  int terminations = std::min(old_left, std::max(0, ready - min_n));
  const int launches_after = std::max(0, std::min(desired - new_live, max_n - (actual() - terminations)));
  if (terminations == 0 && launches_after == 0) {
    if (ready < min_n) {  // an instance still warming up or unhealthy: wait for it
      clock_.at(now + 60.0, [this]() { refresh_step(); });
      return;
    }
    terminations = 1;  // the floor rounds up to everything: one instance at a time
  }
  const std::string t = iso_time(now);
  for (int k = 0; k < terminations; ++k) {
    // The old instance in the Availability Zone with the most live instances (declaration order).
    std::map<std::string, int> per_az;
    for (const auto& i : instances_)
      per_az[i.az] += live(i);
    Instance* victim = nullptr;
    for (auto& i : instances_)
      if (live(i) && contains(r->old_ids, i.id) && (!victim || per_az[i.az] > per_az[victim->az]))
        victim = &i;
    terminate(*victim,
              "At " + t + " an instance was taken out of service in response to an instance refresh. At " + t +
                  " instance " + victim->id + " was selected for termination.",
              false);
  }
  const int launches = std::max(0, std::min(desired - new_live, max_n - actual()));
  const int from = actual();
  const bool before = r->prefs.max_healthy_pct > 100;
  int launched = 0;
  for (int k = 0; k < launches; ++k) {
    const int n = actual();
    launch("At " + t + " an instance was started in response to " +
           (before ? std::string("an instance refresh") : std::string("a difference between desired and actual capacity")) +
           ", increasing the capacity from " + std::to_string(from) + " to " + std::to_string(from + launches) + ".");
    launched += actual() > n;
  }
  if (launches > 0 && launched == 0)
    clock_.at(now + 60.0, [this]() { refresh_step(); });  // no room: try again in a minute
  else if (launches == 0)
    refresh_step();  // terminations only (the last batch of a launch-before refresh): decide again
}

}  // namespace migsim::models::asg
