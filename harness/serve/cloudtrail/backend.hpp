// CloudTrail on the mock endpoint: trails (settings, logging on/off, event and insight selectors)
// and the event history. The history is the serve core's CallRecorder: every mutating call
// made against the endpoint, by anyone, is an event that LookupEvents returns (newest first, one
// lookup attribute, time range, paging), as CloudTrail's 90-day event history does.
#pragma once

#include "harness/serve/core/call_recorder.hpp"
#include "harness/serve/core/platform_ids.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace migsim::harness::serve::cloudtrail {

struct Trail {
  std::string name, arn, bucket, key_prefix, sns_topic, log_group_arn, log_role_arn, kms_key_id;
  bool include_global = true, multi_region = false, log_file_validation = false, organization = false;
  bool logging = false;
  double created_s = 0, started_s = -1, stopped_s = -1;
  nlohmann::json event_selectors, advanced_selectors, insight_selectors;
};

// A LookupEvents query.
struct Lookup {
  std::string attribute_key, attribute_value;  // one attribute, or none
  double start_s = -1e300, end_s = 1e300;      // simulated seconds
  size_t max_results = 50;
  uint64_t before_seq = UINT64_MAX;            // from NextToken: records older than this one
};

class CloudTrailBackend {
public:
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  // A trail in `region` (its ARN's; tags are the Tags store's, core/resource.hpp).
  Trail& create(const std::string& region, const std::string& name, double t);
  // By name or ARN (TrailNotFoundException).
  Trail& trail(const std::string& name_or_arn);
  void remove(const std::string& name_or_arn);
  std::vector<const Trail*> trails() const;

  // The records a lookup selects, newest first, and whether more follow.
  static std::vector<const ApiCallRecord*> lookup(const CallRecorder& recorder, const Lookup& q, bool& more);

private:
  std::map<std::string, Trail> trails_;
};

}  // namespace migsim::harness::serve::cloudtrail
