// Shape-driven conversions shared by the protocols: checking a decoded input against its shape
// (required members, types, enums), scalars to and from wire text, and the json-protocol body.
#pragma once

#include "harness/aws/protocol/model.hpp"

#include <string>

namespace migsim::aws {

// What is wrong with a request, before the protocol names it (each protocol has its own codes).
struct Violation {
  enum Kind { missing, type, enumeration, malformed, unknown_operation };
  Kind kind;
  std::string path;     // "Filters[0].Name" ("" for the whole request)
  std::string message;  // full sentence, in AWS's wording
};

// The AwsError a protocol answers for a violation (json ValidationException/SerializationException,
// query MissingParameter/InvalidParameterValue/ValidationError, rest-xml InvalidInput/MalformedXML).
AwsError to_error(Protocol protocol, const std::string& service, const Violation& v);

// Checks `value` against `shape` and normalises it in place: timestamps given as strings become
// epoch seconds, null members are dropped. Throws Violation.
void validate(const Model& m, const json& shape, json& value, const std::string& path);

// The text of a scalar on the wire (query params, XML text, headers, querystring): booleans
// "true"/"false", numbers without trailing ".0", timestamps in `ts_format` ("iso8601",
// "rfc822", "unixTimestamp"), blobs as given (base64), strings as they are.
std::string scalar_text(const json& shape, const json& value, const std::string& ts_format);

// The json value of a scalar's wire text; throws Violation{type} naming `path` when it does not parse.
json scalar_value(const json& shape, const std::string& text, const std::string& path);

// The json-protocol body of a value: timestamps as epoch seconds (or per timestampFormat),
// everything else as is. `ts_default` is "unixTimestamp" for json/rest-json bodies.
json to_json_wire(const Model& m, const json& shape, const json& value);

// The value of a json-protocol body read by a client (timestamps to epoch seconds).
json from_json_wire(const Model& m, const json& shape, const json& wire);

// The timestamp format of a member (its own, its shape's, or the protocol's default).
std::string timestamp_format(const json& ref, const json& shape, const std::string& fallback);

}  // namespace migsim::aws
