#include "models/ec2/cpu_credits.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace migsim::models::ec2 {

CpuCredits::CpuCredits(const InstanceType& type, CreditMode mode, double initial_credits)
    : type_(type), mode_(mode), balance_(std::clamp(initial_credits, 0.0, type.max_credits()))
{
  if (!type.burstable())
    throw std::invalid_argument(type.name + " is not a burstable instance type");
}

void CpuCredits::advance(double dt_s, double vcpu_seconds)
{
  if (dt_s <= 0)
    return;
  const double earn = earn_per_second() * dt_s;
  const double spend = vcpu_seconds / 60.0;  // credits are vCPU-minutes
  earned_ += earn;
  spent_ += spend;
  double net = earn - spend;
  if (net >= 0) {
    // Earnings pay back surplus first, then fill the balance up to 24 h of earnings.
    const double repay = std::min(surplus_, net);
    surplus_ -= repay;
    net -= repay;
    balance_ = std::min(type_.max_credits(), balance_ + net);
    return;
  }
  balance_ += net;
  if (balance_ < 0) {
    if (mode_ == CreditMode::unlimited)
      surplus_ += -balance_;
    // Standard mode cannot spend what it does not have: the caller throttles at empty, so a
    // negative remainder is only rounding within the accounting step.
    balance_ = 0;
  }
}

double CpuCredits::seconds_to_empty(double busy_vcpus) const
{
  const double drain_per_s = busy_vcpus / 60.0 - earn_per_second();
  if (drain_per_s <= 0 || balance_ <= kEmpty)
    return balance_ <= kEmpty && drain_per_s > 0 ? 0.0 : std::numeric_limits<double>::infinity();
  return balance_ / drain_per_s;
}

double CpuCredits::charge_outstanding()
{
  const double c = surplus_;
  charged_ += c;
  surplus_ = 0;
  return c;
}

}  // namespace migsim::models::ec2
