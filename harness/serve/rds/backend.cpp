#include "harness/serve/rds/backend.hpp"
#include "harness/serve/core/resource.hpp"

#include "models/rds/instance_class.hpp"
#include "models/rds/rds_runtime.hpp"
#include "models/cutover/migration.hpp"

#include <algorithm>
#include <optional>

namespace migsim::harness::serve::rds {

using nlohmann::json;

namespace {


// The region of an Availability Zone name ("us-east-1a" -> "us-east-1").
std::string region_of(const std::string& az) { return az.empty() ? "us-east-1" : az.substr(0, az.size() - 1); }

aws::AwsError not_found(const std::string& id)
{
  return errors::error("DBInstanceNotFound", "DBInstance " + id + " not found.", 404);
}

}  // namespace

models::rds::RdsRuntime* scenario_rds(ServeContext& ctx)
{
  return in_scenario_region(ctx) ? ctx.simulation.rds() : nullptr;
}

// The fields every DB instance shows, from the primary's configuration.
json instance_fields(const models::rds::DbInstance& db, const std::string& id, double t)
{
  const auto& c = db.config();
  const std::string region = region_of(c.az);
  json j = {{"DBInstanceIdentifier", id},
            {"DBInstanceArn", arn_in(region, "rds", "db:" + id)},
            {"DBInstanceClass", db.instance_class_at(t)},
            {"Engine", "mysql"},
            {"EngineVersion", c.engine_version},
            {"MasterUsername", "admin"},
            {"Endpoint",
             {{"Address", id + ".c9akciq32." + region + ".rds.amazonaws.com"},
              {"Port", db.port()},
              {"HostedZoneId", "Z2R2ITUGPM61AM"}}},
            {"AllocatedStorage", static_cast<int>(c.storage.allocated_gib)},
            {"StorageType", models::rds::to_string(c.storage.type)},
            {"InstanceCreateTime", epoch_s(0)},
            {"BackupRetentionPeriod", 7},
            {"PubliclyAccessible", false},
            {"AutoMinorVersionUpgrade", true},
            {"LicenseModel", "general-public-license"}};
  const auto limits = models::rds::storage_limits(c.storage);
  if (c.storage.type != models::rds::StorageType::gp2)  // gp2 shows no Iops: it is 3 per GiB
    j["Iops"] = static_cast<int>(limits.sustained_iops);
  if (c.storage.type == models::rds::StorageType::gp3)
    j["StorageThroughput"] = static_cast<int>(limits.throughput_mibps);
  return j;
}

namespace {

// The primary as DescribeDBInstances shows it at t.
json describe_primary(models::rds::RdsRuntime& r, ServeContext& ctx, double t)
{
  auto& db = r.instance();
  json j = instance_fields(db, db.identifier(), t);
  j["DBInstanceStatus"] = db.status_at(t);
  j["MultiAZ"] = db.multi_az_at(t);
  j["AvailabilityZone"] = db.az_at(t);
  if (const std::string secondary = db.secondary_az_at(t); !secondary.empty())
    j["SecondaryAvailabilityZone"] = secondary;
  j["ReadReplicaDBInstanceIdentifiers"] = json::array();
  if (r.replica())
    j["ReadReplicaDBInstanceIdentifiers"].push_back(r.replica()->identifier());
  for (const auto& id : api_instances(ctx).replicas_of(db.identifier(), t))
    j["ReadReplicaDBInstanceIdentifiers"].push_back(id);
  auto& pending = ctx.state<RdsPending>().by_instance;
  j["PendingModifiedValues"] = pending.count(db.identifier()) ? pending[db.identifier()] : json::object();
  return j;
}

// The read replica (Single-AZ, in the primary's original AZ: its placement is not modelled).
json describe_replica(models::rds::RdsRuntime& r, double t)
{
  auto& db = r.instance();
  json j = instance_fields(db, r.replica()->identifier(), t);
  j["DBInstanceStatus"] = "available";
  j["MultiAZ"] = false;
  j["AvailabilityZone"] = db.config().az;
  j["ReadReplicaSourceDBInstanceIdentifier"] = db.identifier();
  j["ReadReplicaDBInstanceIdentifiers"] = json::array();
  j["PendingModifiedValues"] = json::object();
  return j;
}

// The migration's target database (the DMS target endpoint's server) as the RDS instance it is: its
// class the catalogue's smallest with the server's cores and memory, its storage the server's disk.
// nullopt without a migration (or outside the scenario's region).
std::optional<json> describe_migration_target(ServeContext& ctx)
{
  const models::Migration* m = scenario_migration(ctx);
  if (!m)
    return std::nullopt;
  const std::string& id = m->spec().db_target_server;
  const auto& servers = ctx.simulation.scenario().platform.servers;
  const auto server = std::find_if(servers.begin(), servers.end(), [&](const auto& s) { return s.name == id; });
  if (server == servers.end())
    return std::nullopt;
  const std::string region = scenario_region(ctx);
  json j = {{"DBInstanceIdentifier", id},
            {"DBInstanceArn", arn_in(region, "rds", "db:" + id)},
            {"Engine", "mysql"},
            {"EngineVersion", models::rds::DbInstanceConfig{}.engine_version},
            {"DBInstanceStatus", "available"},
            {"MultiAZ", false},
            {"AvailabilityZone", region + "a"},
            {"AllocatedStorage", static_cast<int>(server->disk_gb)},
            {"StorageType", "gp3"},
            {"Endpoint", {{"Address", id + ".migsim." + region + ".rds.amazonaws.com"}, {"Port", 3306}}},
            {"ReadReplicaDBInstanceIdentifiers", json::array()},
            {"PendingModifiedValues", json::object()}};
  const models::rds::DbInstanceClass* fit = nullptr;
  for (const auto& c : models::rds::db_instance_classes())
    if (c.vcpu >= server->cores && c.memory_gib >= server->ram_gb &&
        (!fit || c.vcpu < fit->vcpu || (c.vcpu == fit->vcpu && c.memory_gib < fit->memory_gib)))
      fit = &c;
  if (fit)
    j["DBInstanceClass"] = fit->name;
  return j;
}

// The runtime holding instance `id` (DBInstanceNotFound otherwise); `replica` says which one.
models::rds::RdsRuntime& runtime_of(ServeContext& ctx, const std::string& id, bool* replica)
{
  auto* r = scenario_rds(ctx);
  if (r && r->instance().identifier() == id) {
    *replica = false;
    return *r;
  }
  if (r && r->replica() && r->replica()->identifier() == id) {
    *replica = true;
    return *r;
  }
  throw not_found(id);
}

// ModifyDBInstance's checks and, without ApplyImmediately, the modification recorded as pending
// (true: nothing more to do now). Storage cannot shrink.
bool deferred(ServeContext& ctx, const std::string& id, const json& in, int allocated_gib, bool multi_az)
{
  if (in.contains("AllocatedStorage") && in["AllocatedStorage"].get<int>() < allocated_gib)
    throw errors::error("InvalidParameterValue", "ModifyDBInstance: allocated storage cannot be decreased (" +
                                                std::to_string(in["AllocatedStorage"].get<int>()) + " GiB)");
  if (in.value("ApplyImmediately", false))
    return false;
  json& p = ctx.state<RdsPending>().by_instance[id];
  if (const std::string new_class = in.value("DBInstanceClass", std::string()); !new_class.empty())
    p["DBInstanceClass"] = new_class;
  if (in.contains("AllocatedStorage"))
    p["AllocatedStorage"] = in["AllocatedStorage"];
  if (in.contains("MultiAZ"))
    p["MultiAZ"] = multi_az;
  return true;
}

// ModifyDBInstance on an API-created instance (no workload: the status and the shown values change).
json modify_api_instance(const json& in, models::rds::ApiInstance& a, ServeContext& ctx)
{
  auto& fleet = api_instances(ctx);
  const double t = ctx.simulation.now();
  const std::string id = a.db.identifier();
  if (fleet.status_at(a, t) != "available")
    throw errors::error("InvalidDBInstanceState", "ModifyDBInstance: DB instance " + id + " is not in the available state (" +
                                                 fleet.status_at(a, t) + ")");
  const std::string new_class = in.value("DBInstanceClass", std::string());
  if (deferred(ctx, id, in, a.db.config().storage.allocated_gib, in.value("MultiAZ", false)))
    return {{"DBInstance", describe_api_instance(fleet, a, t, ctx)}};
  models::rds::StorageSpec storage = a.db.config().storage;
  if (in.contains("AllocatedStorage"))
    storage.allocated_gib = in["AllocatedStorage"].get<int>();
  errors::from_model<models::rds::RdsError>([&] {
    a.db.modify(t, new_class, in.value("MultiAZ", a.db.multi_az_at(t)), in.contains("AllocatedStorage") ? &storage : nullptr);
  });
  return {{"DBInstance", describe_api_instance(fleet, a, t, ctx)}};
}

}  // namespace

namespace {

// RDS's immutable resource id of an instance ("db-" and 26 characters of A-Z, 0-9), derived from its
// identifier so that it is stable across calls and runs.
std::string resource_id(const std::string& identifier)
{
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  uint64_t h = 1469598103934665603ull;
  std::string out = "db-";
  for (int i = 0; i < 26; ++i) {
    for (char c : identifier + static_cast<char>('a' + i))
      h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    out += kAlphabet[h % 36];
  }
  return out;
}

// DescribeDBInstances' Filters: db-instance-id (identifier or ARN), dbi-resource-id, engine,
// db-cluster-id; another name is InvalidParameterValue as RDS answers it.
bool passes_filters(const json& in, const json& instance)
{
  if (!in.contains("Filters"))
    return true;
  for (const auto& f : in["Filters"]) {
    const std::string name = f.value("Name", std::string());
    std::vector<std::string> have;
    if (name == "db-instance-id")
      have = {instance.value("DBInstanceIdentifier", std::string()), instance.value("DBInstanceArn", std::string())};
    else if (name == "dbi-resource-id")
      have = {instance.value("DbiResourceId", std::string())};
    else if (name == "engine")
      have = {instance.value("Engine", std::string())};
    else if (name == "db-cluster-id")
      have = {instance.value("DBClusterIdentifier", std::string())};
    else
      throw errors::error("InvalidParameterValue", "Unrecognized filter name: " + name);
    bool any = false;
    for (const auto& v : f.value("Values", json::array()))
      any = any || std::find(have.begin(), have.end(), v.get<std::string>()) != have.end();
    if (!any)
      return false;
  }
  return true;
}

}  // namespace

json describe_db_instances(const json& in, ServeContext& ctx)
{
  const double t = ctx.simulation.now();
  auto* r = scenario_rds(ctx);
  auto& fleet = api_instances(ctx);
  json out = json::array();
  if (in.contains("DBInstanceIdentifier") && fleet.find(in["DBInstanceIdentifier"].get<std::string>(), t)) {
    out.push_back(describe_api_instance(fleet, *fleet.find(in["DBInstanceIdentifier"].get<std::string>(), t), t, ctx));
  } else if (auto target = describe_migration_target(ctx);
             target && in.contains("DBInstanceIdentifier") && (*target)["DBInstanceIdentifier"] == in["DBInstanceIdentifier"]) {
    out.push_back(*target);
  } else if (in.contains("DBInstanceIdentifier")) {
    bool replica = false;
    auto& rt = runtime_of(ctx, in["DBInstanceIdentifier"].get<std::string>(), &replica);
    out.push_back(replica ? describe_replica(rt, t) : describe_primary(rt, ctx, t));
  } else if (r) {
    out.push_back(describe_primary(*r, ctx, t));
    if (r->replica())
      out.push_back(describe_replica(*r, t));
  } else if (auto target = describe_migration_target(ctx)) {
    out.push_back(*target);
  }
  if (!in.contains("DBInstanceIdentifier"))
    for (auto* i : fleet.existing(t))
      out.push_back(describe_api_instance(fleet, *i, t, ctx));
  json kept = json::array();
  for (json& i : out) {
    i["DbiResourceId"] = resource_id(i["DBInstanceIdentifier"].get<std::string>());
    if (passes_filters(in, i))
      kept.push_back(std::move(i));
  }
  return {{"DBInstances", kept}};
}

json reboot_db_instance(const json& in, ServeContext& ctx)
{
  const std::string id = in.at("DBInstanceIdentifier").get<std::string>();
  const bool force = in.value("ForceFailover", false);
  const double t = ctx.simulation.now();
  auto& fleet = api_instances(ctx);
  if (auto* a = fleet.find(id, t)) {
    if (fleet.status_at(*a, t) != "available")
      throw errors::error("InvalidDBInstanceState", "RebootDBInstance: DB instance " + id + " is not in the available state (" +
                                                   fleet.status_at(*a, t) + ")");
    // An API instance carries no workload: only its status and AZs change.
    errors::from_model<models::rds::RdsError>([&] { a->db.reboot(t, force); });
    return {{"DBInstance", describe_api_instance(fleet, *a, t, ctx)}};
  }
  bool replica = false;
  auto& r = runtime_of(ctx, id, &replica);
  if (replica) {
    if (force)
      throw errors::error("InvalidParameterCombination", "RebootDBInstance: ForceFailover needs a Multi-AZ DB instance (" +
                                                        id + " is a Single-AZ read replica)");
    throw errors::error("InvalidParameterValue", "migsim does not simulate rebooting the read replica " + id);
  }
  errors::from_model<models::rds::RdsError>([&] { r.reboot(force); });
  return {{"DBInstance", describe_primary(r, ctx, ctx.simulation.now())}};
}

json modify_db_instance(const json& in, ServeContext& ctx)
{
  const std::string id = in.at("DBInstanceIdentifier").get<std::string>();
  if (auto* a = api_instances(ctx).find(id, ctx.simulation.now()))
    return modify_api_instance(in, *a, ctx);
  bool replica = false;
  auto& r = runtime_of(ctx, id, &replica);
  if (replica)
    throw errors::error("InvalidParameterValue", "migsim does not simulate modifying the read replica " + id);
  auto& db = r.instance();
  const double t = ctx.simulation.now();
  const std::string new_class = in.value("DBInstanceClass", std::string());
  const bool multi_az = in.value("MultiAZ", db.multi_az_at(t));
  if (deferred(ctx, id, in, db.config().storage.allocated_gib, multi_az))
    return {{"DBInstance", describe_primary(r, ctx, t)}};
  models::rds::StorageSpec storage = db.config().storage;
  if (in.contains("AllocatedStorage"))
    storage.allocated_gib = in["AllocatedStorage"].get<int>();
  errors::from_model<models::rds::RdsError>([&] { r.modify(new_class, multi_az, in.contains("AllocatedStorage") ? &storage : nullptr); });
  return {{"DBInstance", describe_primary(r, ctx, t)}};
}

}  // namespace migsim::harness::serve::rds
