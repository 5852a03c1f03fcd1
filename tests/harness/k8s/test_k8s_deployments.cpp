// The Deployment controller on a simulated clock without HTTP: a rolling update bounded by maxSurge
// and maxUnavailable (25 % each, rounded up and down as the Kubernetes documentation says), pods
// ready `pod_start_s` after creation, status written back; selectors and the age column.
#include "harness/k8s/deployments.hpp"
#include "harness/k8s/objects.hpp"
#include "harness/k8s/table.hpp"

#include <catch2/catch.hpp>

using namespace migsim::harness::k8s;
using nlohmann::json;

namespace {

const ResourceKey kDeploy{"apps", "deployments"};

std::string iso(double t) { return "t" + std::to_string(static_cast<int>(t)); }

json deployment(int replicas, const std::string& image)
{
  return {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"metadata", {{"name", "web"}}},
          {"spec", {{"replicas", replicas}, {"selector", {{"matchLabels", {{"app", "web"}}}}},
                    {"strategy", {{"type", "RollingUpdate"}, {"rollingUpdate", {{"maxSurge", "25%"}, {"maxUnavailable", "25%"}}}}},
                    {"template", {{"metadata", {{"labels", {{"app", "web"}}}}},
                                  {"spec", {{"containers", {{{"name", "web"}, {"image", image}}}}}}}}}}};
}

json status(Store& s) { return s.get(kDeploy, "default", "web")->value("status", json::object()); }

}  // namespace

TEST_CASE("maxSurge rounds up and maxUnavailable rounds down", "[k8s]")
{
  CHECK(scaled_value("25%", 4, true) == 1);
  CHECK(scaled_value("25%", 10, true) == 3);
  CHECK(scaled_value("25%", 10, false) == 2);
  CHECK(scaled_value("25%", 3, false) == 0);
  CHECK(scaled_value(2, 10, true) == 2);
}

TEST_CASE("a new Deployment becomes available pod_start_s after it is created", "[k8s]")
{
  Store s;
  Deployments d(DeploymentTimings{20});
  s.create(kDeploy, "default", deployment(3, "nginx:1.27"), "t0");
  d.advance(s, 0, iso);
  CHECK(status(s)["updatedReplicas"] == 3);
  CHECK_FALSE(status(s).contains("readyReplicas"));
  CHECK(status(s)["unavailableReplicas"] == 3);
  d.advance(s, 19.9, iso);
  CHECK_FALSE(status(s).contains("readyReplicas"));
  d.advance(s, 20, iso);
  CHECK(status(s)["readyReplicas"] == 3);
  CHECK(status(s)["availableReplicas"] == 3);
  CHECK_FALSE(status(s).contains("unavailableReplicas"));
  CHECK(status(s)["observedGeneration"] == 1);
  CHECK(status(s)["conditions"][1]["reason"] == "NewReplicaSetAvailable");
}

TEST_CASE("a rolling update of 4 replicas keeps 3 available and at most 5 pods, in 25 % steps", "[k8s]")
{
  Store s;
  Deployments d(DeploymentTimings{10});
  s.create(kDeploy, "default", deployment(4, "nginx:1.27"), "t0");
  d.advance(s, 0, iso);
  d.advance(s, 10, iso);
  REQUIRE(status(s)["availableReplicas"] == 4);

  json next = *s.get(kDeploy, "default", "web");
  next["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28";
  s.update(kDeploy, "default", next);
  const std::string new_hash = Deployments::template_hash(next["spec"]["template"]);
  int max_pods = 0, min_available = 4;
  double done_at = -1;
  for (double t = 100; t <= 200; t += 1) {
    d.advance(s, t, iso);
    const auto pods = d.pods("default", "web", t);
    int ready = 0, updated = 0;
    for (const auto& [hash, ok] : pods) {
      ready += ok;
      updated += hash == new_hash;
    }
    max_pods = std::max(max_pods, static_cast<int>(pods.size()));
    min_available = std::min(min_available, ready);
    if (done_at < 0 && updated == 4 && ready == 4 && pods.size() == 4)
      done_at = t;
  }
  CHECK(max_pods == 5);       // 4 + maxSurge (25 % of 4, rounded up: 1)
  CHECK(min_available == 3);  // 4 - maxUnavailable (25 % of 4, rounded down: 1)
  // Each step replaces 2 pods (1 surge + 1 unavailable) and takes pod_start_s: 2 steps of 10 s.
  CHECK(done_at == Approx(120));
  CHECK(status(s)["observedGeneration"] == 2);
  CHECK(status(s)["updatedReplicas"] == 4);
}

TEST_CASE("label and field selectors select as the API server's", "[k8s]")
{
  const json labels = {{"app", "web"}, {"tier", "frontend"}};
  CHECK(labels_match(labels, "app=web"));
  CHECK(labels_match(labels, "app==web,tier!=db"));
  CHECK(labels_match(labels, "tier in (frontend, backend)"));
  CHECK_FALSE(labels_match(labels, "tier notin (frontend)"));
  CHECK(labels_match(labels, "app,!missing"));
  CHECK_FALSE(labels_match(labels, "missing"));
  CHECK_THROWS_AS(labels_match(labels, "a b"), ApiError);
  const json obj = {{"metadata", {{"name", "web"}, {"namespace", "default"}}}};
  CHECK(fields_match(obj, "metadata.name=web"));
  CHECK_FALSE(fields_match(obj, "metadata.name!=web"));
  CHECK_THROWS_AS(fields_match(obj, "foo.bar=1"), ApiError);
  CHECK(selector_matches(json::parse(R"({"matchExpressions":[{"key":"tier","operator":"In","values":["frontend"]}]})"), labels));
}

TEST_CASE("the age column reads as the API server's HumanDuration", "[k8s]")
{
  CHECK(human_duration(5) == "5s");
  CHECK(human_duration(119) == "119s");
  CHECK(human_duration(200) == "3m20s");
  CHECK(human_duration(600) == "10m");
  CHECK(human_duration(4 * 3600 + 60 * 5) == "4h5m");
  CHECK(human_duration(30 * 3600) == "30h");
  CHECK(human_duration(3 * 86400 + 3600) == "3d1h");
  CHECK(human_duration(100 * 86400) == "100d");
  CHECK(parse_rfc3339("2025-01-01T00:01:00Z") == Approx(1735689660));
}
