#include "harness/serve/mgn/backend.hpp"
#include "harness/serve/core/resource.hpp"

#include "models/cutover/migration.hpp"
#include "models/mgn/source_server.hpp"

#include <algorithm>
#include <cmath>

namespace migsim::harness::serve::mgn {

namespace mm = models::mgn;

namespace {

// arn:aws:mgn:REGION:ACCOUNT: of the scenario's region (its source servers answer only there).
std::string arn_prefix(const ServeContext& ctx) { return arn_in(scenario_region(ctx), "mgn", ""); }

// The model's refusal as the API's ConflictException.
aws::AwsError conflict(const std::exception& e) { return errors::error("ConflictException", e.what(), 409); }

// A byte count as the API's PositiveInteger (long).
long long bytes(double b) { return std::llround(std::max(0.0, b)); }

// The Job shape of one of the server's jobs.
json job_of(ServeContext& ctx, const mm::SourceServer& s, const std::string& job_id)
{
  for (const auto& j : s.describe_jobs())
    if (j.job_id == job_id)
      return job_json(ctx, j);
  throw std::logic_error("mgn: job " + job_id + " not found on " + s.id());
}

// The LaunchConfiguration shape.
json launch_configuration_json(const mm::SourceServer& s)
{
  const auto& c = s.launch_configuration();
  return {{"sourceServerID", s.id()},
          {"name", c.name},
          {"ec2LaunchTemplateID", c.ec2_launch_template_id},
          {"launchDisposition", std::string(to_string(c.launch_disposition))},
          {"targetInstanceTypeRightSizingMethod", std::string(to_string(c.target_instance_type_right_sizing_method))},
          {"copyPrivateIp", c.copy_private_ip},
          {"copyTags", c.copy_tags},
          {"bootMode", std::string(to_string(c.boot_mode))},
          {"licensing", {{"osByol", false}}},
          {"postLaunchEnabled", false}};
}

}  // namespace

const std::vector<std::unique_ptr<mm::SourceServer>>& servers(ServeContext& ctx)
{
  static const std::vector<std::unique_ptr<mm::SourceServer>> none;
  const models::Migration* m = ctx.simulation.migration();
  return m && in_scenario_region(ctx) ? m->mgn_servers() : none;
}

mm::SourceServer& server(ServeContext& ctx, const std::string& id)
{
  for (const auto& s : servers(ctx))
    if (s->id() == id)
      return *s;
  throw errors::error("ResourceNotFoundException", "Source server " + id + " not found", 404);
}

std::vector<mm::JobDescription> jobs(ServeContext& ctx)
{
  // A job launching several servers shows in each one's describe_jobs(): merge by id.
  std::vector<mm::JobDescription> out;
  for (const auto& server : servers(ctx))
    for (auto& j : server->describe_jobs()) {
      auto same = std::find_if(out.begin(), out.end(), [&](const auto& k) { return k.job_id == j.job_id; });
      if (same == out.end()) {
        out.push_back(std::move(j));
        continue;
      }
      for (auto& ps : j.participating_servers)
        if (std::none_of(same->participating_servers.begin(), same->participating_servers.end(),
                         [&](const auto& q) { return q.source_server_id == ps.source_server_id; }))
          same->participating_servers.push_back(std::move(ps));
    }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.creation_date_time < b.creation_date_time; });
  return out;
}

