// MGN source servers against hand-computed expectations: initial sync time from bytes, wire
// overhead and bandwidth (alone, throttled, shared); continuous replication lag and backlog under
// a write rate below and above the VPN; the lifecycle's documented path and its refusals; a VPN
// outage; launch jobs. Each TEST_CASE builds its own platform (onprem and aws zones joined by a
// VPN link) and runs one simulation (ctest runs each case in its own process).
#include "models/mgn/source_server.hpp"
#include "sim/engine.hpp"
#include "sim/platform.hpp"
#include "sim/scenario.hpp"

#include <simgrid/s4u/Link.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <regex>
#include <string>

using namespace migsim;
using namespace migsim::models::mgn;

namespace {

constexpr double kGB = 1e9;
constexpr double kMB = 1e6;

// One engine, a platform with the given on-prem servers (fast disks and NICs, so the VPN is the
// bottleneck), a shared replication server in aws, and a VPN of vpn_mbps.
struct Lab {
  sim::Engine engine;
  sim::Scenario scenario;
  std::unique_ptr<sim::Platform> platform;
  sim::Registry metrics;

  explicit Lab(std::vector<std::string> sources, double vpn_mbps = 1000.0)
  {
    std::string servers;
    for (const auto& s : sources)
      servers += R"({"name": ")" + s + R"(", "zone": "onprem", "cores": 3, "ram_gb": 10, "disk_gb": 50,
                     "disk_read_mbps": 100000, "disk_write_mbps": 100000, "nic_mbps": 100000},)";
    const std::string json = R"({
      "name": "mgn-lab", "seed": 7, "duration_s": 86400,
      "platform": {
        "zones": [{"name": "onprem"}, {"name": "aws"}],
        "servers": [)" + servers + R"(
          {"name": "mgn-replication", "zone": "aws", "cores": 2, "ram_gb": 2,
           "disk_write_mbps": 100000, "nic_mbps": 100000}],
        "links": [{"name": "vpn", "from_zone": "onprem", "to_zone": "aws",
                   "bandwidth_mbps": )" + std::to_string(vpn_mbps) + R"(, "latency_ms": 10}],
        "services": [{"name": "idle", "server": ")" + sources.front() + R"(", "workers": 1}]
      },
      "workload": {"client_zone": "onprem", "base_rps": 1,
                   "classes": [{"name": "noop", "weight": 1, "stages": [{"service": "idle", "cpu_ms": 1}]}]}
    })";
    scenario = sim::parse_scenario(nlohmann::json::parse(json), "mgn-lab");
    platform = std::make_unique<sim::Platform>(scenario.platform);
  }

  // A source server of disk_bytes on the named on-prem server, replicating to the shared server.
  std::unique_ptr<SourceServer> source(const std::string& name, double disk_bytes, const MgnSettings& settings)
  {
    auto spec = source_server_spec(scenario.platform.servers.front());
    spec.hostname = name;
    spec.disks = {{"/dev/sda", disk_bytes}};
    return std::make_unique<SourceServer>(spec, replication_hosts(*platform, name, "mgn-replication"), settings,
                                          sim::RandomStream(scenario.seed, "mgn:" + name), metrics);
  }

  // Advances in steps of dt until pred holds (returns true) or t_max passes (returns false).
  template <class Pred> bool run_until(Pred pred, double t_max, double dt = 1.0)
  {
    while (!pred()) {
      if (engine.now() >= t_max)
        return false;
      engine.run_until(std::min(t_max, engine.now() + dt));
    }
    return true;
  }
};

// Settings with instant agent install and initiation, so Stage 1 starts at t = 0.
MgnSettings quick_settings()
{
  MgnSettings s;
  s.agent_install_s = 0.0;
  s.initiation_s = 0.0;
  s.first_snapshot_s = 10.0;
  return s;
}

double sync_duration(const SourceServer& s) { return *s.initial_sync_done_s() - *s.initial_sync_started_s(); }

}  // namespace

