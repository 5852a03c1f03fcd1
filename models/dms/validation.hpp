// row_validation: what DMS data validation compares, and the threads that do it. The source keeps changing while the target
// lags, so a table is compared against the source *as of the last change the target applied*:
// the current source digest with the effect of every later binlog transaction taken back out.
// This is exact (the same count and checksum the target would have if it missed nothing), so a
// lost, duplicated or misapplied change shows as "Mismatched records".
#pragma once

#include "models/dms/describe.hpp"
#include "models/dms/settings.hpp"
#include "models/dms/table_progress.hpp"
#include "models/mysql/database.hpp"
#include "sim/engine.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace migsim::models::dms {

// True when the change inserted a new row (a key above the snapshot, first version).
inline bool is_insert(const mysql::SourceDatabase& source, const mysql::RowChange& ch)
{
  return ch.version == 1 && ch.pk > source.tables()[ch.table].rows;
}

// Per-table source digests as they were right after transaction `seq`; nullopt when the binlog no
// longer holds every later transaction (trimmed by someone else).
inline std::optional<std::vector<mysql::TableDigest>> source_digests_as_of(const mysql::SourceDatabase& source,
                                                                           uint64_t seq)
{
  std::vector<mysql::TableDigest> d;
  for (size_t i = 0; i < source.tables().size(); ++i)
    d.push_back(source.digest(i));
  if (seq >= source.committed_seq())
    return d;
  const auto& log = source.binlog();
  if (log.empty() || log.front().seq > seq + 1)
    return std::nullopt;
  for (auto it = log.rbegin(); it != log.rend() && it->seq > seq; ++it) {
    for (const auto& ch : it->changes) {
      auto& t = d[ch.table];
      t.checksum -= mysql::row_hash(ch.table, ch.pk, ch.version);
      if (is_insert(source, ch))
        --t.count;
      else
        t.checksum += mysql::row_hash(ch.table, ch.pk, ch.version - 1);  // an update: the previous version
    }
  }
  return d;
}

// Records a validation finds different between two digests of one table (at least 1 when they differ).
inline uint64_t mismatched_records(const mysql::TableDigest& source, const mysql::TableDigest& target)
{
  if (source == target)
    return 0;
  const uint64_t diff = source.count > target.count ? source.count - target.count : target.count - source.count;
  return diff ? diff : 1;
}

// Compares validated tables with the source as of the target's last applied transaction: every
// table whose partitions are all done, unless only_pending (the periodic recheck), which skips
// tables already "Validated" with no CDC change since. Leaves states alone when the binlog no
// longer reaches back far enough.
inline void revalidate_tables(std::vector<TableProgress>& tables, const mysql::SourceDatabase& source,
                              const mysql::TargetDatabase& target, bool only_pending)
{
  const auto as_of = source_digests_as_of(source, target.applied_seq());
  if (!as_of)
    return;
  for (auto& t : tables) {
    if (!t.validation_done)
      continue;
    if (only_pending && t.validation_state == kValidated && t.cdc_pending == 0)
      continue;
    t.failed_records = mismatched_records((*as_of)[t.index], target.digest(t.index));
    t.validation_state = t.failed_records ? kValidationMismatched : kValidated;
    t.cdc_pending = 0;
  }
}

// Stage 3 threads: ThreadCount threads each compare one partition of PartitionSize snapshot rows
// at a time (a timed step at validation_rows_per_s_per_thread, both sides read), tables in queue
// order. When a table's last partition ends, it is compared with the source (revalidate_tables)
// and on_progress runs; recheck() re-validates CDC changes.
class ValidationRunner {
public:
  ValidationRunner(const ReplicationSettings& s, std::vector<TableProgress>& tables, const mysql::SourceDatabase& source,
                   const mysql::TargetDatabase& target, std::function<void()> on_progress)
      : s_(s), tables_(tables), source_(source), target_(target), on_progress_(std::move(on_progress))
  {}

  // Forgets the partitions in flight (stop, failure): they are handed out again on the next pump.
  void reset()
  {
    ++generation_;
    busy_ = 0;
    for (auto& t : tables_)
      t.validation_issued = t.validation_rows_done;
  }

  // Hands partitions of queued tables to free threads.
  void pump()
  {
    for (auto& t : tables_)
      if (t.validation_queued && !t.validation_done && t.rows == 0)
        table_done(t);
    auto& engine = sim::Engine::instance();
    while (busy_ < s_.validation_thread_count) {
      auto it = std::find_if(tables_.begin(), tables_.end(),
                             [](auto& t) { return t.validation_queued && t.validation_issued < t.rows; });
      if (it == tables_.end())
        return;
      const uint64_t n = std::min<uint64_t>(s_.validation_partition_size_rows, it->rows - it->validation_issued);
      it->validation_issued += n;
      ++busy_;
      engine.at(engine.now() + static_cast<double>(n) / s_.validation_rows_per_s_per_thread,
                [this, &t = *it, n, g = generation_]() {
                  if (g != generation_)
                    return;
                  --busy_;
                  t.validation_rows_done += n;
                  if (t.validation_rows_done >= t.rows && !t.validation_done)
                    table_done(t);
                  on_progress_();
                });
    }
  }

  void recheck() { revalidate_tables(tables_, source_, target_, true); }
  int busy() const { return busy_; }
  bool done() const
  {
    return std::all_of(tables_.begin(), tables_.end(), [](auto& t) { return t.validation_done; });
  }

private:
  void table_done(TableProgress& t)
  {
    t.validation_done = true;
    revalidate_tables(tables_, source_, target_, false);
  }

  const ReplicationSettings& s_;
  std::vector<TableProgress>& tables_;
  const mysql::SourceDatabase& source_;
  const mysql::TargetDatabase& target_;
  std::function<void()> on_progress_;
  int busy_ = 0;
  uint64_t generation_ = 0;
};

}  // namespace migsim::models::dms
