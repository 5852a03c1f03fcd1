// The ec2 protocol (botocore's EC2Serializer / EC2QueryParser): a query-style form (Action, Version)
// whose names follow EC2's own rules, and XML answers without a result wrapper.
//  - A member is named by its queryName, else its locationName with the first letter capitalised,
//    else the member name (InstanceIds -> "InstanceId", DryRun's "dryRun" -> "DryRun").
//  - Every list is flattened: Name.1, Name.2 (the member's own locationName is not used); an empty
//    list sends nothing. Maps as the query protocol, keys/values named by the same rule.
//  - Answers: <OpResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>..</requestId>
//    then the output members as elements (locationName, lists as <item>).
//  - Errors: <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>.
#include "harness/aws/protocol/protocols.hpp"
#include "harness/aws/protocol/text.hpp"
#include "harness/aws/protocol/values.hpp"
#include "harness/aws/protocol/xml_shape.hpp"

#include <cctype>
#include <map>
#include <optional>

namespace migsim::aws::detail {

namespace {

using Params = std::map<std::string, std::string>;

std::string join(const std::string& prefix, const std::string& name) { return prefix.empty() ? name : prefix + "." + name; }

// EC2's serialized name of a member (or map key/value) reference.
std::string ec2_name(const json& ref, const std::string& fallback)
{
  if (std::string q = str(ref, "queryName"); !q.empty())
    return q;
  std::string n = str(ref, "locationName");
  if (n.empty())
    return fallback;
  n[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(n[0])));
  return n;
}

// Whether any parameter lies under `key.`.
bool has_children(const Params& p, const std::string& key)
{
  const std::string pre = key + ".";
  auto it = p.lower_bound(pre);
  return it != p.end() && it->first.compare(0, pre.size(), pre) == 0;
}

// Appends the form fields of a value (botocore's EC2Serializer rules).
void write_params(const Model& m, const json& ref, const json& shape, const std::string& prefix, const json& value,
                  std::vector<std::pair<std::string, std::string>>& out)
{
  const std::string& t = type_of(shape);
  if (t == "structure") {
    for (const auto& [name, mref] : members_of(shape).items()) {
      auto v = value.find(name);
      if (v != value.end() && !v->is_null())
        write_params(m, mref, m.shape_of(mref), join(prefix, ec2_name(mref, name)), *v, out);
    }
  } else if (t == "list") {
    const json& item_ref = shape["member"];
    for (size_t i = 0; i < value.size(); ++i)
      write_params(m, item_ref, m.shape_of(item_ref), prefix + "." + std::to_string(i + 1), value[i], out);
  } else if (t == "map") {
    const std::string base = flag(shape, "flattened") ? prefix : prefix + ".entry";
    const std::string k = ec2_name(shape["key"], "key"), vn = ec2_name(shape["value"], "value");
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
    for (const auto& [name, mref] : members_of(shape).items())
      if (auto v = read_params(m, mref, m.shape_of(mref), join(key, ec2_name(mref, name)), p, join(path, name)))
        out[name] = std::move(*v);
    return out;
  }
  if (t == "list") {
    const json& item_ref = shape["member"];
    json arr = json::array();
    for (size_t i = 1;; ++i) {
      auto v = read_params(m, item_ref, m.shape_of(item_ref), key + "." + std::to_string(i), p,
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
    const std::string base = flag(shape, "flattened") ? key : key + ".entry";
    const std::string k = ec2_name(shape["key"], "key"), vn = ec2_name(shape["value"], "value");
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
  (void)ref;
  return scalar_value(shape, it->second, path);
}

// The namespace EC2 answers in: the model's, with the trailing slash real responses carry.
std::string ec2_namespace(const Model& m)
{
  std::string ns = m.info.xml_namespace;
  if (!ns.empty() && ns.back() != '/')
    ns += '/';
  return ns;
}

}  // namespace

WireRequest ec2_serialize_request(const Model& m, const std::string& op, const json& input)
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

ParsedRequest ec2_parse_request(const Model& m, const WireRequest& req)
{
  Params p;
  if (auto q = req.target.find('?'); q != std::string::npos)
    for (auto& [k, v] : text::parse_form(req.target.substr(q + 1)))
      p[k] = v;
  auto ct = req.headers.find("Content-Type");
  const bool form = ct == req.headers.end() || ct->second.find("x-www-form-urlencoded") != std::string::npos;
  if (!req.body.empty()) {
    if (!form)
      throw Violation{Violation::malformed, "", "the ec2 protocol takes an application/x-www-form-urlencoded body"};
    for (auto& [k, v] : text::parse_form(req.body))
      p[k] = v;
  }
  const std::string action = p.count("Action") ? p["Action"] : "";
  if (action.empty() || !m.operations.count(action))
    throw Violation{Violation::unknown_operation, "",
                    action.empty() ? "The request must contain the parameter Action"
                                   : "The action " + action + " is not valid for this web service."};
  if (p.count("Version") && p["Version"] != m.info.api_version)
    throw Violation{Violation::unknown_operation, "",
                    "The action " + action + " is not valid for version " + p["Version"] + " (ec2 speaks " +
                        m.info.api_version + ")"};
  ParsedRequest out{m.info.name, action, json::object()};
  const json& ref = m.input_ref(action);
  if (!ref.is_null()) {
    out.input = *read_params(m, json(), m.shape_of(ref), "", p, "");
    try {
      validate(m, m.shape_of(ref), out.input, "");
    } catch (Violation& v) {
      if (v.kind == Violation::missing)  // EC2 names the parameter as it is sent
        v.message = "The request must contain the parameter " + v.path;
      throw;
    }
  }
  return out;
}

WireResponse ec2_serialize_response(const Model& m, const std::string& op, const json& output, const std::string& request_id)
{
  WireResponse r;
  r.headers["Content-Type"] = "text/xml;charset=UTF-8";
  std::string& b = r.body;
  b = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + op + "Response xmlns=\"" + text::xml_escape(ec2_namespace(m)) +
      "\"><requestId>" + text::xml_escape(request_id) + "</requestId>";
  const json& ref = m.output_ref(op);
  if (!ref.is_null())
    write_xml_members(m, m.shape_of(ref), output.is_object() ? output : json::object(), b);
  b += "</" + op + "Response>";
  return r;
}

WireResponse ec2_serialize_error(const AwsError& e, const std::string& request_id)
{
  WireResponse r;
  r.status = e.status;
  r.headers["Content-Type"] = "text/xml;charset=UTF-8";
  r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + text::xml_escape(e.code) +
           "</Code><Message>" + text::xml_escape(e.message) + "</Message></Error></Errors><RequestID>" +
           text::xml_escape(request_id) + "</RequestID></Response>";
  return r;
}

json ec2_parse_output(const Model& m, const std::string& op, const std::string& body, std::string* request_id)
{
  std::unique_ptr<xml::Element> root;
  try {
    root = xml::parse(body);
  } catch (const xml::ParseError& e) {
    throw AwsError("MalformedResponse", std::string("the response is not XML: ") + e.what(), 500, false);
  }
  if (request_id)
    if (const xml::Element* rid = root->child("requestId"))
      *request_id = rid->text;
  const json& ref = m.output_ref(op);
  if (ref.is_null())
    return json::object();
  try {
    return read_xml_members(m, m.shape_of(ref), *root, "");
  } catch (const Violation& v) {
    throw AwsError("MalformedResponse", v.message, 500, false);
  }
}

}  // namespace migsim::aws::detail
