#include "harness/k8s/schema.hpp"

#include <set>
#include <sstream>
#include <stdexcept>

namespace migsim::harness::k8s {

namespace {

// The notation's abbreviations of schema names.
std::string expand(const std::string& name)
{
  static const std::pair<const char*, const char*> prefixes[] = {
      {"meta.", "io.k8s.apimachinery.pkg.apis.meta.v1."},
      {"core.", "io.k8s.api.core.v1."},
      {"apps.", "io.k8s.api.apps.v1."},
      {"autoscaling.", "io.k8s.api.autoscaling.v1."},
      {"autoscalingv2.", "io.k8s.api.autoscaling.v2."},
      {"networking.", "io.k8s.api.networking.v1."},
      {"storage.", "io.k8s.api.storage.v1."},
      {"policy.", "io.k8s.api.policy.v1."},
      {"metrics.", "io.k8s.metrics.pkg.apis.metrics.v1beta1."},
  };
  for (const auto& [abbr, full] : prefixes)
    if (name.rfind(abbr, 0) == 0)
      return full + name.substr(std::string(abbr).size());
  return name;
}

std::string expand_type(const std::string& type)
{
  if (type.rfind("[]", 0) == 0)
    return "[]" + expand_type(type.substr(2));
  if (!type.empty() && type[0] == '@')
    return "@" + expand(type.substr(1));
  return type;
}

std::string trim(const std::string& s)
{
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos)
    return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// The OpenAPI schema of a field type (without description).
json type_json(const std::string& type)
{
  if (type.rfind("[]", 0) == 0)
    return {{"type", "array"}, {"items", type_json(type.substr(2))}};
  if (type[0] == '@')
    return {{"$ref", "#/components/schemas/" + type.substr(1)}};
  if (type == "map")
    return {{"type", "object"}, {"additionalProperties", {{"type", "string"}, {"default", ""}}}};
  if (type == "object")
    return {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}};
  if (type == "intstr")
    return {{"type", "string"}, {"format", "int-or-string"}, {"x-kubernetes-int-or-string", true}};
  if (type == "quantity")
    return {{"type", "string"}, {"format", "quantity"}};
  return {{"type", type}};
}

// Go's name for a primitive field type (the decoder's error message).
std::string go_type(const std::string& type)
{
  if (type == "integer")
    return "int32";
  if (type == "boolean")
    return "bool";
  if (type == "number")
    return "float64";
  if (type == "map")
    return "map[string]string";
  if (type.rfind("[]", 0) == 0)
    return "[]" + go_type(type.substr(2));
  if (type[0] == '@')
    return "v1." + type.substr(type.rfind('.') + 1);
  return type;
}

std::string json_kind(const json& v)
{
  if (v.is_string())
    return "string";
  if (v.is_boolean())
    return "bool";
  if (v.is_number())
    return "number";
  if (v.is_array())
    return "array";
  if (v.is_object())
    return "object";
  return "null";
}

// Whether a JSON value fits a field type (null fits anything: an absent optional value).
bool fits(const json& v, const std::string& type)
{
  if (v.is_null() || type == "object")
    return type != "object" || v.is_object() || v.is_null();
  if (type.rfind("[]", 0) == 0)
    return v.is_array();
  if (type[0] == '@' || type == "map")
    return v.is_object();
  if (type == "string" || type == "quantity")
    return v.is_string() || (type == "quantity" && v.is_number());
  if (type == "intstr")
    return v.is_string() || v.is_number_integer();
  if (type == "integer")
    return v.is_number_integer();
  if (type == "number")
    return v.is_number();
  if (type == "boolean")
    return v.is_boolean();
  return true;
}

void unknown_walk(json& obj, const TypeSchema& t, const std::string& path, bool prune, std::vector<std::string>& out)
{
  if (!obj.is_object())
    return;
  std::vector<std::string> drop;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string here = path.empty() ? it.key() : path + "." + it.key();
    const Field* f = t.field(it.key());
    if (!f) {
      out.push_back(here);
      drop.push_back(it.key());
      continue;
    }
    const std::string& ty = f->type;
    if (const TypeSchema* sub = schema_of(ty)) {
      if (ty.rfind("[]", 0) == 0 && it->is_array()) {
        for (size_t i = 0; i < it->size(); ++i)
          unknown_walk((*it)[i], *sub, here + "[" + std::to_string(i) + "]", prune, out);
      } else {
        unknown_walk(*it, *sub, here, prune, out);
      }
    }
  }
  if (prune)
    for (const auto& k : drop)
      obj.erase(k);
}

