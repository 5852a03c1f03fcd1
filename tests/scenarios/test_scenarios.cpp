#include <catch2/catch.hpp>

// Checks that keep the scenario files and their documentation honest: the key table in
// scenarios/README.md covers every key the loader knows, every shipped scenario loads, and the
// README's minimal example is itself a valid scenario. The migsim binary is run as a separate
// process (popen), exactly as a user would run it.

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Output {
  int exit_code = -1;
  std::string text;  // stdout and stderr, interleaved
};

// Quotes an argument for /bin/sh.
std::string shell_quote(const std::string& s)
{
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

// Runs `migsim ARGS` and returns its exit code and combined output.
Output run_migsim(const std::string& args)
{
  const std::string cmd = shell_quote(MIGSIM_BINARY) + " " + args + " 2>&1";
  Output out;
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0)
    out.text.append(buf, n);
  const int status = pclose(pipe);
  out.exit_code = (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  return out;
}

std::string read_text(const fs::path& p)
{
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const fs::path kScenarioDir = fs::path(MIGSIM_SOURCE_DIR) / "scenarios";

// The key paths (first column, between backquotes) of the `migsim scenario keys` table.
std::vector<std::string> scenario_keys()
{
  const auto out = run_migsim("scenario keys");
  INFO(out.text);
  REQUIRE(out.exit_code == 0);
  std::vector<std::string> keys;
  std::istringstream lines(out.text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("| `", 0) != 0)
      continue;
    const auto end = line.find('`', 3);
    REQUIRE(end != std::string::npos);
    keys.push_back(line.substr(3, end - 3));
  }
  return keys;
}

// The body of the first ```json fenced block of a Markdown text ("" when there is none).
std::string first_json_block(const std::string& md)
{
  std::istringstream lines(md);
  std::string line, body;
  bool inside = false;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (!inside) {
      if (line == "```json")
        inside = true;
      continue;
    }
    if (line.rfind("```", 0) == 0)
      return body;
    body += line + "\n";
  }
  return "";
}

}  // namespace

TEST_CASE("scenarios: every key printed by migsim scenario keys is documented in scenarios/README.md", "[scenarios][docs]")
{
  const auto keys = scenario_keys();
  // Guard against a vacuous pass (the table has one row per loader key, several dozen of them).
  REQUIRE(keys.size() >= 40);
  REQUIRE(std::find(keys.begin(), keys.end(), "/workload/classes/*/stages/*/cpu_ms") != keys.end());

  const std::string readme = read_text(kScenarioDir / "README.md");
  for (const auto& k : keys) {
    INFO("key " << k << " is missing from scenarios/README.md: regenerate the table with `migsim scenario keys`");
    CHECK(readme.find("`" + k + "`") != std::string::npos);
  }
}

TEST_CASE("scenarios: every scenario shipped in scenarios/ passes migsim scenario check", "[scenarios]")
{
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kScenarioDir))
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  // At least the built-in default (normal day) and Black Friday.
  REQUIRE(files.size() >= 2);

  for (const auto& f : files) {
    const auto out = run_migsim("scenario check " + shell_quote(f.string()));
    INFO(f.filename().string() << ": " << out.text);
    CHECK(out.exit_code == 0);
  }
}

TEST_CASE("scenarios: the minimal example in scenarios/README.md is a valid scenario", "[scenarios][docs]")
{
  const std::string example = first_json_block(read_text(kScenarioDir / "README.md"));
  INFO("scenarios/README.md must contain a ```json fenced block with the minimal example");
  REQUIRE(!example.empty());

  const fs::path tmp =
      fs::temp_directory_path() / ("migsim-readme-example-" + std::to_string(::getpid()) + ".json");
  {
    std::ofstream out(tmp, std::ios::binary);
    REQUIRE(out.good());
    out << example;
  }
  const auto out = run_migsim("scenario check " + shell_quote(tmp.string()));
  fs::remove(tmp);
  INFO(example << "\n" << out.text);
  CHECK(out.exit_code == 0);
}

#include "sim/scenario.hpp"

#include <regex>

// The times a shipped scenario's description states are the times its calendar puts things at:
// "flash sales at 18:00 and 20:00" are spikes starting at those local times, "the cutover at 02:00"
// is the cutover_start event at 02:00, "at 20:05" names an event at 20:05.
TEST_CASE("scenarios: the times in each description agree with the scenario's calendar", "[scenarios][clock]")
{
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(MIGSIM_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() != ".json")
      continue;
    const auto sc = migsim::sim::load_scenario_file(entry.path().string());
    INFO(entry.path().filename().string() << ": " << sc.description);
    const auto& cal = sc.calendar;
    std::smatch m;
    std::vector<std::string> spike_times, event_times;
    for (const auto& s : sc.workload.spikes)
      spike_times.push_back(cal.time_of_day(s.start_s).substr(0, 5));
    for (const auto& e : sc.events)
      event_times.push_back(cal.time_of_day(e.at_s).substr(0, 5));
    if (std::regex_search(sc.description, m, std::regex("flash sales at (\\d\\d:\\d\\d) and (\\d\\d:\\d\\d)"))) {
      // The spikes inside the run start at the stated times (a shorter window may hold only some).
      REQUIRE_FALSE(spike_times.empty());
      for (const auto& t : spike_times) {
        CHECK((t == m[1].str() || t == m[2].str()));
        ++checked;
      }
    }
    if (std::regex_search(sc.description, m, std::regex("cutover at (\\d\\d:\\d\\d)"))) {
      bool found = false;
      for (size_t i = 0; i < sc.events.size(); ++i)
        found |= sc.events[i].action == "cutover_start" && event_times[i] == m[1].str();
      CHECK(found);
      ++checked;
    }
    // "at 08:00 on ...": the run starts then.
    if (std::regex_search(sc.description, m, std::regex("^[^:]*: at (\\d\\d:\\d\\d) on"))) {
      CHECK(cal.time_of_day(0).substr(0, 5) == m[1].str());
      ++checked;
    }
    // "(16:00-22:00" / "(17:30-20:30": the window simulated.
    if (std::regex_search(sc.description, m, std::regex("\\((\\d\\d:\\d\\d)-(\\d\\d:\\d\\d)"))) {
      CHECK(cal.time_of_day(0).substr(0, 5) == m[1].str());
      CHECK(cal.time_of_day(sc.duration_s).substr(0, 5) == m[2].str());
      ++checked;
    }
    // "... at 20:05" / "at 18:05" for an injected event.
    static const std::regex event_at("(failing|lost|update of [a-z-]+) at (\\d\\d:\\d\\d)");
    for (auto it = std::sregex_iterator(sc.description.begin(), sc.description.end(), event_at);
         it != std::sregex_iterator(); ++it) {
      CHECK(std::find(event_times.begin(), event_times.end(), (*it)[2].str()) != event_times.end());
      ++checked;
    }
  }
  CHECK(checked >= 12);
}
