// cost: what the migration and the target estates cost at AWS public on-demand list prices. A price
// table (a data file, models/cost/prices-us-east-1.json, read strictly) prices a Usage (line items:
// price item, quantity, phase) into an itemised Bill: the one-time migration total and the recurring
// costs, scaled from the simulated duration to a 730-hour month. Three estimate builders turn what
// a simulation used (instance-hours, GB, requests) into a Usage and a Bill: the migration, the as-is
// target (EC2 + RDS Multi-AZ + ALB + CloudFront ...) and the EKS target.
//
// The price table is not compiled in: every entry point takes the file's path (the caller knows it;
// tests use price_table_path(MIGSIM_SOURCE_DIR)). See models/cost/README.md.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace migsim::models::cost {

// AWS prices a month as 730 hours (365 x 24 / 12); the monthly run-rate uses the same.
inline constexpr double kHoursPerMonth = 730.0;
// The shipped price table, relative to the source tree.
inline constexpr const char* kPriceTableRelativePath = "models/cost/prices-us-east-1.json";

// One priced item of the table, e.g. "ec2.t3.small": EC2, 0.0208 USD per instance-hour.
struct PriceItem {
  std::string key;
  std::string service;
  std::string unit;
  double usd = 0.0;                 // per unit
  double free_quantity_each = 0.0;  // free per counted unit of a usage line (MGN: 2,160 h per server)
  std::string description;
  std::string note;                 // why a figure is uncertain, or what it leaves out
};

// A usage line names an item the price table does not have.
class UnknownItemError : public std::invalid_argument {
public:
  UnknownItemError(std::string item, const std::string& message) : std::invalid_argument(message), item_(std::move(item))
  {}
  const std::string& item() const { return item_; }

private:
  std::string item_;
};

// The price table of one region, as read from its data file.
struct PriceTable {
  std::string file;  // where it was read from (for messages)
  std::string region;
  std::string as_of;  // YYYY-MM-DD the figures are believed valid on
  std::string currency;
  std::string source;
  std::map<std::string, std::string> pages;  // service -> public pricing page
  std::map<std::string, PriceItem> items;    // by key

  // The item of that key; throws UnknownItemError naming it.
  const PriceItem& at(const std::string& key) const;
};

// Reads a price table strictly; a bad file is a sim::InputError at the JSON pointer of the fault
// (unknown key, wrong type, negative price, missing field), its message naming the file.
PriceTable load_price_table(const std::string& path);
// The same from a parsed document; `origin` names it in messages.
PriceTable parse_price_table(const nlohmann::json& doc, const std::string& origin);
// The shipped table, compiled into the binary.
const PriceTable& default_price_table();
// The shipped table under a source tree: source_dir + "/" + kPriceTableRelativePath.
std::string price_table_path(const std::string& source_dir);

// One-time (migration) or recurring (run) spending.
enum class Phase { migration, run };
const char* to_string(Phase phase);

// One thing used: `count` units (servers, instances) each using `quantity` of the item's unit.
// Run-phase quantities are what was used during the simulated duration (GB-months prorated by the
// hour, as AWS bills them). Empty service/unit take the item's; non-empty ones must match it.
struct UsageLine {
  std::string service;
  std::string item;
  double quantity = 0.0;
  std::string unit;
  Phase phase = Phase::run;
  std::string note;
  double count = 1.0;
};

// A list of usage line items, in the order they are to appear on the bill.
struct Usage {
  std::vector<UsageLine> lines;

  // Appends a line (service taken from the price table) and returns it.
  UsageLine& add(Phase phase, std::string item, double quantity, std::string unit, std::string note = {},
                 double count = 1.0);
  void append(const Usage& other);
};

// One priced line: billable = count x max(0, quantity each - free each); cost = billable x unit price.
struct BillLine {
  std::string service;
  std::string item;
  Phase phase = Phase::run;
  double count = 1.0;
  double quantity = 0.0;           // total used (count x quantity each)
  double free_quantity = 0.0;      // total deducted by the item's free allowance
  double billable_quantity = 0.0;
  std::string unit;
  double unit_usd = 0.0;
  double cost_usd = 0.0;
  std::string note;
};

// An itemised bill. Amounts are unrounded USD; to_json() rounds to cents for presentation.
struct Bill {
  std::string region;
  std::string as_of;
  std::string currency;
  double simulated_hours = 0.0;  // the duration the run-phase lines were used for
  std::vector<BillLine> lines;
  std::map<std::string, double> by_service_usd;            // both phases, as used
  std::map<std::string, double> migration_by_service_usd;  // one-time
  std::map<std::string, double> run_by_service_usd;        // over simulated_hours
  std::map<std::string, double> monthly_by_service_usd;    // run, scaled to 730 h
  double migration_total_usd = 0.0;                        // one-time
  double run_total_usd = 0.0;                              // over simulated_hours
  double monthly_run_rate_usd = 0.0;                       // run_total x 730 / simulated_hours

  nlohmann::json to_json() const;
};

// Prices a usage; simulated_hours (> 0 when there are run lines) scales run costs to a month.
// Throws UnknownItemError for an unknown item, std::invalid_argument for a malformed line.
Bill compute(const PriceTable& prices, const Usage& usage, double simulated_hours);

// USD as whole cents, half a cent rounding away from zero (presentation and tests).
long long to_cents(double usd);
// GB held for some hours, in GB-months (730 h each): what AWS bills for storage.
double gb_months(double gb, double hours);

// --- Estimate builders -------------------------------------------------------------------------

