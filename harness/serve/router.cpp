#include "harness/serve/router.hpp"

#include "harness/serve/control_plane.hpp"
#include "harness/serve/dms_api.hpp"
#include "harness/serve/mgn_api.hpp"
#include "harness/serve/services_wire.hpp"

#include <cctype>
#include <exception>
#include <vector>

namespace migsim::harness::serve {

namespace {

constexpr const char* kDmsTargetPrefix = "AmazonDMSv20160101.";

// Whether s begins with prefix.
bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// Decodes %XX and '+' of a form-encoded component.
std::string url_decode(const std::string& s)
{
  std::string out;
  out.reserve(s.size());
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

// Escapes text for an XML element.
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

// A request header's value ("" when absent).
std::string header(const Request& req, const char* name)
{
  auto it = req.find(name);
  return it == req.end() ? std::string() : std::string(it->value());
}

// Routes an AWS API call (anything but the control paths) to its service.
Response route_aws(const Request& req, ServeContext& ctx)
{
  const std::string target = header(req, "X-Amz-Target");
  std::string service = credential_scope_service(header(req, "Authorization"));
  if (service.empty() && starts_with(target, kDmsTargetPrefix))
    service = "dms";
  if (service == "dms") {
    if (!starts_with(target, kDmsTargetPrefix))
      return aws_json_error(http::status::bad_request, "UnknownOperationException",
                            "DMS speaks the json 1.1 protocol: expected X-Amz-Target: " + std::string(kDmsTargetPrefix) +
                                "<Operation>, got '" + target + "'");
    return handle_dms(target.substr(std::string(kDmsTargetPrefix).size()), req, ctx);
  }
  if (service == "mgn")
    return handle_mgn(req, ctx);
  const std::string what = service.empty() ? std::string("this request") : "service '" + service + "'";
  if (!target.empty())
    return aws_json_error(http::status::bad_request, "UnknownOperationException",
                          "operation " + target + " of " + what + " is not implemented by migsim",
                          header(req, "Content-Type").empty() ? "application/x-amz-json-1.1" : header(req, "Content-Type"));
  std::string action = form_value(req.body(), "Action");
  if (action.empty()) {
    const std::string t(req.target());
    if (auto q = t.find('?'); q != std::string::npos)
      action = form_value(t.substr(q + 1), "Action");
  }
  if (!action.empty())
    return aws_query_error(http::status::bad_request, "InvalidAction",
                           "action " + action + " of " + what + " is not implemented by migsim", ctx.request_id);
  return aws_json_error(http::status::bad_request, "UnknownOperationException",
                        std::string(req.method_string()) + " " + std::string(req.target()) + " of " + what +
                            " is not implemented by migsim (implemented: DMS, MGN; control paths /_localstack/*, /_migsim/*)",
                        "application/json");
}

// Adds the headers every response carries.
void stamp(Response& res, const ServeContext& ctx)
{
  res.set(http::field::date, http_date(ctx.simulation.now()));
  res.set("x-amzn-RequestId", ctx.request_id);
  res.set(http::field::server, kVersion);
}

}  // namespace

Response handle_request(const Request& req, ServeContext& ctx)
{
  ctx.request_id = request_id(++ctx.requests);
  Response res;
  try {
    if (auto added = handle_service_control(req, ctx))  // chaos and events paths
      res = std::move(*added);
    else if (auto control = handle_control(req, ctx))
      res = std::move(*control);
    else if (auto service = route_services(req, ctx))  // chaos faults, Route 53, CloudWatch, DMS/MGN ops
      res = std::move(*service);
    else
      res = route_aws(req, ctx);
    apply_chaos_effects(req, res, ctx);
  } catch (const std::exception& e) {
    res = aws_json_error(http::status::internal_server_error, "InternalFailure",
                         std::string("migsim failed to handle the request: ") + e.what(), "application/json");
  }
  stamp(res, ctx);
  res.prepare_payload();
  if (req.method() == http::verb::head)
    res.body().clear();  // Content-Length stays that of the GET response
  return res;
}

Response transport_error(http::status status, const std::string& reason, ServeContext& ctx)
{
  ctx.request_id = request_id(++ctx.requests);
  Response res = json_response(status, {{"__type", status == http::status::payload_too_large
                                                        ? "RequestEntityTooLargeException"
                                                        : "SerializationException"},
                                        {"message", reason}});
  stamp(res, ctx);
  res.prepare_payload();
  return res;
}

Response json_response(http::status status, const nlohmann::json& body, const std::string& content_type)
{
  Response res{status, 11};
  res.set(http::field::content_type, content_type);
  res.body() = body.dump();
  return res;
}

Response aws_json_error(http::status status, const std::string& code, const std::string& message,
                        const std::string& content_type)
{
  Response res = json_response(status, {{"__type", code}, {"message", message}}, content_type);
  res.set("x-amzn-ErrorType", code);
  return res;
}

Response aws_query_error(http::status status, const std::string& code, const std::string& message,
                         const std::string& request_id, bool sender_fault)
{
  Response res{status, 11};
  res.set(http::field::content_type, "text/xml");
  res.body() = "<ErrorResponse><Error><Type>" + std::string(sender_fault ? "Sender" : "Receiver") + "</Type><Code>" +
               xml_escape(code) + "</Code><Message>" + xml_escape(message) + "</Message></Error><RequestId>" +
               request_id + "</RequestId></ErrorResponse>";
  return res;
}

std::string credential_scope_service(const std::string& authorization)
{
  // AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/dms/aws4_request, SignedHeaders=..., Signature=...
  const auto at = authorization.find("Credential=");
  if (at == std::string::npos)
    return "";
  const auto begin = at + std::string("Credential=").size();
  const auto end = authorization.find_first_of(", ", begin);
  const std::string scope = authorization.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  std::vector<std::string> parts;
  size_t from = 0;
  for (size_t slash; (slash = scope.find('/', from)) != std::string::npos; from = slash + 1)
    parts.push_back(scope.substr(from, slash - from));
  parts.push_back(scope.substr(from));
  return parts.size() == 5 && parts[4] == "aws4_request" ? parts[3] : "";
}

std::string form_value(const std::string& form, const std::string& key)
{
  size_t from = 0;
  while (from <= form.size()) {
    size_t amp = form.find('&', from);
    if (amp == std::string::npos)
      amp = form.size();
    const std::string pair = form.substr(from, amp - from);
    const auto eq = pair.find('=');
    if (url_decode(pair.substr(0, eq)) == key)
      return eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1));
    from = amp + 1;
  }
  return "";
}

}  // namespace migsim::harness::serve
