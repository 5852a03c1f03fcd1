// SigV4 signing (see sigv4.hpp).
#include "harness/aws/client/sigv4.hpp"

#include "harness/aws/client/crypto.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <set>

namespace migsim::aws::sigv4 {
namespace {

constexpr const char* kAlgorithm = "AWS4-HMAC-SHA256";

std::string lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Headers never signed: botocore leaves these out because proxies and the transport may rewrite them.
bool unsignable(const std::string& lower_name)
{
  static const std::set<std::string> skip{"authorization", "user-agent", "expect", "x-amzn-trace-id", "connection"};
  return skip.count(lower_name) > 0;
}

// Canonical headers block and the signed-headers list, from the request's headers minus `exclude`.
std::pair<std::string, std::string> canonical_headers(const SignableRequest& req, const std::string& exclude)
{
  std::map<std::string, std::string> merged;  // lower-case name -> values joined by ','
  for (const auto& [name, value] : req.headers) {
    const auto key = lower(name);
    if (unsignable(key) || key == exclude)
      continue;
    auto [it, fresh] = merged.emplace(key, canonical_header_value(value));
    if (!fresh) {
      it->second += ',';
      it->second += canonical_header_value(value);
    }
  }
  std::string block, names;
  for (const auto& [name, value] : merged) {
    block += name + ":" + value + "\n";
    if (!names.empty())
      names += ';';
    names += name;
  }
  return {block, names};
}

std::string scope_of(const SigningParams& p)
{
  return date_stamp(p.time) + "/" + p.region + "/" + p.service + "/aws4_request";
}

std::string payload_hash_of(const SignableRequest& req, const SigningParams& p)
{
  return p.payload_hash.empty() ? crypto::sha256_hex(req.body) : p.payload_hash;
}

// Stages 2-4 once the canonical request is known.
SigningResult finish(std::string canonical_request, std::string signed_headers, const SigningParams& p)
{
  SigningResult r;
  r.canonical_request = std::move(canonical_request);
  r.signed_headers = std::move(signed_headers);
  r.string_to_sign = std::string(kAlgorithm) + "\n" + amz_date(p.time) + "\n" + scope_of(p) + "\n" +
                     crypto::sha256_hex(r.canonical_request);
  const auto key = signing_key(p.credentials.secret_access_key, date_stamp(p.time), p.region, p.service);
  r.signature = crypto::to_hex(crypto::hmac_sha256(key, r.string_to_sign));
  return r;
}

bool is_unreserved(unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

// RFC 3986 section 5.2.4 dot-segment removal plus collapsing of empty segments ("//").
std::string normalize_path(const std::string& path)
{
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= path.size()) {
    const auto slash = path.find('/', pos);
    const auto seg = path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    if (seg == "..") {
      if (!out.empty())
        out.pop_back();
    } else if (!seg.empty() && seg != ".") {
      out.push_back(seg);
    }
    if (slash == std::string::npos)
      break;
    pos = slash + 1;
  }
  std::string result;
  for (const auto& s : out)
    result += "/" + s;
  const bool trailing = path.ends_with("/") || path.ends_with("/.") || path.ends_with("/..");
  if (result.empty() || trailing)
    result += "/";
  return result;
}

}  // namespace

std::string uri_encode(const std::string& s, bool encode_slash)
{
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    if (is_unreserved(c) || (c == '/' && !encode_slash)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

std::string uri_decode(const std::string& s)
{
  auto val = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && val(s[i + 1]) >= 0 && val(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(val(s[i + 1]) * 16 + val(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string canonical_uri(const std::string& path, bool normalize, bool double_encode)
{
  std::string p = path.empty() ? "/" : path;
  if (normalize)
    p = normalize_path(p);
  return double_encode ? uri_encode(p, false) : p;
}

std::string canonical_query(const std::string& query)
{
  std::vector<std::pair<std::string, std::string>> params;
  size_t pos = 0;
  while (pos <= query.size()) {
    auto amp = query.find('&', pos);
    if (amp == std::string::npos)
      amp = query.size();
    const auto item = query.substr(pos, amp - pos);
    if (!item.empty()) {
      const auto eq = item.find('=');
      const auto key = item.substr(0, eq);
      const auto value = eq == std::string::npos ? std::string() : item.substr(eq + 1);
      params.emplace_back(uri_encode(uri_decode(key), true), uri_encode(uri_decode(value), true));
    }
    pos = amp + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params)
  {
    if (!out.empty())
      out += '&';
    out += k + "=" + v;
  }
  return out;
}

std::string canonical_header_value(const std::string& value)
{
  std::string out;
  bool in_space = false;
  for (unsigned char c : value) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      in_space = true;
      continue;
    }
    if (in_space && !out.empty())
      out.push_back(' ');
    in_space = false;
    out.push_back(static_cast<char>(c));
  }
  return out;
}

std::string amz_date(std::chrono::system_clock::time_point t)
{
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string date_stamp(std::chrono::system_clock::time_point t) { return amz_date(t).substr(0, 8); }

std::string signing_key(const std::string& secret, const std::string& date, const std::string& region,
                        const std::string& service)
{
  const auto k_date = crypto::hmac_sha256("AWS4" + secret, date);
  const auto k_region = crypto::hmac_sha256(k_date, region);
  const auto k_service = crypto::hmac_sha256(k_region, service);
  return crypto::hmac_sha256(k_service, "aws4_request");
}

SigningResult sign_headers(SignableRequest& req, const SigningParams& p)
{
  const auto& token = p.credentials.session_token;
  const auto payload_hash = payload_hash_of(req, p);
  if (!token.empty())
    req.headers.emplace_back("X-Amz-Security-Token", token);
  req.headers.emplace_back("X-Amz-Date", amz_date(p.time));
  if (p.add_content_sha256)
    req.headers.emplace_back("x-amz-content-sha256", payload_hash);
  const auto [block, names] =
      canonical_headers(req, !token.empty() && p.omit_session_token ? "x-amz-security-token" : "");
  const auto canonical = req.method + "\n" + canonical_uri(req.path, p.normalize_path, p.double_encode_path) + "\n" +
                         canonical_query(req.query) + "\n" + block + "\n" + names + "\n" + payload_hash;
  auto r = finish(canonical, names, p);
  req.headers.emplace_back("Authorization", std::string(kAlgorithm) + " Credential=" + p.credentials.access_key_id +
                                                "/" + scope_of(p) + ", SignedHeaders=" + names +
                                                ", Signature=" + r.signature);
  return r;
}

SigningResult presign_query(SignableRequest& req, const SigningParams& p)
{
  const auto& token = p.credentials.session_token;
  const auto [block, names] = canonical_headers(req, "");
  std::vector<std::pair<std::string, std::string>> added{
      {"X-Amz-Algorithm", kAlgorithm},
      {"X-Amz-Credential", p.credentials.access_key_id + "/" + scope_of(p)},
      {"X-Amz-Date", amz_date(p.time)},
      {"X-Amz-SignedHeaders", names},
      {"X-Amz-Expires", std::to_string(p.expires_s)},
  };
  auto append = [](std::string& q, const std::string& k, const std::string& v) {
    if (!q.empty())
      q += '&';
    q += k + "=" + uri_encode(v, true);
  };
  std::string signed_query = req.query;
  for (const auto& [k, v] : added)
    append(signed_query, k, v);
  if (!token.empty() && !p.omit_session_token)
    append(signed_query, "X-Amz-Security-Token", token);
  const auto canonical = req.method + "\n" + canonical_uri(req.path, p.normalize_path, p.double_encode_path) + "\n" +
                         canonical_query(signed_query) + "\n" + block + "\n" + names + "\n" + payload_hash_of(req, p);
  auto r = finish(canonical, names, p);
  if (!token.empty() && p.omit_session_token)
    append(signed_query, "X-Amz-Security-Token", token);
  append(signed_query, "X-Amz-Signature", r.signature);
  req.query = signed_query;
  return r;
}

}  // namespace migsim::aws::sigv4
