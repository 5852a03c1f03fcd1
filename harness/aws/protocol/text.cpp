#include "harness/aws/protocol/text.hpp"

#include <cctype>
#include <cstdint>
#include <string_view>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace migsim::aws::text {

namespace {

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm; no time zone involved).
long long days_from_civil(long long y, unsigned m, unsigned d)
{
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

// Broken-down UTC of whole epoch seconds.
std::tm utc(double epoch_s)
{
  const std::time_t t = static_cast<std::time_t>(std::floor(epoch_s));
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::string iso8601(double epoch_s)
{
  const std::tm tm = utc(epoch_s);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = buf;
  const long ms = std::lround((epoch_s - std::floor(epoch_s)) * 1000);
  if (ms > 0 && ms < 1000) {
    std::snprintf(buf, sizeof buf, ".%03ld", ms);
    out += buf;
  }
  return out + "Z";
}

std::string rfc1123(double epoch_s)
{
  const std::tm tm = utc(epoch_s);
  char buf[40];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::optional<double> parse_timestamp(const std::string& s)
{
  if (s.empty())
    return std::nullopt;
  int y, mo, d, h = 0, mi = 0, sec = 0;
  // Numeric: epoch seconds.
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end && *end == '\0' && std::isdigit(static_cast<unsigned char>(s.back())))
    return v;
  // ISO-8601: 2025-01-01T00:00:00[.fff][Z|+00:00]
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &consumed) == 6) {
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
      return std::nullopt;
    double frac = 0;
    size_t i = static_cast<size_t>(consumed);
    if (i < s.size() && s[i] == '.') {
      size_t j = i + 1;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])))
        ++j;
      frac = std::strtod(("0" + s.substr(i, j - i)).c_str(), nullptr);
      i = j;
    }
    double offset_s = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      int oh = 0, om = 0;
      std::sscanf(s.c_str() + i + 1, "%2d:%2d", &oh, &om);
      offset_s = (s[i] == '+' ? 1 : -1) * (oh * 3600.0 + om * 60.0);
    }
    return days_from_civil(y, mo, d) * 86400.0 + h * 3600 + mi * 60 + sec + frac - offset_s;
  }
  // RFC 1123: Wed, 01 Jan 2025 00:00:00 GMT
  char mon[4] = {0};
  if (std::sscanf(s.c_str(), "%*3s, %2d %3s %4d %2d:%2d:%2d", &d, mon, &y, &h, &mi, &sec) == 6) {
    for (int m = 0; m < 12; ++m)
      if (std::strcmp(mon, kMonths[m]) == 0)
        return days_from_civil(y, m + 1, d) * 86400.0 + h * 3600 + mi * 60 + sec;
  }
  return std::nullopt;
}

std::string number(double v)
{
  char buf[40];
  if (std::floor(v) == v && std::fabs(v) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string base64_encode(const std::string& bytes)
{
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kB64[n >> 18];
    out += kB64[(n >> 12) & 63];
    out += kB64[(n >> 6) & 63];
    out += kB64[n & 63];
  }
  if (i + 1 == bytes.size()) {
    const unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    out += kB64[n >> 18];
    out += kB64[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kB64[n >> 18];
    out += kB64[(n >> 12) & 63];
    out += kB64[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(const std::string& b64)
{
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  size_t pad = 0;
  for (char c : b64) {
    if (c == '=') {
      ++pad;
      continue;
    }
    if (c == '\n' || c == '\r')
      continue;
    const char* p = std::strchr(kB64, c);
    if (!p || c == '\0' || pad)
      return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  if (pad > 2)
    return std::nullopt;
  return out;
}

std::string uri_encode(const std::string& s, bool keep_slash)
{
  std::string out;
  char buf[4];
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string uri_decode(const std::string& s, bool plus_is_space)
{
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+' && plus_is_space) {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_form(const std::string& form)
{
  std::vector<std::pair<std::string, std::string>> out;
  size_t from = 0;
  while (from < form.size()) {
    size_t amp = form.find('&', from);
    if (amp == std::string::npos)
      amp = form.size();
    const std::string pair = form.substr(from, amp - from);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      out.emplace_back(uri_decode(pair.substr(0, eq), true),
                       eq == std::string::npos ? std::string() : uri_decode(pair.substr(eq + 1), true));
    }
    from = amp + 1;
  }
  return out;
}

std::string xml_escape(const std::string& s, bool strict)
{
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\r': out += "&#13;"; break;
      case '\n': out += strict ? "&#10;" : "\n"; break;
      case '\t': out += strict ? "&#9;" : "\t"; break;
      default:
        if (!strict || static_cast<unsigned char>(c) >= 0x20)
          out += c;  // UTF-8 multibyte sequences pass through unchanged
    }
  }
  return out;
}

bool valid_header_name(const std::string& name)
{
  if (name.empty())
    return false;
  for (unsigned char c : name) {
    const bool token = std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (!token)
      return false;
  }
  return true;
}

bool valid_header_value(const std::string& value)
{
  for (unsigned char c : value)
    if ((c < 0x20 && c != '\t') || c == 0x7f)
      return false;
  return true;
}

bool valid_utf8(const std::string& s)
{
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size())
        return false;
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xc0) != 0x80)
        return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    static const uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += n + 1;
  }
  return true;
}

}  // namespace migsim::aws::text
