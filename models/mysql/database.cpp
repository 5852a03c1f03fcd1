#include "models/mysql/database.hpp"

#include <algorithm>
#include <stdexcept>

namespace migsim::models::mysql {

namespace {
constexpr uint64_t kK1 = 0x9e3779b97f4a7c15ULL;  // odd multipliers
constexpr uint64_t kK2 = 0xc2b2ae3d27d4eb4fULL;
constexpr uint64_t kK3 = 0x165667b19e3779f9ULL;

uint64_t mix64(uint64_t z)
{
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
}  // namespace

uint64_t row_hash(uint32_t table, uint64_t pk, uint32_t version)
{
  if (version == 0)
    return pk * kK1 + kK2 + table * kK3;
  return mix64(mix64(pk ^ (static_cast<uint64_t>(table) << 48)) + version * kK3 + kK2);
}

uint64_t snapshot_range_hash(uint32_t table, uint64_t first, uint64_t last)
{
  if (last < first)
    return 0;
  const unsigned __int128 n = static_cast<unsigned __int128>(last - first + 1);
  const unsigned __int128 sum_pk = (static_cast<unsigned __int128>(first) + last) * n / 2;  // exact
  return static_cast<uint64_t>(sum_pk) * kK1 + static_cast<uint64_t>(n) * (kK2 + table * kK3);
}

SourceDatabase::SourceDatabase(std::vector<TableSpec> tables, sim::RandomStream rng)
    : specs_(std::move(tables)), rng_(rng)
{
  double cumulative = 0.0;
  for (uint32_t i = 0; i < specs_.size(); ++i) {
    const auto& t = specs_[i];
    cumulative += t.write_share;
    share_cumulative_.push_back(cumulative);
    digests_.push_back({t.rows, snapshot_range_hash(i, 1, t.rows)});
    next_pk_.push_back(t.rows + 1);
  }
  versions_.resize(specs_.size());
}

double SourceDatabase::total_snapshot_bytes() const
{
  double b = 0.0;
  for (size_t i = 0; i < specs_.size(); ++i)
    b += snapshot_bytes(i);
  return b;
}

const Transaction& SourceDatabase::commit(double t, int rows)
{
  Transaction tx;
  tx.seq = next_seq_++;
  tx.commit_t = t;
  const bool any_share = !share_cumulative_.empty() && share_cumulative_.back() > 0.0;
  for (int i = 0; i < rows && any_share; ++i) {
    const auto table = static_cast<uint32_t>(rng_.pick(share_cumulative_.data(), share_cumulative_.size()));
    const auto& spec = specs_[table];
    auto& d = digests_[table];
    const uint64_t hot = spec.hot_rows ? std::min(spec.hot_rows, next_pk_[table] - 1) : next_pk_[table] - 1;
    if (hot > 0 && rng_.uniform01() < spec.update_fraction) {
      const uint64_t pk = 1 + static_cast<uint64_t>(rng_.uniform01() * static_cast<double>(hot));
      auto [it, fresh] = versions_[table].try_emplace(pk, 0);
      // Keys above the snapshot were inserted later with version 1.
      if (fresh && pk > spec.rows)
        it->second = 1;
      d.checksum -= row_hash(table, pk, it->second);
      ++it->second;
      d.checksum += row_hash(table, pk, it->second);
      tx.changes.push_back({table, pk, it->second});
    } else {
      const uint64_t pk = next_pk_[table]++;
      ++d.count;
      d.checksum += row_hash(table, pk, 1);
      tx.changes.push_back({table, pk, 1});
    }
    tx.bytes += spec.row_bytes + 50.0;  // row image plus binlog event header
  }
  binlog_bytes_ += tx.bytes;
  binlog_.push_back(std::move(tx));
  return binlog_.back();
}

const Transaction* SourceDatabase::find(uint64_t seq) const
{
  if (binlog_.empty() || seq < binlog_.front().seq || seq > binlog_.back().seq)
    return nullptr;
  return &binlog_[static_cast<size_t>(seq - binlog_.front().seq)];
}

void SourceDatabase::trim_binlog(uint64_t applied_seq)
{
  while (!binlog_.empty() && binlog_.front().seq <= applied_seq)
    binlog_.pop_front();
}

TargetDatabase::TargetDatabase(const std::vector<TableSpec>& tables)
{
  digests_.resize(tables.size());
  loaded_.resize(tables.size());
  versions_.resize(tables.size());
}

void TargetDatabase::load_range(size_t table, uint64_t first, uint64_t last)
{
  if (last < first)
    return;
  auto& d = digests_[table];
  d.count += last - first + 1;
  d.checksum += snapshot_range_hash(static_cast<uint32_t>(table), first, last);
  // Keep the loaded ranges merged (a duplicate load still counts twice in the digest above).
  auto& r = loaded_[table];
  r.emplace_back(first, last);
  std::sort(r.begin(), r.end());
  std::vector<std::pair<uint64_t, uint64_t>> merged;
  for (const auto& x : r) {
    if (!merged.empty() && x.first <= merged.back().second + 1)
      merged.back().second = std::max(merged.back().second, x.second);
    else
      merged.push_back(x);
  }
  r = std::move(merged);
}

bool TargetDatabase::has_snapshot_row(size_t table, uint64_t pk) const
{
  const auto& r = loaded_[table];
  auto it = std::upper_bound(r.begin(), r.end(), std::make_pair(pk, UINT64_MAX));
  return it != r.begin() && std::prev(it)->second >= pk && std::prev(it)->first <= pk;
}

bool TargetDatabase::apply(const Transaction& tx)
{
  if (tx.seq <= applied_seq_) {
    ++replays_skipped_;
    return false;
  }
  if (tx.seq != applied_seq_ + 1)
    ++gaps_;
  for (const auto& ch : tx.changes) {
    auto& d = digests_[ch.table];
    auto it = versions_[ch.table].find(ch.pk);
    if (it != versions_[ch.table].end()) {
      d.checksum -= row_hash(ch.table, ch.pk, it->second);
      it->second = ch.version;
    } else {
      // First change to this key on the target: it replaces a snapshot row if one was loaded,
      // otherwise the row is new here (an insert, or an upsert of a row the load never brought).
      if (has_snapshot_row(ch.table, ch.pk))
        d.checksum -= row_hash(ch.table, ch.pk, 0);
      else
        ++d.count;
      versions_[ch.table].emplace(ch.pk, ch.version);
    }
    d.checksum += row_hash(ch.table, ch.pk, ch.version);
  }
  applied_seq_ = tx.seq;
  return true;
}

bool IntegrityReport::clean() const
{
  return lost_transactions == 0 && std::all_of(tables.begin(), tables.end(), [](auto& t) { return t.match(); });
}

IntegrityReport compare(const SourceDatabase& source, const TargetDatabase& target)
{
  IntegrityReport r;
  for (size_t i = 0; i < source.tables().size(); ++i)
    r.tables.push_back({source.tables()[i].name, source.digest(i), target.digest(i)});
  r.source_committed = source.committed_seq();
  r.target_applied = target.applied_seq();
  r.lost_transactions = r.source_committed > r.target_applied ? r.source_committed - r.target_applied : 0;
  return r;
}

}  // namespace migsim::models::mysql
