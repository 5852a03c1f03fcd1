// The Load Balancer Controller's part (harness/k8s/ingresses.cpp, harness/serve/elbv2/ingress_alb.cpp):
// an Ingress of class alb applied through the Kubernetes API gets its ALB in the ELBv2 API (listener,
// a target group per backend Service, a rule per host and path) and its address; deleting it deletes them.
#include "harness/k8s/api_server.hpp"
#include "harness/run/run_command.hpp"
#include "harness/serve/core/router.hpp"
#include "harness/serve/elbv2/backend.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace migsim;
using namespace migsim::harness::serve;
using nlohmann::json;

TEST_CASE("k8s ingress: an alb Ingress gets its ALB, listener, target groups and rules in the ELBv2 API", "[k8s]")
{
  sim::Scenario sc = harness::load_scenario(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/eks-black-friday.json");
  harness::Simulation sim{sc};
  ServeContext ctx{sim};
  auto call = [&](http::verb verb, const std::string& path, const json& body = nullptr) {
    Request req{verb, "/_migsim/eks/shop" + path, 11};
    req.set(http::field::accept, "application/json");
    if (!body.is_null()) {
      req.set(http::field::content_type, verb == http::verb::patch ? "application/merge-patch+json" : "application/json");
      req.body() = body.dump();
    }
    req.prepare_payload();
    return json::parse(harness::k8s::handle_request(req, ctx).body());
  };
  auto backend = [](const std::string& service, const std::string& path) {
    return json{{"path", path}, {"pathType", "Prefix"}, {"backend", {{"service", {{"name", service}, {"port", {{"number", 80}}}}}}}};
  };
  const json ingress = {{"apiVersion", "networking.k8s.io/v1"}, {"kind", "Ingress"},
                        {"metadata", {{"name", "shop"}, {"annotations", {{"alb.ingress.kubernetes.io/scheme", "internet-facing"},
                                                                         {"alb.ingress.kubernetes.io/target-type", "ip"}}}}},
                        {"spec", {{"ingressClassName", "alb"},
                                  {"rules", {{{"host", "shop.example.com"},
                                              {"http", {{"paths", {backend("catalog", "/api/catalog"), backend("frontend", "/")}}}}}}}}}};
  call(http::verb::post, "/apis/networking.k8s.io/v1/namespaces/default/ingresses", ingress);

  const auto& st = ctx.state<elbv2::Store>();
  REQUIRE(st.load_balancers.size() == 1);
  const auto& lb = st.load_balancers[0];
  CHECK(lb.name.rfind("k8s-default-shop-", 0) == 0);
  CHECK(lb.scheme == "internet-facing");
  REQUIRE(st.listeners.size() == 1);
  CHECK(st.listeners[0].port == 80);
  CHECK(st.listeners[0].default_actions[0]["Type"] == "fixed-response");
  REQUIRE(st.target_groups.size() == 2);
  CHECK(st.target_groups[0].target_type == "ip");
  REQUIRE(st.rules.size() == 2);
  CHECK(st.rules[0].priority == 1);
  const std::string conditions = st.rules[0].conditions.dump();
  CHECK(conditions.find("/api/catalog/*") != std::string::npos);
  CHECK(conditions.find("shop.example.com") != std::string::npos);
  CHECK(st.rules[1].conditions.dump().find("\"/*\"") != std::string::npos);

  // kubectl get ingress: ADDRESS is the ALB's DNS name.
  const json live = call(http::verb::get, "/apis/networking.k8s.io/v1/namespaces/default/ingresses/shop");
  CHECK(live["status"]["loadBalancer"]["ingress"][0]["hostname"] == lb.dns_name);

  // With target type ip, the ready pods behind the backend Service are its group's targets.
  const json deployment = {
      {"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"metadata", {{"name", "catalog"}, {"annotations", {{"migsim.io/service", "api-catalog"}}}}},
      {"spec", {{"replicas", 6}, {"selector", {{"matchLabels", {{"app", "catalog"}}}}},
                {"template", {{"metadata", {{"labels", {{"app", "catalog"}}}}},
                              {"spec", {{"containers", {{{"name", "api"}, {"image", "shop/catalog:1"},
                                                         {"resources", {{"requests", {{"cpu", "250m"}, {"memory", "512Mi"}}}, {"limits", {{"cpu", "500m"}}}}}}}}}}}}}}};
  call(http::verb::post, "/apis/apps/v1/namespaces/default/deployments", deployment);
  call(http::verb::post, "/api/v1/namespaces/default/services",
       {{"apiVersion", "v1"}, {"kind", "Service"}, {"metadata", {{"name", "catalog"}}},
        {"spec", {{"selector", {{"app", "catalog"}}}, {"ports", {{{"port", 80}, {"targetPort", 8080}}}}}}});
  sim.advance_to(1);
  harness::k8s::advance(ctx);
  const auto catalog = std::find_if(st.target_groups.begin(), st.target_groups.end(), [](const auto& g) { return g.name.find("-catalog-") != std::string::npos; });
  REQUIRE(catalog != st.target_groups.end());
  CHECK(catalog->targets.size() == 6);
  const json pods = call(http::verb::get, "/api/v1/namespaces/default/pods")["items"];
  for (const auto& t : catalog->targets) {
    CHECK(t.port == 8080);
    CHECK(std::any_of(pods.begin(), pods.end(), [&](const json& p) { return p["status"]["podIP"] == t.id; }));
  }
  call(http::verb::patch, "/apis/apps/v1/namespaces/default/deployments/catalog", {{"spec", {{"replicas", 4}}}});
  sim.advance_to(5);
  harness::k8s::advance(ctx);
  CHECK(std::count_if(catalog->targets.begin(), catalog->targets.end(), [](const auto& t) { return t.drain_until_s < 0; }) == 4);

  call(http::verb::delete_, "/apis/networking.k8s.io/v1/namespaces/default/ingresses/shop");
  harness::k8s::advance(ctx);
  CHECK(st.load_balancers.empty());
  CHECK(st.target_groups.empty());
  CHECK(st.rules.empty());
}
