#include "harness/serve/persist/journal_record.hpp"

#include "harness/aws/protocol/text.hpp"

#include <stdexcept>

namespace migsim::harness::serve::persist {

namespace {

using nlohmann::json;

// Bytes as JSON: the text itself when it is UTF-8, else {"b64": ...} (an S3 object body).
json bytes_json(const std::string& s)
{
  if (aws::text::valid_utf8(s))
    return s;
  return {{"b64", aws::text::base64_encode(s)}};
}

std::string bytes_of(const json& j, const std::string& field)
{
  if (j.is_string())
    return j.get<std::string>();
  if (j.is_object() && j.contains("b64") && j["b64"].is_string())
    if (auto decoded = aws::text::base64_decode(j["b64"].get<std::string>()))
      return *decoded;
  throw std::invalid_argument(field + ": expected a string or {\"b64\": base64}");
}

const json& member(const json& j, const char* key)
{
  if (!j.is_object() || !j.contains(key))
    throw std::invalid_argument(std::string("missing \"") + key + "\"");
  return j[key];
}

double number(const json& j, const char* key)
{
  const json& v = member(j, key);
  if (!v.is_number())
    throw std::invalid_argument(std::string("\"") + key + "\" must be a number");
  return v.get<double>();
}

uint64_t count(const json& j, const char* key)
{
  const json& v = member(j, key);
  if (!v.is_number_integer() || v.get<int64_t>() < 0)
    throw std::invalid_argument(std::string("\"") + key + "\" must be a non-negative integer");
  return v.get<uint64_t>();
}

std::string text(const json& j, const char* key)
{
  const json& v = member(j, key);
  if (!v.is_string())
    throw std::invalid_argument(std::string("\"") + key + "\" must be a string");
  return v.get<std::string>();
}

}  // namespace

json header_json(const JournalIdentity& id)
{
  return {{"kind", "header"},
          {"format", kFormatVersion},
          {"scenario", id.scenario_name},
          {"scenario_sha256", id.scenario_sha256},
          {"seed", id.seed},
          {"settings", id.settings}};
}

json call_json(const CallEntry& c)
{
  json headers = json::array();
  for (const auto& field : c.request)
    headers.push_back({std::string(field.name_string()), bytes_json(std::string(field.value()))});
  return {{"kind", "call"},
          {"at_s", c.at_s},
          {"after_s", c.after_s},
          {"request_no", c.request_no},
          {"chaos_draws", c.chaos_draws},
          {"tls", c.tls},
          {"status", c.status},
          {"service", c.service},
          {"operation", c.operation},
          {"method", std::string(c.request.method_string())},
          {"target", bytes_json(std::string(c.request.target()))},
          {"headers", headers},
          {"body", bytes_json(c.request.body())}};
}

json clock_json(double at_s) { return {{"kind", "clock"}, {"at_s", at_s}}; }

JournalIdentity identity_from_header(const json& h)
{
  if (text(h, "kind") != "header")
    throw std::invalid_argument("the first record is not the header");
  const json& format = member(h, "format");
  if (!format.is_number_integer() || format.get<int>() != kFormatVersion)
    throw std::invalid_argument("format " + format.dump() + " is not the one this migsim reads (" +
                                std::to_string(kFormatVersion) + ")");
  JournalIdentity id;
  id.scenario_name = text(h, "scenario");
  id.scenario_sha256 = text(h, "scenario_sha256");
  id.seed = count(h, "seed");
  id.settings = member(h, "settings");
  return id;
}

CallEntry call_from_json(const json& j)
{
  CallEntry c;
  c.at_s = number(j, "at_s");
  c.after_s = number(j, "after_s");
  c.request_no = count(j, "request_no");
  c.chaos_draws = count(j, "chaos_draws");
  const json& tls = member(j, "tls");
  if (!tls.is_boolean())
    throw std::invalid_argument("\"tls\" must be true or false");
  c.tls = tls.get<bool>();
  c.status = static_cast<int>(count(j, "status"));
  c.service = text(j, "service");
  c.operation = text(j, "operation");
  const std::string method = text(j, "method");
  const http::verb verb = http::string_to_verb(method);
  if (verb == http::verb::unknown)
    throw std::invalid_argument("\"method\" " + method + " is not an HTTP method");
  c.request = Request{verb, bytes_of(member(j, "target"), "\"target\""), 11};
  const json& headers = member(j, "headers");
  if (!headers.is_array())
    throw std::invalid_argument("\"headers\" must be a list of [name, value]");
  for (const json& h : headers) {
    if (!h.is_array() || h.size() != 2 || !h[0].is_string())
      throw std::invalid_argument("\"headers\": each must be [name, value]");
    c.request.insert(h[0].get<std::string>(), bytes_of(h[1], "a header value"));
  }
  c.request.body() = bytes_of(member(j, "body"), "\"body\"");
  return c;
}

std::optional<std::string> identity_mismatch(const JournalIdentity& written, const JournalIdentity& now)
{
  if (written.scenario_sha256 != now.scenario_sha256)
    return "it was written for scenario '" + written.scenario_name + "' (SHA-256 " +
           written.scenario_sha256.substr(0, 12) + "...), this is '" + now.scenario_name + "' (SHA-256 " +
           now.scenario_sha256.substr(0, 12) + "...)";
  if (written.seed != now.seed)
    return "it was written with seed " + std::to_string(written.seed) + ", this run has seed " +
           std::to_string(now.seed);
  if (written.settings != now.settings)
    return "it was written with settings " + written.settings.dump() + ", this run has " + now.settings.dump();
  return std::nullopt;
}

}  // namespace migsim::harness::serve::persist
