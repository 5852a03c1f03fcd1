// WAFv2's operation table (json 1.1): decoded input -> WafBackend -> output.
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/wafv2/backend.hpp"

#include <set>

namespace migsim::harness::serve {

namespace {

using wafv2::WafBackend;

WafBackend& be(ServeContext& ctx) { return ctx.state<WafBackend>(); }
std::string str(const json& in, const char* k) { return in.value(k, std::string()); }

json summary(const wafv2::WebAcl& a)
{
  return {{"Name", a.name}, {"Id", a.id}, {"Description", a.description}, {"LockToken", a.lock_token}, {"ARN", a.arn}};
}

// Applies the members CreateWebACL and UpdateWebACL share.
void apply(wafv2::WebAcl& a, const json& in)
{
  a.default_action = in.at("DefaultAction");
  a.visibility = in.at("VisibilityConfig");
  a.rules = in.value("Rules", json::array());
  a.description = str(in, "Description");
  a.custom_bodies = in.value("CustomResponseBodies", json());
  a.captcha = in.value("CaptchaConfig", json());
  a.challenge = in.value("ChallengeConfig", json());
  a.token_domains = in.value("TokenDomains", json());
  a.association = in.value("AssociationConfig", json());
  std::set<int> priorities;
  std::set<std::string> names;
  for (const auto& r : a.rules) {
    if (!priorities.insert(r.value("Priority", 0)).second || !names.insert(r.value("Name", "")).second)
      throw errors::validation("Rule names and priorities must be unique within a web ACL.",
                               "WAFInvalidParameterException");
  }
  if (wafv2::capacity_units(a.rules) > 5000)
    throw AwsError("WAFLimitsExceededException", "The web ACL needs more than 5,000 capacity units.", 400);
}

json web_acl_json(const wafv2::WebAcl& a)
{
  json j = {{"Name", a.name},
            {"Id", a.id},
            {"ARN", a.arn},
            {"DefaultAction", a.default_action},
            {"Description", a.description},
            {"Rules", a.rules},
            {"VisibilityConfig", a.visibility},
            {"Capacity", wafv2::capacity_units(a.rules)},
            {"ManagedByFirewallManager", false},
            {"LabelNamespace", std::string("awswaf:") + kAccountId + ":webacl:" + a.name + ":"},
            {"RetrofittedByFirewallManager", false}};
  if (!a.custom_bodies.is_null()) j["CustomResponseBodies"] = a.custom_bodies;
  if (!a.captcha.is_null()) j["CaptchaConfig"] = a.captcha;
  if (!a.challenge.is_null()) j["ChallengeConfig"] = a.challenge;
  if (!a.token_domains.is_null()) j["TokenDomains"] = a.token_domains;
  if (!a.association.is_null()) j["AssociationConfig"] = a.association;
  return j;
}

wafv2::WebAcl& acl_by_arn(ServeContext& ctx, const std::string& arn)
{
  auto* a = be(ctx).by_arn(region(ctx), arn);
  if (!a)
    throw errors::not_found("AWS WAF couldn't perform the operation because your resource doesn't exist: " + arn,
                            "WAFNonexistentItemException");
  return *a;
}

}  // namespace

// Registers WAFv2 (json 1.1): web ACLs and their tags.
void register_wafv2(Registry& r)
{
  r.add("wafv2", "CreateWebACL",
        {"Name", "Scope", "DefaultAction", "Description", "Rules", "VisibilityConfig", "Tags", "CustomResponseBodies",
         "CaptchaConfig", "ChallengeConfig", "TokenDomains", "AssociationConfig"},
        [](const json& in, ServeContext& ctx) {
          wafv2::WebAcl draft;
          apply(draft, in);  // validate before creating
          const TagMap tags = tags_from(in.value("Tags", json::array()));
          auto& a = be(ctx).create(region(ctx), str(in, "Name"), str(in, "Scope"), ctx.simulation.now());
          apply(a, in);
          ctx.state<Tags>().forget(a.arn);
          ctx.state<Tags>().tag(a.arn, tags);
          return json{{"Summary", summary(a)}};
        });
  r.add("wafv2", "GetWebACL", {"Name", "Scope", "Id", "ARN"}, [](const json& in, ServeContext& ctx) {
    auto& a = in.contains("ARN") ? acl_by_arn(ctx, str(in, "ARN")) : be(ctx).get(region(ctx), str(in, "Name"), str(in, "Scope"), str(in, "Id"));
    return json{{"WebACL", web_acl_json(a)}, {"LockToken", a.lock_token}};
  });
  r.add("wafv2", "UpdateWebACL",
        {"Name", "Scope", "Id", "DefaultAction", "Description", "Rules", "VisibilityConfig", "LockToken",
         "CustomResponseBodies", "CaptchaConfig", "ChallengeConfig", "TokenDomains", "AssociationConfig"},
        [](const json& in, ServeContext& ctx) {
          auto& a = be(ctx).get(region(ctx), str(in, "Name"), str(in, "Scope"), str(in, "Id"));
          be(ctx).check_lock(a, str(in, "LockToken"));
          apply(a, in);
          be(ctx).relock(a);
          return json{{"NextLockToken", a.lock_token}};
        });
  r.add("wafv2", "DeleteWebACL", {"Name", "Scope", "Id", "LockToken"}, [](const json& in, ServeContext& ctx) {
    const std::string arn = be(ctx).get(region(ctx), str(in, "Name"), str(in, "Scope"), str(in, "Id")).arn;
    be(ctx).remove(region(ctx), str(in, "Name"), str(in, "Scope"), str(in, "Id"), str(in, "LockToken"));
    ctx.state<Tags>().forget(arn);
    return json::object();
  });
  r.add("wafv2", "ListWebACLs", {"Scope", "Limit", "NextMarker"}, [](const json& in, ServeContext& ctx) {
    const auto all = be(ctx).list(region(ctx), str(in, "Scope"));
    json summaries = json::array();
    for (const auto* acl : all)
      summaries.push_back(summary(*acl));
    auto p = platform::marker_page(summaries, platform::marker_offset(in, "NextMarker", "WAFInvalidParameterException"),
                                   in.value("Limit", 100));
    json out = {{"WebACLs", std::move(p.items)}};
    if (!p.next.empty())
      out["NextMarker"] = p.next;
    return out;
  });
  r.add("wafv2", "TagResource", {"ResourceARN", "Tags"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().tag(acl_by_arn(ctx, str(in, "ResourceARN")).arn, tags_from(in["Tags"]));
    return json::object();
  });
  r.add("wafv2", "UntagResource", {"ResourceARN", "TagKeys"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().untag(acl_by_arn(ctx, str(in, "ResourceARN")).arn, in["TagKeys"].get<std::vector<std::string>>());
    return json::object();
  });
  r.add("wafv2", "ListTagsForResource", {"ResourceARN"}, [](const json& in, ServeContext& ctx) {
    const auto& a = acl_by_arn(ctx, str(in, "ResourceARN"));
    return json{{"TagInfoForResource", {{"ResourceARN", a.arn}, {"TagList", ctx.state<Tags>().list(a.arn)}}}};
  });
  r.add("wafv2", "GetLoggingConfiguration", {"ResourceArn"}, [](const json& in, ServeContext& ctx) {
    acl_by_arn(ctx, str(in, "ResourceArn"));
    throw errors::not_found("AWS WAF couldn't perform the operation because your resource doesn't exist: no logging "
                            "configuration for " + str(in, "ResourceArn"),
                            "WAFNonexistentItemException");
    return json::object();
  });
}

}  // namespace migsim::harness::serve
