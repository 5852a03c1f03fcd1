// The generated service tables (harness/aws/models/*.json, embedded at build time) as the codec
// reads them: per service its metadata, operations and shapes (botocore's JSON, documentation
// removed). Internal to the codec; codec.hpp is the public face.
#pragma once

#include "harness/aws/protocol/codec.hpp"

#include <map>
#include <string>
#include <vector>

namespace migsim::aws {

// One service's tables.
struct Model {
  ServiceInfo info;
  std::vector<Protocol> protocols;  // every protocol the service accepts (CloudWatch: json and query)
  std::map<std::string, OperationInfo> operations;
  json shapes;  // botocore shapes by name
  json ops;     // botocore operations by name (input/output refs with locationName, xmlNamespace)

  // A shape by name (throws std::out_of_range on a table inconsistency).
  const json& shape(const std::string& name) const { return shapes.at(name); }
  // The shape a member/list/map reference points to.
  const json& shape_of(const json& ref) const { return shapes.at(ref.at("shape").get<std::string>()); }
  // The operation's input/output reference (null json when absent).
  const json& input_ref(const std::string& op) const;
  const json& output_ref(const std::string& op) const;
};

// Every service's tables, parsed once on first use.
const std::map<std::string, Model>& models();

// A service's tables by name, signing name or endpoint prefix; nullptr when unknown.
const Model* find_model(const std::string& name);

// The type of a shape ("structure", "list", "string", ...).
inline const std::string& type_of(const json& shape) { return shape.at("type").get_ref<const std::string&>(); }

// The members of a structure shape (an empty object when it has none).
inline const json& members_of(const json& shape)
{
  static const json none = json::object();
  auto it = shape.find("members");
  return it == shape.end() ? none : *it;
}

// A string field of a json object, or `fallback` when absent.
inline std::string str(const json& obj, const char* key, const std::string& fallback = "")
{
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : fallback;
}

// A boolean field of a json object (false when absent).
inline bool flag(const json& obj, const char* key)
{
  auto it = obj.find(key);
  return it != obj.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace migsim::aws
