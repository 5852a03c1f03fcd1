// Table output (meta.k8s.io/v1 Table) for `kubectl get`: the columns the API server prints for each
// served kind (NAME first, AGE from creationTimestamp on the simulated clock, as the server's
// HumanDuration writes it), one row per object with the object itself or its metadata.
#pragma once

#include "harness/k8s/resources.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace migsim::harness::k8s {

using nlohmann::json;

// A Table of `objects`; `now_epoch_s` is the simulated now (Unix seconds); `include_object`
// is the includeObject parameter (None, Metadata (default), Object).
json table_json(const Resource& r, const std::vector<json>& objects, double now_epoch_s, const std::string& include_object,
                const std::string& resource_version);

// "5s", "3m20s", "2d4h": Kubernetes' HumanDuration.
std::string human_duration(double seconds);

// Unix seconds of an RFC 3339 timestamp ("2025-01-01T00:00:00Z"); -1 when it does not parse.
double parse_rfc3339(const std::string& s);

}  // namespace migsim::harness::k8s
