// The request handler of `migsim serve` is a function of a request (no socket): one request per AWS
// protocol through handle_request, on the lift-and-shift scenario, its answer checked in that
// protocol's shape (status, content type, body, error shape). The same requests over HTTP with real
// clients are tests/e2e/test_serve*.py.
#include "harness/run/run_command.hpp"
#include "harness/serve/core/router.hpp"

#include <catch2/catch.hpp>

using namespace migsim;
using namespace migsim::harness::serve;
using nlohmann::json;

namespace {

// A request signed (in shape: the endpoint does not check signatures) for `service` in `region`.
Request signed_request(http::verb verb, const std::string& target, const std::string& service,
                       const std::string& region = "us-east-1")
{
  Request req{verb, target, 11};
  req.set(http::field::host, "localhost:4566");
  req.set(http::field::authorization, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/" + region + "/" + service +
                                          "/aws4_request, SignedHeaders=host;x-amz-date, Signature=0");
  return req;
}

Request with_body(Request req, const std::string& content_type, const std::string& body)
{
  req.set(http::field::content_type, content_type);
  req.body() = body;
  req.prepare_payload();
  return req;
}

struct Endpoint {
  sim::Scenario sc = harness::load_scenario(std::string(MIGSIM_SOURCE_DIR) + "/scenarios/lift-and-shift-cutover.json");
  harness::Simulation sim{sc};
  ServeContext ctx{sim};
  Response call(const Request& req) { return handle_request(req, ctx); }
};

std::string header(const Response& res, const std::string& name)
{
  auto it = res.find(name);
  return it == res.end() ? "" : std::string(it->value());
}

}  // namespace

TEST_CASE("handle_request: json 1.1 (DMS) answers and errors in the json shape", "[serve][protocol]")
{
  Endpoint e;
  Request req = signed_request(http::verb::post, "/", "dms");
  req.set("X-Amz-Target", "AmazonDMSv20160101.DescribeEndpoints");
  Response res = e.call(with_body(req, "application/x-amz-json-1.1", "{}"));
  REQUIRE(res.result_int() == 200);
  const json out = json::parse(res.body());
  REQUIRE(out.contains("Endpoints"));
  CHECK(!out["Endpoints"].empty());  // the scenario's source and target endpoints
  CHECK(!header(res, "x-amzn-RequestId").empty());
  CHECK(!header(res, "Date").empty());

  Request bad = signed_request(http::verb::post, "/", "dms");
  bad.set("X-Amz-Target", "AmazonDMSv20160101.DescribeEndpoints");
  res = e.call(with_body(bad, "application/x-amz-json-1.1", R"({"Filters": [{"Name": "no-such-filter", "Values": ["x"]}]})"));
  CHECK(res.result_int() == 400);
  CHECK(json::parse(res.body()).value("__type", std::string()).find("InvalidParameterValue") != std::string::npos);
}

TEST_CASE("handle_request: json 1.0 and smithy-rpc-v2-cbor (CloudWatch)", "[serve][protocol]")
{
  Endpoint e;
  Request req = signed_request(http::verb::post, "/", "monitoring");
  req.set("X-Amz-Target", "GraniteServiceVersion20100801.ListMetrics");
  Response res = e.call(with_body(req, "application/x-amz-json-1.0", "{}"));
  REQUIRE(res.result_int() == 200);
  CHECK(json::parse(res.body()).contains("Metrics"));

  Request cbor = signed_request(http::verb::post, "/service/GraniteServiceVersion20100801/operation/ListMetrics", "monitoring");
  cbor.set("smithy-protocol", "rpc-v2-cbor");
  cbor.set(http::field::accept, "application/cbor");
  res = e.call(with_body(cbor, "application/cbor", std::string(1, '\xa0')));  // {} in CBOR
  REQUIRE(res.result_int() == 200);
  CHECK(header(res, "Content-Type") == "application/cbor");
  CHECK(header(res, "smithy-protocol") == "rpc-v2-cbor");
  REQUIRE(!res.body().empty());
  CHECK((static_cast<unsigned char>(res.body()[0]) & 0xe0) == 0xa0);  // a CBOR map
}

TEST_CASE("handle_request: rest-json (MGN, EKS) answers and errors", "[serve][protocol]")
{
  Endpoint e;
  Response res = e.call(with_body(signed_request(http::verb::post, "/DescribeSourceServers", "mgn"), "application/json", "{}"));
  REQUIRE(res.result_int() == 200);
  CHECK(json::parse(res.body()).contains("items"));

  res = e.call(signed_request(http::verb::get, "/clusters/no-such-cluster", "eks"));
  CHECK(res.result_int() == 404);
  CHECK((header(res, "x-amzn-ErrorType").find("ResourceNotFoundException") == 0 ||
         res.body().find("ResourceNotFoundException") != std::string::npos));
}

TEST_CASE("handle_request: query (STS) answers in XML with the account", "[serve][protocol]")
{
  Endpoint e;
  Response res = e.call(with_body(signed_request(http::verb::post, "/", "sts"), "application/x-www-form-urlencoded",
                                  "Action=GetCallerIdentity&Version=2011-06-15"));
  REQUIRE(res.result_int() == 200);
  CHECK(res.body().find("<GetCallerIdentityResponse") != std::string::npos);
  CHECK(res.body().find("<Account>000000000000</Account>") != std::string::npos);

  res = e.call(with_body(signed_request(http::verb::post, "/", "sts"), "application/x-www-form-urlencoded",
                         "Action=NoSuchOperation&Version=2011-06-15"));
  CHECK(res.result_int() >= 400);
  CHECK(res.body().find("<ErrorResponse") != std::string::npos);
}

TEST_CASE("handle_request: rest-xml (Route 53) lists zones and answers NoSuchHostedZone", "[serve][protocol]")
{
  Endpoint e;
  Response res = e.call(signed_request(http::verb::get, "/2013-04-01/hostedzone", "route53"));
  REQUIRE(res.result_int() == 200);
  CHECK(res.body().find("<ListHostedZonesResponse") != std::string::npos);

  res = e.call(signed_request(http::verb::get, "/2013-04-01/hostedzone/ZNOSUCHZONE", "route53"));
  CHECK(res.result_int() >= 400);
  CHECK(res.body().find("<Code>NoSuchHostedZone</Code>") != std::string::npos);
}

TEST_CASE("handle_request: ec2 (launch templates) answers with requestId and the Response/Errors shape", "[serve][protocol]")
{
  Endpoint e;
  Response res = e.call(with_body(signed_request(http::verb::post, "/", "ec2"), "application/x-www-form-urlencoded",
                                  "Action=DescribeLaunchTemplates&Version=2016-11-15"));
  REQUIRE(res.result_int() == 200);
  CHECK(res.body().find("<DescribeLaunchTemplatesResponse") != std::string::npos);
  CHECK(res.body().find("<requestId>") != std::string::npos);

  res = e.call(with_body(signed_request(http::verb::post, "/", "ec2"), "application/x-www-form-urlencoded",
                         "Action=DescribeLaunchTemplates&Version=2016-11-15&LaunchTemplateName.1=no-such-template"));
  CHECK(res.result_int() == 400);
  CHECK(res.body().find("<Response><Errors><Error><Code>") != std::string::npos);
}
