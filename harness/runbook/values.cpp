#include "harness/runbook/values.hpp"

#include "harness/aws/protocol/text.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace migsim::harness::runbook {

namespace {

// One part of a selector: a member name, an index, or every element.
struct Part {
  enum Kind { Member, Index, All } kind;
  std::string name;
  long index = 0;
};

// Splits a selector into parts; throws std::invalid_argument with the reason.
std::vector<Part> parse_selector(const std::string& s)
{
  if (s.empty() || s[0] != '$')
    throw std::invalid_argument("must start with '$'");
  std::vector<Part> parts;
  size_t i = 1;
  while (i < s.size()) {
    if (s[i] == '.') {
      size_t j = i + 1;
      while (j < s.size() && s[j] != '.' && s[j] != '[')
        ++j;
      if (j == i + 1)
        throw std::invalid_argument("empty member name at character " + std::to_string(i + 1));
      parts.push_back({Part::Member, s.substr(i + 1, j - i - 1)});
      i = j;
    } else if (s[i] == '[') {
      const size_t close = s.find(']', i);
      if (close == std::string::npos)
        throw std::invalid_argument("unclosed '[' at character " + std::to_string(i + 1));
      const std::string inner = s.substr(i + 1, close - i - 1);
      if (inner == "*") {
        parts.push_back({Part::All});
      } else if (inner.size() >= 2 && (inner.front() == '\'' || inner.front() == '"') && inner.back() == inner.front()) {
        parts.push_back({Part::Member, inner.substr(1, inner.size() - 2)});
      } else {
        if (inner.empty())
          throw std::invalid_argument("empty index at character " + std::to_string(i + 1));
        for (char c : inner)
          if (!std::isdigit(static_cast<unsigned char>(c)))
            throw std::invalid_argument("index '" + inner + "' is not a number, '*' or a quoted name");
        parts.push_back({Part::Index, "", std::stol(inner)});
      }
      i = close + 1;
    } else {
      throw std::invalid_argument(std::string("unexpected '") + s[i] + "' at character " + std::to_string(i + 1));
    }
  }
  return parts;
}

// Applies parts[from..] to node, appending matches to out; false when a part is missing (no [*]).
bool walk(const json& node, const std::vector<Part>& parts, size_t from, std::vector<json>& out)
{
  if (from == parts.size()) {
    out.push_back(node);
    return true;
  }
  const Part& p = parts[from];
  switch (p.kind) {
    case Part::Member:
      if (!node.is_object() || !node.contains(p.name))
        return false;
      return walk(node.at(p.name), parts, from + 1, out);
    case Part::Index:
      if (!node.is_array() || p.index >= static_cast<long>(node.size()))
        return false;
      return walk(node.at(static_cast<size_t>(p.index)), parts, from + 1, out);
    case Part::All:
      if (!node.is_array())
        return false;
      for (const auto& e : node)
        walk(e, parts, from + 1, out);  // elements lacking the rest are skipped
      return true;
  }
  return false;
}

// Visits every string of a value.
void each_string(const json& v, const std::function<void(const std::string&)>& f)
{
  if (v.is_string())
    f(v.get<std::string>());
  else if (v.is_structured())
    for (const auto& e : v)
      each_string(e, f);
}

std::string trim(const std::string& s)
{
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
    ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
    --e;
  return s.substr(b, e - b);
}

// Splits a string into literal text and {{ }} references, calling f(text, is_reference).
void scan(const std::string& s, const std::function<void(const std::string&, bool)>& f)
{
  size_t at = 0;
  while (at < s.size()) {
    const size_t open = s.find("{{", at);
    if (open == std::string::npos) {
      f(s.substr(at), false);
      return;
    }
    const size_t close = s.find("}}", open + 2);
    if (close == std::string::npos) {
      f(s.substr(at), false);
      return;
    }
    if (open > at)
      f(s.substr(at, open - at), false);
    f(trim(s.substr(open + 2, close - open - 2)), true);
    at = close + 2;
  }
}

json interpolate_string(const std::string& s, const Resolver& resolve)
{
  std::vector<std::pair<std::string, bool>> pieces;
  scan(s, [&](const std::string& text, bool ref) { pieces.emplace_back(text, ref); });
  auto value_of = [&](const std::string& name) {
    auto v = resolve(name);
    if (!v)
      throw std::runtime_error("{{ " + name + " }} refers to no parameter or step output");
    return *v;
  };
  if (pieces.size() == 1 && pieces[0].second)
    return value_of(pieces[0].first);
  std::string out;
  for (const auto& [text, ref] : pieces)
    out += ref ? as_text(value_of(text)) : text;
  return out;
}

}  // namespace

