// End-to-end tests of the migsim command line: the binary is spawned as a user would, its exit
// code, stdout and stderr are captured, and summary.json / timeseries.csv are read back.
//
// Every test works in its own mkdtemp directory, so the test cases can run in parallel (ctest -j).
// Scenarios are tiny (one server, one minute or two simulated), so each test takes milliseconds.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kBinary = MIGSIM_BINARY;
const std::string kSourceDir = MIGSIM_SOURCE_DIR;
const std::string kTinyValid = kSourceDir + "/tests/data/tiny_valid.json";
const std::string kBadDir = kSourceDir + "/tests/data/bad_scenarios";

// A fresh directory under /tmp, removed with everything in it when the test ends.
class TempDir {
public:
  TempDir()
  {
    char tmpl[] = "/tmp/migsim_cli_XXXXXX";
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

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

std::string quote(const std::string& s)
{
  std::string q = "'";
  for (char c : s) {
    if (c == '\'')
      q.append("'\\''");
    else
      q.push_back(c);
  }
  q.push_back('\'');
  return q;
}

std::string slurp(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const std::string& path, const std::string& text)
{
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out)
    throw std::runtime_error("cannot write " + path);
}

json read_json(const std::string& path) { return json::parse(slurp(path)); }

void write_json(const std::string& path, const json& doc) { write_text(path, doc.dump(2) + "\n"); }

struct Result {
  int exit_code = -1;  // 128 + signal when the process was killed by a signal
  std::string out;
  std::string err;
  std::string command;
};

// Runs migsim with the given arguments (each shell-quoted), capturing stdout and stderr.
Result migsim(const std::vector<std::string>& args)
{
  TempDir io;
  Result r;
  r.command = quote(kBinary);
  for (const auto& a : args)
    r.command.append(" ").append(quote(a));
  std::string cmd = r.command;
  cmd.append(" </dev/null >").append(quote(io / "stdout")).append(" 2>").append(quote(io / "stderr"));
  const int status = std::system(cmd.c_str());
  if (status != -1 && WIFEXITED(status))
    r.exit_code = WEXITSTATUS(status);
  else if (status != -1 && WIFSIGNALED(status))
    r.exit_code = 128 + WTERMSIG(status);
  r.out = slurp(io / "stdout");
  r.err = slurp(io / "stderr");
  return r;
}

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

#define REPORT(r)                                                                                                      \
  INFO("command: " << (r).command << "\nexit code: " << (r).exit_code << "\nstdout:\n" << (r).out << "\nstderr:\n"     \
                   << (r).err)

// Sum of one column of timeseries.csv.
double column_sum(const std::string& csv_text, const std::string& column)
{
  std::istringstream in(csv_text);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  {
    std::istringstream h(line);
    std::string cell;
    while (std::getline(h, cell, ','))
      header.push_back(cell);
  }
  const auto it = std::find(header.begin(), header.end(), column);
  if (it == header.end())
    throw std::runtime_error("no column " + column + " in timeseries.csv");
  const auto idx = static_cast<size_t>(it - header.begin());
  double sum = 0;
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string cell;
    for (size_t i = 0; std::getline(row, cell, ','); ++i)
      if (i == idx)
        sum += std::stod(cell);
  }
  return sum;
}

