#include "harness/aws/protocol/xml_shape.hpp"

#include "harness/aws/protocol/text.hpp"
#include "harness/aws/protocol/values.hpp"

namespace migsim::aws {

namespace {

// The element name of a member.
std::string element_name(const json& ref, const std::string& member)
{
  return str(ref, "locationName", member);
}

// Whether a list or map reached through `ref` is flattened.
bool flattened(const json& ref, const json& shape)
{
  return flag(shape, "flattened") || (ref.is_object() && flag(ref, "flattened"));
}

// ` xmlns="uri"` (or xmlns:prefix) of a reference or shape that declares one.
std::string xmlns_attr(const json& ref, const json& shape)
{
  const json* ns = nullptr;
  if (ref.is_object() && ref.contains("xmlNamespace"))
    ns = &ref["xmlNamespace"];
  else if (shape.contains("xmlNamespace"))
    ns = &shape["xmlNamespace"];
  if (!ns)
    return "";
  const std::string prefix = str(*ns, "prefix");
  return " xmlns" + (prefix.empty() ? "" : ":" + prefix) + "=\"" + text::xml_escape(str(*ns, "uri")) + "\"";
}

}  // namespace

void write_xml_members(const Model& m, const json& shape, const json& value, std::string& out)
{
  const json& members = members_of(shape);
  for (const auto& [name, ref] : members.items()) {
    auto v = value.find(name);
    if (v == value.end() || v->is_null() || flag(ref, "xmlAttribute"))
      continue;
    const json& ms = m.shape_of(ref);
    const std::string el = element_name(ref, name);
    const std::string& t = type_of(ms);
    if (t == "list" && flattened(ref, ms)) {
      const json& item_ref = ms.at("member");
      const std::string item_el = str(item_ref, "locationName", el);
      for (const auto& item : *v)
        write_xml(m, item_ref, m.shape_of(item_ref), item_el, item, out);
    } else if (t == "map" && flattened(ref, ms)) {
      const std::string k = str(ms["key"], "locationName", "key"), vn = str(ms["value"], "locationName", "value");
      for (const auto& [key, val] : v->items()) {
        out += "<" + el + "><" + k + ">" + text::xml_escape(key) + "</" + k + ">";
        write_xml(m, ms["value"], m.shape_of(ms["value"]), vn, val, out);
        out += "</" + el + ">";
      }
    } else {
      write_xml(m, ref, ms, el, *v, out);
    }
  }
}

void write_xml(const Model& m, const json& ref, const json& shape, const std::string& name, const json& value,
               std::string& out)
{
  const std::string& t = type_of(shape);
  out += "<" + name + xmlns_attr(ref, shape);
  if (t == "structure") {
    for (const auto& [mname, mref] : members_of(shape).items())
      if (flag(mref, "xmlAttribute") && value.contains(mname))
        out += " " + element_name(mref, mname) + "=\"" +
               text::xml_escape(scalar_text(m.shape_of(mref), value[mname], "iso8601")) + "\"";
    out += ">";
    write_xml_members(m, shape, value, out);
  } else if (t == "list") {
    out += ">";
    const json& item_ref = shape.at("member");
    const std::string item_el = str(item_ref, "locationName", "member");
    for (const auto& item : value)
      write_xml(m, item_ref, m.shape_of(item_ref), item_el, item, out);
  } else if (t == "map") {
    out += ">";
    const std::string k = str(shape["key"], "locationName", "key"), vn = str(shape["value"], "locationName", "value");
    for (const auto& [key, val] : value.items()) {
      out += "<entry><" + k + ">" + text::xml_escape(key) + "</" + k + ">";
      write_xml(m, shape["value"], m.shape_of(shape["value"]), vn, val, out);
      out += "</entry>";
    }
  } else {
    out += ">" + text::xml_escape(scalar_text(shape, value, timestamp_format(ref, shape, "iso8601")));
  }
  out += "</" + name + ">";
}

json read_xml_members(const Model& m, const json& shape, const xml::Element& e, const std::string& path)
{
  json out = json::object();
  const json& members = members_of(shape);
  for (const auto& [name, ref] : members.items()) {
    const json& ms = m.shape_of(ref);
    const std::string el = element_name(ref, name);
    const std::string mpath = path.empty() ? name : path + "." + name;
    if (flag(ref, "xmlAttribute")) {
      auto a = e.attributes.find(el);
      if (a == e.attributes.end()) {
        const auto colon = el.find(':');  // xsi:type is stored by its local name
        if (colon != std::string::npos)
          a = e.attributes.find(el.substr(colon + 1));
      }
      if (a != e.attributes.end())
        out[name] = scalar_value(ms, a->second, mpath);
      continue;
    }
    const std::string& t = type_of(ms);
    if (t == "list" && flattened(ref, ms)) {
      const std::string item_el = str(ms["member"], "locationName", el);
      auto items = e.children_named(item_el);
      if (items.empty())
        continue;
      json arr = json::array();
      for (size_t i = 0; i < items.size(); ++i)
        arr.push_back(read_xml(m, m.shape_of(ms["member"]), *items[i], mpath + "[" + std::to_string(i) + "]"));
      out[name] = std::move(arr);
    } else if (t == "map" && flattened(ref, ms)) {
      auto entries = e.children_named(el);
      if (entries.empty())
        continue;
      const std::string k = str(ms["key"], "locationName", "key"), vn = str(ms["value"], "locationName", "value");
      json obj = json::object();
      for (const auto* entry : entries) {
        const auto* ke = entry->child(k);
        const auto* ve = entry->child(vn);
        if (ke)
          obj[ke->text] = ve ? read_xml(m, m.shape_of(ms["value"]), *ve, mpath + "[" + ke->text + "]") : json();
      }
      out[name] = std::move(obj);
    } else if (const auto* c = e.child(el)) {
      out[name] = read_xml(m, ms, *c, mpath);
    }
  }
  return out;
}

json read_xml(const Model& m, const json& shape, const xml::Element& e, const std::string& path)
{
  const std::string& t = type_of(shape);
  if (t == "structure")
    return read_xml_members(m, shape, e, path);
  if (t == "list") {
    json arr = json::array();
    for (size_t i = 0; i < e.children.size(); ++i)
      arr.push_back(read_xml(m, m.shape_of(shape["member"]), *e.children[i], path + "[" + std::to_string(i) + "]"));
    return arr;
  }
  if (t == "map") {
    const std::string k = str(shape["key"], "locationName", "key"), vn = str(shape["value"], "locationName", "value");
    json obj = json::object();
    for (const auto& entry : e.children) {
      const auto* ke = entry->child(k);
      const auto* ve = entry->child(vn);
      if (ke)
        obj[ke->text] = ve ? read_xml(m, m.shape_of(shape["value"]), *ve, path + "[" + ke->text + "]") : json();
    }
    return obj;
  }
  return scalar_value(shape, e.text, path);
}

}  // namespace migsim::aws
