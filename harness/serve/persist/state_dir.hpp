// The layout of a serve --state-dir:
//   journal.bin                  the journal being written (journal_frames.hpp, journal_record.hpp)
//   journal.superseded-N.bin     a journal a --restore replaced (kept, never overwritten)
//   snapshots/NAME.bin           a named snapshot: a prefix of the journal, itself a whole journal
//   snapshots/NAME.json          its record count, byte count, SHA-256 and simulated time
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace migsim::harness::serve::persist {

// A named snapshot as its .json file describes it.
struct SnapshotInfo {
  std::string name;
  uint64_t records = 0;  // frames, the header included
  uint64_t bytes = 0;
  std::string sha256;    // of those bytes
  double at_s = 0;       // the simulated time it was saved at
};

nlohmann::json snapshot_json(const SnapshotInfo& s);

// Why a snapshot name cannot be used (nothing when it can): 1-64 letters, digits, '.', '_', '-',
// not starting with '.'.
std::optional<std::string> snapshot_name_problem(const std::string& name);

class StateDir {
public:
  // Creates the folder when absent (mode 0700: the journal holds request bodies, passwords
  // included); throws StateError.
  explicit StateDir(std::string dir);

  const std::string& dir() const { return dir_; }
  std::string journal_path() const { return dir_ + "/journal.bin"; }

  // Every snapshot, by name.
  std::vector<SnapshotInfo> snapshots() const;
  // Whether a snapshot of that name exists.
  bool has_snapshot(const std::string& name) const;
  // Stores `journal_prefix` as snapshot `info.name` (both files written atomically); throws StateError.
  void save_snapshot(const SnapshotInfo& info, const std::string& journal_prefix) const;
  // A snapshot's journal bytes, checked against its record (size and SHA-256); throws StateError.
  std::string snapshot_journal(const std::string& name, SnapshotInfo* info = nullptr) const;
  // Moves journal.bin aside as journal.superseded-N.bin (the first free N); its new path, or "" when
  // there was no journal. Throws StateError.
  std::string supersede_journal() const;

private:
  std::string snapshot_path(const std::string& name, const char* ext) const;
  std::string dir_;
};

}  // namespace migsim::harness::serve::persist
