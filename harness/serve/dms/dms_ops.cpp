#include "harness/serve/dms/dms_ops.hpp"
#include "harness/serve/core/resource.hpp"

#include "harness/serve/dms/dms_api.hpp"
#include "harness/serve/core/registry.hpp"

#include "models/cutover/migration.hpp"
#include "models/dms/error_behavior.hpp"
#include "models/dms/replication.hpp"
#include "models/onprem/onprem_estate.hpp"

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

namespace migsim::harness::serve {

namespace {

using nlohmann::json;

const std::string kArn = arn_in("us-east-1", "dms", "");


double now(ServeContext& ctx) { return ctx.simulation.now(); }
DmsResources& res(ServeContext& ctx) { return ctx.state<DmsResources>(); }

// A required string member.
std::string str(const json& in, const char* key)
{
  if (!in.contains(key) || !in[key].is_string() || in[key].get<std::string>().empty())
    throw errors::error("InvalidParameterValueException", std::string(key) + " is required");
  return in[key];
}

// DMS identifiers: 1-255 letters, digits, hyphens; start with a letter; no trailing or double hyphen.
std::string identifier(const json& in, const char* key)
{
  const std::string id = str(in, key);
  static const std::regex ok("^[A-Za-z](?:[A-Za-z0-9]|-(?!-))*$");
  if (id.size() > 255 || !std::regex_match(id, ok) || id.back() == '-')
    throw errors::error("InvalidParameterValueException",
                   std::string(key) + " '" + id + "' must begin with a letter and contain only ASCII letters, digits, "
                                                  "and hyphens; it must not end with a hyphen or contain two consecutive hyphens");
  std::string lower = id;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  return lower;
}

// A DMS resource ARN: the account, the kind, an upper-case id derived from the identifier.
std::string arn(const char* kind, const std::string& id)
{
  std::string up = id;
  std::transform(up.begin(), up.end(), up.begin(), ::toupper);
  up.erase(std::remove(up.begin(), up.end(), '-'), up.end());
  return kArn + std::string(kind) + ":" + up;
}

// Applies DMS Filters ({Name, Values}) given the field each supported name matches (values match
// case-insensitively, as DMS does).
json filtered(const json& items, const json& in, const std::map<std::string, std::string>& names)
{
  FilterFields fields;
  for (const auto& [name, field] : names)
    fields[name] = [field = field](const json& item) { return item.contains(field) ? item[field].get<std::string>() : ""; };
  return apply_filters(items, in, fields, {.case_insensitive = true, .code = "InvalidParameterValueException"});
}

// Every endpoint (scenario's first), with its current fields.
json all_endpoints(ServeContext& ctx)
{
  json items = dms_scenario_endpoints(ctx);
  for (const auto& [a, e] : res(ctx).endpoints)
    items.push_back(e);
  return items;
}

const json& endpoint_by_arn(ServeContext& ctx, const std::string& a)
{
  static json found;
  for (const json& e : all_endpoints(ctx))
    if (e["EndpointArn"] == a)
      return found = e;
  throw errors::error("ResourceNotFoundFault", "Endpoint " + a + " not found");
}

// Whether AWS-side DMS can reach a server: a scenario server, on-prem ones only over the VPN.
std::pair<bool, std::string> reachable(ServeContext& ctx, const std::string& server)
{
  const sim::Scenario& sc = ctx.simulation.scenario();
  const sim::ServerSpec* s = sc.server(server);
  if (!s)
    return {false, "Can't connect to MySQL server on '" + server + "' (Unknown host)"};
  const models::Migration* m = ctx.simulation.migration();
  const bool onprem = m && s->zone == sc.server(m->spec().db_source_server)->zone;
  if (onprem && !ctx.simulation.estate().platform().link_up(m->spec().vpn_link))
    return {false, "Can't connect to MySQL server on '" + server + "' (110 Connection timed out): link " +
                       m->spec().vpn_link + " is down"};
  return {true, ""};
}

// A connection as DescribeConnections shows it now.
json connection_now(ServeContext& ctx, const std::pair<std::string, std::string>& key)
{
  auto& r = res(ctx);
  json c = r.connections.at(key);
  if (now(ctx) < r.connection_done_s.at(key)) {
    c["Status"] = "testing";
    c.erase("LastFailureMessage");
  }
  return c;
}

// A replication instance as Describe shows it now.
json instance_now(ServeContext& ctx, const std::string& a)
{
  auto& r = res(ctx);
  json i = r.instances.at(a);
  i["ReplicationInstanceStatus"] = r.instance_status.at(a).at(now(ctx));
  return i;
}

const json& instance_by_arn(ServeContext& ctx, const std::string& a)
{
  auto& r = res(ctx);
  auto it = r.instances.find(a);
  if (it == r.instances.end() || r.instance_status.at(a).at(now(ctx)) == "deleted")
    throw errors::error("ResourceNotFoundFault", "Replication instance " + a + " not found");
  return it->second;
}

// A task as Describe shows it now, with the live replication's statistics when it mirrors it.
json task_now(ServeContext& ctx, const std::string& a)
{
  auto& r = res(ctx);
  json t = r.tasks.at(a);
  const std::string status = r.task_status.at(a).at(now(ctx));
  t["Status"] = status;
  const models::Migration* m = ctx.simulation.migration();
  const bool mirrors = m && m->dms() && t["SourceEndpointArn"] == kArn + std::string("endpoint:") + models::kDmsSourceEndpointId &&
                       t["TargetEndpointArn"] == kArn + std::string("endpoint:") + models::kDmsTargetEndpointId;
  json stats = {{"FullLoadProgressPercent", 0}, {"ElapsedTimeMillis", 0}, {"TablesLoaded", 0},
                {"TablesLoading", 0},           {"TablesQueued", 0},      {"TablesErrored", 0}};
  if (mirrors && (status == "running" || status == "stopped" || status == "stopping")) {
    const auto d = m->dms()->describe();
    stats = {{"FullLoadProgressPercent", static_cast<int>(std::floor(d.full_load_progress_percent))},
             {"ElapsedTimeMillis", static_cast<long long>(d.elapsed_time_ms)},
             {"TablesLoaded", d.tables_loaded},
             {"TablesLoading", d.tables_loading},
             {"TablesQueued", d.tables_queued},
             {"TablesErrored", d.tables_errored}};
    if (d.full_load_start_date_s >= 0)
      stats["FullLoadStartDate"] = epoch_s(d.full_load_start_date_s);
    if (d.full_load_finish_date_s >= 0)
      stats["FullLoadFinishDate"] = epoch_s(d.full_load_finish_date_s);
  }
  t["ReplicationTaskStats"] = stats;
  return t;
}

json& task_by_arn(ServeContext& ctx, const std::string& a)
{
  auto& r = res(ctx);
  auto it = r.tasks.find(a);
  if (it == r.tasks.end() || r.task_status.at(a).at(now(ctx)) == "deleted")
    throw errors::error("ResourceNotFoundFault", "Replication task " + a + " not found");
  return it->second;
}

json create_endpoint(const json& in, ServeContext& ctx)
{
  const std::string id = identifier(in, "EndpointIdentifier");
  const std::string type = str(in, "EndpointType");
  if (type != "source" && type != "target" && type != "SOURCE" && type != "TARGET")
    throw errors::error("InvalidParameterValueException", "EndpointType must be source or target");
  const std::string engine = str(in, "EngineName");
  const std::string a = arn("endpoint", id);
  for (const json& e : all_endpoints(ctx))
    if (e["EndpointIdentifier"] == id)
      throw errors::error("ResourceAlreadyExistsFault", "Endpoint " + id + " already exists");
  std::string upper = type;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  json e = {{"EndpointIdentifier", id}, {"EndpointType", upper}, {"EngineName", engine},
            {"EngineDisplayName", engine == "mysql" ? "MySQL" : engine == "aurora" ? "Amazon Aurora MySQL" : engine},
            {"Status", "active"}, {"EndpointArn", a}, {"SslMode", in.value("SslMode", std::string("none"))}};
  for (const char* k : {"ServerName", "DatabaseName", "Username"})
    if (in.contains(k))
      e[k] = in[k];
  if (in.contains("Port"))
    e["Port"] = in["Port"];
  res(ctx).endpoints[a] = e;
  return {{"Endpoint", e}};
}

json test_connection(const json& in, ServeContext& ctx)
{
  const std::string ia = str(in, "ReplicationInstanceArn"), ea = str(in, "EndpointArn");
  const json& inst = instance_by_arn(ctx, ia);
  if (res(ctx).instance_status.at(ia).at(now(ctx)) != "available")
    throw errors::error("InvalidResourceStateFault", "Replication instance " + ia + " is not available");
  const json e = endpoint_by_arn(ctx, ea);
  const auto [ok, why] = reachable(ctx, e.value("ServerName", std::string()));
  json c = {{"ReplicationInstanceArn", ia}, {"EndpointArn", ea}, {"Status", ok ? "successful" : "failed"},
            {"EndpointIdentifier", e["EndpointIdentifier"]},
            {"ReplicationInstanceIdentifier", inst["ReplicationInstanceIdentifier"]}};
  if (!ok)
    c["LastFailureMessage"] = why;
  auto key = std::make_pair(ia, ea);
  res(ctx).connections[key] = c;
  res(ctx).connection_done_s[key] = now(ctx) + kTestConnection_s;
  return {{"Connection", connection_now(ctx, key)}};
}

// The ComputeConfig a replication config shows: what was given (subnet group, security groups,
// maintenance window, ...) with DMS's defaults filled in.
json compute_config(const json& given, int min_dcu, int max_dcu)
{
  json c = given;
  c["MinCapacityUnits"] = min_dcu;
  c["MaxCapacityUnits"] = max_dcu;
  c["MultiAZ"] = given.value("MultiAZ", false);
  if (!c.contains("PreferredMaintenanceWindow"))
    c["PreferredMaintenanceWindow"] = "sun:06:00-sun:06:30";
  if (!c.contains("VpcSecurityGroupIds"))
    c["VpcSecurityGroupIds"] = json::array();
  return c;
}

// A ReplicationSettings document as DMS shows it back: as given, with the ErrorBehavior settings
// the model reads filled in with their defaults (bad JSON or values: InvalidParameterValueException).
std::string replication_settings(const std::string& given)
{
  json s = json::parse(given, nullptr, false);
  const auto eb = replication_error_behavior(given, models::dms::ErrorBehavior{});
  s["ErrorBehavior"].update(models::dms::to_json(eb));
  return s.dump();
}

json create_replication_config(const json& in, ServeContext& ctx)
{
  const std::string id = identifier(in, "ReplicationConfigIdentifier");
  const std::string src = str(in, "SourceEndpointArn"), dst = str(in, "TargetEndpointArn");
  endpoint_by_arn(ctx, src);
  endpoint_by_arn(ctx, dst);
  const std::string type = str(in, "ReplicationType");
  if (type != "full-load" && type != "cdc" && type != "full-load-and-cdc")
    throw errors::error("InvalidParameterValueException", "ReplicationType must be full-load, cdc or full-load-and-cdc");
  if (!in.contains("ComputeConfig") || !in["ComputeConfig"].contains("MaxCapacityUnits"))
    throw errors::error("InvalidParameterValueException", "ComputeConfig.MaxCapacityUnits is required");
  static const std::set<int> kDcu = {1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384};
  const int max_dcu = in["ComputeConfig"]["MaxCapacityUnits"], min_dcu = in["ComputeConfig"].value("MinCapacityUnits", 1);
  if (!kDcu.count(max_dcu) || !kDcu.count(min_dcu) || min_dcu > max_dcu)
    throw errors::error("InvalidParameterValueException", "capacity units must be one of 1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384 with Min <= Max");
  str(in, "TableMappings");
  const std::string a = arn("replication-config", id);
  const json sc = dms_scenario_config(ctx);
  if (res(ctx).configs.count(a) || (!sc.is_null() && sc["ReplicationConfigIdentifier"] == id))
    throw errors::error("ResourceAlreadyExistsFault", "Replication config " + id + " already exists");
  json c = {{"ReplicationConfigIdentifier", id}, {"ReplicationConfigArn", a}, {"SourceEndpointArn", src},
            {"TargetEndpointArn", dst}, {"ReplicationType", type},
            {"ComputeConfig", compute_config(in["ComputeConfig"], min_dcu, max_dcu)},
            {"TableMappings", in["TableMappings"]}, {"ReplicationConfigCreateTime", epoch_s(now(ctx))},
            {"IsReadOnly", false}};
  c["ReplicationSettings"] = replication_settings(in.value("ReplicationSettings", std::string("{}")));
  if (in.contains("SupplementalSettings"))
    c["SupplementalSettings"] = in["SupplementalSettings"];
  res(ctx).configs[a] = c;
  ctx.state<Tags>().add(a, in.value("Tags", json::array()));
  return {{"ReplicationConfig", c}};
}

json create_replication_instance(const json& in, ServeContext& ctx)
{
  const std::string id = identifier(in, "ReplicationInstanceIdentifier");
  const std::string cls = str(in, "ReplicationInstanceClass");
  if (cls.rfind("dms.", 0) != 0)
    throw errors::error("InvalidParameterValueException", "ReplicationInstanceClass must be a dms.* class, got '" + cls + "'");
  const std::string a = arn("rep", id);
  if (res(ctx).instances.count(a) && res(ctx).instance_status.at(a).at(now(ctx)) != "deleted")
    throw errors::error("ResourceAlreadyExistsFault", "Replication instance " + id + " already exists");
  json i = {{"ReplicationInstanceIdentifier", id}, {"ReplicationInstanceClass", cls},
            {"ReplicationInstanceArn", a}, {"AllocatedStorage", in.value("AllocatedStorage", 50)},
            {"MultiAZ", in.value("MultiAZ", false)}, {"EngineVersion", in.value("EngineVersion", std::string("3.5.3"))},
            {"InstanceCreateTime", epoch_s(now(ctx))}, {"PubliclyAccessible", in.value("PubliclyAccessible", true)},
            {"AvailabilityZone", "us-east-1a"}};
  res(ctx).instances[a] = i;
  Timeline t;
  t.then(now(ctx), "creating");
  t.then(now(ctx) + kInstanceProvision_s, "available");
  res(ctx).instance_status[a] = t;
  return {{"ReplicationInstance", instance_now(ctx, a)}};
}

json create_replication_task(const json& in, ServeContext& ctx)
{
  const std::string id = identifier(in, "ReplicationTaskIdentifier");
  const std::string src = str(in, "SourceEndpointArn"), dst = str(in, "TargetEndpointArn"),
                    ia = str(in, "ReplicationInstanceArn"), type = str(in, "MigrationType");
  if (type != "full-load" && type != "cdc" && type != "full-load-and-cdc")
    throw errors::error("InvalidParameterValueException", "MigrationType must be full-load, cdc or full-load-and-cdc");
  str(in, "TableMappings");
  endpoint_by_arn(ctx, src);
  endpoint_by_arn(ctx, dst);
  instance_by_arn(ctx, ia);
  const std::string a = arn("task", id);
  if (res(ctx).tasks.count(a) && res(ctx).task_status.at(a).at(now(ctx)) != "deleted")
    throw errors::error("ResourceAlreadyExistsFault", "Replication task " + id + " already exists");
  json t = {{"ReplicationTaskIdentifier", id}, {"SourceEndpointArn", src}, {"TargetEndpointArn", dst},
            {"ReplicationInstanceArn", ia}, {"MigrationType", type}, {"TableMappings", in["TableMappings"]},
            {"ReplicationTaskArn", a}, {"ReplicationTaskCreationDate", epoch_s(now(ctx))}};
  res(ctx).tasks[a] = t;
  Timeline tl;
  tl.then(now(ctx), "creating");
  tl.then(now(ctx) + kTaskCreate_s, "ready");
  res(ctx).task_status[a] = tl;
  return {{"ReplicationTask", task_now(ctx, a)}};
}

json start_replication_task(const json& in, ServeContext& ctx)
{
  const std::string a = str(in, "ReplicationTaskArn");
  json& t = task_by_arn(ctx, a);
  const std::string type = str(in, "StartReplicationTaskType");
  if (type != "start-replication" && type != "resume-processing" && type != "reload-target")
    throw errors::error("InvalidParameterValueException", "StartReplicationTaskType must be start-replication, resume-processing or reload-target");
  Timeline& tl = res(ctx).task_status.at(a);
  const std::string status = tl.at(now(ctx));
  if (status != "ready" && status != "stopped" && status != "failed")
    throw errors::error("InvalidResourceStateFault", "Replication task " + a + " is " + status + ": it can start only when ready, stopped or failed");
  tl.then(now(ctx), "starting");
  tl.then(now(ctx) + kTaskStart_s, "running");
  t["ReplicationTaskStartDate"] = epoch_s(now(ctx));
  return {{"ReplicationTask", task_now(ctx, a)}};
}

json stop_replication_task(const json& in, ServeContext& ctx)
{
  const std::string a = str(in, "ReplicationTaskArn");
  task_by_arn(ctx, a);
  Timeline& tl = res(ctx).task_status.at(a);
  const std::string status = tl.at(now(ctx));
  if (status != "running" && status != "starting")
    throw errors::error("InvalidResourceStateFault", "Replication task " + a + " is " + status + ": only a running task can stop");
  tl.steps.erase(std::remove_if(tl.steps.begin(), tl.steps.end(), [&](const auto& s) { return s.first > now(ctx); }),
                 tl.steps.end());
  tl.then(now(ctx), "stopping");
  tl.then(now(ctx) + kTaskStop_s, "stopped");
  return {{"ReplicationTask", task_now(ctx, a)}};
}

json delete_replication_task(const json& in, ServeContext& ctx)
{
  const std::string a = str(in, "ReplicationTaskArn");
  task_by_arn(ctx, a);
  Timeline& tl = res(ctx).task_status.at(a);
  const std::string status = tl.at(now(ctx));
  if (status == "running" || status == "starting" || status == "stopping" || status == "creating" || status == "deleting")
    throw errors::error("InvalidResourceStateFault", "Replication task " + a + " is " + status + ": stop it before deleting it");
  tl.then(now(ctx), "deleting");
  tl.then(now(ctx) + kDelete_s, "deleted");
  return {{"ReplicationTask", task_now(ctx, a)}};
}

json describe(const char* list_key, json items, const json& in, const std::map<std::string, std::string>& filters)
{
  return {{list_key, filtered(items, in, filters)}};
}

}  // namespace

models::dms::ErrorBehavior replication_error_behavior(const std::string& settings_json, models::dms::ErrorBehavior base)
{
  const json s = json::parse(settings_json, nullptr, false);
  if (s.is_discarded())
    throw errors::error("InvalidParameterValueException", "ReplicationSettings is not valid JSON");
  try {
    return models::dms::error_behavior_from_settings(s, base);
  } catch (const std::invalid_argument& e) {
    throw errors::error("InvalidParameterValueException", e.what());
  }
}

json modify_replication_config(const json& in, ServeContext& ctx)
{
  const std::string a = str(in, "ReplicationConfigArn");
  auto& cs = res(ctx).configs;
  if (!cs.count(a))
    throw errors::error("ResourceNotFoundFault", "Replication config " + a + " not found");
  json& c = cs.at(a);
  if (in.contains("ReplicationSettings")) {
    replication_error_behavior(in["ReplicationSettings"].get<std::string>(), {});  // rejects bad JSON and values
    json merged = json::parse(c.value("ReplicationSettings", std::string("{}")));
    merged.merge_patch(json::parse(in["ReplicationSettings"].get<std::string>(), nullptr, false));
    c["ReplicationSettings"] = replication_settings(merged.dump());
  }
  return c;
}

std::string Timeline::at(double now_s) const
{
  std::string s;
  for (const auto& [t, status] : steps)
    if (t <= now_s)
      s = status;
  return s;
}

void register_dms_subnet_groups(Registry& r);  // subnet_groups.cpp

// DescribeEndpoints and DescribeReplicationConfigs are dms_api.cpp's (they list these resources too).
void register_dms_ops(Registry& r)
{
  register_dms_subnet_groups(r);
  r.add("dms", "CreateEndpoint", {"EndpointIdentifier", "EndpointType", "EngineName", "ServerName", "Port", "DatabaseName", "Username", "SslMode", "Tags"},
        [](const json& in, ServeContext& ctx) {
          json out = create_endpoint(in, ctx);
          ctx.state<Tags>().add(out["Endpoint"]["EndpointArn"], in.value("Tags", json::array()));
          return out;
        });
  r.add("dms", "DeleteEndpoint", {"EndpointArn"},
        [](const json& in, ServeContext& ctx) {
         const std::string a = str(in, "EndpointArn");
         auto& eps = res(ctx).endpoints;
         if (!eps.count(a))
           throw errors::error("ResourceNotFoundFault", "Endpoint " + a + " not found (the scenario's endpoints cannot be deleted)");
         json e = eps.at(a);
         e["Status"] = "deleting";
         eps.erase(a);
         return json{{"Endpoint", e}};
       });
  r.add("dms", "TestConnection", {"ReplicationInstanceArn", "EndpointArn"},
        test_connection);
  r.add("dms", "DescribeConnections", {"Filters"},
        [](const json& in, ServeContext& ctx) {
         json items = json::array();
         for (const auto& [key, c] : res(ctx).connections)
           items.push_back(connection_now(ctx, key));
         return describe("Connections", items, in,
                         {{"endpoint-arn", "EndpointArn"}, {"replication-instance-arn", "ReplicationInstanceArn"}});
       });
  r.add("dms", "CreateReplicationConfig", {"ReplicationConfigIdentifier", "SourceEndpointArn", "TargetEndpointArn", "ReplicationType", "ComputeConfig", "TableMappings", "ReplicationSettings", "SupplementalSettings", "Tags"},
        create_replication_config);
  r.add("dms", "DeleteReplicationConfig", {"ReplicationConfigArn"},
        [](const json& in, ServeContext& ctx) {
         const std::string a = str(in, "ReplicationConfigArn");
         auto& cs = res(ctx).configs;
         if (!cs.count(a))
           throw errors::error("ResourceNotFoundFault", "Replication config " + a + " not found (the scenario's config cannot be deleted)");
         json c = cs.at(a);
         cs.erase(a);
         return json{{"ReplicationConfig", c}};
       });
  r.add("dms", "CreateReplicationInstance", {"ReplicationInstanceIdentifier", "ReplicationInstanceClass", "AllocatedStorage", "MultiAZ", "EngineVersion", "PubliclyAccessible"},
        create_replication_instance);
  r.add("dms", "DescribeReplicationInstances", {"Filters"},
        [](const json& in, ServeContext& ctx) {
         json items = json::array();
         for (const auto& [a, i] : res(ctx).instances)
           if (res(ctx).instance_status.at(a).at(now(ctx)) != "deleted")
             items.push_back(instance_now(ctx, a));
         return describe("ReplicationInstances", items, in,
                         {{"replication-instance-arn", "ReplicationInstanceArn"},
                          {"replication-instance-id", "ReplicationInstanceIdentifier"},
                          {"replication-instance-class", "ReplicationInstanceClass"}});
       });
  r.add("dms", "DeleteReplicationInstance", {"ReplicationInstanceArn"},
        [](const json& in, ServeContext& ctx) {
         const std::string a = str(in, "ReplicationInstanceArn");
         instance_by_arn(ctx, a);
         for (const auto& [ta, t] : res(ctx).tasks)
           if (t["ReplicationInstanceArn"] == a && res(ctx).task_status.at(ta).at(now(ctx)) != "deleted")
             throw errors::error("InvalidResourceStateFault", "Replication instance " + a + " still has task " + ta);
         Timeline& tl = res(ctx).instance_status.at(a);
         tl.then(now(ctx), "deleting");
         tl.then(now(ctx) + kDelete_s, "deleted");
         return json{{"ReplicationInstance", instance_now(ctx, a)}};
       });
  r.add("dms", "CreateReplicationTask", {"ReplicationTaskIdentifier", "SourceEndpointArn", "TargetEndpointArn", "ReplicationInstanceArn", "MigrationType", "TableMappings"},
        create_replication_task);
  r.add("dms", "StartReplicationTask", {"ReplicationTaskArn", "StartReplicationTaskType"},
        start_replication_task);
  r.add("dms", "StopReplicationTask", {"ReplicationTaskArn"},
        stop_replication_task);
  r.add("dms", "DeleteReplicationTask", {"ReplicationTaskArn"},
        delete_replication_task);
  r.add("dms", "DescribeReplicationTasks", {"Filters", "WithoutSettings"},
        [](const json& in, ServeContext& ctx) {
         json items = json::array();
         for (const auto& [a, t] : res(ctx).tasks)
           if (res(ctx).task_status.at(a).at(now(ctx)) != "deleted")
             items.push_back(task_now(ctx, a));
         return describe("ReplicationTasks", items, in,
                         {{"replication-task-arn", "ReplicationTaskArn"},
                          {"replication-task-id", "ReplicationTaskIdentifier"},
                          {"migration-type", "MigrationType"},
                          {"endpoint-arn", "SourceEndpointArn"},
                          {"replication-instance-arn", "ReplicationInstanceArn"}});
       });
}


}  // namespace migsim::harness::serve
