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

// The wait before attempt `failed_attempt` + 1 (attempts counted from 1):
//   rand01 * min(scale * 2^(failed_attempt - 1), 20 s), scale 1 for throttling, 0.05 otherwise;
// with an x-amz-retry-after header of `retry_after_s` (>= 0), max(t, min(retry_after, t + 5)).
double backoff_s(int failed_attempt, bool throttling, double rand01, double retry_after_s = -1);

// Longest wait: botocore's _MAX_BACKOFF.
constexpr double kMaxBackoffS = 20;

}  // namespace migsim::aws::retry
