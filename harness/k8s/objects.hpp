// What the API server does to an object on write, kind by kind: defaults (as the Kubernetes API's
// defaulting functions set them: a Deployment's replicas, strategy and pod template, a Service's
// type, cluster IP and target ports, a Secret's type and stringData) and validation (names, a
// Deployment's selector matching its template, containers, a Service's ports), which answers
// 422 Invalid with one cause per field.
#pragma once

#include "harness/k8s/resources.hpp"
#include "harness/k8s/status.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace migsim::harness::k8s {

using nlohmann::json;

// Sets the defaults of a new or replaced object. `next_ip` numbers cluster IPs (10.100.0.0/16,
// EKS's default service range).
void apply_defaults(const Resource& r, json& obj, int& next_ip);

// The problems of an object the server refuses (empty when valid).
std::vector<Cause> validate(const Resource& r, const json& obj);

// Whether an object's labels match a label selector string ("app=web,tier!=db,env in (a,b),x,!y").
// Throws ApiError 400 on a selector that does not parse.
bool labels_match(const json& labels, const std::string& selector);
// Whether an object matches a field selector ("metadata.name=web,metadata.namespace!=x").
bool fields_match(const json& obj, const std::string& selector);
// Whether labels match a meta/v1 LabelSelector object (matchLabels and matchExpressions).
bool selector_matches(const json& selector, const json& labels);

}  // namespace migsim::harness::k8s
