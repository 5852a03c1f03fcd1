#include "harness/serve/eks/backend.hpp"

#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

#include "models/eks/eks_api_state.hpp"
#include "models/eks/eks_cluster.hpp"

#include <memory>

namespace migsim::harness::serve {

namespace {

// The serve-side EKS state, built on first use (attached to the scenario's cluster, if any).
struct EksServeState {
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  std::unique_ptr<models::eks::EksApiState> api;
};

}  // namespace

models::eks::EksApiState& eks_api(ServeContext& ctx)
{
  auto& st = ctx.state<EksServeState>();
  if (!st.api) {
    auto* sim = in_scenario_region(ctx) ? ctx.simulation.eks() : nullptr;  // the scenario's cluster lives in its region
    st.api = std::make_unique<models::eks::EksApiState>(sim ? sim->spec().api : models::eks::EksApiTimings{});
    st.api->attach_simulated(sim);
  }
  return *st.api;
}

std::optional<EksClusterInfo> eks_cluster_info(ServeContext& ctx, const std::string& name)
{
  const double t = ctx.simulation.now();
  try {
    auto& c = eks_api(ctx).cluster(name, t);
    return EksClusterInfo{eks_api(ctx).cluster_status(c, t), c.version};
  } catch (const models::eks::EksApiError&) {
    return std::nullopt;
  }
}

}  // namespace migsim::harness::serve

namespace migsim::harness::serve::eks_platform {

const std::vector<AddonVersion>& known_addons()
{
  // Default versions as `aws eks describe-addon-versions` listed them for Kubernetes 1.30.
  static const std::vector<AddonVersion> kAddons = {
      {"vpc-cni", "networking", "v1.18.1-eksbuild.3"},
      {"coredns", "networking", "v1.11.1-eksbuild.9"},
      {"kube-proxy", "networking", "v1.30.0-eksbuild.3"},
      {"aws-ebs-csi-driver", "storage", "v1.31.0-eksbuild.1"},
      {"aws-efs-csi-driver", "storage", "v2.0.4-eksbuild.1"},
      {"eks-pod-identity-agent", "security", "v1.3.0-eksbuild.1"},
  };
  return kAddons;
}

std::string EksPlatformState::next_oidc_id() { return platform::upper_id("", next_oidc_++ * 0x9E3779B97F4A7C15ull, 32); }

Addon& EksPlatformState::create_addon(const std::string& cluster, const std::string& name, const std::string& arn,
                                      const std::string& version, double t, double create_s)
{
  const AddonVersion* known = nullptr;
  for (const auto& a : known_addons())
    if (name == a.name)
      known = &a;
  if (!known)
    throw errors::validation("Addon " + name + " specified is not supported", "InvalidParameterException");
  const std::string key = cluster + "/" + name;
  if (auto it = addons_.find(key); it != addons_.end() && (it->second.gone_s < 0 || t < it->second.gone_s))
    throw errors::already_exists("Addon already exists.", "ResourceInUseException", 409);
  Addon& a = addons_[key];
  a = Addon{};
  a.cluster = cluster;
  a.name = name;
  a.arn = arn;
  a.version = version.empty() ? known->default_version : version;
  a.created_s = a.modified_s = t;
  a.active_s = t + create_s;
  return a;
}

Addon& EksPlatformState::addon(const std::string& cluster, const std::string& name, double t)
{
  auto it = addons_.find(cluster + "/" + name);
  if (it == addons_.end() || (it->second.gone_s >= 0 && t >= it->second.gone_s))
    throw errors::not_found("No addon: " + name + " found in cluster: " + cluster, "ResourceNotFoundException", 404);
  return it->second;
}

std::string EksPlatformState::addon_status(const Addon& a, double t) const
{
  if (a.delete_start_s >= 0)
    return "DELETING";
  return t < a.active_s ? (a.modified_s > a.created_s ? "UPDATING" : "CREATING") : "ACTIVE";
}

void EksPlatformState::delete_addon(const std::string& cluster, const std::string& name, double t, double delete_s)
{
  Addon& a = addon(cluster, name, t);
  if (a.delete_start_s < 0) {
    a.delete_start_s = t;
    a.gone_s = t + delete_s;
  }
}

std::vector<std::string> EksPlatformState::addon_names(const std::string& cluster, double t)
{
  std::vector<std::string> out;
  for (const auto& [_, a] : addons_)
    if (a.cluster == cluster && (a.gone_s < 0 || t < a.gone_s))
      out.push_back(a.name);
  return out;
}

bool EksPlatformState::exists(const std::string& resource, models::eks::EksApiState& api, double t)
{
  std::vector<std::string> parts;
  for (size_t at = 0;;) {
    const size_t slash = resource.find('/', at);
    parts.push_back(resource.substr(at, slash == std::string::npos ? std::string::npos : slash - at));
    if (slash == std::string::npos)
      break;
    at = slash + 1;
  }
  try {
    if (parts.size() == 2 && parts[0] == "cluster") {
      api.cluster(parts[1], t);
      return true;
    }
    if (parts.size() == 4 && parts[0] == "nodegroup") {
      api.nodegroup(parts[1], parts[2], t);
      return true;
    }
  } catch (const models::eks::EksApiError&) {
    return false;
  }
  if (parts.size() == 4 && parts[0] == "addon") {
    auto it = addons_.find(parts[1] + "/" + parts[2]);
    return it != addons_.end() && (it->second.gone_s < 0 || t < it->second.gone_s);
  }
  return false;
}

std::string cluster_arn(const ServeContext& ctx, const std::string& name) { return arn(ctx, "eks", "cluster/" + name); }
std::string nodegroup_arn(const ServeContext& ctx, const std::string& cluster, const std::string& name)
{
  return arn(ctx, "eks", "nodegroup/" + cluster + "/" + name + "/migsim");
}
std::string addon_arn(const ServeContext& ctx, const std::string& cluster, const std::string& name)
{
  return arn(ctx, "eks", "addon/" + cluster + "/" + name + "/migsim");
}

}  // namespace migsim::harness::serve::eks_platform
