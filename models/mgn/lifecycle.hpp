// MGN source-server lifecycle and data-replication states, declared as transition tables: every
// move the model makes is looked up here, so an undocumented move is impossible by construction.
//
// Lifecycle (REFERENCE.md "MGN"): DISCOVERED -> PENDING_INSTALLATION -> NOT_READY ->
// READY_FOR_TEST -> TESTING -> READY_FOR_CUTOVER -> CUTTING_OVER -> CUTOVER -> DISCONNECTED,
// archived later. Decisions where REFERENCE.md is silent, taken from the MGN API reference:
// - StartTest from READY_FOR_TEST or TESTING (a new test replaces the previous test instance).
// - StartCutover only from READY_FOR_CUTOVER (the documented path is test -> mark ready for
//   cutover -> cutover); a failed cutover launch goes back to READY_FOR_CUTOVER, a failed test
//   launch back to READY_FOR_TEST.
// - ChangeServerLifeCycleState: READY_FOR_CUTOVER from READY_FOR_TEST or TESTING; READY_FOR_TEST
//   from TESTING or READY_FOR_CUTOVER (only for launchable servers, as the API says).
// - FinalizeCutover only from CUTOVER. MarkAsArchived from DISCONNECTED or CUTOVER (the API
//   reference: "only works for SourceServers with a lifecycle.state which equals DISCONNECTED or
//   CUTOVER"). TerminateTargetInstances not in TESTING, CUTTING_OVER or CUTOVER (API reference).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace migsim::models::mgn {

enum class LifeCycleState {
  DISCOVERED,
  PENDING_INSTALLATION,
  NOT_READY,
  READY_FOR_TEST,
  TESTING,
  READY_FOR_CUTOVER,
  CUTTING_OVER,
  CUTOVER,
  DISCONNECTED,
};

enum class DataReplicationState {
  STOPPED,
  INITIATING,
  INITIAL_SYNC,
  BACKLOG,
  CREATING_SNAPSHOT,
  CONTINUOUS,
  PAUSED,
  RESCAN,  // declared by the API; not reached by this model (no rescan after agent restarts)
  STALLED,
  DISCONNECTED,
};

// What moves a lifecycle: MGN API operations (named as in the API) and model events.
enum class LifeCycleEvent {
  InstallAgent,                // agent installation starts
  AgentInstalled,              // model: agent_install_s later
  BecameLaunchable,            // model: initial sync done and first snapshot taken
  StartTest,
  TestLaunchFailed,            // model: the test launch job failed
  MarkReadyForCutover,         // ChangeServerLifeCycleState(READY_FOR_CUTOVER)
  RevertToReadyForTest,        // ChangeServerLifeCycleState(READY_FOR_TEST)
  StartCutover,
  CutoverLaunched,             // model: the cutover launch job completed
  CutoverLaunchFailed,         // model: the cutover launch job failed
  FinalizeCutover,
  MarkAsArchived,              // sets the archived flag; state unchanged
  TerminateTargetInstances,    // starts a TERMINATE job; state unchanged
};

struct LifeCycleMove {
  LifeCycleEvent event;
  LifeCycleState from;
  LifeCycleState to;
};

