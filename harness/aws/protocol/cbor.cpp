// CBOR (RFC 8949) on nlohmann::json values: see cbor.hpp.
#include "harness/aws/protocol/cbor.hpp"

#include "harness/aws/protocol/text.hpp"

#include <cmath>
#include <cstring>
#include <limits>

namespace migsim::aws::cbor {

namespace {

constexpr int kMaxDepth = 256;  // nesting refused beyond this (a hostile body must not overflow the stack)

// The IEEE 754 half-precision bits of `v` when it is exactly representable; false otherwise.
bool to_half(double v, uint16_t& bits)
{
  const uint16_t sign = std::signbit(v) ? 0x8000 : 0;
  const double a = std::fabs(v);
  if (std::isinf(a)) {
    bits = sign | 0x7c00;
    return true;
  }
  if (a == 0) {
    bits = sign;
    return true;
  }
  if (a > 65504.0)
    return false;
  if (a < std::ldexp(1.0, -14)) {  // subnormal: k * 2^-24, k in 1..1023
    const double k = std::ldexp(a, 24);
    if (k != std::floor(k))
      return false;
    bits = sign | static_cast<uint16_t>(k);
    return true;
  }
  int e = 0;
  const double m = std::frexp(a, &e);  // a = m * 2^e, m in [0.5, 1)
  const double mant = (2 * m - 1) * 1024;
  if (mant != std::floor(mant))
    return false;
  bits = sign | static_cast<uint16_t>((e - 1 + 15) << 10) | static_cast<uint16_t>(mant);
  return true;
}

double from_half(uint16_t h)
{
  const int exp = (h >> 10) & 0x1f;
  const int mant = h & 0x3ff;
  double v;
  if (exp == 0)
    v = std::ldexp(mant, -24);
  else if (exp != 31)
    v = std::ldexp(mant + 1024, exp - 25);
  else
    v = mant == 0 ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
  return (h & 0x8000) ? -v : v;
}

// Reads one data item after another from a byte string.
class Reader {
 public:
  explicit Reader(const std::string& b) : b_(b) {}
  bool at_end() const { return pos_ == b_.size(); }
  size_t pos() const { return pos_; }

