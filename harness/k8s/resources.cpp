#include "harness/k8s/resources.hpp"

#include <algorithm>

namespace migsim::harness::k8s {

const std::vector<Resource>& served_resources()
{
  static const std::vector<Resource> all = {
      {"", "v1", "Namespace", "namespaces", "namespace", false, {"ns"}, {"status"}},
      {"", "v1", "ConfigMap", "configmaps", "configmap", true, {"cm"}, {}},
      {"", "v1", "Secret", "secrets", "secret", true, {}, {}},
      {"", "v1", "Service", "services", "service", true, {"svc"}, {"status"}},
      {"", "v1", "Pod", "pods", "pod", true, {"po"}, {"status"}},
      {"apps", "v1", "Deployment", "deployments", "deployment", true, {"deploy"}, {"scale", "status"}},
      {"apps", "v1", "ReplicaSet", "replicasets", "replicaset", true, {"rs"}, {"scale", "status"}},
      {"", "v1", "Node", "nodes", "node", false, {"no"}, {"status"}},
      {"", "v1", "Event", "events", "event", true, {"ev"}, {}},
      {"", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", true, {"sa"}, {}},
      {"", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim", true, {"pvc"}, {"status"}},
      {"", "v1", "PersistentVolume", "persistentvolumes", "persistentvolume", false, {"pv"}, {"status"}},
      {"storage.k8s.io", "v1", "StorageClass", "storageclasses", "storageclass", false, {"sc"}, {}},
      {"networking.k8s.io", "v1", "Ingress", "ingresses", "ingress", true, {"ing"}, {"status"}},
      {"networking.k8s.io", "v1", "IngressClass", "ingressclasses", "ingressclass", false, {}, {}},
      {"policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", "poddisruptionbudget", true, {"pdb"}, {"status"}},
      // autoscaling/v2 first: the group's preferred version, the one stored; v1 is converted.
      {"autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", "horizontalpodautoscaler", true, {"hpa"}, {"status"}},
      {"autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", "horizontalpodautoscaler", true, {"hpa"}, {"status"}},
      // The resource metrics API (metrics-server's, read by kubectl top and the HPA).
      {"metrics.k8s.io", "v1beta1", "NodeMetrics", "nodes", "", false, {}, {}, true},
      {"metrics.k8s.io", "v1beta1", "PodMetrics", "pods", "", true, {}, {}, true},
  };
  return all;
}

const Resource* find_resource(const std::string& group, const std::string& version, const std::string& plural)
{
  for (const auto& r : served_resources())
    if (r.group == group && r.version == version && r.plural == plural)
      return &r;
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> served_group_versions()
{
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : served_resources())
    if (std::find(out.begin(), out.end(), std::make_pair(r.group, r.version)) == out.end())
      out.emplace_back(r.group, r.version);
  return out;
}

}  // namespace migsim::harness::k8s