// The documented lifecycle moves; anything else is an IllegalTransition.
inline constexpr LifeCycleMove kLifeCycleMoves[] = {
    {LifeCycleEvent::InstallAgent, LifeCycleState::DISCOVERED, LifeCycleState::PENDING_INSTALLATION},
    {LifeCycleEvent::AgentInstalled, LifeCycleState::PENDING_INSTALLATION, LifeCycleState::NOT_READY},
    {LifeCycleEvent::BecameLaunchable, LifeCycleState::NOT_READY, LifeCycleState::READY_FOR_TEST},
    {LifeCycleEvent::StartTest, LifeCycleState::READY_FOR_TEST, LifeCycleState::TESTING},
    {LifeCycleEvent::StartTest, LifeCycleState::TESTING, LifeCycleState::TESTING},
    {LifeCycleEvent::TestLaunchFailed, LifeCycleState::TESTING, LifeCycleState::READY_FOR_TEST},
    {LifeCycleEvent::MarkReadyForCutover, LifeCycleState::READY_FOR_TEST, LifeCycleState::READY_FOR_CUTOVER},
    {LifeCycleEvent::MarkReadyForCutover, LifeCycleState::TESTING, LifeCycleState::READY_FOR_CUTOVER},
    {LifeCycleEvent::RevertToReadyForTest, LifeCycleState::TESTING, LifeCycleState::READY_FOR_TEST},
    {LifeCycleEvent::RevertToReadyForTest, LifeCycleState::READY_FOR_CUTOVER, LifeCycleState::READY_FOR_TEST},
    {LifeCycleEvent::StartCutover, LifeCycleState::READY_FOR_CUTOVER, LifeCycleState::CUTTING_OVER},
    {LifeCycleEvent::CutoverLaunched, LifeCycleState::CUTTING_OVER, LifeCycleState::CUTOVER},
    {LifeCycleEvent::CutoverLaunchFailed, LifeCycleState::CUTTING_OVER, LifeCycleState::READY_FOR_CUTOVER},
    {LifeCycleEvent::FinalizeCutover, LifeCycleState::CUTOVER, LifeCycleState::DISCONNECTED},
    {LifeCycleEvent::MarkAsArchived, LifeCycleState::CUTOVER, LifeCycleState::CUTOVER},
    {LifeCycleEvent::MarkAsArchived, LifeCycleState::DISCONNECTED, LifeCycleState::DISCONNECTED},
    {LifeCycleEvent::TerminateTargetInstances, LifeCycleState::NOT_READY, LifeCycleState::NOT_READY},
    {LifeCycleEvent::TerminateTargetInstances, LifeCycleState::READY_FOR_TEST, LifeCycleState::READY_FOR_TEST},
    {LifeCycleEvent::TerminateTargetInstances, LifeCycleState::READY_FOR_CUTOVER, LifeCycleState::READY_FOR_CUTOVER},
    {LifeCycleEvent::TerminateTargetInstances, LifeCycleState::DISCONNECTED, LifeCycleState::DISCONNECTED},
};

struct ReplicationMove {
  DataReplicationState from;
  DataReplicationState to;
};

// The data-replication moves the model may make (Stage 1 -> Stage 2, stalls, pauses, finalize).
inline constexpr ReplicationMove kReplicationMoves[] = {
    {DataReplicationState::STOPPED, DataReplicationState::INITIATING},
    {DataReplicationState::INITIATING, DataReplicationState::INITIAL_SYNC},
    {DataReplicationState::INITIAL_SYNC, DataReplicationState::CREATING_SNAPSHOT},
    {DataReplicationState::INITIAL_SYNC, DataReplicationState::STALLED},
    {DataReplicationState::INITIAL_SYNC, DataReplicationState::PAUSED},
    {DataReplicationState::CREATING_SNAPSHOT, DataReplicationState::CONTINUOUS},
    {DataReplicationState::CREATING_SNAPSHOT, DataReplicationState::BACKLOG},
    {DataReplicationState::CREATING_SNAPSHOT, DataReplicationState::STALLED},
    {DataReplicationState::CREATING_SNAPSHOT, DataReplicationState::PAUSED},
    {DataReplicationState::CONTINUOUS, DataReplicationState::BACKLOG},
    {DataReplicationState::CONTINUOUS, DataReplicationState::STALLED},
    {DataReplicationState::CONTINUOUS, DataReplicationState::PAUSED},
    {DataReplicationState::CONTINUOUS, DataReplicationState::DISCONNECTED},
    {DataReplicationState::BACKLOG, DataReplicationState::CONTINUOUS},
    {DataReplicationState::BACKLOG, DataReplicationState::STALLED},
    {DataReplicationState::BACKLOG, DataReplicationState::PAUSED},
    {DataReplicationState::BACKLOG, DataReplicationState::DISCONNECTED},
    {DataReplicationState::STALLED, DataReplicationState::INITIAL_SYNC},
    {DataReplicationState::STALLED, DataReplicationState::CREATING_SNAPSHOT},
    {DataReplicationState::STALLED, DataReplicationState::CONTINUOUS},
    {DataReplicationState::STALLED, DataReplicationState::BACKLOG},
    {DataReplicationState::STALLED, DataReplicationState::PAUSED},
    {DataReplicationState::STALLED, DataReplicationState::DISCONNECTED},
    {DataReplicationState::PAUSED, DataReplicationState::INITIAL_SYNC},
    {DataReplicationState::PAUSED, DataReplicationState::CREATING_SNAPSHOT},
    {DataReplicationState::PAUSED, DataReplicationState::CONTINUOUS},
    {DataReplicationState::PAUSED, DataReplicationState::BACKLOG},
    {DataReplicationState::PAUSED, DataReplicationState::STALLED},
    {DataReplicationState::PAUSED, DataReplicationState::DISCONNECTED},
};

