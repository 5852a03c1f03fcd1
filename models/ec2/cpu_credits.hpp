// CPU credit accounting of a burstable instance (t3, t3a), as AWS documents it: one credit is one
// vCPU at 100 % for one minute; credits are earned continuously at credits_per_hour (= vCPUs x
// baseline x 60) and spent by the CPU the instance uses; the balance holds at most 24 hours of
// earnings. In `standard` mode an empty balance throttles every vCPU to the baseline; in
// `unlimited` mode the instance keeps bursting on surplus credits, which later earnings pay back
// and which are charged (per vCPU-hour) when not paid back by the end.
//
// Plain arithmetic, no SimGrid: the estate feeds it the vCPU-seconds each instance used.
#pragma once

#include "models/ec2/instance_catalog.hpp"

namespace migsim::models::ec2 {

enum class CreditMode { standard, unlimited };

class CpuCredits {
public:
  // initial_credits: balance at launch (0 for t3/t3a: AWS gives launch credits to T2 standard only).
  CpuCredits(const InstanceType& type, CreditMode mode, double initial_credits);

  // Accounts an interval of dt_s in which the instance used vcpu_seconds of CPU (at full speed;
  // the caller passes what it really got, i.e. baseline speed while throttled).
  void advance(double dt_s, double vcpu_seconds);

  double balance() const { return balance_; }         // credits, >= 0
  double surplus() const { return surplus_; }         // unlimited mode: credits spent beyond the balance, not yet paid back
  double surplus_charged() const { return charged_; }  // credits billed (see charge_outstanding)
  double earned() const { return earned_; }
  double spent() const { return spent_; }
  // Standard mode with an empty balance: the instance runs at baseline.
  bool throttled() const { return mode_ == CreditMode::standard && balance_ <= kEmpty; }
  // Seconds until the balance is empty if busy_vcpus stay busy (infinity when it never empties).
  double seconds_to_empty(double busy_vcpus) const;
  // Unlimited mode: surplus credits not paid back are charged (at termination or the end of the run).
  double charge_outstanding();

  double earn_per_second() const { return type_.credits_per_hour / 3600.0; }
  const InstanceType& type() const { return type_; }
  CreditMode mode() const { return mode_; }

  static constexpr double kEmpty = 1e-6;  // credits: below this the balance is empty (rounding of the step)

private:
  const InstanceType& type_;
  CreditMode mode_;
  double balance_;
  double surplus_ = 0.0;
  double charged_ = 0.0;
  double earned_ = 0.0;
  double spent_ = 0.0;
};

}  // namespace migsim::models::ec2
