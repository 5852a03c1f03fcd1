// The query protocol (STS, SNS, ELBv2, Auto Scaling, RDS, CloudWatch's query flavour): parameters
// flattened into form fields (Topic.Name, Ids.member.1, Attributes.entry.1.key), answers in XML
// <OpResponse><OpResult>...</OpResult><ResponseMetadata><RequestId>.
#include "harness/aws/protocol/protocols.hpp"
#include "harness/aws/protocol/text.hpp"
#include "harness/aws/protocol/values.hpp"
#include "harness/aws/protocol/xml_shape.hpp"

#include <map>
#include <optional>

namespace migsim::aws::detail {

namespace {

using Params = std::map<std::string, std::string>;

std::string join(const std::string& prefix, const std::string& name) { return prefix.empty() ? name : prefix + "." + name; }

bool flattened(const json& ref, const json& shape) { return flag(shape, "flattened") || (ref.is_object() && flag(ref, "flattened")); }

// Whether any parameter lies under `key.`.
bool has_children(const Params& p, const std::string& key)
{
  const std::string pre = key + ".";
  auto it = p.lower_bound(pre);
  return it != p.end() && it->first.compare(0, pre.size(), pre) == 0;
}

// Appends the form fields of a value (botocore's QuerySerializer rules).
void write_params(const Model& m, const json& ref, const json& shape, const std::string& prefix, const json& value,
                  std::vector<std::pair<std::string, std::string>>& out)
{
  const std::string& t = type_of(shape);
  if (t == "structure") {
    const json& members = members_of(shape);
    for (const auto& [name, mref] : members.items()) {
      auto v = value.find(name);
      if (v != value.end() && !v->is_null())
        write_params(m, mref, m.shape_of(mref), join(prefix, str(mref, "locationName", name)), *v, out);
    }
  } else if (t == "list") {
    if (value.empty()) {
      out.emplace_back(prefix, "");
      return;
    }
    const json& item_ref = shape["member"];
    const std::string base = flattened(ref, shape) ? prefix : prefix + "." + str(item_ref, "locationName", "member");
    for (size_t i = 0; i < value.size(); ++i)
      write_params(m, item_ref, m.shape_of(item_ref), base + "." + std::to_string(i + 1), value[i], out);
  } else if (t == "map") {
    const std::string base = flattened(ref, shape) ? prefix : prefix + ".entry";
    const std::string k = str(shape["key"], "locationName", "key"), vn = str(shape["value"], "locationName", "value");
    size_t i = 0;
    for (const auto& [key, val] : value.items()) {
      const std::string entry = base + "." + std::to_string(++i);
      out.emplace_back(entry + "." + k, key);
      write_params(m, shape["value"], m.shape_of(shape["value"]), entry + "." + vn, val, out);
    }
  } else {
    out.emplace_back(prefix, scalar_text(shape, value, timestamp_format(ref, shape, "iso8601")));
  }
}

// Reads a value of `shape` from the form fields under `key`; nullopt when none is there.
std::optional<json> read_params(const Model& m, const json& ref, const json& shape, const std::string& key,
                                const Params& p, const std::string& path)
{
  const std::string& t = type_of(shape);
  if (t == "structure") {
    if (!key.empty() && !has_children(p, key))
      return std::nullopt;
    json out = json::object();
    const json& members = members_of(shape);
    for (const auto& [name, mref] : members.items())
      if (auto v = read_params(m, mref, m.shape_of(mref), join(key, str(mref, "locationName", name)), p, join(path, name)))
        out[name] = std::move(*v);
    return out;
  }
  if (t == "list") {
    if (auto it = p.find(key); it != p.end() && it->second.empty() && !has_children(p, key))
      return json::array();
    const json& item_ref = shape["member"];
    const std::string base = flattened(ref, shape) ? key : key + "." + str(item_ref, "locationName", "member");
    json arr = json::array();
    for (size_t i = 1;; ++i) {
      auto v = read_params(m, item_ref, m.shape_of(item_ref), base + "." + std::to_string(i), p,
                           path + "[" + std::to_string(i - 1) + "]");
      if (!v)
        break;
      arr.push_back(std::move(*v));
    }
    if (arr.empty())
      return std::nullopt;
    return arr;
  }
  if (t == "map") {
    const std::string base = flattened(ref, shape) ? key : key + ".entry";
    const std::string k = str(shape["key"], "locationName", "key"), vn = str(shape["value"], "locationName", "value");
    json obj = json::object();
    for (size_t i = 1;; ++i) {
      const std::string entry = base + "." + std::to_string(i);
      auto kit = p.find(entry + "." + k);
      if (kit == p.end())
        break;
      auto v = read_params(m, shape["value"], m.shape_of(shape["value"]), entry + "." + vn, p, path + "[" + kit->second + "]");
      obj[kit->second] = v ? std::move(*v) : json("");
    }
    if (obj.empty())
      return std::nullopt;
    return obj;
  }
  auto it = p.find(key);
  if (it == p.end())
    return std::nullopt;
  return scalar_value(shape, it->second, path);
}

// The element wrapping an operation's result: the output ref's resultWrapper or OpResult.
std::string result_wrapper(const Model& m, const std::string& op)
{
  return str(m.output_ref(op), "resultWrapper", op + "Result");
}

}  // namespace

WireRequest query_serialize_request(const Model& m, const std::string& op, const json& input)
{
  std::vector<std::pair<std::string, std::string>> params = {{"Action", op}, {"Version", m.info.api_version}};
  const json& ref = m.input_ref(op);
  if (!ref.is_null() && input.is_object())
    write_params(m, json(), m.shape_of(ref), "", input, params);
  WireRequest r;
  r.method = "POST";
  r.target = "/";
  r.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";
  for (const auto& [k, v] : params)
    r.body += (r.body.empty() ? "" : "&") + text::uri_encode(k) + "=" + text::uri_encode(v);
  return r;
}

ParsedRequest query_parse_request(const Model& m, const WireRequest& req)
{
  Params p;
  if (auto q = req.target.find('?'); q != std::string::npos)
    for (auto& [k, v] : text::parse_form(req.target.substr(q + 1)))
      p[k] = v;
  auto ct = req.headers.find("Content-Type");
  const bool form = ct == req.headers.end() || ct->second.find("x-www-form-urlencoded") != std::string::npos;
  if (!req.body.empty()) {
    if (!form)
      throw Violation{Violation::malformed, "", "the query protocol takes an application/x-www-form-urlencoded body"};
    for (auto& [k, v] : text::parse_form(req.body))
      p[k] = v;
  }
  const std::string action = p.count("Action") ? p["Action"] : "";
  if (action.empty() || !m.operations.count(action))
    throw Violation{Violation::unknown_operation, "",
                    action.empty() ? "the request names no Action"
                                   : "Could not find operation " + action + " for version " +
                                         (p.count("Version") ? p["Version"] : m.info.api_version)};
  if (p.count("Version") && p["Version"] != m.info.api_version)
    throw Violation{Violation::unknown_operation, "",
                    "Could not find operation " + action + " for version " + p["Version"] + " (" + m.info.name +
                        " speaks " + m.info.api_version + ")"};
  ParsedRequest out{m.info.name, action, json::object()};
  const json& ref = m.input_ref(action);
  if (!ref.is_null()) {
    out.input = *read_params(m, json(), m.shape_of(ref), "", p, "");
    try {
      validate(m, m.shape_of(ref), out.input, "");
    } catch (Violation& v) {
      if (v.kind == Violation::missing)  // query services name the parameter, not a path
        v.message = "The request must contain the parameter " + v.path;
      throw;
    }
  }
  return out;
}

WireResponse query_serialize_response(const Model& m, const std::string& op, const json& output,
                                      const std::string& request_id)
{
  WireResponse r;
  r.headers["Content-Type"] = "text/xml";
  std::string& b = r.body;
  b = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + op + "Response xmlns=\"" + text::xml_escape(m.info.xml_namespace) + "\">";
  const json& ref = m.output_ref(op);
  if (!ref.is_null()) {
    const std::string wrapper = result_wrapper(m, op);
    b += "<" + wrapper + ">";
    write_xml_members(m, m.shape_of(ref), output.is_object() ? output : json::object(), b);
    b += "</" + wrapper + ">";
  }
  b += "<ResponseMetadata><RequestId>" + text::xml_escape(request_id) + "</RequestId></ResponseMetadata></" + op +
       "Response>";
  return r;
}

WireResponse query_serialize_error(const Model* m, const AwsError& e, const std::string& request_id)
{
  WireResponse r;
  r.status = e.status;
  r.headers["Content-Type"] = "text/xml";
  const std::string ns = m && !m->info.xml_namespace.empty() ? " xmlns=\"" + text::xml_escape(m->info.xml_namespace) + "\"" : "";
  r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse" + ns + "><Error><Type>" +
           (e.sender ? "Sender" : "Receiver") + "</Type><Code>" + text::xml_escape(e.code) + "</Code><Message>" +
           text::xml_escape(e.message) + "</Message></Error><RequestId>" + text::xml_escape(request_id) +
           "</RequestId></ErrorResponse>";
  return r;
}

json query_parse_output(const Model& m, const std::string& op, const std::string& body)
{
  const json& ref = m.output_ref(op);
  if (ref.is_null())
    return json::object();
  std::unique_ptr<xml::Element> root;
  try {
    root = xml::parse(body);
  } catch (const xml::ParseError& e) {
    throw AwsError("MalformedResponse", std::string("the response is not XML: ") + e.what(), 500, false);
  }
  const xml::Element* result = root->child(result_wrapper(m, op));
  if (!result)
    return json::object();
  try {
    return read_xml_members(m, m.shape_of(ref), *result, "");
  } catch (const Violation& v) {
    throw AwsError("MalformedResponse", v.message, 500, false);
  }
}

AwsError xml_parse_error(int status, const std::string& body, std::string* request_id)
{
  std::string code = std::to_string(status), message;
  bool sender = status < 500;
  try {
    auto root = xml::parse(body);
    const xml::Element* err = root->name == "Error" ? root.get() : root->child("Error");
    if (!err && root->child("Errors"))
      err = root->child("Errors")->child("Error");
    if (err) {
      if (auto* c = err->child("Code")) code = c->text;
      if (auto* msg = err->child("Message")) message = msg->text;
      if (auto* t = err->child("Type")) sender = t->text != "Receiver";
    }
    const xml::Element* rid = root->child("RequestId");
    if (!rid)
      rid = root->child("RequestID");  // EC2's <Response>
    if (!rid && err)
      rid = err->child("RequestId");
    if (rid && request_id)
      *request_id = rid->text;
  } catch (const xml::ParseError&) {
    // no body (HEAD) or not XML: the status is all there is
  }
  return AwsError(code, message, status, sender);
}

}  // namespace migsim::aws::detail