// API name of a lifecycle state.
constexpr std::string_view to_string(LifeCycleState s)
{
  constexpr std::string_view names[] = {"DISCOVERED",        "PENDING_INSTALLATION", "NOT_READY",
                                        "READY_FOR_TEST",    "TESTING",              "READY_FOR_CUTOVER",
                                        "CUTTING_OVER",      "CUTOVER",              "DISCONNECTED"};
  return names[static_cast<int>(s)];
}

// API name of a data-replication state.
constexpr std::string_view to_string(DataReplicationState s)
{
  constexpr std::string_view names[] = {"STOPPED",    "INITIATING", "INITIAL_SYNC", "BACKLOG", "CREATING_SNAPSHOT",
                                        "CONTINUOUS", "PAUSED",     "RESCAN",       "STALLED", "DISCONNECTED"};
  return names[static_cast<int>(s)];
}

// Operation name as a user would request it (API name, or "model: ..." for internal events).
constexpr std::string_view to_string(LifeCycleEvent e)
{
  constexpr std::string_view names[] = {"InstallAgent",
                                        "model: agent installed",
                                        "model: became launchable",
                                        "StartTest",
                                        "model: test launch failed",
                                        "ChangeServerLifeCycleState(READY_FOR_CUTOVER)",
                                        "ChangeServerLifeCycleState(READY_FOR_TEST)",
                                        "StartCutover",
                                        "model: cutover launched",
                                        "model: cutover launch failed",
                                        "FinalizeCutover",
                                        "MarkAsArchived",
                                        "TerminateTargetInstances"};
  return names[static_cast<int>(e)];
}

// Where the lifecycle goes when event happens in state from; nullopt when the table has no move.
constexpr std::optional<LifeCycleState> lifecycle_next(LifeCycleEvent event, LifeCycleState from)
{
  for (const auto& m : kLifeCycleMoves)
    if (m.event == event && m.from == from)
      return m.to;
  return std::nullopt;
}

// True when the replication table allows from -> to (staying put is always allowed).
constexpr bool replication_move_allowed(DataReplicationState from, DataReplicationState to)
{
  if (from == to)
    return true;
  for (const auto& m : kReplicationMoves)
    if (m.from == from && m.to == to)
      return true;
  return false;
}

// States from which the table allows event, as "A, B" (for error messages).
inline std::string allowed_from(LifeCycleEvent event)
{
  std::string out;
  for (const auto& m : kLifeCycleMoves)
    if (m.event == event)
      out += (out.empty() ? "" : ", ") + std::string(to_string(m.from));
  return out.empty() ? "nowhere" : out;
}

// A request the lifecycle does not allow in its current state (MGN answers ConflictException).
class IllegalTransition : public std::runtime_error {
public:
  IllegalTransition(const std::string& server_id, LifeCycleState state, std::string operation, const std::string& why)
      : std::runtime_error(server_id + ": " + operation + " is not allowed in lifecycle state " +
                           std::string(to_string(state)) + " (" + why + ")"),
        state_(state), operation_(std::move(operation))
  {}
  LifeCycleState state() const { return state_; }
  const std::string& operation() const { return operation_; }

private:
  LifeCycleState state_;
  std::string operation_;
};

}  // namespace migsim::models::mgn
