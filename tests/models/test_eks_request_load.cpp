// The request-level EKS path (eks.fidelity "request"): the processor-sharing pod CPU against
// hand-computed departures, one pod against M/G/1-PS and M/M/c (Erlang C) mean sojourn times and
// Little's law, the HPA reading the pods' own CPU, and the ALB's health checks taking the pods of a
// dead node out of rotation before Kubernetes marks the node NotReady. Each TEST_CASE runs at most
// one simulation (one SimGrid engine per process).
#include "harness/run/run_command.hpp"
#include "models/eks/eks_cluster.hpp"
#include "models/eks/ps_server.hpp"
#include "sim/json_reader.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace migsim;
using models::ManualClock;
using models::eks::PsServer;

namespace {

// One class spending cpu_ms in Deployment "api" at a flat rate; fixed replicas unless hpa is set.
nlohmann::json one_deployment(double rps, double cpu_ms, const std::string& dist, double cv, int replicas,
                              int limit_m, double duration_s)
{
  auto doc = nlohmann::json::parse(R"({
    "name": "eks-request", "seed": 3,
    "platform": {"zones": [{"name": "internet"}],
                 "servers": [{"name": "placeholder", "zone": "internet", "cores": 1}],
                 "services": [{"name": "api", "server": "placeholder", "workers": 1}]},
    "workload": {"client_zone": "internet",
                 "classes": [{"name": "call", "weight": 1, "stages": [{"service": "api"}]}]},
    "eks": {"zones": ["a", "b", "c"], "alb_latency_ms": 0, "fidelity": "request",
            "node_groups": [{"name": "web", "instance_type": "m5.xlarge", "min_size": 3, "max_size": 5, "desired_size": 3}],
            "deployments": [{"name": "api", "memory_request_mib": 256}]}
  })");
  doc["duration_s"] = duration_s;
  doc["workload"]["base_rps"] = rps;
  auto& stage = doc["workload"]["classes"][0]["stages"][0];
  stage["cpu_ms"] = cpu_ms;
  stage["cpu_dist"] = dist;
  if (dist == "lognormal")
    stage["cpu_cv"] = cv;
  auto& dep = doc["eks"]["deployments"][0];
  dep["replicas"] = replicas;
  dep["cpu_request_m"] = limit_m / 2;
  dep["cpu_limit_m"] = limit_m;
  return doc;
}

}  // namespace

TEST_CASE("eks request load: a processor-sharing CPU follows hand-computed departures", "[eks]")
{
  ManualClock clock;
  std::map<uint64_t, double> done;
  SECTION("two jobs on one core share it equally")
  {
    PsServer ps(clock, 1.0, 1.0);
    ps.on_done = [&](uint64_t tag) { done[tag] = clock.now(); };
    ps.add(1.0, 1);  // both at 1/2 core: job 1 (1 s of work) leaves at 2 s
    ps.add(2.0, 2);  // job 2 then has 1 s left alone: leaves at 3 s
    CHECK(ps.unfinished_work() == Approx(3.0));
    clock.run_until(10);
    CHECK(done.at(1) == Approx(2.0));
    CHECK(done.at(2) == Approx(3.0));
    CHECK(ps.used() == Approx(3.0));
  }
  SECTION("a late arrival slows the job in service from then on")
  {
    PsServer ps(clock, 1.0, 1.0);
    ps.on_done = [&](uint64_t tag) { done[tag] = clock.now(); };
    ps.add(1.0, 1);  // alone for 0.5 s (0.5 done), then at 1/2: 0.5 left takes 1 s -> 1.5 s
    clock.run_until(0.5);
    ps.add(1.0, 2);  // 0.5 done by 1.5 s, then alone: 2.0 s
    clock.run_until(10);
    CHECK(done.at(1) == Approx(1.5));
    CHECK(done.at(2) == Approx(2.0));
  }
  SECTION("a request uses at most one core of a multi-core limit")
  {
    PsServer ps(clock, 2.0, 1.0);
    ps.on_done = [&](uint64_t tag) { done[tag] = clock.now(); };
    ps.add(1.0, 1);  // alone on 2 cores: 1 core (one thread) -> 1 s
    clock.run_until(5);
    CHECK(done.at(1) == Approx(1.0));
    for (uint64_t t = 2; t <= 4; ++t)
      ps.add(1.0, t);  // three jobs on 2 cores: 2/3 core each -> 1.5 s
    clock.run_until(20);
    for (uint64_t t = 2; t <= 4; ++t)
      CHECK(done.at(t) == Approx(6.5));
    CHECK(ps.used() == Approx(4.0));
  }
  SECTION("a cancelled job gives its share back; clear hands back the rest in admission order")
  {
    PsServer ps(clock, 1.0, 1.0);
    ps.on_done = [&](uint64_t tag) { done[tag] = clock.now(); };
    ps.add(1.0, 1);
    const uint64_t b = ps.add(1.0, 2);
    clock.run_until(1.0);  // each has 0.5 done
    CHECK(ps.cancel(b));
    CHECK_FALSE(ps.cancel(b));
    CHECK(ps.unfinished_work() == Approx(0.5));
    clock.run_until(10);
    CHECK(done.at(1) == Approx(1.5));
    CHECK(done.count(2) == 0);
    ps.add(4.0, 7);
    ps.add(4.0, 5);
    clock.run_until(11);
    CHECK(ps.clear() == std::vector<uint64_t>{7, 5});
    CHECK(ps.jobs() == 0);
    clock.run_until(30);
    CHECK(done.count(7) == 0);
  }
}

