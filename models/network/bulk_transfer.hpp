// block_replication / full_load transport: moves a volume of bytes from a source (its disk, then
// its network card) to a destination (its network card, then its disk) as a pipeline of chunks
// over one or more parallel streams. Every step is a SimGrid activity, so a bulk transfer shares
// the VPN, the disks and the hosts with everything else running there, and its throughput is the
// bottleneck of disk read, network fair share and disk write.
//
// Each stream keeps up to two chunks on the wire (as a TCP window keeps the pipe full, so per-chunk
// latency is hidden) and reads ahead up to two more. A chunk whose transfer fails (link or host
// down) is resent after retry_after_s: data is counted done only once written at the destination,
// so after an outage the transfer resumes from that checkpoint and nothing is counted twice.
#pragma once

#include "sim/engine.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace simgrid::s4u {
class Host;
}

namespace migsim::models {

struct BulkEndpoints {
  simgrid::s4u::Host* source_disk = nullptr;  // disk-read host of the source (nullptr: no disk limit)
  simgrid::s4u::Host* source = nullptr;       // network source
  simgrid::s4u::Host* destination = nullptr;  // network destination
  simgrid::s4u::Host* destination_disk = nullptr;  // disk-write host at the destination (nullptr: none)
};

struct BulkOptions {
  int streams = 1;
  double chunk_bytes = 64e6;
  double wire_overhead = 1.0;  // bytes on the wire per payload byte (headers, encryption)
  double rate_limit_Bps = 0.0; // whole transfer (payload bytes/s), enforced by pacing chunk sends; 0 = unlimited
  double retry_after_s = 30.0;
};

class BulkTransfer {
public:
  BulkTransfer(std::string name, BulkEndpoints endpoints, BulkOptions options);
  ~BulkTransfer();
  BulkTransfer(const BulkTransfer&) = delete;
  BulkTransfer& operator=(const BulkTransfer&) = delete;

  // Adds bytes to move (the first call starts the transfer; later calls add backlog).
  void add(double bytes);
  void pause();   // in-flight chunks finish; no new chunk starts
  void resume();

  double total_bytes() const { return total_; }      // ever added
  double done_bytes() const { return written_; }     // durably at the destination
  double backlog_bytes() const { return total_ - written_; }
  double wire_bytes() const { return wire_; }        // bytes sent on the network, resends included
  bool idle() const { return written_ >= total_; }
  bool stalled() const { return stalled_; }
  bool paused() const { return paused_; }
  uint64_t failed_chunks() const { return failed_chunks_; }
  double last_progress_s() const { return last_progress_s_; }
  const std::string& name() const { return name_; }

  std::function<void(double bytes)> on_progress;  // a chunk was written
  std::function<void()> on_idle;                  // everything added so far is written
  std::function<void()> on_stall;                 // a chunk failed

private:
  struct Chunk;
  struct Stream;
  friend struct Chunk;
  void pump(Stream& s);
  void chunk_step_ended(Chunk& c, bool ok);
  void start_step(Chunk& c);
  void retry_later(Chunk& c);

  std::string name_;
  BulkEndpoints ep_;
  BulkOptions opt_;
  double total_ = 0.0;
  double assigned_ = 0.0;  // bytes handed to streams
  double written_ = 0.0;
  double wire_ = 0.0;
  bool paused_ = false;
  bool stalled_ = false;
  uint64_t failed_chunks_ = 0;
  double last_progress_s_ = 0.0;
  std::vector<std::unique_ptr<Stream>> streams_;
  std::vector<simgrid::s4u::Link*> route_;
  double next_send_s_ = 0.0;  // pacing under a rate limit
  bool pacing_wakeup_ = false;
  uint64_t topology_subscription_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // scheduled callbacks check it
};

}  // namespace migsim::models
