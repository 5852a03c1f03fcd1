#include "harness/observe/state_gauges.hpp"

#include "harness/run/simulation.hpp"
#include "models/common/request_flow.hpp"
#include "models/common/station.hpp"
#include "models/eks/eks_cluster.hpp"
#include "models/onprem/onprem_estate.hpp"
#include "models/rds/db_instance.hpp"
#include "models/rds/rds_runtime.hpp"
#include "sim/metrics.hpp"
#include "sim/platform.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace migsim::harness::observe {

namespace {

constexpr double kGone = std::numeric_limits<double>::quiet_NaN();

// Workers, busy workers and queue per service station; cores per server; link throughput.
void publish_estate(Simulation& s, sim::Registry& m)
{
  for (const auto& st : s.estate().flow().stations()) {
    const std::string l = "{service=" + st->spec().name + ",server=" + st->spec().server + "}";
    m.gauge("service_workers" + l) = st->workers();
    m.gauge("service_busy_workers" + l) = st->busy();
    m.gauge("service_queue_length" + l) = static_cast<double>(st->queue_length());
  }
  for (const auto& srv : s.scenario().platform.servers)
    m.gauge("server_cores{server=" + srv.name + "}") = srv.cores;
  for (const auto& link : s.scenario().platform.links)
    m.gauge("link_throughput_bytes_per_second{link=" + link.name + "}") =
        s.estate().platform().link_usage_Bps(link.name);
}

void publish_rds(models::rds::RdsRuntime& rds, sim::Registry& m, double now)
{
  const std::string l = "{server=" + rds.spec().server + "}";
  auto& db = rds.instance();
  m.gauge("rds_connections" + l) = db.connections();
  m.gauge("rds_max_connections" + l) = db.max_connections();
  m.gauge("rds_available" + l) = db.available_at(now) ? 1 : 0;
}

// Kubernetes phase of a simulated pod, as the API (and kube-state-metrics) shows it.
const char* phase_of(models::eks::PodState state)
{
  using models::eks::PodState;
  switch (state) {
    case PodState::Pending:
    case PodState::Starting: return "Pending";
    case PodState::Running:
    case PodState::Ready:
    case PodState::Terminating: return "Running";
    case PodState::Gone: break;
  }
  return nullptr;
}

// kube-state-metrics' series for the cluster's deployments, pods and nodes, plus the CPU the
// metrics-server last saw per pod and node.
void publish_eks(models::eks::EksCluster& k, sim::Registry& m)
{
  using models::eks::NodeState;
  using models::eks::PodState;
  static const char* kPhases[] = {"Pending", "Running", "Succeeded", "Failed", "Unknown"};
  const auto& deps = k.spec().deployments;
  std::vector<int> alive(deps.size(), 0);
  std::vector<double> node_cpu(k.nodes().size(), 0.0);
  const auto& pods = k.pods();
  for (size_t id = 0; id < pods.size(); ++id) {
    const auto& p = pods[id];
    const std::string& dep = deps[p.deployment].name;
    const std::string pod = dep + "-" + std::to_string(id);
    const std::string base = "{namespace=default,pod=" + pod;
    const char* phase = phase_of(p.state);
    for (const char* ph : kPhases)
      m.gauge("kube_pod_status_phase" + base + ",phase=" + ph + "}") = phase ? (std::string(ph) == phase ? 1 : 0) : kGone;
    const bool ready = p.state == PodState::Ready && !p.probe_failed && !p.unreachable;
    m.gauge("kube_pod_status_ready" + base + ",condition=true}") = phase ? (ready ? 1 : 0) : kGone;
    m.gauge("kube_pod_status_ready" + base + ",condition=false}") = phase ? (ready ? 0 : 1) : kGone;
    const std::string node = p.node >= 0 ? k.nodes()[static_cast<size_t>(p.node)].name : "";
    m.gauge("kube_pod_info" + base + ",created_by_name=" + dep + ",node=" + node + "}") = phase ? 1 : kGone;
    const bool running = p.state == PodState::Running || p.state == PodState::Ready || p.state == PodState::Terminating;
    m.gauge("pod_cpu_usage_cores" + base + ",deployment=" + dep + "}") = phase ? (running ? p.metric_m / 1000.0 : 0) : kGone;
    if (phase) {
      ++alive[p.deployment];
      if (running && p.node >= 0)
        node_cpu[static_cast<size_t>(p.node)] += p.metric_m / 1000.0;
    }
  }
  for (size_t d = 0; d < deps.size(); ++d) {
    const std::string l = "{namespace=default,deployment=" + deps[d].name + "}";
    m.gauge("kube_deployment_spec_replicas" + l) = k.desired_replicas(d);
    m.gauge("kube_deployment_status_replicas" + l) = alive[d];
    m.gauge("kube_deployment_status_replicas_available" + l) = k.ready_pods(d);
    m.gauge("kube_deployment_status_replicas_unavailable" + l) = std::max(0, k.desired_replicas(d) - k.ready_pods(d));
    if (deps[d].hpa) {
      const std::string h = "{namespace=default,horizontalpodautoscaler=" + deps[d].name + "}";
      m.gauge("kube_horizontalpodautoscaler_status_desired_replicas" + h) = k.desired_replicas(d);
      m.gauge("kube_horizontalpodautoscaler_status_current_replicas" + h) = alive[d];
    }
  }
  for (size_t n = 0; n < k.nodes().size(); ++n) {
    const auto& node = k.nodes()[n];
    const bool exists = node.state != NodeState::Gone;
    const std::string l = "{node=" + node.name;
    const bool ready = node.state == NodeState::Ready || node.state == NodeState::Draining;
    m.gauge("kube_node_info" + l + ",instance_type=" + (node.type ? node.type->name : "") + ",zone=" + node.zone + "}") =
        exists ? 1 : kGone;
    m.gauge("kube_node_status_condition" + l + ",condition=Ready,status=true}") = exists ? (ready ? 1 : 0) : kGone;
    m.gauge("kube_node_status_condition" + l + ",condition=Ready,status=false}") = exists ? (ready ? 0 : 1) : kGone;
    m.gauge("kube_node_spec_unschedulable" + l + "}") = exists ? (node.state == NodeState::Draining ? 1 : 0) : kGone;
    m.gauge("kube_node_status_allocatable" + l + ",resource=cpu,unit=core}") =
        exists && node.type ? static_cast<double>(node.type->allocatable.cpu_m) / 1000.0 : kGone;
    m.gauge("node_cpu_usage_cores" + l + "}") = exists ? node_cpu[n] : kGone;
  }
}

}  // namespace

void publish_state_gauges(Simulation& simulation)
{
  auto& m = simulation.metrics();
  m.gauge("simulated_time_seconds") = simulation.now();
  publish_estate(simulation, m);
  if (auto* rds = simulation.rds())
    publish_rds(*rds, m, simulation.now());
  if (auto* eks = simulation.eks())
    publish_eks(*eks, m);
}

}  // namespace migsim::harness::observe
