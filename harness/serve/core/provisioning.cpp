#include "harness/serve/core/provisioning.hpp"
#include "harness/serve/core/resource.hpp"

#include "harness/serve/core/call_recorder.hpp"
#include "harness/serve/core/serve_context.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace migsim::harness::serve {

const std::vector<ProvisioningTiming>& provisioning_timings()
{
  static const std::vector<ProvisioningTiming> kTimings = {
      {"efs_file_system_create_s", 5,
       "EFS CreateFileSystem: creating -> available. Not published by AWS (seconds in practice)."},
      {"efs_mount_target_create_s", 90,
       "EFS CreateMountTarget: creating -> available. Not published by AWS; about a minute and a half is "
       "commonly seen."},
      {"efs_mount_target_delete_s", 60,
       "EFS DeleteMountTarget: deleting -> gone (the file system cannot be deleted before). Not published."},
      {"cloudfront_deploy_s", 300,
       "CloudFront Create/UpdateDistribution: InProgress -> Deployed. AWS: changes propagate to all edge "
       "locations \"within minutes\" (CloudFront developer guide); 5 min default."},
      {"eks_addon_create_s", 60,
       "EKS CreateAddon/UpdateAddon: CREATING -> ACTIVE. Not published by AWS (a minute or two is commonly seen)."},
      {"eks_addon_delete_s", 30, "EKS DeleteAddon: DELETING -> gone. Not published by AWS."},
      {"amp_workspace_create_s", 60,
       "Managed Prometheus CreateWorkspace: CREATING -> ACTIVE. Not published by AWS (about a minute is commonly "
       "seen)."},
      {"amp_rule_groups_namespace_create_s", 30,
       "Managed Prometheus Create/PutRuleGroupsNamespace: CREATING/UPDATING -> ACTIVE. Not published by AWS."},
  };
  return kTimings;
}

double ProvisioningTimes::operator()(const std::string& name) const
{
  if (auto it = overrides_.find(name); it != overrides_.end())
    return it->second;
  for (const auto& t : provisioning_timings())
    if (name == t.name)
      return t.default_s;
  throw std::out_of_range("no provisioning timing named " + name);
}

void ProvisioningTimes::set(const std::string& name, double s)
{
  std::string known;
  for (const auto& t : provisioning_timings()) {
    if (name == t.name) {
      if (!(s >= 0))
        throw std::invalid_argument("--timing " + name + ": seconds must be >= 0");
      overrides_[name] = s;
      return;
    }
    known += (known.empty() ? "" : ", ") + std::string(t.name);
  }
  throw std::invalid_argument("--timing " + name + ": unknown duration (known: " + known + ")");
}

void ProvisioningTimes::set_from(const std::string& assignment)
{
  const auto eq = assignment.find('=');
  if (eq == std::string::npos)
    throw std::invalid_argument("--timing " + assignment + ": expected NAME=SECONDS");
  double s = -1;
  try {
    size_t used = 0;
    s = std::stod(assignment.substr(eq + 1), &used);
    if (used != assignment.size() - eq - 1)
      s = -1;
  } catch (const std::exception&) {
    s = -1;
  }
  if (s < 0)
    throw std::invalid_argument("--timing " + assignment + ": SECONDS must be a number >= 0");
  set(assignment.substr(0, eq), s);
}

void ResourceTimeline::created(const std::string& service, const std::string& type, const std::string& id,
                               double created_s, double available_s, const std::string& request_id)
{
  entries_.push_back({service, type, id, request_id, created_s, std::max(created_s, available_s), -1});
  log_created(entries_.back());
}

void ResourceTimeline::created_by_call(const std::string& service, const std::string& type, const std::string& id,
                                       double t, const std::string& request_id)
{
  for (auto it = entries_.rbegin(); it != entries_.rend() && it->created_s >= t; ++it)
    if (it->request_id == request_id)
      return;  // its backend described it
  created(service, type, id, t, t, request_id);
}

void ResourceTimeline::log_created(const TimelineEntry& e) const
{
  if (!log_)
    return;
  std::printf("migsim serve: timeline %s %s %s created %s, available %s (+%.0f s)\n", e.service.c_str(),
              e.type.c_str(), e.id.c_str(), iso_date(e.created_s).c_str(), iso_date(e.available_s).c_str(),
              e.available_s - e.created_s);
  std::fflush(stdout);
}

void follow_calls(ResourceTimeline& timeline, CallRecorder& recorder)
{
  recorder.subscribe([&timeline](const ApiCallRecord& r) {
    if (!r.error_code.empty() || r.resources.empty())
      return;
    for (const char* verb : {"Create", "Run", "Allocate", "Request"})
      if (r.event_name.rfind(verb, 0) == 0) {
        const std::string noun = r.event_name.substr(std::string(verb).size());
        timeline.created_by_call(r.service, noun, r.resources.back().name, r.time_s, r.request_id);
        return;
      }
    if (r.event_name.rfind("Delete", 0) == 0)
      timeline.deleted(r.service, r.event_name.substr(6), r.resources.front().name, r.time_s);
  });
}

void ResourceTimeline::deleted(const std::string& service, const std::string& type, const std::string& id, double t)
{
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
    if (it->service == service && it->type == type && it->deleted_s < 0 &&
        (it->id == id || (it->id.size() > id.size() && it->id.compare(it->id.size() - id.size(), id.size(), id) == 0 &&
                          (it->id[it->id.size() - id.size() - 1] == '/' || it->id[it->id.size() - id.size() - 1] == ':')))) {
      it->deleted_s = t;
      if (log_)
        std::printf("migsim serve: timeline %s %s %s deleted %s\n", service.c_str(), type.c_str(), id.c_str(),
                    iso_date(t).c_str());
      std::fflush(stdout);
      return;
    }
}

nlohmann::json ResourceTimeline::to_json() const
{
  nlohmann::json list = nlohmann::json::array();
  double first = -1, last = -1;
  for (const auto& e : entries_) {
    nlohmann::json j = {{"service", e.service},   {"type", e.type},
                        {"id", e.id},             {"created_s", e.created_s},
                        {"available_s", e.available_s}, {"provisioning_s", e.available_s - e.created_s},
                        {"created_at", iso_date(e.created_s)}, {"available_at", iso_date(e.available_s)}};
    if (e.deleted_s >= 0)
      j["deleted_s"] = e.deleted_s;
    list.push_back(j);
    first = first < 0 ? e.created_s : std::min(first, e.created_s);
    last = std::max(last, e.available_s);
  }
  // The critical path with the clients' idle time removed: each resource starts as soon as every
  // resource that was already available when it was created is available (observed order stands
  // for dependency), then takes its own provisioning time.
  std::vector<double> done(entries_.size(), 0);
  double critical = 0;
  for (size_t i = 0; i < entries_.size(); ++i) {
    double start = 0;
    for (size_t j = 0; j < i; ++j)
      if (entries_[j].available_s <= entries_[i].created_s)
        start = std::max(start, done[j]);
    done[i] = start + (entries_[i].available_s - entries_[i].created_s);
    critical = std::max(critical, done[i]);
  }
  return {{"resources", list},        {"first_created_s", first}, {"last_available_s", last},
          {"span_s", first < 0 ? 0.0 : last - first}, {"critical_path_s", critical}};
}

}  // namespace migsim::harness::serve
