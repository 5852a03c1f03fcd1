// Events (core/v1) as the cluster's components record them with client-go's event recorder: one
// Event per object, reason and message, whose count and lastTimestamp grow when it happens again
// (the recorder's aggregation), named <object>.<16 hex digits>. kubectl describe lists an object's
// Events by involvedObject; kubectl get events lists them all.
#pragma once

#include "harness/k8s/store.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace migsim::harness::k8s {

// An ObjectReference to a stored object (apiVersion, kind, namespace, name, uid, resourceVersion).
nlohmann::json object_reference(const nlohmann::json& obj);

struct EventSource {
  std::string component;  // default-scheduler, kubelet, cluster-autoscaler, deployment-controller, ...
  std::string host;       // the node, for kubelet's events
};

class EventRecorder {
public:
  // Records `reason` about `involved` (an ObjectReference) at simulated time t_s; `warning` makes
  // it type Warning.
  void record(Store& store, const nlohmann::json& involved, bool warning, const std::string& reason, const std::string& message,
              const EventSource& source, double t_s, const std::function<std::string(double)>& iso);

private:
  std::map<std::string, std::string> names_;  // namespace/kind/name/reason/message -> Event name
};

}  // namespace migsim::harness::k8s
