// EKS resources created through the API (models/eks/eks_api_state): clusters CREATING 600 s ->
// ACTIVE, DELETING 300 s -> gone; node groups CREATING 120 s -> ACTIVE, DELETING 300 s -> gone;
// updates InProgress 120 s -> Successful (the stated defaults), at hand-computed times; the EKS
// error codes; and a node group created on the simulated cluster, whose nodes boot (90 s) and join
// (30 s) per the model before it is ACTIVE and are drained when it is deleted.
#include "harness/run/run_command.hpp"
#include "models/eks/eks_api_state.hpp"
#include "models/eks/eks_cluster.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace migsim;
using models::eks::EksApiError;
using models::eks::EksApiState;

namespace {

template <class Fn>
std::string code_of(Fn&& fn)
{
  try {
    fn();
  } catch (const EksApiError& e) {
    return e.code();
  }
  return "";
}

models::eks::NodegroupRequest group(const std::string& cluster, const std::string& name)
{
  models::eks::NodegroupRequest r;
  r.cluster = cluster;
  r.name = name;
  r.node_role = "arn:aws:iam::000000000000:role/eks-node";
  r.subnets = {"subnet-a"};
  r.instance_types = {"m5.large"};
  r.min_size = 1;
  r.max_size = 3;
  r.desired_size = 2;
  return r;
}

}  // namespace

TEST_CASE("eks api: cluster, node group and update lifecycles at the default durations", "[eks]")
{
  EksApiState s;
  const std::vector<std::string> subnets{"subnet-a", "subnet-b"};
  auto& c = s.create_cluster("staging", "", "role", subnets, 10);
  CHECK(c.version == "1.30");
  CHECK(s.cluster_status(c, 10) == "CREATING");
  CHECK(s.cluster_status(c, 609.9) == "CREATING");
  CHECK(s.cluster_status(c, 610) == "ACTIVE");
  CHECK(code_of([&] { s.create_nodegroup(group("staging", "workers"), 609); }) == "InvalidRequestException");
  auto& g = s.create_nodegroup(group("staging", "workers"), 610);
  CHECK(s.nodegroup_status(g, 729.9) == "CREATING");
  CHECK(s.nodegroup_status(g, 730) == "ACTIVE");
  CHECK(code_of([&] { s.delete_cluster("staging", 800); }) == "ResourceInUseException");
  auto& u = s.record_update("staging", "workers", {{"DesiredSize", "3"}}, 800);
  CHECK(s.update_status(u, 919.9) == "InProgress");
  CHECK(s.update_status(u, 920) == "Successful");
  CHECK(s.update_ids("staging", "workers") == std::vector<std::string>{u.id});
  CHECK(g.desired_size == 3);
  s.delete_nodegroup("staging", "workers", 1000);
  CHECK(s.nodegroup_status(g, 1000) == "DELETING");
  CHECK(code_of([&] { s.delete_nodegroup("staging", "workers", 1001); }) == "ResourceInUseException");
  CHECK(s.nodegroup_names("staging", 1299.9) == std::vector<std::string>{"workers"});
  CHECK(s.nodegroup_names("staging", 1300).empty());
  CHECK(code_of([&] { s.nodegroup("staging", "workers", 1300); }) == "ResourceNotFoundException");
  s.delete_cluster("staging", 1300);
  CHECK(s.cluster_status(c, 1300) == "DELETING");
  CHECK(s.cluster_names(1599.9) == std::vector<std::string>{"staging"});
  CHECK(s.cluster_names(1600).empty());
  CHECK(code_of([&] { s.cluster("staging", 1600); }) == "ResourceNotFoundException");
}

TEST_CASE("eks api: CreateCluster and CreateNodegroup answer EKS's codes for bad input", "[eks]")
{
  EksApiState s(models::eks::EksApiTimings{60, 30, 20, 10, 5});
  const std::vector<std::string> subnets{"subnet-a", "subnet-b"};
  s.create_cluster("c1", "1.29", "role", subnets, 0);
  CHECK(code_of([&] { s.create_cluster("c1", "", "role", subnets, 1); }) == "ResourceInUseException");
  CHECK(code_of([&] { s.create_cluster("-bad", "", "role", subnets, 1); }) == "InvalidParameterException");
  CHECK(code_of([&] { s.create_cluster("solo", "", "role", {"subnet-a"}, 1); }) == "InvalidParameterException");
  CHECK(code_of([&] { s.delete_cluster("c1", 30); }) == "ResourceInUseException");  // still CREATING
  auto ok = group("c1", "g");
  CHECK(code_of([&] { s.create_nodegroup(group("nope", "g"), 60); }) == "ResourceNotFoundException");
  auto bad = ok;
  bad.instance_types = {"t2.nano"};
  CHECK(code_of([&] { s.create_nodegroup(bad, 60); }) == "InvalidParameterException");
  bad = ok;
  bad.subnets.clear();
  CHECK(code_of([&] { s.create_nodegroup(bad, 60); }) == "InvalidParameterException");
  bad = ok;
  bad.min_size = 4;  // min 4 > max 3
  CHECK(code_of([&] { s.create_nodegroup(bad, 60); }) == "InvalidParameterException");
  CHECK(code_of([] { models::eks::check_scaling(0, 0, 0); }) == "InvalidParameterException");
  CHECK(code_of([] { models::eks::check_scaling(1, 3, 4); }) == "InvalidParameterException");
  CHECK(code_of([] { models::eks::check_scaling(0, 3, 0); }) == "");
  auto& g = s.create_nodegroup(ok, 60);  // the shorter durations given above
  CHECK(s.nodegroup_status(g, 79.9) == "CREATING");
  CHECK(s.nodegroup_status(g, 80) == "ACTIVE");
  CHECK(code_of([&] { s.create_nodegroup(ok, 61); }) == "ResourceInUseException");
  CHECK(code_of([&] { s.update("c1", "g", "nope"); }) == "ResourceNotFoundException");
}

