// The HTML report from hand-built inputs: self-contained, generic over series names (a model's new
// capacity_<unit> family gets its chart without any change here), migration sections when present,
// and timeseries.csv read back with label sets holding commas.
#include "harness/report/html_report.hpp"
#include "harness/run/summary.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

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

TEST_CASE("report: the design's monthly estimates after the migration are itemised in the cost section")
{
  auto s = summary();
  auto bill = [](double monthly) {
    return json{{"lines", json::array({{{"service", "CloudFront"}, {"item", "data out"}, {"quantity", 100},
                                        {"unit", "GB"}, {"unit_usd", 0.085}, {"cost_usd", 8.5}}})},
                {"monthly_run_rate_usd", monthly}, {"region", "us-east-1"}, {"as_of", "2024-06-01"}};
  };
  s["migration"] = {{"estimates", {{"period", "the migration's calendar"},
                                   {"migration", {{"total_usd", 165.58}}},
                                   {"post_migration", bill(779.70)},
                                   {"post_modernisation", bill(1350.48)},
                                   {"on_prem", "on-prem costs are priced in no estimate"}}}};
  const auto page = html_report(s, table());
  CHECK(page.find("Post-migration month (design estimate)") != std::string::npos);
  CHECK(page.find("Post-modernisation month (design estimate)") != std::string::npos);
  CHECK(page.find("Monthly total <b>$779.70</b>") != std::string::npos);
  CHECK(page.find("Monthly total <b>$1,350.48</b>") != std::string::npos);
  CHECK(page.find("billed over the migration&#39;s calendar: $165.58 in all") != std::string::npos);
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

namespace {

// An AWS estate of 2 groups x 3 AZs x 5 slots (30 servers), the way summary.json and
// timeseries.csv describe it; slot k of a group is busy at (10 + k) % when k < 3, idle (not
// launched) otherwise; every slot has a capacity_workers column.
std::pair<json, SeriesTable> big_estate()
{
  auto s = summary();
  s["scenario"]["start"] = "2025-11-28T17:00:00-03:00";
  s["aws"] = {{"azs", {"us-east-1a", "us-east-1b", "us-east-1c"}},
              {"groups", json::array({{{"name", "web"}}, {{"name", "api"}}})}};
  SeriesTable t;
  t.columns = {"minute", "arrivals", "p99_ms"};
  std::vector<double> values;  // one row's, in column order
  for (const char* g : {"web", "api"})
    for (const char* az : {"us-east-1a", "us-east-1b", "us-east-1c"})
      for (int k = 1; k <= 5; ++k) {
        const std::string slot = std::string(g) + "-" + az + "-" + std::to_string(k);
        t.columns.push_back("util_" + slot);
        values.push_back(k <= 3 ? (10.0 + k) / 100 : 0);
        t.columns.push_back("capacity_workers{service=" + slot + "}");
        values.push_back(16);
      }
  for (int i = 0; i < 10; ++i) {
    std::vector<double> row = {double(i), 100, 200};
    row.insert(row.end(), values.begin(), values.end());
    t.rows.push_back(row);
  }
  return {s, t};
}

// The <svg> of the chart whose title starts with prefix.
std::string chart_of(const std::string& page, const std::string& prefix)
{
  const auto at = page.find("class=\"ctitle\" x=\"70\" y=\"18\">" + prefix);
  if (at == std::string::npos)
    return "";
  const auto from = page.rfind("<svg", at);
  return page.substr(from, page.find("</svg>", at) - from);
}

}  // namespace

TEST_CASE("report: many servers are pooled per Auto Scaling group and AZ, median line and min-max band")
{
  const auto [s, t] = big_estate();
  const auto page = html_report(s, t);
  const auto cpu = chart_of(page, "CPU utilisation per Auto Scaling group");
  REQUIRE(!cpu.empty());
  // Two lines (web, api), each over the 9 instances busy in the minute (3 AZs x slots 1-3): median
  // 12 %, band 11 % to 13 %; the idle slots (0 %) are not instances of the group.
  CHECK(cpu.find(">web (15)</text>") != std::string::npos);
  CHECK(cpu.find(">api (15)</text>") != std::string::npos);
  CHECK(std::count_if(t.columns.begin(), t.columns.end(), [](auto& c) { return c.rfind("util_", 0) == 0; }) == 30);
  CHECK(std::regex_search(cpu, std::regex("\"n\":\"web \\(15\\)\",\"c\":\"[^\"]+\",\"y\":\\[12,")));
  CHECK(cpu.find("\"lo\":[11,") != std::string::npos);
  CHECK(cpu.find("\"hi\":[13,") != std::string::npos);
  CHECK(std::count(cpu.begin(), cpu.end(), '\n') < 60);  // not 30 lines and a 30-entry legend
  const auto az = chart_of(page, "CPU utilisation per Availability Zone");
  CHECK(az.find(">us-east-1b (10)</text>") != std::string::npos);
  // Capacity adds up: 15 slots x 16 workers per group.
  const auto cap = chart_of(page, "Capacity: workers by service per Auto Scaling group (sum)");
  REQUIRE(!cap.empty());
  CHECK(std::regex_search(cap, std::regex("\"n\":\"web\",\"c\":\"[^\"]+\",\"y\":\\[240,")));
  // The axis is on the scenario's calendar: 17:00 local on Friday 28 November.
  CHECK(cpu.find(">17:00<tspan class=\"xdate\" x=\"70\" dy=\"13\">Fri 28 Nov</tspan>") != std::string::npos);
}

TEST_CASE("report: without groups, the busiest servers keep their line and the rest are others")
{
  auto [s, t] = big_estate();
  s.erase("aws");
  const auto page = html_report(s, t);
  const auto cpu = chart_of(page, "CPU utilisation per server (the busiest");
  REQUIRE(!cpu.empty());
  CHECK(std::count(cpu.begin(), cpu.end(), '\n') < 60);
  CHECK(cpu.find(">others (23 more)</text>") != std::string::npos);
}

TEST_CASE("report: a pinned fault's effect is labelled as such, and the banner says how the estate held")
{
  auto s = summary();
  s["verdict"] = "pass";
  s["failure_reproduced"] = true;
  s["expectations"] = json::array(
      {{{"name", "the outage shows as errors"}, {"metric", "errors"}, {"measured", 20}, {"min", 1}, {"passed", true},
        {"pins_failure", true}},
       {{"name", "but stays under 5 %"}, {"metric", "error_rate"}, {"measured", 0.02}, {"max", 0.05}, {"passed", true}}});
  auto page = html_report(s, table());
  CHECK(page.find("<section class=\"verdict fault\"") != std::string::npos);
  CHECK(page.find("THE FAULT SHOWS; THE ESTATE HOLDS ITS OTHER EXPECTATIONS") != std::string::npos);
  CHECK(page.find("THE ESTATE FAILS ITS SLOs") == std::string::npos);
  CHECK(page.find("<span class=\"tag pinned\">FAILS (pinned)</span></td><td>the outage shows as errors") !=
        std::string::npos);
  // A pinned bound on an SLO quantity (latency, error rate, utilisation) is the estate failing it.
  s["expectations"][0] = {{"name", "p99 beyond 1 s"}, {"metric", "p99_ms"}, {"measured", 1500}, {"min", 1000},
                          {"passed", true}, {"pins_failure", true}};
  page = html_report(s, table());
  CHECK(page.find("<section class=\"verdict reproduced\"") != std::string::npos);
  CHECK(page.find("THE ESTATE FAILS ITS SLOs") != std::string::npos);
  // The fault shows but another expectation fails: a plain FAIL.
  s["expectations"][0] = {{"name", "the outage shows as errors"}, {"metric", "errors"}, {"measured", 20}, {"min", 1},
                          {"passed", true}, {"pins_failure", true}};
  s["expectations"][1]["passed"] = false;
  s["verdict"] = "fail";
  page = html_report(s, table());
  CHECK(page.find("<section class=\"verdict fail\"") != std::string::npos);
}

TEST_CASE("report: the printed summary tells a pinned fault from SLOs the estate breaks")
{
  RunResult r;
  r.scenario = "fault";
  r.duration_s = 600;
  ExpectationResult fault{"the outage shows as errors", "errors", 20, 1.0, std::nullopt, true};
  fault.pins_failure = true;
  r.expectations = {fault, {"but stays under 5 %", "error_rate", 0.02, std::nullopt, 0.05, true}};
  std::ostringstream out;
  print_summary(r, out);
  CHECK(out.str().find("the fault this scenario injects shows: 1 expectation(s) pin its effect") != std::string::npos);
  CHECK(out.str().find("the estate FAILS its SLOs") == std::string::npos);
  r.expectations[0] = {"p99 beyond 1 s", "p99_ms", 1500, 1000.0, std::nullopt, true};
  r.expectations[0].pins_failure = true;
  std::ostringstream slo;
  print_summary(r, slo);
  CHECK(slo.str().find("the estate FAILS its SLOs") != std::string::npos);
  CHECK(is_slo_metric("p99_ms"));
  CHECK(is_slo_metric("utilisation"));
  CHECK_FALSE(is_slo_metric("errors_in_rds_outages"));
}

TEST_CASE("report: the runbook timeline ticks at round times of the scenario's calendar")
{
  auto s = summary();
  s["scenario"]["start"] = "2025-10-15T02:00:00-03:00";
  const json rehearsal = {
      {"runbook", {{"file", "cutover.yaml"}, {"status", "Success"}, {"start_s", 60}, {"end_s", 700}, {"duration_s", 640}}},
      {"timeline", json::array({{{"step", "stopWrites"}, {"action", "aws:executeAwsApi"}, {"status", "Success"},
                                 {"start_s", 60}, {"end_s", 300}},
                                {{"step", "switchDns"}, {"action", "aws:executeAwsApi"}, {"status", "Success"},
                                 {"start_s", 300}, {"end_s", 700}}})}};
  const auto page = html_report(s, table(), &rehearsal);
  const auto at = page.find("<svg class=\"runbook-timeline\"");
  REQUIRE(at != std::string::npos);
  const auto svg = page.substr(at, page.find("</svg>", at) - at);
  // 640 s on about 6 ticks: every 2 min at round local times, the date under the first.
  CHECK(std::regex_search(svg, std::regex(">02:02<tspan x=\"[0-9.]+\" dy=\"12\">Wed 15 Oct</tspan></text>")));
  CHECK(svg.find(">02:10</text>") != std::string::npos);
  CHECK(svg.find(">02:01:00") == std::string::npos);  // not the step's own odd second
}