  json item(int depth)
  {
    if (depth > kMaxDepth)
      fail("nesting deeper than " + std::to_string(kMaxDepth));
    const uint8_t initial = byte();
    const int major = initial >> 5;
    const int info = initial & 0x1f;
    if (major == 7)
      return simple_or_float(info);
    if (info == 31) {
      if (major == 2 || major == 3)
        return chunked(major);
      if (major == 4) {
        json out = json::array();
        while (!take_break())
          out.push_back(item(depth + 1));
        return out;
      }
      if (major == 5) {
        json out = json::object();
        while (!take_break())
          entry(out, depth);
        return out;
      }
      fail("indefinite length for major type " + std::to_string(major));
    }
    const uint64_t arg = argument(info);
    switch (major) {
      case 0: return json(arg);
      case 1:
        if (arg <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
          return json(-1 - static_cast<int64_t>(arg));
        return json(-1.0 - static_cast<double>(arg));  // below int64: kept approximately
      case 2: {
        const std::string b = chunk(arg);
        return json::binary(std::vector<uint8_t>(b.begin(), b.end()));
      }
      case 3: return json(chunk(arg));
      case 4: {
        json out = json::array();
        for (uint64_t i = 0; i < arg; ++i)
          out.push_back(item(depth + 1));
        return out;
      }
      case 5: {
        json out = json::object();
        for (uint64_t i = 0; i < arg; ++i)
          entry(out, depth);
        return out;
      }
      default: {  // 6: a tag
        if (arg == 2 || arg == 3)
          fail("bignums (tags 2 and 3) are not supported");
        json v = item(depth + 1);
        if (arg == 1 && !v.is_number())
          fail("tag 1 (epoch time) on something that is not a number");
        return v;
      }
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what) const
  {
    throw Error("CBOR: " + what + " (at byte " + std::to_string(pos_) + ")");
  }

  uint8_t byte()
  {
    if (pos_ >= b_.size())
      fail("unexpected end of data");
    return static_cast<uint8_t>(b_[pos_++]);
  }

  uint64_t be(int n)
  {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i)
      v = (v << 8) | byte();
    return v;
  }

  uint64_t argument(int info)
  {
    if (info < 24) return static_cast<uint64_t>(info);
    if (info == 24) return be(1);
    if (info == 25) return be(2);
    if (info == 26) return be(4);
    if (info == 27) return be(8);
    fail("reserved additional information " + std::to_string(info));
  }

  // The next `n` bytes as they are.
  std::string chunk(uint64_t n)
  {
    if (n > b_.size() - pos_)
      fail("string of " + std::to_string(n) + " bytes runs past the end");
    std::string out = b_.substr(pos_, n);
    pos_ += n;
    return out;
  }

  json chunked(int major)
  {
    std::string all;
    while (!take_break()) {
      const uint8_t initial = byte();
      if ((initial >> 5) != major || (initial & 0x1f) == 31)
        fail("an indefinite string's chunk must be a definite string of the same type");
      all += chunk(argument(initial & 0x1f));
    }
    if (major == 3)
      return json(all);
    return json::binary(std::vector<uint8_t>(all.begin(), all.end()));
  }

  void entry(json& out, int depth)
  {
    json key = item(depth + 1);
    json value = item(depth + 1);
    out[key.is_string() ? key.get<std::string>() : key.dump()] = std::move(value);
  }

  bool take_break()
  {
    if (pos_ >= b_.size())
      fail("indefinite-length item without its break");
    if (static_cast<uint8_t>(b_[pos_]) != 0xff)
      return false;
    ++pos_;
    return true;
  }

  json simple_or_float(int info)
  {
    switch (info) {
      case 20: return false;
      case 21: return true;
      case 22:
      case 23: return nullptr;  // null, undefined
      case 25: return from_half(static_cast<uint16_t>(be(2)));
      case 26: {
        const uint32_t bits = static_cast<uint32_t>(be(4));
        float f;
        std::memcpy(&f, &bits, 4);
        return static_cast<double>(f);
      }
      case 27: {
        const uint64_t bits = be(8);
        double d;
        std::memcpy(&d, &bits, 8);
        return d;
      }
      case 31: fail("break outside an indefinite-length item");
      default: fail("unsupported simple value (additional information " + std::to_string(info) + ")");
    }
  }

  const std::string& b_;
  size_t pos_ = 0;
};

}  // namespace

void Writer::head(int major, uint64_t a)
{
  const char m = static_cast<char>(major << 5);
  auto put_be = [&](int n) {
    for (int i = n - 1; i >= 0; --i)
      out_ += static_cast<char>((a >> (8 * i)) & 0xff);
  };
  if (a < 24) {
    out_ += static_cast<char>(m | static_cast<char>(a));
  } else if (a <= 0xff) {
    out_ += static_cast<char>(m | 24);
    put_be(1);
  } else if (a <= 0xffff) {
    out_ += static_cast<char>(m | 25);
    put_be(2);
  } else if (a <= 0xffffffffULL) {
    out_ += static_cast<char>(m | 26);
    put_be(4);
  } else {
    out_ += static_cast<char>(m | 27);
    put_be(8);
  }
}

void Writer::integer(int64_t v)
{
  if (v >= 0)
    head(0, static_cast<uint64_t>(v));
  else
    head(1, static_cast<uint64_t>(-1 - v));
}

void Writer::unsigned_integer(uint64_t v) { head(0, v); }

void Writer::floating(double v)
{
  auto put = [&](uint8_t initial, uint64_t bits, int n) {
    out_ += static_cast<char>(initial);
    for (int i = n - 1; i >= 0; --i)
      out_ += static_cast<char>((bits >> (8 * i)) & 0xff);
  };
  uint16_t half = 0;
  if (std::isnan(v))
    return put(0xf9, 0x7e00, 2);
  if (to_half(v, half))
    return put(0xf9, half, 2);
  const float f = static_cast<float>(v);
  if (static_cast<double>(f) == v) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    return put(0xfa, bits, 4);
  }
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  put(0xfb, bits, 8);
}

void Writer::text(const std::string& s)
{
  head(3, s.size());
  out_ += s;
}

void Writer::bytes(const std::string& s)
{
  head(2, s.size());
  out_ += s;
}

void Writer::value(const json& v)
{
  switch (v.type()) {
    case json::value_t::boolean: boolean(v.get<bool>()); break;
    case json::value_t::number_integer: integer(v.get<int64_t>()); break;
    case json::value_t::number_unsigned: unsigned_integer(v.get<uint64_t>()); break;
    case json::value_t::number_float: floating(v.get<double>()); break;
    case json::value_t::string: text(v.get_ref<const std::string&>()); break;
    case json::value_t::binary: {
      const auto& b = v.get_binary();
      bytes(std::string(b.begin(), b.end()));
      break;
    }
    case json::value_t::array:
      array_header(v.size());
      for (const auto& x : v)
        value(x);
      break;
    case json::value_t::object:
      map_header(v.size());
      for (const auto& [k, x] : v.items()) {
        text(k);
        value(x);
      }
      break;
    default: null(); break;  // null, discarded
  }
}

std::string encode(const json& v)
{
  Writer w;
  w.value(v);
  return w.bytes_written();
}

json decode(const std::string& bytes)
{
  Reader r(bytes);
  json v = r.item(0);
  if (!r.at_end())
    throw Error("CBOR: " + std::to_string(bytes.size() - r.pos()) + " bytes after the data item");
  return v;
}

json binary_to_base64(const json& v)
{
  if (v.is_binary()) {
    const auto& b = v.get_binary();
    return text::base64_encode(std::string(b.begin(), b.end()));
  }
  if (v.is_array() || v.is_object()) {
    json out = v;
    for (auto& x : out)
      x = binary_to_base64(x);
    return out;
  }
  return v;
}

}  // namespace migsim::aws::cbor
