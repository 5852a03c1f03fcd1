// End-to-end tests of `migsim compare` and `migsim run --junit`: the binary is spawned as a user
// would, on tests/data/tiny_valid.json (one minute simulated), each test in its own temp directory.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kBinary = MIGSIM_BINARY;
const std::string kTinyValid = std::string(MIGSIM_SOURCE_DIR) + "/tests/data/tiny_valid.json";

class TempDir {
public:
  TempDir()
  {
    char tmpl[] = "/tmp/migsim_cmp_XXXXXX";
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

void write_json(const std::string& path, const json& doc)
{
  std::ofstream out(path, std::ios::binary);
  out << doc.dump(2) << "\n";
  if (!out)
    throw std::runtime_error("cannot write " + path);
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
  const std::string cmd = r.command + " </dev/null >" + quote(io / "stdout") + " 2>" + quote(io / "stderr");
  const int status = std::system(cmd.c_str());
  if (status != -1 && WIFEXITED(status))
    r.exit_code = WEXITSTATUS(status);
  else if (status != -1 && WIFSIGNALED(status))
    r.exit_code = 128 + WTERMSIG(status);
  r.out = slurp(io / "stdout");
  r.err = slurp(io / "stderr");
  return r;
}

bool contains(const std::string& h, const std::string& n) { return h.find(n) != std::string::npos; }

#define REPORT(r)                                                                                                      \
  INFO("command: " << (r).command << "\nexit code: " << (r).exit_code << "\nstdout:\n" << (r).out << "\nstderr:\n"     \
                   << (r).err)

// Runs tiny_valid into DIR (seed 1) and returns DIR/summary.json.
std::string baseline(const TempDir& t, const std::string& name)
{
  const auto r = migsim({"run", kTinyValid, "-q", "--seed", "1", "--out", t / name});
  REPORT(r);
  REQUIRE(r.exit_code == 0);
  return t / name + "/summary.json";
}

// A copy of BASE with latency_ms.p99 multiplied by FACTOR (class p99 untouched).
std::string scaled_p99(const TempDir& t, const std::string& base, double factor)
{
  auto doc = json::parse(slurp(base));
  doc["latency_ms"]["p99"] = doc["latency_ms"]["p99"].get<double>() * factor;
  const auto path = t / "current.json";
  write_json(path, doc);
  return path;
}

// Minimal XML well-formedness check: prolog first, tags balanced and properly nested, no raw '&'
// outside entity references, no '<' inside attribute values. Returns "" when fine.
std::string xml_problem(const std::string& x)
{
  if (x.rfind("<?xml", 0) != 0)
    return "does not start with <?xml";
  std::vector<std::string> stack;
  size_t i = x.find("?>");
  if (i == std::string::npos)
    return "unterminated prolog";
  i += 2;
  bool seen_root = false;
  while (i < x.size()) {
    const char c = x[i];
    if (c == '&') {
      const size_t semi = x.find(';', i);
      const std::string ent = semi == std::string::npos ? "" : x.substr(i, semi - i + 1);
      if (ent != "&amp;" && ent != "&lt;" && ent != "&gt;" && ent != "&quot;" && ent != "&apos;" &&
          ent.rfind("&#", 0) != 0)
        return "bad entity at " + std::to_string(i);
      i = semi + 1;
      continue;
    }
    if (c == '>')
      return "stray '>' at " + std::to_string(i);
    if (c != '<') {
      if (stack.empty() && !std::isspace(static_cast<unsigned char>(c)))
        return "text outside the root element";
      ++i;
      continue;
    }
    // A tag: find its end, skipping quoted attribute values.
    size_t j = i + 1;
    char quote_char = 0;
    for (; j < x.size(); ++j) {
      if (quote_char) {
        if (x[j] == quote_char)
          quote_char = 0;
        else if (x[j] == '<')
          return "'<' inside an attribute value";
      } else if (x[j] == '"' || x[j] == '\'') {
        quote_char = x[j];
      } else if (x[j] == '>') {
        break;
      }
    }
    if (j >= x.size())
      return "unterminated tag";
    const std::string tag = x.substr(i + 1, j - i - 1);
    if (tag.empty())
      return "empty tag";
    if (tag[0] == '/') {
      const std::string name = tag.substr(1);
      if (stack.empty() || stack.back() != name)
        return "mismatched </" + name + ">";
      stack.pop_back();
    } else if (tag.back() != '/') {
      if (stack.empty() && seen_root)
        return "second root element";
      seen_root = true;
      stack.push_back(tag.substr(0, tag.find_first_of(" \t\n")));
    } else if (stack.empty()) {
      return "empty root element";
    }
    i = j + 1;
  }
  if (!stack.empty())
    return "unclosed <" + stack.back() + ">";
  return seen_root ? "" : "no root element";
}

size_t count(const std::string& h, const std::string& n)
{
  size_t k = 0;
  for (size_t p = h.find(n); p != std::string::npos; p = h.find(n, p + n.size()))
    ++k;
  return k;
}

}  // namespace

TEST_CASE("compare: two runs with the same seed have no regressions", "[cli][compare]")
{
  TempDir t;
  const auto base = baseline(t, "base");
  baseline(t, "again");
  const auto r = migsim({"compare", t / "base", t / "again", "--json", t / "cmp.json"});
  REPORT(r);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "0 regressions"));
  CHECK(contains(r.out, "latency_ms.p99"));
  CHECK(contains(r.out, "class.get.p99_ms"));
  CHECK(contains(r.out, "server.box.utilisation"));
  CHECK_FALSE(contains(r.out, "REGRESSION"));
  const auto j = json::parse(slurp(t / "cmp.json"));
  CHECK(j["regressions"] == 0);
  CHECK(j["metrics"].size() >= 9);
  for (const auto& m : j["metrics"])
    CHECK(m["status"] == "ok");
}

