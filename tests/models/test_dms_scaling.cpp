// The shipped scenario scenarios/dms-serverless-scaling.json: a write load three times what the
// minimum capacity applies makes DMS Serverless scale. Its capacity steps are checked against the
// documented behaviour (docs/migration-model.md): provisioned at MinCapacityUnits, only allowed DCU
// values, never outside [Min, Max], one allowed value at a time, up only after the utilisation has
// stayed high for the hold time, down only after it has stayed low for the longer hold, back to Min
// once the backlog is gone.
#include "harness/run/run_command.hpp"
#include "models/dms/capacity.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace migsim;

TEST_CASE("dms-serverless-scaling: the DCU steps follow the documented scaling behaviour", "[dms][scaling][slow]")
{
  std::ifstream in(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/dms-serverless-scaling.json");
  const auto doc = nlohmann::json::parse(in);
  const int min_dcu = doc["migration"]["dms"]["min_dcu"], max_dcu = doc["migration"]["dms"]["max_dcu"];
  const double sync_start_s = doc["workload"]["spikes"][0]["start_s"];
  const auto r = harness::run_scenario(harness::parse_full_scenario(doc, "test"), {});
  REQUIRE(r.migration);
  const auto& m = *r.migration;
  const models::dms::ReplicationSettings s;  // the model's thresholds and hold times
  const auto& steps = m.dms_capacity;
  std::string history;
  for (const auto& [t, dcu] : steps)
    history += std::to_string(dcu) + " DCU at " + std::to_string(static_cast<int>(t)) + " s; ";
  INFO(history);
  REQUIRE(steps.size() >= 5);  // provisioned, up, up, down, down at least
  CHECK(steps.front().second == min_dcu);
  CHECK(steps[1].first > sync_start_s);  // nothing to scale for before the feed sync
  int peak = 0, ups = 0, downs = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    const auto [t, dcu] = steps[i];
    INFO("step " << i << " at " << t << " s: " << dcu << " DCU");
    CHECK(models::dms::is_allowed_capacity(dcu));
    CHECK(dcu >= min_dcu);
    CHECK(dcu <= max_dcu);
    peak = std::max(peak, dcu);
    if (i == 0)
      continue;
    const auto [t0, dcu0] = steps[i - 1];
    if (dcu > dcu0) {
      ++ups;
      CHECK(dcu == models::dms::CapacityScaler::step_up(dcu0));
      CHECK(t - t0 >= s.scale_up_hold_s - s.control_tick_s);
    } else {
      ++downs;
      CHECK(dcu == models::dms::CapacityScaler::step_down(dcu0));
      CHECK(t - t0 >= s.scale_down_hold_s - s.control_tick_s);
    }
  }
  CHECK(ups >= 2);
  CHECK(downs >= 2);
  CHECK(peak >= 8);       // 6,000 rows/s needs at least 8 DCU of transactional apply (1,000 rows/s each)
  CHECK(peak < max_dcu);  // and no more: 8 DCU drain the backlog
  CHECK(m.dms_dcu_peak == peak);
  CHECK(steps.back().second == min_dcu);
  CHECK(m.dms_status == "running");
  CHECK(m.lost_transactions == 0);
}
