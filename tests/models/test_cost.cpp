// The cost model against hand-computed bills at the shipped us-east-1 prices: a small fixed usage
// item by item, the MGN free period per server, scaling to a 730-hour month, Multi-AZ RDS at twice
// Single-AZ, the three estimate builders; and strict reading of malformed price files (temp files)
// and unknown usage items. No simulation: plain arithmetic. If a shipped price changes, update the
// arithmetic in the comments with it.
#include "models/cost/cost_model.hpp"
#include "models/cost/design_estimates.hpp"
#include "sim/json_reader.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace migsim::models::cost;
using migsim::sim::InputError;
using nlohmann::json;

namespace {

// The shipped price table.
const PriceTable& shipped()
{
  static const PriceTable t = load_price_table(price_table_path(MIGSIM_SOURCE_DIR));
  return t;
}

// The cost of the bill's line for `item`, summed over lines (phase ignored).
double cost_of(const Bill& b, const std::string& item)
{
  double usd = 0;
  for (const auto& l : b.lines)
    if (l.item == item)
      usd += l.cost_usd;
  return usd;
}

// A minimal valid price document, for the malformed-file tests to break.
json minimal_doc()
{
  return json::parse(R"({
    "region": "us-east-1", "as_of": "2024-06-01", "currency": "USD", "source": "test",
    "pages": {"EC2": "https://aws.amazon.com/ec2/pricing/on-demand/"},
    "items": {"ec2.t3.micro": {"service": "EC2", "unit": "instance-hour", "usd": 0.0104, "description": "t3.micro"}}
  })");
}

// Writes doc to a temp file, loads it, removes the file and returns the InputError (or fails).
InputError load_error(const json& doc, const std::string& tag)
{
  const auto path = std::filesystem::temp_directory_path() /
                    ("migsim-cost-" + tag + "-" + std::to_string(::getpid()) + ".json");
  {
    std::ofstream out(path);
    out << doc.dump(2);
  }
  try {
    load_price_table(path.string());
  } catch (const InputError& e) {
    std::filesystem::remove(path);
    CHECK(std::string(e.what()).find(path.string()) != std::string::npos);  // names the file
    return e;
  }
  std::filesystem::remove(path);
  FAIL("no InputError for " << tag);
  return InputError("", "unreachable");
}

}  // namespace

TEST_CASE("cost: the shipped price table loads and has every item the builders use", "[cost]")
{
  const auto& t = shipped();
  CHECK(t.region == "us-east-1");
  CHECK(t.currency == "USD");
  CHECK(t.as_of == "2024-06-01");
  for (const char* key :
       {"ec2.t3.micro", "ec2.t3.small", "ec2.t3.medium", "ec2.t3.large", "ec2.t3.xlarge", "ec2.m5.large",
        "ec2.m5.xlarge", "ec2.m5.2xlarge", "ec2.c5.large", "ec2.c5.xlarge", "ec2.r5.large", "ec2.r5.xlarge", "ebs.gp2",
        "ebs.gp3", "ebs.gp3.iops", "ebs.gp3.throughput", "rds.storage.single-az.gp2", "rds.storage.multi-az.gp2",
        "rds.storage.single-az.gp3", "rds.storage.multi-az.gp3", "alb.hour", "alb.lcu-hour", "nat.hour",
        "nat.gb-processed", "cloudfront.gb-out", "cloudfront.https-10k", "s3.standard.gb-month", "s3.standard.put-1k",
        "s3.standard.get-1k", "transfer.internet-out.gb", "transfer.inter-az.gb", "vpn.connection-hour",
        "dms.serverless.dcu-hour", "mgn.server-hour", "eks.cluster-hour", "route53.hosted-zone-month",
        "route53.million-queries", "cloudwatch.metric-month", "cloudwatch.alarm-month", "waf.web-acl-month",
        "waf.rule-month", "waf.million-requests", "sns.million-requests", "sns.email-100k",
        "cloudtrail.management-events-100k", "cloudtrail.data-events-100k", "kms.key-month", "kms.requests-10k",
        "secretsmanager.secret-month", "secretsmanager.api-10k", "ecr.gb-month", "amp.samples-10m",
        "amp.storage.gb-month", "amp.query-billion-samples", "amg.editor-month", "amg.viewer-month"}) {
    INFO(key);
    REQUIRE(t.items.count(key) == 1);
    CHECK(t.items.at(key).usd > 0);
  }
  CHECK(t.at("mgn.server-hour").free_quantity_each == 2160.0);
}