TEST_CASE("mgn: initial sync of 50 GB over a 1000 Mbit/s VPN takes bytes x overhead / bandwidth", "[mgn]")
{
  Lab lab({"db"});
  const auto settings = quick_settings();
  auto db = lab.source("db", 50 * kGB, settings);
  db->install_agent();
  const double expected = 50 * kGB * settings.wire_overhead / (1000e6 / 8);  // 416 s
  // Half way: DescribeSourceServers shows the progress and an ETA at the current throughput.
  lab.engine.run_until(expected / 2);
  const auto half = db->describe().data_replication_info;
  CHECK(half.data_replication_state == "INITIAL_SYNC");
  CHECK_FALSE(half.lag_duration.has_value());  // not launchable yet
  CHECK(half.replicated_disks.at(0).replicated_storage_bytes == Approx(25 * kGB).epsilon(0.03));
  CHECK(half.eta_date_time.has_value());
  CHECK(db->eta_s().value_or(0) == Approx(expected).epsilon(0.02));
  REQUIRE(lab.run_until([&] { return db->initial_sync_done_s().has_value(); }, 3600));
  INFO("expected " << expected << " s, simulated " << sync_duration(*db) << " s");
  CHECK(sync_duration(*db) == Approx(expected).epsilon(0.02));
  CHECK(db->replicated_bytes() == Approx(50 * kGB));
}

TEST_CASE("mgn: initial sync throttled to 200 Mbit/s takes bytes x overhead / 200 Mbit/s", "[mgn]")
{
  Lab lab({"db"});
  auto settings = quick_settings();
  settings.throttle_mbps = 200.0;
  auto db = lab.source("db", 50 * kGB, settings);
  db->install_agent();
  REQUIRE(lab.run_until([&] { return db->initial_sync_done_s().has_value(); }, 7200, 10.0));
  const double expected = 50 * kGB * settings.wire_overhead / (200e6 / 8);  // 2080 s
  INFO("expected " << expected << " s, simulated " << sync_duration(*db) << " s");
  CHECK(sync_duration(*db) == Approx(expected).epsilon(0.02));
}

TEST_CASE("mgn: two servers syncing at once share the VPN half each", "[mgn]")
{
  Lab lab({"db", "web"});
  const auto settings = quick_settings();
  auto db = lab.source("db", 20 * kGB, settings);
  auto web = lab.source("web", 20 * kGB, settings);
  db->install_agent();
  web->install_agent();
  REQUIRE(lab.run_until([&] { return db->initial_sync_done_s() && web->initial_sync_done_s(); }, 3600));
  const double expected = 20 * kGB * settings.wire_overhead / (1000e6 / 8 / 2);  // 332.8 s each
  INFO("expected " << expected << " s, db " << sync_duration(*db) << " s, web " << sync_duration(*web) << " s");
  CHECK(sync_duration(*db) == Approx(expected).epsilon(0.02));
  CHECK(sync_duration(*web) == Approx(expected).epsilon(0.02));
}

