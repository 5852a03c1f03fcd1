// The "migration" section of a scenario: what moves where (database tables, servers), with which
// tools (DMS serverless, MGN), over which link (the Site-to-Site VPN), the migrated copy of the
// estate (target site), the DNS record users resolve, and the cutover's parameters. Every key is
// declared here once, with unit, default, range and help (scenarios/README.md lists them).
#pragma once

#include "models/cost/design_estimates.hpp"
#include "models/dms/settings.hpp"
#include "models/mysql/database.hpp"
#include "sim/scenario.hpp"

#include <map>
#include <string>
#include <vector>

namespace migsim::models {

// Identifiers of the DMS resources the migration creates (what AWS APIs show).
inline constexpr const char* kDmsReplicationConfigId = "fast-engineering-db";
inline constexpr const char* kDmsSourceEndpointId = "onprem-mysql";
inline constexpr const char* kDmsTargetEndpointId = "rds-mysql";

struct MgnServerSpec {
  std::string source;   // on-prem server name
  std::string target;   // server in AWS that the cutover instance becomes
  double disk_gb = 0;   // bytes to replicate
};

struct MigrationSpec {
  std::string vpn_link;
  double vpn_wire_overhead = 1.06;

  // Database: source (on-prem MySQL) -> target (RDS) through DMS serverless.
  std::string db_source_server;
  std::string db_target_server;
  std::vector<mysql::TableSpec> tables;
  double dms_start_s = 0;
  int dms_min_dcu = 1;
  int dms_max_dcu = 16;
  std::string dms_migration_type = "full-load-and-cdc";
  int dms_max_full_load_subtasks = 8;
  bool dms_batch_apply = false;
  dms::ErrorBehavior dms_error_behavior;  // restarts after a recoverable error (an unreachable source)

  // Servers: MGN block replication to a replication server, then launches.
  std::string mgn_replication_server;
  double mgn_install_s = 0;
  double mgn_throttle_mbps = 0;
  std::vector<MgnServerSpec> mgn_servers;
  nlohmann::json mgn_settings;

  // The migrated estate: logical service -> service in AWS.
  std::string target_site = "aws";
  std::map<std::string, std::string> target_services;

  // The migration's calendar (the bill covers it) and the design's choices (the post-migration and
  // post-modernisation estimates). No calendar: the bill covers the simulated window only.
  bool calendar_given = false;
  cost::MigrationCalendar calendar;
  cost::DesignChoices design;
  std::string static_class;  // the request class CloudFront answers from S3 in the design ("" = none)

  // DNS.
  std::string dns_record = "shop.example.com";
  double dns_ttl_s = 60;
  double dns_sticky_share = 0.05;
  double dns_sticky_hold_s = 900;

  // Cutover (the simulator's own runbook, started by a cutover_start event).
  double cutover_max_cdc_latency_s = 10;  // pre-check
  double cutover_drain_timeout_s = 1800;
  bool cutover_skip_drain = false;        // a deliberate mistake, to show the integrity check failing
  double cutover_monitor_s = 900;         // watch after the DNS switch before finalizing
  double cutover_poll_s = 5;
};

// Parses scenario.migration (throws sim::InputError with the JSON pointer).
MigrationSpec parse_migration(const sim::Scenario& scenario);

}  // namespace migsim::models
