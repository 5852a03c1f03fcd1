// The source MySQL database as data, and its replica on the target, tracked exactly enough to prove
// integrity: per table a row count and an order-independent checksum of (primary key, version)
// over every row, on both sides. Initial rows (the snapshot a full load copies) have version 0 and
// a checksum summable over key ranges in O(1); every later insert or update gets a strong 64-bit
// hash. A lost, duplicated, or out-of-order-and-overwritten change leaves the sides different.
//
// The workload's committed writes become transactions in the binlog (sequence number, commit time,
// row changes); the target applies them in order, exactly once (a replayed sequence is skipped).
#pragma once

#include "sim/rng.hpp"

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

namespace migsim::models::mysql {

struct TableSpec {
  std::string name;
  uint64_t rows = 0;            // rows in the snapshot (primary keys 1..rows)
  double row_bytes = 200.0;     // average row size
  double write_share = 0.0;     // share of written rows that land in this table
  double update_fraction = 0.0; // of those, the share that updates an existing row
  uint64_t hot_rows = 0;        // updates pick uniformly among keys 1..hot_rows (0 = all rows)
};

struct RowChange {
  uint32_t table;
  uint64_t pk;
  uint32_t version;  // version after the change; 1 for an insert
};

struct Transaction {
  uint64_t seq = 0;
  double commit_t = 0.0;
  double bytes = 0.0;  // binlog bytes
  std::vector<RowChange> changes;
};

// Count and checksum of one table on one side.
struct TableDigest {
  uint64_t count = 0;
  uint64_t checksum = 0;
  bool operator==(const TableDigest& o) const { return count == o.count && checksum == o.checksum; }
};

// Hash of one row version (version 0: snapshot rows, summable over key ranges).
uint64_t row_hash(uint32_t table, uint64_t pk, uint32_t version);
// Sum of row_hash(table, pk, 0) for pk in [first, last] (mod 2^64), in O(1).
uint64_t snapshot_range_hash(uint32_t table, uint64_t first, uint64_t last);

class SourceDatabase {
public:
  SourceDatabase(std::vector<TableSpec> tables, sim::RandomStream rng);

  // A write transaction of `rows` row changes committed at t; appended to the binlog.
  const Transaction& commit(double t, int rows);

  const std::vector<TableSpec>& tables() const { return specs_; }
  const TableDigest& digest(size_t table) const { return digests_[table]; }
  double snapshot_bytes(size_t table) const { return static_cast<double>(specs_[table].rows) * specs_[table].row_bytes; }
  double total_snapshot_bytes() const;

  uint64_t committed_seq() const { return next_seq_ - 1; }
  // Transactions with seq >= from still in the binlog (retention: trimmed up to what the target applied).
  const std::deque<Transaction>& binlog() const { return binlog_; }
  const Transaction* find(uint64_t seq) const;
  void trim_binlog(uint64_t applied_seq);
  double binlog_bytes_total() const { return binlog_bytes_; }

private:
  std::vector<TableSpec> specs_;
  std::vector<double> share_cumulative_;
  std::vector<TableDigest> digests_;
  std::vector<uint64_t> next_pk_;
  std::vector<std::unordered_map<uint64_t, uint32_t>> versions_;  // changed rows only
  sim::RandomStream rng_;
  std::deque<Transaction> binlog_;
  uint64_t next_seq_ = 1;
  double binlog_bytes_ = 0.0;
};

class TargetDatabase {
public:
  explicit TargetDatabase(const std::vector<TableSpec>& tables);

  // Full load: snapshot rows [first, last] of a table arrive (version 0).
  void load_range(size_t table, uint64_t first, uint64_t last);
  // Applies a transaction exactly once, in order. Returns false (and changes nothing) for a
  // sequence already applied; a gap (seq > applied + 1) is applied but counted as a skip.
  bool apply(const Transaction& tx);

  const TableDigest& digest(size_t table) const { return digests_[table]; }
  uint64_t applied_seq() const { return applied_seq_; }
  uint64_t replays_skipped() const { return replays_skipped_; }
  uint64_t gaps() const { return gaps_; }

private:
  bool has_snapshot_row(size_t table, uint64_t pk) const;
  std::vector<TableDigest> digests_;
  std::vector<std::vector<std::pair<uint64_t, uint64_t>>> loaded_;  // sorted, merged ranges
  std::vector<std::unordered_map<uint64_t, uint32_t>> versions_;
  uint64_t applied_seq_ = 0;
  uint64_t replays_skipped_ = 0;
  uint64_t gaps_ = 0;
};

struct TableCheck {
  std::string table;
  TableDigest source, target;
  bool match() const { return source == target; }
};

struct IntegrityReport {
  std::vector<TableCheck> tables;
  uint64_t source_committed = 0;
  uint64_t target_applied = 0;
  uint64_t lost_transactions = 0;  // committed on the source, never applied on the target
  bool clean() const;
};

IntegrityReport compare(const SourceDatabase& source, const TargetDatabase& target);

}  // namespace migsim::models::mysql