TEST_CASE("mgn: continuous replication keeps up below the VPN then backlogs above it and drains", "[mgn]")
{
  Lab lab({"db"});
  auto settings = quick_settings();
  settings.snapshot_interval_s = 60;
  auto db = lab.source("db", 2 * kGB, settings);
  db->install_agent();
  // The workload: 50 MB/s from t = 40 s, 200 MB/s during [100, 160), nothing after 400 s.
  auto rate = [](double t) { return t < 40 || t >= 400 ? 0.0 : (t >= 100 && t < 160 ? 200 * kMB : 50 * kMB); };
  for (int t = 0; t < 400; ++t)
    lab.engine.at(t, [&db, &rate, t] { db->on_disk_write(rate(t)); });

  // Sampled just before each feed tick (ticks and writes are at whole seconds).
  bool steady_continuous = true;
  double max_lag_steady = 0.0, backlog_end_of_burst = 0.0, lag_130 = 0.0, lag_150 = 0.0;
  std::optional<double> back_to_continuous;
  DataReplicationState state_130 = DataReplicationState::STOPPED;
  for (int t = 0; t < 600; ++t) {
    lab.engine.run_until(t + 0.999);
    if (t >= 50 && t < 100) {
      steady_continuous &= db->replication_state() == DataReplicationState::CONTINUOUS;
      max_lag_steady = std::max(max_lag_steady, db->lag_s().value_or(1e9));
    }
    if (t == 130) {
      state_130 = db->replication_state();
      lag_130 = db->lag_s().value_or(0);
    }
    if (t == 150)
      lag_150 = db->lag_s().value_or(0);
    if (t == 159)
      backlog_end_of_burst = db->backlog_bytes();
    if (t > 160 && !back_to_continuous && db->replication_state() == DataReplicationState::CONTINUOUS)
      back_to_continuous = t;
  }
  CHECK(db->lifecycle_state() == LifeCycleState::READY_FOR_TEST);
  CHECK(steady_continuous);
  CHECK(max_lag_steady == 0.0);
  CHECK(state_130 == DataReplicationState::BACKLOG);
  CHECK(lag_130 > 20.0);
  CHECK(lag_150 == Approx(lag_130 + 20).margin(1e-6));  // lag grows with the clock while behind
  // Backlog: the burst exceeds the payload bandwidth for 60 s, then drains at the spare rate.
  const double payload_Bps = 1000e6 / 8 / settings.wire_overhead;
  const double expected_peak = (200 * kMB - payload_Bps) * 60;
  const double expected_back = 160 + expected_peak / (payload_Bps - 50 * kMB);
  INFO("backlog at the end of the burst " << backlog_end_of_burst / kMB << " MB (expected " << expected_peak / kMB
                                          << "), continuous again at " << back_to_continuous.value_or(-1)
                                          << " s (expected " << expected_back << ")");
  CHECK(backlog_end_of_burst == Approx(expected_peak).epsilon(0.02));
  REQUIRE(back_to_continuous);
  CHECK(*back_to_continuous == Approx(expected_back).margin(3.0));
  // Everything written is replicated; the lag series saw the burst and ended at 0.
  CHECK(db->written_bytes() == Approx(50 * kMB * 300 + 200 * kMB * 60));
  CHECK(db->replicated_bytes() == Approx(2 * kGB + db->written_bytes()).epsilon(1e-12));
  const auto lag = lab.metrics.series("mgn_lag_s{server=db}", sim::TimeSeries::Kind::Last).values(10);
  CHECK(*std::max_element(lag.begin(), lag.end()) > 60.0);
  CHECK(lag.back() == 0.0);
  CHECK(db->describe().data_replication_info.lag_duration == std::optional<std::string>("PT0S"));
  // Snapshots every 60 s; one taken while behind holds data older than itself.
  REQUIRE(db->snapshots().size() >= 8);
  bool behind_snapshot = false;
  for (const auto& snap : db->snapshots())
    behind_snapshot |= snap.t_s > 100 && snap.t_s < 220 && snap.consistent_as_of_s < snap.t_s - 10;
  CHECK(behind_snapshot);
}

