// EKS's operation table (rest-json): clusters, managed node groups and their updates on
// models::eks::EksApiState (eks/backend.hpp); add-ons are addons.cpp. The scenario's cluster (eks section) is ACTIVE from t = 0 with its
// node groups; node counts are the simulation's; a node group created on it joins the simulation
// (its nodes boot and join per the model, the Cluster Autoscaler may resize it) and deleting one
// drains its nodes. Clusters created through the API, and their node groups, are state machines on
// the simulated clock with the eks.api durations (CREATING -> ACTIVE, DELETING -> gone).
#include "harness/serve/core/provisioning.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/core/tls_identity.hpp"
#include "harness/serve/eks/backend.hpp"

#include "models/eks/eks_api_state.hpp"
#include "models/eks/eks_cluster.hpp"

#include <algorithm>
#include <memory>

namespace migsim::harness::serve {

namespace {

namespace eks = models::eks;
using eks_platform::EksPlatformState;
using eks_platform::cluster_arn;
using eks_platform::nodegroup_arn;
const TagWire kTagMap{.map = true};  // EKS tags are a map {"key": "value"}

eks::EksApiState& api(ServeContext& ctx) { return eks_api(ctx); }

// Runs an EksApiState call, its EksApiError as the AwsError of the same code.
template <class Fn>
json guarded(Fn&& fn)
{
  return errors::from_model<eks::EksApiError>(std::forward<Fn>(fn));
}

// The cluster's Kubernetes API on this endpoint, always this machine, never an AWS hostname:
// https://127.0.0.1:HTTPS_PORT/_migsim/eks/NAME on the HTTPS listener (or localhost / [::1] when the
// call came in by that name: the names its certificate holds), else http://HOST/_migsim/eks/NAME on
// the authority the request came in on; NAME.REGION for a cluster outside the scenario's region.
std::string api_endpoint(const ServeContext& ctx, const std::string& cluster_name)
{
  // A cluster outside the scenario's region is addressed as NAME.REGION (k8s/api_server.cpp).
  const std::string name = in_scenario_region(ctx) ? cluster_name : cluster_name + "." + region(ctx);
  const std::string authority = ctx.request_host.empty() ? "127.0.0.1:4566" : ctx.request_host;
  if (ctx.https_port == 0)
    return "http://" + authority + "/_migsim/eks/" + name;
  std::string host = "127.0.0.1";
  if (authority.rfind("localhost", 0) == 0)
    host = "localhost";
  else if (authority.rfind("[::1]", 0) == 0)
    host = "[::1]";
  return "https://" + host + ":" + std::to_string(ctx.https_port) + "/_migsim/eks/" + name;
}

json cluster_json(ServeContext& ctx, eks::EksApiState& s, const eks::ApiCluster& c, double t)
{
  const std::string status = s.cluster_status(c, t);
  auto& set = ctx.state<EksPlatformState>().cluster(c.name);
  json vpc = set.vpc_config.is_object() ? set.vpc_config : json::object();
  vpc["subnetIds"] = c.subnets;
  vpc["endpointPrivateAccess"] = vpc.value("endpointPrivateAccess", true);
  vpc["endpointPublicAccess"] = vpc.value("endpointPublicAccess", !c.simulated);
  vpc["securityGroupIds"] = vpc.value("securityGroupIds", json::array());
  vpc["publicAccessCidrs"] = vpc["endpointPublicAccess"].get<bool>() ? vpc.value("publicAccessCidrs", json{"0.0.0.0/0"})
                                                                      : json::array();
  vpc["clusterSecurityGroupId"] = "sg-0" + stable_id(c.name);
  json j = {{"name", c.name},
            {"arn", cluster_arn(ctx, c.name)},
            {"createdAt", epoch_s(c.created_s)},
            {"version", c.version},
            {"platformVersion", "eks.1"},
            {"roleArn", c.role_arn},
            {"resourcesVpcConfig", vpc},
            {"kubernetesNetworkConfig",
             set.network_config.is_object() ? set.network_config
                                              : json{{"serviceIpv4Cidr", "172.20.0.0/16"}, {"ipFamily", "ipv4"}}},
            {"logging", set.logging.is_object() ? set.logging
                                                : json{{"clusterLogging", {{{"types", {"api", "audit", "authenticator",
                                                                                        "controllerManager", "scheduler"}},
                                                                            {"enabled", false}}}}}},
            {"status", status},
            // The HTTPS listener's certificate (plain HTTP: none; kubectl reads an empty one as none).
            {"certificateAuthority", {{"data", ctx.https_ca_pem.empty() ? "" : base64_encode(ctx.https_ca_pem)}}},
            {"accessConfig", set.access_config.is_object() ? set.access_config
                                                           : json{{"authenticationMode", "CONFIG_MAP"},
                                                                  {"bootstrapClusterCreatorAdminPermissions", true}}},
            {"upgradePolicy", set.upgrade_policy.is_object() ? set.upgrade_policy : json{{"supportType", "EXTENDED"}}},
            {"health", {{"issues", json::array()}}},
            {"tags", tags_json(ctx.state<Tags>().of(cluster_arn(ctx, c.name)), kTagMap)}};
  if (set.encryption.is_array())
    j["encryptionConfig"] = set.encryption;
  if (!set.oidc_id.empty())
    j["identity"] = {{"oidc", {{"issuer", "https://oidc.eks." + region(ctx) +
                                              ".amazonaws.com/id/" + set.oidc_id}}}};
  if (status != "CREATING")  // the API server's endpoint exists once the control plane is up: migsim's own port
    j["endpoint"] = api_endpoint(ctx, c.name);
  return j;
}

json nodegroup_json(eks::EksApiState& s, const eks::ApiNodegroup& g, ServeContext& ctx, double t)
{
  const auto& set = ctx.state<EksPlatformState>().nodegroup(g.cluster, g.name);
  int min_size = g.min_size, max_size = g.max_size, desired = g.desired_size;
  if (auto* sim = ctx.simulation.eks(); sim && g.sim_group >= 0) {
    const auto i = static_cast<size_t>(g.sim_group);
    min_size = sim->group_min(i);
    max_size = sim->group_max(i);
    desired = sim->group_size(i);
    if (s.nodegroup_status(g, t) == "DELETING") {  // the simulation zeroed min/max: show the group's last ones
      min_size = g.min_size;
      max_size = g.max_size;
    }
  }
  return {{"nodegroupName", g.name},
          {"nodegroupArn", nodegroup_arn(ctx, g.cluster, g.name)},
          {"clusterName", g.cluster},
          {"version", set.version.empty() ? "1.30" : set.version},
          {"releaseVersion", set.release_version.empty() ? "1.30.0-20240601" : set.release_version},
          {"createdAt", epoch_s(g.created_s)},
          {"modifiedAt", epoch_s(t)},
          {"status", s.nodegroup_status(g, t)},
          {"capacityType", g.capacity_type},
          {"instanceTypes", g.instance_types},
          {"scalingConfig", {{"minSize", min_size}, {"maxSize", max_size}, {"desiredSize", desired}}},
          {"subnets", g.subnets},
          {"amiType", g.ami_type},
          {"nodeRole", g.node_role},
          {"labels", set.labels},
          {"taints", set.taints.is_array() ? set.taints : json::array()},
          {"diskSize", set.disk_size},
          {"updateConfig", set.update_config.is_object() ? set.update_config : json{{"maxUnavailable", 1}}},
          {"tags", tags_json(ctx.state<Tags>().of(nodegroup_arn(ctx, g.cluster, g.name)), kTagMap)},
          {"resources", {{"autoScalingGroups", json::array({{{"name", "eks-" + g.name + "-migsim"}}})}}},
          {"health", {{"issues", json::array()}}}};
}

json update_json(eks::EksApiState& s, const eks::ApiUpdate& u, double t)
{
  json params = json::array();
  for (const auto& [k, v] : u.params)
    params.push_back({{"type", k}, {"value", v}});
  return {{"id", u.id}, {"status", s.update_status(u, t)}, {"type", u.type},
          {"params", params}, {"createdAt", epoch_s(u.created_s)}, {"errors", json::array()}};
}

}  // namespace

void register_eks_addons(Registry& r);  // eks/addons.cpp

// TagResource, UntagResource, ListTagsForResource on clusters, node groups and add-ons by ARN.
void register_eks_tags(Registry& r)
{
  const TagOperations ops{.arn_member = "resourceArn",
                          .tags_member = "tags",
                          .keys_member = "tagKeys",
                          .wire = kTagMap,
                          .exists = [](ServeContext& ctx, const std::string& arn) {
                            return ctx.state<EksPlatformState>().exists(arn_resource(arn), eks_api(ctx), ctx.simulation.now());
                          },
                          .not_found_code = "NotFoundException"};
  r.add("eks", "TagResource", {"resourceArn", "tags"}, tag_resource(ops));
  r.add("eks", "UntagResource", {"resourceArn", "tagKeys"}, untag_resource(ops));
  r.add("eks", "ListTagsForResource", {"resourceArn"}, list_tags(ops));
}

// Registers the EKS operations (rest-json).
void register_eks(Registry& r)
{
  r.add("eks", "ListClusters", {}, [](const json&, ServeContext& ctx) {
    return json{{"clusters", api(ctx).cluster_names(ctx.simulation.now())}};
  });
  r.add("eks", "DescribeCluster", {"name"}, [](const json& p, ServeContext& ctx) {
    return guarded([&] {
      const double t = ctx.simulation.now();
      return json{{"cluster", cluster_json(ctx, api(ctx), api(ctx).cluster(p.value("name", ""), t), t)}};
    });
  });
  r.add("eks", "CreateCluster",
        {"name", "version", "roleArn", "resourcesVpcConfig.subnetIds", "resourcesVpcConfig.securityGroupIds",
         "resourcesVpcConfig.endpointPublicAccess", "resourcesVpcConfig.endpointPrivateAccess",
         "resourcesVpcConfig.publicAccessCidrs", "kubernetesNetworkConfig", "logging", "encryptionConfig",
         "accessConfig", "upgradePolicy", "tags"},
        [](const json& p, ServeContext& ctx) {
          return guarded([&] {
            const double t = ctx.simulation.now();
            const json vpc = p.value("resourcesVpcConfig", json::object());
            if (vpc.value("endpointPublicAccess", true) == false && vpc.value("endpointPrivateAccess", false) == false)
              throw eks::EksApiError("InvalidParameterException",
                                     "The cluster endpoint must have public or private access enabled", 400);
            for (const auto& e : p.value("encryptionConfig", json::array()))
              if (e.value("resources", json::array()) != json::array({"secrets"}))
                throw eks::EksApiError("InvalidParameterException", "Only the resource type 'secrets' can be encrypted", 400);
            auto& c = api(ctx).create_cluster(p.value("name", ""), p.value("version", ""), p.value("roleArn", ""),
                                              strings(vpc, "subnetIds"), t);
            auto& platform_state = ctx.state<EksPlatformState>();
            auto& set = platform_state.cluster(c.name);
            set = {};
            set.vpc_config = vpc;
            set.vpc_config.erase("subnetIds");
            if (p.contains("kubernetesNetworkConfig")) {
              set.network_config = p["kubernetesNetworkConfig"];
              set.network_config["serviceIpv4Cidr"] = set.network_config.value("serviceIpv4Cidr", "172.20.0.0/16");
              set.network_config["ipFamily"] = set.network_config.value("ipFamily", "ipv4");
            }
            if (p.contains("logging")) set.logging = p["logging"];
            if (p.contains("encryptionConfig")) set.encryption = p["encryptionConfig"];
            if (p.contains("accessConfig")) {
              set.access_config = {{"authenticationMode", p["accessConfig"].value("authenticationMode", "CONFIG_MAP")},
                                   {"bootstrapClusterCreatorAdminPermissions",
                                    p["accessConfig"].value("bootstrapClusterCreatorAdminPermissions", true)}};
            }
            if (p.contains("upgradePolicy")) set.upgrade_policy = p["upgradePolicy"];
            ctx.state<Tags>().forget(cluster_arn(ctx, c.name));
            ctx.state<Tags>().tag(cluster_arn(ctx, c.name), tags_from(p.value("tags", json::object()), kTagMap));
            set.oidc_id = platform_state.next_oidc_id();
            ctx.state<ResourceTimeline>().created("eks", "Cluster", c.name, t, t + api(ctx).timings().cluster_create_s,
                                                  ctx.request_id);
            return json{{"cluster", cluster_json(ctx, api(ctx), c, t)}};
          });
        });
  r.add("eks", "DeleteCluster", {"name"}, [](const json& p, ServeContext& ctx) {
    return guarded([&] {
      const double t = ctx.simulation.now();
      auto& c = api(ctx).delete_cluster(p.value("name", ""), t);
      json out = {{"cluster", cluster_json(ctx, api(ctx), c, t)}};
      for (const auto& addon : ctx.state<EksPlatformState>().addon_names(c.name, t))  // EKS removes them with it
        ctx.state<EksPlatformState>().delete_addon(c.name, addon, t, 0);
      return out;
    });
  });
  r.add("eks", "ListNodegroups", {"clusterName"}, [](const json& p, ServeContext& ctx) {
    return guarded([&] {
      const double t = ctx.simulation.now();
      const std::string name = p.value("clusterName", "");
      api(ctx).cluster(name, t);
      return json{{"nodegroups", api(ctx).nodegroup_names(name, t)}};
    });
  });
  r.add("eks", "DescribeNodegroup", {"clusterName", "nodegroupName"}, [](const json& p, ServeContext& ctx) {
    return guarded([&] {
      const double t = ctx.simulation.now();
      auto& g = api(ctx).nodegroup(p.value("clusterName", ""), p.value("nodegroupName", ""), t);
      return json{{"nodegroup", nodegroup_json(api(ctx), g, ctx, t)}};
    });
  });
  r.add("eks", "CreateNodegroup",
        {"clusterName", "nodegroupName", "subnets", "nodeRole", "instanceTypes", "scalingConfig.minSize",
         "scalingConfig.maxSize", "scalingConfig.desiredSize", "capacityType", "amiType", "labels", "taints",
         "updateConfig", "diskSize", "version", "releaseVersion", "tags"},
        [](const json& p, ServeContext& ctx) {
          return guarded([&] {
            const double t = ctx.simulation.now();
            eks::NodegroupRequest req;
            req.cluster = p.value("clusterName", "");
            req.name = p.value("nodegroupName", "");
            req.node_role = p.value("nodeRole", "");
            req.subnets = strings(p, "subnets");
            req.instance_types = strings(p, "instanceTypes");
            const json sc = p.value("scalingConfig", json::object());
            req.min_size = sc.value("minSize", req.min_size);
            req.max_size = sc.value("maxSize", req.max_size);
            req.desired_size = sc.value("desiredSize", std::max(req.min_size, std::min(req.desired_size, req.max_size)));
            auto& g = api(ctx).create_nodegroup(req, t);
            g.capacity_type = p.value("capacityType", g.capacity_type);
            g.ami_type = p.value("amiType", g.ami_type);
            auto& set = ctx.state<EksPlatformState>().nodegroup(g.cluster, g.name);
            set = {};
            set.labels = p.value("labels", json::object());
            if (p.contains("taints")) set.taints = p["taints"];
            if (p.contains("updateConfig")) set.update_config = p["updateConfig"];
            set.disk_size = p.value("diskSize", 20);
            set.version = p.value("version", api(ctx).cluster(g.cluster, t).version);
            if (p.contains("releaseVersion")) set.release_version = p["releaseVersion"];
            ctx.state<Tags>().forget(nodegroup_arn(ctx, g.cluster, g.name));
            ctx.state<Tags>().tag(nodegroup_arn(ctx, g.cluster, g.name), tags_from(p.value("tags", json::object()), kTagMap));
            if (g.sim_group < 0)
              ctx.state<ResourceTimeline>().created("eks", "Nodegroup", g.cluster + "/" + g.name, t,
                                                    t + api(ctx).timings().nodegroup_create_s, ctx.request_id);
            return json{{"nodegroup", nodegroup_json(api(ctx), g, ctx, t)}};
          });
        });
  r.add("eks", "DeleteNodegroup", {"clusterName", "nodegroupName"}, [](const json& p, ServeContext& ctx) {
    return guarded([&] {
      const double t = ctx.simulation.now();
      auto& g = api(ctx).delete_nodegroup(p.value("clusterName", ""), p.value("nodegroupName", ""), t);
      return json{{"nodegroup", nodegroup_json(api(ctx), g, ctx, t)}};
    });
  });
  r.add("eks", "UpdateNodegroupConfig",
        {"clusterName", "nodegroupName", "scalingConfig.minSize", "scalingConfig.maxSize", "scalingConfig.desiredSize"},
        [](const json& p, ServeContext& ctx) {
          return guarded([&] {
            const double t = ctx.simulation.now();
            auto& s = api(ctx);
            auto& g = s.nodegroup(p.value("clusterName", ""), p.value("nodegroupName", ""), t);
            if (s.nodegroup_status(g, t) != "ACTIVE")
              throw eks::EksApiError("ResourceInUseException", "Nodegroup " + g.name + " is " +
                                                                   s.nodegroup_status(g, t) + ": it cannot be updated", 409);
            auto* sim = ctx.simulation.eks();
            const auto i = static_cast<size_t>(std::max(0, g.sim_group));
            const bool live = sim && g.sim_group >= 0;
            const int cur_min = live ? sim->group_min(i) : g.min_size;
            const int cur_max = live ? sim->group_max(i) : g.max_size;
            const int cur_size = live ? sim->group_size(i) : g.desired_size;
            const json sc = p.value("scalingConfig", json::object());
            const int min_size = sc.value("minSize", cur_min);
            const int max_size = sc.value("maxSize", cur_max);
            const int desired = sc.value("desiredSize", std::clamp(cur_size, min_size, std::max(min_size, max_size)));
            eks::check_scaling(min_size, max_size, desired);
            if (live)
              sim->set_node_group_size(g.name, min_size, max_size, desired);
            auto& u = s.record_update(g.cluster, g.name,
                                      {{"MinSize", std::to_string(min_size)},
                                       {"MaxSize", std::to_string(max_size)},
                                       {"DesiredSize", std::to_string(desired)}},
                                      t);
            return json{{"update", update_json(s, u, t)}};
          });
        });
  r.add("eks", "DescribeUpdate", {"name", "updateId", "nodegroupName"}, [](const json& p, ServeContext& ctx) {
    return guarded([&] {
      const double t = ctx.simulation.now();
      auto& s = api(ctx);
      s.cluster(p.value("name", ""), t);
      return json{{"update", update_json(s, s.update(p.value("name", ""), p.value("nodegroupName", ""),
                                                     p.value("updateId", "")), t)}};
    });
  });
  r.add("eks", "ListUpdates", {"name", "nodegroupName"}, [](const json& p, ServeContext& ctx) {
    return guarded([&] {
      const double t = ctx.simulation.now();
      auto& s = api(ctx);
      const std::string name = p.value("name", "");
      s.cluster(name, t);
      if (p.contains("nodegroupName"))
        s.nodegroup(name, p["nodegroupName"].get<std::string>(), t);
      return json{{"updateIds", s.update_ids(name, p.value("nodegroupName", ""))}};
    });
  });
  register_eks_tags(r);
  register_eks_addons(r);
}

}  // namespace migsim::harness::serve
