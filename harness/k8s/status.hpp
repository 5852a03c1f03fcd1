// Errors of the Kubernetes API as the API server reports them: a meta/v1 Status object with the
// HTTP code, the reason kubectl prints ("NotFound", "AlreadyExists", "Conflict", "Invalid",
// "BadRequest", ...) and details (name, group, kind, causes). Thrown by the store and the handlers,
// turned into the response by the API server.
#pragma once

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace migsim::harness::k8s {

using nlohmann::json;

// One cause of a 422 Invalid: which field and why.
struct Cause {
  std::string reason;  // FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate
  std::string message;
  std::string field;   // spec.selector
};

class ApiError : public std::runtime_error {
public:
  ApiError(int code, std::string reason, const std::string& message, json details = json::object())
      : std::runtime_error(message), code(code), reason(std::move(reason)), details(std::move(details))
  {
  }
  int code;
  std::string reason;
  json details;
};

// The Status object of an error.
json status_json(const ApiError& e);

// `deployments.apps "web"` (the way the server names an object: resource.group "name").
std::string qualified(const std::string& plural, const std::string& group, const std::string& name);

// 404 `deployments.apps "web" not found`.
ApiError not_found(const std::string& plural, const std::string& group, const std::string& name);
// 409 `deployments.apps "web" already exists`.
ApiError already_exists(const std::string& plural, const std::string& group, const std::string& name);
// 409 Conflict on a stale resourceVersion (the message kubectl prints for it).
ApiError conflict(const std::string& plural, const std::string& group, const std::string& name);
// 422 `Deployment.apps "web" is invalid: spec.selector: Required value` with its causes.
ApiError invalid(const std::string& kind, const std::string& group, const std::string& name, const std::vector<Cause>& causes);
// 400 BadRequest with a message.
ApiError bad_request(const std::string& message);

}  // namespace migsim::harness::k8s
