// The "aws" section of a scenario: the as-is estate in AWS. The scenario's own platform and request
// classes stay the company's logical estate (nginx, frontend-app, the three APIs, mysql); this
// section says how they run in AWS, and expand_scenario() rewrites the scenario into that estate:
//   zones    the clients' zone, the region (where the ALB lives) and one zone per Availability Zone;
//   servers  the ALB, the database tier, and one slot per instance an Auto Scaling group may run
//            in each AZ (max_size per AZ, so any placement fits); an instance is a slot in use;
//   classes  each class's request path is routed by the ALB's rules to a tier (target group);
//            its stages become: the ALB, then the stages the tier serves (on the picked instance),
//            then the database tier's; stages of services the ALB replaces (nginx) are dropped.
// Every key is declared here once with unit, default, range and help (scenarios/README.md).
//
// Hook point for the database tier (see models/aws/README.md): DatabaseTierSpec and
// expand_database_tier() build the database's servers and services, met in expand_scenario(). The
// edge (CloudFront/S3/WAF) is the scenario's top-level "edge" section; aws.edge is an error.
#pragma once

#include "models/alb/load_balancer.hpp"
#include "models/asg/target_tracking.hpp"
#include "sim/scenario.hpp"

#include <map>
#include <string>
#include <vector>

namespace migsim::models::aws {

// One tier: an Auto Scaling group of EC2 instances behind its ALB target group.
struct TierSpec {
  std::string name;                   // the group and the target group
  std::vector<std::string> serves;    // logical services (of /platform/services) its instances run
  std::vector<std::string> path_patterns;  // ALB rule conditions; empty: the listener's default action
  int priority = 0;                   // rule priority (lowest first)
  std::string instance_type = "t3.small";
  std::string credit_mode = "unlimited";  // burstable types: standard or unlimited (the t3 default)
  double initial_credits_fraction = 1.0;  // balance of the instances running at t = 0, share of the maximum
  double speed_gflops = 1.0;          // per vCPU, against the 1 Gflop/s reference of stage CPU demands
  int min_size = 1, max_size = 4, desired = 2;
  int workers = 32;
  int queue_limit = 256;
  double queue_timeout_s = 30.0;
  double boot_mean_s = 120.0, boot_cv = 0.2;
  double warmup_s = 300.0;
  double health_check_grace_s = 300.0;
  std::string health_check_type = "ELB";
  double ec2_status_check_s = 60.0;   // an impaired instance is seen by EC2 status checks after this
  double ebs_gb = 8.0;
  alb::TargetGroupSpec target_group;
  std::vector<asg::TargetTrackingPolicy> policies;
};

// The database tier as the estate needs it: one server and the station serving the logical
// database services. The RDS model (Multi-AZ, read replica) replaces this builder.
struct DatabaseTierSpec {
  std::string name = "rds";           // server name
  std::string az;                     // where the primary runs
  std::vector<std::string> serves;    // logical services (mysql)
  int cores = 2;
  double speed_gflops = 1.0;
  double ram_gb = 8.0;
  double disk_read_mbps = 250.0, disk_write_mbps = 250.0;
  int workers = 151;                  // max_connections
  int queue_limit = 1000;
  double queue_timeout_s = 10.0;
  // Cost inputs.
  std::string instance_class = "db.m5.large";
  bool multi_az = true;
  std::string storage_type = "gp3";
  double storage_gb = 500.0;
};

// Recurring costs the simulation does not derive from traffic.
struct CostSpec {
  int nat_gateways = 1;
  double nat_processed_gb_per_hour = 0.1;
  int route53_hosted_zones = 1;
  double route53_queries_per_request = 0.01;
  int alb_rule_evaluations = 0;       // 0: the listener's rules (the first 10 are free)
  double requests_per_connection = 1.0;
};

// A scenario service whose instances the API creates (aws.from_api.services).
struct ApiServiceSpec {
  std::string name;                   // the tag's value
  std::vector<std::string> serves;    // logical services its instances run (default: name)
  int workers = 32;
  int queue_limit = 256;
  double queue_timeout_s = 30.0;
  double speed_gflops = 1.0;
  std::vector<std::string> health_check_paths{"/"};  // paths the service answers 200 on
};

// aws.from_api: the estate is built through the API (docs/estate-from-api.md); the scenario only
// reserves the hosts instances may run on and names the load balancer users are sent to.
struct FromApiSpec {
  bool enabled = false;
  std::string entry_load_balancer;          // users go to this load balancer, or
  std::string entry_record;                 // to the one this Route 53 record aliases (FQDN)
  int hosts_per_az = 4;                     // per service and instance type
  std::vector<std::string> instance_types;
  std::vector<ApiServiceSpec> services;
  const ApiServiceSpec* service(const std::string& name) const
  {
    for (const auto& s : services)
      if (s.name == name)
        return &s;
    return nullptr;
  }
  // The service whose instances run the logical service `logical` (nullptr: none).
  const ApiServiceSpec* owner(const std::string& logical) const
  {
    for (const auto& s : services)
      for (const auto& x : s.serves)
        if (x == logical)
          return &s;
    return nullptr;
  }
};

struct AwsSpec {
  std::string region = "us-east-1";
  std::vector<std::string> azs;
  double client_latency_ms = 20.0;
  double inter_az_latency_ms = 0.6;
  double internet_mbps = 10000.0;
  std::string alb_name = "shop-alb";
  std::vector<std::string> alb_replaces;          // logical services the ALB stands in for (nginx)
  std::map<std::string, std::string> class_paths; // request class -> path
  std::vector<TierSpec> tiers;             // empty with from_api
  FromApiSpec from_api;
  DatabaseTierSpec database;
  CostSpec cost;
};

// Parses scenario.aws against the scenario's logical platform (throws sim::InputError).
AwsSpec parse_aws(const sim::Scenario& scenario);
// Rewrites the scenario into the AWS estate (platform, classes, events checked); keeps scenario.aws.
void expand_scenario(sim::Scenario& scenario);

// Names the expansion gives servers: the ALB, a tier's slot k (0-based) in an AZ.
inline constexpr const char* kAlbServer = "alb";
std::string slot_server_name(const std::string& tier, const std::string& az, int k);
// The host k (0-based) of a from_api service for an instance type in an AZ.
std::string api_host_name(const std::string& service, const std::string& type, const std::string& az, int k);
// The tier a class's path routes to (rules by priority, then the default tier).
const TierSpec& route_class(const AwsSpec& spec, const std::string& request_class);

}  // namespace migsim::models::aws
