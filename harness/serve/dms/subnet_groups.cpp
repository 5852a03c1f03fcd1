// DMS replication subnet groups (over the EC2 subnets created through the API; DMS serverless runs
// its replications in one) and DMS tags (ListTagsForResource, AddTagsToResource,
// RemoveTagsFromResource) for endpoints, replication configs and subnet groups. AWS's checks:
// subnets exist, share one VPC and cover two Availability Zones; a group in use by a replication
// config cannot be deleted.
#include "harness/serve/dms/backend.hpp"
#include "harness/serve/ec2/network.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

#include <set>

namespace migsim::harness::serve {

namespace {

struct DmsSubnetGroups {
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  std::map<std::string, json> by_id;  // lower-case identifier -> ReplicationSubnetGroup
};

std::string lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string group_arn(const ServeContext& ctx, const std::string& id) { return arn(ctx, "dms", "subgrp:" + id); }

json make_group(ServeContext& ctx, const json& in)
{
  const std::string id = lower(in["ReplicationSubnetGroupIdentifier"]);
  if (id.empty() || id.size() > 255 || id == "default")
    throw AwsError("InvalidParameterValueException", "The parameter ReplicationSubnetGroupIdentifier is not a valid "
                                                     "identifier.", 400);
  auto& net = ctx.state<ec2net::Ec2Network>();
  std::string vpc;
  std::set<std::string> zones;
  json subnets = json::array();
  for (const auto& s : in["SubnetIds"]) {
    auto it = net.subnets.find(s.get<std::string>());
    if (it == net.subnets.end())
      throw AwsError("InvalidSubnet", "The subnet " + s.get<std::string>() + " does not exist.", 400);
    if (!vpc.empty() && it->second["VpcId"] != vpc)
      throw AwsError("InvalidParameterValueException", "All subnets must be in the same VPC.", 400);
    vpc = it->second["VpcId"];
    zones.insert(it->second["AvailabilityZone"].get<std::string>());
    subnets.push_back({{"SubnetIdentifier", s},
                       {"SubnetAvailabilityZone", {{"Name", it->second["AvailabilityZone"]}}},
                       {"SubnetStatus", "Active"}});
  }
  if (zones.size() < 2)
    throw AwsError("ReplicationSubnetGroupDoesNotCoverEnoughAZs",
                   "The replication subnet group does not cover enough Availability Zones (AZs). Edit the replication "
                   "subnet group and add more AZs.", 400);
  return {{"ReplicationSubnetGroupIdentifier", id},
          {"ReplicationSubnetGroupDescription", in.value("ReplicationSubnetGroupDescription", std::string())},
          {"VpcId", vpc},
          {"SubnetGroupStatus", "Complete"},
          {"Subnets", subnets},
          {"SupportedNetworkTypes", json::array({"IPV4"})}};
}

// Whether any DMS resource has this ARN.
bool dms_arn_exists(ServeContext& ctx, const std::string& arn)
{
  if (dms::has_arn(ctx, arn))
    return true;
  const std::string prefix = group_arn(ctx, "");
  return arn.rfind(prefix, 0) == 0 && ctx.state<DmsSubnetGroups>().by_id.count(arn.substr(prefix.size()));
}

void check_arn(ServeContext& ctx, const json& in)
{
  if (!dms_arn_exists(ctx, in["ResourceArn"]))
    throw AwsError("ResourceNotFoundFault", "Resource " + in["ResourceArn"].get<std::string>() + " not found.", 400);
}

}  // namespace

void register_dms_subnet_groups(Registry& r)
{
  r.add("dms", "CreateReplicationSubnetGroup",
        {"ReplicationSubnetGroupIdentifier", "ReplicationSubnetGroupDescription", "SubnetIds", "Tags"},
        [](const json& in, ServeContext& ctx) {
          auto& st = ctx.state<DmsSubnetGroups>();
          json g = make_group(ctx, in);
          const std::string id = g["ReplicationSubnetGroupIdentifier"];
          if (st.by_id.count(id))
            throw AwsError("ResourceAlreadyExistsFault", "Replication Subnet Group " + id + " already exists.", 400);
          st.by_id[id] = g;
          ctx.state<Tags>().add(group_arn(ctx, id), in.value("Tags", json::array()));
          return json{{"ReplicationSubnetGroup", g}};
        });
  r.add("dms", "ModifyReplicationSubnetGroup",
        {"ReplicationSubnetGroupIdentifier", "ReplicationSubnetGroupDescription", "SubnetIds"},
        [](const json& in, ServeContext& ctx) {
          auto& st = ctx.state<DmsSubnetGroups>();
          const std::string id = lower(in["ReplicationSubnetGroupIdentifier"]);
          if (!st.by_id.count(id))
            throw AwsError("ResourceNotFoundFault", "Replication Subnet Group " + id + " not found.", 400);
          json next = in;
          if (!next.contains("ReplicationSubnetGroupDescription"))
            next["ReplicationSubnetGroupDescription"] = st.by_id[id]["ReplicationSubnetGroupDescription"];
          st.by_id[id] = make_group(ctx, next);
          return json{{"ReplicationSubnetGroup", st.by_id[id]}};
        });
  r.add("dms", "DescribeReplicationSubnetGroups", {"Filters"}, [](const json& in, ServeContext& ctx) {
    json out = json::array();
    for (const auto& [id, g] : ctx.state<DmsSubnetGroups>().by_id) {
      bool keep = true;
      for (const auto& f : in.value("Filters", json::array())) {
        const std::string name = f.value("Name", std::string());
        if (name != "replication-subnet-group-id")
          throw AwsError("InvalidParameterValueException", "Filter " + name + " is not supported by migsim", 400);
        bool any = false;
        for (const auto& v : f["Values"])
          any = any || lower(v.get<std::string>()) == id;
        keep = keep && any;
      }
      if (keep)
        out.push_back(g);
    }
    return json{{"ReplicationSubnetGroups", out}};
  });
  r.add("dms", "DeleteReplicationSubnetGroup", {"ReplicationSubnetGroupIdentifier"}, [](const json& in, ServeContext& ctx) {
    auto& st = ctx.state<DmsSubnetGroups>();
    const std::string id = lower(in["ReplicationSubnetGroupIdentifier"]);
    if (!st.by_id.count(id))
      throw AwsError("ResourceNotFoundFault", "Replication Subnet Group " + id + " not found.", 400);
    for (const auto& [arn, c] : ctx.state<dms::DmsBackend>().configs)
      if (c.contains("ComputeConfig") && lower(c["ComputeConfig"].value("ReplicationSubnetGroupId", std::string())) == id)
        throw AwsError("InvalidResourceStateFault", "Cannot delete Replication Subnet Group " + id +
                                                        ": it is in use by " + arn, 400);
    st.by_id.erase(id);
    ctx.state<Tags>().forget(group_arn(ctx, id));
    return json::object();
  });
  r.add("dms", "ListTagsForResource", {"ResourceArn"}, [](const json& in, ServeContext& ctx) {
    check_arn(ctx, in);
    return json{{"TagList", ctx.state<Tags>().list(in["ResourceArn"])}};
  });
  r.add("dms", "AddTagsToResource", {"ResourceArn", "Tags"}, [](const json& in, ServeContext& ctx) {
    check_arn(ctx, in);
    ctx.state<Tags>().add(in["ResourceArn"], in["Tags"]);
    return json::object();
  });
  r.add("dms", "RemoveTagsFromResource", {"ResourceArn", "TagKeys"}, [](const json& in, ServeContext& ctx) {
    check_arn(ctx, in);
    std::vector<std::string> keys;
    for (const auto& k : in["TagKeys"])
      keys.push_back(k);
    ctx.state<Tags>().untag(in["ResourceArn"], keys);
    return json::object();
  });
}

}  // namespace migsim::harness::serve
