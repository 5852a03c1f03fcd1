// The EKS estate in simulated time, on small hand-computable clusters: the HPA and the Cluster
// Autoscaler in the loop settle where the formulas say, a node failure costs exactly the requests
// routed to its pods until the node is NotReady, and bad eks sections are refused with the JSON
// pointer. Each TEST_CASE runs at most one simulation (one SimGrid engine per process).
#include "harness/run/run_command.hpp"
#include "models/eks/eks_cluster.hpp"
#include "sim/json_reader.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <sys/wait.h>
#include <fstream>

using namespace migsim;

namespace {

// Flat 100 requests/s of one class spending 20 ms of CPU in Deployment "api" (2 cores of demand).
nlohmann::json flat_cluster()
{
  return nlohmann::json::parse(R"({
    "name": "eks-flat", "seed": 1, "duration_s": 3600,
    "platform": {"zones": [{"name": "internet"}],
                 "servers": [{"name": "placeholder", "zone": "internet", "cores": 1}],
                 "services": [{"name": "api", "server": "placeholder", "workers": 1}]},
    "workload": {"client_zone": "internet", "base_rps": 100,
                 "classes": [{"name": "call", "weight": 1, "stages": [{"service": "api", "cpu_ms": 20, "cpu_dist": "constant"}]}]},
    "eks": {"zones": ["a", "b", "c"], "alb_latency_ms": 0,
            "node_groups": [{"name": "web", "instance_type": "m5.large", "min_size": 1, "max_size": 5, "desired_size": 1}],
            "cluster_autoscaler": {"expander": "least-waste"},
            "deployments": [{"name": "api", "replicas": 4, "cpu_request_m": 250, "cpu_limit_m": 1000,
                             "memory_request_mib": 256,
                             "hpa": {"min_replicas": 2, "max_replicas": 30, "target_cpu_utilization_pct": 50}}]}
  })");
}

}  // namespace

TEST_CASE("eks cluster: HPA and Cluster Autoscaler settle where the formulas say", "[eks]")
{
  // Demand 100/s x 20 ms = 2000m. Target 50 % of 250m = 125m per pod -> 2000 / 125 = 16 pods.
  // m5.large allocatable 1930m holds 7 pods of 250m -> ceil(16 / 7) = 3 nodes (2 added by the CA).
  // At 16 pods each PS server (limit 1 core) runs at rho = 125 / 1000: mean sojourn 20 / 0.875 = 22.86 ms.
  const auto sc = harness::parse_full_scenario(flat_cluster(), "test");
  harness::Simulation sim(sc);
  sim.advance_to(3600);
  auto* eks = sim.eks();
  REQUIRE(eks);
  CHECK(eks->desired_replicas(0) == 16);
  CHECK(eks->ready_pods(0) == 16);
  int ready_nodes = 0;
  for (const auto& n : eks->nodes())
    ready_nodes += n.state == models::eks::NodeState::Ready;
  CHECK(ready_nodes == 3);
  const auto r = sim.finish();
  REQUIRE(r.eks);
  CHECK(r.eks->max_pending_pods > 0);        // the scale-up outran the nodes
  CHECK(r.eks->time_to_capacity_max_s > 120);  // at least a node's boot + join (90 + 30 s)
  CHECK(r.eks->time_to_capacity_max_s < 600);
  CHECK(r.failed == 0);
  // The last minutes are at steady state: constant 20 ms CPU (SCV 0) on M/G/1-PS at rho 0.125 has
  // a sojourn of mean 22.86 ms and SCV 0 + 2 rho / (2 - rho) = 0.1333 (models/eks/sojourn_tail.hpp),
  // fitted as a fixed part 1 - c plus an exponential of mean c, c = sqrt(0.1333) = 0.3651: p50 =
  // 22.86 x (0.6349 + 0.3651 ln 2) = 20.3 ms (recorded at quantile strata: within 5 %).
  const auto& rows = r.series_rows;
  const size_t p50 = static_cast<size_t>(std::find(r.series_columns.begin(), r.series_columns.end(), "p50_ms") -
                                         r.series_columns.begin());
  const double c = std::sqrt(0.25 / 1.875);
  CHECK(rows[55][p50] == Approx(22.857 * (1 - c + c * std::log(2.0))).epsilon(0.05));
}

