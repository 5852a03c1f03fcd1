// message_channel: messages from one host to another over the platform route (CDC capture batches,
// heartbeats, connection-test probes). Each message is a SimGrid Comm, so it shares the VPN with
// everything else; its end calls back with ok or failed. A message sent while a host is off or a
// link of the route is down fails at once (SimGrid would abort or leave it hanging), and messages
// on the wire fail when the route breaks (Engine topology signal).
#pragma once

#include "sim/engine.hpp"
#include "sim/platform.hpp"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

namespace migsim::models::dms {

// One direction between two hosts; any number of messages in flight.
class Channel {
public:
  Channel(simgrid::s4u::Host* from, simgrid::s4u::Host* to)
      : from_(from), to_(to), route_(sim::route_links(from, to))
  {
    topology_ = sim::Engine::instance().subscribe_topology([this]() {
      if (up())
        return;
      for (auto& m : pool_)
        if (m->current_activity)
          m->current_activity->cancel();
    });
  }
  ~Channel()
  {
    sim::Engine::instance().unsubscribe_topology(topology_);
    for (auto& m : pool_)
      if (m->current_activity)
        m->current_activity.detach();  // SimGrid keeps it until exit (see sim/README.md)
  }
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // Both hosts on and every link of the route up.
  bool up() const { return from_->is_on() && to_->is_on() && sim::route_up(route_); }

  // Sends `bytes` (at least 1); done(ok) runs when the message arrives or fails, never before
  // send() returns.
  void send(double bytes, std::function<void(bool ok)> done)
  {
    auto& engine = sim::Engine::instance();
    if (!up()) {
      engine.at(engine.now(), [d = std::move(done)]() { d(false); });
      return;
    }
    auto& m = free_message();
    m.done = std::move(done);
    const auto payload = static_cast<uint64_t>(std::max(1.0, bytes));
    engine.start(simgrid::s4u::Comm::sendto_init(from_, to_)->set_payload_size(payload), &m);
  }

private:
  struct Message final : sim::CompletionTarget {
    std::function<void(bool)> done;
    void on_activity_end(bool ok) override
    {
      auto d = std::move(done);
      done = nullptr;
      if (d)
        d(ok);
    }
  };

  Message& free_message()
  {
    for (auto& m : pool_)
      if (!m->current_activity && !m->done)
        return *m;
    pool_.push_back(std::make_unique<Message>());
    return *pool_.back();
  }

  simgrid::s4u::Host* from_;
  simgrid::s4u::Host* to_;
  std::vector<simgrid::s4u::Link*> route_;
  std::vector<std::unique_ptr<Message>> pool_;
  uint64_t topology_ = 0;
};

}  // namespace migsim::models::dms
