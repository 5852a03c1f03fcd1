#include "harness/serve/core/router.hpp"

#include "harness/serve/core/control_plane.hpp"
#include "harness/serve/core/call_audit.hpp"
#include "harness/aws/protocol/text.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/core/services_wire.hpp"

#include <cctype>
#include <exception>
#include <vector>

namespace migsim::harness::serve {

bool registry_before_services_wire(const Request& req);  // runbook_services.cpp

namespace {

// The codec's view of a request (the header of a partial one when `with_body` is false).
aws::WireRequest to_wire(const Request& req, bool with_body = true)
{
  aws::WireRequest w;
  w.method = std::string(req.method_string());
  w.target = std::string(req.target());
  for (const auto& field : req)
    w.headers[std::string(field.name_string())] = std::string(field.value());
  if (with_body)
    w.body = req.body();
  return w;
}

// A Beast response of the codec's; Content-Length is Beast's except for HEAD (kept from the codec).
Response from_wire(const aws::WireResponse& w)
{
  Response res{static_cast<http::status>(w.status), 11};
  for (const auto& [k, v] : w.headers)
    res.set(k, v);
  res.body() = w.body;
  return res;
}

// The protocol a request for an unknown service looks like it speaks.
aws::Protocol guess_protocol(const aws::WireRequest& w)
{
  if (auto sp = w.headers.find("smithy-protocol"); sp != w.headers.end() && sp->second == "rpc-v2-cbor")
    return aws::Protocol::rpc_v2_cbor;
  if (w.headers.count("X-Amz-Target"))
    return aws::Protocol::json;
  const std::string body_and_query = w.body + "&" + w.target;
  if (body_and_query.find("Action=") != std::string::npos)
    return aws::Protocol::query;
  return aws::Protocol::json;
}

// The services the registry implements, for error messages ("dms, mgn, s3").
std::string implemented_services()
{
  std::string out;
  std::string last;
  for (const HandlerEntry* e : registry().entries())
    if (e->service != last) {
      out += (out.empty() ? "" : ", ") + e->service;
      last = e->service;
    }
  return out;
}

// Routes an AWS API call (anything but the control paths) through the codec and the registry.
Response route_aws(const Request& req, ServeContext& ctx, aws::Headers& extra)
{
  const aws::WireRequest w = to_wire(req);
  const std::string service = aws::identify_service(w);
  const auto auth = w.headers.find("Authorization");
  ctx.request_region = auth == w.headers.end() ? "" : credential_scope_region(auth->second);
  auto fail = [&](const std::string& svc, const AwsError& e, aws::Protocol p) {
    return from_wire(aws::serialize_error(svc, e, ctx.request_id, p));
  };
  if (service.empty() || !aws::find_service(service)) {
    const aws::Protocol p = guess_protocol(w);
    const std::string what = service.empty() ? "this request" : "service '" + service + "'";
    return fail("", aws::unknown_operation(p, "", std::string(req.method_string()) + " " + std::string(req.target()) +
                                                      " of " + what + " is not implemented by migsim (implemented: " +
                                                      implemented_services() + "; control paths /_localstack/*, /_migsim/*)"),
                p);
  }
  const aws::Protocol p = aws::request_protocol(service, w);
  const Registry& reg = registry();
  if (!reg.has_service(service))
    return fail(service,
                aws::unknown_operation(p, service, "service '" + service + "' is not implemented by migsim (implemented: " +
                                                       implemented_services() + ")"),
                p);
  const std::string named = aws::operation_of(service, w);
  if (!named.empty() && !reg.find(service, named))
    return fail(service,
                aws::unknown_operation(p, service, "operation " + named + " of " + service +
                                                       " is not implemented by migsim (see harness/COVERAGE.md)"),
                p);
  try {
    const aws::ParsedRequest call = aws::parse_request(service, w);
    const HandlerEntry* h = reg.find(service, call.operation);
    if (!h)
      return fail(service,
                  aws::unknown_operation(p, service, "operation " + call.operation + " of " + service +
                                                         " is not implemented by migsim (see harness/COVERAGE.md)"),
                  p);
    const json output = h->handler(call.input, ctx);
    const aws::WireResponse res = aws::serialize_response(service, call.operation, output, ctx.request_id, call.protocol);
    if (auto cl = res.headers.find("Content-Length"); cl != res.headers.end())
      extra["Content-Length"] = cl->second;
    return from_wire(res);
  } catch (const AwsError& e) {
    return fail(service, e, p);
  } catch (const std::exception& e) {
    return fail(service, AwsError(p == aws::Protocol::query ? "InternalFailure" : "InternalFailure",
                                  std::string("migsim failed to handle the request: ") + e.what(), 500, false),
                p);
  }
}

// Adds the headers every response carries.
void stamp(Response& res, const ServeContext& ctx)
{
  res.set(http::field::date, http_date(ctx.simulation.now()));
  if (res.find("x-amz-request-id") == res.end())
    res.set("x-amzn-RequestId", ctx.request_id);
  res.set(http::field::server, kVersion);
}

}  // namespace

Response handle_request(const Request& req, ServeContext& ctx)
{
  ctx.request_id = request_id(++ctx.requests);
  Response res;
  aws::Headers extra;
  try {
    if (auto added = handle_service_control(req, ctx))  // chaos and events paths
      res = std::move(*added);
    else if (auto control = handle_control(req, ctx))
      res = std::move(*control);
    else if (registry_before_services_wire(req))  // runbook_services.cpp: ListHostedZonesByName
      res = route_aws(req, ctx, extra);
    else if (auto service = route_services(req, ctx))  // chaos faults, Route 53, CloudWatch, DMS/MGN ops
      res = std::move(*service);
    else
      res = route_aws(req, ctx, extra);
    apply_chaos_effects(req, res, ctx);
    if (res.result() == http::status::no_content || res.result() == http::status::not_modified)
      res.body().clear();  // Beast refuses a body there (MGN InitializeService answers 204)
  } catch (const std::exception& e) {
    res = aws_json_error(http::status::internal_server_error, "InternalFailure",
                         std::string("migsim failed to handle the request: ") + e.what(), "application/json");
  }
  stamp(res, ctx);
  res.prepare_payload();
  try {  // the one record of every mutating call (CloudTrail, the rehearsal report, the serve log)
    aws::WireResponse answered{static_cast<int>(res.result_int()), {}, res.body()};
    for (const auto& field : res)
      answered.headers[std::string(field.name_string())] = std::string(field.value());
    audit_call(to_wire(req), answered, ctx);
  } catch (const std::exception&) {
    // recording never fails a call
  }
  if (req.method() == http::verb::head) {
    res.body().clear();  // Content-Length stays that of the GET response (or the object's, for S3)
    if (auto cl = extra.find("Content-Length"); cl != extra.end())
      res.set(http::field::content_length, cl->second);
  }
  return res;
}

Response transport_error(http::status status, const std::string& reason, const Request* partial, ServeContext& ctx)
{
  ctx.request_id = request_id(++ctx.requests);
  aws::WireRequest w;
  if (partial)
    w = to_wire(*partial, false);
  const std::string service = partial ? aws::identify_service(w) : "";
  const aws::Protocol p = aws::find_service(service) ? aws::request_protocol(service, w) : guess_protocol(w);
  const bool too_large = status == http::status::payload_too_large;
  std::string code;
  switch (p) {
    case aws::Protocol::rpc_v2_cbor:
    case aws::Protocol::json: code = too_large ? "RequestEntityTooLargeException" : "SerializationException"; break;
    case aws::Protocol::rest_json: code = too_large ? "RequestEntityTooLargeException" : "ValidationException"; break;
    case aws::Protocol::query:
    case aws::Protocol::ec2: code = too_large ? "RequestEntityTooLarge" : "MalformedQueryString"; break;
    case aws::Protocol::rest_xml: code = too_large ? "EntityTooLarge" : "MalformedXML"; break;
  }
  Response res = from_wire(aws::serialize_error(service, AwsError(code, reason, static_cast<int>(status)), ctx.request_id, p));
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

namespace {

// The fields of a SigV4 credential scope: AKID/20250101/us-east-1/dms/aws4_request (none when absent).
std::vector<std::string> credential_scope(const std::string& authorization)
{
  // AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/dms/aws4_request, SignedHeaders=..., Signature=...
  const auto at = authorization.find("Credential=");
  if (at == std::string::npos)
    return {};
  const auto begin = at + std::string("Credential=").size();
  const auto end = authorization.find_first_of(", ", begin);
  const std::string scope = authorization.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  std::vector<std::string> parts;
  size_t from = 0;
  for (size_t slash; (slash = scope.find('/', from)) != std::string::npos; from = slash + 1)
    parts.push_back(scope.substr(from, slash - from));
  parts.push_back(scope.substr(from));
  if (parts.size() != 5 || parts[4] != "aws4_request")
    return {};
  return parts;
}

}  // namespace

std::string credential_scope_service(const std::string& authorization)
{
  const auto parts = credential_scope(authorization);
  return parts.empty() ? "" : parts[3];
}

std::string credential_scope_region(const std::string& authorization)
{
  const auto parts = credential_scope(authorization);
  return parts.empty() ? "" : parts[2];
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
    if (aws::text::uri_decode(pair.substr(0, eq), true) == key)
      return eq == std::string::npos ? "" : aws::text::uri_decode(pair.substr(eq + 1), true);
    from = amp + 1;
  }
  return "";
}

}  // namespace migsim::harness::serve
