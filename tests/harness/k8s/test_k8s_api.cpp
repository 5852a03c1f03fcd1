// The Kubernetes API through serve's request handler (no socket), on the scenario's EKS cluster:
// routing under /_migsim/eks/<cluster>/, Status codes for bad input (never a crash), Table output,
// a watch's body receiving the change, a rollout following the simulated clock. The real kubectl
// drives the same API over HTTP in tests/e2e/kubectl/test_kubectl.py.
#include "harness/k8s/api_server.hpp"
#include "harness/run/run_command.hpp"
#include "harness/serve/core/router.hpp"
#include "models/eks/eks_cluster.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

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
      // A protobuf ConfigMap (runtime.Unknown naming v1 ConfigMap): only HPAs are decoded.
      {http::verb::post, cms, std::string("k8s\0\x0a\x0f\x0a\x02v1\x12\x09" "ConfigMap", 21), "application/vnd.kubernetes.protobuf", 415,
       "UnsupportedMediaType"},
      {http::verb::post, cms, "k8s", "application/vnd.kubernetes.protobuf", 400, "BadRequest"},
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

namespace {

// Protobuf's wire format, enough to write what `kubectl autoscale` sends.
std::string varint(uint64_t v)
{
  std::string out;
  do {
    out.push_back(static_cast<char>((v & 0x7F) | (v > 0x7F ? 0x80 : 0)));
    v >>= 7;
  } while (v);
  return out;
}
std::string field(int number, const std::string& bytes) { return varint(number << 3 | 2) + varint(bytes.size()) + bytes; }
std::string field(int number, uint64_t v) { return varint(number << 3) + varint(v); }

}  // namespace

