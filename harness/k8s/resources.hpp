// The resources the Kubernetes API serves: group, version, kind, plural and short names, whether
// namespaced, verbs and subresources. Discovery, routing, OpenAPI and tables read this one table.
#pragma once

#include "harness/k8s/store.hpp"

#include <string>
#include <vector>

namespace migsim::harness::k8s {

struct Resource {
  std::string group, version, kind, plural, singular;
  bool namespaced = true;
  std::vector<std::string> short_names;
  std::vector<std::string> subresources;  // "scale", "status"
  bool read_only = false;                 // get, list and watch only (written by the server itself)
  ResourceKey key() const { return {group, plural}; }
  // "apps/v1", or "v1" for the core group.
  std::string api_version() const { return group.empty() ? version : group + "/" + version; }
};

// Every served resource.
const std::vector<Resource>& served_resources();
// The resource at /apis/GROUP/VERSION/PLURAL (or /api/v1/PLURAL); nullptr when not served.
const Resource* find_resource(const std::string& group, const std::string& version, const std::string& plural);
// The group/versions served, "v1" first then "apps/v1", ...; a group's preferred version before its others
std::vector<std::pair<std::string, std::string>> served_group_versions();

}  // namespace migsim::harness::k8s
