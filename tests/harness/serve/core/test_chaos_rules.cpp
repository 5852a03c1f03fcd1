// The chaos API's rules (LocalStack's shapes): matching, defaults, validation, and determinism of
// the probabilistic faults for a given seed.
#include "harness/serve/core/chaos.hpp"

#include <catch2/catch.hpp>

using namespace migsim::harness::serve;
using nlohmann::json;

namespace {

Request with_body(http::verb method, const json& body)
{
  Request req{method, "/_localstack/chaos/faults", 11};
  req.body() = body.dump();
  req.prepare_payload();
  return req;
}

// Which of n calls fail under a rule of probability p, for a seed.
std::vector<bool> failures(uint64_t seed, double p, int n)
{
  ChaosState chaos(seed);
  chaos.handle("/_localstack/chaos/faults", with_body(http::verb::post, json::array({{{"service", "dms"}, {"probability", p}}})));
  std::vector<bool> out;
  for (int i = 0; i < n; ++i)
    out.push_back(chaos.fault_for("dms", "DescribeEndpoints", "us-east-1").has_value());
  return out;
}

}  // namespace

TEST_CASE("Chaos rules match on service, operation and region, first match wins", "[chaos]")
{
  ChaosState chaos(1);
  auto res = chaos.handle("/_localstack/chaos/faults",
                          with_body(http::verb::post, json::array({{{"service", "dms"}, {"operation", "DescribeEndpoints"},
                                                                     {"error", {{"statusCode", 429}, {"code", "Throttling"}}}},
                                                                    {{"region", "eu-west-1"}}})));
  REQUIRE(res);
  CHECK(res->result() == http::status::ok);
  auto f = chaos.fault_for("DMS", "DescribeEndpoints", "us-east-1");
  REQUIRE(f);
  CHECK(f->status == 429);
  CHECK(f->code == "Throttling");
  CHECK_FALSE(chaos.fault_for("dms", "DescribeReplications", "us-east-1"));
  f = chaos.fault_for("route53", "GetChange", "eu-west-1");  // second rule, default error
  REQUIRE(f);
  CHECK(f->status == 503);
  CHECK(f->code == "ServiceUnavailable");
  chaos.handle("/_localstack/chaos/faults", with_body(http::verb::delete_, json::array({{{"region", "eu-west-1"}}})));
  CHECK(chaos.rules().size() == 1);
  chaos.handle("/_localstack/chaos/faults", with_body(http::verb::patch, json::array({json::object()})));
  CHECK(chaos.fault_for("s3", "PutObject", "us-west-2"));  // {} matches everything
  for (const json& bad : {json::array({{{"probability", 1.5}}}), json::array({{{"colour", "red"}}}),
                          json::array({{{"error", {{"statusCode", 200}}}}}), json::object()}) {
    auto r = chaos.handle("/_localstack/chaos/faults", with_body(http::verb::post, bad));
    REQUIRE(r);
    CHECK(r->result() == http::status::bad_request);
  }
  CHECK(chaos.rules().size() == 2);  // rejected bodies change nothing
  Request eff{http::verb::post, "/_localstack/chaos/effects", 11};
  eff.body() = R"({"latency": 250})";
  chaos.handle("/_localstack/chaos/effects", eff);
  CHECK(chaos.latency_ms() == 250);
}

TEST_CASE("Chaos probabilistic faults are deterministic for a seed and near their probability", "[chaos]")
{
  const auto a = failures(42, 0.3, 2000), b = failures(42, 0.3, 2000), c = failures(43, 0.3, 2000);
  CHECK(a == b);
  CHECK(a != c);
  const auto n = std::count(a.begin(), a.end(), true);
  // Binomial(2000, 0.3): mean 600, sd 20.5; 5 sd either side.
  CHECK(n > 497);
  CHECK(n < 703);
}
