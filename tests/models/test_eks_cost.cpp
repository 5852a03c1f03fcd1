// The EKS bill through models/cost: the shared ALB LCU formula on hand-computed spans, a tiny EKS
// run whose every bill line is computed by hand (node-hours x price, control-plane hours, ALB LCUs
// as the highest dimension, NAT hours and GB, RDS, transfer, Route 53, EFS), the as-is and EKS bills
// naming the shared resources with the same items, and the EKS node catalogue reading its prices
// from the one price table. One simulation per TEST_CASE at most.
#include "harness/run/run_command.hpp"
#include "models/cost/alb_lcu.hpp"
#include "models/cost/cost_model.hpp"
#include "models/ec2/instance_catalog.hpp"
#include "models/eks/eks_cluster.hpp"
#include "models/eks/instance_catalog.hpp"
#include "sim/json_reader.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <set>

using namespace migsim;
using models::cost::AlbTrafficSpan;

TEST_CASE("ALB LCUs: each dimension by hand, the highest billed, partial spans prorated", "[cost][eks]")
{
  // 50 requests/s for an hour, one per connection: new connections 50 / 25 = 2 LCU; 4,500 open on
  // average: 4,500 / 3,000 = 1.5 LCU; 3.6 GB: 3.6 LCU; 15 rules: 50 x (15 - 10) = 250/s: 0.25 LCU.
  const AlbTrafficSpan hour{3600, 180000, 180000, 3600.0 * 4500, 3.6e9, 15};
  const auto d = models::cost::alb_lcu_dimensions(hour);
  CHECK(d.new_connections == Approx(2.0));
  CHECK(d.active_connections == Approx(1.5));
  CHECK(d.processed_bytes == Approx(3.6));
  CHECK(d.rule_evaluations == Approx(0.25));
  CHECK(d.lcus() == Approx(3.6));
  // Half an hour, 50/s, 0.5 GB (1 GB/h: 1 LCU), 2 requests per connection (25/s: 1 LCU), 40 rules
  // (50 x 30 = 1,500/s: 1.5 LCU) -> 1.5 LCU for 0.5 h = 0.75 LCU-hours.
  const AlbTrafficSpan half{1800, 90000, 45000, 0, 0.5e9, 40};
  CHECK(models::cost::alb_lcu_dimensions(half).lcus() == Approx(1.5));
  CHECK(models::cost::alb_lcu_hours({hour, half}) == Approx(3.6 + 0.75));
  CHECK_THROWS_AS(models::cost::alb_lcu_dimensions({0, 1, 1, 0, 0, 0}), std::invalid_argument);
}

namespace {

// 2 h of a flat 50 requests/s, one class: 2 KB in + 98 KB out through the ALB, 10 ms of CPU in
// "api" (2 pods on a fixed group of 2 m5.large over zones a and b), a 0.5 KB query to the external
// "mysql", 10 KiB of EFS reads per request on an Elastic file system of 50 GiB.
nlohmann::json tiny_eks()
{
  return nlohmann::json::parse(R"({
    "name": "eks-tiny-bill", "seed": 1, "duration_s": 7200,
    "platform": {"zones": [{"name": "internet"}],
                 "servers": [{"name": "placeholder", "zone": "internet", "cores": 1}],
                 "services": [{"name": "api", "server": "placeholder", "workers": 1},
                              {"name": "mysql", "server": "placeholder", "workers": 1}]},
    "workload": {"client_zone": "internet", "base_rps": 50,
                 "classes": [{"name": "call", "weight": 1, "response_kb": 98,
                              "stages": [{"service": "api", "cpu_ms": 10, "cpu_dist": "constant", "request_kb": 2},
                                         {"service": "mysql", "cpu_ms": 1, "request_kb": 0.5}]}]},
    "eks": {"zones": ["a", "b"], "alb_latency_ms": 0, "provisioner": "none",
            "node_groups": [{"name": "web", "instance_type": "m5.large", "min_size": 2, "max_size": 2, "desired_size": 2}],
            "efs": [{"name": "media", "throughput_mode": "elastic", "size_gib": 50}],
            "deployments": [{"name": "api", "replicas": 2, "cpu_request_m": 250, "cpu_limit_m": 1000,
                             "efs_volume": "media", "efs_kb_per_request": 10}],
            "external": [{"service": "mysql", "latency_ms": 2}],
            "cost": {"nat_gateways": 2, "node_volume_gb": 30}}
  })");
}

// The quantity of an item on a bill JSON (0 when absent), and its cost unrounded.
double quantity(const nlohmann::json& bill, const std::string& item)
{
  double q = 0;
  for (const auto& l : bill["lines"])
    if (l["item"] == item)
      q += l["billable_quantity"].get<double>();
  return q;
}

}  // namespace