TEST_CASE("compare: p99 raised by 50 percent is a regression naming latency p99", "[cli][compare]")
{
  TempDir t;
  const auto base = baseline(t, "base");
  const auto cur = scaled_p99(t, base, 1.5);
  const auto r = migsim({"compare", base, cur, "--json", t / "cmp.json"});
  REPORT(r);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.out, "1 regressions"));
  std::istringstream lines(r.out);
  std::string line, p99_line;
  while (std::getline(lines, line))
    if (line.rfind("latency_ms.p99 ", 0) == 0)
      p99_line = line;
  CHECK(contains(p99_line, "REGRESSION"));
  CHECK(contains(p99_line, "+50.0 %"));
  const auto j = json::parse(slurp(t / "cmp.json"));
  CHECK(j["regressions"] == 1);
  for (const auto& m : j["metrics"])
    CHECK(m["status"] == (m["metric"] == "latency_ms.p99" ? "regression" : "ok"));
}

TEST_CASE("compare: p99 halved is an improvement, exit 0", "[cli][compare]")
{
  TempDir t;
  const auto base = baseline(t, "base");
  const auto r = migsim({"compare", base, scaled_p99(t, base, 0.5)});
  REPORT(r);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "0 regressions"));
  CHECK(contains(r.out, "improved"));
}

TEST_CASE("compare: a tolerance larger than the change accepts it", "[cli][compare]")
{
  TempDir t;
  const auto base = baseline(t, "base");
  const auto cur = scaled_p99(t, base, 1.5);
  auto r = migsim({"compare", base, cur, "--tolerance", "0.6"});
  REPORT(r);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "0 regressions"));
  r = migsim({"compare", "--tolerance-for", "latency_ms.p99=0.6", base, cur});
  REPORT(r);
  CHECK(r.exit_code == 0);
  r = migsim({"compare", base, cur, "--tolerance-for", "latency_ms.p95=0.6"});  // other metric: still fails
  REPORT(r);
  CHECK(r.exit_code == 1);
}

TEST_CASE("compare: a new error where there were none is a regression", "[cli][compare]")
{
  TempDir t;
  const auto base = baseline(t, "base");
  auto doc = json::parse(slurp(base));
  REQUIRE(doc["classes"][0]["rejected"] == 0);
  doc["classes"][0]["rejected"] = 1;
  write_json(t / "cur.json", doc);
  const auto r = migsim({"compare", base, t / "cur.json", "--tolerance", "100"});
  REPORT(r);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.out, "class.get.errors"));
}