TEST_CASE("eks api: a node group created on the simulated cluster boots and joins per the model", "[eks]")
{
  // One node group (1 x m5.large), 2 fixed replicas of 250m: nothing for the autoscaler to do.
  const auto doc = nlohmann::json::parse(R"({
    "name": "eks-api", "seed": 1, "duration_s": 1800,
    "platform": {"zones": [{"name": "internet"}],
                 "servers": [{"name": "placeholder", "zone": "internet", "cores": 1}],
                 "services": [{"name": "api", "server": "placeholder", "workers": 1}]},
    "workload": {"client_zone": "internet", "base_rps": 10,
                 "classes": [{"name": "call", "weight": 1, "stages": [{"service": "api", "cpu_ms": 5}]}]},
    "eks": {"cluster_name": "shop", "zones": ["a", "b"],
            "node_groups": [{"name": "web", "instance_type": "m5.large", "min_size": 1, "max_size": 3, "desired_size": 1}],
            "deployments": [{"name": "api", "replicas": 2, "cpu_request_m": 250, "cpu_limit_m": 500,
                             "memory_request_mib": 256}]}
  })");
  const auto sc = harness::parse_full_scenario(doc, "test");
  harness::Simulation sim(sc);
  auto* cluster = sim.eks();
  REQUIRE(cluster);
  EksApiState s(cluster->spec().api);
  s.attach_simulated(cluster);
  CHECK(s.cluster_names(0) == std::vector<std::string>{"shop"});
  CHECK(s.cluster_status(s.cluster("shop", 0), 0) == "ACTIVE");
  CHECK(code_of([&] { s.delete_cluster("shop", 0); }) == "ResourceInUseException");
  sim.advance_to(100);
  auto req = group("shop", "batch");
  req.instance_types = {"m5.xlarge"};
  req.min_size = 2;
  req.max_size = 4;
  req.desired_size = 2;
  auto& g = s.create_nodegroup(req, 100);
  REQUIRE(g.sim_group == 1);
  CHECK(cluster->spec().node_groups.size() == 2);
  CHECK(cluster->group_size(1) == 2);  // launched at 100, booting
  CHECK(cluster->group_ready(1) == 0);
  sim.advance_to(219);
  CHECK(s.nodegroup_status(g, 219) == "CREATING");  // 90 s boot + 30 s join: Ready at 220
  sim.advance_to(221);
  CHECK(cluster->group_ready(1) == 2);
  CHECK(s.nodegroup_status(g, 221) == "ACTIVE");
  // A resize is InProgress while the new nodes boot and join, Successful once they are Ready.
  cluster->set_node_group_size("batch", 2, 4, 3);
  auto& u = s.record_update("shop", "batch", {{"DesiredSize", "3"}}, 221);
  CHECK(s.update_status(u, 221) == "InProgress");
  sim.advance_to(342);
  CHECK(s.update_status(u, 342) == "Successful");
  CHECK(s.nodegroup_desired(g) == 3);
  // Deleting drains its nodes (gone within the pods' 2 s grace + 1 s); listed until 300 s later.
  s.delete_nodegroup("shop", "batch", 342);
  sim.advance_to(350);
  CHECK(cluster->group_size(1) == 0);
  CHECK(cluster->group_max(1) == 0);
  CHECK(s.nodegroup_status(g, 350) == "DELETING");
  sim.advance_to(642);
  CHECK(s.nodegroup_names("shop", 642) == std::vector<std::string>{"web"});
  // The scenario's own group kept its node; the Cluster Autoscaler never scaled the deleted one.
  sim.advance_to(1800);
  CHECK(cluster->group_size(0) >= 1);
  CHECK(cluster->group_size(1) == 0);
}
