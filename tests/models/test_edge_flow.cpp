// CloudFront and WAF live in front of the request flow (one simulation per test case): blocked
// attack traffic never reaches the estate and is no user error; edge hits cost no origin capacity.
#include "harness/run/run_command.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <nlohmann/json.hpp>

using nlohmann::json;

TEST_CASE("Edge in the flow: WAF blocks its share before the origin, hits never reach it")
{
  const json doc = {
      {"name", "edge-flow"},
      {"seed", 3},
      {"duration_s", 1800},
      {"platform",
       {{"zones", {{{"name", "region"}, {"lan_latency_ms", 0.5}}}},
        {"servers", {{{"name", "web"}, {"zone", "region"}, {"cores", 32}, {"speed_gflops", 1}}}},
        {"services", {{{"name", "api"}, {"server", "web"}, {"kind", "app"}, {"workers", 500}}}}}},
      {"workload",
       {{"client_zone", "region"},
        {"base_rps", 200},
        {"classes",
         {{{"name", "asset"}, {"weight", 3}, {"response_kb", 80}, {"stages", {{{"service", "api"}, {"cpu_ms", 2}}}}},
          {{"name", "page"}, {"weight", 1}, {"response_kb", 30}, {"stages", {{{"service", "api"}, {"cpu_ms", 20}}}}}}}}},
      {"edge",
       {{"edge_latency_ms", 12},
        {"waf", {{"malicious_share", 0.2}, {"block_share", 0.95}, {"rules", 4}}},
        {"classes", {{{"class", "asset"}, {"origin", "s3"}, {"objects", 500}, {"zipf_s", 0.9}, {"ttl_s", 3600}}}}}}};
  auto sc = migsim::harness::parse_full_scenario(doc, "test");
  const auto r = migsim::harness::run_scenario(sc, {});
  const auto& e = r.edge;
  INFO(e.dump(2));
  const double requests = e["requests"].get<double>();
  const double blocked = e["waf_blocked"].get<double>();
  // 200/s for 1800 s = 360,000 requests (Poisson); blocked 0.2 x 0.95 = 19 % of them.
  CHECK(requests == Approx(360000).epsilon(0.01));
  const double sd = std::sqrt(requests * 0.19 * 0.81);
  CHECK(std::abs(blocked - 0.19 * requests) < 4 * sd);
  // Blocked requests are not user requests: not arrivals, not errors.
  CHECK(r.arrivals + static_cast<unsigned long long>(blocked) == static_cast<unsigned long long>(requests));
  CHECK(r.failed == 0);
  // The estate's API saw only what passed through: every page, no asset (S3 serves the misses).
  const double passed = e["passed_to_alb"].get<double>();
  CHECK(r.services.at(0).served == static_cast<unsigned long long>(passed));
  // Asset hit ratio: the formula at the asset rate that reaches the cache, 150/s x 0.81 (plus the
  // 5 % of attackers not blocked) spread over 8 edges; measured over about 120,000 lookups.
  const double formula = e["cached_classes"][0]["hit_ratio"].get<double>();
  const double measured = e["hits"].get<double>() / (e["hits"].get<double>() + e["misses"].get<double>());
  CHECK(measured == Approx(formula).margin(0.005));
  CHECK(formula > 0.9);
  CHECK(r.model_metrics.at("edge_hit_ratio") == Approx(measured));
  // Hits are answered in the edge latency: the asset p50 is 12 ms.
  for (const auto& c : r.classes)
    if (c.name == "asset")
      CHECK(c.p50_ms == Approx(12.0).epsilon(0.02));
  CHECK(r.model_metrics.at("edge_monthly_cost_usd") > 0);
}
