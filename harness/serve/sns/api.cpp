// The SNS wire layer (query protocol) over SnsBackend: reads the decoded input, calls the backend,
// returns the botocore-shaped output.
#include "harness/serve/core/registry.hpp"
#include "harness/serve/sns/backend.hpp"

namespace migsim::harness::serve {

namespace {

constexpr const char* kOwner = "000000000000";

// A subscription as ListSubscriptions* show it.
json subscription_json(const SnsSubscription& s)
{
  return {{"SubscriptionArn", s.arn}, {"Owner", kOwner}, {"Protocol", s.protocol}, {"Endpoint", s.endpoint},
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

}  // namespace

// Registers the SNS operations.
void register_sns(Registry& r)
{
  r.add("sns", "CreateTopic", {"Name", "Attributes"}, [](const json& in, ServeContext& ctx) {
    return json{{"TopicArn", ctx.state<SnsBackend>().create_topic(in["Name"], string_map(in, "Attributes")).arn}};
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
                  {"Owner", kOwner},
                  {"DisplayName", ""},
                  {"SubscriptionsConfirmed", std::to_string(subs.size())},
                  {"SubscriptionsPending", "0"},
                  {"SubscriptionsDeleted", "0"}};
    for (const auto& [k, v] : t.attributes)
      attrs[k] = v;
    return json{{"Attributes", attrs}};
  });
  r.add("sns", "DeleteTopic", {"TopicArn"}, [](const json& in, ServeContext& ctx) {
    ctx.state<SnsBackend>().delete_topic(in["TopicArn"]);
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
