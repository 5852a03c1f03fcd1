// CloudWatch alarm tags (TagResource, UntagResource, ListTagsForResource; Tags at PutMetricAlarm in
// api.cpp), by alarm ARN.
#include "harness/serve/cloudwatch/alarms.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/cloudwatch/backend.hpp"

#include <algorithm>

namespace migsim::harness::serve {

namespace {

void alarm_exists(ServeContext& ctx, const std::string& arn)
{
  for (const auto& [name, a] : alarm_book(ctx).alarms())
    if (a.arn() == arn)
      return;
  throw AwsError("ResourceNotFoundException", "The specified resource " + arn + " does not exist.", 404);
}

}  // namespace

void register_cloudwatch_alarm_tags(Registry& r)
{
  r.add("cloudwatch", "TagResource", {"ResourceARN", "Tags"}, [](const json& in, ServeContext& ctx) {
    alarm_exists(ctx, in["ResourceARN"]);
    ctx.state<Tags>().add(in["ResourceARN"], in["Tags"]);
    return json::object();
  });
  r.add("cloudwatch", "UntagResource", {"ResourceARN", "TagKeys"}, [](const json& in, ServeContext& ctx) {
    alarm_exists(ctx, in["ResourceARN"]);
    ctx.state<Tags>().untag(in["ResourceARN"], strings(in, "TagKeys"));
    return json::object();
  });
  r.add("cloudwatch", "ListTagsForResource", {"ResourceARN"}, [](const json& in, ServeContext& ctx) {
    alarm_exists(ctx, in["ResourceARN"]);
    return json{{"Tags", ctx.state<Tags>().list(in["ResourceARN"])}};
  });
}

}  // namespace migsim::harness::serve
