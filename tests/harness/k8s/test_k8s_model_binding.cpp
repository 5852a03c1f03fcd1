// Deployments bound to the EKS model with `migsim.io/service` (harness/k8s/model_binding.cpp),
// through serve's request handler on the eks-black-friday scenario's cluster: the manifest of what
// runs adopts the running pods, a scale-up beyond the nodes leaves pods Pending with
// kube-scheduler's message until the model's Cluster Autoscaler adds nodes (which appear as Nodes),
// a new template is the model's rolling update, and deleting the Deployment removes the model's pods.
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
  explicit Cluster(const std::string& scenario = "eks-black-friday") : sc(harness::load_scenario(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/" + scenario + ".json")) {}
  sim::Scenario sc;
  harness::Simulation sim{sc};
  ServeContext ctx{sim};
  std::string base = "/_migsim/eks/shop";

  json call(http::verb verb, const std::string& path, const std::string& body = "",
            const std::string& content_type = "application/json")
  {
    Request req{verb, base + path, 11};
    req.set(http::field::host, "127.0.0.1:4566");
    req.set(http::field::accept, "application/json");
    if (!body.empty()) {
      req.set(http::field::content_type, content_type);
      req.body() = body;
    }
    req.prepare_payload();
    return json::parse(handle_request(req, ctx).body());
  }
  void at(double t)
  {
    sim.advance_to(t);
    harness::k8s::advance(ctx);
  }
  json pods() { return call(http::verb::get, "/api/v1/namespaces/default/pods")["items"]; }
  json deployment() { return call(http::verb::get, "/apis/apps/v1/namespaces/default/deployments/catalog"); }
  size_t model_nodes()
  {
    const auto& n = sim.eks()->nodes();
    return static_cast<size_t>(std::count_if(n.begin(), n.end(), [](const auto& x) {
      return x.state == models::eks::NodeState::Ready || x.state == models::eks::NodeState::Booting;
    }));
  }
};

// api-catalog as the scenario declares it (6 replicas, 250m / 512Mi, limit 500m).
json catalog(int replicas, const std::string& cpu_request, const std::string& image)
{
  return {{"apiVersion", "apps/v1"}, {"kind", "Deployment"},
          {"metadata", {{"name", "catalog"}, {"annotations", {{"migsim.io/service", "api-catalog"}}}}},
          {"spec", {{"replicas", replicas}, {"selector", {{"matchLabels", {{"app", "catalog"}}}}},
                    {"template", {{"metadata", {{"labels", {{"app", "catalog"}}}}},
                                  {"spec", {{"containers", {{{"name", "api"}, {"image", image},
                                                             {"resources", {{"requests", {{"cpu", cpu_request}, {"memory", "512Mi"}}},
                                                                            {"limits", {{"cpu", "500m"}}}}}}}}}}}}}}};
}

int count_phase(const json& pods, const std::string& phase)
{
  return static_cast<int>(std::count_if(pods.begin(), pods.end(), [&](const json& p) { return p["status"]["phase"] == phase; }));
}

}  // namespace

