// Auto Scaling decisions against hand-computed sequences (REFERENCE.md, EC2 Auto Scaling target
// tracking): a step load on a group of 2-vCPU instances, fed minute by minute the CPU datapoint the
// estate would measure (the load spread over the instances past their warm-up), and the rules one by
// one on the control loop itself. No SimGrid: a ManualClock drives the group.
#include "models/asg/auto_scaling_group.hpp"
#include "models/asg/target_tracking.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace migsim::models;
using namespace migsim::models::asg;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TargetTrackingPolicy cpu_policy(double target = 50)
{
  TargetTrackingPolicy p;
  p.name = "cpu" + std::to_string(static_cast<int>(target));
  p.metric = PredefinedMetric::ASGAverageCPUUtilization;
  p.target = target;
  return p;
}

AsgSpec step_group()
{
  AsgSpec s;
  s.name = "api";
  s.min_size = 2;
  s.max_size = 10;
  s.desired = 2;
  s.azs = {"us-east-1a", "us-east-1b"};
  s.boot_mean_s = 60;
  s.boot_cv = 0;  // constant boot: times are exact
  s.warmup_s = 120;
  s.policies = {cpu_policy(50)};
  return s;
}

}  // namespace

TEST_CASE("target tracking on a step load: first scale-out after 3 high minutes, proportional, warming excluded, scale-in after 15 low minutes", "[asg]")
{
  ManualClock clock;
  AutoScalingGroup g(step_group(), clock, migsim::sim::RandomStream(1, "asg"));
  int slots = 0;
  g.on_launch = [&](const Instance&) { return slots++; };
  g.start();
  REQUIRE(g.in_service() == 2);

  // Load in vCPUs of work: 1 until minute 10, then 3 (the step), then 0.6 from minute 20.
  auto load_at = [](double minute_start_s) { return minute_start_s < 600 ? 1.0 : (minute_start_s < 1200 ? 3.0 : 0.6); };
  std::vector<std::pair<double, ScalingDecision>> decisions;
  int serving_at_900 = -1, in_service_at_900 = -1;
  for (int m = 1; m <= 40; ++m) {
    const double t = 60.0 * m;
    clock.run_until(t);
    // The CPU datapoint of the minute just ended: the load over the instances past warm-up (2 vCPUs each).
    const double cpu = g.serving() > 0 ? load_at(t - 60) / (2.0 * g.serving()) * 100 : kNaN;
    if (t == 900) {
      serving_at_900 = g.serving();
      in_service_at_900 = g.in_service();
    }
    auto d = g.evaluate_minute({cpu});
    if (d.kind != ScalingDecision::Kind::none)
      decisions.emplace_back(t, d);
  }
  // 25 % before the step. The step's datapoints (75 %) arrive at 660, 720, 780: 3 of 3 above 50 at
  // t = 780 -> new capacity ceil(2 x 75 / 50) = 3. The new instance is InService at 840 and warm at
  // 960; until then the datapoints still show 75 % over the 2 serving instances, and ceil(2 x 75 / 50)
  // = 3 is already the desired capacity: no second launch. At 960: 3 / 6 = 50 %, not above.
  // The load falls to 0.6 at 1200: 10 % from the datapoint at 1260; 15 of 15 below 35 % at
  // 1260 + 14 x 60 = 2100 -> remove floor(3 - 3 x 10 / 50) = 2, capped by min_size 2 -> 2.
  REQUIRE(decisions.size() == 2);
  CHECK(decisions[0].first == 780);
  CHECK(decisions[0].second.kind == ScalingDecision::Kind::scale_out);
  CHECK(decisions[0].second.new_capacity == 3);
  CHECK(decisions[0].second.metric == Approx(75));
  CHECK(serving_at_900 == 2);      // the warming instance is not counted...
  CHECK(in_service_at_900 == 3);   // ...although it is InService
  CHECK(decisions[1].first == 2100);
  CHECK(decisions[1].second.kind == ScalingDecision::Kind::scale_in);
  CHECK(decisions[1].second.new_capacity == 2);
  CHECK(g.desired() == 2);

  // The history DescribeScalingActivities shows: launch at 780 (done at 840), termination at 2100.
  const auto& acts = g.activities();
  REQUIRE(acts.size() == 2);
  CHECK(acts[0].description.rfind("Launching a new EC2 instance: ", 0) == 0);
  CHECK(acts[0].start_s == 780);
  CHECK(acts[0].end_s == 840);
  CHECK(acts[0].status == "Successful");
  CHECK(acts[0].cause.find("a monitor alarm TargetTracking-api-AlarmHigh-cpu50 in state ALARM triggered policy cpu50 "
                           "changing the desired capacity from 2 to 3") != std::string::npos);
  CHECK(acts[0].cause.find("At 2025-01-01T00:13:00Z") == 0);
  CHECK(acts[1].description.rfind("Terminating EC2 instance: ", 0) == 0);
  CHECK(acts[1].start_s == 2100);
  CHECK(acts[1].cause.find("shrinking the capacity from 3 to 2") != std::string::npos);
  // 2 instances x 2100 s + the third from 780 to 2100 s, then 2 to 2400 s.
  CHECK(g.instance_hours(2400) == Approx((2 * 2400 + (2100 - 780)) / 3600.0));
}

