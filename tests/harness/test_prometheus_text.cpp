// The Prometheus exposition of the metrics registry (harness/observe/): names, types, units,
// histogram buckets consistent with the registry's percentiles, content negotiation, and the
// parsing `migsim alerts` does of its OpenMetrics input and of promtool's report.
#include "harness/observe/alerts_command.hpp"
#include "harness/observe/prometheus_text.hpp"
#include "sim/metrics.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>

using namespace migsim;
using namespace migsim::harness::observe;

namespace {

const Family* find(const std::vector<Family>& fs, const std::string& name)
{
  for (const auto& f : fs)
    if (f.name == name)
      return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("registry families become Prometheus families with units and _total counters", "[observe]")
{
  sim::Registry m;
  m.counter("requests_completed{class=browse}") = 7;
  m.counter("requests_rejected{class=browse}") = 2;
  m.counter("requests_timed_out{class=browse}") = 1;
  m.series("latency_p99_ms", sim::TimeSeries::Kind::Last).add(30, 250);
  m.series("arrivals").add(10, 3);
  m.series("arrivals{site=primary}").add(10, 3);
  m.series("arrivals{site=primary}").add(70, 4);
  m.time_weighted("server_busy_cores{server=db}").set(10, 2);
  m.histogram("latency_s{class=browse}").record(0.04);
  m.histogram("latency_s").record(0.04);
  const auto fs = collect_families(m, 20);

  const auto* errors = find(fs, "migsim_request_errors");
  REQUIRE(errors);
  CHECK(errors->type == MetricType::Counter);
  REQUIRE(errors->points.size() == 2);  // one per reason
  const auto* p99 = find(fs, "migsim_latency_p99_seconds");
  REQUIRE(p99);
  CHECK(p99->points.at(0).value == Approx(0.25));  // ms -> seconds
  const auto* site = find(fs, "migsim_site_requests_arrived");
  REQUIRE(site);
  REQUIRE(site->points.size() == 1);  // the unlabelled total of arrivals{site=...} is left out
  CHECK(site->points[0].value == 7);
  const auto* busy = find(fs, "migsim_server_cpu_busy_seconds");
  REQUIRE(busy);
  CHECK(busy->points.at(0).value == Approx(20));  // 2 cores busy from t = 10 to 20
  const auto* lat = find(fs, "migsim_request_duration_seconds");
  REQUIRE(lat);
  CHECK(lat->points.size() == 1);

  const std::string text = to_text_format(fs);
  CHECK(text.find("# TYPE migsim_request_errors_total counter\n") != std::string::npos);
  CHECK(text.find("migsim_request_errors_total{class=\"browse\",reason=\"rejected\"} 2\n") != std::string::npos);
  CHECK(text.find("migsim_request_duration_seconds_bucket{class=\"browse\",le=\"0.05\"} 1\n") != std::string::npos);
  CHECK(text.find("migsim_request_duration_seconds_bucket{class=\"browse\",le=\"0.03\"} 0\n") != std::string::npos);
  CHECK(text.find("migsim_request_duration_seconds_bucket{class=\"browse\",le=\"+Inf\"} 1\n") != std::string::npos);
  const std::string om = to_openmetrics(fs);
  CHECK(om.find("# TYPE migsim_request_errors counter\n") != std::string::npos);
  CHECK(om.find("# UNIT migsim_request_duration_seconds seconds\n") != std::string::npos);
  CHECK(om.substr(om.size() - 6) == "# EOF\n");
}

TEST_CASE("exported buckets agree with the registry's percentile about every boundary", "[observe]")
{
  sim::Histogram h;
  std::mt19937_64 rng(3);
  std::lognormal_distribution<double> d(-2.5, 1.2);
  for (int i = 0; i < 100000; ++i)
    h.record(d(rng));
  const auto& les = latency_buckets_s();
  const auto cum = h.cumulative_counts(les);
  REQUIRE(cum.size() == les.size());
  for (double q : {50.0, 90.0, 99.0, 99.9}) {
    const double p = h.percentile(q);
    const auto rank = static_cast<uint64_t>(std::ceil(q / 100 * static_cast<double>(h.count())));
    // The bucket PromQL's histogram_quantile would pick holds migsim's percentile.
    size_t b = 0;
    while (b < les.size() && cum[b] < rank)
      ++b;
    const double lo = b == 0 ? 0 : les[b - 1], hi = b < les.size() ? les[b] : 1e300;
    CHECK(p > lo);
    CHECK(p <= hi);
  }
  CHECK(std::is_sorted(cum.begin(), cum.end()));
}

TEST_CASE("OpenMetrics is served when the Accept header prefers it", "[observe]")
{
  CHECK(accepts_openmetrics("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
                            "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"));
  CHECK_FALSE(accepts_openmetrics("text/plain;version=0.0.4"));
  CHECK_FALSE(accepts_openmetrics(""));
  CHECK_FALSE(accepts_openmetrics("text/plain, application/openmetrics-text;q=0.5"));
}

TEST_CASE("migsim alerts reads its OpenMetrics input and promtool's report of firing alerts", "[observe]")
{
  const std::string path = "test_prometheus_text.om";
  {
    std::ofstream f(path);
    // A run that starts on 2025-11-28 16:00 -03:00 (19:00 UTC): its first closed minute is simulated
    // second 60. Times are read against the file's own simulated clock, not any default calendar.
    f << "# TYPE x gauge\nx{a=\"1 }\"} 3 1764356460\nx{a=\"1 }\"} 5 1764356520\n"
         "# TYPE migsim_simulated_time_seconds gauge\nmigsim_simulated_time_seconds 60 1764356460\n# EOF\n";
  }
  double start = 0;
  const auto series = read_openmetrics_series(path, &start);
  CHECK(start == 1764356400.0);
  REQUIRE(series.count("x{a=\"1 }\"}") == 1);
  CHECK(series.at("x{a=\"1 }\"}").at(0) == std::make_pair(60.0, 3.0));
  CHECK(series.at("x{a=\"1 }\"}").at(1) == std::make_pair(120.0, 5.0));
  const auto yaml = promtool_test_yaml("rules.yml", series, {"High"}, 60);
  CHECK(yaml.find("values: '_ 3 5'") != std::string::npos);  // three minutes of input, not months
  CHECK(yaml.find("{eval_time: 120s, alertname: 'High', exp_alerts: []}") != std::string::npos);
  CHECK(yaml.find("eval_time: 180s") == std::string::npos);
  CHECK(yaml.find("{eval_time: 60s, alertname: 'High', exp_alerts: []}") != std::string::npos);
  std::remove(path.c_str());

  const std::string report = R"(  FAILED:
    alertname: High, time: 4m,
        exp:[],
        got:[
            0:
              Labels:{a="1", alertname="High", severity="page"}
              Annotations:{summary="x is 9"}
            ]
    alertname: High, time: 5m,
        exp:[],
        got:[
            0:
              Labels:{a="1", alertname="High", severity="page"}
              Annotations:{summary="x is 9"}
            ]
    alertname: High, time: 1h2m,
        exp:[],
        got:[
            0:
              Labels:{a="1", alertname="High", severity="page"}
              Annotations:{summary="x"}
            ]
)";
  const auto firing = parse_promtool_failures(report, 60);
  REQUIRE(firing.size() == 1);
  CHECK(firing[0].labels.at("severity") == "page");
  REQUIRE(firing[0].intervals_s.size() == 2);
  CHECK(firing[0].intervals_s[0] == std::make_pair(240.0, 360.0));
  CHECK(firing[0].intervals_s[1] == std::make_pair(3720.0, 3780.0));
}
