// The SNS wire layer (query protocol) over SnsBackend: reads the decoded input, calls the backend,
// returns the botocore-shaped output.
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/sns/backend.hpp"

namespace migsim::harness::serve {

namespace {


// A subscription as ListSubscriptions* show it.
json subscription_json(const SnsSubscription& s)
{
  return {{"SubscriptionArn", s.arn}, {"Owner", kAccountId}, {"Protocol", s.protocol}, {"Endpoint", s.endpoint},
          {"TopicArn", s.topic_arn}};
}

// A string→string map member (Attributes) of the input.
std::map<std::string, std::string> string_map(const json& input, const char* member)
{
  std::map<std::string, std::string> out;
  if (input.contains(member))
    for (const auto& [k, v] : input[member].items())
      out[k] = v.get<std::string>();
  return out;
}

// The access policy SNS gives a topic created without one: the owning account may use every topic
// action (clients such as the terraform provider parse it as JSON on every read).
std::string default_topic_policy(const std::string& topic_arn)
{
  const json actions = {"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
                        "SNS:RemovePermission",   "SNS:DeleteTopic",        "SNS:Subscribe",
                        "SNS:ListSubscriptionsByTopic", "SNS:Publish"};
  const json policy = {
      {"Version", "2008-10-17"},
      {"Id", "__default_policy_ID"},
      {"Statement",
       {{{"Sid", "__default_statement_ID"},
         {"Effect", "Allow"},
         {"Principal", {{"AWS", "*"}}},
         {"Action", actions},
         {"Resource", topic_arn},
         {"Condition", {{"StringEquals", {{"AWS:SourceOwner", kAccountId}}}}}}}}};
  return policy.dump();
}

// The delivery policy SNS reports for HTTP(S) endpoints when none is set.
constexpr const char* kDefaultDeliveryPolicy =
    R"({"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,)"
    R"("numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},)"
    R"("disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}})";

}  // namespace

void register_sns_topic_attributes(Registry& r);  // topic_attributes.cpp

// Registers the SNS operations.
void register_sns(Registry& r)
{
  register_sns_topic_attributes(r);
  r.add("sns", "CreateTopic", {"Name", "Attributes", "Tags"}, [](const json& in, ServeContext& ctx) {
    const std::string arn = ctx.state<SnsBackend>().create_topic(in["Name"], string_map(in, "Attributes")).arn;
    if (in.contains("Tags"))
      ctx.state<Tags>().add(arn, in["Tags"]);
    return json{{"TopicArn", arn}};
  });
  r.add("sns", "ListTopics", {}, [](const json&, ServeContext& ctx) {
    json topics = json::array();
    for (const SnsTopic* t : ctx.state<SnsBackend>().topics())
      topics.push_back({{"TopicArn", t->arn}});
    return json{{"Topics", topics}};
  });
  r.add("sns", "GetTopicAttributes", {"TopicArn"}, [](const json& in, ServeContext& ctx) {
    auto& sns = ctx.state<SnsBackend>();
    const SnsTopic& t = sns.topic(in["TopicArn"]);
    const auto subs = sns.subscriptions(t.arn);
    json attrs = {{"TopicArn", t.arn},
                  {"Owner", kAccountId},
                  {"DisplayName", ""},
                  {"SubscriptionsConfirmed", std::to_string(subs.size())},
                  {"SubscriptionsPending", "0"},
                  {"SubscriptionsDeleted", "0"},
                  {"Policy", default_topic_policy(t.arn)},
                  {"EffectiveDeliveryPolicy", kDefaultDeliveryPolicy}};
    for (const auto& [k, v] : t.attributes)
      attrs[k] = v;
    return json{{"Attributes", attrs}};
  });
  r.add("sns", "DeleteTopic", {"TopicArn"}, [](const json& in, ServeContext& ctx) {
    ctx.state<SnsBackend>().delete_topic(in["TopicArn"]);
    ctx.state<Tags>().forget(in["TopicArn"]);
    return json::object();
  });
  r.add("sns", "Subscribe", {"TopicArn", "Protocol", "Endpoint"}, [](const json& in, ServeContext& ctx) {
    const SnsSubscription& s =
        ctx.state<SnsBackend>().subscribe(in["TopicArn"], in["Protocol"], in.value("Endpoint", std::string()));
    return json{{"SubscriptionArn", s.arn}};
  });
  r.add("sns", "ListSubscriptions", {}, [](const json&, ServeContext& ctx) {
    json subs = json::array();
    for (const auto& s : ctx.state<SnsBackend>().subscriptions())
      subs.push_back(subscription_json(s));
    return json{{"Subscriptions", subs}};
  });
  r.add("sns", "ListSubscriptionsByTopic", {"TopicArn"}, [](const json& in, ServeContext& ctx) {
    auto& sns = ctx.state<SnsBackend>();
    json subs = json::array();
    for (const auto& s : sns.subscriptions(sns.topic(in["TopicArn"]).arn))
      subs.push_back(subscription_json(s));
    return json{{"Subscriptions", subs}};
  });
  r.add("sns", "Publish", {"TopicArn", "TargetArn", "Message", "Subject"}, [](const json& in, ServeContext& ctx) {
    const std::string arn = in.value("TopicArn", in.value("TargetArn", std::string()));
    if (arn.empty())
      throw AwsError("InvalidParameter", "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
    const std::string id = ctx.state<SnsBackend>().publish(arn, in["Message"], in.value("Subject", std::string()),
                                                           ctx.simulation.now());
    return json{{"MessageId", id}};
  });
}

}  // namespace migsim::harness::serve
