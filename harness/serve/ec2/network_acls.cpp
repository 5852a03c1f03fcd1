// Network ACLs: numbered allow/deny entries per direction (a new ACL denies everything with its
// `*` rule 32767), one ACL per subnet (a subnet moves between ACLs with
// ReplaceNetworkAclAssociation), the VPC's default ACL, and EC2's errors
// (NetworkAclEntryAlreadyExists, InvalidNetworkAclEntry.NotFound, DependencyViolation).
#include "harness/serve/ec2/network.hpp"

#include "harness/serve/core/registry.hpp"

#include <algorithm>

namespace migsim::harness::serve::ec2net {

namespace {

json entry_of(const json& in)
{
  const long long number = in["RuleNumber"];
  if (number < 1 || number > 32766)
    throw aws::AwsError("InvalidParameterValue",
                        "Invalid value '" + std::to_string(number) + "' for RuleNumber. Must be between 1 and 32766");
  json e = {{"RuleNumber", number},
            {"Protocol", in["Protocol"]},
            {"RuleAction", in["RuleAction"]},
            {"Egress", in["Egress"]}};
  if (in.contains("CidrBlock")) {
    const std::string cidr = in["CidrBlock"];
    if (!parse_cidr(cidr))
      throw aws::AwsError("InvalidParameterValue",
                          "Value (" + cidr + ") for parameter cidrBlock is invalid. This is not a valid CIDR block.");
    e["CidrBlock"] = cidr;
  }
  if (in.contains("Ipv6CidrBlock"))
    e["Ipv6CidrBlock"] = in["Ipv6CidrBlock"];
  const std::string proto = in["Protocol"];
  if ((proto == "6" || proto == "17") && in.contains("PortRange"))
    e["PortRange"] = in["PortRange"];
  if (proto == "1" && in.contains("IcmpTypeCode"))
    e["IcmpTypeCode"] = in["IcmpTypeCode"];
  return e;
}

json* find_entry(json& acl, long long number, bool egress)
{
  for (auto& e : acl["Entries"])
    if (e["RuleNumber"].get<long long>() == number && e["Egress"].get<bool>() == egress)
      return &e;
  return nullptr;
}

}  // namespace

void register_network_acls(Registry& r)
{
  r.add("ec2", "CreateNetworkAcl", {"VpcId", "TagSpecifications", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const std::string vpc = in["VpcId"];
    lookup(n.vpcs, vpc, "InvalidVpcID.NotFound", "vpc ID");
    const std::string id = n.new_id("acl");
    json entries = json::array();
    for (bool egress : {false, true})
      entries.push_back({{"RuleNumber", 32767}, {"Protocol", "-1"}, {"RuleAction", "deny"}, {"Egress", egress},
                         {"CidrBlock", "0.0.0.0/0"}});
    n.network_acls[id] = {{"NetworkAclId", id}, {"VpcId", vpc},     {"IsDefault", false},
                          {"OwnerId", kOwner},  {"Entries", entries}, {"Associations", json::array()}};
    n.tag_from_spec(id, in, "network-acl");
    return json{{"NetworkAcl", with_tags(n, n.network_acls[id], id)}};
  });
  r.add("ec2", "DescribeNetworkAcls", {"NetworkAclIds", "Filters", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const auto ids = strings(in, "NetworkAclIds");
    for (const auto& id : ids)
      lookup(n.network_acls, id, "InvalidNetworkAclID.NotFound", "networkAcl ID");
    json out = json::array();
    for (const auto& [id, acl] : n.network_acls) {
      if (!ids.empty() && std::find(ids.begin(), ids.end(), id) == ids.end())
        continue;
      std::map<std::string, std::vector<std::string>> f = {
          {"network-acl-id", {id}},
          {"vpc-id", {acl["VpcId"].get<std::string>()}},
          {"default", {acl["IsDefault"].get<bool>() ? "true" : "false"}},
          {"owner-id", {kOwner}},
          {"association.subnet-id", {}},  // known filters, even without associations
          {"association.association-id", {}},
          {"association.network-acl-id", {}}};
      for (const auto& a : acl["Associations"]) {
        f["association.subnet-id"].push_back(a["SubnetId"]);
        f["association.association-id"].push_back(a["NetworkAclAssociationId"]);
        f["association.network-acl-id"].push_back(id);
      }
      if (passes(in, f, n.tags_of(id)))
        out.push_back(with_tags(n, acl, id));
    }
    return json{{"NetworkAcls", out}};
  });
  r.add("ec2", "DeleteNetworkAcl", {"NetworkAclId", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const std::string id = in["NetworkAclId"];
    auto& acl = lookup(n.network_acls, id, "InvalidNetworkAclID.NotFound", "networkAcl ID");
    if (acl["IsDefault"].get<bool>())
      throw aws::AwsError("InvalidParameterValue", "cannot delete default network ACL " + id);
    if (!acl["Associations"].empty())
      throw aws::AwsError("DependencyViolation", "The networkAcl '" + id + "' has dependencies and cannot be deleted.");
    n.network_acls.erase(id);
    n.forget_tags(id);
    return json::object();
  });
  for (const char* op : {"CreateNetworkAclEntry", "ReplaceNetworkAclEntry"}) {
    const bool replace = std::string(op) == "ReplaceNetworkAclEntry";
    r.add("ec2", op,
          {"NetworkAclId", "RuleNumber", "Protocol", "RuleAction", "Egress", "CidrBlock", "Ipv6CidrBlock", "PortRange",
           "IcmpTypeCode", "DryRun"},
          [replace](const json& in, ServeContext& ctx) {
            dry_run_guard(in);
            auto& n = network(ctx);
            auto& acl = lookup(n.network_acls, in["NetworkAclId"], "InvalidNetworkAclID.NotFound", "networkAcl ID");
            const json e = entry_of(in);
            json* existing = find_entry(acl, e["RuleNumber"], e["Egress"]);
            if (replace) {
              if (!existing)
                throw aws::AwsError("InvalidNetworkAclEntry.NotFound",
                                    "The network acl entry identified by " + std::to_string(e["RuleNumber"].get<long long>()) +
                                        " does not exist.");
              *existing = e;
            } else {
              if (existing)
                throw aws::AwsError("NetworkAclEntryAlreadyExists",
                                    "The network acl entry identified by " +
                                        std::to_string(e["RuleNumber"].get<long long>()) + " already exists.");
              acl["Entries"].push_back(e);
              std::stable_sort(acl["Entries"].begin(), acl["Entries"].end(), [](const json& a, const json& b) {
                return a["RuleNumber"].get<long long>() < b["RuleNumber"].get<long long>();
              });
            }
            return json::object();
          });
  }
  r.add("ec2", "DeleteNetworkAclEntry", {"NetworkAclId", "RuleNumber", "Egress", "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          auto& n = network(ctx);
          auto& acl = lookup(n.network_acls, in["NetworkAclId"], "InvalidNetworkAclID.NotFound", "networkAcl ID");
          const long long number = in["RuleNumber"];
          const bool egress = in["Egress"];
          json kept = json::array();
          bool found = false;
          for (const auto& e : acl["Entries"]) {
            const bool match = e["RuleNumber"].get<long long>() == number && e["Egress"].get<bool>() == egress;
            found = found || match;
            if (!match)
              kept.push_back(e);
          }
          if (!found || number == 32767)
            throw aws::AwsError("InvalidNetworkAclEntry.NotFound",
                                "The network acl entry identified by " + std::to_string(number) + " does not exist.");
          acl["Entries"] = kept;
          return json::object();
        });
  r.add("ec2", "ReplaceNetworkAclAssociation", {"AssociationId", "NetworkAclId", "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          auto& n = network(ctx);
          const std::string assoc = in["AssociationId"];
          auto& target = lookup(n.network_acls, in["NetworkAclId"], "InvalidNetworkAclID.NotFound", "networkAcl ID");
          for (auto& [aid, acl] : n.network_acls)
            for (size_t i = 0; i < acl["Associations"].size(); ++i)
              if (acl["Associations"][i]["NetworkAclAssociationId"] == assoc) {
                const std::string subnet = acl["Associations"][i]["SubnetId"];
                acl["Associations"].erase(i);
                const std::string fresh = n.new_id("aclassoc");
                target["Associations"].push_back(
                    {{"NetworkAclAssociationId", fresh}, {"NetworkAclId", in["NetworkAclId"]}, {"SubnetId", subnet}});
                return json{{"NewAssociationId", fresh}};
              }
          throw aws::AwsError("InvalidAssociationID.NotFound", "The association ID '" + assoc + "' does not exist");
        });
}

}  // namespace migsim::harness::serve::ec2net
