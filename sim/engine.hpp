// The simulation engine: SimGrid does the physics (CPU, disk and network sharing between concurrent
// activities); this class adds a timed-event heap and drives both from one main loop with
// run_until(), with no actor per request (see DESIGN.md for the measured reasons).
//
// SimGrid allows one engine per process, so one migsim::sim::Engine per process as well.
#pragma once

#include <simgrid/s4u/Activity.hpp>

#include <cstdint>
#include <functional>
#include <queue>
#include <string>
#include <vector>

namespace migsim::sim {

// Something that waits for one SimGrid activity at a time (a request stage, a replication chunk).
class CompletionTarget {
public:
  virtual ~CompletionTarget() = default;
  // Called once when the activity started for this target ends; ok is false when it failed or
  // was cancelled (its host or link went down).
  virtual void on_activity_end(bool ok) = 0;

  simgrid::s4u::ActivityPtr current_activity;  // kept alive until it ends
};

class Engine {
public:
  Engine();
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  static Engine& instance();

  double now() const;
  // Runs fn at simulated time t (>= now). Events at the same time run in scheduling order.
  void at(double t, std::function<void()> fn);
  // Starts a SimGrid activity (already configured) and reports its end to target.
  void start(simgrid::s4u::ActivityPtr activity, CompletionTarget* target);
  // Advances the simulation to time t, running every event and activity end up to it.
  void run_until(double t);
  // Time of the next scheduled event (infinity when none).
  double next_event_time() const;

  // Topology changes (a link or host going down or up): models holding transfers subscribe so they
  // can fail what crosses a dead link (SimGrid 3.32 leaves such transfers hanging).
  uint64_t subscribe_topology(std::function<void()> fn);
  void unsubscribe_topology(uint64_t id);
  void topology_changed();

  uint64_t events_run() const { return events_run_; }

  // A scheduled action or activity end that threw (an illegal transition the simulation itself
  // triggered, e.g. a scenario's test launch after one started through the API): it is skipped,
  // recorded in the event log, and kept here, so a run or the mock endpoint carries on.
  struct FailedAction {
    double t_s;
    std::string what;
  };
  const std::vector<FailedAction>& failed_actions() const { return failed_actions_; }
  uint64_t activities_ended() const { return activities_ended_; }

private:
  struct Timed {
    double t;
    uint64_t seq;
    std::function<void()> fn;
    bool operator>(const Timed& o) const { return t > o.t || (t == o.t && seq > o.seq); }
  };
  void on_end(const simgrid::s4u::Activity& a);
  void run_action(const std::function<void()>& fn);

  std::priority_queue<Timed, std::vector<Timed>, std::greater<>> heap_;
  uint64_t seq_ = 0;
  uint64_t events_run_ = 0;
  uint64_t activities_ended_ = 0;
  bool in_sg_run_ = false;
  double sg_target_ = 0.0;
  std::vector<simgrid::s4u::ActivityPtr> ended_;
  std::vector<std::pair<uint64_t, std::function<void()>>> topology_listeners_;
  uint64_t next_listener_ = 1;
  std::vector<FailedAction> failed_actions_;
  bool flush_ = false;  // activities were cancelled or failed outside SimGrid's run: settle them now  // released between steps, never inside a callback
};

}  // namespace migsim::sim
