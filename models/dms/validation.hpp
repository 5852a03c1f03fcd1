// row_validation: what DMS data validation compares. The source keeps changing while the target
// lags, so a table is compared against the source *as of the last change the target applied*:
// the current source digest with the effect of every later binlog transaction taken back out.
// This is exact (the same count and checksum the target would have if it missed nothing), so a
// lost, duplicated or misapplied change shows as "Mismatched records".
#pragma once

#include "models/dms/describe.hpp"
#include "models/mysql/database.hpp"

#include <cstdint>
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

}  // namespace migsim::models::dms
