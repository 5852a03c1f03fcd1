#include "harness/serve/cloudtrail/backend.hpp"

#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

#include <regex>

namespace migsim::harness::serve::cloudtrail {

Trail& CloudTrailBackend::create(const std::string& region, const std::string& name, double t)
{
  // CloudTrail: 3-128 characters of letters, digits, '.', '_', '-', starting with a letter or digit,
  // ending with one, no adjacent separators, not an IP address.
  static const std::regex kName("[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?![._-]))*[A-Za-z0-9]");
  if (name.size() < 3 || name.size() > 128 || !std::regex_match(name, kName))
    throw errors::validation("Trail name " + name +
                                 " is invalid: 3-128 characters of letters, digits, periods, underscores and dashes, "
                                 "starting and ending with a letter or digit.",
                             "InvalidTrailNameException");
  if (trails_.count(name))
    throw errors::already_exists("Trail " + name + " already exists for customer: " + kAccountId,
                                 "TrailAlreadyExistsException");
  Trail& tr = trails_[name];
  tr.name = name;
  tr.arn = arn_in(region, "cloudtrail", "trail/" + name);
  tr.created_s = t;
  tr.event_selectors = nlohmann::json::array(
      {{{"ReadWriteType", "All"}, {"IncludeManagementEvents", true}, {"DataResources", nlohmann::json::array()},
        {"ExcludeManagementEventSources", nlohmann::json::array()}}});
  return tr;
}

Trail& CloudTrailBackend::trail(const std::string& name_or_arn)
{
  if (auto it = trails_.find(name_or_arn); it != trails_.end())
    return it->second;
  for (auto& [_, tr] : trails_)
    if (tr.arn == name_or_arn)
      return tr;
  throw errors::not_found("Unknown trail: " + name_or_arn + " for the user: " + kAccountId,
                          "TrailNotFoundException");
}

void CloudTrailBackend::remove(const std::string& name_or_arn) { trails_.erase(trail(name_or_arn).name); }

std::vector<const Trail*> CloudTrailBackend::trails() const
{
  std::vector<const Trail*> out;
  for (const auto& [_, tr] : trails_)
    out.push_back(&tr);
  return out;
}

std::vector<const ApiCallRecord*> CloudTrailBackend::lookup(const CallRecorder& recorder, const Lookup& q, bool& more)
{
  static const char* const kKeys[] = {"EventId", "EventName", "ReadOnly", "Username", "ResourceType",
                                      "ResourceName", "EventSource", "AccessKeyId"};
  bool known = q.attribute_key.empty();
  for (const char* k : kKeys)
    known = known || q.attribute_key == k;
  if (!known)
    throw errors::validation("Invalid attribute key: " + q.attribute_key, "InvalidLookupAttributesException");
  if (q.max_results < 1 || q.max_results > 50)
    throw errors::validation("MaxResults must be 1-50.", "InvalidMaxResultsException");
  if (q.start_s > q.end_s)
    throw errors::validation("Start time is after end time.", "InvalidTimeRangeException");
  auto matches = [&](const ApiCallRecord& r) {
    if (r.time_s < q.start_s || r.time_s > q.end_s)
      return false;
    const std::string& k = q.attribute_key;
    const std::string& v = q.attribute_value;
    if (k.empty())
      return true;
    if (k == "EventId") return r.event_id == v;
    if (k == "EventName") return r.event_name == v;
    if (k == "ReadOnly") return (r.read_only ? "true" : "false") == v;
    if (k == "Username") return v == "root" || v == r.access_key_id;
    if (k == "EventSource") return r.event_source == v;
    if (k == "AccessKeyId") return r.access_key_id == v;
    for (const auto& res : r.resources)
      if ((k == "ResourceType" && res.type == v) || (k == "ResourceName" && res.name == v))
        return true;
    return false;
  };
  std::vector<const ApiCallRecord*> out;
  more = false;
  const auto& records = recorder.records();
  for (auto it = records.rbegin(); it != records.rend(); ++it) {
    if (it->seq >= q.before_seq || !matches(*it))
      continue;
    if (out.size() == q.max_results) {
      more = true;
      break;
    }
    out.push_back(&*it);
  }
  return out;
}

}  // namespace migsim::harness::serve::cloudtrail
