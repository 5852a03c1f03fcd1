#include "harness/serve/core/control_plane.hpp"
#include "sim/engine.hpp"
#include "sim/json_text.hpp"

#include "harness/observe/metrics_endpoint.hpp"
#include "harness/serve/core/call_recorder.hpp"
#include "harness/serve/core/provisioning.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/core/router.hpp"
#include "harness/serve/core/https_server.hpp"
#include "sim/horizon.hpp"
#include "harness/serve/ssm/maintenance.hpp"
#include "harness/k8s/api_server.hpp"
#include "harness/aws/client/crypto.hpp"
#include "harness/serve/elbv2/backend.hpp"
#include "harness/serve/persist/journal_file.hpp"
#include "harness/serve/persist/persistence.hpp"

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <iostream>
#include <utility>
#include <unistd.h>

namespace migsim::harness::serve {

namespace {

using nlohmann::json;

// Where the run is: "inside" the scenario window [0, duration_s] or "past" it.
std::string window_of(const ServeContext& ctx)
{
  return ctx.simulation.now() > ctx.simulation.scenario().duration_s ? "past" : "inside";
}

// The clock's state, as GET and POST /_migsim/clock answer it.
json clock_json(const ServeContext& ctx)
{
  const double now = ctx.simulation.now();
  json speed = ctx.speed.max ? json("max") : json(ctx.speed.factor);
  json out = {{"now_s", now},       {"duration_s", ctx.simulation.scenario().duration_s}, {"speed", speed},
              {"date", iso_date(now)}, {"window", window_of(ctx)}};
  if (ctx.pending_clock_s >= 0)
    out["pending_to_s"] = ctx.pending_clock_s;
  return out;
}

// Whether the "past the scenario window" line was printed (kept in the context's state store).
struct WindowLog {
  bool past_logged = false;
};

// Logs, once, that the clock has left the scenario's window (the endpoint goes on).
void note_window(ServeContext& ctx)
{
  bool& logged = ctx.state<WindowLog>().past_logged;
  if (logged || window_of(ctx) != "past")
    return;
  logged = true;
  std::cout << "migsim serve: t = " << ctx.simulation.now() << " s: past the scenario window (duration_s = "
            << ctx.simulation.scenario().duration_s
            << " s); the workload goes on (the daily curve repeats, events and spikes do not)" << std::endl;
}

// A jump of the clock runs the simulation in slices of this many simulated seconds, and a request
// spends at most kJumpBudgetWallS of wall time on it: the rest continues between requests (tick by
// tick), so one POST /_migsim/clock {"advance_s": 1e300} never stalls the other clients.
constexpr double kSliceSimS = 10.0;
constexpr double kJumpBudgetWallS = 5.0;
constexpr double kTickBudgetWallS = 0.05;
// One clock jump goes at most this far past the later of now and the scenario's end (30 days).
constexpr double kMaxJumpPastS = 30 * 86400.0;

// Runs the simulation toward target until it gets there or the wall budget is spent; whether it got there.
bool advance_in_slices(ServeContext& ctx, double target, double budget_wall_s)
{
  const auto started = ServeContext::Clock::now();
  while (ctx.simulation.now() < target) {
    ctx.simulation.advance_to(std::min(target, ctx.simulation.now() + kSliceSimS));
    if (std::chrono::duration<double>(ServeContext::Clock::now() - started).count() > budget_wall_s)
      break;
  }
  return ctx.simulation.now() >= target;
}

// What the simulation refused while it ran for this request (illegal transitions its own events
// triggered), from the engine's record.
json failed_since(size_t before)
{
  json out = json::array();
  const auto& failed = sim::Engine::instance().failed_actions();
  for (size_t i = before; i < failed.size(); ++i)
    out.push_back({{"at_s", failed[i].t_s}, {"message", failed[i].what}});
  return out;
}

// An error of the control paths (not an AWS shape: these are LocalStack/migsim paths).
Response control_error(http::status status, const std::string& code, const std::string& message)
{
  return json_response(status, {{"error", code}, {"message", message}});
}

// POST /_migsim/clock: jumps the simulation forward.
Response post_clock(const Request& req, ServeContext& ctx)
{
  const json body = sim::parse_wire_json(req.body());
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
  const double now = ctx.simulation.now();
  const double end = ctx.simulation.scenario().duration_s;
  const double target = has_advance ? now + v.get<double>() : v.get<double>();
  if (target < now)
    return control_error(http::status::bad_request, "InvalidClockRequest",
                         "the simulated clock cannot go back (now " + std::to_string(now) + " s, asked " +
                             std::to_string(target) + " s)");
  // The clock runs on past the scenario's window, but one jump goes at most kMaxJumpPastS beyond
  // the later of now and the window's end.
  const double limit = std::max(end, now) + kMaxJumpPastS;
  const bool clamped = target > limit;
  const double goal = std::min(target, limit);
  const size_t failed_before = sim::Engine::instance().failed_actions().size();
  // A replayed jump stops where the journaled one had got to when it was answered.
  const double cap = ctx.state<ClockJumpCap>().stop_at_s;
  advance_in_slices(ctx, cap >= 0 ? std::min(goal, cap) : goal, kJumpBudgetWallS);
  const bool reached = ctx.simulation.now() >= goal;
  if (reached) {
    ctx.pending_clock_s = -1;
    ctx.rebase();
    if (cap < 0)  // a replay prints nothing before the listening line; the first tick says it
      note_window(ctx);
  } else {
    ctx.pending_clock_s = std::max(ctx.pending_clock_s, goal);
  }
  json out = clock_json(ctx);
  out["clamped"] = clamped;
  if (const json failed = failed_since(failed_before); !failed.empty())
    out["failed_actions"] = failed;
  // 202: the jump goes on between requests (GET /_migsim/clock shows pending_to_s until it is done).
  return json_response(reached ? http::status::ok : http::status::accepted, out);
}

// The paced clock: advance the simulation every tick; re-arm.
void schedule_tick(boost::asio::steady_timer& timer, ServeContext& ctx, const ServeOptions& opt)
{
  timer.expires_after(std::chrono::microseconds(static_cast<long>(opt.tick_s * 1e6)));
  timer.async_wait([&timer, &ctx, &opt](const boost::system::error_code& ec) {
    if (ec)
      return;
    try {
      if (ctx.pending_clock_s >= 0) {
        if (advance_in_slices(ctx, ctx.pending_clock_s, kTickBudgetWallS)) {
          ctx.pending_clock_s = -1;
          ctx.rebase();
        }
      } else {
        if (ctx.speed.max)
          ctx.simulation.advance_to(ctx.simulation.now() + opt.max_step_s);
        else if (ctx.speed.factor > 0)
          ctx.simulation.advance_to(ctx.paced_target_s());
      }
    } catch (const std::exception& e) {
      // The engine already turns a failing scheduled action into an event-log entry; anything that
      // still escapes is reported, and the endpoint keeps serving.
      std::cerr << "migsim serve: the clock tick failed: " << e.what() << "\n";
    }
    note_window(ctx);
    k8s::advance(ctx);  // the clusters' Kubernetes controllers and watches follow the clock
    auto& persistence = ctx.state<persist::Persistence>();
    persistence.note_clock(ctx.simulation.now(), false);
    if (persistence.failed()) {  // its state would run ahead of its journal: stop (exit code 4)
      static_cast<boost::asio::io_context&>(timer.get_executor().context()).stop();
      return;
    }
    schedule_tick(timer, ctx, opt);
  });
}

// Whether the scenario's own simulation stands behind a service (its resources exist from t = 0 and
// move with the models), rather than only what clients create through the API.
bool scenario_backs(const std::string& service, Simulation& sim)
{
  if (service == "dms" || service == "mgn" || service == "route53")
    return sim.migration() != nullptr;  // the cutover's replication, servers and DNS switch
  if (service == "rds")
    return sim.rds() != nullptr || sim.migration() != nullptr;  // the target database
  if (service == "elbv2" || service == "autoscaling" || service == "ec2")
    return sim.aws() != nullptr || sim.migration() != nullptr;  // the estate's / target site's fleet
  if (service == "eks")
    return sim.eks() != nullptr;
  return service == "cloudwatch";  // the simulation's metrics, whatever the scenario
}

// /_localstack/health: every service this endpoint answers, "running" when the scenario's simulation
// is behind it, "available" when it holds only what clients create.
json health_json(ServeContext& ctx)
{
  json services = json::object();
  for (const HandlerEntry* e : registry().entries())
    services[e->service] = scenario_backs(e->service, ctx.simulation) ? "running" : "available";
  return {{"services", services}, {"edition", "community"}, {"version", kVersion}};
}

// This machine's name, for /_localstack/info's machine_id.
std::string host_name()
{
  char buf[256] = {};
  return gethostname(buf, sizeof buf - 1) == 0 ? std::string(buf) : std::string("localhost");
}

// What a journal is written for: the scenario file's bytes, the seed, the options that change
// what the endpoint does (--timing, --elbv2-provisioning-s); --speed only paces it.
persist::PersistOptions state_options(const sim::Scenario& scenario, const ServeOptions& opt)
{
  persist::PersistOptions o{opt.state_dir, opt.restore, {}};
  o.identity.scenario_name = scenario.name;
  o.identity.scenario_sha256 = aws::crypto::sha256_hex(persist::read_file(opt.scenario_path));
  o.identity.seed = scenario.seed;
  std::vector<std::string> timings = opt.timings;  // the same settings in another order are the same
  std::sort(timings.begin(), timings.end());
  o.identity.settings = {{"timing", timings}, {"elbv2_provisioning_s", elbv2::provisioning_s_option()}};
  return o;
}

}  // namespace

std::optional<Response> handle_control(const Request& req, ServeContext& ctx)
{
  if (auto metrics = observe::handle_metrics(req, ctx))  // GET /metrics (Prometheus)
    return metrics;
  std::string path(req.target());
  path = path.substr(0, path.find('?'));
  if (path.rfind("/_localstack/", 0) != 0 && path.rfind("/_migsim/", 0) != 0)
    return std::nullopt;
  const auto method = req.method();
  const bool get = method == http::verb::get || method == http::verb::head;
  if (path == "/_localstack/health" && get)
    return json_response(http::status::ok, health_json(ctx));
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
  if (path == "/_migsim/state")
    return ctx.state<persist::Persistence>().handle_state(req, ctx);
  if (path == "/_localstack/health" || path == "/_localstack/info" || path == "/_migsim/clock" ||
      path == "/_migsim/timeline" || path == "/_migsim/calls")
    return control_error(http::status::method_not_allowed, "MethodNotAllowed",
                         std::string(req.method_string()) + " is not allowed on " + path);
  return control_error(http::status::not_found, "NotFound",
                       path + " is not a control path (/_localstack/health, /_localstack/info, /_migsim/clock, "
                              "/_migsim/timeline, /_migsim/calls, /_migsim/state)");
}

int run_serve(const sim::Scenario& scenario, const ServeOptions& opt)
{
  sim::set_live(true);  // a live endpoint runs until it is stopped
  Simulation simulation(scenario);
  ServeContext ctx{.simulation = simulation, .speed = opt.speed};
  ctx.access.allowed_origins = opt.allowed_origins;
  ctx.access.allowed_hosts = opt.allowed_hosts;
  ctx.access.listen_host = opt.host;
  ctx.access.enforce_sigv4 = opt.enforce_sigv4;
  for (const auto& c : scenario.credentials)
    ctx.access.secrets[c.access_key_id] = c.secret_access_key;
  install_serve_hooks(ctx);
  try {
    for (const auto& t : opt.timings)
      ctx.state<ProvisioningTimes>().set_from(t);
  } catch (const std::invalid_argument& e) {
    std::cerr << "migsim serve: " << e.what() << "\n";
    return 2;
  }
  ctx.state<ResourceTimeline>().log_to_stdout(true);
  if (!opt.state_dir.empty()) {  // the journal replayed before anything listens
    try {
      ctx.state<persist::Persistence>().open(state_options(scenario, opt), ctx);
    } catch (const persist::StateError& e) {
      std::cerr << "migsim serve: --state-dir " << opt.state_dir << ": " << e.what() << "\n";
      return persist::kExitStateRefused;
    }
  }
  boost::asio::io_context ioc;
  std::unique_ptr<HttpServer> server;
  try {
    const auto address = boost::asio::ip::make_address(opt.host);
    server = std::make_unique<HttpServer>(
        ioc, boost::asio::ip::tcp::endpoint(address, opt.port),
        HttpHandlers{[&ctx](const Request& req) { return handle_request(req, ctx); },
                     [&ctx](http::status s, const std::string& why, const Request* partial) {
                       return transport_error(s, why, partial, ctx);
                     },
                     carries_data, [&ctx] { return std::exchange(ctx.stream, nullptr); }});
  } catch (const boost::system::system_error& e) {
    std::cerr << "migsim serve: cannot listen on " << opt.host << ":" << opt.port << ": " << e.what() << "\n";
    return 2;
  }
  // The HTTPS listener of the EKS clusters' Kubernetes API (kubectl sends its token only over TLS),
  // on a port of its own, with a certificate made at start.
  std::unique_ptr<HttpsServer> https;
  try {
    const TlsIdentity identity = make_self_signed_identity();
    https = std::make_unique<HttpsServer>(
        ioc, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address(opt.host), 0), identity,
        HttpHandlers{[&ctx](const Request& req) {
                       ctx.request_tls = true;
                       Response res = handle_request(req, ctx);
                       ctx.request_tls = false;
                       return res;
                     },
                     [&ctx](http::status s, const std::string& why, const Request* partial) {
                       return transport_error(s, why, partial, ctx);
                     },
                     nullptr, [&ctx] { return std::exchange(ctx.stream, nullptr); }});
    ctx.https_port = https->local_endpoint().port();
    ctx.https_ca_pem = identity.cert_pem;
  } catch (const std::exception& e) {
    std::cerr << "migsim serve: no HTTPS listener for the Kubernetes API (" << e.what()
              << "); EKS endpoints stay on plain HTTP\n";
  }
  boost::asio::steady_timer timer(ioc);
  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec)
      return;
    server->close();
    if (https)
      https->close();
    timer.cancel();
    ioc.stop();
  });
  ctx.rebase();
  schedule_tick(timer, ctx, opt);
  const auto ep = server->local_endpoint();
  std::cout << "migsim serve: listening on http://" << opt.host << ":" << ep.port() << " (scenario " << scenario.name
            << ", speed " << opt.speed.str() << ", t = " << simulation.now() << " s, inside the scenario window 0-"
            << scenario.duration_s << " s; the endpoint runs on past it until stopped)";
  if (https)  // on the same line: scripts read the listening line, then wait for later ones
    std::cout << "; EKS clusters' Kubernetes API on https://" << opt.host << ":" << ctx.https_port
              << "/_migsim/eks/<cluster>";
  if (ctx.state<persist::Persistence>().active())
    std::cout << "; state: " << ctx.state<persist::Persistence>().summary();
  std::cout << std::endl;
  ioc.run();
  auto& persistence = ctx.state<persist::Persistence>();
  persistence.note_clock(simulation.now(), true);  // a restart resumes the clock where it stopped
  if (persistence.failed()) {
    std::cerr << "migsim serve: stopped at t = " << simulation.now() << " s: " << persistence.failure() << "\n";
    return 4;
  }
  const json timeline = ctx.state<ResourceTimeline>().to_json();
  if (!timeline["resources"].empty())
    std::cout << "migsim serve: timeline: " << timeline["resources"].size() << " resources created through the API, "
              << "critical path " << timeline["critical_path_s"].get<double>() << " s on the simulated clock" << std::endl;
  std::cout << "migsim serve: stopped at t = " << simulation.now() << " s" << std::endl;
  return 0;
}

}  // namespace migsim::harness::serve
