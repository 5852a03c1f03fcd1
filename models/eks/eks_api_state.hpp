// EKS clusters, managed node groups and updates created through the EKS API, as plain state on the
// simulated clock. A cluster is CREATING for cluster_create_s, then ACTIVE; DELETING for
// cluster_delete_s, then gone (refused while node groups exist: ResourceInUseException). A node
// group on an API cluster is CREATING for nodegroup_create_s (default: the model's node boot + join,
// 90 + 30 s), then ACTIVE; DELETING for nodegroup_delete_s, then gone. A node group created on the
// scenario's simulated cluster joins it instead (EksCluster::add_node_group): its nodes boot per
// the model and it is ACTIVE once every node it launched is Ready; deleting it drains its nodes.
// Updates (UpdateNodegroupConfig) are InProgress until done_s, then Successful.
// Validation follows the EKS API: ResourceInUseException (exists / in use), ResourceNotFoundException,
// InvalidParameterException (bad scaling, unknown instance type, no subnets), InvalidRequestException
// (a node group on a cluster that is not ACTIVE).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace migsim::models::eks {

class EksCluster;

// An error an EKS API call answers with (code as EKS names it, HTTP status).
class EksApiError : public std::runtime_error {
public:
  EksApiError(std::string code, const std::string& message, int http_status)
      : std::runtime_error(message), code_(std::move(code)), http_status_(http_status)
  {}
  const std::string& code() const { return code_; }
  int http_status() const { return http_status_; }

private:
  std::string code_;
  int http_status_;
};

// Durations (not published: EKS says a cluster takes "several minutes"; stated defaults).
struct EksApiTimings {
  double cluster_create_s = 600;
  double cluster_delete_s = 300;
  double nodegroup_create_s = 120;   // API clusters only (simulated cluster: node boot + join per node)
  double nodegroup_delete_s = 300;
  double update_s = 120;             // API clusters' config updates (simulated cluster: until the nodes settle)
};

struct ApiCluster {
  std::string name, version, role_arn;
  std::vector<std::string> subnets;
  double created_s = 0, delete_start_s = -1, gone_s = -1;
  bool simulated = false;            // the scenario's cluster (never created or deleted here)
};

struct ApiNodegroup {
  std::string cluster, name;
  std::vector<std::string> instance_types, subnets;
  std::string node_role, capacity_type = "ON_DEMAND", ami_type = "AL2023_x86_64_STANDARD";
  int min_size = 1, max_size = 2, desired_size = 1;
  double created_s = 0, delete_start_s = -1, gone_s = -1;
  int sim_group = -1;                // index in the simulated cluster (-1: an API cluster's group)
  mutable double active_s = -1;      // when it was first seen ACTIVE (latched)
};

struct ApiUpdate {
  std::string id, cluster, nodegroup, type = "ConfigUpdate";
  std::vector<std::pair<std::string, std::string>> params;
  double created_s = 0;
  mutable double done_s = -1;        // -1: ends when the simulated group settles (latched then)
};

// What CreateNodegroup asks for.
struct NodegroupRequest {
  std::string cluster, name, node_role;
  std::vector<std::string> instance_types, subnets;  // no type: m5.large (EKS: t3.medium, not in the catalogue)
  int min_size = 1, max_size = 2, desired_size = 2;   // EKS's defaults without a scalingConfig
};

class EksApiState {
public:
  explicit EksApiState(EksApiTimings timings = {}) : timings_(timings) {}

  // Registers the scenario's cluster (ACTIVE from t = 0) so names are shared with it.
  void attach_simulated(EksCluster* sim);
  const EksApiTimings& timings() const { return timings_; }

  ApiCluster& create_cluster(const std::string& name, const std::string& version, const std::string& role_arn,
                             const std::vector<std::string>& subnets, double t);
  ApiCluster& delete_cluster(const std::string& name, double t);
  ApiNodegroup& create_nodegroup(const NodegroupRequest& req, double t);
  ApiNodegroup& delete_nodegroup(const std::string& cluster, const std::string& name, double t);
  // Records an UpdateNodegroupConfig (the caller has applied it) and returns it.
  ApiUpdate& record_update(const std::string& cluster, const std::string& nodegroup,
                           std::vector<std::pair<std::string, std::string>> params, double t);

  ApiCluster* find_cluster(const std::string& name, double t);
  ApiCluster& cluster(const std::string& name, double t);  // ResourceNotFoundException
  ApiNodegroup* find_nodegroup(const std::string& cluster, const std::string& name, double t);
  ApiNodegroup& nodegroup(const std::string& cluster, const std::string& name, double t);
  std::vector<std::string> cluster_names(double t) const;
  std::vector<std::string> nodegroup_names(const std::string& cluster, double t) const;
  const ApiUpdate& update(const std::string& cluster, const std::string& nodegroup, const std::string& id) const;
  std::vector<std::string> update_ids(const std::string& cluster, const std::string& nodegroup) const;

  std::string cluster_status(const ApiCluster& c, double t) const;      // CREATING, ACTIVE, DELETING
  std::string nodegroup_status(const ApiNodegroup& g, double t) const;  // CREATING, ACTIVE, DELETING
  std::string update_status(const ApiUpdate& u, double t) const;        // InProgress, Successful
  // Current sizes (the simulated cluster's live counts for a joined group).
  int nodegroup_desired(const ApiNodegroup& g) const;

private:
  bool exists(double created_s, double gone_s, double t) const { return created_s <= t && (gone_s < 0 || t < gone_s); }

  EksApiTimings timings_;
  EksCluster* sim_ = nullptr;
  std::vector<ApiCluster> clusters_;
  std::vector<ApiNodegroup> nodegroups_;
  std::vector<ApiUpdate> updates_;
};

// CreateNodegroup / UpdateNodegroupConfig scaling rules (InvalidParameterException otherwise).
void check_scaling(int min_size, int max_size, int desired_size);

}  // namespace migsim::models::eks
