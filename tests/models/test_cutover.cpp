// The lift-and-shift end to end, on a smaller copy of the company's scenario (50 GB database, six
// hours): the cutover completes with nothing lost; a cutover that does not wait for CDC to drain
// loses an exact, non-zero number of transactions and says so; a VPN outage during CDC is survived;
// one that outlasts DMS's restarts aborts the cutover with the un-applied changes behind, not lost.
// Each TEST_CASE runs one simulation (one SimGrid engine per process).
#include "harness/run/run_command.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>

using namespace migsim;

namespace {

nlohmann::json small_lift_and_shift()
{
  std::ifstream in(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/lift-and-shift-cutover.json");
  auto d = nlohmann::json::parse(in);
  d["duration_s"] = 6 * 3600;
  d["start"] = "2025-01-01T14:00:00Z";  // busy afternoon and evening: many writes to replicate
  for (auto& t : d["migration"]["database"]["tables"])
    t["rows"] = t["rows"].get<uint64_t>() / 10;
  for (auto& s : d["migration"]["mgn"]["servers"])
    s["disk_gb"] = 5;
  d["events"] = nlohmann::json::array({{{"at_s", 3 * 3600}, {"action", "test_launch"}},
                                       {{"at_s", 4 * 3600}, {"action", "cutover_start"}}});
  d["expectations"] = nlohmann::json::array();
  d["migration"].erase("calendar");  // the bill covers the simulated window (the calendar's is test_cost's)
  return d;
}

harness::RunResult run(const nlohmann::json& doc)
{
  return harness::run_scenario(harness::parse_full_scenario(doc, "test"), {});
}

}  // namespace

TEST_CASE("cutover after the CDC drain loses nothing and validates clean", "[cutover][slow]")
{
  auto r = run(small_lift_and_shift());
  REQUIRE(r.migration);
  const auto& m = *r.migration;
  INFO("cutover " << m.cutover_result << " " << m.cutover_failed_step << " " << m.cutover_reason);
  CHECK(m.cutover_result == "completed");
  CHECK(m.lost_transactions == 0);
  CHECK(m.integrity_clean);
  CHECK(m.source_committed > 1000);
  // The binlog saw exactly the writes the application committed on-prem.
  CHECK(m.source_committed == r.transactions_committed - m.target_site_commits);
  // Writes were refused only while stopped; the order of the steps holds.
  CHECK(m.refused_writes > 0);
  CHECK(m.writes_stopped_s <= m.drained_s);
  CHECK(m.drained_s <= m.dms_stopped_s);
  CHECK(m.dms_stopped_s <= m.launched_s);
  CHECK(m.launched_s <= m.dns_switched_s);
  CHECK(m.dns_switched_s < m.dns_insync_s);
  CHECK(m.dns_insync_s - m.dns_switched_s <= 60.0);  // Route 53 propagation bound
  CHECK(m.target_site_commits > 0);                   // the new primary takes orders after the switch
  CHECK(r.all_invariants_held());
  // The bill follows what ran: the VPN for the whole 6 h at $0.05/h, DMS for its DCU-hours.
  double vpn = -1, dms_hours = -1;
  for (const auto& line : m.cost_bill.at("lines")) {
    if (line.at("service") == "Site-to-Site VPN")
      vpn = line.at("cost_usd").get<double>();
    if (line.at("service") == "DMS")
      dms_hours = line.at("quantity").get<double>();
  }
  CHECK(vpn == Approx(6 * 0.05));
  CHECK(dms_hours > 2 * 3.7);  // at least Min DCU (2) from provisioning (about 11 min in) to the stop after 4 h
  CHECK(dms_hours < 16 * 4.1);
  CHECK(m.migration_cost_usd > 0);
}

TEST_CASE("a cutover that skips the drain reports the exact number of lost transactions", "[cutover][slow]")
{
  auto d = small_lift_and_shift();
  d["migration"]["cutover"]["skip_drain"] = true;
  d["migration"]["cutover"]["max_cdc_latency_s"] = 3600;
  // The VPN drops 5 minutes before the cutover: CDC stalls with changes not yet on RDS.
  d["events"].push_back({{"at_s", 4 * 3600 - 300}, {"action", "link_down"}, {"target", "vpn"}});
  auto r = run(d);
  REQUIRE(r.migration);
  const auto& m = *r.migration;
  // RDS became the primary with changes DMS had not applied: those are lost, none are behind.
  CHECK(m.cutover_result == "completed");
  CHECK(m.lost_transactions > 100);  // about 5 minutes of orders and cart updates
  CHECK(m.lost_transactions == m.source_committed - m.target_applied);
  CHECK(m.behind_transactions == 0);
  // Every on-prem commit is either on RDS or counted lost.
  CHECK(m.source_committed == r.transactions_committed - m.target_site_commits);
  CHECK_FALSE(m.integrity_clean);
  bool some_table_differs = false;
  for (const auto& t : m.tables)
    some_table_differs |= !t.match;
  CHECK(some_table_differs);
}

TEST_CASE("a VPN outage that outlasts DMS's restarts aborts the cutover: on-prem stays primary, nothing lost, "
          "the un-applied changes are behind", "[cutover][slow]")
{
  auto d = small_lift_and_shift();
  // Down from 2 h 30 min to the end: DMS gives up after its ErrorBehavior restarts (4,355 s with the
  // defaults, so at about 3 h 43 min) and the cutover at 4 h finds it failed.
  d["events"].push_back({{"at_s", 2.5 * 3600}, {"action", "link_down"}, {"target", "vpn"}});
  auto r = run(d);
  REQUIRE(r.migration);
  const auto& m = *r.migration;
  CHECK(m.cutover_result == "aborted");
  CHECK(m.cutover_failed_step == "pre-checks");
  CHECK(m.dms_status == "failed");
  CHECK(m.lost_transactions == 0);
  CHECK(m.behind_transactions > 1000);  // 3 h 30 min of the afternoon's and evening's writes
  CHECK(m.behind_transactions == m.source_committed - m.target_applied);
  CHECK(m.target_site_commits == 0);
  CHECK(m.integrity_clean);  // behind, not corrupted: nothing committed is missing from the primary
}

TEST_CASE("a VPN outage during CDC stalls replication which then catches up with nothing lost", "[cutover][slow]")
{
  auto d = small_lift_and_shift();
  d["events"].push_back({{"at_s", 2.5 * 3600}, {"action", "link_down"}, {"target", "vpn"}});
  d["events"].push_back({{"at_s", 2.5 * 3600 + 900}, {"action", "link_up"}, {"target", "vpn"}});
  auto r = run(d);
  REQUIRE(r.migration);
  const auto& m = *r.migration;
  CHECK(m.cutover_result == "completed");
  CHECK(m.lost_transactions == 0);
  CHECK(m.integrity_clean);
  // CDC latency reached at least most of the outage before recovering.
  CHECK(m.max_cdc_latency_s >= 600);
}

TEST_CASE("a cutover whose pre-checks fail changes nothing", "[cutover][slow]")
{
  auto d = small_lift_and_shift();
  // Cut over before the servers are ready (no test launch yet, replication just started).
  d["events"] = nlohmann::json::array({{{"at_s", 600}, {"action", "cutover_start"}}});
  d["duration_s"] = 1800;
  auto r = run(d);
  REQUIRE(r.migration);
  CHECK(r.migration->cutover_result == "aborted");
  CHECK(r.migration->cutover_failed_step == "pre-checks");
  CHECK(r.migration->refused_writes == 0);
}

TEST_CASE("with a calendar the migration bill covers it, and the design's months come with it", "[cutover][cost][slow]")
{
  auto d = small_lift_and_shift();
  d["migration"]["calendar"] = {{"replication_days_before_cutover", 10}, {"test_launches", 1},
                                {"test_launch_hours", 4}, {"days_after_cutover_before_finalize", 2}};
  auto r = run(d);
  REQUIRE(r.migration);
  const auto& m = *r.migration;
  std::map<std::string, double> quantity;
  for (const auto& line : m.cost_bill.at("lines"))
    quantity[line.at("item").get<std::string>()] += line.at("quantity").get<double>();
  // 10 + 2 days = 288 h of VPN, of MGN per application server (within the free 2,160 h) and of the
  // replication server; one 4 h test launch of a t3.medium per server.
  CHECK(quantity["vpn.connection-hour"] == Approx(288));
  CHECK(quantity["mgn.server-hour"] == Approx(2 * 288));
  CHECK(quantity["ec2.t3.small"] == Approx(288));
  CHECK(quantity["ec2.t3.medium"] == Approx(2 * 4));
  // DMS: the window's DCU-hours plus 2 DCU (its CDC capacity) for the rest of the 240 h.
  CHECK(quantity["dms.serverless.dcu-hour"] > 2 * 235);
  CHECK(quantity["dms.serverless.dcu-hour"] < 2 * 241);
  CHECK(m.estimates.at("period") == "the migration's calendar");
  const auto& after = m.estimates.at("post_migration");
  CHECK(after.at("monthly_run_rate_usd").get<double>() > 0);
  bool cloudfront = false, egress = false;
  for (const auto& line : after.at("lines")) {
    cloudfront |= line.at("item") == "cloudfront.gb-out";
    egress |= line.at("item") == "transfer.internet-out.gb";
  }
  CHECK(cloudfront);
  CHECK_FALSE(egress);
  CHECK(m.estimates.at("on_prem").get<std::string>().find("priced in no estimate") != std::string::npos);
}
