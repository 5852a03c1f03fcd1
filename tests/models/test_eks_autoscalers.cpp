// Cluster Autoscaler and Karpenter decisions on hand-built snapshots (expected node counts and
// instance types worked out in the comments from the allocatable formula and the documented rules).
#include "models/eks/cluster_autoscaler.hpp"
#include "models/eks/instance_catalog.hpp"
#include "models/eks/karpenter.hpp"

#include <catch2/catch.hpp>

using namespace migsim::models::eks;

namespace {

NodeView template_of(const std::string& type)
{
  NodeView n;
  n.allocatable = instance_type(type).allocatable;
  n.max_pods = instance_type(type).max_pods;
  n.labels = {{kLabelInstanceType, type}};
  return n;
}

PodSpec pod(const std::string& name, Resources req)
{
  PodSpec p;
  p.name = name;
  p.app = "api";
  p.requests = req;
  return p;
}

CaNode ca_node(const std::string& name, int group, const std::string& type, std::vector<PodSpec> pods)
{
  CaNode n;
  n.view = template_of(type);
  n.view.name = name;
  n.view.labels[kLabelHostname] = name;
  n.group = group;
  for (const auto& p : pods)
    n.view.add_pod(p);
  n.pods = std::move(pods);
  return n;
}

}  // namespace

TEST_CASE("eks cluster autoscaler: scales up only for unschedulable pods, by the nodes they need")
{
  CaSnapshot s;
  s.groups = {{"web", template_of("m5.large"), 1, 5, 2, 0}};
  s.nodes = {ca_node("n1", 0, "m5.large", {pod("a", {1500, 1024})}), ca_node("n2", 0, "m5.large", {pod("b", {1500, 1024})})};
  ClusterAutoscaler ca;
  // Busy nodes but nothing Pending: no scale-up.
  CHECK(ca.scan(0, s).scale_up_group == -1);
  // 3 pending pods of 1000m: m5.large holds 1930m, so one per node -> 3 nodes (room: 5 - 2 = 3).
  s.unschedulable = {pod("p1", {1000, 1024}), pod("p2", {1000, 1024}), pod("p3", {1000, 1024})};
  auto d = ca.scan(10, s);
  CHECK(d.scale_up_group == 0);
  CHECK(d.scale_up_nodes == 3);
  CHECK(d.pods_helped == 3);
  // One node already on its way takes one pod: 2 more. Max 5 with target 4 leaves room for 1.
  s.upcoming = {{0, 5}};
  s.groups[0].target_size = 3;
  CHECK(ca.scan(20, s).scale_up_nodes == 2);
  s.groups[0].target_size = 4;
  CHECK(ca.scan(30, s).scale_up_nodes == 1);
  // A pod bigger than any node of the group: no scale-up.
  s.upcoming.clear();
  s.groups[0].target_size = 2;
  s.unschedulable = {pod("huge", {3000, 1024})};
  d = ca.scan(40, s);
  CHECK(d.scale_up_group == -1);
  CHECK(d.note.find("no node group can help") != std::string::npos);
}

TEST_CASE("eks cluster autoscaler: removes a node only after 10 min under 0.5 and never below min")
{
  CaSnapshot s;
  // min 2, three nodes: n1 busy (1500m of 1930m), n2 at 400m (0.21), n3 at 200m (0.10).
  s.groups = {{"web", template_of("m5.large"), 2, 5, 3, 0}};
  s.nodes = {ca_node("n1", 0, "m5.large", {pod("a", {1500, 1024})}), ca_node("n2", 0, "m5.large", {pod("b", {400, 512})}),
             ca_node("n3", 0, "m5.large", {pod("c", {200, 512})})};
  ClusterAutoscaler ca;
  std::vector<std::string> removed;
  double removed_at = -1;
  for (double t = 0; t <= 1200 && removed.empty(); t += 10) {
    auto d = ca.scan(t, s);
    if (d.remove_nodes.empty())
      CHECK(ca.unneeded_since().size() == 1);  // only one of n2 / n3 can go (min 2)
    if (!d.remove_nodes.empty()) {
      removed = d.remove_nodes;
      removed_at = t;
    }
  }
  CHECK(removed == std::vector<std::string>{"n2"});
  CHECK(removed_at == 600);
  // The group at its min: nothing more goes, however long.
  s.groups[0].target_size = 2;
  s.nodes.erase(s.nodes.begin() + 1);
  for (double t = 610; t <= 3000; t += 10)
    CHECK(ca.scan(t, s).remove_nodes.empty());
}