TEST_CASE("scale-out capacity is proportional and rounded up, scale-in removes a rounded-down number", "[asg]")
{
  TargetTracking tt({cpu_policy(40)});
  for (int i = 0; i < 3; ++i)
    tt.add_datapoints({90});
  // 4 serving x 90 / 40 = 9 exactly; 5 x 90 / 40 = 11.25 -> 12.
  CHECK(tt.evaluate(4, 4, 1, 20, false).new_capacity == 9);
  CHECK(tt.evaluate(5, 5, 1, 20, false).new_capacity == 12);
  CHECK(tt.evaluate(5, 5, 1, 10, false).new_capacity == 10);  // capped at max
  // Two of three above the target: no alarm.
  TargetTracking two({cpu_policy(40)});
  two.add_datapoints({90});
  two.add_datapoints({30});
  two.add_datapoints({90});
  CHECK(two.evaluate(4, 4, 1, 20, false).kind == ScalingDecision::Kind::none);
  CHECK(two.high_alarm_state(0) == "OK");

  TargetTracking low({cpu_policy(50)});
  for (int i = 0; i < 15; ++i)
    low.add_datapoints({20});
  // 10 x 20 / 50 = 4 needed: remove floor(10 - 4) = 6 -> 4. 7 x 20 / 50 = 2.8: remove floor(4.2) = 4 -> 3.
  CHECK(low.evaluate(10, 10, 1, 20, false).new_capacity == 4);
  CHECK(low.evaluate(7, 7, 1, 20, false).new_capacity == 3);
  // 14 low datapoints are not enough.
  TargetTracking fourteen({cpu_policy(50)});
  for (int i = 0; i < 14; ++i)
    fourteen.add_datapoints({20});
  CHECK(fourteen.evaluate(10, 10, 1, 20, false).kind == ScalingDecision::Kind::none);
  // 36 % is not below 0.7 x 50 = 35: no scale-in.
  TargetTracking near({cpu_policy(50)});
  for (int i = 0; i < 15; ++i)
    near.add_datapoints({36});
  CHECK(near.evaluate(10, 10, 1, 20, false).kind == ScalingDecision::Kind::none);
}

TEST_CASE("no scale-in while scaling out or warming up, nor on insufficient data", "[asg]")
{
  TargetTracking tt({cpu_policy(50)});
  for (int i = 0; i < 15; ++i)
    tt.add_datapoints({10});
  auto blocked = tt.evaluate(6, 6, 1, 10, true);
  CHECK(blocked.kind == ScalingDecision::Kind::none);
  CHECK(blocked.blocked == "scale-out or warm-up in progress");
  CHECK(tt.evaluate(6, 6, 1, 10, false).kind == ScalingDecision::Kind::scale_in);

  TargetTracking gap({cpu_policy(50)});
  for (int i = 0; i < 15; ++i)
    gap.add_datapoints({i == 7 ? kNaN : 10});
  auto d = gap.evaluate(6, 6, 1, 10, false);
  CHECK(d.kind == ScalingDecision::Kind::none);
  CHECK(d.blocked.find("insufficient data") != std::string::npos);
  CHECK(gap.low_alarm_state(0) == "INSUFFICIENT_DATA");
}

