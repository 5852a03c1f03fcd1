#include "models/eks/eks_spec.hpp"

#include "models/eks/instance_catalog.hpp"
#include "sim/json_reader.hpp"

#include <algorithm>
#include <set>

namespace migsim::models::eks {

namespace {

std::vector<std::string> instance_names()
{
  std::vector<std::string> v;
  for (const auto& t : instance_catalog())
    v.push_back(t.name);
  return v;
}

std::vector<std::string> string_list(const nlohmann::json& a, const std::string& path)
{
  std::vector<std::string> v;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_string() || a[i].get<std::string>().empty())
      throw sim::InputError(path + "/" + std::to_string(i), "must be a non-empty string");
    v.push_back(a[i].get<std::string>());
  }
  return v;
}

ScalingRules read_rules(sim::ObjectReader& r, const ScalingRules& def, bool up)
{
  ScalingRules s = def;
  s.stabilization_window_s = static_cast<int>(r.integer(
      "stabilization_window_s", {.def = def.stabilization_window_s, .min = 0, .max = 3600, .unit = "s",
                                 .help = "stabilizationWindowSeconds (defaults: 0 up, 300 down)."}));
  const std::string sel = r.string("select_policy", {.def = std::string("Max"), .allowed = {"Max", "Min", "Disabled"},
                                                     .help = "selectPolicy: the policy allowing the most (Max) or "
                                                             "least (Min) change, or no scaling that way."});
  s.select = sel == "Max" ? SelectPolicy::Max : sel == "Min" ? SelectPolicy::Min : SelectPolicy::Disabled;
  if (const auto* pols = r.array("policies", false, "Rate policies (defaults: up Percent 100 and Pods 4 per 15 s; "
                                                    "down Percent 100 per 15 s).")) {
    s.policies.clear();
    sim::for_each_object(*pols, r.path_of("policies"), [&](sim::ObjectReader& p, size_t) {
      ScalingPolicy pol;
      pol.type = p.string("type", {.allowed = {"Pods", "Percent"}, .help = "Pods or Percent."}) == "Pods"
                     ? PolicyType::Pods
                     : PolicyType::Percent;
      pol.value = static_cast<int>(p.integer("value", {.min = 1, .max = 100000, .help = "Pods or percent per period."}));
      pol.period_s = static_cast<int>(p.integer("period_s", {.def = 15, .min = 1, .max = 1800, .unit = "s",
                                                             .help = "periodSeconds."}));
      s.policies.push_back(pol);
    });
    if (s.policies.empty())
      throw sim::InputError(r.path_of("policies"), "needs at least one policy");
  }
  (void)up;
  return s;
}

}  // namespace

