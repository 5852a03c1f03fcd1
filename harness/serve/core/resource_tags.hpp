// Tags of resources whose service keeps none of its own (SNS topics, CloudWatch alarms, SSM
// parameters, Route 53 zones, RDS and DMS resources): one book per server, keyed by ARN (or the id
// the service tags by), reached as ctx.state<TagBook>(). Each service's wire layer answers its own
// tagging operations from it in its own shape (Key/Value lists, TagList, ResourceTagSet).
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace migsim::harness::serve {

class TagBook {
public:
  // Adds or overwrites tags given as [{Key, Value}] (member names configurable).
  void add(const std::string& arn, const nlohmann::json& tags, const char* key = "Key", const char* value = "Value");
  // Removes the given keys.
  void remove(const std::string& arn, const std::vector<std::string>& keys);
  // Forgets a deleted resource.
  void forget(const std::string& arn) { tags_.erase(arn); }
  // The tags as [{Key, Value}] sorted by key.
  nlohmann::json list(const std::string& arn, const char* key = "Key", const char* value = "Value") const;
  // One tag's value ("" when absent).
  std::string value(const std::string& arn, const std::string& key) const;

private:
  std::map<std::string, std::map<std::string, std::string>> tags_;
};

}  // namespace migsim::harness::serve