json source_server_json(ServeContext& ctx, const mm::SourceServer& server, bool full)
{
  const mm::SourceServerDescription d = server.describe();
  json lc = {{"state", d.life_cycle.state}, {"addedToServiceDateTime", d.life_cycle.added_to_service_date_time}};
  if (full && d.life_cycle.first_byte_date_time)
    lc["firstByteDateTime"] = *d.life_cycle.first_byte_date_time;
  if (full && d.life_cycle.elapsed_replication_duration)
    lc["elapsedReplicationDuration"] = *d.life_cycle.elapsed_replication_duration;
  if (d.life_cycle.last_test_job_id)
    lc["lastTest"] = {{"initiated", {{"jobID", *d.life_cycle.last_test_job_id}}}};
  if (d.life_cycle.last_cutover_job_id)
    lc["lastCutover"]["initiated"] = {{"jobID", *d.life_cycle.last_cutover_job_id}};
  if (d.life_cycle.last_cutover_finalized_date_time)
    lc["lastCutover"]["finalized"] = {{"apiCallDateTime", *d.life_cycle.last_cutover_finalized_date_time}};

  const auto& r = d.data_replication_info;
  json dri = {{"dataReplicationState", r.data_replication_state}};
  if (full) {
    json disks = json::array();
    for (const auto& disk : r.replicated_disks)
      disks.push_back({{"deviceName", disk.device_name},
                       {"totalStorageBytes", bytes(disk.total_storage_bytes)},
                       {"replicatedStorageBytes", bytes(disk.replicated_storage_bytes)},
                       {"rescannedStorageBytes", bytes(disk.rescanned_storage_bytes)},
                       {"backloggedStorageBytes", bytes(disk.backlogged_storage_bytes)}});
    dri["replicatedDisks"] = disks;
  }
  if (r.lag_duration)
    dri["lagDuration"] = *r.lag_duration;
  if (full && r.eta_date_time)
    dri["etaDateTime"] = *r.eta_date_time;
  if (full && r.data_replication_error)
    dri["dataReplicationError"] = {{"error", r.data_replication_error->error},
                                   {"rawError", r.data_replication_error->raw_error}};
  if (full && r.last_snapshot_date_time)
    dri["lastSnapshotDateTime"] = *r.last_snapshot_date_time;

  json s = {{"sourceServerID", d.source_server_id},
            {"arn", arn_prefix(ctx) + std::string("source-server/") + d.source_server_id},
            {"isArchived", d.is_archived},
            {"tags", json::object()},
            {"replicationType", "AGENT_BASED"},
            {"lifeCycle", lc},
            {"dataReplicationInfo", dri},
            {"sourceProperties", {{"identificationHints", {{"hostname", d.hostname}}}}}};
  if (d.launched_instance)
    s["launchedInstance"] = {{"ec2InstanceID", d.launched_instance->ec2_instance_id},
                             {"jobID", d.launched_instance->job_id},
                             {"firstBoot", d.launched_instance->first_boot}};
  return s;
}

json job_json(ServeContext& ctx, const mm::JobDescription& j)
{
  json servers = json::array();
  for (const auto& p : j.participating_servers) {
    json ps = {{"sourceServerID", p.source_server_id}, {"launchStatus", p.launch_status}};
    if (!p.launched_ec2_instance_id.empty())
      ps["launchedEc2InstanceID"] = p.launched_ec2_instance_id;
    servers.push_back(ps);
  }
  json out = {{"jobID", j.job_id},
              {"arn", arn_prefix(ctx) + std::string("job/") + j.job_id},
              {"type", j.type},
              {"initiatedBy", j.initiated_by},
              {"status", j.status},
              {"creationDateTime", j.creation_date_time},
              {"participatingServers", servers},
              {"tags", json::object()}};
  if (j.end_date_time)
    out["endDateTime"] = *j.end_date_time;
  return out;
}

json change_lifecycle_state(ServeContext& ctx, const std::string& id, const std::string& state)
{
  mm::SourceServer& s = server(ctx, id);
  mm::LifeCycleState target;
  if (state == "READY_FOR_TEST") target = mm::LifeCycleState::READY_FOR_TEST;
  else if (state == "READY_FOR_CUTOVER") target = mm::LifeCycleState::READY_FOR_CUTOVER;
  else if (state == "CUTOVER") target = mm::LifeCycleState::CUTOVER;
  else throw errors::error("ValidationException", "lifeCycle.state must be READY_FOR_TEST, READY_FOR_CUTOVER or CUTOVER");
  try {
    s.change_lifecycle_state(target);
  } catch (const mm::IllegalTransition& e) {
    throw conflict(e);
  } catch (const std::invalid_argument& e) {
    throw errors::error("ValidationException", e.what());
  }
  return source_server_json(ctx, s, false);
}

