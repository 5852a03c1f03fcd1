// CloudFront's operation table (rest-xml, 2020-05-31): decoded input -> CloudFrontBackend -> output.
#include "harness/serve/cloudfront/backend.hpp"
#include "harness/serve/core/provisioning.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

namespace migsim::harness::serve {

namespace {

using cloudfront::CloudFrontBackend;

CloudFrontBackend& be(ServeContext& ctx) { return ctx.state<CloudFrontBackend>(); }
std::string str(const json& in, const char* k) { return in.value(k, std::string()); }
double deploy_s(ServeContext& ctx) { return ctx.state<ProvisioningTimes>()("cloudfront_deploy_s"); }

json distribution_json(const cloudfront::Distribution& d, double t, CloudFrontBackend& b)
{
  return {{"Id", d.id},
          {"ARN", d.arn},
          {"Status", b.status(d, t)},
          {"LastModifiedTime", epoch_s(d.modified_s)},
          {"InProgressInvalidationBatches", 0},
          {"DomainName", d.domain},
          {"ActiveTrustedSigners", {{"Enabled", false}, {"Quantity", 0}}},
          {"ActiveTrustedKeyGroups", {{"Enabled", false}, {"Quantity", 0}}},
          {"DistributionConfig", d.config}};
}

json summary_json(const cloudfront::Distribution& d, double t, CloudFrontBackend& b)
{
  const json& c = d.config;
  json s = {{"Id", d.id}, {"ARN", d.arn}, {"Status", b.status(d, t)}, {"LastModifiedTime", epoch_s(d.modified_s)},
            {"DomainName", d.domain}, {"ETag", d.etag}};
  for (const char* k : {"Aliases", "Origins", "OriginGroups", "DefaultCacheBehavior", "CacheBehaviors",
                        "CustomErrorResponses", "Comment", "PriceClass", "Enabled", "ViewerCertificate",
                        "Restrictions", "WebACLId", "HttpVersion", "IsIPV6Enabled", "Staging"})
    if (c.contains(k))
      s[k] = c[k];
  return s;
}

json created(ServeContext& ctx, cloudfront::Distribution& d)
{
  ctx.state<ResourceTimeline>().created("cloudfront", "Distribution", d.arn, d.created_s, d.deployed_s, ctx.request_id);
  return {{"Distribution", distribution_json(d, ctx.simulation.now(), be(ctx))},
          {"ETag", d.etag},
          {"Location", "https://cloudfront.amazonaws.com/2020-05-31/distribution/" + d.id}};
}

json oac_json(const cloudfront::OriginAccessControl& o)
{
  return {{"Id", o.id}, {"OriginAccessControlConfig", o.config}};
}

void register_distributions(Registry& r)
{
  r.add("cloudfront", "CreateDistribution", {"DistributionConfig"}, [](const json& in, ServeContext& ctx) {
    return created(ctx, be(ctx).create(in.at("DistributionConfig"), ctx.simulation.now(), deploy_s(ctx)));
  });
  r.add("cloudfront", "CreateDistributionWithTags", {"DistributionConfigWithTags"}, [](const json& in, ServeContext& ctx) {
    const json& with = in.at("DistributionConfigWithTags");
    const TagMap tags = tags_from(with.value("Tags", json::object()).value("Items", json::array()));
    auto& d = be(ctx).create(with.at("DistributionConfig"), ctx.simulation.now(), deploy_s(ctx));
    ctx.state<Tags>().forget(d.arn);
    ctx.state<Tags>().tag(d.arn, tags);
    return created(ctx, d);
  });
  r.add("cloudfront", "GetDistribution", {"Id"}, [](const json& in, ServeContext& ctx) {
    auto& d = be(ctx).get(str(in, "Id"));
    return json{{"Distribution", distribution_json(d, ctx.simulation.now(), be(ctx))}, {"ETag", d.etag}};
  });
  r.add("cloudfront", "GetDistributionConfig", {"Id"}, [](const json& in, ServeContext& ctx) {
    auto& d = be(ctx).get(str(in, "Id"));
    return json{{"DistributionConfig", d.config}, {"ETag", d.etag}};
  });
  r.add("cloudfront", "UpdateDistribution", {"DistributionConfig", "Id", "IfMatch"}, [](const json& in, ServeContext& ctx) {
    auto& d = be(ctx).update(str(in, "Id"), str(in, "IfMatch"), in.at("DistributionConfig"), ctx.simulation.now(),
                             deploy_s(ctx));
    return json{{"Distribution", distribution_json(d, ctx.simulation.now(), be(ctx))}, {"ETag", d.etag}};
  });
  r.add("cloudfront", "DeleteDistribution", {"Id", "IfMatch"}, [](const json& in, ServeContext& ctx) {
    const std::string arn = be(ctx).get(str(in, "Id")).arn;
    be(ctx).remove(str(in, "Id"), str(in, "IfMatch"), ctx.simulation.now());
    ctx.state<Tags>().forget(arn);
    return json::object();
  });
  r.add("cloudfront", "ListDistributions", {"Marker", "MaxItems"}, [](const json& in, ServeContext& ctx) {
    const auto all = be(ctx).all();
    const size_t from = platform::marker_offset(in, "Marker", "InvalidArgument");
    const size_t max = in.contains("MaxItems") ? platform::marker_offset(in, "MaxItems", "InvalidArgument") : 100;
    json summaries = json::array();
    for (const auto* d : all)
      summaries.push_back(summary_json(*d, ctx.simulation.now(), be(ctx)));
    auto p = platform::marker_page(summaries, from, max);
    json list = {{"Marker", in.value("Marker", "")}, {"MaxItems", static_cast<int>(max)},
                 {"IsTruncated", !p.next.empty()}, {"Quantity", static_cast<int>(p.items.size())}};
    if (!p.items.empty())
      list["Items"] = std::move(p.items);
    if (!p.next.empty())
      list["NextMarker"] = p.next;
    return json{{"DistributionList", list}};
  });
  r.add("cloudfront", "TagResource", {"Resource", "Tags"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().tag(be(ctx).by_arn(str(in, "Resource")).arn,
                          tags_from(in.value("Tags", json::object()).value("Items", json::array())));
    return json::object();
  });
  r.add("cloudfront", "UntagResource", {"Resource", "TagKeys"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().untag(be(ctx).by_arn(str(in, "Resource")).arn,
                            in.value("TagKeys", json::object()).value("Items", json::array()).get<std::vector<std::string>>());
    return json::object();
  });
  r.add("cloudfront", "ListTagsForResource", {"Resource"}, [](const json& in, ServeContext& ctx) {
    const auto& d = be(ctx).by_arn(str(in, "Resource"));
    json tags = json::object();
    if (!ctx.state<Tags>().of(d.arn).empty())
      tags["Items"] = ctx.state<Tags>().list(d.arn);
    return json{{"Tags", tags}};
  });
}

void register_origin_access_controls(Registry& r)
{
  r.add("cloudfront", "CreateOriginAccessControl", {"OriginAccessControlConfig"}, [](const json& in, ServeContext& ctx) {
    auto& o = be(ctx).create_oac(in.at("OriginAccessControlConfig"));
    return json{{"OriginAccessControl", oac_json(o)}, {"ETag", o.etag},
                {"Location", "https://cloudfront.amazonaws.com/2020-05-31/origin-access-control/" + o.id}};
  });
  r.add("cloudfront", "GetOriginAccessControl", {"Id"}, [](const json& in, ServeContext& ctx) {
    auto& o = be(ctx).oac(str(in, "Id"));
    return json{{"OriginAccessControl", oac_json(o)}, {"ETag", o.etag}};
  });
  r.add("cloudfront", "GetOriginAccessControlConfig", {"Id"}, [](const json& in, ServeContext& ctx) {
    auto& o = be(ctx).oac(str(in, "Id"));
    return json{{"OriginAccessControlConfig", o.config}, {"ETag", o.etag}};
  });
  r.add("cloudfront", "UpdateOriginAccessControl", {"OriginAccessControlConfig", "Id", "IfMatch"},
        [](const json& in, ServeContext& ctx) {
          auto& o = be(ctx).update_oac(str(in, "Id"), str(in, "IfMatch"), in.at("OriginAccessControlConfig"));
          return json{{"OriginAccessControl", oac_json(o)}, {"ETag", o.etag}};
        });
  r.add("cloudfront", "DeleteOriginAccessControl", {"Id", "IfMatch"}, [](const json& in, ServeContext& ctx) {
    be(ctx).remove_oac(str(in, "Id"), str(in, "IfMatch"));
    return json::object();
  });
  r.add("cloudfront", "ListOriginAccessControls", {"Marker", "MaxItems"}, [](const json&, ServeContext& ctx) {
    json items = json::array();
    for (const auto* o : be(ctx).oacs()) {
      json s = o->config;
      s["Id"] = o->id;
      items.push_back(s);
    }
    json list = {{"Marker", ""}, {"MaxItems", 100}, {"IsTruncated", false}, {"Quantity", static_cast<int>(items.size())}};
    if (!items.empty())
      list["Items"] = items;
    return json{{"OriginAccessControlList", list}};
  });
}

}  // namespace

// Registers CloudFront (rest-xml): distributions, origin access controls, tags.
void register_cloudfront(Registry& r)
{
  register_distributions(r);
  register_origin_access_controls(r);
}

}  // namespace migsim::harness::serve
