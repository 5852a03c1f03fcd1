// The company's on-premises estate as a simulation: the servers of the scenario's platform, the
// services on them (Nginx, the three APIs, MySQL) with their worker limits and queues, the user
// traffic flowing through them, and the scenario's timed events (server failures, worker changes,
// traffic multipliers).
#pragma once

#include "models/common/request_flow.hpp"
#include "sim/metrics.hpp"
#include "sim/platform.hpp"
#include "sim/scenario.hpp"

#include <functional>
#include <memory>

namespace migsim::models {

class OnpremEstate {
public:
  // Builds the platform; the Engine must exist.
  OnpremEstate(const sim::Scenario& scenario, sim::Registry& metrics);

  // Schedules traffic and events; the caller then advances the engine.
  void start();
  void finish(double t_end) { flow_->finish(t_end); }

  sim::Platform& platform() { return *platform_; }
  RequestFlow& flow() { return *flow_; }
  // Applies an event now, as if the scenario had scheduled it (the mock endpoint's /_migsim/events).
  void apply_event(const sim::EventSpec& e) { apply(e); }
  // Events this estate does not handle itself (the migration's) go here.
  std::function<void(const sim::EventSpec&)> on_other_event;

private:
  void apply(const sim::EventSpec& e);

  const sim::Scenario& scenario_;
  std::unique_ptr<sim::Platform> platform_;
  std::unique_ptr<RequestFlow> flow_;
};

}  // namespace migsim::models