TEST_CASE("mgn: lifecycle follows the documented path and refuses illegal requests", "[mgn]")
{
  Lab lab({"db"});
  auto settings = quick_settings();
  settings.agent_install_s = 60;
  settings.initiation_s = 120;
  settings.conversion_cv = settings.boot_cv = 0.0;
  auto db = lab.source("db", 1 * kGB, settings);
  // An illegal request throws, names the operation and the state, and changes nothing.
  auto refused = [&](auto request, const char* operation) {
    const auto before = db->lifecycle_state();
    const auto history = db->lifecycle_history().size();
    try {
      request();
      FAIL(operation << " was accepted in " << to_string(before));
    } catch (const IllegalTransition& e) {
      CHECK(e.state() == before);
      CHECK(e.operation() == operation);
      CHECK_THAT(e.what(), Catch::Contains(std::string(to_string(before))) && Catch::Contains(operation));
    }
    CHECK(db->lifecycle_state() == before);
    CHECK(db->lifecycle_history().size() == history);
  };
  refused([&] { db->start_test(); }, "StartTest");
  db->install_agent();
  REQUIRE(lab.run_until([&] { return db->lifecycle_state() == LifeCycleState::NOT_READY; }, 600));
  CHECK(db->replication_state() == DataReplicationState::INITIATING);
  refused([&] { db->start_cutover(); }, "StartCutover");
  refused([&] { db->finalize_cutover(); }, "FinalizeCutover");
  refused([&] { db->change_lifecycle_state(LifeCycleState::READY_FOR_CUTOVER); },
          "ChangeServerLifeCycleState(READY_FOR_CUTOVER)");
  REQUIRE(lab.run_until([&] { return db->lifecycle_state() == LifeCycleState::READY_FOR_TEST; }, 3600));
  CHECK(db->snapshots().size() == 1);
  CHECK(db->lag_s() == 0.0);
  refused([&] { db->finalize_cutover(); }, "FinalizeCutover");
  refused([&] { db->mark_as_archived(); }, "MarkAsArchived");
  db->start_test();
  CHECK(db->lifecycle_state() == LifeCycleState::TESTING);
  REQUIRE(lab.run_until([&] { return db->jobs().back().finished(); }, 7200));
  CHECK(db->lifecycle_state() == LifeCycleState::TESTING);
  refused([&] { db->start_cutover(); }, "StartCutover");  // not before being marked ready for cutover
  refused([&] { db->terminate_target_instances(); }, "TerminateTargetInstances");
  db->change_lifecycle_state(LifeCycleState::READY_FOR_CUTOVER);
  refused([&] { db->mark_as_archived(); }, "MarkAsArchived");
  db->start_cutover();
  refused([&] { db->start_test(); }, "StartTest");
  REQUIRE(lab.run_until([&] { return db->lifecycle_state() == LifeCycleState::CUTOVER; }, 7200));
  refused([&] { db->start_test(); }, "StartTest");
  refused([&] { db->terminate_target_instances(); }, "TerminateTargetInstances");
  db->finalize_cutover();
  CHECK(db->replication_state() == DataReplicationState::DISCONNECTED);
  CHECK_FALSE(db->lag_s().has_value());
  db->mark_as_archived();
  CHECK(db->archived());

  // The path, move by move, as REFERENCE.md documents it.
  using L = LifeCycleState;
  const std::vector<std::pair<L, L>> expected = {
      {L::DISCOVERED, L::PENDING_INSTALLATION}, {L::PENDING_INSTALLATION, L::NOT_READY},
      {L::NOT_READY, L::READY_FOR_TEST},        {L::READY_FOR_TEST, L::TESTING},
      {L::TESTING, L::READY_FOR_CUTOVER},       {L::READY_FOR_CUTOVER, L::CUTTING_OVER},
      {L::CUTTING_OVER, L::CUTOVER},            {L::CUTOVER, L::DISCONNECTED}};
  std::vector<std::pair<L, L>> seen;
  for (const auto& c : db->lifecycle_history())
    seen.emplace_back(c.from, c.to);
  CHECK(seen == expected);
  const auto d = db->describe();
  CHECK(d.life_cycle.state == "DISCONNECTED");
  CHECK(d.is_archived);
  CHECK(d.data_replication_info.data_replication_state == "DISCONNECTED");
  CHECK(d.life_cycle.last_cutover_finalized_date_time.has_value());
}

