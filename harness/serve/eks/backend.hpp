// EKS on the mock endpoint: clusters, managed node groups and their updates are
// models::eks::EksApiState's (eks_api(ctx): attached to the scenario's cluster, whose node groups
// join the simulation). Beside it this backend keeps what a client reads back
// what it wrote (terraform's refresh): each cluster's and node group's request settings with the
// defaults EKS fills in, the cluster's OIDC issuer, and the managed add-ons (CREATING -> ACTIVE,
// DELETING -> gone on the simulated clock, ProvisioningTimes eks_addon_*). Their tags are in the
// Tags store of core/resource.hpp, by ARN.
#pragma once

#include "harness/serve/core/platform_ids.hpp"
#include "harness/serve/core/serve_context.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migsim::models::eks {
class EksApiState;
}

namespace migsim::harness::serve {

// The EKS API state of this server, built on first use (attached to the scenario's cluster, if any).
models::eks::EksApiState& eks_api(ServeContext& ctx);

// What other parts of serve may ask about a cluster (the Kubernetes API of harness/k8s).
struct EksClusterInfo {
  std::string status;   // CREATING, ACTIVE, DELETING
  std::string version;  // "1.30"
};
// The cluster named `name` at the simulated now; nullopt when there is none.
std::optional<EksClusterInfo> eks_cluster_info(ServeContext& ctx, const std::string& name);

}  // namespace migsim::harness::serve

namespace migsim::harness::serve::eks_platform {

struct ClusterSettings {
  nlohmann::json vpc_config, network_config, logging, encryption, access_config, upgrade_policy;
  std::string oidc_id;  // the issuer's id (32 upper-case hex digits)
};

struct NodegroupSettings {
  nlohmann::json labels = nlohmann::json::object(), taints, update_config, launch_template, remote_access;
  int disk_size = 20;
  std::string release_version, version;
};

struct Addon {
  std::string cluster, name, arn, version, role_arn, configuration_values;
  double created_s = 0, active_s = 0, modified_s = 0, delete_start_s = -1, gone_s = -1;
};

// The add-ons EKS offers that migsim knows, with the version it installs by default on 1.30-1.32.
struct AddonVersion {
  const char* name;
  const char* type;
  const char* default_version;
};
const std::vector<AddonVersion>& known_addons();

class EksPlatformState {
public:
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  ClusterSettings& cluster(const std::string& name) { return clusters_[name]; }
  NodegroupSettings& nodegroup(const std::string& cluster, const std::string& name) { return nodegroups_[cluster + "/" + name]; }
  void forget_cluster(const std::string& name) { clusters_.erase(name); }
  void forget_nodegroup(const std::string& cluster, const std::string& name) { nodegroups_.erase(cluster + "/" + name); }
  // The OIDC issuer id of a cluster (deterministic: the n-th cluster created).
  std::string next_oidc_id();

  // `arn`: the add-on's ARN (addon_arn, in the request's region).
  Addon& create_addon(const std::string& cluster, const std::string& name, const std::string& arn,
                      const std::string& version, double t, double create_s);
  Addon& addon(const std::string& cluster, const std::string& name, double t);
  std::string addon_status(const Addon& a, double t) const;
  void delete_addon(const std::string& cluster, const std::string& name, double t, double delete_s);
  std::vector<std::string> addon_names(const std::string& cluster, double t);
  // Whether the resource part of an EKS ARN (cluster/NAME, nodegroup/CLUSTER/NAME/ID,
  // addon/CLUSTER/NAME/ID) names a cluster, node group or add-on that exists at t.
  bool exists(const std::string& resource, models::eks::EksApiState& api, double t);

private:
  std::map<std::string, ClusterSettings> clusters_;
  std::map<std::string, NodegroupSettings> nodegroups_;
  std::map<std::string, Addon> addons_;  // by cluster/name
  uint64_t next_oidc_ = 1;
};

// The ARNs of EKS resources in the request's region.
std::string cluster_arn(const ServeContext& ctx, const std::string& name);
std::string nodegroup_arn(const ServeContext& ctx, const std::string& cluster, const std::string& name);
std::string addon_arn(const ServeContext& ctx, const std::string& cluster, const std::string& name);

}  // namespace migsim::harness::serve::eks_platform