// Request conservation, failure breakdown and Little's law, as read back from summary.json.
void check_accounting(const json& s)
{
  INFO("summary.json:\n" << s.dump(2));
  const auto& q = s.at("requests");
  const auto arrivals = q.at("arrivals").get<unsigned long long>();
  const auto completed = q.at("completed").get<unsigned long long>();
  const auto failed = q.at("failed").get<unsigned long long>();
  const auto in_flight = q.at("in_flight").get<unsigned long long>();
  CHECK(arrivals > 0);
  CHECK(arrivals == completed + failed + in_flight);
  CHECK(failed == q.at("rejected").get<unsigned long long>() + q.at("timeouts").get<unsigned long long>() +
                      q.at("server_errors").get<unsigned long long>());

  // The per-class counts add up to the totals.
  unsigned long long class_arrivals = 0, class_completed = 0;
  for (const auto& c : s.at("classes")) {
    class_arrivals += c.at("arrivals").get<unsigned long long>();
    class_completed += c.at("completed").get<unsigned long long>();
  }
  CHECK(class_arrivals == arrivals);
  CHECK(class_completed == completed);

  // Little's law: L = lambda * W, lambda being the measured arrival rate.
  const auto& ll = s.at("littles_law");
  const double duration = s.at("scenario").at("duration_s").get<double>();
  const double L = ll.at("L").get<double>();
  const double lambda = ll.at("lambda_per_s").get<double>();
  const double W = ll.at("W_s").get<double>();
  CHECK(lambda == Approx(static_cast<double>(arrivals) / duration).epsilon(1e-8));
  CHECK(L > 0);
  CHECK(std::abs(L - lambda * W) <= 0.01 * L);
  CHECK(ll.at("relative_error").get<double>() <= 0.01);

  // Every invariant the simulator checked held, and the three expected ones are there.
  std::set<std::string> names;
  for (const auto& inv : s.at("invariants")) {
    INFO("invariant " << inv.dump());
    CHECK(inv.at("held").get<bool>());
    names.insert(inv.at("name").get<std::string>());
  }
  CHECK(names.count("request_conservation") == 1);
  CHECK(names.count("failure_breakdown") == 1);
  CHECK(names.count("littles_law") == 1);
  CHECK(s.at("verdict") != "invariant_violated");
}

// tiny_valid.json with a server_down event mid-run. The stages carry no request bytes and the
// zone has no LAN latency, so requests reach the server without a network hop (see the
// known-bug test below for the variant with hops).
json server_down_variant()
{
  json doc = read_json(kTinyValid);
  doc["name"] = "tiny-server-down";
  doc["duration_s"] = 120;
  doc["platform"]["zones"][0]["lan_latency_ms"] = 0;
  doc["workload"]["classes"][0]["stages"][0]["request_kb"] = 0;
  doc["events"] = json::array({{{"at_s", 40}, {"action", "server_down"}, {"target", "box"}},
                               {{"at_s", 80}, {"action", "server_up"}, {"target", "box"}}});
  return doc;
}

struct BadCase {
  std::string file;     // under tests/data/bad_scenarios
  std::string pointer;  // JSON pointer the error must name
  std::string message;  // substring of the reason
};

const std::vector<BadCase> kBadCases = {
    {"unknown_top_level_key.json", "/sead", "unknown key (did you mean \"seed\"?)"},
    // A misspelled *required* key is reported as the missing key it was meant to be.
    {"misspelled_required_key.json", "/duration_s", "required number is missing"},
    {"unknown_nested_key.json", "/platform/servers/0/ram_gib", "unknown key (did you mean \"ram_gb\"?)"},
    {"cores_wrong_type.json", "/platform/servers/0/cores", "must be an integer, got string"},
    {"cores_zero.json", "/platform/servers/0/cores", "must be >= 1, got 0"},
    {"cores_negative.json", "/platform/servers/0/cores", "must be >= 1, got -4"},
    {"start_hour_replaced.json", "/workload/start_hour", "replaced by the scenario's top-level \"start\""},
    {"start_no_such_date.json", "/start", "no such date: \"2025-11-31T16:00:00Z\""},
    {"region_not_a_name.json", "/region", "'eu west 1' is not a region name"},
    {"region_differs_from_aws.json", "/aws/region", "'us-east-1' differs from the scenario's region 'eu-west-1'"},
    {"missing_workload_section.json", "/workload", "required section is missing"},
    {"missing_base_rps.json", "/workload/base_rps", "required number is missing"},
    {"service_unknown_server.json", "/platform/services/0/server", "unknown server \"bxo\""},
    {"stage_unknown_service.json", "/workload/classes/0/stages/0/service", "unknown service \"api\""},
    {"event_unknown_target.json", "/events/0/target", "unknown server \"db\""},
    {"event_after_end.json", "/events/0/at_s", "is after the end of the run"},
    {"spike_after_end.json", "/workload/spikes/1/start_s", "starts at or after the end of the run (duration_s = 60)"},
    {"expectation_unknown_class.json", "/expectations/0/class", "unknown request class \"checkout\""},
    {"duplicate_server_name.json", "/platform/servers/1/name", "duplicate server name \"box\""},
    {"daily_curve_23_values.json", "/workload/daily_curve", "must have 24 values, got 23"},
    {"bad_cpu_dist_enum.json", "/workload/classes/0/stages/0/cpu_dist",
     "must be one of exponential, constant, lognormal, got \"gaussian\""},
    {"top_level_not_object.json", "/", "must be an object, got array"},
    {"invalid_json_trailing_comma.json", "/", "invalid JSON at line 7, column"},
    {"invalid_json_truncated.json", "/", "invalid JSON at line 10, column 1"},
};

}  // namespace

