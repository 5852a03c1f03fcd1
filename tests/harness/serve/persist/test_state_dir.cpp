// The state directory on disk: the journal file created whole, locked against a second server,
// appended and cut; snapshots saved, listed, checked against their record and refused when
// altered; journals a restore replaces kept under new names.
#include "harness/aws/client/crypto.hpp"
#include "harness/serve/persist/journal_file.hpp"
#include "harness/serve/persist/journal_frames.hpp"
#include "harness/serve/persist/state_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace migsim::harness::serve::persist;
namespace fs = std::filesystem;

namespace {

// A fresh folder under the system's temporary directory, removed at the end of the test.
struct TempDir {
  std::string path = (fs::temp_directory_path() / ("migsim-state-" + std::to_string(::getpid()) + "-" +
                                                   std::to_string(reinterpret_cast<uintptr_t>(this))))
                         .string();
  TempDir() { fs::remove_all(path); }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("state dir: the journal file is created whole, locked, appended and cut", "[persist]")
{
  TempDir tmp;
  StateDir dir(tmp.path + "/state");
  CHECK((fs::status(dir.dir()).permissions() & fs::perms::all) == fs::perms::owner_all);
  const std::string initial = std::string(kFileMagic) + frame("{\"kind\":\"header\"}");
  JournalFile file;
  file.open(dir.journal_path(), initial);
  CHECK(file.read_all() == initial);
  CHECK(file.size() == initial.size());
  CHECK((fs::status(dir.journal_path()).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));

  JournalFile second;
  CHECK_THROWS_WITH(second.open(dir.journal_path(), initial), Catch::Contains("in use by another process"));

  CHECK(file.append(frame("{\"kind\":\"clock\",\"at_s\":1}"), true).empty());
  CHECK(scan_frames(file.read_all()).payloads.size() == 2);
  file.truncate(initial.size());
  CHECK(file.read_all() == initial);
  CHECK(file.size() == initial.size());
}

TEST_CASE("state dir: an existing journal is opened as it is, not rewritten", "[persist]")
{
  TempDir tmp;
  StateDir dir(tmp.path);
  const std::string written = std::string(kFileMagic) + frame("{\"kind\":\"header\"}") + frame("{}");
  write_file_atomically(dir.journal_path(), written);
  JournalFile file;
  file.open(dir.journal_path(), "ignored");
  CHECK(file.read_all() == written);
}

TEST_CASE("state dir: snapshots are saved, listed and checked against their record", "[persist]")
{
  TempDir tmp;
  StateDir dir(tmp.path);
  const std::string bytes = std::string(kFileMagic) + frame("{\"kind\":\"header\"}") + frame("{\"kind\":\"clock\",\"at_s\":60}");
  dir.save_snapshot({"evening", 2, bytes.size(), migsim::aws::crypto::sha256_hex(bytes), 60}, bytes);
  dir.save_snapshot({"after-dns", 2, bytes.size(), migsim::aws::crypto::sha256_hex(bytes), 60}, bytes);
  const auto list = dir.snapshots();
  REQUIRE(list.size() == 2);
  CHECK(list[0].name == "after-dns");  // by name
  CHECK(list[1].name == "evening");
  CHECK(list[1].at_s == 60);
  CHECK(dir.has_snapshot("evening"));

  SnapshotInfo info;
  CHECK(dir.snapshot_journal("evening", &info) == bytes);
  CHECK(info.records == 2);

  CHECK_THROWS_WITH(dir.snapshot_journal("nope"), Catch::Contains("no snapshot 'nope'") &&
                                                      Catch::Contains("there are: after-dns, evening"));
  {
    std::ofstream altered(tmp.path + "/snapshots/evening.bin", std::ios::binary | std::ios::app);
    altered << "x";
  }
  CHECK_THROWS_WITH(dir.snapshot_journal("evening"), Catch::Contains("changed or damaged"));
}

TEST_CASE("state dir: a replaced journal is kept under the first free number", "[persist]")
{
  TempDir tmp;
  StateDir dir(tmp.path);
  CHECK(dir.supersede_journal().empty());  // nothing to keep
  write_file_atomically(dir.journal_path(), "first");
  CHECK(dir.supersede_journal() == dir.dir() + "/journal.superseded-1.bin");
  write_file_atomically(dir.journal_path(), "second");
  CHECK(dir.supersede_journal() == dir.dir() + "/journal.superseded-2.bin");
  CHECK(!fs::exists(dir.journal_path()));
  CHECK(read_file(dir.dir() + "/journal.superseded-1.bin") == "first");
  CHECK_THROWS_WITH(read_file(dir.dir() + "/none.bin"), Catch::Contains("cannot read"));
}
