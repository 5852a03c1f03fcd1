// JSON text that comes from outside the process (scenario and runbook files, request and response
// bodies, --input): parsed with a nesting limit (a deep document must not exhaust the stack of any
// recursive walk that follows), numbers out of double range reported instead of thrown, and, for
// documents a person writes, duplicate keys refused by name instead of silently last-wins. Also the
// one way to read an input file: a regular file under a size limit (not a FIFO, not /dev/zero).
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace migsim::sim {

// Deepest nesting accepted in a scenario, runbook, grid or price table (the shipped ones use 6).
inline constexpr int kDocumentMaxDepth = 64;
// Deepest nesting accepted in an AWS request or response body (the botocore models nest at most 10;
// the same limit as the CBOR reader).
inline constexpr int kWireMaxDepth = 256;
// Largest input file read (scenarios, runbooks, grids, --input file://): 16 MiB.
inline constexpr std::size_t kMaxInputFileBytes = 16u << 20;

struct JsonTextLimits {
  int max_depth = kDocumentMaxDepth;
  bool reject_duplicate_keys = true;
};

// Why a text did not parse: a message, where (1-based line and column of the offending byte, when
// known) and the JSON pointer of the value being read.
struct JsonTextError {
  std::string message;
  std::size_t line = 0;
  std::size_t column = 0;
  std::string pointer;
  // "line L, column C: message" or "/pointer: message".
  std::string describe() const;
};

// Parses text under the limits. On failure returns a discarded value and fills *error (if given).
nlohmann::json parse_json_text(std::string_view text, const JsonTextLimits& limits, JsonTextError* error = nullptr);

// Same, for wire bodies: kWireMaxDepth, duplicate keys last-wins like the AWS services' parsers.
nlohmann::json parse_wire_json(std::string_view text, JsonTextError* error = nullptr);

// An input file that cannot be read: not found, not a regular file, too large.
class InputFileError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Reads a whole input file, refusing anything but a regular file of at most max_bytes; `what` names
// the file in messages ("scenario file", "runbook").
std::string read_input_file(const std::string& path, const std::string& what,
                            std::size_t max_bytes = kMaxInputFileBytes);

}  // namespace migsim::sim