TEST_CASE("EKS bill: every line of a tiny run computed by hand", "[cost][eks]")
{
  const auto sc = harness::parse_full_scenario(tiny_eks(), "test");
  harness::Simulation sim(sc);
  const auto r = sim.finish();
  REQUIRE(r.eks);
  REQUIRE(r.arrivals == 360000);  // 50/s x 7,200 s, fluid
  REQUIRE(r.completed == 360000);
  const auto& bill = r.eks->detail["cost"];
  const auto& prices = models::cost::default_price_table();
  const double h = 2.0, month = 730.0;
  // Nodes: 2 m5.large x 2 h; 30 GB gp3 root volume each, held 4 node-hours.
  CHECK(quantity(bill, "ec2.m5.large") == Approx(4.0));
  CHECK(quantity(bill, "ebs.gp3") == Approx(30 * 4.0 / month));
  // Control plane: one cluster for 2 h.
  CHECK(quantity(bill, "eks.cluster-hour") == Approx(2.0));
  // ALB: 2 h; per hour 180,000 x 100 KB = 18 GB -> 18 LCU, above new connections (50/25 = 2),
  // active connections (~50 x 12 ms in flight / 3,000) and rules (1 rule: none beyond the 10 free).
  CHECK(quantity(bill, "alb.hour") == Approx(2.0));
  CHECK(quantity(bill, "alb.lcu-hour") == Approx(36.0));
  // NAT: 2 gateways x 2 h; 0.1 GB/h x 2 h.
  CHECK(quantity(bill, "nat.hour") == Approx(4.0));
  CHECK(quantity(bill, "nat.gb-processed") == Approx(0.2));
  // Database (the as-is default): db.m5.large Multi-AZ 2 h, 500 GB gp3 for 2 h.
  CHECK(quantity(bill, "rds.mysql.multi-az.db.m5.large") == Approx(2.0));
  CHECK(quantity(bill, "rds.storage.multi-az.gp3") == Approx(500 * 2.0 / month));
  // Egress: 360,000 x 98 KB. Inter-AZ: 360,000 x 2 x 0.5 KB to the database in zone a, from the
  // half of the node-hours in zone b = 0.18 GB, billed out and in.
  CHECK(quantity(bill, "transfer.internet-out.gb") == Approx(35.28));
  CHECK(quantity(bill, "transfer.inter-az.gb") == Approx(0.36));
  // Route 53: 1 zone for 2 h; 360,000 x 0.01 queries.
  CHECK(quantity(bill, "route53.hosted-zone-month") == Approx(2.0 / month));
  CHECK(quantity(bill, "route53.million-queries") == Approx(0.0036));
  // EFS: 50 GB for 2 h; 360,000 x 10 KiB read.
  CHECK(quantity(bill, "efs.standard.gb-month") == Approx(50 * 2.0 / month));
  CHECK(quantity(bill, "efs.elastic.read-gb") == Approx(360000.0 * 10 * 1024 / 1e9));
  CHECK(quantity(bill, "efs.elastic.write-gb") == 0);
  // Every line = quantity x the table's price; the total is their sum; monthly = total x 730 / 2 h.
  double total = 0;
  for (const auto& l : bill["lines"]) {
    const double usd = l["billable_quantity"].get<double>() * prices.at(l["item"]).usd;
    CHECK(l["cost_usd"].get<double>() == Approx(usd).margin(0.0051));
    total += usd;
  }
  CHECK(bill["lines"].size() == 15);
  CHECK(r.eks->cost_usd == Approx(total));
  CHECK(r.eks->monthly_cost_usd == Approx(total * month / h));
  CHECK(r.eks->detail["cost_usd"]["nodes"].get<double>() == Approx(4 * prices.at("ec2.m5.large").usd));
  CHECK(r.eks->detail["cost_usd"]["control_plane"].get<double>() == Approx(0.2));
}

