// migsim's own AWS client: what the runbook executor calls to talk to real AWS, LocalStack, moto or
// `migsim serve`. One call = serialise (the shared protocol codec) -> sign (SigV4) -> send over
// HTTP/1.1 or HTTPS (keep-alive per host) -> retry in botocore's "standard" mode -> parse.
//
// Configuration follows the AWS SDKs: credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
// AWS_SESSION_TOKEN, then the shared credentials and config files (AWS_PROFILE); region from
// AWS_REGION / AWS_DEFAULT_REGION / the config file; endpoint from the explicit URL, then
// AWS_ENDPOINT_URL_<SERVICE_ID>, AWS_ENDPOINT_URL, the config file, then the real AWS endpoint.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace migsim::aws {

class ProtocolPort;  // protocol_port.hpp: how calls are encoded and responses decoded

// A failed call: the service's error (code such as "ValidationException", its message, HTTP status
// and request id) or a client-side failure (code "ConnectionError", "ReadTimeout",
// "ConnectTimeout", "UnknownOperation", "NoCredentials", "NoRegion"; status 0).
struct AwsClientError : std::runtime_error {
  std::string code;
  std::string message;
  int status = 0;          // HTTP status, 0 when no response was received
  std::string request_id;  // x-amzn-RequestId / x-amz-request-id / the body's RequestId, if any
  int attempts = 1;        // how many attempts were made (retries included)
  AwsClientError(std::string code, std::string message, int status = 0, std::string request_id = "",
                 int attempts = 1);
};

// Static credentials as the chain resolves them.
struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty when not temporary credentials
};

// Reads an environment variable; returns nullopt when unset. Injectable for tests.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Everything a client can be told; each field empty/unset means "resolve as the SDKs do".
struct AwsClientOptions {
  std::string endpoint_url;                  // --endpoint-url: used for every service when set
  std::string region;                        // else AWS_REGION, AWS_DEFAULT_REGION, config file
  std::string profile;                       // else AWS_PROFILE, else "default"
  std::optional<AwsCredentials> credentials; // else the chain
  EnvLookup env;                             // default: the process environment (getenv)
  double connect_timeout_s = 10;             // botocore's default connect_timeout is 60 s
  double read_timeout_s = 60;                // per attempt: time to send and receive one response
  int max_attempts = 3;                      // standard retry mode: attempts in total, first included
  int retry_quota = 500;                     // botocore's retry token bucket (each retry costs 5, 10 after a timeout)
  // Jitter source for the retry backoff, uniform in [0, 1); default std::random_device seeded.
  std::function<double()> jitter;
  // How to wait between attempts; default std::this_thread::sleep_for. Tests record instead.
  std::function<void(double seconds)> sleep;
  bool verify_tls = true;                    // certificate and host name verification for https
  std::string ca_file;                       // extra CA bundle (AWS_CA_BUNDLE when empty)
  std::shared_ptr<const ProtocolPort> protocol;  // default: the shared codec (codec_protocol())
  std::string user_agent = "migsim/0.1";
};

// One call's HTTP outcome, for callers that want more than the output (logs, timing).
struct AwsCallInfo {
  int status = 0;
  int attempts = 0;
  std::string request_id;
  std::string endpoint;  // the URL the call went to
  std::optional<std::chrono::system_clock::time_point> server_date;  // the response's Date header
};

// The client. Not thread-safe: one per thread (connections are kept per host inside it).
class AwsClient {
 public:
  explicit AwsClient(AwsClientOptions options = {});
  ~AwsClient();
  AwsClient(AwsClient&&) noexcept;
  AwsClient& operator=(AwsClient&&) noexcept;

  // Calls `operation` (botocore name, e.g. "DescribeReplications") of `service` (botocore client
  // name, e.g. "dms", "elbv2", "route53") with `input` (boto3-style dict: botocore member names,
  // timestamps as epoch seconds). Returns the output the same way. Throws AwsClientError.
  nlohmann::json call(const std::string& service, const std::string& operation,
                      const nlohmann::json& input = nlohmann::json::object());

  // The `Date` header of the last response received (success or error), as a time point: the
  // server's clock, so waits measured with it mean the same against real AWS and a rehearsal.
  std::optional<std::chrono::system_clock::time_point> last_response_date() const;
  // Details of the last call (status, attempts, request id, endpoint, Date).
  const AwsCallInfo& last_call() const;

  // The resolved region, and the endpoint URL a service's calls go to.
  const std::string& region() const;
  std::string endpoint_for(const std::string& service) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace migsim::aws