TEST_CASE("k8s api: HorizontalPodAutoscalers in autoscaling/v1 (protobuf) and v2 are validated and keep replicas in bounds", "[k8s]")
{
  Cluster c;
  const std::string v1 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers";
  const std::string v2 = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers";
  REQUIRE(c.call(http::verb::post, "/apis/apps/v1/namespaces/default/deployments", kDeployment).result_int() == 201);

  // What `kubectl autoscale deployment web --min=3 --max=10 --cpu-percent=60` sends: "k8s\0", then
  // runtime.Unknown{typeMeta, raw} around the autoscaling/v1 object (an empty generateName as Go writes it).
  const std::string ref = field(1, "Deployment") + field(2, "web") + field(3, "apps/v1");
  const std::string raw = field(1, field(1, "web") + field(2, "")) +
                          field(2, field(1, ref) + field(2, 3) + field(3, 10) + field(4, 60));
  const std::string body = std::string("k8s\0", 4) + field(1, field(1, "autoscaling/v1") + field(2, "HorizontalPodAutoscaler")) +
                           field(2, raw);
  const Response created = c.call(http::verb::post, v1, body, "application/vnd.kubernetes.protobuf");
  REQUIRE(created.result_int() == 201);
  const json h1 = c.body(created);
  CHECK(h1["apiVersion"] == "autoscaling/v1");
  CHECK(h1["spec"]["targetCPUUtilizationPercentage"] == 60);
  CHECK_FALSE(h1["metadata"].contains("generateName"));
  // The same object read as autoscaling/v2: the cpu target is a metric; the controller scaled the
  // Deployment from 2 to minReplicas.
  const json h2 = c.body(c.call(http::verb::get, v2 + "/web"));
  CHECK(h2["spec"]["metrics"][0]["resource"]["target"] == json{{"type", "Utilization"}, {"averageUtilization", 60}});
  CHECK(h2["status"]["currentReplicas"] == 3);
  CHECK(c.body(c.call(http::verb::get, "/apis/apps/v1/namespaces/default/deployments/web"))["spec"]["replicas"] == 3);
  const json table = c.body(c.call(http::verb::get, v2, "", "", "application/json;as=Table;v=v1;g=meta.k8s.io"));
  CHECK(table["rows"][0]["cells"] == json{"web", "Deployment/web", "cpu: <unknown>/60%", "3", 10, 3, "0s"});

  // A truncated protobuf body is a 400; a kind not decoded is still a 415.
  CHECK(c.call(http::verb::post, v1, body.substr(0, body.size() - 3), "application/vnd.kubernetes.protobuf").result_int() == 400);

  // Validation as the API server's.
  const std::string bad = R"({"metadata":{"name":"x"},"spec":{"scaleTargetRef":{"kind":"Deployment"},"minReplicas":0,"maxReplicas":0,
    "metrics":[{"type":"Resource"},{"type":"Cpu"}]}})";
  const json st = c.body(c.call(http::verb::post, v2, bad));
  CHECK(st["code"] == 422);
  std::vector<std::string> fields;
  for (const auto& cause : st["details"]["causes"])
    fields.push_back(cause["field"]);
  CHECK(fields == std::vector<std::string>{"spec.scaleTargetRef.name", "spec.minReplicas", "spec.maxReplicas",
                                           "spec.metrics[0].resource", "spec.metrics[1].type"});
  // Without metrics: the default 80 % cpu target.
  const json dflt = c.body(c.call(http::verb::post, v2,
                                  R"({"metadata":{"name":"d"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":5}})"));
  CHECK(dflt["spec"]["minReplicas"] == 1);
  CHECK(dflt["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] == 80);
}

TEST_CASE("k8s api: an Ingress is validated as the API server does and the alb IngressClass exists", "[k8s]")
{
  Cluster c;
  const std::string ingresses = "/apis/networking.k8s.io/v1/namespaces/default/ingresses";
  CHECK(c.body(c.call(http::verb::get, "/apis/networking.k8s.io/v1/ingressclasses/alb"))["spec"]["controller"] == "ingress.k8s.aws/alb");
  // A backend naming a Service that does not exist is valid.
  const Response ok = c.call(http::verb::post, ingresses, R"({"metadata":{"name":"shop"},"spec":{"ingressClassName":"alb",
    "rules":[{"host":"shop.example.com","http":{"paths":[{"path":"/","pathType":"Prefix","backend":{"service":{"name":"nowhere","port":{"number":80}}}}]}}]}})");
  CHECK(ok.result_int() == 201);
  CHECK(c.body(ok)["status"] == json{{"loadBalancer", json::object()}});
  const json st = c.body(c.call(http::verb::post, ingresses, R"({"metadata":{"name":"bad"},"spec":{"rules":[
    {"host":"Shop_Example","http":{"paths":[
      {"path":"api","pathType":"Prefix","backend":{"service":{"name":"api","port":{"number":80}}}},
      {"path":"/","backend":{"service":{"name":"api","port":{}}}},
      {"path":"/x","pathType":"Exact","backend":{}}]}}]}})"));
  CHECK(st["code"] == 422);
  std::vector<std::string> fields;
  for (const auto& cause : st["details"]["causes"])
    fields.push_back(cause["field"]);
  CHECK(fields == std::vector<std::string>{"spec.rules[0].host", "spec.rules[0].http.paths[0].path",
                                           "spec.rules[0].http.paths[1].pathType", "spec.rules[0].http.paths[1].backend.service.port",
                                           "spec.rules[0].http.paths[2].backend"});
  CHECK(c.call(http::verb::post, ingresses, R"({"metadata":{"name":"empty"},"spec":{}})").result_int() == 422);
}

