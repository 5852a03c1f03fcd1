#include "harness/serve/elbv2/estate_binding.hpp"

#include "harness/serve/autoscaling/backend.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/ec2/backend.hpp"
#include "harness/serve/elbv2/backend.hpp"
#include "harness/serve/rds/backend.hpp"
#include "harness/serve/route53/backend.hpp"
#include "models/alb/load_balancer.hpp"
#include "models/aws/api_estate.hpp"
#include "sim/engine.hpp"
#include "sim/horizon.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace migsim::harness::serve::elbv2 {

namespace {

constexpr const char* kServiceTag = "migsim:service";
constexpr double kSync_s = 1.0;  // API changes reach the traffic at the next whole simulated second

// The regional state the binding reads is the scenario's region's, whatever request is in flight.
class InRegion {
public:
  InRegion(ServeContext& ctx, const std::string& region) : ctx_(ctx), saved_(ctx.request_region) { ctx.request_region = region; }
  ~InRegion() { ctx_.request_region = saved_; }

private:
  ServeContext& ctx_;
  std::string saved_;
};

// The binding's own state: the routes of the entry load balancer, what it has started.
struct Binding {
  ServeContext& ctx;
  models::aws::ApiEstate& estate;
  std::string region;
  std::vector<Route> routes;
  std::map<std::string, std::string> route_cache;          // path -> target group ARN
  std::set<std::string> started;                            // instances given a host (or said to run nothing)
  std::set<std::string> leaving;                            // deregistered on their way out
};

// The scenario service an API group's instance runs: the group's propagated tag, else the launch
// template version's instance tags ("" when neither names one).
std::string service_of(ServeContext& ctx, autoscaling::ApiGroup& g, const std::string& instance)
{
  std::string s = autoscaling::propagated_tag(ctx, g.group->spec().name, kServiceTag);
  if (!s.empty())
    return s;
  auto& ec2 = ctx.state<Ec2Backend>();
  LaunchTemplate* lt = ec2.by_id(g.lt_id);
  auto v = g.instance_lt_version.find(instance);
  if (!lt || v == g.instance_lt_version.end())
    return "";
  try {
    const auto& data = ec2.version(*lt, v->second).data;
    for (const auto& spec : data.value("TagSpecifications", nlohmann::json::array()))
      if (spec.value("ResourceType", "") == "instance")
        for (const auto& t : spec.value("Tags", nlohmann::json::array()))
          if (t.value("Key", "") == kServiceTag)
            return t.value("Value", "");
  } catch (const std::exception&) {
    return "";  // the version is gone: nothing names a service
  }
  return "";
}

std::string lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The DNS name the entry record aliases ("" while there is no such record): an A or AAAA alias of
// that name in any hosted zone, without its trailing dot and "dualstack." prefix.
std::string aliased_dns_name(ServeContext& ctx, const std::string& record)
{
  std::string want = lower(record);
  if (want.empty() || want.back() != '.')
    want += '.';
  auto& r53 = route53::backend(ctx);
  const json zones = r53.list_hosted_zones(json::object());
  for (const auto& z : zones["HostedZones"]) {
    const json records = r53.list_resource_record_sets({{"HostedZoneId", z["Id"]}});
    for (const auto& rr : records["ResourceRecordSets"])
      if (lower(rr.value("Name", "")) == want && rr.contains("AliasTarget")) {
        std::string dns = lower(rr["AliasTarget"].value("DNSName", ""));
        if (!dns.empty() && dns.back() == '.')
          dns.pop_back();
        if (dns.rfind("dualstack.", 0) == 0)
          dns = dns.substr(10);
        return dns;
      }
  }
  return "";
}

// The load balancer users are sent to: named by the scenario, or aliased by its Route 53 record.
const LoadBalancer* entry_load_balancer(Binding& b, Store& st)
{
  const auto& f = b.estate.spec().from_api;
  const std::string dns = f.entry_record.empty() ? "" : aliased_dns_name(b.ctx, f.entry_record);
  for (const auto& x : st.load_balancers)
    if (f.entry_record.empty() ? x.name == f.entry_load_balancer : !dns.empty() && lower(x.dns_name) == dns)
      return &x;
  return nullptr;
}

// The entry load balancer's routes now: its HTTP:80 listener (else its first), rules by priority,
// the default action last. Empty while it does not exist or is still provisioning.
std::vector<Route> routes_now(Binding& b, Store& st)
{
  std::vector<Route> out;
  const double now = b.ctx.simulation.now();
  const LoadBalancer* lb = entry_load_balancer(b, st);
  if (!lb || now < lb->active_s)
    return out;
  const Listener* listener = nullptr;
  for (const auto& l : st.listeners)
    if (l.lb_arn == lb->arn && (!listener || (l.port == 80 && l.protocol == "HTTP")))
      listener = &l;
  if (!listener)
    return out;
  std::vector<const Rule*> rules;
  for (const auto& r : st.rules)
    if (r.listener_arn == listener->arn)
      rules.push_back(&r);
  std::sort(rules.begin(), rules.end(), [](auto* a, auto* c) { return a->priority < c->priority; });
  auto forwarded = [](const nlohmann::json& actions) {
    auto groups = Store::forwarded_groups(actions);
    return groups.empty() ? std::string() : groups.front();
  };
  for (const auto* r : rules) {
    Route route;
    bool by_path_only = true;
    for (const auto& c : r->conditions) {
      if (c.value("Field", "") != "path-pattern") {
        by_path_only = false;  // host, header, query conditions: a path alone never satisfies them
        continue;
      }
      const auto& values = c.contains("PathPatternConfig") ? c["PathPatternConfig"].value("Values", nlohmann::json::array())
                                                           : c.value("Values", nlohmann::json::array());
      for (const auto& v : values)
        route.path_patterns.push_back(v.get<std::string>());
    }
    if (!by_path_only || route.path_patterns.empty())
      continue;
    route.target_group_arn = forwarded(r->actions);
    out.push_back(route);
  }
  out.push_back({{}, forwarded(listener->default_actions)});
  return out;
}

// The target groups the routes forward to, mirrored as models/alb groups with their registrations.
void mirror_target_groups(Binding& b, Store& st)
{
  std::set<std::string> used;
  for (const auto& r : b.routes)
    if (!r.target_group_arn.empty())
      used.insert(r.target_group_arn);
  for (const auto& key : b.estate.target_group_keys())
    if (!used.count(key) || !st.target_group(key))
      b.estate.remove_target_group(key);
  for (const auto& arn : used) {
    TargetGroup* g = st.target_group(arn);
    if (!g)
      continue;
    models::alb::TargetGroupSpec spec;
    spec.name = g->name;
    spec.port = g->port;
    spec.deregistration_delay_s = g->deregistration_delay_s;
    spec.health.interval_s = g->health.interval_s;
    spec.health.timeout_s = g->health.timeout_s;
    spec.health.healthy_threshold = g->health.healthy_threshold;
    spec.health.unhealthy_threshold = g->health.unhealthy_threshold;
    spec.health.path = g->hc_path;
    spec.health.matcher = g->matcher;
    auto& tg = b.estate.target_group(arn, spec);
    std::set<std::string> registered;
    for (const auto& t : g->targets)
      if (t.drain_until_s < 0)
        registered.insert(t.id);
    for (const auto& id : registered) {
      const auto* t = tg.find(id);
      const std::string host = b.estate.host_of(id);
      // New, or registered before it had a host (it now runs): (re)registered as AWS re-checks it.
      if (!t || t->state == models::alb::TargetState::draining || (t->slot < 0 && !host.empty()))
        b.estate.register_target(arn, id);
    }
    std::vector<std::string> gone;
    for (const auto& t : tg.targets())
      if (!registered.count(t.id) && t.state != models::alb::TargetState::draining)
        gone.push_back(t.id);
    for (const auto& id : gone)
      tg.deregister_target(id);
  }
}

// The API groups' instances: InService ones start on a host and join the group's target groups,
// Terminating ones leave them, Terminated ones give their host back.
void bind_instances(Binding& b, Store& st)
{
  auto& ctx = b.ctx;
  for (auto& gp : ctx.state<autoscaling::ApiGroups>().all) {
    auto& g = *gp;
    for (const auto& i : g.group->instances()) {
      const bool out = i.state == models::asg::LifecycleState::Terminating || i.state == models::asg::LifecycleState::Terminated;
      if (i.state == models::asg::LifecycleState::InService && !b.started.count(i.id)) {
        b.started.insert(i.id);
        const std::string service = service_of(ctx, g, i.id);
        auto type = g.instance_type.find(i.id);
        if (service.empty())
          b.estate.note_unbound(i.id, "no migsim:service tag (group " + g.group->spec().name + ")");
        else if (type != g.instance_type.end())
          b.estate.start_instance(i.id, service, type->second, i.az);
        for (const auto& arn : g.target_group_arns)
          if (TargetGroup* tg = st.target_group(arn))
            register_targets(*tg, {{"Targets", {{{"Id", i.id}}}}}, ctx);
      }
      if (out && b.started.count(i.id) && b.leaving.insert(i.id).second)
        for (const auto& arn : g.target_group_arns)
          if (TargetGroup* tg = st.target_group(arn))
            deregister_targets(*tg, {{"Targets", {{{"Id", i.id}}}}}, ctx);
      if (i.state == models::asg::LifecycleState::Terminated)
        b.estate.stop_instance(i.id);
    }
  }
}

// The database host is up while an RDS instance tagged for a database service is available.
void bind_database(Binding& b)
{
  auto& ctx = b.ctx;
  auto& fleet = rds::api_instances(ctx);
  const double now = ctx.simulation.now();
  const auto& serves = b.estate.spec().database.serves;
  std::string up_for;
  for (auto* i : fleet.existing(now)) {
    const std::string service = ctx.state<Tags>().value(rds::db_instance_arn(i->db.identifier()), kServiceTag);
    const std::string status = fleet.status_at(*i, now);
    if (std::find(serves.begin(), serves.end(), service) != serves.end() && (status == "available" || status == "backing-up"))
      up_for = i->db.identifier();
  }
  b.estate.set_database(!up_for.empty(), up_for.empty() ? "no available RDS instance tagged migsim:service for it"
                                                         : "RDS instance " + up_for + " is available");
}

void sync(Binding& b)
{
  InRegion in(b.ctx, b.region);
  auto& st = b.ctx.state<Store>();
  b.routes = routes_now(b, st);
  b.route_cache.clear();
  bind_instances(b, st);
  mirror_target_groups(b, st);
  bind_database(b);
}

// Each minute: the API groups' average CPU (InService, warmed-up instances) and their target tracking.
void track(Binding& b, double minute_start)
{
  InRegion in(b.ctx, b.region);
  const double now = b.ctx.simulation.now();
  for (auto* g : b.ctx.state<autoscaling::ApiGroups>().live()) {
    auto& model = *g->group;
    double sum = 0;
    int n = 0;
    for (const auto& i : model.instances()) {
      const double cpu = b.estate.cpu_pct(i.id);
      if (i.state == models::asg::LifecycleState::InService && now >= i.warm_until_s && !std::isnan(cpu)) {
        sum += cpu;
        ++n;
      }
    }
    const double cpu = n ? sum / n : std::numeric_limits<double>::quiet_NaN();
    b.ctx.simulation.metrics()
        .series("asg_cpu_utilization_pct{group=" + model.spec().name + "}", sim::TimeSeries::Kind::Last)
        .add(minute_start, n ? cpu : 0.0);
    std::vector<double> dps;
    for (const auto& p : model.tracking().policies())
      dps.push_back(p.metric == models::asg::PredefinedMetric::ASGAverageCPUUtilization
                        ? cpu
                        : std::numeric_limits<double>::quiet_NaN());  // ALBRequestCountPerTarget: not yet
    if (!dps.empty())
      model.evaluate_minute(dps);
  }
}

void schedule(std::shared_ptr<Binding> b, double at)
{
  auto& engine = b->ctx.simulation.engine();
  if (at > sim::horizon_s(b->ctx.simulation.scenario()))
    return;
  engine.at(at, [b, at]() {
    sync(*b);
    schedule(b, at + kSync_s);
  });
}

}  // namespace