json finalize_cutover(ServeContext& ctx, const std::string& id)
{
  mm::SourceServer& s = server(ctx, id);
  try {
    s.finalize_cutover();
  } catch (const mm::IllegalTransition& e) {
    throw conflict(e);
  }
  return source_server_json(ctx, s, false);
}

json mark_as_archived(ServeContext& ctx, const std::string& id)
{
  mm::SourceServer& s = server(ctx, id);
  try {
    s.mark_as_archived();
  } catch (const mm::IllegalTransition& e) {
    throw conflict(e);
  }
  return source_server_json(ctx, s, false);
}

json launch(ServeContext& ctx, const std::vector<std::string>& ids, Launch kind)
{
  std::vector<mm::SourceServer*> list;
  for (const std::string& id : ids)
    list.push_back(&server(ctx, id));
  json job;
  for (mm::SourceServer* s : list) {
    try {
      const mm::Job& j = kind == Launch::cutover ? s->start_cutover()
                         : kind == Launch::test  ? s->start_test()
                                                 : s->terminate_target_instances();
      json one = job_of(ctx, *s, j.job_id);
      if (job.is_null())
        job = one;
      else
        job["participatingServers"].push_back(one["participatingServers"][0]);
    } catch (const mm::IllegalTransition& e) {
      throw conflict(e);
    }
  }
  return job;
}

json launch_configuration(ServeContext& ctx, const std::string& id) { return launch_configuration_json(server(ctx, id)); }

json update_launch_configuration(ServeContext& ctx, const std::string& id, const json& in)
{
  mm::SourceServer& s = server(ctx, id);
  mm::LaunchConfiguration c = s.launch_configuration();
  if (in.contains("name"))
    c.name = in["name"];
  if (in.contains("launchDisposition")) {
    const std::string v = in["launchDisposition"];
    if (v != "STOPPED" && v != "STARTED")
      throw errors::error("ValidationException", "launchDisposition must be STOPPED or STARTED");
    c.launch_disposition = v == "STOPPED" ? mm::LaunchDisposition::STOPPED : mm::LaunchDisposition::STARTED;
  }
  if (in.contains("targetInstanceTypeRightSizingMethod")) {
    const std::string v = in["targetInstanceTypeRightSizingMethod"];
    if (v != "NONE" && v != "BASIC")
      throw errors::error("ValidationException", "targetInstanceTypeRightSizingMethod must be NONE or BASIC (IN_AWS is not simulated)");
    c.target_instance_type_right_sizing_method = v == "NONE" ? mm::RightSizing::NONE : mm::RightSizing::BASIC;
  }
  if (in.contains("copyPrivateIp"))
    c.copy_private_ip = in["copyPrivateIp"];
  if (in.contains("copyTags"))
    c.copy_tags = in["copyTags"];
  if (in.contains("bootMode")) {
    const std::string v = in["bootMode"];
    if (v == "LEGACY_BIOS") c.boot_mode = mm::BootMode::LEGACY_BIOS;
    else if (v == "UEFI") c.boot_mode = mm::BootMode::UEFI;
    else if (v == "USE_SOURCE") c.boot_mode = mm::BootMode::USE_SOURCE;
    else throw errors::error("ValidationException", "bootMode must be LEGACY_BIOS, UEFI or USE_SOURCE");
  }
  try {
    s.update_launch_configuration(c);
  } catch (const std::invalid_argument& e) {
    throw errors::error("ValidationException", e.what());
  }
  return launch_configuration_json(s);
}

}  // namespace migsim::harness::serve::mgn