TEST_CASE("cost: a small fixed usage totals to the hand-computed sums, item by item", "[cost]")
{
  Usage u;
  u.add(Phase::run, "ec2.t3.small", 730, "instance-hour", "web", 2);   // 2 x 730 = 1460 h x 0.0208 = 30.368
  u.add(Phase::run, "ebs.gp3", 40, "GB-month");                        // 40 x 0.08 = 3.20
  u.add(Phase::run, "rds.mysql.multi-az.db.t3.medium", 730, "instance-hour");  // 730 x 0.136 = 99.28
  u.add(Phase::run, "rds.storage.multi-az.gp2", 100, "GB-month");     // 100 x 0.23 = 23.00
  u.add(Phase::run, "alb.hour", 730, "ALB-hour");                      // 730 x 0.0225 = 16.425
  u.add(Phase::run, "alb.lcu-hour", 1000, "LCU-hour");                 // 1000 x 0.008 = 8.00
  u.add(Phase::run, "transfer.internet-out.gb", 200, "GB");            // 200 x 0.09 = 18.00
  u.add(Phase::run, "cloudfront.https-10k", 300, "10,000 requests");   // 3M requests: 300 x 0.01 = 3.00
  u.add(Phase::migration, "dms.serverless.dcu-hour", 48, "DCU-hour");  // 48 x 0.115 = 5.52
  u.add(Phase::migration, "vpn.connection-hour", 240, "connection-hour");  // 240 x 0.05 = 12.00
  u.add(Phase::migration, "mgn.server-hour", 2400, "server-hour");     // (2400 - 2160) x 0.042 = 10.08
  const Bill b = compute(shipped(), u, 730);

  REQUIRE(b.lines.size() == 11);
  CHECK(b.lines[0].quantity == 1460);
  CHECK(b.lines[0].cost_usd == Approx(30.368).margin(1e-9));
  CHECK(b.lines[1].cost_usd == Approx(3.20).margin(1e-9));
  CHECK(b.lines[2].cost_usd == Approx(99.28).margin(1e-9));
  CHECK(b.lines[3].cost_usd == Approx(23.00).margin(1e-9));
  CHECK(b.lines[4].cost_usd == Approx(16.425).margin(1e-9));
  CHECK(b.lines[5].cost_usd == Approx(8.00).margin(1e-9));
  CHECK(b.lines[6].cost_usd == Approx(18.00).margin(1e-9));
  CHECK(b.lines[7].cost_usd == Approx(3.00).margin(1e-9));
  CHECK(b.lines[8].cost_usd == Approx(5.52).margin(1e-9));
  CHECK(b.lines[9].cost_usd == Approx(12.00).margin(1e-9));
  CHECK(b.lines[10].billable_quantity == 240);
  CHECK(b.lines[10].free_quantity == 2160);
  CHECK(b.lines[10].cost_usd == Approx(10.08).margin(1e-9));

  // Run: 30.368 + 3.20 + 99.28 + 23.00 + 16.425 + 8.00 + 18.00 + 3.00 = 201.273 -> $201.27.
  CHECK(to_cents(b.run_total_usd) == 20127);
  // 730 simulated hours are one month: the run-rate is the run total.
  CHECK(to_cents(b.monthly_run_rate_usd) == 20127);
  // Migration: 5.52 + 12.00 + 10.08 = 27.60.
  CHECK(to_cents(b.migration_total_usd) == 2760);
  // Per service: RDS 99.28 + 23.00 = 122.28; ELB 16.425 + 8.00 = 24.425.
  CHECK(to_cents(b.by_service_usd.at("RDS")) == 12228);
  CHECK(b.by_service_usd.at("ELB") == Approx(24.425).margin(1e-9));
  CHECK(to_cents(b.by_service_usd.at("EC2")) == 3037);
  CHECK(to_cents(b.migration_by_service_usd.at("MGN")) == 1008);
  CHECK(b.run_by_service_usd.count("MGN") == 0);
  CHECK(b.by_service_usd.size() == 9);  // EC2 EBS RDS ELB Data Transfer CloudFront DMS VPN MGN

  // Presentation rounds to cents (16.425 -> 16.43, half a cent away from zero).
  const json j = b.to_json();
  CHECK(j["lines"][4]["cost_usd"].get<double>() == 16.43);
  CHECK(j["run_total_usd"].get<double>() == 201.27);
  CHECK(j["migration_total_usd"].get<double>() == 27.6);
  CHECK(j["lines"][10]["phase"] == "migration");
}

