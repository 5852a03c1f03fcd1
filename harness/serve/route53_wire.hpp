// Route 53 on the mock endpoint: the operations (for registration) and, until the shared codec
// takes over, their rest-xml wire (paths under /2013-04-01/).
#pragma once

#include "harness/serve/http_server.hpp"
#include "harness/serve/services_state.hpp"

#include <string>
#include <vector>

namespace migsim::harness::serve {

const std::vector<OpDef>& route53_ops();
// The operation a request's method and path name ("" when none); *id gets the path's id.
std::string route53_operation(const Request& req, std::string* id = nullptr);
// Answers a Route 53 request.
Response handle_route53(const Request& req, ServeContext& ctx);
// An error in Route 53's XML shape.
Response route53_error(const ApiError& e, const std::string& request_id);

}  // namespace migsim::harness::serve
