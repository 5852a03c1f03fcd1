// Route tables: routes to an internet gateway, a NAT gateway or a VPC endpoint (checked to exist),
// subnet associations (one route table per subnet), the main table each VPC has, and EC2's errors
// (RouteAlreadyExists, InvalidRoute.NotFound, Resource.AlreadyAssociated, DependencyViolation).
#include "harness/serve/ec2/network.hpp"

#include "harness/serve/core/registry.hpp"

#include <algorithm>

namespace migsim::harness::serve::ec2net {

namespace {

// The route a CreateRoute/ReplaceRoute input describes, its target checked.
json route_of(Ec2Network& n, const json& in, const std::string& vpc)
{
  if (!in.contains("DestinationCidrBlock"))
    throw aws::AwsError("MissingParameter", "The request must contain the parameter destinationCidrBlock");
  const std::string dest = in["DestinationCidrBlock"];
  const auto c = parse_cidr(dest);
  if (!c)
    throw aws::AwsError("InvalidParameterValue",
                        "Value (" + dest + ") for parameter destinationCidrBlock is invalid. This is not a valid "
                        "CIDR block.");
  json route = {{"DestinationCidrBlock", cidr_text(*c)}, {"Origin", "CreateRoute"}, {"State", "active"}};
  int targets = 0;
  if (in.contains("GatewayId")) {
    const std::string g = in["GatewayId"];
    auto it = n.internet_gateways.find(g);
    if (it == n.internet_gateways.end())
      throw aws::AwsError("InvalidGatewayID.NotFound", "The gateway ID '" + g + "' does not exist");
    if (it->second["Attachments"].empty() || it->second["Attachments"][0]["VpcId"] != vpc)
      throw aws::AwsError("InvalidParameterValue",
                          "route table and network gateway belong to different networks");
    route["GatewayId"] = g;
    ++targets;
  }
  if (in.contains("NatGatewayId")) {
    const std::string g = in["NatGatewayId"];
    auto it = n.nat_gateways.find(g);
    if (it == n.nat_gateways.end() || it->second["State"] == "deleted")
      throw aws::AwsError("InvalidNatGatewayID.NotFound", "The natGateway ID '" + g + "' does not exist");
    route["NatGatewayId"] = g;
    ++targets;
  }
  if (in.contains("VpcEndpointId")) {
    lookup(n.vpc_endpoints, in["VpcEndpointId"], "InvalidVpcEndpointId.NotFound", "vpcEndpoint ID");
    route["GatewayId"] = in["VpcEndpointId"];
    ++targets;
  }
  for (const char* other : {"EgressOnlyInternetGatewayId", "InstanceId", "NetworkInterfaceId",
                            "VpcPeeringConnectionId", "TransitGatewayId", "LocalGatewayId", "CarrierGatewayId",
                            "CoreNetworkArn"})
    if (in.contains(other))
      throw aws::AwsError("InvalidParameterValue", std::string("migsim does not model route targets of kind ") +
                                                       other + " (docs/terraform.md, limits)");
  if (targets != 1)
    throw aws::AwsError("InvalidParameterCombination",
                        "The parameter combination is not valid: exactly one route target is required.");
  return route;
}

json* find_route(json& rt, const std::string& dest)
{
  for (auto& route : rt["Routes"])
    if (route.value("DestinationCidrBlock", std::string()) == dest)
      return &route;
  return nullptr;
}

std::string canonical(const std::string& dest)
{
  const auto c = parse_cidr(dest);
  return c ? cidr_text(*c) : dest;
}

}  // namespace

void register_route_tables(Registry& r)
{
  r.add("ec2", "CreateRouteTable", {"VpcId", "TagSpecifications", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const std::string vpc = in["VpcId"];
    auto& v = lookup(n.vpcs, vpc, "InvalidVpcID.NotFound", "vpc ID");
    const std::string id = n.new_id("rtb");
    n.route_tables[id] = {{"RouteTableId", id},
                          {"VpcId", vpc},
                          {"OwnerId", kOwner},
                          {"Routes", json::array({{{"DestinationCidrBlock", v["CidrBlock"]},
                                                   {"GatewayId", "local"},
                                                   {"Origin", "CreateRouteTable"},
                                                   {"State", "active"}}})},
                          {"Associations", json::array()},
                          {"PropagatingVgws", json::array()}};
    n.tag_from_spec(id, in, "route-table");
    return json{{"RouteTable", with_tags(n, n.route_tables[id], id)}};
  });
  r.add("ec2", "DescribeRouteTables", {"RouteTableIds", "Filters", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const auto ids = strings(in, "RouteTableIds");
    for (const auto& id : ids)
      lookup(n.route_tables, id, "InvalidRouteTableID.NotFound", "routeTable ID");
    json out = json::array();
    for (const auto& [id, rt] : n.route_tables) {
      if (!ids.empty() && std::find(ids.begin(), ids.end(), id) == ids.end())
        continue;
      std::map<std::string, std::vector<std::string>> f = {{"route-table-id", {id}},
                                                           {"vpc-id", {rt["VpcId"]}},
                                                           {"owner-id", {kOwner}}};
      // Every filter DescribeRouteTables knows, even where this table has no value for it.
      for (const char* k : {"association.main", "association.route-table-association-id", "association.route-table-id",
                            "association.subnet-id", "association.gateway-id", "route.destination-cidr-block",
                            "route.gateway-id", "route.nat-gateway-id", "route.destination-prefix-list-id"})
        f[k];
      for (const auto& a : rt["Associations"]) {
        f["association.main"].push_back(a.value("Main", false) ? "true" : "false");
        f["association.route-table-association-id"].push_back(a["RouteTableAssociationId"]);
        f["association.route-table-id"].push_back(id);
        if (a.contains("SubnetId"))
          f["association.subnet-id"].push_back(a["SubnetId"]);
        if (a.contains("GatewayId"))
          f["association.gateway-id"].push_back(a["GatewayId"]);
      }
      if (rt["Associations"].empty())
        f["association.main"].push_back("false");
      for (const auto& route : rt["Routes"]) {
        if (route.contains("DestinationCidrBlock"))
          f["route.destination-cidr-block"].push_back(route["DestinationCidrBlock"]);
        if (route.contains("GatewayId"))
          f["route.gateway-id"].push_back(route["GatewayId"]);
        if (route.contains("NatGatewayId"))
          f["route.nat-gateway-id"].push_back(route["NatGatewayId"]);
        if (route.contains("DestinationPrefixListId"))
          f["route.destination-prefix-list-id"].push_back(route["DestinationPrefixListId"]);
      }
      if (passes(in, f, n.tags_of(id)))
        out.push_back(with_tags(n, rt, id));
    }
    return json{{"RouteTables", out}};
  });
  r.add("ec2", "DeleteRouteTable", {"RouteTableId", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const std::string id = in["RouteTableId"];
    auto& rt = lookup(n.route_tables, id, "InvalidRouteTableID.NotFound", "routeTable ID");
    if (!rt["Associations"].empty())
      throw aws::AwsError("DependencyViolation", "The routeTable '" + id + "' has dependencies and cannot be deleted.");
    n.route_tables.erase(id);
    n.forget_tags(id);
    return json::object();
  });
  for (const char* op : {"CreateRoute", "ReplaceRoute"}) {
    const bool replace = std::string(op) == "ReplaceRoute";
    r.add("ec2", op, {"RouteTableId", "DestinationCidrBlock", "GatewayId", "NatGatewayId", "VpcEndpointId", "DryRun"},
          [replace](const json& in, ServeContext& ctx) {
            dry_run_guard(in);
            auto& n = network(ctx);
            auto& rt = lookup(n.route_tables, in["RouteTableId"], "InvalidRouteTableID.NotFound", "routeTable ID");
            json route = route_of(n, in, rt["VpcId"]);
            const std::string dest = route["DestinationCidrBlock"];
            json* existing = find_route(rt, dest);
            if (existing && existing->value("GatewayId", std::string()) == "local")
              throw aws::AwsError("InvalidParameterValue", "cannot " + std::string(replace ? "replace" : "create") +
                                                               " the local route " + dest);
            if (replace) {
              if (!existing)
                throw aws::AwsError("InvalidRoute.NotFound", "no route with destination-cidr-block " + dest +
                                                                 " in route table " + in["RouteTableId"].get<std::string>());
              route["Origin"] = "CreateRoute";
              *existing = route;
              return json::object();
            }
            if (existing)
              throw aws::AwsError("RouteAlreadyExists", "The route identified by " + dest + " already exists.");
            rt["Routes"].push_back(route);
            return json{{"Return", true}};
          });
  }
  r.add("ec2", "DeleteRoute", {"RouteTableId", "DestinationCidrBlock", "DestinationPrefixListId", "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          auto& n = network(ctx);
          auto& rt = lookup(n.route_tables, in["RouteTableId"], "InvalidRouteTableID.NotFound", "routeTable ID");
          const std::string dest = canonical(in.value("DestinationCidrBlock", std::string()));
          json kept = json::array();
          bool found = false;
          for (const auto& route : rt["Routes"]) {
            const bool match = route.value("DestinationCidrBlock", std::string()) == dest &&
                               route.value("GatewayId", std::string()) != "local";
            found = found || match;
            if (!match)
              kept.push_back(route);
          }
          if (!found)
            throw aws::AwsError("InvalidRoute.NotFound", "no route with destination-cidr-block " + dest +
                                                             " in route table " + in["RouteTableId"].get<std::string>());
          rt["Routes"] = kept;
          return json::object();
        });
  r.add("ec2", "AssociateRouteTable", {"RouteTableId", "SubnetId", "GatewayId", "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          auto& n = network(ctx);
          const std::string id = in["RouteTableId"];
          auto& rt = lookup(n.route_tables, id, "InvalidRouteTableID.NotFound", "routeTable ID");
          if (!in.contains("SubnetId"))
            throw aws::AwsError("InvalidParameterValue", "migsim associates route tables with subnets only "
                                                         "(docs/terraform.md, limits)");
          const std::string subnet = in["SubnetId"];
          auto& s = lookup(n.subnets, subnet, "InvalidSubnetID.NotFound", "subnet ID");
          if (s["VpcId"] != rt["VpcId"])
            throw aws::AwsError("InvalidParameterValue", "Route table " + id + " and subnet " + subnet +
                                                             " belong to different networks");
          for (const auto& [rid, other] : n.route_tables)
            for (const auto& a : other["Associations"])
              if (a.value("SubnetId", std::string()) == subnet)
                throw aws::AwsError("Resource.AlreadyAssociated",
                                    "the specified association for route table " + rid + " conflicts with an "
                                    "existing association");
          const std::string assoc = n.new_id("rtbassoc");
          rt["Associations"].push_back({{"Main", false},
                                        {"RouteTableAssociationId", assoc},
                                        {"RouteTableId", id},
                                        {"SubnetId", subnet},
                                        {"AssociationState", {{"State", "associated"}}}});
          return json{{"AssociationId", assoc}, {"AssociationState", {{"State", "associated"}}}};
        });
  r.add("ec2", "DisassociateRouteTable", {"AssociationId", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const std::string assoc = in["AssociationId"];
    for (auto& [rid, rt] : n.route_tables) {
      json kept = json::array();
      bool found = false;
      for (const auto& a : rt["Associations"]) {
        const bool match = a["RouteTableAssociationId"] == assoc;
        if (match && a.value("Main", false))
          throw aws::AwsError("InvalidParameterValue", "cannot disassociate the main route table association " + assoc);
        found = found || match;
        if (!match)
          kept.push_back(a);
      }
      if (found) {
        rt["Associations"] = kept;
        return json::object();
      }
    }
    throw aws::AwsError("InvalidAssociationID.NotFound", "The association ID '" + assoc + "' does not exist");
  });
  r.add("ec2", "ReplaceRouteTableAssociation", {"AssociationId", "RouteTableId", "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          auto& n = network(ctx);
          const std::string assoc = in["AssociationId"];
          auto& target = lookup(n.route_tables, in["RouteTableId"], "InvalidRouteTableID.NotFound", "routeTable ID");
          for (auto& [rid, rt] : n.route_tables)
            for (size_t i = 0; i < rt["Associations"].size(); ++i)
              if (rt["Associations"][i]["RouteTableAssociationId"] == assoc) {
                json a = rt["Associations"][i];
                rt["Associations"].erase(i);
                const std::string fresh = n.new_id("rtbassoc");
                a["RouteTableAssociationId"] = fresh;
                a["RouteTableId"] = in["RouteTableId"];
                target["Associations"].push_back(a);
                return json{{"NewAssociationId", fresh}, {"AssociationState", {{"State", "associated"}}}};
              }
          throw aws::AwsError("InvalidAssociationID.NotFound", "The association ID '" + assoc + "' does not exist");
        });
}

}  // namespace migsim::harness::serve::ec2net
