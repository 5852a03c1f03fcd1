// The records of a serve journal (each one frame's JSON payload, journal_frames.hpp):
//   header  what the journal was written for: the scenario's name and SHA-256 of its file's bytes,
//           the seed and the settings that change what the endpoint does (--timing, ...)
//   call    one state-changing request as it came in (method, target, headers, body), the simulated
//           time it was applied at and the one it was answered at, the request number (its
//           x-amzn-RequestId), the chaos stream's draws before it and its answer's status
//   clock   the simulated clock reached this time (written as the paced clock runs and on stop)
#pragma once

#include "harness/serve/core/http_server.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace migsim::harness::serve::persist {

inline constexpr int kFormatVersion = 1;

// What a journal belongs to: replaying it under anything else would build another state.
struct JournalIdentity {
  std::string scenario_name;
  std::string scenario_sha256;  // of the scenario file's bytes
  uint64_t seed = 0;
  nlohmann::json settings = nlohmann::json::object();  // the serve options that change the simulation
};

// One state-changing request and where it happened.
struct CallEntry {
  double at_s = 0;     // simulated time when it was applied
  double after_s = 0;  // simulated time when it was answered (a clock jump moves it)
  uint64_t request_no = 0;   // the server's request counter for it (its request id)
  uint64_t chaos_draws = 0;  // draws of the chaos stream before it
  bool tls = false;          // came over the HTTPS listener (the Kubernetes API)
  int status = 0;            // the answer's HTTP status
  std::string service, operation;  // what it was ("ec2" "CreateVpc", "control" "POST /_migsim/clock")
  Request request;
};

nlohmann::json header_json(const JournalIdentity& id);
nlohmann::json call_json(const CallEntry& c);
nlohmann::json clock_json(double at_s);

// The journal's identity from its header record; throws std::invalid_argument naming the bad field.
JournalIdentity identity_from_header(const nlohmann::json& header);
// A call record back; throws std::invalid_argument naming the bad field.
CallEntry call_from_json(const nlohmann::json& j);

// Why a journal written for `written` cannot be replayed for `now` (nothing when it can).
std::optional<std::string> identity_mismatch(const JournalIdentity& written, const JournalIdentity& now);

}  // namespace migsim::harness::serve::persist
