// DMS operations that create and describe resources through the API (json 1.1), beside the
// scenario's own replication (dms_api.cpp): endpoints (CreateEndpoint, DeleteEndpoint,
// TestConnection, DescribeConnections), serverless configs (CreateReplicationConfig,
// DeleteReplicationConfig; dms_api.cpp's DescribeEndpoints / DescribeReplicationConfigs list what
// these create after the scenario's own) and the classic
// task operations moto covers (Create/Describe/DeleteReplicationInstance, Create/Start/Stop/
// Describe/DeleteReplicationTask) with statuses that move in simulated time:
//   instance  creating -> available after kInstanceProvision_s; deleting -> gone after kDelete_s
//   task      creating -> ready after kTaskCreate_s; starting -> running after kTaskStart_s;
//             stopping -> stopped after kTaskStop_s; deleting -> gone after kDelete_s
//   connection testing -> successful / failed after kTestConnection_s: successful when the
//             endpoint's ServerName is a server of the scenario reachable from AWS (on-prem servers
//             need the migration's VPN link up), failed otherwise.
// A task whose endpoints are the scenario's (onprem-mysql -> rds-mysql) shows the live
// replication's ReplicationTaskStats (same physics); other tasks show their statuses only.
#pragma once

#include "harness/serve/core/serve_context.hpp"
#include "models/dms/settings.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace migsim::harness::serve {

// Durations of the simulated DMS control plane (not published by AWS: stated defaults).
inline constexpr double kInstanceProvision_s = 600, kTaskCreate_s = 60, kTaskStart_s = 60, kTaskStop_s = 30,
                        kDelete_s = 30, kTestConnection_s = 10;

// A resource's status over simulated time: (time, status) steps, the last one at or before now wins.
struct Timeline {
  std::vector<std::pair<double, std::string>> steps;
  std::string at(double now_s) const;
  void then(double t_s, std::string status) { steps.emplace_back(t_s, std::move(status)); }
};

// What the API created.
class DmsResources {
public:
  std::map<std::string, nlohmann::json> endpoints;      // by ARN (Endpoint objects)
  std::map<std::string, nlohmann::json> configs;        // by ARN (ReplicationConfig objects)
  std::map<std::string, nlohmann::json> instances;      // by ARN (ReplicationInstance objects)
  std::map<std::string, Timeline> instance_status;
  std::map<std::string, nlohmann::json> tasks;          // by ARN (ReplicationTask objects)
  std::map<std::string, Timeline> task_status;
  std::map<std::pair<std::string, std::string>, nlohmann::json> connections;  // (instance, endpoint)
  std::map<std::pair<std::string, std::string>, double> connection_done_s;
};

class Registry;
void register_dms_ops(Registry& r);

// The ErrorBehavior settings a ReplicationSettings JSON document gives over `base` (bad JSON or a bad
// value: InvalidParameterValueException naming it).
models::dms::ErrorBehavior replication_error_behavior(const std::string& settings_json, models::dms::ErrorBehavior base);
// ModifyReplicationConfig of a config created through the API: its ReplicationSettings merged.
nlohmann::json modify_replication_config(const nlohmann::json& in, ServeContext& ctx);

}  // namespace migsim::harness::serve
