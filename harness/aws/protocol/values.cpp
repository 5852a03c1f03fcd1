#include "harness/aws/protocol/values.hpp"

#include "harness/aws/protocol/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace migsim::aws {

namespace {

// "Value 'x'" as AWS validation messages quote a value.
std::string quoted(const json& v)
{
  return v.is_string() ? "'" + v.get<std::string>() + "'" : v.dump();
}

std::string join_path(const std::string& base, const std::string& member)
{
  return base.empty() ? member : base + "." + member;
}

bool is_integer_type(const std::string& t) { return t == "integer" || t == "long" || t == "short" || t == "byte"; }
bool is_float_type(const std::string& t) { return t == "float" || t == "double" || t == "bigdecimal"; }

}  // namespace

AwsError to_error(Protocol protocol, const std::string& service, const Violation& v)
{
  if (v.kind == Violation::unknown_operation) {
    switch (protocol) {
      case Protocol::json: return AwsError("UnknownOperationException", v.message, 400);
      case Protocol::rpc_v2_cbor: return AwsError("UnknownOperationException", v.message, 404);
      case Protocol::rest_json: return AwsError("UnknownOperationException", v.message, 404);
      case Protocol::query:
      case Protocol::ec2: return AwsError("InvalidAction", v.message, 400);
      case Protocol::rest_xml: return AwsError(service == "s3" ? "NotImplemented" : "InvalidAction", v.message,
                                               service == "s3" ? 501 : 400);
    }
  }
  switch (protocol) {
    case Protocol::json:
    case Protocol::rpc_v2_cbor:
      return AwsError(v.kind == Violation::type || v.kind == Violation::malformed ? "SerializationException"
                                                                                  : "ValidationException",
                      v.message);
    case Protocol::rest_json:
      return AwsError("ValidationException", v.message);  // MGN and EKS answer ValidationException even for bad JSON
    case Protocol::query:
      switch (v.kind) {
        case Violation::missing: return AwsError("MissingParameter", v.message);
        case Violation::type: return AwsError("InvalidParameterValue", v.message);
        case Violation::malformed: return AwsError("MalformedQueryString", v.message);
        default: return AwsError("ValidationError", v.message);
      }
    case Protocol::ec2:  // EC2: MissingParameter, InvalidParameterValue for a bad type or enum
      switch (v.kind) {
        case Violation::missing: return AwsError("MissingParameter", v.message);
        case Violation::malformed: return AwsError("MalformedQueryString", v.message);
        default: return AwsError("InvalidParameterValue", v.message);
      }
    case Protocol::rest_xml:
      if (v.kind == Violation::malformed)
        return AwsError("MalformedXML", v.message);
      return AwsError(service == "s3" ? "InvalidArgument" : "InvalidInput", v.message);
  }
  return AwsError("ValidationException", v.message);
}

void validate(const Model& m, const json& shape, json& value, const std::string& path)
{
  const std::string& t = type_of(shape);
  auto bad_type = [&](const char* want) {
    throw Violation{Violation::type, path,
                    "Value " + quoted(value) + " at '" + path + "' failed to satisfy constraint: Member must be " +
                        want};
  };
  if (t == "structure") {
    if (!value.is_object())
      bad_type("a structure");
    for (auto it = value.begin(); it != value.end();) {
      if (it->is_null())
        it = value.erase(it);
      else
        ++it;
    }
    if (shape.contains("required"))
      for (const auto& r : shape["required"]) {
        const std::string name = r.get<std::string>();
        // Members bound to the URI are checked by the rest codecs (an empty label is a 404 there).
        if (!value.contains(name))
          throw Violation{Violation::missing, join_path(path, name),
                          "1 validation error detected: Value null at '" + join_path(path, name) +
                              "' failed to satisfy constraint: Member must not be null"};
      }
    const json& members = members_of(shape);
    for (auto& [name, v] : value.items()) {
      auto mem = members.find(name);
      if (mem == members.end())
        continue;  // unknown members are ignored, as AWS services do
      validate(m, m.shape_of(*mem), v, join_path(path, name));
    }
  } else if (t == "list") {
    if (!value.is_array())
      bad_type("a list");
    const json& item_shape = m.shape_of(shape.at("member"));
    for (size_t i = 0; i < value.size(); ++i)
      validate(m, item_shape, value[i], path + "[" + std::to_string(i) + "]");
  } else if (t == "map") {
    if (!value.is_object())
      bad_type("a map");
    const json& value_shape = m.shape_of(shape.at("value"));
    for (auto& [k, v] : value.items())
      validate(m, value_shape, v, path + "[" + k + "]");
  } else if (t == "string") {
    if (!value.is_string())
      bad_type("a string");
    if (shape.contains("enum")) {
      const json& e = shape["enum"];
      if (std::find(e.begin(), e.end(), value) == e.end()) {
        std::string set;
        for (const auto& x : e)
          set += (set.empty() ? "" : ", ") + x.get<std::string>();
        throw Violation{Violation::enumeration, path,
                        "1 validation error detected: Value " + quoted(value) + " at '" + path +
                            "' failed to satisfy constraint: Member must satisfy enum value set: [" + set + "]"};
      }
    }
  } else if (is_integer_type(t)) {
    if (!value.is_number_integer())
      bad_type("an integer");
  } else if (is_float_type(t)) {
    if (!value.is_number())
      bad_type("a number");
  } else if (t == "boolean") {
    if (!value.is_boolean())
      bad_type("a boolean");
  } else if (t == "timestamp") {
    if (value.is_string()) {
      auto ts = text::parse_timestamp(value.get<std::string>());
      if (!ts)
        bad_type("a timestamp");
      value = *ts;
    } else if (!value.is_number()) {
      bad_type("a timestamp");
    }
  } else if (t == "blob") {
    if (!value.is_string())
      bad_type("base64-encoded bytes");
  }
}

