#include "harness/serve/core/router.hpp"

#include "harness/serve/core/control_plane.hpp"
#include "harness/serve/core/call_audit.hpp"
#include "harness/serve/core/request_guard.hpp"
#include "harness/aws/protocol/s3_addressing.hpp"
#include "harness/aws/protocol/text.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/core/chaos.hpp"
#include "harness/serve/core/events.hpp"
#include "harness/k8s/api_server.hpp"
#include "harness/serve/persist/persistence.hpp"

#include <cctype>
#include <exception>
#include <vector>

namespace migsim::harness::serve {

namespace {

// The protocol a request for an unknown service looks like it speaks ("rest" when it names neither
// an X-Amz-Target nor an Action: its service's REST flavour is not known).
aws::Protocol guess_protocol(const aws::WireRequest& w, bool* rest = nullptr)
{
  if (rest)
    *rest = false;
  if (auto sp = w.headers.find("smithy-protocol"); sp != w.headers.end() && sp->second == "rpc-v2-cbor")
    return aws::Protocol::rpc_v2_cbor;
  if (w.headers.count("X-Amz-Target"))
    return aws::Protocol::json;
  const std::string body_and_query = w.body + "&" + w.target;
  if (body_and_query.find("Action=") != std::string::npos)
    return aws::Protocol::query;
  if (rest)
    *rest = true;
  return aws::Protocol::rest_xml;
}

// The operation a request names by itself (X-Amz-Target, Action, an rpc-v2 path), else its method
// and path: what a "not implemented" answer can name without the service's model.
std::string requested_operation(const aws::WireRequest& w)
{
  if (auto t = w.headers.find("X-Amz-Target"); t != w.headers.end())
    return t->second.substr(t->second.rfind('.') + 1);
  const auto q = w.target.find('?');
  const std::string path = w.target.substr(0, q);
  const std::string query = q == std::string::npos ? "" : w.target.substr(q + 1);
  if (auto at = path.find("/operation/"); at != std::string::npos && path.rfind("/service/", 0) == 0)
    return path.substr(at + 11);
  for (const std::string* form : {&query, &w.body})
    if (const std::string action = form_value(*form, "Action"); !action.empty())
      return action;
  return w.method + " " + path;
}

// The one answer for what migsim does not implement, in the protocol's error shape: the operation
// named, and where the implemented ones are listed. For a service without a model here, a REST
// request gets an XML ErrorResponse that also carries x-amzn-ErrorType, which both REST flavours'
// clients read.
Response not_implemented(const aws::WireRequest& w, const std::string& service, const std::string& operation,
                         const ServeContext& ctx)
{
  const std::string what = (service.empty() ? std::string("this request") : service) + " " + operation;
  const std::string message = what + " is not implemented by migsim (implemented operations: `migsim serve "
                                     "--coverage`, harness/COVERAGE.md)";
  if (!service.empty() && aws::find_service(service)) {
    const aws::Protocol p = aws::request_protocol(service, w);
    return from_wire(aws::serialize_error(service, aws::unknown_operation(p, service, message), ctx.request_id, p));
  }
  bool rest = false;
  const aws::Protocol p = guess_protocol(w, &rest);
  AwsError e = aws::unknown_operation(p, "", message);
  if (rest)
    e = AwsError("NotImplemented", message, 501);
  Response res = from_wire(aws::serialize_error("", e, ctx.request_id, p));
  if (rest)
    res.set("x-amzn-ErrorType", e.code);
  return res;
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
  const Registry& reg = registry();
  if (service.empty() || !aws::find_service(service) || !reg.has_service(service))
    return not_implemented(w, service, requested_operation(w), ctx);
  const aws::Protocol p = aws::request_protocol(service, w);
  const std::string named = aws::operation_of(service, w);
  if (!named.empty() && !reg.find(service, named))
    return not_implemented(w, service, named, ctx);
  if (named.empty() && p != aws::Protocol::rest_json && p != aws::Protocol::rest_xml)
    return not_implemented(w, service, requested_operation(w), ctx);  // an Action or target outside our tables
  try {
    const aws::ParsedRequest call = aws::parse_request(service, w);
    const HandlerEntry* h = reg.find(service, call.operation);
    if (!h)
      return not_implemented(w, service, call.operation, ctx);
    reg.run_input_checks(service, call.input);
    const json output = h->handler(call.input, ctx);
    const aws::WireResponse res = aws::serialize_response(service, call.operation, output, ctx.request_id, call.protocol);
    if (auto cl = res.headers.find("Content-Length"); cl != res.headers.end())
      extra["Content-Length"] = cl->second;
    return from_wire(res);
  } catch (const AwsError& e) {
    if (e.code == "UnknownOperationException" || e.code == "InvalidAction" || e.code == "NotImplemented")
      if (e.message.find("not implemented by migsim") == std::string::npos)
        return not_implemented(w, service, requested_operation(w), ctx);  // a REST path outside our tables
    return fail(service, e, p);
  } catch (const nlohmann::json::type_error& e) {
    if (e.id != 316)  // 316: a string that is not UTF-8 (from a percent-decoded parameter): the caller's fault
      throw;
    return transport_error(http::status::bad_request, "a parameter holds bytes that are not UTF-8", &req, ctx);
  } catch (const std::exception& e) {
    return fail(service, AwsError("InternalFailure", std::string("migsim failed to handle the request: ") + e.what(), 500, false),
                p);
  }
}

// The largest request body the call recorder decodes (an API call's limit): an S3 object body
// above it is recorded without its parameters.
constexpr size_t kRecordedBodyLimit = 1 << 20;

// Adds the headers every response carries.
void stamp(Response& res, const ServeContext& ctx)
{
  res.set(http::field::date, http_date(ctx.simulation.now()));
  if (res.find("x-amz-request-id") == res.end())
    res.set("x-amzn-RequestId", ctx.request_id);
  res.set(http::field::server, kVersion);
}

}  // namespace

// The codec's view of a request (the header of a partial one when `with_body` is false).
aws::WireRequest to_wire(const Request& req, bool with_body)
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

Response handle_request(const Request& req, ServeContext& ctx)
{
  ctx.request_id = request_id(++ctx.requests);
  ctx.request_host = std::string(req[http::field::host]);
  if (auto refused = guard_request(req, ctx)) {  // bytes, origin, Host, signature (request_guard.hpp)
    Response res = std::move(*refused);
    stamp(res, ctx);
    res.prepare_payload();
    return res;
  }
  // A state-changing request is journaled (--state-dir) once answered and before the answer leaves.
  std::optional<persist::CallEntry> journaled = persist::journal_entry(req, ctx);
  Response res = handle_admitted_request(req, ctx);
  if (journaled)
    persist::journal_call(*journaled, res, ctx);
  return res;
}

Response handle_admitted_request(const Request& req, ServeContext& ctx)
{
  ctx.request_host = std::string(req[http::field::host]);
  Response res;
  aws::Headers extra;
  try {
    std::string path(req.target());
    path = path.substr(0, path.find('?'));
    std::optional<Response> control;
    if (path.rfind("/_localstack/chaos/", 0) == 0)
      control = chaos_state(ctx).handle(path, req);
    else if (path.rfind("/_migsim/eks/", 0) == 0)
      control = k8s::handle_request(req, ctx);  // a cluster's Kubernetes API (harness/k8s)
    else if (path == "/_migsim/events")
      control = ctx.state<EventBook>().handle(path, req, ctx);
    if (!control)
      control = handle_control(req, ctx);  // health, clock, coverage
    if (control) {
      res = std::move(*control);
    } else {
      registry().run_before_each_request(ctx);
      if (auto fault = chaos_fault(req, ctx))
        res = std::move(*fault);
      else
        res = route_aws(req, ctx, extra);
    }
    apply_chaos_effects(req, res, ctx);
    if (res.result() == http::status::no_content || res.result() == http::status::not_modified)
      res.body().clear();  // Beast refuses a body there (MGN InitializeService answers 204)
  } catch (const nlohmann::json::type_error& e) {
    res = e.id == 316 ? transport_error(http::status::bad_request, "the request holds bytes that are not UTF-8", &req, ctx)
                      : aws_json_error(http::status::internal_server_error, "InternalFailure",
                                       std::string("migsim failed to handle the request: ") + e.what(), "application/json");
  } catch (const std::exception& e) {
    res = aws_json_error(http::status::internal_server_error, "InternalFailure",
                         std::string("migsim failed to handle the request: ") + e.what(), "application/json");
  }
  add_cors_headers(req, res, ctx);
  stamp(res, ctx);
  if (!response_headers_valid(res))  // never send a header a value could have injected into
  {
    res = aws_json_error(http::status::internal_server_error, "InternalFailure",
                         "migsim refused to send a response header holding a control character", "application/json");
    stamp(res, ctx);
  }
  res.prepare_payload();
  try {  // the one record of every mutating call (CloudTrail, the rehearsal report, the serve log)
    aws::WireResponse answered{static_cast<int>(res.result_int()), {}, res.body()};
    for (const auto& field : res)
      answered.headers[std::string(field.name_string())] = std::string(field.value());
    audit_call(to_wire(req, req.body().size() <= kRecordedBodyLimit), answered, ctx);
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

bool carries_data(const Request& header)
{
  if (header.method() != http::verb::put)
    return false;
  const aws::WireRequest w = to_wire(header, false);
  if (aws::identify_service(w) != "s3")
    return false;
  // PutObject and UploadPart: a key in the path, and no subresource of the object in the query.
  const std::string target = aws::s3_path_style(w).target;
  const auto q = target.find('?');
  const std::string path = target.substr(0, q), query = q == std::string::npos ? "" : target.substr(q + 1);
  const bool has_key = path.find('/', 1) != std::string::npos && path.find('/', 1) + 1 < path.size();
  for (const char* sub : {"tagging", "acl", "retention", "legal-hold"})
    if (query.find(sub) != std::string::npos)
      return false;
  return has_key;
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