TEST_CASE("mgn: a VPN outage stalls continuous replication which then catches up with every write", "[mgn]")
{
  Lab lab({"db"});
  auto settings = quick_settings();
  settings.retry_after_s = 10;
  auto db = lab.source("db", 1 * kGB, settings);
  db->install_agent();
  for (int t = 30; t < 400; ++t)
    lab.engine.at(t, [&db] { db->on_disk_write(20 * kMB); });
  auto* vpn = lab.platform->link("vpn");
  lab.engine.at(100, [vpn] { vpn->turn_off(); });
  lab.engine.at(200, [vpn] { vpn->turn_on(); });

  lab.engine.run_until(99.5);
  CHECK(db->replication_state() == DataReplicationState::CONTINUOUS);
  lab.engine.run_until(150.5);
  CHECK(db->replication_state() == DataReplicationState::STALLED);
  REQUIRE(db->replication_error().has_value());
  CHECK(db->replication_error()->error == "UNSTABLE_NETWORK");
  CHECK(db->lag_s().value_or(0) > 45.0);
  CHECK(db->describe().data_replication_info.data_replication_state == "STALLED");
  lab.engine.run_until(199.5);
  CHECK(db->replication_state() == DataReplicationState::STALLED);
  REQUIRE(lab.run_until([&] { return db->replication_state() == DataReplicationState::CONTINUOUS; }, 300));
  INFO("continuous again at " << lab.engine.now() << " s");
  CHECK_FALSE(db->replication_error().has_value());
  lab.engine.run_until(500);
  CHECK(db->replication_state() == DataReplicationState::CONTINUOUS);
  CHECK(db->transfer().failed_chunks() > 0);
  CHECK(db->written_bytes() == Approx(370 * 20 * kMB));
  CHECK(db->replicated_bytes() == Approx(1 * kGB + db->written_bytes()).epsilon(1e-12));
  // Paused, writes wait; resumed, they land.
  db->pause_replication();
  CHECK(db->replication_state() == DataReplicationState::PAUSED);
  CHECK_THROWS_AS(db->pause_replication(), IllegalTransition);
  db->on_disk_write(100 * kMB);
  lab.engine.run_until(560);
  CHECK(db->replication_state() == DataReplicationState::PAUSED);
  CHECK(db->backlog_bytes() == Approx(100 * kMB));
  db->resume_replication();
  lab.engine.run_until(600);
  CHECK(db->replication_state() == DataReplicationState::CONTINUOUS);
  CHECK(db->replicated_bytes() == Approx(1 * kGB + db->written_bytes()).epsilon(1e-12));
  // The history went CONTINUOUS -> STALLED -> (BACKLOG ->) CONTINUOUS, all through the table.
  bool stalled_seen = false;
  for (const auto& c : db->replication_history()) {
    CHECK(replication_move_allowed(c.from, c.to));
    stalled_seen |= c.to == DataReplicationState::STALLED && c.from == DataReplicationState::CONTINUOUS;
  }
  CHECK(stalled_seen);
}

