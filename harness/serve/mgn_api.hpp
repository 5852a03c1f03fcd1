// The MGN wire layer (rest-json, POST /<Operation>, SigV4 scope service "mgn") over the live
// migration: parses parameters, reads the MGN model's describe() structs, shapes the reply.
// Implemented: DescribeSourceServers, DescribeJobs (read-only; one page).
#pragma once

#include "harness/serve/http_server.hpp"
#include "harness/serve/serve_context.hpp"

#include <string>
#include <vector>

namespace migsim::harness::serve {

// Answers one MGN request (operation taken from the path); unknown paths get a 404
// UnknownOperationException, bad parameters a 400 ValidationException.
Response handle_mgn(const Request& req, ServeContext& ctx);

// The operations handle_mgn implements (for coverage reports).
std::vector<std::string> mgn_operations();

}  // namespace migsim::harness::serve
