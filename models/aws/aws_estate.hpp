// The AWS as-is estate in simulated time: the ALB routing each request by its path to a target
// group and picking an instance (round robin, least outstanding requests, slow start, fail-open),
// one Auto Scaling group per tier launching and terminating instances on the expanded platform's
// slots, the target tracking loop every minute, ALB health checks and EC2 status checks feeding the
// groups' replacement of unhealthy instances, t3 CPU credits (throttling at the predicted time in
// standard mode, surplus in unlimited mode), Availability Zone loss and instance failures, the
// per-minute series CloudWatch would show, and the monthly bill from what actually ran.
//
// Hook points for the database tier and the edge: on_az_change, add_costs (see README.md).
#pragma once

#include "models/alb/load_balancer.hpp"
#include "models/asg/auto_scaling_group.hpp"
#include "models/aws/aws_spec.hpp"
#include "models/common/request_flow.hpp"
#include "models/cost/cost_model.hpp"
#include "models/ec2/cpu_credits.hpp"
#include "sim/metrics.hpp"
#include "sim/platform.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace migsim::models::aws {

class AwsEstate {
public:
  // The scenario is the expanded one (expand_scenario); platform and flow were built from it.
  AwsEstate(const sim::Scenario& scenario, sim::Platform& platform, RequestFlow& flow, sim::Registry& metrics);
  ~AwsEstate();

  // Registers the instances running at t = 0 and schedules the control loops.
  void start();
  // AWS estate events (az_down, az_up, instance_fail, set_desired, instance_refresh); false for any other action.
  bool handle(const sim::EventSpec& e);
  // Closes the books at the end of the run (credit accounting, surplus charges, bill).
  void finish(double t_end);
  // The summary's "aws" block, and the figures expectations read (aws_monthly_cost_usd, ...).
  nlohmann::json report() const { return report_; }
  const std::map<std::string, double>& headline() const { return headline_; }

  const AwsSpec& spec() const { return spec_; }
  alb::LoadBalancer& load_balancer() { return *alb_; }
  // The group of a tier (nullptr when unknown); groups in tier order.
  asg::AutoScalingGroup* group(const std::string& name);
  std::vector<asg::AutoScalingGroup*> groups();
  Clock& clock() { return *clock_; }

  // --- Hook points ----------------------------------------------------------------------------
  // An Availability Zone is lost or back. Default: the database server in that AZ goes down/up;
  // the RDS model sets this to fail over to its standby instead.
  std::function<void(const std::string& az, bool up)> on_az_change;
  // Adds the costs of the pieces the estate does not model itself (RDS, CloudFront, S3, WAF) to the
  // quantities before the bill is computed, after the database tier's instance and storage.
  std::function<void(cost::SharedQuantities& shared, double hours)> add_costs;

private:
  struct Slot;
  struct Tier;
  void account(Slot& s, double now);
  void credit_tick(size_t slot, uint64_t generation);
  void minute_loop();
  void fail_slot(Slot& s, const std::string& why);
  int place(Tier& tier, const asg::Instance& inst);
  void release(Tier& tier, const asg::Instance& inst);
  Station* pick(Request& r);
  void left(Request& r);
  cost::Bill bill(double t_end) const;
  void log(const std::string& msg) const;

  const sim::Scenario& scenario_;
  AwsSpec spec_;
  sim::Platform& platform_;
  RequestFlow& flow_;
  sim::Registry& metrics_;
  std::unique_ptr<Clock> clock_;
  std::unique_ptr<alb::LoadBalancer> alb_;
  std::vector<std::unique_ptr<Tier>> tiers_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<int> slot_of_server_;           // platform server index -> slot (-1: not a slot)
  std::vector<size_t> class_tier_;            // request class -> tier
  std::vector<bool> class_uses_db_;
  std::vector<double> class_db_kb_;           // bytes exchanged with the database per request
  std::vector<double> class_alb_kb_;          // bytes through the ALB per request
  std::vector<double> hour_requests_, hour_kb_;
  std::vector<double> hour_connection_s_;     // per hour of arrival: time requests held an ALB connection
  double inter_az_kb_ = 0;
  uint64_t http_503_ = 0;
  double surplus_credits_charged_ = 0;
  nlohmann::json report_;
  std::map<std::string, double> headline_;
  sim::TimeSeries* ts_503_ = nullptr;
};

}  // namespace migsim::models::aws
