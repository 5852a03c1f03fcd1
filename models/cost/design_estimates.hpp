// design_estimates: the customer's design priced as its three estimates. The migration is billed
// over the migration's calendar (replication days before the cutover, test launches, days after it
// before finalizing), not over the simulated window, which is only a sample of those weeks: what
// the window measured (DCU-hours, mean CDC capacity, servers and disks) is extended to the
// calendar. Post-migration (EC2 + RDS Multi-AZ behind CloudFront, WAF and an ALB) and
// post-modernisation (EKS + RDS with a read replica, EFS, ECR, Managed Prometheus and Grafana) are
// monthly bills with every service the design names, from the traffic the run measured scaled to a
// month. Every viewer byte leaves through CloudFront (origin fetches are free), so none is billed
// again as internet egress. On-prem costs are priced in no estimate. Plain arithmetic, no SimGrid.
#pragma once

#include "models/cost/cost_model.hpp"

#include <string>

namespace migsim::models::cost {

// The weeks of a migration, around the one night the simulation plays in detail.
struct MigrationCalendar {
  double replication_days_before_cutover = 0;  // DMS and MGN replicate this long before the cutover
  int test_launches = 1;                       // MGN test launches before the cutover
  double test_launch_hours = 8;                // each test instance runs this long before it is terminated
  std::string test_instance_type = "t3.medium";
  double days_after_cutover_before_finalize = 0;  // MGN keeps the source servers (and the VPN stays) until finalize
};

// What the simulated window measured of the migration.
struct MeasuredMigration {
  double dms_dcu_hours = 0;        // DCU x hours, from DMS's start to its stop (or the window's end)
  double dms_hours = 0;            // hours DMS ran in the window (provisioned capacity)
  double dms_cdc_mean_dcu = 0;     // mean DCU while replicating changes (after the full load)
  int mgn_servers = 0;
  double mgn_disk_gb = 0;          // all replicated disks together
  std::string replication_server_type = "t3.small";
  std::string staging_ebs_type = "gp3";
};

// The migration's one-time quantities over the calendar. DMS: what the window measured plus the
// mean CDC capacity for the rest of the days before the cutover; MGN, its replication server,
// staging volumes and the VPN: from the first replication day to finalize; test launches: one
// instance per server per launch, with its disks.
MigrationQuantities calendar_quantities(const MigrationCalendar& calendar, const MeasuredMigration& measured);

// A month of the shop's traffic, as measured (scaled from the window to 730 hours).
struct MonthlyTraffic {
  double requests = 0;
  double response_gb = 0;        // viewer bytes
  double request_gb = 0;         // bytes sent by viewers
  double static_share = 0;       // share of requests CloudFront answers from S3 (static assets)
};

// What the design deploys, beyond the traffic (each a scenario key, defaults from the design).
struct DesignChoices {
  // Both targets
  std::string rds_instance_class = "db.m5.large";
  double rds_storage_gb = 600;
  double nat_gateways = 1;
  double nat_processed_gb = 50;        // a month: updates, image pulls, calls out
  double waf_rules = 5;
  double s3_static_gb = 5;
  double cloudwatch_metrics = 20;
  double cloudwatch_alarms = 10;
  double sns_requests = 10000;          // a month
  double sns_email_notifications = 1000;
  double cloudtrail_trails = 1;
  double cloudtrail_management_events = 200000;  // a month
  double kms_keys = 2;
  double kms_requests = 100000;         // a month
  double secrets = 2;
  double secrets_api_calls = 50000;     // a month
  double route53_hosted_zones = 1;
  double requests_per_connection = 10;  // ALB new connections = requests / this
  // Post-migration (as-is)
  std::string app_instance_type = "t3.large";
  double app_instances = 2;
  double app_ebs_gb_each = 30;
  // Post-modernisation (EKS)
  std::string node_instance_type = "m5.large";
  double nodes = 3;
  double node_ebs_gb_each = 50;
  double rds_read_replicas = 1;
  double efs_gb = 20;
  double ecr_gb = 5;
  double amp_active_series = 20000;
  double amp_scrape_s = 30;
  double amp_storage_gb = 10;
  double amp_query_samples = 5e9;       // a month
  double amg_editors = 2;
  double amg_viewers = 5;
};

// The post-migration month: the MGN-launched app servers on EC2, RDS Multi-AZ, ALB, CloudFront +
// WAF + S3, NAT, Route 53, CloudWatch, SNS, CloudTrail, KMS, Secrets Manager.
AsIsQuantities post_migration_quantities(const DesignChoices& d, const MonthlyTraffic& t);
// The post-modernisation month: EKS control plane and nodes, RDS Multi-AZ with read replicas, EFS,
// ECR, Managed Prometheus and Grafana, and the same edge and platform services.
EksQuantities post_modernisation_quantities(const DesignChoices& d, const MonthlyTraffic& t);

// What every estimate says of on-prem costs (servers, power, the uplink): priced in none of them.
inline constexpr const char* kOnPremNotPriced =
    "on-prem costs (servers, power, licences, the uplink) are priced in no estimate; the estimates compare AWS spend only";

}  // namespace migsim::models::cost
