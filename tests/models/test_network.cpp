// Bulk transfers over SimGrid: durations equal bytes / available bandwidth (after overhead and
// sharing), and an outage stalls then resumes from the checkpoint without counting bytes twice.
#include "models/network/bulk_transfer.hpp"
#include "sim/engine.hpp"
#include "sim/platform.hpp"
#include "sim/scenario.hpp"

#include <catch2/catch.hpp>

#include <cmath>

#include <simgrid/s4u/Link.hpp>

using namespace migsim;

namespace {
// Two zones joined by a VPN-like link of the given bandwidth; fast disks and NICs.
sim::Scenario two_sites(double vpn_mbps, double latency_ms, const std::string& vpn_extra = "")
{
  const std::string json = R"({"name": "net", "duration_s": 100000,
    "platform": {
      "zones": [{"name": "onprem", "lan_latency_ms": 0.1}, {"name": "aws", "lan_latency_ms": 0.1}],
      "servers": [
        {"name": "db", "zone": "onprem", "cores": 4, "disk_read_mbps": 2000, "nic_mbps": 10000},
        {"name": "web", "zone": "onprem", "cores": 4, "disk_read_mbps": 2000, "nic_mbps": 10000},
        {"name": "rds", "zone": "aws", "cores": 4, "disk_write_mbps": 2000, "nic_mbps": 10000},
        {"name": "repl", "zone": "aws", "cores": 2, "disk_write_mbps": 2000, "nic_mbps": 10000}],
      "links": [{"name": "vpn", "from_zone": "onprem", "to_zone": "aws", "bandwidth_mbps": )" +
                           std::to_string(vpn_mbps) + R"(, "latency_ms": )" + std::to_string(latency_ms) + vpn_extra + R"(}],
      "services": [{"name": "s", "server": "db", "workers": 1}]},
    "workload": {"client_zone": "onprem", "base_rps": 1,
      "classes": [{"name": "c", "weight": 1, "stages": [{"service": "s"}]}]}})";
  return sim::parse_scenario(nlohmann::json::parse(json), "net");
}

models::BulkEndpoints endpoints(sim::Platform& p, const char* from, const char* to)
{
  return {p.disk_reader(from), p.host(from), p.host(to), p.disk_writer(to)};
}
}  // namespace

TEST_CASE("a bulk transfer takes bytes x overhead / bandwidth", "[network]")
{
  sim::Engine engine;
  auto sc = two_sites(1000, 20);
  sim::Platform platform(sc.platform);
  models::BulkTransfer t("full-load", endpoints(platform, "db", "rds"), {.streams = 4, .wire_overhead = 1.06});
  double finished = -1;
  t.on_idle = [&] { finished = engine.now(); };
  const double bytes = 20e9;
  t.add(bytes);
  engine.run_until(100000);
  const double expected = bytes * 1.06 / (1000e6 / 8);
  INFO("expected " << expected << " s, got " << finished);
  CHECK(finished == Approx(expected).epsilon(0.02));
  CHECK(t.done_bytes() == bytes);
  CHECK(t.wire_bytes() == Approx(bytes * 1.06));
}

TEST_CASE("two transfers share the VPN fairly by streams", "[network]")
{
  sim::Engine engine;
  auto sc = two_sites(1000, 20);
  sim::Platform platform(sc.platform);
  // Same stream count: each gets half of 125 MB/s while both run.
  models::BulkTransfer a("a", endpoints(platform, "db", "rds"), {.streams = 2});
  models::BulkTransfer b("b", endpoints(platform, "web", "repl"), {.streams = 2});
  double done_a = -1, done_b = -1;
  a.on_idle = [&] { done_a = engine.now(); };
  b.on_idle = [&] { done_b = engine.now(); };
  a.add(10e9);
  b.add(20e9);
  engine.run_until(100000);
  // a: 10 GB at 62.5 MB/s = 160 s; then b alone finishes its remaining 10 GB at 125 MB/s: 80 s more.
  CHECK(done_a == Approx(160).epsilon(0.02));
  CHECK(done_b == Approx(240).epsilon(0.02));
}

