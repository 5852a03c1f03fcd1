#include "harness/serve/cloudfront/backend.hpp"

#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

#include <set>

namespace migsim::harness::serve::cloudfront {

namespace {

using nlohmann::json;

// CloudFront ids: 14 upper-case letters and digits, from a counter (deterministic).
std::string cf_id(const char* prefix, uint64_t n)
{
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string s = prefix;
  uint64_t x = n * 0x9E3779B97F4A7C15ull;
  while (s.size() < 14) {
    s += kAlphabet[x % 36];
    x /= 36;
    if (x == 0)
      x = n + s.size();
  }
  return s;
}

std::string etag(const std::string& id, int version) { return "E" + id.substr(1, 8) + std::to_string(version); }

// AWS's managed cache policies (CloudFront developer guide, "Use managed cache policies").
const std::set<std::string> kManagedCachePolicies = {
    "658327ea-f89d-4fab-a63d-7e88639e58f6",  // CachingOptimized
    "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",  // CachingDisabled
    "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",  // CachingOptimizedForUncompressedObjects
    "08627262-05a9-4f76-9ded-b50ca2e3a84f",  // Elemental-MediaPackage
    "2e54312d-136d-493c-8eb9-b001f22f67d2",  // Amplify
};

json& ensure(json& obj, const char* key, json value)
{
  if (!obj.contains(key))
    obj[key] = std::move(value);
  return obj[key];
}

json empty_list() { return {{"Quantity", 0}}; }

void check_list(const json& list, const std::string& where)
{
  const size_t items = list.contains("Items") ? list["Items"].size() : 0;
  if (list.value("Quantity", 0) != static_cast<int>(items))
    throw errors::validation("The parameter " + where + ".Quantity does not match the number of items.",
                             "InvalidArgument");
}

}  // namespace

void CloudFrontBackend::validate(json& c) const
{
  if (c.value("CallerReference", "").empty())
    throw errors::validation("CallerReference is required.", "InvalidArgument");
  check_list(c.at("Origins"), "Origins");
  std::set<std::string> origins;
  for (auto& o : c["Origins"].value("Items", json::array())) {
    origins.insert(o.value("Id", ""));
    if (o.contains("OriginAccessControlId") && !o["OriginAccessControlId"].get<std::string>().empty() &&
        !oacs_.count(o["OriginAccessControlId"].get<std::string>()))
      throw errors::not_found("The specified origin access control does not exist.", "NoSuchOriginAccessControl", 404);
  }
  auto check_behavior = [&](const json& b, const std::string& where) {
    if (!origins.count(b.value("TargetOriginId", "")))
      throw errors::validation("The " + where + " targets origin " + b.value("TargetOriginId", "") +
                                   ", which is not one of the distribution's origins.",
                               "NoSuchOrigin");
    if (b.contains("CachePolicyId") && !kManagedCachePolicies.count(b["CachePolicyId"].get<std::string>()))
      throw errors::not_found("The cache policy does not exist.", "NoSuchCachePolicy", 404);
  };
  check_behavior(c.at("DefaultCacheBehavior"), "default cache behavior");
  for (const auto& b : c.value("CacheBehaviors", json::object()).value("Items", json::array()))
    check_behavior(b, "cache behavior " + b.value("PathPattern", ""));
  const std::string acl = c.value("WebACLId", "");
  if (!acl.empty() && (acl.rfind("arn:aws:wafv2:", 0) != 0 || acl.find(":global/webacl/") == std::string::npos ||
                       (web_acl_exists && !web_acl_exists(acl))))
    throw errors::validation("Web ACL is not accessible by the requester or is not a CLOUDFRONT-scoped web ACL: " + acl,
                             "InvalidWebACLId");
  // The defaults CloudFront fills in.
  ensure(c, "Aliases", empty_list());
  ensure(c, "DefaultRootObject", "");
  ensure(c, "CacheBehaviors", empty_list());
  ensure(c, "CustomErrorResponses", empty_list());
  ensure(c, "Comment", "");
  ensure(c, "Logging", {{"Enabled", false}, {"IncludeCookies", false}, {"Bucket", ""}, {"Prefix", ""}});
  ensure(c, "PriceClass", "PriceClass_All");
  ensure(c, "WebACLId", "");
  ensure(c, "HttpVersion", "http2");
  ensure(c, "IsIPV6Enabled", false);
  ensure(c, "Restrictions", {{"GeoRestriction", {{"RestrictionType", "none"}, {"Quantity", 0}}}});
  ensure(c, "ViewerCertificate", {{"CloudFrontDefaultCertificate", true}, {"SSLSupportMethod", "vip"},
                                  {"MinimumProtocolVersion", "TLSv1"}, {"CertificateSource", "cloudfront"}});
  ensure(c, "OriginGroups", empty_list());
  ensure(c, "Staging", false);
}

Distribution& CloudFrontBackend::create(json config, double t, double deploy_s)
{
  validate(config);
  for (const auto& [_, d] : dists_)
    if (d.config.value("CallerReference", "") == config.value("CallerReference", ""))
      throw errors::already_exists("The caller reference that you are using to create a distribution is associated "
                                   "with another distribution.",
                                   "DistributionAlreadyExists", 409);
  const uint64_t n = next_++;
  const std::string id = cf_id("E", n);
  Distribution& d = dists_[id];
  d.id = id;
  d.arn = arn_in("", "cloudfront", "distribution/" + id);  // CloudFront is global
  std::string host = cf_id("d", n + 1000);
  for (char& ch : host)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  d.domain = host + ".cloudfront.net";
  d.config = std::move(config);
  d.created_s = d.modified_s = t;
  d.deployed_s = t + deploy_s;
  d.etag = etag(id, d.version);
  return d;
}

Distribution& CloudFrontBackend::get(const std::string& id)
{
  auto it = dists_.find(id);
  if (it == dists_.end())
    throw errors::not_found("The specified distribution does not exist.", "NoSuchDistribution", 404);
  return it->second;
}

Distribution& CloudFrontBackend::by_arn(const std::string& arn)
{
  for (auto& [_, d] : dists_)
    if (d.arn == arn)
      return d;
  throw errors::not_found("The specified distribution does not exist.", "NoSuchResource", 404);
}

Distribution& CloudFrontBackend::update(const std::string& id, const std::string& if_match, json config, double t,
                                        double deploy_s)
{
  Distribution& d = get(id);
  if (if_match.empty())
    throw errors::validation("The If-Match version is missing or not valid for the resource.", "InvalidIfMatchVersion");
  if (if_match != d.etag)
    throw AwsError("PreconditionFailed", "The precondition given in one or more of the request fields evaluated to false.", 412);
  if (config.value("CallerReference", "") != d.config.value("CallerReference", ""))
    throw errors::validation("The CallerReference of a distribution cannot be changed.", "IllegalUpdate");
  validate(config);
  d.config = std::move(config);
  d.modified_s = t;
  d.deployed_s = t + deploy_s;
  d.etag = etag(id, ++d.version);
  return d;
}

void CloudFrontBackend::remove(const std::string& id, const std::string& if_match, double t)
{
  Distribution& d = get(id);
  if (if_match != d.etag)
    throw AwsError("PreconditionFailed", "The precondition given in one or more of the request fields evaluated to false.", 412);
  if (d.config.value("Enabled", true) || status(d, t) != "Deployed")
    throw errors::invalid_state("The distribution you are trying to delete has not been disabled.",
                                "DistributionNotDisabled", 409);
  dists_.erase(id);
}

std::vector<const Distribution*> CloudFrontBackend::all() const
{
  std::vector<const Distribution*> out;
  for (const auto& [_, d] : dists_)
    out.push_back(&d);
  return out;
}

bool CloudFrontBackend::uses_web_acl(const std::string& arn) const
{
  for (const auto& [_, d] : dists_)
    if (d.config.value("WebACLId", "") == arn)
      return true;
  return false;
}

OriginAccessControl& CloudFrontBackend::create_oac(json config)
{
  const std::string name = config.value("Name", "");
  if (name.empty() || name.size() > 64)
    throw errors::validation("The origin access control name must be 1-64 characters.", "InvalidArgument");
  for (const auto& [_, o] : oacs_)
    if (o.config.value("Name", "") == name)
      throw errors::already_exists("An origin access control with the same name already exists.",
                                   "OriginAccessControlAlreadyExists", 409);
  const std::string id = cf_id("E", next_++);
  OriginAccessControl& o = oacs_[id];
  o.id = id;
  ensure(config, "Description", "");
  o.config = std::move(config);
  o.etag = etag(id, o.version);
  return o;
}

OriginAccessControl& CloudFrontBackend::oac(const std::string& id)
{
  auto it = oacs_.find(id);
  if (it == oacs_.end())
    throw errors::not_found("The origin access control does not exist.", "NoSuchOriginAccessControl", 404);
  return it->second;
}

OriginAccessControl& CloudFrontBackend::update_oac(const std::string& id, const std::string& if_match, json config)
{
  OriginAccessControl& o = oac(id);
  if (if_match != o.etag)
    throw AwsError("PreconditionFailed", "The precondition given in one or more of the request fields evaluated to false.", 412);
  ensure(config, "Description", "");
  o.config = std::move(config);
  o.etag = etag(id, ++o.version);
  return o;
}

void CloudFrontBackend::remove_oac(const std::string& id, const std::string& if_match)
{
  OriginAccessControl& o = oac(id);
  if (if_match != o.etag)
    throw AwsError("PreconditionFailed", "The precondition given in one or more of the request fields evaluated to false.", 412);
  for (const auto& [_, d] : dists_)
    for (const auto& origin : d.config["Origins"].value("Items", json::array()))
      if (origin.value("OriginAccessControlId", "") == id)
        throw errors::invalid_state("The origin access control is in use by distribution " + d.id + ".",
                                    "OriginAccessControlInUse", 409);
  oacs_.erase(id);
}

std::vector<const OriginAccessControl*> CloudFrontBackend::oacs() const
{
  std::vector<const OriginAccessControl*> out;
  for (const auto& [_, o] : oacs_)
    out.push_back(&o);
  return out;
}

}  // namespace migsim::harness::serve::cloudfront
