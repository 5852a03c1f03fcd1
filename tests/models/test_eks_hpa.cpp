// HPA (autoscaling/v2): replica counts for given metric sequences against a step-by-step hand
// computation of the documented algorithm (ratio, tolerance, stabilisation, rate policies).
#include "models/eks/hpa.hpp"

#include <catch2/catch.hpp>

using namespace migsim::models::eks;

namespace {

constexpr int64_t kRequestM = 500;

// n running, ready, long-started pods each using util_pct % of a 500m request.
std::vector<HpaPod> pods(int n, int util_pct, double now)
{
  std::vector<HpaPod> v(static_cast<size_t>(n));
  for (auto& p : v) {
    p.start_s = -10000;
    p.ready_changed_s = -10000;
    p.metric_timestamp_s = now;
    p.request_m = kRequestM;
    p.usage_m = kRequestM * util_pct / 100;
  }
  return v;
}

}  // namespace

TEST_CASE("eks hpa: replicas over a metric sequence follow the documented algorithm")
{
  HpaSpec spec;
  spec.min_replicas = 1;
  spec.max_replicas = 10;
  spec.target_utilization_pct = 50;
  Hpa hpa(spec);
  // (t, utilisation %, expected replicas after the sync). Hand computation, default behaviour:
  //  t=0   2 pods at 100 %: ratio 2 -> ceil(2*2) = 4; up limit max(ceil(2*2), 2+4) = 6 -> 4.
  //  t=15  4 at 54 %: ratio 1.08, within tolerance 0.1 -> 4.
  //  t=30  4 at 150 %: ratio 3 -> 12; the +2 at t=0 is outside (15, 30] so the period starts at 4:
  //        limit max(8, 8) = 8 -> 8.
  //  t=45  8 at 100 %: ratio 2 -> 16; period starts at 8: max(16, 12) = 16, capped by max 10 -> 10.
  //  t=60  10 at 20 %: ratio 0.4 -> 4, but the scale-down window (300 s) holds 16 (t=45) -> 10.
  //  ...   the same until t=330 (recommendation 16 from t=45 is inside (t-300, t]).
  //  t=345 the window (45, 345] holds only 4s -> 4; scale-down limit 100 % -> 4.
  //  t=360 4 at 50 %: ratio 1 -> 4.
  std::vector<std::tuple<double, int, int>> steps = {{0, 100, 4}, {15, 54, 4}, {30, 150, 8}, {45, 100, 10}};
  for (double t = 60; t <= 330; t += 15)
    steps.emplace_back(t, 20, 10);
  steps.emplace_back(345, 20, 4);
  steps.emplace_back(360, 50, 4);
  int replicas = 2;
  for (const auto& [t, util, expected] : steps) {
    replicas = hpa.reconcile(t, replicas, pods(replicas, util, t));
    INFO("t = " << t);
    REQUIRE(replicas == expected);
  }
}

TEST_CASE("eks hpa: behaviour overrides (Pods policy per period, selectPolicy Min and Disabled)")
{
  HpaSpec spec;
  spec.max_replicas = 50;
  spec.target_utilization_pct = 50;
  spec.scale_down = {0, SelectPolicy::Max, {{PolicyType::Pods, 1, 60}}};
  Hpa down(spec);
  // 10 pods at 20 %: desired 4; no window; at most 1 pod removed per 60 s.
  // t=0: 10 -> 9. t=15, 30, 45: the -1 at t=0 is within 60 s, the period started at 10 -> limit 9.
  // t=60: the event at 0 is out of (0, 60] -> period starts at 9 -> 8.
  int r = 10;
  const std::vector<std::pair<double, int>> expect = {{0, 9}, {15, 9}, {30, 9}, {45, 9}, {60, 8}, {75, 8}, {120, 7}};
  for (const auto& [t, e] : expect) {
    r = down.reconcile(t, r, pods(r, 20, t));  // desired ceil(0.4 r), well below r
    INFO("t = " << t);
    REQUIRE(r == e);
  }

  // selectPolicy Min over (Percent 100, Pods 4): the smaller step wins. 3 pods at 400 %: desired
  // 24; limits ceil(3*2) = 6 and 3+4 = 7 -> Min 6.
  HpaSpec up_spec;
  up_spec.max_replicas = 100;
  up_spec.target_utilization_pct = 50;
  up_spec.scale_up.select = SelectPolicy::Min;
  CHECK(Hpa(up_spec).reconcile(0, 3, pods(3, 400, 0)) == 6);
  up_spec.scale_up.select = SelectPolicy::Max;
  CHECK(Hpa(up_spec).reconcile(0, 3, pods(3, 400, 0)) == 7);
  up_spec.scale_up.select = SelectPolicy::Disabled;
  CHECK(Hpa(up_spec).reconcile(0, 3, pods(3, 400, 0)) == 3);
  // A scale-up stabilisation window of 60 s: the lowest recommendation in the window wins.
  HpaSpec win;
  win.max_replicas = 100;
  win.target_utilization_pct = 50;
  win.scale_up.stabilization_window_s = 60;
  Hpa w(win);
  CHECK(w.reconcile(0, 4, pods(4, 50, 0)) == 4);        // recommendation 4
  CHECK(w.reconcile(15, 4, pods(4, 100, 15)) == 4);     // wants 8; window min is 4
  CHECK(w.reconcile(75, 4, pods(4, 100, 75)) == 8);     // t=0 out of (15, 75]; min(8, 8) -> 8
}

