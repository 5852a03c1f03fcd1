// A Deployment bound to the EKS model (`migsim.io/service`): what it asks of the model (requests,
// CPU limit, replicas, rollout limits, its template's version) and its pods as the model runs them.
#include "harness/k8s/deployments.hpp"
#include "harness/k8s/quantity.hpp"

#include <algorithm>
#include <limits>

namespace migsim::harness::k8s {

namespace {

using models::eks::PodState;

// The sum over the containers of one resource of `requests` or `limits`; nullopt when no container
// gives it. A container without a request asks for its limit (the API server's defaulting).
std::optional<int64_t> container_sum(const json& containers, const char* what, const char* resource,
                                     std::optional<int64_t> (*read)(const json&))
{
  std::optional<int64_t> total;
  for (const auto& c : containers) {
    const json res = c.value("resources", json::object());
    const json mine = res.value(what, json::object());
    const json limits = res.value("limits", json::object());
    std::optional<int64_t> v;
    if (mine.contains(resource))
      v = read(mine[resource]);
    else if (std::string(what) == "requests" && limits.contains(resource))
      v = read(limits[resource]);
    if (v)
      total = total.value_or(0) + *v;
  }
  return total;
}

}  // namespace

int Deployments::bound_index(const std::string& ns, const std::string& name) const
{
  auto it = workloads_.find({ns, name});
  return it == workloads_.end() ? -1 : it->second.model_index;
}

std::vector<int> Deployments::bound_indices() const
{
  std::vector<int> out;
  for (const auto& [key, w] : workloads_)
    if (w.model_index >= 0)
      out.push_back(w.model_index);
  return out;
}

std::string Deployments::model_pod_name(size_t pod) const
{
  auto it = model_pod_names_.find(pod);
  return it == model_pod_names_.end() ? "" : it->second;
}

void Deployments::drive_model(const json& d, Workload& w, const std::string& hash, int desired, double t)
{
  const auto index = static_cast<size_t>(w.model_index);
  const auto& declared = model_->spec().deployments[index];
  const std::string name = d["metadata"].value("name", "");
  const json spec = d.value("spec", json::object());
  const json tmpl = spec.value("template", json::object());
  const json containers = tmpl.value("spec", json::object()).value("containers", json::array());

  // What the pod template asks for; what it leaves out stays as the scenario declares it.
  models::eks::AppliedWorkload a;
  a.replicas = desired;
  a.requests.cpu_m = std::max<int64_t>(1, container_sum(containers, "requests", "cpu", cpu_millicores).value_or(declared.requests.cpu_m));
  a.requests.mem_mib = std::max<int64_t>(1, container_sum(containers, "requests", "memory", memory_mib).value_or(declared.requests.mem_mib));
  a.cpu_limit_m = std::max<int64_t>(1, container_sum(containers, "limits", "cpu", cpu_millicores).value_or(declared.cpu_limit_m));
  const json strategy = spec.value("strategy", json::object());
  if (strategy.value("type", "RollingUpdate") == "Recreate") {
    a.max_surge = 0;
    a.max_unavailable = desired;
  } else {
    const json ru = strategy.value("rollingUpdate", json::object());
    a.max_surge = scaled_value(ru.value("maxSurge", json("25%")), desired, true);
    a.max_unavailable = scaled_value(ru.value("maxUnavailable", json("25%")), desired, false);
  }
  a.paused = spec.value("paused", false);
  // The readiness probe of the first container that has one (the API server's defaults: period
  // 10 s, failure threshold 3); without one, the scenario's.
  a.readiness_initial_delay_s = declared.readiness_initial_delay_s;
  a.readiness_period_s = declared.readiness_period_s;
  a.readiness_failure_threshold = declared.readiness_failure_threshold;
  for (const auto& c : containers)
    if (c.contains("readinessProbe") && c["readinessProbe"].is_object()) {
      const json& probe = c["readinessProbe"];
      a.readiness_initial_delay_s = probe.value("initialDelaySeconds", 0);
      a.readiness_period_s = std::max(1, probe.value("periodSeconds", 10));
      a.readiness_failure_threshold = std::max(1, probe.value("failureThreshold", 3));
      break;
    }

  // The template's version in the model: the manifest of what already runs (same requests and
  // limit) adopts the running pods; any other template is a rolling update to a new version (an
  // earlier template, `rollout undo`, gets its version back, its image still on the nodes).
  const bool first = w.versions.empty();
  auto known = w.versions.find(hash);
  if (known != w.versions.end()) {
    a.version = known->second;
  } else if (first && a.requests == declared.requests && a.cpu_limit_m == declared.cpu_limit_m) {
    a.version = model_->version(index);
  } else {
    a.version = model_->version(index) + 1;
    for (const auto& [h, v] : w.versions)
      a.version = std::max(a.version, v + 1);
    if (first) {
      // The pods the scenario started stay as the first revision until the rollout replaces them.
      const std::string running = template_hash(json::array({"scenario", name, model_->version(index)}));
      w.versions[running] = model_->version(index);
      w.revisions[running] = ++w.max_revision;
      // Their template is the applied one with the resources the scenario declares (on the first
      // container: a scenario pod is one container).
      json declared_tmpl = tmpl;
      for (auto& c : declared_tmpl["spec"]["containers"]) {
        c.erase("resources");
        c.erase("readinessProbe");
      }
      if (!declared_tmpl["spec"]["containers"].empty())
        declared_tmpl["spec"]["containers"][0]["resources"] = {
            {"requests", {{"cpu", std::to_string(declared.requests.cpu_m) + "m"}, {"memory", std::to_string(declared.requests.mem_mib) + "Mi"}}},
            {"limits", {{"cpu", std::to_string(declared.cpu_limit_m) + "m"}}}};
      w.templates[running] = declared_tmpl;
    }
  }
  w.versions[hash] = a.version;
  if (first || !(a == w.applied))
    model_->apply(index, a);
  w.applied = a;

  // The model's pods, mirrored (terminating ones have left the ReplicaSet's count).
  const auto& pods = model_->pods();
  const auto& nodes = model_->nodes();
  constexpr double kNever = std::numeric_limits<double>::infinity();
  w.pods.clear();
  for (size_t id : model_->deployment_pods(index)) {
    const auto& p = pods[id];
    if (p.state == PodState::Terminating || p.state == PodState::Gone)
      continue;
    const auto h = std::find_if(w.versions.begin(), w.versions.end(), [&](const auto& kv) { return kv.second == p.version; });
    const std::string ph = h == w.versions.end() ? hash : h->first;
    Pod q{ph, name_model_pod(w, name, id), std::max(0.0, p.created_s), kNever};
    q.node = p.node >= 0 ? nodes[static_cast<size_t>(p.node)].name : "";
    switch (p.state) {
      case PodState::Pending:
        q.stage = Stage::Unscheduled;
        q.unschedulable = p.unschedulable ? model_->unschedulable_message(index) : "";
        break;
      case PodState::Starting:
        q.stage = Stage::Creating;
        break;
      case PodState::Running:
        q.stage = Stage::Running;
        q.running_s = std::max(q.created_s, p.running_s);
        break;
      default:
        q.stage = Stage::Ready;
        q.running_s = std::max(q.created_s, p.running_s);
        q.ready_s = std::min(t, std::max(q.created_s, p.ready_s));
        break;
    }
    w.pods.push_back(q);
  }
}

}  // namespace migsim::harness::k8s

