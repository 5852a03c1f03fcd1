#include "harness/k8s/status.hpp"

namespace migsim::harness::k8s {

json status_json(const ApiError& e)
{
  json s = {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", json::object()}, {"status", "Failure"},
            {"message", e.what()}, {"reason", e.reason}, {"code", e.code}};
  if (!e.details.empty())
    s["details"] = e.details;
  return s;
}

std::string qualified(const std::string& plural, const std::string& group, const std::string& name)
{
  return (group.empty() ? plural : plural + "." + group) + " \"" + name + "\"";
}

namespace {
json details(const std::string& plural, const std::string& group, const std::string& name)
{
  json d = {{"name", name}, {"kind", plural}};
  if (!group.empty())
    d["group"] = group;
  return d;
}
}  // namespace

ApiError not_found(const std::string& plural, const std::string& group, const std::string& name)
{
  return ApiError(404, "NotFound", qualified(plural, group, name) + " not found", details(plural, group, name));
}

ApiError already_exists(const std::string& plural, const std::string& group, const std::string& name)
{
  return ApiError(409, "AlreadyExists", qualified(plural, group, name) + " already exists", details(plural, group, name));
}

ApiError conflict(const std::string& plural, const std::string& group, const std::string& name)
{
  return ApiError(409, "Conflict",
                  "Operation cannot be fulfilled on " + qualified(plural, group, name) +
                      ": the object has been modified; please apply your changes to the latest version and try again",
                  details(plural, group, name));
}

ApiError invalid(const std::string& kind, const std::string& group, const std::string& name, const std::vector<Cause>& causes)
{
  std::string message = (group.empty() ? kind : kind + "." + group) + " \"" + name + "\" is invalid: ";
  json cs = json::array();
  for (size_t i = 0; i < causes.size(); ++i) {
    message += (i ? ", " : "") + causes[i].field + ": " + causes[i].message;
    cs.push_back({{"reason", causes[i].reason}, {"message", causes[i].message}, {"field", causes[i].field}});
  }
  if (causes.size() > 1)
    message = (group.empty() ? kind : kind + "." + group) + " \"" + name + "\" is invalid: [" +
              message.substr(message.find("is invalid: ") + 12) + "]";
  json d = {{"name", name}, {"kind", kind}, {"causes", cs}};
  if (!group.empty())
    d["group"] = group;
  return ApiError(422, "Invalid", message, d);
}

ApiError bad_request(const std::string& message) { return ApiError(400, "BadRequest", message); }

}  // namespace migsim::harness::k8s
