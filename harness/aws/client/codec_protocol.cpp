// The codec-backed ProtocolPort: the shared AWS protocol codec (harness/aws/protocol/codec.hpp)
// in the client direction, adapted to the client's header lists and error type.
#include "harness/aws/client/aws_client.hpp"
#include "harness/aws/client/protocol_port.hpp"
#include "harness/aws/protocol/codec.hpp"

namespace migsim::aws {
namespace {

// Encodes with serialize_request, decodes with parse_response.
class CodecProtocol final : public ProtocolPort {
 public:
  EncodedRequest encode(const std::string& service, const std::string& operation,
                        const nlohmann::json& input) const override
  {
    WireRequest wire;
    try {
      wire = serialize_request(service, operation, input);
    } catch (const AwsError& e) {
      throw AwsClientError(e.code, e.message);
    }
    EncodedRequest out{wire.method, wire.target, {}, std::move(wire.body)};
    for (const auto& [k, v] : wire.headers)
      out.headers.emplace_back(k, v);
    return out;
  }

  DecodedResponse decode(const std::string& service, const std::string& operation, int status,
                         const HeaderList& headers, const std::string& body) const override
  {
    Headers h;
    for (const auto& [k, v] : headers)
      h.emplace(k, v);
    DecodedResponse out;
    try {
      auto parsed = parse_response(service, operation, status, h, body);
      out.request_id = parsed.request_id;
      if (parsed.ok()) {
        out.output = std::move(parsed.output);
        return out;
      }
      out.ok = false;
      out.error_code = parsed.error->code;
      out.error_message = parsed.error->message;
    } catch (const std::exception& e) {
      // A body the protocol cannot read (a proxy's HTML page, a truncated answer).
      if (status >= 200 && status < 300)
        throw AwsClientError("ResponseParseError", std::string("cannot parse the response of ") + service + "." +
                                                       operation + ": " + e.what(),
                             status);
      out.ok = false;
      out.error_code = "HTTP" + std::to_string(status);
      out.error_message = body.substr(0, 200);
    }
    if (out.error_code.empty())
      out.error_code = "HTTP" + std::to_string(status);
    return out;
  }
};

}  // namespace

std::shared_ptr<const ProtocolPort> codec_protocol() { return std::make_shared<CodecProtocol>(); }

}  // namespace migsim::aws
