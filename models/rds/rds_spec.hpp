// The "rds" section of a scenario: the RDS for MySQL instance standing behind one of the
// platform's database servers (class, Multi-AZ, storage, connection limit, failover window) and an
// optional read replica. Every key is declared here once (scenarios/README.md lists them).
// apply_rds_to_platform() makes the server what the class and storage say: vCPUs, memory, disk
// bandwidth from IOPS x I/O size (capped by the throughput), workers = max_connections.
#pragma once

#include "models/rds/api_instances.hpp"
#include "models/rds/db_instance.hpp"
#include "models/rds/read_replica.hpp"
#include "sim/scenario.hpp"

#include <optional>
#include <string>

namespace migsim::models::rds {

struct RdsSpec {
  DbInstanceConfig instance;
  std::string server;                 // platform server standing for the instance
  std::string service;                // its database service (connections = workers)
  double io_kib = 16;                 // I/O size of disk-bound queries (an InnoDB page)
  bool size_server = true;            // apply class and storage to the server and service
  bool refuse_when_full = true;       // a query finding every connection busy is refused (1040)
  double reserved_memory_share = 0;   // of the class memory, not in DBInstanceClassMemory
  std::optional<ReplicaSettings> replica;
  std::string replica_identifier;
  ApiTimings api;                     // how long API-created instances take (rds.api)
};

// Parses scenario.rds (throws sim::InputError with the JSON pointer).
RdsSpec parse_rds(const sim::Scenario& scenario);
// Sizes the instance's server and service from its class and storage (when size_server).
void apply_rds_to_platform(sim::Scenario& scenario);

}  // namespace migsim::models::rds
