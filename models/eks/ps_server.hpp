// A processor-sharing CPU at request level: a pod whose CFS quota gives it `capacity` cores, where
// each of the n requests in service runs at min(per_job_cap, capacity / n) cores (one request is
// one thread: it cannot use more than a core however large the limit). Also an EFS file system:
// capacity in MiB/s shared by the requests doing I/O, no per-request cap.
//
// Exact event-driven simulation in virtual time: V(t) is the service every job in the server has
// received since the server started (dV/dt = rate per job), a job of work w admitted at V0 leaves
// when V reaches V0 + w, so only the smallest finishing V needs an event; admitting or cancelling
// a job only changes dV/dt from then on. O(log n) per job, one pending clock event per server.
#pragma once

#include "models/common/clock.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace migsim::models::eks {

class PsServer {
public:
  PsServer(Clock& clock, double capacity, double per_job_cap);
  ~PsServer();
  PsServer(const PsServer&) = delete;
  PsServer& operator=(const PsServer&) = delete;

  // Called when a job has received all its work, with the tag given to add().
  std::function<void(uint64_t tag)> on_done;

  // Admits a job of `work` (core-seconds, or MiB); returns its id (for cancel). work <= 0 ends at once.
  uint64_t add(double work, uint64_t tag);
  // Removes a job that has not finished (client gone, pod killed); false if it already left.
  bool cancel(uint64_t job);
  // Removes every job; their tags (in admission order) for the caller to fail.
  std::vector<uint64_t> clear();
  // Changes the capacity from now on (EFS burst credits running out).
  void set_capacity(double capacity);

  size_t jobs() const { return alive_; }
  double capacity() const { return capacity_; }
  // Work still to do for the jobs in service (core-seconds), now.
  double unfinished_work() const;
  // Capacity used since the server started (core-seconds, or MiB), up to now.
  double used() const;

private:
  struct Entry {
    double finish_v;
    uint64_t id;
    uint64_t tag;
    bool operator>(const Entry& o) const { return finish_v > o.finish_v || (finish_v == o.finish_v && id > o.id); }
  };
  double rate() const;        // service rate per job now
  void advance();             // brings V and the used integral up to now
  void reschedule();
  void on_timer(uint64_t generation);
  void drop_cancelled_top();

  Clock& clock_;
  double capacity_, per_job_cap_;
  double v_ = 0, last_t_ = 0, used_ = 0, finish_sum_ = 0;
  size_t alive_ = 0;
  uint64_t next_id_ = 1, generation_ = 0;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
  std::unordered_set<uint64_t> cancelled_;             // still in the heap, skipped when they reach the top
  std::unordered_map<uint64_t, double> finish_of_;     // jobs in service: finishing virtual time
  std::shared_ptr<bool> alive_flag_;  // timers scheduled by a destroyed server do nothing
};

}  // namespace migsim::models::eks
