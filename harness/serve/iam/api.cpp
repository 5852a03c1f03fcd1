// IAM's operation table (query protocol): decoded input -> IamBackend -> output. Policy documents
// are answered URL-encoded, as IAM does (clients decode them).
#include "harness/serve/iam/backend.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

#include "harness/aws/protocol/text.hpp"

namespace migsim::harness::serve {

namespace {

using iam::IamBackend;

IamBackend& be(ServeContext& ctx) { return ctx.state<IamBackend>(); }
std::string str(const json& in, const char* k) { return in.value(k, std::string()); }
std::string encoded(const std::string& doc) { return aws::text::uri_encode(doc); }

// The tags a Create* call gives a new resource (in the one Tags store, by ARN).
void tag_new(ServeContext& ctx, const std::string& arn, const json& in)
{
  ctx.state<Tags>().forget(arn);
  ctx.state<Tags>().tag(arn, tags_from(in.value("Tags", json::array())));
}

// IAM's Marker/MaxItems paging of `items` into `out[key]`.
json page(const json& in, json items, const char* key)
{
  auto p = platform::marker_page(items, platform::marker_offset(in, "Marker", "InvalidInput"), in.value("MaxItems", 100));
  json out = {{key, std::move(p.items)}, {"IsTruncated", !p.next.empty()}};
  if (!p.next.empty())
    out["Marker"] = p.next;
  return out;
}

json role_json(ServeContext& ctx, const iam::Role& r)
{
  json j = {{"Path", r.path},
            {"RoleName", r.name},
            {"RoleId", r.id},
            {"Arn", r.arn},
            {"CreateDate", epoch_s(r.created_s)},
            {"AssumeRolePolicyDocument", encoded(r.trust_policy)},
            {"MaxSessionDuration", r.max_session_s},
            {"RoleLastUsed", json::object()}};
  if (!r.description.empty())
    j["Description"] = r.description;
  if (!ctx.state<Tags>().of(r.arn).empty())
    j["Tags"] = ctx.state<Tags>().list(r.arn);
  return j;
}

json policy_json(ServeContext& ctx, IamBackend& b, const iam::Policy& p)
{
  json j = {{"PolicyName", p.name},
            {"PolicyId", p.id},
            {"Arn", p.arn},
            {"Path", p.path},
            {"DefaultVersionId", p.default_version},
            {"AttachmentCount", b.attachment_count(p.arn)},
            {"PermissionsBoundaryUsageCount", 0},
            {"IsAttachable", true},
            {"CreateDate", epoch_s(p.created_s)},
            {"UpdateDate", epoch_s(p.updated_s)}};
  if (!p.description.empty())
    j["Description"] = p.description;
  if (!ctx.state<Tags>().of(p.arn).empty())
    j["Tags"] = ctx.state<Tags>().list(p.arn);
  return j;
}

json version_json(const iam::PolicyVersion& v, const std::string& default_version)
{
  return {{"VersionId", v.id},
          {"Document", encoded(v.document)},
          {"IsDefaultVersion", v.id == default_version},
          {"CreateDate", epoch_s(v.created_s)}};
}

json profile_json(ServeContext& ctx, IamBackend& b, const iam::InstanceProfile& p)
{
  json roles = json::array();
  for (const auto& r : p.roles)
    roles.push_back(role_json(ctx, b.role(r)));
  json j = {{"Path", p.path}, {"InstanceProfileName", p.name}, {"InstanceProfileId", p.id},
            {"Arn", p.arn},   {"CreateDate", epoch_s(p.created_s)}, {"Roles", roles}};
  if (!ctx.state<Tags>().of(p.arn).empty())
    j["Tags"] = ctx.state<Tags>().list(p.arn);
  return j;
}

void register_roles(Registry& r)
{
  r.add("iam", "CreateRole",
        {"RoleName", "Path", "AssumeRolePolicyDocument", "Description", "MaxSessionDuration", "Tags"},
        [](const json& in, ServeContext& ctx) {
          auto& role = be(ctx).create_role(str(in, "RoleName"), str(in, "Path"), str(in, "AssumeRolePolicyDocument"),
                                           str(in, "Description"), in.value("MaxSessionDuration", 3600),
                                           ctx.simulation.now());
          tag_new(ctx, role.arn, in);
          return json{{"Role", role_json(ctx, role)}};
        });
  r.add("iam", "GetRole", {"RoleName"}, [](const json& in, ServeContext& ctx) {
    return json{{"Role", role_json(ctx, be(ctx).role(str(in, "RoleName")))}};
  });
  r.add("iam", "DeleteRole", {"RoleName"}, [](const json& in, ServeContext& ctx) {
    const std::string arn = be(ctx).role(str(in, "RoleName")).arn;
    be(ctx).delete_role(str(in, "RoleName"));
    ctx.state<Tags>().forget(arn);
    return json::object();
  });
  r.add("iam", "UpdateRole", {"RoleName", "Description", "MaxSessionDuration"}, [](const json& in, ServeContext& ctx) {
    auto& role = be(ctx).role(str(in, "RoleName"));
    if (in.contains("Description"))
      role.description = str(in, "Description");
    role.max_session_s = in.value("MaxSessionDuration", role.max_session_s);
    return json::object();
  });
  r.add("iam", "UpdateAssumeRolePolicy", {"RoleName", "PolicyDocument"}, [](const json& in, ServeContext& ctx) {
    be(ctx).role(str(in, "RoleName")).trust_policy = str(in, "PolicyDocument");
    return json::object();
  });
  r.add("iam", "ListRoles", {"PathPrefix", "Marker", "MaxItems"}, [](const json& in, ServeContext& ctx) {
    json items = json::array();
    for (const auto* role : be(ctx).roles(str(in, "PathPrefix")))
      items.push_back(role_json(ctx, *role));
    return page(in, items, "Roles");
  });
  r.add("iam", "TagRole", {"RoleName", "Tags"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().tag(be(ctx).role(str(in, "RoleName")).arn, tags_from(in["Tags"]));
    return json::object();
  });
  r.add("iam", "UntagRole", {"RoleName", "TagKeys"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().untag(be(ctx).role(str(in, "RoleName")).arn, in["TagKeys"].get<std::vector<std::string>>());
    return json::object();
  });
  r.add("iam", "ListRoleTags", {"RoleName", "Marker", "MaxItems"}, [](const json& in, ServeContext& ctx) {
    return page(in, ctx.state<Tags>().list(be(ctx).role(str(in, "RoleName")).arn), "Tags");
  });
  r.add("iam", "PutRolePolicy", {"RoleName", "PolicyName", "PolicyDocument"}, [](const json& in, ServeContext& ctx) {
    if (!json::accept(str(in, "PolicyDocument")))
      throw errors::validation("Syntax errors in policy.", "MalformedPolicyDocument");
    be(ctx).role(str(in, "RoleName")).inline_policies[str(in, "PolicyName")] = str(in, "PolicyDocument");
    return json::object();
  });
  r.add("iam", "GetRolePolicy", {"RoleName", "PolicyName"}, [](const json& in, ServeContext& ctx) {
    auto& role = be(ctx).role(str(in, "RoleName"));
    auto it = role.inline_policies.find(str(in, "PolicyName"));
    if (it == role.inline_policies.end())
      throw errors::not_found("The role policy with name " + str(in, "PolicyName") + " cannot be found.",
                              "NoSuchEntity", 404);
    return json{{"RoleName", role.name}, {"PolicyName", it->first}, {"PolicyDocument", encoded(it->second)}};
  });
  r.add("iam", "DeleteRolePolicy", {"RoleName", "PolicyName"}, [](const json& in, ServeContext& ctx) {
    if (!be(ctx).role(str(in, "RoleName")).inline_policies.erase(str(in, "PolicyName")))
      throw errors::not_found("The role policy with name " + str(in, "PolicyName") + " cannot be found.",
                              "NoSuchEntity", 404);
    return json::object();
  });
  r.add("iam", "ListRolePolicies", {"RoleName", "Marker", "MaxItems"}, [](const json& in, ServeContext& ctx) {
    json names = json::array();
    for (const auto& [name, _] : be(ctx).role(str(in, "RoleName")).inline_policies)
      names.push_back(name);
    return page(in, names, "PolicyNames");
  });
  r.add("iam", "AttachRolePolicy", {"RoleName", "PolicyArn"}, [](const json& in, ServeContext& ctx) {
    be(ctx).attach(str(in, "RoleName"), str(in, "PolicyArn"));
    return json::object();
  });
  r.add("iam", "DetachRolePolicy", {"RoleName", "PolicyArn"}, [](const json& in, ServeContext& ctx) {
    be(ctx).detach(str(in, "RoleName"), str(in, "PolicyArn"));
    return json::object();
  });
  r.add("iam", "ListAttachedRolePolicies", {"RoleName", "PathPrefix", "Marker", "MaxItems"},
        [](const json& in, ServeContext& ctx) {
          json items = json::array();
          for (const auto& arn : be(ctx).role(str(in, "RoleName")).attached)
            items.push_back({{"PolicyArn", arn}, {"PolicyName", be(ctx).policy(arn).name}});
          return page(in, items, "AttachedPolicies");
        });
}

void register_policies(Registry& r)
{
  r.add("iam", "CreatePolicy", {"PolicyName", "Path", "PolicyDocument", "Description", "Tags"},
        [](const json& in, ServeContext& ctx) {
          auto& p = be(ctx).create_policy(str(in, "PolicyName"), str(in, "Path"), str(in, "PolicyDocument"),
                                          str(in, "Description"), ctx.simulation.now());
          tag_new(ctx, p.arn, in);
          return json{{"Policy", policy_json(ctx, be(ctx), p)}};
        });
  r.add("iam", "GetPolicy", {"PolicyArn"}, [](const json& in, ServeContext& ctx) {
    return json{{"Policy", policy_json(ctx, be(ctx), be(ctx).policy(str(in, "PolicyArn")))}};
  });
  r.add("iam", "DeletePolicy", {"PolicyArn"}, [](const json& in, ServeContext& ctx) {
    be(ctx).delete_policy(str(in, "PolicyArn"));
    ctx.state<Tags>().forget(str(in, "PolicyArn"));
    return json::object();
  });
  r.add("iam", "ListPolicies", {"Scope", "OnlyAttached", "Marker", "MaxItems"}, [](const json& in, ServeContext& ctx) {
    json items = json::array();
    for (const auto* p : be(ctx).policies(in.value("Scope", "All"), in.value("OnlyAttached", false)))
      items.push_back(policy_json(ctx, be(ctx), *p));
    return page(in, items, "Policies");
  });
  r.add("iam", "GetPolicyVersion", {"PolicyArn", "VersionId"}, [](const json& in, ServeContext& ctx) {
    auto& p = be(ctx).policy(str(in, "PolicyArn"));
    for (const auto& v : p.versions)
      if (v.id == str(in, "VersionId"))
        return json{{"PolicyVersion", version_json(v, p.default_version)}};
    throw errors::not_found("Policy " + p.arn + " version " + str(in, "VersionId") + " does not exist.",
                            "NoSuchEntity", 404);
  });
  r.add("iam", "CreatePolicyVersion", {"PolicyArn", "PolicyDocument", "SetAsDefault"},
        [](const json& in, ServeContext& ctx) {
          auto& v = be(ctx).create_version(str(in, "PolicyArn"), str(in, "PolicyDocument"),
                                           in.value("SetAsDefault", false), ctx.simulation.now());
          return json{{"PolicyVersion", version_json(v, be(ctx).policy(str(in, "PolicyArn")).default_version)}};
        });
  r.add("iam", "DeletePolicyVersion", {"PolicyArn", "VersionId"}, [](const json& in, ServeContext& ctx) {
    be(ctx).delete_version(str(in, "PolicyArn"), str(in, "VersionId"));
    return json::object();
  });
  r.add("iam", "ListPolicyVersions", {"PolicyArn", "Marker", "MaxItems"}, [](const json& in, ServeContext& ctx) {
    auto& p = be(ctx).policy(str(in, "PolicyArn"));
    json items = json::array();
    for (const auto& v : p.versions) {
      json j = version_json(v, p.default_version);
      j.erase("Document");
      items.push_back(j);
    }
    return page(in, items, "Versions");
  });
  r.add("iam", "TagPolicy", {"PolicyArn", "Tags"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().tag(be(ctx).policy(str(in, "PolicyArn")).arn, tags_from(in["Tags"]));
    return json::object();
  });
  r.add("iam", "UntagPolicy", {"PolicyArn", "TagKeys"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().untag(be(ctx).policy(str(in, "PolicyArn")).arn, in["TagKeys"].get<std::vector<std::string>>());
    return json::object();
  });
  r.add("iam", "ListPolicyTags", {"PolicyArn", "Marker", "MaxItems"}, [](const json& in, ServeContext& ctx) {
    return page(in, ctx.state<Tags>().list(be(ctx).policy(str(in, "PolicyArn")).arn), "Tags");
  });
  r.add("iam", "ListEntitiesForPolicy", {"PolicyArn"}, [](const json& in, ServeContext& ctx) {
    be(ctx).policy(str(in, "PolicyArn"));
    json roles = json::array();
    for (const auto* role : be(ctx).roles_attached_to(str(in, "PolicyArn")))
      roles.push_back({{"RoleName", role->name}, {"RoleId", role->id}});
    return json{{"PolicyRoles", roles}, {"PolicyUsers", json::array()}, {"PolicyGroups", json::array()},
                {"IsTruncated", false}};
  });
}

void register_profiles_and_oidc(Registry& r)
{
  r.add("iam", "CreateInstanceProfile", {"InstanceProfileName", "Path", "Tags"}, [](const json& in, ServeContext& ctx) {
    auto& p = be(ctx).create_profile(str(in, "InstanceProfileName"), str(in, "Path"), ctx.simulation.now());
    tag_new(ctx, p.arn, in);
    return json{{"InstanceProfile", profile_json(ctx, be(ctx), p)}};
  });
  r.add("iam", "GetInstanceProfile", {"InstanceProfileName"}, [](const json& in, ServeContext& ctx) {
    return json{{"InstanceProfile", profile_json(ctx, be(ctx), be(ctx).profile(str(in, "InstanceProfileName")))}};
  });
  r.add("iam", "DeleteInstanceProfile", {"InstanceProfileName"}, [](const json& in, ServeContext& ctx) {
    const std::string arn = be(ctx).profile(str(in, "InstanceProfileName")).arn;
    be(ctx).delete_profile(str(in, "InstanceProfileName"));
    ctx.state<Tags>().forget(arn);
    return json::object();
  });
  r.add("iam", "ListInstanceProfiles", {"Marker", "MaxItems"}, [](const json& in, ServeContext& ctx) {
    json items = json::array();
    for (const auto* p : be(ctx).profiles())
      items.push_back(profile_json(ctx, be(ctx), *p));
    return page(in, items, "InstanceProfiles");
  });
  r.add("iam", "AddRoleToInstanceProfile", {"InstanceProfileName", "RoleName"}, [](const json& in, ServeContext& ctx) {
    be(ctx).add_role(str(in, "InstanceProfileName"), str(in, "RoleName"));
    return json::object();
  });
  r.add("iam", "RemoveRoleFromInstanceProfile", {"InstanceProfileName", "RoleName"},
        [](const json& in, ServeContext& ctx) {
          be(ctx).remove_role(str(in, "InstanceProfileName"), str(in, "RoleName"));
          return json::object();
        });
  r.add("iam", "ListInstanceProfilesForRole", {"RoleName", "Marker", "MaxItems"}, [](const json& in, ServeContext& ctx) {
    be(ctx).role(str(in, "RoleName"));
    json items = json::array();
    for (const auto* p : be(ctx).profiles_of(str(in, "RoleName")))
      items.push_back(profile_json(ctx, be(ctx), *p));
    return page(in, items, "InstanceProfiles");
  });
  r.add("iam", "TagInstanceProfile", {"InstanceProfileName", "Tags"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().tag(be(ctx).profile(str(in, "InstanceProfileName")).arn, tags_from(in["Tags"]));
    return json::object();
  });
  r.add("iam", "UntagInstanceProfile", {"InstanceProfileName", "TagKeys"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().untag(be(ctx).profile(str(in, "InstanceProfileName")).arn, in["TagKeys"].get<std::vector<std::string>>());
    return json::object();
  });
  r.add("iam", "ListInstanceProfileTags", {"InstanceProfileName"}, [](const json& in, ServeContext& ctx) {
    return page(in, ctx.state<Tags>().list(be(ctx).profile(str(in, "InstanceProfileName")).arn), "Tags");
  });

  r.add("iam", "CreateOpenIDConnectProvider", {"Url", "ClientIDList", "ThumbprintList", "Tags"},
        [](const json& in, ServeContext& ctx) {
          auto thumbprints = strings(in, "ThumbprintList");
          if (thumbprints.empty())  // IAM fills in the issuer's top intermediate CA when none is given
            thumbprints.push_back("9e99a48a9960b14926bb7f3b02e22da2b0ab7280");
          auto& o = be(ctx).create_oidc(str(in, "Url"), strings(in, "ClientIDList"), thumbprints, ctx.simulation.now());
          tag_new(ctx, o.arn, in);
          json out = {{"OpenIDConnectProviderArn", o.arn}};
          if (!ctx.state<Tags>().of(o.arn).empty())
            out["Tags"] = ctx.state<Tags>().list(o.arn);
          return out;
        });
  r.add("iam", "GetOpenIDConnectProvider", {"OpenIDConnectProviderArn"}, [](const json& in, ServeContext& ctx) {
    auto& o = be(ctx).oidc(str(in, "OpenIDConnectProviderArn"));
    return json{{"Url", o.url}, {"ClientIDList", o.client_ids}, {"ThumbprintList", o.thumbprints},
                {"CreateDate", epoch_s(o.created_s)}, {"Tags", ctx.state<Tags>().list(o.arn)}};
  });
  r.add("iam", "DeleteOpenIDConnectProvider", {"OpenIDConnectProviderArn"}, [](const json& in, ServeContext& ctx) {
    be(ctx).delete_oidc(str(in, "OpenIDConnectProviderArn"));
    ctx.state<Tags>().forget(str(in, "OpenIDConnectProviderArn"));
    return json::object();
  });
  r.add("iam", "ListOpenIDConnectProviders", {}, [](const json&, ServeContext& ctx) {
    json items = json::array();
    for (const auto* o : be(ctx).oidcs())
      items.push_back({{"Arn", o->arn}});
    return json{{"OpenIDConnectProviderList", items}};
  });
  r.add("iam", "UpdateOpenIDConnectProviderThumbprint", {"OpenIDConnectProviderArn", "ThumbprintList"},
        [](const json& in, ServeContext& ctx) {
          be(ctx).oidc(str(in, "OpenIDConnectProviderArn")).thumbprints = strings(in, "ThumbprintList");
          return json::object();
        });
  r.add("iam", "AddClientIDToOpenIDConnectProvider", {"OpenIDConnectProviderArn", "ClientID"},
        [](const json& in, ServeContext& ctx) {
          auto& ids = be(ctx).oidc(str(in, "OpenIDConnectProviderArn")).client_ids;
          if (std::find(ids.begin(), ids.end(), str(in, "ClientID")) == ids.end())
            ids.push_back(str(in, "ClientID"));
          return json::object();
        });
  r.add("iam", "RemoveClientIDFromOpenIDConnectProvider", {"OpenIDConnectProviderArn", "ClientID"},
        [](const json& in, ServeContext& ctx) {
          auto& ids = be(ctx).oidc(str(in, "OpenIDConnectProviderArn")).client_ids;
          ids.erase(std::remove(ids.begin(), ids.end(), str(in, "ClientID")), ids.end());
          return json::object();
        });
  r.add("iam", "TagOpenIDConnectProvider", {"OpenIDConnectProviderArn", "Tags"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().tag(be(ctx).oidc(str(in, "OpenIDConnectProviderArn")).arn, tags_from(in["Tags"]));
    return json::object();
  });
  r.add("iam", "UntagOpenIDConnectProvider", {"OpenIDConnectProviderArn", "TagKeys"},
        [](const json& in, ServeContext& ctx) {
          ctx.state<Tags>().untag(be(ctx).oidc(str(in, "OpenIDConnectProviderArn")).arn, in["TagKeys"].get<std::vector<std::string>>());
          return json::object();
        });
  r.add("iam", "ListOpenIDConnectProviderTags", {"OpenIDConnectProviderArn"}, [](const json& in, ServeContext& ctx) {
    return page(in, ctx.state<Tags>().list(be(ctx).oidc(str(in, "OpenIDConnectProviderArn")).arn), "Tags");
  });
}

}  // namespace

// Registers IAM (query protocol): roles, managed policies, instance profiles, OIDC providers.
void register_iam(Registry& r)
{
  register_roles(r);
  register_policies(r);
  register_profiles_and_oidc(r);
}

}  // namespace migsim::harness::serve
