#include "sim/json_reader.hpp"

#include <cmath>
#include <sstream>

namespace migsim::sim {

namespace {

// Path with array indices replaced by '*', the key of the documentation table.
std::string pattern_of(const std::string& path)
{
  std::string out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      size_t j = i + 1;
      while (j < path.size() && std::isdigit(static_cast<unsigned char>(path[j])))
        ++j;
      if (j > i + 1 && (j == path.size() || path[j] == '/')) {
        out += "/*";
        i = j;
        continue;
      }
    }
    out += path[i++];
  }
  return out;
}

// Edit distance, to suggest the intended key for a misspelled one.
size_t edit_distance(const std::string& a, const std::string& b)
{
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string range_text(double min, double max, bool exclusive_min)
{
  std::string lo = min <= -1e299 ? "" : (exclusive_min ? "> " : ">= ") + format_number(min);
  std::string hi = max >= 1e299 ? "" : "<= " + format_number(max);
  if (lo.empty())
    return hi.empty() ? "any" : hi;
  return hi.empty() ? lo : lo + ", " + hi;
}

}  // namespace

std::map<std::string, FieldDoc>& field_docs()
{
  static std::map<std::string, FieldDoc> docs;
  return docs;
}

std::string json_type_name(const nlohmann::json& v)
{
  switch (v.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::object: return "object";
    case nlohmann::json::value_t::array: return "array";
    case nlohmann::json::value_t::string: return "string";
    case nlohmann::json::value_t::boolean: return "boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return "integer";
    case nlohmann::json::value_t::number_float: return "number";
    default: return "value";
  }
}

std::string format_number(double v)
{
  std::ostringstream os;
  os.precision(12);
  os << v;
  return os.str();
}

ObjectReader::ObjectReader(const nlohmann::json& value, std::string path) : value_(value), path_(std::move(path))
{
  if (!value_.is_object())
    throw InputError(path_, "must be an object, got " + json_type_name(value_));
}

const nlohmann::json* ObjectReader::find(const std::string& key) const
{
  known_.insert(key);
  auto it = value_.find(key);
  return it == value_.end() ? nullptr : &*it;
}

void ObjectReader::missing(const std::string& key, const char* what) const
{
  std::string hint;
  for (auto it = value_.begin(); it != value_.end(); ++it)
    if (!known_.count(it.key()) && edit_distance(it.key(), key) <= 2)
      hint = " (found \"" + it.key() + "\": misspelled?)";
  throw InputError(path_of(key), std::string("required ") + what + " is missing" + hint);
}

void ObjectReader::document(const std::string& key, FieldDoc doc) const
{
  field_docs()[pattern_of(path_of(key))] = std::move(doc);
}

double ObjectReader::number(const std::string& key, const NumberField& f)
{
  document(key, {"number", f.unit, f.def ? format_number(*f.def) : "required", range_text(f.min, f.max, f.exclusive_min),
                 f.help});
  const auto* v = find(key);
  if (!v) {
    if (!f.def)
      missing(key, "number");
    return *f.def;
  }
  if (!v->is_number())
    throw InputError(path_of(key), "must be a number, got " + json_type_name(*v));
  const double x = v->get<double>();
  if (!std::isfinite(x))
    throw InputError(path_of(key), "must be finite");
  if (f.exclusive_min ? x <= f.min : x < f.min)
    throw InputError(path_of(key), std::string("must be ") + (f.exclusive_min ? "> " : ">= ") + format_number(f.min) +
                                       ", got " + format_number(x));
  if (x > f.max)
    throw InputError(path_of(key), "must be <= " + format_number(f.max) + ", got " + format_number(x));
  // Physical minimums for every rate and speed (bit/s, B/s, flop/s): a positive value below a
  // thousandth of its unit is no real link, disk or core (and SimGrid cannot share one), and a
  // "> 0" quantity below 1e-9 is a typo, not a value.
  const std::string unit = f.unit;
  const bool rate = unit.find("bit/s") != std::string::npos || unit.find("B/s") != std::string::npos ||
                    unit.find("flop/s") != std::string::npos;
  if (rate && x > 0 && x < 1e-3)
    throw InputError(path_of(key), "must be " + std::string(f.min <= 0 && !f.exclusive_min ? "0 or " : "") +
                                       ">= 0.001 " + unit + " (a smaller positive rate is not physical), got " +
                                       format_number(x));
  if (f.exclusive_min && f.min == 0 && x < 1e-9)
    throw InputError(path_of(key), "must be >= 1e-09 (a positive quantity this small is not physical), got " +
                                       format_number(x));
  return x;
}

