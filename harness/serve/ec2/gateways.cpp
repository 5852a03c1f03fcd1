// Internet gateways, Elastic IP addresses and NAT gateways. A public NAT gateway needs an
// unassociated Elastic IP and an internet gateway on its VPC (EC2's Gateway.NotAttached otherwise);
// it is `pending` for nat_gateway_provisioning_s simulated seconds, then `available`; deleting takes
// nat_gateway_deleting_s, then it stays listed as `deleted` as in AWS.
#include "harness/serve/core/provisioning.hpp"
#include "harness/serve/ec2/network.hpp"

#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/serve_context.hpp"

#include <algorithm>

namespace migsim::harness::serve::ec2net {

namespace {

bool selected(const std::vector<std::string>& ids, const std::string& id)
{
  return ids.empty() || std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string attached_vpc(const json& igw)
{
  return igw["Attachments"].empty() ? "" : igw["Attachments"][0]["VpcId"].get<std::string>();
}

void register_internet_gateways(Registry& r)
{
  r.add("ec2", "CreateInternetGateway", {"TagSpecifications", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const std::string id = n.new_id("igw");
    n.internet_gateways[id] = {{"InternetGatewayId", id}, {"OwnerId", kOwner}, {"Attachments", json::array()}};
    n.tag_from_spec(id, in, "internet-gateway");
    return json{{"InternetGateway", with_tags(n, n.internet_gateways[id], id)}};
  });
  r.add("ec2", "AttachInternetGateway", {"InternetGatewayId", "VpcId", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    auto& igw = lookup(n.internet_gateways, in["InternetGatewayId"], "InvalidInternetGatewayID.NotFound",
                       "internetGateway ID");
    const std::string vpc = in["VpcId"];
    lookup(n.vpcs, vpc, "InvalidVpcID.NotFound", "vpc ID");
    if (!attached_vpc(igw).empty())
      throw aws::AwsError("Resource.AlreadyAssociated", "resource " + in["InternetGatewayId"].get<std::string>() +
                                                            " is already attached to network " + attached_vpc(igw));
    for (const auto& [gid, g] : n.internet_gateways)
      if (attached_vpc(g) == vpc)
        throw aws::AwsError("Resource.AlreadyAssociated",
                            "resource " + vpc + " already has an internet gateway attached (" + gid + ")");
    igw["Attachments"] = json::array({{{"State", "available"}, {"VpcId", vpc}}});
    return json::object();
  });
  r.add("ec2", "DetachInternetGateway", {"InternetGatewayId", "VpcId", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const std::string id = in["InternetGatewayId"];
    auto& igw = lookup(n.internet_gateways, id, "InvalidInternetGatewayID.NotFound", "internetGateway ID");
    const std::string vpc = in["VpcId"];
    if (attached_vpc(igw) != vpc)
      throw aws::AwsError("Gateway.NotAttached", "resource " + id + " is not attached to network " + vpc);
    // AWS refuses while public addresses in the VPC are mapped (a NAT gateway's Elastic IP).
    for (const auto& [nid, nat] : n.nat_gateways)
      if (nat["VpcId"] == vpc && nat["State"] != "deleted" && nat.value("ConnectivityType", "public") == "public")
        throw aws::AwsError("DependencyViolation", "Network " + vpc + " has some mapped public address(es). Please "
                                                   "unmap those public address(es) before detaching the gateway.");
    igw["Attachments"] = json::array();
    return json::object();
  });
  r.add("ec2", "DeleteInternetGateway", {"InternetGatewayId", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const std::string id = in["InternetGatewayId"];
    auto& igw = lookup(n.internet_gateways, id, "InvalidInternetGatewayID.NotFound", "internetGateway ID");
    if (!attached_vpc(igw).empty())
      throw aws::AwsError("DependencyViolation", "The internetGateway '" + id +
                                                     "' has dependencies and cannot be deleted.");
    n.internet_gateways.erase(id);
    n.forget_tags(id);
    return json::object();
  });
  r.add("ec2", "DescribeInternetGateways", {"InternetGatewayIds", "Filters", "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          auto& n = network(ctx);
          const auto ids = strings(in, "InternetGatewayIds");
          for (const auto& id : ids)
            lookup(n.internet_gateways, id, "InvalidInternetGatewayID.NotFound", "internetGateway ID");
          json out = json::array();
          for (const auto& [id, g] : n.internet_gateways) {
            const std::string vpc = attached_vpc(g);
            const std::map<std::string, std::vector<std::string>> f = {
                {"internet-gateway-id", {id}},
                {"owner-id", {kOwner}},
                {"attachment.vpc-id", vpc.empty() ? std::vector<std::string>{} : std::vector<std::string>{vpc}},
                {"attachment.state",
                 vpc.empty() ? std::vector<std::string>{} : std::vector<std::string>{"available"}}};
            if (selected(ids, id) && passes(in, f, n.tags_of(id)))
              out.push_back(with_tags(n, g, id));
          }
          return json{{"InternetGateways", out}};
        });
}

void register_addresses(Registry& r)
{
  r.add("ec2", "AllocateAddress", {"Domain", "NetworkBorderGroup", "TagSpecifications", "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          auto& n = network(ctx);
          const std::string id = n.new_id("eipalloc");
          // Addresses from TEST-NET-3 (RFC 5737): never routable, never someone's real address.
          const std::string ip = "203.0.113." + std::to_string(1 + n.addresses.size() % 254);
          const std::string border = in.value("NetworkBorderGroup", region(ctx));
          n.addresses[id] = {{"AllocationId", id},       {"PublicIp", ip},
                             {"Domain", "vpc"},          {"PublicIpv4Pool", "amazon"},
                             {"NetworkBorderGroup", border}};
          n.tag_from_spec(id, in, "elastic-ip");
          return json{{"AllocationId", id}, {"PublicIp", ip},           {"Domain", "vpc"},
                      {"PublicIpv4Pool", "amazon"}, {"NetworkBorderGroup", border}};
        });
  r.add("ec2", "DescribeAddresses", {"AllocationIds", "PublicIps", "Filters", "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          auto& n = network(ctx);
          const auto ids = strings(in, "AllocationIds");
          const auto ips = strings(in, "PublicIps");
          for (const auto& id : ids)
            if (!n.addresses.count(id))
              throw aws::AwsError("InvalidAllocationID.NotFound", "The allocation ID '" + id + "' does not exist");
          json out = json::array();
          for (const auto& [id, a] : n.addresses) {
            const std::map<std::string, std::vector<std::string>> f = {
                {"allocation-id", {id}},
                {"public-ip", {a["PublicIp"]}},
                {"domain", {"vpc"}},
                {"association-id", {a.value("AssociationId", std::string())}},
                {"network-interface-id", {a.value("NetworkInterfaceId", std::string())}}};
            if (selected(ids, id) && selected(ips, a["PublicIp"]) && passes(in, f, n.tags_of(id)))
              out.push_back(with_tags(n, a, id));
          }
          if (!ips.empty() && out.empty())
            throw aws::AwsError("InvalidAddress.NotFound", "Address '" + ips[0] + "' not found.");
          return json{{"Addresses", out}};
        });
  r.add("ec2", "DescribeAddressesAttribute", {"AllocationIds", "Attribute", "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          auto& n = network(ctx);
          json out = json::array();
          for (const auto& id : strings(in, "AllocationIds")) {
            auto& a = lookup(n.addresses, id, "InvalidAllocationID.NotFound", "allocation ID");
            out.push_back({{"AllocationId", id}, {"PublicIp", a["PublicIp"]}});
          }
          return json{{"Addresses", out}};
        });
  r.add("ec2", "AssociateAddress", {"AllocationId", "InstanceId", "NetworkInterfaceId", "PrivateIpAddress",
                                    "AllowReassociation", "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          auto& n = network(ctx);
          const std::string id = in.value("AllocationId", std::string());
          auto& a = lookup(n.addresses, id, "InvalidAllocationID.NotFound", "allocation ID");
          const std::string target = in.value("NetworkInterfaceId", in.value("InstanceId", std::string()));
          if (target.empty())
            throw aws::AwsError("MissingParameter", "Either instance ID or network interface ID must be specified");
          if (a.contains("AssociationId") && !in.value("AllowReassociation", false))
            throw aws::AwsError("Resource.AlreadyAssociated",
                                "resource " + id + " is already associated with associate-id " +
                                    a["AssociationId"].get<std::string>());
          a["AssociationId"] = n.new_id("eipassoc");
          if (in.contains("InstanceId"))
            a["InstanceId"] = in["InstanceId"];
          if (in.contains("NetworkInterfaceId"))
            a["NetworkInterfaceId"] = in["NetworkInterfaceId"];
          a["NetworkInterfaceOwnerId"] = kOwner;
          if (in.contains("PrivateIpAddress"))
            a["PrivateIpAddress"] = in["PrivateIpAddress"];
          return json{{"AssociationId", a["AssociationId"]}};
        });
  r.add("ec2", "DisassociateAddress", {"AssociationId", "PublicIp", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const std::string assoc = in.value("AssociationId", std::string());
    for (auto& [id, a] : n.addresses)
      if ((!assoc.empty() && a.value("AssociationId", std::string()) == assoc) ||
          (assoc.empty() && a.value("PublicIp", std::string()) == in.value("PublicIp", std::string()))) {
        // An address a live NAT gateway holds is released by deleting the gateway, not here.
        for (const auto& [gw, g] : n.nat_gateways)
          if (g["State"] == "pending" || g["State"] == "available")
            for (const auto& ga : g["NatGatewayAddresses"])
              if (ga.value("AllocationId", std::string()) == id)
                throw aws::AwsError("InvalidIPAddress.InUse", "Address " + a.value("PublicIp", std::string()) +
                                                                  " is in use by " + gw + ".");
        for (const char* k : {"AssociationId", "InstanceId", "NetworkInterfaceId", "NetworkInterfaceOwnerId",
                              "PrivateIpAddress"})
          a.erase(k);
        return json::object();
      }
    throw aws::AwsError("InvalidAssociationID.NotFound", "The association ID '" + assoc + "' does not exist");
  });
  r.add("ec2", "ReleaseAddress", {"AllocationId", "NetworkBorderGroup", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const std::string id = in.value("AllocationId", std::string());
    auto& a = lookup(n.addresses, id, "InvalidAllocationID.NotFound", "allocation ID");
    if (a.contains("AssociationId") || a.contains("NetworkInterfaceId"))
      throw aws::AwsError("InvalidIPAddress.InUse", "Address " + a["PublicIp"].get<std::string>() + " is in use.");
    n.addresses.erase(id);
    n.forget_tags(id);
    return json::object();
  });
}

void register_nat_gateways(Registry& r)
{
  r.add("ec2", "CreateNatGateway",
        {"SubnetId", "AllocationId", "ConnectivityType", "PrivateIpAddress", "TagSpecifications", "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          auto& n = network(ctx);
          const std::string subnet_id = in["SubnetId"];
          auto& subnet = lookup(n.subnets, subnet_id, "InvalidSubnetID.NotFound", "subnet ID");
          const std::string vpc = subnet["VpcId"];
          const std::string type = in.value("ConnectivityType", std::string("public"));
          json address = json::object();
          if (type == "public") {
            if (!in.contains("AllocationId"))
              throw aws::AwsError("MissingParameter", "The request must contain the parameter AllocationId");
            const std::string alloc = in["AllocationId"];
            auto& a = lookup(n.addresses, alloc, "InvalidAllocationID.NotFound", "allocation ID");
            if (a.contains("NetworkInterfaceId"))
              throw aws::AwsError("Resource.AlreadyAssociated",
                                  "Elastic IP address [" + alloc + "] is already associated");
            bool igw = false;
            for (const auto& [gid, g] : n.internet_gateways)
              igw = igw || attached_vpc(g) == vpc;
            if (!igw)
              throw aws::AwsError("Gateway.NotAttached", "Network " + vpc + " has no Internet gateway attached");
            address = {{"AllocationId", alloc}, {"PublicIp", a["PublicIp"]}};
          }
          const std::string id = n.new_id("nat");
          const std::string eni = n.new_id("eni");
          const Cidr c = *parse_cidr(subnet["CidrBlock"]);
          const uint32_t host = c.net + 4 + static_cast<uint32_t>(n.nat_gateways.size() % (c.size() - 8));
          const std::string private_ip = in.value("PrivateIpAddress", cidr_text({host, 32}).substr(0, cidr_text({host, 32}).size() - 3));
          address["NetworkInterfaceId"] = eni;
          address["PrivateIp"] = private_ip;
          address["IsPrimary"] = true;
          address["Status"] = "succeeded";
          if (type == "public") {
            auto& a = n.addresses[address["AllocationId"]];
            a["AssociationId"] = n.new_id("eipassoc");
            a["NetworkInterfaceId"] = eni;
            a["NetworkInterfaceOwnerId"] = kOwner;
            a["PrivateIpAddress"] = private_ip;
          }
          n.nat_gateways[id] = {{"NatGatewayId", id},
                                {"SubnetId", subnet_id},
                                {"VpcId", vpc},
                                {"State", "pending"},
                                {"ConnectivityType", type},
                                {"CreateTime", epoch_s(now_s(ctx))},
                                {"NatGatewayAddresses", json::array({address})}};
          n.created_s[id] = now_s(ctx);
          ctx.state<ResourceTimeline>().created("ec2", "NatGateway", id, now_s(ctx),
                                                now_s(ctx) + nat_gateway_provisioning_s(), ctx.request_id);
          n.tag_from_spec(id, in, "natgateway");
          return json{{"NatGateway", with_tags(n, n.nat_gateways[id], id)}};
        });
  r.add("ec2", "DescribeNatGateways", {"NatGatewayIds", "Filter", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const auto ids = strings(in, "NatGatewayIds");
    for (const auto& id : ids)
      if (!n.nat_gateways.count(id))
        throw aws::AwsError("NatGatewayNotFound", "NAT gateway " + id + " was not found");
    json filters = in.contains("Filter") ? json{{"Filters", in["Filter"]}} : json::object();
    json out = json::array();
    for (const auto& [id, g] : n.nat_gateways) {
      const std::map<std::string, std::vector<std::string>> f = {{"nat-gateway-id", {id}},
                                                                  {"state", {g["State"]}},
                                                                  {"subnet-id", {g["SubnetId"]}},
                                                                  {"vpc-id", {g["VpcId"]}}};
      if (selected(ids, id) && passes(filters, f, n.tags_of(id)))
        out.push_back(with_tags(n, g, id));
    }
    return json{{"NatGateways", out}};
  });
  r.add("ec2", "DeleteNatGateway", {"NatGatewayId", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const std::string id = in["NatGatewayId"];
    if (!n.nat_gateways.count(id))
      throw aws::AwsError("NatGatewayNotFound", "NAT gateway " + id + " was not found");
    auto& g = n.nat_gateways[id];
    if (g["State"] == "pending" || g["State"] == "available") {
      g["State"] = "deleting";
      g["DeleteTime"] = epoch_s(now_s(ctx));
      n.deleted_s[id] = now_s(ctx);
      // The Elastic IP is free again once the gateway lets go of it.
      for (const auto& a : g["NatGatewayAddresses"])
        if (a.contains("AllocationId") && n.addresses.count(a["AllocationId"]))
          for (const char* k : {"AssociationId", "NetworkInterfaceId", "NetworkInterfaceOwnerId", "PrivateIpAddress"})
            n.addresses[a["AllocationId"]].erase(k);
    }
    return json{{"NatGatewayId", id}};
  });
}

}  // namespace

void register_gateways(Registry& r)
{
  register_internet_gateways(r);
  register_addresses(r);
  register_nat_gateways(r);
}

}  // namespace migsim::harness::serve::ec2net
