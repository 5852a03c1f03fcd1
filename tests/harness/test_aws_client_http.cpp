// The AWS client's transport and retry behaviour against a scripted local server: attempts and
// backoff of botocore's standard retry mode, no retry on client errors, timeouts, keep-alive
// reuse, the server's Date, and logs that never show a secret.
#include "harness/aws/client/aws_client.hpp"
#include "harness/aws/client/protocol_port.hpp"
#include "harness/aws/client/request_log.hpp"
#include "harness/aws/client/retry_policy.hpp"
#include "test_aws_client_fake_server.hpp"

#include <catch2/catch.hpp>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

namespace {

using migsim::aws::AwsClient;
using migsim::aws::AwsClientError;
using migsim::aws::AwsClientOptions;
using migsim::test::FakeReply;
using migsim::test::FakeServer;
using nlohmann::json;

// A JSON-1.1-style protocol for a made-up service, so these tests need no codec: POST / with
// X-Amz-Target, errors from x-amzn-ErrorType or the body's __type.
class TestJsonProtocol final : public migsim::aws::ProtocolPort {
 public:
  migsim::aws::EncodedRequest encode(const std::string&, const std::string& op, const json& input) const override
  {
    return {"POST", "/", {{"X-Amz-Target", "Test." + op}, {"Content-Type", "application/x-amz-json-1.1"}},
            input.dump()};
  }
  migsim::aws::DecodedResponse decode(const std::string&, const std::string&, int status,
                                      const migsim::aws::HeaderList& headers, const std::string& body) const override
  {
    migsim::aws::DecodedResponse d;
    const auto doc = json::parse(body, nullptr, false);
    for (const auto& [k, v] : headers)
      if (boost::beast::iequals(k, "x-amzn-RequestId"))
        d.request_id = v;
    if (status < 300) {
      d.output = doc.is_discarded() ? json::object() : doc;
      return d;
    }
    d.ok = false;
    d.error_code = doc.is_object() ? doc.value("__type", "") : "";
    d.error_code = d.error_code.substr(d.error_code.find('#') + 1);
    d.error_message = doc.is_object() ? doc.value("message", "") : body;
    if (d.error_code.empty())
      d.error_code = "HTTP" + std::to_string(status);
    return d;
  }
};

// Options for a client pointed at `url` with fixed credentials, a fixed jitter and recorded sleeps.
AwsClientOptions options_for(const std::string& url, std::vector<double>* sleeps, double jitter = 0.5)
{
  AwsClientOptions o;
  o.endpoint_url = url;
  o.region = "us-east-1";
  o.credentials = migsim::aws::AwsCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
  o.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  o.protocol = std::make_shared<TestJsonProtocol>();
  o.jitter = [jitter] { return jitter; };
  o.sleep = [sleeps](double s) { sleeps->push_back(s); };
  return o;
}

FakeReply error_reply(int status, const std::string& code)
{
  return {status, {{"x-amzn-RequestId", "req-" + code}}, R"({"__type":"com.amazon#)" + code + R"(","message":"m"})"};
}

}  // namespace

TEST_CASE("aws client: a transient 503 is retried with the standard backoff, then succeeds")
{
  FakeServer server({error_reply(503, "ServiceUnavailable"), error_reply(503, "ServiceUnavailable"),
                     {200, {}, R"({"Answer":42})"}});
  std::vector<double> sleeps;
  AwsClient client(options_for(server.url(), &sleeps));
  const auto out = client.call("dms", "DescribeThings", {{"Filter", "x"}});
  CHECK(out["Answer"] == 42);
  CHECK(client.last_call().attempts == 3);
  REQUIRE(server.seen().size() == 3);
  // jitter * min(2^(attempt-1), 20).
  REQUIRE(sleeps.size() == 2);
  CHECK(sleeps[0] == Approx(0.5 * 1));
  CHECK(sleeps[1] == Approx(0.5 * 2));
  // Every attempt carries the same body and its own signature.
  for (const auto& r : server.seen()) {
    CHECK(r.body == R"({"Filter":"x"})");
    CHECK(r.header("X-Amz-Target") == "Test.DescribeThings");
    CHECK(r.header("Authorization").rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", 0) == 0);
    CHECK(r.header("Host") == "127.0.0.1:" + std::to_string(server.port()));
  }
}

TEST_CASE("aws client: throttling is retried and gives up after 3 attempts")
{
  FakeServer server({error_reply(400, "ThrottlingException"), error_reply(400, "ThrottlingException"),
                     error_reply(400, "ThrottlingException"), {200, {}, "{}"}});
  std::vector<double> sleeps;
  AwsClient client(options_for(server.url(), &sleeps, 0.75));
  try {
    client.call("dms", "DescribeThings");
    FAIL("expected ThrottlingException");
  } catch (const AwsClientError& e) {
    CHECK(e.code == "ThrottlingException");
    CHECK(e.status == 400);
    CHECK(e.attempts == 3);
    CHECK(e.request_id == "req-ThrottlingException");
  }
  CHECK(server.seen().size() == 3);
  REQUIRE(sleeps.size() == 2);
  CHECK(sleeps[0] == Approx(0.75 * 1));
  CHECK(sleeps[1] == Approx(0.75 * 2));
}

TEST_CASE("aws client: a client error (400 ValidationException, 403, 404) is never retried")
{
  for (const auto& [status, code] : std::vector<std::pair<int, std::string>>{
           {400, "ValidationException"}, {403, "AccessDeniedException"}, {404, "ResourceNotFoundFault"}}) {
    FakeServer server({error_reply(status, code), {200, {}, "{}"}});
    std::vector<double> sleeps;
    AwsClient client(options_for(server.url(), &sleeps));
    try {
      client.call("dms", "DescribeThings");
      FAIL("expected " + code);
    } catch (const AwsClientError& e) {
      CHECK(e.code == code);
      CHECK(e.status == status);
      CHECK(e.message == "m");
      CHECK(e.attempts == 1);
    }
    CHECK(server.seen().size() == 1);
    CHECK(sleeps.empty());
  }
}

TEST_CASE("aws client: 500, 502, 503 and 504 exhaust the attempts, max_attempts is honoured")
{
  for (int status : {500, 502, 503, 504}) {
    FakeServer server({error_reply(status, "InternalFailure"), error_reply(status, "InternalFailure"),
                       error_reply(status, "InternalFailure"), error_reply(status, "InternalFailure"),
                       error_reply(status, "InternalFailure")});
    std::vector<double> sleeps;
    auto opt = options_for(server.url(), &sleeps);
    opt.max_attempts = status == 504 ? 5 : 3;
    AwsClient client(opt);
    CHECK_THROWS_AS(client.call("dms", "DescribeThings"), AwsClientError);
    CHECK(server.seen().size() == static_cast<size_t>(opt.max_attempts));
    CHECK(sleeps.size() == static_cast<size_t>(opt.max_attempts - 1));
  }
}

TEST_CASE("aws client: backoff stays within botocore's bounds")
{
  using migsim::aws::retry::backoff_s;
  // Hand-computed: attempt 1 -> [0, 1) s, 2 -> [0, 2), 3 -> [0, 4), 5 -> [0, 16), 6 and later -> [0, 20).
  const double caps[] = {1, 2, 4, 8, 16, 20, 20, 20};
  for (int attempt = 1; attempt <= 8; ++attempt) {
    for (double r : {0.0, 0.3, 0.999999}) {
      CHECK(backoff_s(attempt, r) == Approx(r * caps[attempt - 1]));
      CHECK(backoff_s(attempt, r) < migsim::aws::retry::kMaxBackoffS + 1e-9);
    }
  }
  // The codes of botocore's standard mode.
  using migsim::aws::retry::is_retryable;
  CHECK(is_retryable(400, "Throttling", false));
  CHECK(is_retryable(400, "RequestLimitExceeded", false));
  CHECK(is_retryable(429, "TooManyRequestsException", false));
  CHECK(is_retryable(408, "RequestTimeout", false));
  CHECK(is_retryable(0, "", true));
  CHECK_FALSE(is_retryable(400, "ValidationException", false));
  CHECK_FALSE(is_retryable(429, "", false));
  CHECK_FALSE(is_retryable(501, "NotImplemented", false));
}

TEST_CASE("aws client: the retry quota stops retries once spent, and successes refill it")
{
  // Capacity 7: one retry (5) fits, a second does not.
  FakeServer server({error_reply(503, "ServiceUnavailable"), error_reply(503, "ServiceUnavailable"),
                     error_reply(503, "ServiceUnavailable"), {200, {}, "{}"}, {200, {}, "{}"},
                     {200, {}, "{}"}, error_reply(503, "ServiceUnavailable"), {200, {}, "{}"}});
  std::vector<double> sleeps;
  auto opt = options_for(server.url(), &sleeps);
  opt.retry_quota = 7;
  AwsClient client(opt);
  try {
    client.call("dms", "DescribeThings");
    FAIL("expected ServiceUnavailable");
  } catch (const AwsClientError& e) {
    CHECK(e.attempts == 2);  // 7 -> 2 after the first retry: no second retry
  }
  try {
    client.call("dms", "DescribeThings");
    FAIL("expected ServiceUnavailable");
  } catch (const AwsClientError& e) {
    CHECK(e.attempts == 1);  // 2 left: no retry at all
  }
  client.call("dms", "DescribeThings");  // first-try successes give 1 back each: 2 -> 3 -> 4 -> 5
  client.call("dms", "DescribeThings");
  client.call("dms", "DescribeThings");
  client.call("dms", "DescribeThings");  // 503 then 200: the retry fits again (5 -> 0 -> 5)
  CHECK(client.last_call().attempts == 2);
  CHECK(server.seen().size() == 8);
}

TEST_CASE("aws client: a read timeout fails the attempt and is retried")
{
  FakeServer server({{200, {}, "{}", 1500}, {200, {}, R"({"ok":true})"}});
  std::vector<double> sleeps;
  auto opt = options_for(server.url(), &sleeps);
  opt.read_timeout_s = 0.3;
  AwsClient client(opt);
  const auto t0 = std::chrono::steady_clock::now();
  const auto out = client.call("dms", "DescribeThings");
  const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(out["ok"] == true);
  CHECK(client.last_call().attempts == 2);
  CHECK(sleeps.size() == 1);
  CHECK(elapsed_s < 1.4);  // gave up on the slow answer after 0.3 s, not 1.5 s
}

TEST_CASE("aws client: a read timeout on the last attempt is reported as ReadTimeout")
{
  FakeServer server({{200, {}, "{}", 1200}});
  std::vector<double> sleeps;
  auto opt = options_for(server.url(), &sleeps);
  opt.read_timeout_s = 0.2;
  opt.max_attempts = 1;
  AwsClient client(opt);
  try {
    client.call("dms", "DescribeThings");
    FAIL("expected a timeout");
  } catch (const AwsClientError& e) {
    CHECK(e.code == "ReadTimeout");
    CHECK(e.status == 0);
  }
}

TEST_CASE("aws client: connection refused is retried, then reported as ConnectionError")
{
  unsigned short port = 0;
  {
    FakeServer closed({});
    port = closed.port();
  }  // nothing listens there any more
  std::vector<double> sleeps;
  AwsClient client(options_for("http://127.0.0.1:" + std::to_string(port), &sleeps));
  try {
    client.call("dms", "DescribeThings");
    FAIL("expected a connection error");
  } catch (const AwsClientError& e) {
    CHECK(e.code == "ConnectionError");
    CHECK(e.attempts == 3);
  }
  CHECK(sleeps.size() == 2);
}

TEST_CASE("aws client: keep-alive reuses one connection, and reconnects when the server closes it")
{
  FakeServer server({{200, {}, "{}"}, {200, {}, "{}"}, {200, {}, "{}", 0, true}, {200, {}, "{}"}});
  std::vector<double> sleeps;
  AwsClient client(options_for(server.url(), &sleeps));
  for (int i = 0; i < 4; ++i)
    client.call("dms", "DescribeThings");
  CHECK(server.seen().size() == 4);
  CHECK(server.connections() == 2);  // the third answer said Connection: close
  CHECK(sleeps.empty());
}

TEST_CASE("aws client: the last response's Date header is the server's clock")
{
  FakeServer server({{200, {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"}}, "{}"},
                     {400, {{"Date", "Mon, 07 Nov 1994 08:49:37 GMT"}}, R"({"__type":"ValidationException"})"}});
  std::vector<double> sleeps;
  AwsClient client(options_for(server.url(), &sleeps));
  CHECK_FALSE(client.last_response_date().has_value());
  client.call("dms", "DescribeThings");
  REQUIRE(client.last_response_date().has_value());
  CHECK(std::chrono::system_clock::to_time_t(*client.last_response_date()) == 784111777);
  CHECK_THROWS_AS(client.call("dms", "DescribeThings"), AwsClientError);
  CHECK(std::chrono::system_clock::to_time_t(*client.last_response_date()) == 784111777 + 86400);
  CHECK_FALSE(migsim::aws::parse_http_date("yesterday").has_value());
}

TEST_CASE("aws client: debug logs show the request with every secret masked")
{
  std::ostringstream captured;
  auto logger = migsim::aws::aws_logger();
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(captured);
  logger->sinks().push_back(sink);
  const auto old_level = logger->level();
  logger->set_level(spdlog::level::debug);

  FakeServer server({error_reply(503, "ServiceUnavailable"), {200, {}, "{}"}});
  std::vector<double> sleeps;
  auto opt = options_for(server.url(), &sleeps);
  opt.credentials->session_token = "FQoGZXIvYXdzSESSIONTOKENEXAMPLE";
  AwsClient client(opt);
  client.call("dms", "DescribeThings", {{"Password", "hunter2"}});

  logger->sinks().pop_back();
  logger->set_level(old_level);
  const auto log = captured.str();
  const auto sent_auth = server.seen().at(0).header("Authorization");
  const auto signature = sent_auth.substr(sent_auth.find("Signature=") + 10);
  REQUIRE(signature.size() == 64);
  CHECK(log.find("DescribeThings attempt 1") != std::string::npos);
  CHECK(log.find("Signature=***") != std::string::npos);
  CHECK(log.find(signature) == std::string::npos);
  CHECK(log.find("AKIDEXAMPLE") == std::string::npos);
  CHECK(log.find("wJalrXUtnFEMI") == std::string::npos);
  CHECK(log.find("SESSIONTOKEN") == std::string::npos);
  CHECK(log.find("hunter2") == std::string::npos);
  // The token was sent (and signed) all the same.
  CHECK(server.seen().at(0).header("X-Amz-Security-Token") == "FQoGZXIvYXdzSESSIONTOKENEXAMPLE");
  CHECK(sent_auth.find("x-amz-security-token") != std::string::npos);
  // Presigned URLs are masked too.
  const auto line = migsim::aws::describe_request(
      "GET", migsim::aws::parse_url("https://s3.amazonaws.com"),
      "/b/k?X-Amz-Credential=AKIDEXAMPLE%2F2015&X-Amz-Signature=abcdef&X-Amz-Security-Token=tok&x=1", {}, 0);
  CHECK(line == "GET https://s3.amazonaws.com/b/k?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***&x=1"
                " | body 0 bytes");
}

TEST_CASE("aws client: migsim aws rejects bad input with exit 2 before calling anything")
{
  const std::string bin = MIGSIM_BINARY;
  auto exit_of = [](const std::string& cmd) { return WEXITSTATUS(std::system((cmd + " 2>/dev/null").c_str())); };
  // Input that is not a JSON object.
  CHECK(exit_of("AWS_ACCESS_KEY_ID=a AWS_SECRET_ACCESS_KEY=b " + bin +
                " aws dms DescribeReplications --region us-east-1 --input '[1]'") == 2);
  // No credentials anywhere (HOME without ~/.aws, no variables).
  CHECK(exit_of("env -i HOME=/nonexistent " + bin +
                " aws dms DescribeReplications --region us-east-1 --endpoint-url http://127.0.0.1:9") == 2);
  // No region.
  CHECK(exit_of("env -i HOME=/nonexistent AWS_ACCESS_KEY_ID=a AWS_SECRET_ACCESS_KEY=b " + bin +
                " aws dms DescribeReplications") == 2);
  // Missing operation: a command-line error.
  CHECK(exit_of(bin + " aws dms") == 2);
}
