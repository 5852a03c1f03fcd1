// Route 53 on the mock endpoint (rest-xml through the shared codec): the operation table over the
// backend (backend.hpp) and ListHostedZonesByName (by_name.hpp).
#include "harness/serve/core/registry.hpp"
#include "harness/serve/route53/backend.hpp"
#include "harness/serve/route53/by_name.hpp"
#include "models/cutover/migration.hpp"
#include "models/onprem/onprem_estate.hpp"

namespace migsim::harness::serve {

namespace route53 {

namespace {

// The migration's DNS model as the backend reaches it.
std::optional<DnsHook> dns_hook(ServeContext& ctx)
{
  models::Migration* m = ctx.simulation.migration();
  if (!m)
    return std::nullopt;
  DnsHook hook;
  hook.record = m->spec().dns_record;
  hook.ttl_s = m->spec().dns_ttl_s;
  hook.sites = ctx.simulation.estate().flow().site_names();
  hook.initial_site = 0;
  Simulation* sim = &ctx.simulation;
  hook.upsert = [m](int site) {
    m->switch_dns(site);
    return m->dns().changes().back().id;
  };
  hook.status = [m, sim](const std::string& id) { return m->dns().status(id, sim->now()); };
  return hook;
}

}  // namespace

Backend& backend(ServeContext& ctx)
{
  return ctx.state<Backend>([&ctx] { return std::make_unique<Backend>(ctx.simulation.scenario().seed, dns_hook(ctx)); });
}

}  // namespace route53

void register_route53_tags(Registry& r);  // tags.cpp

void register_route53(Registry& r)
{
  register_route53_tags(r);
  using route53::backend;
  const std::string s = "route53";
  r.add(s, "CreateHostedZone", {"Name", "CallerReference", "HostedZoneConfig"},
        [](const json& in, ServeContext& ctx) { return backend(ctx).create_hosted_zone(in, ctx.simulation.now()); });
  r.add(s, "GetHostedZone", {"Id"}, [](const json& in, ServeContext& ctx) { return backend(ctx).get_hosted_zone(in); });
  r.add(s, "ListHostedZones", {"Marker", "MaxItems"},
        [](const json& in, ServeContext& ctx) { return backend(ctx).list_hosted_zones(in); });
  r.add(s, "ListHostedZonesByName", {"DNSName", "MaxItems"}, route53::list_hosted_zones_by_name);
  r.add(s, "DeleteHostedZone", {"Id"},
        [](const json& in, ServeContext& ctx) { return backend(ctx).delete_hosted_zone(in, ctx.simulation.now()); });
  r.add(s, "ChangeResourceRecordSets", {"HostedZoneId", "ChangeBatch"},
        [](const json& in, ServeContext& ctx) { return backend(ctx).change_resource_record_sets(in, ctx.simulation.now()); });
  r.add(s, "ListResourceRecordSets", {"HostedZoneId", "StartRecordName", "StartRecordType", "MaxItems"},
        [](const json& in, ServeContext& ctx) { return backend(ctx).list_resource_record_sets(in); });
  r.add(s, "GetChange", {"Id"}, [](const json& in, ServeContext& ctx) { return backend(ctx).get_change(in, ctx.simulation.now()); });
  r.add(s, "CreateHealthCheck", {"CallerReference", "HealthCheckConfig"},
        [](const json& in, ServeContext& ctx) { return backend(ctx).create_health_check(in); });
  r.add(s, "GetHealthCheck", {"HealthCheckId"}, [](const json& in, ServeContext& ctx) { return backend(ctx).get_health_check(in); });
  r.add(s, "ListHealthChecks", {"Marker", "MaxItems"},
        [](const json& in, ServeContext& ctx) { return backend(ctx).list_health_checks(in); });
  r.add(s, "DeleteHealthCheck", {"HealthCheckId"},
        [](const json& in, ServeContext& ctx) { return backend(ctx).delete_health_check(in); });
}

}  // namespace migsim::harness::serve
