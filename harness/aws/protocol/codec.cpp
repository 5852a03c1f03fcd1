// The codec's public face: routes a request to its service (LocalStack's order), picks the
// protocol and calls its half in json_codec.cpp, query_codec.cpp, rest_codec.cpp or cbor_codec.cpp.
#include "harness/aws/protocol/codec.hpp"

#include "harness/aws/protocol/model.hpp"
#include "harness/aws/protocol/protocols.hpp"
#include "harness/aws/protocol/s3_addressing.hpp"
#include "harness/aws/protocol/text.hpp"
#include "harness/aws/protocol/values.hpp"

#include <algorithm>
#include <cctype>

namespace migsim::aws {

namespace {

// The service of a SigV4 credential ("AKID/20250101/us-east-1/sns/aws4_request"); "" when malformed.
std::string scope_service(const std::string& credential)
{
  std::vector<std::string> parts;
  size_t from = 0;
  for (size_t slash; (slash = credential.find('/', from)) != std::string::npos; from = slash + 1)
    parts.push_back(credential.substr(from, slash - from));
  parts.push_back(credential.substr(from));
  return parts.size() == 5 && parts[4] == "aws4_request" ? parts[3] : "";
}

std::string header(const Headers& h, const char* name)
{
  auto it = h.find(name);
  return it == h.end() ? std::string() : it->second;
}

// The form fields of a request's query string and (form-encoded) body.
std::vector<std::pair<std::string, std::string>> form_fields(const WireRequest& req)
{
  std::vector<std::pair<std::string, std::string>> out;
  if (auto q = req.target.find('?'); q != std::string::npos)
    out = text::parse_form(req.target.substr(q + 1));
  const std::string ct = header(req.headers, "Content-Type");
  if (ct.find("x-www-form-urlencoded") != std::string::npos)
    for (auto& kv : text::parse_form(req.body))
      out.push_back(std::move(kv));
  return out;
}

// The protocol a request for `m` uses: rpc-v2-cbor for its path or header, json when it names an
// X-Amz-Target, query when it sends an Action, else the service's own.
Protocol request_protocol(const Model& m, const WireRequest& req)
{
  auto speaks = [&](Protocol p) { return std::find(m.protocols.begin(), m.protocols.end(), p) != m.protocols.end(); };
  if (speaks(Protocol::rpc_v2_cbor) &&
      (detail::cbor_path(req.target, nullptr, nullptr) || header(req.headers, "smithy-protocol") == "rpc-v2-cbor"))
    return Protocol::rpc_v2_cbor;
  if (m.protocols.size() > 1) {
    if (!header(req.headers, "X-Amz-Target").empty() && speaks(Protocol::json))
      return Protocol::json;
    if (speaks(Protocol::query))
      return Protocol::query;
  }
  return m.info.protocol;
}

const Model& model_or_throw(const std::string& service)
{
  const Model* m = find_model(service);
  if (!m)
    throw AwsError("UnknownService", "service '" + service + "' is not known to migsim's codec", 400);
  return *m;
}

}  // namespace

std::string identify_service(const WireRequest& req)
{
  // 1. SigV4 credential scope: Authorization header, or X-Amz-Credential of a presigned URL.
  const std::string auth = header(req.headers, "Authorization");
  if (auto at = auth.find("Credential="); at != std::string::npos) {
    const auto begin = at + 11;
    const auto end = auth.find_first_of(", ", begin);
    const std::string svc = scope_service(auth.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
    if (const Model* m = find_model(svc))
      return m->info.name;
    if (!svc.empty())
      return svc;
  }
  const auto fields = form_fields(req);
  for (const auto& [k, v] : fields)
    if (k == "X-Amz-Credential")
      if (const Model* m = find_model(scope_service(v)))
        return m->info.name;
  // 2. X-Amz-Target's prefix.
  const std::string target = header(req.headers, "X-Amz-Target");
  if (!target.empty()) {
    const std::string prefix = target.substr(0, target.rfind('.'));
    for (const auto& [name, m] : models())
      if (m.info.is_target_prefix(prefix))
        return name;
  }
  // 2b. An rpc-v2 path: /service/<targetPrefix>/operation/<Op>.
  std::string rpc_prefix;
  if (detail::cbor_path(req.target, &rpc_prefix, nullptr))
    for (const auto& [name, m] : models())
      if (!m.info.target_prefix.empty() && m.info.target_prefix == rpc_prefix &&
          std::find(m.protocols.begin(), m.protocols.end(), Protocol::rpc_v2_cbor) != m.protocols.end())
        return name;
  // 3. The query protocol's Action (+ Version).
  std::string action, version;
  for (const auto& [k, v] : fields) {
    if (k == "Action") action = v;
    if (k == "Version") version = v;
  }
  if (!action.empty())
    for (const auto& [name, m] : models())
      if ((std::find(m.protocols.begin(), m.protocols.end(), Protocol::query) != m.protocols.end() ||
           m.info.protocol == Protocol::ec2) &&
          m.operations.count(action) && (version.empty() || version == m.info.api_version))
        return name;
  // 4. Host ("sns.us-east-1.amazonaws.com", "bucket.s3.amazonaws.com"), then path.
  std::string host = header(req.headers, "Host");
  host = host.substr(0, host.find(':'));
  for (const auto& [name, m] : models())
    if (!m.info.endpoint_prefix.empty() && host.rfind(m.info.endpoint_prefix + ".", 0) == 0)
      return name;
  if (host.find(".s3.") != std::string::npos || host.rfind("s3.", 0) == 0)
    return "s3";
  const std::string path = req.target.substr(0, req.target.find('?'));
  for (const auto& [name, m] : models()) {
    if (m.info.protocol != Protocol::rest_json && name != "route53")
      continue;
    try {
      detail::rest_parse_request(m, req, m.info.protocol);
      return name;
    } catch (const Violation& v) {
      if (v.kind != Violation::unknown_operation)
        return name;  // the path is one of its operations, the request is just wrong
    } catch (const std::exception&) {
    }
  }
  // LocalStack's last resort: anything S3 can read as one of its operations is for S3.
  if (const Model* s3 = find_model("s3"); s3 && detail::rest_match(*s3, req, nullptr))
    return "s3";
  return "";
}

std::string s3_virtual_host_bucket(const std::string& host_and_port)
{
  std::string host = host_and_port.substr(0, host_and_port.rfind(':'));
  if (host_and_port.find(']') != std::string::npos || host.empty())
    return "";  // an IPv6 literal
  if (std::all_of(host.begin(), host.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; }))
    return "";  // an IPv4 literal
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  // "<bucket>.s3.<rest>" or "<bucket>.s3-<region>.<rest>" (the bucket may itself hold dots).
  for (size_t at = host.find(".s3"); at != std::string::npos; at = host.find(".s3", at + 1))
    if (at > 0 && at + 3 < host.size() && (host[at + 3] == '.' || host[at + 3] == '-'))
      return host.substr(0, at);
  // "<bucket>.localhost" / "<bucket>.localhost.localstack.cloud": an endpoint by host name.
  for (const std::string suffix : {".localhost.localstack.cloud", ".localhost"})
    if (host.size() > suffix.size() && host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0)
      if (const std::string bucket = host.substr(0, host.size() - suffix.size()); bucket != "s3")
        return bucket;  // "s3.localhost.localstack.cloud" is the endpoint itself
  return "";
}

WireRequest s3_path_style(const WireRequest& req)
{
  const std::string bucket = s3_virtual_host_bucket(header(req.headers, "Host"));
  if (bucket.empty())
    return req;
  WireRequest out = req;
  out.target = "/" + bucket + (req.target.empty() || req.target[0] != '/' ? "/" : "") + req.target;
  if (out.target.size() > 1 && out.target == "/" + bucket + "/")
    out.target.pop_back();  // "GET /" on the bucket's host is the bucket itself
  else if (auto q = out.target.find("/?"); q != std::string::npos && q == bucket.size() + 1)
    out.target.erase(q, 1);  // "/?list-type=2" -> "/bucket?list-type=2"
  return out;
}

std::string operation_of(const std::string& service, const WireRequest& req_as_sent)
{
  const Model* m = find_model(service);
  if (!m)
    return "";
  const WireRequest req = m->info.name == "s3" ? s3_path_style(req_as_sent) : req_as_sent;
  std::string op;
  switch (request_protocol(*m, req)) {
    case Protocol::json: {
      const std::string target = header(req.headers, "X-Amz-Target");
      op = target.substr(target.rfind('.') + 1);
      break;
    }
    case Protocol::query:
    case Protocol::ec2:
      for (const auto& [k, v] : form_fields(req))
        if (k == "Action")
          op = v;
      break;
    case Protocol::rpc_v2_cbor: detail::cbor_path(req.target, nullptr, &op); break;
    default:
      if (const OperationInfo* info = detail::rest_match(*m, req, nullptr))
        op = info->name;
  }
  return m->operations.count(op) ? op : "";
}

Protocol request_protocol(const std::string& service, const WireRequest& req)
{
  const Model* m = find_model(service);
  return m ? request_protocol(*m, req) : Protocol::json;
}

AwsError unknown_operation(Protocol protocol, const std::string& service, const std::string& message)
{
  return to_error(protocol, service, Violation{Violation::unknown_operation, "", message});
}

ParsedRequest parse_request(const std::string& service, const WireRequest& req_as_sent)
{
  const Model& m = model_or_throw(service);
  const WireRequest req = m.info.name == "s3" ? s3_path_style(req_as_sent) : req_as_sent;
  const Protocol p = request_protocol(m, req);
  try {
    ParsedRequest out;
    switch (p) {
      case Protocol::json: out = detail::json_parse_request(m, req); break;
      case Protocol::query: out = detail::query_parse_request(m, req); break;
      case Protocol::rest_json:
      case Protocol::rest_xml: out = detail::rest_parse_request(m, req, p); break;
      case Protocol::rpc_v2_cbor: out = detail::cbor_parse_request(m, req); break;
      case Protocol::ec2: out = detail::ec2_parse_request(m, req); break;
    }
    out.protocol = p;
    return out;
  } catch (const Violation& v) {
    throw to_error(p, m.info.name, v);
  } catch (const std::invalid_argument& e) {  // stoul of a broken chunk size, and the like
    throw to_error(p, m.info.name, Violation{Violation::malformed, "", e.what()});
  }
}

WireResponse serialize_response(const std::string& service, const std::string& operation, const json& output,
                                const std::string& request_id, std::optional<Protocol> as)
{
  const Model& m = model_or_throw(service);
  const Protocol p = as.value_or(m.info.protocol);
  WireResponse r;
  switch (p) {
    case Protocol::json: r = detail::json_serialize_response(m, operation, output); break;
    case Protocol::query: r = detail::query_serialize_response(m, operation, output, request_id); break;
    case Protocol::rest_json:
    case Protocol::rest_xml: r = detail::rest_serialize_response(m, operation, output, p); break;
    case Protocol::rpc_v2_cbor: r = detail::cbor_serialize_response(m, operation, output); break;
    case Protocol::ec2: r = detail::ec2_serialize_response(m, operation, output, request_id); break;
  }
  r.headers[m.info.name == "s3" ? "x-amz-request-id" : "x-amzn-RequestId"] = request_id;
  return r;
}

WireResponse serialize_error(const std::string& service, const AwsError& error, const std::string& request_id,
                             std::optional<Protocol> as)
{
  const Model* m = find_model(service);
  const Protocol p = as.value_or(m ? m->info.protocol : Protocol::json);
  WireResponse r;
  switch (p) {
    case Protocol::json:
      r = detail::json_serialize_error("application/x-amz-json-" + (m ? m->info.json_version : std::string("1.1")), error, false);
      break;
    case Protocol::rest_json: r = detail::json_serialize_error("application/json", error, true); break;
    case Protocol::query: r = detail::query_serialize_error(m, error, request_id); break;
    case Protocol::rest_xml:
      r = m ? detail::rest_xml_serialize_error(*m, error, request_id) : detail::query_serialize_error(m, error, request_id);
      break;
    case Protocol::rpc_v2_cbor: r = detail::cbor_serialize_error(error); break;
    case Protocol::ec2: r = detail::ec2_serialize_error(error, request_id); break;
  }
  r.headers[m && m->info.name == "s3" ? "x-amz-request-id" : "x-amzn-RequestId"] = request_id;
  return r;
}

WireRequest serialize_request(const std::string& service, const std::string& operation, const json& input,
                              std::optional<Protocol> as)
{
  const Model& m = model_or_throw(service);
  if (!m.operations.count(operation))
    throw AwsError("UnknownOperation", service + " has no operation " + operation + " in migsim's tables");
  const Protocol p = as.value_or(m.info.protocol);
  switch (p) {
    case Protocol::json: return detail::json_serialize_request(m, operation, input);
    case Protocol::query: return detail::query_serialize_request(m, operation, input);
    case Protocol::rpc_v2_cbor: return detail::cbor_serialize_request(m, operation, input);
    case Protocol::ec2: return detail::ec2_serialize_request(m, operation, input);
    default: return detail::rest_serialize_request(m, operation, input, p);
  }
}

ParsedResponse parse_response(const std::string& service, const std::string& operation, int status,
                              const Headers& headers, const std::string& body, std::optional<Protocol> as)
{
  const Model& m = model_or_throw(service);
  ParsedResponse out;
  out.request_id = header(headers, "x-amzn-RequestId");
  if (out.request_id.empty())
    out.request_id = header(headers, "x-amz-request-id");
  const Protocol p = as.value_or(m.info.protocol);
  try {
    if (status >= 300) {
      if (p == Protocol::rpc_v2_cbor)
        out.error = detail::cbor_parse_error(status, body);
      else if (p == Protocol::json || p == Protocol::rest_json)
        out.error = detail::json_parse_error(status, headers, body);
      else
        out.error = detail::xml_parse_error(status, body, out.request_id.empty() ? &out.request_id : nullptr);
      return out;
    }
    switch (p) {
      case Protocol::json: out.output = detail::json_parse_output(m, operation, body); break;
      case Protocol::query: out.output = detail::query_parse_output(m, operation, body); break;
      case Protocol::rpc_v2_cbor: out.output = detail::cbor_parse_output(m, operation, body); break;
      case Protocol::ec2:
        out.output = detail::ec2_parse_output(m, operation, body, out.request_id.empty() ? &out.request_id : nullptr);
        break;
      default: out.output = detail::rest_parse_output(m, operation, status, headers, body, p); break;
    }
  } catch (const AwsError& e) {
    out.error = e;
  }
  return out;
}

}  // namespace migsim::aws
