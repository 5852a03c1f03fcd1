// The verbs on objects: list (and watch), get, create, update, patch, delete, and the scale and
// status subresources; field validation (Strict, Warn, Ignore), defaults, validation, namespaces
// that must exist, Table output when kubectl asks for it.
#include "harness/k8s/autoscalers.hpp"
#include "harness/k8s/cluster.hpp"
#include "harness/k8s/objects.hpp"
#include "harness/k8s/patch.hpp"
#include "harness/k8s/protobuf.hpp"
#include "harness/k8s/schema.hpp"
#include "harness/k8s/table.hpp"
#include "harness/serve/core/serve_context.hpp"

#include <algorithm>

namespace migsim::harness::k8s {

namespace {

const ResourceKey kNamespaces{"", "namespaces"};

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::string quote_list(const std::vector<std::string>& fields)
{
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i)
    out += (i ? ", " : "") + std::string("unknown field \"") + fields[i] + "\"";
  return out;
}

json parse_body(const ApiRequest& req, bool object)
{
  if (req.content_type.rfind("application/vnd.kubernetes.protobuf", 0) == 0) {
    if (auto decoded = decode_protobuf(req.body))
      return *decoded;
    throw ApiError(415, "UnsupportedMediaType",
                   "the body of the request was in an unknown format - accepted media types include: application/json, "
                   "application/yaml (migsim's Kubernetes API reads JSON, and protobuf only for an autoscaling/v1 "
                   "HorizontalPodAutoscaler)");
  }
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded())
    throw bad_request("the request body is not JSON (YAML is accepted only in its JSON form, as kubectl sends it)");
  if (object && !body.is_object())
    throw bad_request("the request body must be a JSON object, not " + std::string(body.type_name()));
  return body;
}

const TypeSchema& schema(const Resource& r)
{
  const TypeSchema* t = Schemas::get().of_kind(r.group, r.version, r.kind);
  if (!t)
    throw ApiError(500, "InternalError", "no schema for " + r.kind);
  return *t;
}

// Field validation of an incoming object: wrong JSON types always refused; unknown fields refused
// (Strict), reported in Warning headers (Warn, the default) or dropped silently (Ignore).
void check_fields(const Resource& r, json& obj, const ApiRequest& req, ApiReply& reply)
{
  const std::string cannot = r.kind + " in version \"" + r.version + "\" cannot be handled as a " + r.kind + ": ";
  if (!obj.is_object())
    throw bad_request(cannot + "the object is not a JSON object");
  if (auto e = type_error(obj, schema(r)))
    throw bad_request(cannot + *e);
  const std::string mode = req.q("fieldValidation").empty() ? "Warn" : req.q("fieldValidation");
  if (mode != "Strict" && mode != "Warn" && mode != "Ignore")
    throw bad_request("fieldValidation must be one of Strict, Warn or Ignore, not \"" + mode + "\"");
  const auto unknown = unknown_fields(obj, schema(r), true);
  if (unknown.empty() || mode == "Ignore")
    return;
  if (mode == "Strict")
    throw bad_request(cannot + "strict decoding error: " + quote_list(unknown));
  for (const auto& f : unknown)
    reply.headers.emplace_back("Warning", "299 - \"unknown field \\\"" + f + "\\\"\"");
}

void check_identity(const Resource& r, json& obj, const ApiRequest& req)
{
  if (auto e = type_error(obj, schema(r)))
    throw bad_request(r.kind + " in version \"" + r.version + "\" cannot be handled as a " + r.kind + ": " + *e);
  const std::string api_version = obj.value("apiVersion", r.api_version());
  const std::string kind = obj.value("kind", r.kind);
  if (kind != r.kind || api_version != r.api_version())
    throw bad_request("the API version in the data (" + api_version + ") does not match the expected API version (" +
                      r.api_version() + ")" + (kind != r.kind ? " or kind " + kind + " is not " + r.kind : ""));
  obj["apiVersion"] = r.api_version();
  obj["kind"] = r.kind;
  json& meta = obj["metadata"];
  if (!meta.is_object())
    meta = json::object();
  if (r.namespaced) {
    const std::string in_body = meta.value("namespace", "");
    if (!in_body.empty() && in_body != req.ns)
      throw bad_request("the namespace of the provided object does not match the namespace sent on the request");
  }
}

