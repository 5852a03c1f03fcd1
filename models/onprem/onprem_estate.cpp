#include "models/onprem/onprem_estate.hpp"

#include "sim/engine.hpp"
#include "sim/event_log.hpp"
#include "sim/json_reader.hpp"

namespace migsim::models {

OnpremEstate::OnpremEstate(const sim::Scenario& scenario, sim::Registry& metrics)
    : scenario_(scenario),
      platform_(std::make_unique<sim::Platform>(scenario.platform)),
      flow_(std::make_unique<RequestFlow>(scenario, *platform_, metrics))
{}

void OnpremEstate::start()
{
  auto& engine = sim::Engine::instance();
  for (const auto& e : scenario_.events)
    engine.at(e.at_s, [this, &e]() { apply(e); });
  flow_->start();
}

void OnpremEstate::apply(const sim::EventSpec& e)
{
  if (e.action == "server_down")
    flow_->server_down(e.target);
  else if (e.action == "server_up")
    flow_->server_up(e.target);
  else if (e.action == "set_workers")
    flow_->set_workers(e.target, static_cast<int>(e.value));
  else if (e.action == "set_multiplier") {
    flow_->set_multiplier(e.value);
    sim::EventLog::instance().record(sim::Engine::instance().now(), "workload",
                                     "traffic multiplier set to " + sim::format_number(e.value));
  } else if (e.action == "link_down" || e.action == "link_up") {
    platform_->set_link_up(e.target, e.action == "link_up");
    sim::EventLog::instance().record(sim::Engine::instance().now(), "network",
                                     "link " + e.target + (e.action == "link_up" ? " up" : " down"));
  } else if (e.action == "tunnel_down" || e.action == "tunnel_up") {
    platform_->set_tunnel_up(e.target, static_cast<int>(e.value), e.action == "tunnel_up");
    sim::EventLog::instance().record(sim::Engine::instance().now(), "network",
                                     e.target + " tunnel " + sim::format_number(e.value) +
                                         (e.action == "tunnel_up" ? " up" : " down"));
  } else if (on_other_event) {
    on_other_event(e);
  }
}

}  // namespace migsim::models
