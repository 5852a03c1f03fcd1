// A workload deployed with the Kubernetes API runs as the same workload declared in the scenario:
// eks-fidelity-check at request level (Poisson arrivals, ALB target groups, processor-sharing pods)
// run twice from the same seed, once as declared (api-catalog: 6 x 500m with its HPA) and once with
// api-catalog declared as a placeholder (250m, no HPA) that a Deployment and an autoscaling/v2 HPA
// applied through the API at t = 0 turn into the declared one (a rolling update to 500m, the HPA
// from the API). SimGrid allows one engine per process, so each run is a child process.
#include "harness/k8s/api_server.hpp"
#include "harness/run/run_command.hpp"
#include "harness/serve/core/router.hpp"
#include "models/eks/eks_cluster.hpp"
#include "sim/metrics.hpp"

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <functional>
#include <numeric>

using namespace migsim;
using namespace migsim::harness::serve;
using nlohmann::json;

namespace {

// Runs `body` in a child process and returns the JSON it produced.
json in_child(const std::function<json()>& body)
{
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    std::string out;
    try {
      out = body().dump();
    } catch (const std::exception& e) {
      out = json{{"error", e.what()}}.dump();
    }
    for (size_t at = 0; at < out.size();) {
      const ssize_t n = write(fds[1], out.data() + at, out.size() - at);
      if (n <= 0)
        break;
      at += static_cast<size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string out;
  char buf[65536];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;)
    out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(!out.empty());
  return json::parse(out);
}

sim::Scenario scenario()
{
  sim::Scenario sc = harness::load_scenario(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/eks-fidelity-check.json");
  sc.eks["fidelity"] = "request";
  return sc;
}

// Per-minute latency percentiles, totals and the final replicas of a run.
json results(harness::Simulation& sim)
{
  const double end = sim.scenario().duration_s;
  sim.advance_to(end);
  const size_t minutes = static_cast<size_t>(end / 60);
  json out = {{"p50", sim.metrics().series("latency_p50_ms", sim::TimeSeries::Kind::Last).values(minutes)},
              {"p95", sim.metrics().series("latency_p95_ms", sim::TimeSeries::Kind::Last).values(minutes)},
              {"p99", sim.metrics().series("latency_p99_ms", sim::TimeSeries::Kind::Last).values(minutes)},
              {"errors", sim.metrics().series("errors").values(minutes)}};
  const auto& model = *sim.eks();
  out["catalog_replicas"] = model.desired_replicas(static_cast<size_t>(model.deployment_index("api-catalog")));
  const auto r = sim.finish();
  out["arrivals"] = r.arrivals;
  out["failed"] = r.failed;
  return out;
}

json request(ServeContext& ctx, http::verb verb, const std::string& path, const json& body)
{
  Request req{verb, "/_migsim/eks/shop" + path, 11};
  req.set(http::field::host, "127.0.0.1:4566");
  req.set(http::field::content_type, "application/json");
  req.body() = body.dump();
  req.prepare_payload();
  return json::parse(harness::k8s::handle_request(req, ctx).body());
}

// Mean and standard error of the paired per-minute differences from minute `from` on.
std::pair<double, double> paired(const json& a, const json& b, size_t from)
{
  std::vector<double> d;
  for (size_t i = from; i < a.size(); ++i)
    d.push_back(a[i].get<double>() - b[i].get<double>());
  const double n = static_cast<double>(d.size());
  const double mean = std::accumulate(d.begin(), d.end(), 0.0) / n;
  double ss = 0;
  for (double x : d)
    ss += (x - mean) * (x - mean);
  return {mean, std::sqrt(ss / (n - 1)) / std::sqrt(n)};
}

}  // namespace

TEST_CASE("k8s model binding: a Deployment and HPA applied through the API give the declared workload's latency distribution", "[k8s]")
{
  const json declared = in_child([] {
    sim::Scenario sc = scenario();
    harness::Simulation sim{sc};
    return results(sim);
  });
  const json applied = in_child([] {
    sim::Scenario sc = scenario();
    json& catalog = sc.eks["deployments"][0];
    REQUIRE(catalog["name"] == "api-catalog");
    catalog["cpu_request_m"] = 250;  // a placeholder the applied Deployment replaces
    catalog["cpu_limit_m"] = 250;
    catalog.erase("hpa");
    harness::Simulation sim{sc};
    ServeContext ctx{sim};
    const json deployment = {
        {"apiVersion", "apps/v1"}, {"kind", "Deployment"},
        {"metadata", {{"name", "catalog"}, {"annotations", {{"migsim.io/service", "api-catalog"}}}}},
        {"spec", {{"replicas", 6}, {"selector", {{"matchLabels", {{"app", "catalog"}}}}},
                  {"template", {{"metadata", {{"labels", {{"app", "catalog"}}}}},
                                {"spec", {{"containers", {{{"name", "api"}, {"image", "shop/catalog:1"},
                                                           {"resources", {{"requests", {{"cpu", "500m"}, {"memory", "512Mi"}}},
                                                                          {"limits", {{"cpu", "500m"}}}}}}}}}}}}}}};
    const json hpa = {{"apiVersion", "autoscaling/v2"}, {"kind", "HorizontalPodAutoscaler"}, {"metadata", {{"name", "catalog"}}},
                      {"spec", {{"scaleTargetRef", {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", "catalog"}}},
                                {"minReplicas", 2}, {"maxReplicas", 20},
                                {"metrics", {{{"type", "Resource"}, {"resource", {{"name", "cpu"}, {"target", {{"type", "Utilization"}, {"averageUtilization", 70}}}}}}}}}}};
    request(ctx, http::verb::post, "/apis/apps/v1/namespaces/default/deployments", deployment);
    request(ctx, http::verb::post, "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers", hpa);
    // The endpoint's clock: the API's controllers run between simulated seconds.
    for (double t = 1; t < sc.duration_s; t += 1) {
      sim.advance_to(t);
      harness::k8s::advance(ctx);
    }
    return results(sim);
  });
  REQUIRE_FALSE(declared.contains("error"));
  REQUIRE_FALSE(applied.contains("error"));

  // Same arrivals (same seed) and the same HPA outcome. The declared run has no errors; the applied
  // one fails only the requests its rolling update cut off in the first minutes (pods leaving with
  // requests in flight), none after.
  CHECK(declared["arrivals"] == applied["arrivals"]);
  CHECK(declared["failed"] == 0);
  CHECK(applied["failed"].get<double>() < 0.01 * applied["arrivals"].get<double>());
  for (size_t i = 3; i < applied["errors"].size(); ++i)
    CHECK(applied["errors"][i] == 0);
  CHECK(declared["catalog_replicas"] == applied["catalog_replicas"]);

  // The latency distribution, minute by minute once the applied rollout is done (it takes under
  // 2 minutes: 2 pods of surge, 15 s pull + 3 s start + 5 s probe): the two runs route requests to
  // different pods, so their per-minute percentiles differ by sampling noise. The mean of the paired
  // differences must be within 3 standard errors of 0 (the standard error from the differences'
  // own spread over the 37 minutes): a real difference of workload (250m instead of 500m doubles
  // every sojourn) is tens of standard errors away. (Minutes whose percentiles fall in the same
  // histogram bucket in both runs differ by 0.)
  for (const char* q : {"p50", "p95", "p99"}) {
    const auto [mean, se] = paired(declared[q], applied[q], 3);
    INFO(q << ": mean paired difference " << mean << " ms, standard error " << se << " ms");
    CHECK(std::abs(mean) <= 3 * se);
  }
}
