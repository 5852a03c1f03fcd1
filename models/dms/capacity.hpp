// dcu_scaling: how a DMS Serverless replication's capacity follows its memory use. Plain state, no
// SimGrid: fed one observation per control tick, it steps the DCU up one allowed value after the
// utilisation stays above the high threshold for the hold time, down one value after it stays
// below the low threshold for the (longer) hold time, and straight to Min once the source has been
// idle for the idle time; it never leaves [Min, Max]. Every change is kept in the history.
#pragma once

#include "models/dms/settings.hpp"

#include <vector>

namespace migsim::models::dms {

// One capacity level and when it took effect.
struct CapacityPoint {
  double t_s;
  int dcu;
};

// The scale-up / scale-down / idle-to-min rule over the allowed DCU values.
class CapacityScaler {
public:
  explicit CapacityScaler(const ReplicationSettings& s) : s_(s), dcu_(s.min_capacity_units) {}

  // Capacity provisioned at t (start-up): the timers restart.
  void provision(double t_s, int dcu)
  {
    high_since_ = low_since_ = -1.0;
    set(t_s, std::clamp(dcu, s_.min_capacity_units, s_.max_capacity_units));
  }

  // One observation; returns true when the capacity changed.
  bool observe(double t_s, double utilization_pct, double idle_for_s)
  {
    if (idle_for_s >= s_.idle_to_min_s && dcu_ > s_.min_capacity_units) {
      high_since_ = low_since_ = -1.0;
      set(t_s, s_.min_capacity_units);
      return true;
    }
    if (utilization_pct > s_.scale_up_utilization_pct) {
      low_since_ = -1.0;
      if (high_since_ < 0)
        high_since_ = t_s;
      if (t_s - high_since_ >= s_.scale_up_hold_s && dcu_ < s_.max_capacity_units) {
        high_since_ = t_s;  // the next step needs another full hold at the new capacity
        set(t_s, step_up(dcu_));
        return true;
      }
    } else if (utilization_pct < s_.scale_down_utilization_pct) {
      high_since_ = -1.0;
      if (low_since_ < 0)
        low_since_ = t_s;
      if (t_s - low_since_ >= s_.scale_down_hold_s && dcu_ > s_.min_capacity_units) {
        low_since_ = t_s;
        set(t_s, step_down(dcu_));
        return true;
      }
    } else {
      high_since_ = low_since_ = -1.0;
    }
    return false;
  }

  int dcu() const { return dcu_; }
  double memory_gb() const { return dcu_ * kGbPerDcu; }
  const std::vector<CapacityPoint>& history() const { return history_; }

  // The next allowed value above dcu (dcu itself at the top).
  static int step_up(int dcu)
  {
    for (int v : kAllowedCapacityUnits)
      if (v > dcu)
        return v;
    return dcu;
  }
  // The next allowed value below dcu (dcu itself at the bottom).
  static int step_down(int dcu)
  {
    int below = dcu;
    for (int v : kAllowedCapacityUnits)
      if (v < dcu)
        below = v;
    return below;
  }

private:
  void set(double t_s, int dcu)
  {
    dcu_ = dcu;
    history_.push_back({t_s, dcu});
  }

  ReplicationSettings s_;
  int dcu_;
  double high_since_ = -1.0;
  double low_since_ = -1.0;
  std::vector<CapacityPoint> history_;
};

}  // namespace migsim::models::dms
