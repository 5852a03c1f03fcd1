// The shared helpers of EC2 networking (ids, CIDRs, filters, tags) and the tag operations.
#include "harness/serve/ec2/network.hpp"

#include "harness/serve/core/registry.hpp"
#include "models/aws/aws_estate.hpp"

#include <algorithm>
#include <cstdio>

namespace migsim::harness::serve {
namespace ec2net {

double& nat_gateway_provisioning_s()
{
  static double v = 90;
  return v;
}

double& nat_gateway_deleting_s()
{
  static double v = 30;
  return v;
}

std::optional<Cidr> parse_cidr(const std::string& text)
{
  unsigned a, b, c, d;
  int prefix;
  char tail;
  if (std::sscanf(text.c_str(), "%u.%u.%u.%u/%d%c", &a, &b, &c, &d, &prefix, &tail) != 5)
    return std::nullopt;
  if (a > 255 || b > 255 || c > 255 || d > 255 || prefix < 0 || prefix > 32)
    return std::nullopt;
  // sscanf accepts "+1" or " 1": ask for digits, dots and one slash only.
  if (text.find_first_not_of("0123456789./") != std::string::npos)
    return std::nullopt;
  return Cidr{(a << 24) | (b << 16) | (c << 8) | d, prefix};
}

std::string cidr_text(const Cidr& c)
{
  char buf[32];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u/%d", c.net >> 24, (c.net >> 16) & 255, (c.net >> 8) & 255, c.net & 255,
                c.prefix);
  return buf;
}

std::string Ec2Network::new_id(const std::string& prefix)
{
  // A bijective mix of the sequence: ids look like AWS's and never collide.
  uint64_t x = ++sequence * 0x9E3779B97F4A7C15ULL;
  x ^= x >> 29;
  char buf[24];
  std::snprintf(buf, sizeof buf, "%017llx", static_cast<unsigned long long>(x & 0xFFFFFFFFFFFFFFFFULL));
  return prefix + "-" + std::string(buf).substr(0, 17);
}

json Ec2Network::tags_of(const std::string& id) const { return tags->list(tag_key(id)); }

void Ec2Network::tag_from_spec(const std::string& id, const json& in, const std::string& resource_type)
{
  if (!in.contains("TagSpecifications"))
    return;
  for (const auto& spec : in["TagSpecifications"])
    if (spec.value("ResourceType", std::string()) == resource_type && spec.contains("Tags"))
      tags->add(tag_key(id), spec["Tags"]);
}

bool Ec2Network::exists(const std::string& id) const
{
  for (const auto* t : {&vpcs, &subnets, &internet_gateways, &addresses, &nat_gateways, &route_tables,
                        &security_groups, &network_acls, &vpc_endpoints})
    if (t->count(id))
      return true;
  return false;
}

void Ec2Network::advance(double now)
{
  for (auto& [id, nat] : nat_gateways) {
    const std::string state = nat["State"];
    if (state == "pending" && now >= created_s[id] + nat_gateway_provisioning_s())
      nat["State"] = "available";
    else if (state == "deleting" && now >= deleted_s[id] + nat_gateway_deleting_s())
      nat["State"] = "deleted";
  }
}

Ec2Network& network(ServeContext& ctx)
{
  auto& n = ctx.state<Ec2Network>();
  n.tags = &ctx.state<Tags>();
  n.advance(ctx.simulation.now());
  return n;
}

double now_s(ServeContext& ctx) { return ctx.simulation.now(); }

std::string region(ServeContext& ctx) { return serve::region(ctx); }

std::vector<std::string> zone_names(ServeContext& ctx)
{
  const std::string r = region(ctx);
  return {r + "a", r + "b", r + "c"};
}

namespace {

// Glob match with * and ? (EC2 filter values).
bool glob(const std::string& pattern, const std::string& s, size_t p = 0, size_t i = 0)
{
  for (; p < pattern.size(); ++p, ++i) {
    if (pattern[p] == '*') {
      for (size_t k = i; k <= s.size(); ++k)
        if (glob(pattern, s, p + 1, k))
          return true;
      return false;
    }
    if (i >= s.size() || (pattern[p] != '?' && pattern[p] != s[i]))
      return false;
  }
  return i == s.size();
}

}  // namespace

bool passes(const json& in, const std::map<std::string, std::vector<std::string>>& fields, const json& tags)
{
  if (!in.contains("Filters"))
    return true;
  for (const auto& f : in["Filters"]) {
    const std::string name = f.value("Name", std::string());
    std::vector<std::string> have;
    if (name.rfind("tag:", 0) == 0) {
      for (const auto& t : tags)
        if (t.value("Key", std::string()) == name.substr(4))
          have.push_back(t.value("Value", std::string()));
    } else if (name == "tag-key" || name == "tag-value") {
      for (const auto& t : tags)
        have.push_back(t.value(name == "tag-key" ? "Key" : "Value", std::string()));
    } else if (auto it = fields.find(name); it != fields.end()) {
      have = it->second;
    } else {
      throw aws::AwsError("InvalidParameterValue", "The filter '" + name + "' is invalid");
    }
    bool any = false;
    for (const auto& want : strings(f, "Values"))
      for (const auto& h : have)
        any = any || glob(want, h);
    if (!any)
      return false;
  }
  return true;
}

json dry_run_guard(const json& in)
{
  if (in.value("DryRun", false))
    throw aws::AwsError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);
  return nullptr;
}

