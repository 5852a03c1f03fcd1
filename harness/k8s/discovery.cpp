#include "harness/k8s/discovery.hpp"

#include "harness/k8s/resources.hpp"
#include "harness/k8s/schema.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>

namespace migsim::harness::k8s {

namespace {

const json kVerbs = {"create", "delete", "get", "list", "patch", "update", "watch"};

std::string gv_path(const std::string& group, const std::string& version)
{
  return group.empty() ? "api/" + version : "apis/" + group + "/" + version;
}

json param(const std::string& name, const std::string& in, const std::string& desc, bool required = false)
{
  return {{"name", name}, {"in", in}, {"description", desc}, {"required", required}, {"schema", {{"type", "string"}, {"uniqueItems", true}}}};
}

// The operations of one resource's paths, each tagged with its group/version/kind.
json resource_paths(const Resource& r, const std::string& schema)
{
  const json gvk = {{"group", r.group}, {"version", r.version}, {"kind", r.kind}};
  const json ok = {{"200", {{"description", "OK"}, {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/" + schema}}}}}}}}}};
  const json write_params = json::array(
      {param("dryRun", "query", "When present, indicates that modifications should not be persisted."),
       param("fieldManager", "query", "fieldManager is a name associated with the actor or entity that is making these changes."),
       param("fieldValidation", "query",
             "fieldValidation instructs the server on how to handle objects in the request containing unknown or "
             "duplicate fields. Valid values are: Ignore, Warn (the default) and Strict.")});
  auto op = [&](const std::string& action, const std::string& verb_desc, const json& params) {
    json o = {{"description", verb_desc}, {"operationId", action + r.kind}, {"responses", ok},
              {"x-kubernetes-action", action}, {"x-kubernetes-group-version-kind", gvk}, {"parameters", params}};
    return o;
  };
  json patch_params = write_params;
  patch_params.push_back(param("force", "query", "Force is going to \"force\" Apply requests."));
  const std::string base = "/" + gv_path(r.group, r.version) + (r.namespaced ? "/namespaces/{namespace}/" : "/") + r.plural;
  json path_params = json::array({param("name", "path", "name of the " + r.kind, true)});
  if (r.namespaced)
    path_params.push_back(param("namespace", "path", "object name and auth scope, such as for teams and projects", true));
  json paths;
  paths[base] = {{"get", op("list", "list or watch objects of kind " + r.kind, json::array())},
                 {"post", op("post", "create a " + r.kind, write_params)}};
  if (r.namespaced)
    paths[base]["parameters"] = json::array({path_params[1]});
  paths[base + "/{name}"] = {{"get", op("get", "read the specified " + r.kind, json::array())},
                             {"put", op("put", "replace the specified " + r.kind, write_params)},
                             {"patch", op("patch", "partially update the specified " + r.kind, patch_params)},
                             {"delete", op("delete", "delete a " + r.kind, json::array())},
                             {"parameters", path_params}};
  return paths;
}

std::string hash_of(const std::string& text)
{
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016zX", std::hash<std::string>{}(text));
  return buf;
}

// The documents, built once.
const std::map<std::string, json>& documents()
{
  static const std::map<std::string, json> docs = [] {
    std::map<std::string, json> out;
    const Schemas& s = Schemas::get();
    for (const auto& [group, version] : served_group_versions()) {
      json schemas = json::object(), paths = json::object();
      for (const auto& r : served_resources()) {
        if (r.group != group || r.version != version)
          continue;
        const TypeSchema* t = s.of_kind(r.group, r.version, r.kind);
        if (!t)
          continue;
        for (const auto& n : s.closure(t->name))
          schemas[n] = s.component(*s.type(n));
        paths.update(resource_paths(r, t->name));
        if (std::find(r.subresources.begin(), r.subresources.end(), "scale") != r.subresources.end())
          for (const auto& n : s.closure("io.k8s.api.autoscaling.v1.Scale"))
            schemas[n] = s.component(*s.type(n));
      }
      out[gv_path(group, version)] = {{"openapi", "3.0.0"},
                                       {"info", {{"title", "Kubernetes"}, {"version", "v1.32.0"}}},
                                       {"paths", paths},
                                       {"components", {{"schemas", schemas}}}};
    }
    return out;
  }();
  return docs;
}

}  // namespace

json version_json(const std::string& minor)
{
  return {{"major", "1"}, {"minor", minor}, {"gitVersion", "v1." + minor + ".0-eks-migsim"}, {"gitCommit", "migsim"},
          {"gitTreeState", "clean"}, {"buildDate", "2025-01-01T00:00:00Z"}, {"goVersion", "go1.23.0"},
          {"compiler", "gc"}, {"platform", "linux/amd64"}};
}

json api_versions_json(const std::string& server_address)
{
  return {{"kind", "APIVersions"},
          {"versions", {"v1"}},
          {"serverAddressByClientCIDRs", json::array({{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", server_address}}})}};
}

json api_group_list_json()
{
  json groups = json::array();
  std::vector<std::string> listed;
  for (const auto& [group, version] : served_group_versions())
    if (!group.empty() && std::find(listed.begin(), listed.end(), group) == listed.end()) {
      listed.push_back(group);
      groups.push_back(*api_group_json(group));
    }
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}};
}

std::optional<json> api_group_json(const std::string& group)
{
  json versions = json::array();
  for (const auto& [g, version] : served_group_versions())
    if (g == group && !g.empty())
      versions.push_back({{"groupVersion", g + "/" + version}, {"version", version}});
  if (versions.empty())
    return std::nullopt;
  // The first version listed is the preferred one (autoscaling/v2 before v1).
  return json{{"kind", "APIGroup"}, {"apiVersion", "v1"}, {"name", group}, {"versions", versions}, {"preferredVersion", versions[0]}};
}

std::optional<json> resource_list_json(const std::string& group, const std::string& version)
{
  json resources = json::array();
  for (const auto& r : served_resources()) {
    if (r.group != group || r.version != version)
      continue;
    json e = {{"name", r.plural}, {"singularName", r.singular}, {"namespaced", r.namespaced}, {"kind", r.kind},
              {"verbs", r.read_only ? json{"get", "list"} : kVerbs}};
    if (!r.short_names.empty())
      e["shortNames"] = r.short_names;
    // `kubectl get all`: the workloads, their Services and autoscalers, as the API server lists them.
    static const std::vector<std::string> in_all = {"Pod", "Service", "Deployment", "ReplicaSet", "HorizontalPodAutoscaler"};
    if (std::find(in_all.begin(), in_all.end(), r.kind) != in_all.end())
      e["categories"] = {"all"};
    resources.push_back(e);
    for (const auto& sub : r.subresources) {
      json s = {{"name", r.plural + "/" + sub}, {"singularName", ""}, {"namespaced", r.namespaced},
                {"kind", r.kind}, {"verbs", {"get", "patch", "update"}}};
      if (sub == "scale")
        s.update({{"group", "autoscaling"}, {"version", "v1"}, {"kind", "Scale"}});
      resources.push_back(s);
    }
  }
  if (resources.empty())
    return std::nullopt;
  return json{{"kind", "APIResourceList"}, {"apiVersion", "v1"}, {"groupVersion", group.empty() ? version : group + "/" + version},
              {"resources", resources}};
}

json openapi_index_json()
{
  json paths = json::object();
  for (const auto& [path, doc] : documents())
    paths[path] = {{"serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hash_of(doc.dump())}};
  return {{"paths", paths}};
}

std::optional<json> openapi_document(const std::string& gv)
{
  auto it = documents().find(gv);
  if (it == documents().end())
    return std::nullopt;
  return it->second;
}

}  // namespace migsim::harness::k8s
