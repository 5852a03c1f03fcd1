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

#include <nlohmann/json.hpp>

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

// The five settings as the ErrorBehavior object of a replication's settings JSON shows them.
inline nlohmann::json to_json(const ErrorBehavior& e)
{
  return {{"RecoverableErrorCount", e.recoverable_error_count},
          {"RecoverableErrorInterval", e.recoverable_error_interval_s},
          {"RecoverableErrorThrottling", e.recoverable_error_throttling},
          {"RecoverableErrorThrottlingMax", e.recoverable_error_throttling_max_s},
          {"RecoverableErrorStopRetryAfterThrottlingMax", e.recoverable_error_stop_retry_after_throttling_max}};
}

// `base` with the settings a ReplicationSettings document (the task settings JSON of
// CreateReplicationConfig / ModifyReplicationConfig) gives in its ErrorBehavior object; other keys
// are kept by the caller as given. Throws std::invalid_argument naming a key of the wrong type or an
// invalid value.
inline ErrorBehavior error_behavior_from_settings(const nlohmann::json& settings, ErrorBehavior base)
{
  if (!settings.is_object())
    throw std::invalid_argument("ReplicationSettings must be a JSON object");
  if (!settings.contains("ErrorBehavior"))
    return base;
  const auto& eb = settings["ErrorBehavior"];
  if (!eb.is_object())
    throw std::invalid_argument("ReplicationSettings.ErrorBehavior must be a JSON object");
  auto number = [&](const char* key, double& out) {
    if (!eb.contains(key))
      return;
    if (!eb[key].is_number())
      throw std::invalid_argument(std::string("ErrorBehavior.") + key + " must be a number");
    out = eb[key].get<double>();
  };
  auto boolean = [&](const char* key, bool& out) {
    if (!eb.contains(key))
      return;
    if (!eb[key].is_boolean())
      throw std::invalid_argument(std::string("ErrorBehavior.") + key + " must be true or false");
    out = eb[key].get<bool>();
  };
  if (eb.contains("RecoverableErrorCount")) {
    if (!eb["RecoverableErrorCount"].is_number_integer())
      throw std::invalid_argument("ErrorBehavior.RecoverableErrorCount must be an integer");
    base.recoverable_error_count = eb["RecoverableErrorCount"].get<int>();
  }
  number("RecoverableErrorInterval", base.recoverable_error_interval_s);
  boolean("RecoverableErrorThrottling", base.recoverable_error_throttling);
  number("RecoverableErrorThrottlingMax", base.recoverable_error_throttling_max_s);
  boolean("RecoverableErrorStopRetryAfterThrottlingMax", base.recoverable_error_stop_retry_after_throttling_max);
  detail::require(base.recoverable_error_count >= -1, "ErrorBehavior.RecoverableErrorCount " +
                                                          std::to_string(base.recoverable_error_count) +
                                                          " must be -1 (no limit) or >= 0");
  detail::require(base.recoverable_error_interval_s > 0, "ErrorBehavior.RecoverableErrorInterval must be > 0");
  detail::require(base.recoverable_error_throttling_max_s > 0, "ErrorBehavior.RecoverableErrorThrottlingMax must be > 0");
  return base;
}

}  // namespace migsim::models::dms
