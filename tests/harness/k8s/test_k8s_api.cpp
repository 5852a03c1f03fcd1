// The Kubernetes API through serve's request handler (no socket), on the scenario's EKS cluster:
// routing under /_migsim/eks/<cluster>/, Status codes for bad input (never a crash), Table output,
// a watch's body receiving the change, a rollout following the simulated clock. The real kubectl
// drives the same API over HTTP in tests/e2e/kubectl/test_kubectl.py.
#include "harness/k8s/api_server.hpp"
#include "harness/run/run_command.hpp"
#include "harness/serve/core/router.hpp"

#include <catch2/catch.hpp>

using namespace migsim;
using namespace migsim::harness::serve;
using nlohmann::json;

namespace {

struct Cluster {
  sim::Scenario sc = harness::load_scenario(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/eks-black-friday.json");
  harness::Simulation sim{sc};
  ServeContext ctx{sim};
  std::string base = "/_migsim/eks/" + sc.eks["cluster_name"].get<std::string>();

  Response call(http::verb verb, const std::string& path, const std::string& body = "",
                const std::string& content_type = "application/json", const std::string& accept = "application/json")
  {
    Request req{verb, base + path, 11};
    req.set(http::field::host, "127.0.0.1:4566");
    req.set(http::field::accept, accept);
    if (!body.empty()) {
      req.set(http::field::content_type, content_type);
      req.body() = body;
    }
    req.prepare_payload();
    return handle_request(req, ctx);
  }
  json body(const Response& res) { return json::parse(res.body()); }
};

const std::string kDeployment = R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
  "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
  "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}})";

}  // namespace

TEST_CASE("k8s api: bad input answers a Status with the API server's code, never a crash", "[k8s]")
{
  Cluster c;
  CHECK(c.call(http::verb::get, "/version").result_int() == 200);
  const std::string cms = "/api/v1/namespaces/default/configmaps";
  const std::string svc = "/api/v1/namespaces/default/services/kubernetes";
  struct Case {
    http::verb verb;
    std::string path, body, content_type;
    int code;
    std::string reason;
  };
  const Case cases[] = {
      {http::verb::post, cms, "[1,2]", "application/json", 400, "BadRequest"},
      {http::verb::post, cms, "{", "application/json", 400, "BadRequest"},
      {http::verb::post, cms, R"({"metadata":5})", "application/json", 400, "BadRequest"},
      {http::verb::post, cms, R"({"metadata":{"name":"Bad_Name"}})", "application/json", 422, "Invalid"},
      {http::verb::post, cms, R"({"kind":"Secret","metadata":{"name":"x"}})", "application/json", 400, "BadRequest"},
      {http::verb::post, "/api/v1/namespaces/nowhere/configmaps", R"({"metadata":{"name":"x"}})", "application/json", 404, "NotFound"},
      {http::verb::patch, svc, R"([{"op":"add","path":"/spec/ports/99","value":1}])", "application/json-patch+json", 422, "Invalid"},
      {http::verb::patch, svc, R"([{"op":"replace","path":"","value":1}])", "application/json-patch+json", 400, "BadRequest"},
      {http::verb::patch, svc, R"({"metadata":{"name":"other"}})", "application/merge-patch+json", 400, "BadRequest"},
      {http::verb::patch, svc, R"({"spec":{"ports":[{"x":1}]}})", "application/strategic-merge-patch+json", 422, "Invalid"},
      {http::verb::patch, svc, "x", "text/plain", 400, "BadRequest"},
      {http::verb::patch, svc, "{}", "application/x-unknown", 415, "UnsupportedMediaType"},
      {http::verb::post, cms, "k8s\0", "application/vnd.kubernetes.protobuf", 415, "UnsupportedMediaType"},
      {http::verb::get, cms + "?labelSelector=a%20b", "", "", 400, "BadRequest"},
      {http::verb::get, cms + "?fieldSelector=foo%3D1", "", "", 400, "BadRequest"},
      {http::verb::get, cms + "?watch=true&resourceVersion=abc", "", "", 400, "BadRequest"},
      {http::verb::get, cms + "/x/y/z", "", "", 404, "NotFound"},
      {http::verb::get, "/apis/nope/v1/things", "", "", 404, "NotFound"},
      {http::verb::delete_, "/api/v1/namespaces/default", "", "", 403, "Forbidden"},
      {http::verb::put, svc, R"({"spec":{}})", "application/json", 400, "BadRequest"},
  };
  for (const auto& k : cases) {
    INFO(k.path << " " << k.body);
    const Response res = c.call(k.verb, k.path, k.body, k.content_type);
    CHECK(res.result_int() == k.code);
    const json st = c.body(res);
    CHECK(st["kind"] == "Status");
    CHECK(st["reason"] == k.reason);
  }
  // Another cluster name: 404 naming ListClusters.
  c.base = "/_migsim/eks/nope";
  CHECK(c.call(http::verb::get, "/api").result_int() == 404);
}

TEST_CASE("k8s api: Table output, watch bodies and rollouts on the simulated clock", "[k8s]")
{
  Cluster c;
  const std::string deployments = "/apis/apps/v1/namespaces/default/deployments";
  // A watch from now: its body is handed over in ctx.stream.
  Response w = c.call(http::verb::get, deployments + "?watch=true");
  REQUIRE(w.result_int() == 200);
  auto stream = std::exchange(c.ctx.stream, nullptr);
  REQUIRE(stream);
  CHECK_FALSE(stream->has_data());

  REQUIRE(c.call(http::verb::post, deployments, kDeployment).result_int() == 201);
  REQUIRE(stream->has_data());
  const std::string events = stream->take();
  const json first = json::parse(events.substr(0, events.find('\n')));
  CHECK(first["type"] == "ADDED");
  CHECK(first["object"]["metadata"]["name"] == "web");

  const json table = c.body(c.call(http::verb::get, deployments, "", "", "application/json;as=Table;v=v1;g=meta.k8s.io"));
  CHECK(table["kind"] == "Table");
  CHECK(table["columnDefinitions"][1]["name"] == "Ready");
  CHECK(table["rows"][0]["cells"][1] == "0/2");

  // Pods become ready pod_start_s (15 s) after creation, on the simulated clock.
  const double t0 = c.sim.now();
  c.sim.advance_to(t0 + 14);
  migsim::harness::k8s::advance(c.ctx);
  CHECK_FALSE(c.body(c.call(http::verb::get, deployments + "/web"))["status"].contains("readyReplicas"));
  c.sim.advance_to(t0 + 16);
  migsim::harness::k8s::advance(c.ctx);
  const json d = c.body(c.call(http::verb::get, deployments + "/web"));
  CHECK(d["status"]["readyReplicas"] == 2);
  CHECK(d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1");
  CHECK(stream->take().find("\"readyReplicas\":2") != std::string::npos);  // the watch saw it

  // The client leaving ends the watch at the next tick.
  stream->cancel();
  migsim::harness::k8s::advance(c.ctx);
  CHECK(c.body(c.call(http::verb::get, "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb"))["items"].size() == 2);
}
