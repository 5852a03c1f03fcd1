#include "harness/runbook/aws_caller.hpp"

#include "harness/aws/client/aws_client.hpp"

#include <chrono>

namespace migsim::harness::runbook {

namespace {

// Route 53 ids as boto3 passes them: botocore's fix_route53_ids handler keeps only the part after
// the last '/' of HostedZoneId, Id (a change or a health check) and DelegationSetId, so a runbook can
// pass on "/hostedzone/Z123" or "/change/C123" as the API returned them (as SSM Automation does).
json fix_route53_ids(const std::string& service, json input)
{
  if (service != "route53" || !input.is_object())
    return input;
  for (const char* key : {"HostedZoneId", "Id", "DelegationSetId"})
    if (input.contains(key) && input[key].is_string()) {
      const std::string v = input[key];
      input[key] = v.substr(v.rfind('/') == std::string::npos ? 0 : v.rfind('/') + 1);
    }
  return input;
}

// The executor's AwsCaller over migsim's AWS client.
class ClientCaller : public AwsCaller {
public:
  explicit ClientCaller(aws::AwsClientOptions options) : client_(std::move(options)) {}

  AwsReply call(const std::string& service, const std::string& api, const json& input) override
  {
    AwsReply reply;
    try {
      reply.body = client_.call(service, api, fix_route53_ids(service, input));
    } catch (const aws::AwsClientError& e) {
      throw AwsCallError(e.code, e.message, e.status);
    }
    if (const auto date = client_.last_response_date())
      reply.server_epoch_s = std::chrono::duration<double>(date->time_since_epoch()).count();
    return reply;
  }

private:
  aws::AwsClient client_;
};

}  // namespace

std::unique_ptr<AwsCaller> make_aws_caller(const CallerOptions& options)
{
  aws::AwsClientOptions o;
  o.endpoint_url = options.endpoint_url;
  o.region = options.region;
  if (options.test_credentials)
    o.credentials = aws::AwsCredentials{"test", "test", ""};
  return std::make_unique<ClientCaller>(std::move(o));
}

}  // namespace migsim::harness::runbook