void require_namespace(Cluster& c, const Resource& r, const std::string& ns)
{
  if (r.namespaced && !c.store.get(kNamespaces, "", ns))
    throw not_found("namespaces", "", ns);
}

bool wants_table(const ApiRequest& req) { return req.accept.find("as=Table") != std::string::npos; }

bool selected(const json& o, const ApiRequest& req)
{
  const std::string ls = req.q("labelSelector"), fs = req.q("fieldSelector");
  if (!ls.empty() && !labels_match(o.value("metadata", json::object()).value("labels", json::object()), ls))
    return false;
  return fs.empty() || fields_match(o, fs);
}

json scale_of(const json& d)
{
  const json meta = d.value("metadata", json::object());
  std::string selector;
  const json match = d["spec"].value("selector", json::object()).value("matchLabels", json::object());
  for (const auto& [k, v] : match.items())
    selector += (selector.empty() ? "" : ",") + k + "=" + v.get<std::string>();
  json m = json::object();
  for (const char* k : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"})
    if (meta.contains(k))
      m[k] = meta[k];
  return {{"kind", "Scale"}, {"apiVersion", "autoscaling/v1"}, {"metadata", m},
          {"spec", {{"replicas", d["spec"].value("replicas", 1)}}},
          {"status", {{"replicas", d.value("status", json::object()).value("replicas", 0)}, {"selector", selector}}}};
}

// Defaults, validation and the write itself (dryRun=All: everything but the write), in the stored
// version; the answer in the version served as `view`.
json write(Cluster& c, const Resource& view, const ApiRequest& req, json obj, bool create)
{
  const Resource& r = stored_resource(view);
  obj = to_stored_version(view, obj);
  apply_defaults(r, obj, c.next_ip);
  const auto causes = validate(r, obj);
  if (!causes.empty())
    throw invalid(r.kind, r.group, obj["metadata"].value("name", ""), causes);
  if (req.q("dryRun") == "All")
    return to_served_version(view, obj);
  const std::string ns = r.namespaced ? req.ns : "";
  return to_served_version(view, create ? c.store.create(r.key(), ns, obj, iso_time(c.now_s)) : c.store.update(r.key(), ns, obj));
}

ApiReply list_or_watch(Cluster& c, const Resource& r, const ApiRequest& req)
{
  ApiReply reply;
  const std::string ns = r.namespaced ? req.ns : "";
  // A selector that does not parse is a 400, whether or not there are objects to match.
  if (!req.q("labelSelector").empty())
    labels_match(json::object(), req.q("labelSelector"));
  if (!req.q("fieldSelector").empty())
    fields_match(json{{"metadata", json::object()}}, req.q("fieldSelector"));
  std::vector<json> items;
  for (auto& o : c.store.list(r.key(), ns))
    if (selected(o, req))
      items.push_back(to_served_version(r, o));
  const std::string include = req.q("includeObject").empty() ? "Metadata" : req.q("includeObject");
  const bool table = wants_table(req);
  if (req.q("watch") == "true" || req.q("watch") == "1") {
    auto stream = std::make_shared<serve::ChunkStream>();
    Cluster* cp = &c;
    const ApiRequest filter = req;
    auto send = [stream, cp, &r, filter, table, include](const std::string& type, const json& stored) {
      if (stream->cancelled())
        return;
      const json o = to_served_version(r, stored);
      const json shown = table ? table_json(r, {o}, serve::epoch_s(cp->now_s), include,
                                            o["metadata"].value("resourceVersion", ""))
                               : o;
      stream->push(json{{"type", type}, {"object", shown}}.dump() + "\n");
    };
    const std::string rv = req.q("resourceVersion");
    uint64_t from = 0;
    if (rv.empty() || rv == "0") {
      for (const auto& o : items)
        send("ADDED", o);
    } else {
      try {
        from = std::stoull(rv);
      } catch (const std::exception&) {
        throw bad_request("resourceVersion \"" + rv + "\" is not a number");
      }
    }
    const int id = c.store.watch(r.key(), ns, from, [send, filter](const WatchEvent& e) {
      if (selected(e.object, filter))
        send(e.type, e.object);
    });
    double timeout_s = 1800;
    if (!req.q("timeoutSeconds").empty())
      timeout_s = std::max(1.0, std::atof(req.q("timeoutSeconds").c_str()));
    c.watches.push_back({id, stream, std::chrono::steady_clock::now() +
                                         std::chrono::milliseconds(static_cast<long>(timeout_s * 1000))});
    reply.stream = stream;
    return reply;
  }
  const std::string rv = std::to_string(c.store.resource_version());
  if (table) {
    reply.body = table_json(r, items, serve::epoch_s(c.now_s), include, rv);
    return reply;
  }
  reply.body = {{"kind", r.kind + "List"}, {"apiVersion", r.api_version()}, {"metadata", {{"resourceVersion", rv}}},
                {"items", items}};
  return reply;
}

json patched(const Resource& r, const ApiRequest& req, const json& current, const json& patch)
{
  const std::string type = req.content_type.substr(0, req.content_type.find(';'));
  if (type == "application/merge-patch+json")
    return merge_patch(current, patch);
  if (type == "application/strategic-merge-patch+json" || type == "application/apply-patch+yaml")
    return strategic_merge_patch(current, patch, r.kind == "Scale" ? Schemas::get().type("io.k8s.api.autoscaling.v1.Scale") : &schema(r));
  if (type == "application/json-patch+json")
    return json_patch(current, patch);
  throw ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: "
                                              "application/json-patch+json, application/merge-patch+json, "
                                              "application/apply-patch+yaml, application/strategic-merge-patch+json");
}

}  // namespace

