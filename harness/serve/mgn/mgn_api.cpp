#include "harness/serve/mgn/mgn_api.hpp"

#include "harness/serve/core/registry.hpp"

#include "models/cutover/migration.hpp"
#include "models/mgn/source_server.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

namespace migsim::harness::serve {

namespace {

using nlohmann::json;
namespace mgn = models::mgn;

constexpr const char* kArnPrefix = "arn:aws:mgn:us-east-1:000000000000:";
// LifeCycleState and ReplicationType values of the MGN API (botocore mgn/2020-02-26).
const std::set<std::string> kLifeCycleStates = {"STOPPED",         "NOT_READY",          "READY_FOR_TEST",
                                                "TESTING",         "READY_FOR_CUTOVER",  "CUTTING_OVER",
                                                "CUTOVER",         "DISCONNECTED",       "DISCOVERED",
                                                "PENDING_INSTALLATION"};
const std::set<std::string> kReplicationTypes = {"AGENT_BASED", "SNAPSHOT_SHIPPING"};

// MGN's ValidationException (the codec has already checked types and enums against the shape).
AwsError invalid(const std::string& message) { return errors::validation(message); }

// The live source servers (none before the agents are installed or without a migration).
const std::vector<std::unique_ptr<mgn::SourceServer>>& servers(ServeContext& ctx)
{
  static const std::vector<std::unique_ptr<mgn::SourceServer>> none;
  const models::Migration* m = ctx.simulation.migration();
  return m ? m->mgn_servers() : none;
}

// Checks the paging parameters (we never need more than one page) and returns the filters object.
json filters_of(const json& p)
{
  if (p.contains("maxResults")) {
    const json& n = p["maxResults"];
    if (!n.is_number_integer() || n.get<long long>() < 1 || n.get<long long>() > 1000)
      throw invalid("maxResults must be an integer from 1 to 1000");
  }
  if (p.contains("nextToken") && !p["nextToken"].is_string())
    throw invalid("nextToken must be a string");
  if (!p.contains("filters"))
    return json::object();
  if (!p["filters"].is_object())
    throw invalid("filters must be an object");
  return p["filters"];
}

// filters[key] as a list of strings (nullopt when absent), each one of `allowed` unless it is empty.
std::optional<std::vector<std::string>> string_list(const json& filters, const char* key,
                                                    const std::set<std::string>& allowed = {})
{
  if (!filters.contains(key))
    return std::nullopt;
  if (!filters[key].is_array())
    throw invalid(std::string("filters.") + key + " must be a list");
  std::vector<std::string> out;
  for (const json& v : filters[key]) {
    if (!v.is_string())
      throw invalid(std::string("filters.") + key + " must hold strings");
    if (!allowed.empty() && !allowed.count(v.get<std::string>()))
      throw invalid(std::string("filters.") + key + ": unknown value '" +
                                                v.get<std::string>() + "'");
    out.push_back(v);
  }
  return out;
}

// Whether an absent filter or one listing `value` accepts it.
bool accepts(const std::optional<std::vector<std::string>>& filter, const std::string& value)
{
  return !filter || std::find(filter->begin(), filter->end(), value) != filter->end();
}

// A byte count as the API's PositiveInteger (long).
long long bytes(double b) { return std::llround(std::max(0.0, b)); }

// One element of DescribeSourceServers.
json source_server_json(const mgn::SourceServerDescription& d)
{
  json lc = {{"state", d.life_cycle.state}, {"addedToServiceDateTime", d.life_cycle.added_to_service_date_time}};
  if (d.life_cycle.first_byte_date_time)
    lc["firstByteDateTime"] = *d.life_cycle.first_byte_date_time;
  if (d.life_cycle.elapsed_replication_duration)
    lc["elapsedReplicationDuration"] = *d.life_cycle.elapsed_replication_duration;
  if (d.life_cycle.last_test_job_id)
    lc["lastTest"] = {{"initiated", {{"jobID", *d.life_cycle.last_test_job_id}}}};
  if (d.life_cycle.last_cutover_job_id)
    lc["lastCutover"]["initiated"] = {{"jobID", *d.life_cycle.last_cutover_job_id}};
  if (d.life_cycle.last_cutover_finalized_date_time)
    lc["lastCutover"]["finalized"] = {{"apiCallDateTime", *d.life_cycle.last_cutover_finalized_date_time}};

  const auto& r = d.data_replication_info;
  json disks = json::array();
  for (const auto& disk : r.replicated_disks)
    disks.push_back({{"deviceName", disk.device_name},
                     {"totalStorageBytes", bytes(disk.total_storage_bytes)},
                     {"replicatedStorageBytes", bytes(disk.replicated_storage_bytes)},
                     {"rescannedStorageBytes", bytes(disk.rescanned_storage_bytes)},
                     {"backloggedStorageBytes", bytes(disk.backlogged_storage_bytes)}});
  json dri = {{"dataReplicationState", r.data_replication_state}, {"replicatedDisks", disks}};
  if (r.lag_duration)
    dri["lagDuration"] = *r.lag_duration;
  if (r.eta_date_time)
    dri["etaDateTime"] = *r.eta_date_time;
  if (r.data_replication_error)
    dri["dataReplicationError"] = {{"error", r.data_replication_error->error},
                                   {"rawError", r.data_replication_error->raw_error}};
  if (r.last_snapshot_date_time)
    dri["lastSnapshotDateTime"] = *r.last_snapshot_date_time;

  json s = {{"sourceServerID", d.source_server_id},
            {"arn", kArnPrefix + std::string("source-server/") + d.source_server_id},
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

// One element of DescribeJobs.
json job_json(const mgn::JobDescription& j)
{
  json servers = json::array();
  for (const auto& p : j.participating_servers) {
    json ps = {{"sourceServerID", p.source_server_id}, {"launchStatus", p.launch_status}};
    if (!p.launched_ec2_instance_id.empty())
      ps["launchedEc2InstanceID"] = p.launched_ec2_instance_id;
    servers.push_back(ps);
  }
  json out = {{"jobID", j.job_id},
              {"arn", kArnPrefix + std::string("job/") + j.job_id},
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

// An optional ISO-8601 date filter (fromDate / toDate); "" when absent.
std::string date_filter(const json& filters, const char* key)
{
  if (!filters.contains(key))
    return "";
  const json& v = filters[key];
  if (!v.is_string() || v.get<std::string>().size() < 19)
    throw invalid(std::string("filters.") + key + " must be an ISO-8601 date-time string");
  return v;
}

}  // namespace

// Registers the MGN operations (rest-json).
void register_mgn(Registry& r)
{
  r.add("mgn", "DescribeSourceServers",
        {"filters.sourceServerIDs", "filters.lifeCycleStates", "filters.replicationTypes", "filters.isArchived", "filters.applicationIDs", "maxResults", "nextToken"},
        [](const json& p, ServeContext& ctx) {
         const json f = filters_of(p);
         const auto ids = string_list(f, "sourceServerIDs");
         const auto states = string_list(f, "lifeCycleStates", kLifeCycleStates);
         const auto types = string_list(f, "replicationTypes", kReplicationTypes);
         const auto apps = string_list(f, "applicationIDs");
         if (f.contains("isArchived") && !f["isArchived"].is_boolean())
           throw invalid("filters.isArchived must be a boolean");
         json items = json::array();
         for (const auto& server : servers(ctx)) {
           const mgn::SourceServerDescription d = server->describe();
           if (accepts(ids, d.source_server_id) && accepts(states, d.life_cycle.state) &&
               accepts(types, "AGENT_BASED") && (!apps || apps->empty()) &&
               (!f.contains("isArchived") || f["isArchived"].get<bool>() == d.is_archived))
             items.push_back(source_server_json(d));
         }
         return json{{"items", items}};
        });
  r.add("mgn", "DescribeJobs",
        {"filters.jobIDs", "filters.fromDate", "filters.toDate", "maxResults", "nextToken"},
        [](const json& p, ServeContext& ctx) {
         const json f = filters_of(p);
         const auto ids = string_list(f, "jobIDs");
         const std::string from = date_filter(f, "fromDate"), to = date_filter(f, "toDate");
         // A job launching several servers shows in each one's describe_jobs(): merge by id.
         std::vector<mgn::JobDescription> jobs;
         for (const auto& server : servers(ctx))
           for (auto& j : server->describe_jobs()) {
             auto same = std::find_if(jobs.begin(), jobs.end(), [&](const auto& k) { return k.job_id == j.job_id; });
             if (same == jobs.end()) {
               jobs.push_back(std::move(j));
               continue;
             }
             for (auto& ps : j.participating_servers)
               if (std::none_of(same->participating_servers.begin(), same->participating_servers.end(),
                                [&](const auto& q) { return q.source_server_id == ps.source_server_id; }))
                 same->participating_servers.push_back(std::move(ps));
           }
         std::stable_sort(jobs.begin(), jobs.end(),
                          [](const auto& a, const auto& b) { return a.creation_date_time < b.creation_date_time; });
         json items = json::array();
         for (const auto& j : jobs)  // ISO-8601 UTC strings of one format compare as dates
           if (accepts(ids, j.job_id) && (from.empty() || j.creation_date_time >= from) &&
               (to.empty() || j.creation_date_time <= to))
             items.push_back(job_json(j));
         return json{{"items", items}};
        });
}

}  // namespace migsim::harness::serve
