// AWS Signature Version 4: canonical request, string to sign, signature, and the two ways of
// attaching it (Authorization header, or presigned X-Amz-* query parameters). Follows AWS's
// "Create a signed AWS API request" and passes every case of AWS's SigV4 test suite
// (tests/data/sigv4-test-suite).
#pragma once

#include "harness/aws/client/aws_client.hpp"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace migsim::aws::sigv4 {

// A request about to be signed. `path` and `query` are as they go on the wire (the serialiser has
// already percent-encoded them); headers keep their order and may repeat.
struct SignableRequest {
  std::string method;
  std::string path = "/";
  std::string query;  // without '?'
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// What to sign with and how.
struct SigningParams {
  AwsCredentials credentials;
  std::string region;
  std::string service;  // the signing name (credential scope), e.g. "elasticloadbalancing"
  std::chrono::system_clock::time_point time;
  bool normalize_path = true;       // remove dot segments and duplicate slashes (all but S3)
  bool double_encode_path = true;   // URI-encode the wire path once more (all but S3)
  bool add_content_sha256 = false;  // add and sign x-amz-content-sha256 (S3, or when asked)
  bool omit_session_token = false;  // send the token but leave it out of the signature
  int expires_s = 3600;             // presigned variant: X-Amz-Expires
  std::string payload_hash;         // empty: hex SHA-256 of the body; or e.g. "UNSIGNED-PAYLOAD"
};

// The three stages, for tests and debugging (never logged: they name the access key id).
struct SigningResult {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
  std::string signed_headers;  // "host;x-amz-date"
};

// Signs with the Authorization header: adds X-Amz-Security-Token (when there is a token),
// X-Amz-Date, x-amz-content-sha256 (when asked) and Authorization.
SigningResult sign_headers(SignableRequest& req, const SigningParams& params);

// Presigns: appends X-Amz-Algorithm, -Credential, -Date, -SignedHeaders, -Expires,
// -Security-Token and -Signature to the query string.
SigningResult presign_query(SignableRequest& req, const SigningParams& params);

// ---- Building blocks (exposed for tests) ----

// RFC 3986 percent-encoding of everything but unreserved characters (A-Z a-z 0-9 - . _ ~);
// '/' kept as is when !encode_slash.
std::string uri_encode(const std::string& s, bool encode_slash);
// Percent-decoding (no '+' to space: SigV4 treats '+' literally).
std::string uri_decode(const std::string& s);
// The canonical URI of a wire path.
std::string canonical_uri(const std::string& path, bool normalize, bool double_encode);
// The canonical query string: parameters decoded, re-encoded, sorted by name then value.
std::string canonical_query(const std::string& query);
// Header value as canonicalised: trimmed, inner whitespace runs (folded lines too) -> one space.
std::string canonical_header_value(const std::string& value);
// "20150830T123600Z" and "20150830".
std::string amz_date(std::chrono::system_clock::time_point t);
std::string date_stamp(std::chrono::system_clock::time_point t);
// The derived signing key: HMAC chain over date, region, service, "aws4_request".
std::string signing_key(const std::string& secret, const std::string& date, const std::string& region,
                        const std::string& service);

}  // namespace migsim::aws::sigv4