TEST_CASE("EKS bill: node-hours follow the Cluster Autoscaler's scale-up node by node", "[cost][eks]")
{
  // The tiny run with HPA and a CA group of 1-4 nodes and 4x the traffic: nodes are added during the
  // run; the bill's instance-hours are each node's launch to the end (none is removed in 1 h).
  auto doc = tiny_eks();
  doc["duration_s"] = 3600;
  doc["workload"]["base_rps"] = 200;
  doc["eks"]["provisioner"] = "cluster-autoscaler";
  doc["eks"]["node_groups"][0] = {{"name", "web"}, {"instance_type", "c6i.large"}, {"min_size", 1},
                                   {"max_size", 4}, {"desired_size", 1}};
  doc["eks"]["deployments"][0]["hpa"] = {{"min_replicas", 2}, {"max_replicas", 20}, {"target_cpu_utilization_pct", 50}};
  const auto sc = harness::parse_full_scenario(doc, "test");
  harness::Simulation sim(sc);
  sim.advance_to(3600);
  double node_s = 0;
  int launched_later = 0;
  for (const auto& n : sim.eks()->nodes()) {
    node_s += (n.gone_s >= 0 ? n.gone_s : 3600.0) - n.launched_s;
    launched_later += n.launched_s > 0;
  }
  const auto r = sim.finish();
  REQUIRE(launched_later > 0);
  CHECK(quantity(r.eks->detail["cost"], "ec2.c6i.large") == Approx(node_s / 3600));
  CHECK(node_s / 3600 < 1.0 + launched_later);  // the added nodes ran part of the hour only
  CHECK(quantity(r.eks->detail["cost"], "ebs.gp3") == Approx(30 * node_s / 3600 / 730));
}

TEST_CASE("as-is and EKS bills name the shared resources with the same items", "[cost][eks]")
{
  // Same shared quantities through both builders: the same lines, item for item.
  models::cost::SharedQuantities s;
  s.hours = 24;
  s.rds_instance_hours = 24;
  s.rds_storage_gb = 100;
  s.alb_hours = 24;
  s.alb_lcu_hours = 30;
  s.nat_gateway_hours = 72;
  s.nat_processed_gb = 2.4;
  s.internet_out_gb = 50;
  s.inter_az_gb = 1;
  s.route53_hosted_zones = 1;
  s.route53_queries = 1e5;
  models::cost::AsIsQuantities a;
  a.ec2.instance_hours["m5.large"] = 48;
  a.ec2.ebs_gb_each = 20;
  a.shared = s;
  models::cost::EksQuantities e;
  e.cluster_hours = 24;
  e.nodes.instance_hours["m5.large"] = 48;
  e.nodes.ebs_gb_each = 20;
  e.shared = s;
  const auto& p = models::cost::default_price_table();
  const auto ba = models::cost::asis_monthly_estimate(p, a), be = models::cost::eks_monthly_estimate(p, e);
  std::map<std::string, double> asis_items;
  for (const auto& l : ba.lines)
    asis_items[l.item] += l.cost_usd;
  for (const auto& l : be.lines) {
    if (l.item == "eks.cluster-hour")
      continue;  // the one EKS-only line
    REQUIRE(asis_items.count(l.item));
    CHECK(asis_items[l.item] == Approx(l.cost_usd));
  }
  CHECK(be.lines.size() == ba.lines.size() + 1);
  CHECK(be.monthly_run_rate_usd - ba.monthly_run_rate_usd == Approx(0.10 * 730));

  // The shipped runs (baselines): every ELB, VPC, RDS, EBS, Route 53 and transfer item of the EKS
  // bill is an item of the as-is bill, under the same service.
  const std::string base = std::string(MIGSIM_SOURCE_DIR) + "/tests/baselines/";
  std::ifstream fa(base + "aws-asis-black-friday.json"), fe(base + "eks-black-friday.json");
  const auto ja = nlohmann::json::parse(fa)["aws"]["cost"], je = nlohmann::json::parse(fe)["eks"]["cost"];
  std::map<std::string, std::string> service_of;
  for (const auto& l : ja["lines"])
    service_of[l["item"]] = l["service"];
  const std::set<std::string> shared = {"ELB", "VPC", "RDS", "EBS", "Route 53", "Data Transfer"};
  int checked = 0;
  for (const auto& l : je["lines"])
    if (shared.count(l["service"])) {
      INFO(l["item"].get<std::string>());
      CHECK(service_of[l["item"]] == l["service"]);
      ++checked;
    }
  CHECK(checked >= 10);  // alb x2, nat x2, rds x2, ebs, transfer x2, route53 x2
}

TEST_CASE("EKS node catalogue and models/cost agree on every type (one source of prices)", "[cost][eks]")
{
  const auto& prices = models::cost::default_price_table();
  const auto& ec2 = models::ec2::default_instance_catalog();
  REQUIRE(models::eks::instance_catalog().size() == 12);
  for (const auto& t : models::eks::instance_catalog()) {
    INFO(t.name);
    CHECK(t.usd_per_hour == prices.at("ec2." + t.name).usd);
    CHECK(t.usd_per_hour == ec2.at(t.name).usd_per_hour);
    CHECK(t.vcpu == ec2.at(t.name).vcpu);
    CHECK(t.memory_mib == static_cast<int64_t>(ec2.at(t.name).memory_gib * 1024));
  }
  // Figures written in the table (on-demand page, us-east-1 Linux): the 4xlarge types added for EKS.
  CHECK(models::eks::instance_type("m6i.4xlarge").usd_per_hour == 0.768);
  CHECK(models::eks::instance_type("c6i.4xlarge").usd_per_hour == 0.68);
  CHECK(models::eks::instance_type("m5.large").usd_per_hour == 0.096);
}

