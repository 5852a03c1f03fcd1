// The mock AWS endpoint's front door: control paths first, then the AWS call: the codec
// (harness/aws/protocol/codec.hpp) finds the service as LocalStack does (SigV4 credential scope,
// X-Amz-Target, query Action, host/path) and decodes the operation's input, the registry's handler
// runs, the codec encodes its output or error. Testable without a socket.
#pragma once

#include "harness/aws/protocol/codec.hpp"
#include "harness/serve/core/http_server.hpp"
#include "harness/serve/core/serve_context.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace migsim::harness::serve {

// Turns a request into a response; stamps Date (simulated) and x-amzn-RequestId on every one.
Response handle_request(const Request& req, ServeContext& ctx);
// The same for a request already admitted (guard_request passed, its request id set), without
// journaling it: what a journal replay runs.
Response handle_admitted_request(const Request& req, ServeContext& ctx);

// Whether a request's body is data (S3 PutObject or UploadPart) rather than an API call, from its
// header: the HTTP layer's larger body limit applies to it.
bool carries_data(const Request& header);

// The response for a request the HTTP layer could not read (413, malformed), with the same stamps,
// in the protocol of the service `partial` (the header, when it was read) is for.
Response transport_error(http::status status, const std::string& reason, const Request* partial, ServeContext& ctx);

// The codec's view of a request (the header of a partial one when `with_body` is false), and a
// Beast response of the codec's.
aws::WireRequest to_wire(const Request& req, bool with_body = true);
Response from_wire(const aws::WireResponse& w);

// A JSON response with the given content type.
Response json_response(http::status status, const nlohmann::json& body,
                       const std::string& content_type = "application/json");

// An error in the AWS json protocol: {"__type": code, "message": ...} and x-amzn-ErrorType.
Response aws_json_error(http::status status, const std::string& code, const std::string& message,
                        const std::string& content_type = "application/x-amz-json-1.1");

// An error in the AWS query protocol: <ErrorResponse> with the request id.
Response aws_query_error(http::status status, const std::string& code, const std::string& message,
                         const std::string& request_id, bool sender_fault = true);

// The service name of a SigV4 Authorization header's credential scope ("" when absent).
std::string credential_scope_service(const std::string& authorization);
// The region of a SigV4 Authorization header's credential scope ("" when absent).
std::string credential_scope_region(const std::string& authorization);

// The value of `key` in an application/x-www-form-urlencoded string ("" when absent).
std::string form_value(const std::string& form, const std::string& key);

}  // namespace migsim::harness::serve
