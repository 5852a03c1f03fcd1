// How far a simulation's scheduled activity (arrivals, samplers, ticks) runs: to the scenario's
// duration_s in a batch run, without end in a live endpoint (`migsim serve`), where the workload
// goes on past duration_s until the endpoint is stopped (the daily curve repeats; the scenario's
// events and spikes are not repeated). One setting per process, like the engine it paces.
#pragma once

#include "sim/scenario.hpp"

#include <limits>

namespace migsim::sim {

namespace detail {
inline bool& live_flag()
{
  static bool live = false;
  return live;
}
}  // namespace detail

// Marks this process's simulation as a live endpoint (before it is built).
inline void set_live(bool live) { detail::live_flag() = live; }
inline bool is_live() { return detail::live_flag(); }
// Where scheduled activity stops: duration_s, or never when live.
inline double horizon_s(const Scenario& sc)
{
  return is_live() ? std::numeric_limits<double>::infinity() : sc.duration_s;
}

}  // namespace migsim::sim