TEST_CASE("compare: different scenario names warn but still compare", "[cli][compare]")
{
  TempDir t;
  const auto base = baseline(t, "base");
  auto doc = json::parse(slurp(base));
  doc["scenario"]["name"] = "other";
  write_json(t / "cur.json", doc);
  const auto r = migsim({"compare", base, t / "cur.json"});
  REPORT(r);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "warning: different scenarios"));
  CHECK(contains(r.out, "0 regressions"));
}

TEST_CASE("compare: missing or invalid input exits 2 naming the file", "[cli][compare]")
{
  TempDir t;
  const auto base = baseline(t, "base");
  auto r = migsim({"compare", base, t / "missing.json"});
  REPORT(r);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "missing.json"));
  r = migsim({"compare", t / "empty-dir-does-not-exist", base});
  REPORT(r);
  CHECK(r.exit_code == 2);
  {
    std::ofstream(t / "broken.json") << "{ not json";
  }
  r = migsim({"compare", base, t / "broken.json"});
  REPORT(r);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "broken.json"));
  auto doc = json::parse(slurp(base));
  doc.erase("latency_ms");
  write_json(t / "nolatency.json", doc);
  r = migsim({"compare", t / "nolatency.json", base});
  REPORT(r);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "nolatency.json"));
  CHECK(contains(r.err, "latency_ms"));
  r = migsim({"compare", base, base, "--tolerance-for", "nonsense"});
  REPORT(r);
  CHECK(r.exit_code == 2);
}

TEST_CASE("run --junit: one testcase per expectation and a failure for a failing one", "[cli][junit]")
{
  TempDir t;
  auto sc = json::parse(slurp(kTinyValid));
  const auto n_expect = sc["expectations"].size();
  sc["expectations"].push_back({{"name", "impossible <p50> & \"quoted\""}, {"metric", "p50_ms"}, {"max", 0.0001}});
  write_json(t / "impossible.json", sc);
  const auto r = migsim({"run", t / "impossible.json", "-q", "--out", t / "out", "--junit", t / "report.xml"});
  REPORT(r);
  CHECK(r.exit_code == 1);  // the expectation fails, and the report is still written
  const auto xml = slurp(t / "report.xml");
  INFO(xml);
  CHECK(xml_problem(xml) == "");
  CHECK(count(xml, "<testsuite ") == 1);
  CHECK(contains(xml, "<testsuite name=\"tiny-valid\""));
  CHECK(count(xml, "classname=\"migsim.tiny-valid\"") == n_expect + 1);
  CHECK(count(xml, "classname=\"migsim.tiny-valid.invariants\"") >= 1);
  CHECK(count(xml, "<failure ") == 1);
  CHECK(contains(xml, "name=\"impossible &lt;p50&gt; &amp; &quot;quoted&quot;\""));
  CHECK(contains(xml, "<failure message=\"measured "));
  CHECK(contains(xml, ", bound: max 0.0001\""));
  CHECK(contains(xml, "name=\"some requests complete\""));
  CHECK_FALSE(contains(xml, "timestamp"));

  // Deterministic: a second run writes the same bytes.
  const auto r2 = migsim({"run", t / "impossible.json", "-q", "--out", t / "out2", "--junit", t / "report2.xml"});
  CHECK(r2.exit_code == 1);
  CHECK(slurp(t / "report2.xml") == xml);
}

TEST_CASE("run --junit: passing run has no failures, unwritable path exits 4", "[cli][junit]")
{
  TempDir t;
  auto r = migsim({"run", kTinyValid, "-q", "--out", t / "out", "--junit", t / "ok.xml"});
  REPORT(r);
  CHECK(r.exit_code == 0);
  const auto xml = slurp(t / "ok.xml");
  CHECK(xml_problem(xml) == "");
  CHECK(count(xml, "<failure") == 0);
  r = migsim({"run", kTinyValid, "-q", "--out", t / "out", "--junit", std::filesystem::path("/proc/migsim-forbidden/x.xml")});
  REPORT(r);
  CHECK(r.exit_code == 4);
  CHECK(contains(r.err, "x.xml"));
}

