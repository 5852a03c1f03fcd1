// DMS on the mock endpoint: the scenario's serverless replication (the migration model's, described
// and started/stopped through it) and the resources created through the API: endpoints, serverless
// replication configs, connections (TestConnection) and the classic replication instances and tasks
// moto covers, with statuses that move in simulated time:
//   instance  creating -> available after kInstanceProvision_s; deleting -> gone after kDelete_s
//   task      creating -> ready after kTaskCreate_s; starting -> running after kTaskStart_s;
//             stopping -> stopped after kTaskStop_s; deleting -> gone after kDelete_s
//   connection testing -> successful / failed after kTestConnection_s: successful when the
//             endpoint's ServerName is a server of the scenario reachable from AWS (on-prem servers
//             need the migration's VPN link up), failed otherwise.
// A task whose endpoints are the scenario's shows the live replication's ReplicationTaskStats (same
// physics); other tasks show their statuses only. Listings put the scenario's resources first.
// A replication config created through the API starts (StartReplication) a replication of its own
// with the scenario's physics (models/dms): from the scenario's source database over the VPN to a
// target database of its own on the target endpoint's server, with the scenario's DMS settings and
// the config's capacity and replication type.
// Resources are the botocore-shaped JSON objects Describe* answers; errors are AwsError.
#pragma once

#include "harness/serve/core/serve_context.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace migsim::models {
namespace dms {
class Replication;
}
namespace mysql {
class TargetDatabase;
}
}  // namespace migsim::models

namespace migsim::harness::serve::dms {

using nlohmann::json;

// Durations of the simulated DMS control plane (not published by AWS: stated defaults).
inline constexpr double kInstanceProvision_s = 600, kTaskCreate_s = 60, kTaskStart_s = 60, kTaskStop_s = 30,
                        kDelete_s = 30, kTestConnection_s = 10;

// A resource's status over simulated time: (time, status) steps, the last one at or before now wins.
struct Timeline {
  std::vector<std::pair<double, std::string>> steps;
  std::string at(double now_s) const;
  void then(double t_s, std::string status) { steps.emplace_back(t_s, std::move(status)); }
};

// What the API created (reach it as ctx.state<DmsBackend>()).
struct DmsBackend {
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  std::map<std::string, json> endpoints;      // by ARN (Endpoint objects)
  std::map<std::string, json> configs;        // by ARN (ReplicationConfig objects)
  std::map<std::string, json> instances;      // by ARN (ReplicationInstance objects)
  std::map<std::string, Timeline> instance_status;
  std::map<std::string, json> tasks;          // by ARN (ReplicationTask objects)
  std::map<std::string, Timeline> task_status;
  std::map<std::pair<std::string, std::string>, json> connections;  // (instance, endpoint)
  std::map<std::pair<std::string, std::string>, double> connection_done_s;
  // The replications of API-created configs, by config ARN, made at their first StartReplication
  // (kept for the server's life: the simulation's events refer to them).
  struct Run {
    std::shared_ptr<models::mysql::TargetDatabase> target;
    std::shared_ptr<models::dms::Replication> replication;
  };
  std::map<std::string, Run> runs;
  std::vector<Run> retired;  // of deleted configs
};

// ---- The scenario's replication ----

// The scenario's two endpoints (none without a migration) and its replication config (null without).
json scenario_endpoints(ServeContext& ctx);
json scenario_config(ServeContext& ctx);
// DescribeReplications' items (the scenario's replication, when it has one, then those of the
// configs created through the API).
json replications(ServeContext& ctx);
// The table statistics of a replication config, the scenario's or one created through the API
// (empty before it starts).
json table_statistics(ServeContext& ctx, const std::string& config_arn);
// Starts / stops a replication config's replication (the scenario's or one created through the
// API); its Replication object afterwards.
json start_replication(ServeContext& ctx, const std::string& config_arn, const std::string& type);
json stop_replication(ServeContext& ctx, const std::string& config_arn);

// ---- Endpoints and connections ----

json endpoints(ServeContext& ctx);  // the scenario's, then the API's
const json& endpoint(ServeContext& ctx, const std::string& arn);
json create_endpoint(ServeContext& ctx, const json& in);
json delete_endpoint(ServeContext& ctx, const std::string& arn);
json test_connection(ServeContext& ctx, const std::string& instance_arn, const std::string& endpoint_arn);
json connections(ServeContext& ctx);

// ---- Serverless replication configs ----

json configs(ServeContext& ctx);  // the scenario's, then the API's
json create_config(ServeContext& ctx, const json& in);
json delete_config(ServeContext& ctx, const std::string& arn);
// ModifyReplicationConfig: the ErrorBehavior of ReplicationSettings, merged into a config created
// through the API or set on the scenario's replication model.
json modify_config(ServeContext& ctx, const json& in);

// ---- Replication instances and tasks ----

json instances(ServeContext& ctx);
json create_instance(ServeContext& ctx, const json& in);
json delete_instance(ServeContext& ctx, const std::string& arn);
json tasks(ServeContext& ctx);
json create_task(ServeContext& ctx, const json& in);
json start_task(ServeContext& ctx, const std::string& arn, const std::string& type);
json stop_task(ServeContext& ctx, const std::string& arn);
json delete_task(ServeContext& ctx, const std::string& arn);

// Whether any DMS resource created through the API (subnet groups aside) has this ARN.
bool has_arn(ServeContext& ctx, const std::string& arn);

}  // namespace migsim::harness::serve::dms