TEST_CASE("eks cluster autoscaler: the 10 min clock restarts when a node goes back above 0.5")
{
  CaSnapshot s;
  s.groups = {{"web", template_of("m5.large"), 1, 5, 2, 0}};
  s.nodes = {ca_node("n1", 0, "m5.large", {}), ca_node("n2", 0, "m5.large", {pod("b", {200, 512})})};
  s.nodes[0].view.requested = {1500, 1024};  // busy with pods that cannot move (not listed)
  ClusterAutoscaler ca;
  double removed_at = -1;
  for (double t = 0; t <= 2000 && removed_at < 0; t += 10) {
    // n2 busy (1200m) during [300, 310].
    s.nodes[1].view.requested = (t >= 300 && t <= 310) ? Resources{1200, 512} : Resources{200, 512};
    if (!ca.scan(t, s).remove_nodes.empty())
      removed_at = t;
  }
  // Below again from t=320: removed at 320 + 600 (n1 is never under 0.5).
  CHECK(removed_at == 920);
}

TEST_CASE("eks cluster autoscaler: no scale-down within 10 min of a scale-up, give up slow nodes")
{
  CaSnapshot s;
  s.groups = {{"web", template_of("m5.large"), 1, 10, 2, 0}};
  s.nodes = {ca_node("n1", 0, "m5.large", {pod("a", {1500, 1024})}), ca_node("n2", 0, "m5.large", {})};
  ClusterAutoscaler ca;
  double removed_at = -1;
  for (double t = 0; t <= 2000 && removed_at < 0; t += 10) {
    s.unschedulable.clear();
    if (t == 300)
      s.unschedulable = {pod("p", {1500, 1024})};  // a scale-up at 300
    auto d = ca.scan(t, s);
    if (t == 300)
      CHECK(d.scale_up_nodes == 1);
    if (!d.remove_nodes.empty())
      removed_at = t;
  }
  // n2 empty and unneeded since 0 but the scale-up at 300 holds scale-down until 900.
  CHECK(removed_at == 900);

  // A node asked for at 0 and still not there at 900 (max provisioning time 15 min) is given up.
  CaSnapshot slow;
  slow.groups = {{"a", template_of("m5.large"), 0, 5, 1, 0}, {"b", template_of("m5.large"), 0, 5, 0, 0}};
  slow.upcoming = {{0, 0}};
  slow.unschedulable = {pod("p", {1000, 1024})};
  ClusterAutoscaler ca2({.expander = Expander::Priority});
  slow.groups[0].priority = 10;
  CHECK(ca2.scan(890, slow).give_up_upcoming.empty());
  auto d = ca2.scan(900, slow);
  REQUIRE(d.give_up_upcoming == std::vector<size_t>{0});
  CHECK(d.scale_up_group == 1);  // group a is backed off, b takes the pod
}

TEST_CASE("eks cluster autoscaler: expanders least-waste, most-pods, priority")
{
  // 4 pods of 900m / 1 GiB. small = m5.large (1930m, 7518 MiB): 2 per node -> 2 nodes, waste
  // (1 - 3600/3860) + (1 - 4096/15036) = 0.067 + 0.728 = 0.795.
  // big = m5.2xlarge (7910m, 31775 MiB): 4 on one node, waste 0.545 + 0.871 = 1.416.
  CaSnapshot s;
  s.groups = {{"small", template_of("m5.large"), 0, 10, 0, 1}, {"big", template_of("m5.2xlarge"), 0, 10, 0, 5}};
  for (int i = 0; i < 4; ++i)
    s.unschedulable.push_back(pod("p" + std::to_string(i), {900, 1024}));
  auto least = ClusterAutoscaler({.expander = Expander::LeastWaste}).scan(0, s);
  CHECK(least.scale_up_group == 0);
  CHECK(least.scale_up_nodes == 2);
  auto prio = ClusterAutoscaler({.expander = Expander::Priority}).scan(0, s);
  CHECK(prio.scale_up_group == 1);
  CHECK(prio.scale_up_nodes == 1);
  // most-pods: both place 4 -> random between them, the same for the same seed.
  CHECK(ClusterAutoscaler({.expander = Expander::MostPods, .seed = 3}).scan(0, s).scale_up_group ==
        ClusterAutoscaler({.expander = Expander::MostPods, .seed = 3}).scan(0, s).scale_up_group);
  // A group whose nodes cannot hold a pod is never an option: 4 pods of 3000m fit only on big.
  s.unschedulable = {pod("x", {3000, 1024})};
  CHECK(ClusterAutoscaler({.expander = Expander::LeastWaste}).scan(0, s).scale_up_group == 1);
}

