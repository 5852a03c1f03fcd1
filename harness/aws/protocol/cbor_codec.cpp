// The smithy-rpc-v2-cbor protocol (CloudWatch's default in botocore >= 1.40): POST
// /service/<targetPrefix>/operation/<Operation>, header `smithy-protocol: rpc-v2-cbor`, bodies a CBOR
// map keyed by member names; timestamps tag 1 + epoch seconds, blobs byte strings. Errors: the
// status and a CBOR map {"__type": code, "message": text}, which botocore's RpcV2CBORParser reads.
#include "harness/aws/protocol/cbor.hpp"
#include "harness/aws/protocol/protocols.hpp"
#include "harness/aws/protocol/text.hpp"
#include "harness/aws/protocol/values.hpp"

#include <cmath>

namespace migsim::aws::detail {

namespace {

constexpr const char* kContentType = "application/cbor";

// Writes `value` as `shape` says: timestamps tagged, blobs (base64 in our values) as byte strings,
// float members as floats; unknown members and nulls left out, as to_json_wire does.
void write_shaped(cbor::Writer& w, const Model& m, const json& shape, const json& value)
{
  const std::string& t = type_of(shape);
  if (t == "structure" && value.is_object()) {
    const json& members = members_of(shape);
    size_t n = 0;
    for (const auto& [name, v] : value.items())
      n += members.contains(name) && !v.is_null();
    w.map_header(n);
    for (const auto& [name, v] : value.items()) {
      auto mem = members.find(name);
      if (mem == members.end() || v.is_null())
        continue;
      w.text(name);
      write_shaped(w, m, m.shape_of(*mem), v);
    }
  } else if (t == "list" && value.is_array()) {
    const json& item = m.shape_of(shape.at("member"));
    w.array_header(value.size());
    for (const auto& v : value)
      write_shaped(w, m, item, v);
  } else if (t == "map" && value.is_object()) {
    const json& vs = m.shape_of(shape.at("value"));
    w.map_header(value.size());
    for (const auto& [k, v] : value.items()) {
      w.text(k);
      write_shaped(w, m, vs, v);
    }
  } else if (t == "timestamp") {
    const double s = value.is_number() ? value.get<double>()
                                       : text::parse_timestamp(value.is_string() ? value.get<std::string>() : "").value_or(0);
    w.tag(1);
    if (s == std::floor(s) && std::fabs(s) < 9e15)
      w.integer(static_cast<int64_t>(s));
    else
      w.floating(s);
  } else if (t == "blob" && value.is_string()) {
    w.bytes(text::base64_decode(value.get<std::string>()).value_or(value.get<std::string>()));
  } else if ((t == "double" || t == "float") && value.is_number()) {
    w.floating(value.get<double>());
  } else {
    w.value(value);
  }
}

std::string encode_shaped(const Model& m, const json& ref, const json& value)
{
  cbor::Writer w;
  if (ref.is_null())
    w.map_header(0);
  else
    write_shaped(w, m, m.shape_of(ref), value.is_null() ? json::object() : value);
  return w.bytes_written();
}

// A CBOR body as our values (byte strings to base64; tag 1 is already the number). A bad request
// body is a Violation (`server`), a bad response body an AwsError. Empty bodies are the empty structure.
json decode_body(const std::string& body, bool server)
{
  if (body.empty())
    return json::object();
  json v;
  try {
    v = cbor::binary_to_base64(cbor::decode(body));
  } catch (const cbor::Error& e) {
    if (server)
      throw Violation{Violation::malformed, "", std::string("the request body is not CBOR: ") + e.what()};
    throw AwsError("SerializationException", std::string("the response body is not CBOR: ") + e.what(), 500, false);
  }
  if (!v.is_object()) {
    if (server)
      throw Violation{Violation::malformed, "", "the request body must be a CBOR map"};
    throw AwsError("SerializationException", "the response body is not a CBOR map", 500, false);
  }
  return v;
}

}  // namespace

bool cbor_path(const std::string& target, std::string* prefix, std::string* op)
{
  const std::string path = target.substr(0, target.find('?'));
  static const std::string head = "/service/";
  if (path.rfind(head, 0) != 0)
    return false;
  const auto mid = path.find("/operation/", head.size());
  if (mid == std::string::npos)
    return false;
  if (prefix)
    *prefix = path.substr(head.size(), mid - head.size());
  if (op)
    *op = path.substr(mid + 11);
  return true;
}

WireRequest cbor_serialize_request(const Model& m, const std::string& op, const json& input)
{
  WireRequest r;
  r.method = "POST";
  r.target = "/service/" + m.info.target_prefix + "/operation/" + op;
  r.headers["smithy-protocol"] = "rpc-v2-cbor";
  r.headers["Accept"] = kContentType;
  const json& ref = m.input_ref(op);
  if (!ref.is_null()) {
    r.body = encode_shaped(m, ref, input);
    r.headers["Content-Type"] = kContentType;
  }
  return r;
}

ParsedRequest cbor_parse_request(const Model& m, const WireRequest& req)
{
  std::string prefix, op;
  if (!cbor_path(req.target, &prefix, &op) || prefix != m.info.target_prefix || !m.operations.count(op))
    throw Violation{Violation::unknown_operation, "",
                    "operation " + req.target.substr(0, req.target.find('?')) + " is not known to " + m.info.name +
                        " (/service/" + m.info.target_prefix + "/operation/<Operation>)"};
  if (req.method != "POST")
    throw Violation{Violation::malformed, "", "the rpc-v2-cbor protocol takes POST, not " + req.method};
  ParsedRequest out{m.info.name, op, decode_body(req.body, true)};
  const json& ref = m.input_ref(op);
  if (!ref.is_null())
    validate(m, m.shape_of(ref), out.input, "");
  return out;
}

WireResponse cbor_serialize_response(const Model& m, const std::string& op, const json& output)
{
  WireResponse r;
  r.headers["Content-Type"] = kContentType;
  r.headers["smithy-protocol"] = "rpc-v2-cbor";
  r.body = encode_shaped(m, m.output_ref(op), output);
  return r;
}

WireResponse cbor_serialize_error(const AwsError& e)
{
  WireResponse r;
  r.status = e.status;
  r.headers["Content-Type"] = kContentType;
  r.headers["smithy-protocol"] = "rpc-v2-cbor";
  r.body = cbor::encode(json{{"__type", e.code}, {"message", e.message}});
  return r;
}

json cbor_parse_output(const Model& m, const std::string& op, const std::string& body)
{
  const json& ref = m.output_ref(op);
  if (ref.is_null())
    return json::object();
  return from_json_wire(m, m.shape_of(ref), decode_body(body, false));
}

AwsError cbor_parse_error(int status, const std::string& body)
{
  json b;
  try {
    b = body.empty() ? json::object() : cbor::decode(body);
  } catch (const cbor::Error&) {
    b = json::object();
  }
  std::string code, message;
  if (b.is_object()) {
    code = str(b, "__type");
    message = str(b, "message", str(b, "Message"));
  }
  if (auto colon = code.find(':'); colon != std::string::npos)
    code.resize(colon);
  if (auto hash = code.rfind('#'); hash != std::string::npos)
    code = code.substr(hash + 1);
  if (code.empty())
    code = std::to_string(status);
  return AwsError(code, message, status, status < 500);
}

}  // namespace migsim::aws::detail
