#include "harness/serve/core/request_guard.hpp"

#include "harness/aws/client/sigv4_verify.hpp"
#include "harness/aws/protocol/codec.hpp"
#include "harness/aws/protocol/text.hpp"
#include "harness/serve/core/router.hpp"

#include <algorithm>
#include <cctype>

namespace migsim::harness::serve {

namespace {

std::string lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The host part of a Host header or an origin's authority: no port, no brackets, lower case.
std::string host_of(const std::string& authority)
{
  std::string h = authority;
  if (!h.empty() && h.front() == '[') {
    const auto close = h.find(']');
    return lower(h.substr(1, close == std::string::npos ? std::string::npos : close - 1));
  }
  const auto colon = h.find(':');
  if (colon != std::string::npos && h.find(':', colon + 1) == std::string::npos)
    h = h.substr(0, colon);
  return lower(h);
}

bool is_loopback_name(const std::string& host)
{
  return host == "localhost" || host == "127.0.0.1" || host == "::1" || host == "localhost.localstack.cloud" ||
         (host.size() > 10 && host.compare(host.size() - 10, 10, ".localhost") == 0);
}

bool origin_allowed(const std::string& origin, const AccessPolicy& policy)
{
  for (const auto& o : policy.allowed_origins)
    if (o == "*" || lower(o) == lower(origin))
      return true;
  const auto scheme_end = origin.find("://");
  if (scheme_end == std::string::npos)
    return false;  // "null" (sandboxed frames, file://) and anything else unparseable
  const std::string scheme = lower(origin.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https")
    return false;
  return is_loopback_name(host_of(origin.substr(scheme_end + 3)));
}

bool host_allowed(const std::string& host_header, const AccessPolicy& policy)
{
  if (host_header.empty())
    return true;  // HTTP/1.0 without Host: not a browser
  const std::string host = host_of(host_header);
  if (is_loopback_name(host) || host == lower(policy.listen_host))
    return true;
  for (const auto& h : policy.allowed_hosts)
    if (lower(h) == host)
      return true;
  return false;
}

std::string header_of(const Request& req, http::field f)
{
  auto it = req.find(f);
  return it == req.end() ? "" : std::string(it->value());
}

Response control_refusal(http::status status, const std::string& code, const std::string& message)
{
  return json_response(status, {{"error", code}, {"message", message}});
}

// An AWS error in the shape of the protocol the request speaks.
Response aws_refusal(const Request& req, const aws::AwsError& e, ServeContext& ctx)
{
  aws::WireRequest w;
  w.method = std::string(req.method_string());
  w.target = std::string(req.target());
  for (const auto& field : req)
    w.headers[std::string(field.name_string())] = std::string(field.value());
  w.body = req.body();
  const std::string service = aws::identify_service(w);
  aws::Protocol p = aws::Protocol::json;
  if (aws::find_service(service))
    p = aws::request_protocol(service, w);
  else if ((w.body + "&" + w.target).find("Action=") != std::string::npos)
    p = aws::Protocol::query;
  const auto wire = aws::serialize_error(service, e, ctx.request_id, p);
  Response res{static_cast<http::status>(wire.status), 11};
  for (const auto& [k, v] : wire.headers)
    res.set(k, v);
  res.body() = wire.body;
  return res;
}

// serve --enforce-sigv4: the signature of an AWS API call.
std::optional<Response> check_signature(const Request& req, ServeContext& ctx)
{
  aws::sigv4::ReceivedRequest r;
  r.method = std::string(req.method_string());
  const std::string target(req.target());
  const auto q = target.find('?');
  r.path = target.substr(0, q);
  r.query = q == std::string::npos ? "" : target.substr(q + 1);
  for (const auto& field : req)
    r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  r.body = req.body();
  const auto& secrets = ctx.access.secrets;
  const aws::sigv4::SecretLookup lookup = [&secrets](const std::string& id) -> std::optional<std::string> {
    auto it = secrets.find(id);
    if (it == secrets.end())
      return std::nullopt;
    return it->second;
  };
  const std::string authorization = header_of(req, http::field::authorization);
  const std::string scope =
      authorization.empty() ? aws::sigv4::presigned_service(r.query) : credential_scope_service(authorization);
  const auto v = aws::sigv4::verify_request(r, lookup, std::chrono::system_clock::now(), scope == "s3");
  if (v.ok)
    return std::nullopt;
  return aws_refusal(req, aws::AwsError(v.code, v.message, v.status), ctx);
}

}  // namespace

bool is_control_path(const Request& req)
{
  const std::string t(req.target());
  return t.rfind("/_localstack/", 0) == 0 || t.rfind("/_migsim/", 0) == 0;
}

std::optional<Response> guard_request(const Request& req, ServeContext& ctx)
{
  // Bytes first: everything below reads the target and headers as text.
  std::string bad;
  if (!aws::text::valid_utf8(std::string(req.target())) ||
      !aws::text::valid_utf8(aws::text::uri_decode(std::string(req.target()), false)))
    bad = "the request target";
  for (const auto& field : req)
    if (bad.empty() && !aws::text::valid_utf8(std::string(field.value())))
      bad = "header " + std::string(field.name_string());
  // A query-protocol body is parameters too: percent-decoded, they must be text.
  if (bad.empty() && header_of(req, http::field::content_type).rfind("application/x-www-form-urlencoded", 0) == 0 &&
      !aws::text::valid_utf8(aws::text::uri_decode(req.body(), true)))
    bad = "a form parameter";
  if (!bad.empty())
    return transport_error(http::status::bad_request, bad + " holds bytes that are not UTF-8", &req, ctx);

  const bool control = is_control_path(req);
  const std::string origin = header_of(req, http::field::origin);
  if (!origin.empty() && !origin_allowed(origin, ctx.access)) {
    const std::string why = "cross-origin request from " + origin +
                            " refused (allowed: pages on localhost, 127.0.0.1 or [::1]; add one with "
                            "serve --allowed-origin)";
    if (control)
      return control_refusal(http::status::forbidden, "ForbiddenOrigin", why);
    if (req.method() == http::verb::options)
      return control_refusal(http::status::forbidden, "ForbiddenOrigin", why);
    return aws_refusal(req, aws::AwsError("AccessDenied", why, 403), ctx);
  }
  if (control && !host_allowed(header_of(req, http::field::host), ctx.access))
    return control_refusal(http::status::forbidden, "ForbiddenHost",
                           "Host " + header_of(req, http::field::host) +
                               " is not this machine: the control plane answers localhost, 127.0.0.1, [::1] and "
                               "the address it listens on (serve --allowed-host adds a name)");
  if (req.method() == http::verb::options && !origin.empty()) {
    // A CORS preflight from an allowed origin.
    Response res{http::status::ok, 11};
    res.set(http::field::access_control_allow_origin, origin);
    res.set(http::field::access_control_allow_methods, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    const std::string asked = header_of(req, http::field::access_control_request_headers);
    res.set(http::field::access_control_allow_headers, asked.empty() ? "*" : asked);
    res.set(http::field::access_control_max_age, "600");
    res.set(http::field::vary, "Origin");
    return res;
  }
  if (ctx.access.enforce_sigv4 && !control)
    return check_signature(req, ctx);
  return std::nullopt;
}

void add_cors_headers(const Request& req, Response& res, const ServeContext& ctx)
{
  const std::string origin = header_of(req, http::field::origin);
  if (origin.empty() || !origin_allowed(origin, ctx.access))
    return;
  res.set(http::field::access_control_allow_origin, origin);
  res.set(http::field::access_control_expose_headers,
          "x-amzn-RequestId, x-amz-request-id, x-amz-id-2, x-amzn-ErrorType, ETag, Date");
  res.set(http::field::vary, "Origin");
}

bool response_headers_valid(const Response& res)
{
  for (const auto& field : res)
    if (!aws::text::valid_header_name(std::string(field.name_string())) ||
        !aws::text::valid_header_value(std::string(field.value())))
      return false;
  return true;
}

}  // namespace migsim::harness::serve
