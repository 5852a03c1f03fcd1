// An RDS for MySQL DB instance as state: what DescribeDBInstances shows (class, Multi-AZ, status,
// Availability Zones, endpoint, storage) and what its clients meet: a connection limit
// (max_connections; one more is refused, MySQL error 1040 "Too many connections"), outages
// (a Multi-AZ failover, forced by RebootDBInstance ForceFailover or caused by the loss of the
// primary's AZ, makes it unavailable for a window drawn from U(failover_min_s, failover_max_s),
// 60-120 s documented; open connections and uncommitted transactions are dropped), and its data:
// the primary's binlog (mysql::SourceDatabase) and, with Multi-AZ, the standby that applies every
// transaction synchronously before the commit is acknowledged, so a failover loses nothing
// committed. The endpoint name stays; it resolves to the standby's AZ after a failover.
//
// Plain state advanced by the caller with simulated times (models/rds/rds_runtime drives it).
#pragma once

#include "models/mysql/database.hpp"
#include "models/rds/storage.hpp"
#include "sim/rng.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace migsim::models::rds {

// An error an RDS API call answers with (code as AWS names it, HTTP status).
class RdsError : public std::runtime_error {
public:
  RdsError(std::string code, const std::string& message, int http_status = 400)
      : std::runtime_error(message), code_(std::move(code)), http_status_(http_status)
  {}
  const std::string& code() const { return code_; }
  int http_status() const { return http_status_; }

private:
  std::string code_;
  int http_status_;
};

struct DbInstanceConfig {
  std::string identifier = "shop-db";
  std::string instance_class = "db.m5.large";
  bool multi_az = true;
  std::string az = "us-east-1a";            // primary
  std::string secondary_az = "us-east-1b";  // standby (Multi-AZ)
  StorageSpec storage;
  int max_connections = 0;                  // 0: MySQL's default from the class memory
  double failover_min_s = 60;               // unavailable for U(min, max) on a failover
  double failover_max_s = 120;
  double create_s = 600;                    // CreateDBInstance: creating -> backing-up -> available
  double backup_s = 120;                    // of which the first backup (backing-up)
  double modify_s = 300;                    // ModifyDBInstance applied immediately: modifying
  std::string engine_version = "8.0.35";
};

enum class FailoverCause { forced, az_loss, modification };
const char* to_string(FailoverCause c);

// One failover, as it happened.
struct FailoverRecord {
  FailoverCause cause;
  double start_s;
  double end_s;                      // available again
  std::string from_az, to_az;
  uint64_t committed_at_start = 0;   // transactions the primary had committed
  uint64_t on_standby_at_start = 0;  // of which the standby had (synchronous: all of them)
  uint64_t connections_dropped = 0;
};

class DbInstance {
public:
  // An instance that exists (available) from t = created_s; `creating` true runs the creation
  // sequence first (creating, backing-up, available).
  DbInstance(DbInstanceConfig config, sim::RandomStream rng, double created_s = 0, bool creating = false);

  const DbInstanceConfig& config() const { return config_; }
  const std::string& identifier() const { return config_.identifier; }
  int max_connections() const { return max_connections_; }
  std::string endpoint_address() const;  // "<id>.<hash>.us-east-1.rds.amazonaws.com"
  int port() const { return 3306; }
  // The AZ the endpoint resolves to at t (the standby's after a failover has ended).
  std::string az_at(double t) const;
  std::string secondary_az_at(double t) const;
  // "creating", "backing-up", "available", "rebooting", "modifying", "failed"
  std::string status_at(double t) const;
  // False during creation, outages and failovers: connections and queries fail.
  bool available_at(double t) const;
  // When the creation sequence ends (the construction time for an instance that exists at once).
  double available_from_s() const { return available_from_s_; }

  // --- Connections -------------------------------------------------------------------------------
  // Opens a connection at t: false when unavailable or at max_connections (counted as refused).
  bool connect(double t);
  void disconnect();
  // The connections the request flow holds (its database station's busy workers).
  void set_open_connections(int n) { connections_ = n; }
  int connections() const { return connections_; }
  uint64_t refused_too_many() const { return refused_too_many_; }
  uint64_t refused_unavailable() const { return refused_unavailable_; }

  // --- Data --------------------------------------------------------------------------------------
  // Commits a transaction of `rows` row changes at t; with Multi-AZ the standby applies it before
  // the commit returns. Returns the transaction's sequence number; throws RdsError when the
  // instance is unavailable at t.
  uint64_t commit(double t, int rows);
  const mysql::SourceDatabase& primary_data() const { return *primary_; }
  const mysql::TargetDatabase* standby_data() const { return standby_.get(); }
  uint64_t committed() const { return primary_->committed_seq(); }

  // --- Control plane (what the API operations do) ----------------------------------------------
  // RebootDBInstance: with force_failover (Multi-AZ only) a failover, else a reboot of the same
  // window in the same AZ. Status "rebooting" meanwhile. Returns the outage.
  FailoverRecord reboot(double t, bool force_failover);
  // The AZ is lost at t: the primary there fails over to the standby (Multi-AZ), or the instance
  // is unavailable until az_restored (Single-AZ); a standby there is lost (no failover possible).
  void az_lost(double t, const std::string& az);
  void az_restored(double t, const std::string& az);
  // ModifyDBInstance applied immediately: status modifying for modify_s; a class change costs a
  // failover at the end (Multi-AZ) or the whole window (Single-AZ); storage changes cost nothing.
  void modify(double t, const std::string& new_class, bool multi_az, const StorageSpec* storage);

  const std::vector<FailoverRecord>& failovers() const { return failovers_; }
  const std::string& instance_class_at(double t) const;
  bool multi_az_at(double t) const;

private:
  struct Outage {
    double start_s, end_s;
    std::string status;  // what Describe shows meanwhile
    bool reachable;      // connections and queries still work (a modification without outage)
  };
  void require_available(double t, const char* op) const;
  const FailoverRecord& failover(double t, double end_s, FailoverCause cause);
  void drop_connections(FailoverRecord* rec);

  DbInstanceConfig config_;
  sim::RandomStream rng_;
  int max_connections_;
  double created_s_;
  double available_from_s_;
  std::vector<Outage> outages_;
  std::vector<FailoverRecord> failovers_;
  std::vector<std::pair<double, std::string>> class_changes_;  // (effective from, class)
  std::vector<std::pair<double, bool>> multi_az_changes_;
  bool standby_lost_ = false;
  int connections_ = 0;
  uint64_t refused_too_many_ = 0;
  uint64_t refused_unavailable_ = 0;
  std::unique_ptr<mysql::SourceDatabase> primary_;
  std::unique_ptr<mysql::TargetDatabase> standby_;
};

}  // namespace migsim::models::rds
