// Sweep grids: --set parsing, paths into a scenario, variant enumeration, the Pareto front, the
// EC2-equivalent yardstick and the Kubernetes manifest's counts.
#include "harness/sweep/sweep.hpp"

#include <catch2/catch.hpp>

using namespace migsim::harness::sweep;
using nlohmann::json;

TEST_CASE("sweep: --set values are JSON, commas inside brackets and quotes do not split")
{
  auto a = parse_set("workload.multiplier=1,2.5,5.9");
  CHECK(a.path == "workload.multiplier");
  REQUIRE(a.values.size() == 3);
  CHECK(a.values[1] == json(2.5));
  a = parse_set("workload.daily_curve=[1,2],[3,4]");
  REQUIRE(a.values.size() == 2);
  CHECK(a.values[0] == json::array({1, 2}));
  a = parse_set("name=\"a,b\",plain");
  CHECK(a.values[0] == json("a,b"));
  CHECK(a.values[1] == json("plain"));
  CHECK_THROWS_AS(parse_set("novalue="), SweepInputError);
  CHECK_THROWS_AS(parse_set("x=1,,2"), SweepInputError);
}

TEST_CASE("sweep: paths step into objects, array indices and array elements by name")
{
  json doc = {{"platform", {{"services", {{{"name", "web"}, {"workers", 4}}, {{"name", "db"}, {"workers", 9}}}}}},
              {"duration_s", 60}};
  apply_path(doc, "platform.services.db.workers", 20);
  apply_path(doc, "platform.services.0.workers", 8);
  apply_path(doc, "duration_s", 120);
  apply_path(doc, "platform.services.web.queue_limit", 5);  // a new optional key at the end
  CHECK(doc["platform"]["services"][1]["workers"] == 20);
  CHECK(doc["platform"]["services"][0]["workers"] == 8);
  CHECK(doc["platform"]["services"][0]["queue_limit"] == 5);
  CHECK(doc["duration_s"] == 120);
  CHECK_THROWS_WITH(apply_path(doc, "platform.services.5.workers", 1), Catch::Contains("has 2 elements"));
  CHECK_THROWS_WITH(apply_path(doc, "platform.services.cache.workers", 1), Catch::Contains("no element named"));
  CHECK_THROWS_WITH(apply_path(doc, "platfrom.servers.x", 1), Catch::Contains("no key \"platfrom\""));
}

TEST_CASE("sweep: variants enumerate the product, the last axis fastest")
{
  std::vector<Axis> axes = {{"a", {1, 2}}, {"b", {10, 20, 30}}};
  CHECK(variant_count(axes) == 6);
  auto p = variant_params(axes, 4);  // a = 2 (4 / 3 = 1), b = 20 (4 % 3 = 1)
  CHECK(p[0].second == 2);
  CHECK(p[1].second == 20);
  CHECK(axes_from_json(axes_to_json(axes))[1].values[2] == 30);
  CHECK(variant_count({}) == 1);
}

TEST_CASE("sweep: the Pareto front keeps the rows nothing dominates")
{
  std::vector<Row> rows(5);
  const double cost[] = {100, 200, 150, 300, 100}, p99[] = {900, 300, 500, 300, 950};
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].index = i;
    rows[i].exit_code = 0;
    rows[i].cost_per_month_usd = cost[i];
    rows[i].p99_ms = p99[i];
  }
  rows.push_back(rows[1]);  // an exact tie stays on the front with its twin
  rows.back().index = 5;
  Row broken;
  broken.exit_code = 2;  // no result: never on the front
  rows.push_back(broken);
  mark_pareto(rows);
  const bool expected[] = {true, true, true, false, false, true, false};
  for (size_t i = 0; i < rows.size(); ++i)
    CHECK(rows[i].pareto == expected[i]);
}

TEST_CASE("sweep: the EC2 yardstick picks the cheapest type with the cores and RAM")
{
  // 2 cores / 4 GB: c5.large 0.085 and t3.medium 0.0416 fit -> t3.medium; 3 cores / 10 GB: t3.xlarge
  // 0.1664 and m5.xlarge 0.192 fit -> t3.xlarge. Month = 730 h.
  json sc = {{"platform", {{"servers", {{{"cores", 2}, {"ram_gb", 4}}, {{"cores", 3}, {"ram_gb", 10}}}}}}};
  CHECK(ec2_equivalent_monthly_usd(sc) == Approx((0.0416 + 0.1664) * 730));
}

