// The Load Balancer Controller's part (harness/k8s/ingresses.cpp, harness/serve/elbv2/ingress_alb.cpp):
// an Ingress of class alb applied through the Kubernetes API gets its ALB in the ELBv2 API (listener,
// a target group per backend Service, a rule per host and path) and its address; deleting it deletes them.
#include "harness/k8s/api_server.hpp"
#include "harness/run/run_command.hpp"
#include "harness/serve/core/router.hpp"
#include "harness/serve/elbv2/backend.hpp"

#include <catch2/catch.hpp>

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
      req.set(http::field::content_type, "application/json");
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

  call(http::verb::delete_, "/apis/networking.k8s.io/v1/namespaces/default/ingresses/shop");
  harness::k8s::advance(ctx);
  CHECK(st.load_balancers.empty());
  CHECK(st.target_groups.empty());
  CHECK(st.rules.empty());
}