TEST_CASE("cost: the MGN free period applies per source server", "[cost]")
{
  // 1 server x 3,000 h: 3,000 - 2,160 = 840 billable h x 0.042 = 35.28.
  Usage one;
  one.add(Phase::migration, "mgn.server-hour", 3000, "server-hour");
  const Bill b1 = compute(shipped(), one, 0);
  CHECK(b1.lines[0].billable_quantity == 840);
  CHECK(to_cents(b1.migration_total_usd) == 3528);

  // 3 servers x 1,000 h each: each within its 2,160 free hours -> 0.
  Usage three;
  three.add(Phase::migration, "mgn.server-hour", 1000, "server-hour", "", 3);
  const Bill b3 = compute(shipped(), three, 0);
  CHECK(b3.lines[0].quantity == 3000);
  CHECK(b3.lines[0].free_quantity == 3000);
  CHECK(b3.lines[0].billable_quantity == 0);
  CHECK(b3.migration_total_usd == 0);

  // Per server, not pooled: 3,000 h + 100 h is 840 billable (pooled over 2 x 2,160 it would be 0).
  MigrationQuantities q;
  q.mgn_server_hours = {3000, 100};
  const Bill b2 = migration_estimate(shipped(), q);
  REQUIRE(b2.lines.size() == 2);
  CHECK(b2.lines[0].billable_quantity + b2.lines[1].billable_quantity == 840);
  CHECK(to_cents(b2.migration_total_usd) == 3528);
}

TEST_CASE("cost: run costs scale from the simulated duration to a 730-hour month", "[cost]")
{
  // 24 simulated hours of 2 t3.small: 48 h x 0.0208 = 0.9984; x 730 / 24 = 30.368 a month.
  Usage u;
  u.add(Phase::run, "ec2.t3.small", 24, "instance-hour", "", 2);
  u.add(Phase::migration, "vpn.connection-hour", 24, "connection-hour");  // one-time: not scaled
  const Bill b = compute(shipped(), u, 24);
  CHECK(b.run_total_usd == Approx(0.9984).margin(1e-12));
  CHECK(b.monthly_run_rate_usd == Approx(0.9984 * 730.0 / 24.0).margin(1e-9));
  CHECK(to_cents(b.monthly_run_rate_usd) == 3037);
  CHECK(b.monthly_by_service_usd.at("EC2") == Approx(30.368).margin(1e-9));
  CHECK(b.monthly_by_service_usd.count("Site-to-Site VPN") == 0);
  CHECK(to_cents(b.migration_total_usd) == 120);  // 24 x 0.05

  // The as-is builder gives the same run-rate from 24 hours of use as from a month of it.
  AsIsQuantities day, month;
  day.shared.hours = 24;
  day.ec2.instance_hours = {{"t3.small", 48}};
  day.ec2.ebs_gb_each = 10;
  day.shared.s3_storage_gb = 50;
  month.ec2.instance_hours = {{"t3.small", 1460}};
  month.ec2.ebs_gb_each = 10;
  month.shared.s3_storage_gb = 50;
  CHECK(asis_monthly_estimate(shipped(), day).monthly_run_rate_usd ==
        Approx(asis_monthly_estimate(shipped(), month).monthly_run_rate_usd).margin(1e-9));

  // Run lines need a duration to scale from.
  CHECK_THROWS_AS(compute(shipped(), u, 0), std::invalid_argument);
}