ApiReply serve_objects(Cluster& c, const ApiRequest& req, double now_s)
{
  const Resource& r = *req.resource;
  const std::string ns = r.namespaced ? req.ns : "";
  const std::string m = req.method;
  c.now_s = now_s;
  if (!req.subresource.empty() && !has(r.subresources, req.subresource))
    throw ApiError(404, "NotFound", "the server could not find the requested resource");
  if (r.namespaced && ns.empty() && !req.name.empty())
    throw ApiError(404, "NotFound", "the server could not find the requested resource");
  if (r.read_only && m != "GET")
    throw ApiError(405, "MethodNotAllowed", m + " is not supported on " + r.plural + "." + r.group);
  ApiReply reply;
  if (req.name.empty()) {
    if (m == "GET")
      return list_or_watch(c, r, req);
    if (m == "POST") {
      json obj = parse_body(req, true);
      check_identity(r, obj, req);
      check_fields(r, obj, req, reply);
      require_namespace(c, r, ns);
      json& meta = obj["metadata"];
      if (meta.value("name", "").empty() && !meta.value("generateName", "").empty())
        meta["name"] = meta.value("generateName", "") + Deployments::template_hash(c.store.resource_version()).substr(0, 5);
      obj.erase("status");
      reply.body = write(c, r, req, obj, true);
      reply.status = 201;
      return reply;
    }
    throw ApiError(405, "MethodNotAllowed", m + " is not supported on a collection of " + r.plural);
  }
  auto current = c.store.get(r.key(), ns, req.name);
  if (current)
    current = to_served_version(r, *current);
  const bool apply = m == "PATCH" && req.content_type.rfind("application/apply-patch+yaml", 0) == 0;
  if (!current && !apply)
    throw not_found(r.plural, r.group, req.name);
  if (m == "GET") {
    if (req.subresource == "scale")
      reply.body = scale_of(*current);
    else if (wants_table(req))
      reply.body = table_json(r, {*current}, serve::epoch_s(now_s), req.q("includeObject").empty() ? "Metadata" : req.q("includeObject"),
                              (*current)["metadata"].value("resourceVersion", ""));
    else
      reply.body = *current;
    return reply;
  }
  if (m == "DELETE") {
    if (r.kind == "Namespace" && (req.name == "default" || req.name == "kube-system" || req.name == "kube-public"))
      throw ApiError(403, "Forbidden", "namespaces \"" + req.name + "\" is forbidden: this namespace may not be deleted",
                     {{"name", req.name}, {"kind", "namespaces"}});
    if (req.q("dryRun") != "All") {
      const json gone = c.store.remove(r.key(), ns, req.name);
      if (r.kind == "Namespace")
        for (const auto& other : served_resources())
          if (other.namespaced)
            for (const auto& o : c.store.list(other.key(), req.name))
              c.store.remove(other.key(), req.name, o["metadata"].value("name", ""));
      reply.body = gone;
    } else {
      reply.body = *current;
    }
    json details = {{"name", req.name}, {"kind", r.plural}, {"uid", (*current)["metadata"].value("uid", "")}};
    if (!r.group.empty())
      details["group"] = r.group;
    if (r.kind != "Namespace")
      reply.body = {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", json::object()}, {"status", "Success"}, {"details", details}};
    return reply;
  }
  if (m != "PUT" && m != "PATCH")
    throw ApiError(405, "MethodNotAllowed", m + " is not supported on " + r.plural + "/" + req.name);

  const bool json_patch_body = req.content_type.rfind("application/json-patch+json", 0) == 0;
  json body = parse_body(req, m == "PUT" || !json_patch_body);
  if (apply && !current) {  // server-side apply of a new object: a create
    check_identity(r, body, req);
    check_fields(r, body, req, reply);
    require_namespace(c, r, ns);
    body.erase("status");
    reply.body = write(c, r, req, body, true);
    reply.status = 201;
    return reply;
  }
  json next;
  if (req.subresource == "scale") {
    const json scale = m == "PUT" ? body : patched({"autoscaling", "v1", "Scale"}, req, scale_of(*current), body);
    if (!scale.contains("spec") || !scale["spec"].value("replicas", json()).is_number_integer())
      throw invalid("Scale", "autoscaling", req.name, {{"FieldValueRequired", "Required value", "spec.replicas"}});
    if (scale["spec"]["replicas"].get<int>() < 0)
      throw invalid("Scale", "autoscaling", req.name,
                    {{"FieldValueInvalid", "Invalid value: " + scale["spec"]["replicas"].dump() + ": must be greater than or equal to 0", "spec.replicas"}});
    next = *current;
    next["spec"]["replicas"] = scale["spec"]["replicas"];
    const std::string sent_rv = scale.value("metadata", json::object()).value("resourceVersion", "");
    if (sent_rv.empty())
      next["metadata"].erase("resourceVersion");
    else
      next["metadata"]["resourceVersion"] = sent_rv;
    reply.body = scale_of(write(c, r, req, next, false));
    return reply;
  }
  if (m == "PUT") {
    next = body;
    check_identity(r, next, req);
    if (next["metadata"].value("name", "") != req.name)
      throw bad_request("the name of the object (" + next["metadata"].value("name", "") +
                        ") does not match the name on the URL (" + req.name + ")");
  } else {
    const bool rv_in_patch = body.is_object() && body.value("metadata", json::object()).contains("resourceVersion");
    next = patched(r, req, *current, body);
    if (!next.is_object() || !next.value("metadata", json::object()).is_object())
      throw bad_request("the patched " + r.kind + " is not an object");
    check_identity(r, next, req);
    if (next["metadata"].value("name", "") != req.name)
      throw bad_request("the name of the object (" + next["metadata"].value("name", "") +
                        ") does not match the name on the URL (" + req.name + ")");
    if (!rv_in_patch && req.content_type.rfind("application/json-patch+json", 0) != 0)
      next["metadata"].erase("resourceVersion");
  }
  check_fields(r, next, req, reply);
  if (req.subresource == "status") {
    json status = next.value("status", json());
    next = *current;
    next["status"] = status;
  } else if (current->contains("status")) {
    next["status"] = (*current)["status"];  // the main resource does not write status
  }
  reply.body = write(c, r, req, next, false);
  return reply;
}

}  // namespace migsim::harness::k8s
