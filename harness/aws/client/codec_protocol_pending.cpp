// Placeholder for the codec-backed ProtocolPort until the shared codec's implementation is merged
// (branch codec): every call fails with "CodecUnavailable". Tests inject their own port.
#include "harness/aws/client/aws_client.hpp"
#include "harness/aws/client/protocol_port.hpp"

namespace migsim::aws {
namespace {

// The port used until the codec lands.
class PendingProtocol final : public ProtocolPort {
 public:
  EncodedRequest encode(const std::string& service, const std::string& operation, const nlohmann::json&) const override
  {
    throw AwsClientError("CodecUnavailable", "the AWS protocol codec is not built in yet: " + service + "." + operation);
  }
  DecodedResponse decode(const std::string&, const std::string&, int, const HeaderList&,
                         const std::string&) const override
  {
    throw AwsClientError("CodecUnavailable", "the AWS protocol codec is not built in yet");
  }
};

}  // namespace

std::shared_ptr<const ProtocolPort> codec_protocol() { return std::make_shared<PendingProtocol>(); }

}  // namespace migsim::aws