// What the migration used (one-time): DMS, MGN and its replication infrastructure, VPN, transfer.
struct MigrationQuantities {
  double dms_dcu_hours = 0.0;                    // DMS Serverless capacity x time
  std::vector<double> mgn_server_hours;          // one entry per source server, hours under MGN
  std::string replication_server_type = "t3.small";
  double replication_server_instance_hours = 0.0;
  std::string staging_ebs_type = "gp3";
  double staging_ebs_gb_months = 0.0;            // see gb_months()
  double vpn_connection_hours = 0.0;
  double internet_out_gb = 0.0;                  // out of AWS (inbound to AWS is free)
  double inter_az_gb = 0.0;                      // GB crossing AZs (billed in both directions)
  std::string test_instance_type = "t3.medium";  // MGN test launches: the instances launched
  double test_instance_hours = 0.0;              // all test instances together
  std::string test_ebs_type = "gp3";
  double test_ebs_gb_months = 0.0;               // their volumes (the replicated disks)
  double hours = 0.0;                            // how long the migration ran (shown on the bill)
};

// Instances of several types with an EBS root/data volume each (EC2 fleet, EKS nodes).
struct InstanceFleet {
  std::map<std::string, double> instance_hours;  // by EC2 type ("t3.small" -> 1460)
  std::string ebs_type = "gp3";
  double ebs_gb_each = 0.0;                      // per instance, held while it runs
  double ebs_extra_iops_each = 0.0;              // gp3 IOPS above 3,000
  double ebs_extra_mbps_each = 0.0;              // gp3 MB/s above 125
};

// What both targets pay for over `hours` of operation. Amounts held (GB, zones, metrics, rules)
// are prorated over `hours`; hour and request figures are totals over `hours`.
struct SharedQuantities {
  double hours = kHoursPerMonth;
  std::string rds_instance_class = "db.m5.large";
  bool rds_multi_az = true;
  double rds_instance_hours = 0.0;               // the primary (a Multi-AZ pair counts once)
  double rds_replica_instance_hours = 0.0;       // read replicas, Single-AZ each
  std::string rds_storage_type = "gp3";
  double rds_storage_gb = 0.0;                   // allocated (replicas hold as much again)
  double alb_hours = 0.0;
  double alb_lcu_hours = 0.0;
  double nat_gateway_hours = 0.0;
  double nat_processed_gb = 0.0;
  double cloudfront_gb = 0.0;
  double cloudfront_https_requests = 0.0;
  double s3_storage_gb = 0.0;
  double s3_put_requests = 0.0;
  double s3_get_requests = 0.0;
  double internet_out_gb = 0.0;                  // from the region (not via CloudFront)
  double inter_az_gb = 0.0;                      // GB crossing AZs (billed in both directions)
  double route53_hosted_zones = 0.0;
  double route53_queries = 0.0;
  double cloudwatch_metrics = 0.0;
  double cloudwatch_alarms = 0.0;
  double waf_web_acls = 0.0;
  double waf_rules = 0.0;
  double waf_requests = 0.0;
  // The platform services of the design (zero: not used). Amounts held (keys, secrets, GB, users)
  // are prorated over `hours`; requests, events and samples are totals over it.
  double sns_requests = 0.0;                     // publishes (alarms, deploy and cutover notices)
  double sns_email_notifications = 0.0;
  double cloudtrail_trails = 0.0;                // trails of management events (the first copy is free)
  double cloudtrail_management_events = 0.0;     // events each trail delivers
  double cloudtrail_data_events = 0.0;
  double kms_keys = 0.0;                         // customer managed keys
  double kms_requests = 0.0;
  double secrets = 0.0;                          // Secrets Manager secrets
  double secrets_api_calls = 0.0;
  double ecr_storage_gb = 0.0;
  double amp_samples = 0.0;                      // Managed Prometheus samples ingested
  double amp_storage_gb = 0.0;
  double amp_query_samples = 0.0;
  double amg_editors = 0.0;                      // Managed Grafana users
  double amg_viewers = 0.0;
};

// The as-is target: EC2 (Auto Scaling group) behind an ALB, plus the shared pieces.
struct AsIsQuantities {
  InstanceFleet ec2;
  SharedQuantities shared;
};

// The modernised target: EKS control plane and managed node groups, plus the shared pieces.
struct EksQuantities {
  double cluster_hours = 0.0;
  InstanceFleet nodes;
  SharedQuantities shared;
  double efs_storage_gb = 0.0;                   // EFS Standard, held over shared.hours (prorated)
  double efs_read_gb = 0.0;                      // Elastic throughput: data read, total
  double efs_write_gb = 0.0;                     // Elastic throughput: data written, total
};

// Usage of the migration (all lines one-time); MGN lines one per source server.
Usage migration_usage(const MigrationQuantities& q);
// Usage of the as-is target over q.shared.hours (all lines recurring).
Usage asis_usage(const AsIsQuantities& q);
// Usage of the EKS target over q.shared.hours (all lines recurring).
Usage eks_usage(const EksQuantities& q);

// The migration's one-time bill.
Bill migration_estimate(const PriceTable& prices, const MigrationQuantities& q);
// The as-is target's bill; monthly_run_rate_usd is its monthly cost.
Bill asis_monthly_estimate(const PriceTable& prices, const AsIsQuantities& q);
// The EKS target's bill; monthly_run_rate_usd is its monthly cost.
Bill eks_monthly_estimate(const PriceTable& prices, const EksQuantities& q);

}  // namespace migsim::models::cost
