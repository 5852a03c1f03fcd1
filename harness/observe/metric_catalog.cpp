#include "harness/observe/metric_catalog.hpp"

#include <map>

namespace migsim::harness::observe {

namespace {

using T = MetricType;

// The registry's families by name; the generic rule below covers the rest.
const std::map<std::string, CatalogEntry>& table()
{
  static const std::map<std::string, CatalogEntry> t = {
      // Requests, per request class.
      {"requests_arrived", {"migsim_requests_arrived", T::Counter, "", "Requests that arrived, per request class."}},
      {"requests_completed", {"migsim_requests_completed", T::Counter, "", "Requests answered successfully, per request class."}},
      {"requests_rejected", {"migsim_request_errors", T::Counter, "", "Requests that failed, per request class and reason.", 1, {{"reason", "rejected"}}}},
      {"requests_timed_out", {"migsim_request_errors", T::Counter, "", "Requests that failed, per request class and reason.", 1, {{"reason", "timeout"}}}},
      {"requests_server_error", {"migsim_request_errors", T::Counter, "", "Requests that failed, per request class and reason.", 1, {{"reason", "server_error"}}}},
      {"latency_s", {"migsim_request_duration_seconds", T::Histogram, "seconds", "Latency of successful requests as their clients saw it, per request class."}},
      // Requests, per site (the estates a cutover moves traffic between).
      {"arrivals", {"migsim_site_requests_arrived", T::Counter, "", "Requests that arrived, per site."}},
      {"site_requests_completed", {"migsim_site_requests_completed", T::Counter, "", "Requests answered successfully, per site."}},
      {"site_requests_failed", {"migsim_site_request_errors", T::Counter, "", "Requests that failed, per site."}},
      {"site_latency_s", {"migsim_site_request_duration_seconds", T::Histogram, "seconds", "Latency of successful requests, per site."}},
      {"completed", {.skip = true}},
      {"errors", {.skip = true}},
      {"latency_p50_ms", {"migsim_latency_p50_seconds", T::Gauge, "seconds", "Median latency of the requests completed in the latest closed simulated minute (migsim's own percentile).", 0.001}},
      {"latency_p95_ms", {"migsim_latency_p95_seconds", T::Gauge, "seconds", "95th percentile latency of the requests completed in the latest closed simulated minute.", 0.001}},
      {"latency_p99_ms", {"migsim_latency_p99_seconds", T::Gauge, "seconds", "99th percentile latency of the requests completed in the latest closed simulated minute.", 0.001}},
      {"transactions_committed", {"migsim_transactions_committed", T::Counter, "", "Write transactions committed by the application's database."}},
      {"rows_committed", {"migsim_rows_committed", T::Counter, "", "Rows written by committed transactions."}},
      {"writes_refused", {"migsim_writes_refused", T::Counter, "", "Write requests refused while writes were stopped (maintenance mode)."}},
      {"requests_in_system", {"migsim_requests_in_system", T::Gauge, "", "Requests in the estate now (queued or being served)."}},
      // Servers, instances and services.
      {"server_busy_cores", {"migsim_server_cpu_busy_seconds", T::Counter, "seconds", "CPU time spent busy, summed over the server's cores (rate() is busy cores)."}},
      {"server_cores", {"migsim_server_cpu_cores", T::Gauge, "", "Cores of the server or instance."}},
      {"service_workers", {"migsim_service_workers", T::Gauge, "", "Workers (threads, processes, connections) of the service."}},
      {"service_busy_workers", {"migsim_service_busy_workers", T::Gauge, "", "Workers of the service busy with a request now."}},
      {"service_queue_length", {"migsim_service_queued_requests", T::Gauge, "", "Requests waiting for a worker of the service now."}},
      {"link_throughput_bytes_per_second", {"migsim_link_throughput_bytes_per_second", T::Gauge, "bytes_per_second", "Bytes per second the inter-zone link (a Site-to-Site VPN) carries now, both directions."}},
      // DMS.
      {"dms_cdc_latency_source_s", {"migsim_dms_cdc_latency_source_seconds", T::Gauge, "seconds", "CDCLatencySource: now minus the time of the last change captured from the source."}},
      {"dms_cdc_latency_target_s", {"migsim_dms_cdc_latency_target_seconds", T::Gauge, "seconds", "CDCLatencyTarget: now minus the time of the oldest change waiting to commit on the target."}},
      {"dms_capacity_dcu", {"migsim_dms_capacity_dcu", T::Gauge, "", "DMS Capacity Units the serverless replication runs with."}},
      {"dms_capacity_utilization_pct", {"migsim_dms_capacity_utilization_ratio", T::Gauge, "ratio", "CapacityUtilization: share of the replication's memory in use.", 0.01}},
      {"dms_full_load_pct", {"migsim_dms_full_load_progress_ratio", T::Gauge, "ratio", "Share of the snapshot's rows loaded by the full load.", 0.01}},
      {"dms_full_load_rows", {"migsim_dms_full_load_rows", T::Counter, "", "Rows loaded by the full load."}},
      {"dms_cdc_applied_transactions", {"migsim_dms_cdc_applied_transactions", T::Counter, "", "Source transactions applied on the target by CDC."}},
      {"dms_cdc_applied_rows", {"migsim_dms_cdc_applied_rows", T::Counter, "", "Rows applied on the target by CDC."}},
      {"dms_cdc_capture_wire_bytes", {"migsim_dms_cdc_capture_wire_bytes", T::Counter, "bytes", "Bytes the CDC capture sent over the network."}},
      // MGN.
      {"mgn_replicated_bytes", {"migsim_mgn_replicated_bytes", T::Gauge, "bytes", "Bytes of the source server's disks replicated to the staging area."}},
      {"mgn_backlog_bytes", {"migsim_mgn_backlog_bytes", T::Gauge, "bytes", "Written data not replicated yet (MGN's backlog)."}},
      {"mgn_lag_s", {"migsim_mgn_lag_seconds", T::Gauge, "seconds", "MGN lagDuration: time since the server was last in continuous replication."}},
      // EC2 Auto Scaling and the ALB.
      {"capacity_instances", {"migsim_asg_instances", T::Gauge, "", "InService instances of the Auto Scaling group."}},
      {"capacity_desired", {"migsim_asg_desired_capacity", T::Gauge, "", "Desired capacity of the Auto Scaling group."}},
      {"asg_cpu_utilization_pct", {"migsim_asg_cpu_utilization_ratio", T::Gauge, "ratio", "Average CPU utilisation of the group (the target tracking metric).", 0.01}},
      {"ec2_cpu_credit_balance", {"migsim_ec2_cpu_credit_balance", T::Gauge, "", "CPU credits left (burstable instances), averaged over the group."}},
      {"alb_request_count", {"migsim_alb_requests", T::Counter, "", "Requests the load balancer sent to the group (RequestCount)."}},
      {"alb_target_response_time_ms", {"migsim_alb_target_response_time_seconds", T::Gauge, "seconds", "TargetResponseTime of the group's targets, latest minute.", 0.001}},
      {"alb_healthy_hosts", {"migsim_alb_healthy_hosts", T::Gauge, "", "HealthyHostCount of the group's target group."}},
      {"alb_http_503", {"migsim_alb_http_503_responses", T::Counter, "", "HTTP 503 answered by the load balancer itself (no healthy target)."}},
      // RDS.
      {"rds_replica_lag_s", {"migsim_rds_replica_lag_seconds", T::Gauge, "seconds", "ReplicaLag of the read replica (Seconds_Behind_Master)."}},
      {"rds_unavailable_s", {"migsim_rds_unavailable_seconds", T::Counter, "seconds", "Time the DB instance was unavailable (failover, reboot, outage)."}},
      {"rds_connections", {"migsim_rds_database_connections", T::Gauge, "", "DatabaseConnections open on the DB instance now."}},
      {"rds_max_connections", {"migsim_rds_max_database_connections", T::Gauge, "", "max_connections of the DB instance."}},
      {"rds_available", {"migsim_rds_available", T::Gauge, "", "1 when the DB instance accepts connections."}},
      // Edge.
      {"waf_blocked", {"migsim_waf_blocked_requests", T::Counter, "", "Requests blocked by the WAF."}},
      {"edge_answered", {"migsim_edge_answered_requests", T::Counter, "", "Requests CloudFront answered from its cache or S3."}},
      // EKS: migsim's own series (kube-state-metrics' are exported under their own names).
      {"capacity_nodes", {"migsim_eks_nodegroup_nodes", T::Gauge, "", "Nodes of the node group (or launched by Karpenter)."}},
      {"eks_nodes_total", {"migsim_eks_nodes", T::Gauge, "", "Nodes in the cluster."}},
      {"eks_pending_pods", {"migsim_eks_pending_pods", T::Gauge, "", "Pods waiting for a node (highest in the latest minute)."}},
      {"capacity_pods", {"migsim_eks_deployment_ready_pods", T::Gauge, "", "Ready pods of the Deployment."}},
      {"hpa_desired_replicas", {"migsim_hpa_desired_replicas", T::Gauge, "", "Replicas the Deployment is asked for (by its HorizontalPodAutoscaler when it has one)."}},
      {"pod_cpu_usage_cores", {"migsim_pod_cpu_usage_cores", T::Gauge, "", "CPU the pod uses, as metrics-server last measured it (cores)."}},
      {"node_cpu_usage_cores", {"migsim_node_cpu_usage_cores", T::Gauge, "", "CPU the node's pods use, as metrics-server last measured it (cores)."}},
      {"simulated_time_seconds", {"migsim_simulated_time_seconds", T::Gauge, "seconds", "The simulated clock (seconds since the scenario's start)."}},
  };
  return t;
}

bool ends_with(const std::string& s, const std::string& suffix)
{
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// kube-state-metrics' families keep their own names and help texts.
const std::map<std::string, std::string>& kube_state_help()
{
  static const std::map<std::string, std::string> h = {
      {"kube_pod_status_phase", "The pods current phase."},
      {"kube_pod_status_ready", "Describes whether the pod is ready to serve requests."},
      {"kube_pod_info", "Information about pod."},
      {"kube_deployment_spec_replicas", "Number of desired pods for a deployment."},
      {"kube_deployment_status_replicas", "The number of replicas per deployment."},
      {"kube_deployment_status_replicas_available", "The number of available replicas per deployment."},
      {"kube_deployment_status_replicas_unavailable", "The number of unavailable replicas per deployment."},
      {"kube_horizontalpodautoscaler_status_desired_replicas", "Desired number of replicas of pods managed by this autoscaler."},
      {"kube_horizontalpodautoscaler_status_current_replicas", "Current number of replicas of pods managed by this autoscaler."},
      {"kube_node_info", "Information about a cluster node."},
      {"kube_node_status_condition", "The condition of a cluster node."},
      {"kube_node_spec_unschedulable", "Whether a node can schedule new pods."},
      {"kube_node_status_allocatable", "The allocatable for different resources of a node that are available for scheduling."},
  };
  return h;
}

}  // namespace

CatalogEntry catalog_entry(const std::string& family, Source source)
{
  if (auto it = table().find(family); it != table().end())
    return it->second;
  if (auto it = kube_state_help().find(family); it != kube_state_help().end())
    return {family, T::Gauge, "", it->second};
  // Generic rule: units from the name's suffix, counters for what only grows.
  CatalogEntry e;
  std::string base = family;
  if (ends_with(base, "_ms")) {
    base = base.substr(0, base.size() - 3) + "_seconds";
    e.unit = "seconds";
    e.scale = 0.001;
  } else if (ends_with(base, "_s")) {
    base = base.substr(0, base.size() - 2) + "_seconds";
    e.unit = "seconds";
  } else if (ends_with(base, "_pct")) {
    base = base.substr(0, base.size() - 4) + "_ratio";
    e.unit = "ratio";
    e.scale = 0.01;
  } else if (ends_with(base, "_bytes")) {
    e.unit = "bytes";
  }
  e.name = "migsim_" + base;
  switch (source) {
    case Source::Counter:
    case Source::SumSeries:
    case Source::TimeWeightedArea: e.type = T::Counter; break;
    case Source::Histogram: e.type = T::Histogram; break;
    default: e.type = T::Gauge; break;
  }
  e.help = "migsim registry series " + family + ".";
  return e;
}

const std::vector<double>& latency_buckets_s()
{
  static const std::vector<double> b = {0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2,
                                        0.3,   0.5,   0.75,  1,    1.5,  2,    3,    5,     10,    30,   60};
  return b;
}

}  // namespace migsim::harness::observe
