// kube-scheduler: hand-checked filter reasons, plugin scores and placements (numbers worked out in
// the comments from kube-scheduler's formulas, not from this code).
#include "models/eks/instance_catalog.hpp"
#include "models/eks/scheduler.hpp"

#include <catch2/catch.hpp>

using namespace migsim::models::eks;

namespace {

NodeView node(const std::string& name, const std::string& zone, Resources alloc, Resources requested = {})
{
  NodeView n;
  n.name = name;
  n.labels = {{kLabelHostname, name}, {kLabelZone, zone}};
  n.allocatable = alloc;
  n.requested = requested;
  return n;
}

PodSpec pod(const std::string& app, Resources req)
{
  PodSpec p;
  p.name = app + "-x";
  p.app = app;
  p.requests = req;
  return p;
}

}  // namespace

TEST_CASE("eks scheduler: LeastAllocated picks the emptiest node, hand-checked scores")
{
  // Pod 1000m / 2048Mi. No pods of its app anywhere: spread, taint scores are 100 on every node,
  // node affinity 0, so totals = 3*100 + 2*100 + LA + BA.
  // A 4000/8192 with 1000/2048: after 2000/4096 -> LA (50 + 50)/2 = 50, BA 100 -> 650.
  // B 8000/16384 empty: after 1000/2048 -> cpu 7000*100/8000 = 87, mem 14336*100/16384 = 87 -> 87, BA 100 -> 687.
  // C 4000/8192 with 3000/6144: after 4000/8192 -> 0, BA 100 -> 600.
  std::vector<NodeView> nodes = {node("a", "z1", {4000, 8192}, {1000, 2048}), node("b", "z1", {8000, 16384}),
                                 node("c", "z1", {4000, 8192}, {3000, 6144})};
  const auto r = Scheduler().schedule(pod("api", {1000, 2048}), nodes);
  REQUIRE(r.node == 1);
  CHECK(r.nodes[0].least_allocated == 50);
  CHECK(r.nodes[1].least_allocated == 87);
  CHECK(r.nodes[2].least_allocated == 0);
  CHECK(r.nodes[0].total == 650);
  CHECK(r.nodes[1].total == 687);
  CHECK(r.nodes[2].total == 600);
}

TEST_CASE("eks scheduler: BalancedAllocation and integer LeastAllocated")
{
  // 3500/3072 of 4000/8192: cpu (500*100)/4000 = 12, mem (5120*100)/8192 = 62 -> (12 + 62) / 2 = 37.
  CHECK(least_allocated_score({3500, 3072}, {4000, 8192}) == 37);
  // f_cpu 0.875, f_mem 0.375 -> std 0.25 -> 75.
  CHECK(balanced_allocation_score({3500, 3072}, {4000, 8192}) == 75);
  CHECK(balanced_allocation_score({2500, 5120}, {4000, 8192}) == 100);
  // Over-committed resources score 0.
  CHECK(least_allocated_score({5000, 9000}, {4000, 8192}) == 0);
}

TEST_CASE("eks scheduler: zone spread sends the pod to the zone with fewest of its app")
{
  // One node per zone, same requests (so resource scores tie); app pods: z1 2, z2 1, z3 0.
  // Weights: hostname ln(3 + 2), zone ln(3 + 2) = 1.6094.
  // a: 2*1.6094 + 2 + 2*1.6094 + 4 = 12.44 -> 12; b: 1.6094 + 2 + 1.6094 + 4 = 9.22 -> 9; c: 6.
  // Normalised 100 * (max + min - s) / max with max 12, min 6: a 50, b 75, c 100.
  std::vector<NodeView> nodes = {node("a", "z1", {4000, 8192}, {1000, 2048}), node("b", "z2", {4000, 8192}, {1000, 2048}),
                                 node("c", "z3", {4000, 8192}, {1000, 2048})};
  nodes[0].pods_by_app["api"] = 2;
  nodes[1].pods_by_app["api"] = 1;
  const auto r = Scheduler().schedule(pod("api", {500, 1024}), nodes);
  REQUIRE(r.node == 2);
  CHECK(r.nodes[0].pod_topology_spread == 50);
  CHECK(r.nodes[1].pod_topology_spread == 75);
  CHECK(r.nodes[2].pod_topology_spread == 100);
  CHECK(r.nodes[2].total - r.nodes[0].total == 2 * 50);
}

