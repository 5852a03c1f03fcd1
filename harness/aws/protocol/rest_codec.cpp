// The rest-json (MGN, EKS) and rest-xml (Route 53, S3) protocols: the operation is the HTTP method
// plus the request URI template ("/2013-04-01/hostedzone/{Id}", "/{Bucket}/{Key+}?list-type=2"),
// members are bound to URI labels, querystring, headers or the body, and a `payload` member is
// the whole body (S3 object bytes, Route 53's XML document).
#include "harness/aws/protocol/protocols.hpp"
#include "harness/aws/protocol/text.hpp"
#include "harness/aws/protocol/values.hpp"
#include "harness/aws/protocol/xml_shape.hpp"
#include "sim/json_text.hpp"

#include <strings.h>

#include <optional>

namespace migsim::aws::detail {

namespace {

// A URI template split into path segments and the literal query it requires.
struct UriTemplate {
  std::vector<std::string> segments;  // "hostedzone", "{Id}", "{Key+}"
  std::vector<std::pair<std::string, std::string>> literal_query;  // ("list-type", "2"), ("tagging", "")
};

std::vector<std::string> split_path(const std::string& path)
{
  std::vector<std::string> out;
  size_t from = path.empty() || path[0] != '/' ? 0 : 1;
  if (from >= path.size())
    return out;
  for (;;) {
    const auto slash = path.find('/', from);
    out.push_back(path.substr(from, slash == std::string::npos ? std::string::npos : slash - from));
    if (slash == std::string::npos)
      break;
    from = slash + 1;
  }
  return out;
}

UriTemplate parse_template(const std::string& uri)
{
  UriTemplate t;
  const auto q = uri.find('?');
  t.segments = split_path(uri.substr(0, q));
  if (!t.segments.empty() && t.segments.back().empty())
    t.segments.pop_back();  // "/rrset/" matches "/rrset" too
  if (q != std::string::npos)
    t.literal_query = text::parse_form(uri.substr(q + 1));
  return t;
}

bool is_label(const std::string& seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }
bool is_greedy(const std::string& seg) { return is_label(seg) && seg[seg.size() - 2] == '+'; }
std::string label_name(const std::string& seg) { return seg.substr(1, seg.size() - (is_greedy(seg) ? 3 : 2)); }

// The member bound to a location (uri/querystring/header) under a wire name.
const json* member_at(const json& shape, const char* location, const std::string& wire_name, std::string* member)
{
  if (!shape.contains("members"))
    return nullptr;
  for (const auto& [name, ref] : shape["members"].items())
    if (str(ref, "location") == location && str(ref, "locationName", name) == wire_name) {
      *member = name;
      return &ref;
    }
  return nullptr;
}

// Labels of a matched request: label name -> decoded value. nullopt when the path does not match.
std::optional<std::map<std::string, std::string>> match(const UriTemplate& t, std::vector<std::string> segs,
                                                        const std::vector<std::pair<std::string, std::string>>& query)
{
  const bool greedy_last = !t.segments.empty() && is_greedy(t.segments.back());
  if (!greedy_last && !segs.empty() && segs.back().empty())
    segs.pop_back();
  for (const auto& [k, v] : t.literal_query) {
    bool found = false;
    for (const auto& [qk, qv] : query)
      found = found || (qk == k && (v.empty() || qv == v));
    if (!found)
      return std::nullopt;
  }
  std::map<std::string, std::string> labels;
  size_t i = 0;
  for (; i < t.segments.size(); ++i) {
    const std::string& seg = t.segments[i];
    if (is_greedy(seg)) {
      if (i >= segs.size())
        return std::nullopt;
      std::string rest;
      for (size_t k = i; k < segs.size(); ++k)
        rest += (k > i ? "/" : "") + text::uri_decode(segs[k], false);
      if (rest.empty())
        return std::nullopt;
      labels[label_name(seg)] = rest;
      return labels;
    }
    if (i >= segs.size())
      return std::nullopt;
    if (is_label(seg)) {
      if (segs[i].empty())
        return std::nullopt;
      labels[label_name(seg)] = text::uri_decode(segs[i], false);
    } else if (seg != segs[i]) {
      return std::nullopt;
    }
  }
  if (i != segs.size())
    return std::nullopt;
  return labels;
}

// The score of a match: literal segments and literal query parameters make a template more specific.
int specificity(const UriTemplate& t)
{
  int score = static_cast<int>(t.literal_query.size()) * 100;
  for (const auto& s : t.segments)
    score += is_label(s) ? (is_greedy(s) ? 1 : 5) : 10;
  return score;
}

// Decodes an aws-chunked body ("<hex-size>[;ext]\r\n<bytes>\r\n ... 0\r\n<trailers>\r\n").
std::string decode_aws_chunked(const std::string& body)
{
  std::string out;
  size_t i = 0;
  while (i < body.size()) {
    const auto eol = body.find("\r\n", i);
    if (eol == std::string::npos)
      throw Violation{Violation::malformed, "", "truncated aws-chunked body"};
    const size_t n = std::stoul(body.substr(i, eol - i), nullptr, 16);
    if (n == 0)
      break;
    if (eol + 2 + n > body.size())
      throw Violation{Violation::malformed, "", "truncated aws-chunked body"};
    out.append(body, eol + 2, n);
    i = eol + 2 + n + 2;
  }
  return out;
}

// The root element name of a rest-xml body shape.
std::string xml_root_name(const Model& m, const std::string& op, const json& ref, const std::string& shape_name)
{
  if (ref.is_object() && ref.contains("locationName"))
    return ref["locationName"];
  const json& shape = m.shape(shape_name);
  if (shape.contains("locationName"))
    return shape["locationName"];
  if (op == "ListBuckets")
    return "ListAllMyBucketsResult";
  if (op == "ListObjects" || op == "ListObjectsV2")
    return "ListBucketResult";
  if (shape_name.size() > 8 && shape_name.compare(shape_name.size() - 8, 8, "Response") == 0)
    return shape_name;
  return op + "Result";
}

// Whether a structure has members that go in the body (no location).
bool has_body_members(const json& shape)
{
  if (shape.contains("payload"))
    return true;
  if (shape.contains("members"))
    for (const auto& [_, ref] : shape["members"].items())
      if (!ref.contains("location"))
        return true;
  return false;
}

// The body members of a value (those without a location).
json body_members(const json& shape, const json& value)
{
  json out = json::object();
  for (const auto& [name, ref] : shape["members"].items())
    if (!ref.contains("location") && value.contains(name))
      out[name] = value[name];
  return out;
}

// Writes the body of a structure (input or output) as the protocol wants; sets Content-Type.
void write_body(const Model& m, const std::string& op, const json& ref, const std::string& shape_name,
                const json& value, Protocol p, std::string& body, Headers& headers)
{
  const json& shape = m.shape(shape_name);
  if (shape.contains("payload")) {
    const std::string member = shape["payload"];
    const json& mref = shape["members"][member];
    const json& ms = m.shape_of(mref);
    auto v = value.find(member);
    if (v == value.end() || v->is_null())
      return;
    if (type_of(ms) == "blob") {
      body = text::base64_decode(v->get<std::string>()).value_or("");
      if (!headers.count("Content-Type"))
        headers["Content-Type"] = "application/octet-stream";
    } else if (type_of(ms) == "string") {
      body = v->get<std::string>();
    } else if (p == Protocol::rest_json) {
      body = to_json_wire(m, ms, *v).dump();
      headers["Content-Type"] = "application/json";
    } else {
      write_xml(m, mref, ms, str(mref, "locationName", str(ms, "locationName", member)), *v, body);
      headers["Content-Type"] = "application/xml";
    }
    return;
  }
  if (!has_body_members(shape))
    return;
  const json members = body_members(shape, value);
  if (p == Protocol::rest_json) {
    body = to_json_wire(m, shape, members).dump();
    headers["Content-Type"] = "application/json";
    return;
  }
  if (members.empty())
    return;
  std::string ns;
  if (ref.is_object() && ref.contains("xmlNamespace"))
    ns = str(ref["xmlNamespace"], "uri");
  else
    ns = m.info.xml_namespace;
  const std::string root = xml_root_name(m, op, ref, shape_name);
  body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + root + (ns.empty() ? "" : " xmlns=\"" + text::xml_escape(ns) + "\"") + ">";
  write_xml_members(m, shape, members, body);
  body += "</" + root + ">";
  headers["Content-Type"] = "application/xml";
}

// Reads a body into `out` (payload member or body members); throws Violation{malformed}.
void read_body(const Model& m, const json& shape, const std::string& body, Protocol p, json& out)
{
  if (shape.contains("payload")) {
    const std::string member = shape["payload"];
    const json& ms = m.shape_of(shape["members"][member]);
    if (type_of(ms) == "blob") {
      out[member] = text::base64_encode(body);
      return;
    }
    if (type_of(ms) == "string") {
      out[member] = body;
      return;
    }
    if (body.empty())
      return;
    if (p == Protocol::rest_json) {
      json j = sim::parse_wire_json(body);
      if (j.is_discarded())
        throw Violation{Violation::malformed, "", "the body is not JSON"};
      out[member] = from_json_wire(m, ms, j);
    } else {
      try {
        out[member] = read_xml(m, ms, *xml::parse(body), member);
      } catch (const xml::ParseError& e) {
        throw Violation{Violation::malformed, "", std::string("The XML you provided was not well-formed: ") + e.what()};
      }
    }
    return;
  }
  if (body.empty() || !has_body_members(shape))
    return;
  if (p == Protocol::rest_json) {
    json j = sim::parse_wire_json(body);
    if (j.is_discarded() || !j.is_object())
      throw Violation{Violation::malformed, "", "the body is not a JSON object"};
    const json parsed = from_json_wire(m, shape, j);
    for (const auto& [k, v] : parsed.items())
      if (shape["members"].contains(k) && !shape["members"][k].contains("location"))
        out[k] = v;
  } else {
    try {
      auto root = xml::parse(body);
      const json parsed = read_xml_members(m, shape, *root, "");
      for (const auto& [k, v] : parsed.items())
        out[k] = v;
    } catch (const xml::ParseError& e) {
      throw Violation{Violation::malformed, "", std::string("The XML you provided was not well-formed: ") + e.what()};
    }
  }
}

// Members bound to headers, read from a header map (requests and responses alike).
void read_headers(const Model& m, const json& shape, const Headers& headers, json& out)
{
  if (!shape.contains("members"))
    return;
  for (const auto& [name, ref] : shape["members"].items()) {
    const std::string loc = str(ref, "location");
    if (loc == "header") {
      auto h = headers.find(str(ref, "locationName", name));
      if (h != headers.end())
        out[name] = scalar_value(m.shape_of(ref), h->second, name);
    } else if (loc == "headers") {
      const std::string prefix = str(ref, "locationName");
      json map = json::object();
      for (const auto& [k, v] : headers)
        if (k.size() > prefix.size() && strncasecmp(k.c_str(), prefix.c_str(), prefix.size()) == 0) {
          std::string key = k.substr(prefix.size());
          for (auto& c : key)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          map[key] = v;
        }
      if (!map.empty())
        out[name] = map;
    }
  }
}

// Members bound to headers, written into a header map.
void write_headers(const Model& m, const json& shape, const json& value, Headers& headers)
{
  if (!shape.contains("members"))
    return;
  for (const auto& [name, ref] : shape["members"].items()) {
    auto v = value.find(name);
    if (v == value.end() || v->is_null())
      continue;
    const std::string loc = str(ref, "location");
    const json& ms = m.shape_of(ref);
    if (loc == "header")
      headers[str(ref, "locationName", name)] = scalar_text(ms, *v, timestamp_format(ref, ms, "rfc822"));
    else if (loc == "headers")
      for (const auto& [k, hv] : v->items())
        headers[str(ref, "locationName") + k] = hv.is_string() ? hv.get<std::string>() : hv.dump();
  }
}

}  // namespace

WireRequest rest_serialize_request(const Model& m, const std::string& op, const json& input, Protocol p)
{
  const OperationInfo& info = m.operations.at(op);
  const json& ref = m.input_ref(op);
  const json value = input.is_object() ? input : json::object();
  WireRequest r;
  r.method = info.http_method;
  const auto q = info.request_uri.find('?');
  std::string path = info.request_uri.substr(0, q);
  std::string query = q == std::string::npos ? "" : info.request_uri.substr(q + 1);
  if (!ref.is_null()) {
    const json& shape = m.shape_of(ref);
    for (const auto& [name, mref] : members_of(shape).items()) {
      const std::string loc = str(mref, "location");
      const json& ms = m.shape_of(mref);
      auto v = value.find(name);
      if (loc == "uri") {
        const std::string label = str(mref, "locationName", name);
        for (const bool greedy : {false, true}) {
          const std::string token = "{" + label + (greedy ? "+}" : "}");
          if (auto at = path.find(token); at != std::string::npos) {
            if (v == value.end())
              throw AwsError("ValidationException", "missing the URI label " + name + " of " + op);
            path.replace(at, token.size(), text::uri_encode(scalar_text(ms, *v, "iso8601"), greedy));
          }
        }
      } else if (loc == "querystring" && v != value.end() && !v->is_null()) {
        auto add = [&](const std::string& k, const std::string& val) {
          query += (query.empty() ? "" : "&") + text::uri_encode(k) + "=" + text::uri_encode(val);
        };
        const std::string key = str(mref, "locationName", name);
        if (type_of(ms) == "list")
          for (const auto& item : *v)
            add(key, scalar_text(m.shape_of(ms["member"]), item, "iso8601"));
        else if (type_of(ms) == "map")
          for (const auto& [k, item] : v->items())
            add(k, item.is_string() ? item.get<std::string>() : item.dump());
        else
          add(key, scalar_text(ms, *v, timestamp_format(mref, ms, "iso8601")));
      }
    }
    write_headers(m, shape, value, r.headers);
    write_body(m, op, ref, ref["shape"], value, p, r.body, r.headers);
  }
  r.target = path + (query.empty() ? "" : "?" + query);
  return r;
}

// Whether an operation's template or input names query key `key`.
bool declares_query(const Model& m, const UriTemplate& t, const json& input_ref, const std::string& key)
{
  for (const auto& [k, _] : t.literal_query)
    if (k == key)
      return true;
  if (input_ref.is_null())
    return false;
  for (const auto& [name, ref] : members_of(m.shape_of(input_ref)).items())
    if (str(ref, "location") == "querystring" && str(ref, "locationName", name) == key)
      return true;
  return false;
}

const OperationInfo* rest_match(const Model& m, const WireRequest& req, std::map<std::string, std::string>* labels_out)
{
  const auto q = req.target.find('?');
  const std::vector<std::string> segs = split_path(req.target.substr(0, q));
  const auto query = q == std::string::npos ? std::vector<std::pair<std::string, std::string>>{}
                                            : text::parse_form(req.target.substr(q + 1));
  const OperationInfo* best = nullptr;
  int best_score = -1;
  for (const auto& [name, info] : m.operations) {
    if (info.http_method != req.method)
      continue;
    const UriTemplate t = parse_template(info.request_uri);
    auto l = match(t, segs, query);
    if (!l)
      continue;
    // Operations sharing a template (S3 PutObject, CopyObject, UploadPart) differ by the headers and
    // query parameters they require: a candidate needs all of its own, and each one it names counts.
    int score = specificity(t);
    bool complete = true;
    const json& in = m.input_ref(name);
    // An S3 subresource (a bare query key: ?cors, ?policy, ?lifecycle) names its own operation: a
    // template that does not declare it is not this request (PUT /bucket?cors is not CreateBucket).
    if (m.info.name == "s3")
      for (const auto& [k, v] : query)
        if (v.empty() && !declares_query(m, t, in, k))
          complete = false;
    if (!in.is_null()) {
      const json& shape = m.shape_of(in);
      for (const auto& r : shape.value("required", json::array())) {
        const json& ref = members_of(shape)[r.get<std::string>()];
        const std::string loc = str(ref, "location"), wire = str(ref, "locationName", r.get<std::string>());
        if (loc == "header") {
          complete = complete && req.headers.count(wire);
          score += 50;
        } else if (loc == "querystring") {
          bool present = false;
          for (const auto& [k, v] : query)
            present = present || k == wire;
          complete = complete && present;
          score += 50;
        }
      }
    }
    if (complete && score > best_score) {
      best = &info;
      if (labels_out)
        *labels_out = std::move(*l);
      best_score = score;
    }
  }
  return best;
}

ParsedRequest rest_parse_request(const Model& m, const WireRequest& req, Protocol p)
{
  const auto q = req.target.find('?');
  const auto query = q == std::string::npos ? std::vector<std::pair<std::string, std::string>>{}
                                            : text::parse_form(req.target.substr(q + 1));
  std::map<std::string, std::string> labels;
  const OperationInfo* best = rest_match(m, req, &labels);
  if (!best)
    throw Violation{Violation::unknown_operation, "",
                    req.method + " " + req.target.substr(0, q) + " is not an operation of " + m.info.name + " known to migsim"};
  ParsedRequest out{m.info.name, best->name, json::object()};
  const json& ref = m.input_ref(best->name);
  if (ref.is_null())
    return out;
  const json& shape = m.shape_of(ref);
  std::string member;
  for (const auto& [label, val] : labels)
    if (const json* mref = member_at(shape, "uri", label, &member))
      out.input[member] = scalar_value(m.shape_of(*mref), val, member);
  for (const auto& [k, val] : query)
    if (const json* mref = member_at(shape, "querystring", k, &member)) {
      const json& ms = m.shape_of(*mref);
      if (type_of(ms) == "list")
        out.input[member].push_back(scalar_value(m.shape_of(ms["member"]), val, member));
      else
        out.input[member] = scalar_value(ms, val, member);
    }
  read_headers(m, shape, req.headers, out.input);
  std::string body = req.body;
  auto enc = req.headers.find("Content-Encoding");
  auto sha = req.headers.find("x-amz-content-sha256");
  if ((enc != req.headers.end() && enc->second.find("aws-chunked") != std::string::npos) ||
      (sha != req.headers.end() && sha->second.rfind("STREAMING-", 0) == 0))
    body = decode_aws_chunked(body);
  read_body(m, shape, body, p, out.input);
  validate(m, shape, out.input, "");
  return out;
}

WireResponse rest_serialize_response(const Model& m, const std::string& op, const json& output, Protocol p)
{
  WireResponse r;
  r.status = m.operations.at(op).response_code;
  const json& ref = m.output_ref(op);
  if (ref.is_null()) {
    if (p == Protocol::rest_json) {
      r.body = "{}";
      r.headers["Content-Type"] = "application/json";
    }
    return r;
  }
  const json& shape = m.shape_of(ref);
  const json value = output.is_object() ? output : json::object();
  for (const auto& [name, mref] : members_of(shape).items())
    if (str(mref, "location") == "statusCode" && value.contains(name))
      r.status = value[name].get<int>();
  if (value.contains("$status"))  // a handler's status other than the model's (S3's 206 Partial Content)
    r.status = value["$status"].get<int>();
  write_headers(m, shape, value, r.headers);
  if (m.info.name == "s3" && op == "GetBucketLocation") {
    // S3's one response whose root element is its member, the region as the root's text (empty for
    // us-east-1): <LocationConstraint xmlns="...">eu-west-1</LocationConstraint>. The SDKs read it so.
    const std::string region = value.value("LocationConstraint", json()).is_string()
                                   ? value["LocationConstraint"].get<std::string>()
                                   : "";
    r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"" +
             text::xml_escape(m.info.xml_namespace) + "\">" + text::xml_escape(region) + "</LocationConstraint>";
    r.headers["Content-Type"] = "application/xml";
    return r;
  }
  write_body(m, op, ref, ref["shape"], value, p, r.body, r.headers);
  if (p == Protocol::rest_json && r.body.empty() && !shape.contains("payload")) {
    r.body = "{}";
    r.headers["Content-Type"] = "application/json";
  }
  return r;
}

WireResponse rest_xml_serialize_error(const Model& m, const AwsError& e, const std::string& request_id)
{
  WireResponse r;
  r.status = e.status;
  r.headers["Content-Type"] = "application/xml";
  const std::string inner = "<Code>" + text::xml_escape(e.code) + "</Code><Message>" + text::xml_escape(e.message) + "</Message>";
  if (m.info.name == "s3") {
    r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>" + inner + "<RequestId>" + text::xml_escape(request_id) +
             "</RequestId></Error>";
    return r;
  }
  r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"" + text::xml_escape(m.info.xml_namespace) +
           "\"><Error><Type>" + (e.sender ? "Sender" : "Receiver") + "</Type>" + inner + "</Error><RequestId>" +
           text::xml_escape(request_id) + "</RequestId></ErrorResponse>";
  return r;
}

json rest_parse_output(const Model& m, const std::string& op, int status, const Headers& headers,
                       const std::string& body, Protocol p)
{
  const json& ref = m.output_ref(op);
  json out = json::object();
  if (ref.is_null())
    return out;
  const json& shape = m.shape_of(ref);
  try {
    for (const auto& [name, mref] : members_of(shape).items())
      if (str(mref, "location") == "statusCode")
        out[name] = status;
    read_headers(m, shape, headers, out);
    read_body(m, shape, body, p, out);
  } catch (const Violation& v) {
    throw AwsError("MalformedResponse", v.message, 500, false);
  }
  return out;
}

}  // namespace migsim::aws::detail
