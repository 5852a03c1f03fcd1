// Security groups and their rules. Rules are kept as EC2 returns them: one IpPermission per
// (protocol, from port, to port) holding its CIDR ranges and referenced groups. EC2's checks: group
// names up to 255 characters, unique per VPC, not starting with "sg-"; referenced groups must exist
// (InvalidGroup.NotFound); a rule given twice is InvalidPermission.Duplicate; a group another group's
// rule references cannot be deleted (DependencyViolation); the default group cannot be deleted.
#include "harness/serve/ec2/network.hpp"

#include "harness/serve/core/registry.hpp"

#include <algorithm>

namespace migsim::harness::serve::ec2net {

namespace {

// EC2 names protocols by number or keyword; it answers with the keyword for tcp/udp/icmp.
std::string protocol_name(std::string p)
{
  std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return std::tolower(c); });
  if (p == "6")
    return "tcp";
  if (p == "17")
    return "udp";
  if (p == "1")
    return "icmp";
  if (p == "all")
    return "-1";
  return p;
}

// The (protocol, from, to) key of a permission.
std::tuple<std::string, long long, long long> key_of(const json& p)
{
  const std::string proto = protocol_name(p.value("IpProtocol", std::string("-1")));
  if (proto == "-1")
    return {proto, 0, 0};
  return {proto, p.value("FromPort", -1LL), p.value("ToPort", -1LL)};
}

// A permission of the request, normalised and checked.
json normalise(Ec2Network& n, const json& p)
{
  json out = {{"IpProtocol", protocol_name(p.value("IpProtocol", std::string("-1")))},
              {"IpRanges", json::array()},
              {"Ipv6Ranges", json::array()},
              {"PrefixListIds", json::array()},
              {"UserIdGroupPairs", json::array()}};
  const std::string proto = out["IpProtocol"];
  if (proto != "-1") {
    if (proto == "tcp" || proto == "udp") {
      if (!p.contains("FromPort") || !p.contains("ToPort"))
        throw aws::AwsError("InvalidParameterValue", "Invalid value 'Must specify both from and to ports with TCP/UDP.' "
                                                     "for portRange.");
      if (p["FromPort"].get<long long>() > p["ToPort"].get<long long>() || p["FromPort"].get<long long>() < 0 ||
          p["ToPort"].get<long long>() > 65535)
        throw aws::AwsError("InvalidParameterValue",
                            "Invalid TCP/UDP port range " + std::to_string(p["FromPort"].get<long long>()) + "-" +
                                std::to_string(p["ToPort"].get<long long>()));
    }
    if (p.contains("FromPort"))
      out["FromPort"] = p["FromPort"];
    if (p.contains("ToPort"))
      out["ToPort"] = p["ToPort"];
  }
  if (p.contains("IpRanges"))
    for (const auto& range : p["IpRanges"]) {
      const std::string cidr = range.value("CidrIp", std::string());
      if (!parse_cidr(cidr))
        throw aws::AwsError("InvalidParameterValue", "CIDR block " + cidr + " is malformed");
      json r = {{"CidrIp", cidr}};
      if (range.contains("Description"))
        r["Description"] = range["Description"];
      out["IpRanges"].push_back(r);
    }
  for (const char* k : {"Ipv6Ranges", "PrefixListIds"})
    if (p.contains(k))
      out[k] = p[k];
  if (p.contains("UserIdGroupPairs"))
    for (const auto& pair : p["UserIdGroupPairs"]) {
      const std::string gid = pair.value("GroupId", std::string());
      if (!n.security_groups.count(gid))
        throw aws::AwsError("InvalidGroup.NotFound", "The security group '" + gid + "' does not exist");
      json g = {{"GroupId", gid}, {"UserId", kOwner}};
      if (pair.contains("Description"))
        g["Description"] = pair["Description"];
      out["UserIdGroupPairs"].push_back(g);
    }
  return out;
}

// The peers of a permission, each as (list name, member).
std::vector<std::pair<std::string, json>> peers(const json& p)
{
  std::vector<std::pair<std::string, json>> out;
  for (const char* k : {"IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs"})
    if (p.contains(k))
      for (const auto& m : p[k])
        out.emplace_back(k, m);
  return out;
}

