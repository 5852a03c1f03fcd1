#include "harness/serve/persist/persistence.hpp"

#include "harness/aws/client/crypto.hpp"
#include "harness/aws/protocol/codec.hpp"
#include "harness/serve/core/call_recorder.hpp"
#include "harness/serve/core/chaos.hpp"
#include "harness/serve/core/provisioning.hpp"
#include "harness/serve/core/router.hpp"
#include "harness/serve/persist/journal_frames.hpp"
#include "harness/serve/persist/replay.hpp"
#include "sim/json_text.hpp"

#include <iostream>
#include <sstream>

namespace migsim::harness::serve::persist {

namespace {

using nlohmann::json;

// The clock's position is journaled at most this often while the paced clock runs.
constexpr double kClockNoteWallS = 1.0;

// A journal's records, checked: whole frames, JSON payloads, a header of this identity. A torn tail
// is reported in `torn` (the caller decides what to do with it).
std::vector<json> checked_records(const std::string& bytes, const std::string& where, const JournalIdentity& identity,
                                  FrameScan& scan)
{
  scan = scan_frames(bytes);
  if (!scan.damaged.empty())
    throw StateError(where + ": " + scan.damaged);
  if (scan.payloads.empty())
    throw StateError(where + ": no header record (" + (scan.torn.empty() ? std::string("empty") : scan.torn) + ")");
  std::vector<json> records;
  for (size_t i = 0; i < scan.payloads.size(); ++i) {
    records.push_back(json::parse(scan.payloads[i], nullptr, false));
    if (records.back().is_discarded())
      throw StateError(where + ": record " + std::to_string(i) + " is not JSON");
  }
  JournalIdentity written;
  try {
    written = identity_from_header(records[0]);
  } catch (const std::invalid_argument& e) {
    throw StateError(where + ": record 0: " + e.what());
  }
  if (auto why = identity_mismatch(written, identity))
    throw StateError(where + " cannot be replayed by this server: " + *why +
                     ". Serve the scenario, seed and settings it was written for, or use another --state-dir");
  return records;
}

Response state_error(http::status status, const std::string& code, const std::string& message)
{
  return json_response(status, {{"error", code}, {"message", message}});
}

}  // namespace

void Persistence::open(const PersistOptions& o, ServeContext& ctx)
{
  dir_ = std::make_unique<StateDir>(o.state_dir);
  const std::string path = dir_->journal_path();
  opened_ = {{"restored_from", nullptr}, {"torn_record_dropped", nullptr}};
  FrameScan scan;
  if (!o.restore.empty()) {
    SnapshotInfo snap;
    const std::string bytes = dir_->snapshot_journal(o.restore, &snap);
    checked_records(bytes, "snapshot " + o.restore, o.identity, scan);
    if (!scan.torn.empty())
      throw StateError("snapshot " + o.restore + ": " + scan.torn);
    const std::string aside = dir_->supersede_journal();
    write_file_atomically(path, bytes);
    std::ostringstream line;
    line << "resumed from snapshot " << snap.name << " (" << snap.records << " records, t = " << snap.at_s << " s)"
         << (aside.empty() ? std::string() : ", the journal it replaced kept as " + aside) << "; ";
    summary_ = line.str();
    opened_["restored_from"] = snap.name;
  }
  file_.open(path, std::string(kFileMagic) + frame(header_json(o.identity).dump()));
  const std::string bytes = file_.read_all();
  const std::vector<json> records = checked_records(bytes, path, o.identity, scan);
  if (!scan.torn.empty()) {
    std::cerr << "migsim serve: warning: " << path << ": " << scan.torn << " (torn: the server stopped while writing "
              << "it, before answering its request); dropped " << bytes.size() - scan.valid_bytes << " bytes" << std::endl;
    file_.truncate(scan.valid_bytes);
    opened_["torn_record_dropped"] = scan.torn;
  }
  const auto started = ServeContext::Clock::now();
  ResourceTimeline& timeline = ctx.state<ResourceTimeline>();
  timeline.log_to_stdout(false);  // the resources were announced when they were first created
  const ReplayOutcome r = replay_records(records, path, ctx);
  timeline.log_to_stdout(true);
  records_ = records.size();
  journaled_s_ = ctx.simulation.now();
  clock_noted_ = ServeContext::Clock::now();
  const double wall_s = std::chrono::duration<double>(clock_noted_ - started).count();
  opened_["replayed"] = {{"calls", r.calls}, {"clock_records", r.clocks}, {"wall_s", wall_s}, {"at_s", journaled_s_},
                         {"diverged", r.diverged}};
  std::ostringstream line;
  line << path << ": replayed " << r.calls << " calls and " << r.clocks << " clock records in " << wall_s
       << " s to t = " << journaled_s_ << " s";
  summary_ += line.str();
  if (r.diverged > 0)
    std::cerr << "migsim serve: warning: the replay diverged from the journal " << r.diverged
              << " times; the first: " << r.first_divergence << std::endl;
}

bool Persistence::append(const json& record, bool sync)
{
  if (failed())
    return false;
  const std::string err = file_.append(frame(record.dump()), sync);
  if (!err.empty()) {
    failure_ = "cannot write " + file_.path() + ": " + err;
    std::cerr << "migsim serve: " << failure_ << "; stopping: the endpoint's state must not run ahead of its journal"
              << std::endl;
    return false;
  }
  ++records_;
  return true;
}

bool Persistence::append_call(const CallEntry& entry)
{
  if (!append(call_json(entry), true))
    return false;
  journaled_s_ = entry.after_s;
  return true;
}

void Persistence::note_clock(double now_s, bool force)
{
  if (!active() || now_s <= journaled_s_)
    return;
  const auto wall = ServeContext::Clock::now();
  if (!force && std::chrono::duration<double>(wall - clock_noted_).count() < kClockNoteWallS)
    return;
  if (append(clock_json(now_s), false)) {
    journaled_s_ = now_s;
    clock_noted_ = wall;
  }
}

Response Persistence::handle_state(const Request& req, ServeContext& ctx)
{
  const auto m = req.method();
  if (m == http::verb::get || m == http::verb::head) {
    if (!active())
      return json_response(http::status::ok, {{"state_dir", nullptr}, {"snapshots", json::array()}});
    json snapshots = json::array();
    for (const auto& s : dir_->snapshots())
      snapshots.push_back(snapshot_json(s));
    return json_response(http::status::ok,
                         {{"state_dir", dir_->dir()},
                          {"journal", {{"path", file_.path()}, {"records", records_}, {"bytes", file_.size()},
                                       {"at_s", journaled_s_}}},
                          {"opened", opened_},
                          {"snapshots", snapshots}});
  }
  if (m != http::verb::post)
    return state_error(http::status::method_not_allowed, "MethodNotAllowed",
                       std::string(req.method_string()) + " is not allowed on /_migsim/state (GET, POST)");
  if (!active())
    return state_error(http::status::conflict, "NoStateDir",
                       "serve was started without --state-dir: nothing is journaled, so there is nothing to save");
  const json body = sim::parse_wire_json(req.body());
  if (body.is_discarded() || !body.is_object() || !body.contains("save") || !body["save"].is_string())
    return state_error(http::status::bad_request, "InvalidStateRequest",
                       "body must be a JSON object {\"save\": \"NAME\"} (and \"overwrite\": true to replace one)");
  for (const auto& [k, v] : body.items())
    if (k != "save" && k != "overwrite")
      return state_error(http::status::bad_request, "InvalidStateRequest", "unknown field \"" + k + "\" (save, overwrite)");
  if (body.contains("overwrite") && !body["overwrite"].is_boolean())
    return state_error(http::status::bad_request, "InvalidStateRequest", "\"overwrite\" must be true or false");
  const std::string name = body["save"].get<std::string>();
  if (auto problem = snapshot_name_problem(name))
    return state_error(http::status::bad_request, "InvalidSnapshotName", "\"save\": " + *problem);
  if (dir_->has_snapshot(name) && !body.value("overwrite", false))
    return state_error(http::status::conflict, "SnapshotExists",
                       "snapshot '" + name + "' exists (\"overwrite\": true replaces it)");
  note_clock(ctx.simulation.now(), true);  // the snapshot holds the clock where it is now
  if (failed())
    return state_error(http::status::internal_server_error, "JournalNotWritten", failure_);
  try {
    const std::string bytes = file_.read_all();
    const SnapshotInfo info{name, records_, bytes.size(), aws::crypto::sha256_hex(bytes), journaled_s_};
    dir_->save_snapshot(info, bytes);
    return json_response(http::status::created, snapshot_json(info));
  } catch (const StateError& e) {
    return state_error(http::status::internal_server_error, "SnapshotNotSaved", e.what());
  }
}

bool changes_state(const Request& req, std::string* service, std::string* operation)
{
  const auto m = req.method();
  if (m == http::verb::options)
    return false;  // a CORS preflight
  std::string path(req.target());
  path = path.substr(0, path.find('?'));
  auto name = [&](const char* svc, std::string op) {
    if (service)
      *service = svc;
    if (operation)
      *operation = std::move(op);
    return true;
  };
  const bool reads = m == http::verb::get || m == http::verb::head;
  if (path.rfind("/_localstack/chaos/", 0) == 0)
    return !reads && name("control", std::string(req.method_string()) + " " + path);
  if (path == "/_migsim/events" || path == "/_migsim/clock")
    return m == http::verb::post && name("control", "POST " + path);
  if (path.rfind("/_migsim/eks/", 0) == 0)
    return !reads && name("kubernetes", std::string(req.method_string()) + " " + path);
  if (path.rfind("/_migsim/", 0) == 0 || path.rfind("/_localstack/", 0) == 0 || path == "/metrics")
    return false;
  try {
    const aws::WireRequest w = to_wire(req);
    const std::string svc = aws::identify_service(w);
    if (svc.empty() || !aws::find_service(svc))
      return false;
    const std::string op = aws::operation_of(svc, w);
    return !op.empty() && !read_only_operation(op) && name(svc.c_str(), op);
  } catch (const std::exception&) {
    return false;  // not an AWS call it can name: the router answers it without changing anything
  }
}

std::optional<CallEntry> journal_entry(const Request& req, ServeContext& ctx)
{
  if (!ctx.state<Persistence>().active())
    return std::nullopt;
  CallEntry e;
  if (!changes_state(req, &e.service, &e.operation))
    return std::nullopt;
  e.at_s = ctx.simulation.now();
  e.request_no = ctx.requests;
  e.chaos_draws = chaos_state(ctx).draws();
  e.tls = ctx.request_tls;
  e.request = req;
  return e;
}

void journal_call(CallEntry& entry, Response& res, ServeContext& ctx)
{
  entry.after_s = ctx.simulation.now();
  entry.status = static_cast<int>(res.result_int());
  Persistence& p = ctx.state<Persistence>();
  if (p.append_call(entry))
    return;
  res = aws_json_error(http::status::internal_server_error, "InternalFailure",
                       "migsim could not journal this call (" + p.failure() +
                           "): it is not acknowledged, and the endpoint stops",
                       "application/json");
  res.set(http::field::date, http_date(ctx.simulation.now()));
  res.set("x-amzn-RequestId", ctx.request_id);
  res.prepare_payload();
}

}  // namespace migsim::harness::serve::persist
