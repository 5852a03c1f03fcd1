#include "harness/serve/wafv2/backend.hpp"

#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

#include <regex>

namespace migsim::harness::serve::wafv2 {

namespace {

AwsError nonexistent(const std::string& what)
{
  return errors::not_found("AWS WAF couldn't perform the operation because your resource doesn't exist: " + what,
                           "WAFNonexistentItemException");
}

int statement_units(const nlohmann::json& s)
{
  if (s.contains("ManagedRuleGroupStatement")) {
    static const std::map<std::string, int> kManaged = {
        {"AWSManagedRulesCommonRuleSet", 700},         {"AWSManagedRulesKnownBadInputsRuleSet", 200},
        {"AWSManagedRulesSQLiRuleSet", 200},           {"AWSManagedRulesAmazonIpReputationList", 25},
        {"AWSManagedRulesAnonymousIpList", 50},        {"AWSManagedRulesLinuxRuleSet", 200},
        {"AWSManagedRulesAdminProtectionRuleSet", 100}, {"AWSManagedRulesBotControlRuleSet", 50},
    };
    auto it = kManaged.find(s["ManagedRuleGroupStatement"].value("Name", ""));
    return it == kManaged.end() ? 100 : it->second;
  }
  if (s.contains("RateBasedStatement"))
    return 2;
  return 1;
}

// Whether a request in `region` sees the web ACL.
bool visible(const WebAcl& a, const std::string& region) { return a.region.empty() || a.region == region; }

}  // namespace

int capacity_units(const nlohmann::json& rules)
{
  int units = 0;
  for (const auto& r : rules)
    units += statement_units(r.value("Statement", nlohmann::json::object()));
  return units;
}

WebAcl& WafBackend::create(const std::string& region, const std::string& name, const std::string& scope, double t)
{
  static const std::regex kName("[\\w\\-]{1,128}");
  if (!std::regex_match(name, kName))
    throw errors::validation("The name " + name + " must be 1-128 characters of letters, digits, '_' and '-'.",
                             "WAFInvalidParameterException");
  if (scope != "CLOUDFRONT" && scope != "REGIONAL")
    throw errors::validation("Scope must be CLOUDFRONT or REGIONAL.", "WAFInvalidParameterException");
  for (const auto& [_, a] : acls_)
    if (a.name == name && a.scope == scope && visible(a, region))
      throw errors::already_exists("AWS WAF couldn't perform the operation because some resource in your request is a "
                                   "duplicate of an existing one.",
                                   "WAFDuplicateItemException");
  const std::string id = platform::uuid_id(0xaf, next_++);
  WebAcl& a = acls_[id];
  a.name = name;
  a.id = id;
  a.scope = scope;
  a.region = scope == "CLOUDFRONT" ? "" : region;
  a.arn = scope == "CLOUDFRONT" ? arn_in("us-east-1", "wafv2", "global/webacl/" + name + "/" + id)
                                : arn_in(region, "wafv2", "regional/webacl/" + name + "/" + id);
  a.created_s = t;
  relock(a);
  return a;
}

WebAcl& WafBackend::get(const std::string& region, const std::string& name, const std::string& scope,
                        const std::string& id)
{
  auto it = acls_.find(id);
  if (it == acls_.end() || it->second.name != name || it->second.scope != scope || !visible(it->second, region))
    throw nonexistent("web ACL " + name + " (" + id + ")");
  return it->second;
}

WebAcl* WafBackend::by_arn(const std::string& region, const std::string& arn)
{
  for (auto& [_, a] : acls_)
    if (a.arn == arn && visible(a, region))
      return &a;
  return nullptr;
}

void WafBackend::check_lock(const WebAcl& acl, const std::string& token) const
{
  if (token != acl.lock_token)
    throw AwsError("WAFOptimisticLockException",
                   "AWS WAF couldn't save your changes because someone changed the resource after you started to edit "
                   "it. Reapply your changes.",
                   400);
}

void WafBackend::relock(WebAcl& acl) { acl.lock_token = platform::uuid_id(0x10, next_++); }

void WafBackend::remove(const std::string& region, const std::string& name, const std::string& scope,
                        const std::string& id, const std::string& token)
{
  WebAcl& a = get(region, name, scope, id);
  check_lock(a, token);
  if (in_use && in_use(a.arn))
    throw AwsError("WAFAssociatedItemException",
                   "AWS WAF couldn't perform the operation because your resource is being used by another resource or "
                   "it's associated with another resource.",
                   400);
  acls_.erase(id);
}

std::vector<const WebAcl*> WafBackend::list(const std::string& region, const std::string& scope) const
{
  std::vector<const WebAcl*> out;
  for (const auto& [_, a] : acls_)
    if (a.scope == scope && visible(a, region))
      out.push_back(&a);
  return out;
}

}  // namespace migsim::harness::serve::wafv2
