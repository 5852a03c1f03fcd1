// AwsClient (see aws_client.hpp). Placeholder until the transport lands: every call throws.
#include "harness/aws/client/aws_client.hpp"

namespace migsim::aws {

AwsClientError::AwsClientError(std::string code_, std::string message_, int status_, std::string request_id_,
                               int attempts_)
    : std::runtime_error(code_ + ": " + message_), code(std::move(code_)), message(std::move(message_)),
      status(status_), request_id(std::move(request_id_)), attempts(attempts_)
{
}

struct AwsClient::Impl {
  AwsClientOptions options;
  AwsCallInfo last;
  std::string region;
};

AwsClient::AwsClient(AwsClientOptions options) : impl_(std::make_unique<Impl>())
{
  impl_->options = std::move(options);
  impl_->region = impl_->options.region;
}
AwsClient::~AwsClient() = default;
AwsClient::AwsClient(AwsClient&&) noexcept = default;
AwsClient& AwsClient::operator=(AwsClient&&) noexcept = default;

nlohmann::json AwsClient::call(const std::string& service, const std::string& operation, const nlohmann::json&)
{
  throw AwsClientError("NotImplemented", "AwsClient transport not built yet: " + service + "." + operation);
}

std::optional<std::chrono::system_clock::time_point> AwsClient::last_response_date() const
{
  return impl_->last.server_date;
}
const AwsCallInfo& AwsClient::last_call() const { return impl_->last; }
const std::string& AwsClient::region() const { return impl_->region; }
std::string AwsClient::endpoint_for(const std::string& service) const { return impl_->options.endpoint_url; }

}  // namespace migsim::aws
