// The AWS estate built through the API, in simulated time (aws.from_api, docs/estate-from-api.md):
// the hosts reserved per service, instance type and AZ, taken by the instances the API launches
// with the tag migsim:service and given back when they are terminated; the load balancer's target
// groups as models/alb target groups (health checks probe the instance's host and whether its
// service answers the check's path; round robin, fail-open, deregistration delay); each request
// routed by its class's path (the route hook: the load balancer's listener rules, kept by the
// endpoint) to a target, its stages run on that instance's host; the database host up only while
// the API's database exists; and every minute the series CloudWatch shows of those resources.
//
// Plain state and operations for the endpoint (harness/serve), which mirrors what clients create.
#pragma once

#include "models/alb/target_group.hpp"
#include "models/aws/aws_spec.hpp"
#include "models/common/request_flow.hpp"
#include "models/ec2/cpu_credits.hpp"
#include "sim/metrics.hpp"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace migsim::models::aws {

class ApiEstate {
public:
  // The scenario is the expanded one (expand_scenario with aws.from_api).
  ApiEstate(const sim::Scenario& scenario, RequestFlow& flow, sim::Registry& metrics);
  ~ApiEstate();

  // The database host is off until set_database(true); the per-minute loop starts.
  void start();

  const AwsSpec& spec() const { return spec_; }
  Clock& clock() { return *clock_; }

  // --- Instances -------------------------------------------------------------------------------
  // A running instance tagged to run `service`: it takes a free host of that service, type and AZ.
  // Returns the host, or "" when it runs nothing (unknown service or type, no free host: logged).
  std::string start_instance(const std::string& id, const std::string& service, const std::string& type,
                             const std::string& az);
  // The instance is terminated: requests on it fail, its host is free again.
  void stop_instance(const std::string& id);
  // An instance that runs nothing (no tag, ...): said once in the event log.
  void note_unbound(const std::string& id, const std::string& why);
  // The host an instance runs on ("" when none).
  std::string host_of(const std::string& id) const;
  // Its CPUUtilization over the last whole minute (%), NaN when it ran no minute yet.
  double cpu_pct(const std::string& id) const;

  // --- Target groups (key: the API's ARN) --------------------------------------------------------
  // Made on first use, its health-check settings and deregistration delay updated afterwards.
  alb::TargetGroup& target_group(const std::string& key, const alb::TargetGroupSpec& spec);
  alb::TargetGroup* find_target_group(const std::string& key);
  void remove_target_group(const std::string& key);  // its targets drain away; requests in flight finish
  std::vector<std::string> target_group_keys() const;
  // Registers an instance (running on a host or not: one that runs nothing fails its checks).
  void register_target(const std::string& key, const std::string& id);

  // --- The database ------------------------------------------------------------------------------
  void set_database(bool up, const std::string& why);
  bool database_up() const { return database_up_; }

  // The target group (key) a request for `path` goes to; "" when no load balancer answers.
  std::function<std::string(const std::string& path)> route;
  // After each minute's series (minute start): Auto Scaling evaluates its target tracking here.
  std::function<void(double minute_start_s)> on_minute;

  // Totals (tests, the summary): requests the load balancer answered 503 (no route or no target).
  uint64_t http_503() const { return http_503_; }

private:
  struct Slot;
  struct Group;
  void account(Slot& s, double now);
  void minute_loop();
  Station* pick(Request& r);
  void left(Request& r);
  Slot* slot_of(const std::string& id);
  void log(const std::string& msg) const;

  const sim::Scenario& scenario_;
  AwsSpec spec_;
  RequestFlow& flow_;
  sim::Registry& metrics_;
  std::unique_ptr<Clock> clock_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::map<std::string, size_t> slot_by_instance_;
  std::map<std::string, double> cpu_pct_;     // instance -> last minute
  std::set<std::string> said_unbound_;
  std::map<std::string, std::unique_ptr<Group>> groups_;  // removed groups stay (requests in flight)
  std::vector<std::string> class_service_;     // request class -> the API-hosted service it visits
  std::map<const Request*, std::pair<Group*, std::string>> in_flight_;  // request -> group, target
  uint64_t failed_seen_ = 0;
  uint64_t http_503_ = 0;
  bool database_up_ = true;
  sim::TimeSeries* ts_503_ = nullptr;
};

}  // namespace migsim::models::aws
