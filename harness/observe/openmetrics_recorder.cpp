#include "harness/observe/openmetrics_recorder.hpp"

#include "harness/observe/state_gauges.hpp"
#include "harness/run/simulation.hpp"
#include "harness/serve/core/serve_context.hpp"

#include <algorithm>
#include <chrono>
#include <ostream>

namespace migsim::harness::observe {

double calendar_epoch_s(double sim_s) { return serve::epoch_s(sim_s); }

void OpenMetricsRecorder::sample(Simulation& simulation)
{
  const double now = simulation.now();
  if (!times_.empty() && now <= times_.back())
    return;  // one sample per instant
  publish_state_gauges(simulation);
  const size_t k = times_.size();
  times_.push_back(now);
  for (auto& f : collect_families(simulation.metrics(), now)) {
    auto& fh = families_[f.name];
    if (fh.meta.name.empty()) {
      fh.meta = f;
      fh.meta.points.clear();
    }
    for (auto& p : f.points) {
      auto& h = fh.series[format_labels(p.labels)];
      if (h.points.empty())
        h.labels = p.labels;
      h.points.emplace_back(k, std::move(p));
    }
  }
}

void OpenMetricsRecorder::write(std::ostream& out) const
{
  std::vector<std::string> stamps;
  stamps.reserve(times_.size());
  for (double t : times_)
    stamps.push_back(format_value(calendar_epoch_s(t)));
  for (const auto& [_, fh] : families_) {
    write_openmetrics_header(out, fh.meta);
    for (const auto& [__, h] : fh.series)
      for (const auto& [k, p] : h.points)
        write_openmetrics_point(out, fh.meta, p, stamps[k]);
  }
  out << "# EOF\n";
}

RunResult run_recorded(const sim::Scenario& scenario, bool verbose, OpenMetricsRecorder& recorder)
{
  const auto wall0 = std::chrono::steady_clock::now();
  Simulation simulation(scenario, verbose);
  recorder.sample(simulation);
  for (double t = 0.0; t < scenario.duration_s;) {
    t = std::min(scenario.duration_s, t + 60.0);
    simulation.advance_to(t);
    recorder.sample(simulation);
  }
  auto r = simulation.finish();
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  return r;
}

}  // namespace migsim::harness::observe