json with_tags(const Ec2Network& n, const json& resource, const std::string& id)
{
  json out = resource;
  out["Tags"] = n.tags_of(id);
  return out;
}

aws::AwsError not_found(const std::string& code, const std::string& kind, const std::string& id)
{
  return aws::AwsError(code, "The " + kind + " '" + id + "' does not exist", 400);
}

json& lookup(std::map<std::string, json>& table, const std::string& id, const std::string& code,
             const std::string& kind)
{
  auto it = table.find(id);
  if (it == table.end())
    throw not_found(code, kind, id);
  return it->second;
}

// CreateTags, DeleteTags, DescribeTags over every networking resource.
void register_tags(Registry& r)
{
  r.add("ec2", "CreateTags", {"Resources", "Tags", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    for (const auto& id : strings(in, "Resources"))
      if (!n.exists(id) && id.rfind("lt-", 0) != 0 && id.rfind("i-", 0) != 0)
        throw aws::AwsError("InvalidID", "The ID '" + id + "' is not valid");
    for (const auto& id : strings(in, "Resources"))
      n.tags->add(n.tag_key(id), in["Tags"]);
    return json::object();
  });
  r.add("ec2", "DeleteTags", {"Resources", "Tags", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    for (const auto& id : strings(in, "Resources")) {
      const std::string key = n.tag_key(id);
      if (!in.contains("Tags")) {  // no Tags: delete all
        n.tags->forget(key);
        continue;
      }
      std::vector<std::string> drop;
      for (const auto& d : in["Tags"]) {
        const std::string k = d.value("Key", std::string());
        const TagMap have = n.tags->of(key);
        if (have.count(k) && (!d.contains("Value") || d["Value"] == have.at(k)))
          drop.push_back(k);
      }
      n.tags->untag(key, drop);
    }
    return json::object();
  });
  r.add("ec2", "DescribeTags", {"Filters", "DryRun"}, [](const json& in, ServeContext& ctx) {
    dry_run_guard(in);
    auto& n = network(ctx);
    json out = json::array();
    const std::string prefix = n.tag_key("");
    for (const auto& [key, tags] : n.tags->with_prefix(prefix))
      for (const auto& [k, v] : tags) {
        const std::string id = key.substr(prefix.size());
        const std::map<std::string, std::vector<std::string>> fields = {{"resource-id", {id}}, {"key", {k}}, {"value", {v}}};
        if (passes(in, fields, json::array()))
          out.push_back({{"ResourceId", id}, {"Key", k}, {"Value", v}});
      }
    return json{{"Tags", out}};
  });
}

}  // namespace ec2net

namespace {

// EC2's limits on a tag (user-defined tags: key 1-128 characters, value up to 256, no "aws:"
// prefix), checked on CreateTags and on every TagSpecifications before anything is created.
void check_tag(const json& tag)
{
  const std::string key = tag.value("Key", std::string()), value = tag.value("Value", std::string());
  if (key.empty() || key.size() > 128)
    throw aws::AwsError("InvalidParameterValue", "Tag key must be between 1 and 128 characters long (got " +
                                                     std::to_string(key.size()) + ")");
  if (value.size() > 256)
    throw aws::AwsError("InvalidParameterValue", "Tag value exceeds the maximum length of 256 characters (tag '" +
                                                     key + "' has " + std::to_string(value.size()) + ")");
  if (key.rfind("aws:", 0) == 0)
    throw aws::AwsError("InvalidParameterValue", "Tag keys starting with 'aws:' are reserved for internal use");
}

void check_ec2_tags(const json& in)
{
  if (in.contains("Tags") && in["Tags"].is_array() && in.contains("Resources"))  // CreateTags
    for (const auto& t : in["Tags"])
      check_tag(t);
  if (in.contains("TagSpecifications") && in["TagSpecifications"].is_array())
    for (const auto& spec : in["TagSpecifications"])
      for (const auto& t : spec.value("Tags", json::array()))
        check_tag(t);
}

}  // namespace

void register_ec2_network(Registry& r)
{
  r.check_inputs("ec2", check_ec2_tags);
  ec2net::register_vpcs(r);
  ec2net::register_gateways(r);
  ec2net::register_route_tables(r);
  ec2net::register_security_groups(r);
  ec2net::register_network_acls(r);
  ec2net::register_vpc_endpoints(r);
  ec2net::register_tags(r);
}

}  // namespace migsim::harness::serve
