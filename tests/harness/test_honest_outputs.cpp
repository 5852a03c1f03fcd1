// What a user reads must not mislead, end to end through the binary: one clock (the scenario's
// calendar in the summary and the report), nothing silent (a skipped step shows in the phases
// table, a key that would be ignored is an error), a scenario built to show a failure says the
// estate fails, `run --set` for one-off what-ifs, and `compare` on real runs whose cutover aborted.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kBinary = MIGSIM_BINARY;
const std::string kSource = MIGSIM_SOURCE_DIR;
const std::string kTinyValid = kSource + "/tests/data/tiny_valid.json";

class TempDir {
public:
  TempDir()
  {
    char tmpl[] = "/tmp/migsim_honest_XXXXXX";
    const char* p = ::mkdtemp(tmpl);
    if (!p)
      throw std::runtime_error("mkdtemp failed");
    path_ = p;
  }
  ~TempDir()
  {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

std::string quote(const std::string& s)
{
  std::string q = "'";
  for (char c : s)
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string slurp(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json read_json(const std::string& path) { return json::parse(slurp(path)); }

void write_json(const std::string& path, const json& doc)
{
  std::ofstream out(path, std::ios::binary);
  out << doc.dump(2) << "\n";
}

struct Result {
  int exit_code = -1;
  std::string out, err, command;
};

Result migsim(const std::vector<std::string>& args)
{
  TempDir io;
  Result r;
  r.command = quote(kBinary);
  for (const auto& a : args)
    r.command.append(" ").append(quote(a));
  const int status = std::system((r.command + " </dev/null >" + quote(io / "o") + " 2>" + quote(io / "e")).c_str());
  if (status != -1 && WIFEXITED(status))
    r.exit_code = WEXITSTATUS(status);
  r.out = slurp(io / "o");
  r.err = slurp(io / "e");
  return r;
}

bool contains(const std::string& h, const std::string& n) { return h.find(n) != std::string::npos; }

#define REPORT(r)                                                                                                      \
  INFO("command: " << (r).command << "\nexit code: " << (r).exit_code << "\nstdout:\n" << (r).out << "\nstderr:\n"     \
                   << (r).err)

// The lift-and-shift scenario shrunk to run in seconds (rows / 100, 1 GB disks), with EVENTS.
json small_cutover(double duration_s, const json& events)
{
  auto d = read_json(kSource + "/scenarios/lift-and-shift-cutover.json");
  d["name"] = "small-cutover";
  d["duration_s"] = duration_s;
  for (auto& t : d["migration"]["database"]["tables"])
    t["rows"] = t["rows"].get<unsigned long long>() / 100;
  for (auto& s : d["migration"]["mgn"]["servers"])
    s["disk_gb"] = 1;
  d["events"] = events;
  return d;
}

}  // namespace

TEST_CASE("run --set changes one key for the run and records it; a bad setting exits 2", "[cli][set]")
{
  TempDir t;
  auto r = migsim({"run", kTinyValid, "-q", "--out", t / "base"});
  REPORT(r);
  REQUIRE(r.exit_code == 0);
  r = migsim({"run", kTinyValid, "--set", "workload.base_rps=60", "--set", "platform.servers.box.cores=4", "--out",
              t / "set"});
  REPORT(r);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "with --set workload.base_rps=60"));
  const auto base = read_json(t / "base/summary.json"), set = read_json(t / "set/summary.json");
  CHECK(set["scenario"]["set"] == json({"workload.base_rps=60", "platform.servers.box.cores=4"}));
  CHECK_FALSE(base["scenario"].contains("set"));
  // Three times the rate: about three times the arrivals (Poisson over a minute: well within 30 %).
  const double ratio = set["requests"]["arrivals"].get<double>() / base["requests"]["arrivals"].get<double>();
  CHECK(ratio > 2.3);
  CHECK(ratio < 3.7);
  CHECK(set["servers"][0]["cores"] == 4);

  r = migsim({"run", kTinyValid, "--set", "workload.nope.x=1", "--out", t / "bad"});
  REPORT(r);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "--set workload.nope.x=1"));
  r = migsim({"run", kTinyValid, "--set", "workload.base_rps=-5", "--out", t / "bad"});
  REPORT(r);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "/workload/base_rps"));  // validated as strictly as the file
  r = migsim({"run", kTinyValid, "--set", "workload.base_rps=5,6", "--out", t / "bad"});
  REPORT(r);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "one value only"));
  CHECK_FALSE(fs::exists(t / "bad"));
}