TEST_CASE("several policies: out if any says out, in only if all say in", "[asg]")
{
  TargetTrackingPolicy req;
  req.name = "requests";
  req.metric = PredefinedMetric::ALBRequestCountPerTarget;
  req.target = 1000;
  TargetTracking tt({cpu_policy(50), req});
  // CPU low, requests high: out (4 x 1500 / 1000 = 6).
  for (int i = 0; i < 15; ++i)
    tt.add_datapoints({10, 1500});
  auto d = tt.evaluate(4, 4, 1, 10, false);
  CHECK(d.kind == ScalingDecision::Kind::scale_out);
  CHECK(d.new_capacity == 6);
  CHECK(d.policy == "requests");
  // Both high: the larger capacity wins (CPU 4 x 90 / 50 = 7.2 -> 8 against 6).
  TargetTracking both({cpu_policy(50), req});
  for (int i = 0; i < 3; ++i)
    both.add_datapoints({90, 1500});
  CHECK(both.evaluate(4, 4, 1, 10, false).new_capacity == 8);
  // CPU low, requests in between: no scale-in (not all say in).
  TargetTracking mixed({cpu_policy(50), req});
  for (int i = 0; i < 15; ++i)
    mixed.add_datapoints({10, 900});
  CHECK(mixed.evaluate(4, 4, 1, 10, false).kind == ScalingDecision::Kind::none);
  // Both low: in, keeping the larger of the two capacities (CPU: 4 - floor(3.2) = 1; requests
  // 4 x 500 / 1000 = 2: 4 - floor(2) = 2).
  TargetTracking low({cpu_policy(50), req});
  for (int i = 0; i < 15; ++i)
    low.add_datapoints({10, 500});
  auto in = low.evaluate(4, 4, 1, 10, false);
  CHECK(in.kind == ScalingDecision::Kind::scale_in);
  CHECK(in.new_capacity == 2);
}

TEST_CASE("unhealthy instances are replaced after the health check grace period, placement stays balanced", "[asg]")
{
  ManualClock clock;
  AsgSpec s = step_group();
  s.azs = {"a", "b", "c"};
  s.desired = 3;
  s.min_size = 3;
  s.health_check_grace_s = 300;
  AutoScalingGroup g(s, clock, migsim::sim::RandomStream(1, "asg"));
  int slots = 0;
  g.on_launch = [&](const Instance&) { return slots++; };
  g.start();
  // One instance per AZ.
  CHECK(g.instances()[0].az == "a");
  CHECK(g.instances()[1].az == "b");
  CHECK(g.instances()[2].az == "c");
  clock.run_until(100);
  const std::string victim = g.instances()[1].id;
  g.report_unhealthy(victim, false);
  CHECK(g.instance(victim)->state == LifecycleState::Terminated);
  // The replacement goes to the AZ that lost its instance, and is ignored by health checks in its grace.
  REQUIRE(g.instances().size() == 4);
  const auto replacement = g.instances()[3];
  CHECK(replacement.az == "b");
  REQUIRE(g.activities().size() == 2);
  CHECK(g.activities()[0].cause ==
        "At 2025-01-01T00:01:40Z an instance was taken out of service in response to an EC2 health check indicating "
        "it has been terminated or stopped.");
  CHECK(g.activities()[1].cause.find("increasing the capacity from 2 to 3") != std::string::npos);
  clock.run_until(160);  // boot 60 s: InService at 160
  CHECK(g.instance(replacement.id)->state == LifecycleState::InService);
  clock.run_until(400);
  g.report_unhealthy(replacement.id, false);  // 240 s after InService: in the grace period
  CHECK(g.instance(replacement.id)->state == LifecycleState::InService);
  g.report_unhealthy(replacement.id, true);   // ELB failure on an EC2-checked group: ignored
  CHECK(g.instance(replacement.id)->state == LifecycleState::InService);
  clock.run_until(461);
  g.report_unhealthy(replacement.id, false);  // 301 s after InService
  CHECK(g.instance(replacement.id)->state == LifecycleState::Terminated);
  // An AZ that cannot be used gets no launch: the next replacement goes to the emptiest usable one.
  g.set_az_available("b", false);
  const std::string in_a = g.instances()[0].id;
  g.report_unhealthy(in_a, false);
  CHECK(g.instances().back().az == "a");
  CHECK_THROWS_AS(g.set_desired(11, ""), std::invalid_argument);
}