TEST_CASE("cost: Multi-AZ RDS costs twice Single-AZ", "[cost]")
{
  for (const char* cls : {"db.t3.medium", "db.t3.large", "db.m5.large", "db.m5.xlarge", "db.r5.large", "db.r5.xlarge"}) {
    INFO(cls);
    CHECK(shipped().at(std::string("rds.mysql.multi-az.") + cls).usd ==
          Approx(2 * shipped().at(std::string("rds.mysql.single-az.") + cls).usd).margin(1e-12));
  }
  for (const char* type : {"gp2", "gp3"})
    CHECK(shipped().at(std::string("rds.storage.multi-az.") + type).usd ==
          Approx(2 * shipped().at(std::string("rds.storage.single-az.") + type).usd).margin(1e-12));

  // Through the builder: db.m5.large, 730 h, 500 GB gp3.
  // Single-AZ: 730 x 0.171 + 500 x 0.115 = 124.83 + 57.50 = 182.33; Multi-AZ: 249.66 + 115 = 364.66.
  AsIsQuantities q;
  q.shared.rds_instance_hours = 730;
  q.shared.rds_storage_gb = 500;
  q.shared.rds_multi_az = false;
  const Bill single = asis_monthly_estimate(shipped(), q);
  q.shared.rds_multi_az = true;
  const Bill multi = asis_monthly_estimate(shipped(), q);
  CHECK(to_cents(single.monthly_by_service_usd.at("RDS")) == 18233);
  CHECK(to_cents(multi.monthly_by_service_usd.at("RDS")) == 36466);
}

TEST_CASE("cost: the as-is monthly estimate matches the hand-computed bill", "[cost]")
{
  AsIsQuantities q;  // one month (730 h)
  q.ec2.instance_hours = {{"t3.small", 1460}};  // 1460 x 0.0208 = 30.368
  q.ec2.ebs_gb_each = 10;                       // 10 GB x 1460/730 = 20 GB-month x 0.08 = 1.60
  auto& s = q.shared;
  s.rds_instance_hours = 730;        // db.m5.large Multi-AZ: 730 x 0.342 = 249.66
  s.rds_storage_gb = 500;            // gp3 Multi-AZ: 500 x 0.23 = 115.00
  s.alb_hours = 730;                 // 730 x 0.0225 = 16.425
  s.alb_lcu_hours = 730;             // 730 x 0.008 = 5.84
  s.nat_gateway_hours = 730;         // 730 x 0.045 = 32.85
  s.nat_processed_gb = 100;          // 100 x 0.045 = 4.50
  s.cloudfront_gb = 500;             // 500 x 0.085 = 42.50
  s.cloudfront_https_requests = 1e7; // 1000 x 0.01 = 10.00
  s.s3_storage_gb = 50;              // 50 x 0.023 = 1.15
  s.s3_put_requests = 1e5;           // 100 x 0.005 = 0.50
  s.s3_get_requests = 1e6;           // 1000 x 0.0004 = 0.40
  s.internet_out_gb = 200;           // 200 x 0.09 = 18.00
  s.inter_az_gb = 100;               // 2 x 100 x 0.01 = 2.00
  s.route53_hosted_zones = 1;        // 0.50
  s.route53_queries = 1e7;           // 10 x 0.40 = 4.00
  s.cloudwatch_metrics = 20;         // 20 x 0.30 = 6.00
  s.cloudwatch_alarms = 10;          // 10 x 0.10 = 1.00
  s.waf_web_acls = 1;                // 5.00
  s.waf_rules = 5;                   // 5 x 1.00 = 5.00
  s.waf_requests = 1e7;              // 10 x 0.60 = 6.00
  const Bill b = asis_monthly_estimate(shipped(), q);
  CHECK(b.lines.size() == 22);
  CHECK(cost_of(b, "ebs.gp3") == Approx(1.60).margin(1e-9));
  CHECK(cost_of(b, "transfer.inter-az.gb") == Approx(2.00).margin(1e-9));
  CHECK(cost_of(b, "cloudfront.https-10k") == Approx(10.00).margin(1e-9));
  CHECK(cost_of(b, "s3.standard.get-1k") == Approx(0.40).margin(1e-9));
  // 30.368 + 1.60 + 249.66 + 115 + 16.425 + 5.84 + 32.85 + 4.50 + 42.50 + 10 + 1.15 + 0.50 + 0.40
  // + 18 + 2 + 0.50 + 4 + 6 + 1 + 5 + 5 + 6 = 558.293
  CHECK(to_cents(b.monthly_run_rate_usd) == 55829);
  CHECK(b.migration_total_usd == 0);
  CHECK(to_cents(b.monthly_by_service_usd.at("WAF")) == 1600);  // 5 + 5 + 6
}

