// Running a sweep: variants written as scenario files, each run by a `migsim run` child process,
// at most --jobs at a time; then each variant directory is read back as a row.
#include "harness/sweep/sweep.hpp"

#include "harness/run/output_file.hpp"
#include "harness/run/run_command.hpp"
#include "sim/json_text.hpp"
#include "sim/json_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sys/wait.h>
#include <unistd.h>

namespace migsim::harness::sweep {

namespace fs = std::filesystem;

namespace {

std::string variant_dir_name(size_t index)
{
  char buf[32];
  std::snprintf(buf, sizeof buf, "%03zu", index);
  return buf;
}


void write_file(const fs::path& p, const std::string& text)
{
  write_text_file(p.string(), text);
}

// Starts `migsim run SCENARIO --out DIR -q` with its output in DIR/run.log.
pid_t spawn_run(const std::string& binary, const fs::path& dir)
{
  const std::string scenario = (dir / "scenario.json").string(), out = dir.string(), log = (dir / "run.log").string();
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    execl(binary.c_str(), "migsim", "run", scenario.c_str(), "--out", out.c_str(), "-q", static_cast<char*>(nullptr));
    std::fprintf(stderr, "cannot run %s: %s\n", binary.c_str(), std::strerror(errno));
    _exit(127);
  }
  if (pid < 0)
    throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  return pid;
}

// When a value needs a key the base scenario does not have (eks.provisioner=karpenter needs
// eks.karpenter), how to give it to every variant; empty when the error's path exists.
std::string missing_key_hint(const nlohmann::json& doc, const std::string& pointer)
{
  const nlohmann::json* cur = &doc;
  std::string dotted;
  for (size_t pos = 1; pos < pointer.size();) {
    const auto slash = pointer.find('/', pos);
    const std::string step = pointer.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    dotted += (dotted.empty() ? "" : ".") + step;
    const bool index = !step.empty() && step.find_first_not_of("0123456789") == std::string::npos;
    if (cur->is_array() && index && std::stoul(step) < cur->size())
      cur = &(*cur)[std::stoul(step)];
    else if (cur->is_object() && cur->contains(step))
      cur = &(*cur)[step];
    else
      return ". " + dotted + " is not in the scenario: give it to every variant with a one-value axis, --set '" +
             dotted + "=<JSON>' (the keys the message names), or sweep a scenario that has it";
    if (slash == std::string::npos)
      break;
    pos = slash + 1;
  }
  return "";
}

// A variant directory read back (params.json, exit_code, summary.json, scenario.json).
Row read_row(const fs::path& dir)
{
  Row r;
  const auto params = read_json(dir / "params.json");
  r.index = params.at("index").get<size_t>();
  for (const auto& p : params.at("params"))
    r.params.emplace_back(p.at("path").get<std::string>(), p.at("value"));
  std::ifstream code(dir / "exit_code");
  if (!(code >> r.exit_code))
    r.exit_code = -1;
  r.verdict = "error";
  if (incomplete_run_reason(dir.string()))
    r.exit_code = -1;  // killed before its outputs were complete: no result
  if (fs::exists(dir / "summary.json") && (r.exit_code == 0 || r.exit_code == 1 || r.exit_code == 3)) {
    const auto s = read_json(dir / "summary.json");
    r.verdict = s.value("verdict", std::string("error"));
    const auto& p99 = s.at("latency_ms").at("p99");
    r.p99_ms = p99.is_number() ? p99.get<double>() : std::nan("");
    r.error_rate = s.at("requests").value("error_rate", 0.0);
    r.missed = missed_slos(s);
    r.met_slos = r.verdict != "invariant_violated" && r.missed.empty();
    if (r.verdict == "invariant_violated")
      r.missed.insert(r.missed.begin(), "an invariant was violated: the results cannot be trusted (see summary.json)");
    if (s.contains("cost_per_month_usd") && s["cost_per_month_usd"].is_number()) {
      r.cost_per_month_usd = s["cost_per_month_usd"].get<double>();
      r.cost_basis = "model";
    }
  }
  if (r.cost_per_month_usd < 0 && fs::exists(dir / "scenario.json")) {
    r.cost_per_month_usd = ec2_equivalent_monthly_usd(read_json(dir / "scenario.json"));
    r.cost_basis = "ec2-equivalent";
  }
  r.dir = dir.string();
  return r;
}

}  // namespace

nlohmann::json read_json(const fs::path& p)
{
  std::string text;
  try {
    text = sim::read_input_file(p.string(), "file");
  } catch (const sim::InputFileError& e) {
    throw SweepInputError(e.what());
  }
  sim::JsonTextError err;
  auto doc = sim::parse_json_text(text, sim::JsonTextLimits{}, &err);
  if (doc.is_discarded())
    throw SweepInputError(p.string() + ": invalid JSON: " + err.describe());
  return doc;
}

