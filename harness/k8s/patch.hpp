// The patches of the Kubernetes API: JSON merge patch (RFC 7386), strategic merge patch (lists
// merged by the merge key the schema declares, sets of primitives, the $patch, $retainKeys,
// $setElementOrder and $deleteFromPrimitiveList directives that `kubectl apply` sends) and JSON
// patch (RFC 6902). A patch that cannot apply throws ApiError 422/400 like the API server.
#pragma once

#include "harness/k8s/schema.hpp"
#include "harness/k8s/status.hpp"

#include <nlohmann/json.hpp>

namespace migsim::harness::k8s {

using nlohmann::json;

// RFC 7386: objects merge recursively, null deletes, anything else replaces.
json merge_patch(json target, const json& patch);

// Strategic merge of `patch` into `target`, the object of schema `t` (nullptr: merge patch rules
// with the directives honoured).
json strategic_merge_patch(json target, const json& patch, const TypeSchema* t);

// RFC 6902 operations (add, remove, replace, move, copy, test).
json json_patch(json target, const json& ops);

}  // namespace migsim::harness::k8s