namespace {

// A summary with a migration section: the cutover's RESULT, its downtime and duration, and the
// expectation "the cutover completes" passing or not (verdict to match).
json with_migration(json doc, const std::string& result, double downtime_s, double duration_s, double cost_usd)
{
  const bool completed = result == "completed";
  doc["migration"] = {{"cutover", {{"result", result}, {"duration_s", duration_s}}},
                      {"downtime", {{"write_downtime_s", downtime_s}}},
                      {"integrity", {{"lost_transactions", 0}}},
                      {"cost", {{"migration_total_usd", cost_usd}}}};
  doc["expectations"] = json::array({{{"name", "the cutover completes"}, {"metric", "cutover_completed"},
                                      {"measured", completed ? 1 : 0}, {"min", 1}, {"passed", completed}}});
  doc["verdict"] = completed ? "pass" : "fail";
  return doc;
}

}  // namespace

TEST_CASE("compare: an aborted cutover is a regression, its missing downtime is absent, not an improvement",
          "[cli][compare]")
{
  TempDir t;
  const auto tiny = json::parse(slurp(baseline(t, "tiny")));
  write_json(t / "base.json", with_migration(tiny, "completed", 565, 1501, 6.52));
  write_json(t / "cur.json", with_migration(tiny, "aborted", 0, 0, 9.0));
  // The cost tolerance widened as a user would to let a pricier run through: the outcome still fails.
  const auto r = migsim({"compare", t / "base.json", t / "cur.json", "--tolerance-for", "migration.cost_usd=10",
                         "--json", t / "cmp.json"});
  REPORT(r);
  CHECK(r.exit_code == 1);
  std::istringstream lines(r.out);
  std::string line;
  std::map<std::string, std::string> by_first_word;
  while (std::getline(lines, line))
    by_first_word[line.substr(0, line.find(' '))] += line + "\n";
  CHECK(contains(by_first_word["verdict"], "REGRESSION"));
  CHECK(contains(by_first_word["cutover"], "aborted"));
  CHECK(contains(by_first_word["cutover"], "REGRESSION"));
  CHECK(contains(by_first_word["expectation"], "PASS"));
  CHECK(contains(by_first_word["expectation"], "FAIL"));
  CHECK(contains(by_first_word["migration.write_downtime_s"], "absent in CURRENT (cutover aborted)"));
  CHECK(contains(by_first_word["migration.cutover_duration_s"], "absent"));
  CHECK_FALSE(contains(by_first_word["migration.write_downtime_s"], "improved"));
  CHECK_FALSE(contains(by_first_word["migration.cutover_duration_s"], "improved"));
  CHECK(contains(r.out, "3 regressions"));
  // The outcome comes before the metrics.
  CHECK(r.out.find("outcome") < r.out.find("latency_ms.p50"));
  const auto j = json::parse(slurp(t / "cmp.json"));
  CHECK(j["regressions"] == 3);
  REQUIRE(j["outcome"].size() == 3);
  CHECK(j["outcome"][1] == json({{"item", "cutover"}, {"base", "completed"}, {"current", "aborted"},
                                 {"status", "regression"}}));
  for (const auto& m : j["metrics"])
    if (m["metric"] == "migration.write_downtime_s") {
      CHECK(m["current"].is_null());
      CHECK(m["base"] == 565);
      CHECK(m["status"] == "absent");
    }

  // The other way round: a cutover that now completes is an improvement, and exits 0.
  const auto back = migsim({"compare", t / "cur.json", t / "base.json", "--tolerance-for", "migration.cost_usd=10"});
  REPORT(back);
  CHECK(back.exit_code == 0);
  CHECK(contains(back.out, "0 regressions"));
}

TEST_CASE("compare: an expectation that stops passing is a regression even with every metric in tolerance",
          "[cli][compare]")
{
  TempDir t;
  const auto base = baseline(t, "base");
  auto doc = json::parse(slurp(base));
  REQUIRE_FALSE(doc["expectations"].empty());
  doc["expectations"][0]["passed"] = false;
  doc["verdict"] = "fail";
  write_json(t / "cur.json", doc);
  const auto r = migsim({"compare", base, t / "cur.json", "--tolerance", "100"});
  REPORT(r);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.out, "2 regressions"));
}