TEST_CASE("cost: the EKS and migration estimates match the hand-computed bills", "[cost]")
{
  EksQuantities e;  // one month (730 h)
  e.cluster_hours = 730;                          // 730 x 0.10 = 73.00
  e.nodes.instance_hours = {{"m5.large", 2190}};  // 3 nodes: 2190 x 0.096 = 210.24
  e.nodes.ebs_gb_each = 20;                       // 20 x 2190/730 = 60 GB-month x 0.08 = 4.80
  e.shared.rds_instance_class = "db.r5.large";
  e.shared.rds_instance_hours = 730;              // Multi-AZ: 730 x 0.50 = 365.00
  e.shared.rds_replica_instance_hours = 730;      // replica, Single-AZ: 730 x 0.25 = 182.50
  e.shared.rds_storage_type = "gp2";
  e.shared.rds_storage_gb = 100;                  // Multi-AZ 100 x 0.23 = 23.00; replica 100 x 0.115 = 11.50
  const Bill b = eks_monthly_estimate(shipped(), e);
  CHECK(b.lines.size() == 7);
  // 73 + 210.24 + 4.80 + 365 + 182.50 + 23 + 11.50 = 870.04
  CHECK(to_cents(b.monthly_run_rate_usd) == 87004);
  CHECK(to_cents(b.monthly_by_service_usd.at("EKS")) == 7300);

  MigrationQuantities m;
  m.hours = 72;
  m.dms_dcu_hours = 144;                          // 2 DCU x 72 h: 144 x 0.115 = 16.56
  m.mgn_server_hours = {3000, 100};               // 840 billable x 0.042 = 35.28
  m.replication_server_instance_hours = 144;      // 2 x t3.small x 72 h: 144 x 0.0208 = 2.9952
  m.staging_ebs_gb_months = gb_months(730, 72);   // 730 GB for 72 h = 72 GB-month x 0.08 = 5.76
  m.vpn_connection_hours = 72;                    // 72 x 0.05 = 3.60
  m.internet_out_gb = 10;                         // 10 x 0.09 = 0.90
  const Bill mb = migration_estimate(shipped(), m);
  CHECK(mb.lines.size() == 7);
  // 16.56 + 35.28 + 2.9952 + 5.76 + 3.60 + 0.90 = 65.0952 -> $65.10
  CHECK(mb.migration_total_usd == Approx(65.0952).margin(1e-9));
  CHECK(to_cents(mb.migration_total_usd) == 6510);
  CHECK(mb.run_total_usd == 0);
  CHECK(mb.monthly_run_rate_usd == 0);
}

TEST_CASE("cost: a malformed price file is an InputError at the right JSON pointer", "[cost]")
{
  auto doc = minimal_doc();
  doc["items"]["ec2.t3.micro"]["price"] = 1;
  CHECK(load_error(doc, "unknown-key").path() == "/items/ec2.t3.micro/price");

  doc = minimal_doc();
  doc["regoin"] = "us-east-1";
  CHECK(load_error(doc, "unknown-top-key").path() == "/regoin");

  doc = minimal_doc();
  doc["items"]["ec2.t3.micro"]["usd"] = -0.01;
  const auto negative = load_error(doc, "negative");
  CHECK(negative.path() == "/items/ec2.t3.micro/usd");
  CHECK(std::string(negative.what()).rfind("/items/ec2.t3.micro/usd: must be >= 0, got -0.01", 0) == 0);

  doc = minimal_doc();
  doc["items"]["ec2.t3.micro"]["usd"] = "0.0104";
  CHECK(load_error(doc, "wrong-type").path() == "/items/ec2.t3.micro/usd");

  doc = minimal_doc();
  doc.erase("region");
  const auto missing = load_error(doc, "missing-region");
  CHECK(missing.path() == "/region");
  CHECK(std::string(missing.what()).find("required string is missing") != std::string::npos);

  doc = minimal_doc();
  doc["as_of"] = "June 2024";
  CHECK(load_error(doc, "bad-date").path() == "/as_of");

  doc = minimal_doc();
  doc["items"]["ec2.t3.micro"]["service"] = "Lambda";  // no pricing page for it
  CHECK(load_error(doc, "no-page").path() == "/items/ec2.t3.micro/service");

  // The minimal document itself is valid.
  const auto t = parse_price_table(minimal_doc(), "minimal");
  CHECK(t.at("ec2.t3.micro").usd == 0.0104);
}

