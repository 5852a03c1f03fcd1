// botocore's "standard" retry mode (botocore/retries/standard.py, as installed): which failures
// are retried and how long to wait before the next attempt.
#pragma once

#include <string>

namespace migsim::aws::retry {

// Error codes botocore treats as throttling (ThrottledRetryableChecker).
bool is_throttling_code(const std::string& code);
// Error codes botocore treats as transient (TransientRetryableChecker): RequestTimeout,
// RequestTimeoutException, PriorRequestNotComplete.
bool is_transient_code(const std::string& code);

// Whether a failed attempt is worth retrying: a transport failure (connection refused/reset,
// connect or read timeout), HTTP 500/502/503/504, a throttling or transient error code. Any other
// 4xx (and any other error) is not retried.
bool is_retryable(int http_status, const std::string& error_code, bool transport_failure);

// The wait before attempt `failed_attempt` + 1 (attempts counted from 1), botocore's
// ExponentialBackoff as it runs by default (its "new retries" variant with per-error scales is
// behind a private switch that is off): rand01 * min(2^(failed_attempt - 1), 20 s).
double backoff_s(int failed_attempt, double rand01);

// Longest wait: botocore's _MAX_BACKOFF.
constexpr double kMaxBackoffS = 20;

// botocore's retry quota (retries/quota.py, RetryQuotaChecker): a client-wide bucket of 500 that
// each retry draws from (10 after a timeout, 5 otherwise) and successes refill (what the last
// retry took, or 1 for a first-try success). An empty bucket stops retrying, so a dead endpoint
// is not hammered by every caller.
class RetryQuota {
 public:
  static constexpr int kInitialCapacity = 500;
  static constexpr int kRetryCost = 5;
  static constexpr int kTimeoutRetryCost = 10;
  static constexpr int kNoRetryIncrement = 1;
  explicit RetryQuota(int capacity = kInitialCapacity) : max_(capacity), available_(capacity) {}
  // Takes the cost of one retry; false (nothing taken) when the bucket holds less.
  bool acquire(bool after_timeout);
  // A call succeeded: gives back `last_cost` (0: it was not retried -> kNoRetryIncrement).
  void release(int last_cost);
  int available() const { return available_; }

 private:
  int max_;
  int available_;
};

}  // namespace migsim::aws::retry
