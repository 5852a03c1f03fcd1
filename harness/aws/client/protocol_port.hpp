// The seam between the client and the shared AWS protocol codec (harness/aws/protocol/codec.hpp):
// turning (service, operation, input) into an HTTP request and a response back into output or an
// error. The default port is the codec; tests can plug in their own.
#pragma once

#include "harness/aws/client/http_client.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace migsim::aws {

// A serialised call: method, path + query, headers (no Host, signature or Content-Length), body.
struct EncodedRequest {
  std::string method = "POST";
  std::string target = "/";
  HeaderList headers;
  std::string body;
};

// A decoded response: the output, or the service's error.
struct DecodedResponse {
  bool ok = true;
  nlohmann::json output = nlohmann::json::object();
  std::string error_code;
  std::string error_message;
  std::string request_id;
};

// Encodes calls and decodes responses for any service the port knows.
class ProtocolPort {
 public:
  virtual ~ProtocolPort() = default;
  // Throws AwsClientError (e.g. "UnknownOperation", "ParamValidation") for a call it cannot encode.
  virtual EncodedRequest encode(const std::string& service, const std::string& operation,
                                const nlohmann::json& input) const = 0;
  // Never throws for a well-formed HTTP response; an unparsable error body yields a code derived
  // from the status.
  virtual DecodedResponse decode(const std::string& service, const std::string& operation, int status,
                                 const HeaderList& headers, const std::string& body) const = 0;
};

// The shared codec (json, rest-json, query, rest-xml from botocore's models).
std::shared_ptr<const ProtocolPort> codec_protocol();

}  // namespace migsim::aws