std::string route_path(const std::vector<Route>& routes, const std::string& path)
{
  for (const auto& r : routes) {
    if (r.path_patterns.empty())
      return r.target_group_arn;
    for (const auto& p : r.path_patterns)
      if (models::alb::path_matches(p, path))
        return r.target_group_arn;
  }
  return "";
}

void install_estate_binding(ServeContext& ctx)
{
  auto* estate = ctx.simulation.api_estate();
  if (!estate)
    return;
  auto b = std::make_shared<Binding>(Binding{ctx, *estate, ctx.simulation.scenario().region, {}, {}, {}, {}});
  estate->route = [b](const std::string& path) {
    auto it = b->route_cache.find(path);
    if (it == b->route_cache.end())
      it = b->route_cache.emplace(path, route_path(b->routes, path)).first;
    return it->second;
  };
  estate->on_minute = [b](double minute_start) { track(*b, minute_start); };
  schedule(b, std::max(0.0, ctx.simulation.now()));
}

std::string entry_load_balancer_dimension(ServeContext& ctx)
{
  auto* estate = ctx.simulation.api_estate();
  if (!estate)
    return "";
  InRegion in(ctx, ctx.simulation.scenario().region);
  Binding b{ctx, *estate, ctx.simulation.scenario().region, {}, {}, {}, {}};
  const LoadBalancer* lb = entry_load_balancer(b, ctx.state<Store>());
  return lb ? lb->arn.substr(lb->arn.find(":loadbalancer/") + std::string(":loadbalancer/").size()) : "";
}

std::string target_group_dimension(ServeContext& ctx, const std::string& name)
{
  InRegion in(ctx, ctx.simulation.scenario().region);
  for (const auto& g : ctx.state<Store>().target_groups)
    if (g.name == name)
      return g.arn.substr(g.arn.find(":targetgroup/") + 1);
  return "targetgroup/" + name;
}

}  // namespace migsim::harness::serve::elbv2
