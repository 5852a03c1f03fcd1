#include "harness/k8s/autoscalers.hpp"

#include <algorithm>
#include <set>

namespace migsim::harness::k8s {

namespace {

const ResourceKey kHpas{"autoscaling", "horizontalpodautoscalers"};
const ResourceKey kDeployments{"apps", "deployments"};

bool is_hpa_v1(const Resource& r) { return r.kind == "HorizontalPodAutoscaler" && r.version == "v1"; }

json cpu_utilization(const json& metrics, const char* side)
{
  for (const auto& m : metrics)
    if (m.value("type", "") == "Resource" && m.value("resource", json::object()).value("name", "") == "cpu") {
      const json t = m["resource"].value(side, json::object());
      if (t.contains("averageUtilization"))
        return t["averageUtilization"];
    }
  return nullptr;
}

json v2_from_v1(const json& v1)
{
  json v2 = v1;
  v2["apiVersion"] = "autoscaling/v2";
  if (v2.contains("spec") && v2["spec"].is_object()) {
    json& spec = v2["spec"];
    if (spec.contains("targetCPUUtilizationPercentage")) {
      spec["metrics"] = json::array({{{"type", "Resource"},
                                      {"resource", {{"name", "cpu"},
                                                    {"target", {{"type", "Utilization"},
                                                                {"averageUtilization", spec["targetCPUUtilizationPercentage"]}}}}}}});
      spec.erase("targetCPUUtilizationPercentage");
    }
  }
  if (v2.contains("status") && v2["status"].is_object() && v2["status"].contains("currentCPUUtilizationPercentage")) {
    json& st = v2["status"];
    st["currentMetrics"] = json::array({{{"type", "Resource"},
                                         {"resource", {{"name", "cpu"},
                                                       {"current", {{"averageUtilization", st["currentCPUUtilizationPercentage"]}}}}}}});
    st.erase("currentCPUUtilizationPercentage");
  }
  return v2;
}

json v1_from_v2(const json& v2)
{
  json v1 = v2;
  v1["apiVersion"] = "autoscaling/v1";
  if (v1.contains("spec") && v1["spec"].is_object()) {
    json& spec = v1["spec"];
    const json cpu = cpu_utilization(spec.value("metrics", json::array()), "target");
    if (!cpu.is_null())
      spec["targetCPUUtilizationPercentage"] = cpu;
    spec.erase("metrics");
    spec.erase("behavior");
  }
  if (v1.contains("status") && v1["status"].is_object()) {
    json& st = v1["status"];
    const json cpu = cpu_utilization(st.value("currentMetrics", json::array()), "current");
    if (!cpu.is_null())
      st["currentCPUUtilizationPercentage"] = cpu;
    st.erase("currentMetrics");
    st.erase("conditions");
  }
  return v1;
}

json condition(const std::string& type, const std::string& status, const std::string& reason, const std::string& message,
               const std::string& when)
{
  return {{"type", type}, {"status", status}, {"lastTransitionTime", when}, {"reason", reason}, {"message", message}};
}

// Keeps each condition's lastTransitionTime while its status does not change.
json with_transitions(const json& old_conditions, json conditions)
{
  for (auto& c : conditions)
    for (const auto& o : old_conditions)
      if (o.value("type", "") == c["type"] && o.value("status", "") == c["status"])
        c["lastTransitionTime"] = o.value("lastTransitionTime", c["lastTransitionTime"].get<std::string>());
  return conditions;
}

models::eks::ScalingRules scaling_rules(const json& rules, models::eks::ScalingRules r)
{
  if (!rules.is_object())
    return r;
  r.stabilization_window_s = rules.value("stabilizationWindowSeconds", r.stabilization_window_s);
  const std::string select = rules.value("selectPolicy", "Max");
  r.select = select == "Min" ? models::eks::SelectPolicy::Min
             : select == "Disabled" ? models::eks::SelectPolicy::Disabled
                                    : models::eks::SelectPolicy::Max;
  if (rules.contains("policies") && rules["policies"].is_array()) {
    r.policies.clear();
    for (const auto& p : rules["policies"])
      r.policies.push_back({p.value("type", "Percent") == "Pods" ? models::eks::PolicyType::Pods : models::eks::PolicyType::Percent,
                            p.value("value", 100), p.value("periodSeconds", 15)});
  }
  return r;
}

}  // namespace

std::optional<models::eks::HpaSpec> model_hpa(const json& hpa)
{
  const json spec = hpa.value("spec", json::object());
  models::eks::HpaSpec s;
  s.min_replicas = spec.value("minReplicas", 1);
  s.max_replicas = spec.value("maxReplicas", 1);
  const json metrics = spec.value("metrics", json::array());
  const json cpu = cpu_utilization(metrics, "target");
  if (metrics.size() > 1 || (!metrics.empty() && cpu.is_null()))
    return std::nullopt;
  if (!cpu.is_null())
    s.target_utilization_pct = cpu.get<int>();
  const json behavior = spec.value("behavior", json::object());
  s.scale_up = scaling_rules(behavior.value("scaleUp", json()), s.scale_up);
  s.scale_down = scaling_rules(behavior.value("scaleDown", json()), s.scale_down);
  return s;
}

const Resource& stored_resource(const Resource& r)
{
  if (is_hpa_v1(r))
    return *find_resource("autoscaling", "v2", "horizontalpodautoscalers");
  return r;
}

json to_stored_version(const Resource& r, const json& obj) { return is_hpa_v1(r) ? v2_from_v1(obj) : obj; }

json to_served_version(const Resource& r, const json& obj) { return is_hpa_v1(r) ? v1_from_v2(obj) : obj; }

json hpa_as_v2(const json& hpa) { return hpa.value("apiVersion", "") == "autoscaling/v1" ? v2_from_v1(hpa) : hpa; }

void advance_autoscalers(Store& store, Deployments& deployments, models::eks::EksCluster* model, double now_s,
                         const std::function<std::string(double)>& iso)
{
  std::set<int> with_hpa;  // bound Deployments an HPA acts on
  for (const json& h : store.list(kHpas, "")) {
    const std::string ns = h["metadata"].value("namespace", "");
    const json spec = h.value("spec", json::object()), ref = spec.value("scaleTargetRef", json::object());
    const int min = spec.value("minReplicas", 1), max = spec.value("maxReplicas", 1);
    json status = h.value("status", json::object());
    const json old_conditions = status.value("conditions", json::array());
    const std::string now = iso(now_s);
    auto target = ref.value("kind", "") == "Deployment" ? store.get(kDeployments, ns, ref.value("name", "")) : std::nullopt;
    json conditions;
    if (!target) {
      conditions = {condition("AbleToScale", "False", "FailedGetScale",
                              "the HPA controller was unable to get the target's current scale: " +
                                  std::string(ref.value("kind", "") == "Deployment" ? "deployments.apps \"" + ref.value("name", "") + "\" not found"
                                                                                    : "no scale subresource for kind " + ref.value("kind", "")),
                              now)};
      status["currentReplicas"] = 0;
      status["desiredReplicas"] = 0;
    } else if (const int index = deployments.bound_index(ns, ref.value("name", "")); index >= 0 && model_hpa(h) && model) {
      // The model's HPA on the simulated CPU decides; the Deployment's replicas follow it.
      const auto d = static_cast<size_t>(index);
      with_hpa.insert(index);
      model->set_hpa(d, model_hpa(h));
      const int current = (*target)["spec"].value("replicas", 1);
      const int desired = model->desired_replicas(d);
      status["currentReplicas"] = current;
      status["desiredReplicas"] = desired;
      if (model->hpa_last_scale_s(d) >= 0)
        status["lastScaleTime"] = iso(model->hpa_last_scale_s(d));
      if (desired != current) {
        json next = *target;
        next["spec"]["replicas"] = desired;
        next["metadata"].erase("resourceVersion");
        store.update(kDeployments, ns, next);
      }
      const int pct = model->hpa_utilization_pct(d);
      if (pct >= 0)
        status["currentMetrics"] = json::array(
            {{{"type", "Resource"}, {"resource", {{"name", "cpu"}, {"current", {{"averageUtilization", pct}}}}}}});
      else
        status.erase("currentMetrics");
      conditions = {condition("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size", now),
                    pct >= 0 ? condition("ScalingActive", "True", "ValidMetricFound",
                                         "the HPA was able to successfully calculate a replica count from cpu resource utilization "
                                         "(percentage of request)",
                                         now)
                             : condition("ScalingActive", "False", "FailedGetResourceMetric",
                                         "the HPA was unable to compute the replica count: failed to get cpu utilization: did not "
                                         "receive metrics for targeted pods (pods might be unready)",
                                         now)};
      if (desired == model_hpa(h)->min_replicas || desired == model_hpa(h)->max_replicas)
        conditions.push_back(condition("ScalingLimited", "True", desired == model_hpa(h)->min_replicas ? "TooFewReplicas" : "TooManyReplicas",
                                       desired == model_hpa(h)->min_replicas
                                           ? "the desired replica count is less than the minimum replica count"
                                           : "the desired replica count is more than the maximum replica count",
                                       now));
      else
        conditions.push_back(condition("ScalingLimited", "False", "DesiredWithinRange",
                                       "the desired count is within the acceptable range", now));
    } else {
      const int current = (*target)["spec"].value("replicas", 1);
      const int desired = current == 0 ? 0 : std::clamp(current, min, max);
      status["currentReplicas"] = current;
      status["desiredReplicas"] = desired;
      if (desired != current) {
        json d = *target;
        d["spec"]["replicas"] = desired;
        d["metadata"].erase("resourceVersion");
        store.update(kDeployments, ns, d);
        status["lastScaleTime"] = now;
      }
      conditions = {condition("AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale", now),
                    condition("ScalingActive", "False", "FailedGetResourceMetric",
                              "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get "
                              "metrics for resource cpu: no metrics returned from resource metrics API",
                              now)};
      if (current != 0 && (current < min || current > max))
        conditions.push_back(condition("ScalingLimited", "True", current < min ? "TooFewReplicas" : "TooManyReplicas",
                                       current < min ? "the desired replica count is less than the minimum replica count"
                                                     : "the desired replica count is more than the maximum replica count",
                                       now));
    }
    status["conditions"] = with_transitions(old_conditions, conditions);
    status["observedGeneration"] = h["metadata"].value("generation", 1);
    if (status == h.value("status", json::object()))
      continue;
    json next = h;
    next["status"] = status;
    next["metadata"].erase("resourceVersion");
    store.update(kHpas, ns, next);
  }
  // A bound Deployment no HPA acts on any more keeps the replicas it has.
  if (model)
    for (int index : deployments.bound_indices())
      if (!with_hpa.count(index))
        model->set_hpa(static_cast<size_t>(index), std::nullopt);
}

}  // namespace migsim::harness::k8s
