#include "harness/serve/elbv2/ingress_alb.hpp"

#include "harness/serve/elbv2/backend.hpp"

#include <algorithm>
#include <set>

namespace migsim::harness::serve::elbv2 {

namespace {

using nlohmann::json;

// The controller's resource names: a readable prefix and a hash of what identifies the resource.
std::string k8s_name(const std::string& a, const std::string& b, const std::string& identity)
{
  return "k8s-" + a.substr(0, 8) + "-" + b.substr(0, 8) + "-" + hex16(identity).substr(0, 10);
}

// ALB path patterns of an Ingress path: Exact is the path, Prefix the path and what is under it.
json path_patterns(const json& p)
{
  const std::string path = p.value("path", "/");
  if (p.value("pathType", "Prefix") == "Exact")
    return json::array({path});
  if (path == "/")
    return json::array({"/*"});
  const std::string base = path.back() == '/' ? path.substr(0, path.size() - 1) : path;
  return json::array({base, base + "/*"});
}

// Runs `fn` with the scenario's region as the request's (the cluster's region, whatever request
// or tick triggered the controller).
template <class F>
auto in_scenario_region(ServeContext& ctx, F fn)
{
  const std::string saved = ctx.request_region;
  ctx.request_region.clear();
  try {
    auto out = fn();
    ctx.request_region = saved;
    return out;
  } catch (...) {
    ctx.request_region = saved;
    throw;
  }
}

}  // namespace

IngressAlb create_ingress_alb(ServeContext& ctx, const std::string& cluster, const json& ingress)
{
  return in_scenario_region(ctx, [&] {
    const json meta = ingress.value("metadata", json::object()), spec = ingress.value("spec", json::object());
    const json ann = meta.value("annotations", json::object());
    const std::string ns = meta.value("namespace", "default"), name = meta.value("name", "");
    const std::string lb_name = k8s_name(ns, name, cluster + "/" + ns + "/" + name);
    const std::string region = ctx.simulation.scenario().region;
    json subnets = json::array();
    for (const char* z : {"a", "b", "c"})
      subnets.push_back("subnet-" + hex16(region + z).substr(0, 8));
    const json lb = create_load_balancer({{"Name", lb_name}, {"Subnets", subnets},
                                          {"Scheme", ann.value("alb.ingress.kubernetes.io/scheme", "internal")}},
                                         ctx)["LoadBalancers"][0];
    IngressAlb out{lb["LoadBalancerArn"], lb["DNSName"], ann.value("alb.ingress.kubernetes.io/target-type", "instance"), {}};
    const json listener = create_listener({{"LoadBalancerArn", out.load_balancer_arn}, {"Protocol", "HTTP"}, {"Port", 80},
                                           {"DefaultActions", {{{"Type", "fixed-response"},
                                                                {"FixedResponseConfig", {{"StatusCode", "404"}, {"ContentType", "text/plain"}}}}}}},
                                          ctx)["Listeners"][0];
    const std::string& target_type = out.target_type;
    const std::string health_path = ann.value("alb.ingress.kubernetes.io/healthcheck-path", "/");
    auto& groups = out.target_groups;
    int priority = 0;
    for (const auto& rule : spec.value("rules", json::array()))
      for (const auto& p : rule.value("http", json::object()).value("paths", json::array())) {
        const json svc = p.value("backend", json::object()).value("service", json::object());
        if (svc.empty())
          continue;  // a resource backend: not the controller's
        const json port = svc.value("port", json::object());
        const std::string port_text = port.contains("number") ? std::to_string(port["number"].get<int>()) : port.value("name", "");
        const std::string key = svc.value("name", "") + ":" + port_text;
        auto& tg = groups[key];
        if (tg.empty())
          tg = create_target_group({{"Name", k8s_name(ns, svc.value("name", ""), cluster + "/" + ns + "/" + name + "/" + key)},
                                    {"Protocol", "HTTP"}, {"Port", port.contains("number") ? port["number"].get<int>() : 80},
                                    {"VpcId", kVpcId}, {"TargetType", target_type}, {"HealthCheckPath", health_path}},
                                   ctx)["TargetGroups"][0]["TargetGroupArn"];
        json conditions = json::array({{{"Field", "path-pattern"}, {"PathPatternConfig", {{"Values", path_patterns(p)}}}}});
        if (!rule.value("host", "").empty())
          conditions.push_back({{"Field", "host-header"}, {"HostHeaderConfig", {{"Values", {rule["host"]}}}}});
        create_rule({{"ListenerArn", listener["ListenerArn"]}, {"Priority", ++priority}, {"Conditions", conditions},
                     {"Actions", {{{"Type", "forward"}, {"TargetGroupArn", tg}}}}},
                    ctx);
      }
    return out;
  });
}

void sync_ingress_targets(ServeContext& ctx, const std::string& target_group_arn, const std::set<std::pair<std::string, int>>& targets)
{
  in_scenario_region(ctx, [&] {
    TargetGroup* g = ctx.state<Store>().target_group(target_group_arn);
    if (!g)
      return 0;
    json add = json::array(), remove = json::array();
    std::set<std::pair<std::string, int>> registered;
    for (const auto& t : g->targets)
      if (t.drain_until_s < 0) {
        registered.insert({t.id, t.port});
        if (!targets.count({t.id, t.port}))
          remove.push_back({{"Id", t.id}, {"Port", t.port}});
      }
    for (const auto& [id, port] : targets)
      if (!registered.count({id, port}))
        add.push_back({{"Id", id}, {"Port", port}});
    if (!add.empty())
      register_targets(*g, {{"TargetGroupArn", target_group_arn}, {"Targets", add}}, ctx);
    if (!remove.empty())
      deregister_targets(*g, {{"TargetGroupArn", target_group_arn}, {"Targets", remove}}, ctx);
    return 0;
  });
}

void delete_ingress_alb(ServeContext& ctx, const std::string& load_balancer_arn)
{
  in_scenario_region(ctx, [&] {
    auto& st = ctx.state<Store>();
    std::set<std::string> groups;
    for (const auto& l : st.listeners)
      if (l.lb_arn == load_balancer_arn) {
        for (const auto& g : Store::forwarded_groups(l.default_actions))
          groups.insert(g);
        for (const auto& r : st.rules)
          if (r.listener_arn == l.arn)
            for (const auto& g : Store::forwarded_groups(r.actions))
              groups.insert(g);
      }
    delete_load_balancer({{"LoadBalancerArn", load_balancer_arn}}, ctx);
    for (const auto& g : groups)
      delete_target_group({{"TargetGroupArn", g}}, ctx);
    return 0;
  });
}

}  // namespace migsim::harness::serve::elbv2