// The identity of a peer (without its description).
std::string peer_id(const std::string& list, const json& m)
{
  if (list == "IpRanges")
    return m.value("CidrIp", std::string());
  if (list == "Ipv6Ranges")
    return m.value("CidrIpv6", std::string());
  if (list == "PrefixListIds")
    return m.value("PrefixListId", std::string());
  return m.value("GroupId", std::string());
}

std::string describe_rule(const json& p, const std::string& peer)
{
  const auto [proto, from, to] = key_of(p);
  std::string up = proto == "-1" ? "ALL" : proto;
  std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return std::toupper(c); });
  return "the specified rule \"peer: " + peer + ", " + up + ", from port: " + std::to_string(from) + ", to port: " +
         std::to_string(to) + ", ALLOW\" already exists";
}

// Authorize/Revoke Ingress/Egress.
void change_rules(Ec2Network& n, const json& in, bool egress, bool add)
{
  std::string gid = in.value("GroupId", std::string());
  if (gid.empty() && in.contains("GroupName"))
    for (const auto& [id, g] : n.security_groups)
      if (g["GroupName"] == in["GroupName"])
        gid = id;
  auto& group = lookup(n.security_groups, gid, "InvalidGroup.NotFound", "security group");
  json& perms = group[egress ? "IpPermissionsEgress" : "IpPermissions"];
  json requested = in.value("IpPermissions", json::array());
  if (in.contains("CidrIp") || in.contains("IpProtocol")) {  // the older flat form
    json p = {{"IpProtocol", in.value("IpProtocol", std::string("-1"))}};
    if (in.contains("FromPort"))
      p["FromPort"] = in["FromPort"];
    if (in.contains("ToPort"))
      p["ToPort"] = in["ToPort"];
    if (in.contains("CidrIp"))
      p["IpRanges"] = json::array({{{"CidrIp", in["CidrIp"]}}});
    requested.push_back(p);
  }
  // Check everything first: EC2 applies all or nothing.
  std::vector<json> normalised;
  for (const auto& p : requested)
    normalised.push_back(normalise(n, p));
  json updated = perms;
  for (const auto& p : normalised) {
    json* slot = nullptr;
    for (auto& have : updated)
      if (key_of(have) == key_of(p))
        slot = &have;
    for (const auto& [list, m] : peers(p)) {
      bool present = false;
      if (slot)
        for (const auto& hm : (*slot)[list])
          present = present || peer_id(list, hm) == peer_id(list, m);
      if (add && present)
        throw aws::AwsError("InvalidPermission.Duplicate", describe_rule(p, peer_id(list, m)));
      if (!add && !present)
        throw aws::AwsError("InvalidPermission.NotFound",
                            "The specified rule does not exist in this security group.");
      if (add) {
        if (!slot) {
          json fresh = p;
          for (const char* k : {"IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs"})
            fresh[k] = json::array();
          updated.push_back(fresh);
          slot = &updated.back();
        }
        (*slot)[list].push_back(m);
      } else {
        json kept = json::array();
        for (const auto& hm : (*slot)[list])
          if (peer_id(list, hm) != peer_id(list, m))
            kept.push_back(hm);
        (*slot)[list] = kept;
      }
    }
  }
  // A permission without peers is gone.
  json cleaned = json::array();
  for (const auto& p : updated)
    if (!peers(p).empty())
      cleaned.push_back(p);
  perms = cleaned;
}

}  // namespace

