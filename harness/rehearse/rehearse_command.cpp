#include "harness/rehearse/rehearse_command.hpp"

#include "harness/serve/core/call_recorder.hpp"
#include "harness/serve/core/provisioning.hpp"
#include "harness/serve/core/speed_option.hpp"

#include "harness/rehearse/mock_endpoint.hpp"
#include "harness/rehearse/rehearsal_clock.hpp"
#include "harness/rehearse/report.hpp"
#include "harness/rehearse/setup_command.hpp"
#include "harness/report/html_report.hpp"
#include "harness/run/run_command.hpp"
#include "harness/run/summary.hpp"
#include "harness/runbook/aws_caller.hpp"
#include "harness/runbook/runbook_command.hpp"
#include "harness/serve/cloudwatch/backend.hpp"
#include "models/cutover/migration.hpp"
#include "models/dms/replication.hpp"
#include "models/mgn/source_server.hpp"
#include "models/onprem/onprem_estate.hpp"
#include "sim/json_reader.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace migsim::harness::rehearse {

namespace {

using nlohmann::json;

// The resources as the runbook left them, read from the models on the server thread.
json final_state(serve::ServeContext& ctx)
{
  auto& sim = ctx.simulation;
  const double now = sim.now();
  auto& flow = sim.estate().flow();
  json sites = json::array();
  for (size_t i = 0; i < flow.site_names().size(); ++i)
    sites.push_back({{"site", flow.site_names()[i]}, {"writes_blocked", flow.writes_blocked(static_cast<int>(i))}});
  json state = {{"at_s", now}, {"at", sim_clock(now)}, {"sites", sites}};
  // CloudWatch alarms (created by the runbook or before it) and their last transition.
  serve::evaluate_alarms(ctx);
  json alarms = json::array();
  for (const auto& [name, a] : serve::alarm_book(ctx).alarms())
    alarms.push_back({{"name", name}, {"state", a.state}, {"since_s", a.transitioned_s}, {"reason", a.reason}});
  state["alarms"] = alarms;
  models::Migration* m = sim.migration();
  if (!m)
    return state;
  const int dns_site = m->dns().value_at_name_servers(now);
  const auto& changes = m->dns().changes();
  const int record_site = changes.empty() ? 0 : changes.back().value;
  state["dns"] = {{"record", m->dns().record()},
                  {"points_to", flow.site_names().at(static_cast<size_t>(record_site))},
                  {"name_servers_answer", flow.site_names().at(static_cast<size_t>(dns_site))},
                  {"changes", m->dns().changes().size()}};
  if (m->dms()) {
    const auto d = m->dms()->describe();
    state["dms"] = {{"status", d.status}};
    if (!d.stop_reason.empty())
      state["dms"]["stop_reason"] = d.stop_reason;
  }
  json mgn = json::array();
  for (const auto& s : m->mgn_servers()) {
    const auto d = s->describe();
    json e = {{"server", s->hostname()},
              {"source_server_id", d.source_server_id},
              {"lifecycle", std::string(models::mgn::to_string(s->lifecycle_state()))}};
    if (d.launched_instance)
      e["launched_instance"] = d.launched_instance->ec2_instance_id;
    mgn.push_back(std::move(e));
  }
  state["mgn"] = mgn;
  return state;
}

serve::Speed parse_speed(const std::string& s)
{
  if (s == "max")
    return {0, true};
  if (s == "step")
    return {0, false};
  return {std::stod(s), false};
}

size_t recorded_calls(MockEndpoint& endpoint)
{
  return endpoint.on_server([](serve::ServeContext& ctx) { return ctx.state<serve::CallRecorder>().records().size(); });
}

// The setup commands, one after the other on the setup speed's clock; stops at the first that
// fails. Returns one entry per command run (see RehearsalInputs::setup) and the wall times apart.
json run_setup(const RehearseOptions& o, const sim::Scenario& sc, MockEndpoint& endpoint, json& wall_s)
{
  json out = json::array();
  const serve::Speed setup_speed = parse_speed(o.setup_speed);
  endpoint.on_server([setup_speed](serve::ServeContext& ctx) {
    ctx.speed = setup_speed;
    ctx.rebase();
    return 0;
  });
  const auto env = setup_environment({endpoint.url(), sc.region});
  for (size_t i = 0; i < o.setup.size(); ++i) {
    const std::string& cmd = o.setup[i];
    const std::string log_path = o.out_dir + "/setup-" + std::to_string(i + 1) + ".log";
    std::ofstream(log_path, std::ios::trunc) << "# migsim rehearse setup " << i + 1 << ": " << cmd << "\n";
    if (!o.quiet)
      std::cout << "rehearsal: setup " << i + 1 << "/" << o.setup.size() << ": " << cmd << " (output in " << log_path
                << ")\n"
                << std::flush;
    const size_t calls0 = recorded_calls(endpoint);
    const double start = endpoint.now_s();
    const ShellResult r = run_shell(cmd, env, log_path, o.setup_timeout_s);
    const double end = endpoint.now_s();
    const size_t calls = recorded_calls(endpoint) - calls0;
    json e = {{"command", cmd},        {"exit_code", r.exit_code}, {"start_s", start}, {"end_s", end},
              {"start", sim_clock(start)}, {"end", sim_clock(end)}, {"duration_s", end - start},
              {"api_calls", calls},     {"log", log_path}};
    if (r.timed_out)
      e["timed_out_after_wall_s"] = o.setup_timeout_s;
    wall_s.push_back(r.wall_s);
    if (!o.quiet)
      std::cout << "rehearsal: setup " << i + 1 << " exited " << r.exit_code << (r.timed_out ? " (timed out)" : "")
                << " after " << r.wall_s << " s wall, " << end - start << " s simulated, " << calls
                << " mutating API calls\n";
    out.push_back(std::move(e));
    if (r.exit_code != 0) {
      std::cerr << "migsim: setup command " << i + 1 << " failed (exit " << r.exit_code << "): " << cmd << "\n"
                << tail_of(log_path, 15);
      break;
    }
  }
  const serve::Speed speed = endpoint.speed();
  endpoint.on_server([speed](serve::ServeContext& ctx) {
    ctx.speed = speed;
    ctx.rebase();
    return 0;
  });
  return out;
}

}  // namespace