TEST_CASE("cli: each bad scenario exits 2 naming the file and the JSON pointer", "[cli][bad-input]")
{
  const BadCase c = GENERATE(from_range(kBadCases));
  const std::string file = kBadDir + "/" + c.file;
  // The whole line is "migsim: FILE: POINTER: reason".
  const std::string prefix = "migsim: " + file + ": " + c.pointer + ": ";

  for (const std::string cmd : {"scenario check", "run"}) {
    TempDir out;
    const Result r = cmd == "run" ? migsim({"run", file, "--out", out / "o", "-q"}) : migsim({"scenario", "check", file});
    REPORT(r);
    INFO("expected stderr to contain: " << prefix << c.message);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, prefix));
    CHECK(contains(r.err, c.message));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);  // one line, no stack trace
    CHECK(r.out.empty());
    CHECK_FALSE(fs::exists(out / "o"));  // nothing written for a scenario that never ran
  }
}

TEST_CASE("cli: the bad-scenario table covers every file in tests/data/bad_scenarios", "[cli][bad-input]")
{
  std::set<std::string> in_table, on_disk;
  for (const auto& c : kBadCases)
    in_table.insert(c.file);
  for (const auto& e : fs::directory_iterator(kBadDir))
    if (e.path().extension() == ".json")
      on_disk.insert(e.path().filename().string());
  CHECK(in_table == on_disk);
  CHECK(on_disk.size() >= 12);
}

TEST_CASE("cli: scenario check accepts tiny_valid.json and stops at the first bad file", "[cli][bad-input]")
{
  const Result ok = migsim({"scenario", "check", kTinyValid});
  {
    REPORT(ok);
    CHECK(ok.exit_code == 0);
    CHECK(contains(ok.out, kTinyValid + ": ok (tiny-valid)"));
    CHECK(ok.err.empty());
  }
  const std::string bad = kBadDir + "/cores_zero.json";
  const Result mixed = migsim({"scenario", "check", kTinyValid, bad, kTinyValid});
  REPORT(mixed);
  CHECK(mixed.exit_code == 2);
  CHECK(contains(mixed.out, kTinyValid + ": ok"));
  CHECK(contains(mixed.err, "migsim: " + bad + ": /platform/servers/0/cores:"));
}

TEST_CASE("cli: --help of each command exits 0 and prints usage", "[cli][usage]")
{
  struct HelpCase {
    std::vector<std::string> args;
    std::string usage;
  };
  for (const auto& [args, usage] : std::vector<HelpCase>{{{"--help"}, "SUBCOMMAND"},
                                                         {{"run", "--help"}, "[scenario]"},
                                                         {{"scenario", "--help"}, "SUBCOMMAND"},
                                                         {{"scenario", "check", "--help"}, "files"}}) {
    const Result r = migsim(args);
    REPORT(r);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "Usage:"));
    CHECK(contains(r.out, usage));
  }
  const Result run_help = migsim({"run", "--help"});
  CHECK(contains(run_help.out, "--seed"));
  CHECK(contains(run_help.out, "--out"));
  CHECK(contains(run_help.out, "--quiet"));
}

