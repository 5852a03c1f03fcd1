// A small CBOR (RFC 8949) encoder and decoder for the smithy-rpc-v2-cbor protocol, on
// nlohmann::json values: unsigned/negative integers, byte strings (json binary), text strings,
// arrays, maps, tags, simple values and half/single/double floats.
//  - decode: definite and indefinite lengths; tag 1 (epoch time) and any other tag yield the tagged
//    value itself; bignums (tags 2/3), unassigned simple values and non-UTF-8-checked text are
//    accepted only as far as noted in cbor.cpp; map keys that are not text become their JSON text
//    ("1" for the integer key 1); undefined becomes null.
//  - encode: preferred serialization (shortest head, the shortest float that keeps the value),
//    definite lengths, json binary as a byte string.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace migsim::aws::cbor {

using nlohmann::json;

// A malformed or unsupported CBOR item (the message says what and at which byte offset).
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Appends CBOR items to a byte string; the shape-driven codec uses it to tag timestamps.
class Writer {
 public:
  // The head of an item: major type 0-7 and its argument in the shortest form.
  void head(int major, uint64_t argument);
  void integer(int64_t v);
  void unsigned_integer(uint64_t v);
  // The shortest of half, single and double that represents `v` exactly (NaN as half 0x7e00).
  void floating(double v);
  void boolean(bool v) { out_ += static_cast<char>(v ? 0xf5 : 0xf4); }
  void null() { out_ += static_cast<char>(0xf6); }
  void text(const std::string& s);
  void bytes(const std::string& s);
  void array_header(uint64_t n) { head(4, n); }
  void map_header(uint64_t n) { head(5, n); }
  void tag(uint64_t t) { head(6, t); }
  // Any json value: objects as text-keyed maps, binary as byte strings, numbers as above.
  void value(const json& v);
  const std::string& bytes_written() const { return out_; }

 private:
  std::string out_;
};

// The CBOR encoding of a json value (Writer::value).
std::string encode(const json& v);

// The value of one CBOR data item that must span all of `bytes`; throws cbor::Error.
json decode(const std::string& bytes);

// `v` with every binary value replaced by its base64 text (the codec's representation of blobs).
json binary_to_base64(const json& v);

}  // namespace migsim::aws::cbor
