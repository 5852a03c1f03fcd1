// MGN's operation table (rest-json, POST /<Operation>, SigV4 scope service "mgn"): decoded input ->
// mgn/backend -> output. DescribeSourceServers and DescribeJobs page with maxResults / nextToken;
// InitializeService is idempotent (the account counts as initialized).
#include "harness/serve/mgn/backend.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

#include "models/mgn/source_server.hpp"

#include <algorithm>
#include <optional>
#include <set>

namespace migsim::harness::serve {

namespace {

// LifeCycleState and ReplicationType values of the MGN API (botocore mgn/2020-02-26).
const std::set<std::string> kLifeCycleStates = {"STOPPED",         "NOT_READY",          "READY_FOR_TEST",
                                                "TESTING",         "READY_FOR_CUTOVER",  "CUTTING_OVER",
                                                "CUTOVER",         "DISCONNECTED",       "DISCOVERED",
                                                "PENDING_INSTALLATION"};
const std::set<std::string> kReplicationTypes = {"AGENT_BASED", "SNAPSHOT_SHIPPING"};

// MGN's ValidationException (the codec has already checked types and enums against the shape).
AwsError invalid(const std::string& message) { return errors::validation(message); }

// MGN's paging (maxResults 1-1000, nextToken), as its model declares it.
const Paging kPaging{.max_member = "maxResults", .token_member = "nextToken", .default_max = 1000};

// One page of a Describe* listing: {"items", "nextToken" when there is more}.
json page_of(const json& items, const json& p)
{
  Page page = paginate(items, p, kPaging);
  json out = {{"items", std::move(page.items)}};
  if (!page.next_token.empty())
    out["nextToken"] = page.next_token;
  return out;
}

// The request's filters object (paging is checked by page_of).
json filters_of(const json& p)
{
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

// The sourceServerID of an operation on one server.
std::string server_id(const json& in)
{
  if (!in.contains("sourceServerID") || !in["sourceServerID"].is_string())
    throw errors::error("ValidationException", "sourceServerID is required");
  return in["sourceServerID"];
}

// The sourceServerIDs of a launch (1 to 200 of them).
std::vector<std::string> server_ids(const json& in)
{
  if (!in.contains("sourceServerIDs") || !in["sourceServerIDs"].is_array() || in["sourceServerIDs"].empty() ||
      in["sourceServerIDs"].size() > 200)
    throw errors::error("ValidationException", "sourceServerIDs must list 1 to 200 source server IDs");
  std::vector<std::string> out;
  for (const json& id : in["sourceServerIDs"])
    out.push_back(server_id(json{{"sourceServerID", id}}));
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
         for (const auto& server : mgn::servers(ctx)) {
           const models::mgn::SourceServerDescription d = server->describe();
           if (accepts(ids, d.source_server_id) && accepts(states, d.life_cycle.state) &&
               accepts(types, "AGENT_BASED") && (!apps || apps->empty()) &&
               (!f.contains("isArchived") || f["isArchived"].get<bool>() == d.is_archived))
             items.push_back(mgn::source_server_json(ctx, *server, true));
         }
         return page_of(items, p);
        });
  r.add("mgn", "DescribeJobs",
        {"filters.jobIDs", "filters.fromDate", "filters.toDate", "maxResults", "nextToken"},
        [](const json& p, ServeContext& ctx) {
         const json f = filters_of(p);
         const auto ids = string_list(f, "jobIDs");
         const std::string from = date_filter(f, "fromDate"), to = date_filter(f, "toDate");
         const auto jobs = mgn::jobs(ctx);
         json items = json::array();
         for (const auto& j : jobs)  // ISO-8601 UTC strings of one format compare as dates
           if (accepts(ids, j.job_id) && (from.empty() || j.creation_date_time >= from) &&
               (to.empty() || j.creation_date_time <= to))
             items.push_back(mgn::job_json(ctx, j));
         return page_of(items, p);
        });
  r.add("mgn", "InitializeService", {}, [](const json&, ServeContext&) { return json::object(); });
  r.add("mgn", "ChangeServerLifeCycleState", {"sourceServerID", "lifeCycle"}, [](const json& in, ServeContext& ctx) {
    const std::string id = server_id(in);
    const std::string state = in.contains("lifeCycle") ? in["lifeCycle"].value("state", std::string()) : "";
    return mgn::change_lifecycle_state(ctx, id, state);
  });
  r.add("mgn", "StartTest", {"sourceServerIDs"}, [](const json& in, ServeContext& ctx) {
    return json{{"job", mgn::launch(ctx, server_ids(in), mgn::Launch::test)}};
  });
  r.add("mgn", "StartCutover", {"sourceServerIDs"}, [](const json& in, ServeContext& ctx) {
    return json{{"job", mgn::launch(ctx, server_ids(in), mgn::Launch::cutover)}};
  });
  r.add("mgn", "FinalizeCutover", {"sourceServerID"},
        [](const json& in, ServeContext& ctx) { return mgn::finalize_cutover(ctx, server_id(in)); });
  r.add("mgn", "TerminateTargetInstances", {"sourceServerIDs"}, [](const json& in, ServeContext& ctx) {
    return json{{"job", mgn::launch(ctx, server_ids(in), mgn::Launch::terminate)}};
  });
  r.add("mgn", "MarkAsArchived", {"sourceServerID"},
        [](const json& in, ServeContext& ctx) { return mgn::mark_as_archived(ctx, server_id(in)); });
  r.add("mgn", "GetLaunchConfiguration", {"sourceServerID"},
        [](const json& in, ServeContext& ctx) { return mgn::launch_configuration(ctx, server_id(in)); });
  r.add("mgn", "UpdateLaunchConfiguration",
        {"sourceServerID", "name", "launchDisposition", "targetInstanceTypeRightSizingMethod", "copyPrivateIp",
         "copyTags", "bootMode"},
        [](const json& in, ServeContext& ctx) { return mgn::update_launch_configuration(ctx, server_id(in), in); });
}

}  // namespace migsim::harness::serve