TEST_CASE("eks scheduler: host and zone spread combine with their weights")
{
  // Zone z1: a1 (0 app pods), a2 (3); zone z2: b1 (2). 3 feasible nodes: hostname weight ln 5 =
  // 1.6094; 2 zones: zone weight ln 4 = 1.3863.
  // a1: 0 + 2 + 3*1.3863 + 4 = 10.16 -> 10; a2: 3*1.6094 + 2 + 4.1589 + 4 = 14.99 -> 15;
  // b1: 2*1.6094 + 2 + 2*1.3863 + 4 = 11.99 -> 12. max 15, min 10: a1 100, a2 66, b1 86.
  std::vector<NodeView> nodes = {node("a1", "z1", {4000, 8192}), node("a2", "z1", {4000, 8192}),
                                 node("b1", "z2", {4000, 8192})};
  nodes[1].pods_by_app["web"] = 3;
  nodes[2].pods_by_app["web"] = 2;
  const auto r = Scheduler().schedule(pod("web", {100, 128}), nodes);
  CHECK(r.node == 0);
  CHECK(r.nodes[0].pod_topology_spread == 100);
  CHECK(r.nodes[1].pod_topology_spread == 66);
  CHECK(r.nodes[2].pod_topology_spread == 86);
}

TEST_CASE("eks scheduler: Pending with kube-scheduler's message when nothing fits")
{
  std::vector<NodeView> nodes = {node("a", "z1", {2000, 8192}, {1800, 1024}), node("b", "z2", {2000, 8192}, {1800, 1024}),
                                 node("c", "z3", {2000, 8192}, {1800, 1024})};
  const auto r = Scheduler().schedule(pod("api", {500, 512}), nodes);
  CHECK(r.node == -1);
  CHECK(r.message == "0/3 nodes are available: 3 Insufficient cpu.");

  // One node per reason: a taint, a nodeSelector mismatch, both resources short; sorted as kube does.
  nodes[0].requested = {};
  nodes[0].taints = {{"dedicated", "gpu", TaintEffect::NoSchedule}};
  nodes[1].requested = {};
  nodes[1].labels["workload"] = "batch";
  nodes[2].requested = {1800, 8000};
  nodes[2].labels["workload"] = "batch";
  auto p = pod("api", {500, 512});
  p.node_selector = {{"workload", "batch"}};
  nodes[1].labels["workload"] = "web";
  const auto r2 = Scheduler().schedule(p, nodes);
  CHECK(r2.node == -1);
  CHECK(r2.message == "0/3 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 node(s) didn't match "
                      "Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}.");
}

TEST_CASE("eks scheduler: tolerations, affinity preferences and PreferNoSchedule")
{
  std::vector<NodeView> nodes = {node("a", "z1", {4000, 8192}), node("b", "z2", {4000, 8192})};
  nodes[0].taints = {{"dedicated", "gpu", TaintEffect::NoSchedule}};
  auto p = pod("api", {100, 128});
  CHECK(Scheduler().schedule(p, nodes).node == 1);
  p.tolerations = {{"dedicated", false, "gpu"}};
  // Both feasible now; everything ties, so the first node wins (deterministic tie-break).
  CHECK(Scheduler().schedule(p, nodes).node == 0);
  // A preferred zone-z2 term (weight 50): node affinity 100 on b, 0 on a -> b by 2 * 100.
  p.preferred_affinity = {{50, {{kLabelZone, LabelRequirement::Op::In, {"z2"}}}}};
  auto r = Scheduler().schedule(p, nodes);
  CHECK(r.node == 1);
  CHECK(r.nodes[1].total - r.nodes[0].total == 200);
  // A PreferNoSchedule taint on b: taint score 0 there (reverse-normalised), 100 on a: 3 * 100 against b.
  nodes[1].taints = {{"spot", "true", TaintEffect::PreferNoSchedule}};
  r = Scheduler().schedule(p, nodes);
  CHECK(r.nodes[1].taint_toleration == 0);
  CHECK(r.nodes[0].taint_toleration == 100);
  CHECK(r.node == 0);  // 300 from taints beats 200 from affinity
  // Required affinity excludes a.
  p.required_affinity = {{kLabelZone, LabelRequirement::Op::NotIn, {"z1"}}};
  CHECK(Scheduler().schedule(p, nodes).node == 1);
}

TEST_CASE("eks instance catalogue: allocatable after the EKS AMI reservations")
{
  // m5.large: 2 vCPU -> 60 + 10 = 70m reserved -> 1930m; 8192 - (255 + 11*29) - 100 = 7518 MiB.
  CHECK(instance_type("m5.large").allocatable == Resources{1930, 7518});
  // m5.xlarge: 60 + 10 + 5 + 5 = 80m -> 3920m; 16384 - (255 + 638) - 100 = 15391 MiB.
  CHECK(instance_type("m5.xlarge").allocatable == Resources{3920, 15391});
  // 16 cores: 80 + 12 * 2.5 = 110m.
  CHECK(kube_reserved_cpu_m(16) == 110);
  CHECK(instance_type("c6i.4xlarge").max_pods == 234);
  CHECK_THROWS(instance_type("m5.nano"));
}