std::optional<std::string> type_walk(const json& obj, const TypeSchema& t, const std::string& path)
{
  if (!obj.is_object())
    return std::nullopt;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const Field* f = t.field(it.key());
    if (!f)
      continue;
    const std::string here = path.empty() ? it.key() : path + "." + it.key();
    const std::string struct_name = t.name.substr(t.name.rfind('.') + 1);
    if (!fits(*it, f->type))
      return "json: cannot unmarshal " + json_kind(*it) + " into Go struct field " + struct_name + "." + here +
             " of type " + go_type(f->type);
    const bool list = f->type.rfind("[]", 0) == 0;
    const std::string item = list ? f->type.substr(2) : f->type;
    if (list && it->is_array()) {
      for (size_t i = 0; i < it->size(); ++i) {
        const json& v = (*it)[i];
        if (!fits(v, item))
          return "json: cannot unmarshal " + json_kind(v) + " into Go struct field " + struct_name + "." + here +
                 " of type " + go_type(item);
        if (const TypeSchema* sub = schema_of(item))
          if (auto e = type_walk(v, *sub, here))
            return e;
      }
    } else if (const TypeSchema* sub = schema_of(f->type)) {
      if (auto e = type_walk(*it, *sub, here))
        return e;
    } else if (f->type == "map" && it->is_object()) {
      for (const auto& [k, v] : it->items())
        if (!v.is_string() && !v.is_null())
          return "json: cannot unmarshal " + json_kind(v) + " into Go struct field " + struct_name + "." + here +
                 " of type string";
    }
  }
  return std::nullopt;
}

}  // namespace

const Field* TypeSchema::field(const std::string& n) const
{
  for (const auto& f : fields)
    if (f.name == n)
      return &f;
  return nullptr;
}

std::map<std::string, TypeSchema> Schemas::parse(const std::string& text)
{
  std::map<std::string, TypeSchema> types;
  TypeSchema* cur = nullptr;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  auto fail = [&](const std::string& why) {
    throw std::runtime_error("schema line " + std::to_string(n) + ": " + why + ": " + line);
  };
  while (std::getline(in, line)) {
    ++n;
    const std::string l = trim(line);
    if (l.empty())
      continue;
    const auto colon = l.find(" : ");
    const std::string head = trim(l.substr(0, colon));
    const std::string desc = colon == std::string::npos ? "" : trim(l.substr(colon + 3));
    std::istringstream words(head);
    std::string w0, w1, w2, w3;
    words >> w0 >> w1 >> w2 >> w3;
    const bool indented = line[0] == ' ' || line[0] == '\t';
    if (w0 == "type" && !indented) {
      TypeSchema t;
      t.name = expand(w1);
      t.description = desc;
      cur = &(types[t.name] = t);
    } else if (!cur) {
      fail("a field before any type");
    } else if (w0 == "gvk" && indented) {
      cur->group = w1 == "\"\"" ? "" : w1;
      cur->version = w2;
      cur->kind = w3;
    } else {
      Field f;
      f.required = w0[0] == '!';
      f.name = f.required ? w0.substr(1) : w0;
      f.type = expand_type(w1);
      f.description = desc;
      if (!w2.empty()) {
        if (w2.front() != '{' || w2.back() != '}')
          fail("an extension is written {merge:KEY}, {merge} or {retainKeys}");
        const std::string ext = w2.substr(1, w2.size() - 2);
        if (ext.rfind("merge:", 0) == 0)
          f.merge_key = ext.substr(6);
        else if (ext == "merge")
          f.merge_set = true;
        else if (ext == "retainKeys")
          f.retain_keys = true;
        else
          fail("unknown extension");
      }
      if (f.type.empty())
        fail("a field without a type");
      cur->fields.push_back(f);
    }
  }
  // Every reference resolves.
  for (const auto& [name, t] : types)
    for (const auto& f : t.fields) {
      std::string ty = f.type;
      while (ty.rfind("[]", 0) == 0)
        ty = ty.substr(2);
      if (ty[0] == '@' && !types.count(ty.substr(1)))
        throw std::runtime_error("schema " + name + "." + f.name + " refers to unknown " + ty.substr(1));
    }
  return types;
}

