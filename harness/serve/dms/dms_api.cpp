#include "harness/serve/dms/dms_api.hpp"
#include "harness/serve/core/resource.hpp"

#include "harness/serve/dms/dms_ops.hpp"
#include "harness/serve/core/registry.hpp"
#include "models/cutover/migration.hpp"
#include "models/dms/error_behavior.hpp"
#include "models/dms/replication.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>

namespace migsim::harness::serve {

namespace {

using nlohmann::json;
namespace dms = models::dms;

const std::string kArnPrefix = arn_in("us-east-1", "dms", "");
// Identifiers the migration model gives its replication and endpoints when it creates them
// (models/cutover/migration_adapters.cpp); used to describe the config before DMS has started.
constexpr const char* kConfigIdBeforeStart = models::kDmsReplicationConfigId;
constexpr const char* kSourceIdBeforeStart = models::kDmsSourceEndpointId;
constexpr const char* kTargetIdBeforeStart = models::kDmsTargetEndpointId;

// DMS's code for a bad parameter (the codec's shape checks answer ValidationException before).
AwsError invalid_parameter(const std::string& message)
{
  return errors::validation(message, "InvalidParameterValueException");
}

// The replication config as the API sees it, from the live replication or, before it starts, the spec.
struct ConfigView {
  std::string id, source_id, target_id, source_server, target_server, type;
  int min_dcu = 1, max_dcu = 1;
  const dms::Replication* live = nullptr;
  dms::ErrorBehavior error_behavior;
  std::string arn() const { return kArnPrefix + std::string("replication-config:") + id; }
  static std::string endpoint_arn(const std::string& endpoint_id)
  {
    return kArnPrefix + std::string("endpoint:") + endpoint_id;
  }
};

// The scenario's replication config, or nothing when the scenario migrates no database.
std::optional<ConfigView> config_view(ServeContext& ctx)
{
  const models::Migration* m = ctx.simulation.migration();
  if (!m)
    return std::nullopt;
  const auto& spec = m->spec();
  ConfigView v{kConfigIdBeforeStart, kSourceIdBeforeStart, kTargetIdBeforeStart, spec.db_source_server,
               spec.db_target_server, spec.dms_migration_type, spec.dms_min_dcu, spec.dms_max_dcu, m->dms(),
               spec.dms_error_behavior};
  if (v.live) {
    const auto& cfg = v.live->config();
    v.id = cfg.id;
    v.source_id = cfg.source.id;
    v.target_id = cfg.target.id;
    v.type = dms::to_string(cfg.settings.migration_type);
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

// Checks the paging parameters every Describe* takes (we never need more than one page).
void check_paging(const json& p)
{
  if (p.contains("MaxRecords")) {
    const json& n = p["MaxRecords"];
    if (!n.is_number_integer() || n.get<long long>() < 20 || n.get<long long>() > 100)
      throw invalid_parameter("MaxRecords must be an integer from 20 to 100");
  }
  if (p.contains("Marker") && !p["Marker"].is_string())
    throw invalid_parameter("Marker must be a string");
}

// DMS filters: values match case-insensitively (endpoint-type=source finds the SOURCE endpoint).
const FilterSyntax kDmsFilters{.case_insensitive = true, .code = "InvalidParameterValueException"};

// One element of DescribeReplications.
json replication_json(const ConfigView& v)
{
  json r = {{"ReplicationConfigIdentifier", v.id},   {"ReplicationConfigArn", v.arn()},
            {"SourceEndpointArn", ConfigView::endpoint_arn(v.source_id)},
            {"TargetEndpointArn", ConfigView::endpoint_arn(v.target_id)},
            {"ReplicationType", v.type},              {"Status", dms::kStatusCreated},
            {"ReplicationCreateTime", epoch_s(0)}};
  if (!v.live)
    return r;
  const dms::ReplicationDescription d = v.live->describe();
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
          {"SourceEndpointArn", ConfigView::endpoint_arn(v.source_id)},
          {"TargetEndpointArn", ConfigView::endpoint_arn(v.target_id)},
          {"ReplicationType", v.type},
          {"ComputeConfig", {{"MinCapacityUnits", v.min_dcu}, {"MaxCapacityUnits", v.max_dcu}, {"MultiAZ", false}}},
          {"ReplicationSettings", json{{"ErrorBehavior", dms::to_json(v.error_behavior)}}.dump()},
          {"ReplicationConfigCreateTime", epoch_s(0)},
          {"IsReadOnly", false}};
}

// One element of DescribeEndpoints.
json endpoint_json(const std::string& id, const std::string& type, const std::string& server)
{
  return {{"EndpointIdentifier", id}, {"EndpointType", type},   {"EngineName", "mysql"},
          {"EngineDisplayName", "MySQL"}, {"ServerName", server}, {"Port", 3306},
          {"Status", "active"},           {"EndpointArn", ConfigView::endpoint_arn(id)}, {"SslMode", "none"}};
}

// One element of DescribeReplicationTableStatistics.
json table_json(const dms::TableStatistics& t, double now_s)
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

// The filter names each Describe* accepts, and the field each one matches.
const FilterFields kConfigFilters = {
    {"replication-config-arn", [](const json& r) { return r["ReplicationConfigArn"].get<std::string>(); }},
    {"replication-config-id", [](const json& r) { return r["ReplicationConfigIdentifier"].get<std::string>(); }}};
const FilterFields kEndpointFilters = {
    {"endpoint-arn", [](const json& e) { return e["EndpointArn"].get<std::string>(); }},
    {"endpoint-id", [](const json& e) { return e["EndpointIdentifier"].get<std::string>(); }},
    {"endpoint-type", [](const json& e) { return e["EndpointType"].get<std::string>(); }},
    {"engine-name", [](const json& e) { return e["EngineName"].get<std::string>(); }}};
const FilterFields kTableFilters = {
    {"table-name", [](const json& t) { return t["TableName"].get<std::string>(); }},
    {"table-state", [](const json& t) { return t["TableState"].get<std::string>(); }}};

// The replication config named by the request's ReplicationConfigArn (errors as DMS answers them).
ConfigView config_for_arn(const json& p, ServeContext& ctx)
{
  if (!p.contains("ReplicationConfigArn") || !p["ReplicationConfigArn"].is_string())
    throw invalid_parameter("ReplicationConfigArn (string) is required");
  const std::string arn = p["ReplicationConfigArn"];
  auto v = config_view(ctx);
  if (!v || v->arn() != arn)
    throw errors::not_found("Replication config " + arn + " not found", "ResourceNotFoundFault");
  return *v;
}

}  // namespace

json dms_scenario_endpoints(ServeContext& ctx)
{
  json items = json::array();
  if (auto v = config_view(ctx)) {
    items.push_back(endpoint_json(v->source_id, "SOURCE", v->source_server));
    items.push_back(endpoint_json(v->target_id, "TARGET", v->target_server));
  }
  return items;
}

json dms_scenario_config(ServeContext& ctx)
{
  auto v = config_view(ctx);
  return v ? config_json(*v) : json();
}

// Registers the DMS operations (json 1.1).
void register_dms(Registry& r)
{
  r.add("dms", "DescribeReplications", {"Filters", "MaxRecords", "Marker"},
        [](const json& p, ServeContext& ctx) {
         check_paging(p);
         json items = json::array();
         if (auto v = config_view(ctx))
           items.push_back(replication_json(*v));
         return json{{"Replications", apply_filters(items, p, kConfigFilters, kDmsFilters)}};
        });
  r.add("dms", "DescribeReplicationConfigs", {"Filters", "MaxRecords", "Marker"},
        [](const json& p, ServeContext& ctx) {
         check_paging(p);
         json items = json::array();
         if (json sc = dms_scenario_config(ctx); !sc.is_null())
           items.push_back(sc);
         for (const auto& [arn, c] : ctx.state<DmsResources>().configs)  // created through the API
           items.push_back(c);
         return json{{"ReplicationConfigs", apply_filters(items, p, kConfigFilters, kDmsFilters)}};
        });
  r.add("dms", "DescribeReplicationTableStatistics", {"ReplicationConfigArn", "Filters", "MaxRecords", "Marker"},
        [](const json& p, ServeContext& ctx) {
         check_paging(p);
         if (!p.contains("ReplicationConfigArn") || !p["ReplicationConfigArn"].is_string())
           throw invalid_parameter("ReplicationConfigArn (string) is required");
         const std::string arn = p["ReplicationConfigArn"];
         auto v = config_view(ctx);
         if (!v || v->arn() != arn)
           throw errors::not_found("Replication config " + arn + " not found", "ResourceNotFoundFault");
         json items = json::array();
         if (v->live)  // not started yet: no table statistics
           for (const auto& t : v->live->table_statistics())
             items.push_back(table_json(t, ctx.simulation.now()));
         return json{{"ReplicationConfigArn", arn}, {"ReplicationTableStatistics", apply_filters(items, p, kTableFilters, kDmsFilters)}};
        });
  r.add("dms", "StartReplication", {"ReplicationConfigArn", "StartReplicationType"},
        [](const json& p, ServeContext& ctx) {
         auto v = config_for_arn(p, ctx);
         const std::string type = p.value("StartReplicationType", std::string());
         if (type != "start-replication" && type != "resume-processing")
           throw invalid_parameter("StartReplicationType must be start-replication or resume-processing (reload-target "
                                   "is not simulated), got \"" + type + "\"");
         try {
           ctx.simulation.migration()->start_replication();
         } catch (const std::logic_error& e) {
           throw errors::invalid_state(e.what(), "InvalidResourceStateFault");
         }
         return json{{"Replication", replication_json(*config_view(ctx))}};
        });
  r.add("dms", "StopReplication", {"ReplicationConfigArn"},
        [](const json& p, ServeContext& ctx) {
         config_for_arn(p, ctx);
         try {
           ctx.simulation.migration()->stop_replication();
         } catch (const std::logic_error& e) {
           throw errors::invalid_state(e.what(), "InvalidResourceStateFault");
         }
         return json{{"Replication", replication_json(*config_view(ctx))}};
        });
  r.add("dms", "ModifyReplicationConfig", {"ReplicationConfigArn", "ReplicationSettings"},
        [](const json& p, ServeContext& ctx) {
         if (!p.contains("ReplicationConfigArn") || !p["ReplicationConfigArn"].is_string())
           throw invalid_parameter("ReplicationConfigArn (string) is required");
         auto v = config_view(ctx);
         if (!v || v->arn() != p["ReplicationConfigArn"])  // created through the API
           return json{{"ReplicationConfig", modify_replication_config(p, ctx)}};
         try {
           ctx.simulation.migration()->set_dms_error_behavior(
               replication_error_behavior(p.value("ReplicationSettings", std::string("{}")), v->error_behavior));
         } catch (const std::logic_error& e) {
           throw errors::invalid_state(e.what(), "InvalidResourceStateFault");
         }
         return json{{"ReplicationConfig", config_json(*config_view(ctx))}};
        });
  r.add("dms", "DescribeEndpoints", {"Filters", "MaxRecords", "Marker"},
        [](const json& p, ServeContext& ctx) {
         check_paging(p);
         json items = dms_scenario_endpoints(ctx);
         for (const auto& [arn, e] : ctx.state<DmsResources>().endpoints)  // created through the API
           items.push_back(e);
         return json{{"Endpoints", apply_filters(items, p, kEndpointFilters, kDmsFilters)}};
        });
}

}  // namespace migsim::harness::serve
