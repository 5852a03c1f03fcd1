// The SigV4 signer against AWS's own test suite (tests/data/sigv4-test-suite, Apache-2.0): for
// every case folder, both the header and the query (presigned) variants must reproduce the
// expected canonical request, string to sign, signature and signed request byte for byte.
#include "harness/aws/client/crypto.hpp"
#include "harness/aws/client/sigv4.hpp"
#include "harness/aws/client/sigv4_verify.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using migsim::aws::sigv4::SignableRequest;
using migsim::aws::sigv4::SigningParams;

const fs::path kSuite = fs::path(MIGSIM_SOURCE_DIR) / "tests/data/sigv4-test-suite";

std::string slurp(const fs::path& p)
{
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The suite's files end with at most one newline that is not part of the value.
std::string strip_newline(std::string s)
{
  while (!s.empty() && s.back() == '\n')
    s.pop_back();
  return s;
}

// Parses the suite's request.txt format: "METHOD TARGET HTTP/1.1", "Name:value" lines (a line
// starting with whitespace continues the previous value), an empty line, the body. The target may
// hold raw spaces and UTF-8, as in get-space-*.
SignableRequest parse_request(const std::string& text)
{
  SignableRequest r;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  const auto first = line.find(' '), last = line.rfind(' ');
  r.method = line.substr(0, first);
  const auto target = line.substr(first + 1, last - first - 1);
  const auto q = target.find('?');
  r.path = target.substr(0, q);
  r.query = q == std::string::npos ? "" : target.substr(q + 1);
  bool body = false;
  while (std::getline(in, line)) {
    if (line.empty()) {
      body = true;
      break;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !r.headers.empty()) {
      r.headers.back().second += "\n" + line;
      continue;
    }
    const auto colon = line.find(':');
    r.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  if (body) {
    std::stringstream rest;
    rest << in.rdbuf();
    r.body = rest.str();
  }
  return r;
}

std::chrono::system_clock::time_point parse_timestamp(const std::string& iso)
{
  std::tm tm{};
  REQUIRE(strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) != nullptr);
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

SigningParams params_of(const nlohmann::json& ctx)
{
  SigningParams p;
  p.credentials.access_key_id = ctx["credentials"]["access_key_id"];
  p.credentials.secret_access_key = ctx["credentials"]["secret_access_key"];
  p.credentials.session_token = ctx["credentials"].value("token", "");
  p.region = ctx["region"];
  p.service = ctx["service"];
  p.time = parse_timestamp(ctx["timestamp"]);
  p.normalize_path = ctx.value("normalize", true);
  p.add_content_sha256 = ctx.value("sign_body", false);
  p.omit_session_token = ctx.value("omit_session_token", false);
  p.expires_s = ctx.value("expiration_in_seconds", 3600);
  return p;
}

void check_same_request(const SignableRequest& got, const SignableRequest& want)
{
  CHECK(got.method == want.method);
  CHECK(got.path == want.path);
  CHECK(got.query == want.query);
  CHECK(got.headers == want.headers);
  CHECK(got.body == want.body);
}

std::vector<fs::path> case_folders()
{
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kSuite))
    if (e.is_directory())
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("sigv4: every case of the AWS test suite, header variant")
{
  const auto cases = case_folders();
  REQUIRE(cases.size() >= 38);  // the suite as copied: a missing folder must not pass silently
  for (const auto& dir : cases) {
    DYNAMIC_SECTION(dir.filename().string())
    {
      const auto ctx = nlohmann::json::parse(slurp(dir / "context.json"));
      auto req = parse_request(slurp(dir / "request.txt"));
      const auto r = migsim::aws::sigv4::sign_headers(req, params_of(ctx));
      CHECK(r.canonical_request == strip_newline(slurp(dir / "header-canonical-request.txt")));
      CHECK(r.string_to_sign == strip_newline(slurp(dir / "header-string-to-sign.txt")));
      CHECK(r.signature == strip_newline(slurp(dir / "header-signature.txt")));
      check_same_request(req, parse_request(slurp(dir / "header-signed-request.txt")));
    }
  }
}

TEST_CASE("sigv4: every case of the AWS test suite, query variant")
{
  const auto cases = case_folders();
  REQUIRE(cases.size() >= 38);
  for (const auto& dir : cases) {
    DYNAMIC_SECTION(dir.filename().string())
    {
      const auto ctx = nlohmann::json::parse(slurp(dir / "context.json"));
      auto req = parse_request(slurp(dir / "request.txt"));
      const auto r = migsim::aws::sigv4::presign_query(req, params_of(ctx));
      CHECK(r.canonical_request == strip_newline(slurp(dir / "query-canonical-request.txt")));
      CHECK(r.string_to_sign == strip_newline(slurp(dir / "query-string-to-sign.txt")));
      CHECK(r.signature == strip_newline(slurp(dir / "query-signature.txt")));
      check_same_request(req, parse_request(slurp(dir / "query-signed-request.txt")));
    }
  }
}

TEST_CASE("sigv4: S3 paths are neither normalised nor double-encoded")
{
  using migsim::aws::sigv4::canonical_uri;
  // The wire path of key "a b/../c" in bucket "bkt": S3 signs it exactly as sent.
  CHECK(canonical_uri("/bkt/a%20b/../c", false, false) == "/bkt/a%20b/../c");
  // Every other service encodes the wire path once more and normalises it.
  CHECK(canonical_uri("/bkt/a%20b/../c", true, true) == "/bkt/c");
  CHECK(canonical_uri("/2013-04-01/hostedzone/Z1%2F2", true, true) == "/2013-04-01/hostedzone/Z1%252F2");
  CHECK(canonical_uri("", true, true) == "/");
}

TEST_CASE("sigv4: query parameters are decoded, re-encoded and sorted by name then value")
{
  using migsim::aws::sigv4::canonical_query;
  CHECK(canonical_query("b=2&a=z&a=y&c") == "a=y&a=z&b=2&c=");
  CHECK(canonical_query("k=a+b&s=%2f&t=%7E") == "k=a%2Bb&s=%2F&t=~");
  CHECK(canonical_query("") == "");
}

TEST_CASE("sigv4: the signing key matches AWS's documented example")
{
  // "Derive a signing key": secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1,
  // iam gives f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d.
  const auto key = migsim::aws::sigv4::signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215",
                                                   "us-east-1", "iam");
  CHECK(migsim::aws::crypto::to_hex(key) == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

// ---- The receiving side (serve --enforce-sigv4) ----

namespace {

migsim::aws::sigv4::ReceivedRequest received(const SignableRequest& r)
{
  return {r.method, r.path, r.query, r.headers, r.body};
}

}  // namespace

TEST_CASE("sigv4 verify: every signed request of the AWS test suite verifies at its own time")
{
  using namespace migsim::aws::sigv4;
  for (const auto& dir : case_folders()) {
    DYNAMIC_SECTION(dir.filename().string())
    {
      const auto ctx = nlohmann::json::parse(slurp(dir / "context.json"));
      const auto p = params_of(ctx);
      if (!p.normalize_path)  // the *-unnormalized cases: S3's path rules with double encoding, no service has them
        continue;
      const auto req = parse_request(slurp(dir / "header-signed-request.txt"));
      const SecretLookup secrets = [&](const std::string& id) -> std::optional<std::string> {
        if (id == p.credentials.access_key_id)
          return p.credentials.secret_access_key;
        return std::nullopt;
      };
      const auto v = verify_request(received(req), secrets, p.time);
      CHECK(v.code == "");
      CHECK(v.ok);
    }
  }
}

TEST_CASE("sigv4 verify: AWS's errors for a wrong secret, an unknown key, a stale date and a bad header")
{
  using namespace migsim::aws::sigv4;
  const auto dir = kSuite / "post-x-www-form-urlencoded";
  const auto ctx = nlohmann::json::parse(slurp(dir / "context.json"));
  const auto p = params_of(ctx);
  auto req = received(parse_request(slurp(dir / "header-signed-request.txt")));
  const auto only = [&](std::string secret) -> SecretLookup {
    return [secret](const std::string& id) -> std::optional<std::string> {
      if (id == "AKIDEXAMPLE")
        return secret;
      return std::nullopt;
    };
  };
  const std::string secret = p.credentials.secret_access_key;
  CHECK(verify_request(req, only(secret), p.time).ok);
  CHECK(verify_request(req, only(secret), p.time + std::chrono::seconds(299)).ok);

  auto wrong = verify_request(req, only("not-the-secret"), p.time);
  CHECK(wrong.code == "SignatureDoesNotMatch");
  CHECK(wrong.status == 403);
  CHECK(wrong.message.rfind("The request signature we calculated does not match the signature you provided.", 0) == 0);

  auto unknown = verify_request(req, [](const std::string&) { return std::optional<std::string>(); }, p.time);
  CHECK(unknown.code == "InvalidClientTokenId");
  CHECK(unknown.status == 403);
  CHECK(unknown.message == "The security token included in the request is invalid.");

  auto late = verify_request(req, only(secret), p.time + std::chrono::seconds(301));
  CHECK(late.code == "RequestExpired");
  CHECK(late.message == "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z "
                        "(20150830T124101Z - 5 min.)");
  auto early = verify_request(req, only(secret), p.time - std::chrono::seconds(301));
  CHECK(early.code == "RequestExpired");

  auto tampered = req;
  tampered.body += "&x=1";
  CHECK(verify_request(tampered, only(secret), p.time).code == "SignatureDoesNotMatch");

  auto unsigned_req = req;
  unsigned_req.headers.erase(std::remove_if(unsigned_req.headers.begin(), unsigned_req.headers.end(),
                                            [](const auto& h) { return h.first == "Authorization"; }),
                             unsigned_req.headers.end());
  CHECK(verify_request(unsigned_req, only(secret), p.time).code == "MissingAuthenticationToken");

  // Found by fuzz_sigv4: a date in year 16 overflowed the clock's nanoseconds (UBSan).
  auto ancient = req;
  for (auto& [k, v] : ancient.headers)
    if (k == "X-Amz-Date")
      v = "00160830T123600Z";
  CHECK(verify_request(ancient, only(secret), p.time).code == "IncompleteSignature");

  std::string why;
  CHECK_FALSE(parse_authorization("AWS4-HMAC-SHA256 Credential=AKID/2015/us-east-1/s/aws4_request, SignedHeaders=host, "
                                  "Signature=00", &why));
  CHECK(why.find("Credential") != std::string::npos);
  CHECK_FALSE(parse_authorization("AWS4-HMAC-SHA256 Credential=A/20150830/r/s/aws4_request, SignedHeaders=x-b;host, "
                                  "Signature=" + std::string(64, 'a'), &why));
  CHECK(why == "SignedHeaders must be sorted");
}
