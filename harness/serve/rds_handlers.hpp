// RDS operations on the scenario's live DB instance (models/rds, held by the Simulation): input
// and output as botocore members (boto3 dicts, timestamps as epoch seconds), independent of the
// wire. What Describe shows is what the simulation did at the current simulated time: status
// (rebooting during a failover), Availability Zones (swapped once a failover has ended), class,
// storage, the read replica. RebootDBInstance ForceFailover takes the same path as the scenario
// event rds_failover. Without an rds section there are no DB instances. The registry wrapper
// (rds_api.cpp) turns a models::rds::RdsError into the query protocol's AwsError.
#pragma once

#include "harness/serve/serve_context.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace migsim::harness::serve::rds {

// ModifyDBInstance with ApplyImmediately false: recorded for the next maintenance window (never
// reached: maintenance windows are not simulated) and shown as PendingModifiedValues.
struct RdsPending {
  std::map<std::string, nlohmann::json> by_instance;  // identifier -> PendingModifiedValues
};

nlohmann::json describe_db_instances(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json reboot_db_instance(const nlohmann::json& in, ServeContext& ctx);
nlohmann::json modify_db_instance(const nlohmann::json& in, ServeContext& ctx);

}  // namespace migsim::harness::serve::rds

namespace migsim::harness::serve {
class Registry;
// Adds these operations to the serve registry (rds_api.cpp).
void register_rds(Registry& r);
}  // namespace migsim::harness::serve