namespace migsim::harness::k8s {

const std::string& Deployments::name_model_pod(const Workload& w, const std::string& deployment, size_t pod)
{
  auto& name = model_pod_names_[pod];
  if (name.empty()) {
    const int version = model_->pods()[pod].version;
    const auto h = std::find_if(w.versions.begin(), w.versions.end(), [&](const auto& kv) { return kv.second == version; });
    name = pod_name(deployment, h == w.versions.end() ? "" : h->first, pod);
  }
  return name;
}

void Deployments::record_model_events(Store& store, const std::function<std::string(double)>& iso)
{
  static const ResourceKey kPods{"", "pods"}, kHpas{"autoscaling", "horizontalpodautoscalers"};
  static const std::map<std::string, std::string> kComponent = {
      {"FailedScheduling", "default-scheduler"}, {"Scheduled", "default-scheduler"}, {"TriggeredScaleUp", "cluster-autoscaler"},
      {"Nominated", "karpenter"}, {"SuccessfulRescale", "horizontal-pod-autoscaler"}};
  const auto& events = model_->events();
  for (; model_events_seen_ < events.size(); ++model_events_seen_) {
    const auto& e = events[model_events_seen_];
    const auto bound = std::find_if(workloads_.begin(), workloads_.end(),
                                    [&](const auto& kv) { return kv.second.model_index == static_cast<int>(e.deployment); });
    if (bound == workloads_.end())
      continue;
    const auto& [ns, deployment] = bound->first;
    const Workload& w = bound->second;
    EventSource source{kComponent.count(e.reason) ? kComponent.at(e.reason) : "kubelet", ""};
    if (e.pod < 0) {  // about the Deployment's HPA
      for (const json& h : store.list(kHpas, ns))
        if (h["spec"]["scaleTargetRef"].value("name", "") == deployment)
          recorder_->record(store, object_reference(h), e.warning, e.reason, e.message, source, e.t_s, iso);
      continue;
    }
    const auto pod = static_cast<size_t>(e.pod);
    const std::string name = name_model_pod(w, deployment, pod);
    const auto live = store.get(kPods, ns, name);
    const json involved = live ? object_reference(*live) : json{{"apiVersion", "v1"}, {"kind", "Pod"}, {"namespace", ns}, {"name", name}};
    const int node = model_->pods()[pod].node;
    if (source.component == "kubelet" && node >= 0)
      source.host = model_->nodes()[static_cast<size_t>(node)].name;
    // kubelet names the container and its image; the model knows the pod's template version.
    std::string container, image;
    const auto h = std::find_if(w.versions.begin(), w.versions.end(),
                                [&](const auto& kv) { return kv.second == model_->pods()[pod].version; });
    if (h != w.versions.end() && w.templates.count(h->first)) {
      const json containers = w.templates.at(h->first).value("spec", json::object()).value("containers", json::array());
      if (!containers.empty()) {
        container = containers[0].value("name", "");
        image = containers[0].value("image", "");
      }
    }
    std::string message = e.message;
    if (e.reason == "Scheduled")
      message = "Successfully assigned " + ns + "/" + name + " to " + (node >= 0 ? model_->nodes()[static_cast<size_t>(node)].name : "");
    else if (e.reason == "Pulling")
      message = "Pulling image \"" + image + "\"";
    else if (e.reason == "Pulled")
      message = e.message.rfind("Successfully pulled image in ", 0) == 0
                    ? "Successfully pulled image \"" + image + "\" in " + e.message.substr(29)
                    : "Container image \"" + image + "\" already present on machine";
    else if (e.reason == "Created")
      message = "Created container " + container;
    else if (e.reason == "Started")
      message = "Started container " + container;
    else if (e.reason == "Killing")
      message = "Stopping container " + container;
    recorder_->record(store, involved, e.warning, e.reason, message, source, e.t_s, iso);
  }
}

}  // namespace migsim::harness::k8s
