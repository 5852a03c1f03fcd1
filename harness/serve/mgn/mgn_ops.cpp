#include "harness/serve/mgn/mgn_ops.hpp"

#include "harness/serve/core/registry.hpp"

#include "models/cutover/migration.hpp"
#include "models/mgn/source_server.hpp"

#include <algorithm>
#include <cmath>

namespace migsim::harness::serve {

namespace {

using nlohmann::json;
namespace mgn = models::mgn;

constexpr const char* kArn = "arn:aws:mgn:us-east-1:000000000000:";

// The live source server with this id (404 when none).
mgn::SourceServer& server(ServeContext& ctx, const json& in)
{
  if (!in.contains("sourceServerID") || !in["sourceServerID"].is_string())
    throw ApiError{"ValidationException", "sourceServerID is required"};
  const std::string id = in["sourceServerID"];
  if (models::Migration* m = ctx.simulation.migration())
    for (const auto& s : m->mgn_servers())
      if (s->id() == id)
        return *s;
  throw ApiError{"ResourceNotFoundException", "Source server " + id + " not found", 404};
}

// The servers of sourceServerIDs (all must exist; 1 to 200 of them).
std::vector<mgn::SourceServer*> servers(ServeContext& ctx, const json& in)
{
  if (!in.contains("sourceServerIDs") || !in["sourceServerIDs"].is_array() || in["sourceServerIDs"].empty() ||
      in["sourceServerIDs"].size() > 200)
    throw ApiError{"ValidationException", "sourceServerIDs must list 1 to 200 source server IDs"};
  std::vector<mgn::SourceServer*> out;
  for (const json& id : in["sourceServerIDs"])
    out.push_back(&server(ctx, json{{"sourceServerID", id}}));
  return out;
}

// The model's refusal as the API's ConflictException.
ApiError conflict(const std::exception& e) { return {"ConflictException", e.what(), 409}; }

// The SourceServer shape (the fields DescribeSourceServers shows, compact).
json source_server_json(const mgn::SourceServer& s)
{
  const auto d = s.describe();
  json lc = {{"state", d.life_cycle.state}, {"addedToServiceDateTime", d.life_cycle.added_to_service_date_time}};
  if (d.life_cycle.last_test_job_id)
    lc["lastTest"] = {{"initiated", {{"jobID", *d.life_cycle.last_test_job_id}}}};
  if (d.life_cycle.last_cutover_job_id)
    lc["lastCutover"]["initiated"] = {{"jobID", *d.life_cycle.last_cutover_job_id}};
  if (d.life_cycle.last_cutover_finalized_date_time)
    lc["lastCutover"]["finalized"] = {{"apiCallDateTime", *d.life_cycle.last_cutover_finalized_date_time}};
  json dri = {{"dataReplicationState", d.data_replication_info.data_replication_state}};
  if (d.data_replication_info.lag_duration)
    dri["lagDuration"] = *d.data_replication_info.lag_duration;
  json out = {{"sourceServerID", d.source_server_id},
              {"arn", kArn + std::string("source-server/") + d.source_server_id},
              {"isArchived", d.is_archived},
              {"tags", json::object()},
              {"replicationType", "AGENT_BASED"},
              {"lifeCycle", lc},
              {"dataReplicationInfo", dri},
              {"sourceProperties", {{"identificationHints", {{"hostname", d.hostname}}}}}};
  if (d.launched_instance)
    out["launchedInstance"] = {{"ec2InstanceID", d.launched_instance->ec2_instance_id},
                               {"jobID", d.launched_instance->job_id},
                               {"firstBoot", d.launched_instance->first_boot}};
  return out;
}

// The Job shape of one of the server's jobs.
json job_json(const mgn::SourceServer& s, const std::string& job_id)
{
  for (const auto& j : s.describe_jobs())
    if (j.job_id == job_id) {
      json ps = json::array();
      for (const auto& p : j.participating_servers) {
        json x = {{"sourceServerID", p.source_server_id}, {"launchStatus", p.launch_status}};
        if (!p.launched_ec2_instance_id.empty())
          x["launchedEc2InstanceID"] = p.launched_ec2_instance_id;
        ps.push_back(x);
      }
      json out = {{"jobID", j.job_id},   {"arn", kArn + std::string("job/") + j.job_id},
                  {"type", j.type},      {"initiatedBy", j.initiated_by},
                  {"status", j.status},  {"creationDateTime", j.creation_date_time},
                  {"participatingServers", ps}, {"tags", json::object()}};
      if (j.end_date_time)
        out["endDateTime"] = *j.end_date_time;
      return out;
    }
  throw std::logic_error("mgn: job " + job_id + " not found on " + s.id());
}

// A launch job for each server; the answer shows the first server's job with every participant.
json launch(ServeContext& ctx, const json& in, bool cutover)
{
  const auto list = servers(ctx, in);
  json job;
  for (mgn::SourceServer* s : list) {
    try {
      const mgn::Job& j = cutover ? s->start_cutover() : s->start_test();
      json one = job_json(*s, j.job_id);
      if (job.is_null())
        job = one;
      else
        job["participatingServers"].push_back(one["participatingServers"][0]);
    } catch (const mgn::IllegalTransition& e) {
      throw conflict(e);
    }
  }
  return {{"job", job}};
}

// The LaunchConfiguration shape.
json launch_configuration_json(const mgn::SourceServer& s)
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

json update_launch_configuration(const json& in, ServeContext& ctx)
{
  mgn::SourceServer& s = server(ctx, in);
  mgn::LaunchConfiguration c = s.launch_configuration();
  if (in.contains("name"))
    c.name = in["name"];
  if (in.contains("launchDisposition")) {
    const std::string v = in["launchDisposition"];
    if (v != "STOPPED" && v != "STARTED")
      throw ApiError{"ValidationException", "launchDisposition must be STOPPED or STARTED"};
    c.launch_disposition = v == "STOPPED" ? mgn::LaunchDisposition::STOPPED : mgn::LaunchDisposition::STARTED;
  }
  if (in.contains("targetInstanceTypeRightSizingMethod")) {
    const std::string v = in["targetInstanceTypeRightSizingMethod"];
    if (v != "NONE" && v != "BASIC")
      throw ApiError{"ValidationException", "targetInstanceTypeRightSizingMethod must be NONE or BASIC (IN_AWS is not simulated)"};
    c.target_instance_type_right_sizing_method = v == "NONE" ? mgn::RightSizing::NONE : mgn::RightSizing::BASIC;
  }
  if (in.contains("copyPrivateIp"))
    c.copy_private_ip = in["copyPrivateIp"];
  if (in.contains("copyTags"))
    c.copy_tags = in["copyTags"];
  if (in.contains("bootMode")) {
    const std::string v = in["bootMode"];
    if (v == "LEGACY_BIOS") c.boot_mode = mgn::BootMode::LEGACY_BIOS;
    else if (v == "UEFI") c.boot_mode = mgn::BootMode::UEFI;
    else if (v == "USE_SOURCE") c.boot_mode = mgn::BootMode::USE_SOURCE;
    else throw ApiError{"ValidationException", "bootMode must be LEGACY_BIOS, UEFI or USE_SOURCE"};
  }
  try {
    s.update_launch_configuration(c);
  } catch (const std::invalid_argument& e) {
    throw ApiError{"ValidationException", e.what()};
  }
  return launch_configuration_json(s);
}

}  // namespace

const std::vector<OpDef>& mgn_ops()
{
  static const std::vector<OpDef> ops = {
      {"InitializeService", {},
       [](const json&, ServeContext&) { return json::object(); }},
      {"ChangeServerLifeCycleState", {"sourceServerID", "lifeCycle"},
       [](const json& in, ServeContext& ctx) {
         mgn::SourceServer& s = server(ctx, in);
         const std::string state = in.contains("lifeCycle") ? in["lifeCycle"].value("state", std::string()) : "";
         mgn::LifeCycleState target;
         if (state == "READY_FOR_TEST") target = mgn::LifeCycleState::READY_FOR_TEST;
         else if (state == "READY_FOR_CUTOVER") target = mgn::LifeCycleState::READY_FOR_CUTOVER;
         else if (state == "CUTOVER") target = mgn::LifeCycleState::CUTOVER;
         else throw ApiError{"ValidationException", "lifeCycle.state must be READY_FOR_TEST, READY_FOR_CUTOVER or CUTOVER"};
         try {
           s.change_lifecycle_state(target);
         } catch (const mgn::IllegalTransition& e) {
           throw conflict(e);
         } catch (const std::invalid_argument& e) {
           throw ApiError{"ValidationException", e.what()};
         }
         return source_server_json(s);
       }},
      {"StartTest", {"sourceServerIDs"}, [](const json& in, ServeContext& ctx) { return launch(ctx, in, false); }},
      {"StartCutover", {"sourceServerIDs"}, [](const json& in, ServeContext& ctx) { return launch(ctx, in, true); }},
      {"FinalizeCutover", {"sourceServerID"},
       [](const json& in, ServeContext& ctx) {
         mgn::SourceServer& s = server(ctx, in);
         try {
           s.finalize_cutover();
         } catch (const mgn::IllegalTransition& e) {
           throw conflict(e);
         }
         return source_server_json(s);
       }},
      {"TerminateTargetInstances", {"sourceServerIDs"},
       [](const json& in, ServeContext& ctx) {
         json job;
         for (mgn::SourceServer* s : servers(ctx, in)) {
           try {
             const mgn::Job& j = s->terminate_target_instances();
             json one = job_json(*s, j.job_id);
             if (job.is_null())
               job = one;
             else
               job["participatingServers"].push_back(one["participatingServers"][0]);
           } catch (const mgn::IllegalTransition& e) {
             throw conflict(e);
           }
         }
         return json{{"job", job}};
       }},
      {"MarkAsArchived", {"sourceServerID"},
       [](const json& in, ServeContext& ctx) {
         mgn::SourceServer& s = server(ctx, in);
         try {
           s.mark_as_archived();
         } catch (const mgn::IllegalTransition& e) {
           throw conflict(e);
         }
         return source_server_json(s);
       }},
      {"GetLaunchConfiguration", {"sourceServerID"},
       [](const json& in, ServeContext& ctx) { return launch_configuration_json(server(ctx, in)); }},
      {"UpdateLaunchConfiguration",
       {"sourceServerID", "name", "launchDisposition", "targetInstanceTypeRightSizingMethod", "copyPrivateIp", "copyTags", "bootMode"},
       update_launch_configuration},
  };
  return ops;
}

void register_mgn_ops(Registry& r) { register_ops(r, "mgn", mgn_ops()); }

}  // namespace migsim::harness::serve
