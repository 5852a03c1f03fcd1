// The DMS wire layer (json 1.1, X-Amz-Target: AmazonDMSv20160101.<Op>) over the live migration:
// parses parameters, reads the DMS model's Describe structs, shapes the reply. Implemented:
// DescribeReplications, DescribeReplicationConfigs, DescribeReplicationTableStatistics,
// DescribeEndpoints (read-only; one serverless replication per scenario).
#pragma once

#include "harness/serve/http_server.hpp"
#include "harness/serve/serve_context.hpp"

#include <string>
#include <vector>

namespace migsim::harness::serve {

// Answers one DMS operation (the X-Amz-Target suffix); unknown ones get UnknownOperationException.
Response handle_dms(const std::string& operation, const Request& req, ServeContext& ctx);

// The operations handle_dms implements (for coverage reports).
std::vector<std::string> dms_operations();

}  // namespace migsim::harness::serve
