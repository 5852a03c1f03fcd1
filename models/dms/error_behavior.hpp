// recoverable_error_restarts: how long a DMS replication keeps trying after a recoverable
// (environmental) error, such as a source it cannot reach, before it fails. DMS documents this as
// the ErrorBehavior task settings (docs/migration-model.md): a restart is attempted after
// RecoverableErrorInterval seconds; with RecoverableErrorThrottling each later wait doubles (5, 10,
// 20, 40 ... s) up to RecoverableErrorThrottlingMax; the replication fails after
// RecoverableErrorCount failed attempts (-1: no limit, 0: at the error) or, with
// RecoverableErrorStopRetryAfterThrottlingMax, when the attempt made after the longest wait fails.
// Plain arithmetic, no SimGrid: the replication asks when to give up once the source goes away.
#pragma once

#include "models/dms/settings.hpp"

#include <algorithm>
#include <optional>
#include <vector>

namespace migsim::models::dms {

// The waits before each restart attempt, in order, until the settings stop retrying or `limit`
// waits are listed (an unbounded schedule is cut at `limit`).
inline std::vector<double> restart_waits_s(const ErrorBehavior& s, size_t limit)
{
  std::vector<double> waits;
  double wait = s.recoverable_error_interval_s;
  while (waits.size() < limit) {
    if (s.recoverable_error_count >= 0 && waits.size() >= static_cast<size_t>(s.recoverable_error_count))
      break;
    const bool at_max = s.recoverable_error_throttling && wait >= s.recoverable_error_throttling_max_s;
    if (at_max)
      wait = s.recoverable_error_throttling_max_s;
    waits.push_back(wait);
    if (at_max && s.recoverable_error_stop_retry_after_throttling_max)
      break;  // the attempt after the longest wait was the last one
    if (s.recoverable_error_throttling)
      wait = std::min(2 * wait, s.recoverable_error_throttling_max_s);
  }
  return waits;
}

// Seconds from the error to the failure of the last restart attempt, or nullopt when the settings
// retry for ever (RecoverableErrorCount -1 without a stop at the throttling maximum).
inline std::optional<double> give_up_after_s(const ErrorBehavior& s)
{
  const bool unbounded = s.recoverable_error_count < 0 &&
                         !(s.recoverable_error_throttling && s.recoverable_error_stop_retry_after_throttling_max);
  if (unbounded)
    return std::nullopt;
  // Bounded: at most RecoverableErrorCount waits, or the doublings up to the maximum (under 64).
  const size_t cap = s.recoverable_error_count >= 0 ? static_cast<size_t>(s.recoverable_error_count) : 64;
  double total = 0;
  for (double w : restart_waits_s(s, cap))
    total += w;
  return total;
}

}  // namespace migsim::models::dms
