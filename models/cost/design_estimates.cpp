#include "models/cost/design_estimates.hpp"

#include "models/cost/alb_lcu.hpp"

#include <algorithm>

namespace migsim::models::cost {

MigrationQuantities calendar_quantities(const MigrationCalendar& c, const MeasuredMigration& m)
{
  MigrationQuantities q;
  const double before_h = c.replication_days_before_cutover * 24.0;
  const double span_h = before_h + c.days_after_cutover_before_finalize * 24.0;
  q.hours = span_h;
  // DMS runs from the first day to the cutover: the window's DCU-hours, then its CDC capacity.
  q.dms_dcu_hours = m.dms_dcu_hours + m.dms_cdc_mean_dcu * std::max(0.0, before_h - m.dms_hours);
  q.mgn_server_hours.assign(static_cast<size_t>(std::max(0, m.mgn_servers)), span_h);
  q.replication_server_type = m.replication_server_type;
  q.replication_server_instance_hours = m.mgn_servers > 0 ? span_h : 0.0;
  q.staging_ebs_type = m.staging_ebs_type;
  q.staging_ebs_gb_months = gb_months(m.mgn_disk_gb, span_h);
  q.vpn_connection_hours = span_h;
  const double test_h = c.test_launches * c.test_launch_hours;
  q.test_instance_type = c.test_instance_type;
  q.test_instance_hours = m.mgn_servers * test_h;
  q.test_ebs_gb_months = gb_months(m.mgn_disk_gb, test_h);
  return q;
}

namespace {

// What both targets share: RDS, the edge (CloudFront + WAF + S3), ALB, NAT, Route 53, CloudWatch
// and the platform services, for one month of traffic.
SharedQuantities shared_month(const DesignChoices& d, const MonthlyTraffic& t)
{
  SharedQuantities s;
  s.hours = kHoursPerMonth;
  s.rds_instance_class = d.rds_instance_class;
  s.rds_multi_az = true;
  s.rds_instance_hours = kHoursPerMonth;
  s.rds_storage_gb = d.rds_storage_gb;
  // Every viewer request and byte goes through CloudFront (and WAF): no internet egress from the
  // region is billed, since CloudFront's origin fetches are free.
  s.cloudfront_gb = t.response_gb;
  s.cloudfront_https_requests = t.requests;
  s.internet_out_gb = 0;
  s.waf_web_acls = 1;
  s.waf_rules = d.waf_rules;
  s.waf_requests = t.requests;
  s.s3_storage_gb = d.s3_static_gb;
  s.s3_get_requests = t.requests * t.static_share;
  // The ALB sees the dynamic requests, an average hour of them.
  const double alb_requests_h = t.requests * (1 - t.static_share) / kHoursPerMonth;
  const double alb_bytes_h = (t.response_gb + t.request_gb) * (1 - t.static_share) * 1e9 / kHoursPerMonth;
  s.alb_hours = kHoursPerMonth;
  s.alb_lcu_hours = kHoursPerMonth * alb_lcu_hours({{3600, alb_requests_h, alb_requests_h / d.requests_per_connection,
                                                     0, alb_bytes_h, 0}});
  s.nat_gateway_hours = d.nat_gateways * kHoursPerMonth;
  s.nat_processed_gb = d.nat_processed_gb;
  s.route53_hosted_zones = d.route53_hosted_zones;
  s.route53_queries = t.requests / d.requests_per_connection;
  s.cloudwatch_metrics = d.cloudwatch_metrics;
  s.cloudwatch_alarms = d.cloudwatch_alarms;
  s.sns_requests = d.sns_requests;
  s.sns_email_notifications = d.sns_email_notifications;
  s.cloudtrail_trails = d.cloudtrail_trails;
  s.cloudtrail_management_events = d.cloudtrail_management_events;
  s.kms_keys = d.kms_keys;
  s.kms_requests = d.kms_requests;
  s.secrets = d.secrets;
  s.secrets_api_calls = d.secrets_api_calls;
  return s;
}

}  // namespace

AsIsQuantities post_migration_quantities(const DesignChoices& d, const MonthlyTraffic& t)
{
  AsIsQuantities q;
  q.ec2.instance_hours[d.app_instance_type] = d.app_instances * kHoursPerMonth;
  q.ec2.ebs_gb_each = d.app_ebs_gb_each;
  q.shared = shared_month(d, t);
  return q;
}

EksQuantities post_modernisation_quantities(const DesignChoices& d, const MonthlyTraffic& t)
{
  EksQuantities q;
  q.cluster_hours = kHoursPerMonth;
  q.nodes.instance_hours[d.node_instance_type] = d.nodes * kHoursPerMonth;
  q.nodes.ebs_gb_each = d.node_ebs_gb_each;
  q.shared = shared_month(d, t);
  q.shared.rds_replica_instance_hours = d.rds_read_replicas * kHoursPerMonth;
  q.shared.ecr_storage_gb = d.ecr_gb;
  q.shared.amp_samples = d.amp_active_series * (kHoursPerMonth * 3600 / d.amp_scrape_s);
  q.shared.amp_storage_gb = d.amp_storage_gb;
  q.shared.amp_query_samples = d.amp_query_samples;
  q.shared.amg_editors = d.amg_editors;
  q.shared.amg_viewers = d.amg_viewers;
  q.efs_storage_gb = d.efs_gb;
  return q;
}

}  // namespace migsim::models::cost