int rehearse(const RehearseOptions& o)
{
  const auto wall0 = std::chrono::steady_clock::now();
  sim::Scenario sc;
  runbook::Runbook rb;
  std::map<std::string, json> params;
  try {
    sc = load_scenario(o.scenario);
  } catch (const sim::InputError& e) {
    std::cerr << "migsim: " << o.scenario << ": " << e.what() << "\n";
    return 2;
  }
  try {
    rb = runbook::load_runbook(o.runbook);
    params = runbook::resolve_parameters(rb, runbook::parse_key_values(o.params));
  } catch (const runbook::RunbookError& e) {
    std::cerr << "migsim: " << o.runbook << ": " << e.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "migsim: " << e.what() << "\n";
    return 2;
  }
  // The runbook is the cutover: the scenario's automated one is removed.
  double start_at = o.start_at_s;
  std::vector<sim::EventSpec> kept;
  for (const auto& e : sc.events) {
    if (std::find(o.replace_events.begin(), o.replace_events.end(), e.action) != o.replace_events.end()) {
      if (start_at < 0)
        start_at = e.at_s;
      continue;
    }
    kept.push_back(e);
  }
  sc.events = kept;
  start_at = std::max(0.0, std::min(start_at, sc.duration_s));
  try {
    std::filesystem::create_directories(o.out_dir);
  } catch (const std::exception& e) {
    std::cerr << "migsim: cannot create " << o.out_dir << ": " << e.what() << "\n";
    return 4;
  }

  std::unique_ptr<MockEndpoint> endpoint;
  try {
    endpoint = std::make_unique<MockEndpoint>(sc, parse_speed(o.speed));
  } catch (const std::exception& e) {
    std::cerr << "migsim: " << e.what() << "\n";
    return 2;
  }
  if (!o.quiet)
    std::cout << "rehearsal: scenario " << sc.name << ", runbook " << o.runbook << ", mock endpoint " << endpoint->url()
              << ", speed " << o.speed << "\n";
  json setup = json::array(), setup_wall = json::array();
  if (!o.setup.empty()) {
    try {
      setup = run_setup(o, sc, *endpoint, setup_wall);
    } catch (const std::exception& e) {
      std::cerr << "migsim: " << e.what() << "\n";
      return 4;
    }
  }
  const bool setup_ok = setup.empty() || setup.back().at("exit_code") == 0;
  // The runbook starts at --start-at (or the replaced event), or where the setup left the clock.
  start_at = std::max(start_at, endpoint->now_s());
  endpoint->on_server([start_at](serve::ServeContext& ctx) {
    ctx.simulation.advance_to(start_at);
    ctx.rebase();
    return 0;
  });
  if (!o.quiet && setup_ok)
    std::cout << "rehearsal: simulated clock at " << sim_clock(start_at) << "; running the runbook\n";

  runbook::CallerOptions copt;
  copt.endpoint_url = endpoint->url();
  copt.region = sc.region;
  copt.test_credentials = true;
  auto caller = runbook::make_aws_caller(copt);
  RehearsalClock clock(*endpoint);
  runbook::ExecutorOptions eopt;
  eopt.poll_s = o.poll_s;
  eopt.wall_limit_s = o.wall_limit_s;
  eopt.out = o.quiet ? nullptr : &std::cout;
  eopt.format_time = [](double epoch) { return sim_clock(epoch - serve::epoch_at_zero_s()); };
  runbook::Executor executor(rb, *caller, clock, eopt);
  json log;
  if (setup_ok) {
    log = executor.run(params);
  } else {
    const json& failed = setup.back();
    log = {{"status", "NotRun"},
           {"steps", json::array()},
           {"parameters", json::object()},
           {"start_epoch_s", serve::epoch_s(endpoint->now_s())},
           {"failed_step", "setup " + std::to_string(setup.size())},
           {"failure_reason", "setup command exited " + std::to_string(failed.at("exit_code").get<int>()) + ": " +
                                  failed.at("command").get<std::string>()}};
  }
  const json state = endpoint->on_server([](serve::ServeContext& ctx) { return final_state(ctx); });
  const json calls = endpoint->on_server([](serve::ServeContext& ctx) {
    json out = json::array();
    for (const auto& r : ctx.state<serve::CallRecorder>().records()) {
      json resources = json::array();
      for (const auto& res : r.resources)
        resources.push_back(res.name);
      json c = {{"seq", r.seq},          {"time_s", r.time_s}, {"clock", sim_clock(r.time_s)},
                {"source", r.event_source}, {"name", r.event_name}, {"resources", resources},
                {"user_agent", r.user_agent}};
      if (!r.error_code.empty())
        c["error_code"] = r.error_code;
      out.push_back(c);
    }
    return out;
  });
  // What the setup and the runbook created, each with its provisioning time on the simulated clock.
  const json resources =
      endpoint->on_server([](serve::ServeContext& ctx) { return ctx.state<serve::ResourceTimeline>().to_json(); });
  const RunResult result = endpoint->finish();

  RehearsalInputs in;
  in.scenario_file = o.scenario;
  in.runbook_file = o.runbook;
  in.speed = o.speed;
  in.endpoint = endpoint->url();
  in.start_at_s = start_at;
  in.parameters = log.at("parameters");
  in.runbook_log = log;
  in.final_state = state;
  in.api_calls = calls;
  in.result = &result;
  in.events = sc.events;
  in.setup = setup;
  in.resource_timeline = resources;
  in.setup_wall_s = setup_wall;
  in.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const json report = rehearsal_report(in);
  try {
    write_summary(result, o.out_dir);
  } catch (const std::exception& e) {
    std::cerr << "migsim: " << e.what() << "\n";
    return 4;
  }
  if (!runbook::write_json_file(o.out_dir + "/runbook-log.json", log) ||
      !runbook::write_json_file(o.out_dir + "/rehearsal.json", report)) {
    std::cerr << "migsim: cannot write into " << o.out_dir << "\n";
    return 4;
  }
  try {
    const SeriesTable table{result.series_columns, result.series_rows};
    write_text_file(o.out_dir + "/report.html", html_report(summary_json(result), table, &report));
  } catch (const std::exception& e) {
    std::cerr << "migsim: " << e.what() << "\n";
    return 4;
  }
  if (!o.quiet) {
    print_rehearsal(report, std::cout);
    std::cout << "\n  wrote " << o.out_dir << "/rehearsal.json, runbook-log.json, summary.json, timeseries.csv and report.html ("
              << in.wall_s << " s wall)\n";
  } else {
    std::cout << (rehearsal_passed(report) ? "PASS" : "FAIL") << " rehearsal " << sc.name << "\n";
  }
  if (!result.all_invariants_held())
    return 3;
  return rehearsal_passed(report) ? 0 : 1;
}

