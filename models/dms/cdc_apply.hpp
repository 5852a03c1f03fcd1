// cdc_apply: when the next group of captured changes is committed on the target and how long it
// takes. Plain rules, no SimGrid (the Replication runs them as timed steps, in commit order):
//
// - Transactional apply (default): source transactions are grouped into one target transaction
//   until it holds MinTransactionSize rows; a smaller group is committed once the oldest change in
//   it has waited CommitTimeout since capture. Cost: commit_overhead_s + rows / (rate x DCU).
// - Batch apply: a batch starts no sooner than BatchApplyTimeoutMin after the previous one; it
//   starts then if batch_apply_max_rows are waiting, otherwise once the oldest waiting change has
//   waited BatchApplyTimeoutMax. Cost: batch_overhead_s + rows / (batch rate x DCU).
//
// Under a steady backlog the apply capacity is therefore group_rows / (overhead + group_rows /
// (rate x DCU)) rows/s, which is what the CDC latency slope follows.
#pragma once

#include "models/dms/settings.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>

namespace migsim::models::dms {

// What the apply loop should do now: start a group (ready) or wake up at wake_s.
struct ApplyPlan {
  bool ready = false;
  double wake_s = 0.0;       // when not ready: when to look again
  uint64_t last_seq = 0;     // the group is [first waiting seq, last_seq]
  uint64_t rows = 0;
  double duration_s = 0.0;
};

// Apply capacity in rows/s at a DCU (before per-commit overheads).
inline double apply_rows_per_s(const ReplicationSettings& s, int dcu)
{
  return dcu * (s.batch_apply_enabled ? s.batch_apply_rows_per_s_per_dcu : s.transactional_apply_rows_per_s_per_dcu);
}

// Plans the next group. Transactions first_seq..captured_seq are waiting (first_seq <= captured_seq);
// rows_of(seq) gives a transaction's row changes; oldest_captured_s is when first_seq was captured;
// last_group_start_s is when the previous group started (-inf for none).
inline ApplyPlan plan_apply(const ReplicationSettings& s, int dcu, double now_s, uint64_t first_seq,
                            uint64_t captured_seq, double oldest_captured_s, double last_group_start_s,
                            const std::function<uint64_t(uint64_t)>& rows_of)
{
  ApplyPlan p;
  const uint64_t bound = s.batch_apply_enabled ? static_cast<uint64_t>(s.batch_apply_max_rows)
                                               : static_cast<uint64_t>(s.min_transaction_size_rows);
  p.last_seq = first_seq - 1;
  for (uint64_t seq = first_seq; seq <= captured_seq && p.rows < bound; ++seq) {
    p.rows += rows_of(seq);
    p.last_seq = seq;
  }
  const bool full = p.rows >= bound;
  if (s.batch_apply_enabled) {
    const double earliest = last_group_start_s + s.batch_apply_timeout_min_s;
    const double start = full ? earliest : std::max(earliest, oldest_captured_s + s.batch_apply_timeout_max_s);
    if (now_s < start) {
      p.wake_s = start;
      return p;
    }
  } else if (!full && now_s < oldest_captured_s + s.commit_timeout_s) {
    p.wake_s = oldest_captured_s + s.commit_timeout_s;
    return p;
  }
  p.ready = true;
  const double overhead = s.batch_apply_enabled ? s.batch_overhead_s : s.commit_overhead_s;
  p.duration_s = overhead + static_cast<double>(p.rows) / apply_rows_per_s(s, dcu);
  return p;
}

// The changes captured and not yet applied (the replication's memory), in commit order, with the
// capture and apply positions (binlog sequences). Captured messages are kept as (last seq, time)
// so the apply rules know how long the oldest waiting change has waited.
class CdcQueue {
public:
  // Starts over after `position`: the next capture reads seq position + 1 (resume, fresh start).
  void reset(uint64_t position)
  {
    captured_seq_ = position;
    next_apply_seq_ = position + 1;
    waiting_rows_ = 0;
    batches_.clear();
  }
  // A capture message brought transactions up to last_seq (rows row changes) at t.
  void captured(uint64_t last_seq, uint64_t rows, double t_s)
  {
    captured_seq_ = last_seq;
    waiting_rows_ += rows;
    batches_.push_back({last_seq, t_s});
  }
  // The target committed transactions up to last_seq (rows row changes).
  void applied(uint64_t last_seq, uint64_t rows)
  {
    next_apply_seq_ = last_seq + 1;
    waiting_rows_ -= std::min(waiting_rows_, rows);
    while (!batches_.empty() && batches_.front().last_seq <= last_seq)
      batches_.pop_front();
  }

  bool waiting() const { return next_apply_seq_ <= captured_seq_ && !batches_.empty(); }
  uint64_t captured_seq() const { return captured_seq_; }
  uint64_t next_apply_seq() const { return next_apply_seq_; }
  uint64_t applied_through() const { return next_apply_seq_ - 1; }
  uint64_t waiting_rows() const { return waiting_rows_; }
  // When the oldest waiting change was captured (only when waiting()).
  double oldest_captured_s() const { return batches_.front().captured_s; }

private:
  struct Batch {
    uint64_t last_seq;
    double captured_s;
  };
  uint64_t captured_seq_ = 0;
  uint64_t next_apply_seq_ = 1;
  uint64_t waiting_rows_ = 0;
  std::deque<Batch> batches_;
};

}  // namespace migsim::models::dms
