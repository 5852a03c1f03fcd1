// Route 53 hosted zone tags (ChangeTagsForResource, ListTagsForResource), by zone id, through the
// tag operations of core/resource.
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/route53/backend.hpp"

namespace migsim::harness::serve {

namespace {

std::string zone_key(ServeContext& ctx, const json& in)
{
  if (in.value("ResourceType", std::string()) != "hostedzone")
    throw AwsError("InvalidInput", "migsim tags hosted zones only (ResourceType hostedzone)", 400);
  std::string id = in["ResourceId"];
  if (id.rfind("/hostedzone/", 0) == 0)
    id = id.substr(12);
  route53::backend(ctx).get_hosted_zone(json{{"Id", id}});  // NoSuchHostedZone when absent
  return "route53-hostedzone:" + id;
}

}  // namespace

void register_route53_tags(Registry& r)
{
  const TagOperations ops{.tags_member = "AddTags", .keys_member = "RemoveTagKeys", .resource = zone_key,
                          .list_member = "Tags"};
  r.add("route53", "ChangeTagsForResource", {"ResourceType", "ResourceId", "AddTags", "RemoveTagKeys"},
        [add = tag_resource(ops), remove = untag_resource(ops)](const json& in, ServeContext& ctx) {
          if (in.contains("AddTags"))
            add(in, ctx);
          return remove(in, ctx);
        });
  r.add("route53", "ListTagsForResource", {"ResourceType", "ResourceId"},
        [list = list_tags(ops)](const json& in, ServeContext& ctx) {
          const json tags = list(in, ctx)["Tags"];  // checks the zone first
          std::string id = in["ResourceId"];
          if (id.rfind("/hostedzone/", 0) == 0)
            id = id.substr(12);
          return json{{"ResourceTagSet", {{"ResourceType", "hostedzone"}, {"ResourceId", id}, {"Tags", tags}}}};
        });
}

}  // namespace migsim::harness::serve
