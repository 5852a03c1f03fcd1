// The AWS as-is estate end to end on a small fixed scenario (two hours, steady traffic, fixed group
// sizes): its monthly bill, item by item, against sums computed by hand from the list prices and
// what the run measured (arrivals, completions); and the scenario section's errors.
#include "harness/run/run_command.hpp"
#include "sim/json_reader.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace migsim;

namespace {

nlohmann::json small_estate()
{
  return nlohmann::json::parse(R"({
    "name": "aws-small", "seed": 5, "duration_s": 7200,
    "platform": {
      "zones": [{"name": "internet"}, {"name": "onprem"}],
      "servers": [{"name": "web", "zone": "onprem", "cores": 2}, {"name": "db", "zone": "onprem", "cores": 2}],
      "links": [{"name": "uplink", "from_zone": "internet", "to_zone": "onprem"}],
      "services": [{"name": "nginx", "server": "web", "kind": "proxy", "workers": 100},
                   {"name": "api", "server": "web", "workers": 32},
                   {"name": "mysql", "server": "db", "kind": "database", "workers": 100}]
    },
    "workload": {"client_zone": "internet", "base_rps": 20, "client_timeout_s": 30,
                 "classes": [{"name": "browse", "weight": 1, "response_kb": 10,
                              "stages": [{"service": "nginx", "cpu_ms": 0.3, "request_kb": 1},
                                         {"service": "api", "cpu_ms": 10, "request_kb": 1},
                                         {"service": "mysql", "cpu_ms": 2, "request_kb": 0.5}]}]},
    "aws": {
      "azs": ["us-east-1a", "us-east-1b"], "alb_replaces": ["nginx"],
      "class_paths": {"browse": "/products/1"},
      "tiers": [{"name": "web", "serves": ["api"], "instance_type": "t3.small", "min_size": 2, "max_size": 2,
                 "desired": 2, "policies": [{"name": "cpu", "metric": "ASGAverageCPUUtilization", "target": 50}]},
                {"name": "admin", "serves": ["api"], "path_patterns": ["/admin/*"], "priority": 1,
                 "instance_type": "t3.small", "min_size": 1, "max_size": 1, "desired": 1}],
      "database": {"az": "us-east-1a", "serves": ["mysql"], "instance_class": "db.m5.large", "multi_az": true,
                   "storage_gb": 100},
      "cost": {"nat_gateways": 1, "nat_processed_gb_per_hour": 0.1, "route53_hosted_zones": 1,
               "route53_queries_per_request": 0.01}
    }
  })");
}

}  // namespace

TEST_CASE("as-is bill: every item equals its hand-computed sum from list prices and what the run used", "[aws][cost]")
{
  const auto sc = harness::parse_full_scenario(small_estate(), "aws small");
  const auto r = harness::run_scenario(sc, {});
  REQUIRE(r.aws);
  REQUIRE(r.failed == 0);
  const auto& bill = (*r.aws)["cost"];
  std::map<std::string, nlohmann::json> line;
  for (const auto& l : bill["lines"])
    line[l["item"].get<std::string>()] = l;
  // Arrivals per hour, from the per-minute series (every request passes the ALB).
  double per_hour[2] = {0, 0};
  for (const auto& row : r.series_rows)
    per_hour[row[0] < 60 ? 0 : 1] += row[1];
  const double n = static_cast<double>(r.arrivals);
  REQUIRE(per_hour[0] + per_hour[1] == n);
  const double h = 2.0, month = 730.0;
  struct Expect {
    const char* item;
    double quantity, usd;
  };
  // ALB LCUs per hour: the highest of new connections / 25 per s (one request per connection) and
  // GB processed per hour (1 KB request + 10 KB response per request); no rules beyond the 10 free.
  double lcu = 0;
  for (double k : per_hour)
    lcu += std::max(k / 3600 / 25, k * 11 / 1e6);
  // Round robin alternates between the web instances in us-east-1a and us-east-1b; the database is
  // in us-east-1a, so half the requests send their 0.5 KB query (and as much back) across AZs.
  const double inter_az_gb = std::floor(n / 2) * 1.0 / 1e6;
  const std::vector<Expect> expected = {
      {"ec2.t3.small", 3 * h, 0.0208},                            // 3 instances x 2 h
      {"ebs.gp3", 8 * 3 * h / month, 0.08},                       // 8 GB each, GB-months
      {"rds.mysql.multi-az.db.m5.large", h, 0.342},
      {"rds.storage.multi-az.gp3", 100 * h / month, 0.23},
      {"alb.hour", h, 0.0225},
      {"alb.lcu-hour", lcu, 0.008},
      {"nat.hour", h, 0.045},
      {"nat.gb-processed", 0.1 * h, 0.045},
      {"transfer.internet-out.gb", static_cast<double>(r.completed) * 10 / 1e6, 0.09},
      {"transfer.inter-az.gb", 2 * inter_az_gb, 0.01},             // billed out and in
      {"route53.hosted-zone-month", h / month, 0.50},
      {"route53.million-queries", n * 0.01 / 1e6, 0.40},
      {"cloudwatch.alarm-month", 2 * h / month, 0.10},            // target tracking: 2 alarms per policy
  };
  double total = 0;
  for (const auto& e : expected) {
    INFO(e.item);
    REQUIRE(line.count(e.item));
    CHECK(line[e.item]["quantity"].get<double>() == Approx(e.quantity).epsilon(1e-6).margin(2e-6));
    CHECK(line[e.item]["unit_usd"].get<double>() == e.usd);
    const double cost = e.quantity * e.usd;
    CHECK(line[e.item]["cost_usd"].get<double>() == Approx(std::round(cost * 100) / 100).margin(0.0051));
    total += cost;
  }
  CHECK(line.size() == expected.size());  // nothing else billed (no surplus credits at this load)
  CHECK(bill["run_total_usd"].get<double>() == Approx(total).margin(0.006));
  CHECK(r.aws_metrics.at("aws_monthly_cost_usd") == Approx(total * month / h).epsilon(1e-4));
  // The groups stayed at their fixed sizes: 3 instance-hours... per group, as billed.
  CHECK((*r.aws)["groups"][0]["instance_hours"].get<double>() == Approx(4.0));
  CHECK((*r.aws)["groups"][1]["instance_hours"].get<double>() == Approx(2.0));
}

