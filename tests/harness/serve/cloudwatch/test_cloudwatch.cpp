// CloudWatch on the mock endpoint: statistics from the registry's per-minute values and alarm
// evaluation, checked against sequences computed by hand (no simulation, no HTTP).
#include "harness/serve/cloudwatch/alarms.hpp"
#include "harness/serve/cloudwatch/metrics.hpp"

#include <catch2/catch.hpp>

using namespace migsim;
using namespace migsim::harness::serve::cloudwatch;

TEST_CASE("CloudWatch statistics over 5-minute periods match hand-computed values", "[cloudwatch]")
{
  const std::vector<double> minutes = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const auto ps = periods(minutes, 0, 600, 300);
  REQUIRE(ps.size() == 2);
  CHECK(ps[0].start_s == 0);
  CHECK(ps[1].start_s == 300);
  CHECK(statistic("Average", ps[0].samples) == Approx(3.0));
  CHECK(statistic("Sum", ps[0].samples) == Approx(15.0));
  CHECK(statistic("Minimum", ps[0].samples) == 1.0);
  CHECK(statistic("Maximum", ps[0].samples) == 5.0);
  CHECK(statistic("SampleCount", ps[0].samples) == 5.0);
  CHECK(statistic("Average", ps[1].samples) == Approx(8.0));
  CHECK(statistic("p90", ps[1].samples) == 10.0);   // nearest rank ceil(0.9 * 5) = 5th
  CHECK(statistic("p50", ps[1].samples) == 8.0);    // ceil(2.5) = 3rd of 6..10
  CHECK(statistic("p99.9", minutes) == 10.0);
  CHECK(statistic("p10", minutes) == 1.0);           // ceil(1.0) = 1st
  CHECK_FALSE(valid_statistic("Median"));
  CHECK_FALSE(valid_statistic("p101"));
  CHECK_THROWS_AS(periods(minutes, 0, 600, 90), std::invalid_argument);
  // A window starting mid-period is aligned down; incomplete minutes (past the vector) are absent.
  const auto partial = periods(minutes, 420, 1200, 300);
  REQUIRE(partial.size() == 1);
  CHECK(partial[0].start_s == 300);
  CHECK(partial[0].samples.size() == 5);
}

TEST_CASE("CloudWatch maps registry series and busy cores to AWS metrics", "[cloudwatch]")
{
  sim::Registry reg;
  auto& lat = reg.series("dms_cdc_latency_source_s{replication=cfg-1}", sim::TimeSeries::Kind::Last);
  lat.add(30, 4.0);
  lat.add(150, 8.0);
  auto& busy = reg.time_weighted("server_busy_cores{server=web}");
  busy.set(0, 1);
  busy.set(90, 2);
  auto& db = reg.time_weighted("server_busy_cores{server=rds}");
  db.set(0, 3);
  CatalogContext ctx{&reg, {{"web", 4}, {"rds", 6}}, "rds", 180};
  const auto all = list_metrics(ctx);
  CHECK(all.size() == 3);
  auto cpu = find_metric(ctx, "AWS/EC2", "CPUUtilization", {{"InstanceId", "web"}});
  REQUIRE(cpu);
  const auto v = cpu->minutes(3);
  CHECK(v[0] == Approx(25.0));   // 1 of 4 cores
  CHECK(v[1] == Approx(37.5));   // 30 s at 1 core, 30 s at 2
  CHECK(v[2] == Approx(50.0));
  CHECK_FALSE(find_metric(ctx, "AWS/EC2", "CPUUtilization", {{"InstanceId", "rds"}}));
  auto rds = find_metric(ctx, "AWS/RDS", "CPUUtilization", {{"DBInstanceIdentifier", "rds"}});
  REQUIRE(rds);
  CHECK(rds->minutes(2)[1] == Approx(50.0));
  auto cdc = find_metric(ctx, "AWS/DMS", "CDCLatencySource", {{"ReplicationConfigId", "cfg-1"}});
  REQUIRE(cdc);
  CHECK(cdc->minutes(3) == std::vector<double>{4.0, 4.0, 8.0});  // a gauge carries its last value
}

