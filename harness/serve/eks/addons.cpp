// EKS managed add-ons (rest-json): CreateAddon, DescribeAddon, UpdateAddon, DeleteAddon, ListAddons,
// DescribeAddonVersions on EksPlatformState, on clusters of models::eks::EksApiState.
#include "harness/serve/core/provisioning.hpp"
#include "harness/serve/eks/backend.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"

#include "models/eks/eks_api_state.hpp"

namespace migsim::harness::serve {


namespace {

using eks_platform::EksPlatformState;

EksPlatformState& st(ServeContext& ctx) { return ctx.state<EksPlatformState>(); }
std::string str(const json& in, const char* k) { return in.value(k, std::string()); }

// The cluster must exist and, to install or change an add-on, be ACTIVE.
void check_cluster(ServeContext& ctx, const std::string& name, bool need_active)
{
  const double t = ctx.simulation.now();
  auto& api = eks_api(ctx);
  const std::string status =
      errors::from_model<models::eks::EksApiError>([&] { return api.cluster_status(api.cluster(name, t), t); });
  if (need_active && status != "ACTIVE")
    throw errors::invalid_state("Cluster " + name + " is " + status + ": add-ons need it ACTIVE",
                                "InvalidRequestException", 400);
}

json addon_json(ServeContext& ctx, const eks_platform::Addon& a)
{
  const double t = ctx.simulation.now();
  json j = {{"addonName", a.name},
            {"clusterName", a.cluster},
            {"status", st(ctx).addon_status(a, t)},
            {"addonVersion", a.version},
            {"health", {{"issues", json::array()}}},
            {"addonArn", a.arn},
            {"createdAt", epoch_s(a.created_s)},
            {"modifiedAt", epoch_s(a.modified_s)},
            {"tags", tags_json(ctx.state<Tags>().of(a.arn), TagWire{.map = true})}};
  if (!a.role_arn.empty())
    j["serviceAccountRoleArn"] = a.role_arn;
  if (!a.configuration_values.empty())
    j["configurationValues"] = a.configuration_values;
  return j;
}

}  // namespace

// Registers the EKS add-on operations.
void register_eks_addons(Registry& r)
{
  r.add("eks", "CreateAddon",
        {"clusterName", "addonName", "addonVersion", "serviceAccountRoleArn", "configurationValues", "tags"},
        [](const json& in, ServeContext& ctx) {
          check_cluster(ctx, str(in, "clusterName"), true);
          if (in.contains("configurationValues") && !json::accept(str(in, "configurationValues")))
            throw errors::validation("configurationValues must be JSON or YAML matching the add-on's schema.",
                                     "InvalidParameterException");
          const double t = ctx.simulation.now();
          auto& a = st(ctx).create_addon(str(in, "clusterName"), str(in, "addonName"),
                                         eks_platform::addon_arn(ctx, str(in, "clusterName"), str(in, "addonName")),
                                         str(in, "addonVersion"), t, ctx.state<ProvisioningTimes>()("eks_addon_create_s"));
          a.role_arn = str(in, "serviceAccountRoleArn");
          a.configuration_values = str(in, "configurationValues");
          ctx.state<Tags>().forget(a.arn);
          ctx.state<Tags>().tag(a.arn, tags_from(in.value("tags", json::object()), TagWire{.map = true}));
          ctx.state<ResourceTimeline>().created("eks", "Addon", a.cluster + "/" + a.name, t, a.active_s, ctx.request_id);
          return json{{"addon", addon_json(ctx, a)}};
        });
  r.add("eks", "DescribeAddon", {"clusterName", "addonName"}, [](const json& in, ServeContext& ctx) {
    check_cluster(ctx, str(in, "clusterName"), false);
    return json{{"addon", addon_json(ctx, st(ctx).addon(str(in, "clusterName"), str(in, "addonName"), ctx.simulation.now()))}};
  });
  r.add("eks", "UpdateAddon",
        {"clusterName", "addonName", "addonVersion", "serviceAccountRoleArn", "configurationValues"},
        [](const json& in, ServeContext& ctx) {
          check_cluster(ctx, str(in, "clusterName"), true);
          const double t = ctx.simulation.now();
          auto& a = st(ctx).addon(str(in, "clusterName"), str(in, "addonName"), t);
          if (st(ctx).addon_status(a, t) != "ACTIVE")
            throw errors::invalid_state("Addon " + a.name + " is " + st(ctx).addon_status(a, t), "ResourceInUseException", 409);
          if (in.contains("addonVersion"))
            a.version = str(in, "addonVersion");
          if (in.contains("serviceAccountRoleArn"))
            a.role_arn = str(in, "serviceAccountRoleArn");
          if (in.contains("configurationValues"))
            a.configuration_values = str(in, "configurationValues");
          a.modified_s = t;
          a.active_s = t + ctx.state<ProvisioningTimes>()("eks_addon_create_s");
          return json{{"update", {{"id", platform::uuid_id(0xad, static_cast<uint64_t>(t * 1000))},
                                  {"status", "InProgress"},
                                  {"type", "AddonUpdate"},
                                  {"params", json::array()},
                                  {"createdAt", epoch_s(t)},
                                  {"errors", json::array()}}}};
        });
  r.add("eks", "DeleteAddon", {"clusterName", "addonName"}, [](const json& in, ServeContext& ctx) {
    check_cluster(ctx, str(in, "clusterName"), false);
    const double t = ctx.simulation.now();
    st(ctx).delete_addon(str(in, "clusterName"), str(in, "addonName"), t,
                         ctx.state<ProvisioningTimes>()("eks_addon_delete_s"));
    return json{{"addon", addon_json(ctx, st(ctx).addon(str(in, "clusterName"), str(in, "addonName"), t))}};
  });
  r.add("eks", "ListAddons", {"clusterName"}, [](const json& in, ServeContext& ctx) {
    check_cluster(ctx, str(in, "clusterName"), false);
    return json{{"addons", st(ctx).addon_names(str(in, "clusterName"), ctx.simulation.now())}};
  });
  r.add("eks", "DescribeAddonVersions", {"addonName", "kubernetesVersion"}, [](const json& in, ServeContext&) {
    json list = json::array();
    for (const auto& a : eks_platform::known_addons()) {
      if (in.contains("addonName") && str(in, "addonName") != a.name)
        continue;
      json compat = json::array();
      for (const char* v : {"1.30", "1.31", "1.32"})
        if (!in.contains("kubernetesVersion") || str(in, "kubernetesVersion") == v)
          compat.push_back({{"clusterVersion", v}, {"platformVersions", {"*"}}, {"defaultVersion", true}});
      list.push_back({{"addonName", a.name},
                      {"type", a.type},
                      {"owner", "aws"},
                      {"addonVersions",
                       {{{"addonVersion", a.default_version}, {"architecture", {"amd64", "arm64"}},
                         {"compatibilities", compat}, {"requiresConfiguration", false}}}}});
    }
    return json{{"addons", list}};
  });
}

}  // namespace migsim::harness::serve
