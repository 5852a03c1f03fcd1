// DB instances created through the RDS API (models/rds/api_instances): the status sequences on the
// simulated clock at hand-computed times with the stated default durations (creating 480 s +
// backing-up 120 s, replica creating 600 s, deleting 120 s, promotion 180 s), AWS's validation
// codes, and the lag of a replica restored from a snapshot: the source's commits wait in the relay
// log until the replica is available, then drain at the apply rate (2 ms per transaction).
#include "models/rds/api_instances.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace migsim::models::rds;

namespace {

CreateDbRequest request(const std::string& id)
{
  CreateDbRequest r;
  r.identifier = id;
  r.instance_class = "db.m5.large";
  r.master_username = "admin";
  r.master_password = "secret123";
  return r;
}

// The code of the RdsError `fn` throws ("" when it does not throw).
template <class Fn>
std::string code_of(Fn&& fn)
{
  try {
    fn();
  } catch (const RdsError& e) {
    return e.code();
  }
  return "";
}

ReplicaSource source_of(ApiInstances& f, const std::string& id, double t)
{
  auto& s = f.get(id, t);
  return {id, f.status_at(s, t), s.db.instance_class_at(t), s.db.config().engine_version, s.db.config().storage,
          s.db.az_at(t), static_cast<int>(f.replicas_of(id, t).size()), s.backup_retention_days};
}

}  // namespace

TEST_CASE("rds api: CreateDBInstance is creating 480 s, backing-up 120 s, then available", "[rds]")
{
  ApiInstances f;
  auto req = request("app-db");
  req.multi_az = true;
  auto& i = f.create(req, 100);
  CHECK(f.status_at(i, 100) == "creating");
  CHECK(f.status_at(i, 579.9) == "creating");
  CHECK(f.status_at(i, 580) == "backing-up");
  CHECK(f.status_at(i, 699.9) == "backing-up");
  CHECK(f.status_at(i, 700) == "available");
  CHECK(i.db.az_at(700) == "us-east-1a");
  CHECK(i.db.secondary_az_at(700) == "us-east-1b");
  CHECK(f.find("app-db", 99) == nullptr);  // does not exist before its creation
  // Without automated backups there is no first backup: creating for the whole 600 s.
  auto nb = request("no-backup");
  nb.backup_retention_days = 0;
  auto& j = f.create(nb, 0);
  CHECK(f.status_at(j, 599.9) == "creating");
  CHECK(f.status_at(j, 600) == "available");
  // The durations are parameters.
  ApiInstances fast(ApiTimings{60, 20, 30, 10, 5});
  auto& k = fast.create(request("fast"), 0);
  CHECK(fast.status_at(k, 39.9) == "creating");
  CHECK(fast.status_at(k, 40) == "backing-up");
  CHECK(fast.status_at(k, 60) == "available");
}

TEST_CASE("rds api: CreateDBInstance answers AWS's codes for bad input", "[rds]")
{
  ApiInstances f;
  f.create(request("app-db"), 0);
  CHECK(code_of([&] { f.create(request("app-db"), 1); }) == "DBInstanceAlreadyExists");
  CHECK(code_of([&] { f.create(request("shop-db"), 1, true); }) == "DBInstanceAlreadyExists");
  auto bad = request("x-db");
  bad.instance_class = "db.x9.huge";
  CHECK(code_of([&] { f.create(bad, 1); }) == "InvalidParameterCombination");
  bad = request("x-db");
  bad.multi_az = true;
  bad.availability_zone = "us-east-1c";
  CHECK(code_of([&] { f.create(bad, 1); }) == "InvalidParameterCombination");
  for (const std::string& id : std::vector<std::string>{"1db", "db-", "d--b", "d_b", std::string(64, 'a')})
    CHECK(code_of([&] { f.create(request(id), 1); }) == "InvalidParameterValue");
  CHECK(valid_identifier(std::string(63, 'a')));
  CHECK(valid_identifier("a-1-b"));
  bad = request("x-db");
  bad.storage.allocated_gib = 19;
  CHECK(code_of([&] { f.create(bad, 1); }) == "InvalidParameterValue");
  bad.storage.allocated_gib = 20;
  CHECK(code_of([&] { f.create(bad, 1); }) == "");
  bad = request("y-db");
  bad.master_password = "short";
  CHECK(code_of([&] { f.create(bad, 1); }) == "InvalidParameterValue");
  bad.master_password = "";
  CHECK(code_of([&] { f.create(bad, 1); }) == "InvalidParameterValue");
  bad.manage_master_password = true;  // Secrets Manager keeps it: no password needed
  CHECK(code_of([&] { f.create(bad, 1); }) == "");
  bad = request("u-db");
  bad.master_username = "1admin";
  CHECK(code_of([&] { f.create(bad, 1); }) == "InvalidParameterValue");
  bad = request("p-db");
  bad.master_password = "secret@123";
  CHECK(code_of([&] { f.create(bad, 1); }) == "InvalidParameterValue");
  // Identifiers are stored in lowercase: "App-DB" is "app-db".
  CHECK(code_of([&] { f.create(request("App-DB"), 1); }) == "DBInstanceAlreadyExists");
  CHECK(f.find("APP-DB", 1) != nullptr);
    bad = request("z-db");
  bad.engine = "postgres";
  CHECK(code_of([&] { f.create(bad, 1); }) == "InvalidParameterValue");
}