TEST_CASE("mgn: launch jobs go PENDING -> STARTED -> COMPLETED and replace test instances and can fail", "[mgn]")
{
  Lab lab({"db"});
  auto settings = quick_settings();
  settings.conversion_s = 300;
  settings.boot_s = 120;
  settings.conversion_cv = settings.boot_cv = 0.3;
  auto db = lab.source("db", 1 * kGB, settings);
  const std::regex id17("(s|mgnjob|i)-[0-9a-f]{17}");
  CHECK(std::regex_match(db->id(), id17));
  db->install_agent();
  REQUIRE(lab.run_until([&] { return db->lifecycle_state() == LifeCycleState::READY_FOR_TEST; }, 3600));

  // A job's life: PENDING at once, STARTED next, COMPLETED after conversion + boot (after the
  // conversion alone when the conversion fails).
  auto run_job = [&](const Job& job, bool boots = true) {
    CHECK(job.status == JobStatus::PENDING);
    CHECK(job.participating_servers.at(0).launch_status == LaunchStatus::PENDING);
    lab.engine.run_until(lab.engine.now() + 1);
    CHECK(job.status == JobStatus::STARTED);
    CHECK(job.participating_servers.at(0).launch_status == LaunchStatus::IN_PROGRESS);
    REQUIRE(lab.run_until([&] { return job.finished(); }, lab.engine.now() + 7200));
    CHECK(*job.end_s - job.creation_s == Approx(job.conversion_s + (boots ? job.boot_s : 0.0)).margin(1e-6));
  };
  const Job& first = db->start_test();
  CHECK(std::regex_match(first.job_id, id17));
  CHECK(first.type == JobType::LAUNCH);
  CHECK(first.initiated_by == InitiatedBy::START_TEST);
  run_job(first);
  CHECK(first.conversion_s != 300.0);  // drawn with spread
  CHECK(first.participating_servers[0].launch_status == LaunchStatus::LAUNCHED);
  const std::string first_instance = first.participating_servers[0].launched_ec2_instance_id;
  CHECK(std::regex_match(first_instance, id17));
  CHECK(db->find_instance(first_instance)->state == "running");
  CHECK(db->find_instance(first_instance)->instance_type == "m5.xlarge");  // basic right-sizing of 3 cores, 10 GB

  const Job& second = db->start_test();
  CHECK_THROWS_AS(db->start_test(), IllegalTransition);  // one launch at a time
  run_job(second);
  CHECK(second.job_id != first.job_id);
  CHECK(db->find_instance(first_instance)->state == "terminated");
  CHECK(first.participating_servers[0].launch_status == LaunchStatus::TERMINATED);
  const std::string second_instance = second.participating_servers[0].launched_ec2_instance_id;
  CHECK(db->find_instance(second_instance)->state == "running");
  CHECK(db->describe().launched_instance->ec2_instance_id == second_instance);

  // An injected failure: the job completes (as MGN's do) with the server FAILED and a reason.
  db->inject_launch_failure("conversion server could not install drivers", LaunchFailurePhase::Conversion);
  const Job& failed = db->start_test();
  run_job(failed, false);
  CHECK(failed.failed());
  CHECK(failed.failure_reason == "conversion server could not install drivers");
  CHECK(failed.participating_servers[0].launch_status == LaunchStatus::FAILED);
  CHECK(std::any_of(failed.log.begin(), failed.log.end(), [](const JobLogItem& l) {
    return l.event == JobLogEvent::CONVERSION_FAIL && !l.raw_error.empty();
  }));
  CHECK(db->lifecycle_state() == LifeCycleState::READY_FOR_TEST);  // rolled back

  // A failed cutover rolls back to READY_FOR_CUTOVER; the retry succeeds.
  db->change_lifecycle_state(LifeCycleState::READY_FOR_CUTOVER);
  db->inject_launch_failure("instance failed status checks");
  const Job& bad_cutover = db->start_cutover();
  REQUIRE(lab.run_until([&] { return bad_cutover.finished(); }, lab.engine.now() + 7200));
  CHECK(bad_cutover.participating_servers[0].launch_status == LaunchStatus::FAILED);
  CHECK(db->lifecycle_state() == LifeCycleState::READY_FOR_CUTOVER);
  const Job& cutover = db->start_cutover();
  run_job(cutover);
  CHECK(db->lifecycle_state() == LifeCycleState::CUTOVER);
  CHECK(cutover.data_as_of_s.has_value());
  const auto jobs = db->describe_jobs();
  REQUIRE(jobs.size() == 5);
  CHECK(jobs[4].status == "COMPLETED");
  CHECK(jobs[4].initiated_by == "START_CUTOVER");
  CHECK(jobs[4].participating_servers[0].launch_status == "LAUNCHED");
}

TEST_CASE("mgn: settings are read strictly and range-checked and API formats hold", "[mgn]")
{
  MgnSettings s;
  s.throttle_mbps = 20000;
  try {
    validate(s);
    FAIL("throttle 20000 accepted");
  } catch (const sim::InputError& e) {
    CHECK(e.path() == "/mgn/throttle_mbps");
  }
  const auto doc = nlohmann::json::parse(R"({"throttle_mbps": 200, "streams": 5, "thrrottle": 1})");
  sim::ObjectReader r(doc, "/mgn");
  const auto read = read_mgn_settings(r);
  CHECK(read.throttle_mbps == 200.0);
  CHECK(read.replication_server_instance_type == "t3.small");
  CHECK_THROWS_AS(r.finish(), sim::InputError);  // a misspelled key is an error, not a default
  CHECK(replication_server_spec("r", "aws", MgnSettings{}).disk_write_mbps == 125.0);
  CHECK(iso8601_duration(0) == "PT0S");
  CHECK(iso8601_duration(3723.9) == "PT1H2M3S");
  CHECK(iso8601_duration(7200) == "PT2H");
  CHECK(iso8601_datetime(1735689600) == "2025-01-01T00:00:00Z");
  CHECK(iso8601_datetime(951782400 + 86399) == "2000-02-29T23:59:59Z");
  CHECK(lifecycle_next(LifeCycleEvent::StartCutover, LifeCycleState::READY_FOR_CUTOVER) == LifeCycleState::CUTTING_OVER);
  CHECK_FALSE(lifecycle_next(LifeCycleEvent::StartCutover, LifeCycleState::TESTING).has_value());
}
