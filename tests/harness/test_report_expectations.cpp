// Expectations with a time window, a phase, time to capacity and cost per month: parsing errors
// name the JSON pointer; measured on hand-built per-minute series whose answers are computed here.
#include "harness/run/expectations.hpp"
#include "harness/run/extra_series.hpp"
#include "sim/json_reader.hpp"
#include "sim/scenario.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

using namespace migsim;

namespace {

nlohmann::json tiny()
{
  std::ifstream in(std::string(MIGSIM_SOURCE_DIR) + "/tests/data/tiny_valid.json");
  auto doc = nlohmann::json::parse(in);
  doc["duration_s"] = 600;
  return doc;
}

sim::Scenario with_expectations(nlohmann::json list)
{
  auto doc = tiny();
  doc["expectations"] = std::move(list);
  return sim::parse_scenario(doc, "test");
}

std::string parse_error(nlohmann::json expectation)
{
  try {
    with_expectations(nlohmann::json::array({expectation}));
  } catch (const sim::InputError& e) {
    return e.what();
  }
  return "";
}

// Ten minutes: completed 100 each, errors 0 except 30 in minutes 4 and 5; p99 10 ms except 900 ms in
// minute 5; util_box 0.2 then 0.8 from minute 6; capacity_workers{service=web} from the events.
harness::RunResult ten_minutes()
{
  harness::RunResult r;
  r.duration_s = 600;
  r.series_columns = {"minute", "completed", "errors", "p50_ms", "p95_ms", "p99_ms", "util_box"};
  for (int i = 0; i < 10; ++i)
    r.series_rows.push_back({double(i), 100, (i == 4 || i == 5) ? 30.0 : 0.0, 5, 8, i == 5 ? 900.0 : 10.0,
                             i >= 6 ? 0.8 : 0.2});
  return r;
}

}  // namespace

TEST_CASE("expectations: windows and phases are validated with their JSON pointer")
{
  CHECK_THAT(parse_error({{"metric", "lost_transactions"}, {"max", 0}, {"from_s", 60}}),
             Catch::Contains("/expectations/0/from_s") && Catch::Contains("has no time window"));
  CHECK_THAT(parse_error({{"metric", "p99_ms"}, {"max", 1}, {"from_s", 120}, {"to_s", 60}}),
             Catch::Contains("/expectations/0/to_s"));
  CHECK_THAT(parse_error({{"metric", "p99_ms"}, {"max", 1}, {"phase", "cdc"}, {"to_s", 60}}),
             Catch::Contains("/expectations/0/phase"));
  CHECK_THAT(parse_error({{"metric", "p99_ms"}, {"max", 1}, {"phase", "cdc"}, {"class", "get"}}),
             Catch::Contains("/expectations/0/class"));
  CHECK_THAT(parse_error({{"metric", "time_to_capacity_s"}, {"max", 1}}), Catch::Contains("capacity_target"));
  CHECK_THAT(parse_error({{"metric", "p99_ms"}, {"max", 1}, {"capacity", "pods"}}),
             Catch::Contains("/expectations/0/capacity"));
  const auto sc = with_expectations({{{"metric", "p99_ms"}, {"max", 1}, {"from_s", 60}, {"to_s", 120}},
                                     {{"metric", "error_rate"}, {"max", 1}, {"phase", "cdc"}}});
  CHECK(sc.expectations[0].name == "p99_ms@60-120s");
  CHECK(sc.expectations[1].name == "error_rate@cdc");
}

TEST_CASE("expectations: windowed metrics are measured on the minutes the window overlaps")
{
  const auto sc = with_expectations({
      {{"metric", "errors"}, {"max", 0}, {"from_s", 0}, {"to_s", 240}},           // minutes 0-3: 0
      {{"metric", "errors"}, {"max", 50}, {"from_s", 200}, {"to_s", 330}},        // minutes 3-5: 60
      {{"metric", "error_rate"}, {"max", 0.2}, {"from_s", 240}, {"to_s", 360}},   // 60 / 260
      {{"metric", "p99_ms"}, {"max", 100}, {"from_s", 360}},                      // worst minute 6-9: 10
      {{"metric", "p99_ms"}, {"max", 100}},                                       // whole run: RunResult's p99
      {{"metric", "utilisation"}, {"server", "box"}, {"min", 0.5}, {"from_s", 300}, {"to_s", 600}},
      {{"metric", "throughput_rps"}, {"min", 1}, {"from_s", 0}, {"to_s", 120}},   // 200 / 120 s
  });
  auto r = ten_minutes();
  r.p99_ms = 42;
  r.completed = 1000;
  harness::evaluate_expectations(sc, r);
  REQUIRE(r.expectations.size() == 7);
  CHECK(r.expectations[0].measured == 0);
  CHECK(r.expectations[0].passed);
  CHECK(r.expectations[0].window == "2025-01-01 00:00:00 to 2025-01-01 00:04:00");  // on the scenario calendar
  CHECK(r.expectations[1].measured == 60);
  CHECK_FALSE(r.expectations[1].passed);
  CHECK(r.expectations[2].measured == Approx(60.0 / 260.0));
  CHECK_FALSE(r.expectations[2].passed);
  CHECK(r.expectations[3].measured == 10);
  CHECK(r.expectations[4].measured == 42);
  CHECK(r.expectations[4].window.empty());
  CHECK(r.expectations[5].measured == Approx((0.2 + 4 * 0.8) / 5));
  CHECK(r.expectations[6].measured == Approx(200.0 / 120.0));
}

