// What the endpoint checks before routing a request, and on every response before it leaves:
//  - bytes: the target and every header value must be UTF-8 (else 400 in the protocol's shape);
//  - origins: a request carrying an Origin header must come from an allowed one (loopback pages by
//    default; serve --allowed-origin), so a web page the user visits cannot drive the control plane
//    or the AWS API with a "simple" cross-origin POST; CORS preflights are answered for allowed
//    origins and refused for others;
//  - the control plane (/_localstack/*, /_migsim/*) answers only Host names that are this machine
//    (no DNS rebinding);
//  - with serve --enforce-sigv4, AWS API calls must be signed with a key of the scenario's
//    /credentials (AWS's errors otherwise);
//  - no response header may carry CR, LF or another control character (no header injection).
#pragma once

#include "harness/serve/core/http_server.hpp"
#include "harness/serve/core/serve_context.hpp"

#include <optional>

namespace migsim::harness::serve {

// The answer when the request is refused or is a CORS preflight; nothing when routing goes on.
std::optional<Response> guard_request(const Request& req, ServeContext& ctx);

// Adds the CORS headers an allowed cross-origin caller needs to read the response.
void add_cors_headers(const Request& req, Response& res, const ServeContext& ctx);

// Whether every header of the response is fit to send (names are tokens, values hold no control
// characters).
bool response_headers_valid(const Response& res);

// Whether the path is on the control plane (/_localstack/*, /_migsim/*).
bool is_control_path(const Request& req);

}  // namespace migsim::harness::serve
