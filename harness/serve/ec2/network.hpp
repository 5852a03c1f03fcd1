// EC2 networking of `migsim serve` (reached as ctx.state<Ec2Network>()): VPCs, subnets, internet
// gateways, Elastic IPs, NAT gateways, route tables, security groups, network ACLs, VPC endpoints and
// their tags (in the one Tags store of core/resource). Each resource is kept as the botocore output shape Describe* returns (VpcId, CidrBlock,
// State, ...), so what a client wrote is what it reads back; the concept files (vpcs.cpp,
// gateways.cpp, route_tables.cpp, security_groups.cpp, network_acls.cpp, vpc_endpoints.cpp) hold the
// behaviour and register the operations. States that take time in AWS (NAT gateways) are computed
// from the simulated clock: timing parameters in docs/terraform.md.
#pragma once

#include "harness/aws/protocol/codec.hpp"
#include "harness/serve/core/resource.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migsim::harness::serve {

class Registry;
struct ServeContext;

namespace ec2net {

using nlohmann::json;

inline constexpr const char* kOwner = "000000000000";

// Simulated seconds a NAT gateway stays `pending` before `available`, and `deleting` before
// `deleted` (AWS publishes no figure; ours; `migsim serve --nat-gateway-provisioning-s`).
double& nat_gateway_provisioning_s();
double& nat_gateway_deleting_s();

// An IPv4 CIDR block: network address and prefix length.
struct Cidr {
  uint32_t net = 0;
  int prefix = 0;
  uint64_t size() const { return uint64_t{1} << (32 - prefix); }
  bool contains(const Cidr& o) const { return o.prefix >= prefix && (o.net & mask()) == net; }
  bool overlaps(const Cidr& o) const { return contains(o) || o.contains(*this); }
  uint32_t mask() const { return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix); }
};
// Parses "10.0.0.0/16"; nullopt when it is not an IPv4 CIDR (host bits set are kept: AWS refuses
// them for VPCs and subnets, accepts them in rules).
std::optional<Cidr> parse_cidr(const std::string& text);
std::string cidr_text(const Cidr& c);

// The EC2 networking resources of the server.
struct Ec2Network {
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  std::string region = "us-east-1";         // its region (set by ServeContext::state)
  std::map<std::string, json> vpcs, subnets, internet_gateways, addresses, nat_gateways, route_tables,
      security_groups, network_acls, vpc_endpoints;
  std::map<std::string, json> vpc_attributes;  // vpc id -> {enableDnsSupport: bool, ...}
  Tags* tags = nullptr;  // the server's one Tags store (set by network(ctx)), by tag_key(id)
  std::map<std::string, double> created_s, deleted_s;  // NAT gateways: simulated create / delete times
  uint64_t sequence = 0;

  // A new id: prefix + "-" + 17 hex digits, deterministic per server.
  std::string new_id(const std::string& prefix);
  // The key of an EC2 resource's tags in the Tags store.
  std::string tag_key(const std::string& id) const { return "ec2:" + region + ":" + id; }
  // The resource's tags (an empty list when none), sorted by key.
  json tags_of(const std::string& id) const;
  // Forgets a deleted resource's tags.
  void forget_tags(const std::string& id) { tags->forget(tag_key(id)); }
  // Adds the TagSpecifications of `in` for `resource_type` to `id`.
  void tag_from_spec(const std::string& id, const json& in, const std::string& resource_type);
  // Whether an id names any known resource (CreateTags refuses unknown ones).
  bool exists(const std::string& id) const;
  // Advances the NAT gateways' states to the simulated time.
  void advance(double now_s);
};

// The one state of the server.
Ec2Network& network(ServeContext& ctx);
double now_s(ServeContext& ctx);
std::string region(ServeContext& ctx);
std::vector<std::string> zone_names(ServeContext& ctx);

// Filters (Name/Values) on a resource: `fields` maps a filter name to the resource's values for it;
// tag:KEY, tag-key and tag-value are answered from the tags. Values may use * and ? wildcards.
// Throws InvalidParameterValue for a filter the caller names that `fields` does not know.
bool passes(const json& in, const std::map<std::string, std::vector<std::string>>& fields, const json& tags);
// EC2's DryRun check, then the handler.
json dry_run_guard(const json& in);
// The output of a resource with its tags merged in.
json with_tags(const Ec2Network& n, const json& resource, const std::string& id);
// The not-found error of an id kind, as EC2 answers it (e.g. InvalidVpcID.NotFound).
aws::AwsError not_found(const std::string& code, const std::string& kind, const std::string& id);
// Looks a resource up; throws the not-found error.
json& lookup(std::map<std::string, json>& table, const std::string& id, const std::string& code,
             const std::string& kind);

// The registrations, one per concept file.
void register_vpcs(Registry& r);
void register_gateways(Registry& r);
void register_route_tables(Registry& r);
void register_security_groups(Registry& r);
void register_network_acls(Registry& r);
void register_vpc_endpoints(Registry& r);
void register_tags(Registry& r);

}  // namespace ec2net

// Every EC2 networking operation (network.cpp).
void register_ec2_network(Registry& r);

}  // namespace migsim::harness::serve