TEST_CASE("aws.edge is an error, not a key silently ignored", "[cli][strict]")
{
  TempDir t;
  auto d = read_json(kSource + "/scenarios/aws-asis-black-friday.json");
  d["aws"]["edge"] = {{"cloudfront", json::object()}};
  write_json(t / "edge.json", d);
  const auto r = migsim({"scenario", "check", t / "edge.json"});
  REPORT(r);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "/aws/edge: is not read"));
  CHECK(contains(r.err, "top-level \"edge\""));
}

TEST_CASE("the summary and the report say times on the scenario's calendar", "[cli][clock]")
{
  TempDir t;
  auto d = read_json(kTinyValid);
  d["start"] = "2025-11-28T16:00:00-03:00";
  d["duration_s"] = 180;
  write_json(t / "dated.json", d);
  auto r = migsim({"run", t / "dated.json", "--out", t / "out"});
  REPORT(r);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "clock      2025-11-28 16:00:00 to 2025-11-28 16:03:00 UTC-03:00"));
  const auto s = read_json(t / "out/summary.json");
  CHECK(s["scenario"]["start"] == "2025-11-28T16:00:00-03:00");
  CHECK(s["scenario"]["end"] == "2025-11-28T16:03:00-03:00");
  const auto html = slurp(t / "out/report.html");
  CHECK(contains(html, "from 2025-11-28 16:00:00 to 2025-11-28 16:03:00 (UTC-03:00"));

  // A scenario without a start is on the documented default calendar.
  r = migsim({"run", kTinyValid, "--out", t / "default"});
  REPORT(r);
  CHECK(read_json(t / "default/summary.json")["scenario"]["start"] == "2025-01-01T00:00:00Z");
}

TEST_CASE("a scenario built to show a failure says the estate fails its SLOs", "[cli][verdict]")
{
  TempDir t;
  auto d = read_json(kTinyValid);
  // Overload the box (600 req/s of 5 ms on 2 cores): saturation is the failure this variant shows.
  d["workload"]["base_rps"] = 600;
  d["expectations"] = json::array({{{"name", "the box saturates"}, {"metric", "utilisation"}, {"server", "box"},
                                    {"min", 0.9}, {"pins_failure", true}},
                                   {{"name", "some requests complete"}, {"metric", "completed"}, {"min", 1}}});
  write_json(t / "overload.json", d);
  auto r = migsim({"run", t / "overload.json", "--out", t / "out"});
  REPORT(r);
  REQUIRE(r.exit_code == 0);  // the run showed what it is meant to show
  CHECK(contains(r.out, "FAILS (pinned)  the box saturates"));
  CHECK(contains(r.out, "PASS  some requests complete"));
  CHECK(contains(r.out, "the estate FAILS its SLOs"));
  const auto s = read_json(t / "out/summary.json");
  CHECK(s["failure_reproduced"] == true);
  CHECK(s["expectations"][0]["pins_failure"] == true);
  const auto html = slurp(t / "out/report.html");
  CHECK(contains(html, "THE ESTATE FAILS ITS SLOs"));
  CHECK(contains(html, "class=\"verdict reproduced\""));
  CHECK_FALSE(contains(html, "<div class=\"big\">PASS</div>"));
  CHECK(contains(html, "<span class=\"tag pinned\">FAILS (pinned)</span>"));

  // The same bound without the overload: the failure is not reproduced, and that is a FAIL.
  d["workload"]["base_rps"] = 20;
  write_json(t / "calm.json", d);
  r = migsim({"run", t / "calm.json", "--out", t / "calm"});
  REPORT(r);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.out, "FAIL (failure not reproduced)"));
  CHECK(read_json(t / "calm/summary.json")["failure_reproduced"] == false);

  // The shipped on-prem Black Friday marks the expectations that pin its failure.
  const auto bf = read_json(kSource + "/scenarios/onprem-black-friday.json");
  int pinned = 0;
  for (const auto& e : bf["expectations"])
    pinned += e.value("pins_failure", false);
  CHECK(pinned == 4);
}

