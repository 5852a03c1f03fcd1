#include "harness/aws/client/sigv4_verify.hpp"

#include "harness/aws/client/crypto.hpp"
#include "harness/aws/client/sigv4.hpp"
#include "harness/aws/protocol/text.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

namespace migsim::aws::sigv4 {

namespace {

constexpr const char* kAlgorithm = "AWS4-HMAC-SHA256";
constexpr int kSkewS = 300;  // AWS accepts a signature dated up to 5 minutes from its clock

std::string lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(const std::string& s)
{
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos)
    return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep)
{
  std::vector<std::string> out;
  size_t from = 0;
  for (size_t at; (at = s.find(sep, from)) != std::string::npos; from = at + 1)
    out.push_back(s.substr(from, at - from));
  out.push_back(s.substr(from));
  return out;
}

bool all_digits(const std::string& s, size_t n)
{
  return s.size() == n && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// "20150830T123600Z" as a time point; nothing when malformed.
std::optional<std::chrono::system_clock::time_point> parse_amz_date(const std::string& s)
{
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z' || !all_digits(s.substr(0, 8), 8) || !all_digits(s.substr(9, 6), 6))
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = std::stoi(s.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(s.substr(4, 2)) - 1;
  tm.tm_mday = std::stoi(s.substr(6, 2));
  tm.tm_hour = std::stoi(s.substr(9, 2));
  tm.tm_min = std::stoi(s.substr(11, 2));
  tm.tm_sec = std::stoi(s.substr(13, 2));
  // Years a system_clock time point holds (nanoseconds: 1678-2262); a signature dates from now anyway.
  if (tm.tm_year < 70 || tm.tm_year > 200)
    return std::nullopt;
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
    return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

VerifyOutcome fail(std::string code, int status, std::string message)
{
  return VerifyOutcome{false, std::move(code), status, std::move(message)};
}

// The query's parameters, decoded, and the raw query without X-Amz-Signature (what was signed).
std::map<std::string, std::string> query_params(const std::string& query, std::string* signed_query)
{
  std::map<std::string, std::string> out;
  std::string kept;
  if (query.empty())
    return out;
  for (const auto& pair : split(query, '&')) {
    const auto eq = pair.find('=');
    const std::string key = text::uri_decode(pair.substr(0, eq), false);
    out[key] = eq == std::string::npos ? "" : text::uri_decode(pair.substr(eq + 1), false);
    if (key != "X-Amz-Signature")
      kept += (kept.empty() ? "" : "&") + pair;
  }
  if (signed_query)
    *signed_query = kept;
  return out;
}

// The canonical headers block and signed-header list over exactly the headers the caller signed; a
// SignatureDoesNotMatch outcome when one of them is not in the request.
std::optional<VerifyOutcome> signed_header_block(const std::multimap<std::string, std::string>& headers,
                                                 const Authorization& auth, std::string& block, std::string& names)
{
  for (const auto& name : auth.signed_headers) {
    const auto [b, e] = headers.equal_range(name);
    if (b == e)
      return fail("SignatureDoesNotMatch", 403, "The request signature we calculated does not match the signature "
                                                "you provided: signed header " + name + " is not in the request.");
    std::string joined;
    for (auto it = b; it != e; ++it)
      joined += (joined.empty() ? "" : ",") + canonical_header_value(it->second);
    block += name + ":" + joined + "\n";
    names += (names.empty() ? "" : ";") + name;
  }
  return std::nullopt;
}

// HMAC of the canonical request, given its parts.
std::string signature_of(const std::string& secret, const Authorization& a, const std::string& stamp,
                         const std::string& canonical)
{
  const std::string scope = a.date + "/" + a.region + "/" + a.service + "/aws4_request";
  const std::string string_to_sign =
      std::string(kAlgorithm) + "\n" + stamp + "\n" + scope + "\n" + crypto::sha256_hex(canonical);
  return crypto::to_hex(crypto::hmac_sha256(signing_key(secret, a.date, a.region, a.service), string_to_sign));
}

constexpr long kMaxPresignedExpiresS = 604800;  // a presigned URL lives at most 7 days

// A presigned request: the signature and its parameters in the query.
VerifyOutcome verify_presigned(const ReceivedRequest& req, const std::multimap<std::string, std::string>& headers,
                               const SecretLookup& secret_of, std::chrono::system_clock::time_point now, bool s3)
{
  std::string signed_query;
  const auto q = query_params(req.query, &signed_query);
  auto param = [&](const char* k) {
    auto it = q.find(k);
    return it == q.end() ? std::string() : it->second;
  };
  // S3 answers malformed query authentication with AuthorizationQueryParametersError; the other
  // services with IncompleteSignature.
  auto malformed = [&](const std::string& why) {
    return s3 ? fail("AuthorizationQueryParametersError", 400, why) : fail("IncompleteSignature", 400, why);
  };
  if (param("X-Amz-Algorithm") != kAlgorithm)
    return malformed("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  for (const char* k : {"X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"})
    if (!q.count(k))
      return malformed(std::string("Query-string authentication version 4 requires the X-Amz-Algorithm, "
                                   "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
                                   "X-Amz-Expires parameters (") + k + " is missing).");
  std::string why;
  const auto auth = parse_authorization(std::string(kAlgorithm) + " Credential=" + param("X-Amz-Credential") +
                                            ", SignedHeaders=" + param("X-Amz-SignedHeaders") +
                                            ", Signature=" + param("X-Amz-Signature"),
                                        &why);
  if (!auth)
    return malformed(why);
  const std::string expires_text = param("X-Amz-Expires");
  if (expires_text.empty() || expires_text.size() > 7 ||
      !std::all_of(expires_text.begin(), expires_text.end(), [](unsigned char c) { return std::isdigit(c); }))
    return malformed("X-Amz-Expires should be a number");
  const long expires_s = std::stol(expires_text);
  if (expires_s > kMaxPresignedExpiresS)
    return malformed("X-Amz-Expires must be less than a week (in seconds) that is 604800");
  const std::string stamp = param("X-Amz-Date");
  const auto when = parse_amz_date(stamp);
  if (!when)
    return malformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  if (stamp.substr(0, 8) != auth->date)
    return malformed("Invalid credential date. Date is not the same as X-Amz-Date.");
  const auto secret = secret_of(auth->access_key_id);
  if (!secret)
    return s3 ? fail("InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records.")
              : fail("InvalidClientTokenId", 403, "The security token included in the request is invalid.");
  if (*when > now + std::chrono::seconds(kSkewS))
    return s3 ? fail("AccessDenied", 403, "Request is not yet valid")
              : fail("RequestExpired", 400, "Signature not yet current: " + stamp + " is still later than " +
                                                amz_date(now + std::chrono::seconds(kSkewS)));
  if (now > *when + std::chrono::seconds(expires_s))
    return s3 ? fail("AccessDenied", 403, "Request has expired")
              : fail("RequestExpired", 400, "Signature expired: " + stamp + " + " + expires_text + " s is earlier than " +
                                                amz_date(now));
  std::string block, signed_names;
  if (auto refused = signed_header_block(headers, *auth, block, signed_names))
    return *refused;
  // S3 signs a presigned URL's payload as UNSIGNED-PAYLOAD (unless the signer put a hash in the
  // query); the other services sign the body's hash, as for a header-signed request.
  const std::string payload_hash = q.count("X-Amz-Content-Sha256") ? param("X-Amz-Content-Sha256")
                                   : s3                            ? std::string("UNSIGNED-PAYLOAD")
                                                                   : crypto::sha256_hex(req.body);
  const std::string canonical = req.method + "\n" + canonical_uri(req.path, !s3, !s3) + "\n" +
                                canonical_query(signed_query) + "\n" + block + "\n" + signed_names + "\n" + payload_hash;
  if (signature_of(*secret, *auth, stamp, canonical) != lower(auth->signature))
    return fail("SignatureDoesNotMatch", 403,
                "The request signature we calculated does not match the signature you provided. Check your key and "
                "signing method.");
  return VerifyOutcome{true, "", 200, ""};
}

}  // namespace

std::string presigned_service(const std::string& query)
{
  const auto q = query_params(query, nullptr);
  auto it = q.find("X-Amz-Credential");
  if (it == q.end())
    return "";
  const auto scope = split(it->second, '/');
  return scope.size() == 5 ? scope[3] : "";
}

std::optional<Authorization> parse_authorization(const std::string& value, std::string* why)
{
  auto bad = [&](const std::string& reason) -> std::optional<Authorization> {
    if (why)
      *why = reason;
    return std::nullopt;
  };
  const std::string prefix = std::string(kAlgorithm) + " ";
  if (value.rfind(prefix, 0) != 0)
    return bad("the Authorization header does not start with " + std::string(kAlgorithm));
  std::map<std::string, std::string> fields;
  for (const auto& part : split(value.substr(prefix.size()), ',')) {
    const std::string p = trim(part);
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      return bad("'" + p.substr(0, 64) + "' is not a key=value pair");
    if (!fields.emplace(p.substr(0, eq), p.substr(eq + 1)).second)
      return bad("'" + p.substr(0, eq) + "' appears twice");
  }
  for (const char* k : {"Credential", "SignedHeaders", "Signature"})
    if (!fields.count(k))
      return bad(std::string("Authorization header requires '") + k + "' parameter");
  const auto scope = split(fields["Credential"], '/');
  if (scope.size() != 5 || scope[4] != "aws4_request" || scope[0].empty() || !all_digits(scope[1], 8) ||
      scope[2].empty() || scope[3].empty())
    return bad("Credential should be scoped to a valid region, a service and 'aws4_request' "
               "(ACCESS_KEY/YYYYMMDD/REGION/SERVICE/aws4_request)");
  Authorization a{scope[0], scope[1], scope[2], scope[3], {}, fields["Signature"]};
  if (a.signature.size() != 64 ||
      !std::all_of(a.signature.begin(), a.signature.end(), [](unsigned char c) { return std::isxdigit(c); }))
    return bad("Signature must be 64 hexadecimal digits");
  for (const auto& h : split(fields["SignedHeaders"], ';')) {
    if (h.empty() || h != lower(h))
      return bad("SignedHeaders must be lower-case header names separated by ';'");
    a.signed_headers.push_back(h);
  }
  if (!std::is_sorted(a.signed_headers.begin(), a.signed_headers.end()))
    return bad("SignedHeaders must be sorted");
  return a;
}

VerifyOutcome verify_request(const ReceivedRequest& req, const SecretLookup& secret_of,
                             std::chrono::system_clock::time_point now, bool s3)
{
  std::multimap<std::string, std::string> headers;  // lower-case name -> value, in order
  for (const auto& [k, v] : req.headers)
    headers.emplace(lower(k), v);
  auto header = [&](const std::string& name) -> std::string {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  };
  const std::string auth_value = header("authorization");
  if (auth_value.empty() && req.query.find("X-Amz-Signature=") != std::string::npos)
    return verify_presigned(req, headers, secret_of, now, s3);
  if (auth_value.empty())
    return fail("MissingAuthenticationToken", 403, "Request is missing Authentication Token");
  std::string why;
  const auto auth = parse_authorization(auth_value, &why);
  if (!auth)
    return fail("IncompleteSignature", 400, why);
  const auto secret = secret_of(auth->access_key_id);
  if (!secret)
    return fail("InvalidClientTokenId", 403, "The security token included in the request is invalid.");
  const std::string stamp = header("x-amz-date").empty() ? "" : header("x-amz-date");
  const auto when = parse_amz_date(stamp);
  if (!when)
    return fail("IncompleteSignature", 400, "Authorization header requires existence of either a 'X-Amz-Date' or a "
                                            "'Date' header in the form YYYYMMDDTHHMMSSZ");
  if (stamp.substr(0, 8) != auth->date)
    return fail("SignatureDoesNotMatch", 403, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + auth->date + "' != '" + stamp.substr(0, 8) + "', from '" + stamp + "'.");
  const auto skew = std::chrono::seconds(kSkewS);
  if (*when < now - skew)
    return fail("RequestExpired", 400, "Signature expired: " + stamp + " is now earlier than " + amz_date(now - skew) +
                                           " (" + amz_date(now) + " - 5 min.)");
  if (*when > now + skew)
    return fail("RequestExpired", 400, "Signature not yet current: " + stamp + " is still later than " +
                                           amz_date(now + skew) + " (" + amz_date(now) + " + 5 min.)");
  // The canonical request over exactly the headers the caller signed.
  std::string block, signed_names;
  if (auto refused = signed_header_block(headers, *auth, block, signed_names))
    return *refused;
  // The payload: its hash as signed. A declared x-amz-content-sha256 must be the body's (S3 says
  // XAmzContentSHA256Mismatch); UNSIGNED-PAYLOAD and streaming markers are taken as declared.
  const std::string content_sha = header("x-amz-content-sha256");
  const std::string body_sha = crypto::sha256_hex(req.body);
  const bool declared_marker = content_sha == "UNSIGNED-PAYLOAD" || content_sha.rfind("STREAMING-", 0) == 0;
  if (!content_sha.empty() && !declared_marker && lower(content_sha) != body_sha) {
    if (s3)
      return fail("XAmzContentSHA256Mismatch", 400,
                  "The provided 'x-amz-content-sha256' header does not match what was computed.");
    return fail("SignatureDoesNotMatch", 403,
                "The request signature we calculated does not match the signature you provided: the body does not "
                "match its x-amz-content-sha256.");
  }
  const std::string payload_hash = content_sha.empty() ? body_sha : content_sha;
  const std::string canonical = req.method + "\n" + canonical_uri(req.path, !s3, !s3) + "\n" +
                                canonical_query(req.query) + "\n" + block + "\n" + signed_names + "\n" + payload_hash;
  if (signature_of(*secret, *auth, stamp, canonical) != lower(auth->signature))
    return fail("SignatureDoesNotMatch", 403,
                "The request signature we calculated does not match the signature you provided. Check your AWS "
                "Secret Access Key and signing method. Consult the service documentation for details.");
  return VerifyOutcome{true, "", 200, ""};
}

}  // namespace migsim::aws::sigv4
