#include "harness/serve/core/call_audit.hpp"

#include "harness/serve/core/call_recorder.hpp"
#include "harness/serve/core/resource.hpp"

#include <cctype>

namespace migsim::harness::serve {

namespace {

using nlohmann::json;

std::string header(const aws::Headers& h, const char* name)
{
  auto it = h.find(name);
  return it == h.end() ? std::string() : it->second;
}

// Region and access key of the SigV4 scope ("AKID/20250101/us-east-1/iam/aws4_request").
void scope_of(const std::string& authorization, std::string& region, std::string& key)
{
  const auto at = authorization.find("Credential=");
  if (at == std::string::npos)
    return;
  const auto begin = at + 11;
  const std::string scope = authorization.substr(begin, authorization.find_first_of(", ", begin) - begin);
  const auto s1 = scope.find('/');
  const auto s2 = scope.find('/', s1 + 1);
  const auto s3 = scope.find('/', s2 + 1);
  if (s1 == std::string::npos || s2 == std::string::npos || s3 == std::string::npos)
    return;
  key = scope.substr(0, s1);
  region = scope.substr(s2 + 1, s3 - s2 - 1);
}

bool secret_member(const std::string& k)
{
  return k.find("Password") != std::string::npos || k == "SecretString" || k == "SecretBinary" || k == "Body" ||
         k == "Plaintext";
}

// The input as CloudTrail shows it: secrets and payloads replaced.
json masked(const json& v)
{
  if (!v.is_object())
    return v;
  json out = json::object();
  for (const auto& [k, x] : v.items())
    out[k] = secret_member(k) ? json("HIDDEN_DUE_TO_SECURITY_REASONS") : masked(x);
  return out;
}

bool names_resource(const std::string& k)
{
  auto ends = [&](const char* s) {
    const std::string e(s);
    return k.size() >= e.size() && k.compare(k.size() - e.size(), e.size(), e) == 0;
  };
  return (ends("Name") || ends("name") || ends("Id") || ends("Arn") || ends("ARN") || ends("arn") ||
          ends("Identifier")) &&
         k != "NextToken" && k != "ClientRequestToken" && k != "CallerReference";
}

// The noun of an operation: CreateRole -> Role, AttachRolePolicy -> RolePolicy.
std::string noun_of(const std::string& op)
{
  size_t i = 1;
  while (i < op.size() && !std::isupper(static_cast<unsigned char>(op[i])))
    ++i;
  return i < op.size() ? op.substr(i) : op;
}

// The output member holding the id of what a Create*/Allocate* call made, as EC2 names them:
// VpcId, SubnetId, NatGatewayId; a security group's GroupId, an Elastic IP's AllocationId.
std::string created_id_key(const std::string& noun)
{
  if (noun.ends_with("SecurityGroup"))
    return "GroupId";
  if (noun == "Address")
    return "AllocationId";
  return noun + "Id";
}

bool names_arn(const std::string& k)
{
  return k.size() >= 3 && (k.compare(k.size() - 3, 3, "Arn") == 0 || k.compare(k.size() - 3, 3, "ARN") == 0 ||
                           k.compare(k.size() - 3, 3, "arn") == 0);
}

// The resources `obj` names. An output's names repeat the input's, so there only ARNs count, and the
// id of what the operation created (`output_id`: CreateVpc's VpcId, as EC2 names its resources).
void collect(const json& obj, const std::string& type, std::vector<RecordedResource>& out, int depth, bool arns_only = false,
             const std::string& output_id = "")
{
  if (!obj.is_object() || depth > 1)
    return;
  for (const auto& [k, v] : obj.items()) {
    const bool names = arns_only ? names_arn(k) || (!output_id.empty() && k == output_id) : names_resource(k);
    if (v.is_string() && names && !v.get<std::string>().empty()) {
      bool seen = false;
      for (const auto& r : out)
        seen = seen || r.name == v.get<std::string>();
      if (!seen)
        out.push_back({type, v.get<std::string>()});
    } else if (v.is_object()) {
      collect(v, type, out, depth + 1, arns_only, output_id);
    }
  }
}

}  // namespace

void audit_call(const aws::WireRequest& req, const aws::WireResponse& res, ServeContext& ctx, bool all)
{
  const std::string path = req.target.substr(0, req.target.find('?'));
  if (path.rfind("/_localstack/", 0) == 0 || path.rfind("/_migsim/", 0) == 0)
    return;
  const std::string service = aws::identify_service(req);
  const aws::ServiceInfo* info = service.empty() ? nullptr : aws::find_service(service);
  if (!info)
    return;
  const std::string op = aws::operation_of(service, req);
  if (op.empty())
    return;
  const bool ro = read_only_operation(op);
  if (ro && !all)
    return;
  ApiCallRecord r;
  r.time_s = ctx.simulation.now();
  r.service = info->name;
  r.event_source = (info->endpoint_prefix.empty() ? info->name : info->endpoint_prefix) + ".amazonaws.com";
  r.event_name = op;
  r.read_only = ro;
  r.region = region(ctx);
  scope_of(header(req.headers, "Authorization"), r.region, r.access_key_id);
  r.user_agent = header(req.headers, "User-Agent");
  r.request_id = ctx.request_id;
  r.http_status = res.status;
  const aws::Protocol p = aws::request_protocol(service, req);
  const std::string type = "AWS::" + info->name + "::" + noun_of(op);
  try {
    const json input = aws::parse_request(service, req).input;
    r.request_parameters = masked(input);
    collect(input, type, r.resources, 0);
  } catch (const std::exception&) {
    // The router already answered the error; the record keeps no parameters.
  }
  try {
    const aws::ParsedResponse out = aws::parse_response(service, op, res.status, res.headers, res.body, p);
    if (out.error) {
      r.error_code = out.error->code;
      r.error_message = out.error->message;
    } else {
      const std::string noun = noun_of(op);
      const bool creates = op.rfind("Create", 0) == 0 || op.rfind("Allocate", 0) == 0;
      collect(out.output, type, r.resources, 0, true, creates ? created_id_key(noun) : "");
    }
  } catch (const std::exception& e) {
    if (res.status >= 300) {
      r.error_code = "InternalFailure";
      r.error_message = e.what();
    }
  }
  ctx.state<CallRecorder>().record(std::move(r));
}

}  // namespace migsim::harness::serve
