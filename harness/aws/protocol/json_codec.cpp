// The json 1.0/1.1 protocol (DMS, SSM, CloudWatch's json flavour) and the error shape rest-json
// shares with it.
#include "harness/aws/protocol/protocols.hpp"
#include "harness/aws/protocol/values.hpp"
#include "sim/json_text.hpp"

namespace migsim::aws::detail {

namespace {

std::string content_type(const Model& m) { return "application/x-amz-json-" + m.info.json_version; }

// The code of an error type: "aws.protocoljson#Code" or "Code:http://..." -> "Code".
std::string bare_code(std::string code)
{
  if (auto hash = code.rfind('#'); hash != std::string::npos)
    code = code.substr(hash + 1);
  if (auto colon = code.find(':'); colon != std::string::npos)
    code.resize(colon);
  return code;
}

}  // namespace

WireRequest json_serialize_request(const Model& m, const std::string& op, const json& input)
{
  WireRequest r;
  r.method = "POST";
  r.target = "/";
  r.headers["Content-Type"] = content_type(m);
  r.headers["X-Amz-Target"] = m.info.target_prefix + "." + op;
  const json& ref = m.input_ref(op);
  r.body = ref.is_null() ? "{}" : to_json_wire(m, m.shape_of(ref), input.is_null() ? json::object() : input).dump();
  return r;
}

ParsedRequest json_parse_request(const Model& m, const WireRequest& req)
{
  auto t = req.headers.find("X-Amz-Target");
  const std::string target = t == req.headers.end() ? "" : t->second;
  const auto dot = target.rfind('.');
  const std::string prefix = dot == std::string::npos ? "" : target.substr(0, dot);
  const std::string op = dot == std::string::npos ? target : target.substr(dot + 1);
  if (!m.info.is_target_prefix(prefix) || !m.operations.count(op))
    throw Violation{Violation::unknown_operation, "",
                    "operation " + (target.empty() ? std::string("(no X-Amz-Target)") : target) + " is not known to " +
                        m.info.name + " (" + m.info.target_prefix + ".<Operation>)"};
  if (req.method != "POST")
    throw Violation{Violation::malformed, "", "the json protocol takes POST, not " + req.method};
  ParsedRequest out{m.info.name, op, json::object()};
  if (!req.body.empty()) {
    sim::JsonTextError err;
    out.input = sim::parse_wire_json(req.body, &err);
    if (out.input.is_discarded())
      throw Violation{Violation::malformed, "",
                      "Start of structure or map found where not expected (the body is not JSON: " + err.describe() + ")"};
    if (!out.input.is_object())
      throw Violation{Violation::malformed, "", "the request body must be a JSON object"};
  }
  const json& ref = m.input_ref(op);
  if (!ref.is_null())
    validate(m, m.shape_of(ref), out.input, "");
  return out;
}

WireResponse json_serialize_response(const Model& m, const std::string& op, const json& output)
{
  WireResponse r;
  r.headers["Content-Type"] = content_type(m);
  const json& ref = m.output_ref(op);
  r.body = ref.is_null() ? "{}" : to_json_wire(m, m.shape_of(ref), output.is_null() ? json::object() : output).dump();
  return r;
}

WireResponse json_serialize_error(const std::string& ctype, const AwsError& e, bool rest)
{
  WireResponse r;
  r.status = e.status;
  r.headers["Content-Type"] = ctype;
  r.headers["x-amzn-ErrorType"] = e.code;
  json body = {{"__type", e.code}, {"message", e.message}};
  if (rest && e.code == "ValidationException")
    body["reason"] = "fieldValidationFailed";
  r.body = body.dump();
  return r;
}

json json_parse_output(const Model& m, const std::string& op, const std::string& body)
{
  const json& ref = m.output_ref(op);
  if (ref.is_null() || body.empty())
    return json::object();
  json wire = sim::parse_wire_json(body);
  if (wire.is_discarded())
    throw AwsError("SerializationException", "the response body is not JSON", 500, false);
  return from_json_wire(m, m.shape_of(ref), wire);
}

AwsError json_parse_error(int status, const Headers& headers, const std::string& body)
{
  json b = sim::parse_wire_json(body);
  std::string code, message;
  if (auto h = headers.find("x-amzn-ErrorType"); h != headers.end())
    code = bare_code(h->second);
  if (b.is_object()) {
    if (code.empty())
      code = bare_code(b.value("__type", b.value("code", std::string())));
    message = b.value("message", b.value("Message", std::string()));
  }
  if (code.empty())
    code = std::to_string(status);
  return AwsError(code, message, status, status < 500);
}

}  // namespace migsim::aws::detail
