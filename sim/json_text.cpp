#include "sim/json_text.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <vector>

namespace migsim::sim {

namespace {

using json = nlohmann::json;

// Escapes a key for a JSON pointer (RFC 6901).
std::string pointer_token(const std::string& key)
{
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

// Builds the document like nlohmann's own DOM parser, counting depth and watching keys.
class LimitedBuilder : public nlohmann::json_sax<json> {
public:
  LimitedBuilder(const JsonTextLimits& limits, JsonTextError& error) : limits_(limits), error_(error) {}

  json root;

  bool null() override { return put(json(nullptr)); }
  bool boolean(bool v) override { return put(json(v)); }
  bool number_integer(number_integer_t v) override { return put(json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return put(json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return put(json(v)); }
  bool string(string_t& v) override { return put(json(std::move(v))); }
  bool binary(binary_t& v) override { return put(json::binary(std::move(v))); }

  bool start_object(std::size_t) override { return open(json::object()); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t& k) override
  {
    json& obj = *stack_.back();
    if (limits_.reject_duplicate_keys && obj.contains(k))
      return fail("duplicate key \"" + k + "\" (each key may appear once in an object)", pointer() + "/" + pointer_token(k));
    key_ = k;
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override
  {
    error_.message = ex.what();
    // nlohmann's messages read "[json.exception.parse_error.101] parse error at line 1, column 2: ...".
    const auto colon = error_.message.find(": ");
    if (error_.message.rfind("[json.exception.", 0) == 0 && colon != std::string::npos)
      error_.message = error_.message.substr(colon + 2);
    position_ = position;
    return false;
  }

  std::size_t position() const { return position_; }

private:
  bool fail(std::string message, std::string where)
  {
    error_.message = std::move(message);
    error_.pointer = std::move(where);
    return false;
  }

  std::string pointer() const
  {
    std::string p;
    for (const auto& t : path_)
      p += "/" + t;
    return p;
  }

  // Places a value where the parser is: the root, the next array element or the pending key.
  json* place(json&& v)
  {
    if (stack_.empty()) {
      root = std::move(v);
      return &root;
    }
    json& top = *stack_.back();
    if (top.is_array()) {
      top.push_back(std::move(v));
      return &top.back();
    }
    json& slot = top[key_];
    slot = std::move(v);
    return &slot;
  }

  bool put(json&& v)
  {
    place(std::move(v));
    return true;
  }

  bool open(json&& container)
  {
    std::string token;
    if (!stack_.empty())
      token = stack_.back()->is_array() ? std::to_string(stack_.back()->size()) : pointer_token(key_);
    if (static_cast<int>(stack_.size()) >= limits_.max_depth)
      return fail("nested deeper than " + std::to_string(limits_.max_depth) + " levels", pointer() + "/" + token);
    json* slot = place(std::move(container));
    if (!stack_.empty())
      path_.push_back(std::move(token));
    stack_.push_back(slot);
    return true;
  }

  bool close()
  {
    stack_.pop_back();
    if (!path_.empty() && !stack_.empty())
      path_.pop_back();
    return true;
  }

  const JsonTextLimits& limits_;
  JsonTextError& error_;
  std::vector<json*> stack_;
  std::vector<std::string> path_;
  std::string key_;
  std::size_t position_ = 0;
};

}  // namespace

std::string JsonTextError::describe() const
{
  if (line > 0)
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message;
  return (pointer.empty() ? std::string("/") : pointer) + ": " + message;
}

json parse_json_text(std::string_view text, const JsonTextLimits& limits, JsonTextError* error)
{
  JsonTextError local;
  JsonTextError& err = error ? *error : local;
  err = JsonTextError{};
  LimitedBuilder builder(limits, err);
  bool ok = false;
  try {
    ok = json::sax_parse(text, &builder, json::input_format_t::json, true, false);
  } catch (const json::exception& e) {
    err.message = e.what();
  }
  if (ok)
    return std::move(builder.root);
  if (err.pointer.empty() && builder.position() > 0) {
    // The parser's position counts characters read; the offending one is the last of them.
    err.line = 1;
    err.column = 1;
    for (std::size_t i = 0; i + 1 < builder.position() && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++err.line;
        err.column = 1;
      } else {
        ++err.column;
      }
    }
  }
  if (err.message.empty())
    err.message = "not valid JSON";
  return json(json::value_t::discarded);
}

json parse_wire_json(std::string_view text, JsonTextError* error)
{
  return parse_json_text(text, JsonTextLimits{kWireMaxDepth, false}, error);
}

std::string read_input_file(const std::string& path, const std::string& what, std::size_t max_bytes)
{
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw InputFileError("cannot open " + what + " \"" + path + "\": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode))
    throw InputFileError(what + " \"" + path + "\" is a directory, not a file");
  if (!S_ISREG(st.st_mode))
    throw InputFileError(what + " \"" + path + "\" is not a regular file (a device, FIFO or socket cannot be read as input)");
  if (static_cast<std::size_t>(st.st_size) > max_bytes)
    throw InputFileError(what + " \"" + path + "\" is " + std::to_string(st.st_size) + " bytes, over the " +
                         std::to_string(max_bytes) + "-byte limit for an input file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputFileError("cannot open " + what + " \"" + path + "\"");
  std::string text;
  text.resize(static_cast<std::size_t>(st.st_size));
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  // A file that grew after stat is read up to the limit and refused past it.
  if (in.peek() != std::char_traits<char>::eof())
    throw InputFileError(what + " \"" + path + "\" grew past " + std::to_string(text.size()) + " bytes while being read");
  return text;
}

}  // namespace migsim::sim
