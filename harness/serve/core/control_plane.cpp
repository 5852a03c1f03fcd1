#include "harness/serve/core/control_plane.hpp"

#include "harness/serve/core/call_recorder.hpp"
#include "harness/serve/core/platform_ids.hpp"
#include "harness/serve/core/provisioning.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/core/router.hpp"
#include "harness/serve/ssm/maintenance.hpp"

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cmath>
#include <csignal>
#include <iostream>
#include <unistd.h>

namespace migsim::harness::serve {

namespace {

using nlohmann::json;

// The clock's state, as GET and POST /_migsim/clock answer it.
json clock_json(const ServeContext& ctx)
{
  const double now = ctx.simulation.now();
  json speed = ctx.speed.max ? json("max") : json(ctx.speed.factor);
  return {{"now_s", now}, {"duration_s", ctx.simulation.scenario().duration_s}, {"speed", speed},
          {"date", iso_date(now)}};
}

// An error of the control paths (not an AWS shape: these are LocalStack/migsim paths).
Response control_error(http::status status, const std::string& code, const std::string& message)
{
  return json_response(status, {{"error", code}, {"message", message}});
}

// POST /_migsim/clock: jumps the simulation forward.
Response post_clock(const Request& req, ServeContext& ctx)
{
  const json body = json::parse(req.body(), nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return control_error(http::status::bad_request, "InvalidClockRequest",
                         "body must be a JSON object: {\"advance_s\": N} or {\"to_s\": T}");
  const bool has_advance = body.contains("advance_s"), has_to = body.contains("to_s");
  if (has_advance == has_to || body.size() != 1)
    return control_error(http::status::bad_request, "InvalidClockRequest",
                         "give exactly one of \"advance_s\" or \"to_s\"");
  const json& v = has_advance ? body["advance_s"] : body["to_s"];
  if (!v.is_number() || !std::isfinite(v.get<double>()))
    return control_error(http::status::bad_request, "InvalidClockRequest",
                         std::string(has_advance ? "advance_s" : "to_s") + " must be a finite number of seconds");
  const double now = ctx.simulation.now(), end = ctx.simulation.scenario().duration_s;
  const double target = has_advance ? now + v.get<double>() : v.get<double>();
  if (target < now)
    return control_error(http::status::bad_request, "InvalidClockRequest",
                         "the simulated clock cannot go back (now " + std::to_string(now) + " s, asked " +
                             std::to_string(target) + " s)");
  const bool clamped = target > end;
  ctx.simulation.advance_to(std::min(target, end));
  ctx.rebase();
  json out = clock_json(ctx);
  out["clamped"] = clamped;
  return json_response(http::status::ok, out);
}

// The paced clock: advance the simulation every tick; re-arm.
void schedule_tick(boost::asio::steady_timer& timer, ServeContext& ctx, const ServeOptions& opt)
{
  timer.expires_after(std::chrono::microseconds(static_cast<long>(opt.tick_s * 1e6)));
  timer.async_wait([&timer, &ctx, &opt](const boost::system::error_code& ec) {
    if (ec)
      return;
    const double end = ctx.simulation.scenario().duration_s;
    if (ctx.simulation.now() < end) {
      if (ctx.speed.max)
        ctx.simulation.advance_to(ctx.simulation.now() + opt.max_step_s);
      else if (ctx.speed.factor > 0)
        ctx.simulation.advance_to(ctx.paced_target_s());
    }
    schedule_tick(timer, ctx, opt);
  });
}

// This machine's name, for /_localstack/info's machine_id.
std::string host_name()
{
  char buf[256] = {};
  return gethostname(buf, sizeof buf - 1) == 0 ? std::string(buf) : std::string("localhost");
}

}  // namespace

std::optional<Response> handle_control(const Request& req, ServeContext& ctx)
{
  std::string path(req.target());
  path = path.substr(0, path.find('?'));
  if (path.rfind("/_localstack/", 0) != 0 && path.rfind("/_migsim/", 0) != 0)
    return std::nullopt;
  const auto method = req.method();
  const bool get = method == http::verb::get || method == http::verb::head;
  if (path == "/_localstack/health" && get)
    return json_response(http::status::ok,
                         {{"services", {{"dms", "running"}, {"mgn", "running"}}}, {"edition", "community"}, {"version", kVersion}});
  if (path == "/_localstack/info" && get)
    return json_response(http::status::ok, {{"version", kVersion},
                                            {"edition", "community"},
                                            {"is_license_activated", false},
                                            {"session_id", request_id(0)},
                                            {"machine_id", "migsim-" + host_name()},
                                            {"system", "linux"},
                                            {"uptime", static_cast<long>(ctx.uptime_s())}});
  if (path == "/_migsim/clock" && get)
    return json_response(http::status::ok, clock_json(ctx));
  if (path == "/_migsim/clock" && method == http::verb::post)
    return post_clock(req, ctx);
  if (path == "/_migsim/timeline" && get)
    return json_response(http::status::ok, ctx.state<ResourceTimeline>().to_json());
  if (path == "/_migsim/calls" && get) {
    json calls = json::array();
    for (const auto& r : ctx.state<CallRecorder>().records())
      calls.push_back(cloudtrail_event_json(r));
    return json_response(http::status::ok, {{"calls", calls}});
  }
  if (path == "/_localstack/health" || path == "/_localstack/info" || path == "/_migsim/clock" ||
      path == "/_migsim/timeline" || path == "/_migsim/calls")
    return control_error(http::status::method_not_allowed, "MethodNotAllowed",
                         std::string(req.method_string()) + " is not allowed on " + path);
  return control_error(http::status::not_found, "NotFound",
                       path + " is not a control path (/_localstack/health, /_localstack/info, /_migsim/clock, "
                                "/_migsim/timeline, /_migsim/calls)");
}

int run_serve(const sim::Scenario& scenario, const ServeOptions& opt)
{
  Simulation simulation(scenario);
  ServeContext ctx{.simulation = simulation, .speed = opt.speed};
  install_serve_hooks(ctx);
  try {
    for (const auto& t : opt.timings)
      ctx.state<ProvisioningTimes>().set_from(t);
  } catch (const std::invalid_argument& e) {
    std::cerr << "migsim serve: " << e.what() << "\n";
    return 2;
  }
  ctx.state<ResourceTimeline>().log_to_stdout(true);
  boost::asio::io_context ioc;
  std::unique_ptr<HttpServer> server;
  try {
    const auto address = boost::asio::ip::make_address(opt.host);
    server = std::make_unique<HttpServer>(
        ioc, boost::asio::ip::tcp::endpoint(address, opt.port),
        HttpHandlers{[&ctx](const Request& req) { return handle_request(req, ctx); },
                     [&ctx](http::status s, const std::string& why, const Request* partial) {
                       return transport_error(s, why, partial, ctx);
                     }});
  } catch (const boost::system::system_error& e) {
    std::cerr << "migsim serve: cannot listen on " << opt.host << ":" << opt.port << ": " << e.what() << "\n";
    return 2;
  }
  boost::asio::steady_timer timer(ioc);
  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec)
      return;
    server->close();
    timer.cancel();
    ioc.stop();
  });
  ctx.rebase();
  schedule_tick(timer, ctx, opt);
  const auto ep = server->local_endpoint();
  ctx.state<platform::EndpointUrl>().url = "http://" + opt.host + ":" + std::to_string(ep.port());
  std::cout << "migsim serve: listening on http://" << opt.host << ":" << ep.port() << " (scenario " << scenario.name
            << ", speed " << opt.speed.str() << ")" << std::endl;
  ioc.run();
  const json timeline = ctx.state<ResourceTimeline>().to_json();
  if (!timeline["resources"].empty())
    std::cout << "migsim serve: timeline: " << timeline["resources"].size() << " resources created through the API, "
              << "critical path " << timeline["critical_path_s"].get<double>() << " s on the simulated clock" << std::endl;
  std::cout << "migsim serve: stopped at t = " << simulation.now() << " s" << std::endl;
  return 0;
}

}  // namespace migsim::harness::serve
