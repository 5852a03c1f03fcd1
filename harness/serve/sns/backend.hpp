// SNS's in-memory state for `migsim serve`: topics, subscriptions, and every message published,
// fanned out to each subscription as a recorded delivery (nothing leaves the process). Other C++
// code reaches it as ctx.state<SnsBackend>() — CloudWatch alarm actions publish through publish()
// and tests read deliveries().
#pragma once

#include "harness/aws/protocol/codec.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migsim::harness::serve {

struct SnsTopic {
  std::string arn, name;
  std::map<std::string, std::string> attributes;  // user-set ones (DisplayName, Policy, ...)
};

struct SnsSubscription {
  std::string arn, topic_arn, protocol, endpoint;
};

// One message delivered (recorded) to one subscription.
struct SnsDelivery {
  std::string message_id, topic_arn, subscription_arn, protocol, endpoint, subject, message;
  double sim_time_s = 0;
};

// One Publish call, whether or not anyone was subscribed.
struct SnsPublication {
  std::string message_id, topic_arn, subject, message;
  double sim_time_s = 0;
};

class SnsBackend {
public:
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  std::string region = "us-east-1";  // of its topics' ARNs (set by ServeContext::state)
  static constexpr size_t kMaxMessageBytes = 262144;  // SNS's documented 256 KiB limit

  // Creates a topic, or returns the existing one of that name (CreateTopic is idempotent).
  const SnsTopic& create_topic(const std::string& name, const std::map<std::string, std::string>& attributes);
  // Topics in creation order.
  std::vector<const SnsTopic*> topics() const;
  // A topic by ARN; throws AwsError NotFound (404) when absent.
  const SnsTopic& topic(const std::string& arn) const;
  // SetTopicAttributes: one attribute of a topic (throws NotFound).
  void set_topic_attribute(const std::string& arn, const std::string& name, const std::string& value);
  // Unsubscribe (an absent subscription is NotFound, as SNS answers).
  void unsubscribe(const std::string& subscription_arn);
  // Deletes a topic and its subscriptions (deleting an absent topic succeeds, as in SNS).
  void delete_topic(const std::string& arn);
  // Subscribes an endpoint (confirmed at once: nothing to confirm offline).
  const SnsSubscription& subscribe(const std::string& topic_arn, const std::string& protocol, const std::string& endpoint);
  // Every subscription, or those of one topic.
  std::vector<SnsSubscription> subscriptions(const std::string& topic_arn = "") const;
  // Publishes to a topic: one delivery per subscription; returns the message id.
  std::string publish(const std::string& topic_arn, const std::string& message, const std::string& subject,
                      double sim_time_s);

  const std::vector<SnsDelivery>& deliveries() const { return deliveries_; }
  const std::vector<SnsPublication>& publications() const { return publications_; }

private:
  std::vector<SnsTopic> topics_;
  std::vector<SnsSubscription> subscriptions_;
  std::vector<SnsDelivery> deliveries_;
  std::vector<SnsPublication> publications_;
  uint64_t next_id_ = 1;
  std::string next_uuid();
};

}  // namespace migsim::harness::serve
