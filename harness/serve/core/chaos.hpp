// The chaos API as LocalStack has it (docs.localstack.cloud, Chaos API): service faults at
// /_localstack/chaos/faults (a list of rules {service, region, operation, probability, error:
// {statusCode, code}}; GET lists, POST replaces, PATCH appends, DELETE removes the given rules) and
// network effects at /_localstack/chaos/effects ({"latency": ms}, GET / POST). Rules are evaluated
// in order on every AWS request; the first that matches (absent fields match anything) fails it
// with probability p (default 1) with the error (default 503 ServiceUnavailable), in the request's
// protocol. Draws come from a stream seeded by the scenario's seed, so the same requests fail on
// the same seed. Latency delays every AWS response by a timer, never blocking the simulation.
#pragma once

#include "harness/serve/core/http_server.hpp"
#include "harness/serve/core/errors.hpp"
#include "harness/serve/core/serve_context.hpp"
#include "sim/rng.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace migsim::harness::serve {

class ChaosState {
public:
  explicit ChaosState(uint64_t seed) : rng_(seed, "chaos.faults") {}

  // The error to answer instead of the operation, or nullopt.
  std::optional<aws::AwsError> fault_for(const std::string& service, const std::string& operation, const std::string& region);
  // The latency effect, milliseconds (0: none).
  double latency_ms() const { return latency_ms_; }

  // The control paths (method + JSON body); nullopt when `path` is not a chaos path.
  std::optional<Response> handle(const std::string& path, const Request& req);

  const nlohmann::json& rules() const { return rules_; }

  // How many numbers the fault stream has drawn; drawing on to `n` (a journal replay: the calls
  // that drew in between only read, and are not replayed).
  uint64_t draws() const { return draws_; }
  void skip_to(uint64_t n);

private:
  sim::RandomStream rng_;
  uint64_t draws_ = 0;
  nlohmann::json rules_ = nlohmann::json::array();
  double latency_ms_ = 0;
};

// The response header the HTTP layer reads (and removes) to delay a response (chaos latency).
inline constexpr const char* kDelayHeader = "X-Migsim-Delay-Ms";

// The endpoint's chaos rules and effects (draws seeded by the scenario's seed).
ChaosState& chaos_state(ServeContext& ctx);
// An AWS request a chaos fault matches: its error in the request's protocol; nullopt otherwise.
std::optional<Response> chaos_fault(const Request& req, ServeContext& ctx);
// Marks an AWS response with the chaos latency effect (no-op for control paths).
void apply_chaos_effects(const Request& req, Response& res, ServeContext& ctx);

}  // namespace migsim::harness::serve
