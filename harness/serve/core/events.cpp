#include "harness/serve/core/events.hpp"

#include "harness/serve/core/router.hpp"
#include "models/cutover/migration.hpp"
#include "models/dms/lifecycle.hpp"
#include "models/dms/replication.hpp"
#include "models/mgn/source_server.hpp"
#include "models/onprem/onprem_estate.hpp"
#include "sim/engine.hpp"

#include <cmath>
#include <set>

namespace migsim::harness::serve {

namespace {

using nlohmann::json;

// A bad event: which field and why.
struct EventError {
  std::string field;
  std::string message;
};

const std::set<std::string> kEstateActions = {"server_down", "server_up", "set_workers", "set_multiplier",
                                              "link_down",   "link_up",   "tunnel_down", "tunnel_up"};
const std::set<std::string> kMigrationActions = {"test_launch", "cutover_start", "stop_writes", "resume_writes",
                                                 "dns_switch",  "dms_stop",      "dms_resume",  "dms_fail",
                                                 "mgn_launch_fail"};

// Checks an event against the scenario the way scenario loading does; returns it normalised.
json checked_event(const json& body, ServeContext& ctx)
{
  if (!body.is_object())
    throw EventError{"", "the body must be a JSON object {action, target, value, at_s}"};
  static const std::set<std::string> kKeys = {"action", "target", "value", "at_s", "at"};
  for (const auto& [k, v] : body.items())
    if (!kKeys.count(k))
      throw EventError{k, "unknown field (action, target, value, at_s)"};
  if (!body.contains("action") || !body["action"].is_string())
    throw EventError{"action", "required (a string)"};
  const std::string action = body["action"];
  if (!kEstateActions.count(action) && !kMigrationActions.count(action))
    throw EventError{"action", "unknown action '" + action + "'"};
  const sim::Scenario& sc = ctx.simulation.scenario();
  const models::Migration* m = ctx.simulation.migration();
  if (kMigrationActions.count(action) && !m)
    throw EventError{"action", action + " needs a scenario with a \"migration\" section"};
  if (body.contains("target") && !body["target"].is_string())
    throw EventError{"target", "must be a string"};
  if (body.contains("value") && (!body["value"].is_number() || !std::isfinite(body["value"].get<double>())))
    throw EventError{"value", "must be a finite number"};
  const std::string target = body.value("target", std::string());
  const double value = body.value("value", 0.0);
  const char* at_key = body.contains("at_s") ? "at_s" : "at";
  if (body.contains("at_s") && body.contains("at"))
    throw EventError{"at", "give at_s or at, not both"};
  double at = ctx.simulation.now();
  if (body.contains(at_key)) {
    if (!body[at_key].is_number() || !std::isfinite(body[at_key].get<double>()) || body[at_key].get<double>() < 0)
      throw EventError{at_key, "must be a number of simulated seconds >= 0"};
    at = std::max(at, body[at_key].get<double>());
    if (at > sc.duration_s)
      throw EventError{at_key, "is after the scenario's end (" + std::to_string(sc.duration_s) + " s)"};
  }
  const bool on_link = action == "link_down" || action == "link_up" || action == "tunnel_down" || action == "tunnel_up";
  if (action == "server_down" || action == "server_up") {
    if (!sc.server(target))
      throw EventError{"target", "unknown server '" + target + "'"};
  } else if (action == "set_workers") {
    if (!sc.service(target))
      throw EventError{"target", "unknown service '" + target + "'"};
    if (value < 1 || value != std::floor(value))
      throw EventError{"value", "workers must be an integer >= 1"};
  } else if (action == "set_multiplier") {
    if (value <= 0)
      throw EventError{"value", "the multiplier must be > 0"};
  } else if (on_link) {
    const sim::LinkSpec* link = nullptr;
    for (const auto& l : sc.platform.links)
      if (l.name == target)
        link = &l;
    if (!link)
      throw EventError{"target", "unknown link '" + target + "'"};
    if ((action == "tunnel_down" || action == "tunnel_up") && ((value != 1 && value != 2) || value > link->tunnels))
      throw EventError{"value", "tunnel number must be 1 or 2 and at most the link's tunnels"};
  } else if (action == "dns_switch") {
    const auto& sites = ctx.simulation.estate().flow().site_names();
    if (std::find(sites.begin(), sites.end(), target) == sites.end())
      throw EventError{"target", "unknown site '" + target + "'"};
  } else if (action == "mgn_launch_fail" && !target.empty()) {
    bool found = false;
    for (const auto& s : m->mgn_servers())
      found = found || s->hostname() == target;
    for (const auto& s : m->spec().mgn_servers)
      found = found || s.source == target;
    if (!found)
      throw EventError{"target", "no MGN source server '" + target + "'"};
  } else if (action == "dms_fail" && at <= ctx.simulation.now() && (!m->dms() || !models::dms::can_stop(m->dms()->status()))) {
    throw EventError{"action", "dms_fail: the replication is " + std::string(m->dms() ? m->dms()->status() : "not created") +
                                   "; only a starting or running replication can fail"};
  }
  return {{"action", action}, {"target", target}, {"value", value}, {"at_s", at}};
}

}  // namespace

std::optional<Response> EventBook::handle(const std::string& path, const Request& req, ServeContext& ctx)
{
  if (path != "/_migsim/events")
    return std::nullopt;
  if (req.method() == http::verb::get || req.method() == http::verb::head)
  {
    json list = json::array();
    for (const json& e : events_)
      list.push_back(e);
    return json_response(http::status::ok, {{"events", list}});
  }
  if (req.method() == http::verb::post)
    return post(req, ctx);
  return json_response(http::status::method_not_allowed,
                       {{"error", "MethodNotAllowed"}, {"message", "GET or POST /_migsim/events"}});
}

Response EventBook::post(const Request& req, ServeContext& ctx)
{
  const json body = json::parse(req.body(), nullptr, false);
  json e;
  try {
    if (body.is_discarded())
      throw EventError{"", "the body is not valid JSON"};
    e = checked_event(body, ctx);
  } catch (const EventError& err) {
    return json_response(http::status::bad_request,
                         {{"error", "InvalidEvent"}, {"field", err.field},
                          {"message", (err.field.empty() ? "" : err.field + ": ") + err.message}});
  }
  const size_t index = events_.size();
  e["id"] = index + 1;
  e["submitted_s"] = ctx.simulation.now();
  e["status"] = "scheduled";
  events_.push_back(e);
  if (e["at_s"].get<double>() <= ctx.simulation.now())
    apply(index, ctx);
  else
    sim::Engine::instance().at(e["at_s"].get<double>(), [this, index, &ctx]() { apply(index, ctx); });
  return json_response(http::status::created, events_[index]);
}

void EventBook::apply(size_t index, ServeContext& ctx)
{
  json& e = events_[index];
  sim::EventSpec spec{e["at_s"].get<double>(), e["action"], e["target"], e["value"].get<double>()};
  try {
    ctx.simulation.estate().apply_event(spec);
    e["status"] = "applied";
  } catch (const std::exception& ex) {
    e["status"] = "failed";
    e["error"] = ex.what();
  }
  e["applied_s"] = ctx.simulation.now();
}

}  // namespace migsim::harness::serve
