#include "harness/k8s/objects.hpp"
#include "harness/k8s/quantity.hpp"

#include <algorithm>
#include <cctype>
#include <regex>
#include <sstream>

namespace migsim::harness::k8s {

namespace {

std::string base64(const std::string& in)
{
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0, bits = -6;
  for (unsigned char c : in) {
    val = (val << 8) + c;
    bits += 8;
    while (bits >= 0) {
      out.push_back(t[(val >> bits) & 0x3F]);
      bits -= 6;
    }
  }
  if (bits > -6)
    out.push_back(t[((val << 8) >> (bits + 8)) & 0x3F]);
  while (out.size() % 4)
    out.push_back('=');
  return out;
}

void set_default(json& obj, const std::string& key, const json& value)
{
  if (!obj.contains(key) || obj[key].is_null())
    obj[key] = value;
}

std::string image_pull_policy(const std::string& image)
{
  const auto slash = image.rfind('/');
  const std::string last = slash == std::string::npos ? image : image.substr(slash + 1);
  if (last.find('@') != std::string::npos)
    return "IfNotPresent";
  const auto colon = last.find(':');
  return colon == std::string::npos || last.substr(colon + 1) == "latest" ? "Always" : "IfNotPresent";
}

void default_pod_spec(json& spec)
{
  set_default(spec, "restartPolicy", "Always");
  set_default(spec, "terminationGracePeriodSeconds", 30);
  set_default(spec, "dnsPolicy", "ClusterFirst");
  set_default(spec, "securityContext", json::object());
  set_default(spec, "schedulerName", "default-scheduler");
  for (const char* list : {"containers", "initContainers"})
    if (spec.contains(list) && spec[list].is_array())
      for (auto& c : spec[list]) {
        if (!c.is_object())
          continue;
        set_default(c, "terminationMessagePath", "/dev/termination-log");
        set_default(c, "terminationMessagePolicy", "File");
        set_default(c, "imagePullPolicy", image_pull_policy(c.value("image", "")));
        set_default(c, "resources", json::object());
        if (c.contains("ports") && c["ports"].is_array())
          for (auto& p : c["ports"])
            if (p.is_object())
              set_default(p, "protocol", "TCP");
      }
}

bool dns_subdomain(const std::string& s)
{
  static const std::regex re("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  return !s.empty() && s.size() <= 253 && std::regex_match(s, re);
}

bool dns_label(const std::string& s)
{
  static const std::regex re("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  return !s.empty() && s.size() <= 63 && std::regex_match(s, re);
}

// A value as the API server's messages print it (Go syntax: "x", 3, map[string]string{"app":"web"}).
std::string shown(const json& v)
{
  if (v.is_string())
    return "\"" + v.get<std::string>() + "\"";
  if (v.is_object()) {
    std::string out = "map[string]string{";
    bool first = true;
    for (const auto& [k, x] : v.items()) {
      out += (first ? "" : ", ") + json(k).dump() + ":" + (x.is_string() ? json(x).dump() : "\"" + x.dump() + "\"");
      first = false;
    }
    return out + "}";
  }
  return v.dump();
}

std::string trim(const std::string& s)
{
  const auto b = s.find_first_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, s.find_last_not_of(' ') - b + 1);
}

// Splits a selector on commas outside parentheses.
std::vector<std::string> requirements(const std::string& sel)
{
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (char c : sel) {
    if (c == '(')
      ++depth;
    if (c == ')')
      --depth;
    if (c == ',' && depth == 0) {
      out.push_back(trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!trim(cur).empty())
    out.push_back(trim(cur));
  return out;
}

// An HPA's scaling rules with the API server's defaults filled in where unset (scale up: no
// stabilization, the larger of 4 pods or 100 % per 15 s; scale down: a 300 s window, 100 % per 15 s).
void default_scaling_rules(json& rules, bool up)
{
  if (!rules.is_object())
    rules = json::object();
  set_default(rules, "stabilizationWindowSeconds", up ? 0 : 300);
  set_default(rules, "selectPolicy", "Max");
  if (!rules.contains("policies") || rules["policies"].is_null() || rules["policies"].empty())
    rules["policies"] = up ? json::array({{{"type", "Pods"}, {"value", 4}, {"periodSeconds", 15}},
                                          {{"type", "Percent"}, {"value", 100}, {"periodSeconds", 15}}})
                           : json::array({{{"type", "Percent"}, {"value", 100}, {"periodSeconds", 15}}});
}

void validate_ingress_backend(const json& backend, const std::string& at, std::vector<Cause>& causes)
{
  const bool service = backend.contains("service") && backend["service"].is_object();
  const bool resource = backend.contains("resource") && backend["resource"].is_object();
  auto invalid_here = [&](const std::string& why) { causes.push_back({"FieldValueInvalid", "Invalid value: \"\": " + why, at}); };
  if (service && resource)
    return invalid_here("cannot set both resource and service backends");
  if (!service && !resource)
    return invalid_here("resource or service backend is required");
  if (!service)
    return;
  const json svc = backend["service"], port = svc.value("port", json::object());
  if (svc.value("name", "").empty())
    causes.push_back({"FieldValueRequired", "Required value", at + ".service.name"});
  const bool named = !port.value("name", "").empty(), numbered = port.value("number", 0) != 0;
  if (named && numbered)
    invalid_here("cannot set both port name & port number");
  else if (!named && !numbered)
    causes.push_back({"FieldValueRequired", "Required value: port name or number is required", at + ".service.port"});
  else if (numbered && (port.value("number", 0) < 1 || port.value("number", 0) > 65535))
    causes.push_back({"FieldValueInvalid", "Invalid value: " + port["number"].dump() + ": must be between 1 and 65535, inclusive",
                      at + ".service.port.number"});
}

// An Ingress as the API server validates it. A backend naming a Service that does not exist is
// valid: the Service may come later, and the controller reports it.
void validate_ingress(const json& obj, std::vector<Cause>& causes)
{
  const json spec = obj.value("spec", json::object());
  const json rules = spec.value("rules", json::array());
  if (rules.empty() && !spec.contains("defaultBackend"))
    causes.push_back({"FieldValueInvalid", "Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified", "spec"});
  if (spec.contains("defaultBackend"))
    validate_ingress_backend(spec["defaultBackend"], "spec.defaultBackend", causes);
  for (size_t i = 0; i < rules.size(); ++i) {
    const std::string at = "spec.rules[" + std::to_string(i) + "]";
    const std::string host = rules[i].value("host", "");
    if (!host.empty() && !dns_subdomain(host.rfind("*.", 0) == 0 ? host.substr(2) : host))
      causes.push_back({"FieldValueInvalid",
                        "Invalid value: " + shown(host) +
                            ": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                            "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                            "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                        at + ".host"});
    if (!rules[i].contains("http"))
      continue;
    const json paths = rules[i]["http"].value("paths", json::array());
    if (paths.empty())
      causes.push_back({"FieldValueRequired", "Required value", at + ".http.paths"});
    for (size_t j = 0; j < paths.size(); ++j) {
      const std::string pat = at + ".http.paths[" + std::to_string(j) + "]";
      const std::string type = paths[j].value("pathType", ""), path = paths[j].value("path", "");
      if (type.empty())
        causes.push_back({"FieldValueRequired", "Required value: pathType must be specified", pat + ".pathType"});
      else if (type != "Exact" && type != "Prefix" && type != "ImplementationSpecific")
        causes.push_back({"FieldValueNotSupported",
                          "Unsupported value: " + shown(type) + ": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"",
                          pat + ".pathType"});
      else if (type != "ImplementationSpecific" && (path.empty() || path[0] != '/'))
        causes.push_back({"FieldValueInvalid", "Invalid value: " + shown(path) + ": must be an absolute path", pat + ".path"});
      validate_ingress_backend(paths[j].value("backend", json::object()), pat + ".backend", causes);
    }
  }
}

// A volume's or a claim's access modes (`at` is spec.accessModes).
void validate_access_modes(const json& modes, const std::string& at, std::vector<Cause>& causes)
{
  if (!modes.is_array() || modes.empty())
    causes.push_back({"FieldValueRequired", "Required value: at least 1 access mode is required", at});
  for (const auto& m : modes.is_array() ? modes : json::array()) {
    const std::string mode = m.is_string() ? m.get<std::string>() : m.dump();
    if (mode != "ReadWriteOnce" && mode != "ReadOnlyMany" && mode != "ReadWriteMany" && mode != "ReadWriteOncePod")
      causes.push_back({"FieldValueNotSupported",
                        "Unsupported value: " + shown(mode) +
                            ": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"",
                        at});
  }
}

void validate_hpa(const json& obj, std::vector<Cause>& causes)
{
  auto need = [&](const std::string& field, const std::string& detail = "") {
    causes.push_back({"FieldValueRequired", "Required value" + (detail.empty() ? "" : ": " + detail), field});
  };
  auto bad = [&](const std::string& field, const json& value, const std::string& why) {
    causes.push_back({"FieldValueInvalid", "Invalid value: " + shown(value) + ": " + why, field});
  };
  const json spec = obj.value("spec", json::object());
  const json ref = spec.value("scaleTargetRef", json::object());
  if (ref.value("kind", "").empty())
    need("spec.scaleTargetRef.kind");
  if (ref.value("name", "").empty())
    need("spec.scaleTargetRef.name");
  const int min = spec.value("minReplicas", 1), max = spec.value("maxReplicas", 0);
  if (min < 1)
    bad("spec.minReplicas", min, "must be greater than or equal to 1");
  if (max < 1)
    bad("spec.maxReplicas", max, "must be greater than 0");
  else if (max < min)
    bad("spec.maxReplicas", max, "must be greater than or equal to `minReplicas`");
  const json metrics = spec.value("metrics", json::array());
  for (size_t i = 0; i < metrics.size(); ++i) {
    const std::string at = "spec.metrics[" + std::to_string(i) + "]";
    const std::string type = metrics[i].value("type", "");
    static const std::vector<std::string> types = {"ContainerResource", "External", "Object", "Pods", "Resource"};
    if (type.empty()) {
      need(at + ".type", "must specify a metric source type");
      continue;
    }
    if (std::find(types.begin(), types.end(), type) == types.end()) {
      causes.push_back({"FieldValueNotSupported",
                        "Unsupported value: " + shown(type) +
                            ": supported values: \"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\"",
                        at + ".type"});
      continue;
    }
    std::string source = type;
    source[0] = static_cast<char>(std::tolower(source[0]));
    if (!metrics[i].contains(source) || !metrics[i][source].is_object()) {
      need(at + "." + source, "must populate information for the given metric source");
      continue;
    }
    if (type != "Resource")
      continue;
    const json target = metrics[i]["resource"].value("target", json::object());
    const std::string target_type = target.value("type", "");
    if (metrics[i]["resource"].value("name", "").empty())
      need(at + ".resource.name", "must specify a resource name");
    if (target_type != "Utilization" && target_type != "Value" && target_type != "AverageValue")
      causes.push_back({"FieldValueNotSupported",
                        "Unsupported value: " + shown(target_type) + ": supported values: \"Utilization\", \"Value\", \"AverageValue\"",
                        at + ".resource.target.type"});
    else if (target_type == "Utilization" && !target.contains("averageUtilization"))
      need(at + ".resource.target.averageUtilization", "must set either a target raw value or a target utilization");
    else if (target.contains("averageUtilization") && target.value("averageUtilization", 0) < 1)
      bad(at + ".resource.target.averageUtilization", target["averageUtilization"], "must be greater than 0");
  }
}

}  // namespace

void apply_defaults(const Resource& r, json& obj, int& next_ip)
{
  json& meta = obj["metadata"];
  if (r.kind == "Deployment") {
    json& spec = obj["spec"];
    set_default(spec, "replicas", 1);
    set_default(spec, "revisionHistoryLimit", 10);
    set_default(spec, "progressDeadlineSeconds", 600);
    set_default(spec, "strategy", json{{"type", "RollingUpdate"}});
    if (spec["strategy"].value("type", "RollingUpdate") == "RollingUpdate") {
      spec["strategy"]["type"] = "RollingUpdate";
      set_default(spec["strategy"], "rollingUpdate", json::object());
      set_default(spec["strategy"]["rollingUpdate"], "maxSurge", "25%");
      set_default(spec["strategy"]["rollingUpdate"], "maxUnavailable", "25%");
    }
    if (spec.contains("template") && spec["template"].is_object()) {
      set_default(spec["template"], "metadata", json::object());
      set_default(spec["template"]["metadata"], "creationTimestamp", nullptr);
      if (spec["template"].contains("spec") && spec["template"]["spec"].is_object())
        default_pod_spec(spec["template"]["spec"]);
    }
  } else if (r.kind == "Pod" || r.kind == "ReplicaSet") {
    json& spec = obj["spec"];
    if (r.kind == "Pod")
      default_pod_spec(spec);
    else if (spec.contains("template") && spec["template"].is_object() && spec["template"].contains("spec"))
      default_pod_spec(spec["template"]["spec"]);
  } else if (r.kind == "Service") {
    json& spec = obj["spec"];
    set_default(spec, "type", "ClusterIP");
    set_default(spec, "sessionAffinity", "None");
    if (spec.value("type", "") != "ExternalName") {
      if (!spec.contains("clusterIP") || spec["clusterIP"].is_null() || spec["clusterIP"] == "") {
        const int n = next_ip++;
        spec["clusterIP"] = "10.100." + std::to_string(n / 250) + "." + std::to_string(10 + n % 240);
      }
      set_default(spec, "clusterIPs", json::array({spec["clusterIP"]}));
      set_default(spec, "ipFamilies", json::array({"IPv4"}));
      set_default(spec, "ipFamilyPolicy", "SingleStack");
      set_default(spec, "internalTrafficPolicy", "Cluster");
    }
    if (spec.contains("ports") && spec["ports"].is_array())
      for (auto& p : spec["ports"])
        if (p.is_object()) {
          set_default(p, "protocol", "TCP");
          if (p.contains("port"))
            set_default(p, "targetPort", p["port"]);
        }
    set_default(obj, "status", json{{"loadBalancer", json::object()}});
  } else if (r.kind == "Secret") {
    set_default(obj, "type", "Opaque");
    if (obj.contains("stringData") && obj["stringData"].is_object()) {
      for (const auto& [k, v] : obj["stringData"].items())
        if (v.is_string())
          obj["data"][k] = base64(v.get<std::string>());
      obj.erase("stringData");
    }
  } else if (r.kind == "Ingress") {
    set_default(obj, "status", json{{"loadBalancer", json::object()}});
  } else if (r.kind == "PodDisruptionBudget") {
    set_default(obj, "status", json{{"currentHealthy", 0}, {"desiredHealthy", 0}, {"disruptionsAllowed", 0}, {"expectedPods", 0}});
  } else if (r.kind == "PersistentVolumeClaim") {
    set_default(obj["spec"], "volumeMode", "Filesystem");
    set_default(obj, "status", json{{"phase", "Pending"}});
  } else if (r.kind == "PersistentVolume") {
    set_default(obj["spec"], "volumeMode", "Filesystem");
    set_default(obj["spec"], "persistentVolumeReclaimPolicy", "Retain");
    set_default(obj, "status", json{{"phase", obj["spec"].contains("claimRef") ? "Bound" : "Available"}});
  } else if (r.kind == "StorageClass") {
    set_default(obj, "reclaimPolicy", "Delete");
    set_default(obj, "volumeBindingMode", "Immediate");
  } else if (r.kind == "HorizontalPodAutoscaler") {
    json& spec = obj["spec"];
    set_default(spec, "minReplicas", 1);
    if (!spec.contains("metrics") || spec["metrics"].is_null() || spec["metrics"].empty())
      spec["metrics"] = json::array({{{"type", "Resource"},
                                      {"resource", {{"name", "cpu"}, {"target", {{"type", "Utilization"}, {"averageUtilization", 80}}}}}}});
    if (spec.contains("behavior") && spec["behavior"].is_object()) {  // only a behavior given is filled in
      default_scaling_rules(spec["behavior"]["scaleUp"], true);
      default_scaling_rules(spec["behavior"]["scaleDown"], false);
    }
  } else if (r.kind == "Namespace") {
    meta["labels"]["kubernetes.io/metadata.name"] = meta.value("name", "");
    obj["spec"] = json{{"finalizers", {"kubernetes"}}};
    obj["status"] = json{{"phase", "Active"}};
  }
}

std::vector<Cause> validate(const Resource& r, const json& obj)
{
  std::vector<Cause> causes;
  auto need = [&](const std::string& field) { causes.push_back({"FieldValueRequired", "Required value", field}); };
  auto bad = [&](const std::string& field, const json& value, const std::string& why) {
    causes.push_back({"FieldValueInvalid", "Invalid value: " + shown(value) + ": " + why, field});
  };
  const json meta = obj.value("metadata", json::object());
  const std::string name = meta.value("name", "");
  if (name.empty())
    need("metadata.name");
  else if (r.kind == "Namespace" || r.kind == "Service" ? !dns_label(name) : !dns_subdomain(name))
    bad("metadata.name", name,
        r.kind == "Namespace" || r.kind == "Service"
            ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
              "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
              "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
            : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
              "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
              "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  if (r.kind == "Deployment") {
    const json spec = obj.value("spec", json::object());
    if (spec.value("replicas", 0) < 0)
      bad("spec.replicas", spec["replicas"], "must be greater than or equal to 0");
    const json sel = spec.value("selector", json());
    const json labels = spec.value("template", json::object()).value("metadata", json::object()).value("labels", json::object());
    if (!sel.is_object() || (sel.value("matchLabels", json::object()).empty() && sel.value("matchExpressions", json::array()).empty()))
      need("spec.selector");
    else if (!selector_matches(sel, labels))
      bad("spec.template.metadata.labels", labels, "`selector` does not match template `labels`");
    const json containers = spec.value("template", json::object()).value("spec", json::object()).value("containers", json::array());
    if (containers.empty())
      need("spec.template.spec.containers");
    std::vector<std::string> seen;
    for (size_t i = 0; i < containers.size(); ++i) {
      const std::string at = "spec.template.spec.containers[" + std::to_string(i) + "]";
      const std::string cname = containers[i].value("name", "");
      if (cname.empty())
        need(at + ".name");
      else if (std::find(seen.begin(), seen.end(), cname) != seen.end())
        causes.push_back({"FieldValueDuplicate", "Duplicate value: " + shown(cname), at + ".name"});
      seen.push_back(cname);
      if (containers[i].value("image", "").empty())
        need(at + ".image");
      // Resource quantities, and no request above its limit (the API server's resource checks).
      const json res = containers[i].value("resources", json::object());
      for (const char* side : {"requests", "limits"}) {
        const json quantities = res.value(side, json::object());
        for (const auto& [resource, q] : quantities.items())
          if (!quantity_value(q))
            bad(at + ".resources." + side + "[" + resource + "]", q,
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
      }
      const json requests = res.value("requests", json::object()), limits = res.value("limits", json::object());
      for (const auto& [resource, q] : requests.items()) {
        const auto request = quantity_value(q);
        const auto limit = limits.contains(resource) ? quantity_value(limits[resource]) : std::nullopt;
        if (request && limit && *request > *limit)
          bad(at + ".resources.requests[" + resource + "]", q,
              "must be less than or equal to " + resource + " limit of " + (limits[resource].is_string() ? limits[resource].get<std::string>() : limits[resource].dump()));
      }
    }
  } else if (r.kind == "Service") {
    const json spec = obj.value("spec", json::object());
    const std::string type = spec.value("type", "ClusterIP");
    if (type != "ClusterIP" && type != "NodePort" && type != "LoadBalancer" && type != "ExternalName")
      causes.push_back({"FieldValueNotSupported",
                        "Unsupported value: " + shown(type) +
                            ": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
                        "spec.type"});
    const json ports = spec.value("ports", json::array());
    if (ports.empty() && type != "ExternalName" && spec.value("clusterIP", "") != "None")
      need("spec.ports");
    for (size_t i = 0; i < ports.size(); ++i) {
      const int port = ports[i].value("port", 0);
      if (port < 1 || port > 65535)
        bad("spec.ports[" + std::to_string(i) + "].port", ports[i].value("port", json(0)),
            "must be between 1 and 65535, inclusive");
    }
  } else if (r.kind == "HorizontalPodAutoscaler") {
    validate_hpa(obj, causes);
  } else if (r.kind == "Ingress") {
    validate_ingress(obj, causes);
  } else if (r.kind == "PersistentVolumeClaim") {
    const json spec = obj.value("spec", json::object());
    validate_access_modes(spec.value("accessModes", json::array()), "spec.accessModes", causes);
    if (!spec.value("resources", json::object()).value("requests", json::object()).contains("storage"))
      need("spec.resources[storage]");
  } else if (r.kind == "PersistentVolume") {
    const json spec = obj.value("spec", json::object());
    validate_access_modes(spec.value("accessModes", json::array()), "spec.accessModes", causes);
    if (!spec.value("capacity", json::object()).contains("storage"))
      need("spec.capacity");
    const std::string policy = spec.value("persistentVolumeReclaimPolicy", "Retain");
    if (policy != "Retain" && policy != "Delete" && policy != "Recycle")
      causes.push_back({"FieldValueNotSupported",
                        "Unsupported value: " + shown(policy) + ": supported values: \"Delete\", \"Recycle\", \"Retain\"",
                        "spec.persistentVolumeReclaimPolicy"});
  } else if (r.kind == "StorageClass") {
    if (obj.value("provisioner", "").empty())
      need("provisioner");
    const std::string policy = obj.value("reclaimPolicy", "Delete"), binding = obj.value("volumeBindingMode", "Immediate");
    if (policy != "Delete" && policy != "Retain")
      causes.push_back({"FieldValueNotSupported", "Unsupported value: " + shown(policy) + ": supported values: \"Delete\", \"Retain\"",
                        "reclaimPolicy"});
    if (binding != "Immediate" && binding != "WaitForFirstConsumer")
      causes.push_back({"FieldValueNotSupported",
                        "Unsupported value: " + shown(binding) + ": supported values: \"Immediate\", \"WaitForFirstConsumer\"",
                        "volumeBindingMode"});
  } else if (r.kind == "PodDisruptionBudget") {
    const json spec = obj.value("spec", json::object());
    if (spec.contains("minAvailable") && spec.contains("maxUnavailable"))
      causes.push_back({"FieldValueInvalid",
                        "Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable: " + shown(spec["minAvailable"]) +
                            ", MaxUnavailable: " + shown(spec["maxUnavailable"]) + "}: minAvailable and maxUnavailable cannot be both set",
                        "spec"});
    for (const char* f : {"minAvailable", "maxUnavailable"}) {
      if (!spec.contains(f))
        continue;
      const json v = spec[f];
      const std::string at = std::string("spec.") + f;
      if (v.is_number_integer() && v.get<int>() < 0)
        bad(at, v, "must be greater than or equal to 0");
      else if (v.is_string()) {
        static const std::regex percent("[0-9]+%");
        const std::string s = v.get<std::string>();
        if (!std::regex_match(s, percent))
          bad(at, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for "
                     "validation is '[0-9]+%')");
        else if (std::stoi(s) > 100)
          bad(at, v, "must not be greater than 100%");
      }
    }
    const std::string policy = spec.value("unhealthyPodEvictionPolicy", "IfHealthyBudget");
    if (policy != "IfHealthyBudget" && policy != "AlwaysAllow")
      causes.push_back({"FieldValueNotSupported",
                        "Unsupported value: " + shown(policy) + ": supported values: \"AlwaysAllow\", \"IfHealthyBudget\"",
                        "spec.unhealthyPodEvictionPolicy"});
  } else if (r.kind == "IngressClass") {
    if (obj.value("spec", json::object()).value("controller", "").empty())
      causes.push_back({"FieldValueRequired", "Required value", "spec.controller"});
  } else if (r.kind == "ConfigMap" || r.kind == "Secret") {
    static const std::regex key_re("[-._a-zA-Z0-9]+");
    for (const char* field : {"data", "binaryData"})
      for (const json entries = obj.value(field, json::object()); const auto& [k, v] : entries.items())
        if (!std::regex_match(k, key_re))
          bad(std::string(field) + "[" + k + "]", k,
              "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
              "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
  }
  return causes;
}

bool selector_matches(const json& selector, const json& labels)
{
  for (const json match = selector.value("matchLabels", json::object()); const auto& [k, v] : match.items())
    if (!labels.contains(k) || labels[k] != v)
      return false;
  for (const auto& e : selector.value("matchExpressions", json::array())) {
    const std::string key = e.value("key", ""), op = e.value("operator", "");
    const json values = e.value("values", json::array());
    const bool has = labels.contains(key);
    const bool in = has && std::find(values.begin(), values.end(), labels[key]) != values.end();
    if ((op == "In" && !in) || (op == "NotIn" && in) || (op == "Exists" && !has) || (op == "DoesNotExist" && has))
      return false;
  }
  return true;
}

bool labels_match(const json& labels, const std::string& selector)
{
  static const std::regex set_re(R"(^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$)");
  for (const std::string& req : requirements(selector)) {
    std::smatch m;
    if (std::regex_match(req, m, set_re)) {
      std::vector<std::string> values;
      std::istringstream in(m[3].str());
      for (std::string v; std::getline(in, v, ',');)
        values.push_back(trim(v));
      const std::string key = m[1];
      const bool has = labels.contains(key);
      const bool member = has && std::find(values.begin(), values.end(), labels[key].get<std::string>()) != values.end();
      if ((m[2] == "in" && !member) || (m[2] == "notin" && member))
        return false;
      continue;
    }
    std::string key, value, op;
    for (const char* o : {"!=", "==", "="}) {
      const auto at = req.find(o);
      if (at != std::string::npos) {
        key = trim(req.substr(0, at));
        value = trim(req.substr(at + std::string(o).size()));
        op = o;
        break;
      }
    }
    if (op.empty()) {
      const bool negate = !req.empty() && req[0] == '!';
      key = trim(negate ? req.substr(1) : req);
      if (key.empty() || key.find_first_of(" ()") != std::string::npos)
        throw bad_request("unable to parse requirement: " + req);
      if (labels.contains(key) == negate)
        return false;
      continue;
    }
    if (key.empty())
      throw bad_request("unable to parse requirement: " + req);
    const bool eq = labels.contains(key) && labels[key] == value;
    if ((op == "!=") == eq)
      return false;
  }
  return true;
}

bool fields_match(const json& obj, const std::string& selector)
{
  for (const std::string& req : requirements(selector)) {
    const bool ne = req.find("!=") != std::string::npos;
    const auto at = req.find(ne ? "!=" : "=");
    if (at == std::string::npos)
      throw bad_request("invalid selector: '" + selector + "'; can't understand '" + req + "'");
    const std::string path = trim(req.substr(0, at));
    std::string value = trim(req.substr(at + (ne || req.compare(at, 2, "==") == 0 ? 2 : 1)));
    json v = obj;
    std::istringstream parts2(path);
    for (std::string p; std::getline(parts2, p, '.');)
      v = v.is_object() && v.contains(p) ? v[p] : json("");
    const std::string actual = v.is_string() ? v.get<std::string>() : v.dump();
    // Events also select on what kubectl describe asks (involvedObject.*, reason, source).
    if (path != "metadata.name" && path != "metadata.namespace" && path.rfind("status.", 0) != 0 &&
        path.rfind("spec.", 0) != 0 && path != "type" && path.rfind("involvedObject.", 0) != 0 && path != "reason" &&
        path != "reportingComponent")
      throw bad_request("field label not supported: " + path);
    if ((actual == value) == ne)
      return false;
  }
  return true;
}

}  // namespace migsim::harness::k8s