TEST_CASE("cost: an unknown usage item is an error naming it", "[cost]")
{
  Usage u;
  u.add(Phase::run, "ec2.x1e.32xlarge", 1, "instance-hour");
  try {
    compute(shipped(), u, 1);
    FAIL("no error");
  } catch (const UnknownItemError& e) {
    CHECK(e.item() == "ec2.x1e.32xlarge");
    CHECK(std::string(e.what()).find("\"ec2.x1e.32xlarge\"") != std::string::npos);
  }

  // Through a builder: an instance type the table does not price.
  AsIsQuantities q;
  q.ec2.instance_hours = {{"t4g.small", 730}};
  CHECK_THROWS_WITH(asis_monthly_estimate(shipped(), q), Catch::Contains("\"ec2.t4g.small\""));

  // A unit that disagrees with the table is refused too (quantities would be off by its factor).
  Usage per_request;
  per_request.add(Phase::run, "cloudfront.https-10k", 3e6, "request");
  CHECK_THROWS_WITH(compute(shipped(), per_request, 730), Catch::Contains("10,000 requests"));
}

TEST_CASE("cost: the migration billed over its calendar, by hand", "[cost][estimates]")
{
  MigrationCalendar c;
  c.replication_days_before_cutover = 21;
  c.test_launches = 2;
  c.test_launch_hours = 8;
  c.test_instance_type = "t3.medium";
  c.days_after_cutover_before_finalize = 7;
  MeasuredMigration m;
  m.dms_dcu_hours = 40;  // the window: 18 h of DMS
  m.dms_hours = 18;
  m.dms_cdc_mean_dcu = 2;
  m.mgn_servers = 2;
  m.mgn_disk_gb = 10;
  const auto q = calendar_quantities(c, m);
  // 21 + 7 days = 672 h from the first replication day to finalize.
  CHECK(q.hours == Approx(672));
  // DMS: the window's 40 DCU-hours, then 2 DCU for the other 504 - 18 = 486 h before the cutover.
  CHECK(q.dms_dcu_hours == Approx(40 + 2 * 486));
  CHECK(q.mgn_server_hours == std::vector<double>{672, 672});
  CHECK(q.replication_server_instance_hours == Approx(672));
  CHECK(q.vpn_connection_hours == Approx(672));
  CHECK(q.staging_ebs_gb_months == Approx(10 * 672 / 730.0));
  // Two launches of 8 h, one t3.medium per server, with the servers' 10 GB of disks.
  CHECK(q.test_instance_hours == Approx(2 * 16));
  CHECK(q.test_ebs_gb_months == Approx(10 * 16 / 730.0));
  const Bill b = migration_estimate(shipped(), q);
  // 1,012 DCU-h x $0.115 + MGN free (672 h < 2,160 h each) + 672 h x $0.0208 (t3.small) + 9.2055
  // GB-month x $0.08 + 672 h x $0.05 (VPN) + 32 h x $0.0416 (t3.medium) + 0.2192 GB-month x $0.08
  // = 116.38 + 0 + 13.9776 + 0.7364 + 33.60 + 1.3312 + 0.0175 = 166.0427
  CHECK(cost_of(b, "dms.serverless.dcu-hour") == Approx(1012 * 0.115));
  CHECK(cost_of(b, "mgn.server-hour") == 0.0);
  CHECK(cost_of(b, "ec2.t3.medium") == Approx(32 * 0.0416));
  CHECK(to_cents(b.migration_total_usd) == 16604);
  // Without a calendar (0 days), the same arithmetic bills nothing beyond the window's DMS.
  const auto none = calendar_quantities(MigrationCalendar{.test_launches = 0}, m);
  CHECK(none.hours == 0.0);
  CHECK(none.dms_dcu_hours == Approx(40));
}

