#include "models/mysql/database.hpp"

#include <catch2/catch.hpp>

using namespace migsim::models::mysql;
using migsim::sim::RandomStream;

namespace {
std::vector<TableSpec> tables()
{
  return {{"orders", 100000, 300, 0.4, 0.0, 0},
          {"order_items", 400000, 120, 0.4, 0.0, 0},
          {"products", 20000, 2000, 0.2, 1.0, 2000}};
}

TargetDatabase fully_loaded(const SourceDatabase& src)
{
  TargetDatabase t(src.tables());
  for (size_t i = 0; i < src.tables().size(); ++i) {
    // Load in uneven chunks, out of order.
    const uint64_t n = src.tables()[i].rows;
    t.load_range(i, n / 2 + 1, n);
    t.load_range(i, 1, n / 3);
    t.load_range(i, n / 3 + 1, n / 2);
  }
  return t;
}
}  // namespace

TEST_CASE("snapshot range hashes equal the row-by-row sum", "[mysql]")
{
  uint64_t sum = 0;
  for (uint64_t pk = 17; pk <= 5000; ++pk)
    sum += row_hash(2, pk, 0);
  CHECK(snapshot_range_hash(2, 17, 5000) == sum);
  CHECK(snapshot_range_hash(2, 5, 4) == 0);
}

TEST_CASE("a full load plus every transaction applied in order gives identical digests", "[mysql]")
{
  SourceDatabase src(tables(), RandomStream(1, "binlog"));
  auto target = fully_loaded(src);
  for (int i = 0; i < 5000; ++i)
    src.commit(i * 0.1, 1 + i % 7);
  for (const auto& tx : src.binlog())
    CHECK(target.apply(tx));
  const auto report = compare(src, target);
  CHECK(report.clean());
  CHECK(report.lost_transactions == 0);
  CHECK(src.digest(2).count == 20000);  // updates do not add rows
}

TEST_CASE("integrity failures are detected, not assumed away", "[mysql]")
{
  SourceDatabase src(tables(), RandomStream(2, "binlog"));
  for (int i = 0; i < 2000; ++i)
    src.commit(i * 0.1, 3);
  const auto& log = src.binlog();

  SECTION("a lost transaction")
  {
    auto target = fully_loaded(src);
    for (size_t i = 0; i < log.size(); ++i)
      if (i != 700)
        target.apply(log[i]);
    const auto r = compare(src, target);
    CHECK_FALSE(r.clean());
    CHECK(target.gaps() == 1);
  }
  SECTION("the last transactions never applied: counted exactly")
  {
    auto target = fully_loaded(src);
    for (size_t i = 0; i + 37 < log.size(); ++i)
      target.apply(log[i]);
    const auto r = compare(src, target);
    CHECK(r.lost_transactions == 37);
    CHECK_FALSE(r.clean());
  }
  SECTION("a replay is skipped: exactly once")
  {
    auto target = fully_loaded(src);
    for (size_t i = 0; i < log.size(); ++i)
      target.apply(log[i]);
    for (size_t i = 1500; i < log.size(); ++i)
      CHECK_FALSE(target.apply(log[i]));
    CHECK(target.replays_skipped() == log.size() - 1500);
    CHECK(compare(src, target).clean());
  }
  SECTION("two updates of a row applied in the wrong order")
  {
    // Find two transactions updating the same product and swap them.
    size_t a = SIZE_MAX, b = SIZE_MAX;
    for (size_t i = 0; i < log.size() && b == SIZE_MAX; ++i)
      for (const auto& ch : log[i].changes)
        if (ch.table == 2 && a == SIZE_MAX)
          a = i;
        else if (ch.table == 2 && a != SIZE_MAX && i != a)
          for (const auto& c0 : log[a].changes)
            if (c0.table == 2 && c0.pk == ch.pk)
              b = i;
    REQUIRE(b != SIZE_MAX);
    auto target = fully_loaded(src);
    std::vector<Transaction> order(log.begin(), log.end());
    std::swap(order[a], order[b]);
    for (auto tx : order) {
      tx.seq = target.applied_seq() + 1;  // as a buggy applier that renumbers would
      target.apply(tx);
    }
    CHECK_FALSE(compare(src, target).clean());
  }
  SECTION("a chunk loaded twice, or one missing")
  {
    TargetDatabase twice(src.tables()), missing(src.tables());
    for (size_t i = 0; i < src.tables().size(); ++i) {
      twice.load_range(i, 1, src.tables()[i].rows);
      missing.load_range(i, 1, src.tables()[i].rows);
    }
    twice.load_range(0, 10, 20);
    missing = TargetDatabase(src.tables());
    missing.load_range(0, 1, 99);
    missing.load_range(0, 101, 100000);
    missing.load_range(1, 1, 400000);
    missing.load_range(2, 1, 20000);
    for (const auto& tx : log) {
      twice.apply(tx);
      missing.apply(tx);
    }
    CHECK_FALSE(compare(src, twice).clean());
    CHECK_FALSE(compare(src, missing).clean());
  }
}