EksSpec parse_eks(const sim::Scenario& sc)
{
  EksSpec e;
  sim::ObjectReader r(sc.eks, "/eks");
  e.cluster_name = r.string("cluster_name", {.def = std::string("shop"), .help = "EKS cluster name."});
  const auto* zones = r.array("zones", true, "Availability zones the node groups span (2-3).");
  e.zones = string_list(*zones, r.path_of("zones"));
  if (e.zones.empty() || e.zones.size() > 6)
    throw sim::InputError(r.path_of("zones"), "needs 1 to 6 zones");
  e.provisioner = r.string("provisioner", {.def = std::string("cluster-autoscaler"),
                                           .allowed = {"cluster-autoscaler", "karpenter", "none"},
                                           .help = "Who adds nodes for Pending pods."});
  e.tick_s = r.number("tick_s", {.def = 1, .min = 0.1, .max = 60, .unit = "s",
                                 .help = "Step of the fluid load model (per-deployment request rates, queues)."});
  e.node_boot_s = r.number("node_boot_s", {.def = 90, .min = 0, .max = 3600, .unit = "s",
                                           .help = "EC2 launch to kubelet start (not published: parameter)."});
  e.node_join_s = r.number("node_join_s", {.def = 30, .min = 0, .max = 3600, .unit = "s",
                                           .help = "Kubelet start to node Ready (CNI, registration)."});
  e.node_monitor_grace_s = r.number("node_monitor_grace_s", {.def = 40, .min = 0, .max = 3600, .unit = "s",
                                                             .help = "A failed node is marked NotReady after this; "
                                                                     "its pods leave the endpoints."});
  e.pod_eviction_s = r.number("pod_eviction_s", {.def = 300, .min = 0, .max = 86400, .unit = "s",
                                                 .help = "Pods on a NotReady node are evicted after this "
                                                         "(tolerationSeconds for not-ready, default 300)."});
  e.node_replace_s = r.number("node_replace_s", {.def = 300, .min = 0, .max = 86400, .unit = "s",
                                                 .help = "A failed instance is replaced by its group after this "
                                                         "(EC2 status checks + ASG health check)."});
  e.metrics_resolution_s = r.number("metrics_resolution_s", {.def = 15, .min = 1, .max = 300, .unit = "s",
                                                             .help = "metrics-server scrape interval (the HPA sees "
                                                                     "CPU averaged over the last scrape)."});
  e.hpa_sync_s = r.number("hpa_sync_s", {.def = 15, .min = 1, .max = 300, .unit = "s", .help = "HPA sync period."});
  e.alb_latency_ms = r.number("alb_latency_ms", {.def = 1, .min = 0, .max = 1000, .unit = "ms",
                                                 .help = "ALB processing per request (IP targets, round robin)."});
  e.fidelity = r.string("fidelity", {.def = std::string("fluid"), .allowed = {"fluid", "request"},
                                     .help = "How the traffic is carried: fluid (per-Deployment rates each tick, "
                                             "M/G/1-PS latency; fast) or request (every request through the ALB's "
                                             "target groups to a pod's processor-sharing CPU; exact, slower)."});
  if (auto a = r.object("alb_target_group", false, "Each Deployment's ALB target group (request fidelity only).")) {
    auto& t = e.alb_targets;
    t.algorithm = a->string("algorithm", {.def = std::string("round_robin"),
                                          .allowed = {"round_robin", "least_outstanding_requests", "weighted_random"},
                                          .help = "Routing algorithm (weighted_random: each request to a target "
                                                  "drawn at random, weighted by slow start)."});
    t.slow_start_s = a->number("slow_start_s", {.def = 0, .min = 0, .max = 900, .unit = "s",
                                                .help = "Slow start (0 off, else 30-900 s; not with least outstanding requests)."});
    if (t.slow_start_s != 0 && (t.slow_start_s < 30 || t.algorithm == "least_outstanding_requests"))
      throw sim::InputError(a->path_of("slow_start_s"), "slow start is 0 or 30-900 s, not with least_outstanding_requests");
    t.deregistration_delay_s = a->number("deregistration_delay_s", {.def = 300, .min = 0, .max = 3600, .unit = "s",
                                                                    .help = "deregistration_delay.timeout_seconds."});
    t.health_interval_s = a->number("health_check_interval_s", {.def = 15, .min = 5, .max = 300, .unit = "s",
                                                                .help = "Health check interval (controller default 15)."});
    t.health_timeout_s = a->number("health_check_timeout_s", {.def = 5, .min = 2, .max = 120, .unit = "s",
                                                              .help = "Health check timeout."});
    t.healthy_threshold = static_cast<int>(a->integer("healthy_threshold", {.def = 2, .min = 2, .max = 10,
                                                                            .help = "Consecutive passes to turn healthy."}));
    t.unhealthy_threshold = static_cast<int>(a->integer("unhealthy_threshold", {.def = 2, .min = 2, .max = 10,
                                                                                .help = "Consecutive failures to turn unhealthy."}));
    a->finish();
  }

  if (const auto* groups = r.array("node_groups", false, "Managed node groups (cluster-autoscaler or none).")) {
    sim::for_each_object(*groups, r.path_of("node_groups"), [&](sim::ObjectReader& g, size_t) {
      NodeGroupSpec n;
      n.name = g.string("name", {.help = "Node group name."});
      n.instance_type = g.string("instance_type", {.def = std::string("m5.xlarge"), .allowed = instance_names(),
                                                   .help = "EC2 instance type."});
      n.min_size = static_cast<int>(g.integer("min_size", {.def = 1, .min = 0, .max = 10000, .help = "minSize."}));
      n.max_size = static_cast<int>(g.integer("max_size", {.def = 10, .min = 0, .max = 10000, .help = "maxSize."}));
      n.desired_size = static_cast<int>(g.integer("desired_size", {.def = n.min_size, .min = 0, .max = 10000,
                                                                   .help = "desiredSize at the start."}));
      if (n.min_size > n.max_size || n.desired_size < n.min_size || n.desired_size > n.max_size)
        throw sim::InputError(g.path(), "needs min_size <= desired_size <= max_size");
      e.node_groups.push_back(n);
    });
  }
  if (e.provisioner != "karpenter" && e.node_groups.empty())
    throw sim::InputError(r.path_of("node_groups"), "needs at least one node group");

  if (auto a = r.object("api", false, "Durations of what the mock endpoint's EKS API starts (not published by AWS).")) {
    auto& t = e.api;
    t.cluster_create_s = a->number("cluster_create_s", {.def = 600, .min = 0, .max = 86400, .unit = "s",
                                                        .help = "CreateCluster: CREATING, then ACTIVE."});
    t.cluster_delete_s = a->number("cluster_delete_s", {.def = 300, .min = 0, .max = 86400, .unit = "s",
                                                        .help = "DeleteCluster: DELETING, then gone."});
    t.nodegroup_create_s = a->number("nodegroup_create_s", {.def = 120, .min = 0, .max = 86400, .unit = "s",
                                                            .help = "CreateNodegroup on an API-created cluster: "
                                                                    "CREATING, then ACTIVE (on the simulated "
                                                                    "cluster: until its nodes are Ready)."});
    t.nodegroup_delete_s = a->number("nodegroup_delete_s", {.def = 300, .min = 0, .max = 86400, .unit = "s",
                                                            .help = "DeleteNodegroup: DELETING, then gone."});
    t.update_s = a->number("update_s", {.def = 120, .min = 0, .max = 86400, .unit = "s",
                                        .help = "UpdateNodegroupConfig on an API-created cluster: InProgress, then "
                                                "Successful (simulated cluster: until no node is booting)."});
    a->finish();
  }
  if (auto ca = r.object("cluster_autoscaler", false, "Cluster Autoscaler settings.")) {
    e.ca.scan_interval_s = ca->number("scan_interval_s", {.def = 10, .min = 1, .max = 600, .unit = "s", .help = "scan-interval."});
    e.ca.utilization_threshold = ca->number("utilization_threshold", {.def = 0.5, .min = 0, .max = 1, .unit = "share",
                                                                      .help = "scale-down-utilization-threshold."});
    e.ca.unneeded_time_s = ca->number("unneeded_time_s", {.def = 600, .min = 0, .unit = "s", .help = "scale-down-unneeded-time."});
    e.ca.delay_after_add_s = ca->number("delay_after_add_s", {.def = 600, .min = 0, .unit = "s", .help = "scale-down-delay-after-add."});
    e.ca.max_node_provision_time_s = ca->number("max_node_provision_time_s", {.def = 900, .min = 1, .unit = "s",
                                                                              .help = "max-node-provision-time."});
    const auto ex = ca->string("expander", {.def = std::string("random"),
                                            .allowed = {"random", "most-pods", "least-waste", "priority"},
                                            .help = "expander."});
    e.ca.expander = ex == "random" ? Expander::Random : ex == "most-pods" ? Expander::MostPods
                    : ex == "least-waste" ? Expander::LeastWaste : Expander::Priority;
    ca->finish();
  }
  e.ca.seed = sc.seed;
  if (auto k = r.object("karpenter", false, "Karpenter NodePool (provisioner karpenter).")) {
    const auto* types = k->array("instance_types", true, "Allowed instance types (NodePool requirement).");
    e.karpenter_types = string_list(*types, k->path_of("instance_types"));
    const auto names = instance_names();
    for (size_t i = 0; i < e.karpenter_types.size(); ++i)
      if (std::find(names.begin(), names.end(), e.karpenter_types[i]) == names.end())
        throw sim::InputError(k->path_of("instance_types/" + std::to_string(i)), "unknown instance type \"" + e.karpenter_types[i] + "\"");
    e.karpenter_consolidation = k->string("consolidation_policy", {.def = std::string("WhenEmptyOrUnderutilized"),
                                                                   .allowed = {"WhenEmpty", "WhenEmptyOrUnderutilized"},
                                                                   .help = "disruption.consolidationPolicy."}) == "WhenEmpty"
                                    ? Consolidation::WhenEmpty
                                    : Consolidation::WhenEmptyOrUnderutilized;
    e.karpenter_consolidate_after_s = k->number("consolidate_after_s", {.def = 30, .min = 0, .unit = "s",
                                                                        .help = "disruption.consolidateAfter."});
    e.karpenter_batch_s = k->number("batch_max_s", {.def = 10, .min = 0, .max = 60, .unit = "s",
                                                    .help = "Longest a batch of Pending pods waits before a launch."});
    k->finish();
  }
  if (e.provisioner == "karpenter" && e.karpenter_types.empty())
    throw sim::InputError(r.path_of("karpenter"), "provisioner karpenter needs /eks/karpenter/instance_types");

  std::set<std::string> volumes;
  if (const auto* efs = r.array("efs", false, "EFS file systems mounted ReadWriteMany.")) {
    sim::for_each_object(*efs, r.path_of("efs"), [&](sim::ObjectReader& o, size_t) {
      EfsSpec f;
      f.name = o.string("name", {.help = "Volume name."});
      f.mode = o.string("throughput_mode", {.def = std::string("elastic"), .allowed = {"elastic", "bursting"},
                                            .help = "Elastic (a fixed limit) or bursting (baseline from size, "
                                                    "burst on credits)."});
      f.throughput_mibps = o.number("throughput_mibps", {.def = 1024, .min = 0.01, .unit = "MiB/s",
                                                         .help = "Elastic: throughput limit of the file system."});
      f.size_gib = o.number("size_gib", {.def = 100, .min = 0.01, .unit = "GiB",
                                         .help = "Stored data (billed as EFS Standard GB-months); bursting: baseline 0.05 MiB/s per GiB; burst "
                                                 "100 MiB/s per TiB, at least 100."});
      volumes.insert(f.name);
      e.efs.push_back(f);
    });
  }

  const auto* deps = r.array("deployments", true, "Deployments (one per microservice; Service + ALB target).");
  sim::for_each_object(*deps, r.path_of("deployments"), [&](sim::ObjectReader& o, size_t) {
    DeploymentSpec d;
    d.name = o.string("name", {.help = "Deployment name: request-class stages naming it run on its pods."});
    d.replicas = static_cast<int>(o.integer("replicas", {.def = 2, .min = 0, .max = 100000, .help = "spec.replicas at the start."}));
    d.requests.cpu_m = o.integer("cpu_request_m", {.def = 250, .min = 1, .max = 256000, .unit = "millicores", .help = "CPU request."});
    d.cpu_limit_m = o.integer("cpu_limit_m", {.def = 2 * d.requests.cpu_m, .min = 1, .max = 256000, .unit = "millicores",
                                              .help = "CPU limit (CFS quota): the pod's service rate."});
    d.requests.mem_mib = o.integer("memory_request_mib", {.def = 256, .min = 1, .max = 1 << 20, .unit = "MiB", .help = "Memory request."});
    d.cpu_scale = o.number("cpu_scale", {.def = 1, .min = 0.01, .max = 100, .unit = "x",
                                         .help = "CPU per request relative to the class stage's cpu_ms (the "
                                                 "microservice's own profile)."});
    d.image_pull_s = o.number("image_pull_s", {.def = 10, .min = 0, .unit = "s", .help = "Image pull on a node."});
    d.container_start_s = o.number("container_start_s", {.def = 3, .min = 0, .unit = "s", .help = "Container start."});
    d.readiness_initial_delay_s = o.number("readiness_initial_delay_s", {.def = 5, .min = 0, .unit = "s",
                                                                         .help = "initialDelaySeconds of the readiness probe."});
    d.readiness_period_s = o.number("readiness_period_s", {.def = 10, .min = 1, .unit = "s", .help = "periodSeconds."});
    d.readiness_failure_threshold = static_cast<int>(o.integer("readiness_failure_threshold", {.def = 3, .min = 1, .max = 100,
                                                                                              .help = "failureThreshold."}));
    d.termination_grace_s = o.number("termination_grace_s", {.def = 30, .min = 0, .unit = "s",
                                                             .help = "terminationGracePeriodSeconds."});
    d.max_surge_pct = o.number("max_surge_pct", {.def = 25, .min = 0, .max = 100, .unit = "%", .help = "Rolling update maxSurge (rounded up)."});
    d.max_unavailable_pct = o.number("max_unavailable_pct", {.def = 25, .min = 0, .max = 100, .unit = "%",
                                                             .help = "Rolling update maxUnavailable (rounded down)."});
    d.efs_volume = o.string("efs_volume", {.def = std::string(""), .help = "EFS volume its pods mount (a name from /eks/efs)."});
    if (!d.efs_volume.empty() && !volumes.count(d.efs_volume))
      throw sim::InputError(o.path_of("efs_volume"), "unknown EFS volume \"" + d.efs_volume + "\"");
    d.efs_kb_per_request = o.number("efs_kb_per_request", {.def = 0, .min = 0, .unit = "KiB",
                                                           .help = "Bytes read or written on the EFS volume per request."});
    d.max_concurrency = static_cast<int>(o.integer(
        "max_concurrency", {.def = 0, .min = 0, .max = 100000,
                            .help = "Request fidelity: requests one pod serves at once (its worker threads); "
                                    "more wait in a FIFO queue. 0: no limit (pure processor sharing)."}));
    if (auto h = o.object("hpa", false, "HorizontalPodAutoscaler on CPU utilisation.")) {
      HpaSpec s;
      s.min_replicas = static_cast<int>(h->integer("min_replicas", {.def = 1, .min = 1, .max = 100000, .help = "minReplicas."}));
      s.max_replicas = static_cast<int>(h->integer("max_replicas", {.min = 1, .max = 100000, .help = "maxReplicas."}));
      s.target_utilization_pct = static_cast<int>(h->integer("target_cpu_utilization_pct", {.def = 80, .min = 1, .max = 1000, .unit = "%",
                                                                                          .help = "averageUtilization of CPU requests."}));
      s.tolerance = h->number("tolerance", {.def = 0.1, .min = 0, .max = 1, .help = "horizontal-pod-autoscaler-tolerance."});
      s.cpu_initialization_period_s = h->number("cpu_initialization_period_s", {.def = 300, .min = 0, .unit = "s", .help = "CPU initialization period."});
      s.initial_readiness_delay_s = h->number("initial_readiness_delay_s", {.def = 30, .min = 0, .unit = "s", .help = "Initial readiness delay."});
      if (s.min_replicas > s.max_replicas)
        throw sim::InputError(h->path(), "min_replicas is above max_replicas");
      if (auto up = h->object("scale_up", false, "behavior.scaleUp."))
        s.scale_up = read_rules(*up, default_scale_up(), true), up->finish();
      if (auto down = h->object("scale_down", false, "behavior.scaleDown."))
        s.scale_down = read_rules(*down, default_scale_down(), false), down->finish();
      h->finish();
      d.hpa = s;
    }
    e.deployments.push_back(d);
  });
  if (const auto* ext = r.array("external", false, "Services outside the cluster (RDS, ...): a fixed latency per visit.")) {
    sim::for_each_object(*ext, r.path_of("external"), [&](sim::ObjectReader& o, size_t) {
      const auto name = o.string("service", {.help = "Service name used by request-class stages."});
      e.external_latency_ms[name] = o.number("latency_ms", {.min = 0, .max = 60000, .unit = "ms", .help = "Latency per visit."});
    });
  }
  const auto* cost = r.raw("cost", "object", "Bill inputs the traffic does not determine (models/eks/eks_cost_spec.hpp).");
  e.cost = parse_eks_cost(cost ? *cost : nlohmann::json::object(), r.path_of("cost"), sc);
  r.finish();
  // Every stage must land somewhere.
  for (size_t c = 0; c < sc.workload.classes.size(); ++c)
    for (size_t s = 0; s < sc.workload.classes[c].stages.size(); ++s) {
      const auto& svc = sc.workload.classes[c].stages[s].service;
      const bool dep = std::any_of(e.deployments.begin(), e.deployments.end(), [&](auto& d) { return d.name == svc; });
      if (!dep && !e.external_latency_ms.count(svc))
        throw sim::InputError("/workload/classes/" + std::to_string(c) + "/stages/" + std::to_string(s) + "/service",
                              "\"" + svc + "\" is neither an EKS deployment nor in /eks/external");
    }
  // EKS events name things of this section.
  for (size_t i = 0; i < sc.events.size(); ++i) {
    const auto& ev = sc.events[i];
    const std::string path = "/events/" + std::to_string(i) + "/target";
    if (ev.action == "eks_rolling_update" &&
        std::none_of(e.deployments.begin(), e.deployments.end(), [&](auto& d) { return d.name == ev.target; }))
      throw sim::InputError(path, "unknown deployment \"" + ev.target + "\"");
    if (ev.action == "eks_node_failure" && ev.target != "karpenter" &&
        std::none_of(e.node_groups.begin(), e.node_groups.end(), [&](auto& g) { return g.name == ev.target; }) &&
        std::find(e.zones.begin(), e.zones.end(), ev.target) == e.zones.end())
      throw sim::InputError(path, "not a node group, zone or \"karpenter\": \"" + ev.target + "\"");
  }
  return e;
}

}  // namespace migsim::models::eks