nlohmann::json build_variant(const nlohmann::json& base, const std::vector<Axis>& axes, size_t index,
                             const std::string& scenario_path)
{
  auto doc = base;
  std::string described;
  for (const auto& [path, value] : variant_params(axes, index)) {
    apply_path(doc, path, value);
    described += (described.empty() ? "" : ", ") + path + "=" + value.dump();
  }
  try {
    parse_full_scenario(doc, scenario_path);
  } catch (const sim::InputError& e) {
    throw SweepInputError("variant " + std::to_string(index) + " (" + described + "): " + e.what() +
                          missing_key_hint(doc, e.path()));
  }
  return doc;
}

std::vector<Row> run_sweep(const Options& o, const std::string& binary)
{
  const auto base = read_json(o.scenario_path);
  const size_t n = variant_count(o.axes);
  std::vector<size_t> indices;
  if (o.only_index) {
    if (*o.only_index >= n)
      throw SweepInputError("--index " + std::to_string(*o.only_index) + ": the grid has " + std::to_string(n) +
                            " variants (0.." + std::to_string(n - 1) + ")");
    indices.push_back(*o.only_index);
  } else {
    for (size_t i = 0; i < n; ++i)
      indices.push_back(i);
  }
  // Build and validate every variant before running any.
  std::vector<fs::path> dirs;
  for (size_t i : indices) {
    const auto doc = build_variant(base, o.axes, i, o.scenario_path);
    const auto params = variant_params(o.axes, i);
    const fs::path dir = fs::path(o.out_dir) / "variants" / variant_dir_name(i);
    fs::create_directories(dir);
    write_file(dir / "scenario.json", doc.dump(2) + "\n");
    auto plist = nlohmann::json::array();
    for (const auto& [path, value] : params)
      plist.push_back({{"path", path}, {"value", value}});
    write_file(dir / "params.json", nlohmann::json{{"index", i}, {"params", plist}}.dump(2) + "\n");
    fs::remove(dir / "exit_code");
    dirs.push_back(dir);
  }
  // Run them, at most `jobs` at a time.
  std::map<pid_t, fs::path> running;
  size_t next = 0, done = 0;
  const size_t jobs = static_cast<size_t>(std::max(1, o.jobs));
  while (done < dirs.size()) {
    while (next < dirs.size() && running.size() < jobs) {
      running[spawn_run(binary, dirs[next])] = dirs[next];
      ++next;
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0)
      throw std::runtime_error(std::string("waitpid failed: ") + std::strerror(errno));
    const auto it = running.find(pid);
    if (it == running.end())
      continue;
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    write_file(it->second / "exit_code", std::to_string(code) + "\n");
    ++done;
    // Why the variant missed its SLOs, under the run's own output in its run.log.
    const Row row = read_row(it->second);
    if (!row.met_slos) {
      std::ofstream log(it->second / "run.log", std::ios::app);
      if (row.missed.empty())
        log << "sweep: no result (exit " << code << "): see the lines above\n";
      for (const auto& m : row.missed)
        log << "sweep: SLO missed: " << m << "\n";
    }
    if (!o.quiet)
      std::cout << "  [" << done << "/" << dirs.size() << "] variant " << it->second.filename().string() << ": "
                << (row.met_slos          ? std::string("met its SLOs")
                    : code == 3           ? std::string("invariant violated")
                    : row.missed.empty()  ? "no result (exit " + std::to_string(code) + ", see its run.log)"
                                          : "missed " + row.missed.front() +
                                               (row.missed.size() > 1 ? " (+" + std::to_string(row.missed.size() - 1) +
                                                                            " more in its run.log)" : ""))
                << std::endl;
    running.erase(it);
  }
  std::vector<Row> rows;
  for (const auto& d : dirs)
    rows.push_back(read_row(d));
  return rows;
}

std::vector<Row> collect_rows(const std::vector<std::string>& dirs)
{
  std::map<size_t, Row> by_index;
  auto add = [&](const fs::path& d) {
    auto r = read_row(d);
    by_index.emplace(r.index, std::move(r));
  };
  for (const auto& d : dirs) {
    if (fs::exists(fs::path(d) / "params.json")) {
      add(d);
    } else if (fs::is_directory(fs::path(d) / "variants")) {
      std::vector<fs::path> subs;
      for (const auto& e : fs::directory_iterator(fs::path(d) / "variants"))
        if (fs::exists(e.path() / "params.json"))
          subs.push_back(e.path());
      std::sort(subs.begin(), subs.end());
      for (const auto& s : subs)
        add(s);
    } else {
      throw SweepInputError(d + ": neither a sweep output (variants/) nor a variant directory (params.json)");
    }
  }
  std::vector<Row> rows;
  for (auto& [i, r] : by_index)
    rows.push_back(std::move(r));
  return rows;
}

}  // namespace migsim::harness::sweep
