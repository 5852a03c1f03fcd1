// The schemas of the served kinds (schema_text.cpp): what OpenAPI v3 documents publish, what
// server-side field validation checks (unknown fields, wrong JSON types) and what strategic merge
// patches merge by (a list's merge key, a set of primitives, retainKeys).
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migsim::harness::k8s {

using nlohmann::json;

// One property of a schema.
struct Field {
  std::string name;
  std::string type;         // string, integer, boolean, number, object, intstr, quantity, map, @NAME, []T
  std::string description;
  bool required = false;
  std::string merge_key;    // a list merged by this key in a strategic merge patch
  bool merge_set = false;   // a list of primitives merged as a set
  bool retain_keys = false; // an object whose keys a patch's $retainKeys may prune
};

// One schema (an object type).
struct TypeSchema {
  std::string name;  // io.k8s.api.apps.v1.Deployment
  std::string description;
  std::vector<Field> fields;
  std::string group, version, kind;  // set for the schema of a kind
  const Field* field(const std::string& name) const;
};

// Every schema, read once from the compact text.
class Schemas {
public:
  static const Schemas& get();
  const TypeSchema* type(const std::string& name) const;
  const TypeSchema* of_kind(const std::string& group, const std::string& version, const std::string& kind) const;
  // The OpenAPI v3 component of a schema (properties with allOf/$ref as the Kubernetes documents
  // have them, x-kubernetes-patch-* extensions, x-kubernetes-group-version-kind).
  json component(const TypeSchema& t) const;
  // The names of the schemas reachable from `root` (itself included).
  std::vector<std::string> closure(const std::string& root) const;
  const std::map<std::string, TypeSchema>& all() const { return types_; }

  // Parses the notation (exposed for tests); throws std::runtime_error naming the line.
  static std::map<std::string, TypeSchema> parse(const std::string& text);

private:
  std::map<std::string, TypeSchema> types_;
};

// The schema named by a field type "@NAME" or "[]@NAME" (nullptr for primitives and free objects).
const TypeSchema* schema_of(const std::string& field_type);

// Unknown fields of `obj` against `t`, as dotted paths ("spec.replica", "spec.template.spec.
// containers[0].imagee"); removed from obj when `prune`.
std::vector<std::string> unknown_fields(json& obj, const TypeSchema& t, bool prune);

// The first value whose JSON type the schema does not accept, in the words of the API server's
// decoder ("cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type
// int32"); nullopt when all fit.
std::optional<std::string> type_error(const json& obj, const TypeSchema& t);

// The schema text (schema_text.cpp).
const char* schema_text();

}  // namespace migsim::harness::k8s
