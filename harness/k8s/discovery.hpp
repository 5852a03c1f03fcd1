// The documents kubectl reads before it acts: /version, legacy discovery (/api, /api/v1, /apis,
// /apis/GROUP, /apis/GROUP/VERSION) and the OpenAPI v3 index and per group/version documents
// (schemas for `kubectl explain`, and the fieldValidation parameter on PATCH that tells kubectl the
// server validates fields itself).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace migsim::harness::k8s {

using nlohmann::json;

json version_json(const std::string& minor);
json api_versions_json(const std::string& server_address);
json api_group_list_json();
// nullopt when the group or group/version is not served.
std::optional<json> api_group_json(const std::string& group);
std::optional<json> resource_list_json(const std::string& group, const std::string& version);

// {"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}, ...}}
json openapi_index_json();
// The OpenAPI v3 document of "api/v1" or "apis/apps/v1"; nullopt when not served.
std::optional<json> openapi_document(const std::string& gv_path);

}  // namespace migsim::harness::k8s