TEST_CASE("cli: a bad command line exits 2", "[cli][usage]")
{
  TempDir out;
  SECTION("unknown flag")
  {
    const Result r = migsim({"run", kTinyValid, "--bogus", "--out", out / "o"});
    REPORT(r);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "--bogus"));
  }
  SECTION("non-numeric --seed")
  {
    const Result r = migsim({"run", kTinyValid, "--seed", "abc", "--out", out / "o"});
    REPORT(r);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "--seed"));
    CHECK(contains(r.err, "abc"));
  }
  SECTION("negative --seed")
  {
    const Result r = migsim({"run", kTinyValid, "--seed", "-3", "--out", out / "o"});
    REPORT(r);
    CHECK(r.exit_code == 2);
  }
  SECTION("no subcommand")
  {
    const Result r = migsim({});
    REPORT(r);
    CHECK(r.exit_code == 2);
  }
  SECTION("unknown subcommand of scenario")
  {
    const Result r = migsim({"scenario", "frobnicate"});
    REPORT(r);
    CHECK(r.exit_code == 2);
  }
  SECTION("scenario check without files")
  {
    const Result r = migsim({"scenario", "check"});
    REPORT(r);
    CHECK(r.exit_code == 2);
  }
  CHECK_FALSE(fs::exists(out / "o"));
}

TEST_CASE("cli: a missing scenario file exits 2 and names the file", "[cli][bad-input]")
{
  TempDir dir;
  const std::string missing = dir / "no-such-scenario.json";
  for (const std::string cmd : {"run", "check"}) {
    const Result r = cmd == "run" ? migsim({"run", missing, "--out", dir / "o", "-q"}) : migsim({"scenario", "check", missing});
    REPORT(r);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "migsim: " + missing + ": "));
    CHECK(contains(r.err, "cannot open scenario file"));
  }
  CHECK_FALSE(fs::exists(dir / "o"));
}

TEST_CASE("cli: a run is deterministic for a given seed", "[cli][determinism]")
{
  TempDir dir;
  const Result a = migsim({"run", kTinyValid, "--out", dir / "A", "-q"});
  const Result b = migsim({"run", kTinyValid, "--out", dir / "B", "-q"});
  {
    REPORT(a);
    REQUIRE(a.exit_code == 0);
  }
  {
    REPORT(b);
    REQUIRE(b.exit_code == 0);
  }
  CHECK(a.out == b.out);
  const std::string summary_a = slurp(dir / "A/summary.json");
  const std::string series_a = slurp(dir / "A/timeseries.csv");
  REQUIRE_FALSE(summary_a.empty());
  REQUIRE_FALSE(series_a.empty());
  CHECK(summary_a == slurp(dir / "B/summary.json"));
  CHECK(series_a == slurp(dir / "B/timeseries.csv"));

  // --seed equal to the scenario's own seed changes nothing.
  const Result same = migsim({"run", kTinyValid, "--seed", "1", "--out", dir / "S", "-q"});
  REPORT(same);
  REQUIRE(same.exit_code == 0);
  CHECK(summary_a == slurp(dir / "S/summary.json"));
}

TEST_CASE("cli: --seed changes the results", "[cli][determinism]")
{
  TempDir dir;
  const Result a = migsim({"run", kTinyValid, "--out", dir / "A", "-q"});
  const Result b = migsim({"run", kTinyValid, "--seed", "7", "--out", dir / "B", "-q"});
  {
    REPORT(a);
    REQUIRE(a.exit_code == 0);
  }
  {
    REPORT(b);
    REQUIRE(b.exit_code == 0);
  }
  const std::string text_a = slurp(dir / "A/summary.json"), text_b = slurp(dir / "B/summary.json");
  CHECK(text_a != text_b);
  const json sa = json::parse(text_a), sb = json::parse(text_b);
  CHECK(sa.at("scenario").at("seed") == 1);
  CHECK(sb.at("scenario").at("seed") == 7);
  // Not only the seed field: the simulated traffic itself differs.
  CHECK(sa.at("latency_ms") != sb.at("latency_ms"));
  CHECK(sa.at("requests") != sb.at("requests"));
  // Same seed 7 again: identical.
  const Result c = migsim({"run", kTinyValid, "--seed", "7", "--out", dir / "C", "-q"});
  REPORT(c);
  REQUIRE(c.exit_code == 0);
  CHECK(text_b == slurp(dir / "C/summary.json"));
}