TEST_CASE("eks cluster: a failed node costs the requests sent to its pods until it is NotReady", "[eks]")
{
  // No HPA: 6 pods spread 2 per node over 3 nodes (hostname spread). The node with the most pods
  // (2 of 6) dies at 600 s: for node_monitor_grace_s = 40 s a third of 100/s fails:
  // 100 x 40 x 1/3 = 1333.3 -> 1333 errors; then 4 pods carry 2000m of demand under their limits.
  auto doc = flat_cluster();
  doc["eks"]["node_groups"][0]["desired_size"] = 3;
  doc["eks"]["node_groups"][0]["min_size"] = 3;
  doc["eks"]["deployments"][0].erase("hpa");
  doc["eks"]["deployments"][0]["replicas"] = 6;
  doc["events"] = nlohmann::json::array({{{"at_s", 600}, {"action", "eks_node_failure"}, {"target", "web"}}});
  const auto sc = harness::parse_full_scenario(doc, "test");
  harness::Simulation sim(sc);
  sim.advance_to(599);
  for (const auto& n : sim.eks()->nodes())
    CHECK(n.pods.size() == 2);
  sim.advance_to(3600);
  // Replaced at 600 + 300 (+120 s boot and join), pods evicted at 600 + 340 and rescheduled.
  CHECK(sim.eks()->ready_pods(0) == 6);
  int ready_nodes = 0;
  for (const auto& n : sim.eks()->nodes())
    ready_nodes += n.state == models::eks::NodeState::Ready;
  CHECK(ready_nodes == 3);
  const auto r = sim.finish();
  CHECK(r.server_errors == 1333);
  CHECK(r.timeouts == 0);
  REQUIRE(r.eks);
  CHECK(r.eks->detail["nodes"]["failed"] == 1);
}

TEST_CASE("eks section: bad input names the JSON pointer", "[eks]")
{
  auto bad = [](const std::function<void(nlohmann::json&)>& edit) -> std::string {
    auto d = flat_cluster();
    edit(d);
    try {
      harness::parse_full_scenario(d, "test");
    } catch (const sim::InputError& e) {
      return e.what();
    }
    return "accepted";
  };
  CHECK(bad([](auto& d) { d["eks"]["node_groups"][0]["instance_type"] = "m5.huge"; })
            .rfind("/eks/node_groups/0/instance_type", 0) == 0);
  CHECK(bad([](auto& d) { d["eks"]["deployments"][0]["name"] = "other"; })
            .rfind("/workload/classes/0/stages/0/service", 0) == 0);
  CHECK(bad([](auto& d) { d["eks"]["deployments"][0]["hpa"]["max_replicas"] = 1; }).rfind("/eks/deployments/0/hpa", 0) == 0);
  CHECK(bad([](auto& d) {
          d["events"] = nlohmann::json::array({{{"at_s", 1}, {"action", "eks_rolling_update"}, {"target", "nope"}}});
        }).rfind("/events/0/target", 0) == 0);
  CHECK(bad([](auto& d) { d["eks"]["provisioner"] = "karpenter"; }).rfind("/eks/karpenter", 0) == 0);
  CHECK(bad([](auto& d) { d["eks"]["node_groups"][0]["min_size"] = 4; }).rfind("/eks/node_groups/0", 0) == 0);
  CHECK(bad([](auto& d) { d["eks"]["replicas_typo"] = 1; }).find("replicas_typo") != std::string::npos);
  CHECK(bad([](auto&) {}) == "accepted");
}

TEST_CASE("eks: Karpenter and Cluster Autoscaler on the same spike each report time to capacity and cost", "[eks]")
{
  // Runs the two shipped variants through the CLI (one simulation per process).
  nlohmann::json out[2];
  const char* names[2] = {"eks-black-friday", "eks-black-friday-karpenter"};
  for (int i = 0; i < 2; ++i) {
    const std::string dir = std::string("eks-compare-") + names[i];
    const std::string cmd = std::string(MIGSIM_BINARY) + " run " + MIGSIM_SOURCE_DIR + "/scenarios/" + names[i] +
                            ".json -q --out " + dir + " > /dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
    std::ifstream in(dir + "/summary.json");
    out[i] = nlohmann::json::parse(in)["eks"];
  }
  CHECK(out[0]["provisioner"] == "cluster-autoscaler");
  CHECK(out[1]["provisioner"] == "karpenter");
  for (const auto& e : out) {
    CHECK(e["time_to_capacity_s"]["max"].get<double>() > 0);
    CHECK(e["cost_usd"]["total"].get<double>() > 0);
    // Control plane: $0.10 per hour over the 6 h run.
    CHECK(e["cost_usd"]["control_plane"].get<double>() == Approx(0.6));
  }
  // Karpenter launched only allowed types; the CA only the group's m5.large.
  for (const auto& [type, hours] : out[0]["nodes"]["node_hours_by_type"].items())
    CHECK(type == "m5.large");
  CHECK(out[1]["nodes"]["launched"].get<int>() > 0);
}

