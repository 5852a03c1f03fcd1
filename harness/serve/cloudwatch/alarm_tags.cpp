// CloudWatch alarm tags (TagResource, UntagResource, ListTagsForResource; Tags at PutMetricAlarm in
// api.cpp), by alarm ARN.
#include "harness/serve/cloudwatch/alarms.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/cloudwatch/backend.hpp"

namespace migsim::harness::serve {

namespace {

// The alarm a tag operation names, by ARN (404 ResourceNotFoundException when there is none).
std::string alarm_arn(ServeContext& ctx, const json& in)
{
  const std::string arn = in.value("ResourceARN", std::string());
  for (const auto& [name, a] : alarm_book(ctx).alarms())
    if (a.arn() == arn)
      return arn;
  throw errors::not_found("The specified resource " + arn + " does not exist.", "ResourceNotFoundException", 404);
}

}  // namespace

void register_cloudwatch_alarm_tags(Registry& r)
{
  const TagOperations ops{.arn_member = "ResourceARN", .resource = alarm_arn};
  r.add("cloudwatch", "TagResource", {"ResourceARN", "Tags"}, tag_resource(ops));
  r.add("cloudwatch", "UntagResource", {"ResourceARN", "TagKeys"}, untag_resource(ops));
  r.add("cloudwatch", "ListTagsForResource", {"ResourceARN"}, list_tags(ops));
}

}  // namespace migsim::harness::serve
