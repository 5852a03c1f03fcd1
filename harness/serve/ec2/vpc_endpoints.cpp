// VPC endpoints: gateway endpoints (S3, DynamoDB) add a route to the service's prefix list in each
// route table they are given; interface endpoints are recorded with their subnets and groups. The
// prefix lists of the region's gateway services answer DescribePrefixLists.
#include "harness/serve/ec2/network.hpp"

#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/serve_context.hpp"

#include <algorithm>

namespace migsim::harness::serve::ec2net {

namespace {

// The gateway services of a region and their prefix list ids (us-east-1's published ids for S3 and
// DynamoDB; the same ids are used for every region here).
std::vector<std::pair<std::string, std::string>> gateway_services(const std::string& region)
{
  return {{"com.amazonaws." + region + ".s3", "pl-63a5400a"}, {"com.amazonaws." + region + ".dynamodb", "pl-02cd2c6b"}};
}

const char* kFullAccess = R"({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]})";

std::string prefix_list_of(ServeContext& ctx, const std::string& service)
{
  for (const auto& [name, pl] : gateway_services(region(ctx)))
    if (name == service)
      return pl;
  return "";
}

void add_routes(Ec2Network& n, const json& endpoint, const std::vector<std::string>& tables, const std::string& pl)
{
  for (const auto& rt_id : tables) {
    auto& rt = lookup(n.route_tables, rt_id, "InvalidRouteTableId.NotFound", "routeTable ID");
    if (rt["VpcId"] != endpoint["VpcId"])
      throw aws::AwsError("InvalidParameter", "route table " + rt_id + " is not in the endpoint's VPC");
    rt["Routes"].push_back({{"DestinationPrefixListId", pl},
                            {"GatewayId", endpoint["VpcEndpointId"]},
                            {"Origin", "CreateRoute"},
                            {"State", "active"}});
  }
}

void remove_routes(Ec2Network& n, const std::string& endpoint_id, const std::vector<std::string>& tables)
{
  for (const auto& rt_id : tables) {
    auto it = n.route_tables.find(rt_id);
    if (it == n.route_tables.end())
      continue;
    json kept = json::array();
    for (const auto& route : it->second["Routes"])
      if (route.value("GatewayId", std::string()) != endpoint_id)
        kept.push_back(route);
    it->second["Routes"] = kept;
  }
}

}  // namespace

void register_vpc_endpoints(Registry& r)
{
  r.add("ec2", "CreateVpcEndpoint",
        {"VpcId", "ServiceName", "VpcEndpointType", "RouteTableIds", "SubnetIds", "SecurityGroupIds", "PolicyDocument",
         "PrivateDnsEnabled", "TagSpecifications", "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          auto& n = network(ctx);
          const std::string vpc = in["VpcId"];
          lookup(n.vpcs, vpc, "InvalidVpcId.NotFound", "Vpc Id");
          const std::string service = in["ServiceName"];
          const std::string type = in.value("VpcEndpointType", std::string("Gateway"));
          const std::string pl = prefix_list_of(ctx, service);
          if (service.rfind("com.amazonaws." + region(ctx) + ".", 0) != 0 || (type == "Gateway" && pl.empty()))
            throw aws::AwsError("InvalidServiceName", "The Vpc Endpoint Service '" + service + "' does not exist");
          const std::string id = n.new_id("vpce");
          json groups = json::array();
          for (const auto& g : strings(in, "SecurityGroupIds")) {
            auto& sg = lookup(n.security_groups, g, "InvalidGroup.NotFound", "security group");
            groups.push_back({{"GroupId", g}, {"GroupName", sg["GroupName"]}});
          }
          for (const auto& s : strings(in, "SubnetIds"))
            lookup(n.subnets, s, "InvalidSubnetID.NotFound", "subnet ID");
          json e = {{"VpcEndpointId", id},
                    {"VpcEndpointType", type},
                    {"VpcId", vpc},
                    {"ServiceName", service},
                    {"State", "available"},
                    {"PolicyDocument", in.value("PolicyDocument", std::string(kFullAccess))},
                    {"RouteTableIds", in.value("RouteTableIds", json::array())},
                    {"SubnetIds", in.value("SubnetIds", json::array())},
                    {"Groups", groups},
                    {"IpAddressType", "ipv4"},
                    {"DnsOptions", {{"DnsRecordIpType", "ipv4"}}},
                    {"PrivateDnsEnabled", in.value("PrivateDnsEnabled", type == "Interface")},
                    {"RequesterManaged", false},
                    {"NetworkInterfaceIds", json::array()},
                    {"DnsEntries", json::array()},
                    {"CreationTimestamp", epoch_s(now_s(ctx))},
                    {"OwnerId", kOwner}};
          if (type == "Gateway")
            add_routes(n, e, strings(in, "RouteTableIds"), pl);
          n.vpc_endpoints[id] = e;
          n.tag_from_spec(id, in, "vpc-endpoint");
          return json{{"VpcEndpoint", with_tags(n, e, id)}};
        });
  r.add("ec2", "DescribeVpcEndpoints", {"VpcEndpointIds", "Filters", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    const auto ids = strings(in, "VpcEndpointIds");
    for (const auto& id : ids)
      if (!n.vpc_endpoints.count(id))
        throw aws::AwsError("InvalidVpcEndpointId.NotFound", "The Vpc Endpoint Id '" + id + "' does not exist");
    json out = json::array();
    for (const auto& [id, e] : n.vpc_endpoints) {
      if (!ids.empty() && std::find(ids.begin(), ids.end(), id) == ids.end())
        continue;
      const std::map<std::string, std::vector<std::string>> f = {
          {"vpc-endpoint-id", {id}},
          {"vpc-id", {e["VpcId"].get<std::string>()}},
          {"service-name", {e["ServiceName"].get<std::string>()}},
          {"vpc-endpoint-state", {e["State"].get<std::string>()}},
          {"vpc-endpoint-type", {e["VpcEndpointType"].get<std::string>()}}};
      if (passes(in, f, n.tags_of(id)))
        out.push_back(with_tags(n, e, id));
    }
    return json{{"VpcEndpoints", out}};
  });
  r.add("ec2", "ModifyVpcEndpoint",
        {"VpcEndpointId", "AddRouteTableIds", "RemoveRouteTableIds", "PolicyDocument", "ResetPolicy",
         "PrivateDnsEnabled", "DryRun"},
        [](const json& in, ServeContext& ctx) {
          dry_run_guard(in);
          auto& n = network(ctx);
          const std::string id = in["VpcEndpointId"];
          if (!n.vpc_endpoints.count(id))
            throw aws::AwsError("InvalidVpcEndpointId.NotFound", "The Vpc Endpoint Id '" + id + "' does not exist");
          auto& e = n.vpc_endpoints[id];
          const auto add = strings(in, "AddRouteTableIds");
          const auto remove = strings(in, "RemoveRouteTableIds");
          if (e["VpcEndpointType"] == "Gateway")
            add_routes(n, e, add, prefix_list_of(ctx, e["ServiceName"]));
          remove_routes(n, id, remove);
          json tables = json::array();
          for (const auto& t : e["RouteTableIds"])
            if (std::find(remove.begin(), remove.end(), t.get<std::string>()) == remove.end())
              tables.push_back(t);
          for (const auto& t : add)
            tables.push_back(t);
          e["RouteTableIds"] = tables;
          if (in.contains("PolicyDocument"))
            e["PolicyDocument"] = in["PolicyDocument"];
          if (in.value("ResetPolicy", false))
            e["PolicyDocument"] = kFullAccess;
          if (in.contains("PrivateDnsEnabled"))
            e["PrivateDnsEnabled"] = in["PrivateDnsEnabled"];
          return json{{"Return", true}};
        });
  r.add("ec2", "DeleteVpcEndpoints", {"VpcEndpointIds", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    json unsuccessful = json::array();
    for (const auto& id : strings(in, "VpcEndpointIds")) {
      auto it = n.vpc_endpoints.find(id);
      if (it == n.vpc_endpoints.end()) {
        unsuccessful.push_back({{"ResourceId", id},
                                {"Error", {{"Code", "InvalidVpcEndpoint.NotFound"},
                                           {"Message", "The VPC endpoint '" + id + "' does not exist"}}}});
        continue;
      }
      remove_routes(n, id, strings(it->second, "RouteTableIds"));
      n.vpc_endpoints.erase(it);
      n.forget_tags(id);
    }
    return json{{"Unsuccessful", unsuccessful}};
  });
  r.add("ec2", "DescribePrefixLists", {"PrefixListIds", "Filters", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    const auto ids = strings(in, "PrefixListIds");
    json out = json::array();
    for (const auto& [name, pl] : gateway_services(region(ctx))) {
      const std::map<std::string, std::vector<std::string>> f = {{"prefix-list-id", {pl}},
                                                                  {"prefix-list-name", {name}}};
      if ((ids.empty() || std::find(ids.begin(), ids.end(), pl) != ids.end()) && passes(in, f, json::array()))
        out.push_back({{"PrefixListId", pl},
                       {"PrefixListName", name},
                       {"Cidrs", json::array({name.find(".s3") != std::string::npos ? "3.5.0.0/19" : "3.218.182.0/24"})}});
    }
    return json{{"PrefixLists", out}};
  });
}

}  // namespace migsim::harness::serve::ec2net