TEST_CASE("eks karpenter: cheapest instance types that fit the pending pods")
{
  NodePool pool;
  for (const char* t : {"m5.large", "m5.xlarge", "c6i.large", "c6i.xlarge"})
    pool.instance_types.push_back(instance_type(t));
  // 3 pods of 1500m / 2 GiB. Claim 1 takes p1 (all types), p2 (3000m: only the xlarges, 3920m),
  // not p3 (4500m) -> cheapest of m5.xlarge $0.192 and c6i.xlarge $0.17 -> c6i.xlarge.
  // Claim 2 takes p3 -> cheapest holding 1500m / 2 GiB: c6i.large (1930m, 3422 MiB) $0.085.
  std::vector<PodSpec> pending = {pod("p1", {1500, 2048}), pod("p2", {1500, 2048}), pod("p3", {1500, 2048})};
  auto claims = karpenter_provision(pool, pending);
  REQUIRE(claims.size() == 2);
  CHECK(pool.instance_types[claims[0].type].name == "c6i.xlarge");
  CHECK(claims[0].pods.size() == 2);
  CHECK(pool.instance_types[claims[1].type].name == "c6i.large");
  // Memory-heavy pods: 2 x 6000 MiB -> only m5.xlarge (15391 MiB) holds both.
  auto mem = karpenter_provision(pool, {pod("m1", {500, 6000}), pod("m2", {500, 6000})});
  REQUIRE(mem.size() == 1);
  CHECK(pool.instance_types[mem[0].type].name == "m5.xlarge");
  // A pod no allowed type holds is left out.
  CHECK(karpenter_provision(pool, {pod("big", {8000, 1024})}).empty());
}

TEST_CASE("eks karpenter: consolidation WhenEmpty and WhenEmptyOrUnderutilized")
{
  NodePool pool;
  for (const char* t : {"m5.xlarge", "c6i.large"})
    pool.instance_types.push_back(instance_type(t));
  auto knode = [&](const std::string& name, size_t type, std::vector<PodSpec> pods, double empty_since) {
    KarpenterNode n;
    n.view = template_of(pool.instance_types[type].name);
    n.view.name = name;
    for (const auto& p : pods)
      n.view.add_pod(p);
    n.type = type;
    n.pods = std::move(pods);
    n.empty_since_s = empty_since;
    return n;
  };
  pool.consolidation = Consolidation::WhenEmpty;
  pool.consolidate_after_s = 30;
  std::vector<KarpenterNode> nodes = {knode("a", 0, {pod("x", {500, 512})}, -1), knode("b", 0, {}, 0)};
  CHECK(karpenter_consolidate(pool, nodes, 20).kind == ConsolidationAction::Kind::None);
  auto a = karpenter_consolidate(pool, nodes, 30);
  CHECK(a.kind == ConsolidationAction::Kind::Delete);
  CHECK(a.node == 1);
  // WhenEmpty leaves two half-empty nodes alone; WhenEmptyOrUnderutilized deletes one (its pod fits).
  nodes = {knode("a", 0, {pod("x", {500, 512})}, -1), knode("b", 0, {pod("y", {500, 512})}, -1)};
  CHECK(karpenter_consolidate(pool, nodes, 100).kind == ConsolidationAction::Kind::None);
  pool.consolidation = Consolidation::WhenEmptyOrUnderutilized;
  a = karpenter_consolidate(pool, nodes, 100);
  CHECK(a.kind == ConsolidationAction::Kind::Delete);
  // A lone m5.xlarge holding 1000m / 2 GiB: replaced by the cheaper c6i.large ($0.085 < $0.192).
  nodes = {knode("a", 0, {pod("x", {1000, 2048})}, -1)};
  a = karpenter_consolidate(pool, nodes, 100);
  CHECK(a.kind == ConsolidationAction::Kind::Replace);
  CHECK(pool.instance_types[a.replacement].name == "c6i.large");
  // Already on the cheapest type that holds it: nothing.
  nodes = {knode("a", 1, {pod("x", {1000, 2048})}, -1)};
  CHECK(karpenter_consolidate(pool, nodes, 100).kind == ConsolidationAction::Kind::None);
}
