// SNS beyond create/delete, as the terraform AWS provider drives it: SetTopicAttributes, topic tags
// (TagResource, UntagResource, ListTagsForResource; Tags at CreateTopic in api.cpp),
// GetSubscriptionAttributes and Unsubscribe.
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/sns/backend.hpp"

#include <algorithm>

namespace migsim::harness::serve {

namespace {

// The topic a tagging call names, by ARN (SNS answers ResourceNotFound for tags, NotFound elsewhere).
std::string tagged_topic(ServeContext& ctx, const json& in)
{
  const std::string arn = in.value("ResourceArn", std::string());
  try {
    ctx.state<SnsBackend>().topic(arn);
  } catch (const AwsError&) {
    throw errors::not_found("Resource does not exist", "ResourceNotFound", 404);
  }
  return arn;
}

}  // namespace

void register_sns_topic_attributes(Registry& r)
{
  r.add("sns", "SetTopicAttributes", {"TopicArn", "AttributeName", "AttributeValue"}, [](const json& in, ServeContext& ctx) {
    static const std::vector<std::string> settable = {
        "DisplayName", "Policy", "DeliveryPolicy", "KmsMasterKeyId", "SignatureVersion", "TracingConfig",
        "ContentBasedDeduplication", "ArchivePolicy", "FifoThroughputScope", "DataProtectionPolicy",
        "HTTPSuccessFeedbackRoleArn", "HTTPFailureFeedbackRoleArn", "HTTPSuccessFeedbackSampleRate",
        "LambdaSuccessFeedbackRoleArn", "LambdaFailureFeedbackRoleArn", "LambdaSuccessFeedbackSampleRate",
        "SQSSuccessFeedbackRoleArn", "SQSFailureFeedbackRoleArn", "SQSSuccessFeedbackSampleRate",
        "FirehoseSuccessFeedbackRoleArn", "FirehoseFailureFeedbackRoleArn", "FirehoseSuccessFeedbackSampleRate",
        "ApplicationSuccessFeedbackRoleArn", "ApplicationFailureFeedbackRoleArn",
        "ApplicationSuccessFeedbackSampleRate"};
    const std::string name = in["AttributeName"];
    if (std::find(settable.begin(), settable.end(), name) == settable.end())
      throw AwsError("InvalidParameter", "Invalid parameter: AttributeName", 400);
    ctx.state<SnsBackend>().set_topic_attribute(in["TopicArn"], name, in.value("AttributeValue", std::string()));
    return json::object();
  });
  TagOperations tags;
  tags.resource = tagged_topic;
  r.add("sns", "TagResource", {"ResourceArn", "Tags"}, tag_resource(tags));
  r.add("sns", "UntagResource", {"ResourceArn", "TagKeys"}, untag_resource(tags));
  r.add("sns", "ListTagsForResource", {"ResourceArn"}, list_tags(tags));
  r.add("sns", "GetSubscriptionAttributes", {"SubscriptionArn"}, [](const json& in, ServeContext& ctx) {
    for (const auto& s : ctx.state<SnsBackend>().subscriptions())
      if (s.arn == in["SubscriptionArn"])
        return json{{"Attributes",
                     {{"SubscriptionArn", s.arn},
                      {"TopicArn", s.topic_arn},
                      {"Protocol", s.protocol},
                      {"Endpoint", s.endpoint},
                      {"Owner", "000000000000"},
                      {"PendingConfirmation", "false"},
                      {"ConfirmationWasAuthenticated", "true"},
                      {"RawMessageDelivery", "false"},
                      {"SubscriptionPrincipal", "arn:aws:iam::000000000000:root"}}}};
    throw AwsError("NotFound", "Subscription does not exist", 404);
  });
  r.add("sns", "Unsubscribe", {"SubscriptionArn"}, [](const json& in, ServeContext& ctx) {
    ctx.state<SnsBackend>().unsubscribe(in["SubscriptionArn"]);
    return json::object();
  });
}

}  // namespace migsim::harness::serve
