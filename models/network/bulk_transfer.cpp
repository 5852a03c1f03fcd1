#include "models/network/bulk_transfer.hpp"

#include "sim/event_log.hpp"
#include "sim/platform.hpp"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <cmath>
#include <list>

namespace sg4 = simgrid::s4u;

namespace migsim::models {

namespace {
constexpr int kOnWire = 2;     // chunks in flight per stream
constexpr int kReadAhead = 2;  // chunks read (or being read) ahead per stream
}  // namespace

// One chunk moving through read -> send -> write; a failed step waits, then is retried.
struct BulkTransfer::Chunk final : sim::CompletionTarget {
  enum class State { Reading, ReadyToSend, Sending, Writing, WaitingRetry } state = State::Reading;
  State retry_as = State::ReadyToSend;  // what a retry restarts
  BulkTransfer* owner = nullptr;
  Stream* stream = nullptr;
  double bytes = 0.0;
  void on_activity_end(bool ok) override { owner->chunk_step_ended(*this, ok); }
};

struct BulkTransfer::Stream {
  std::list<Chunk> chunks;  // in order; stable addresses

  int count(Chunk::State st) const
  {
    return static_cast<int>(std::count_if(chunks.begin(), chunks.end(), [st](const Chunk& c) { return c.state == st; }));
  }
};

BulkTransfer::BulkTransfer(std::string name, BulkEndpoints endpoints, BulkOptions options)
    : name_(std::move(name)), ep_(endpoints), opt_(options)
{
  for (int i = 0; i < std::max(1, opt_.streams); ++i)
    streams_.push_back(std::make_unique<Stream>());
  route_ = sim::route_links(ep_.source, ep_.destination);
  // Packet loss caps each TCP connection (one per stream): the transfer cannot go faster than
  // streams x that cap, however idle the links are.
  if (const auto* platform = sim::current_platform()) {
    double latency = 0.0;
    std::vector<simgrid::s4u::Link*> ignored;
    if (ep_.source != ep_.destination)
      ep_.source->route_to(ep_.destination, ignored, &latency);
    const double cap = platform->tcp_connection_cap_Bps(route_, 2.0 * latency);
    if (std::isfinite(cap)) {
      const double payload_cap = cap * static_cast<double>(streams_.size());  // MSS is TCP payload
      opt_.rate_limit_Bps = opt_.rate_limit_Bps > 0.0 ? std::min(opt_.rate_limit_Bps, payload_cap) : payload_cap;
    }
  }
  // A dead link or host breaks the connections of the chunks on the wire.
  topology_subscription_ = sim::Engine::instance().subscribe_topology([this]() {
    if (sim::route_up(route_) && ep_.source->is_on() && ep_.destination->is_on())
      return;
    for (auto& s : streams_)
      for (auto& c : s->chunks)
        if (c.state == Chunk::State::Sending && c.current_activity)
          c.current_activity->cancel();
  });
}

BulkTransfer::~BulkTransfer()
{
  sim::Engine::instance().unsubscribe_topology(topology_subscription_);
  *alive_ = false;
  // Activities still running stay with SimGrid (never torn down before exit); they no longer
  // report to this transfer.
  for (auto& s : streams_)
    for (auto& c : s->chunks)
      if (c.current_activity) {
        c.current_activity->set_data(nullptr);
        c.current_activity.detach();
      }
}

void BulkTransfer::add(double bytes)
{
  if (bytes <= 0.0)
    return;
  total_ += bytes;
  for (auto& s : streams_)
    pump(*s);
}

void BulkTransfer::pause() { paused_ = true; }

void BulkTransfer::resume()
{
  if (!paused_)
    return;
  paused_ = false;
  for (auto& s : streams_)
    pump(*s);
}

// Starts what the stream can start: new reads while there is data and buffer room, then sends of
// read chunks while fewer than kOnWire are on the wire.
void BulkTransfer::pump(Stream& s)
{
  if (paused_)
    return;
  while (assigned_ < total_ && static_cast<int>(s.chunks.size()) - s.count(Chunk::State::Writing) < kReadAhead + kOnWire) {
    const double bytes = std::min(opt_.chunk_bytes, total_ - assigned_);
    assigned_ += bytes;
    auto& c = s.chunks.emplace_back();
    c.owner = this;
    c.stream = &s;
    c.bytes = bytes;
    c.state = Chunk::State::Reading;
    start_step(c);
  }
  auto& engine = sim::Engine::instance();
  for (auto& c : s.chunks) {
    if (s.count(Chunk::State::Sending) >= kOnWire)
      break;
    if (c.state != Chunk::State::ReadyToSend)
      continue;
    if (opt_.rate_limit_Bps > 0.0 && engine.now() < next_send_s_) {
      // Throttled: wake up when the next send is allowed.
      if (!pacing_wakeup_) {
        pacing_wakeup_ = true;
        engine.at(next_send_s_, [this, alive = alive_]() {
          if (!*alive)
            return;
          pacing_wakeup_ = false;
          for (auto& st : streams_)
            pump(*st);
        });
      }
      break;
    }
    if (opt_.rate_limit_Bps > 0.0)
      next_send_s_ = std::max(next_send_s_, engine.now()) + c.bytes / opt_.rate_limit_Bps;
    c.state = Chunk::State::Sending;
    start_step(c);
  }
}

// Starts the activity of the chunk's current state.
void BulkTransfer::start_step(Chunk& c)
{
  auto& engine = sim::Engine::instance();
  switch (c.state) {
    case Chunk::State::Reading:
      if (!ep_.source_disk) {
        engine.at(engine.now(), [this, &c, alive = alive_]() {
          if (*alive)
            chunk_step_ended(c, true);
        });
        return;
      }
      if (!ep_.source_disk->is_on() || !ep_.source->is_on()) {
        c.retry_as = Chunk::State::Reading;
        retry_later(c);
        return;
      }
      engine.start(sg4::Exec::init()->set_flops_amount(c.bytes)->set_host(ep_.source_disk), &c);
      return;
    case Chunk::State::Sending: {
      if (!ep_.source->is_on() || !ep_.destination->is_on() || !sim::route_up(route_)) {
        engine.at(engine.now(), [this, &c, alive = alive_]() {  // connection refused
          if (*alive)
            chunk_step_ended(c, false);
        });
        return;
      }
      const double wire = c.bytes * opt_.wire_overhead;
      wire_ += wire;
      engine.start(sg4::Comm::sendto_init(ep_.source, ep_.destination)->set_payload_size(static_cast<uint64_t>(wire)), &c);
      return;
    }
    case Chunk::State::Writing:
      if (!ep_.destination_disk) {
        engine.at(engine.now(), [this, &c, alive = alive_]() {
          if (*alive)
            chunk_step_ended(c, true);
        });
        return;
      }
      engine.start(sg4::Exec::init()->set_flops_amount(c.bytes)->set_host(ep_.destination_disk), &c);
      return;
    default:
      return;
  }
}

void BulkTransfer::retry_later(Chunk& c)
{
  auto& engine = sim::Engine::instance();
  c.state = Chunk::State::WaitingRetry;
  if (!stalled_) {
    stalled_ = true;
    sim::EventLog::instance().record(engine.now(), name_, "transfer stalled (network or host down)");
    if (on_stall)
      on_stall();
  }
  engine.at(engine.now() + opt_.retry_after_s, [this, &c, alive = alive_]() {
    if (!*alive)
      return;
    c.state = c.retry_as;
    if (c.state == Chunk::State::Reading)
      start_step(c);
    pump(*c.stream);
  });
}

void BulkTransfer::chunk_step_ended(Chunk& c, bool ok)
{
  auto& engine = sim::Engine::instance();
  Stream& s = *c.stream;
  switch (c.state) {
    case Chunk::State::Reading:
      if (!ok) {
        c.retry_as = Chunk::State::Reading;
        retry_later(c);
        return;
      }
      c.state = Chunk::State::ReadyToSend;
      break;
    case Chunk::State::Sending:
      if (!ok) {
        // Lost on the way: resend from the source later. Only written bytes count as done, so
        // the transfer resumes from what the destination holds.
        ++failed_chunks_;
        c.retry_as = Chunk::State::ReadyToSend;
        retry_later(c);
        return;
      }
      if (stalled_) {
        stalled_ = false;
        sim::EventLog::instance().record(engine.now(), name_, "transfer resumed from its checkpoint");
      }
      c.state = Chunk::State::Writing;
      start_step(c);
      break;
    case Chunk::State::Writing: {
      if (!ok) {
        c.retry_as = Chunk::State::ReadyToSend;
        retry_later(c);
        return;
      }
      written_ += c.bytes;
      last_progress_s_ = engine.now();
      const double bytes = c.bytes;
      s.chunks.remove_if([&c](const Chunk& x) { return &x == &c; });
      if (on_progress)
        on_progress(bytes);
      if (idle() && on_idle)
        on_idle();
      break;
    }
    default:
      break;
  }
  pump(s);
}

}  // namespace migsim::models
