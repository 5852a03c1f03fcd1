// cdc_capture: reads the source binlog after the queue's captured position and carries it over the
// route (the VPN) to the replication's host, one message at a time of up to capture_batch_max_mb
// of binlog (x vpn_wire_overhead on the wire). With nothing new to read, a heartbeat probes the
// route every source_heartbeat_s, so an outage is seen even when the source is quiet. A failed
// message is sent again after capture_retry_s from the same position: the captured position is
// the checkpoint, so nothing is lost or captured twice.
#pragma once

#include "models/dms/cdc_apply.hpp"
#include "models/dms/channel.hpp"
#include "models/dms/settings.hpp"
#include "models/mysql/database.hpp"

#include <algorithm>
#include <functional>
#include <string>

namespace migsim::models::dms {

// The capture side of CDC: binlog -> messages -> CdcQueue.
class BinlogCapture {
public:
  struct Callbacks {
    std::function<void(bool reachable)> reachability;    // a message arrived (true) or failed (false)
    std::function<void(const std::string& why)> fail;    // the binlog no longer holds the position
    std::function<void()> captured;                      // new changes are in the queue
  };
  static constexpr double kHeartbeatBytes = 64.0;

  BinlogCapture(const ReplicationSettings& s, const mysql::SourceDatabase& source, CdcQueue& queue,
                simgrid::s4u::Host* from, simgrid::s4u::Host* to, Callbacks callbacks)
      : s_(s), source_(source), queue_(queue), channel_(from, to), cb_(std::move(callbacks))
  {}

  // Forgets the message in flight (stop, failure): its end will be ignored.
  void reset()
  {
    ++generation_;
    in_flight_ = false;
    retry_at_s_ = 0;
    last_contact_s_ = -1e300;
  }

  // Sends the next message if none is in flight and no retry is pending.
  void poll()
  {
    auto& engine = sim::Engine::instance();
    if (in_flight_ || engine.now() < retry_at_s_)
      return;
    const uint64_t committed = source_.committed_seq();
    uint64_t last = queue_.captured_seq(), rows = 0;
    double bytes = 0;
    for (uint64_t seq = last + 1; seq <= committed && bytes < s_.capture_batch_max_mb * 1e6; ++seq) {
      const auto* tx = source_.find(seq);
      if (!tx) {
        cb_.fail("binlog position " + std::to_string(seq) + " is no longer available on the source");
        return;
      }
      bytes += tx->bytes;
      rows += tx->changes.size();
      last = seq;
    }
    if (last == queue_.captured_seq()) {
      if (engine.now() - last_contact_s_ < s_.source_heartbeat_s)
        return;
      bytes = kHeartbeatBytes;
    }
    in_flight_ = true;
    wire_bytes_ += bytes * s_.vpn_wire_overhead;
    channel_.send(bytes * s_.vpn_wire_overhead, [this, g = generation_, last, rows, sent_s = engine.now()](bool ok) {
      if (g == generation_)
        ended(ok, last, rows, sent_s);
    });
  }

  // Commit time of the last event captured (-1 before any); heartbeats count with HeartbeatEnable.
  double last_captured_commit_s() const { return last_captured_commit_s_; }
  uint64_t failures() const { return failures_; }
  double wire_bytes() const { return wire_bytes_; }

private:
  void ended(bool ok, uint64_t last_seq, uint64_t rows, double sent_s)
  {
    auto& engine = sim::Engine::instance();
    in_flight_ = false;
    if (!ok) {
      ++failures_;
      cb_.reachability(false);
      retry_at_s_ = engine.now() + s_.capture_retry_s;
      engine.at(retry_at_s_, [this, g = generation_]() {
        if (g == generation_)
          poll();
      });
      return;
    }
    cb_.reachability(true);
    last_contact_s_ = engine.now();
    if (last_seq > queue_.captured_seq()) {
      queue_.captured(last_seq, rows, engine.now());
      if (const auto* tx = source_.find(last_seq))
        last_captured_commit_s_ = tx->commit_t;
      cb_.captured();
    } else if (s_.heartbeat_enable) {
      last_captured_commit_s_ = std::max(last_captured_commit_s_, sent_s);
    }
  }

  const ReplicationSettings& s_;
  const mysql::SourceDatabase& source_;
  CdcQueue& queue_;
  Channel channel_;
  Callbacks cb_;
  uint64_t generation_ = 0;
  bool in_flight_ = false;
  double retry_at_s_ = 0;
  double last_contact_s_ = -1e300;
  double last_captured_commit_s_ = -1;
  uint64_t failures_ = 0;
  double wire_bytes_ = 0;
};

}  // namespace migsim::models::dms
