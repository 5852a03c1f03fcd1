// /_migsim/events: scenario events injected into the live simulation, now or at a simulated time.
//   POST {"action", "target"?, "value"?, "at_s"? (or "at")}: validates like a scenario's events
//        (400 {"error", "field", "message"} naming the bad field), applies it now (at_s absent or
//        not in the future) or schedules it; answers 201 with the event as GET lists it.
//   GET  lists every injected event with its status (scheduled, applied, failed + error).
// Actions: those of scenario events (server_down/up, set_workers, set_multiplier, link_down/up,
// tunnel_down/up, test_launch, cutover_start, stop_writes, resume_writes, dns_switch, dms_stop,
// dms_resume) plus two faults only the endpoint injects: dms_fail (the replication fails as on a
// fatal error) and mgn_launch_fail (target: a source hostname or none for all; the next launch job
// of those servers fails at boot).
#pragma once

#include "harness/serve/core/http_server.hpp"
#include "harness/serve/core/serve_context.hpp"

#include <nlohmann/json.hpp>

#include <deque>
#include <optional>
#include <string>

namespace migsim::harness::serve {

class EventBook {
public:
  // Answers /_migsim/events; nullopt for other paths.
  std::optional<Response> handle(const std::string& path, const Request& req, ServeContext& ctx);
  const std::deque<nlohmann::json>& events() const { return events_; }

private:
  Response post(const Request& req, ServeContext& ctx);
  void apply(size_t index, ServeContext& ctx);

  std::deque<nlohmann::json> events_;  // stable: scheduled callbacks hold indexes
};

}  // namespace migsim::harness::serve
