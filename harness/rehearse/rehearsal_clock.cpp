#include "harness/rehearse/rehearsal_clock.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace migsim::harness::rehearse {

double RehearsalClock::now_epoch_s() { return serve::epoch_s(endpoint_.now_s()); }

void RehearsalClock::sleep_s(double s)
{
  if (!(s > 0))
    return;
  const double start = endpoint_.now_s();
  const double target = start + s;
  const double end = endpoint_.end_s();
  const auto& speed = endpoint_.speed();
  if (!speed.max && speed.factor == 0) {
    endpoint_.on_server([target](serve::ServeContext& ctx) {
      ctx.simulation.advance_to(target);
      ctx.rebase();
      return 0;
    });
  } else {
    for (double now = start; now < target && now < end; now = endpoint_.now_s()) {
      const double wall = speed.max ? 0.002 : std::min(0.05, (target - now) / speed.factor);
      std::this_thread::sleep_for(std::chrono::duration<double>(std::max(wall, 0.001)));
    }
  }
  if (target > end && endpoint_.now_s() >= end)
    throw std::runtime_error("the scenario ended (duration_s " + std::to_string(static_cast<long>(end)) +
                             " s) before this wait did");
}

}  // namespace migsim::harness::rehearse
