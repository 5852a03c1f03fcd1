// The one record of the API calls made against `migsim serve`: every mutating call (and, when asked,
// every call) as a CloudTrail-shaped event, stamped with the simulated clock. The router records;
// readers subscribe: CloudTrail LookupEvents, the rehearsal report and the serve log read the same
// records. The persistence journal (serve/persist/) journals the same calls, by the same
// read_only_operation rule, but at the router: it needs the request's bytes to replay it, which a
// CloudTrail record (secrets masked, payloads dropped) does not keep.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

namespace migsim::harness::serve {

// A resource a call named (CloudTrail's Resources: type and name).
struct RecordedResource {
  std::string type;  // "AWS::IAM::Role"
  std::string name;  // "fast-eks-cluster" or an ARN
};

// One API call as CloudTrail reports it.
struct ApiCallRecord {
  uint64_t seq = 0;                // 1, 2, ... in the order the server answered
  std::string event_id;            // UUID-shaped, deterministic
  double time_s = 0;               // simulated time of the call
  std::string service;             // codec name: "iam", "eks"
  std::string event_source;        // "iam.amazonaws.com"
  std::string event_name;          // "CreateRole"
  bool read_only = false;
  std::string region;              // from the SigV4 scope (the scenario's region when unsigned)
  std::string access_key_id;       // from the SigV4 scope ("" when unsigned)
  std::string user_agent;
  std::string request_id;
  int http_status = 200;
  std::string error_code;          // "" when the call succeeded
  std::string error_message;
  nlohmann::json request_parameters = nlohmann::json::object();
  std::vector<RecordedResource> resources;
};

// Whether an operation only reads (Describe*, Get*, List*, Head*, LookupEvents, ...): CloudTrail's
// readOnly. Everything else mutates and is recorded.
bool read_only_operation(const std::string& operation);

// The recorder: owned by the ServeContext (ctx.state<CallRecorder>()).
class CallRecorder {
public:
  using Reader = std::function<void(const ApiCallRecord&)>;

  // Adds a record (numbers it, gives it its event id) and hands it to every reader.
  const ApiCallRecord& record(ApiCallRecord r);
  // Subscribes a reader; it sees every record from now on.
  void subscribe(Reader reader) { readers_.push_back(std::move(reader)); }
  // Every record kept, oldest first.
  const std::deque<ApiCallRecord>& records() const { return records_; }
  // Records kept at most (older ones are dropped; CloudTrail keeps 90 days of events).
  void set_capacity(size_t n) { capacity_ = n; }

private:
  std::deque<ApiCallRecord> records_;
  std::vector<Reader> readers_;
  uint64_t next_seq_ = 1;
  size_t capacity_ = 100000;
};

// The CloudTrail event JSON of a record (the CloudTrailEvent string of LookupEvents).
nlohmann::json cloudtrail_event_json(const ApiCallRecord& r);

}  // namespace migsim::harness::serve
