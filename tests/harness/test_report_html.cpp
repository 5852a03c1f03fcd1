// The HTML report from hand-built inputs: self-contained, generic over series names (a model's new
// capacity_<unit> family gets its chart without any change here), migration sections when present,
// and timeseries.csv read back with label sets holding commas.
#include "harness/report/html_report.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

using namespace migsim::harness;
using nlohmann::json;

namespace {

json summary()
{
  return {{"schema_version", 1},
          {"scenario", {{"name", "hand-built <run>"}, {"seed", 3}, {"duration_s", 600}}},
          {"requests", {{"arrivals", 1000}, {"failed", 20}, {"error_rate", 0.02}}},
          {"latency_ms", {{"p50", 40}, {"p95", 90}, {"p99", 1500}}},
          {"servers", json::array({{{"name", "web"}, {"cores", 2}, {"utilisation", 0.5}, {"peak_minute_utilisation", 0.95}}})},
          {"expectations", json::array({{{"name", "p99 under 1 s"}, {"metric", "p99_ms"}, {"measured", 1500},
                                         {"max", 1000}, {"passed", false}}})},
          {"verdict", "fail"}};
}

SeriesTable table()
{
  SeriesTable t;
  t.columns = {"minute", "arrivals", "completed", "errors", "p50_ms", "p95_ms", "p99_ms",
               "capacity_pods{deployment=api,namespace=shop}", "capacity_pods{deployment=web,namespace=shop}",
               "alb_active_connections"};
  for (int i = 0; i < 10; ++i)
    t.rows.push_back({double(i), 100, 98, 2, 40, 90, 1500, double(2 + i / 3), 3, double(10 * i)});
  return t;
}

// Chart titles in the page.
std::vector<std::string> titles(const std::string& page)
{
  std::vector<std::string> out;
  const std::regex re("class=\"ctitle\"[^>]*>([^<]*)<");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

}  // namespace

TEST_CASE("report: the page is self-contained and leads with the verdict and the failed bound")
{
  const auto page = html_report(summary(), table());
  CHECK(page.find("hand-built &lt;run&gt;") != std::string::npos);
  CHECK(page.find("<section class=\"verdict fail\"") < page.find("<svg"));
  CHECK(page.find("p99 under 1 s: 1.50 s (bound ≤ 1.00 s)") != std::string::npos);
  CHECK(page.find("card bad") != std::string::npos);
  // Nothing fetched: no src/href to another host, no external stylesheet or script.
  CHECK(page.find("src=") == std::string::npos);
  CHECK(page.find("<link") == std::string::npos);
  const auto without_ns = std::regex_replace(page, std::regex("http://www.w3.org/2000/svg"), "");
  CHECK(without_ns.find("http") == std::string::npos);
}

TEST_CASE("report: unknown series families are drawn, capacity ones in the capacity section")
{
  const auto page = html_report(summary(), table());
  const auto t = titles(page);
  CHECK(std::find(t.begin(), t.end(), "Capacity: pods by deployment (pods)") != t.end());
  CHECK(std::find(t.begin(), t.end(), "alb active connections (per minute)") != t.end());
  // One line per label set, labelled by the values.
  CHECK(page.find(">api, shop</text>") != std::string::npos);
  CHECK(page.find(">web, shop</text>") != std::string::npos);
  // No migration section without a migration.
  CHECK(page.find("id=\"migration\"") == std::string::npos);
}

TEST_CASE("report: a migration adds the timeline with downtime shaded and the cutover close-up")
{
  auto s = summary();
  s["migration"] = {{"phases", json::array({{{"name", "DMS full load"}, {"start_s", 0}, {"end_s", 200}, {"duration_s", 200}, {"detail", ""}},
                                            {{"name", "cutover"}, {"start_s", 300}, {"end_s", nullptr}, {"duration_s", nullptr}, {"detail", ""}}})},
                    {"cutover", {{"result", "completed"}, {"started_s", 300}, {"writes_stopped_s", 310}, {"duration_s", 100}}},
                    {"downtime", {{"write_downtime_s", 120}, {"refused_writes", 7}, {"rto_s", 200}}},
                    {"integrity", {{"lost_transactions", 0}, {"clean", true}}}};
  const auto page = html_report(s, table());
  CHECK(page.find("id=\"timeline\"") != std::string::npos);
  CHECK(std::regex_search(page, std::regex("<rect class=\"bar\"[^>]*fill-opacity=\"0.5\"")));  // still running
  CHECK(page.find("writes unavailable 2 min 0 s") != std::string::npos);                          // the band
  CHECK(page.find("The cutover up close") != std::string::npos);
  CHECK(page.find("0 transactions lost") != std::string::npos);
}

TEST_CASE("report: timeseries.csv is read back with commas inside label sets, bad lines named")
{
  const auto dir = std::filesystem::temp_directory_path() / "migsim-test-report-csv";
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir / "ok.csv");
    f << "minute,a{x=1,y=2},b\n0,1.5,2\n1,3,4\n";
  }
  const auto t = read_timeseries_csv((dir / "ok.csv").string());
  REQUIRE(t.columns.size() == 3);
  CHECK(t.columns[1] == "a{x=1,y=2}");
  CHECK(t.values(1) == std::vector<double>{1.5, 3});
  {
    std::ofstream f(dir / "bad.csv");
    f << "minute,a\n0,1\n1,x\n";
  }
  CHECK_THROWS_WITH(read_timeseries_csv((dir / "bad.csv").string()), Catch::Contains("line 3"));
  CHECK_THROWS_AS(write_report_for_dir((dir / "nowhere").string(), (dir / "r.html").string()), ReportInputError);
  std::filesystem::remove_all(dir);
}