TEST_CASE("eks request load: one pod is an M/G/1-PS queue (mean sojourn x / (1 - rho), Little's law)", "[eks]")
{
  // One pod of 1 core, 35 requests/s of 20 ms lognormal CPU (cv 1.5): rho = 0.7. M/G/1-PS is
  // insensitive to the distribution: mean sojourn 20 / (1 - 0.7) = 66.67 ms. 4 h = 504,000
  // requests; the batch-means standard error at this load is about 1 %, hence 4 %.
  const auto sc = harness::parse_full_scenario(one_deployment(35, 20, "lognormal", 1.5, 1, 1000, 4 * 3600), "test");
  harness::Simulation sim(sc);
  const auto r = sim.finish();
  CHECK(r.failed == 0);
  CHECK(r.mean_ms == Approx(20.0 / 0.3).epsilon(0.04));
  CHECK(r.little_rel_error < 0.01);
  CHECK(r.throughput_rps == Approx(35).epsilon(0.01));
}

TEST_CASE("eks request load: a 2-core pod with one core per request is M/M/2 (Erlang C)", "[eks]")
{
  // Limit 2000m, one thread per request: with n requests each runs at min(1, 2/n) cores, the
  // number in service is the birth-death chain of M/M/2. 75/s of 20 ms exponential: a = 1.5,
  // C(2, 1.5) = 4.5 / 7, W = 20 ms + C / (100 - 75)/s = 45.71 ms.
  const auto sc = harness::parse_full_scenario(one_deployment(75, 20, "exponential", 0, 1, 2000, 3 * 3600), "test");
  harness::Simulation sim(sc);
  const auto r = sim.finish();
  const double erlang_c = 4.5 / 7;
  CHECK(r.mean_ms == Approx(20 + erlang_c / 25 * 1000).epsilon(0.04));
  CHECK(r.little_rel_error < 0.01);
}

TEST_CASE("eks request load: one worker per pod turns it into an M/D/1 FIFO queue (Pollaczek-Khinchine)", "[eks]")
{
  // max_concurrency 1: requests wait in the pod's FIFO for its one worker. Constant 20 ms at 35/s
  // (rho 0.7): M/D/1 mean sojourn 20 + 0.7 x 20 / (2 x 0.3) = 43.33 ms, where processor sharing
  // (no limit) gives 66.67 ms.
  auto doc = one_deployment(35, 20, "constant", 0, 1, 1000, 3 * 3600);
  doc["eks"]["deployments"][0]["max_concurrency"] = 1;
  const auto sc = harness::parse_full_scenario(doc, "test");
  harness::Simulation sim(sc);
  const auto r = sim.finish();
  CHECK(r.failed == 0);
  CHECK(r.mean_ms == Approx(20 + 0.7 * 20 / 0.6).epsilon(0.04));
  CHECK(r.little_rel_error < 0.01);
}