TEST_CASE("k8s model binding: an annotated Deployment drives the EKS model's workload, its pods are the model's", "[k8s]")
{
  Cluster c;
  c.at(10);
  auto& model = *c.sim.eks();
  const auto d = static_cast<size_t>(model.deployment_index("api-catalog"));
  const int running_version = model.version(d);
  c.call(http::verb::post, "/apis/apps/v1/namespaces/default/deployments", catalog(6, "250m", "shop/catalog:1").dump());
  c.at(11);

  // The manifest of what runs: the model's 6 ready pods are adopted, no rollout.
  CHECK(model.version(d) == running_version);
  CHECK_FALSE(model.rolling(d));
  CHECK(model.desired_replicas(d) == 6);
  json pods = c.pods();
  REQUIRE(pods.size() == 6);
  for (const auto& p : pods) {
    CHECK(p["status"]["phase"] == "Running");
    CHECK_FALSE(p["spec"].value("nodeName", "").empty());
  }
  CHECK(c.deployment()["status"]["readyReplicas"] == 6);

  // Scaled past the 3 nodes' room: kube-scheduler's message on the Pending pods, the Cluster
  // Autoscaler's new nodes, then every pod Ready on them.
  const size_t nodes_before = c.model_nodes();
  c.call(http::verb::patch, "/apis/apps/v1/namespaces/default/deployments/catalog", R"({"spec":{"replicas":24}})",
         "application/merge-patch+json");
  c.at(12);
  CHECK(model.desired_replicas(d) == 24);
  pods = c.pods();
  REQUIRE(pods.size() == 24);
  const auto unschedulable = std::find_if(pods.begin(), pods.end(), [](const json& p) {
    return !p["status"]["conditions"].empty() && p["status"]["conditions"][0].value("reason", "") == "Unschedulable";
  });
  REQUIRE(unschedulable != pods.end());
  CHECK((*unschedulable)["status"]["phase"] == "Pending");
  CHECK((*unschedulable)["status"]["conditions"][0]["message"].get<std::string>().find("Insufficient cpu") != std::string::npos);
  CHECK(count_phase(pods, "Pending") > 0);
  c.at(30);
  CHECK(c.model_nodes() > nodes_before);  // the Cluster Autoscaler's scale-up, booting
  c.at(400);
  pods = c.pods();
  CHECK(count_phase(pods, "Running") == 24);
  CHECK(c.call(http::verb::get, "/api/v1/nodes")["items"].size() > nodes_before);
  CHECK(c.deployment()["status"]["readyReplicas"] == 24);

  // What happened, as Events (kubectl get events; describe selects them by involvedObject).
  const json events = c.call(http::verb::get, "/api/v1/namespaces/default/events")["items"];
  auto find = [&](const std::string& reason) {
    return std::find_if(events.begin(), events.end(), [&](const json& e) { return e["reason"] == reason; });
  };
  for (const char* reason : {"ScalingReplicaSet", "FailedScheduling", "TriggeredScaleUp", "Scheduled", "Pulling", "Pulled", "Created", "Started"})
    CHECK(find(reason) != events.end());
  const auto failed = find("FailedScheduling");
  REQUIRE(failed != events.end());
  CHECK((*failed)["type"] == "Warning");
  CHECK((*failed)["involvedObject"]["kind"] == "Pod");
  CHECK((*failed)["message"].get<std::string>().find("Insufficient cpu") != std::string::npos);
  CHECK((*find("TriggeredScaleUp"))["message"].get<std::string>().find("pod triggered scale-up: [{web 3->") == 0);
  CHECK((*find("Pulling"))["message"] == "Pulling image \"shop/catalog:1\"");
  CHECK((*find("Started"))["source"]["host"].get<std::string>().rfind("ip-", 0) == 0);
  CHECK((*find("ScalingReplicaSet"))["involvedObject"]["name"] == "catalog");
  const std::string pod = (*failed)["involvedObject"]["name"];
  const json about = c.call(http::verb::get, "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D" + pod)["items"];
  CHECK(about.size() >= 4);  // FailedScheduling, TriggeredScaleUp, Scheduled, Pulling or Pulled, Created, Started
  for (const auto& e : about)
    CHECK(e["involvedObject"]["name"] == pod);

  // A new template (kubectl set image) is the model's rolling update; it completes on the model's clock.
  c.call(http::verb::patch, "/apis/apps/v1/namespaces/default/deployments/catalog",
         R"({"spec":{"template":{"spec":{"containers":[{"name":"api","image":"shop/catalog:2"}]}}}})", "application/strategic-merge-patch+json");
  c.at(401);
  CHECK(model.rolling(d));
  CHECK(model.version(d) == running_version + 1);
  json status = c.deployment()["status"];
  CHECK(status.value("updatedReplicas", 0) < 24);
  CHECK(status.value("updatedReplicas", 0) > 0);
  c.at(700);
  CHECK_FALSE(model.rolling(d));
  status = c.deployment()["status"];
  CHECK(status["updatedReplicas"] == 24);
  CHECK(status["readyReplicas"] == 24);
  for (const auto& p : c.pods())
    CHECK(p["spec"]["containers"][0]["image"] == "shop/catalog:2");

  // Deleted: the model's pods go with it.
  c.call(http::verb::delete_, "/apis/apps/v1/namespaces/default/deployments/catalog");
  c.at(760);
  CHECK(model.desired_replicas(d) == 0);
  CHECK(model.ready_pods(d) == 0);
  CHECK(c.pods().empty());
}

