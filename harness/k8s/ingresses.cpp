#include "harness/k8s/ingresses.hpp"

#include "harness/serve/elbv2/ingress_alb.hpp"

#include <set>

namespace migsim::harness::k8s {

namespace {

const ResourceKey kIngresses{"networking.k8s.io", "ingresses"};

bool is_alb(const json& ingress)
{
  return ingress.value("spec", json::object()).value("ingressClassName", "") == "alb" ||
         ingress["metadata"].value("annotations", json::object()).value("kubernetes.io/ingress.class", "") == "alb";
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
    if (known != albs.end() && known->second.first == generation)
      continue;
    if (known != albs.end() && !known->second.second.empty())
      serve::elbv2::delete_ingress_alb(ctx, known->second.second);
    json next = ing;
    try {
      const auto alb = serve::elbv2::create_ingress_alb(ctx, cluster, ing);
      albs[key] = {generation, alb.load_balancer_arn};
      next["status"]["loadBalancer"]["ingress"] = json::array({{{"hostname", alb.dns_name}}});
      events.record(store, object_reference(ing), false, "SuccessfullyReconciled", "Successfully reconciled",
                    {"ingress", ""}, now_s, iso);
    } catch (const std::exception& e) {
      albs[key] = {generation, ""};
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
    if (!it->second.second.empty())
      serve::elbv2::delete_ingress_alb(ctx, it->second.second);
    it = albs.erase(it);
  }
}

}  // namespace migsim::harness::k8s
