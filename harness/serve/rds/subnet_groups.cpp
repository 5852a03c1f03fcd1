// RDS DB subnet groups (over the EC2 subnets created through the API), the network and naming
// settings of CreateDBInstance that DescribeDBInstances shows back, and RDS tags (ListTagsForResource,
// AddTagsToResource, RemoveTagsFromResource) for instances and subnet groups. AWS's checks: subnets
// must exist and share a VPC, a group must cover at least two Availability Zones, a group in use
// cannot be deleted, security groups must exist.
#include "harness/serve/ec2/network.hpp"
#include "harness/serve/rds/backend.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

#include <set>

namespace migsim::harness::serve {

namespace {

constexpr const char* kArnPrefix = "arn:aws:rds:us-east-1:000000000000:";

struct RdsNetwork {
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  std::map<std::string, json> subnet_groups;  // name -> DBSubnetGroup output
  std::map<std::string, json> settings;       // instance id -> fields merged into DescribeDBInstances
};

AwsError group_not_found(const std::string& name)
{
  return AwsError("DBSubnetGroupNotFoundFault", "DBSubnetGroup '" + name + "' not found.", 404);
}

json subnet_group(ServeContext& ctx, const json& in)
{
  const std::string name = in["DBSubnetGroupName"];
  if (name.empty() || name.size() > 255 || name == "default")
    throw AwsError("InvalidParameterValue", "The parameter DBSubnetGroupName is not a valid identifier.", 400);
  auto& net = ctx.state<ec2net::Ec2Network>();
  std::string vpc;
  std::set<std::string> zones;
  json subnets = json::array();
  for (const auto& id : in["SubnetIds"]) {
    auto it = net.subnets.find(id.get<std::string>());
    if (it == net.subnets.end())
      throw AwsError("InvalidSubnet", "Some input subnets in :[" + id.get<std::string>() + "] are invalid.", 400);
    if (!vpc.empty() && it->second["VpcId"] != vpc)
      throw AwsError("InvalidParameterValue", "The subnets in a DB subnet group must all be in the same VPC.", 400);
    vpc = it->second["VpcId"];
    zones.insert(it->second["AvailabilityZone"].get<std::string>());
    subnets.push_back({{"SubnetIdentifier", id},
                       {"SubnetAvailabilityZone", {{"Name", it->second["AvailabilityZone"]}}},
                       {"SubnetOutpost", json::object()},
                       {"SubnetStatus", "Active"}});
  }
  if (zones.size() < 2)
    throw AwsError("DBSubnetGroupDoesNotCoverEnoughAZs",
                   "The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement. Current AZ coverage: " +
                       (zones.empty() ? std::string("none") : *zones.begin()) + ". Add subnets to cover at least 2 AZs.",
                   400);
  return {{"DBSubnetGroupName", name},
          {"DBSubnetGroupDescription", in.value("DBSubnetGroupDescription", std::string())},
          {"VpcId", vpc},
          {"SubnetGroupStatus", "Complete"},
          {"Subnets", subnets},
          {"DBSubnetGroupArn", std::string(kArnPrefix) + "subgrp:" + name},
          {"SupportedNetworkTypes", json::array({"IPV4"})}};
}

bool rds_resource_exists(ServeContext& ctx, const std::string& arn)
{
  auto& st = ctx.state<RdsNetwork>();
  if (arn.rfind(std::string(kArnPrefix) + "subgrp:", 0) == 0)
    return st.subnet_groups.count(arn.substr(arn.rfind(':') + 1)) > 0;
  if (arn.rfind(std::string(kArnPrefix) + "db:", 0) == 0)
    return st.settings.count(arn.substr(arn.rfind(':') + 1)) > 0 ||
           rds::api_instances(ctx).find(arn.substr(arn.rfind(':') + 1), ctx.simulation.now()) != nullptr;
  return false;
}

void check_tagged(ServeContext& ctx, const json& in)
{
  const std::string arn = in["ResourceName"];
  if (!rds_resource_exists(ctx, arn)) {
    if (arn.find(":subgrp:") != std::string::npos)
      throw group_not_found(arn.substr(arn.rfind(':') + 1));
    throw AwsError("DBInstanceNotFound", "DBInstance " + arn + " not found.", 404);
  }
}

}  // namespace

std::string rds::db_instance_arn(const std::string& id) { return std::string(kArnPrefix) + "db:" + id; }

json create_settings(ServeContext& ctx, const json& in)
{
  auto& st = ctx.state<RdsNetwork>();
  json s = {{"DBName", in.value("DBName", std::string())},
            {"PreferredBackupWindow", in.value("PreferredBackupWindow", std::string("03:00-03:30"))},
            {"PreferredMaintenanceWindow", in.value("PreferredMaintenanceWindow", std::string("sun:05:00-sun:05:30"))},
            {"PubliclyAccessible", in.value("PubliclyAccessible", false)},
            {"StorageEncrypted", in.value("StorageEncrypted", false)},
            {"DeletionProtection", in.value("DeletionProtection", false)},
            {"CopyTagsToSnapshot", in.value("CopyTagsToSnapshot", false)},
            {"AutoMinorVersionUpgrade", in.value("AutoMinorVersionUpgrade", true)},
            {"CACertificateIdentifier", "rds-ca-rsa2048-g1"},
            {"DBParameterGroups", json::array({{{"DBParameterGroupName", in.value("DBParameterGroupName",
                                                                               std::string("default.mysql8.0"))},
                                                {"ParameterApplyStatus", "in-sync"}}})},
            {"OptionGroupMemberships", json::array({{{"OptionGroupName", "default:mysql-8-0"}, {"Status", "in-sync"}}})},
            {"NetworkType", "IPV4"},
            {"IAMDatabaseAuthenticationEnabled", false},
            {"PerformanceInsightsEnabled", false},
            {"MonitoringInterval", 0},
            {"DedicatedLogVolume", false},
            {"StorageThroughput", 0}};
  s.erase("StorageThroughput");
  if (s["DBName"] == "")
    s.erase("DBName");
  const std::string group = in.value("DBSubnetGroupName", std::string());
  std::string vpc;
  if (!group.empty()) {
    auto it = st.subnet_groups.find(group);
    if (it == st.subnet_groups.end())
      throw group_not_found(group);
    s["DBSubnetGroup"] = it->second;
    s["DBSubnetGroup"].erase("DBSubnetGroupArn");
    s["DBSubnetGroup"].erase("SupportedNetworkTypes");
    vpc = it->second["VpcId"];
  }
  json groups = json::array();
  auto& net = ctx.state<ec2net::Ec2Network>();
  for (const auto& g : in.value("VpcSecurityGroupIds", json::array())) {
    auto it = net.security_groups.find(g.get<std::string>());
    if (it == net.security_groups.end() || (!vpc.empty() && it->second["VpcId"] != vpc))
      throw AwsError("InvalidParameterCombination", "The DB instance and EC2 security group are in different VPCs.", 400);
    groups.push_back({{"VpcSecurityGroupId", g}, {"Status", "active"}});
  }
  s["VpcSecurityGroups"] = groups;
  s["TagList"] = in.value("Tags", json::array());
  if (in.contains("Port"))
    s["Endpoint_Port"] = in["Port"];
  return s;
}

void remember_create_settings(ServeContext& ctx, const std::string& id, const json& settings)
{
  ctx.state<RdsNetwork>().settings[id] = settings;
  ctx.state<Tags>().add(std::string(kArnPrefix) + "db:" + id, settings["TagList"]);
}

void merge_create_settings(ServeContext& ctx, const std::string& id, json& instance)
{
  auto& st = ctx.state<RdsNetwork>();
  auto it = st.settings.find(id);
  if (it == st.settings.end())
    return;
  for (const auto& [k, v] : it->second.items())
    if (k == "Endpoint_Port") {
      if (instance.contains("Endpoint"))
        instance["Endpoint"]["Port"] = v;
    } else if (k != "TagList") {
      instance[k] = v;
    }
  instance["TagList"] = ctx.state<Tags>().list(std::string(kArnPrefix) + "db:" + id);
  instance["DbInstancePort"] = 0;  // what RDS shows for an instance (the port is in Endpoint)
}

void register_rds_subnet_groups(Registry& r)
{
  r.add("rds", "CreateDBSubnetGroup", {"DBSubnetGroupName", "DBSubnetGroupDescription", "SubnetIds", "Tags"},
        [](const json& in, ServeContext& ctx) {
          auto& st = ctx.state<RdsNetwork>();
          const std::string name = in["DBSubnetGroupName"];
          if (st.subnet_groups.count(name))
            throw AwsError("DBSubnetGroupAlreadyExists", "The DB subnet group '" + name + "' already exists.", 400);
          st.subnet_groups[name] = subnet_group(ctx, in);
          ctx.state<Tags>().add(st.subnet_groups[name]["DBSubnetGroupArn"], in.value("Tags", json::array()));
          return json{{"DBSubnetGroup", st.subnet_groups[name]}};
        });
  r.add("rds", "ModifyDBSubnetGroup", {"DBSubnetGroupName", "DBSubnetGroupDescription", "SubnetIds"},
        [](const json& in, ServeContext& ctx) {
          auto& st = ctx.state<RdsNetwork>();
          const std::string name = in["DBSubnetGroupName"];
          auto it = st.subnet_groups.find(name);
          if (it == st.subnet_groups.end())
            throw group_not_found(name);
          json next = in;
          if (!next.contains("DBSubnetGroupDescription"))
            next["DBSubnetGroupDescription"] = it->second["DBSubnetGroupDescription"];
          it->second = subnet_group(ctx, next);
          return json{{"DBSubnetGroup", it->second}};
        });
  r.add("rds", "DescribeDBSubnetGroups", {"DBSubnetGroupName"}, [](const json& in, ServeContext& ctx) {
    auto& st = ctx.state<RdsNetwork>();
    json out = json::array();
    if (in.contains("DBSubnetGroupName")) {
      auto it = st.subnet_groups.find(in["DBSubnetGroupName"]);
      if (it == st.subnet_groups.end())
        throw group_not_found(in["DBSubnetGroupName"]);
      out.push_back(it->second);
    } else {
      for (const auto& [name, g] : st.subnet_groups)
        out.push_back(g);
    }
    return json{{"DBSubnetGroups", out}};
  });
  r.add("rds", "DeleteDBSubnetGroup", {"DBSubnetGroupName"}, [](const json& in, ServeContext& ctx) {
    auto& st = ctx.state<RdsNetwork>();
    const std::string name = in["DBSubnetGroupName"];
    auto it = st.subnet_groups.find(name);
    if (it == st.subnet_groups.end())
      throw group_not_found(name);
    auto& fleet = rds::api_instances(ctx);
    for (const auto& [id, s] : st.settings)
      if (s.contains("DBSubnetGroup") && s["DBSubnetGroup"]["DBSubnetGroupName"] == name &&
          fleet.find(id, ctx.simulation.now()) != nullptr)
        throw AwsError("InvalidDBSubnetGroupStateFault", "Cannot delete the subnet group '" + name +
                                                             "' because at least one database instance: " + id +
                                                             " is still using it.", 400);
    ctx.state<Tags>().forget(it->second["DBSubnetGroupArn"]);
    st.subnet_groups.erase(it);
    return json::object();
  });
  r.add("rds", "ListTagsForResource", {"ResourceName"}, [](const json& in, ServeContext& ctx) {
    check_tagged(ctx, in);
    return json{{"TagList", ctx.state<Tags>().list(in["ResourceName"])}};
  });
  r.add("rds", "AddTagsToResource", {"ResourceName", "Tags"}, [](const json& in, ServeContext& ctx) {
    check_tagged(ctx, in);
    ctx.state<Tags>().add(in["ResourceName"], in["Tags"]);
    return json::object();
  });
  r.add("rds", "RemoveTagsFromResource", {"ResourceName", "TagKeys"}, [](const json& in, ServeContext& ctx) {
    check_tagged(ctx, in);
    std::vector<std::string> keys;
    for (const auto& k : in["TagKeys"])
      keys.push_back(k);
    ctx.state<Tags>().untag(in["ResourceName"], keys);
    return json::object();
  });
}

}  // namespace migsim::harness::serve
