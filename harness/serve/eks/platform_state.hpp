// What the EKS API keeps beyond models::eks::EksApiState's lifecycles, so that a client reads back
// what it wrote (terraform's refresh): each cluster's and node group's request settings with the
// defaults EKS fills in, their tags, the cluster's OIDC issuer, and the managed add-ons (CREATING ->
// ACTIVE, DELETING -> gone on the simulated clock, ProvisioningTimes eks_addon_*).
#pragma once

#include "harness/serve/core/platform_ids.hpp"

#include <map>
#include <string>
#include <vector>

namespace migsim::harness::serve::eks_platform {

struct ClusterSettings {
  nlohmann::json vpc_config, network_config, logging, encryption, access_config, upgrade_policy;
  std::string oidc_id;  // the issuer's id (32 upper-case hex digits)
  platform::Tags tags;
};

struct NodegroupSettings {
  nlohmann::json labels = nlohmann::json::object(), taints, update_config, launch_template, remote_access;
  int disk_size = 20;
  std::string release_version, version;
  platform::Tags tags;
};

struct Addon {
  std::string cluster, name, arn, version, role_arn, configuration_values;
  double created_s = 0, active_s = 0, modified_s = 0, delete_start_s = -1, gone_s = -1;
  platform::Tags tags;
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
  ClusterSettings& cluster(const std::string& name) { return clusters_[name]; }
  NodegroupSettings& nodegroup(const std::string& cluster, const std::string& name) { return nodegroups_[cluster + "/" + name]; }
  void forget_cluster(const std::string& name) { clusters_.erase(name); }
  void forget_nodegroup(const std::string& cluster, const std::string& name) { nodegroups_.erase(cluster + "/" + name); }
  // The OIDC issuer id of a cluster (deterministic: the n-th cluster created).
  std::string next_oidc_id();

  Addon& create_addon(const std::string& cluster, const std::string& name, const std::string& version, double t,
                      double create_s);
  Addon& addon(const std::string& cluster, const std::string& name, double t);
  std::string addon_status(const Addon& a, double t) const;
  void delete_addon(const std::string& cluster, const std::string& name, double t, double delete_s);
  std::vector<std::string> addon_names(const std::string& cluster, double t);
  // Tags by ARN (cluster, node group or add-on); nullptr when nothing has that ARN.
  platform::Tags* tags_by_arn(const std::string& arn);

private:
  std::map<std::string, ClusterSettings> clusters_;
  std::map<std::string, NodegroupSettings> nodegroups_;
  std::map<std::string, Addon> addons_;  // by cluster/name
  uint64_t next_oidc_ = 1;
};

inline std::string cluster_arn(const std::string& name) { return platform::arn("eks", "cluster/" + name); }
inline std::string nodegroup_arn(const std::string& cluster, const std::string& name)
{
  return platform::arn("eks", "nodegroup/" + cluster + "/" + name + "/migsim");
}

}  // namespace migsim::harness::serve::eks_platform