void register_security_groups(Registry& r)
{
  r.add("ec2", "CreateSecurityGroup", {"GroupName", "Description", "VpcId", "TagSpecifications", "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          auto& n = network(ctx);
          const std::string name = in["GroupName"];
          const std::string description = in["Description"];
          if (name.size() > 255)
            throw aws::AwsError("InvalidParameterValue",
                                "Invalid value '" + name + "' for groupName. Length exceeds maximum of 255");
          if (description.size() > 255)
            throw aws::AwsError("InvalidParameterValue", "Invalid value '" + description +
                                                             "' for GroupDescription. Length exceeds maximum of 255");
          if (name.rfind("sg-", 0) == 0)
            throw aws::AwsError("InvalidParameterValue",
                                "Group names may not be in the format sg-*");
          if (!in.contains("VpcId"))
            throw aws::AwsError("VPCIdNotSpecified", "No default VPC for this user");
          const std::string vpc = in["VpcId"];
          lookup(n.vpcs, vpc, "InvalidVpcID.NotFound", "vpc ID");
          for (const auto& [gid, g] : n.security_groups)
            if (g["VpcId"] == vpc && g["GroupName"] == name)
              throw aws::AwsError("InvalidGroup.Duplicate",
                                  "The security group '" + name + "' already exists for VPC '" + vpc + "'");
          const std::string id = n.new_id("sg");
          const std::string arn = "arn:aws:ec2:" + region(ctx) + ":" + kOwner + ":security-group/" + id;
          n.security_groups[id] = {{"GroupId", id},
                                   {"GroupName", name},
                                   {"Description", description},
                                   {"VpcId", vpc},
                                   {"OwnerId", kOwner},
                                   {"SecurityGroupArn", arn},
                                   {"IpPermissions", json::array()},
                                   {"IpPermissionsEgress", json::array({{{"IpProtocol", "-1"},
                                                                         {"IpRanges", json::array({{{"CidrIp", "0.0.0.0/0"}}})},
                                                                         {"Ipv6Ranges", json::array()},
                                                                         {"PrefixListIds", json::array()},
                                                                         {"UserIdGroupPairs", json::array()}}})}};
          n.tag_from_spec(id, in, "security-group");
          return json{{"GroupId", id}, {"SecurityGroupArn", arn}, {"Tags", n.tags_of(id)}};
        });
  r.add("ec2", "DescribeSecurityGroups", {"GroupIds", "GroupNames", "Filters", "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          auto& n = network(ctx);
          const auto ids = strings(in, "GroupIds");
          const auto names = strings(in, "GroupNames");
          for (const auto& id : ids)
            lookup(n.security_groups, id, "InvalidGroup.NotFound", "security group");
          json out = json::array();
          for (const auto& [id, g] : n.security_groups) {
            if (!ids.empty() && std::find(ids.begin(), ids.end(), id) == ids.end())
              continue;
            if (!names.empty() && std::find(names.begin(), names.end(), g["GroupName"]) == names.end())
              continue;
            const std::map<std::string, std::vector<std::string>> f = {
                {"group-id", {id}},
                {"group-name", {g["GroupName"].get<std::string>()}},
                {"vpc-id", {g["VpcId"].get<std::string>()}},
                {"description", {g["Description"].get<std::string>()}},
                {"owner-id", {kOwner}}};
            if (passes(in, f, n.tags_of(id)))
              out.push_back(with_tags(n, g, id));
          }
          if (!names.empty() && out.empty())
            throw aws::AwsError("InvalidGroup.NotFound", "The security group '" + names[0] + "' does not exist");
          return json{{"SecurityGroups", out}};
        });
  for (const auto& [op, egress, add] :
       {std::tuple{"AuthorizeSecurityGroupIngress", false, true}, std::tuple{"AuthorizeSecurityGroupEgress", true, true},
        std::tuple{"RevokeSecurityGroupIngress", false, false}, std::tuple{"RevokeSecurityGroupEgress", true, false}}) {
    r.add("ec2", op, {"GroupId", "GroupName", "IpPermissions", "CidrIp", "IpProtocol", "FromPort", "ToPort", "DryRun"},
          [egress = egress, add = add](const json& in, ServeContext& ctx) {
            dry_run_guard(in);
            change_rules(network(ctx), in, egress, add);
            return json{{"Return", true}};
          });
  }
  r.add("ec2", "DeleteSecurityGroup", {"GroupId", "GroupName", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    std::string id = in.value("GroupId", std::string());
    if (id.empty())
      for (const auto& [gid, g] : n.security_groups)
        if (g["GroupName"] == in.value("GroupName", std::string()))
          id = gid;
    auto& g = lookup(n.security_groups, id, "InvalidGroup.NotFound", "security group");
    if (g["GroupName"] == "default")
      throw aws::AwsError("CannotDelete", "the specified group: \"" + id + "\" name: \"default\" cannot be deleted "
                                          "by a user");
    for (const auto& [oid, other] : n.security_groups) {
      if (oid == id)
        continue;
      for (const char* k : {"IpPermissions", "IpPermissionsEgress"})
        for (const auto& p : other[k])
          for (const auto& pair : p["UserIdGroupPairs"])
            if (pair["GroupId"] == id)
              throw aws::AwsError("DependencyViolation", "resource " + id + " has a dependent object");
    }
    n.security_groups.erase(id);
    n.forget_tags(id);
    return json::object();
  });
}

}  // namespace migsim::harness::serve::ec2net