std::string selector_error(const std::string& selector)
{
  try {
    parse_selector(selector);
    return "";
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

std::optional<json> select(const json& doc, const std::string& selector)
{
  const auto parts = parse_selector(selector);
  bool wildcard = false;
  for (const auto& p : parts)
    wildcard |= p.kind == Part::All;
  std::vector<json> out;
  if (!walk(doc, parts, 0, out))
    return std::nullopt;
  if (wildcard)
    return json(out);
  return out.empty() ? std::nullopt : std::optional<json>(out.front());
}

std::vector<std::string> references(const json& value)
{
  std::vector<std::string> out;
  each_string(value, [&](const std::string& s) {
    scan(s, [&](const std::string& text, bool ref) {
      if (ref)
        out.push_back(text);
    });
  });
  return out;
}

json interpolate(const json& value, const Resolver& resolve)
{
  if (value.is_string())
    return interpolate_string(value.get<std::string>(), resolve);
  if (value.is_array()) {
    json out = json::array();
    for (const auto& e : value)
      out.push_back(interpolate(e, resolve));
    return out;
  }
  if (value.is_object()) {
    json out = json::object();
    for (const auto& [k, v] : value.items())
      out[k] = interpolate(v, resolve);
    return out;
  }
  return value;
}

std::string as_text(const json& value)
{
  if (value.is_string())
    return value.get<std::string>();
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (d == static_cast<double>(static_cast<long long>(d)) && d < 1e15 && d > -1e15)
      return std::to_string(static_cast<long long>(d));
  }
  return value.dump();
}

std::optional<json> coerce(const json& value, const std::string& type)
{
  if (type == "String") {
    if (value.is_structured() || value.is_null())
      return std::nullopt;
    return json(as_text(value));
  }
  if (type == "Integer") {
    if (value.is_number_integer())
      return value;
    if (value.is_number_float() && value.get<double>() == static_cast<double>(static_cast<long long>(value.get<double>())))
      return json(static_cast<long long>(value.get<double>()));
    if (value.is_string()) {
      try {
        size_t used = 0;
        const long long v = std::stoll(value.get<std::string>(), &used);
        if (used == value.get<std::string>().size())
          return json(v);
      } catch (const std::exception&) {
      }
    }
    return std::nullopt;
  }
  if (type == "Boolean") {
    if (value.is_boolean())
      return value;
    if (value == "true" || value == "True")
      return json(true);
    if (value == "false" || value == "False")
      return json(false);
    return std::nullopt;
  }
  if (type == "StringList") {
    if (value.is_array()) {
      json out = json::array();
      for (const auto& e : value) {
        if (e.is_structured() || e.is_null())
          return std::nullopt;
        out.push_back(as_text(e));
      }
      return out;
    }
    if (value.is_string()) {
      json out = json::array();
      const std::string s = value.get<std::string>();
      size_t from = 0;
      while (from <= s.size()) {
        size_t comma = s.find(',', from);
        if (comma == std::string::npos)
          comma = s.size();
        const std::string item = trim(s.substr(from, comma - from));
        if (!item.empty())
          out.push_back(item);
        from = comma + 1;
      }
      return out;
    }
    return std::nullopt;
  }
  if (type == "StringMap")
    return value.is_object() ? std::optional<json>(value) : std::nullopt;
  if (type == "MapList") {
    if (!value.is_array())
      return std::nullopt;
    for (const auto& e : value)
      if (!e.is_object())
        return std::nullopt;
    return value;
  }
  return std::nullopt;
}

}  // namespace migsim::harness::runbook

namespace migsim::harness::runbook {

std::optional<double> iso_duration_s(const std::string& s)
{
  if (s.size() < 3 || s[0] != 'P')
    return std::nullopt;
  double total = 0;
  bool in_time = false, any = false;
  size_t i = 1;
  while (i < s.size()) {
    if (s[i] == 'T') {
      if (in_time)
        return std::nullopt;
      in_time = true;
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.'))
      ++j;
    if (j == i || j == s.size())
      return std::nullopt;
    double v = 0;
    try {
      v = std::stod(s.substr(i, j - i));
    } catch (const std::exception&) {
      return std::nullopt;
    }
    const char unit = s[j];
    if (!in_time && unit == 'D')
      total += v * 86400;
    else if (!in_time && unit == 'W')
      total += v * 7 * 86400;
    else if (in_time && unit == 'H')
      total += v * 3600;
    else if (in_time && unit == 'M')
      total += v * 60;
    else if (in_time && unit == 'S')
      total += v;
    else
      return std::nullopt;
    any = true;
    i = j + 1;
  }
  return any ? std::optional<double>(total) : std::nullopt;
}

std::optional<double> iso_timestamp_epoch_s(const std::string& s)
{
  // UTC only ("...Z"), as SSM Automation writes timestamps.
  if (s.size() < 20 || s.back() != 'Z' || s[10] != 'T')
    return std::nullopt;
  return aws::text::parse_timestamp(s);
}

std::string iso_timestamp(double epoch_s) { return aws::text::iso8601(std::floor(epoch_s)); }

}  // namespace migsim::harness::runbook
