#include "sim/engine.hpp"
#include "sim/event_log.hpp"

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <limits>
#include <stdexcept>

namespace migsim::sim {

namespace {
Engine* g_instance = nullptr;
simgrid::s4u::Engine* g_sg = nullptr;
}  // namespace

Engine::Engine()
{
  if (g_instance)
    throw std::logic_error("only one migsim::sim::Engine per process (SimGrid allows one engine)");
  // CM02 is plain max-min sharing without TCP correction factors, so a transfer takes exactly
  // bytes / fair-share bandwidth + latency; protocol overheads are explicit model parameters.
  static const char* argv[] = {"migsim", "--log=root.thresh:critical", "--cfg=network/model:CM02",
                               "--cfg=network/crosstraffic:0", nullptr};
  static int argc = 4;
  g_sg = new simgrid::s4u::Engine(&argc, const_cast<char**>(argv));
  g_instance = this;
  simgrid::s4u::Activity::on_completion_cb([](const simgrid::s4u::Activity& a) {
    if (g_instance)
      g_instance->on_end(a);
  });
}

Engine::~Engine()
{
  ended_.clear();
  g_instance = nullptr;
  // The SimGrid engine is deliberately not destroyed: it cannot be re-created in one process and
  // its teardown with live activities is not needed before exit.
}

Engine& Engine::instance()
{
  if (!g_instance)
    throw std::logic_error("no migsim::sim::Engine");
  return *g_instance;
}

double Engine::now() const { return simgrid::s4u::Engine::get_clock(); }

void Engine::at(double t, std::function<void()> fn)
{
  const double n = now();
  if (t < n)
    t = n;
  if (in_sg_run_ && t < sg_target_) {
    // Scheduled from an activity callback, earlier than where SimGrid is heading: let SimGrid's
    // own timer wake it at the right instant.
    simgrid::kernel::timer::Timer::set(t, [this, f = std::move(fn)]() {
      ++events_run_;
      run_action(f);
    });
    return;
  }
  heap_.push(Timed{t, seq_++, std::move(fn)});
}

void Engine::start(simgrid::s4u::ActivityPtr activity, CompletionTarget* target)
{
  activity->set_data(target);
  target->current_activity = activity;
  activity->start();
}

void Engine::on_end(const simgrid::s4u::Activity& a)
{
  auto* target = a.get_data<CompletionTarget>();
  if (!target)
    return;
  ++activities_ended_;
  const bool ok = a.get_state() == simgrid::s4u::Activity::State::FINISHED;
  ended_.push_back(std::move(target->current_activity));
  target->current_activity = nullptr;
  const_cast<simgrid::s4u::Activity&>(a).set_data(nullptr);
  run_action([target, ok]() { target->on_activity_end(ok); });
}

void Engine::run_action(const std::function<void()>& fn)
{
  try {
    fn();
  } catch (const std::exception& e) {
    failed_actions_.push_back({now(), e.what()});
    EventLog::instance().record(now(), "engine", std::string("a scheduled action failed and was skipped: ") + e.what());
  }
}

uint64_t Engine::subscribe_topology(std::function<void()> fn)
{
  topology_listeners_.emplace_back(next_listener_, std::move(fn));
  return next_listener_++;
}

void Engine::unsubscribe_topology(uint64_t id)
{
  std::erase_if(topology_listeners_, [id](const auto& l) { return l.first == id; });
}

void Engine::topology_changed()
{
  flush_ = true;
  const auto listeners = topology_listeners_;  // a listener may unsubscribe
  for (const auto& l : listeners)
    l.second();
}

double Engine::next_event_time() const
{
  return heap_.empty() ? std::numeric_limits<double>::infinity() : heap_.top().t;
}

void Engine::run_until(double t)
{
  while (true) {
    const double next = heap_.empty() ? t : std::min(t, heap_.top().t);
    if (next > now()) {
      in_sg_run_ = true;
      sg_target_ = next;
      g_sg->run_until(next);
      in_sg_run_ = false;
      ended_.clear();
    }
    if (heap_.empty() || heap_.top().t > t)
      break;
    // Run every event due now; events they schedule for the same instant run in this pass too.
    while (!heap_.empty() && heap_.top().t <= now()) {
      auto fn = std::move(const_cast<Timed&>(heap_.top()).fn);
      heap_.pop();
      ++events_run_;
      run_action(fn);
      if (flush_) {
        // Report the activities that a fault just ended at this instant, not at SimGrid's next step.
        flush_ = false;
        in_sg_run_ = true;
        sg_target_ = now();
        g_sg->run_until(now());
        in_sg_run_ = false;
      }
    }
  }
}

}  // namespace migsim::sim