TEST_CASE("eks hpa: unready and missing pods")
{
  HpaSpec spec;
  spec.max_replicas = 100;
  spec.target_utilization_pct = 50;
  // 2 ready at 100 %, 2 unready burning 300 % while starting: ratio from ready = 2 -> scale-up
  // with unready pods counted at 0: (500 + 500) / 2000 = 50 % -> ratio 1 -> no change (4).
  // Counting the unready pods' usage would have given 200 % -> 16.
  auto p = pods(4, 100, 1000);
  for (int i = 2; i < 4; ++i) {
    p[static_cast<size_t>(i)].ready = false;
    p[static_cast<size_t>(i)].ready_changed_s = 990;
    p[static_cast<size_t>(i)].start_s = 980;
    p[static_cast<size_t>(i)].usage_m = 1500;
  }
  PodGroups g;
  CHECK(replicas_for_cpu(spec, 4, p, 1000, &g) == 4);
  CHECK(g.ready == 2);
  CHECK(g.unready == 2);

  // Missing metrics on a scale-down count as 100 %: 6 pods at 10 % + 1 missing, current 7:
  // ratio 0.2; with the missing pod at 100 %: (6*50 + 500) / 3500 = 22 % -> 0.44 -> ceil(3.08) = 4.
  auto m = pods(7, 10, 0);
  m[6].has_metric = false;
  CHECK(replicas_for_cpu(spec, 7, m, 0) == 4);
  // Missing on a scale-up count as 0: 2 at 60 % + 2 missing: ratio 1.2, corrected 600/2000 = 30 %
  // -> 0.6: the direction flipped -> keep 4.
  auto u = pods(4, 60, 0);
  u[2].has_metric = u[3].has_metric = false;
  CHECK(replicas_for_cpu(spec, 4, u, 0) == 4);
  // Nothing usable: no recommendation.
  auto none = pods(2, 60, 0);
  none[0].has_metric = none[1].has_metric = false;
  CHECK_FALSE(replicas_for_cpu(spec, 2, none, 0).has_value());
}

TEST_CASE("eks hpa: CPU initialisation period and initial readiness delay")
{
  HpaSpec spec;
  spec.target_utilization_pct = 50;
  const double now = 1000;
  std::vector<HpaPod> v(4);
  for (auto& p : v) {
    p.request_m = 500;
    p.usage_m = 500;
    p.metric_timestamp_s = now;
  }
  // Started 100 s ago (inside the 300 s initialisation period), ready since 90 s: a full 15 s window
  // was seen since -> counted.
  v[0].start_s = now - 100, v[0].ready_changed_s = now - 90;
  // Inside the period, ready only 5 s ago: the metric window overlaps not-ready time -> unready.
  v[1].start_s = now - 60, v[1].ready_changed_s = now - 5;
  // Past the period, not ready, never ready (went unready 10 s after start, within the 30 s
  // delay) -> unready.
  v[2].start_s = now - 400, v[2].ready = false, v[2].ready_changed_s = now - 390;
  // Past the period, not ready but was ready before (turned unready 200 s after start) -> counted.
  v[3].start_s = now - 400, v[3].ready = false, v[3].ready_changed_s = now - 200;
  PodGroups g;
  replicas_for_cpu(spec, 4, v, now, &g);
  CHECK(g.ready == 2);
  CHECK(g.unready == 2);
  // Pending (not running) pods are unready; deleting pods are ignored.
  v[0].running = false;
  v[3].deleting = true;
  replicas_for_cpu(spec, 4, v, now, &g);
  CHECK(g.ready == 0);
  CHECK(g.unready == 3);
  CHECK(g.ignored == 1);
}