TEST_CASE("k8s api: a claim on the EFS StorageClass binds to a provisioned volume that goes with it", "[k8s]")
{
  Cluster c;
  const std::string claims = "/api/v1/namespaces/default/persistentvolumeclaims";
  REQUIRE(c.call(http::verb::post, "/apis/storage.k8s.io/v1/storageclasses",
                 R"({"metadata":{"name":"efs-sc"},"provisioner":"efs.csi.aws.com","parameters":{"fileSystemId":"fs-0abc"}})")
              .result_int() == 201);
  const json sc = c.body(c.call(http::verb::get, "/apis/storage.k8s.io/v1/storageclasses/efs-sc"));
  CHECK(sc["reclaimPolicy"] == "Delete");
  CHECK(sc["volumeBindingMode"] == "Immediate");
  const json created = c.body(c.call(http::verb::post, claims, R"({"metadata":{"name":"media"},"spec":{"accessModes":["ReadWriteMany"],
    "storageClassName":"efs-sc","resources":{"requests":{"storage":"5Gi"}}}})"));
  CHECK(created["status"]["phase"] == "Pending");  // the answer to the create; the controller runs after it
  const json pvc = c.body(c.call(http::verb::get, claims + "/media"));
  const std::string pv_name = "pvc-" + created["metadata"]["uid"].get<std::string>();
  CHECK(pvc["status"]["phase"] == "Bound");
  CHECK(pvc["spec"]["volumeName"] == pv_name);
  const json pv = c.body(c.call(http::verb::get, "/api/v1/persistentvolumes/" + pv_name));
  CHECK(pv["status"]["phase"] == "Bound");
  CHECK(pv["spec"]["csi"]["driver"] == "efs.csi.aws.com");
  CHECK(pv["spec"]["csi"]["volumeHandle"].get<std::string>().rfind("fs-0abc::fsap-", 0) == 0);
  CHECK(pv["spec"]["claimRef"]["name"] == "media");
  CHECK(pv["spec"]["accessModes"] == json{"ReadWriteMany"});
  const json table = c.body(c.call(http::verb::get, claims, "", "", "application/json;as=Table;v=v1;g=meta.k8s.io"));
  CHECK(table["rows"][0]["cells"] == json{"media", "Bound", pv_name, "5Gi", "RWX", "efs-sc", "<unset>", "0s", "Filesystem"});

  // gp2 (WaitForFirstConsumer, no EBS provisioner here): Pending.
  REQUIRE(c.call(http::verb::post, claims, R"({"metadata":{"name":"disk"},"spec":{"accessModes":["ReadWriteOnce"],
    "storageClassName":"gp2","resources":{"requests":{"storage":"1Gi"}}}})").result_int() == 201);
  CHECK(c.body(c.call(http::verb::get, claims + "/disk"))["status"]["phase"] == "Pending");

  // The claim deleted: its volume (reclaim policy Delete) goes too.
  REQUIRE(c.call(http::verb::delete_, claims + "/media").result_int() == 200);
  migsim::harness::k8s::advance(c.ctx);
  CHECK(c.call(http::verb::get, "/api/v1/persistentvolumes/" + pv_name).result_int() == 404);

  const json st = c.body(c.call(http::verb::post, claims, R"({"metadata":{"name":"bad"},"spec":{"accessModes":["ReadWriteAll"]}})"));
  CHECK(st["code"] == 422);
  CHECK(st["details"]["causes"][0]["field"] == "spec.accessModes");
  CHECK(st["details"]["causes"][1]["field"] == "spec.resources[storage]");
}

