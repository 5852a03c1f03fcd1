// A service station: a fixed number of workers (threads, processes, connections) and a FIFO of
// requests waiting for one. Bounded queues reject, waits beyond the queue timeout are dropped by
// the caller when it dequeues them. The physics (CPU, disk) happens on the station's host.
#pragma once

#include "sim/rng.hpp"
#include "sim/scenario.hpp"

#include <cstdint>

namespace simgrid::s4u {
class Host;
}  // namespace simgrid::s4u

namespace migsim::models {

struct Request;

class Station {
public:
  Station(const sim::ServiceSpec& spec, int server_index, simgrid::s4u::Host* host, simgrid::s4u::Host* disk_reader,
          simgrid::s4u::Host* disk_writer,
          sim::RandomStream rng);

  const sim::ServiceSpec& spec() const { return spec_; }
  int server_index() const { return server_index_; }
  simgrid::s4u::Host* host() const { return host_; }
  simgrid::s4u::Host* disk_reader() const { return disk_reader_; }
  simgrid::s4u::Host* disk_writer() const { return disk_writer_; }
  sim::RandomStream& rng() { return rng_; }  // the service's own stream (service times)

  bool try_acquire();            // takes a worker when one is free
  void release() { --busy_; }    // gives a worker back (the caller then serves the queue)
  bool has_room() const
  {
    return !reject_when_busy && (spec_.queue_limit == 0 || queue_length_ < static_cast<uint64_t>(spec_.queue_limit));
  }
  // No queue at all: a request finding every worker busy is refused (RDS at max_connections).
  bool reject_when_busy = false;
  void push(Request* r);
  Request* pop();                // nullptr when empty
  bool can_serve_queue() const { return queue_head_ && busy_ < workers_; }

  int workers() const { return workers_; }
  void set_workers(int n) { workers_ = n; }
  int busy() const { return busy_; }
  uint64_t queue_length() const { return queue_length_; }
  uint64_t peak_queue_length() const { return peak_queue_; }
  // Time spent waiting for a worker, over every request that got one (zero waits included).
  void record_wait(double wait_s) { wait_sum_s_ += wait_s; ++served_; }
  double mean_wait_s() const { return served_ ? wait_sum_s_ / static_cast<double>(served_) : 0.0; }
  uint64_t served() const { return served_; }

private:
  const sim::ServiceSpec& spec_;
  int server_index_;
  simgrid::s4u::Host* host_;
  simgrid::s4u::Host* disk_reader_;
  simgrid::s4u::Host* disk_writer_;
  sim::RandomStream rng_;
  int workers_;
  int busy_ = 0;
  Request* queue_head_ = nullptr;
  Request* queue_tail_ = nullptr;
  uint64_t queue_length_ = 0;
  uint64_t peak_queue_ = 0;
  double wait_sum_s_ = 0.0;
  uint64_t served_ = 0;
};

}  // namespace migsim::models
