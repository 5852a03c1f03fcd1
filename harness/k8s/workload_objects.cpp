// The objects a Deployment owns, as its controller writes them: one ReplicaSet per revision
// (<deployment>-<pod-template-hash>, revision annotations, desired and ready counts) and its Pods
// (ContainerCreating until ready, then Running; ownerReferences to the ReplicaSet), kept in the
// store so that kubectl lists, watches and describes them.
#include "harness/k8s/deployments.hpp"

#include <algorithm>

namespace migsim::harness::k8s {

namespace {

using nlohmann::json;

const ResourceKey kReplicaSets{"apps", "replicasets"};
const ResourceKey kPods{"", "pods"};

json with_hash_label(json tmpl, const std::string& hash)
{
  tmpl["metadata"]["labels"]["pod-template-hash"] = hash;
  return tmpl;
}

std::string pod_ip(const std::string& name)
{
  const std::string h = Deployments::template_hash(json(name));
  const int a = (h[0] * 7 + h[1]) % 250, b = (h[2] * 11 + h[3]) % 250 + 2;
  return "10.0." + std::to_string(a) + "." + std::to_string(b);
}

json owner(const std::string& api_version, const std::string& kind, const std::string& name, const std::string& uid)
{
  return json::array({{{"apiVersion", api_version}, {"kind", kind}, {"name", name}, {"uid", uid},
                       {"controller", true}, {"blockOwnerDeletion", true}}});
}

}  // namespace

int Deployments::sync_objects(Store& store, const json& d, Workload& w, const std::string& hash, double t,
                              const std::function<std::string(double)>& iso)
{
  const json& meta = d["metadata"];
  const std::string ns = meta.value("namespace", ""), name = meta.value("name", "");
  const json spec = d.value("spec", json::object());
  if (!w.revisions.count(hash) || w.revisions[hash] != w.max_revision) {
    w.revisions[hash] = ++w.max_revision;  // a new template, or a rollback to an old one
    w.templates[hash] = spec.value("template", json::object());
  }
  // Old revisions beyond revisionHistoryLimit, once without pods, are deleted oldest first.
  const size_t keep = static_cast<size_t>(std::max(0, spec.value("revisionHistoryLimit", 10))) + 1;
  while (w.revisions.size() > keep) {
    auto oldest = std::min_element(w.revisions.begin(), w.revisions.end(),
                                   [](const auto& a, const auto& b) { return a.second < b.second; });
    const std::string h = oldest->first;
    if (h == hash || std::any_of(w.pods.begin(), w.pods.end(), [&](const Pod& p) { return p.hash == h; }))
      break;
    const std::string rs = name + "-" + h;
    if (w.rs_uids.count(rs) && store.get(kReplicaSets, ns, rs))
      store.remove(kReplicaSets, ns, rs);
    w.rs_uids.erase(rs);
    w.revisions.erase(oldest);
    w.templates.erase(h);
  }
  // ReplicaSets.
  for (const auto& [h, revision] : w.revisions) {
    const std::string rs = name + "-" + h;
    int replicas = 0, ready = 0;
    for (const auto& p : w.pods)
      if (p.hash == h) {
        ++replicas;
        ready += p.ready_s <= t;
      }
    json selector = spec.value("selector", json::object());
    selector["matchLabels"]["pod-template-hash"] = h;
    const json tmpl = with_hash_label(w.templates[h], h);
    json labels = tmpl["metadata"].value("labels", json::object());
    json obj = {{"apiVersion", "apps/v1"}, {"kind", "ReplicaSet"},
                {"metadata", {{"name", rs}, {"namespace", ns}, {"labels", labels},
                              {"annotations", {{"deployment.kubernetes.io/revision", std::to_string(revision)},
                                               {"deployment.kubernetes.io/desired-replicas", std::to_string(spec.value("replicas", 1))},
                                               {"deployment.kubernetes.io/max-replicas", std::to_string(spec.value("replicas", 1) + 1)}}},
                              {"ownerReferences", owner("apps/v1", "Deployment", name, meta.value("uid", ""))}}},
                {"spec", {{"replicas", replicas}, {"selector", selector}, {"template", tmpl}}},
                {"status", {{"replicas", replicas}, {"fullyLabeledReplicas", replicas}, {"observedGeneration", 1}}}};
    if (ready) {
      obj["status"]["readyReplicas"] = ready;
      obj["status"]["availableReplicas"] = ready;
    }
    auto live = store.get(kReplicaSets, ns, rs);
    const int before = live ? (*live)["spec"].value("replicas", 0) : 0;
    if (recorder_ && before != replicas)
      recorder_->record(store, object_reference(d), false, "ScalingReplicaSet",
                        std::string(replicas > before ? "Scaled up" : "Scaled down") + " replica set " + rs + " from " +
                            std::to_string(before) + " to " + std::to_string(replicas),
                        {"deployment-controller", ""}, t, iso);
    if (!live) {
      w.rs_uids[rs] = store.create(kReplicaSets, ns, obj, iso(t))["metadata"]["uid"];
    } else {
      w.rs_uids[rs] = (*live)["metadata"].value("uid", "");
      obj["metadata"]["generation"] = (*live)["metadata"].value("generation", 1);
      store.update(kReplicaSets, ns, obj);  // no new version when nothing changed
    }
  }
  // Pods.
  std::map<std::string, std::string> now_written;
  for (const auto& p : w.pods) {
    const Stage stage = w.model_index >= 0 ? p.stage : (p.ready_s <= t ? Stage::Ready : Stage::Creating);
    const std::string state = std::to_string(static_cast<int>(stage)) + "|" + p.node + "|" + p.unschedulable;
    now_written[p.name] = state;
    auto was = w.pods_written.find(p.name);
    if (was != w.pods_written.end() && was->second == state && store.get(kPods, ns, p.name))
      continue;
    store_pod(store, ns, name, w, p, stage, iso);
  }
  for (const auto& [pod, state] : w.pods_written)
    if (!now_written.count(pod) && store.get(kPods, ns, pod))
      store.remove(kPods, ns, pod);
  w.pods_written = now_written;
  return w.max_revision;
}

void Deployments::store_pod(Store& store, const std::string& ns, const std::string& deployment, Workload& w, const Pod& p,
                            Stage stage, const std::function<std::string(double)>& iso)
{
  const std::string rs = deployment + "-" + p.hash;
  const json tmpl = with_hash_label(w.templates[p.hash], p.hash);
  const bool ready = stage == Stage::Ready, started = stage == Stage::Running || ready;
  const double running_s = p.running_s >= 0 ? p.running_s : p.ready_s;
  json statuses = json::array();
  if (stage != Stage::Unscheduled)
    for (const auto& c : tmpl["spec"].value("containers", json::array())) {
      json st = {{"name", c.value("name", "")}, {"image", c.value("image", "")}, {"imageID", ""}, {"ready", ready},
                 {"started", started}, {"restartCount", 0}};
      st["state"] = started ? json{{"running", {{"startedAt", iso(running_s)}}}}
                            : json{{"waiting", {{"reason", "ContainerCreating"}}}};
      statuses.push_back(st);
    }
  const std::string created = iso(p.created_s), since = iso(ready ? p.ready_s : started ? running_s : p.created_s);
  json scheduled = {{"type", "PodScheduled"}, {"status", "True"}, {"lastTransitionTime", created}};
  json conditions = json::array();
  if (stage == Stage::Unscheduled) {
    if (!p.unschedulable.empty())  // kube-scheduler's verdict on a pod that does not fit
      conditions.push_back({{"type", "PodScheduled"}, {"status", "False"}, {"lastTransitionTime", created},
                            {"reason", "Unschedulable"}, {"message", p.unschedulable}});
  } else {
    conditions = {{{"type", "Initialized"}, {"status", "True"}, {"lastTransitionTime", created}},
                  {{"type", "Ready"}, {"status", ready ? "True" : "False"}, {"lastTransitionTime", since}},
                  {{"type", "ContainersReady"}, {"status", ready ? "True" : "False"}, {"lastTransitionTime", since}},
                  scheduled};
  }
  json status = {{"phase", started ? "Running" : "Pending"}, {"conditions", conditions}, {"qosClass", "Burstable"}};
  if (stage != Stage::Unscheduled) {
    status["startTime"] = created;
    status["podIP"] = pod_ip(p.name);
    status["podIPs"] = {{{"ip", pod_ip(p.name)}}};
    status["containerStatuses"] = statuses;
  }
  json pod_spec = tmpl.value("spec", json::object());
  if (!p.node.empty())
    pod_spec["nodeName"] = p.node;
  json obj = {{"apiVersion", "v1"}, {"kind", "Pod"},
              {"metadata", {{"name", p.name}, {"namespace", ns}, {"generateName", rs + "-"},
                            {"labels", tmpl["metadata"].value("labels", json::object())},
                            {"ownerReferences", owner("apps/v1", "ReplicaSet", rs, w.rs_uids[rs])}}},
              {"spec", pod_spec},
              {"status", status}};
  if (store.get(kPods, ns, p.name))
    store.update(kPods, ns, obj);
  else
    store.create(kPods, ns, obj, created);
}

void Deployments::remove_objects(Store& store, const std::string& ns, Workload& w)
{
  for (const auto& [pod, state] : w.pods_written)
    if (store.get(kPods, ns, pod))
      store.remove(kPods, ns, pod);
  for (const auto& [rs, uid] : w.rs_uids)
    if (store.get(kReplicaSets, ns, rs))
      store.remove(kReplicaSets, ns, rs);
}

}  // namespace migsim::harness::k8s