TEST_CASE("aws section errors name the JSON pointer", "[aws]")
{
  auto bad = [](const std::function<void(nlohmann::json&)>& edit) {
    auto d = small_estate();
    edit(d);
    try {
      harness::parse_full_scenario(d, "bad");
    } catch (const sim::InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(bad([](auto& d) { d["aws"]["tiers"][0]["instance_type"] = "t9.huge"; })
            .rfind("/aws/tiers/0/instance_type: unknown instance type", 0) == 0);
  CHECK(bad([](auto& d) { d["aws"]["azs"] = {"us-east-1a"}; }).rfind("/aws/azs:", 0) == 0);
  CHECK(bad([](auto& d) { d["aws"]["tiers"][1].erase("path_patterns"); }).rfind("/aws/tiers: exactly one tier", 0) == 0);
  CHECK(bad([](auto& d) { d["aws"]["tiers"][0]["slow_start_s"] = 60; d["aws"]["tiers"][0]["algorithm"] = "least_outstanding_requests"; })
            .rfind("/aws/tiers/0/slow_start_s:", 0) == 0);
  CHECK(bad([](auto& d) { d["aws"]["alb_replaces"] = nlohmann::json::array(); })
            .find("runs neither on tier \"web\"") != std::string::npos);
  CHECK(bad([](auto& d) { d["aws"]["tiers"][0]["serves"] = {"apii"}; }).rfind("/aws/tiers/0/serves/0: unknown service", 0) == 0);
  CHECK(bad([](auto& d) { d["events"] = {{{"at_s", 10}, {"action", "az_down"}, {"target", "us-east-1z"}}}; })
            .rfind("/events/0/target: unknown Availability Zone", 0) == 0);
  CHECK(bad([](auto& d) { d["events"] = {{{"at_s", 10}, {"action", "set_desired"}, {"target", "web"}, {"value", 5}}}; })
            .rfind("/events/0/value:", 0) == 0);
  CHECK(bad([](auto& d) { d["aws"]["tiers"][0]["bogus"] = 1; }).rfind("/aws/tiers/0/bogus", 0) == 0);
}

TEST_CASE("as-is bill with an edge section keeps the database lines and adds CloudFront's", "[aws][cost]")
{
  // The edge's cost hook used to replace the database tier's default pricing: RDS vanished from the bill.
  auto doc = small_estate();
  doc["duration_s"] = 1800;
  doc["edge"] = nlohmann::json::parse(R"({"edge_latency_ms": 12,
      "classes": [{"class": "browse", "origin": "alb", "objects": 100, "zipf_s": 0.9, "ttl_s": 60}]})");
  const auto sc = harness::parse_full_scenario(doc, "aws small + edge");
  const auto r = harness::run_scenario(sc, {});
  REQUIRE(r.aws);
  std::map<std::string, nlohmann::json> line;
  for (const auto& l : (*r.aws)["cost"]["lines"])
    line[l["item"].get<std::string>()] = l;
  REQUIRE(line.count("rds.mysql.multi-az.db.m5.large"));
  CHECK(line["rds.mysql.multi-az.db.m5.large"]["quantity"].get<double>() == Approx(0.5));  // 1800 s
  CHECK(line.count("rds.storage.multi-az.gp3") == 1);
  REQUIRE(line.count("cloudfront.https-10k"));
  CHECK(line["cloudfront.https-10k"]["quantity"].get<double>() > 0);
  // Every viewer byte leaves through CloudFront (billed as its data out, origin fetches free): none
  // is billed again as internet egress from the region.
  REQUIRE(line.count("cloudfront.gb-out"));
  CHECK(line["cloudfront.gb-out"]["quantity"].get<double>() > 0);
  CHECK(line.count("transfer.internet-out.gb") == 0);
}
