#include "models/eks/eks_api_state.hpp"

#include "models/eks/eks_cluster.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace migsim::models::eks {

namespace {

EksApiError in_use(const std::string& m) { return EksApiError("ResourceInUseException", m, 409); }
EksApiError not_found(const std::string& m) { return EksApiError("ResourceNotFoundException", m, 404); }
EksApiError invalid(const std::string& m) { return EksApiError("InvalidParameterException", m, 400); }

// EKS names: 1-100 characters, letters, digits, hyphens and underscores, first a letter or digit.
bool valid_name(const std::string& n)
{
  if (n.empty() || n.size() > 100 || !std::isalnum(static_cast<unsigned char>(n[0])))
    return false;
  return std::all_of(n.begin(), n.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
}

}  // namespace

void check_scaling(int min_size, int max_size, int desired_size)
{
  if (max_size < 1)
    throw invalid("Maximum capacity " + std::to_string(max_size) + " must be at least 1");
  if (min_size < 0 || min_size > max_size || desired_size < min_size || desired_size > max_size)
    throw invalid("Minimum capacity " + std::to_string(min_size) + " can't be greater than desired size " +
                  std::to_string(desired_size) + " or maximum " + std::to_string(max_size));
}

void EksApiState::attach_simulated(EksCluster* sim)
{
  sim_ = sim;
  if (!sim)
    return;
  ApiCluster c;
  c.name = sim->spec().cluster_name;
  c.version = "1.30";
  c.role_arn = "arn:aws:iam::000000000000:role/eks-cluster";
  for (const auto& z : sim->spec().zones)
    c.subnets.push_back("subnet-" + z);
  c.simulated = true;
  clusters_.push_back(c);
  for (size_t g = 0; g < sim->spec().node_groups.size(); ++g) {
    const auto& s = sim->spec().node_groups[g];
    ApiNodegroup n;
    n.cluster = c.name;
    n.name = s.name;
    n.instance_types = {s.instance_type};
    n.subnets = c.subnets;
    n.node_role = "arn:aws:iam::000000000000:role/eks-node";
    n.min_size = s.min_size;
    n.max_size = s.max_size;
    n.desired_size = s.desired_size;
    n.sim_group = static_cast<int>(g);
    n.active_s = 0;
    nodegroups_.push_back(n);
  }
}

ApiCluster& EksApiState::create_cluster(const std::string& name, const std::string& version,
                                        const std::string& role_arn, const std::vector<std::string>& subnets, double t)
{
  if (!valid_name(name))
    throw invalid("The cluster name " + name + " is invalid: 1-100 letters, digits, hyphens or underscores, "
                  "starting with a letter or digit.");
  if (find_cluster(name, t))
    throw in_use("Cluster already exists with name: " + name);
  if (subnets.size() < 2)
    throw invalid("Subnets specified must be in at least two different AZs");
  ApiCluster c;
  c.name = name;
  c.version = version.empty() ? "1.30" : version;
  c.role_arn = role_arn;
  c.subnets = subnets;
  c.created_s = t;
  clusters_.push_back(c);
  return clusters_.back();
}

ApiCluster& EksApiState::delete_cluster(const std::string& name, double t)
{
  auto& c = cluster(name, t);
  const auto groups = nodegroup_names(name, t);
  if (!groups.empty())
    throw in_use("Cluster has nodegroups attached");
  if (c.simulated)
    throw EksApiError("InvalidRequestException", "migsim does not delete the scenario's simulated cluster " + name, 400);
  const std::string status = cluster_status(c, t);
  if (status == "DELETING")
    throw in_use("Cluster " + name + " is already being deleted");
  if (status == "CREATING")
    throw in_use("Cluster " + name + " is still being created");
  c.delete_start_s = t;
  c.gone_s = t + timings_.cluster_delete_s;
  return c;
}

ApiNodegroup& EksApiState::create_nodegroup(const NodegroupRequest& req, double t)
{
  auto& c = cluster(req.cluster, t);
  if (!valid_name(req.name))
    throw invalid("The nodegroup name " + req.name + " is invalid.");
  if (find_nodegroup(req.cluster, req.name, t))
    throw in_use("NodeGroup already exists with name " + req.name + " and cluster name " + req.cluster);
  if (cluster_status(c, t) != "ACTIVE")
    throw EksApiError("InvalidRequestException", "Cluster '" + req.cluster + "' is not in ACTIVE status", 400);
  if (req.subnets.empty())
    throw invalid("Subnets are required");
  std::vector<std::string> types = req.instance_types.empty() ? std::vector<std::string>{"m5.large"} : req.instance_types;
  for (const auto& ty : types) {
    const auto& cat = instance_catalog();
    if (std::none_of(cat.begin(), cat.end(), [&](const InstanceType& i) { return i.name == ty; }))
      throw invalid("Instance type " + ty + " is not supported (migsim's EKS catalogue: m5, m6i, c6i large to 4xlarge)");
  }
  check_scaling(req.min_size, req.max_size, req.desired_size);
  ApiNodegroup n;
  n.cluster = req.cluster;
  n.name = req.name;
  n.instance_types = types;
  n.subnets = req.subnets;
  n.node_role = req.node_role;
  n.min_size = req.min_size;
  n.max_size = req.max_size;
  n.desired_size = req.desired_size;
  n.created_s = t;
  if (c.simulated && sim_)
    n.sim_group = static_cast<int>(
        sim_->add_node_group({req.name, types.front(), req.min_size, req.max_size, req.desired_size}));
  nodegroups_.push_back(n);
  return nodegroups_.back();
}

ApiNodegroup& EksApiState::delete_nodegroup(const std::string& cluster_name, const std::string& name, double t)
{
  cluster(cluster_name, t);
  auto& g = nodegroup(cluster_name, name, t);
  const std::string status = nodegroup_status(g, t);
  if (status == "DELETING")
    throw in_use("Nodegroup " + name + " is already being deleted");
  if (status == "CREATING")
    throw in_use("Nodegroup " + name + " is currently being created");
  g.delete_start_s = t;
  g.gone_s = t + timings_.nodegroup_delete_s;
  if (g.sim_group >= 0 && sim_)
    sim_->remove_node_group(name);
  return g;
}

ApiUpdate& EksApiState::record_update(const std::string& cluster_name, const std::string& nodegroup_name,
                                      std::vector<std::pair<std::string, std::string>> params, double t)
{
  auto& g = nodegroup(cluster_name, nodegroup_name, t);
  ApiUpdate u;
  // A UUID-shaped id, deterministic: the n-th update.
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-a000-%012zu", updates_.size() + 1);
  u.id = buf;
  u.cluster = cluster_name;
  u.nodegroup = nodegroup_name;
  u.params = std::move(params);
  u.created_s = t;
  u.done_s = g.sim_group >= 0 ? -1 : t + timings_.update_s;
  for (const auto& [k, v] : u.params) {
    if (k == "MinSize")
      g.min_size = std::stoi(v);
    if (k == "MaxSize")
      g.max_size = std::stoi(v);
    if (k == "DesiredSize")
      g.desired_size = std::stoi(v);
  }
  updates_.push_back(u);
  return updates_.back();
}

ApiCluster* EksApiState::find_cluster(const std::string& name, double t)
{
  for (auto& c : clusters_)
    if (c.name == name && exists(c.created_s, c.gone_s, t))
      return &c;
  return nullptr;
}

ApiCluster& EksApiState::cluster(const std::string& name, double t)
{
  if (auto* c = find_cluster(name, t))
    return *c;
  throw not_found("No cluster found for name: " + name + ".");
}

ApiNodegroup* EksApiState::find_nodegroup(const std::string& cluster_name, const std::string& name, double t)
{
  for (auto& g : nodegroups_)
    if (g.cluster == cluster_name && g.name == name && exists(g.created_s, g.gone_s, t))
      return &g;
  return nullptr;
}

ApiNodegroup& EksApiState::nodegroup(const std::string& cluster_name, const std::string& name, double t)
{
  cluster(cluster_name, t);
  if (auto* g = find_nodegroup(cluster_name, name, t))
    return *g;
  throw not_found("No node group found for name: " + name + ".");
}

std::vector<std::string> EksApiState::cluster_names(double t) const
{
  std::vector<std::string> v;
  for (const auto& c : clusters_)
    if (exists(c.created_s, c.gone_s, t))
      v.push_back(c.name);
  return v;
}

std::vector<std::string> EksApiState::nodegroup_names(const std::string& cluster_name, double t) const
{
  std::vector<std::string> v;
  for (const auto& g : nodegroups_)
    if (g.cluster == cluster_name && exists(g.created_s, g.gone_s, t))
      v.push_back(g.name);
  return v;
}

const ApiUpdate& EksApiState::update(const std::string& cluster_name, const std::string& nodegroup_name,
                                     const std::string& id) const
{
  for (const auto& u : updates_)
    if (u.id == id && u.cluster == cluster_name && u.nodegroup == nodegroup_name)
      return u;
  throw not_found("No update found for ID: " + id);
}

std::vector<std::string> EksApiState::update_ids(const std::string& cluster_name, const std::string& nodegroup_name) const
{
  std::vector<std::string> v;
  for (const auto& u : updates_)
    if (u.cluster == cluster_name && u.nodegroup == nodegroup_name)
      v.push_back(u.id);
  return v;
}

std::string EksApiState::cluster_status(const ApiCluster& c, double t) const
{
  if (c.delete_start_s >= 0 && t >= c.delete_start_s)
    return "DELETING";
  if (!c.simulated && t < c.created_s + timings_.cluster_create_s)
    return "CREATING";
  return "ACTIVE";
}

std::string EksApiState::nodegroup_status(const ApiNodegroup& g, double t) const
{
  if (g.delete_start_s >= 0 && t >= g.delete_start_s)
    return "DELETING";
  if (g.active_s >= 0 && t >= g.active_s)
    return "ACTIVE";
  if (g.sim_group < 0)
    return t < g.created_s + timings_.nodegroup_create_s ? "CREATING" : "ACTIVE";
  // Joined to the simulated cluster: ACTIVE once as many nodes are Ready as were asked for.
  if (sim_ && sim_->group_ready(static_cast<size_t>(g.sim_group)) >= g.desired_size) {
    g.active_s = t;
    return "ACTIVE";
  }
  return "CREATING";
}

std::string EksApiState::update_status(const ApiUpdate& u, double t) const
{
  if (u.done_s >= 0)
    return t >= u.done_s ? "Successful" : "InProgress";
  for (const auto& g : nodegroups_)
    if (g.cluster == u.cluster && g.name == u.nodegroup && g.sim_group >= 0 && sim_) {
      const auto i = static_cast<size_t>(g.sim_group);
      if (sim_->group_ready(i) == sim_->group_size(i)) {  // no node still booting
        u.done_s = t;
        return "Successful";
      }
    }
  return "InProgress";
}

int EksApiState::nodegroup_desired(const ApiNodegroup& g) const
{
  if (g.sim_group >= 0 && sim_)
    return sim_->group_size(static_cast<size_t>(g.sim_group));
  return g.desired_size;
}

}  // namespace migsim::models::eks
