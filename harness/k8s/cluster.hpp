// One EKS cluster's Kubernetes API state (objects, controllers, open watches) and the request shape
// the API server's verbs work on. Internal to harness/k8s.
#pragma once

#include "harness/k8s/deployments.hpp"
#include "harness/k8s/ingresses.hpp"
#include "harness/k8s/resources.hpp"
#include "harness/k8s/store.hpp"
#include "harness/serve/core/chunk_stream.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace migsim::models::eks {
class EksCluster;
}

namespace migsim::harness::k8s {

using nlohmann::json;

// An open watch: its store subscription, the body it writes to, when it ends (timeoutSeconds).
struct OpenWatch {
  int id = 0;
  std::shared_ptr<serve::ChunkStream> stream;
  std::chrono::steady_clock::time_point deadline;
};

struct Cluster {
  std::string name;
  std::string minor = "30";  // the EKS cluster's Kubernetes minor version
  Store store;
  Deployments deployments;
  EventRecorder events;  // the controllers' and the model's Events
  IngressAlbs albs;      // the Load Balancer Controller's ALBs
  // The simulation's EKS model when this is its cluster (the scenario's): its Nodes, and the
  // Deployments bound to it; null for clusters created through the EKS API, which the model does
  // not run.
  models::eks::EksCluster* model = nullptr;
  int next_ip = 0;
  double now_s = 0;  // the simulated time of the last request or tick
  std::vector<OpenWatch> watches;
};

// A request for objects: /api/v1/[namespaces/NS/]PLURAL[/NAME[/SUB]] or /apis/G/V/...
struct ApiRequest {
  std::string method;
  const Resource* resource = nullptr;
  std::string ns, name, subresource;
  std::map<std::string, std::string> query;
  std::string accept, content_type, body;
  std::string q(const std::string& k) const
  {
    auto it = query.find(k);
    return it == query.end() ? "" : it->second;
  }
};

struct ApiReply {
  int status = 200;
  json body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<serve::ChunkStream> stream;  // a watch
};

// Runs a request for objects (verbs.cpp) at simulated time now_s.
ApiReply serve_objects(Cluster& c, const ApiRequest& req, double now_s);

// RFC 3339 of a simulated time on the scenario's calendar.
std::string iso_time(double sim_s);

// The namespaces every cluster starts with.
void seed_cluster(Cluster& c, double now_s);

}  // namespace migsim::harness::k8s