TEST_CASE("k8s api: every namespace has its default ServiceAccount, made again when deleted", "[k8s]")
{
  Cluster c;
  CHECK(c.call(http::verb::get, "/api/v1/namespaces/kube-system/serviceaccounts/default").result_int() == 200);
  REQUIRE(c.call(http::verb::post, "/api/v1/namespaces", R"({"metadata":{"name":"shop"}})").result_int() == 201);
  CHECK(c.call(http::verb::get, "/api/v1/namespaces/shop/serviceaccounts/default").result_int() == 200);
  const std::string irsa = R"({"metadata":{"name":"media","annotations":{"eks.amazonaws.com/role-arn":"arn:aws:iam::000000000000:role/media"}}})";
  const json sa = c.body(c.call(http::verb::post, "/api/v1/namespaces/shop/serviceaccounts", irsa));
  CHECK(sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"] == "arn:aws:iam::000000000000:role/media");
  REQUIRE(c.call(http::verb::delete_, "/api/v1/namespaces/shop/serviceaccounts/default").result_int() == 200);
  CHECK(c.call(http::verb::get, "/api/v1/namespaces/shop/serviceaccounts/default").result_int() == 200);
  const json table = c.body(c.call(http::verb::get, "/api/v1/namespaces/shop/serviceaccounts", "", "", "application/json;as=Table;v=v1;g=meta.k8s.io"));
  CHECK(table["columnDefinitions"][1]["name"] == "Secrets");
  CHECK(table["rows"].size() == 2);
}

TEST_CASE("k8s api: a PodDisruptionBudget's status follows its pods on the simulated clock", "[k8s]")
{
  Cluster c;
  const std::string pdbs = "/apis/policy/v1/namespaces/default/poddisruptionbudgets";
  REQUIRE(c.call(http::verb::post, "/apis/apps/v1/namespaces/default/deployments", kDeployment).result_int() == 201);  // 2 replicas
  REQUIRE(c.call(http::verb::post, pdbs, R"({"metadata":{"name":"web"},"spec":{"maxUnavailable":"50%","selector":{"matchLabels":{"app":"web"}}}})")
              .result_int() == 201);
  json st = c.body(c.call(http::verb::get, pdbs + "/web"))["status"];
  CHECK(st["expectedPods"] == 2);
  CHECK(st["currentHealthy"] == 0);
  CHECK(st["desiredHealthy"] == 1);  // 2 - ceil(50 % of 2)
  CHECK(st["disruptionsAllowed"] == 0);
  CHECK(st["conditions"][0]["reason"] == "InsufficientPods");
  c.sim.advance_to(c.sim.now() + 20);  // the pods are ready pod_start_s (15 s) later
  migsim::harness::k8s::advance(c.ctx);
  st = c.body(c.call(http::verb::get, pdbs + "/web"))["status"];
  CHECK(st["currentHealthy"] == 2);
  CHECK(st["disruptionsAllowed"] == 1);
  CHECK(st["conditions"][0]["reason"] == "SufficientPods");
  const json table = c.body(c.call(http::verb::get, pdbs, "", "", "application/json;as=Table;v=v1;g=meta.k8s.io"));
  CHECK(table["rows"][0]["cells"] == json{"web", "N/A", "50%", 1, "20s"});
  for (const char* bad : {R"({"minAvailable":1,"maxUnavailable":1})", R"({"minAvailable":"150%"})", R"({"maxUnavailable":-1})"})
    CHECK(c.call(http::verb::post, pdbs, std::string(R"({"metadata":{"name":"x"},"spec":)") + bad + "}").result_int() == 422);
}

TEST_CASE("k8s api: the scenario cluster's Nodes are the EKS model's joined nodes with their labels", "[k8s]")
{
  Cluster c;
  c.sim.advance_to(60);
  migsim::harness::k8s::advance(c.ctx);
  const auto& model = *c.sim.eks();
  const json nodes = c.body(c.call(http::verb::get, "/api/v1/nodes"))["items"];
  size_t joined = 0;
  for (const auto& n : model.nodes())
    joined += n.state == models::eks::NodeState::Ready;
  REQUIRE(joined > 0);
  REQUIRE(nodes.size() == joined);
  for (const auto& n : nodes) {
    const json labels = n["metadata"]["labels"];
    const auto it = std::find_if(model.nodes().begin(), model.nodes().end(),
                                 [&](const auto& m) { return m.name == n["metadata"]["name"]; });
    REQUIRE(it != model.nodes().end());
    CHECK(labels["node.kubernetes.io/instance-type"] == it->type->name);
    CHECK(labels["topology.kubernetes.io/zone"] == it->zone);
    CHECK(labels["kubernetes.io/hostname"] == it->name);
    CHECK(n["status"]["conditions"][3]["type"] == "Ready");
    CHECK(n["status"]["conditions"][3]["status"] == "True");
    CHECK(n["status"]["capacity"]["pods"] == std::to_string(it->type->max_pods));
  }
  const json table = c.body(c.call(http::verb::get, "/api/v1/nodes", "", "", "application/json;as=Table;v=v1;g=meta.k8s.io"));
  CHECK(table["rows"][0]["cells"][1] == "Ready");
  // Writes only on change: a second pass at the same instant leaves the resourceVersion alone.
  const std::string rv = c.body(c.call(http::verb::get, "/api/v1/nodes"))["metadata"]["resourceVersion"];
  migsim::harness::k8s::advance(c.ctx);
  CHECK(c.body(c.call(http::verb::get, "/api/v1/nodes"))["metadata"]["resourceVersion"] == rv);
}