TEST_CASE("expectations: a phase that never ran and an unpriced estate fail with a note")
{
  const auto sc = with_expectations({{{"metric", "errors"}, {"max", 0}, {"phase", "cdc"}},
                                     {{"metric", "cost_per_month_usd"}, {"max", 1000}}});
  auto r = ten_minutes();
  harness::evaluate_expectations(sc, r);
  CHECK(std::isnan(r.expectations[0].measured));
  CHECK_FALSE(r.expectations[0].passed);
  CHECK_THAT(r.expectations[0].note, Catch::Contains("did not happen"));
  CHECK(std::isnan(r.expectations[1].measured));
  CHECK_THAT(r.expectations[1].note, Catch::Contains("do not price"));
  r.expectations.clear();
  r.cost_per_month_usd = 730;
  harness::evaluate_expectations(sc, r);
  CHECK(r.expectations[1].measured == 730);
  CHECK(r.expectations[1].passed);
}

TEST_CASE("expectations: a phase window covers the phase's minutes")
{
  const auto sc = with_expectations({{{"metric", "errors"}, {"max", 0}, {"phase", "cdc"}},
                                     {{"metric", "p99_ms"}, {"max", 100}, {"phase", "dms_cdc"}}});
  auto r = ten_minutes();
  r.migration.emplace();
  r.migration->phases.push_back({"DMS full load", 0, 200, ""});
  r.migration->phases.push_back({"DMS CDC", 200, -1, ""});  // running at the end: to the end
  harness::evaluate_expectations(sc, r);
  CHECK(r.expectations[0].measured == 60);  // minutes 3..9
  CHECK(r.expectations[1].measured == 900);
  CHECK_THAT(r.expectations[1].window, Catch::Contains("DMS CDC"));
}

TEST_CASE("expectations: time to capacity counts from the window start to the first minute at the target")
{
  auto doc = tiny();
  doc["events"] = {{{"at_s", 150}, {"action", "set_workers"}, {"target", "web"}, {"value", 12}},
                   {{"at_s", 400}, {"action", "set_workers"}, {"target", "web"}, {"value", 20}}};
  doc["expectations"] = {
      {{"metric", "time_to_capacity_s"}, {"capacity", "workers"}, {"capacity_target", 12}, {"max", 300},
       {"from_s", 60}},
      {{"metric", "time_to_capacity_s"}, {"capacity", "workers"}, {"capacity_target", 20}, {"max", 300}},
      {{"metric", "time_to_capacity_s"}, {"capacity", "workers"}, {"capacity_target", 21}, {"max", 300}},
      {{"metric", "time_to_capacity_s"}, {"capacity", "pods"}, {"capacity_target", 1}, {"max", 300}}};
  const auto sc = sim::parse_scenario(doc, "test");
  auto r = ten_minutes();
  harness::append_capacity_series(sc, r);
  // capacity_workers{service=web}: 8 at the end of minutes 0-1, 12 from the end of minute 2 (180 s),
  // 20 from the end of minute 6 (420 s).
  const auto& cols = r.series_columns;
  const size_t c = std::find(cols.begin(), cols.end(), "capacity_workers{service=web}") - cols.begin();
  REQUIRE(c < cols.size());
  CHECK(r.series_rows[1][c] == 8);
  CHECK(r.series_rows[2][c] == 12);
  CHECK(r.series_rows[6][c] == 20);
  CHECK(std::find(cols.begin(), cols.end(), "capacity_servers{zone=lan}") != cols.end());
  harness::evaluate_expectations(sc, r);
  CHECK(r.expectations[0].measured == 120);  // 180 - 60
  CHECK(r.expectations[1].measured == 420);
  CHECK_FALSE(r.expectations[1].passed);
  CHECK(std::isnan(r.expectations[2].measured));
  CHECK_THAT(r.expectations[2].note, Catch::Contains("never reached"));
  CHECK_THAT(r.expectations[3].note, Catch::Contains("no capacity_pods"));
}
