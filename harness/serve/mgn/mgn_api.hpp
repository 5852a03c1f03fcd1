// The MGN wire layer (rest-json, POST /<Operation>, SigV4 scope service "mgn") over the live
// migration: reads the MGN model's describe() structs and returns the botocore-shaped output the
// codec encodes. Implemented: DescribeSourceServers, DescribeJobs (read-only; one page).
#pragma once

#include "harness/serve/core/registry.hpp"

namespace migsim::harness::serve {

// Adds the MGN handlers to the registry.
void register_mgn(Registry& r);

}  // namespace migsim::harness::serve
