#include "harness/k8s/deployments.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

namespace migsim::harness::k8s {

namespace {

const ResourceKey kDeployments{"apps", "deployments"};

json condition(const json& old_conditions, const std::string& type, const std::string& status, const std::string& reason,
               const std::string& message, const std::string& now)
{
  json c = {{"type", type}, {"status", status}, {"reason", reason}, {"message", message},
            {"lastUpdateTime", now}, {"lastTransitionTime", now}};
  for (const auto& o : old_conditions)
    if (o.value("type", "") == type) {
      if (o.value("status", "") == status)
        c["lastTransitionTime"] = o.value("lastTransitionTime", now);
      if (o.value("status", "") == status && o.value("reason", "") == reason)
        c["lastUpdateTime"] = o.value("lastUpdateTime", now);
    }
  return c;
}

}  // namespace

std::string pod_name(const std::string& deployment, const std::string& hash, uint64_t serial)
{
  const std::string h = Deployments::template_hash(json::array({deployment, hash, serial}));
  return deployment + "-" + hash + "-" + h.substr(0, 5);
}

int scaled_value(const json& v, int total, bool round_up)
{
  if (v.is_number_integer())
    return v.get<int>();
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (!s.empty() && s.back() == '%') {
      const double pct = std::atof(s.c_str());
      const double x = pct * total / 100.0;
      return static_cast<int>(round_up ? std::ceil(x) : std::floor(x));
    }
    return std::atoi(s.c_str());
  }
  return 0;
}

std::string Deployments::template_hash(const json& tmpl)
{
  // FNV-1a over the template's JSON: stable across runs and platforms.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : tmpl.dump()) {
    h ^= c;
    h *= 1099511628211ull;
  }
  static const char* alphabet = "bcdfghjklmnpqrstvwxz2456789";  // the characters Kubernetes' SafeEncodeString uses
  std::string out;
  for (int i = 0; i < 10; ++i) {
    out += alphabet[h % 27];
    h /= 27;
  }
  return out;
}

void Deployments::advance(Store& store, double now_s, const std::function<std::string(double)>& iso)
{
  // Step through the instants a pod becomes ready, so that a clock jump runs the rollout as it
  // would have unfolded (bound Deployments unfold in the model: only their state now is mirrored).
  for (int guard = 0; guard < 100000; ++guard) {
    double next = std::numeric_limits<double>::infinity();
    for (const auto& [key, w] : workloads_)
      for (const auto& p : w.pods)
        if (w.model_index < 0 && p.ready_s > cursor_s_ && p.ready_s < next)
          next = p.ready_s;
    if (next > now_s)
      break;
    cursor_s_ = next;
    reconcile_all(store, cursor_s_, iso);
  }
  cursor_s_ = std::max(cursor_s_, now_s);
  reconcile_all(store, now_s, iso);
  if (model_ && recorder_)
    record_model_events(store, iso);
}

void Deployments::reconcile_all(Store& store, double t, const std::function<std::string(double)>& iso)
{
  // Nothing written to the store and no pod due to become ready since the last pass: nothing to do
  // (the clock ticks every 20 ms; most ticks change nothing). A bound Deployment's pods move with
  // the model, so they are looked at on every pass.
  const bool any_bound = std::any_of(workloads_.begin(), workloads_.end(), [](const auto& kv) { return kv.second.model_index >= 0; });
  if (!any_bound && store.resource_version() == settled_rv_ && t < settled_until_s_)
    return;
  std::set<std::pair<std::string, std::string>> alive;
  for (const json& d : store.list(kDeployments, "")) {
    const json& m = d["metadata"];
    alive.insert({m.value("namespace", ""), m.value("name", "")});
    reconcile(store, d, t, iso);
  }
  for (auto it = workloads_.begin(); it != workloads_.end();) {
    if (alive.count(it->first)) {
      ++it;
      continue;
    }
    remove_objects(store, it->first.first, it->second);  // garbage collection of what it owned
    if (it->second.model_index >= 0) {  // its pods go in the model too
      auto none = it->second.applied;
      none.replicas = 0;
      model_->apply(static_cast<size_t>(it->second.model_index), none);
    }
    it = workloads_.erase(it);
  }
  settled_rv_ = store.resource_version();
  settled_until_s_ = std::numeric_limits<double>::infinity();
  for (const auto& [key, w] : workloads_)
    for (const auto& p : w.pods)
      if (p.ready_s > t)
        settled_until_s_ = std::min(settled_until_s_, p.ready_s);
}

