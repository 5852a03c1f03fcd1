#include "models/rds/instance_class.hpp"

#include "models/cost/cost_model.hpp"
#include "sim/json_reader.hpp"

#include <cmath>

namespace migsim::models::rds {

const std::vector<DbInstanceClass>& db_instance_classes()
{
  // vCPU and memory as listed on the RDS DB instance class pages (Nitro, x86).
  static const std::vector<DbInstanceClass> classes = {
      {"db.t3.micro", 2, 1, true},     {"db.t3.small", 2, 2, true},    {"db.t3.medium", 2, 4, true},
      {"db.t3.large", 2, 8, true},     {"db.t3.xlarge", 4, 16, true},  {"db.t3.2xlarge", 8, 32, true},
      {"db.m5.large", 2, 8, false},    {"db.m5.xlarge", 4, 16, false}, {"db.m5.2xlarge", 8, 32, false},
      {"db.m5.4xlarge", 16, 64, false}, {"db.r5.large", 2, 16, false}, {"db.r5.xlarge", 4, 32, false},
      {"db.r5.2xlarge", 8, 64, false}, {"db.r5.4xlarge", 16, 128, false},
      // Graviton (arm64) and later Intel generations, same pages: offered for RDS for MySQL 8.0 and 8.4.
      {"db.t4g.micro", 2, 1, true},    {"db.t4g.small", 2, 2, true},   {"db.t4g.medium", 2, 4, true},
      {"db.t4g.large", 2, 8, true},    {"db.m6g.large", 2, 8, false},  {"db.m6g.xlarge", 4, 16, false},
      {"db.m6g.2xlarge", 8, 32, false}, {"db.m6g.4xlarge", 16, 64, false}, {"db.r6g.large", 2, 16, false},
      {"db.r6g.xlarge", 4, 32, false}, {"db.r6g.2xlarge", 8, 64, false}, {"db.m6i.large", 2, 8, false},
      {"db.m6i.xlarge", 4, 16, false}, {"db.r6i.large", 2, 16, false}, {"db.m7g.large", 2, 8, false},
      {"db.r7g.large", 2, 16, false},
  };
  return classes;
}

const DbInstanceClass* find_db_instance_class(const std::string& name)
{
  for (const auto& c : db_instance_classes())
    if (c.name == name)
      return &c;
  return nullptr;
}

int default_max_connections(double memory_gib, double reserved_memory_share)
{
  const double bytes = memory_gib * 1024.0 * 1024.0 * 1024.0 * (1.0 - reserved_memory_share);
  return static_cast<int>(std::floor(bytes / 12582880.0));
}

std::string price_item(const std::string& instance_class, bool multi_az)
{
  return std::string("rds.mysql.") + (multi_az ? "multi-az." : "single-az.") + instance_class;
}

void require_priced_class(const std::string& instance_class, bool multi_az, bool replicas, const std::string& path)
{
  if (!find_db_instance_class(instance_class)) {
    std::string known;
    for (const auto& c : db_instance_classes())
      known += (known.empty() ? "" : ", ") + c.name;
    throw sim::InputError(path, "unknown DB instance class \"" + instance_class + "\" (the catalogue has " + known + ")");
  }
  const auto& items = cost::default_price_table().items;
  for (const bool maz : {multi_az, false}) {
    if (!maz && multi_az && !replicas)
      continue;
    if (!items.count(price_item(instance_class, maz)))
      throw sim::InputError(path, "\"" + instance_class + "\" has no " + (maz ? "Multi-AZ" : "Single-AZ") +
                                      " price in models/cost/prices-us-east-1.json (item " + price_item(instance_class, maz) + ")");
  }
}

}  // namespace migsim::models::rds
