// RDS operations that create and delete DB instances (CreateDBInstance, CreateDBInstanceReadReplica,
// DeleteDBInstance, PromoteReadReplica) on models::rds::ApiInstances: statuses progress with the
// simulated clock (creating -> backing-up -> available, deleting -> gone, modifying -> standalone).
// A replica of the scenario's instance receives that instance's commits (RdsRuntime's
// commit_listener), so its ReplicaLag is the model's; the scenario's own instances cannot be deleted.
// The model's refusals (models::rds::RdsError) answer as the AwsError of the same code.
#include "harness/serve/core/provisioning.hpp"
#include "harness/serve/rds/backend.hpp"
#include "harness/serve/core/resource.hpp"

#include "models/rds/rds_runtime.hpp"

namespace migsim::harness::serve::rds {

using nlohmann::json;

namespace {


// "arn:aws:rds:REGION:ACCOUNT:db:shop-db" or "shop-db" -> "shop-db".
std::string id_of(const std::string& s) { return s.rfind("arn:", 0) == 0 ? s.substr(s.rfind(':') + 1) : s; }

// The identifiers the scenario's instances hold.
bool scenario_id(ServeContext& ctx, const std::string& id)
{
  auto* r = scenario_rds(ctx);
  return r && (r->instance().identifier() == id || (r->replica() && r->replica()->identifier() == id));
}

models::rds::StorageSpec storage_of(const json& in)
{
  models::rds::StorageSpec st;
  try {
    // AWS's default: io1 when Iops is given, else gp3.
    st.type = models::rds::parse_storage_type(in.value("StorageType", std::string(in.contains("Iops") ? "io1" : "gp3")));
  } catch (const std::invalid_argument&) {
    throw errors::error("InvalidParameterValue", "Invalid storage type: " + in.value("StorageType", std::string()));
  }
  st.allocated_gib = in.value("AllocatedStorage", 0);  // required for RDS for MySQL: 0 is refused
  st.provisioned_iops = in.value("Iops", 0);
  st.provisioned_mibps = in.value("StorageThroughput", 0);
  return st;
}

}  // namespace

models::rds::ApiInstances& api_instances(ServeContext& ctx)
{
  auto& st = ctx.state<RdsApiState>();
  if (!st.fleet) {
    auto* r = scenario_rds(ctx);
    st.fleet = std::make_unique<models::rds::ApiInstances>(r ? r->spec().api : models::rds::ApiTimings{},
                                                            ctx.simulation.scenario().seed);
    if (r) {
      auto* fleet = st.fleet.get();
      const std::string primary = r->instance().identifier();
      auto previous = r->commit_listener;
      r->commit_listener = [fleet, primary, previous](double t, uint64_t seq, int rows) {
        if (previous)
          previous(t, seq, rows);
        fleet->on_source_commit(primary, t, seq, rows);
      };
    }
  }
  return *st.fleet;
}

json describe_api_instance(models::rds::ApiInstances& fleet, models::rds::ApiInstance& i, double t, ServeContext& ctx)
{
  const auto& db = i.db;
  const std::string id = db.identifier();
  const std::string status = fleet.status_at(i, t);
  json j = instance_fields(db, id, t);
  j["DBInstanceStatus"] = status;
  j["Engine"] = i.engine;
  j["MasterUsername"] = i.master_username;
  j["BackupRetentionPeriod"] = i.backup_retention_days;
  j["MultiAZ"] = db.multi_az_at(t);
  j["AvailabilityZone"] = db.az_at(t);
  if (const std::string secondary = db.secondary_az_at(t); !secondary.empty())
    j["SecondaryAvailabilityZone"] = secondary;
  j["DBInstanceArn"] = arn(ctx, "rds", "db:" + id);
  // No endpoint and no create time while the instance is being created.
  if (status == "creating") {
    j.erase("Endpoint");
    j.erase("InstanceCreateTime");
  } else {
    j["InstanceCreateTime"] = epoch_s(i.created_s);
  }
  const std::string source = fleet.source_at(i, t);
  if (!source.empty()) {
    j["ReadReplicaSourceDBInstanceIdentifier"] = source;
    if (status != "creating")
      j["StatusInfos"] = json::array({{{"StatusType", "read replication"}, {"Normal", true}, {"Status", "replicating"}}});
  }
  j["ReadReplicaDBInstanceIdentifiers"] = fleet.replicas_of(id, t);
  auto& pending = ctx.state<RdsPending>().by_instance;
  j["PendingModifiedValues"] = pending.count(id) ? pending[id] : json::object();
  // What CreateDBInstance was told about the network, names, windows and tags (rds_subnet_groups.cpp).
  merge_create_settings(ctx, id, j);
  return j;
}

json create_db_instance(const json& in, ServeContext& ctx)
{
  models::rds::CreateDbRequest req;
  req.identifier = in.at("DBInstanceIdentifier").get<std::string>();
  req.instance_class = in.at("DBInstanceClass").get<std::string>();
  req.engine = in.at("Engine").get<std::string>();
  req.engine_version = in.value("EngineVersion", std::string());
  req.master_username = in.value("MasterUsername", std::string());
  req.master_password = in.value("MasterUserPassword", std::string());
  req.manage_master_password = in.value("ManageMasterUserPassword", false);
  req.multi_az = in.value("MultiAZ", false);
  req.availability_zone = in.value("AvailabilityZone", std::string());
  req.backup_retention_days = in.value("BackupRetentionPeriod", 1);
  req.storage = storage_of(in);
  const double t = ctx.simulation.now();
  auto& fleet = api_instances(ctx);
  const json settings = create_settings(ctx, in);  // checks the subnet group and security groups first
  auto& i = errors::from_model<models::rds::RdsError>(
      [&]() -> models::rds::ApiInstance& { return fleet.create(req, t, scenario_id(ctx, req.identifier)); });
  remember_create_settings(ctx, i.db.identifier(), settings);
  ctx.state<ResourceTimeline>().created("rds", "DBInstance", i.db.identifier(), t, i.db.available_from_s(), ctx.request_id);
  return {{"DBInstance", describe_api_instance(fleet, i, t, ctx)}};
}

json create_db_instance_read_replica(const json& in, ServeContext& ctx)
{
  const std::string id = in.at("DBInstanceIdentifier").get<std::string>();
  if (!in.contains("SourceDBInstanceIdentifier"))
    throw errors::error("InvalidParameterValue", "The parameter SourceDBInstanceIdentifier must be provided.");
  const std::string src_id = id_of(in["SourceDBInstanceIdentifier"].get<std::string>());
  const double t = ctx.simulation.now();
  auto& fleet = api_instances(ctx);
  models::rds::ReplicaSource src;
  src.identifier = src_id;
  auto* r = scenario_rds(ctx);
  if (auto* a = fleet.find(src_id, t)) {
    src.status = fleet.status_at(*a, t);
    src.instance_class = a->db.instance_class_at(t);
    src.engine_version = a->db.config().engine_version;
    src.storage = a->db.config().storage;
    src.az = a->db.az_at(t);
    src.replicas = static_cast<int>(fleet.replicas_of(src_id, t).size());
    src.backup_retention_days = a->backup_retention_days;
  } else if (r && r->instance().identifier() == src_id) {
    const auto& db = r->instance();
    src.status = db.status_at(t);
    src.instance_class = db.instance_class_at(t);
    src.engine_version = db.config().engine_version;
    src.storage = db.config().storage;
    src.az = db.az_at(t);
    src.replicas = static_cast<int>(fleet.replicas_of(src_id, t).size()) + (r->replica() ? 1 : 0);
    src.backup_retention_days = 7;
  } else if (scenario_id(ctx, src_id)) {
    throw errors::error("InvalidParameterValue", "migsim does not simulate a replica of the scenario's read replica " + src_id);
  } else {
    throw errors::error("DBInstanceNotFound", "DBInstance " + src_id + " not found.", 404);
  }
  auto& rep = errors::from_model<models::rds::RdsError>([&]() -> models::rds::ApiInstance& {
    return fleet.create_replica(id, src, in.value("DBInstanceClass", std::string()),
                                in.value("AvailabilityZone", std::string()), t, scenario_id(ctx, id));
  });
  if (r && r->instance().identifier() == src_id) {
    // Its ReplicaLag (CloudWatch AWS/RDS ReplicaLag) from availability until promoted or deleted.
    auto* f = &fleet;
    auto* rp = &rep;
    r->sample_every_10s("rds_replica_lag_s{replica=" + id + "}", [f, rp, id](double now) -> std::optional<double> {
      if (f->find(id, now) != rp || f->source_at(*rp, now).empty())
        return std::nullopt;
      if (f->status_at(*rp, now) == "creating")
        return -1.0;
      return f->replica_lag_s(id, now);
    });
  }
  ctx.state<ResourceTimeline>().created("rds", "DBInstance", id, t, rep.db.available_from_s(), ctx.request_id);
  remember_create_settings(ctx, id, json{{"TagList", in.value("Tags", json::array())}});  // its tags, as CreateDBInstance's
  return {{"DBInstance", describe_api_instance(fleet, rep, t, ctx)}};
}

json delete_db_instance(const json& in, ServeContext& ctx)
{
  const std::string id = in.at("DBInstanceIdentifier").get<std::string>();
  if (scenario_id(ctx, id))
    throw errors::error("InvalidParameterValue", "migsim does not simulate deleting the scenario's DB instance " + id);
  const double t = ctx.simulation.now();
  auto& fleet = api_instances(ctx);
  auto& i = errors::from_model<models::rds::RdsError>([&]() -> models::rds::ApiInstance& {
    return fleet.remove(id, in.value("SkipFinalSnapshot", false), in.value("FinalDBSnapshotIdentifier", std::string()), t);
  });
  return {{"DBInstance", describe_api_instance(fleet, i, t, ctx)}};
}

json promote_read_replica(const json& in, ServeContext& ctx)
{
  const std::string id = in.at("DBInstanceIdentifier").get<std::string>();
  if (scenario_id(ctx, id))
    throw errors::error("InvalidParameterValue", "migsim does not simulate promoting the scenario's DB instances (" + id + ")");
  const double t = ctx.simulation.now();
  auto& fleet = api_instances(ctx);
  auto& i = errors::from_model<models::rds::RdsError>([&]() -> models::rds::ApiInstance& { return fleet.promote(id, t); });
  return {{"DBInstance", describe_api_instance(fleet, i, t, ctx)}};
}

}  // namespace migsim::harness::serve::rds
