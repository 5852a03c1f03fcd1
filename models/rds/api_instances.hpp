// DB instances created through the RDS API (CreateDBInstance, CreateDBInstanceReadReplica) and
// their lifecycle on the simulated clock, as plain state: each is a DbInstance (class, Multi-AZ,
// AZs, reboot/modify outages) created with its creation sequence, plus what the API adds: the
// replication link (source -> replicas, a ReadReplica applying the source's commits), deletion
// (deleting for delete_s, then gone; final snapshot rules as AWS checks them) and promotion of a
// replica (modifying for promote_s, then standalone). Every call takes the simulated time; statuses
// are functions of it, so nothing needs a timer. Validation answers the RdsError codes AWS answers:
// DBInstanceAlreadyExists, DBInstanceNotFound, InvalidDBInstanceState, InvalidParameterCombination,
// InvalidParameterValue, DBSnapshotAlreadyExists.
//
// Durations are not published by AWS (they vary with size and load): stated defaults below, keys
// of the scenario's rds.api section (rds_spec.cpp).
#pragma once

#include "models/rds/db_instance.hpp"
#include "models/rds/read_replica.hpp"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace migsim::models::rds {

// How long the API's state changes take in simulated seconds.
struct ApiTimings {
  double create_s = 600;          // CreateDBInstance: creating (create_s - backup_s), then backing-up
  double backup_s = 120;          // the first automated backup, shown as backing-up
  double replica_create_s = 600;  // CreateDBInstanceReadReplica: creating (snapshot of the source + restore)
  double delete_s = 120;          // DeleteDBInstance: deleting, then gone (a final snapshot inside it)
  double promote_s = 180;         // PromoteReadReplica: modifying, then a standalone instance
};

// What CreateDBInstance asks for (already decoded; empty strings are "not given").
struct CreateDbRequest {
  std::string identifier;
  std::string instance_class;
  std::string engine = "mysql";
  std::string engine_version;      // "" or "8.0" -> the default 8.0 minor (resolve_mysql_version)
  std::string master_username;
  std::string master_password;
  bool manage_master_password = false;
  bool multi_az = false;
  std::string availability_zone;   // "" -> us-east-1a (standby us-east-1b when Multi-AZ)
  StorageSpec storage;
  int backup_retention_days = 1;
};

// The source a replica is made from, as the caller sees it (an API instance or the scenario's).
struct ReplicaSource {
  std::string identifier;
  std::string status;              // must be "available"
  std::string instance_class;
  std::string engine_version;
  StorageSpec storage;
  std::string az;
  int replicas = 0;                // replicas it already has (MySQL allows 15)
  int backup_retention_days = 1;   // automated backups must be on
};

// One DB instance created through the API.
struct ApiInstance {
  ApiInstance(DbInstanceConfig config, sim::RandomStream rng, double created_s);
  DbInstance db;
  double created_s = 0;
  std::string engine = "mysql";
  std::string master_username;
  int backup_retention_days = 1;
  std::string source;                    // read replica of (empty: not a replica)
  std::vector<std::string> replicas;     // its read replicas (API-created)
  std::unique_ptr<ReadReplica> stream;   // a replica's apply thread (fed with the source's commits)
  double promote_start_s = -1, promote_end_s = -1;
  double delete_start_s = -1, gone_s = -1;
  std::string final_snapshot;            // taken while deleting
};

class ApiInstances {
public:
  explicit ApiInstances(ApiTimings timings = {}, uint64_t seed = 1);

  const ApiTimings& timings() const { return timings_; }
  // CreateDBInstance at t; `taken` says whether an identifier is used elsewhere (the scenario's).
  ApiInstance& create(const CreateDbRequest& req, double t, bool taken = false);
  // CreateDBInstanceReadReplica at t from `src` (an API instance or the scenario's, described by
  // the caller); class "" = the source's. The replica applies commits from its availability on.
  ApiInstance& create_replica(const std::string& id, const ReplicaSource& src, const std::string& instance_class,
                              const std::string& az, double t, bool taken = false);
  // DeleteDBInstance at t: AWS's SkipFinalSnapshot / FinalDBSnapshotIdentifier rules.
  ApiInstance& remove(const std::string& id, bool skip_final_snapshot, const std::string& final_snapshot_id,
                      double t);
  // PromoteReadReplica at t.
  ApiInstance& promote(const std::string& id, double t);

  // The instance `id` if it exists at t (created and not gone), else nullptr.
  ApiInstance* find(const std::string& id, double t);
  // DBInstanceNotFound (404) unless it exists at t.
  ApiInstance& get(const std::string& id, double t);
  // Every instance existing at t, in creation order.
  std::vector<ApiInstance*> existing(double t);
  // Status at t: deleting / modifying (promotion) / the DbInstance's (creating, backing-up, ...).
  std::string status_at(const ApiInstance& i, double t) const;
  // The source of a replica at t ("" once promoted or when the source was deleted).
  std::string source_at(const ApiInstance& i, double t) const;
  // The replicas of `id` at t (identifiers, creation order).
  std::vector<std::string> replicas_of(const std::string& id, double t) const;
  // A commit of the source `source_id` at t reaches its replicas' apply threads.
  void on_source_commit(const std::string& source_id, double t, uint64_t seq, int rows);
  // ReplicaLag (Seconds_Behind_Master) of a replica at t; 0 for a replica of a source that commits
  // nothing (an API source has no workload); nullopt for an instance that is not a replica.
  std::optional<double> replica_lag_s(const std::string& id, double t);
  const std::set<std::string>& snapshots() const { return snapshots_; }

private:
  ApiTimings timings_;
  uint64_t seed_;
  std::vector<std::unique_ptr<ApiInstance>> instances_;
  std::set<std::string> snapshots_;
};

// Identifiers are stored in lowercase, as RDS does. AWS's identifier rule (DB instances and snapshots): 1-63 (snapshots 255) letters, digits or
// hyphens, first a letter, no trailing hyphen, no two consecutive hyphens.
bool valid_identifier(const std::string& id, size_t max_len = 63);

// The full RDS for MySQL version CreateDBInstance uses for a requested one: "" or a major version
// ("8.0") -> that major's default minor version; an offered full version as is; anything else
// InvalidParameterCombination ("Cannot find version 8.0.99 for mysql").
std::string resolve_mysql_version(const std::string& requested);

}  // namespace migsim::models::rds