TEST_CASE("a throttled transfer runs at its limit", "[network]")
{
  sim::Engine engine;
  auto sc = two_sites(1000, 20);
  sim::Platform platform(sc.platform);
  models::BulkTransfer t("mgn", endpoints(platform, "db", "repl"), {.streams = 5, .rate_limit_Bps = 200e6 / 8});
  double done = -1;
  t.on_idle = [&] { done = engine.now(); };
  t.add(5e9);
  engine.run_until(100000);
  CHECK(done == Approx(5e9 / 25e6).epsilon(0.02));
}

TEST_CASE("an outage stalls the transfer which resumes from its checkpoint", "[network]")
{
  sim::Engine engine;
  auto sc = two_sites(1000, 20);
  sim::Platform platform(sc.platform);
  models::BulkTransfer t("full-load", endpoints(platform, "db", "rds"), {.streams = 2, .retry_after_s = 30});
  double done = -1;
  bool saw_stall = false;
  t.on_idle = [&] { done = engine.now(); };
  t.on_stall = [&] { saw_stall = true; };
  t.add(10e9);
  engine.at(20, [&] { platform.set_link_up("vpn", false); });
  engine.at(320, [&] { platform.set_link_up("vpn", true); });
  engine.run_until(2000);
  CHECK(saw_stall);
  CHECK(t.failed_chunks() > 0);
  CHECK(t.done_bytes() == 10e9);  // everything once, nothing twice
  CHECK(t.wire_bytes() > 10e9);   // lost chunks were sent again
  // 80 s of transfer + a 300 s outage + at most one retry interval.
  CHECK(done >= 380);
  CHECK(done <= 380 + 30 + 5);
}

TEST_CASE("packet loss caps each connection at the Mathis throughput", "[network]")
{
  sim::Engine engine;
  auto sc = two_sites(1000, 20, R"(, "loss_rate": 0.001, "mss_bytes": 1380)");
  sim::Platform platform(sc.platform);
  models::BulkTransfer t("lossy", endpoints(platform, "db", "rds"), {.streams = 4, .chunk_bytes = 8e6});
  double done = -1;
  t.on_idle = [&] { done = engine.now(); };
  t.add(500e6);
  engine.run_until(100000);
  // RTT: twice (LAN 0.1 ms + VPN 20 ms + LAN 0.1 ms); per connection MSS / RTT x 1.22 / sqrt(p).
  const double rtt = 2 * 0.0202;
  const double per_connection = 1380 / rtt * 1.22 / std::sqrt(0.001);
  const double expected = 500e6 / (4 * per_connection);
  INFO("expected " << expected << " s, got " << done);
  CHECK(done == Approx(expected).epsilon(0.02));
}

TEST_CASE("losing the active VPN tunnel costs the failover time when the other is up", "[network]")
{
  sim::Engine engine;
  auto sc = two_sites(1000, 20, R"(, "tunnels": 2, "failover_s": 30)");
  sim::Platform platform(sc.platform);
  models::BulkTransfer t("x", endpoints(platform, "db", "rds"), {.streams = 2, .retry_after_s = 5});
  double done = -1;
  t.on_idle = [&] { done = engine.now(); };
  t.add(10e9);  // 80 s at 125 MB/s
  engine.at(20, [&] { platform.set_tunnel_up("vpn", 1, false); });
  engine.run_until(100000);
  // 80 s of transfer + 30 s failover, plus at most one retry interval and the lost chunks resent.
  CHECK(done >= 110);
  CHECK(done <= 110 + 5 + 3);
  CHECK(t.done_bytes() == 10e9);
}

TEST_CASE("with both VPN tunnels down the transfer waits for one to return", "[network]")
{
  sim::Engine engine;
  auto sc = two_sites(1000, 20, R"(, "tunnels": 2, "failover_s": 30)");
  sim::Platform platform(sc.platform);
  models::BulkTransfer t("x", endpoints(platform, "db", "rds"), {.streams = 2, .retry_after_s = 5});
  double done = -1;
  t.on_idle = [&] { done = engine.now(); };
  t.add(10e9);
  engine.at(20, [&] { platform.set_tunnel_up("vpn", 1, false); });
  engine.at(25, [&] { platform.set_tunnel_up("vpn", 2, false); });  // during the failover
  engine.at(600, [&] { platform.set_tunnel_up("vpn", 1, true); });
  engine.run_until(100000);
  CHECK_FALSE(platform.link_up("vpn") == false);
  CHECK(done >= 600 + 60);
  CHECK(done <= 600 + 60 + 5 + 3);
}
