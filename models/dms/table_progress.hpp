// Per-table progress of a replication, as plain state: the full-load checkpoint (rows committed on
// the target, in whole CommitRate batches), CDC counts, and validation progress. What
// DescribeReplicationTableStatistics shows is read from here.
#pragma once

#include "models/dms/describe.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

namespace migsim::models {
class BulkTransfer;  // models/network/bulk_transfer.hpp
}

namespace migsim::models::dms {

// One table's progress through full load, CDC and validation.
struct TableProgress {
  size_t index = 0;
  std::string name;
  uint64_t rows = 0;            // snapshot rows (primary keys 1..rows)
  double row_bytes = 0;
  std::string state = kTableBeforeLoad;
  bool loading = false;         // a full-load subtask is running for it
  uint64_t rows_committed = 0;  // checkpoint: rows [1, rows_committed] are on the target
  uint64_t base_rows = 0;       // rows_committed when the current transfer started
  double landed_bytes = 0;      // written at the target by the current transfer
  BulkTransfer* transfer = nullptr;  // the current transfer (owned by the replication)
  double load_start_s = -1, load_end_s = -1;
  uint64_t inserts = 0, updates = 0;
  bool validation_queued = false, validation_done = false;
  uint64_t validation_issued = 0, validation_rows_done = 0;  // snapshot rows handed to / done by threads
  uint64_t cdc_pending = 0;     // applied changes not re-validated yet
  uint64_t failed_records = 0;
  std::string validation_state = kValidationPending;

  // Bytes still to move for the full load.
  double remaining_bytes() const { return static_cast<double>(rows - rows_committed) * row_bytes; }

  // A chunk of `bytes` landed: returns the rows [first, last] to commit now (every whole
  // commit_rate batch landed, the rest of the table with its last bytes); first > last: none.
  std::pair<uint64_t, uint64_t> land(double bytes, uint64_t commit_rate)
  {
    landed_bytes += bytes;
    const uint64_t landed =
        base_rows + std::min(rows - base_rows, static_cast<uint64_t>(std::floor(landed_bytes / row_bytes + 1e-6)));
    const uint64_t commit_to = landed == rows ? rows : rows_committed + (landed - rows_committed) / commit_rate * commit_rate;
    const std::pair<uint64_t, uint64_t> range{rows_committed + 1, commit_to};
    rows_committed = std::max(rows_committed, commit_to);
    return range;
  }

  uint64_t validation_pending_records() const
  {
    return rows - std::min(rows, validation_rows_done) + cdc_pending;
  }

  TableStatistics statistics(bool validation_enabled) const
  {
    TableStatistics ts;
    ts.table_name = name;
    ts.table_state = state;
    ts.full_load_rows = rows_committed;
    ts.inserts = inserts;
    ts.updates = updates;
    ts.full_load_start_s = load_start_s;
    ts.full_load_end_s = load_end_s;
    ts.validation_state = validation_enabled ? validation_state : kValidationNotEnabled;
    ts.validation_pending_records = validation_enabled ? validation_pending_records() : 0;
    ts.validation_failed_records = validation_enabled ? failed_records : 0;
    return ts;
  }
};

}  // namespace migsim::models::dms
