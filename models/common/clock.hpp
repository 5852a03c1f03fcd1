// Simulated time and timed callbacks for state models (Auto Scaling, load balancer health checks):
// sim::Engine in a run (EngineClock), a plain event heap in unit tests (ManualClock).
#pragma once

#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

namespace migsim::models {

class Clock {
public:
  virtual ~Clock() = default;
  virtual double now() const = 0;
  virtual void at(double t_s, std::function<void()> fn) = 0;
};

// A clock advanced by hand: run_until(t) runs every callback due up to t in time order (ties in
// scheduling order). For tests and for models used outside a SimGrid run.
class ManualClock final : public Clock {
public:
  double now() const override { return now_; }
  void at(double t_s, std::function<void()> fn) override { heap_.push({t_s < now_ ? now_ : t_s, seq_++, std::move(fn)}); }
  void run_until(double t_s)
  {
    while (!heap_.empty() && heap_.top().t <= t_s) {
      auto e = heap_.top();
      heap_.pop();
      now_ = e.t;
      e.fn();
    }
    now_ = t_s;
  }

private:
  struct Item {
    double t;
    uint64_t seq;
    std::function<void()> fn;
    bool operator>(const Item& o) const { return t > o.t || (t == o.t && seq > o.seq); }
  };
  double now_ = 0.0;
  uint64_t seq_ = 0;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap_;
};

}  // namespace migsim::models