std::string timestamp_format(const json& ref, const json& shape, const std::string& fallback)
{
  if (ref.is_object() && ref.contains("timestampFormat"))
    return ref["timestampFormat"];
  if (shape.contains("timestampFormat"))
    return shape["timestampFormat"];
  return fallback;
}

std::string scalar_text(const json& shape, const json& value, const std::string& ts_format)
{
  const std::string& t = type_of(shape);
  if (t == "timestamp") {
    double s = value.is_number() ? value.get<double>() : text::parse_timestamp(value.get<std::string>()).value_or(0);
    if (ts_format == "rfc822")
      return text::rfc1123(s);
    if (ts_format == "unixTimestamp")
      return text::number(s);
    return text::iso8601(s);
  }
  if (value.is_boolean())
    return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer())
    return std::to_string(value.get<long long>());
  if (value.is_number())
    return text::number(value.get<double>());
  if (value.is_string())
    return value.get<std::string>();
  return value.dump();
}

json scalar_value(const json& shape, const std::string& s, const std::string& path)
{
  const std::string& t = type_of(shape);
  auto bad = [&](const char* want) -> json {
    throw Violation{Violation::type, path,
                    "Value '" + s + "' at '" + path + "' failed to satisfy constraint: Member must be " + want};
  };
  if (is_integer_type(t)) {
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    return s.empty() || *end ? bad("an integer") : json(v);
  }
  if (is_float_type(t)) {
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    return s.empty() || *end ? bad("a number") : json(v);
  }
  if (t == "boolean") {
    if (s == "true" || s == "True")
      return true;
    if (s == "false" || s == "False")
      return false;
    return bad("a boolean");
  }
  if (t == "timestamp") {
    auto ts = text::parse_timestamp(s);
    return ts ? json(*ts) : bad("a timestamp");
  }
  return s;
}

json to_json_wire(const Model& m, const json& shape, const json& value)
{
  const std::string& t = type_of(shape);
  if (t == "structure" && value.is_object()) {
    json out = json::object();
    const json& members = members_of(shape);
    for (const auto& [name, v] : value.items()) {
      auto mem = members.find(name);
      if (mem == members.end() || v.is_null())
        continue;
      const json& ms = m.shape_of(*mem);
      if (type_of(ms) == "timestamp") {
        const std::string f = timestamp_format(*mem, ms, "unixTimestamp");
        out[name] = f == "unixTimestamp" ? json(v.is_number() ? v.get<double>() : text::parse_timestamp(v.get<std::string>()).value_or(0))
                                         : json(scalar_text(ms, v, f));
      } else {
        out[name] = to_json_wire(m, ms, v);
      }
    }
    return out;
  }
  if (t == "list" && value.is_array()) {
    json out = json::array();
    const json& item = m.shape_of(shape.at("member"));
    for (const auto& v : value)
      out.push_back(to_json_wire(m, item, v));
    return out;
  }
  if (t == "map" && value.is_object()) {
    json out = json::object();
    const json& vs = m.shape_of(shape.at("value"));
    for (const auto& [k, v] : value.items())
      out[k] = to_json_wire(m, vs, v);
    return out;
  }
  if (t == "timestamp") {
    const std::string f = timestamp_format(json(), shape, "unixTimestamp");
    if (f == "unixTimestamp")
      return value.is_number() ? value : json(text::parse_timestamp(value.get<std::string>()).value_or(0));
    return scalar_text(shape, value, f);
  }
  return value;
}

json from_json_wire(const Model& m, const json& shape, const json& wire)
{
  const std::string& t = type_of(shape);
  if (t == "structure" && wire.is_object()) {
    json out = json::object();
    const json& members = members_of(shape);
    for (const auto& [name, v] : wire.items()) {
      auto mem = members.find(name);
      out[name] = mem == members.end() || v.is_null() ? v : from_json_wire(m, m.shape_of(*mem), v);
    }
    return out;
  }
  if (t == "list" && wire.is_array()) {
    json out = json::array();
    const json& item = m.shape_of(shape.at("member"));
    for (const auto& v : wire)
      out.push_back(from_json_wire(m, item, v));
    return out;
  }
  if (t == "map" && wire.is_object()) {
    json out = json::object();
    const json& vs = m.shape_of(shape.at("value"));
    for (const auto& [k, v] : wire.items())
      out[k] = from_json_wire(m, vs, v);
    return out;
  }
  if (t == "timestamp" && wire.is_string())
    return text::parse_timestamp(wire.get<std::string>()).value_or(0);
  return wire;
}

}  // namespace migsim::aws
