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

double backoff_s(int failed_attempt, double rand01)
{
  return rand01 * std::min(std::pow(2.0, failed_attempt - 1), kMaxBackoffS);
}

bool RetryQuota::acquire(bool after_timeout)
{
  const int cost = after_timeout ? kTimeoutRetryCost : kRetryCost;
  if (cost > available_)
    return false;
  available_ -= cost;
  return true;
}

void RetryQuota::release(int last_cost)
{
  available_ = std::min(max_, available_ + (last_cost > 0 ? last_cost : kNoRetryIncrement));
}

}  // namespace migsim::aws::retry
