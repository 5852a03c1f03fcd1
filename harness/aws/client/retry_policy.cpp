// Standard retry mode (see retry_policy.hpp).
#include "harness/aws/client/retry_policy.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace migsim::aws::retry {

bool is_throttling_code(const std::string& code)
{
  static const std::set<std::string> codes{
      "Throttling",         "ThrottlingException",
      "ThrottledException", "RequestThrottledException",
      "TooManyRequestsException", "ProvisionedThroughputExceededException",
      "TransactionInProgressException", "RequestLimitExceeded",
      "BandwidthLimitExceeded", "LimitExceededException",
      "RequestThrottled",   "SlowDown",
      "PriorRequestNotComplete", "EC2ThrottledException",
  };
  return codes.count(code) > 0;
}

bool is_transient_code(const std::string& code)
{
  return code == "RequestTimeout" || code == "RequestTimeoutException" || code == "PriorRequestNotComplete";
}

bool is_retryable(int http_status, const std::string& error_code, bool transport_failure)
{
  if (transport_failure)
    return true;
  if (is_transient_code(error_code) || is_throttling_code(error_code))
    return true;
  return http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504;
}

double backoff_s(int failed_attempt, bool throttling, double rand01, double retry_after_s)
{
  const double scale = throttling ? 1.0 : 0.05;
  const double t = rand01 * std::min(scale * std::pow(2.0, failed_attempt - 1), kMaxBackoffS);
  if (retry_after_s >= 0)
    return std::max(t, std::min(retry_after_s, t + 5.0));
  return t;
}

}  // namespace migsim::aws::retry
