#include "harness/serve/services_wire.hpp"

#include "harness/serve/chaos_rules.hpp"
#include "harness/serve/cloudwatch_ops.hpp"
#include "harness/serve/dms_ops.hpp"
#include "harness/serve/events_book.hpp"
#include "harness/serve/mgn_ops.hpp"
#include "harness/serve/route53_wire.hpp"
#include "harness/serve/router.hpp"
#include "harness/serve/services_state.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

namespace migsim::harness::serve {

namespace {

using nlohmann::json;

constexpr const char* kCloudWatchTarget = "GraniteServiceVersion20100801.";
constexpr const char* kDmsTarget = "AmazonDMSv20160101.";
constexpr const char* kCloudWatchXmlns = "http://monitoring.amazonaws.com/doc/2010-08-01/";

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

std::string header(const Request& req, const char* name)
{
  auto it = req.find(name);
  return it == req.end() ? std::string() : std::string(it->value());
}

std::string path_of(const Request& req)
{
  std::string p(req.target());
  return p.substr(0, p.find('?'));
}

// The region of a SigV4 credential scope ("us-east-1" when absent).
std::string scope_region(const std::string& authorization)
{
  const auto at = authorization.find("Credential=");
  if (at == std::string::npos)
    return "us-east-1";
  std::string scope = authorization.substr(at + 11);
  scope = scope.substr(0, scope.find_first_of(", "));
  const auto a = scope.find('/'), b = scope.find('/', a + 1), c = scope.find('/', b + 1);
  if (a == std::string::npos || b == std::string::npos || c == std::string::npos)
    return "us-east-1";
  return scope.substr(b + 1, c - b - 1);
}

// The query Action of a form body or query string.
std::string query_action(const Request& req)
{
  std::string a = form_value(req.body(), "Action");
  if (a.empty()) {
    const std::string t(req.target());
    if (auto q = t.find('?'); q != std::string::npos)
      a = form_value(t.substr(q + 1), "Action");
  }
  return a;
}

// Which wire protocol a request speaks.
enum class Wire { Json, Query, RestXml, RestJson, Unknown };

Wire wire_of(const CallIdentity& id, const Request& req)
{
  if (!header(req, "X-Amz-Target").empty())
    return Wire::Json;
  if (id.service == "route53" || id.service == "s3")
    return Wire::RestXml;
  if (!query_action(req).empty())
    return Wire::Query;
  if (id.service == "mgn" || id.service == "eks")
    return Wire::RestJson;
  return Wire::Unknown;
}

// An error in the request's protocol.
Response protocol_error(const CallIdentity& id, const Request& req, const ApiError& e, ServeContext& ctx)
{
  const auto status = static_cast<http::status>(e.status);
  switch (wire_of(id, req)) {
    case Wire::Query:
      return aws_query_error(status, e.code, e.message, ctx.request_id, e.status < 500);
    case Wire::RestXml:
      return route53_error(e, ctx.request_id);
    case Wire::Json: {
      std::string ct = header(req, "Content-Type");
      Response r = aws_json_error(status, e.code, e.message, ct.empty() ? "application/x-amz-json-1.1" : ct);
      r.set("x-amzn-query-error", e.code + (e.status < 500 ? ";Sender" : ";Receiver"));
      return r;
    }
    default: {
      Response r = json_response(status, {{"message", e.message}});
      r.set("x-amzn-ErrorType", e.code);
      return r;
    }
  }
}

// Decodes %XX and '+' of a form-encoded component.
std::string url_decode(const std::string& s)
{
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// "a.member.2.b" query keys as nested JSON (lists 0-based); values stay strings.
json query_input(const std::string& form)
{
  json in = json::object();
  size_t from = 0;
  while (from < form.size()) {
    size_t amp = form.find('&', from);
    if (amp == std::string::npos)
      amp = form.size();
    const std::string pair = form.substr(from, amp - from);
    from = amp + 1;
    const auto eq = pair.find('=');
    const std::string decoded_key = url_decode(pair.substr(0, eq));
    const std::string value = eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1));
    if (decoded_key == "Action" || decoded_key == "Version")
      continue;
    std::vector<std::string> parts;
    size_t p = 0;
    for (size_t dot; (dot = decoded_key.find('.', p)) != std::string::npos; p = dot + 1)
      parts.push_back(decoded_key.substr(p, dot - p));
    parts.push_back(decoded_key.substr(p));
    json* cur = &in;
    for (size_t i = 0; i < parts.size(); ++i) {
      const bool last = i + 1 == parts.size();
      if (parts[i] == "member" && i + 1 < parts.size()) {
        const long n = std::strtol(parts[i + 1].c_str(), nullptr, 10);
        if (n < 1 || n > 10000)
          throw ApiError{"MalformedQueryString", "bad list index in " + decoded_key};
        if (!cur->is_array())
          *cur = json::array();
        while (static_cast<long>(cur->size()) < n)
          cur->push_back(nullptr);
        cur = &(*cur)[static_cast<size_t>(n - 1)];
        ++i;
        if (i + 1 == parts.size()) {
          *cur = value;
          break;
        }
        continue;
      }
      if (!cur->is_object())
        *cur = json::object();
      if (last) {
        (*cur)[parts[i]] = value;
      } else {
        cur = &(*cur)[parts[i]];
      }
    }
  }
  return in;
}

const std::set<std::string> kCloudWatchTimestamps = {"Timestamp", "Timestamps", "StateUpdatedTimestamp",
                                                     "AlarmConfigurationUpdatedTimestamp", "StateTransitionedTimestamp"};

std::string xml_escape(const std::string& s)
{
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string query_scalar(const std::string& name, const json& v)
{
  if (v.is_boolean())
    return v.get<bool>() ? "true" : "false";
  if (v.is_number() && kCloudWatchTimestamps.count(name))
    return iso_date(v.get<double>() - kEpochAtZero_s);
  if (v.is_number_integer())
    return std::to_string(v.get<long long>());
  if (v.is_number()) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v.get<double>());
    return buf;
  }
  return xml_escape(v.get<std::string>());
}