RehearseCli::RehearseCli(CLI::App& app)
{
  cmd_ = app.add_subcommand("rehearse", "Rehearse a runbook against the scenario's simulated AWS: start the mock "
                                        "endpoint on a free loopback port, run the runbook over HTTP, report "
                                        "downtime, lost transactions, DNS shift and expectations (exit 1 when the "
                                        "runbook fails or an expectation does not hold).");
  cmd_->add_option("scenario", opt_.scenario, "Scenario JSON file")->required();
  cmd_->add_option("--runbook", opt_.runbook, "Runbook JSON file")->required();
  cmd_->add_option("--speed", opt_.speed,
                   "step (default: the clock is paused and the runbook's waits advance it; deterministic); "
                   "N simulated seconds per wall second, or max (as fast as it computes): both follow the wall "
                   "clock, so results vary between runs and machines (not reproducible)")
      ->capture_default_str()
      ->check(serve::SpeedOption{.below = 1e9, .words = {"max", "step"}});
  cmd_->add_option("-p,--parameter", opt_.params, "A runbook parameter, key=value (repeatable)");
  cmd_->add_option("--out", opt_.out_dir, "Directory for rehearsal.json, runbook-log.json, summary.json, timeseries.csv")
      ->capture_default_str();
  cmd_->add_option("--start-at", opt_.start_at_s,
                   "Simulated second to start the runbook at (default: the scenario's first cutover_start event)")
      ->check(CLI::Range(0.0, 1e9));
  cmd_->add_option("--poll-s", opt_.poll_s, "Simulated seconds between polls of wait steps")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 86400.0));
  cmd_->add_option("--wall-limit-s", opt_.wall_limit_s, "Fail the running step after this much wall time")
      ->capture_default_str();
  cmd_->add_option("--replace-event", opt_.replace_events,
                   "Scenario event action the runbook replaces (removed; the clock starts at the first one). "
                   "Repeatable; default cutover_start")
      ->capture_default_str();
  cmd_->add_option("--setup", opt_.setup,
                   "Shell command run before the runbook against the mock endpoint (AWS_ENDPOINT_URL, test "
                   "credentials and the scenario's region exported), e.g. 'terraform -chdir=DIR apply "
                   "-auto-approve'. Repeatable, run in order; the first that fails stops the rehearsal (exit 1). "
                   "Output in DIR/setup-N.log");
  cmd_->add_option("--setup-speed", opt_.setup_speed,
                   "Simulated seconds per wall second while setup commands run (or max): the clock must move "
                   "for terraform's waits to end. Wall-paced, so the setup's simulated duration varies between "
                   "runs")
      ->capture_default_str()
      ->check(serve::SpeedOption{.below = 1e6, .words = {"max"}});
  cmd_->add_option("--setup-timeout-s", opt_.setup_timeout_s, "Wall seconds after which a setup command is killed")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 86400.0));
  cmd_->add_flag("-q,--quiet", opt_.quiet, "Print only the verdict line");
}

std::optional<int> RehearseCli::run() const
{
  if (!*cmd_)
    return std::nullopt;
  return rehearse(opt_);
}

}  // namespace migsim::harness::rehearse