TEST_CASE("CloudWatch alarm goes OK then ALARM then OK with 2 of 3 datapoints", "[cloudwatch]")
{
  sim::Registry reg;
  auto& g = reg.series("dms_cdc_latency_target_s{replication=cfg-1}", sim::TimeSeries::Kind::Last);
  const double values[] = {1, 1, 1, 9, 9, 1, 1, 1, 1, 1};
  for (int m = 0; m < 10; ++m)
    g.add(m * 60.0 + 1, values[m]);
  AlarmBook book;
  std::vector<std::string> published;
  book.publish = [&](const Notification& n) {
    published.push_back(n.topic_arn + "@" + std::to_string(int(n.t_s)));
    return true;
  };
  AlarmSpec s;
  s.name = "cdc-lag";
  s.name_space = "AWS/DMS";
  s.metric_name = "CDCLatencyTarget";
  s.dimensions = {{"ReplicationConfigId", "cfg-1"}};
  s.statistic = "Maximum";
  s.period_s = 60;
  s.evaluation_periods = 3;
  s.datapoints_to_alarm = 2;
  s.threshold = 5;
  s.comparison = "GreaterThanThreshold";
  s.alarm_actions = {"arn:aws:sns:us-east-1:000000000000:ops"};
  s.ok_actions = {"arn:aws:sns:us-east-1:000000000000:ok"};
  book.put(s, 0);
  CatalogContext ctx{&reg, {}, "", 0};
  book.evaluate(ctx);  // minute 0: nothing yet
  CHECK(book.alarms().at("cdc-lag").state == "INSUFFICIENT_DATA");
  ctx.now_s = 600;
  book.evaluate(ctx);  // catches up minutes 1..10
  std::vector<std::pair<int, std::string>> updates;
  for (const auto& h : book.history())
    if (h.type == "StateUpdate")
      updates.emplace_back(int(h.t_s), h.summary);
  REQUIRE(updates.size() == 3);
  CHECK(updates[0] == std::make_pair(60, std::string("Alarm updated from INSUFFICIENT_DATA to OK")));
  CHECK(updates[1] == std::make_pair(300, std::string("Alarm updated from OK to ALARM")));
  CHECK(updates[2] == std::make_pair(420, std::string("Alarm updated from ALARM to OK")));
  CHECK(published == std::vector<std::string>{"arn:aws:sns:us-east-1:000000000000:ok@60",
                                              "arn:aws:sns:us-east-1:000000000000:ops@300",
                                              "arn:aws:sns:us-east-1:000000000000:ok@420"});
  const auto& a = book.alarms().at("cdc-lag");
  CHECK(a.state == "OK");
  CHECK(a.reason.find("1 out of the last 3 datapoints") != std::string::npos);
  CHECK(book.notifications()[1].subject == "ALARM: \"cdc-lag\" in US East (N. Virginia)");
}

TEST_CASE("CloudWatch alarm TreatMissingData decides an alarm on an absent metric", "[cloudwatch]")
{
  sim::Registry reg;
  CatalogContext ctx{&reg, {}, "", 300};
  AlarmBook book;
  AlarmSpec s;
  s.name_space = "AWS/DMS";
  s.metric_name = "CDCLatencySource";
  s.dimensions = {{"ReplicationConfigId", "none"}};
  s.statistic = "Average";
  s.evaluation_periods = 2;
  s.threshold = 1;
  s.comparison = "GreaterThanOrEqualToThreshold";
  for (const char* treat : {"missing", "ignore", "breaching", "notBreaching"}) {
    s.name = treat;
    s.treat_missing = treat;
    book.put(s, 300);
  }
  book.evaluate(ctx);
  CHECK(book.alarms().at("missing").state == "INSUFFICIENT_DATA");
  CHECK(book.alarms().at("ignore").state == "INSUFFICIENT_DATA");
  CHECK(book.alarms().at("breaching").state == "ALARM");
  CHECK(book.alarms().at("notBreaching").state == "OK");
  s.name = "bad";
  s.comparison = "GreaterThanUpperThreshold";
  CHECK_THROWS_AS(book.put(s, 300), aws::AwsError);
  s.comparison = "LessThanThreshold";
  s.period_s = 30;
  CHECK_THROWS_AS(book.put(s, 300), aws::AwsError);
  CHECK_THROWS_AS(book.remove({"missing", "nope"}), aws::AwsError);
  CHECK(book.alarms().size() == 4);
  book.set_state("ignore", "ALARM", "testing", 310);
  CHECK(book.alarms().at("ignore").state == "ALARM");
}
