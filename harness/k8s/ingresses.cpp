#include "harness/k8s/ingresses.hpp"

#include "harness/serve/elbv2/ingress_alb.hpp"

#include <set>

namespace migsim::harness::k8s {

namespace {

const ResourceKey kIngresses{"networking.k8s.io", "ingresses"};
const ResourceKey kServices{"", "services"};
const ResourceKey kPods{"", "pods"};

bool is_alb(const json& ingress)
{
  return ingress.value("spec", json::object()).value("ingressClassName", "") == "alb" ||
         ingress["metadata"].value("annotations", json::object()).value("kubernetes.io/ingress.class", "") == "alb";
}

// The ready pods behind a Service port ("<service>:<port>"): (pod IP, the port's targetPort).
std::set<std::pair<std::string, int>> endpoints(const Store& store, const std::string& ns, const std::string& key)
{
  std::set<std::pair<std::string, int>> out;
  const auto colon = key.rfind(':');
  const auto svc = store.get(kServices, ns, key.substr(0, colon));
  if (!svc)
    return out;
  const std::string port = key.substr(colon + 1);
  const json spec = (*svc).value("spec", json::object());
  int target_port = -1;
  for (const auto& p : spec.value("ports", json::array()))
    if (std::to_string(p.value("port", 0)) == port || p.value("name", "") == port)
      target_port = p.contains("targetPort") && p["targetPort"].is_number() ? p["targetPort"].get<int>() : p.value("port", 0);
  const json selector = spec.value("selector", json::object());
  if (target_port < 0 || selector.empty())
    return out;
  for (const json& pod : store.list(kPods, ns)) {
    const json labels = pod["metadata"].value("labels", json::object());
    bool selected = true;
    for (const auto& [k, v] : selector.items())
      selected = selected && labels.value(k, "") == v;
    bool ready = false;
    for (const auto& c : pod.value("status", json::object()).value("conditions", json::array()))
      ready = ready || (c.value("type", "") == "Ready" && c.value("status", "") == "True");
    const std::string ip = pod.value("status", json::object()).value("podIP", "");
    if (selected && ready && !ip.empty())
      out.insert({ip, target_port});
  }
  return out;
}

}  // namespace

void advance_ingresses(Store& store, IngressAlbs& albs, EventRecorder& events, serve::ServeContext& ctx,
                       const std::string& cluster, double now_s, const std::function<std::string(double)>& iso)
{
  std::set<std::string> alive;
  for (const json& ing : store.list(kIngresses, "")) {
    if (!is_alb(ing))
      continue;
    const std::string ns = ing["metadata"].value("namespace", ""), name = ing["metadata"].value("name", "");
    const std::string key = ns + "/" + name;
    const int64_t generation = ing["metadata"].value("generation", int64_t{1});
    alive.insert(key);
    auto known = albs.find(key);
    if (known != albs.end() && known->second.generation == generation) {
      if (known->second.alb.target_type == "ip")
        for (const auto& [backend, group] : known->second.alb.target_groups)
          serve::elbv2::sync_ingress_targets(ctx, group, endpoints(store, ns, backend));
      continue;
    }
    if (known != albs.end() && !known->second.alb.load_balancer_arn.empty())
      serve::elbv2::delete_ingress_alb(ctx, known->second.alb.load_balancer_arn);
    json next = ing;
    try {
      const auto alb = serve::elbv2::create_ingress_alb(ctx, cluster, ing);
      albs[key] = {generation, alb};
      next["status"]["loadBalancer"]["ingress"] = json::array({{{"hostname", alb.dns_name}}});
      events.record(store, object_reference(ing), false, "SuccessfullyReconciled", "Successfully reconciled",
                    {"ingress", ""}, now_s, iso);
    } catch (const std::exception& e) {
      albs[key] = {generation, {}};
      next["status"]["loadBalancer"] = json::object();
      events.record(store, object_reference(ing), true, "FailedDeployModel",
                    std::string("Failed deploy model due to ") + e.what(), {"ingress", ""}, now_s, iso);
    }
    next["metadata"].erase("resourceVersion");
    store.update(kIngresses, ns, next);
  }
  for (auto it = albs.begin(); it != albs.end();) {
    if (alive.count(it->first)) {
      ++it;
      continue;
    }
    if (!it->second.alb.load_balancer_arn.empty())
      serve::elbv2::delete_ingress_alb(ctx, it->second.alb.load_balancer_arn);
    it = albs.erase(it);
  }
}

}  // namespace migsim::harness::k8s
