// Benchmark: M/M/c through migsim's full stack (scenario, engine, request flow, metrics) beside a
// minimal hand-written event-heap simulation of the same queue, in the same process. Prints
// simulated requests per wall second for both, their ratio, and peak memory.
//
//   bench_mmc [--cores 8] [--load 0.9] [--requests 2000000]
#include "harness/run/run_command.hpp"
#include "sim/rng.hpp"
#include "sim/scenario.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <queue>
#include <string>
#include <vector>

namespace {

double peak_rss_mb()
{
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

struct HeapResult {
  double wall_s;
  double mean_wait_s;
  long completed;
};

// The practical limit: a binary heap of (time, kind) events and a FIFO of arrival times.
HeapResult hand_heap(int c, double lambda, double mu, long n)
{
  migsim::sim::RandomStream arr(1, "heap.arrivals"), svc(1, "heap.service");
  using Ev = std::pair<double, int>;  // time, 0 = arrival, 1 = departure
  std::priority_queue<Ev, std::vector<Ev>, std::greater<>> heap;
  std::deque<double> fifo;
  int busy = 0;
  long arrived = 0, completed = 0;
  double wait_sum = 0.0;
  const auto t0 = std::chrono::steady_clock::now();
  heap.push({arr.exponential(1.0 / lambda), 0});
  while (!heap.empty()) {
    auto [t, kind] = heap.top();
    heap.pop();
    if (kind == 0) {
      ++arrived;
      if (arrived < n)
        heap.push({t + arr.exponential(1.0 / lambda), 0});
      if (busy < c) {
        ++busy;
        heap.push({t + svc.exponential(1.0 / mu), 1});
      } else {
        fifo.push_back(t);
      }
    } else {
      ++completed;
      if (!fifo.empty()) {
        wait_sum += t - fifo.front();
        fifo.pop_front();
        heap.push({t + svc.exponential(1.0 / mu), 1});
      } else {
        --busy;
      }
    }
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {wall, wait_sum / static_cast<double>(completed), completed};
}

}  // namespace

int main(int argc, char** argv)
{
  int cores = 8;
  double load = 0.9;
  long requests = 2000000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--cores"))
      cores = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--load"))
      load = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--requests"))
      requests = std::atol(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: bench_mmc [--cores N] [--load RHO] [--requests N]\n");
      return 2;
    }
  }
  const double mu = 100.0;  // 10 ms mean service
  const double lambda = load * cores * mu;

  const auto heap = hand_heap(cores, lambda, mu, requests);
  const double heap_rate = static_cast<double>(heap.completed) / heap.wall_s;

  const std::string json = R"({"name": "bench-mmc", "seed": 1, "duration_s": )" +
                           std::to_string(static_cast<double>(requests) / lambda) + R"(,
    "platform": {"zones": [{"name": "lab", "lan_latency_ms": 0}],
      "servers": [{"name": "s", "zone": "lab", "cores": )" + std::to_string(cores) + R"(}],
      "services": [{"name": "q", "server": "s", "workers": )" + std::to_string(cores) + R"(}]},
    "workload": {"client_zone": "lab", "base_rps": )" + std::to_string(lambda) + R"(, "client_timeout_s": 3600,
      "classes": [{"name": "job", "weight": 1, "response_kb": 0,
                   "stages": [{"service": "q", "cpu_ms": 10, "request_kb": 0}]}]}})";
  const auto sc = migsim::sim::parse_scenario(nlohmann::json::parse(json), "bench");
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = migsim::harness::run_scenario(sc, {});
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double migsim_rate = static_cast<double>(r.completed) / wall;

  std::printf("M/M/%d at %.0f %% load, %ld requests\n", cores, load * 100, requests);
  std::printf("  hand-written event heap : %12.0f requests/s  (Wq %.3f ms)\n", heap_rate, heap.mean_wait_s * 1000);
  std::printf("  migsim (full stack)     : %12.0f requests/s  (Wq %.3f ms, %llu completed, %.2f s wall)\n", migsim_rate,
              r.services.at(0).mean_wait_ms, r.completed, wall);
  std::printf("  ratio heap / migsim     : %12.1f x   (goal <= 30)\n", heap_rate / migsim_rate);
  std::printf("  peak RSS                : %12.1f MB\n", peak_rss_mb());
  return 0;
}
