// The mock AWS endpoint of a rehearsal, in-process: one thread owns the simulation, the io_context
// and the HTTP server on a free loopback port (exactly what `migsim serve` runs, so SimGrid's
// engine is only ever touched from that thread), while the runbook runs on the caller's thread
// and talks to it over real HTTP. Work that must read or move the simulation (the clock, the
// final report) is posted to the server thread and waited for.
#pragma once

#include "harness/run/run_result.hpp"
#include "harness/serve/core/serve_context.hpp"
#include "sim/scenario.hpp"

#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>

namespace migsim::harness::rehearse {

class MockEndpoint {
public:
  // Starts the server thread; returns once it listens (throws std::runtime_error when it cannot).
  // The scenario must outlive the endpoint.
  MockEndpoint(const sim::Scenario& scenario, serve::Speed speed, double tick_s = 0.020, double max_step_s = 60);
  ~MockEndpoint();
  MockEndpoint(const MockEndpoint&) = delete;
  MockEndpoint& operator=(const MockEndpoint&) = delete;

  unsigned short port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const serve::Speed& speed() const { return speed_; }

  // Runs f on the server thread, between requests and ticks, and returns its result.
  template <class F>
  auto on_server(F f) -> decltype(f(std::declval<serve::ServeContext&>()))
  {
    using R = decltype(f(std::declval<serve::ServeContext&>()));
    auto task = std::make_shared<std::packaged_task<R(serve::ServeContext&)>>(std::move(f));
    auto result = task->get_future();
    post([task](serve::ServeContext& ctx) { (*task)(ctx); });
    return result.get();
  }

  // Simulated now and the scenario's end (seconds).
  double now_s();
  double end_s() const { return end_s_; }
  // Runs the simulation to the scenario's end, closes its books and stops the server.
  RunResult finish();

private:
  struct State;
  void post(std::function<void(serve::ServeContext&)> job);
  void thread_main(std::promise<unsigned short> ready);

  const sim::Scenario& scenario_;
  serve::Speed speed_;
  double tick_s_, max_step_s_, end_s_;
  std::unique_ptr<State> state_;
  std::thread thread_;
  unsigned short port_ = 0;
};

}  // namespace migsim::harness::rehearse
