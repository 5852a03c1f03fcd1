// Route 53 hosted zone tags (ChangeTagsForResource, ListTagsForResource), by zone id.
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/route53/backend.hpp"
#include "harness/serve/route53/backend.hpp"

#include <algorithm>

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
  r.add("route53", "ChangeTagsForResource", {"ResourceType", "ResourceId", "AddTags", "RemoveTagKeys"},
        [](const json& in, ServeContext& ctx) {
          const std::string key = zone_key(ctx, in);
          if (in.contains("AddTags"))
            ctx.state<Tags>().add(key, in["AddTags"]);
          ctx.state<Tags>().untag(key, strings(in, "RemoveTagKeys"));
          return json::object();
        });
  r.add("route53", "ListTagsForResource", {"ResourceType", "ResourceId"}, [](const json& in, ServeContext& ctx) {
    const std::string key = zone_key(ctx, in);
    std::string id = in["ResourceId"];
    if (id.rfind("/hostedzone/", 0) == 0)
      id = id.substr(12);
    return json{{"ResourceTagSet",
                 {{"ResourceType", "hostedzone"}, {"ResourceId", id}, {"Tags", ctx.state<Tags>().list(key)}}}};
  });
}

}  // namespace migsim::harness::serve