TEST_CASE("cost: the design's post-migration and post-modernisation months, itemised, by hand", "[cost][estimates]")
{
  DesignChoices d;  // the defaults: the design's services
  MonthlyTraffic t;
  t.requests = 10e6;
  t.response_gb = 500;
  t.request_gb = 10;
  t.static_share = 0.4;
  const Bill asis = asis_monthly_estimate(shipped(), post_migration_quantities(d, t));
  const Bill eks = eks_monthly_estimate(shipped(), post_modernisation_quantities(d, t));
  auto quantity = [](const Bill& b, const std::string& item) {
    double q = -1;
    for (const auto& l : b.lines)
      if (l.item == item)
        q = l.quantity;
    return q;
  };
  // Every service of the design is on its bill.
  for (const char* service : {"EC2", "EBS", "RDS", "ELB", "VPC", "CloudFront", "WAF", "S3", "Route 53", "CloudWatch",
                              "SNS", "CloudTrail", "KMS", "Secrets Manager"}) {
    INFO(service);
    CHECK(asis.by_service_usd.count(service) == 1);
    CHECK(eks.by_service_usd.count(service) == 1);
  }
  for (const char* service : {"EKS", "EFS", "ECR", "Managed Prometheus", "Managed Grafana"}) {
    INFO(service);
    CHECK(eks.by_service_usd.count(service) == 1);
    CHECK(asis.by_service_usd.count(service) == 0);
  }
  // Data out: every viewer byte through CloudFront, none billed again as internet egress.
  CHECK(quantity(asis, "cloudfront.gb-out") == Approx(500));
  CHECK(quantity(asis, "transfer.internet-out.gb") == -1);
  CHECK(quantity(eks, "transfer.internet-out.gb") == -1);
  CHECK(quantity(asis, "cloudfront.https-10k") == Approx(1000));  // 10 M requests / 10,000
  CHECK(quantity(asis, "waf.million-requests") == Approx(10));
  CHECK(quantity(asis, "s3.standard.get-1k") == Approx(4000));   // the static 40 %, per 1,000
  // ALB: the dynamic 60 % of 510 GB is 306 GB, 0.419 GB an hour: bytes are the highest LCU
  // dimension (1 GB/h per LCU), so the month is 306 LCU-hours.
  CHECK(quantity(asis, "alb.lcu-hour") == Approx(306).epsilon(1e-6));
  // As-is: 2 x t3.large for 730 h with 30 GB each; RDS db.m5.large Multi-AZ, 600 GB.
  CHECK(quantity(asis, "ec2.t3.large") == Approx(1460));
  CHECK(cost_of(asis, "ebs.gp3") == Approx(60 * 0.08));
  CHECK(cost_of(asis, "rds.storage.multi-az.gp3") == Approx(600 * 0.23));
  // One trail: the management events line is there at $0 (the first copy is free).
  CHECK(quantity(asis, "cloudtrail.management-events-100k") == 0.0);
  CHECK(cost_of(asis, "kms.key-month") == Approx(2 * 1.00));
  CHECK(cost_of(asis, "secretsmanager.secret-month") == Approx(2 * 0.40));
  // EKS: Prometheus samples = 20,000 series x (730 h x 3600 s / 30 s) = 1.752e9; / 1e7 x $0.90.
  CHECK(quantity(eks, "amp.samples-10m") == Approx(175.2));
  CHECK(cost_of(eks, "amp.samples-10m") == Approx(175.2 * 0.90));
  CHECK(cost_of(eks, "amg.editor-month") == Approx(2 * 9.00));
  CHECK(cost_of(eks, "amg.viewer-month") == Approx(5 * 5.00));
  CHECK(cost_of(eks, "ecr.gb-month") == Approx(5 * 0.10));
  CHECK(quantity(eks, "rds.mysql.single-az.db.m5.large") == Approx(730));  // the read replica
  // The month is the bill: 730 h of run lines, nothing one-time.
  CHECK(asis.migration_total_usd == 0.0);
  CHECK(asis.monthly_run_rate_usd == Approx(asis.run_total_usd));
}