TEST_CASE("compare-estates puts on-prem and EKS runs side by side", "[eks]")
{
  // The committed baselines are summary.json files of the shipped scenarios.
  const std::string base = std::string(MIGSIM_SOURCE_DIR) + "/tests/baselines/";
  const std::string cmd = std::string(MIGSIM_BINARY) + " compare-estates " + base + "onprem-black-friday.json " + base +
                          "eks-black-friday.json --json estates.json > estates.txt";
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::ifstream in("estates.json");
  const auto j = nlohmann::json::parse(in)["estates"];
  REQUIRE(j.size() == 2);
  std::ifstream onprem(base + "onprem-black-friday.json"), eks(base + "eks-black-friday.json");
  const auto o = nlohmann::json::parse(onprem), e = nlohmann::json::parse(eks);
  CHECK(j[0]["scenario"] == "onprem-black-friday");
  CHECK(j[0]["p99_ms"] == o["latency_ms"]["p99"]);
  CHECK(j[0]["monthly_usd"].is_null());  // on-prem reports no cost
  CHECK(j[0]["capacity"] == "3 servers, 6 cores");
  CHECK(j[1]["p99_ms"] == e["latency_ms"]["p99"]);
  CHECK(j[1]["monthly_usd"].get<double>() == Approx(e["eks"]["cost_usd"]["monthly_run_rate"].get<double>()));
  CHECK(j[1]["cost_source"] == "/eks/cost");  // the itemised bill
  // Same traffic profile: the same expected arrivals.
  CHECK(o["requests"]["expected_arrivals"] == e["requests"]["expected_arrivals"]);
  // A file that is not a summary is bad input (exit 2).
  const std::string bad = std::string(MIGSIM_BINARY) + " compare-estates " + MIGSIM_SOURCE_DIR +
                          "/scenarios/eks-black-friday.json > /dev/null 2>&1";
  const int rc = std::system(bad.c_str());
  CHECK(WEXITSTATUS(rc) == 2);
}

TEST_CASE("eks cluster: readiness probes time out under overload and the pods flap out of the ALB", "[eks]")
{
  // No HPA, 2 pods of 1 core for 3 cores of demand: the backlog grows 1 CPU-second per second, the
  // queue wait (backlog / 2 cores) passes the probe's 1 s timeout after 2 s; 3 failures 10 s apart
  // (30 s) later both pods are NotReady: the ALB has no target (503) while their backlog waits;
  // they return at the next probe (10 s) and find it again. Every request is counted once: what
  // has no target fails at once (503), what waits past the clients' 30 s timeout times out. At
  // most 2 cores / 20 ms = 100 of the 150 requests a second complete, so at least a third fail.
  auto doc = flat_cluster();
  doc["eks"]["deployments"][0].erase("hpa");
  doc["eks"]["deployments"][0]["replicas"] = 2;
  doc["workload"]["base_rps"] = 150;
  doc["duration_s"] = 1800;
  const auto sc = harness::parse_full_scenario(doc, "test");
  harness::Simulation sim(sc);
  const auto r = sim.finish();
  CHECK(r.timeouts > 0);
  CHECK(r.server_errors > 0);
  CHECK(r.failed == r.server_errors + r.timeouts);
  CHECK(r.arrivals == r.completed + r.failed + r.in_flight);
  CHECK(r.throughput_rps <= 100.0);
  CHECK(static_cast<double>(r.failed + r.in_flight) >= r.arrivals / 3.0);
}

TEST_CASE("eks cluster: an EFS volume is a shared processor-sharing server of its throughput", "[eks]")
{
  // 16 pods (no HPA) share 2 cores of demand: rho 0.125, CPU sojourn 20 / 0.875 = 22.857 ms. Each
  // request also moves 5 KiB on an elastic EFS limited to 1000 KiB/s: 100/s x 5 KiB = 500 KiB/s,
  // rho 0.5, I/O time 5 ms / (1 - 0.5) = 10 ms. Mean latency 32.857 ms (the 19 quantile strata
  // reproduce an exponential's mean within 0.5 %).
  auto doc = flat_cluster();
  doc["eks"]["node_groups"][0]["desired_size"] = 3;
  doc["eks"]["deployments"][0].erase("hpa");
  doc["eks"]["deployments"][0]["replicas"] = 16;
  doc["eks"]["deployments"][0]["efs_volume"] = "shared";
  doc["eks"]["deployments"][0]["efs_kb_per_request"] = 5;
  doc["eks"]["efs"] = nlohmann::json::array({{{"name", "shared"}, {"throughput_mibps", 1000.0 / 1024}}});
  const auto sc = harness::parse_full_scenario(doc, "test");
  harness::Simulation sim(sc);
  const auto r = sim.finish();
  CHECK(r.eks->detail["pods"]["final_replicas"]["api"] == 16);
  CHECK(r.mean_ms == Approx(32.857).epsilon(0.02));
  CHECK(r.failed == 0);
}
