#include "models/rds/api_instances.hpp"

#include <algorithm>
#include <map>

#include "models/rds/instance_class.hpp"

#include <algorithm>
#include <cctype>

namespace migsim::models::rds {

namespace {

RdsError not_found(const std::string& id) { return RdsError("DBInstanceNotFound", "DBInstance " + id + " not found.", 404); }

// The Availability Zone after `az` in its region ("us-east-1a" -> "us-east-1b").
std::string next_az(const std::string& az)
{
  if (az.empty())
    return "us-east-1b";
  std::string s = az;
  s.back() = s.back() == 'f' ? 'a' : static_cast<char>(s.back() + 1);
  return s;
}

// Allocated storage RDS for MySQL accepts per type (GiB): gp2/gp3 20-65536, io1 100-65536.
void check_storage(const StorageSpec& st)
{
  const double lo = st.type == StorageType::io1 ? 100 : 20;
  if (st.allocated_gib < lo || st.allocated_gib > 65536)
    throw RdsError("InvalidParameterValue", "Invalid storage size for engine name mysql and storage type " +
                                                std::string(to_string(st.type)) + ": " +
                                                std::to_string(static_cast<long long>(st.allocated_gib)));
  if (st.type == StorageType::io1 && st.provisioned_iops < 1000)
    throw RdsError("InvalidParameterCombination", "Iops must be specified (at least 1000) for storage type io1.");
  if (st.type == StorageType::gp2 && st.provisioned_iops > 0)
    throw RdsError("InvalidParameterCombination", "You can't specify IOPS or storage throughput for engine mysql "
                                                  "and storage type gp2.");
}

// RDS stores identifiers in lowercase ("MyDB" and "mydb" are the same instance).
std::string lower(std::string s)
{
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// MasterUsername: 1-16 letters, digits or underscores, first a letter.
bool valid_username(const std::string& u)
{
  return !u.empty() && u.size() <= 16 && std::isalpha(static_cast<unsigned char>(u[0])) &&
         std::all_of(u.begin(), u.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

}  // namespace

bool valid_identifier(const std::string& id, size_t max_len)
{
  if (id.empty() || id.size() > max_len || !std::isalpha(static_cast<unsigned char>(id[0])) || id.back() == '-')
    return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
      return false;
    if (c == '-' && i > 0 && id[i - 1] == '-')
      return false;
  }
  return true;
}

ApiInstance::ApiInstance(DbInstanceConfig config, sim::RandomStream rng, double created)
    : db(std::move(config), rng, created, true), created_s(created)
{}

ApiInstances::ApiInstances(ApiTimings timings, uint64_t seed) : timings_(timings), seed_(seed) {}

std::string resolve_mysql_version(const std::string& requested)
{
  // RDS for MySQL versions offered in mid-2025 (RDS for MySQL release calendar); a major version
  // alone means that major's default minor version, as CreateDBInstance resolves it.
  static const std::vector<std::string> offered = {"5.7.44", "8.0.32", "8.0.33", "8.0.34", "8.0.35", "8.0.36",
                                                   "8.0.37", "8.0.39", "8.0.40", "8.0.41", "8.0.42", "8.4.3",
                                                   "8.4.4", "8.4.5"};
  static const std::map<std::string, std::string> default_minor = {{"", "8.0.41"},     {"8", "8.0.41"},
                                                                   {"8.0", "8.0.41"},  {"8.4", "8.4.5"},
                                                                   {"5.7", "5.7.44"}};
  if (auto it = default_minor.find(requested); it != default_minor.end())
    return it->second;
  if (std::find(offered.begin(), offered.end(), requested) != offered.end())
    return requested;
  throw RdsError("InvalidParameterCombination", "Cannot find version " + requested + " for mysql");
}

ApiInstance& ApiInstances::create(const CreateDbRequest& request, double t, bool taken)
{
  CreateDbRequest req = request;
  req.identifier = lower(req.identifier);
  if (!valid_identifier(req.identifier))
    throw RdsError("InvalidParameterValue", "The parameter DBInstanceIdentifier is not a valid identifier. Identifiers "
                                            "must begin with a letter; must contain only ASCII letters, digits, and "
                                            "hyphens; and must not end with a hyphen or contain two consecutive hyphens.");
  if (taken || find(req.identifier, t))
    throw RdsError("DBInstanceAlreadyExists", "DB instance already exists");
  if (req.engine != "mysql")
    throw RdsError("InvalidParameterValue", "Invalid DB engine: " + req.engine + " (migsim simulates RDS for MySQL)");
  const std::string version = resolve_mysql_version(req.engine_version);
  if (!find_db_instance_class(req.instance_class))
    throw RdsError("InvalidParameterCombination",
                   "RDS does not support creating a DB instance with the following combination: DBInstanceClass=" +
                       req.instance_class + ", Engine=mysql, EngineVersion=" + version +
                       ", LicenseModel=general-public-license. For supported combinations of instance class and "
                       "database engine version, see the documentation.");
  if (req.master_username.empty())
    throw RdsError("InvalidParameterValue", "The parameter MasterUsername must be provided and must not be blank.");
  if (!req.manage_master_password && req.master_password.empty())
    throw RdsError("InvalidParameterValue", "The parameter MasterUserPassword must be provided and must not be blank.");
  if (req.manage_master_password && !req.master_password.empty())
    throw RdsError("InvalidParameterCombination",
                   "You can't specify MasterUserPassword and ManageMasterUserPassword at the same time.");
  if (!valid_username(req.master_username))
    throw RdsError("InvalidParameterValue", "The parameter MasterUsername is not a valid identifier: 1 to 16 letters, "
                                            "numbers or underscores, the first a letter.");
  if (!req.master_password.empty() && (req.master_password.size() < 8 || req.master_password.size() > 41))
    throw RdsError("InvalidParameterValue", "The parameter MasterUserPassword is not a valid password because it is "
                                            "shorter than 8 characters or longer than 41.");
  if (req.master_password.find_first_of("/\"@") != std::string::npos)
    throw RdsError("InvalidParameterValue", "The parameter MasterUserPassword is not a valid password. Only printable "
                                            "ASCII characters besides '/', '@', '\"', ' ' may be used.");
  if (req.multi_az && !req.availability_zone.empty())
    throw RdsError("InvalidParameterCombination", "Requesting a specific availability zone is not valid for Multi-AZ "
                                                  "instances.");
  if (req.backup_retention_days < 0 || req.backup_retention_days > 35)
    throw RdsError("InvalidParameterValue", "Invalid backup retention period: must be between 0 and 35 days.");
  check_storage(req.storage);
  DbInstanceConfig c;
  c.identifier = req.identifier;
  c.instance_class = req.instance_class;
  c.multi_az = req.multi_az;
  c.az = req.availability_zone.empty() ? "us-east-1a" : req.availability_zone;
  c.secondary_az = next_az(c.az);
  c.storage = req.storage;
  c.engine_version = version;
  c.create_s = timings_.create_s;
  // Without automated backups there is no first backup: creating, then available.
  c.backup_s = req.backup_retention_days > 0 ? std::min(timings_.backup_s, timings_.create_s) : 0;
  instances_.push_back(std::make_unique<ApiInstance>(c, sim::RandomStream(seed_, "rds.api." + req.identifier), t));
  auto& i = *instances_.back();
  i.engine = req.engine;
  i.master_username = req.master_username;
  i.backup_retention_days = req.backup_retention_days;
  return i;
}

ApiInstance& ApiInstances::create_replica(const std::string& replica_id, const ReplicaSource& src,
                                          const std::string& instance_class, const std::string& az, double t,
                                          bool taken)
{
  const std::string id = lower(replica_id);
  if (!valid_identifier(id))
    throw RdsError("InvalidParameterValue", "The parameter DBInstanceIdentifier is not a valid identifier.");
  if (taken || find(id, t))
    throw RdsError("DBInstanceAlreadyExists", "DB instance already exists");
  if (src.status != "available")
    throw RdsError("InvalidDBInstanceState", "DB Instance " + src.identifier + " is not in available state (" +
                                                 src.status + ").");
  if (src.backup_retention_days <= 0)
    throw RdsError("InvalidDBInstanceState", "Automated backups are not enabled for this database instance. To enable "
                                             "automated backups, use ModifyDBInstance to set the backup retention "
                                             "period to a non-zero value.");
  if (src.replicas >= 15)
    throw RdsError("InvalidParameterValue", "DB instance " + src.identifier + " already has 15 read replicas.");
  const std::string cls = instance_class.empty() ? src.instance_class : instance_class;
  if (!find_db_instance_class(cls))
    throw RdsError("InvalidParameterCombination",
                   "RDS does not support creating a DB instance with the following combination: DBInstanceClass=" +
                       cls + ", Engine=mysql, EngineVersion=" + src.engine_version +
                       ", LicenseModel=general-public-license.");
  DbInstanceConfig c;
  c.identifier = id;
  c.instance_class = cls;
  c.multi_az = false;  // a Single-AZ replica (Multi-AZ replicas: not simulated)
  c.az = az.empty() ? src.az : az;
  c.secondary_az = next_az(c.az);
  c.storage = src.storage;
  c.engine_version = src.engine_version;
  c.create_s = timings_.replica_create_s;
  c.backup_s = 0;
  instances_.push_back(std::make_unique<ApiInstance>(c, sim::RandomStream(seed_, "rds.api." + id), t));
  auto& r = *instances_.back();
  r.source = lower(src.identifier);
  r.master_username = "admin";
  r.backup_retention_days = 0;
  r.stream = std::make_unique<ReadReplica>(id, ReplicaSettings{});
  r.stream->start_applying_at(t + timings_.replica_create_s);
  if (auto* s = find(src.identifier, t))
    s->replicas.push_back(id);
  return r;
}

ApiInstance& ApiInstances::remove(const std::string& id, bool skip_final, const std::string& snapshot, double t)
{
  auto& i = get(id, t);
  const std::string status = status_at(i, t);
  if (status == "deleting")
    throw RdsError("InvalidDBInstanceState", "Instance " + id + " is already being deleted.");
  const bool replica = !source_at(i, t).empty();
  if (replica && !snapshot.empty())
    throw RdsError("InvalidParameterCombination", "FinalDBSnapshotIdentifier can not be specified when deleting a "
                                                  "replica instance");
  if (replica && !skip_final)
    throw RdsError("InvalidParameterCombination", "SkipFinalSnapshot must be enabled when deleting a read replica.");
  if (!replica) {
    if (skip_final && !snapshot.empty())
      throw RdsError("InvalidParameterCombination", "FinalDBSnapshotIdentifier can not be specified if "
                                                    "SkipFinalSnapshot is true.");
    if (!skip_final && snapshot.empty())
      throw RdsError("InvalidParameterCombination", "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot "
                                                    "is specified.");
  }
  if (!snapshot.empty()) {
    if (!valid_identifier(snapshot, 255))
      throw RdsError("InvalidParameterValue", "The parameter FinalDBSnapshotIdentifier is not a valid identifier.");
    if (snapshots_.count(snapshot))
      throw RdsError("DBSnapshotAlreadyExists", "Cannot create the snapshot because a snapshot with the identifier " +
                                                    snapshot + " already exists.");
    if (status != "available")
      throw RdsError("InvalidDBInstanceState", "Instance " + id + " is currently " + status +
                                                   " - a final snapshot cannot be taken.");
    snapshots_.insert(snapshot);
    i.final_snapshot = snapshot;
  }
  i.delete_start_s = t;
  i.gone_s = t + timings_.delete_s;
  // Deleting a source promotes its read replicas to standalone instances.
  for (const auto& r : i.replicas)
    if (auto* rep = find(r, t); rep && rep->source == i.db.identifier() && rep->promote_end_s < 0)
      rep->promote_start_s = rep->promote_end_s = t;
  return i;
}

ApiInstance& ApiInstances::promote(const std::string& id, double t)
{
  auto& i = get(id, t);
  if (source_at(i, t).empty())
    throw RdsError("InvalidDBInstanceState", "DB Instance " + id + " is not a read replica.");
  const std::string status = status_at(i, t);
  if (status != "available")
    throw RdsError("InvalidDBInstanceState", "DB Instance " + id + " is not in available state (" + status + ").");
  i.promote_start_s = t;
  i.promote_end_s = t + timings_.promote_s;
  return i;
}

ApiInstance* ApiInstances::find(const std::string& identifier, double t)
{
  const std::string id = lower(identifier);
  for (auto& i : instances_)
    if (i->db.identifier() == id && i->created_s <= t && (i->gone_s < 0 || t < i->gone_s))
      return i.get();
  return nullptr;
}

ApiInstance& ApiInstances::get(const std::string& id, double t)
{
  if (auto* i = find(id, t))
    return *i;
  throw not_found(id);
}

std::vector<ApiInstance*> ApiInstances::existing(double t)
{
  std::vector<ApiInstance*> v;
  for (auto& i : instances_)
    if (i->created_s <= t && (i->gone_s < 0 || t < i->gone_s))
      v.push_back(i.get());
  return v;
}

std::string ApiInstances::status_at(const ApiInstance& i, double t) const
{
  if (i.delete_start_s >= 0 && t >= i.delete_start_s)
    return "deleting";
  if (i.promote_start_s >= 0 && i.promote_start_s <= t && t < i.promote_end_s)
    return "modifying";
  return i.db.status_at(t);
}

std::string ApiInstances::source_at(const ApiInstance& i, double t) const
{
  if (i.source.empty() || (i.promote_end_s >= 0 && t >= i.promote_end_s))
    return "";
  return i.source;
}

std::vector<std::string> ApiInstances::replicas_of(const std::string& id, double t) const
{
  std::vector<std::string> v;
  for (const auto& i : instances_)
    if (i->created_s <= t && (i->gone_s < 0 || t < i->gone_s) && source_at(*i, t) == lower(id))
      v.push_back(i->db.identifier());
  return v;
}

void ApiInstances::on_source_commit(const std::string& source_id, double t, uint64_t seq, int rows)
{
  for (auto& i : instances_)
    if (i->stream && i->source == lower(source_id) && i->created_s <= t && (i->gone_s < 0 || t < i->gone_s) &&
        !(i->promote_start_s >= 0 && t >= i->promote_start_s))
      i->stream->on_commit(t, seq, rows);
}

std::optional<double> ApiInstances::replica_lag_s(const std::string& id, double t)
{
  auto* i = find(id, t);
  if (!i || !i->stream || source_at(*i, t).empty())
    return std::nullopt;
  return i->stream->lag_s(t);
}

}  // namespace migsim::models::rds