const Schemas& Schemas::get()
{
  static const Schemas s = [] {
    Schemas x;
    x.types_ = parse(schema_text());
    return x;
  }();
  return s;
}

const TypeSchema* Schemas::type(const std::string& name) const
{
  auto it = types_.find(name);
  return it == types_.end() ? nullptr : &it->second;
}

const TypeSchema* Schemas::of_kind(const std::string& group, const std::string& version, const std::string& kind) const
{
  for (const auto& [name, t] : types_)
    if (t.kind == kind && t.group == group && t.version == version)
      return &t;
  return nullptr;
}

json Schemas::component(const TypeSchema& t) const
{
  json props = json::object();
  json required = json::array();
  for (const auto& f : t.fields) {
    json p;
    const bool list = f.type.rfind("[]", 0) == 0;
    if (f.type[0] == '@') {
      p["allOf"] = json::array({type_json(f.type)});
    } else if (list && f.type[2] == '@') {
      p = {{"type", "array"}, {"items", {{"allOf", json::array({type_json(f.type.substr(2))})}, {"default", json::object()}}}};
    } else {
      p = type_json(f.type);
    }
    p["description"] = f.description;
    if (!f.merge_key.empty()) {
      p["x-kubernetes-patch-merge-key"] = f.merge_key;
      p["x-kubernetes-patch-strategy"] = "merge";
    } else if (f.merge_set) {
      p["x-kubernetes-patch-strategy"] = "merge";
      p["x-kubernetes-list-type"] = "set";
    } else if (f.retain_keys) {
      p["x-kubernetes-patch-strategy"] = "retainKeys";
    }
    props[f.name] = p;
    if (f.required)
      required.push_back(f.name);
  }
  json c = {{"description", t.description}, {"type", "object"}, {"properties", props}};
  if (!required.empty())
    c["required"] = required;
  if (!t.kind.empty())
    c["x-kubernetes-group-version-kind"] = json::array({{{"group", t.group}, {"version", t.version}, {"kind", t.kind}}});
  return c;
}

std::vector<std::string> Schemas::closure(const std::string& root) const
{
  std::set<std::string> seen;
  std::vector<std::string> todo{root}, out;
  while (!todo.empty()) {
    const std::string n = todo.back();
    todo.pop_back();
    if (!seen.insert(n).second)
      continue;
    out.push_back(n);
    if (const TypeSchema* t = type(n))
      for (const auto& f : t->fields)
        if (const TypeSchema* sub = schema_of(f.type))
          todo.push_back(sub->name);
  }
  return out;
}

const TypeSchema* schema_of(const std::string& field_type)
{
  std::string ty = field_type;
  while (ty.rfind("[]", 0) == 0)
    ty = ty.substr(2);
  if (ty.empty() || ty[0] != '@')
    return nullptr;
  return Schemas::get().type(ty.substr(1));
}

std::vector<std::string> unknown_fields(json& obj, const TypeSchema& t, bool prune)
{
  std::vector<std::string> out;
  unknown_walk(obj, t, "", prune, out);
  return out;
}

std::optional<std::string> type_error(const json& obj, const TypeSchema& t) { return type_walk(obj, t, ""); }

}  // namespace migsim::harness::k8s
