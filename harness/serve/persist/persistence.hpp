// `migsim serve --state-dir DIR`: the endpoint's state survives restarts. Every state-changing input
// (a mutating AWS call, a Kubernetes API write, POST /_migsim/events, POST /_migsim/clock, a chaos
// rule or effect) is journaled with the simulated time it was applied at before its answer leaves;
// the paced clock's position is journaled as it runs. A restart with the same scenario, seed and
// settings replays the journal at full speed: the simulation is deterministic, so the same inputs at
// the same simulated times rebuild the same resources, metrics and clock. /_migsim/state saves
// named snapshots (journal prefixes) that `serve --restore NAME` resumes from. docs/persistence.md.
#pragma once

#include "harness/serve/core/http_server.hpp"
#include "harness/serve/core/serve_context.hpp"
#include "harness/serve/persist/journal_file.hpp"
#include "harness/serve/persist/journal_record.hpp"
#include "harness/serve/persist/state_dir.hpp"

#include <memory>
#include <optional>
#include <string>

namespace migsim::harness::serve::persist {

// What `serve` was told about its state.
struct PersistOptions {
  std::string state_dir;  // "" : nothing is kept
  std::string restore;    // a snapshot to resume from ("" : the journal as it is)
  JournalIdentity identity;
};

// The persistence of one server (ctx.state<Persistence>(); inactive until opened).
class Persistence {
public:
  // Opens the state directory: resumes from a snapshot when asked, reads the journal (dropping a
  // torn last record with a warning on stderr), refuses one of another scenario, seed or settings,
  // and replays it into ctx. Throws StateError.
  void open(const PersistOptions& options, ServeContext& ctx);
  bool active() const { return file_.is_open(); }
  // What open() did, in one line's words (the snapshot resumed from, the records replayed).
  const std::string& summary() const { return summary_; }

  // Appends a call record (synced to the disk); false when it could not be written (the server
  // must stop then: its state would run ahead of its journal).
  bool append_call(const CallEntry& entry);
  // Journals the clock's position when it moved since the last record, at most once a wall second
  // unless forced.
  void note_clock(double now_s, bool force);
  // The journal could not be written: the endpoint stops (exit code 4).
  bool failed() const { return !failure_.empty(); }
  const std::string& failure() const { return failure_; }

  // GET / POST /_migsim/state.
  Response handle_state(const Request& req, ServeContext& ctx);

private:
  bool append(const nlohmann::json& record, bool sync);

  std::unique_ptr<StateDir> dir_;
  JournalFile file_;
  uint64_t records_ = 0;        // frames in the journal, the header included
  double journaled_s_ = 0;      // the simulated time of the last record
  ServeContext::Clock::time_point clock_noted_{};
  std::string failure_;
  std::string summary_;
  nlohmann::json opened_;       // what open() found: replayed records, torn tail, restored snapshot
};

// The router's hooks: the entry of a request that changes state, its time and counters taken
// before it is handled (nullopt when it only reads, or nothing is journaled) ...
std::optional<CallEntry> journal_entry(const Request& req, ServeContext& ctx);
// ... and, once answered, its record; a failure to write turns the answer into a 500 and stops the
// endpoint.
void journal_call(CallEntry& entry, Response& res, ServeContext& ctx);

// Whether a request changes the endpoint's state (and is journaled); its service and operation.
bool changes_state(const Request& req, std::string* service = nullptr, std::string* operation = nullptr);

}  // namespace migsim::harness::serve::persist
