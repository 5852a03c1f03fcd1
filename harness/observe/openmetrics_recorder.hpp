// `migsim run --openmetrics FILE`: the registry sampled every simulated minute over the whole run,
// written as one OpenMetrics file with timestamps on the scenario's calendar, which
// `promtool tsdb create-blocks-from openmetrics FILE DIR` loads into a Prometheus data directory.
#pragma once

#include "harness/observe/prometheus_text.hpp"
#include "harness/run/run_result.hpp"
#include "sim/scenario.hpp"

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace migsim::harness {
class Simulation;
}

namespace migsim::harness::observe {

// Seconds since the Unix epoch of simulated time t on the scenario's calendar: the one place the
// run's calendar is decided (the mock endpoint's dates use the same function).
double calendar_epoch_s(double sim_s);

class OpenMetricsRecorder {
public:
  // Publishes the state gauges and records every family at the simulation's current time.
  void sample(Simulation& simulation);
  // The recorded run: each family once, its series one after the other, samples in time order.
  void write(std::ostream& out) const;
  size_t samples() const { return times_.size(); }

private:
  struct History {
    Labels labels;
    std::vector<std::pair<size_t, Point>> points;  // (index into times_, point)
  };
  struct FamilyHistory {
    Family meta;  // name, type, unit, help, les (no points)
    std::map<std::string, History> series;  // by formatted labels
  };
  std::vector<double> times_;  // simulated seconds of each sample
  std::map<std::string, FamilyHistory> families_;
};

// `migsim run` with the recorder: the scenario from t = 0 to its end, sampled at t = 0 and after
// every simulated minute (as run_scenario advances it), then the books closed as usual.
RunResult run_recorded(const sim::Scenario& scenario, bool verbose, OpenMetricsRecorder& recorder);

}  // namespace migsim::harness::observe
