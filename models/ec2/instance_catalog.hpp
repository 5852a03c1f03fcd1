// EC2 instance types as data: vCPUs, memory, network, on-demand price and, for burstable types (t3,
// t3a), the baseline utilisation and CPU credits earned per hour. The catalogue is the JSON file
// models/ec2/instance_types.json (sources cited in it), compiled into the binary like the price table.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace migsim::models::ec2 {

// One instance type of the catalogue.
struct InstanceType {
  std::string name;            // "t3.small"
  int vcpu = 1;
  double memory_gib = 1.0;
  double network_gbps = 1.0;   // burst figure when network_burst ("up to 5 Gbps")
  bool network_burst = false;
  double usd_per_hour = 0.0;   // on-demand, Linux
  // Burstable performance (t3, t3a): 0 for fixed-performance types.
  double baseline_fraction = 0.0;  // per vCPU (0.2 = 20 %)
  double credits_per_hour = 0.0;   // one credit = one vCPU at 100 % for one minute

  bool burstable() const { return credits_per_hour > 0.0; }
  // Maximum credits an instance can accrue: 24 hours of earnings (AWS table).
  double max_credits() const { return 24.0 * credits_per_hour; }
};

// The catalogue of instance types.
struct InstanceCatalog {
  std::string region;
  std::string as_of;
  std::string source;
  double surplus_usd_per_vcpu_hour = 0.05;  // unlimited mode, surplus credits charged
  std::map<std::string, InstanceType> types;

  // The type of that name; throws std::out_of_range naming it and listing what exists.
  const InstanceType& at(const std::string& name) const;
  std::vector<std::string> names() const;
};

// Reads a catalogue strictly (sim::InputError at the JSON pointer of a bad entry).
InstanceCatalog parse_instance_catalog(const nlohmann::json& doc, const std::string& origin);
// The shipped catalogue, compiled in from models/ec2/instance_types.json.
const InstanceCatalog& default_instance_catalog();

}  // namespace migsim::models::ec2