TEST_CASE("rds api: a replica's lag is its creation time at first, then drains at the apply rate", "[rds]")
{
  ApiInstances f;
  // The source (the scenario's instance) commits one 1-row transaction each second at t = k + 0.5.
  ReplicaSource src{"shop-db", "available", "db.m5.large", "8.0.35", {}, "us-east-1a", 0, 7};
  auto& r = f.create_replica("shop-db-r", src, "", "", 0);
  CHECK(f.status_at(r, 599.9) == "creating");
  CHECK(f.status_at(r, 600) == "available");
  CHECK(f.source_at(r, 600) == "shop-db");
  uint64_t seq = 0;
  double next_commit = 0.5;
  auto commit_until = [&](double t) {  // the model is lazy: time only moves forward
    for (; next_commit <= t; next_commit += 1.0)
      f.on_source_commit("shop-db", next_commit, ++seq, 1);
  };
  commit_until(600.0);
  // At 600 the head is the commit of 0.5 s: lag 599.5 s. The 600 queued transactions finish at
  // 600 + 0.002 i; by 601.001 the first 500 are applied, the head is the commit of 500.5: lag 100.501.
  CHECK(*f.replica_lag_s("shop-db-r", 600.0) == Approx(599.5));
  commit_until(601.001);
  CHECK(*f.replica_lag_s("shop-db-r", 601.001) == Approx(100.501));
  commit_until(601.3);
  // The backlog (and the commit of 600.5, started at 601.2) is done by 601.202: caught up.
  CHECK(*f.replica_lag_s("shop-db-r", 601.3) == 0.0);
  commit_until(650.0);
  CHECK(*f.replica_lag_s("shop-db-r", 650.0) == 0.0);
  CHECK(seq == 650);
  CHECK(!f.replica_lag_s("nope", 650.0));
}

TEST_CASE("rds api: read replicas of an API instance, promotion and AWS's state rules", "[rds]")
{
  ApiInstances f;
  f.create(request("app-db"), 0);
  CHECK(code_of([&] { f.create_replica("r1", source_of(f, "app-db", 10), "", "", 10); }) == "InvalidDBInstanceState");
  auto& r1 = f.create_replica("r1", source_of(f, "app-db", 600), "db.t3.medium", "us-east-1c", 600);
  CHECK(r1.db.instance_class_at(600) == "db.t3.medium");
  CHECK(r1.db.az_at(600) == "us-east-1c");
  CHECK(f.replicas_of("app-db", 600) == std::vector<std::string>{"r1"});
  CHECK(code_of([&] { f.create_replica("r1", source_of(f, "app-db", 601), "", "", 601); }) == "DBInstanceAlreadyExists");
  auto nb = request("nb-db");
  nb.backup_retention_days = 0;
  f.create(nb, 0);
  CHECK(code_of([&] { f.create_replica("r2", source_of(f, "nb-db", 700), "", "", 700); }) == "InvalidDBInstanceState");
  CHECK(code_of([&] { f.promote("app-db", 1300); }) == "InvalidDBInstanceState");  // not a replica
  CHECK(code_of([&] { f.promote("r1", 1199); }) == "InvalidDBInstanceState");     // still creating
  f.promote("r1", 1200);
  CHECK(f.status_at(r1, 1200) == "modifying");
  CHECK(f.status_at(r1, 1379.9) == "modifying");
  CHECK(f.source_at(r1, 1379.9) == "app-db");
  CHECK(f.status_at(r1, 1380) == "available");
  CHECK(f.source_at(r1, 1380) == "");
  CHECK(f.replicas_of("app-db", 1380).empty());
  CHECK(!f.replica_lag_s("r1", 1380));
}

TEST_CASE("rds api: DeleteDBInstance's final snapshot rules, deleting 120 s, replicas promoted", "[rds]")
{
  ApiInstances f;
  f.create(request("app-db"), 0);
  f.create(request("young"), 500);
  auto& r = f.create_replica("app-r", source_of(f, "app-db", 600), "", "", 600);
  const double t = 1200;
  CHECK(code_of([&] { f.remove("app-db", false, "", t); }) == "InvalidParameterCombination");
  CHECK(code_of([&] { f.remove("app-db", true, "final", t); }) == "InvalidParameterCombination");
  CHECK(code_of([&] { f.remove("app-db", false, "final-", t); }) == "InvalidParameterValue");
  CHECK(code_of([&] { f.remove("app-r", false, "snap", t); }) == "InvalidParameterCombination");
  CHECK(code_of([&] { f.remove("app-r", false, "", t); }) == "InvalidParameterCombination");  // replicas: skip

  CHECK(code_of([&] { f.remove("young", false, "young-final", 600); }) == "InvalidDBInstanceState");  // creating
  CHECK(code_of([&] { f.remove("nope", true, "", t); }) == "DBInstanceNotFound");
  auto& i = f.remove("app-db", false, "app-db-final", t);
  CHECK(f.status_at(i, t) == "deleting");
  CHECK(f.snapshots().count("app-db-final") == 1);
  CHECK(code_of([&] { f.remove("app-db", true, "", t + 1); }) == "InvalidDBInstanceState");
  CHECK(code_of([&] { f.remove("young", false, "app-db-final", t + 1); }) == "DBSnapshotAlreadyExists");
  // Its replica is promoted to a standalone instance at once.
  CHECK(f.source_at(r, t) == "");
  CHECK(f.find("APP-R", t) == &r);  // looked up in lowercase
  CHECK(f.find("app-db", t + 119.9) != nullptr);
  CHECK(f.find("app-db", t + 120) == nullptr);
  CHECK(code_of([&] { f.get("app-db", t + 120); }) == "DBInstanceNotFound");
  CHECK(f.existing(t + 120).size() == 2);
  // A creating instance can go without a snapshot; the identifier is free again once it is gone.
  f.remove("young", true, "", 600);
  CHECK(f.find("young", 720) == nullptr);
  CHECK(code_of([&] { f.create(request("young"), 720); }) == "");
}
