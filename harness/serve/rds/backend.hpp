// RDS operations on the scenario's live DB instance (models/rds, held by the Simulation): input
// and output as botocore members (boto3 dicts, timestamps as epoch seconds), independent of the
// wire. What Describe shows is what the simulation did at the current simulated time: status
// (rebooting during a failover), Availability Zones (swapped once a failover has ended), class,
// storage, the read replica. RebootDBInstance ForceFailover takes the same path as the scenario
// event rds_failover. Without an rds section there are no DB instances. The model's refusals
// (models::rds::RdsError) answer as the AwsError of the same code (errors::from_model).
#pragma once

#include "harness/serve/core/serve_context.hpp"
#include "models/rds/api_instances.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>

namespace migsim::models::rds {
class RdsRuntime;
}

namespace migsim::harness::serve::rds {

// ModifyDBInstance with ApplyImmediately false: recorded for the next maintenance window (never
// reached: maintenance windows are not simulated) and shown as PendingModifiedValues.
struct RdsPending {
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  std::map<std::string, nlohmann::json> by_instance;  // identifier -> PendingModifiedValues
};

// The DB instances created through the API (created_instances.cpp), built on first use with the
// scenario's rds.api durations and seed; replicas of the scenario's instance get its commits.
struct RdsApiState {
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  std::unique_ptr<models::rds::ApiInstances> fleet;
};
models::rds::ApiInstances& api_instances(ServeContext& ctx);
// The ARN of a DB instance (its tags are ctx.state<Tags>() under it).
std::string db_instance_arn(const std::string& id);
// The scenario's DB instance as a request sees it: null without an rds section or for a request to
// another region than the scenario's.
models::rds::RdsRuntime* scenario_rds(ServeContext& ctx);
// DescribeDBInstances' view of an API-created instance at t.
nlohmann::json describe_api_instance(models::rds::ApiInstances& fleet, models::rds::ApiInstance& i, double t,
                                     ServeContext& ctx);
// The fields every DB instance shows (identifier, ARN, class, engine, storage, endpoint).
nlohmann::json instance_fields(const models::rds::DbInstance& db, const std::string& id, double t);

nlohmann::json create_db_instance(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json create_db_instance_read_replica(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json delete_db_instance(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json promote_read_replica(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json describe_db_instances(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json reboot_db_instance(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json modify_db_instance(const nlohmann::json& in, ServeContext& ctx);

}  // namespace migsim::harness::serve::rds

namespace migsim::harness::serve {
class Registry;
// Adds these operations to the serve registry (api.cpp).
void register_rds(Registry& r);
// subnet_groups.cpp: the settings of CreateDBInstance migsim keeps for DescribeDBInstances
// (DBName, DBSubnetGroup, VpcSecurityGroups, backup and maintenance windows, TagList, ...), checked
// against the DB subnet groups and EC2 security groups; and the subnet group and tag operations.
nlohmann::json create_settings(ServeContext& ctx, const nlohmann::json& in);
void remember_create_settings(ServeContext& ctx, const std::string& id, const nlohmann::json& settings);
void merge_create_settings(ServeContext& ctx, const std::string& id, nlohmann::json& instance);

}  // namespace migsim::harness::serve