// --- Instance refresh (StartInstanceRefresh, rolling) against hand-computed schedules ------------

namespace {

// 4 instances over 2 AZs, constant 120 s boot, 300 s warm-up (the refresh's default InstanceWarmup),
// and a 20 s deregistration delay before a terminated instance is gone.
struct RefreshRig {
  ManualClock clock;
  AutoScalingGroup g;
  int slots = 0;
  std::vector<std::pair<double, std::string>> in_service, terminating;
  RefreshRig() : g(refresh_group(), clock, migsim::sim::RandomStream(1, "asg"))
  {
    g.on_launch = [this](const Instance&) { return slots++; };
    g.on_in_service = [this](const Instance& i) { in_service.emplace_back(clock.now(), i.id); };
    g.on_terminate = [this](const Instance& i, std::function<void()> done) {
      terminating.emplace_back(clock.now(), i.id);
      clock.at(clock.now() + 20, done);
    };
    g.start();
    in_service.clear();
  }
  static AsgSpec refresh_group()
  {
    AsgSpec s = step_group();
    s.min_size = 1;
    s.desired = 4;
    s.boot_mean_s = 120;
    s.warmup_s = 300;
    s.policies.clear();
    return s;
  }
  // Runs to t_end_s in 10 s steps; returns the fewest serving (InService and warmed) and most live
  // (Pending + InService) instances seen.
  std::pair<int, int> run(double t_end_s)
  {
    int fewest = 1 << 30, most = 0;
    for (double t = clock.now(); t <= t_end_s; t += 10) {
      clock.run_until(t);
      fewest = std::min(fewest, g.serving());
      int live = 0;
      for (const auto& i : g.instances())
        live += i.state == LifecycleState::Pending || i.state == LifecycleState::InService;
      most = std::max(most, live);
    }
    return {fewest, most};
  }
};

using Times = std::vector<std::pair<double, std::string>>;

}  // namespace

TEST_CASE("instance refresh, min healthy 50 % of 4: batches of 2, each waiting boot plus warm-up", "[asg][refresh]")
{
  RefreshRig rig;
  RefreshPreferences prefs;
  prefs.min_healthy_pct = 50;  // ceil(4 * 50 %) = 2 stay serving: batches of 4 - 2 = 2
  rig.g.start_refresh(prefs);
  const auto& r = rig.g.refreshes().back();
  CHECK(r.warmup_s == 300);  // InstanceWarmup defaults to the group's warm-up
  CHECK(r.total == 4);
  // t = 0: the two old instances of the fullest AZs go (api-i-1 in a, api-i-2 in b), two replacements
  // launch (api-i-5 in a, api-i-6 in b), InService at 120, warmed up at 420.
  auto [fewest1, most1] = rig.run(410);
  CHECK(rig.terminating == Times{{0, "api-i-1"}, {0, "api-i-2"}});
  CHECK(rig.in_service == Times{{120, "api-i-5"}, {120, "api-i-6"}});
  CHECK(r.percentage_complete == 0);
  CHECK(r.instances_to_update == 4);
  CHECK(rig.g.instance("api-i-1")->terminated_s == 20);
  // t = 420: the second batch (api-i-3, api-i-4) goes; api-i-7 and api-i-8 are InService at 540,
  // warmed up at 840: the refresh is Successful at 840.
  rig.clock.run_until(420);
  CHECK(r.percentage_complete == 50);
  CHECK(r.instances_to_update == 2);
  auto [fewest2, most2] = rig.run(1000);
  CHECK(rig.terminating == Times{{0, "api-i-1"}, {0, "api-i-2"}, {420, "api-i-3"}, {420, "api-i-4"}});
  CHECK(rig.in_service == Times{{120, "api-i-5"}, {120, "api-i-6"}, {540, "api-i-7"}, {540, "api-i-8"}});
  CHECK(std::min(fewest1, fewest2) == 2);  // never below MinHealthyPercentage
  CHECK(std::max(most1, most2) == 4);      // MaxHealthyPercentage 100: never above desired
  CHECK(r.status == "Successful");
  CHECK(r.end_s == 840);
  CHECK(r.percentage_complete == 100);
  CHECK(r.instances_to_update == 0);
  CHECK(r.status_history == Times{{0, "Pending"}, {0, "InProgress"}, {840, "Successful"}});
  int refresh_terminations = 0;
  for (const auto& a : rig.g.activities())
    refresh_terminations += a.cause.find("was taken out of service in response to an instance refresh") != std::string::npos;
  CHECK(refresh_terminations == 4);
}