TEST_CASE("cli: exit 0 and verdict pass when every expectation holds", "[cli][expectations]")
{
  TempDir dir;
  const Result r = migsim({"run", kTinyValid, "--out", dir / "o", "-q"});
  REPORT(r);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "PASS tiny-valid\n");
  CHECK(r.err.empty());
  const json s = read_json(dir / "o/summary.json");
  CHECK(s.at("verdict") == "pass");
  REQUIRE(s.at("expectations").size() == 2);
  for (const auto& e : s.at("expectations")) {
    INFO(e.dump());
    CHECK(e.at("passed").get<bool>());
  }
  CHECK(s.at("expectations")[0].at("name") == "some requests complete");
  CHECK(s.at("expectations")[0].at("measured").get<double>() ==
        static_cast<double>(s.at("requests").at("completed").get<unsigned long long>()));
  CHECK(s.at("expectations")[1].at("measured").get<double>() == s.at("latency_ms").at("p99").get<double>());

  // Without -q the summary is printed, with the verdict line.
  const Result loud = migsim({"run", kTinyValid, "--out", dir / "loud"});
  REPORT(loud);
  CHECK(loud.exit_code == 0);
  CHECK(contains(loud.out, "verdict: PASS (2/2 expectations)"));
  CHECK(contains(loud.out, dir / "loud/summary.json"));
}

TEST_CASE("cli: exit 1 and verdict fail with the measured value when an expectation fails", "[cli][expectations]")
{
  TempDir dir;
  json doc = read_json(kTinyValid);
  REQUIRE(doc.at("expectations")[1].at("metric") == "p99_ms");
  doc["expectations"][1]["max"] = 0.001;  // a p99 of 1 microsecond: impossible
  const std::string scenario = dir / "impossible.json";
  write_json(scenario, doc);

  const Result r = migsim({"run", scenario, "--out", dir / "o", "-q"});
  REPORT(r);
  REQUIRE(r.exit_code == 1);
  CHECK(r.out == "FAIL tiny-valid\n");
  const json s = read_json(dir / "o/summary.json");
  INFO(s.dump(2));
  CHECK(s.at("verdict") == "fail");
  REQUIRE(s.at("expectations").size() == 2);
  const auto& passing = s.at("expectations")[0];
  const auto& failing = s.at("expectations")[1];
  CHECK(passing.at("passed").get<bool>());
  CHECK_FALSE(failing.at("passed").get<bool>());
  CHECK(failing.at("name") == "p99 latency bound");
  CHECK(failing.at("metric") == "p99_ms");
  CHECK(failing.at("max").get<double>() == 0.001);
  const double measured = failing.at("measured").get<double>();
  CHECK(measured > 0.001);
  CHECK(measured == s.at("latency_ms").at("p99").get<double>());
  // The invariants still held: a failed expectation is not an invariant violation.
  check_accounting(s);

  // The full report names the failing expectation and its value.
  const Result loud = migsim({"run", scenario, "--out", dir / "loud"});
  REPORT(loud);
  CHECK(loud.exit_code == 1);
  CHECK(contains(loud.out, "FAIL  p99 latency bound"));
  CHECK(contains(loud.out, "verdict: FAIL (1/2 expectations)"));
}

TEST_CASE("cli: requests are conserved and Little's law holds", "[cli][invariants]")
{
  TempDir dir;
  const Result r = migsim({"run", kTinyValid, "--out", dir / "o", "-q"});
  REPORT(r);
  REQUIRE(r.exit_code == 0);
  const json s = read_json(dir / "o/summary.json");
  check_accounting(s);
  CHECK(s.at("requests").at("failed") == 0);

  // The time series carries the same totals.
  const std::string csv = slurp(dir / "o/timeseries.csv");
  INFO(csv);
  CHECK(column_sum(csv, "arrivals") == static_cast<double>(s.at("requests").at("arrivals").get<unsigned long long>()));
  CHECK(column_sum(csv, "completed") == static_cast<double>(s.at("requests").at("completed").get<unsigned long long>()));
}