void Deployments::reconcile(Store& store, const json& d, double t, const std::function<std::string(double)>& iso)
{
  const json& meta = d["metadata"];
  const std::string ns = meta.value("namespace", ""), name = meta.value("name", "");
  Workload& w = workloads_[{ns, name}];
  auto& pods = w.pods;
  const json spec = d.value("spec", json::object());
  const int desired = spec.value("replicas", 1);
  const std::string hash = template_hash(spec.value("template", json::object()));
  const json strategy = spec.value("strategy", json::object());
  const bool recreate = strategy.value("type", "RollingUpdate") == "Recreate";
  const json ru = strategy.value("rollingUpdate", json::object());
  const int surge = recreate ? 0 : scaled_value(ru.value("maxSurge", json("25%")), desired, true);
  int unavailable = recreate ? desired : scaled_value(ru.value("maxUnavailable", json("25%")), desired, false);
  if (surge == 0 && unavailable == 0)
    unavailable = 1;
  auto ready = [t](const Pod& p) { return p.ready_s <= t; };

  if (w.model_index < 0 && model_) {
    // Bound once, for the Deployment's life; a scenario Deployment drives one Deployment at most.
    const std::string service = meta.value("annotations", json::object()).value(kServiceAnnotation, "");
    const int index = model_->deployment_index(service);
    const bool taken = std::any_of(workloads_.begin(), workloads_.end(), [&](const auto& kv) { return kv.second.model_index == index; });
    if (index >= 0 && !taken) {
      w.model_index = index;
    } else if (!service.empty() && !w.binding_refused && recorder_) {
      // Said once, on the Deployment: why it runs on the controller's own clock, not in the model.
      std::string names;
      for (const auto& s : model_->spec().deployments)
        names += (names.empty() ? "" : ", ") + s.name;
      recorder_->record(store, object_reference(d), true, index < 0 ? "UnknownService" : "ServiceAlreadyBound",
                        index < 0 ? std::string(kServiceAnnotation) + " \"" + service + "\" is not a Deployment of the scenario (" +
                                        names + "): this Deployment is not simulated"
                                  : std::string(kServiceAnnotation) + " \"" + service +
                                        "\" already runs another Deployment of this cluster: this one is not simulated",
                        {"migsim", ""}, t, iso);
      w.binding_refused = true;
    }
  }
  if (w.model_index >= 0) {
    drive_model(d, w, hash, desired, t);
  } else if (!spec.value("paused", false)) {
    for (bool changed = true; changed;) {
      changed = false;
      const auto is_new = [&](const Pod& p) { return p.hash == hash; };
      const int n_new = static_cast<int>(std::count_if(pods.begin(), pods.end(), is_new));
      const int n_old = static_cast<int>(pods.size()) - n_new;
      // Scale the new ReplicaSet up within maxSurge (Recreate: once the old pods are gone).
      if (n_new < desired && !(recreate && n_old > 0)) {
        const int room = desired + surge - static_cast<int>(pods.size());
        for (int i = 0; i < std::min(room, desired - n_new); ++i, changed = true)
          pods.push_back({hash, pod_name(name, hash, w.serial++), t, t + timings_.pod_start_s});
      }
      // Too many new pods (scaled down): the not-ready ones go first.
      if (n_new > desired) {
        std::stable_sort(pods.begin(), pods.end(), [&](const Pod& a, const Pod& b) { return ready(a) < ready(b); });
        int extra = n_new - desired;
        for (auto it = pods.begin(); it != pods.end() && extra > 0;)
          if (is_new(*it)) {
            it = pods.erase(it);
            --extra;
            changed = true;
          } else {
            ++it;
          }
      }
      // Scale old pods down: not-ready ones at once, ready ones while enough pods stay available.
      int available = static_cast<int>(std::count_if(pods.begin(), pods.end(), ready));
      for (auto it = pods.begin(); it != pods.end();) {
        if (is_new(*it)) {
          ++it;
          continue;
        }
        if (!ready(*it)) {
          it = pods.erase(it);
          changed = true;
        } else if (available - 1 >= desired - unavailable) {
          it = pods.erase(it);
          --available;
          changed = true;
        } else {
          ++it;
        }
      }
    }
  }

  const int total = static_cast<int>(pods.size());
  const int updated = static_cast<int>(std::count_if(pods.begin(), pods.end(), [&](const Pod& p) { return p.hash == hash; }));
  const int n_ready = static_cast<int>(std::count_if(pods.begin(), pods.end(), ready));
  const std::string now = iso(t);
  const json old_status = d.value("status", json::object());
  const json old_conditions = old_status.value("conditions", json::array());
  const bool complete = updated == desired && total == desired && n_ready == desired;
  const std::string rs = name + "-" + hash;
  json status = {{"observedGeneration", meta.value("generation", 1)},
                 {"replicas", total},
                 {"updatedReplicas", updated},
                 {"readyReplicas", n_ready},
                 {"availableReplicas", n_ready}};
  if (desired - n_ready > 0)
    status["unavailableReplicas"] = desired - n_ready;
  const bool min_available = n_ready >= desired - unavailable;
  status["conditions"] = json::array(
      {condition(old_conditions, "Available", min_available ? "True" : "False",
                 min_available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                 min_available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now),
       condition(old_conditions, "Progressing", "True", complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                 complete ? "ReplicaSet \"" + rs + "\" has successfully progressed."
                          : "ReplicaSet \"" + rs + "\" is progressing.",
                 now)});
  for (const char* zero : {"readyReplicas", "availableReplicas", "updatedReplicas", "replicas"})
    if (status[zero] == 0)
      status.erase(zero);  // the API server omits zero counts
  const int revision = sync_objects(store, d, w, hash, t, iso);
  const std::string rev = std::to_string(revision);
  const json annotations = meta.value("annotations", json::object());
  if (status == old_status && annotations.value("deployment.kubernetes.io/revision", "") == rev)
    return;
  json next = d;
  next["status"] = status;
  next["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = rev;
  next["metadata"].erase("resourceVersion");
  store.update(kDeployments, ns, next);
}

std::vector<std::pair<std::string, bool>> Deployments::pods(const std::string& ns, const std::string& name, double now_s) const
{
  std::vector<std::pair<std::string, bool>> out;
  auto it = workloads_.find({ns, name});
  if (it != workloads_.end())
    for (const auto& p : it->second.pods)
      out.emplace_back(p.hash, p.ready_s <= now_s);
  return out;
}

}  // namespace migsim::harness::k8s
