// VPCs and subnets: CIDR checks as EC2 makes them (block sizes /16-/28, subnets inside their VPC and
// not overlapping), the main route table, default security group and default network ACL a VPC
// comes with, attributes, dependency checks on delete; availability zones and account attributes.
#include "harness/serve/ec2/network.hpp"

#include "harness/serve/core/registry.hpp"

namespace migsim::harness::serve::ec2net {

namespace {

// The CIDR of a CreateVpc/CreateSubnet request, checked as EC2 does.
Cidr block_of(const json& in, const char* kind, const char* range_code)
{
  const std::string text = in.value("CidrBlock", std::string());
  auto c = parse_cidr(text);
  if (!c || (c->net & ~c->mask()) != 0)
    throw aws::AwsError("InvalidParameterValue",
                        "Value (" + text + ") for parameter cidrBlock is invalid. This is not a valid CIDR block.");
  if (c->prefix < 16 || c->prefix > 28)
    throw aws::AwsError(range_code, std::string("The CIDR '") + text + "' is invalid." +
                                        (std::string(kind) == "vpc" ? "" : ""));
  return *c;
}

std::string zone_id(ServeContext& ctx, const std::string& zone)
{
  const auto zones = zone_names(ctx);
  for (size_t i = 0; i < zones.size(); ++i)
    if (zones[i] == zone)
      return "use1-az" + std::to_string(i + 1);
  return "";
}

json flag(bool v) { return json{{"Value", v}}; }

// The main route table, default security group and default network ACL of a new VPC.
void create_vpc_defaults(Ec2Network& n, const std::string& vpc_id, const std::string& cidr)
{
  const std::string rt = n.new_id("rtb");
  n.route_tables[rt] = {{"RouteTableId", rt},
                        {"VpcId", vpc_id},
                        {"OwnerId", kOwner},
                        {"Routes", json::array({{{"DestinationCidrBlock", cidr},
                                                 {"GatewayId", "local"},
                                                 {"Origin", "CreateRouteTable"},
                                                 {"State", "active"}}})},
                        {"Associations", json::array({{{"Main", true},
                                                       {"RouteTableAssociationId", n.new_id("rtbassoc")},
                                                       {"RouteTableId", rt},
                                                       {"AssociationState", {{"State", "associated"}}}}})},
                        {"PropagatingVgws", json::array()}};
  const std::string sg = n.new_id("sg");
  n.security_groups[sg] = {
      {"GroupId", sg},
      {"GroupName", "default"},
      {"Description", "default VPC security group"},
      {"VpcId", vpc_id},
      {"OwnerId", kOwner},
      {"SecurityGroupArn", "arn:aws:ec2:us-east-1:" + std::string(kOwner) + ":security-group/" + sg},
      {"IpPermissions", json::array({{{"IpProtocol", "-1"},
                                      {"UserIdGroupPairs", json::array({{{"GroupId", sg}, {"UserId", kOwner}}})},
                                      {"IpRanges", json::array()},
                                      {"Ipv6Ranges", json::array()},
                                      {"PrefixListIds", json::array()}}})},
      {"IpPermissionsEgress", json::array({{{"IpProtocol", "-1"},
                                            {"IpRanges", json::array({{{"CidrIp", "0.0.0.0/0"}}})},
                                            {"UserIdGroupPairs", json::array()},
                                            {"Ipv6Ranges", json::array()},
                                            {"PrefixListIds", json::array()}}})}};
  const std::string acl = n.new_id("acl");
  json entries = json::array();
  for (bool egress : {false, true}) {
    entries.push_back({{"RuleNumber", 100}, {"Protocol", "-1"}, {"RuleAction", "allow"}, {"Egress", egress},
                       {"CidrBlock", "0.0.0.0/0"}});
    entries.push_back({{"RuleNumber", 32767}, {"Protocol", "-1"}, {"RuleAction", "deny"}, {"Egress", egress},
                       {"CidrBlock", "0.0.0.0/0"}});
  }
  n.network_acls[acl] = {{"NetworkAclId", acl}, {"VpcId", vpc_id},         {"IsDefault", true},
                         {"OwnerId", kOwner},  {"Entries", entries},        {"Associations", json::array()}};
}

// Why a VPC cannot be deleted ("" when it can).
std::string vpc_dependency(Ec2Network& n, const std::string& id)
{
  for (const auto& [sid, s] : n.subnets)
    if (s["VpcId"] == id)
      return sid;
  for (const auto& [gid, g] : n.internet_gateways)
    for (const auto& a : g["Attachments"])
      if (a["VpcId"] == id)
        return gid;
  for (const auto& [rid, rt] : n.route_tables) {
    bool main = false;
    for (const auto& a : rt["Associations"])
      main = main || a.value("Main", false);
    if (rt["VpcId"] == id && !main)
      return rid;
  }
  for (const auto& [gid, g] : n.security_groups)
    if (g["VpcId"] == id && g["GroupName"] != "default")
      return gid;
  for (const auto& [aid, a] : n.network_acls)
    if (a["VpcId"] == id && !a["IsDefault"].get<bool>())
      return aid;
  for (const auto& [eid, e] : n.vpc_endpoints)
    if (e["VpcId"] == id && e["State"] != "deleted")
      return eid;
  return "";
}

}  // namespace

void register_vpcs(Registry& r)
{
  r.add("ec2", "CreateVpc", {"CidrBlock", "InstanceTenancy", "TagSpecifications", "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          auto& n = network(ctx);
          if (!in.contains("CidrBlock"))
            throw aws::AwsError("MissingParameter", "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.");
          const Cidr c = block_of(in, "vpc", "InvalidVpc.Range");
          const std::string id = n.new_id("vpc");
          const std::string cidr = cidr_text(c);
          n.vpcs[id] = {{"VpcId", id},
                        {"CidrBlock", cidr},
                        {"State", "available"},
                        {"DhcpOptionsId", "dopt-00000000000000001"},
                        {"InstanceTenancy", in.value("InstanceTenancy", std::string("default"))},
                        {"IsDefault", false},
                        {"OwnerId", kOwner},
                        {"CidrBlockAssociationSet", json::array({{{"AssociationId", n.new_id("vpc-cidr-assoc")},
                                                                   {"CidrBlock", cidr},
                                                                   {"CidrBlockState", {{"State", "associated"}}}}})},
                        {"Ipv6CidrBlockAssociationSet", json::array()}};
          n.vpc_attributes[id] = {{"EnableDnsSupport", true},
                                  {"EnableDnsHostnames", false},
                                  {"EnableNetworkAddressUsageMetrics", false}};
          n.tag_from_spec(id, in, "vpc");
          create_vpc_defaults(n, id, cidr);
          return json{{"Vpc", with_tags(n, n.vpcs[id], id)}};
        });
  r.add("ec2", "DescribeVpcs", {"VpcIds", "Filters", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    json out = json::array();
    const auto ids = strings(in, "VpcIds");
    for (const auto& id : ids)
      lookup(n.vpcs, id, "InvalidVpcID.NotFound", "vpc ID");
    for (const auto& [id, v] : n.vpcs) {
      if (!ids.empty() && std::find(ids.begin(), ids.end(), id) == ids.end())
        continue;
      const std::map<std::string, std::vector<std::string>> f = {
          {"vpc-id", {id}}, {"cidr", {v["CidrBlock"]}}, {"cidr-block-association.cidr-block", {v["CidrBlock"]}},
          {"state", {v["State"]}}, {"is-default", {"false"}}, {"owner-id", {kOwner}},
          {"dhcp-options-id", {v["DhcpOptionsId"]}}};
      if (passes(in, f, n.tags_of(id)))
        out.push_back(with_tags(n, v, id));
    }
    return json{{"Vpcs", out}};
  });
  r.add("ec2", "DeleteVpc", {"VpcId", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const std::string id = in["VpcId"];
    lookup(n.vpcs, id, "InvalidVpcID.NotFound", "vpc ID");
    if (const auto dep = vpc_dependency(n, id); !dep.empty())
      throw aws::AwsError("DependencyViolation",
                          "The vpc '" + id + "' has dependencies and cannot be deleted. (" + dep + ")");
    for (auto* table : {&n.route_tables, &n.security_groups, &n.network_acls})
      for (auto it = table->begin(); it != table->end();)
        it = (*it).second["VpcId"] == id ? (n.forget_tags(it->first), table->erase(it)) : std::next(it);
    n.vpcs.erase(id);
    n.vpc_attributes.erase(id);
    n.forget_tags(id);
    return json::object();
  });
  r.add("ec2", "DescribeVpcAttribute", {"VpcId", "Attribute", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const std::string id = in["VpcId"];
    lookup(n.vpcs, id, "InvalidVpcID.NotFound", "vpc ID");
    std::string attr = in["Attribute"];
    attr[0] = static_cast<char>(std::toupper(attr[0]));
    if (!n.vpc_attributes[id].contains(attr))
      throw aws::AwsError("InvalidParameterValue", "Value (" + in["Attribute"].get<std::string>() +
                                                       ") for parameter attribute is invalid.");
    return json{{"VpcId", id}, {attr, flag(n.vpc_attributes[id][attr].get<bool>())}};
  });
  r.add("ec2", "ModifyVpcAttribute",
        {"VpcId", "EnableDnsSupport", "EnableDnsHostnames", "EnableNetworkAddressUsageMetrics"},
        [](const json& in, ServeContext& ctx) {
          auto& n = network(ctx);
          const std::string id = in["VpcId"];
          lookup(n.vpcs, id, "InvalidVpcID.NotFound", "vpc ID");
          int given = 0;
          for (const char* a : {"EnableDnsSupport", "EnableDnsHostnames", "EnableNetworkAddressUsageMetrics"})
            if (in.contains(a) && in[a].contains("Value")) {
              n.vpc_attributes[id][a] = in[a]["Value"].get<bool>();
              ++given;
            }
          if (given != 1)
            throw aws::AwsError("InvalidParameterCombination", "Exactly one attribute must be specified.");
          return json::object();
        });

  r.add("ec2", "CreateSubnet", {"VpcId", "CidrBlock", "AvailabilityZone", "AvailabilityZoneId", "TagSpecifications",
                                "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          auto& n = network(ctx);
          const std::string vpc_id = in["VpcId"];
          auto& vpc = lookup(n.vpcs, vpc_id, "InvalidVpcID.NotFound", "vpc ID");
          if (!in.contains("CidrBlock"))
            throw aws::AwsError("MissingParameter", "The request must contain the parameter cidrBlock");
          const Cidr c = block_of(in, "subnet", "InvalidSubnet.Range");
          const std::string cidr = cidr_text(c);
          if (!parse_cidr(vpc["CidrBlock"])->contains(c))
            throw aws::AwsError("InvalidSubnet.Range", "The CIDR '" + cidr + "' is invalid.");
          for (const auto& [sid, s] : n.subnets)
            if (s["VpcId"] == vpc_id && parse_cidr(s["CidrBlock"])->overlaps(c))
              throw aws::AwsError("InvalidSubnet.Conflict", "The CIDR '" + cidr + "' conflicts with another subnet");
          const auto zones = zone_names(ctx);
          std::string zone = in.value("AvailabilityZone", std::string());
          if (zone.empty() && in.contains("AvailabilityZoneId"))
            for (const auto& z : zones)
              if (zone_id(ctx, z) == in["AvailabilityZoneId"])
                zone = z;
          if (zone.empty())
            zone = zones[n.subnets.size() % zones.size()];
          if (zone_id(ctx, zone).empty()) {
            std::string list;
            for (const auto& z : zones)
              list += (list.empty() ? "" : ", ") + z;
            throw aws::AwsError("InvalidParameterValue",
                                "Value (" + zone + ") for parameter availabilityZone is invalid. Subnets can "
                                "currently only be created in the following availability zones: " + list + ".");
          }
          const std::string id = n.new_id("subnet");
          n.subnets[id] = {{"SubnetId", id},
                           {"VpcId", vpc_id},
                           {"CidrBlock", cidr},
                           {"AvailabilityZone", zone},
                           {"AvailabilityZoneId", zone_id(ctx, zone)},
                           {"State", "available"},
                           {"AvailableIpAddressCount", static_cast<int64_t>(c.size()) - 5},
                           {"DefaultForAz", false},
                           {"MapPublicIpOnLaunch", false},
                           {"MapCustomerOwnedIpOnLaunch", false},
                           {"AssignIpv6AddressOnCreation", false},
                           {"Ipv6CidrBlockAssociationSet", json::array()},
                           {"EnableDns64", false},
                           {"Ipv6Native", false},
                           {"OwnerId", kOwner},
                           {"SubnetArn", "arn:aws:ec2:" + region(ctx) + ":" + kOwner + ":subnet/" + id},
                           {"PrivateDnsNameOptionsOnLaunch", {{"HostnameType", "ip-name"},
                                                              {"EnableResourceNameDnsARecord", false},
                                                              {"EnableResourceNameDnsAAAARecord", false}}}};
          n.tag_from_spec(id, in, "subnet");
          // A new subnet is associated with its VPC's default network ACL.
          for (auto& [aid, acl] : n.network_acls)
            if (acl["VpcId"] == vpc_id && acl["IsDefault"].get<bool>())
              acl["Associations"].push_back(
                  {{"NetworkAclAssociationId", n.new_id("aclassoc")}, {"NetworkAclId", aid}, {"SubnetId", id}});
          return json{{"Subnet", with_tags(n, n.subnets[id], id)}};
        });
  r.add("ec2", "DescribeSubnets", {"SubnetIds", "Filters", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const auto ids = strings(in, "SubnetIds");
    for (const auto& id : ids)
      lookup(n.subnets, id, "InvalidSubnetID.NotFound", "subnet ID");
    json out = json::array();
    for (const auto& [id, s] : n.subnets) {
      if (!ids.empty() && std::find(ids.begin(), ids.end(), id) == ids.end())
        continue;
      const std::map<std::string, std::vector<std::string>> f = {
          {"subnet-id", {id}},
          {"vpc-id", {s["VpcId"]}},
          {"cidr-block", {s["CidrBlock"]}},
          {"cidr", {s["CidrBlock"]}},
          {"availability-zone", {s["AvailabilityZone"]}},
          {"availability-zone-id", {s["AvailabilityZoneId"]}},
          {"state", {s["State"]}},
          {"default-for-az", {"false"}},
          {"owner-id", {kOwner}},
          {"map-public-ip-on-launch", {s["MapPublicIpOnLaunch"].get<bool>() ? "true" : "false"}}};
      if (passes(in, f, n.tags_of(id)))
        out.push_back(with_tags(n, s, id));
    }
    return json{{"Subnets", out}};
  });
  r.add("ec2", "ModifySubnetAttribute",
        {"SubnetId", "MapPublicIpOnLaunch", "AssignIpv6AddressOnCreation", "EnableDns64",
         "PrivateDnsHostnameTypeOnLaunch", "EnableResourceNameDnsARecordOnLaunch",
         "EnableResourceNameDnsAAAARecordOnLaunch", "MapCustomerOwnedIpOnLaunch"},
        [](const json& in, ServeContext& ctx) {
          auto& n = network(ctx);
          auto& s = lookup(n.subnets, in["SubnetId"], "InvalidSubnetID.NotFound", "subnet ID");
          for (const char* a : {"MapPublicIpOnLaunch", "AssignIpv6AddressOnCreation", "EnableDns64",
                                "MapCustomerOwnedIpOnLaunch"})
            if (in.contains(a) && in[a].contains("Value"))
              s[a] = in[a]["Value"].get<bool>();
          if (in.contains("PrivateDnsHostnameTypeOnLaunch"))
            s["PrivateDnsNameOptionsOnLaunch"]["HostnameType"] = in["PrivateDnsHostnameTypeOnLaunch"];
          if (in.contains("EnableResourceNameDnsARecordOnLaunch"))
            s["PrivateDnsNameOptionsOnLaunch"]["EnableResourceNameDnsARecord"] =
                in["EnableResourceNameDnsARecordOnLaunch"].value("Value", false);
          if (in.contains("EnableResourceNameDnsAAAARecordOnLaunch"))
            s["PrivateDnsNameOptionsOnLaunch"]["EnableResourceNameDnsAAAARecord"] =
                in["EnableResourceNameDnsAAAARecordOnLaunch"].value("Value", false);
          return json::object();
        });
  r.add("ec2", "DeleteSubnet", {"SubnetId", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const std::string id = in["SubnetId"];
    lookup(n.subnets, id, "InvalidSubnetID.NotFound", "subnet ID");
    for (const auto& [nid, nat] : n.nat_gateways)
      if (nat["SubnetId"] == id && nat["State"] != "deleted")
        throw aws::AwsError("DependencyViolation",
                            "The subnet '" + id + "' has dependencies and cannot be deleted.");
    for (auto& [rid, rt] : n.route_tables) {
      json kept = json::array();
      for (const auto& a : rt["Associations"])
        if (a.value("SubnetId", std::string()) != id)
          kept.push_back(a);
      rt["Associations"] = kept;
    }
    for (auto& [aid, acl] : n.network_acls) {
      json kept = json::array();
      for (const auto& a : acl["Associations"])
        if (a.value("SubnetId", std::string()) != id)
          kept.push_back(a);
      acl["Associations"] = kept;
    }
    n.subnets.erase(id);
    n.forget_tags(id);
    return json::object();
  });

  r.add("ec2", "DescribeAvailabilityZones", {"ZoneNames", "ZoneIds", "Filters", "AllAvailabilityZones", "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          const auto names = strings(in, "ZoneNames");
          const auto ids = strings(in, "ZoneIds");
          const std::string reg = region(ctx);
          json out = json::array();
          for (const auto& z : zone_names(ctx)) {
            const std::string zid = zone_id(ctx, z);
            if ((!names.empty() && std::find(names.begin(), names.end(), z) == names.end()) ||
                (!ids.empty() && std::find(ids.begin(), ids.end(), zid) == ids.end()))
              continue;
            const std::map<std::string, std::vector<std::string>> f = {
                {"zone-name", {z}},           {"zone-id", {zid}},          {"state", {"available"}},
                {"region-name", {reg}},        {"zone-type", {"availability-zone"}},
                {"opt-in-status", {"opt-in-not-required"}}, {"group-name", {reg}},
                {"network-border-group", {reg}}};
            if (passes(in, f, json::array()))
              out.push_back({{"ZoneName", z}, {"ZoneId", zid}, {"State", "available"}, {"RegionName", reg},
                             {"ZoneType", "availability-zone"}, {"OptInStatus", "opt-in-not-required"},
                             {"GroupName", reg}, {"NetworkBorderGroup", reg}, {"Messages", json::array()}});
          }
          return json{{"AvailabilityZones", out}};
        });
  r.add("ec2", "DescribeAccountAttributes", {"AttributeNames", "DryRun"}, [](const json& in, ServeContext&) {
    dry_run_guard(in);
    const std::vector<std::pair<std::string, std::string>> all = {
        {"supported-platforms", "VPC"}, {"default-vpc", "none"}, {"max-instances", "20"},
        {"vpc-max-security-groups-per-interface", "5"}, {"max-elastic-ips", "5"}, {"vpc-max-elastic-ips", "5"}};
    const auto names = strings(in, "AttributeNames");
    json out = json::array();
    for (const auto& [name, value] : all)
      if (names.empty() || std::find(names.begin(), names.end(), name) != names.end())
        out.push_back({{"AttributeName", name}, {"AttributeValues", json::array({{{"AttributeValue", value}}})}});
    return json{{"AccountAttributes", out}};
  });
  // No network interfaces are modelled: the provider asks for lingering ones before deleting a
  // subnet or a security group, and there are none.
  r.add("ec2", "DescribeNetworkInterfaces", {"NetworkInterfaceIds", "Filters", "DryRun"},
        [](const json& in, ServeContext&) {
          dry_run_guard(in);
          for (const auto& id : strings(in, "NetworkInterfaceIds"))
            throw not_found("InvalidNetworkInterfaceID.NotFound", "networkInterface ID", id);
          return json{{"NetworkInterfaces", json::array()}};
        });
}

}  // namespace migsim::harness::serve::ec2net