TEST_CASE("eks request load: the HPA reads each pod's own CPU and settles where the formula says", "[eks]")
{
  // 100/s x 20 ms = 2000m of demand; HPA target 50 % of a 250m request = 125m a pod -> 16 pods.
  auto doc = one_deployment(100, 20, "constant", 0, 4, 1000, 3600);
  doc["eks"]["deployments"][0]["cpu_request_m"] = 250;
  doc["eks"]["deployments"][0]["hpa"] = {{"min_replicas", 2}, {"max_replicas", 30}, {"target_cpu_utilization_pct", 50}};
  const auto sc = harness::parse_full_scenario(doc, "test");
  harness::Simulation sim(sc);
  sim.advance_to(3600);
  CHECK(sim.eks()->desired_replicas(0) == 16);
  CHECK(sim.eks()->ready_pods(0) == 16);
  const auto r = sim.finish();
  CHECK(r.failed == 0);
  // At 16 pods of 1 core rho = 0.125: once settled the latency is about 20 / 0.875 ms.
  CHECK(r.p50_ms < 30);
}

TEST_CASE("eks request load: ALB health checks take a dead node's pods out before it is NotReady", "[eks]")
{
  // 6 pods of 1 core (2 per node), 100/s. A node dies at 605 s. The ALB checks every 15 s from
  // 15 s (615, 630, ...), timeout 5 s, unhealthy after 2 failures: 635 s. Until then round robin
  // sends 1/3 of the requests to the dead pods: 100 x 30 / 3 = 1000 fail (Poisson: +-3 %), where
  // the fluid model (no ALB health checks) loses 100 x 40 / 3 = 1333 until NotReady at 645 s.
  auto doc = one_deployment(100, 20, "constant", 0, 6, 1000, 1200);
  doc["eks"]["node_groups"][0]["instance_type"] = "m5.large";
  doc["events"] = nlohmann::json::array({{{"at_s", 605}, {"action", "eks_node_failure"}, {"target", "web"}}});
  const auto sc = harness::parse_full_scenario(doc, "test");
  harness::Simulation sim(sc);
  const auto r = sim.finish();
  CHECK(r.server_errors == Approx(1000).margin(80));
  CHECK(r.timeouts == 0);
}

TEST_CASE("eks request load: under overload pods fail their readiness probes and never serve beyond their CPU", "[eks]")
{
  // 2 pods of 1 core, 150/s x 20 ms = 3 cores of demand. Each pod's backlog passes the probe's 1 s
  // timeout within seconds; after 3 failed probes (30 s) it leaves the endpoints and works off what
  // it holds while the other pod takes everything (its backlog then grows 2 s a second, past the
  // clients' 30 s timeout) or, with both out, the ALB answers 503. Whatever the flapping,
  // completions cannot exceed the CPU: 2 cores / 20 ms = 100 requests/s.
  auto doc = one_deployment(150, 20, "constant", 0, 2, 1000, 1800);
  doc["eks"]["node_groups"][0]["instance_type"] = "m5.large";
  const auto sc = harness::parse_full_scenario(doc, "test");
  harness::Simulation sim(sc);
  const auto r = sim.finish();
  CHECK(r.throughput_rps <= 100.0);
  CHECK(r.throughput_rps > 50.0);
  CHECK(r.server_errors > 0);
  CHECK(r.timeouts > 0);
  CHECK(r.failed == r.server_errors + r.timeouts);
  CHECK(r.arrivals == r.completed + r.failed + r.in_flight);
}

TEST_CASE("eks fidelity: unknown values and bad target groups name the JSON pointer", "[eks]")
{
  auto doc = one_deployment(10, 20, "constant", 0, 2, 1000, 60);
  doc["eks"]["fidelity"] = "packet";
  CHECK_THROWS_WITH(harness::parse_full_scenario(doc, "test"), Catch::Contains("/eks/fidelity"));
  doc["eks"]["fidelity"] = "request";
  doc["eks"]["alb_target_group"] = {{"algorithm", "least_outstanding_requests"}, {"slow_start_s", 60}};
  CHECK_THROWS_WITH(harness::parse_full_scenario(doc, "test"), Catch::Contains("/eks/alb_target_group/slow_start_s"));
}