TEST_CASE("compare-estates puts the on-prem, as-is and EKS bills side by side line by line", "[cost][eks]")
{
  const std::string base = std::string(MIGSIM_SOURCE_DIR) + "/tests/baselines/";
  const std::string cmd = std::string(MIGSIM_BINARY) + " compare-estates " + base + "onprem-black-friday.json " + base +
                          "aws-asis-black-friday.json " + base + "eks-black-friday.json --json bills.json > bills.txt";
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::ifstream in("bills.json");
  const auto j = nlohmann::json::parse(in);
  std::ifstream fa(base + "aws-asis-black-friday.json"), fe(base + "eks-black-friday.json");
  const auto asis = nlohmann::json::parse(fa)["aws"]["cost"], eks = nlohmann::json::parse(fe)["eks"]["cost"];
  // A run's monthly figure for an item, projected as cost::compute does (unrounded).
  auto monthly = [](const nlohmann::json& bill, const std::string& item) {
    double usd = 0;
    for (const auto& l : bill["lines"])
      if (l["item"] == item)
        usd += l["billable_quantity"].get<double>() * l["unit_usd"].get<double>();
    return usd * 730 / bill["simulated_hours"].get<double>();
  };
  std::map<std::string, nlohmann::json> rows;
  for (const auto& r : j["bill_rows"])
    if (!r["item"].is_null())
      rows[r["item"]] = r["monthly_usd"];
  for (const char* item : {"alb.hour", "alb.lcu-hour", "nat.hour", "rds.mysql.multi-az.db.m5.large",
                           "transfer.internet-out.gb", "ebs.gp3"}) {
    INFO(item);
    REQUIRE(rows.count(item));
    CHECK(rows[item][0].is_null());  // on-prem: no AWS bill
    CHECK(rows[item][1].get<double>() == Approx(monthly(asis, item)));
    CHECK(rows[item][2].get<double>() == Approx(monthly(eks, item)));
  }
  CHECK(rows["eks.cluster-hour"][1].is_null());
  CHECK(rows["eks.cluster-hour"][2].get<double>() == Approx(73.0));  // 0.10 x 730
  CHECK(j["estates"][1]["cost_source"] == "/aws/cost");
  CHECK(j["estates"][2]["monthly_usd"].get<double>() == Approx(eks["monthly_run_rate_usd"].get<double>()).margin(0.01));
  std::ifstream txt("bills.txt");
  const std::string text((std::istreambuf_iterator<char>(txt)), std::istreambuf_iterator<char>());
  CHECK(text.find("monthly bill, line by line") != std::string::npos);
  CHECK(text.find("    alb.lcu-hour") != std::string::npos);
}

TEST_CASE("eks cost section: bad input names the JSON pointer", "[cost][eks]")
{
  auto bad = [](const std::function<void(nlohmann::json&)>& edit) -> std::string {
    auto d = tiny_eks();
    edit(d);
    try {
      harness::parse_full_scenario(d, "test");
    } catch (const sim::InputError& e) {
      return e.what();
    }
    return "accepted";
  };
  CHECK(bad([](auto& d) { d["eks"]["cost"]["database"] = {{"instance_class", "db.x9.huge"}}; })
            .rfind("/eks/cost/database/instance_class", 0) == 0);
  CHECK(bad([](auto& d) { d["eks"]["cost"]["database"] = {{"zone", "us-east-1z"}}; })
            .rfind("/eks/cost/database/zone", 0) == 0);
  CHECK(bad([](auto& d) { d["eks"]["cost"]["nat_gateways"] = -1; }).rfind("/eks/cost/nat_gateways", 0) == 0);
  CHECK(bad([](auto& d) { d["eks"]["cost"]["node_volume_type"] = "io2"; }).rfind("/eks/cost/node_volume_type", 0) == 0);
  CHECK(bad([](auto& d) { d["eks"]["cost"]["nat_gateway"] = 1; }).find("nat_gateway") != std::string::npos);
  CHECK(bad([](auto& d) { d["eks"]["cost"]["database"] = {{"zone", "b"}, {"multi_az", false}}; }) == "accepted");
}