TEST_CASE("cli: server_down mid-run gives server errors and keeps requests conserved", "[cli][invariants][faults]")
{
  TempDir dir;
  const std::string scenario = dir / "server-down.json";
  write_json(scenario, server_down_variant());
  const Result r = migsim({"run", scenario, "--out", dir / "o", "-q"});
  REPORT(r);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));  // expectations may fail; the run must not
  const json s = read_json(dir / "o/summary.json");
  INFO(s.dump(2));
  const auto& q = s.at("requests");
  CHECK(q.at("server_errors").get<unsigned long long>() > 0);
  CHECK(q.at("completed").get<unsigned long long>() > 0);
  check_accounting(s);

  // Errors happen only while the server is down (minute 0 from 40 s, minute 1 until 80 s),
  // and the series adds up to the totals.
  const std::string csv = slurp(dir / "o/timeseries.csv");
  INFO(csv);
  CHECK(column_sum(csv, "arrivals") == static_cast<double>(q.at("arrivals").get<unsigned long long>()));
  CHECK(column_sum(csv, "completed") == static_cast<double>(q.at("completed").get<unsigned long long>()));
  CHECK(column_sum(csv, "errors") == static_cast<double>(q.at("failed").get<unsigned long long>()));
  // Roughly the 40 s of downtime out of 120 s fail (Poisson arrivals at 20/s: about 800 of 2400).
  const double error_rate = q.at("error_rate").get<double>();
  CHECK(error_rate > 0.2);
  CHECK(error_rate < 0.5);
}

// Regression: a request whose next hop goes to a server that is down used to start a SimGrid Comm
// to a turned-off host, and SimGrid aborted ("Assertion to_->is_on() failed", exit 134).
TEST_CASE("cli: server_down with network hops does not crash the run", "[cli][invariants][faults]")
{
  TempDir dir;
  json doc = read_json(kTinyValid);
  doc["events"] = json::array({{{"at_s", 30}, {"action", "server_down"}, {"target", "box"}}});
  const std::string scenario = dir / "server-down-hops.json";
  write_json(scenario, doc);
  const Result r = migsim({"run", scenario, "--out", dir / "o", "-q"});
  REPORT(r);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  const json s = read_json(dir / "o/summary.json");
  CHECK(s.at("requests").at("server_errors").get<unsigned long long>() > 0);
  check_accounting(s);
}

TEST_CASE("cli: an unwritable output directory exits 4", "[cli][output]")
{
  SECTION("under /proc")
  {
    const Result r = migsim({"run", kTinyValid, "--out", "/proc/forbidden", "-q"});
    REPORT(r);
    CHECK(r.exit_code == 4);
    CHECK(contains(r.err, "/proc/forbidden"));
  }
  SECTION("a regular file where the directory should be")
  {
    TempDir dir;
    write_text(dir / "file", "not a directory\n");
    const Result r = migsim({"run", kTinyValid, "--out", dir / "file", "-q"});
    REPORT(r);
    CHECK(r.exit_code == 4);
    CHECK(contains(r.err, dir / "file"));
    CHECK(slurp(dir / "file") == "not a directory\n");
  }
}

// Regression: the reported column used to be one past the offending character (nlohmann's
// parse_error::byte is 1-based).
TEST_CASE("cli: invalid JSON is reported at the offending character", "[cli][bad-input]")
{
  TempDir dir;
  write_text(dir / "comma.json", "{\"a\": 1,}");  // '}' is column 9
  write_text(dir / "lines.json", "{\n\n  ]");     // ']' is line 3, column 3
  const Result comma = migsim({"scenario", "check", dir / "comma.json"});
  {
    REPORT(comma);
    CHECK(comma.exit_code == 2);
    CHECK(contains(comma.err, "/: invalid JSON at line 1, column 9:"));
  }
  const Result lines = migsim({"scenario", "check", dir / "lines.json"});
  REPORT(lines);
  CHECK(lines.exit_code == 2);
  CHECK(contains(lines.err, "/: invalid JSON at line 3, column 3:"));
}
