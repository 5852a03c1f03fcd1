#include "models/common/station.hpp"

#include "models/common/request_flow.hpp"

namespace migsim::models {

Station::Station(const sim::ServiceSpec& spec, int server_index, simgrid::s4u::Host* host,
                 simgrid::s4u::Host* disk_reader, simgrid::s4u::Host* disk_writer, sim::RandomStream rng)
    : spec_(spec),
      server_index_(server_index),
      host_(host),
      disk_reader_(disk_reader),
      disk_writer_(disk_writer),
      rng_(rng),
      workers_(spec.workers)
{}

bool Station::try_acquire()
{
  if (busy_ >= workers_)
    return false;
  ++busy_;
  return true;
}

void Station::push(Request* r)
{
  r->next_in_queue = nullptr;
  if (queue_tail_)
    queue_tail_->next_in_queue = r;
  else
    queue_head_ = r;
  queue_tail_ = r;
  if (++queue_length_ > peak_queue_)
    peak_queue_ = queue_length_;
}

Request* Station::pop()
{
  Request* r = queue_head_;
  if (!r)
    return nullptr;
  queue_head_ = r->next_in_queue;
  if (!queue_head_)
    queue_tail_ = nullptr;
  r->next_in_queue = nullptr;
  --queue_length_;
  return r;
}

}  // namespace migsim::models
