// Text conversions every AWS protocol needs: timestamps (epoch seconds <-> ISO-8601 / RFC 1123),
// base64, percent-encoding of URIs and forms, XML escaping.
#pragma once

#include "sim/region_name.hpp"

#include <map>
#include <string_view>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace migsim::aws::text {

// ISO-8601 UTC of epoch seconds: "2025-01-01T00:00:00Z" (".123Z" when fractional).
std::string iso8601(double epoch_s);
// RFC 1123 / IMF-fixdate of epoch seconds: "Wed, 01 Jan 2025 00:00:00 GMT".
std::string rfc1123(double epoch_s);
// Epoch seconds of an ISO-8601, RFC 1123 or numeric (epoch seconds) timestamp; nullopt when none.
std::optional<double> parse_timestamp(const std::string& s);
// A number as the wire writes it: integers without a decimal point.
std::string number(double v);

std::string base64_encode(const std::string& bytes);
// Decodes base64 (nullopt when malformed).
std::optional<std::string> base64_decode(const std::string& b64);

// Percent-encodes per RFC 3986 (unreserved kept); '/' kept when `keep_slash`.
std::string uri_encode(const std::string& s, bool keep_slash = false);
// Decodes %XX (and '+' as space when `plus_is_space`, as forms do).
std::string uri_decode(const std::string& s, bool plus_is_space);
// The pairs of an application/x-www-form-urlencoded string or query string, in order.
std::vector<std::pair<std::string, std::string>> parse_form(const std::string& form);

// Escapes text for XML content and attribute values. With `strict`, tabs and line breaks become
// character references too (kept through attribute normalisation) and the control characters XML 1.0
// forbids are dropped.
std::string xml_escape(const std::string& s, bool strict = false);

// Header hygiene (RFC 9110 5.1, 5.5): a name is a token; a value holds visible ASCII, spaces, tabs
// and bytes >= 0x80, never CR, LF, NUL or another control character (no header injection).
bool valid_header_name(const std::string& name);
bool valid_header_value(const std::string& value);
// Valid UTF-8 (no overlong forms, no surrogates): what a request's path, credential scope and
// header values must be before their text goes into a JSON or XML answer.
bool valid_utf8(const std::string& s);
// A region name as botocore accepts it (sim/region_name.hpp: the scenario's `region` key uses it too).
using sim::valid_region_name;

}  // namespace migsim::aws::text
