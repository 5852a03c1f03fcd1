#include "harness/serve/sns/backend.hpp"
#include "harness/serve/core/resource.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace migsim::harness::serve {

namespace {


aws::AwsError invalid_parameter(const std::string& message) { return aws::AwsError("InvalidParameter", message, 400); }

aws::AwsError topic_not_found() { return aws::AwsError("NotFound", "Topic does not exist", 404); }

}  // namespace

std::string SnsBackend::next_uuid()
{
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-a000-%012llx", static_cast<unsigned long long>(next_id_++));
  return buf;
}

const SnsTopic& SnsBackend::create_topic(const std::string& name, const std::map<std::string, std::string>& attributes)
{
  const bool fifo = name.size() > 5 && name.compare(name.size() - 5, 5, ".fifo") == 0;
  const std::string base = fifo ? name.substr(0, name.size() - 5) : name;
  const bool valid = !base.empty() && name.size() <= 256 && std::all_of(base.begin(), base.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
  if (!valid)
    throw invalid_parameter("Invalid parameter: Topic Name");
  for (const auto& t : topics_)
    if (t.name == name)
      return t;
  topics_.push_back({arn_in(region, "sns", name), name, attributes});
  return topics_.back();
}

std::vector<const SnsTopic*> SnsBackend::topics() const
{
  std::vector<const SnsTopic*> out;
  for (const auto& t : topics_)
    out.push_back(&t);
  return out;
}

const SnsTopic& SnsBackend::topic(const std::string& arn) const
{
  for (const auto& t : topics_)
    if (t.arn == arn)
      return t;
  throw topic_not_found();
}

void SnsBackend::set_topic_attribute(const std::string& arn, const std::string& name, const std::string& value)
{
  topic(arn);
  for (auto& t : topics_)
    if (t.arn == arn)
      t.attributes[name] = value;
}

void SnsBackend::unsubscribe(const std::string& subscription_arn)
{
  const auto before = subscriptions_.size();
  subscriptions_.erase(std::remove_if(subscriptions_.begin(), subscriptions_.end(),
                                      [&](const SnsSubscription& s) { return s.arn == subscription_arn; }),
                       subscriptions_.end());
  if (subscriptions_.size() == before)
    throw aws::AwsError("NotFound", "Subscription does not exist", 404);
}

void SnsBackend::delete_topic(const std::string& arn)
{
  topics_.erase(std::remove_if(topics_.begin(), topics_.end(), [&](const SnsTopic& t) { return t.arn == arn; }),
                topics_.end());
  subscriptions_.erase(std::remove_if(subscriptions_.begin(), subscriptions_.end(),
                                      [&](const SnsSubscription& s) { return s.topic_arn == arn; }),
                       subscriptions_.end());
}

const SnsSubscription& SnsBackend::subscribe(const std::string& topic_arn, const std::string& protocol,
                                             const std::string& endpoint)
{
  static const std::vector<std::string> kProtocols = {"http", "https", "email", "email-json", "sms",
                                                      "sqs",  "application", "lambda", "firehose"};
  topic(topic_arn);
  if (std::find(kProtocols.begin(), kProtocols.end(), protocol) == kProtocols.end())
    throw invalid_parameter("Invalid parameter: Amazon SNS does not support this protocol string: " + protocol);
  if (endpoint.empty())
    throw invalid_parameter("Invalid parameter: Endpoint");
  for (const auto& s : subscriptions_)
    if (s.topic_arn == topic_arn && s.protocol == protocol && s.endpoint == endpoint)
      return s;
  subscriptions_.push_back({topic_arn + ":" + next_uuid(), topic_arn, protocol, endpoint});
  return subscriptions_.back();
}

std::vector<SnsSubscription> SnsBackend::subscriptions(const std::string& topic_arn) const
{
  std::vector<SnsSubscription> out;
  for (const auto& s : subscriptions_)
    if (topic_arn.empty() || s.topic_arn == topic_arn)
      out.push_back(s);
  return out;
}

std::string SnsBackend::publish(const std::string& topic_arn, const std::string& message, const std::string& subject,
                                double sim_time_s)
{
  topic(topic_arn);
  if (message.empty())
    throw invalid_parameter("Invalid parameter: Empty message");
  if (message.size() > kMaxMessageBytes)
    throw invalid_parameter("Invalid parameter: Message too long");
  if (subject.size() > 100)
    throw invalid_parameter("Invalid parameter: Subject");
  const std::string id = next_uuid();
  publications_.push_back({id, topic_arn, subject, message, sim_time_s});
  for (const auto& s : subscriptions_)
    if (s.topic_arn == topic_arn)
      deliveries_.push_back({id, topic_arn, s.arn, s.protocol, s.endpoint, subject, message, sim_time_s});
  return id;
}

}  // namespace migsim::harness::serve