TEST_CASE("instance refresh defaults: 90 % of 4 rounds up to 4, so one instance at a time", "[asg][refresh]")
{
  RefreshRig rig;
  rig.g.start_refresh({});
  auto [fewest, most] = rig.run(2000);
  const auto& r = rig.g.refreshes().back();
  // Each replacement: 120 s boot + 300 s warm-up before the next.
  CHECK(rig.terminating == Times{{0, "api-i-1"}, {420, "api-i-2"}, {840, "api-i-3"}, {1260, "api-i-4"}});
  CHECK(r.end_s == 1680);
  CHECK(fewest == 3);
  CHECK(most == 4);
}

TEST_CASE("instance refresh launch before terminate: max healthy 150 %, min 100 %", "[asg][refresh]")
{
  RefreshRig rig;
  RefreshPreferences prefs;
  prefs.min_healthy_pct = 100;
  prefs.max_healthy_pct = 150;  // up to 6 live: 2 extra launched, then 2 old go once they are warm
  rig.g.start_refresh(prefs);
  auto [fewest, most] = rig.run(1500);
  const auto& r = rig.g.refreshes().back();
  CHECK(rig.in_service == Times{{120, "api-i-5"}, {120, "api-i-6"}, {540, "api-i-7"}, {540, "api-i-8"}});
  CHECK(rig.terminating == Times{{420, "api-i-1"}, {420, "api-i-2"}, {840, "api-i-3"}, {840, "api-i-4"}});
  CHECK(r.end_s == 840);
  CHECK(fewest == 4);
  CHECK(most == 6);
  CHECK_THROWS_AS(rig.g.start_refresh({.min_healthy_pct = 20, .max_healthy_pct = 150}), std::invalid_argument);
}

TEST_CASE("instance refresh cancel: in-flight replacements finish, no further batch, one at a time per group", "[asg][refresh]")
{
  RefreshRig rig;
  rig.g.start_refresh({});
  CHECK_THROWS_AS(rig.g.start_refresh({}), std::logic_error);
  rig.run(200);
  rig.g.cancel_refresh();
  CHECK_THROWS_AS(rig.g.cancel_refresh(), std::logic_error);
  rig.run(2000);
  const auto& r = rig.g.refreshes().back();
  CHECK(r.status == "Cancelled");
  CHECK(r.end_s == 200);
  CHECK(rig.terminating == Times{{0, "api-i-1"}});
  CHECK(rig.g.serving() == 4);
}

TEST_CASE("instance refresh waits while an instance is still warming up below the healthy floor", "[asg][refresh]")
{
  RefreshRig rig;
  // api-i-1 fails at t = 0: its replacement api-i-5 boots (InService 120) and warms up until 420.
  rig.g.report_unhealthy("api-i-1", false);
  rig.terminating.clear();
  rig.g.start_refresh({});  // 4 to replace (api-i-5 included); ceil(90 % of 4) = 4, only 3 ready
  rig.run(2500);
  std::vector<double> times;
  for (const auto& [t, id] : rig.terminating)
    times.push_back(t);
  // Looks again every minute; at 420 all 4 are ready: one at a time, boot + warm-up apart.
  CHECK(times == std::vector<double>{420, 840, 1260, 1680});
  CHECK(rig.g.refreshes().back().end_s == 2100);
  CHECK(rig.g.refreshes().back().total == 4);
}
