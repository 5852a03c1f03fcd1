// The receiving side of Signature Version 4, for an endpoint that checks its callers' signing (the
// mock endpoint's `serve --enforce-sigv4`): parse the Authorization header, recompute the signature
// over exactly the headers the caller signed, and answer AWS's errors for a missing or malformed
// signature, an unknown access key, a date outside the 5-minute window and a wrong signature.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace migsim::aws::sigv4 {

// "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date,
// Signature=5d67..." taken apart.
struct Authorization {
  std::string access_key_id;
  std::string date;     // "20150830"
  std::string region;
  std::string service;
  std::vector<std::string> signed_headers;  // lower case, as listed
  std::string signature;                    // 64 lower-case hex digits
};

// Parses an Authorization header value; nothing (and why, when asked) when it is not a
// well-formed SigV4 header.
std::optional<Authorization> parse_authorization(const std::string& value, std::string* why = nullptr);

// A request as received: path and query as they were on the wire, headers in order.
struct ReceivedRequest {
  std::string method;
  std::string path;
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// The verdict: ok, or AWS's error code, HTTP status and message.
struct VerifyOutcome {
  bool ok = false;
  std::string code;
  int status = 0;
  std::string message;
};

// The secret of an access key id, or nothing when the key is unknown.
using SecretLookup = std::function<std::optional<std::string>(const std::string& access_key_id)>;

// Checks a signed request at wall-clock time `now`: signed in its Authorization header, or
// presigned (no Authorization header; X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires,
// X-Amz-SignedHeaders and X-Amz-Signature in the query, as `aws s3 presign` and the SDKs' presigners
// write them). `s3` selects S3's path rules (no normalisation, no double encoding), its unsigned
// payload for presigned URLs and its error codes.
VerifyOutcome verify_request(const ReceivedRequest& req, const SecretLookup& secret_of,
                             std::chrono::system_clock::time_point now, bool s3 = false);

// The service of a presigned request's credential scope (X-Amz-Credential in `query`; "" if none).
std::string presigned_service(const std::string& query);

}  // namespace migsim::aws::sigv4
