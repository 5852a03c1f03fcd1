#include "harness/k8s/patch.hpp"

#include <algorithm>

namespace migsim::harness::k8s {

namespace {

const std::string kOrder = "$setElementOrder/";
const std::string kDeleteFrom = "$deleteFromPrimitiveList/";

json merge_list(const json& target, const json& patch, const Field& f);
json merge_object(json target, const json& patch, const TypeSchema* t);

// A field's merged value: by its schema when it has one.
json merge_value(const json& target, const json& patch, const Field* f)
{
  if (!f)
    return patch.is_object() && target.is_object() ? merge_object(target, patch, nullptr) : patch;
  if (f->type.rfind("[]", 0) == 0 && patch.is_array() && (target.is_array() || target.is_null()) &&
      (!f->merge_key.empty() || f->merge_set))
    return merge_list(target.is_null() ? json::array() : target, patch, *f);
  if (patch.is_object() && (target.is_object() || target.is_null()) && f->type.rfind("[]", 0) != 0)
    return merge_object(target.is_null() ? json::object() : target, patch, schema_of(f->type));
  return patch;
}

json merge_object(json target, const json& patch, const TypeSchema* t)
{
  if (!patch.is_object())
    return patch;
  if (patch.contains("$patch")) {
    const std::string how = patch["$patch"].is_string() ? patch["$patch"].get<std::string>() : "";
    if (how == "replace") {
      json copy = patch;
      copy.erase("$patch");
      return copy;
    }
    if (how == "delete")
      return nullptr;
    if (how != "merge")
      throw bad_request("unknown patch type: " + how);
  }
  if (!target.is_object())
    target = json::object();
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    const std::string& key = it.key();
    if (key == "$patch" || key == "$retainKeys" || key.rfind(kOrder, 0) == 0)
      continue;
    if (key.rfind(kDeleteFrom, 0) == 0) {
      const std::string field = key.substr(kDeleteFrom.size());
      if (target.contains(field) && target[field].is_array() && it->is_array()) {
        json kept = json::array();
        for (const auto& v : target[field])
          if (std::find(it->begin(), it->end(), v) == it->end())
            kept.push_back(v);
        target[field] = kept;
      }
      continue;
    }
    if (it->is_null()) {
      target.erase(key);
      continue;
    }
    const Field* f = t ? t->field(key) : nullptr;
    json merged = merge_value(target.contains(key) ? target[key] : json(), *it, f);
    if (merged.is_null())
      target.erase(key);
    else
      target[key] = merged;
  }
  if (patch.contains("$retainKeys") && patch["$retainKeys"].is_array()) {
    const json& keep = patch["$retainKeys"];
    for (auto it = target.begin(); it != target.end();) {
      if (std::find(keep.begin(), keep.end(), json(it.key())) == keep.end())
        it = target.erase(it);
      else
        ++it;
    }
  }
  return target;
}

json merge_list(const json& target, const json& patch, const Field& f)
{
  json out = target;
  if (f.merge_set) {
    for (const auto& v : patch)
      if (std::find(out.begin(), out.end(), v) == out.end())
        out.push_back(v);
    return out;
  }
  const std::string& key = f.merge_key;
  const TypeSchema* item = schema_of(f.type);
  for (const auto& p : patch) {
    if (p.is_object() && p.value("$patch", "") == "replace")
      return json::array();  // {"$patch": "replace"} alone replaces the list with the rest of the patch
    if (!p.is_object() || !p.contains(key)) {
      if (p.is_object() && p.contains("$patch"))
        continue;
      throw ApiError(422, "Invalid", "map: " + p.dump() + " does not contain declared merge key: " + key);
    }
    auto at = std::find_if(out.begin(), out.end(), [&](const json& e) { return e.is_object() && e.value(key, json()) == p[key]; });
    if (p.value("$patch", "") == "delete") {
      if (at != out.end())
        out.erase(at);
      continue;
    }
    if (at == out.end())
      out.push_back(merge_object(json::object(), p, item));
    else
      *at = merge_object(*at, p, item);
  }
  return out;
}

// An array index of a JSON pointer below `bound`; 422 otherwise.
size_t array_index(const std::string& token, size_t bound, const std::string& path)
{
  const bool digits = !token.empty() && token.find_first_not_of("0123456789") == std::string::npos && token.size() < 10;
  if (!digits || std::stoul(token) >= bound)
    throw ApiError(422, "Invalid", "the JSON patch path " + path + " is not an index of the array");
  return std::stoul(token);
}

}  // namespace

json merge_patch(json target, const json& patch)
{
  if (!patch.is_object())
    return patch;
  if (!target.is_object())
    target = json::object();
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (it->is_null())
      target.erase(it.key());
    else
      target[it.key()] = merge_patch(target.contains(it.key()) ? target[it.key()] : json(), *it);
  }
  return target;
}

json strategic_merge_patch(json target, const json& patch, const TypeSchema* t)
{
  if (!patch.is_object())
    throw bad_request("a strategic merge patch must be a JSON object");
  json out = merge_object(std::move(target), patch, t);
  return out.is_null() ? json::object() : out;
}

json json_patch(json target, const json& ops)
{
  if (!ops.is_array())
    throw bad_request("a JSON patch must be an array of operations");
  for (const auto& op : ops) {
    const std::string name = op.value("op", "");
    const std::string path = op.value("path", "");
    json::json_pointer ptr;
    try {
      ptr = json::json_pointer(path);
    } catch (const json::exception&) {
      throw bad_request("the JSON patch path " + path + " is not a JSON pointer");
    }
    try {
      if (name == "add") {
        const std::string last = path.substr(path.rfind('/') + 1);
        json& parent = target.at(ptr.parent_pointer());
        if (parent.is_array()) {
          const size_t at = last == "-" ? parent.size() : array_index(last, parent.size() + 1, path);
          parent.insert(parent.begin() + static_cast<long>(at), op.at("value"));
        } else
          target[ptr] = op.at("value");
      } else if (name == "remove") {
        json& parent = target.at(ptr.parent_pointer());
        const std::string last = path.substr(path.rfind('/') + 1);
        if (parent.is_array())
          parent.erase(array_index(last, parent.size(), path));
        else if (!parent.contains(last) || parent.erase(last) == 0)
          throw bad_request("the JSON patch removes " + path + ", which does not exist");
      } else if (name == "replace") {
        target.at(ptr) = op.at("value");
      } else if (name == "test") {
        if (target.at(ptr) != op.at("value"))
          throw ApiError(422, "Invalid", "the JSON patch test at " + path + " failed");
      } else if (name == "move" || name == "copy") {
        const json::json_pointer from(op.value("from", ""));
        json v = target.at(from);
        if (name == "move")
          target.at(from.parent_pointer()).erase(op.value("from", "").substr(op.value("from", "").rfind('/') + 1));
        target[ptr] = v;
      } else {
        throw bad_request("unknown JSON patch operation \"" + name + "\"");
      }
    } catch (const json::exception& e) {
      throw ApiError(422, "Invalid", "the JSON patch operation " + op.dump() + " cannot apply: " + e.what());
    } catch (const std::logic_error& e) {
      throw ApiError(422, "Invalid", "the JSON patch operation " + op.dump() + " cannot apply: " + e.what());
    }
  }
  return target;
}

}  // namespace migsim::harness::k8s
