// EKS on the mock endpoint (rest-json): ListClusters, DescribeCluster, ListNodegroups,
// DescribeNodegroup and UpdateNodegroupConfig, backed by the live EKS model of the scenario's eks
// section (node counts are the simulation's; a new scaling config launches or drains nodes).
#include "harness/serve/registry.hpp"

#include "models/eks/eks_cluster.hpp"

#include <algorithm>

namespace migsim::harness::serve {

namespace {

namespace eks = models::eks;
constexpr const char* kArnPrefix = "arn:aws:eks:us-east-1:000000000000:";

eks::EksCluster* cluster(ServeContext& ctx) { return ctx.simulation.eks(); }

// The cluster named `name`, or ResourceNotFoundException (404) as EKS answers.
eks::EksCluster& cluster_named(ServeContext& ctx, const std::string& name)
{
  auto* c = cluster(ctx);
  if (!c || c->spec().cluster_name != name)
    throw errors::not_found("No cluster found for name: " + name + ".", "ResourceNotFoundException", 404);
  return *c;
}

size_t group_named(eks::EksCluster& c, const std::string& name)
{
  const auto& g = c.spec().node_groups;
  auto it = std::find_if(g.begin(), g.end(), [&](auto& n) { return n.name == name; });
  if (it == g.end())
    throw errors::not_found("No node group found for name: " + name + ".", "ResourceNotFoundException", 404);
  return static_cast<size_t>(it - g.begin());
}

json nodegroup_json(eks::EksCluster& c, size_t g, double now_s)
{
  const auto& spec = c.spec().node_groups[g];
  json subnets = json::array();
  for (const auto& z : c.spec().zones)
    subnets.push_back("subnet-" + z);
  return {{"nodegroupName", spec.name},
          {"nodegroupArn", std::string(kArnPrefix) + "nodegroup/" + c.spec().cluster_name + "/" + spec.name + "/migsim"},
          {"clusterName", c.spec().cluster_name},
          {"version", "1.30"},
          {"releaseVersion", "1.30.0-20240601"},
          {"createdAt", epoch_s(0)},
          {"modifiedAt", epoch_s(now_s)},
          {"status", "ACTIVE"},
          {"capacityType", "ON_DEMAND"},
          {"instanceTypes", json::array({spec.instance_type})},
          {"scalingConfig", {{"minSize", c.group_min(g)}, {"maxSize", c.group_max(g)}, {"desiredSize", c.group_size(g)}}},
          {"subnets", subnets},
          {"amiType", "AL2023_x86_64_STANDARD"},
          {"nodeRole", "arn:aws:iam::000000000000:role/eks-node"},
          {"labels", json::object()},
          {"resources", {{"autoScalingGroups", json::array({{{"name", "eks-" + spec.name + "-migsim"}}})}}},
          {"health", {{"issues", json::array()}}}};
}

}  // namespace

// Registers the EKS operations (rest-json).
void register_eks(Registry& r)
{
  r.add("eks", "ListClusters", {}, [](const json&, ServeContext& ctx) {
    json names = json::array();
    if (auto* c = cluster(ctx))
      names.push_back(c->spec().cluster_name);
    return json{{"clusters", names}};
  });
  r.add("eks", "DescribeCluster", {"name"}, [](const json& p, ServeContext& ctx) {
    auto& c = cluster_named(ctx, p.value("name", ""));
    const auto& name = c.spec().cluster_name;
    return json{{"cluster",
                 {{"name", name},
                  {"arn", std::string(kArnPrefix) + "cluster/" + name},
                  {"createdAt", epoch_s(0)},
                  {"version", "1.30"},
                  {"platformVersion", "eks.1"},
                  {"endpoint", "https://" + name + ".gr7.us-east-1.eks.amazonaws.com"},
                  {"roleArn", "arn:aws:iam::000000000000:role/eks-cluster"},
                  {"resourcesVpcConfig", {{"endpointPrivateAccess", true}, {"endpointPublicAccess", false}}},
                  {"status", "ACTIVE"},
                  {"tags", json::object()}}}};
  });
  r.add("eks", "ListNodegroups", {"clusterName"}, [](const json& p, ServeContext& ctx) {
    auto& c = cluster_named(ctx, p.value("clusterName", ""));
    json names = json::array();
    for (const auto& g : c.spec().node_groups)
      names.push_back(g.name);
    return json{{"nodegroups", names}};
  });
  r.add("eks", "DescribeNodegroup", {"clusterName", "nodegroupName"}, [](const json& p, ServeContext& ctx) {
    auto& c = cluster_named(ctx, p.value("clusterName", ""));
    return json{{"nodegroup", nodegroup_json(c, group_named(c, p.value("nodegroupName", "")), ctx.simulation.now())}};
  });
  r.add("eks", "UpdateNodegroupConfig",
        {"clusterName", "nodegroupName", "scalingConfig.minSize", "scalingConfig.maxSize", "scalingConfig.desiredSize"},
        [](const json& p, ServeContext& ctx) {
          auto& c = cluster_named(ctx, p.value("clusterName", ""));
          const size_t g = group_named(c, p.value("nodegroupName", ""));
          const json sc = p.value("scalingConfig", json::object());
          const int min_size = sc.value("minSize", c.group_min(g));
          const int max_size = sc.value("maxSize", c.group_max(g));
          const int desired = sc.value("desiredSize", std::clamp(c.group_size(g), min_size, std::max(min_size, max_size)));
          if (max_size < 1)
            throw errors::validation("maxSize must be at least 1", "InvalidParameterException");
          if (min_size > max_size || desired < min_size || desired > max_size)
            throw errors::validation("Minimum capacity " + std::to_string(min_size) + " can't be greater than desired size " +
                                         std::to_string(desired) + " or maximum " + std::to_string(max_size),
                                     "InvalidParameterException");
          c.set_node_group_size(c.spec().node_groups[g].name, min_size, max_size, desired);
          json params = json::array({{{"type", "MinSize"}, {"value", std::to_string(min_size)}},
                                     {{"type", "MaxSize"}, {"value", std::to_string(max_size)}},
                                     {{"type", "DesiredSize"}, {"value", std::to_string(desired)}}});
          return json{{"update",
                       {{"id", "migsim-update-" + std::to_string(static_cast<long long>(ctx.simulation.now()))},
                        {"status", "InProgress"},
                        {"type", "ConfigUpdate"},
                        {"params", params},
                        {"createdAt", epoch_s(ctx.simulation.now())},
                        {"errors", json::array()}}}};
        });
}

}  // namespace migsim::harness::serve
