#include "harness/serve/core/resource_tags.hpp"

namespace migsim::harness::serve {

void TagBook::add(const std::string& arn, const nlohmann::json& tags, const char* key, const char* value)
{
  auto& m = tags_[arn];
  for (const auto& t : tags)
    m[t.value(key, std::string())] = t.value(value, std::string());
}

void TagBook::remove(const std::string& arn, const std::vector<std::string>& keys)
{
  auto it = tags_.find(arn);
  if (it == tags_.end())
    return;
  for (const auto& k : keys)
    it->second.erase(k);
}

nlohmann::json TagBook::list(const std::string& arn, const char* key, const char* value) const
{
  nlohmann::json out = nlohmann::json::array();
  if (auto it = tags_.find(arn); it != tags_.end())
    for (const auto& [k, v] : it->second)
      out.push_back({{key, k}, {value, v}});
  return out;
}

std::string TagBook::value(const std::string& arn, const std::string& key) const
{
  auto it = tags_.find(arn);
  if (it == tags_.end())
    return "";
  auto kv = it->second.find(key);
  return kv == it->second.end() ? "" : kv->second;
}

}  // namespace migsim::harness::serve
