// RDS for MySQL DB instance classes as data (vCPU, memory), the connection limit MySQL's default
// parameter group derives from memory, and the price-table item of each deployment.
#pragma once

#include <string>
#include <vector>

namespace migsim::models::rds {

// One DB instance class of the catalogue.
struct DbInstanceClass {
  std::string name;        // "db.m5.large"
  int vcpu = 0;
  double memory_gib = 0;   // GiB
  bool burstable = false;  // db.t3: CPU credits (not modelled here: see models/ec2 for t3 credits)
};

// The catalogue (a subset of the current classes: t3, m5, r5 up to 4xlarge).
const std::vector<DbInstanceClass>& db_instance_classes();
// The class of that name, or nullptr.
const DbInstanceClass* find_db_instance_class(const std::string& name);

// MySQL's default parameter group: max_connections = {DBInstanceClassMemory/12582880}, rounded
// down. DBInstanceClassMemory is the class memory in bytes minus what RDS reserves for the OS and
// its own processes (not published: `reserved_memory_share`, default 0, gives the upper bound).
int default_max_connections(double memory_gib, double reserved_memory_share = 0.0);

// Price-table key of an instance-hour of the class: "rds.mysql.multi-az.db.m5.large".
std::string price_item(const std::string& instance_class, bool multi_az);

// Checked when a scenario is loaded, so a run never stops at its end for want of a catalogue entry:
// throws sim::InputError at `path` unless the class is in the catalogue and the price table prices
// it for the deployment (and single-AZ too when it will have read replicas).
void require_priced_class(const std::string& instance_class, bool multi_az, bool replicas, const std::string& path);

}  // namespace migsim::models::rds
