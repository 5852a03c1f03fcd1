// AwsClient (see aws_client.hpp): serialise -> sign -> send -> retry -> parse.
#include "harness/aws/client/aws_client.hpp"

#include "harness/aws/client/aws_config.hpp"
#include "harness/aws/client/http_client.hpp"
#include "harness/aws/client/protocol_port.hpp"
#include "harness/aws/client/request_log.hpp"
#include "harness/aws/client/retry_policy.hpp"
#include "harness/aws/client/service_table.hpp"
#include "harness/aws/client/sigv4.hpp"
#include "harness/aws/protocol/text.hpp"

#include <cstdio>
#include <random>
#include <set>
#include <thread>

namespace migsim::aws {

AwsClientError::AwsClientError(std::string code_, std::string message_, int status_, std::string request_id_,
                               int attempts_)
    : std::runtime_error(code_ + ": " + message_), code(std::move(code_)), message(std::move(message_)),
      status(status_), request_id(std::move(request_id_)), attempts(attempts_)
{
}

namespace {

// Text for a message, with control characters shown as \xNN (a message must not inject either).
std::string printable(const std::string& s)
{
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// botocore's before-parameter-build customisation for Route 53 (handlers.fix_route53_ids): members
// whose shape is ResourceId, DelegationSetId or ChangeId keep only the part after the last '/', so
// "/hostedzone/Z123" from one call's output works as the next call's input, as with boto3.
nlohmann::json fix_route53_ids(const std::string& operation, nlohmann::json input)
{
  static const std::set<std::string> always{"HostedZoneId", "DelegationSetId", "HostedZoneIdMarker"};
  static const std::set<std::string> id_ops{"DeleteHostedZone", "DeleteReusableDelegationSet", "GetChange",
                                            "GetHostedZone",    "GetReusableDelegationSet",    "UpdateHostedZoneComment"};
  if (!input.is_object())
    return input;
  for (auto& [name, value] : input.items()) {
    if (!value.is_string() || !(always.count(name) || (name == "Id" && id_ops.count(operation))))
      continue;
    const std::string v = value;
    value = v.substr(v.rfind('/') + 1);
  }
  return input;
}

}  // namespace

struct AwsClient::Impl {
  AwsClientOptions opt;
  std::string profile;
  std::string region;
  std::optional<AwsCredentials> credentials;
  std::unique_ptr<HttpClient> http;
  AwsCallInfo last;
  std::mt19937_64 rng{std::random_device{}()};
  std::unique_ptr<retry::RetryQuota> quota;

  double jitter()
  {
    if (opt.jitter)
      return opt.jitter();
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  }

  void sleep(double s)
  {
    if (opt.sleep)
      opt.sleep(s);
    else
      std::this_thread::sleep_for(std::chrono::duration<double>(s));
  }