TEST_CASE("k8s model binding: an HPA on a bound Deployment is the model's HPA on the simulated CPU", "[k8s]")
{
  Cluster c;
  c.at(10);
  auto& model = *c.sim.eks();
  const auto d = static_cast<size_t>(model.deployment_index("api-catalog"));
  c.call(http::verb::post, "/apis/apps/v1/namespaces/default/deployments", catalog(3, "250m", "shop/catalog:1").dump());
  // A target far below what 3 pods use under the Black Friday traffic: the HPA must scale up.
  const json hpa = {{"apiVersion", "autoscaling/v2"}, {"kind", "HorizontalPodAutoscaler"}, {"metadata", {{"name", "catalog"}}},
                    {"spec", {{"scaleTargetRef", {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", "catalog"}}},
                              {"minReplicas", 3}, {"maxReplicas", 12},
                              {"metrics", {{{"type", "Resource"}, {"resource", {{"name", "cpu"}, {"target", {{"type", "Utilization"}, {"averageUtilization", 10}}}}}}}}}}};
  c.call(http::verb::post, "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers", hpa.dump());
  c.at(11);
  c.at(12);
  CHECK(model.desired_replicas(d) == 3);
  json status = c.call(http::verb::get, "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/catalog")["status"];
  CHECK_FALSE(status.contains("currentMetrics"));  // no metrics-server window yet

  for (double t = 20; t <= 200; t += 5)
    c.at(t);
  status = c.call(http::verb::get, "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/catalog")["status"];
  REQUIRE(status.contains("currentMetrics"));
  const int utilization = status["currentMetrics"][0]["resource"]["current"]["averageUtilization"];
  CHECK(utilization > 10);
  CHECK(utilization == model.hpa_utilization_pct(d));
  CHECK(status["desiredReplicas"].get<int>() > 3);
  CHECK(status["desiredReplicas"] == model.desired_replicas(d));
  CHECK(status.contains("lastScaleTime"));
  const json rescaled = c.call(http::verb::get, "/api/v1/namespaces/default/events?fieldSelector=reason%3DSuccessfulRescale")["items"];
  REQUIRE_FALSE(rescaled.empty());
  CHECK(rescaled[0]["involvedObject"]["kind"] == "HorizontalPodAutoscaler");
  CHECK(rescaled[0]["message"].get<std::string>().rfind("New size: ", 0) == 0);
  CHECK(c.deployment()["spec"]["replicas"] == model.desired_replicas(d));  // the Deployment follows the model's HPA
  // kubectl get hpa: TARGETS current/target.
  Request req{http::verb::get, c.base + "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers", 11};
  req.set(http::field::accept, "application/json;as=Table;v=v1;g=meta.k8s.io");
  const json table = json::parse(handle_request(req, c.ctx).body());
  CHECK(table["rows"][0]["cells"][2] == "cpu: " + std::to_string(model.hpa_utilization_pct(d)) + "%/10%");

  // Deleted: the model keeps the replicas it has and no longer autoscales.
  c.call(http::verb::delete_, "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/catalog");
  c.at(205);
  const int kept = model.desired_replicas(d);
  c.at(400);
  CHECK(model.desired_replicas(d) == kept);
}

TEST_CASE("k8s model binding: metrics.k8s.io serves the model's node and pod CPU for kubectl top", "[k8s]")
{
  Cluster c;
  c.at(10);
  auto& model = *c.sim.eks();
  c.call(http::verb::post, "/apis/apps/v1/namespaces/default/deployments", catalog(3, "250m", "shop/catalog:1").dump());
  for (double t = 11; t <= 60; t += 7)
    c.at(t);
  const json nodes = c.call(http::verb::get, "/apis/metrics.k8s.io/v1beta1/nodes")["items"];
  REQUIRE(nodes.size() == c.call(http::verb::get, "/api/v1/nodes")["items"].size());
  // A node's CPU is the sum of its running pods' CPU over the model's last window.
  for (const auto& n : nodes) {
    const auto it = std::find_if(model.nodes().begin(), model.nodes().end(), [&](const auto& m) { return m.name == n["metadata"]["name"]; });
    REQUIRE(it != model.nodes().end());
    double cpu_m = 0;
    for (size_t id : it->pods)
      if (model.pods()[id].state == models::eks::PodState::Ready || model.pods()[id].state == models::eks::PodState::Running)
        cpu_m += model.pods()[id].metric_m;
    CHECK(n["usage"]["cpu"] == std::to_string(std::llround(cpu_m)) + "m");
    CHECK(n["window"] == "15s");
  }
  const json pods = c.call(http::verb::get, "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods")["items"];
  REQUIRE(pods.size() == 3);
  const auto d = static_cast<size_t>(model.deployment_index("api-catalog"));
  for (size_t id : model.deployment_pods(d))
    CHECK(model.pods()[id].metric_m > 0);  // Black Friday traffic reaches the bound pods
  CHECK(pods[0]["containers"][0]["name"] == "api");
  CHECK(pods[0]["containers"][0]["usage"]["memory"] == "524288Ki");  // the 512Mi request
  CHECK(pods[0]["containers"][0]["usage"]["cpu"].get<std::string>() != "0m");
  // Read-only, as metrics-server's API.
  Request req{http::verb::delete_, c.base + "/apis/metrics.k8s.io/v1beta1/nodes/" + nodes[0]["metadata"]["name"].get<std::string>(), 11};
  CHECK(handle_request(req, c.ctx).result_int() == 405);
}

TEST_CASE("k8s model binding: the pod template's readiness probe is the model's", "[k8s]")
{
  Cluster c;
  c.at(10);
  json d = catalog(6, "300m", "shop/catalog:1");  // not what runs: a rollout
  d["spec"]["template"]["spec"]["containers"][0]["readinessProbe"] = {{"httpGet", {{"path", "/healthz"}, {"port", 8080}}},
                                                                      {"initialDelaySeconds", 60}};
  c.call(http::verb::post, "/apis/apps/v1/namespaces/default/deployments", d.dump());
  c.at(11);
  const auto& model = *c.sim.eks();
  CHECK(model.spec().deployments[static_cast<size_t>(model.deployment_index("api-catalog"))].readiness_initial_delay_s == 60);
  // api-catalog pulls for 15 s and starts in 8: the new pods run from about 34 s, Ready 60 s later.
  auto new_pods = [&](bool ready) {
    int n = 0;
    for (const auto& p : c.pods())
      if (p["spec"]["containers"][0]["resources"]["requests"]["cpu"] == "300m" && p["status"]["phase"] == "Running" &&
          p["status"]["containerStatuses"][0]["ready"] == ready)
        ++n;
    return n;
  };
  c.at(60);
  CHECK(new_pods(false) > 0);  // started, not ready: READY 0/1, STATUS Running
  CHECK(new_pods(true) == 0);
  c.at(100);
  CHECK(new_pods(true) > 0);
}

TEST_CASE("k8s model binding: bad resources are refused as the API server does, an unknown service is a Warning", "[k8s]")
{
  Cluster c;
  c.at(10);
  // A request above its limit, a quantity that is not one: 422 with the field named.
  json d = catalog(2, "600m", "shop/catalog:1");
  json status = c.call(http::verb::post, "/apis/apps/v1/namespaces/default/deployments", d.dump());
  CHECK(status["code"] == 422);
  CHECK(status["details"]["causes"][0]["field"] == "spec.template.spec.containers[0].resources.requests[cpu]");
  CHECK(status["details"]["causes"][0]["message"] == "Invalid value: \"600m\": must be less than or equal to cpu limit of 500m");
  d = catalog(2, "two cores", "shop/catalog:1");
  status = c.call(http::verb::post, "/apis/apps/v1/namespaces/default/deployments", d.dump());
  CHECK(status["code"] == 422);
  CHECK(status["details"]["causes"][0]["message"].get<std::string>().find("quantities must match the regular expression") != std::string::npos);

  // A service the scenario does not have: stored and rolled out on the controller's own clock, with a Warning saying why.
  d = catalog(2, "250m", "shop/catalog:1");
  d["metadata"]["annotations"]["migsim.io/service"] = "api-search";
  CHECK(c.call(http::verb::post, "/apis/apps/v1/namespaces/default/deployments", d.dump())["kind"] == "Deployment");
  c.at(11);
  const auto& model = *c.sim.eks();
  CHECK(model.desired_replicas(static_cast<size_t>(model.deployment_index("api-catalog"))) == 6);  // untouched
  const json events = c.call(http::verb::get, "/api/v1/namespaces/default/events?fieldSelector=reason%3DUnknownService")["items"];
  REQUIRE(events.size() == 1);
  CHECK(events[0]["type"] == "Warning");
  CHECK(events[0]["message"].get<std::string>().find("\"api-search\" is not a Deployment of the scenario (frontend-app, api-catalog") !=
        std::string::npos);
}

TEST_CASE("k8s model binding: with Karpenter, pods that do not fit are nominated to the NodeClaims it launches", "[k8s]")
{
  Cluster c("eks-black-friday-karpenter");
  c.at(10);
  c.call(http::verb::post, "/apis/apps/v1/namespaces/default/deployments", catalog(6, "250m", "shop/catalog:1").dump());
  c.at(11);
  c.call(http::verb::patch, "/apis/apps/v1/namespaces/default/deployments/catalog", R"({"spec":{"replicas":30}})",
         "application/merge-patch+json");
  c.at(20);
  const json nominated = c.call(http::verb::get, "/api/v1/namespaces/default/events?fieldSelector=reason%3DNominated")["items"];
  REQUIRE_FALSE(nominated.empty());
  CHECK(nominated[0]["source"]["component"] == "karpenter");
  CHECK(nominated[0]["message"].get<std::string>().rfind("Pod should schedule on: nodeclaim/ip-", 0) == 0);
  c.at(400);
  CHECK(c.deployment()["status"]["readyReplicas"] == 30);
  int karpenter_nodes = 0;
  const json nodes = c.call(http::verb::get, "/api/v1/nodes")["items"];
  for (const auto& n : nodes)
    karpenter_nodes += n["metadata"]["labels"].contains("karpenter.sh/nodepool");
  CHECK(karpenter_nodes > 0);  // Karpenter's nodes, joined, in kubectl get nodes
}