std::optional<double> ObjectReader::optional_number(const std::string& key, const NumberField& f)
{
  if (!has(key)) {
    known_.insert(key);
    document(key, {"number", f.unit, "none", range_text(f.min, f.max, f.exclusive_min), f.help});
    return std::nullopt;
  }
  const double v = number(key, f);
  document(key, {"number", f.unit, "none", range_text(f.min, f.max, f.exclusive_min), f.help});
  return v;
}

long long ObjectReader::integer(const std::string& key, const IntegerField& f)
{
  document(key, {"integer", f.unit, f.def ? std::to_string(*f.def) : "required",
                 range_text(static_cast<double>(f.min), static_cast<double>(f.max), false), f.help});
  const auto* v = find(key);
  if (!v) {
    if (!f.def)
      missing(key, "integer");
    return *f.def;
  }
  if (!v->is_number())
    throw InputError(path_of(key), "must be an integer, got " + json_type_name(*v));
  const double d = v->get<double>();
  if (d != std::floor(d) || !std::isfinite(d))
    throw InputError(path_of(key), "must be an integer, got " + format_number(d));
  if (d < static_cast<double>(f.min))
    throw InputError(path_of(key), "must be >= " + std::to_string(f.min) + ", got " + format_number(d));
  if (d > static_cast<double>(f.max))
    throw InputError(path_of(key), "must be <= " + std::to_string(f.max) + ", got " + format_number(d));
  return static_cast<long long>(d);
}

std::string ObjectReader::string(const std::string& key, const StringField& f)
{
  std::string allowed;
  for (const auto& a : f.allowed)
    allowed += (allowed.empty() ? "" : ", ") + a;
  document(key, {"string", "", f.def ? "\"" + *f.def + "\"" : "required", allowed.empty() ? "non-empty" : allowed, f.help});
  const auto* v = find(key);
  if (!v) {
    if (!f.def)
      missing(key, "string");
    return *f.def;
  }
  if (!v->is_string())
    throw InputError(path_of(key), "must be a string, got " + json_type_name(*v));
  auto s = v->get<std::string>();
  if (!f.allowed.empty()) {
    for (const auto& a : f.allowed)
      if (a == s)
        return s;
    throw InputError(path_of(key), "must be one of " + allowed + ", got \"" + s + "\"");
  }
  if (s.empty())
    throw InputError(path_of(key), "must not be empty");
  return s;
}

bool ObjectReader::boolean(const std::string& key, const BoolField& f)
{
  document(key, {"boolean", "", f.def ? (*f.def ? "true" : "false") : "required", "true, false", f.help});
  const auto* v = find(key);
  if (!v) {
    if (!f.def)
      missing(key, "boolean");
    return *f.def;
  }
  if (!v->is_boolean())
    throw InputError(path_of(key), "must be a boolean, got " + json_type_name(*v));
  return v->get<bool>();
}

const nlohmann::json* ObjectReader::array(const std::string& key, bool required, const char* help)
{
  document(key, {"array", "", required ? "required" : "[]", "", help});
  const auto* v = find(key);
  if (!v) {
    if (required)
      missing(key, "array");
    return nullptr;
  }
  if (!v->is_array())
    throw InputError(path_of(key), "must be an array, got " + json_type_name(*v));
  return v;
}

std::optional<ObjectReader> ObjectReader::object(const std::string& key, bool required, const char* help)
{
  document(key, {"object", "", required ? "required" : "{}", "", help});
  const auto* v = find(key);
  if (!v) {
    if (required)
      missing(key, "section");
    return std::nullopt;
  }
  return ObjectReader(*v, path_of(key));
}

const nlohmann::json* ObjectReader::raw(const std::string& key, const char* type, const char* help)
{
  document(key, {type, "", "", "", help});
  return find(key);
}

void ObjectReader::finish() const
{
  for (auto it = value_.begin(); it != value_.end(); ++it) {
    if (known_.count(it.key()))
      continue;
    std::string best;
    size_t best_d = 3;
    for (const auto& k : known_) {
      const size_t d = edit_distance(it.key(), k);
      if (d < best_d) {
        best_d = d;
        best = k;
      }
    }
    std::string known;
    for (const auto& k : known_)
      known += (known.empty() ? "" : ", ") + k;
    throw InputError(path_of(it.key()), "unknown key" + (best.empty() ? "" : " (did you mean \"" + best + "\"?)") +
                                            "; known keys here: " + known);
  }
}

}  // namespace migsim::sim