TEST_CASE("a skipped test launch shows in the phases table and the report; compare calls the aborted cutover a "
          "regression",
          "[cli][migration][slow]")
{
  TempDir t;
  // The test launch at 5 min (no server is ready: replication has just started), the cutover at 10.
  write_json(t / "early.json", small_cutover(1800, json::array({{{"at_s", 300}, {"action", "test_launch"}},
                                                                {{"at_s", 600}, {"action", "cutover_start"}}})));
  auto r = migsim({"run", t / "early.json", "--out", t / "out"});
  REPORT(r);
  std::string phase_line;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);)
    if (contains(line, "MGN test launch"))
      phase_line = line;
  CHECK(contains(phase_line, "2025-10-14 08:05:00"));
  CHECK(contains(phase_line, "SKIPPED"));
  CHECK(contains(phase_line, "not every server is ready for test"));
  const auto s = read_json(t / "out/summary.json");
  bool skipped = false;
  for (const auto& p : s["migration"]["phases"])
    skipped |= p["name"] == "MGN test launch" && p["status"] == "skipped";
  CHECK(skipped);
  REQUIRE(s["migration"]["cutover"]["result"] == "aborted");
  const auto html = slurp(t / "out/report.html");
  CHECK(contains(html, "<b>SKIPPED</b>"));

  // Against the committed baseline of the full scenario (cutover completed): the outcome regressed,
  // whatever the tolerance, and the downtime that never happened is absent, not an improvement.
  r = migsim({"compare", kSource + "/tests/baselines/lift-and-shift-cutover.json", t / "out", "--tolerance", "1000"});
  REPORT(r);
  CHECK(r.exit_code == 1);
  std::istringstream cmp(r.out);
  for (std::string line; std::getline(cmp, line);) {
    if (line.rfind("cutover ", 0) == 0)
      CHECK(contains(line, "REGRESSION"));
    if (line.rfind("migration.write_downtime_s", 0) == 0 || line.rfind("migration.cutover_duration_s", 0) == 0) {
      CHECK(contains(line, "absent in CURRENT (cutover aborted)"));
      CHECK_FALSE(contains(line, "improved"));
    }
  }
}

TEST_CASE("compare-estates aligns runs by calendar time and says so", "[cli][clock]")
{
  TempDir t;
  auto d = read_json(kTinyValid);
  d["duration_s"] = 7200;
  d["start"] = "2025-11-28T16:00:00-03:00";
  write_json(t / "a.json", d);
  d["duration_s"] = 3600;
  d["start"] = "2025-11-28T17:00:00-03:00";  // starts an hour later
  write_json(t / "b.json", d);
  for (const char* n : {"a", "b"}) {
    const auto r = migsim({"run", t / (std::string(n) + ".json"), "-q", "--out", t / n});
    REPORT(r);
    REQUIRE(r.exit_code == 0);
  }
  const auto r = migsim({"compare-estates", t / "a", t / "b", "--json", t / "estates.json"});
  REPORT(r);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "aligned by calendar time"));
  std::string row16, row17;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (contains(line, "  2025-11-28 16:00"))
      row16 = line;
    if (contains(line, "  2025-11-28 17:00"))
      row17 = line;
  }
  // 16:00-17:00 only run a simulated; 17:00-18:00 both, side by side (not b's first hour beside a's).
  CHECK_FALSE(row16.empty());
  CHECK(row16.substr(row16.find_last_not_of(' ')) == "-");
  CHECK_FALSE(row17.empty());
  CHECK_FALSE(contains(row17.substr(30), " -"));
  const auto j = read_json(t / "estates.json");
  CHECK(j["estates"][1]["start"] == "2025-11-28T17:00:00-03:00");
  CHECK(j["estates"][1]["by_calendar_hour"][0]["hour"] == "2025-11-28T17:00:00-03:00");
}
