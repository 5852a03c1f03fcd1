// The "cost" object of a scenario's eks section: what the EKS bill needs that the traffic and the
// cluster do not determine (node root volumes, NAT gateways, Route 53, connections per client, the
// database outside the cluster and EFS writes). Keys and defaults mirror the as-is estate's
// /aws/cost and /aws/database so the two bills price the same things the same way.
#pragma once

#include "sim/scenario.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace migsim::models::eks {

struct EksCostSpec {
  std::string node_volume_type = "gp3";   // EBS root volume of every node
  double node_volume_gb = 20;             // managed node group diskSize default (20 GiB)
  int nat_gateways = 1;
  double nat_processed_gb_per_hour = 0.1;
  int route53_hosted_zones = 1;
  double route53_queries_per_request = 0.01;
  double requests_per_connection = 1;
  int alb_rules = -1;                     // listener rules evaluated per request; -1: one per Deployment
  // The database outside the cluster (RDS for MySQL); the scenario's rds section wins when present.
  bool database = true;
  std::string database_service = "mysql"; // request-class stages naming it talk to the database
  std::string database_zone;              // empty: the first zone of /eks/zones
  std::string rds_instance_class = "db.m5.large";
  bool rds_multi_az = true;
  std::string rds_storage_type = "gp3";
  double rds_storage_gb = 500;
  double efs_write_share = 0;             // of the EFS bytes per request, the share written
};

// Reads /eks/cost (an empty object gives the defaults); throws sim::InputError at the pointer.
EksCostSpec parse_eks_cost(const nlohmann::json& raw, const std::string& path, const sim::Scenario& scenario);

}  // namespace migsim::models::eks
