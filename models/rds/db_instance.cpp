#include "models/rds/db_instance.hpp"

#include "models/rds/instance_class.hpp"

#include <algorithm>

namespace migsim::models::rds {

const char* to_string(FailoverCause c)
{
  switch (c) {
    case FailoverCause::forced: return "forced (RebootDBInstance ForceFailover)";
    case FailoverCause::az_loss: return "loss of the primary's Availability Zone";
    case FailoverCause::modification: return "instance class change";
  }
  return "?";
}

namespace {
// One table standing for everything the workload writes (the integrity check needs a schema):
// updates of a fixed set of rows, so the data check's memory stays bounded on long runs.
constexpr uint64_t kRows = 100000;
std::vector<mysql::TableSpec> rds_tables() { return {{"transactions", kRows, 200.0, 1.0, 1.0, 0}}; }
std::unique_ptr<mysql::TargetDatabase> make_standby()
{
  auto s = std::make_unique<mysql::TargetDatabase>(rds_tables());
  s->load_range(0, 1, kRows);  // seeded from the primary's snapshot
  return s;
}
}  // namespace

DbInstance::DbInstance(DbInstanceConfig config, sim::RandomStream rng, double created_s, bool creating)
    : config_(std::move(config)), rng_(rng), created_s_(created_s)
{
  const auto* cls = find_db_instance_class(config_.instance_class);
  if (!cls)
    throw RdsError("InvalidParameterValue", "unknown DB instance class " + config_.instance_class);
  max_connections_ = config_.max_connections > 0 ? config_.max_connections : default_max_connections(cls->memory_gib);
  available_from_s_ = creating ? created_s + config_.create_s : created_s;
  if (creating) {
    outages_.push_back({created_s, created_s + config_.create_s - config_.backup_s, "creating", false});
    outages_.push_back({created_s + config_.create_s - config_.backup_s, available_from_s_, "backing-up", false});
  }
  class_changes_.push_back({created_s, config_.instance_class});
  multi_az_changes_.push_back({created_s, config_.multi_az});
  primary_ = std::make_unique<mysql::SourceDatabase>(rds_tables(), sim::RandomStream(rng_.next_u64(), "rds.data"));
  if (config_.multi_az)
    standby_ = make_standby();
}

std::string DbInstance::endpoint_address() const
{
  return config_.identifier + ".c9akciq32.us-east-1.rds.amazonaws.com";
}

std::string DbInstance::az_at(double t) const
{
  std::string az = config_.az;
  for (const auto& f : failovers_)
    if (f.end_s <= t)
      az = f.to_az;
  return az;
}

std::string DbInstance::secondary_az_at(double t) const
{
  if (!multi_az_at(t))
    return "";
  const std::string az = az_at(t);
  return az == config_.az ? config_.secondary_az : config_.az;
}

std::string DbInstance::status_at(double t) const
{
  // The latest outage covering t names the status (a failover inside a modification shows that).
  std::string status = "available";
  for (const auto& o : outages_)
    if (o.start_s <= t && t < o.end_s)
      status = o.status;
  return status;
}

bool DbInstance::available_at(double t) const
{
  if (t < available_from_s_)
    return false;
  for (const auto& o : outages_)
    if (o.start_s <= t && t < o.end_s && !o.reachable)
      return false;
  return true;
}

const std::string& DbInstance::instance_class_at(double t) const
{
  const std::string* c = &class_changes_.front().second;
  for (const auto& [from, cls] : class_changes_)
    if (from <= t)
      c = &cls;
  return *c;
}

bool DbInstance::multi_az_at(double t) const
{
  bool m = multi_az_changes_.front().second;
  for (const auto& [from, v] : multi_az_changes_)
    if (from <= t)
      m = v;
  return m && !standby_lost_;
}

bool DbInstance::connect(double t)
{
  if (!available_at(t)) {
    ++refused_unavailable_;
    return false;
  }
  if (connections_ >= max_connections_) {
    ++refused_too_many_;  // ERROR 1040 (HY000): Too many connections
    return false;
  }
  ++connections_;
  return true;
}

void DbInstance::disconnect()
{
  if (connections_ > 0)
    --connections_;
}

uint64_t DbInstance::commit(double t, int rows)
{
  if (!available_at(t))
    throw RdsError("InvalidDBInstanceState", "DB instance " + config_.identifier + " is not available");
  const auto& tx = primary_->commit(t, rows);
  // Synchronous replication: the commit is acknowledged once the standby has it.
  if (standby_ && multi_az_at(t))
    standby_->apply(tx);
  // The binlog is kept only until the standby has it (read replicas keep their own queue).
  const uint64_t seq = tx.seq;
  primary_->trim_binlog(standby_ ? standby_->applied_seq() : seq);
  return seq;
}

void DbInstance::require_available(double t, const char* op) const
{
  if (status_at(t) != "available" || t < available_from_s_)
    throw RdsError("InvalidDBInstanceState", std::string(op) + ": DB instance " + config_.identifier +
                                                 " is not in the available state (" + status_at(t) + ")");
}

void DbInstance::drop_connections(FailoverRecord* rec)
{
  if (rec)
    rec->connections_dropped = static_cast<uint64_t>(connections_);
  connections_ = 0;
}

const FailoverRecord& DbInstance::failover(double t, double end_s, FailoverCause cause)
{
  FailoverRecord rec{cause, t, end_s, az_at(t), secondary_az_at(t), committed(),
                     standby_ ? standby_->applied_seq() : 0, 0};
  drop_connections(&rec);
  failovers_.push_back(rec);
  return failovers_.back();
}

FailoverRecord DbInstance::reboot(double t, bool force_failover)
{
  require_available(t, "RebootDBInstance");
  if (force_failover && !multi_az_at(t))
    throw RdsError("InvalidParameterCombination",
                   "RebootDBInstance: ForceFailover needs a Multi-AZ DB instance (" + config_.identifier + " is not)");
  const double window = rng_.uniform(config_.failover_min_s, config_.failover_max_s);
  outages_.push_back({t, t + window, "rebooting", false});
  if (force_failover)
    return failover(t, t + window, FailoverCause::forced);
  // A plain reboot: same AZ, same outage, connections dropped.
  FailoverRecord rec{FailoverCause::forced, t, t + window, az_at(t), az_at(t), committed(), committed(), 0};
  drop_connections(&rec);
  return rec;
}

void DbInstance::az_lost(double t, const std::string& az)
{
  if (multi_az_at(t) && secondary_az_at(t) == az) {
    standby_lost_ = true;  // still serving from the primary; no failover possible until rebuilt
    return;
  }
  if (az_at(t) != az)
    return;
  if (multi_az_at(t) && available_at(t)) {
    const double window = rng_.uniform(config_.failover_min_s, config_.failover_max_s);
    outages_.push_back({t, t + window, "available", false});  // Describe keeps showing available
    failover(t, t + window, FailoverCause::az_loss);
    return;
  }
  // Single-AZ: down until the AZ comes back.
  drop_connections(nullptr);
  outages_.push_back({t, 1e300, "available", false});
}

void DbInstance::az_restored(double t, const std::string& az)
{
  for (auto& o : outages_)
    if (o.end_s == 1e300 && az_at(t) == az)
      o.end_s = t;
}

void DbInstance::modify(double t, const std::string& new_class, bool multi_az, const StorageSpec* storage)
{
  require_available(t, "ModifyDBInstance");
  if (!new_class.empty() && !find_db_instance_class(new_class))
    throw RdsError("InvalidParameterValue", "ModifyDBInstance: unknown DB instance class " + new_class);
  const double end = t + config_.modify_s;
  outages_.push_back({t, end, "modifying", true});
  if (storage)
    config_.storage = *storage;
  if (multi_az != multi_az_at(t)) {
    multi_az_changes_.push_back({end, multi_az});
    // A standby added later holds the transactions from then on (its seeding from a snapshot of
    // the primary is not modelled in the data check).
    if (multi_az && !standby_)
      standby_ = make_standby();
  }
  if (!new_class.empty() && new_class != instance_class_at(t)) {
    class_changes_.push_back({end, new_class});
    if (multi_az_at(t)) {
      // The standby is modified first, then the instance fails over to it.
      const double window = rng_.uniform(config_.failover_min_s, config_.failover_max_s);
      outages_.push_back({end - window, end, "modifying", false});
      failover(end - window, end, FailoverCause::modification);
    } else {
      outages_.back().reachable = false;  // Single-AZ: offline while the class changes
    }
  }
}

}  // namespace migsim::models::rds
