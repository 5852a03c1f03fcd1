// The value language of runbooks: JSONPath selectors ($.A.B[0].C, [*] for every element) on API
// responses, and {{ name }} interpolation of parameters, step outputs (step.Output) and the
// global:/automation: variables, in any string of a step's inputs.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace migsim::harness::runbook {

using nlohmann::json;

// Why a selector is malformed ("" when it is fine). Accepted: $ followed by .Name, ['Name'],
// [N] and [*] parts.
std::string selector_error(const std::string& selector);

// What a selector picks in a document: nullopt when a part is missing; with [*], the array of
// every match (possibly empty).
std::optional<json> select(const json& doc, const std::string& selector);

// The names referenced by {{ }} in every string of a value (trimmed: "step.Output", "Param",
// "global:DATE_TIME").
std::vector<std::string> references(const json& value);

// Resolves a name to its value (nullopt: unknown name).
using Resolver = std::function<std::optional<json>(const std::string& name)>;

// Replaces every {{ name }}. A string that is exactly one reference takes the referenced value
// with its type (a StringList stays a list, an Integer a number); otherwise values are spliced in
// as text. Throws std::runtime_error naming an unresolvable reference.
json interpolate(const json& value, const Resolver& resolve);

// A value converted to an output or parameter type (String, Integer, Boolean, StringList,
// StringMap, MapList); nullopt when it cannot be.
std::optional<json> coerce(const json& value, const std::string& type);

// Seconds of an ISO 8601 duration (PT5M, PT1H30M, P1D, PT0.5S); nullopt when malformed.
std::optional<double> iso_duration_s(const std::string& s);

// Seconds since the Unix epoch of an ISO 8601 UTC timestamp (2025-01-01T18:00:00Z, optional
// fraction); nullopt when malformed.
std::optional<double> iso_timestamp_epoch_s(const std::string& s);

// An ISO 8601 UTC timestamp (seconds precision) of epoch seconds.
std::string iso_timestamp(double epoch_s);

// The value as text, the way it is compared and spliced (strings unquoted).
std::string as_text(const json& value);

}  // namespace migsim::harness::runbook
