#include "harness/serve/persist/replay.hpp"

#include "harness/k8s/api_server.hpp"
#include "harness/serve/core/chaos.hpp"
#include "harness/serve/core/control_plane.hpp"
#include "harness/serve/core/router.hpp"
#include "harness/serve/persist/journal_file.hpp"
#include "harness/serve/persist/journal_record.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace migsim::harness::serve::persist {

namespace {

using nlohmann::json;

// The slice of a clock jump (control_plane.cpp advances in the same steps).
constexpr double kSliceSimS = 10.0;

std::string record_name(const std::string& where, size_t index)
{
  return where + ": record " + std::to_string(index);
}

}  // namespace

void advance_replay_clock(ServeContext& ctx, double t_s)
{
  while (ctx.simulation.now() < t_s)
    ctx.simulation.advance_to(std::min(t_s, ctx.simulation.now() + kSliceSimS));
  k8s::advance(ctx);  // a tick ran between the journaled requests, most often
  if (ctx.pending_clock_s >= 0 && ctx.simulation.now() >= ctx.pending_clock_s)
    ctx.pending_clock_s = -1;
}

ReplayOutcome replay_records(const std::vector<json>& records, const std::string& where, ServeContext& ctx)
{
  ReplayOutcome out;
  auto diverged = [&](size_t i, const std::string& what) {
    if (out.diverged++ == 0)
      out.first_divergence = record_name(where, i) + ": " + what;
  };
  for (size_t i = 1; i < records.size(); ++i) {
    const json& r = records[i];
    const std::string kind = r.is_object() && r.contains("kind") && r["kind"].is_string() ? r["kind"].get<std::string>() : "";
    if (kind == "clock") {
      if (!r.contains("at_s") || !r["at_s"].is_number())
        throw StateError(record_name(where, i) + ": a clock record needs \"at_s\", a number");
      advance_replay_clock(ctx, r["at_s"].get<double>());
      ++out.clocks;
      continue;
    }
    if (kind != "call")
      throw StateError(record_name(where, i) + ": unknown kind " + (r.is_object() && r.contains("kind") ? r["kind"].dump() : "(none)") +
                       " (header, call, clock)");
    CallEntry c;
    try {
      c = call_from_json(r);
    } catch (const std::invalid_argument& e) {
      throw StateError(record_name(where, i) + ": " + e.what());
    }
    if (c.at_s < ctx.simulation.now())
      diverged(i, "applied at t = " + std::to_string(c.at_s) + " s, but the replayed clock is already at " +
                      std::to_string(ctx.simulation.now()) + " s");
    advance_replay_clock(ctx, c.at_s);
    chaos_state(ctx).skip_to(c.chaos_draws);
    ctx.requests = c.request_no;
    ctx.request_id = request_id(c.request_no);
    ctx.request_tls = c.tls;
    ctx.state<ClockJumpCap>().stop_at_s = c.after_s;
    Response res = handle_admitted_request(c.request, ctx);
    ctx.state<ClockJumpCap>().stop_at_s = -1;
    ctx.request_tls = false;
    ctx.stream = nullptr;  // a body produced over time has no reader here
    advance_replay_clock(ctx, c.after_s);
    ++out.calls;
    if (static_cast<int>(res.result_int()) != c.status) {
      std::ostringstream what;
      what << c.service << " " << c.operation << " answered " << res.result_int() << ", journaled " << c.status;
      diverged(i, what.str());
    } else if (ctx.simulation.now() != c.after_s) {
      diverged(i, c.service + " " + c.operation + " ended at t = " + std::to_string(ctx.simulation.now()) +
                      " s, journaled " + std::to_string(c.after_s) + " s");
    }
  }
  return out;
}

}  // namespace migsim::harness::serve::persist