// The query protocol's XML for a value (lists as <member>, the one map as <entry>).
void query_xml(std::string& out, const std::string& name, const json& v)
{
  out += "<" + name + ">";
  if (v.is_array()) {
    for (const json& x : v) {
      if (x.is_object() || x.is_array())
        query_xml(out, "member", x);
      else
        out += "<member>" + query_scalar(name, x) + "</member>";
    }
  } else if (v.is_object() && name == "ExtendedStatistics") {
    for (const auto& [k, x] : v.items())
      out += "<entry><key>" + xml_escape(k) + "</key><value>" + query_scalar("", x) + "</value></entry>";
  } else if (v.is_object()) {
    for (const auto& [k, x] : v.items())
      query_xml(out, k, x);
  } else {
    out += query_scalar(name, v);
  }
  out += "</" + name + ">";
}

// Runs one op of a table; errors of the backends become ApiError.
json run(const std::vector<OpDef>& ops, const std::string& name, const json& in, ServeContext& ctx)
{
  const auto it = std::find_if(ops.begin(), ops.end(), [&](const OpDef& d) { return d.name == name; });
  try {
    return it->fn(in, ctx);
  } catch (const cloudwatch::CloudWatchError& e) {
    throw ApiError{e.code, e.message, e.status};
  }
}

bool has_op(const std::vector<OpDef>& ops, const std::string& name)
{
  return std::any_of(ops.begin(), ops.end(), [&](const OpDef& d) { return d.name == name; });
}

// A json-protocol body as the operation's input.
json json_input(const Request& req)
{
  if (req.body().empty())
    return json::object();
  json in = json::parse(req.body(), nullptr, false);
  if (in.is_discarded() || !in.is_object())
    throw ApiError{"SerializationException", "the request body is not a JSON object"};
  return in;
}

