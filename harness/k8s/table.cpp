#include "harness/k8s/table.hpp"

#include "harness/k8s/autoscalers.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace migsim::harness::k8s {

namespace {

json column(const std::string& name, const std::string& type, const std::string& desc, int priority = 0,
            const std::string& format = "")
{
  return {{"name", name}, {"type", type}, {"format", format}, {"description", desc}, {"priority", priority}};
}

std::string join(const std::vector<std::string>& v, const std::string& sep)
{
  std::string out;
  for (size_t i = 0; i < v.size(); ++i)
    out += (i ? sep : "") + v[i];
  return out.empty() ? "<none>" : out;
}

std::string selector_text(const json& m)
{
  std::vector<std::string> parts;
  for (const auto& [k, v] : m.items())
    parts.push_back(k + "=" + (v.is_string() ? v.get<std::string>() : v.dump()));
  return join(parts, ",");
}

json columns(const Resource& r)
{
  const json name = column("Name", "string",
                           "Name must be unique within a namespace. Is required when creating resources, although some "
                           "resources may allow a client to request the generation of an appropriate name automatically.",
                           0, "name");
  const json age = column("Age", "string",
                          "CreationTimestamp is a timestamp representing the server time when this object was created.");
  if (r.kind == "Namespace")
    return {name, column("Status", "string", "The status of the namespace"), age};
  if (r.kind == "ConfigMap")
    return {name, column("Data", "string", "Number of data entries"), age};
  if (r.kind == "Secret")
    return {name, column("Type", "string", "The type of the secret"), column("Data", "string", "Number of data entries"), age};
  if (r.kind == "Service")
    return {name, column("Type", "string", "The type of the service"), column("Cluster-IP", "string", "The cluster IP"),
            column("External-IP", "string", "The external IP"), column("Port(s)", "string", "The ports of the service"), age,
            column("Selector", "string", "The label selector of the service", 1)};
  if (r.kind == "Deployment")
    return {name, column("Ready", "string", "Number of the pod with ready state"),
            column("Up-to-date", "string", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
            column("Available", "string", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
            age, column("Containers", "string", "Names of each container in the template.", 1),
            column("Images", "string", "Images referenced by each container in the template.", 1),
            column("Selector", "string", "Label selector for pods.", 1)};
  if (r.kind == "ReplicaSet")
    return {name, column("Desired", "integer", "Number of desired pods."),
            column("Current", "integer", "Number of actual replicas."),
            column("Ready", "integer", "The number of ready replicas for this replica set."), age,
            column("Containers", "string", "Names of each container in the template.", 1),
            column("Images", "string", "Images referenced by each container in the template.", 1),
            column("Selector", "string", "Label selector for pods.", 1)};
  if (r.kind == "Pod")
    return {name, column("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
            column("Status", "string", "The aggregate status of the containers in this pod."),
            column("Restarts", "string", "The number of times the containers in this pod have been restarted."), age,
            column("IP", "string", "The IP address assigned to the pod", 1),
            column("Node", "string", "Name of the Node this pod is assigned to", 1),
            column("Nominated Node", "string", "Name of the node nominated by the scheduler", 1),
            column("Readiness Gates", "string", "The readiness gates of the pod", 1)};
  if (r.kind == "Ingress")
    return {name, column("Class", "string", "The name of the IngressClass resource that should be used for additional configuration"),
            column("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
            column("Address", "string", "Address is a list containing ingress points for the load-balancer"),
            column("Ports", "string", "Ports of TLS configurations that open"), age};
  if (r.kind == "Node")
    return {name, column("Status", "string", "The status of the node"), column("Roles", "string", "The roles of the node"), age,
            column("Version", "string", "Kubelet Version reported by the node."),
            column("Internal-IP", "string", "List of addresses reachable to the node.", 1),
            column("External-IP", "string", "List of addresses reachable to the node.", 1),
            column("OS-Image", "string", "OS Image reported by the node from /etc/os-release.", 1),
            column("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r'.", 1),
            column("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API.", 1)};
  if (r.kind == "PodDisruptionBudget")
    return {name, column("Min Available", "string", "The minimum number of pods that must be available simultaneously"),
            column("Max Unavailable", "string", "The maximum number of pods that may be unavailable simultaneously"),
            column("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time"), age};
  if (r.kind == "Event")
    return {column("Last Seen", "string", "The time at which the most recent occurrence of this event was recorded."),
            column("Type", "string", "Type of this event (Normal, Warning)."),
            column("Reason", "string", "The reason for the transition into the object's current status."),
            column("Object", "string", "The object that this event is about."),
            column("Subobject", "string", "The part of the object the event is about.", 1),
            column("Source", "string", "The component reporting this event.", 1),
            column("Message", "string", "A human-readable description of the status of this operation."),
            column("First Seen", "string", "The time at which the event was first recorded.", 1),
            column("Count", "string", "The number of times this event has occurred.", 1),
            column("Name", "string", name["description"], 1, "name")};
  if (r.kind == "ServiceAccount")
    return {name, column("Secrets", "string", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."), age};
  if (r.kind == "PersistentVolumeClaim")
    return {name, column("Status", "string", "phase represents the current phase of PersistentVolumeClaim."),
            column("Volume", "string", "volumeName is the binding reference to the PersistentVolume backing this claim."),
            column("Capacity", "string", "capacity represents the actual resources of the underlying volume."),
            column("Access Modes", "string", "accessModes contains the actual access modes the volume backing the PVC has."),
            column("StorageClass", "string", "StorageClass of the pvc"),
            column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"), age,
            column("VolumeMode", "string", "volumeMode defines what type of volume is required by the claim.", 1)};
  if (r.kind == "PersistentVolume")
    return {name, column("Capacity", "string", "capacity is the description of the persistent volume's resources and capacity."),
            column("Access Modes", "string", "accessModes contains all ways the volume can be mounted."),
            column("Reclaim Policy", "string", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
            column("Status", "string", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
            column("Claim", "string", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
            column("StorageClass", "string", "StorageClass of the pv"),
            column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv"),
            column("Reason", "string", "reason is a brief CamelCase string that describes any failure."), age,
            column("VolumeMode", "string", "volumeMode defines if a volume is intended to be used with a formatted filesystem.", 1)};
  if (r.kind == "StorageClass")
    return {name, column("Provisioner", "string", "provisioner indicates the type of the provisioner."),
            column("ReclaimPolicy", "string", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class."),
            column("VolumeBindingMode", "string", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound."),
            column("AllowVolumeExpansion", "string", "allowVolumeExpansion shows whether the storage class allow volume expand."), age};
  if (r.kind == "IngressClass")
    return {name, column("Controller", "string", "Controller that is responsible for handling this class"),
            column("Parameters", "string", "A reference to a resource with additional parameters"), age};
  if (r.kind == "HorizontalPodAutoscaler")
    return {name, column("Reference", "string", "scaleTargetRef points to the target resource to scale."),
            column("Targets", "string", "metrics contains the specifications for which to use to calculate the desired replica count."),
            column("MinPods", "string", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."),
            column("MaxPods", "string", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up."),
            column("Replicas", "string", "currentReplicas is current number of replicas of pods managed by this autoscaler."), age};
  return {name, age};
}

// An HPA's TARGETS cell as the API server's printer writes it: "cpu: 45%/60%", "<unknown>" for a
// current value not yet measured, at most two metrics then "+ N more...".
std::string hpa_targets(const json& spec, const json& status)
{
  const json specs = spec.value("metrics", json::array()), statuses = status.value("currentMetrics", json::array());
  if (specs.empty())
    return "<none>";
  std::vector<std::string> list;
  for (size_t i = 0; i < specs.size(); ++i) {
    const json& m = specs[i];
    const std::string type = m.value("type", "");
    const json st = i < statuses.size() ? statuses[i] : json::object();
    auto quantity = [](const json& q) { return q.is_string() ? q.get<std::string>() : q.dump(); };
    if (type == "Resource" || type == "ContainerResource") {
      const std::string source = type == "Resource" ? "resource" : "containerResource";
      const json src = m.value(source, json::object()), target = src.value("target", json::object());
      const json current = st.value(source, json::object()).value("current", json::object());
      const std::string res = src.value("name", "");
      if (target.contains("averageValue"))
        list.push_back(res + ": " + (current.contains("averageValue") ? quantity(current["averageValue"]) : "<unknown>") + "/" +
                       quantity(target["averageValue"]));
      else
        list.push_back(res + ": " +
                       (current.contains("averageUtilization") ? current["averageUtilization"].dump() + "%" : "<unknown>") + "/" +
                       (target.contains("averageUtilization") ? target["averageUtilization"].dump() + "%" : "<auto>"));
    } else if (type == "Pods" || type == "Object" || type == "External") {
      std::string source = type;
      source[0] = static_cast<char>(source[0] - 'A' + 'a');
      const json target = m.value(source, json::object()).value("target", json::object());
      const json current = st.value(source, json::object()).value("current", json::object());
      const bool avg = target.contains("averageValue");
      const char* key = avg ? "averageValue" : "value";
      list.push_back((current.contains(key) ? quantity(current[key]) : "<unknown>") + "/" + quantity(target.value(key, json(""))) +
                     (avg && type != "Pods" ? " (avg)" : ""));
    } else {
      list.push_back("<unknown type>");
    }
  }
  std::string out;
  for (size_t i = 0; i < list.size() && i < 2; ++i)
    out += (i ? ", " : "") + list[i];
  if (list.size() > 2)
    out += " + " + std::to_string(list.size() - 2) + " more...";
  return out;
}

// Access modes as kubectl abbreviates them, in the API server's order: "RWO,ROX,RWX,RWOP".
std::string access_modes(const json& modes)
{
  std::vector<std::string> out;
  const std::pair<const char*, const char*> names[] = {
      {"ReadWriteOnce", "RWO"}, {"ReadOnlyMany", "ROX"}, {"ReadWriteMany", "RWX"}, {"ReadWriteOncePod", "RWOP"}};
  for (const auto& [mode, abbr] : names)
    if (std::find(modes.begin(), modes.end(), json(mode)) != modes.end())
      out.push_back(abbr);
  std::string s;
  for (size_t i = 0; i < out.size(); ++i)
    s += (i ? "," : "") + out[i];
  return s;
}

json cells(const Resource& r, const json& o, double now_epoch_s)
{
  const json meta = o.value("metadata", json::object());
  const double created = parse_rfc3339(meta.value("creationTimestamp", ""));
  const std::string age = created < 0 ? "<unknown>" : human_duration(now_epoch_s - created);
  const std::string name = meta.value("name", "");
  if (r.kind == "Namespace")
    return {name, o.value("status", json::object()).value("phase", "Active"), age};
  if (r.kind == "ConfigMap")
    return {name, o.value("data", json::object()).size() + o.value("binaryData", json::object()).size(), age};
  if (r.kind == "Secret")
    return {name, o.value("type", "Opaque"), o.value("data", json::object()).size(), age};
  if (r.kind == "Service") {
    const json spec = o.value("spec", json::object());
    std::vector<std::string> ports;
    for (const auto& p : spec.value("ports", json::array())) {
      std::string s = std::to_string(p.value("port", 0));
      if (p.contains("nodePort"))
        s += ":" + std::to_string(p.value("nodePort", 0));
      ports.push_back(s + "/" + p.value("protocol", "TCP"));
    }
    const std::string type = spec.value("type", "ClusterIP");
    std::string external = "<none>";
    if (type == "LoadBalancer")
      external = "<pending>";
    if (type == "ExternalName")
      external = spec.value("externalName", "<none>");
    return {name, type, spec.value("clusterIP", "None"), external, join(ports, ","), age,
            selector_text(spec.value("selector", json::object()))};
  }
  if (r.kind == "Deployment") {
    const json spec = o.value("spec", json::object()), st = o.value("status", json::object());
    std::vector<std::string> cnames, images;
    for (const auto& c : spec.value("template", json::object()).value("spec", json::object()).value("containers", json::array())) {
      cnames.push_back(c.value("name", ""));
      images.push_back(c.value("image", ""));
    }
    return {name, std::to_string(st.value("readyReplicas", 0)) + "/" + std::to_string(spec.value("replicas", 1)),
            st.value("updatedReplicas", 0), st.value("availableReplicas", 0), age, join(cnames, ","), join(images, ","),
            selector_text(spec.value("selector", json::object()).value("matchLabels", json::object()))};
  }
  if (r.kind == "ReplicaSet") {
    const json spec = o.value("spec", json::object()), st = o.value("status", json::object());
    std::vector<std::string> cnames, images;
    for (const auto& c : spec.value("template", json::object()).value("spec", json::object()).value("containers", json::array())) {
      cnames.push_back(c.value("name", ""));
      images.push_back(c.value("image", ""));
    }
    return {name, spec.value("replicas", 1), st.value("replicas", 0), st.value("readyReplicas", 0), age, join(cnames, ","),
            join(images, ","), selector_text(spec.value("selector", json::object()).value("matchLabels", json::object()))};
  }
  if (r.kind == "Pod") {
    const json st = o.value("status", json::object());
    const json statuses = st.value("containerStatuses", json::array());
    int ready = 0, restarts = 0;
    std::string reason = st.value("phase", "Pending");
    for (const auto& c : statuses) {
      ready += c.value("ready", false);
      restarts += c.value("restartCount", 0);
      if (c.contains("state") && c["state"].contains("waiting"))
        reason = c["state"]["waiting"].value("reason", reason);
    }
    const size_t total = o.value("spec", json::object()).value("containers", json::array()).size();
    const std::string node = o.value("spec", json::object()).value("nodeName", "");
    return {name, std::to_string(ready) + "/" + std::to_string(total), reason, restarts, age, st.value("podIP", "<none>"),
            node.empty() ? "<none>" : node, "<none>", "<none>"};
  }
  if (r.kind == "Ingress") {
    const json spec = o.value("spec", json::object());
    const json rules = spec.value("rules", json::array());
    std::vector<std::string> hosts;  // the first three, then "+ N more..."
    for (const auto& rule : rules)
      if (hosts.size() < 3 && !rule.value("host", "").empty())
        hosts.push_back(rule.value("host", ""));
    std::string host_cell = hosts.empty() ? "*" : join(hosts, ",");
    if (rules.size() > 3 && hosts.size() == 3)
      host_cell += " + " + std::to_string(rules.size() - 3) + " more...";
    std::vector<std::string> addresses;
    for (const auto& lb : o.value("status", json::object()).value("loadBalancer", json::object()).value("ingress", json::array()))
      addresses.push_back(lb.value("ip", lb.value("hostname", "")));
    return {name, spec.value("ingressClassName", "<none>"), host_cell, addresses.empty() ? "" : join(addresses, ","),
            spec.value("tls", json::array()).empty() ? "80" : "80, 443", age};
  }
  if (r.kind == "Node") {
    const json st = o.value("status", json::object()), info = st.value("nodeInfo", json::object());
    std::string status = "Unknown";
    for (const auto& c : st.value("conditions", json::array()))
      if (c.value("type", "") == "Ready")
        status = c.value("status", "") == "True" ? "Ready" : "NotReady";
    if (o.value("spec", json::object()).value("unschedulable", false))
      status += ",SchedulingDisabled";
    std::vector<std::string> roles;  // node-role.kubernetes.io/<role> labels
    const json labels = o.value("metadata", json::object()).value("labels", json::object());
    for (const auto& [k, v] : labels.items())
      if (k.rfind("node-role.kubernetes.io/", 0) == 0)
        roles.push_back(k.substr(std::string("node-role.kubernetes.io/").size()));
    std::string internal = "<none>", external = "<none>";
    for (const auto& a : st.value("addresses", json::array())) {
      if (a.value("type", "") == "InternalIP" && internal == "<none>")
        internal = a.value("address", "");
      if (a.value("type", "") == "ExternalIP" && external == "<none>")
        external = a.value("address", "");
    }
    return {name, status, join(roles, ","), age, info.value("kubeletVersion", ""), internal, external,
            info.value("osImage", "<unknown>"), info.value("kernelVersion", "<unknown>"), info.value("containerRuntimeVersion", "<unknown>")};
  }
  if (r.kind == "PodDisruptionBudget") {
    const json spec = o.value("spec", json::object());
    auto intstr = [&](const char* f) { return !spec.contains(f) ? std::string("N/A") : spec[f].is_string() ? spec[f].get<std::string>() : spec[f].dump(); };
    return {name, intstr("minAvailable"), intstr("maxUnavailable"), o.value("status", json::object()).value("disruptionsAllowed", 0), age};
  }
  if (r.kind == "Event") {
    const json inv = o.value("involvedObject", json::object()), src = o.value("source", json::object());
    auto seen = [&](const char* field) {
      const double t = parse_rfc3339(o.value(field, ""));
      return t < 0 ? std::string("<unknown>") : human_duration(now_epoch_s - t);
    };
    std::string kind = inv.value("kind", "");
    std::transform(kind.begin(), kind.end(), kind.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string source = src.value("component", "");
    if (!src.value("host", "").empty())
      source += ", " + src.value("host", "");
    return {seen("lastTimestamp"), o.value("type", "Normal"), o.value("reason", ""), kind + "/" + inv.value("name", ""),
            inv.value("fieldPath", ""), source, o.value("message", ""), seen("firstTimestamp"), std::to_string(o.value("count", 1)), name};
  }
  if (r.kind == "ServiceAccount")
    return {name, o.value("secrets", json::array()).size(), age};
  if (r.kind == "PersistentVolumeClaim") {
    const json spec = o.value("spec", json::object()), st = o.value("status", json::object());
    const std::string volume = spec.value("volumeName", "");
    const json capacity = st.value("capacity", json::object()).value("storage", json(""));
    return {name, st.value("phase", "Pending"), volume, volume.empty() ? "" : capacity.is_string() ? capacity.get<std::string>() : capacity.dump(),
            volume.empty() ? "" : access_modes(st.value("accessModes", json::array())), spec.value("storageClassName", "<unset>"),
            spec.value("volumeAttributesClassName", "<unset>"), age, spec.value("volumeMode", "<unset>")};
  }
  if (r.kind == "PersistentVolume") {
    const json spec = o.value("spec", json::object()), st = o.value("status", json::object());
    const json ref = spec.value("claimRef", json::object());
    const json capacity = spec.value("capacity", json::object()).value("storage", json(""));
    return {name, capacity.is_string() ? capacity.get<std::string>() : capacity.dump(), access_modes(spec.value("accessModes", json::array())),
            spec.value("persistentVolumeReclaimPolicy", ""), st.value("phase", ""),
            ref.empty() ? "" : ref.value("namespace", "") + "/" + ref.value("name", ""), spec.value("storageClassName", ""),
            spec.value("volumeAttributesClassName", "<unset>"), st.value("reason", ""), age, spec.value("volumeMode", "<unset>")};
  }
  if (r.kind == "StorageClass") {
    const json ann = o.value("metadata", json::object()).value("annotations", json::object());
    const bool is_default = ann.value("storageclass.kubernetes.io/is-default-class", "") == "true" ||
                            ann.value("storageclass.beta.kubernetes.io/is-default-class", "") == "true";
    return {name + (is_default ? " (default)" : ""), o.value("provisioner", ""), o.value("reclaimPolicy", "Delete"),
            o.value("volumeBindingMode", "Immediate"), o.value("allowVolumeExpansion", false), age};
  }
  if (r.kind == "IngressClass") {
    const json spec = o.value("spec", json::object());
    std::string params = "<none>";
    if (spec.contains("parameters") && spec["parameters"].is_object()) {
      const json p = spec["parameters"];
      params = p.value("kind", "") + "/" + p.value("name", "");
      if (!p.value("apiGroup", "").empty())
        params = p.value("kind", "") + "." + p.value("apiGroup", "") + "/" + p.value("name", "");
    }
    return {name, spec.value("controller", ""), params, age};
  }
  if (r.kind == "HorizontalPodAutoscaler") {
    const json h = hpa_as_v2(o);
    const json spec = h.value("spec", json::object()), st = h.value("status", json::object());
    const json ref = spec.value("scaleTargetRef", json::object());
    return {name, ref.value("kind", "") + "/" + ref.value("name", ""), hpa_targets(spec, st),
            spec.contains("minReplicas") ? spec["minReplicas"].dump() : "<unset>", spec.value("maxReplicas", 0),
            st.value("currentReplicas", 0), age};
  }
  return {name, age};
}

}  // namespace

json table_json(const Resource& r, const std::vector<json>& objects, double now_epoch_s, const std::string& include_object,
                const std::string& resource_version)
{
  json rows = json::array();
  for (const auto& o : objects) {
    json row = {{"cells", cells(r, o, now_epoch_s)}};
    if (include_object == "Object")
      row["object"] = o;
    else if (include_object != "None")
      row["object"] = {{"kind", "PartialObjectMetadata"}, {"apiVersion", "meta.k8s.io/v1"},
                       {"metadata", o.value("metadata", json::object())}};
    rows.push_back(row);
  }
  return {{"kind", "Table"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", {{"resourceVersion", resource_version}}},
          {"columnDefinitions", columns(r)}, {"rows", rows}};
}

std::string human_duration(double seconds)
{
  char buf[32];
  const long s = static_cast<long>(seconds);
  if (s < -1)
    return "<invalid>";
  if (s < 0)
    return "0s";
  if (s < 60 * 2) {
    std::snprintf(buf, sizeof buf, "%lds", s);
    return buf;
  }
  const long m = s / 60;
  if (m < 10) {
    if (s % 60 == 0)
      std::snprintf(buf, sizeof buf, "%ldm", m);
    else
      std::snprintf(buf, sizeof buf, "%ldm%lds", m, s % 60);
    return buf;
  }
  if (m < 60 * 3) {
    std::snprintf(buf, sizeof buf, "%ldm", m);
    return buf;
  }
  const long h = s / 3600;
  if (h < 8) {
    if (m % 60 == 0)
      std::snprintf(buf, sizeof buf, "%ldh", h);
    else
      std::snprintf(buf, sizeof buf, "%ldh%ldm", h, m % 60);
    return buf;
  }
  if (h < 48) {
    std::snprintf(buf, sizeof buf, "%ldh", h);
    return buf;
  }
  if (h < 24 * 8) {
    if (h % 24 == 0)
      std::snprintf(buf, sizeof buf, "%ldd", h / 24);
    else
      std::snprintf(buf, sizeof buf, "%ldd%ldh", h / 24, h % 24);
    return buf;
  }
  if (h < 24 * 365 * 2) {
    std::snprintf(buf, sizeof buf, "%ldd", h / 24);
    return buf;
  }
  if (h < 24 * 365 * 8) {
    std::snprintf(buf, sizeof buf, "%ldy%ldd", h / 24 / 365, (h / 24) % 365);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%ldy", h / 24 / 365);
  return buf;
}

double parse_rfc3339(const std::string& s)
{
  std::tm tm{};
  if (s.size() < 19 || !strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm))
    return -1;
  return static_cast<double>(timegm(&tm));
}

}  // namespace migsim::harness::k8s
