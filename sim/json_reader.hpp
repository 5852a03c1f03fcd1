// Strict reading of JSON scenario documents: every value is read through a declared field (name,
// unit, default, valid range, help), every error names the JSON pointer where it happened, and keys
// nobody asked for are errors, so a misspelled key never turns into a silent default. The fields
// declared while reading are also recorded, which is how scenarios/README.md is generated.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace migsim::sim {

// A user-caused input error, with the JSON pointer to the offending value.
class InputError : public std::runtime_error {
public:
  InputError(std::string path, const std::string& message)
      : std::runtime_error((path.empty() ? std::string("/") : path) + ": " + message), path_(std::move(path))
  {}
  const std::string& path() const { return path_; }

private:
  std::string path_;
};

struct NumberField {
  std::optional<double> def;  // no default: the key is required
  double min = -1e300;
  double max = 1e300;
  const char* unit = "";
  const char* help = "";
  bool exclusive_min = false;  // value must be > min rather than >= min
};

struct IntegerField {
  std::optional<long long> def;
  long long min = 0;
  long long max = (1LL << 53);
  const char* unit = "";
  const char* help = "";
};

struct StringField {
  std::optional<std::string> def;
  std::vector<std::string> allowed;  // empty: any non-empty string
  const char* help = "";
};

struct BoolField {
  std::optional<bool> def;
  const char* help = "";
};

// One documented key, as recorded while reading (array indices in the path replaced by `*`).
struct FieldDoc {
  std::string type;
  std::string unit;
  std::string def;
  std::string range;
  std::string help;
};

// Collects FieldDoc entries by path pattern; shared by every reader in the process.
std::map<std::string, FieldDoc>& field_docs();

class ObjectReader {
public:
  ObjectReader(const nlohmann::json& value, std::string path);

  double number(const std::string& key, const NumberField& f);
  // A number with no default that may be absent (documented as "none").
  std::optional<double> optional_number(const std::string& key, const NumberField& f);
  long long integer(const std::string& key, const IntegerField& f);
  std::string string(const std::string& key, const StringField& f);
  bool boolean(const std::string& key, const BoolField& f);
  // Arrays and nested objects: returns nullptr / std::nullopt when absent and not required.
  const nlohmann::json* array(const std::string& key, bool required, const char* help);
  std::optional<ObjectReader> object(const std::string& key, bool required, const char* help);
  // Raw value for keys handled elsewhere (marks the key as known).
  const nlohmann::json* raw(const std::string& key, const char* type, const char* help);

  bool has(const std::string& key) const { return value_.contains(key); }
  std::string path_of(const std::string& key) const { return path_ + "/" + key; }
  const std::string& path() const { return path_; }
  // Throws InputError naming the first key that no field declared.
  void finish() const;

private:
  const nlohmann::json* find(const std::string& key) const;
  [[noreturn]] void missing(const std::string& key, const char* what) const;
  void document(const std::string& key, FieldDoc doc) const;

  const nlohmann::json& value_;
  std::string path_;
  mutable std::set<std::string> known_;
};

// Reads an array of objects, calling fn(reader, index) for each and finishing each reader.
template <class Fn> void for_each_object(const nlohmann::json& array, const std::string& path, Fn&& fn)
{
  for (size_t i = 0; i < array.size(); ++i) {
    ObjectReader r(array[i], path + "/" + std::to_string(i));
    fn(r, i);
    r.finish();
  }
}

// The JSON type name used in error messages ("number", "string", ...).
std::string json_type_name(const nlohmann::json& v);

// Formats a number for messages without trailing zeros ("0.5", "3", "1e+09").
std::string format_number(double v);

}  // namespace migsim::sim
