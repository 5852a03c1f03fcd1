#include "harness/serve/core/services_state.hpp"

#include "harness/serve/core/chaos.hpp"
#include "harness/serve/dms/dms_ops.hpp"
#include "harness/serve/core/events.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/sns/backend.hpp"
#include "models/cutover/migration.hpp"
#include "models/onprem/onprem_estate.hpp"

#include <map>

namespace migsim::harness::serve {

ServiceState::ServiceState() = default;
ServiceState::~ServiceState() = default;

namespace {

// The migration's DNS model as the Route 53 backend reaches it.
std::optional<route53::DnsHook> dns_hook(ServeContext& ctx)
{
  models::Migration* m = ctx.simulation.migration();
  if (!m)
    return std::nullopt;
  route53::DnsHook hook;
  hook.record = m->spec().dns_record;
  hook.ttl_s = m->spec().dns_ttl_s;
  hook.sites = ctx.simulation.estate().flow().site_names();
  hook.initial_site = 0;
  Simulation* sim = &ctx.simulation;
  hook.upsert = [m, sim](int site) {
    m->switch_dns(site);
    (void)sim;
    return m->dns().changes().back().id;
  };
  hook.status = [m, sim](const std::string& id) { return m->dns().status(id, sim->now()); };
  return hook;
}

}  // namespace

ServiceState& service_state(ServeContext& ctx)
{
  static std::map<const ServeContext*, std::unique_ptr<ServiceState>> states;
  auto& s = states[&ctx];
  if (!s) {
    s = std::make_unique<ServiceState>();
    s->route53 = std::make_unique<route53::Backend>(ctx.simulation.scenario().seed, dns_hook(ctx));
    s->chaos = std::make_unique<ChaosState>(ctx.simulation.scenario().seed);
    s->events = std::make_unique<EventBook>();
    s->dms = std::make_unique<DmsResources>();
    // Alarm actions publish CloudWatch's alarm message to the SNS backend (false: no such topic).
    s->alarms.publish = [&ctx](const cloudwatch::Notification& n) {
      try {
        ctx.state<SnsBackend>().publish(n.topic_arn, n.message, n.subject, n.t_s);
        return true;
      } catch (const std::exception&) {
        return false;
      }
    };
  }
  return *s;
}

cloudwatch::CatalogContext catalog_context(ServeContext& ctx)
{
  cloudwatch::CatalogContext c;
  c.registry = &ctx.simulation.metrics();
  for (const auto& s : ctx.simulation.scenario().platform.servers)
    c.cores_by_server[s.name] = s.cores;
  if (const models::Migration* m = ctx.simulation.migration())
    c.rds_server = m->spec().db_target_server;
  c.now_s = ctx.simulation.now();
  return c;
}

void register_ops(Registry& r, const std::string& service, const std::vector<OpDef>& ops)
{
  for (const OpDef& op : ops)
    r.add(service, op.name, op.honoured, [fn = op.fn](const json& in, ServeContext& ctx) {
      try {
        return fn(in, ctx);
      } catch (const ApiError& e) {
        throw AwsError(e.code, e.message, e.status, e.status < 500);
      } catch (const cloudwatch::CloudWatchError& e) {
        throw AwsError(e.code, e.message, e.status, e.status < 500);
      }
    });
}

void evaluate_alarms(ServeContext& ctx)
{
  auto& book = service_state(ctx).alarms;
  if (book.alarms().empty())
    return;
  book.evaluate(catalog_context(ctx));
}

}  // namespace migsim::harness::serve