  const AwsCredentials& creds()
  {
    if (!credentials)
      credentials = resolve_credentials(opt.env, profile);
    if (!credentials)
      throw AwsClientError("NoCredentials", "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
                                            "a [" + profile + "] profile in the shared credentials file");
    return *credentials;
  }
};

AwsClient::AwsClient(AwsClientOptions options) : impl_(std::make_unique<Impl>())
{
  auto& i = *impl_;
  i.opt = std::move(options);
  if (!i.opt.env)
    i.opt.env = process_env();
  if (!i.opt.protocol)
    i.opt.protocol = codec_protocol();
  if (i.opt.ca_file.empty())
    i.opt.ca_file = i.opt.env("AWS_CA_BUNDLE").value_or("");
  i.profile = resolve_profile(i.opt.profile, i.opt.env);
  i.region = resolve_region(i.opt.region, i.opt.env, i.profile);
  i.credentials = i.opt.credentials;
  i.quota = std::make_unique<retry::RetryQuota>(i.opt.retry_quota);
  i.http = std::make_unique<HttpClient>(
      HttpClientOptions{i.opt.connect_timeout_s, i.opt.read_timeout_s, i.opt.verify_tls, i.opt.ca_file});
}

AwsClient::~AwsClient() = default;
AwsClient::AwsClient(AwsClient&&) noexcept = default;
AwsClient& AwsClient::operator=(AwsClient&&) noexcept = default;

nlohmann::json AwsClient::call(const std::string& service, const std::string& operation, const nlohmann::json& input)
{
  auto& i = *impl_;
  const auto endpoint = resolve_endpoint(service, i.opt.endpoint_url, i.opt.env, i.profile, i.region);
  if (endpoint.signing_region.empty())
    throw AwsClientError("NoRegion", "no region for " + service + ": set --region, AWS_REGION or the profile's region");
  if (!text::valid_region_name(endpoint.signing_region))
    throw AwsClientError("InvalidRegion", "Provided region_name '" + printable(endpoint.signing_region) +
                                              "' doesn't match a supported format.");
  Url url;
  try {
    url = parse_url(endpoint.url);
  } catch (const std::invalid_argument& e) {
    throw AwsClientError("InvalidEndpoint", e.what());
  }
  const auto& credentials = i.creds();
  const auto encoded =
      i.opt.protocol->encode(service, operation, service == "route53" ? fix_route53_ids(operation, input) : input);
  const auto* info = find_service_endpoint(service);
  const auto q = encoded.target.find('?');
  const std::string path = url.base_path + encoded.target.substr(0, q);
  const std::string query = q == std::string::npos ? "" : encoded.target.substr(q + 1);

  i.last = AwsCallInfo{};
  i.last.endpoint = endpoint.url;
  const int max_attempts = std::max(1, i.opt.max_attempts);
  int last_retry_cost = 0;  // what the latest retry took from the quota
  for (int attempt = 1;; ++attempt) {
    i.last.attempts = attempt;
    sigv4::SignableRequest req{encoded.method, path, query, encoded.headers, encoded.body};
    req.headers.emplace_back("Host", url.host_header());
    req.headers.emplace_back("User-Agent", i.opt.user_agent);
    sigv4::SigningParams p;
    p.credentials = credentials;
    p.region = endpoint.signing_region;
    p.service = info ? info->signing_name : service;
    p.time = std::chrono::system_clock::now();
    p.normalize_path = p.double_encode_path = service != "s3";
    p.add_content_sha256 = service == "s3";
    sigv4::sign_headers(req, p);
    for (const auto& [name, value] : req.headers)
      if (!text::valid_header_name(name) || !text::valid_header_value(value))
        throw AwsClientError("InvalidHeaderValue", "header " + printable(name) + ": " + printable(value) +
                                                       " holds a character no HTTP header may carry (CR, LF or another "
                                                       "control character); nothing was sent");
    const auto target = req.path + (req.query.empty() ? "" : "?" + req.query);
    aws_logger()->debug("{}.{} attempt {}: {}", service, operation, attempt,
                        describe_request(req.method, url, target, req.headers, req.body.size()));

    HttpResponse res;
    try {
      res = i.http->send(url, req.method, target, req.headers, req.body);
    } catch (const HttpTransportError& e) {
      const bool timeout = e.kind == "ConnectTimeout" || e.kind == "ReadTimeout";
      if (attempt < max_attempts && i.quota->acquire(timeout)) {
        last_retry_cost = timeout ? retry::RetryQuota::kTimeoutRetryCost : retry::RetryQuota::kRetryCost;
        const double wait_s = retry::backoff_s(attempt, i.jitter());
        aws_logger()->info("{}.{} attempt {} failed ({}); retrying in {:.3f} s", service, operation, attempt,
                           e.what(), wait_s);
        i.sleep(wait_s);
        continue;
      }
      throw AwsClientError(e.kind, e.detail, 0, "", attempt);
    }
    i.last.status = res.status;
    i.last.server_date = parse_http_date(res.header("Date"));
    const auto decoded = i.opt.protocol->decode(service, operation, res.status, res.headers, res.body);
    i.last.request_id = decoded.request_id;
    if (decoded.ok) {
      i.quota->release(last_retry_cost);
      return decoded.output;
    }
    if (attempt < max_attempts && retry::is_retryable(res.status, decoded.error_code, false) &&
        i.quota->acquire(false)) {
      last_retry_cost = retry::RetryQuota::kRetryCost;
      const double wait_s = retry::backoff_s(attempt, i.jitter());
      aws_logger()->info("{}.{} attempt {}: HTTP {} {}; retrying in {:.3f} s", service, operation, attempt,
                         res.status, decoded.error_code, wait_s);
      i.sleep(wait_s);
      continue;
    }
    throw AwsClientError(decoded.error_code, decoded.error_message, res.status, decoded.request_id, attempt);
  }
}

std::optional<std::chrono::system_clock::time_point> AwsClient::last_response_date() const
{
  return impl_->last.server_date;
}

const AwsCallInfo& AwsClient::last_call() const { return impl_->last; }

const std::string& AwsClient::region() const { return impl_->region; }

std::string AwsClient::endpoint_for(const std::string& service) const
{
  return resolve_endpoint(service, impl_->opt.endpoint_url, impl_->opt.env, impl_->profile, impl_->region).url;
}

}  // namespace migsim::aws