Response handle_cloudwatch(const CallIdentity& id, const Request& req, ServeContext& ctx)
{
  const bool query = wire_of(id, req) == Wire::Query;
  if (!has_op(cloudwatch_ops(), id.operation))
    throw ApiError{query ? "InvalidAction" : "UnknownOperationException",
                   "CloudWatch operation " + id.operation + " is not implemented by migsim"};
  if (!query) {
    const json out = run(cloudwatch_ops(), id.operation, json_input(req), ctx);
    return json_response(http::status::ok, out, "application/x-amz-json-1.0");
  }
  std::string form = req.body();
  if (form.empty()) {
    const std::string t(req.target());
    if (auto q = t.find('?'); q != std::string::npos)
      form = t.substr(q + 1);
  }
  const json out = run(cloudwatch_ops(), id.operation, query_input(form), ctx);
  std::string body = "<" + id.operation + "Response xmlns=\"" + kCloudWatchXmlns + "\">";
  if (!out.empty()) {
    body += "<" + id.operation + "Result>";
    for (const auto& [k, v] : out.items())
      query_xml(body, k, v);
    body += "</" + id.operation + "Result>";
  }
  body += "<ResponseMetadata><RequestId>" + ctx.request_id + "</RequestId></ResponseMetadata></" + id.operation + "Response>";
  Response res{http::status::ok, 11};
  res.set(http::field::content_type, "text/xml");
  res.body() = std::move(body);
  return res;
}

}  // namespace

CallIdentity identify_call(const Request& req)
{
  CallIdentity id;
  const std::string auth = header(req, "Authorization");
  id.region = scope_region(auth);
  id.service = credential_scope_service(auth);
  const std::string target = header(req, "X-Amz-Target");
  const std::string path = path_of(req);
  if (starts_with(target, kCloudWatchTarget))
    id.service = "monitoring";
  else if (starts_with(target, kDmsTarget))
    id.service = "dms";
  else if (id.service.empty() && starts_with(path, "/2013-04-01/"))
    id.service = "route53";
  if (!target.empty())
    id.operation = target.substr(target.find('.') + 1);
  else if (id.service == "route53")
    id.operation = route53_operation(req);
  else if (id.service == "mgn" || id.service == "eks")
    id.operation = path.size() > 1 ? path.substr(1) : "";
  else
    id.operation = query_action(req);
  return id;
}

std::optional<Response> handle_service_control(const Request& req, ServeContext& ctx)
{
  const std::string path = path_of(req);
  if (starts_with(path, "/_localstack/chaos/"))
    return service_state(ctx).chaos->handle(path, req);
  if (path == "/_migsim/events")
    return service_state(ctx).events->handle(path, req, ctx);
  return std::nullopt;
}

std::optional<Response> route_services(const Request& req, ServeContext& ctx)
{
  ServiceState& state = service_state(ctx);
  evaluate_alarms(ctx);
  const CallIdentity id = identify_call(req);
  // LocalStack names CloudWatch "cloudwatch" in its rules; the signing name is "monitoring".
  const std::string chaos_service = id.service == "monitoring" ? "cloudwatch" : id.service;
  try {
    if (auto fault = state.chaos->fault_for(chaos_service, id.operation, id.region))
      throw *fault;
    if (id.service == "monitoring")
      return handle_cloudwatch(id, req, ctx);
    if (id.service == "route53")
      return handle_route53(req, ctx);
    if (id.service == "dms" && has_op(dms_ops(), id.operation))
      return json_response(http::status::ok, run(dms_ops(), id.operation, json_input(req), ctx),
                           "application/x-amz-json-1.1");
    if (id.service == "mgn" && has_op(mgn_ops(), id.operation)) {
      if (req.method() != http::verb::post)
        throw ApiError{"UnknownOperationException", "MGN operations are POST /<Operation>", 404};
      return json_response(http::status::ok, run(mgn_ops(), id.operation, json_input(req), ctx), "application/json");
    }
  } catch (const ApiError& e) {
    return protocol_error(id, req, e, ctx);
  }
  return std::nullopt;
}

void apply_chaos_effects(const Request& req, Response& res, ServeContext& ctx)
{
  const std::string path = path_of(req);
  if (starts_with(path, "/_localstack/") || starts_with(path, "/_migsim/"))
    return;
  const double ms = service_state(ctx).chaos->latency_ms();
  if (ms > 0)
    res.set(kDelayHeader, std::to_string(static_cast<long>(std::lround(ms))));
}

}  // namespace migsim::harness::serve
