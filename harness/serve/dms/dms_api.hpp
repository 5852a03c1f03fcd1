// The DMS wire layer (json 1.1, X-Amz-Target: AmazonDMSv20160101.<Op>) over the live migration:
// reads the DMS model's Describe structs and acts on it (Start/StopReplication), returning the
// botocore-shaped output the codec encodes. Implemented: DescribeReplications,
// DescribeReplicationConfigs, DescribeReplicationTableStatistics, DescribeEndpoints,
// StartReplication, StopReplication (one serverless replication per scenario). DescribeEndpoints and
// DescribeReplicationConfigs list the scenario's resources first, then those created through the
// API (dms_ops.cpp).
#pragma once

#include "harness/serve/core/registry.hpp"

namespace migsim::harness::serve {

// Adds the DMS handlers to the registry.
void register_dms(Registry& r);
// The scenario's two endpoints as DescribeEndpoints shows them (none without a migration).
nlohmann::json dms_scenario_endpoints(ServeContext& ctx);
// The scenario's replication config as DescribeReplicationConfigs shows it (null without a migration).
nlohmann::json dms_scenario_config(ServeContext& ctx);

}  // namespace migsim::harness::serve
