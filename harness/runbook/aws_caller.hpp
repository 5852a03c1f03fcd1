// The production AwsCaller: migsim's AWS client (harness/aws/client) behind the executor's
// interface, with the server's Date header passed on so waits run on the server's clock.
#pragma once

#include "harness/runbook/executor.hpp"

#include <memory>
#include <string>

namespace migsim::harness::runbook {

struct CallerOptions {
  std::string endpoint_url;  // "" : as the SDKs resolve it (AWS_ENDPOINT_URL..., then real AWS)
  std::string region;        // "" : AWS_REGION, AWS_DEFAULT_REGION, the config file
  bool test_credentials = false;  // use the access key "test"/"test" (LocalStack's, moto's, migsim's)
};

// A caller over real HTTP(S).
std::unique_ptr<AwsCaller> make_aws_caller(const CallerOptions& options);

}  // namespace migsim::harness::runbook
