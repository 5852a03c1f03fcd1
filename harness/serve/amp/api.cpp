// Amazon Managed Service for Prometheus's operation table (rest-json, service amp, signing name aps):
// decoded input -> AmpBackend -> output.
#include "harness/aws/protocol/text.hpp"
#include "harness/serve/amp/backend.hpp"
#include "harness/serve/core/provisioning.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

namespace migsim::harness::serve {

namespace {

using amp::AmpBackend;

const TagWire kMap{.map = true};

AmpBackend& be(ServeContext& ctx) { return ctx.state<AmpBackend>(); }
double now(ServeContext& ctx) { return ctx.simulation.now(); }
std::string str(const json& in, const char* k) { return in.value(k, std::string()); }

json status(const std::string& code) { return {{"statusCode", code}}; }

const Paging kPaging{.max_member = "maxResults", .token_member = "nextToken", .max_max = 1000,
                     .token_code = "ValidationException"};

json page_json(const Page& page, const char* items)
{
  json out = {{items, page.items}};
  if (!page.next_token.empty())
    out["nextToken"] = page.next_token;
  return out;
}

json workspace_json(ServeContext& ctx, const amp::Workspace& w)
{
  json j = {{"workspaceId", w.id},
            {"arn", w.arn},
            {"status", status(amp::status_code(w.created_s, w.created_s, w.active_s, now(ctx)))},
            {"createdAt", epoch_s(w.created_s)},
            // The workspace's query and remote-write base: this endpoint's own (no AWS host name).
            {"prometheusEndpoint", "http://127.0.0.1/workspaces/" + w.id + "/"},
            {"tags", tags_json(ctx.state<Tags>().of(w.arn), kMap)}};
  if (!w.alias.empty())
    j["alias"] = w.alias;
  if (!w.kms_key_arn.empty())
    j["kmsKeyArn"] = w.kms_key_arn;
  return j;
}

json namespace_json(ServeContext& ctx, const amp::RuleGroupsNamespace& n, bool with_data)
{
  json j = {{"arn", n.arn},
            {"name", n.name},
            {"status", status(amp::status_code(n.created_s, n.modified_s, n.active_s, now(ctx)))},
            {"createdAt", epoch_s(n.created_s)},
            {"modifiedAt", epoch_s(n.modified_s)},
            {"tags", tags_json(ctx.state<Tags>().of(n.arn), kMap)}};
  if (with_data)
    j["data"] = aws::text::base64_encode(n.data);
  return j;
}

// A blob member as the rule file's text.
std::string rule_data(const json& in)
{
  const auto text = aws::text::base64_decode(str(in, "data"));
  if (!text || text->empty())
    throw errors::validation("data must be a non-empty Prometheus rule file");
  return *text;
}

}  // namespace

// Registers Amazon Managed Service for Prometheus: workspaces, rule groups namespaces, tags.
void register_amp(Registry& r)
{
  r.add("amp", "CreateWorkspace", {"alias", "kmsKeyArn", "tags"}, [](const json& in, ServeContext& ctx) {
    const TagMap tags = tags_from(in.value("tags", json::object()), kMap);
    auto& w = be(ctx).create(region(ctx), str(in, "alias"), now(ctx),
                             ctx.state<ProvisioningTimes>()("amp_workspace_create_s"));
    w.kms_key_arn = str(in, "kmsKeyArn");
    ctx.state<Tags>().tag(w.arn, tags);
    ctx.state<ResourceTimeline>().created("amp", "Workspace", w.id, w.created_s, w.active_s, ctx.request_id);
    json out = workspace_json(ctx, w);
    out.erase("createdAt");
    out.erase("prometheusEndpoint");
    out.erase("alias");
    return out;
  });
  r.add("amp", "DescribeWorkspace", {"workspaceId"}, [](const json& in, ServeContext& ctx) {
    return json{{"workspace", workspace_json(ctx, be(ctx).workspace(str(in, "workspaceId")))}};
  });
  r.add("amp", "ListWorkspaces", {"alias", "maxResults", "nextToken"}, [](const json& in, ServeContext& ctx) {
    json items = json::array();
    for (const auto* w : be(ctx).all())
      if (!in.contains("alias") || w->alias.rfind(str(in, "alias"), 0) == 0) {
        json j = workspace_json(ctx, *w);
        j.erase("prometheusEndpoint");
        items.push_back(j);
      }
    return page_json(paginate(items, in, kPaging), "workspaces");
  });
  r.add("amp", "UpdateWorkspaceAlias", {"workspaceId", "alias"}, [](const json& in, ServeContext& ctx) {
    be(ctx).workspace(str(in, "workspaceId")).alias = str(in, "alias");
    return json::object();
  });
  r.add("amp", "DeleteWorkspace", {"workspaceId"}, [](const json& in, ServeContext& ctx) {
    const std::string id = str(in, "workspaceId");
    auto& w = be(ctx).workspace(id);
    ctx.state<Tags>().forget(w.arn);
    for (const auto& [_, n] : w.namespaces)
      ctx.state<Tags>().forget(n.arn);
    be(ctx).remove(id);
    ctx.state<ResourceTimeline>().deleted("amp", "Workspace", id, now(ctx));
    return json::object();
  });
  r.add("amp", "DescribeWorkspaceConfiguration", {"workspaceId"}, [](const json& in, ServeContext& ctx) {
    be(ctx).workspace(str(in, "workspaceId"));
    // 150 days: the service's default retention (the AMP user guide's quotas).
    return json{{"workspaceConfiguration", {{"status", status("ACTIVE")}, {"retentionPeriodInDays", 150}}}};
  });
  r.add("amp", "DescribeLoggingConfiguration", {"workspaceId"}, [](const json& in, ServeContext& ctx) -> json {
    be(ctx).workspace(str(in, "workspaceId"));
    throw errors::not_found("Logging configuration not found for workspace " + str(in, "workspaceId"),
                            "ResourceNotFoundException");
  });

  r.add("amp", "CreateRuleGroupsNamespace", {"workspaceId", "name", "data", "tags"},
        [](const json& in, ServeContext& ctx) {
          auto& w = be(ctx).workspace(str(in, "workspaceId"));
          const TagMap tags = tags_from(in.value("tags", json::object()), kMap);
          auto& n = be(ctx).create_namespace(w, str(in, "name"), rule_data(in), now(ctx),
                                             ctx.state<ProvisioningTimes>()("amp_rule_groups_namespace_create_s"));
          ctx.state<Tags>().tag(n.arn, tags);
          ctx.state<ResourceTimeline>().created("amp", "RuleGroupsNamespace", n.arn, n.created_s, n.active_s,
                                                ctx.request_id);
          json out = namespace_json(ctx, n, false);
          out.erase("createdAt");
          out.erase("modifiedAt");
          return out;
        });
  r.add("amp", "DescribeRuleGroupsNamespace", {"workspaceId", "name"}, [](const json& in, ServeContext& ctx) {
    auto& w = be(ctx).workspace(str(in, "workspaceId"));
    return json{{"ruleGroupsNamespace", namespace_json(ctx, be(ctx).rule_namespace(w, str(in, "name")), true)}};
  });
  r.add("amp", "PutRuleGroupsNamespace", {"workspaceId", "name", "data"}, [](const json& in, ServeContext& ctx) {
    auto& w = be(ctx).workspace(str(in, "workspaceId"));
    auto& n = be(ctx).rule_namespace(w, str(in, "name"));
    const std::string data = rule_data(in);
    amp::check_rule_data(data);
    n.data = data;
    n.modified_s = now(ctx);
    n.active_s = now(ctx) + ctx.state<ProvisioningTimes>()("amp_rule_groups_namespace_create_s");
    json out = namespace_json(ctx, n, false);
    out.erase("createdAt");
    out.erase("modifiedAt");
    return out;
  });
  r.add("amp", "DeleteRuleGroupsNamespace", {"workspaceId", "name"}, [](const json& in, ServeContext& ctx) {
    auto& w = be(ctx).workspace(str(in, "workspaceId"));
    const std::string arn = be(ctx).rule_namespace(w, str(in, "name")).arn;
    w.namespaces.erase(str(in, "name"));
    ctx.state<Tags>().forget(arn);
    ctx.state<ResourceTimeline>().deleted("amp", "RuleGroupsNamespace", arn, now(ctx));
    return json::object();
  });
  r.add("amp", "ListRuleGroupsNamespaces", {"workspaceId", "name", "maxResults", "nextToken"},
        [](const json& in, ServeContext& ctx) {
          auto& w = be(ctx).workspace(str(in, "workspaceId"));
          json items = json::array();
          for (const auto& [name, n] : w.namespaces)
            if (!in.contains("name") || name.rfind(str(in, "name"), 0) == 0)
              items.push_back(namespace_json(ctx, n, false));
          return page_json(paginate(items, in, kPaging), "ruleGroupsNamespaces");
        });

  const TagOperations ops{.arn_member = "resourceArn",
                          .tags_member = "tags",
                          .keys_member = "tagKeys",
                          .wire = kMap,
                          .exists = [](ServeContext& ctx, const std::string& arn) {
                            for (const auto* w : ctx.state<AmpBackend>().all()) {
                              if (w->arn == arn)
                                return true;
                              for (const auto& [_, n] : w->namespaces)
                                if (n.arn == arn)
                                  return true;
                            }
                            return false;
                          },
                          .not_found_code = "ResourceNotFoundException"};
  r.add("amp", "TagResource", {"resourceArn", "tags"}, tag_resource(ops));
  r.add("amp", "UntagResource", {"resourceArn", "tagKeys"}, untag_resource(ops));
  r.add("amp", "ListTagsForResource", {"resourceArn"}, list_tags(ops));
}

}  // namespace migsim::harness::serve
