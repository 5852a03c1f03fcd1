#include "harness/serve/core/call_recorder.hpp"
#include "harness/serve/core/resource.hpp"

#include "harness/serve/core/serve_context.hpp"

#include <array>
#include <cstdio>

namespace migsim::harness::serve {

bool read_only_operation(const std::string& op)
{
  static const std::array<const char*, 9> kReadPrefixes = {"Describe", "Get", "List", "Head", "Lookup",
                                                           "BatchGet", "Check", "Search", "Test"};
  for (const char* p : kReadPrefixes)
    if (op.rfind(p, 0) == 0)
      return true;
  return false;
}

const ApiCallRecord& CallRecorder::record(ApiCallRecord r)
{
  r.seq = next_seq_++;
  char id[40];
  std::snprintf(id, sizeof id, "e0000000-0000-4000-8000-%012llx", static_cast<unsigned long long>(r.seq));
  r.event_id = id;
  records_.push_back(std::move(r));
  while (records_.size() > capacity_)
    records_.pop_front();
  for (const auto& reader : readers_)
    reader(records_.back());
  return records_.back();
}

nlohmann::json cloudtrail_event_json(const ApiCallRecord& r)
{
  nlohmann::json resources = nlohmann::json::array();
  for (const auto& res : r.resources)
    resources.push_back({{"type", res.type}, {"ARN", res.name}});
  nlohmann::json e = {{"eventVersion", "1.09"},
                      {"userIdentity",
                       {{"type", "IAMUser"}, {"accountId", "000000000000"}, {"accessKeyId", r.access_key_id}}},
                      {"eventTime", iso_date(r.time_s)},
                      {"eventSource", r.event_source},
                      {"eventName", r.event_name},
                      {"awsRegion", r.region},
                      {"sourceIPAddress", "127.0.0.1"},
                      {"userAgent", r.user_agent},
                      {"requestParameters", r.request_parameters},
                      {"requestID", r.request_id},
                      {"eventID", r.event_id},
                      {"readOnly", r.read_only},
                      {"resources", resources},
                      {"eventType", "AwsApiCall"},
                      {"managementEvent", true},
                      {"recipientAccountId", "000000000000"}};
  if (!r.error_code.empty()) {
    e["errorCode"] = r.error_code;
    e["errorMessage"] = r.error_message;
  }
  return e;
}

}  // namespace migsim::harness::serve
