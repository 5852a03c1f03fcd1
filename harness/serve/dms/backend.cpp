#include "harness/serve/dms/backend.hpp"
#include "harness/serve/core/resource.hpp"

#include "models/cutover/migration.hpp"
#include "models/dms/error_behavior.hpp"
#include "models/dms/replication.hpp"
#include "models/mysql/database.hpp"
#include "models/onprem/onprem_estate.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <regex>
#include <set>

namespace migsim::harness::serve::dms {

namespace {

namespace mdms = models::dms;

// arn:aws:dms:REGION:ACCOUNT: of the request's region (the scenario's resources answer only in theirs).
std::string arn_prefix(const ServeContext& ctx) { return arn(ctx, "dms", ""); }
// Identifiers the migration model gives its replication and endpoints when it creates them
// (models/cutover/migration_adapters.cpp); used to describe the config before DMS has started.
constexpr const char* kConfigIdBeforeStart = models::kDmsReplicationConfigId;
constexpr const char* kSourceIdBeforeStart = models::kDmsSourceEndpointId;
constexpr const char* kTargetIdBeforeStart = models::kDmsTargetEndpointId;

double now(ServeContext& ctx) { return ctx.simulation.now(); }
DmsBackend& res(ServeContext& ctx) { return ctx.state<DmsBackend>(); }

// ---- The scenario's replication ----

// The replication config as the API sees it, from the live replication or, before it starts, the spec.
struct ConfigView {
  std::string id, source_id, target_id, source_server, target_server, type;
  int min_dcu = 1, max_dcu = 1;
  const mdms::Replication* live = nullptr;
  std::string prefix;  // arn:aws:dms:REGION:ACCOUNT:
  std::string config_arn, source_arn, target_arn;  // set for a config created through the API
  std::string arn() const { return config_arn.empty() ? prefix + "replication-config:" + id : config_arn; }
  std::string endpoint_arn(const std::string& endpoint_id) const { return prefix + "endpoint:" + endpoint_id; }
  std::string source_endpoint_arn() const { return source_arn.empty() ? endpoint_arn(source_id) : source_arn; }
  std::string target_endpoint_arn() const { return target_arn.empty() ? endpoint_arn(target_id) : target_arn; }
  double created_s = 0;
  mdms::ErrorBehavior error_behavior;  // the scenario's (its config) or the config's ReplicationSettings
};

// The scenario's replication config, or nothing when the scenario migrates no database (or the
// request is for another region).
std::optional<ConfigView> config_view(ServeContext& ctx)
{
  const models::Migration* m = ctx.simulation.migration();
  if (!m || !in_scenario_region(ctx))
    return std::nullopt;
  const auto& spec = m->spec();
  ConfigView v{kConfigIdBeforeStart, kSourceIdBeforeStart, kTargetIdBeforeStart, spec.db_source_server,
               spec.db_target_server, spec.dms_migration_type, spec.dms_min_dcu, spec.dms_max_dcu, m->dms(),
               arn_prefix(ctx)};
  v.error_behavior = spec.dms_error_behavior;
  if (v.live) {
    const auto& cfg = v.live->config();
    v.id = cfg.id;
    v.source_id = cfg.source.id;
    v.target_id = cfg.target.id;
    v.type = mdms::to_string(cfg.settings.migration_type);
    v.min_dcu = cfg.settings.min_capacity_units;
    v.max_dcu = cfg.settings.max_capacity_units;
  }
  return v;
}

// Sets `key` to the epoch seconds of a simulated time, unless the event has not happened (< 0).
void put_time(json& obj, const char* key, double sim_s)
{
  if (sim_s >= 0)
    obj[key] = epoch_s(sim_s);
}

// One element of DescribeReplications.
json replication_json(const ConfigView& v)
{
  json r = {{"ReplicationConfigIdentifier", v.id},   {"ReplicationConfigArn", v.arn()},
            {"SourceEndpointArn", v.source_endpoint_arn()},
            {"TargetEndpointArn", v.target_endpoint_arn()},
            {"ReplicationType", v.type},              {"Status", mdms::kStatusCreated},
            {"ReplicationCreateTime", epoch_s(v.created_s)}};
  if (!v.live)
    return r;
  const mdms::ReplicationDescription d = v.live->describe();
  r["Status"] = d.status;
  if (!d.stop_reason.empty())
    r["StopReason"] = d.stop_reason;
  if (!d.failure_messages.empty())
    r["FailureMessages"] = d.failure_messages;
  if (!d.provision_state.empty())
    r["ProvisionData"] = {{"ProvisionState", d.provision_state}, {"ProvisionedCapacityUnits", d.provisioned_capacity_units}};
  json stats = {{"FullLoadProgressPercent", static_cast<int>(std::floor(d.full_load_progress_percent))},
                {"ElapsedTimeMillis", static_cast<long long>(d.elapsed_time_ms)},
                {"TablesLoaded", d.tables_loaded},
                {"TablesLoading", d.tables_loading},
                {"TablesQueued", d.tables_queued},
                {"TablesErrored", d.tables_errored}};
  put_time(stats, "FreshStartDate", d.fresh_start_date_s);
  put_time(stats, "StartDate", d.start_date_s);
  put_time(stats, "StopDate", d.stop_date_s);
  put_time(stats, "FullLoadStartDate", d.full_load_start_date_s);
  put_time(stats, "FullLoadFinishDate", d.full_load_finish_date_s);
  r["ReplicationStats"] = stats;
  if (d.fresh_start_date_s >= 0)
    r["StartReplicationType"] = "start-replication";
  put_time(r, "ReplicationLastStopTime", d.replication_last_stop_time_s);
  return r;
}

// One element of DescribeReplicationConfigs.
json config_json(const ConfigView& v)
{
  return {{"ReplicationConfigIdentifier", v.id},
          {"ReplicationConfigArn", v.arn()},
          {"SourceEndpointArn", v.endpoint_arn(v.source_id)},
          {"TargetEndpointArn", v.endpoint_arn(v.target_id)},
          {"ReplicationType", v.type},
          {"ComputeConfig", {{"MinCapacityUnits", v.min_dcu}, {"MaxCapacityUnits", v.max_dcu}, {"MultiAZ", false}}},
          {"ReplicationSettings", json{{"ErrorBehavior", mdms::to_json(v.error_behavior)}}.dump()},
          {"ReplicationConfigCreateTime", epoch_s(0)},
          {"IsReadOnly", false}};
}

// One element of DescribeEndpoints.
json endpoint_json(const ConfigView& v, const std::string& id, const std::string& type, const std::string& server)
{
  return {{"EndpointIdentifier", id}, {"EndpointType", type},   {"EngineName", "mysql"},
          {"EngineDisplayName", "MySQL"}, {"ServerName", server}, {"Port", 3306},
          {"Status", "active"},           {"EndpointArn", v.endpoint_arn(id)}, {"SslMode", "none"}};
}

// One element of DescribeReplicationTableStatistics.
json table_json(const mdms::TableStatistics& t, double now_s)
{
  json j = {{"TableName", t.table_name},
            {"TableState", t.table_state},
            {"FullLoadRows", t.full_load_rows},
            {"Inserts", t.inserts},
            {"Updates", t.updates},
            {"Deletes", t.deletes},
            {"Ddls", 0},
            {"FullLoadCondtnlChkFailedRows", 0},
            {"FullLoadErrorRows", 0},
            {"ValidationState", t.validation_state},
            {"ValidationPendingRecords", t.validation_pending_records},
            {"ValidationFailedRecords", t.validation_failed_records},
            {"ValidationSuspendedRecords", 0},
            {"LastUpdateTime", epoch_s(now_s)}};
  put_time(j, "FullLoadStartTime", t.full_load_start_s);
  put_time(j, "FullLoadEndTime", t.full_load_end_s);
  return j;
}

// A replication config created through the API as the replication operations see it.
ConfigView api_view(ServeContext& ctx, const json& c)
{
  ConfigView v;
  v.id = c["ReplicationConfigIdentifier"];
  v.config_arn = c["ReplicationConfigArn"];
  v.source_arn = c["SourceEndpointArn"];
  v.target_arn = c["TargetEndpointArn"];
  v.type = c["ReplicationType"];
  v.min_dcu = c["ComputeConfig"].value("MinCapacityUnits", 1);
  v.max_dcu = c["ComputeConfig"].value("MaxCapacityUnits", 1);
  v.created_s = c["ReplicationConfigCreateTime"].get<double>() - epoch_s(0);
  auto run = ctx.state<DmsBackend>().runs.find(v.config_arn);
  if (run != ctx.state<DmsBackend>().runs.end())
    v.live = run->second.replication.get();
  return v;
}

// The replication config named by `arn`, the scenario's or one created through the API
// (ResourceNotFoundFault otherwise).
ConfigView config_for(ServeContext& ctx, const std::string& arn)
{
  if (auto v = config_view(ctx); v && v->arn() == arn)
    return *v;
  const auto& configs = ctx.state<DmsBackend>().configs;
  if (auto it = configs.find(arn); it != configs.end())
    return api_view(ctx, it->second);
  throw errors::not_found("Replication config " + arn + " not found", "ResourceNotFoundFault");
}

// The ErrorBehavior settings a ReplicationSettings JSON document gives over `base` (bad JSON or a bad
// value: InvalidParameterValueException naming it).
mdms::ErrorBehavior replication_error_behavior(const std::string& settings_json, mdms::ErrorBehavior base)
{
  const json s = json::parse(settings_json, nullptr, false);
  if (s.is_discarded())
    throw errors::error("InvalidParameterValueException", "ReplicationSettings is not valid JSON");
  try {
    return mdms::error_behavior_from_settings(s, base);
  } catch (const std::invalid_argument& e) {
    throw errors::error("InvalidParameterValueException", e.what());
  }
}

// A ReplicationSettings document as DMS shows it back: as given, with the ErrorBehavior settings
// the model reads filled in with their defaults (bad JSON or values: InvalidParameterValueException).
std::string replication_settings(const std::string& given)
{
  json s = json::parse(given, nullptr, false);
  const auto eb = replication_error_behavior(given, mdms::ErrorBehavior{});
  s["ErrorBehavior"].update(mdms::to_json(eb));
  return s.dump();
}

// The replication of a config created through the API, made at its first start: the scenario's
// source database over the VPN to a target database of its own, with the scenario's DMS settings
// (InvalidResourceStateFault when the endpoints are not servers it can replicate between).
mdms::Replication& api_replication(ServeContext& ctx, const ConfigView& v)
{
  auto& runs = ctx.state<DmsBackend>().runs;
  if (auto it = runs.find(v.config_arn); it != runs.end())
    return *it->second.replication;
  const json source = endpoint(ctx, v.source_arn), target = endpoint(ctx, v.target_arn);
  models::Migration* m = scenario_migration(ctx);
  const std::string source_server = source.value("ServerName", std::string()),
                    target_server = target.value("ServerName", std::string());
  if (!m)
    throw errors::invalid_state("Replication config " + v.id + " cannot start: migsim replicates from the scenario's "
                                "source database, and this scenario (in this region) has none",
                                "InvalidResourceStateFault");
  if (source_server != m->spec().db_source_server)
    throw errors::invalid_state("Replication config " + v.id + " cannot start: its source endpoint's ServerName '" +
                                    source_server + "' is not the scenario's source database server '" +
                                    m->spec().db_source_server + "' (the one migsim replicates from)",
                                "InvalidResourceStateFault");
  if (!ctx.simulation.scenario().server(target_server))
    throw errors::invalid_state("Replication config " + v.id + " cannot start: its target endpoint's ServerName '" +
                                    target_server + "' is not a server of the scenario",
                                "InvalidResourceStateFault");
  const auto& platform = ctx.simulation.estate().platform();
  const auto& spec = m->spec();
  mdms::ReplicationConfig cfg;
  cfg.id = v.id;
  cfg.source = mdms::endpoint_on(platform, source["EndpointIdentifier"], mdms::EndpointRole::Source, source_server);
  cfg.target = mdms::endpoint_on(platform, target["EndpointIdentifier"], mdms::EndpointRole::Target, target_server);
  cfg.settings.min_capacity_units = v.min_dcu;
  cfg.settings.max_capacity_units = v.max_dcu;
  cfg.settings.migration_type = mdms::parse_migration_type(v.type);
  cfg.settings.max_full_load_subtasks = spec.dms_max_full_load_subtasks;
  cfg.settings.batch_apply_enabled = spec.dms_batch_apply;
  cfg.settings.vpn_wire_overhead = spec.vpn_wire_overhead;
  cfg.settings.heartbeat_enable = true;  // as the scenario's: CDCLatencySource stays meaningful at night
  // ErrorBehavior: the config's ReplicationSettings over the scenario's.
  const json& stored = ctx.state<DmsBackend>().configs.at(v.config_arn);
  cfg.settings.error_behavior =
      replication_error_behavior(stored.value("ReplicationSettings", std::string("{}")), spec.dms_error_behavior);
  DmsBackend::Run run;
  run.target = std::make_shared<models::mysql::TargetDatabase>(m->source().tables());
  try {
    run.replication = std::make_shared<mdms::Replication>(cfg, m->source(), *run.target, ctx.simulation.metrics());
  } catch (const std::invalid_argument& e) {
    throw errors::invalid_parameter(e.what(), "InvalidParameterValueException");
  }
  return *runs.emplace(v.config_arn, std::move(run)).first->second.replication;
}

// ---- Resources created through the API ----

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
std::string make_arn(const ServeContext& ctx, const char* kind, const std::string& id)
{
  std::string up = id;
  std::transform(up.begin(), up.end(), up.begin(), ::toupper);
  up.erase(std::remove(up.begin(), up.end(), '-'), up.end());
  return arn_prefix(ctx) + kind + ":" + up;
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
  const bool mirrors = m && m->dms() && in_scenario_region(ctx) &&
                       t["SourceEndpointArn"] == arn_prefix(ctx) + "endpoint:" + models::kDmsSourceEndpointId &&
                       t["TargetEndpointArn"] == arn_prefix(ctx) + "endpoint:" + models::kDmsTargetEndpointId;
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

}  // namespace

std::string Timeline::at(double now_s) const
{
  std::string s;
  for (const auto& [t, status] : steps)
    if (t <= now_s)
      s = status;
  return s;
}

// ---- The scenario's replication ----

json scenario_endpoints(ServeContext& ctx)
{
  json items = json::array();
  if (auto v = config_view(ctx)) {
    items.push_back(endpoint_json(*v, v->source_id, "SOURCE", v->source_server));
    items.push_back(endpoint_json(*v, v->target_id, "TARGET", v->target_server));
  }
  return items;
}

json scenario_config(ServeContext& ctx)
{
  auto v = config_view(ctx);
  return v ? config_json(*v) : json();
}

json replications(ServeContext& ctx)
{
  json items = json::array();
  if (auto v = config_view(ctx))
    items.push_back(replication_json(*v));
  for (const auto& [a, c] : res(ctx).configs)
    items.push_back(replication_json(api_view(ctx, c)));
  return items;
}

json table_statistics(ServeContext& ctx, const std::string& config_arn)
{
  const ConfigView v = config_for(ctx, config_arn);
  json items = json::array();
  if (v.live)  // not started yet: no table statistics
    for (const auto& t : v.live->table_statistics())
      items.push_back(table_json(t, now(ctx)));
  return items;
}

json start_replication(ServeContext& ctx, const std::string& config_arn, const std::string& type)
{
  const ConfigView v = config_for(ctx, config_arn);
  if (type != "start-replication" && type != "resume-processing")
    throw errors::invalid_parameter("StartReplicationType must be start-replication or resume-processing (reload-target "
                                    "is not simulated), got \"" + type + "\"", "InvalidParameterValueException");
  try {
    if (v.config_arn.empty())
      ctx.simulation.migration()->start_replication();
    else
      api_replication(ctx, v).start();  // a fresh start, or a resume from the checkpoint
  } catch (const std::logic_error& e) {
    throw errors::invalid_state(e.what(), "InvalidResourceStateFault");
  }
  return replication_json(config_for(ctx, config_arn));
}

json stop_replication(ServeContext& ctx, const std::string& config_arn)
{
  const ConfigView v = config_for(ctx, config_arn);
  try {
    if (v.config_arn.empty())
      ctx.simulation.migration()->stop_replication();
    else if (!v.live)
      throw std::logic_error("the replication has not been started (status created)");
    else
      res(ctx).runs.at(v.config_arn).replication->stop();
  } catch (const std::logic_error& e) {
    throw errors::invalid_state(e.what(), "InvalidResourceStateFault");
  }
  return replication_json(config_for(ctx, config_arn));
}

// ---- Endpoints and connections ----

json endpoints(ServeContext& ctx)
{
  json items = scenario_endpoints(ctx);
  for (const auto& [a, e] : res(ctx).endpoints)
    items.push_back(e);
  return items;
}

const json& endpoint(ServeContext& ctx, const std::string& a)
{
  static json found;
  for (const json& e : endpoints(ctx))
    if (e["EndpointArn"] == a)
      return found = e;
  throw errors::error("ResourceNotFoundFault", "Endpoint " + a + " not found");
}

json create_endpoint(ServeContext& ctx, const json& in)
{
  const std::string id = identifier(in, "EndpointIdentifier");
  const std::string type = str(in, "EndpointType");
  if (type != "source" && type != "target" && type != "SOURCE" && type != "TARGET")
    throw errors::error("InvalidParameterValueException", "EndpointType must be source or target");
  const std::string engine = str(in, "EngineName");
  const std::string a = make_arn(ctx, "endpoint", id);
  for (const json& e : endpoints(ctx))
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
  return e;
}

json delete_endpoint(ServeContext& ctx, const std::string& a)
{
  auto& eps = res(ctx).endpoints;
  if (!eps.count(a))
    throw errors::error("ResourceNotFoundFault", "Endpoint " + a + " not found (the scenario's endpoints cannot be deleted)");
  json e = eps.at(a);
  e["Status"] = "deleting";
  eps.erase(a);
  return e;
}

json test_connection(ServeContext& ctx, const std::string& ia, const std::string& ea)
{
  const json& inst = instance_by_arn(ctx, ia);
  if (res(ctx).instance_status.at(ia).at(now(ctx)) != "available")
    throw errors::error("InvalidResourceStateFault", "Replication instance " + ia + " is not available");
  const json e = endpoint(ctx, ea);
  const auto [ok, why] = reachable(ctx, e.value("ServerName", std::string()));
  json c = {{"ReplicationInstanceArn", ia}, {"EndpointArn", ea}, {"Status", ok ? "successful" : "failed"},
            {"EndpointIdentifier", e["EndpointIdentifier"]},
            {"ReplicationInstanceIdentifier", inst["ReplicationInstanceIdentifier"]}};
  if (!ok)
    c["LastFailureMessage"] = why;
  auto key = std::make_pair(ia, ea);
  res(ctx).connections[key] = c;
  res(ctx).connection_done_s[key] = now(ctx) + kTestConnection_s;
  return connection_now(ctx, key);
}

json connections(ServeContext& ctx)
{
  json items = json::array();
  for (const auto& [key, c] : res(ctx).connections)
    items.push_back(connection_now(ctx, key));
  return items;
}

// ---- Serverless replication configs ----

json configs(ServeContext& ctx)
{
  json items = json::array();
  if (json sc = scenario_config(ctx); !sc.is_null())
    items.push_back(sc);
  for (const auto& [a, c] : res(ctx).configs)
    items.push_back(c);
  return items;
}

json create_config(ServeContext& ctx, const json& in)
{
  const std::string id = identifier(in, "ReplicationConfigIdentifier");
  const std::string src = str(in, "SourceEndpointArn"), dst = str(in, "TargetEndpointArn");
  endpoint(ctx, src);
  endpoint(ctx, dst);
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
  const std::string a = make_arn(ctx, "replication-config", id);
  const json sc = scenario_config(ctx);
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
  return c;
}

json modify_config(ServeContext& ctx, const json& in)
{
  const std::string a = str(in, "ReplicationConfigArn");
  if (auto v = config_view(ctx); v && v->arn() == a) {  // the scenario's: its model's settings
    try {
      ctx.simulation.migration()->set_dms_error_behavior(
          replication_error_behavior(in.value("ReplicationSettings", std::string("{}")), v->error_behavior));
    } catch (const std::logic_error& e) {
      throw errors::invalid_state(e.what(), "InvalidResourceStateFault");
    }
    return config_json(*config_view(ctx));
  }
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

json delete_config(ServeContext& ctx, const std::string& a)
{
  auto& cs = res(ctx).configs;
  if (!cs.count(a))
    throw errors::error("ResourceNotFoundFault", "Replication config " + a + " not found (the scenario's config cannot be deleted)");
  if (auto run = res(ctx).runs.find(a); run != res(ctx).runs.end()) {
    const std::string status = run->second.replication->status();
    if (status != mdms::kStatusStopped && status != mdms::kStatusFailed && status != mdms::kStatusCreated)
      throw errors::invalid_state("Replication config " + a + " has a " + status + " replication: stop it first",
                                  "InvalidResourceStateFault");
    res(ctx).retired.push_back(std::move(run->second));  // the simulation's events may still refer to it
    res(ctx).runs.erase(run);
  }
  json c = cs.at(a);
  cs.erase(a);
  return c;
}

// ---- Replication instances and tasks ----

json instances(ServeContext& ctx)
{
  json items = json::array();
  for (const auto& [a, i] : res(ctx).instances)
    if (res(ctx).instance_status.at(a).at(now(ctx)) != "deleted")
      items.push_back(instance_now(ctx, a));
  return items;
}

json create_instance(ServeContext& ctx, const json& in)
{
  const std::string id = identifier(in, "ReplicationInstanceIdentifier");
  const std::string cls = str(in, "ReplicationInstanceClass");
  if (cls.rfind("dms.", 0) != 0)
    throw errors::error("InvalidParameterValueException", "ReplicationInstanceClass must be a dms.* class, got '" + cls + "'");
  const std::string a = make_arn(ctx, "rep", id);
  if (res(ctx).instances.count(a) && res(ctx).instance_status.at(a).at(now(ctx)) != "deleted")
    throw errors::error("ResourceAlreadyExistsFault", "Replication instance " + id + " already exists");
  json i = {{"ReplicationInstanceIdentifier", id}, {"ReplicationInstanceClass", cls},
            {"ReplicationInstanceArn", a}, {"AllocatedStorage", in.value("AllocatedStorage", 50)},
            {"MultiAZ", in.value("MultiAZ", false)}, {"EngineVersion", in.value("EngineVersion", std::string("3.5.3"))},
            {"InstanceCreateTime", epoch_s(now(ctx))}, {"PubliclyAccessible", in.value("PubliclyAccessible", true)},
            {"AvailabilityZone", region(ctx) + "a"}};
  res(ctx).instances[a] = i;
  Timeline t;
  t.then(now(ctx), "creating");
  t.then(now(ctx) + kInstanceProvision_s, "available");
  res(ctx).instance_status[a] = t;
  return instance_now(ctx, a);
}

json delete_instance(ServeContext& ctx, const std::string& a)
{
  instance_by_arn(ctx, a);
  for (const auto& [ta, t] : res(ctx).tasks)
    if (t["ReplicationInstanceArn"] == a && res(ctx).task_status.at(ta).at(now(ctx)) != "deleted")
      throw errors::error("InvalidResourceStateFault", "Replication instance " + a + " still has task " + ta);
  Timeline& tl = res(ctx).instance_status.at(a);
  tl.then(now(ctx), "deleting");
  tl.then(now(ctx) + kDelete_s, "deleted");
  return instance_now(ctx, a);
}

json tasks(ServeContext& ctx)
{
  json items = json::array();
  for (const auto& [a, t] : res(ctx).tasks)
    if (res(ctx).task_status.at(a).at(now(ctx)) != "deleted")
      items.push_back(task_now(ctx, a));
  return items;
}

json create_task(ServeContext& ctx, const json& in)
{
  const std::string id = identifier(in, "ReplicationTaskIdentifier");
  const std::string src = str(in, "SourceEndpointArn"), dst = str(in, "TargetEndpointArn"),
                    ia = str(in, "ReplicationInstanceArn"), type = str(in, "MigrationType");
  if (type != "full-load" && type != "cdc" && type != "full-load-and-cdc")
    throw errors::error("InvalidParameterValueException", "MigrationType must be full-load, cdc or full-load-and-cdc");
  str(in, "TableMappings");
  endpoint(ctx, src);
  endpoint(ctx, dst);
  instance_by_arn(ctx, ia);
  const std::string a = make_arn(ctx, "task", id);
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
  return task_now(ctx, a);
}

json start_task(ServeContext& ctx, const std::string& a, const std::string& type)
{
  json& t = task_by_arn(ctx, a);
  if (type.empty())
    throw errors::error("InvalidParameterValueException", "StartReplicationTaskType is required");
  if (type != "start-replication" && type != "resume-processing" && type != "reload-target")
    throw errors::error("InvalidParameterValueException", "StartReplicationTaskType must be start-replication, resume-processing or reload-target");
  Timeline& tl = res(ctx).task_status.at(a);
  const std::string status = tl.at(now(ctx));
  if (status != "ready" && status != "stopped" && status != "failed")
    throw errors::error("InvalidResourceStateFault", "Replication task " + a + " is " + status + ": it can start only when ready, stopped or failed");
  tl.then(now(ctx), "starting");
  tl.then(now(ctx) + kTaskStart_s, "running");
  t["ReplicationTaskStartDate"] = epoch_s(now(ctx));
  return task_now(ctx, a);
}

json stop_task(ServeContext& ctx, const std::string& a)
{
  task_by_arn(ctx, a);
  Timeline& tl = res(ctx).task_status.at(a);
  const std::string status = tl.at(now(ctx));
  if (status != "running" && status != "starting")
    throw errors::error("InvalidResourceStateFault", "Replication task " + a + " is " + status + ": only a running task can stop");
  tl.steps.erase(std::remove_if(tl.steps.begin(), tl.steps.end(), [&](const auto& s) { return s.first > now(ctx); }),
                 tl.steps.end());
  tl.then(now(ctx), "stopping");
  tl.then(now(ctx) + kTaskStop_s, "stopped");
  return task_now(ctx, a);
}

json delete_task(ServeContext& ctx, const std::string& a)
{
  task_by_arn(ctx, a);
  Timeline& tl = res(ctx).task_status.at(a);
  const std::string status = tl.at(now(ctx));
  if (status == "running" || status == "starting" || status == "stopping" || status == "creating" || status == "deleting")
    throw errors::error("InvalidResourceStateFault", "Replication task " + a + " is " + status + ": stop it before deleting it");
  tl.then(now(ctx), "deleting");
  tl.then(now(ctx) + kDelete_s, "deleted");
  return task_now(ctx, a);
}

bool has_arn(ServeContext& ctx, const std::string& a)
{
  const auto& r = res(ctx);
  return r.endpoints.count(a) || r.configs.count(a) || r.instances.count(a) || r.tasks.count(a);
}

}  // namespace migsim::harness::serve::dms
