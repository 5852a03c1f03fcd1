// The server clock of a rehearsal: the simulated time of the in-process mock endpoint (the same
// value its Date headers carry, read at full precision). Sleeping waits for the simulation to move
// on: wall sleeps while it runs paced or at max speed; with `--speed step` (paused) the sleep
// itself advances the simulation, which makes a rehearsal deterministic.
#pragma once

#include "harness/rehearse/mock_endpoint.hpp"
#include "harness/runbook/executor.hpp"

namespace migsim::harness::rehearse {

class RehearsalClock : public runbook::ServerClock {
public:
  explicit RehearsalClock(MockEndpoint& endpoint) : endpoint_(endpoint) {}
  double now_epoch_s() override;
  // Throws std::runtime_error when the scenario ends before the sleep would.
  void sleep_s(double s) override;

private:
  MockEndpoint& endpoint_;
};

}  // namespace migsim::harness::rehearse