TEST_CASE("sweep: the Kubernetes manifest has one completion per variant")
{
  const std::vector<Axis> axes = {{"a", {1, 2, 3}}, {"b", {1, 2, 3, 4}}};
  const auto y = k8s_manifest(json{{"name", "x"}}, axes, {});
  CHECK_THAT(y, Catch::Contains("completionMode: Indexed"));
  CHECK_THAT(y, Catch::Contains("completions: 12\n"));
  CHECK_THAT(y, Catch::Contains("kind: ConfigMap"));
  CHECK_THAT(y, Catch::Contains("\"--index\", \"env\""));
}

TEST_CASE("sweep: the Pareto front is per traffic level, not across it")
{
  // Two designs at two traffic levels: at 2x traffic the big design is slower than the small one at
  // 1x, but traffic is not a design: each level has its own front.
  std::vector<Row> rows(4);
  const double cost[] = {100, 300, 100, 300}, p99[] = {200, 150, 900, 400};
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].index = i;
    rows[i].exit_code = 0;
    rows[i].params = {{"workload.multiplier", i < 2 ? 1 : 2}, {"platform.servers.backend.cores", i % 2 ? 8 : 2}};
    rows[i].cost_per_month_usd = cost[i];
    rows[i].p99_ms = p99[i];
  }
  mark_pareto(rows);
  CHECK(rows[0].pareto);
  CHECK(rows[1].pareto);
  CHECK(rows[2].pareto);
  CHECK(rows[3].pareto);  // across levels, row 0 (100 $, 200 ms) would have dominated it
  CHECK(conditions_of(rows[2]) == "workload.multiplier=2");
  CHECK(is_condition_axis("workload.spikes.0.multiplier"));
  CHECK(is_condition_axis("seed"));
  CHECK_FALSE(is_condition_axis("platform.services.api-catalog.workers"));
  CHECK_FALSE(is_condition_axis("eks.provisioner"));
}

TEST_CASE("sweep: a variant meets its SLOs when its expectations hold and a pinned failure does not")
{
  const json summary = {
      {"expectations",
       {{{"name", "p99 under 400 ms"}, {"metric", "p99_ms"}, {"measured", 1523.4}, {"max", 400}, {"passed", false}},
        {{"name", "errors under 1 %"}, {"metric", "error_rate"}, {"measured", 0.001}, {"max", 0.01}, {"passed", true}},
        {{"name", "backend saturates"}, {"metric", "utilisation"}, {"measured", 0.93}, {"min", 0.55},
         {"passed", true}, {"pins_failure", true}},
        {{"name", "requests fail"}, {"metric", "error_rate"}, {"measured", 0.001}, {"min", 0.01},
         {"passed", false}, {"pins_failure", true}}}}};
  const auto missed = missed_slos(summary);
  REQUIRE(missed.size() == 2);
  CHECK(missed[0] == "p99 under 400 ms: p99_ms measured 1523.4, limit <= 400");
  CHECK(missed[1] == "backend saturates: utilisation measured 0.93, the failure the base scenario pins still "
                     "happens (>= 0.55)");
  CHECK(missed_slos(json{{"expectations", json::array()}}).empty());
}

TEST_CASE("sweep: a value that needs a key the scenario lacks says how to set it")
{
  const auto path = std::string(MIGSIM_SOURCE_DIR) + "/scenarios/eks-black-friday.json";
  const auto base = read_json(path);
  std::vector<Axis> axes = {parse_set("eks.provisioner=cluster-autoscaler,karpenter")};
  CHECK_NOTHROW(build_variant(base, axes, 0, path));
  CHECK_THROWS_WITH(build_variant(base, axes, 1, path),
                    Catch::Contains("variant 1 (eks.provisioner=\"karpenter\")") &&
                        Catch::Contains("needs /eks/karpenter/instance_types") &&
                        Catch::Contains("--set 'eks.karpenter=<JSON>'"));
  // Given to every variant with a one-value axis, both variants load.
  axes.push_back(parse_set("eks.karpenter={\"instance_types\":[\"m5.large\",\"m5.xlarge\"]}"));
  CHECK_NOTHROW(build_variant(base, axes, 1, path));
  CHECK(build_variant(base, axes, 1, path)["eks"]["provisioner"] == "karpenter");
}
