// The DMS wire layer (json 1.1, X-Amz-Target: AmazonDMSv20160101.<Op>) over the live migration:
// reads the DMS model's Describe structs and acts on it (Start/StopReplication), returning the
// botocore-shaped output the codec encodes. Implemented: DescribeReplications,
// DescribeReplicationConfigs, DescribeReplicationTableStatistics, DescribeEndpoints,
// StartReplication, StopReplication (one serverless replication per scenario).
#pragma once

#include "harness/serve/registry.hpp"

namespace migsim::harness::serve {

// Adds the DMS handlers to the registry.
void register_dms(Registry& r);

}  // namespace migsim::harness::serve
