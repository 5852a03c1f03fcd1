// How long the platform services' resources take to become usable on the simulated clock, and the
// timeline of every resource created through the endpoint (created at, available at), which the
// serve log prints and GET /_migsim/timeline answers: how long an apply took in simulated time.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace migsim::harness::serve {

// One duration: name (the `migsim serve --timing NAME=S` key), default, and where the default comes from.
struct ProvisioningTiming {
  const char* name;
  double default_s;
  const char* source;
};

// Every duration the platform services use (defaults and sources; docs/terraform.md lists them).
const std::vector<ProvisioningTiming>& provisioning_timings();

// The durations in force (defaults, overridden by `migsim serve --timing`): ctx.state<ProvisioningTimes>().
class ProvisioningTimes {
public:
  // Seconds for `name` (throws std::out_of_range for an unknown name: a programming error).
  double operator()(const std::string& name) const;
  // Overrides one; throws std::invalid_argument naming the known ones when `name` is unknown or s < 0.
  void set(const std::string& name, double s);
  // Parses "NAME=SECONDS" (the command line's form) and sets it.
  void set_from(const std::string& assignment);

private:
  std::map<std::string, double> overrides_;
};

// One resource's life on the simulated clock.
struct TimelineEntry {
  std::string service, type, id;
  std::string request_id;  // of the call that created it
  double created_s = 0;
  double available_s = 0;  // when its status reaches the usable one (== created_s when immediate)
  double deleted_s = -1;   // when a delete was accepted (-1: still there)
};

// The resources created through the endpoint, in creation order.
class ResourceTimeline {
public:
  // A backend whose resource takes time says so (inside the handler of the creating call).
  void created(const std::string& service, const std::string& type, const std::string& id, double created_s,
               double available_s, const std::string& request_id);
  // A successful create call no backend described: usable at once (fed by the CallRecorder).
  void created_by_call(const std::string& service, const std::string& type, const std::string& id, double t,
                       const std::string& request_id);
  void deleted(const std::string& service, const std::string& type, const std::string& id, double t);
  const std::vector<TimelineEntry>& entries() const { return entries_; }
  // Prints each creation and deletion to the serve log (stdout) as it happens.
  void log_to_stdout(bool on) { log_ = on; }
  // The document of GET /_migsim/timeline: entries, the span (first created to last available) and
  // the critical path (the span with the clients' idle time removed: what the apply needs).
  nlohmann::json to_json() const;

private:
  std::vector<TimelineEntry> entries_;
  void log_created(const TimelineEntry& e) const;
  bool log_ = false;
};

class CallRecorder;
// Subscribes the timeline to the recorder: every successful Create*/Run*/Allocate*/Request* call
// that no backend described becomes an entry available at once.
void follow_calls(ResourceTimeline& timeline, CallRecorder& recorder);

}  // namespace migsim::harness::serve
