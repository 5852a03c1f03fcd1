// What every request handler of `migsim serve` may read or change: the one simulation, its pacing
// (speed and the wall/simulated base it is measured from) and the per-response stamps (Date,
// x-amzn-RequestId). Owned by the thread that runs the io_context; never shared across threads.
#pragma once

#include "harness/run/run_command.hpp"
#include "harness/serve/core/access_policy.hpp"
#include "harness/serve/core/chunk_stream.hpp"
#include "harness/run/simulation.hpp"
#include "sim/calendar.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <string>
#include <typeindex>
#include <utility>

namespace migsim::harness::serve {

// Simulated t = 0 on the wall calendar (seconds since the Unix epoch): the scenario's `start`, set
// when the simulation is built (2025-01-01T00:00:00Z for a scenario without one).
inline double epoch_at_zero_s() { return sim::output_calendar().start_epoch_s; }
inline constexpr const char* kVersion = "migsim-0.1.0";

// The pacing of the simulated clock: simulated seconds per wall second, 0 paused, or "max".
struct Speed {
  double factor = 1.0;
  bool max = false;
  std::string str() const
  {
    if (max)
      return "max";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", factor);
    return buf;
  }
};

// The state shared by the router, the control plane and the service APIs.
struct ServeContext {
  using Clock = std::chrono::steady_clock;

  Simulation& simulation;
  Speed speed;
  Clock::time_point started_wall = Clock::now();
  Clock::time_point base_wall = started_wall;  // wall time at which the simulation was at base_sim_s
  double base_sim_s = 0;
  uint64_t requests = 0;
  std::string request_id;  // of the request being handled
  AccessPolicy access;     // origins, control-plane hosts, SigV4 enforcement
  double pending_clock_s = -1;  // a clock jump still being run in slices between requests (< 0: none)
  std::string request_region;  // of the request being handled: its SigV4 credential scope ("" unsigned)
  std::string request_host;    // of the request being handled: its Host header
  std::shared_ptr<ChunkStream> stream;  // a body the handler produces over time (taken by the HTTP session)
  bool request_tls = false;             // the request being handled came in over the HTTPS listener
  unsigned short https_port = 0;        // the HTTPS listener (the EKS clusters' Kubernetes API); 0: none
  std::string https_ca_pem;             // its self-signed certificate (certificate-authority-data)

  // Restarts the pacing from the current simulated time (after a jump of the clock).
  void rebase()
  {
    base_wall = Clock::now();
    base_sim_s = simulation.now();
  }
  // Where the paced clock should be now (ignored when paused or at max speed).
  double paced_target_s() const
  {
    return base_sim_s + std::chrono::duration<double>(Clock::now() - base_wall).count() * speed.factor;
  }
  double uptime_s() const { return std::chrono::duration<double>(Clock::now() - started_wall).count(); }

  // The in-memory state of a mock service (SnsBackend, S3Backend, ...), created on first use and
  // kept for the life of the server: handlers and other C++ code (alarm actions publishing to SNS,
  // a runbook watching SSM) reach the same object through it. A type that declares
  // `static constexpr bool kRegional = true` has one per region, that of the request being handled
  // (state_region()): what the API creates in one region is invisible to requests signed for
  // another, as in AWS. Other types (global services, the endpoint's own records) have one.
  template <class T>
  T& state()
  {
    auto& slot = states_[state_key<T>()];
    if (!slot)
      slot = in_region(std::make_shared<T>());
    return *static_cast<T*>(slot.get());
  }

  // The same, made on first use by `make` (returning std::unique_ptr<T>): state built from the
  // simulation (a seed, the migration's DNS model).
  template <class T, class Make>
  T& state(Make&& make)
  {
    auto& slot = states_[state_key<T>()];
    if (!slot)
      slot = in_region(std::shared_ptr<T>(make()));
    return *static_cast<T*>(slot.get());
  }

  // The region whose state a request reaches: its SigV4 credential scope, else (unsigned: the
  // control plane, a test) the scenario's.
  std::string state_region() const { return request_region.empty() ? simulation.scenario().region : request_region; }

  // A new regional state that names its region (in its ARNs) is told which one it is.
  template <class T>
  std::shared_ptr<T> in_region(std::shared_ptr<T> made) const
  {
    if constexpr (requires { T::kRegional; made->region = std::string(); })
      made->region = state_region();
    return made;
  }

  template <class T>
  std::pair<std::type_index, std::string> state_key() const
  {
    if constexpr (requires { T::kRegional; })
      return {std::type_index(typeid(T)), state_region()};
    else
      return {std::type_index(typeid(T)), std::string()};
  }

  std::map<std::pair<std::type_index, std::string>, std::shared_ptr<void>> states_;  // use state<T>() (public: ServeContext is an aggregate)
};

// Seconds since the Unix epoch of a simulated time (the json protocol's timestamps).
inline double epoch_s(double sim_s) { return epoch_at_zero_s() + sim_s; }

// The HTTP Date header (IMF-fixdate) of a simulated time.
inline std::string http_date(double sim_s)
{
  const std::time_t t = static_cast<std::time_t>(epoch_s(sim_s));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

// A deterministic, UUID-shaped request id: the n-th request of this process.
inline std::string request_id(uint64_t n)
{
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012llx", static_cast<unsigned long long>(n));
  return buf;
}

}  // namespace migsim::harness::serve
