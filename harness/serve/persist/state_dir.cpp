#include "harness/serve/persist/state_dir.hpp"

#include "harness/aws/client/crypto.hpp"
#include "harness/serve/persist/journal_file.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

namespace migsim::harness::serve::persist {

namespace fs = std::filesystem;
using nlohmann::json;

json snapshot_json(const SnapshotInfo& s)
{
  return {{"name", s.name}, {"records", s.records}, {"bytes", s.bytes}, {"sha256", s.sha256}, {"at_s", s.at_s}};
}

std::optional<std::string> snapshot_name_problem(const std::string& name)
{
  const bool ok = !name.empty() && name.size() <= 64 && name[0] != '.' &&
                  std::all_of(name.begin(), name.end(), [](unsigned char c) {
                    return std::isalnum(c) || c == '.' || c == '_' || c == '-';
                  });
  if (ok)
    return std::nullopt;
  return "a snapshot name is 1 to 64 letters, digits, '.', '_' or '-', not starting with '.'";
}

StateDir::StateDir(std::string dir) : dir_(std::move(dir))
{
  while (dir_.size() > 1 && dir_.back() == '/')
    dir_.pop_back();
  std::error_code ec;
  const bool created = fs::create_directories(dir_, ec);
  if (!ec)
    fs::create_directories(dir_ + "/snapshots", ec);
  if (ec)
    throw StateError("cannot create the state directory " + dir_ + ": " + ec.message());
  if (created)  // a folder the user made keeps the mode they gave it
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::replace, ec);
}

std::string StateDir::snapshot_path(const std::string& name, const char* ext) const
{
  return dir_ + "/snapshots/" + name + ext;
}

namespace {

SnapshotInfo snapshot_from(const std::string& path, const json& j)
{
  try {
    return {j.at("name").get<std::string>(), j.at("records").get<uint64_t>(), j.at("bytes").get<uint64_t>(),
            j.at("sha256").get<std::string>(), j.at("at_s").get<double>()};
  } catch (const json::exception& e) {
    throw StateError(path + ": not a snapshot record (" + std::string(e.what()) + ")");
  }
}

}  // namespace

std::vector<SnapshotInfo> StateDir::snapshots() const
{
  std::vector<SnapshotInfo> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_ + "/snapshots", ec)) {
    const fs::path p = entry.path();
    if (p.extension() != ".json" || snapshot_name_problem(p.stem().string()))
      continue;
    const json j = json::parse(read_file(p.string()), nullptr, false);
    if (!j.is_discarded())
      out.push_back(snapshot_from(p.string(), j));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

bool StateDir::has_snapshot(const std::string& name) const
{
  std::error_code ec;
  return fs::exists(snapshot_path(name, ".json"), ec);
}

void StateDir::save_snapshot(const SnapshotInfo& info, const std::string& journal_prefix) const
{
  // The journal copy first: a snapshot record never names bytes that are not there.
  write_file_atomically(snapshot_path(info.name, ".bin"), journal_prefix);
  write_file_atomically(snapshot_path(info.name, ".json"), snapshot_json(info).dump(2) + "\n");
}

std::string StateDir::snapshot_journal(const std::string& name, SnapshotInfo* info) const
{
  if (!has_snapshot(name)) {
    std::string known;
    for (const auto& s : snapshots())
      known += (known.empty() ? "" : ", ") + s.name;
    throw StateError("no snapshot '" + name + "' in " + dir_ + "/snapshots (" +
                     (known.empty() ? std::string("there are none") : "there are: " + known) + ")");
  }
  const std::string meta_path = snapshot_path(name, ".json");
  const json j = json::parse(read_file(meta_path), nullptr, false);
  if (j.is_discarded())
    throw StateError(meta_path + ": not JSON");
  const SnapshotInfo s = snapshot_from(meta_path, j);
  const std::string bytes = read_file(snapshot_path(name, ".bin"));
  if (bytes.size() != s.bytes || aws::crypto::sha256_hex(bytes) != s.sha256)
    throw StateError(snapshot_path(name, ".bin") + " does not match its record (" + std::to_string(bytes.size()) +
                     " bytes, expected " + std::to_string(s.bytes) + " with SHA-256 " + s.sha256.substr(0, 12) +
                     "...): the snapshot was changed or damaged");
  if (info)
    *info = s;
  return bytes;
}

std::string StateDir::supersede_journal() const
{
  std::error_code ec;
  if (!fs::exists(journal_path(), ec))
    return "";
  for (int n = 1;; ++n) {
    const std::string aside = dir_ + "/journal.superseded-" + std::to_string(n) + ".bin";
    if (fs::exists(aside, ec))
      continue;
    fs::rename(journal_path(), aside, ec);
    if (ec)
      throw StateError("cannot move " + journal_path() + " aside: " + ec.message());
    return aside;
  }
}

}  // namespace migsim::harness::serve::persist
