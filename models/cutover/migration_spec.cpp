#include "models/cutover/migration_spec.hpp"

#include "models/mgn/mgn_settings.hpp"
#include "sim/json_reader.hpp"

#include <algorithm>

namespace migsim::models {

namespace {

void require_server(const sim::Scenario& sc, sim::ObjectReader& r, const std::string& key, const std::string& name)
{
  if (!sc.server(name))
    throw sim::InputError(r.path_of(key), "unknown server \"" + name + "\" (not in /platform/servers)");
}

// Why a server cannot be the target of an MGN replication, or "" when it can. MGN launches EC2
// instances from the replicated disks: the target must be a server in AWS that stands for an EC2
// instance, not the RDS instance DMS replicates into, not the replication server, and not an
// on-prem server (a server in the zone of one of MGN's source servers).
std::string why_not_ec2(const sim::Scenario& sc, const MigrationSpec& m, const std::string& target,
                        const std::vector<std::string>& sources)
{
  if (target == m.db_target_server)
    return "\"" + target + "\" is the RDS instance /migration/database/target_server (DMS replicates the database); "
           "MGN launches EC2 instances, so its target must be an EC2 server";
  if (sc.rds.is_object() && sc.rds.value("server", std::string()) == target)
    return "\"" + target + "\" is the RDS instance of /rds/server; MGN launches EC2 instances, so its target must be "
           "an EC2 server";
  if (target == m.mgn_replication_server)
    return "\"" + target + "\" is MGN's replication server (/migration/mgn/replication_server), not a launched instance";
  const std::string& zone = sc.server(target)->zone;
  for (const auto& src : sources)
    if (sc.server(src)->zone == zone)
      return "\"" + target + "\" is in zone \"" + zone + "\" with the source servers (on-prem); MGN launches EC2 "
             "instances in AWS";
  return "";
}

}  // namespace

MigrationSpec parse_migration(const sim::Scenario& sc)
{
  MigrationSpec m;
  sim::ObjectReader r(sc.migration, "/migration");
  m.vpn_link = r.string("vpn_link", {.help = "The Site-to-Site VPN (a name from /platform/links) that DMS and MGN "
                                             "traffic crosses; link_down / link_up events on it are outages."});
  if (std::none_of(sc.platform.links.begin(), sc.platform.links.end(), [&](auto& l) { return l.name == m.vpn_link; }))
    throw sim::InputError(r.path_of("vpn_link"), "unknown link \"" + m.vpn_link + "\" (not in /platform/links)");
  m.vpn_wire_overhead = r.number("vpn_wire_overhead",
                                 {.def = 1.06, .min = 1, .max = 2, .unit = "x",
                                  .help = "Bytes on the wire per payload byte over the VPN (IPsec ESP + outer IP + "
                                          "TCP headers on a 1500-byte MTU: about 6 %)."});

  auto db = r.object("database", true, "Database replication with DMS serverless.");
  m.db_source_server = db->string("source_server", {.help = "On-prem MySQL server (a server name)."});
  require_server(sc, *db, "source_server", m.db_source_server);
  m.db_target_server = db->string("target_server", {.help = "RDS MySQL server in AWS (a server name)."});
  require_server(sc, *db, "target_server", m.db_target_server);
  const auto* tables = db->array("tables", true, "Tables of the source database (sizes add up to the database).");
  double share = 0;
  sim::for_each_object(*tables, db->path_of("tables"), [&](sim::ObjectReader& t, size_t) {
    mysql::TableSpec s;
    s.name = t.string("name", {.help = "Table name."});
    s.rows = static_cast<uint64_t>(t.integer("rows", {.min = 0, .max = (1LL << 40), .unit = "rows",
                                                      .help = "Rows at the start (primary keys 1..rows)."}));
    s.row_bytes = t.number("row_bytes", {.def = 200, .min = 1, .max = 1e8, .unit = "B", .help = "Average row size."});
    s.write_share = t.number("write_share", {.def = 0, .min = 0, .max = 1, .unit = "share",
                                             .help = "Share of the workload's written rows landing in this table."});
    s.update_fraction = t.number("update_fraction", {.def = 0, .min = 0, .max = 1, .unit = "share",
                                                     .help = "Of those, the share updating an existing row (the rest "
                                                             "insert new rows)."});
    s.hot_rows = static_cast<uint64_t>(t.integer("hot_rows", {.def = 0, .min = 0, .max = (1LL << 40), .unit = "rows",
                                                              .help = "Updates pick keys among the first hot_rows "
                                                                      "(0 = all)."}));
    share += s.write_share;
    m.tables.push_back(s);
  });
  if (m.tables.empty())
    throw sim::InputError(db->path_of("tables"), "must list at least one table");
  if (share > 0 && std::abs(share - 1.0) > 1e-6)
    throw sim::InputError(db->path_of("tables"), "write_share values must add up to 1, got " + sim::format_number(share));
  db->finish();

  auto dms = r.object("dms", true, "DMS serverless replication settings.");
  m.dms_start_s = dms->number("start_at_s", {.def = 0, .min = 0, .unit = "s", .help = "When StartReplication is called."});
  m.dms_min_dcu = static_cast<int>(dms->integer("min_dcu", {.def = 1, .min = 1, .max = 384, .unit = "DCU",
                                                            .help = "MinCapacityUnits (1, 2, 4, 8, 16, 32, 64, 128, "
                                                                    "192, 256 or 384)."}));
  m.dms_max_dcu = static_cast<int>(dms->integer("max_dcu", {.min = 1, .max = 384, .unit = "DCU",
                                                            .help = "MaxCapacityUnits (same allowed values)."}));
  m.dms_migration_type = dms->string("migration_type", {.def = std::string("full-load-and-cdc"),
                                                        .allowed = {"full-load", "cdc", "full-load-and-cdc"},
                                                        .help = "What the replication does."});
  m.dms_max_full_load_subtasks = static_cast<int>(dms->integer(
      "max_full_load_subtasks", {.def = 8, .min = 1, .max = 49, .unit = "tables", .help = "Tables loaded in parallel."}));
  m.dms_batch_apply = dms->boolean("batch_apply", {.def = false, .help = "BatchApplyEnabled (default: transactional apply)."});
  if (dms->has("source_unreachable_fail_s"))
    throw sim::InputError(dms->path_of("source_unreachable_fail_s"),
                          "no longer a key: DMS gives up on an unreachable source by its ErrorBehavior task settings, "
                          "/migration/dms/error_behavior/{recoverable_error_count, recoverable_error_interval_s, "
                          "recoverable_error_throttling, recoverable_error_throttling_max_s, "
                          "recoverable_error_stop_retry_after_throttling_max} (scenarios/README.md)");
  if (auto eb = dms->object("error_behavior", false,
                            "ErrorBehavior task settings for recoverable errors (an unreachable source): the "
                            "restart attempts before the replication fails. Defaults: the DMS User Guide's (the stop at the maximum: ours).")) {
    auto& e = m.dms_error_behavior;
    const dms::ErrorBehavior documented;
    e.recoverable_error_count = static_cast<int>(eb->integer(
        "recoverable_error_count", {.def = documented.recoverable_error_count, .min = -1, .max = 1000000, .unit = "attempts",
                                    .help = "RecoverableErrorCount: restart attempts before the replication fails "
                                            "(-1 = no limit, 0 = fail at the error)."}));
    e.recoverable_error_interval_s = eb->number(
        "recoverable_error_interval_s", {.def = documented.recoverable_error_interval_s, .min = 1, .max = 86400, .unit = "s",
                                         .help = "RecoverableErrorInterval: wait before the first restart attempt."});
    e.recoverable_error_throttling = eb->boolean(
        "recoverable_error_throttling", {.def = documented.recoverable_error_throttling, .help = "RecoverableErrorThrottling: each later wait doubles."});
    e.recoverable_error_throttling_max_s = eb->number(
        "recoverable_error_throttling_max_s", {.def = documented.recoverable_error_throttling_max_s, .min = 1, .max = 86400 * 7, .unit = "s",
                                               .help = "RecoverableErrorThrottlingMax: the longest wait."});
    e.recoverable_error_stop_retry_after_throttling_max = eb->boolean(
        "recoverable_error_stop_retry_after_throttling_max",
        {.def = documented.recoverable_error_stop_retry_after_throttling_max,
         .help = "RecoverableErrorStopRetryAfterThrottlingMax: the attempt after the longest wait is the "
                              "last (with -1 and no throttling or no stop, DMS retries for ever)."});
    eb->finish();
  }
  dms->finish();

  auto mgn = r.object("mgn", true, "MGN server replication settings.");
  m.mgn_replication_server = mgn->string("replication_server", {.help = "Replication server in AWS (a server name)."});
  require_server(sc, *mgn, "replication_server", m.mgn_replication_server);
  m.mgn_install_s = mgn->number("install_at_s", {.def = 0, .min = 0, .unit = "s",
                                                 .help = "When the agents are installed (replication starts)."});
  m.mgn_throttle_mbps = mgn->number("throttle_mbps", {.def = 0, .min = 0, .max = 10000, .unit = "Mbit/s",
                                                      .help = "Bandwidth throttle per server (0 = all available)."});
  const auto* servers = mgn->array("servers", true, "Source servers replicated by MGN.");
  sim::for_each_object(*servers, mgn->path_of("servers"), [&](sim::ObjectReader& o, size_t) {
    MgnServerSpec s;
    s.source = o.string("source", {.help = "On-prem server (a server name)."});
    require_server(sc, o, "source", s.source);
    s.target = o.string("target", {.help = "The AWS server its cutover instance becomes (a server name)."});
    require_server(sc, o, "target", s.target);
    s.disk_gb = o.number("disk_gb", {.def = sc.server(s.source)->disk_gb, .min = 0, .max = 1e6, .unit = "GB",
                                     .help = "Disk bytes to replicate (default: the server's disk_gb)."});
    m.mgn_servers.push_back(s);
  });
  std::vector<std::string> sources;
  for (const auto& s : m.mgn_servers)
    sources.push_back(s.source);
  for (size_t i = 0; i < m.mgn_servers.size(); ++i)
    if (const std::string why = why_not_ec2(sc, m, m.mgn_servers[i].target, sources); !why.empty())
      throw sim::InputError(mgn->path_of("servers/" + std::to_string(i) + "/target"), why);
  if (auto extra = mgn->object("settings", false, "Further MGN model parameters (the keys below).")) {
    m.mgn_settings = sc.migration["mgn"]["settings"];
    auto parsed = mgn::read_mgn_settings(*extra);  // declares and checks every key
    (void)parsed;
    extra->finish();
  }
  mgn->finish();

  auto site = r.object("target_site", true, "The migrated copy of the estate in AWS.");
  m.target_site = site->string("name", {.def = std::string("aws"), .help = "Site name (dns_switch target)."});
  if (m.target_site == "primary")
    throw sim::InputError(site->path_of("name"), "\"primary\" is the on-prem site's name");
  if (const auto* services = site->raw("services", "object",
                                       "Map from each service the request classes name to the service serving it in "
                                       "AWS (a name from /platform/services).")) {
    if (!services->is_object())
      throw sim::InputError(site->path_of("services"), "must be an object, got " + sim::json_type_name(*services));
    for (auto it = services->begin(); it != services->end(); ++it) {
      const std::string path = site->path_of("services/" + it.key());
      if (!sc.service(it.key()))
        throw sim::InputError(path, "unknown service \"" + it.key() + "\"");
      if (!it->is_string() || !sc.service(it->get<std::string>()))
        throw sim::InputError(path, "must name a service from /platform/services");
      m.target_services[it.key()] = it->get<std::string>();
    }
  } else {
    throw sim::InputError(site->path_of("services"), "required object is missing");
  }
  site->finish();

  if (auto cal = r.object("calendar", false,
                          "The migration's weeks around the simulated night: the migration bill covers them (without "
                          "it, the bill covers the simulated window only).")) {
    auto& c = m.calendar;
    m.calendar_given = true;
    c.replication_days_before_cutover = cal->number(
        "replication_days_before_cutover", {.min = 0, .max = 365, .unit = "days",
                                            .help = "DMS and MGN replicate this long before the cutover (the window is "
                                                    "its first hours: DMS's later days are billed at the window's mean "
                                                    "CDC capacity)."});
    c.test_launches = static_cast<int>(cal->integer("test_launches", {.def = c.test_launches, .min = 0, .max = 100,
                                                                      .unit = "launches",
                                                                      .help = "MGN test launches before the cutover."}));
    c.test_launch_hours = cal->number("test_launch_hours", {.def = c.test_launch_hours, .min = 0, .max = 24 * 30,
                                                            .unit = "h",
                                                            .help = "How long each test instance runs before it is "
                                                                    "terminated."});
    std::vector<std::string> types;
    for (const auto& [key, item] : cost::default_price_table().items)
      if (key.rfind("ec2.", 0) == 0 && item.unit == "instance-hour")
        types.push_back(key.substr(4));
    c.test_instance_type = cal->string("test_instance_type", {.def = c.test_instance_type, .allowed = types,
                                                              .help = "EC2 type of the test instances."});
    c.days_after_cutover_before_finalize = cal->number(
        "days_after_cutover_before_finalize", {.def = 0, .min = 0, .max = 365, .unit = "days",
                                               .help = "MGN keeps replicating (and the VPN stays) until the cutover "
                                                       "is finalized this long after it."});
    cal->finish();
  }
  if (auto est = r.object("estimates", false,
                          "What the design deploys after the migration, for the post-migration and "
                          "post-modernisation monthly estimates (traffic: the run's, scaled to a month).")) {
    auto& d = m.design;
    m.static_class = est->string("static_class", {.def = std::string(), .help = "The request class CloudFront "
                                                                                 "answers from S3 (static assets)."});
    if (!m.static_class.empty() && !std::any_of(sc.workload.classes.begin(), sc.workload.classes.end(),
                                                [&](auto& c) { return c.name == m.static_class; }))
      throw sim::InputError(est->path_of("static_class"), "unknown request class \"" + m.static_class + "\"");
    d.rds_instance_class = est->string("rds_instance_class", {.def = d.rds_instance_class,
                                                              .help = "RDS MySQL class (Multi-AZ) of both targets."});
    d.app_instance_type = est->string("app_instance_type", {.def = d.app_instance_type,
                                                            .help = "Post-migration: EC2 type of the app servers."});
    d.node_instance_type = est->string("node_instance_type", {.def = d.node_instance_type,
                                                              .help = "Post-modernisation: EC2 type of the EKS nodes."});
    struct Key {
      const char* name;
      double cost::DesignChoices::*field;
      const char* unit;
      const char* help;
    };
    static const Key keys[] = {
        {"rds_storage_gb", &cost::DesignChoices::rds_storage_gb, "GB", "RDS allocated storage."},
        {"nat_gateways", &cost::DesignChoices::nat_gateways, "gateways", "NAT gateways."},
        {"nat_processed_gb", &cost::DesignChoices::nat_processed_gb, "GB", "Data through the NAT gateways a month."},
        {"waf_rules", &cost::DesignChoices::waf_rules, "rules", "Rules in the WAF web ACL."},
        {"s3_static_gb", &cost::DesignChoices::s3_static_gb, "GB", "Static assets in S3."},
        {"cloudwatch_metrics", &cost::DesignChoices::cloudwatch_metrics, "metrics", "Custom metrics."},
        {"cloudwatch_alarms", &cost::DesignChoices::cloudwatch_alarms, "alarms", "Alarms."},
        {"sns_requests", &cost::DesignChoices::sns_requests, "requests", "SNS publishes a month."},
        {"sns_email_notifications", &cost::DesignChoices::sns_email_notifications, "emails", "SNS emails a month."},
        {"cloudtrail_trails", &cost::DesignChoices::cloudtrail_trails, "trails", "Trails of management events."},
        {"cloudtrail_management_events", &cost::DesignChoices::cloudtrail_management_events, "events",
         "Management events a month."},
        {"kms_keys", &cost::DesignChoices::kms_keys, "keys", "KMS customer managed keys."},
        {"kms_requests", &cost::DesignChoices::kms_requests, "requests", "KMS requests a month."},
        {"secrets", &cost::DesignChoices::secrets, "secrets", "Secrets Manager secrets."},
        {"secrets_api_calls", &cost::DesignChoices::secrets_api_calls, "calls", "Secrets Manager calls a month."},
        {"route53_hosted_zones", &cost::DesignChoices::route53_hosted_zones, "zones", "Route 53 hosted zones."},
        {"requests_per_connection", &cost::DesignChoices::requests_per_connection, "requests",
         "Requests per client connection (ALB new connections, DNS lookups)."},
        {"app_instances", &cost::DesignChoices::app_instances, "instances", "Post-migration: app instances."},
        {"app_ebs_gb_each", &cost::DesignChoices::app_ebs_gb_each, "GB", "Post-migration: EBS per app instance."},
        {"nodes", &cost::DesignChoices::nodes, "nodes", "Post-modernisation: EKS nodes."},
        {"node_ebs_gb_each", &cost::DesignChoices::node_ebs_gb_each, "GB", "Post-modernisation: EBS per node."},
        {"rds_read_replicas", &cost::DesignChoices::rds_read_replicas, "replicas",
         "Post-modernisation: RDS read replicas."},
        {"efs_gb", &cost::DesignChoices::efs_gb, "GB", "Post-modernisation: EFS Standard storage."},
        {"ecr_gb", &cost::DesignChoices::ecr_gb, "GB", "Post-modernisation: ECR image storage."},
        {"amp_active_series", &cost::DesignChoices::amp_active_series, "series",
         "Post-modernisation: Managed Prometheus active series."},
        {"amp_storage_gb", &cost::DesignChoices::amp_storage_gb, "GB", "Post-modernisation: Managed Prometheus storage."},
        {"amp_query_samples", &cost::DesignChoices::amp_query_samples, "samples",
         "Post-modernisation: samples queried a month (dashboards, alerts)."},
        {"amg_editors", &cost::DesignChoices::amg_editors, "users", "Post-modernisation: Managed Grafana editors."},
        {"amg_viewers", &cost::DesignChoices::amg_viewers, "users", "Post-modernisation: Managed Grafana viewers."},
    };
    for (const auto& k : keys)
      d.*k.field = est->number(k.name, {.def = d.*k.field, .min = 0, .max = 1e15, .unit = k.unit, .help = k.help});
    d.amp_scrape_s = est->number("amp_scrape_s", {.def = d.amp_scrape_s, .min = 1, .max = 3600, .unit = "s",
                                                  .help = "Post-modernisation: Prometheus scrape interval."});
    if (d.requests_per_connection < 1)
      throw sim::InputError(est->path_of("requests_per_connection"), "must be >= 1, got " +
                                                                         sim::format_number(d.requests_per_connection));
    est->finish();
    for (const auto& [key, item] : std::initializer_list<std::pair<std::string, std::string>>{
             {"app_instance_type", "ec2." + d.app_instance_type},
             {"node_instance_type", "ec2." + d.node_instance_type},
             {"rds_instance_class", "rds.mysql.multi-az." + d.rds_instance_class}})
      if (!cost::default_price_table().items.count(item))
        throw sim::InputError("/migration/estimates/" + key, "no price for \"" + item + "\" in the price table");
  }

  if (auto dns = r.object("dns", false, "The Route 53 record users resolve.")) {
    m.dns_record = dns->string("record", {.def = m.dns_record, .help = "Record name."});
    m.dns_ttl_s = dns->number("ttl_s", {.def = 60, .min = 1, .max = 172800, .unit = "s",
                                        .help = "Record TTL (60-120 s recommended before a cutover)."});
    m.dns_sticky_share = dns->number("sticky_share", {.def = 0.05, .min = 0, .max = 1, .unit = "share",
                                                      .help = "Clients caching longer than the TTL (e.g. JVMs)."});
    m.dns_sticky_hold_s = dns->number("sticky_hold_s", {.def = 900, .min = 0, .max = 86400, .unit = "s",
                                                        .help = "How long those clients keep an answer."});
    dns->finish();
  }

  if (auto c = r.object("cutover", false, "The cutover run by a cutover_start event.")) {
    m.cutover_max_cdc_latency_s = c->number("max_cdc_latency_s", {.def = 10, .min = 0, .unit = "s",
                                                                  .help = "Pre-check: CDC latency must be under this."});
    m.cutover_drain_timeout_s = c->number("drain_timeout_s", {.def = 1800, .min = 0, .unit = "s",
                                                              .help = "Give up (roll back) if CDC has not drained."});
    m.cutover_skip_drain = c->boolean("skip_drain", {.def = false,
                                                     .help = "Do not wait for CDC to drain (a mistake, to show "
                                                             "lost transactions)."});
    m.cutover_monitor_s = c->number("monitor_s", {.def = 900, .min = 0, .unit = "s",
                                                  .help = "Watch after the DNS switch before finalizing."});
    m.cutover_poll_s = c->number("poll_s", {.def = 5, .min = 0.1, .max = 600, .unit = "s",
                                            .help = "How often the cutover checks a condition it waits for."});
    c->finish();
  }
  r.finish();
  return m;
}

}  // namespace migsim::models
