// CBOR (RFC 8949) against the examples of its appendix A, and the smithy-rpc-v2-cbor protocol of
// the AWS codec against the bytes botocore 1.43's RpcV2CBORSerializer sends (captured with
// botocore.serialize.create_serializer("smithy-rpc-v2-cbor"); tests/e2e/test_serve_cloudwatch_cbor.py
// drives the same paths with boto3 and the AWS CLI themselves).
#include "harness/aws/protocol/cbor.hpp"
#include "harness/aws/protocol/codec.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using migsim::aws::AwsError;
using migsim::aws::json;
using migsim::aws::Protocol;
using migsim::aws::WireRequest;
namespace aws = migsim::aws;
namespace cbor = migsim::aws::cbor;

namespace {

std::string unhex(const std::string& h)
{
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out += static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16));
  return out;
}

std::string hex(const std::string& b)
{
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : b) {
    out += d[c >> 4];
    out += d[c & 15];
  }
  return out;
}

json bin(const std::string& bytes) { return json::binary(std::vector<uint8_t>(bytes.begin(), bytes.end())); }

// RFC 8949 appendix A: (encoding, diagnostic value as JSON, whether the encoding is the preferred
// serialization our encoder must produce).
struct Example {
  const char* hex;
  const char* value;
  bool preferred;
};

const Example kExamples[] = {
    {"00", "0", true}, {"01", "1", true}, {"0a", "10", true}, {"17", "23", true}, {"1818", "24", true},
    {"1819", "25", true}, {"1864", "100", true}, {"1903e8", "1000", true}, {"1a000f4240", "1000000", true},
    {"1b000000e8d4a51000", "1000000000000", true}, {"1bffffffffffffffff", "18446744073709551615", true},
    {"20", "-1", true}, {"29", "-10", true}, {"3863", "-100", true}, {"3903e7", "-1000", true},
    {"f90000", "0.0", true}, {"f98000", "-0.0", true}, {"f93c00", "1.0", true}, {"fb3ff199999999999a", "1.1", true},
    {"f93e00", "1.5", true}, {"f97bff", "65504.0", true}, {"fa47c35000", "100000.0", true},
    {"fa7f7fffff", "3.4028234663852886e+38", true}, {"fb7e37e43c8800759c", "1.0e+300", true},
    {"f90001", "5.960464477539063e-8", true}, {"f90400", "0.00006103515625", true}, {"f9c400", "-4.0", true},
    {"fbc010666666666666", "-4.1", true}, {"f4", "false", true}, {"f5", "true", true}, {"f6", "null", true},
    {"f7", "null", false},  // undefined
    {"c074323031332d30332d32315432303a30343a30305a", "\"2013-03-21T20:04:00Z\"", false},
    {"c11a514b67b0", "1363896240", false}, {"c1fb41d452d9ec200000", "1363896240.5", false},
    {"d82076687474703a2f2f7777772e6578616d706c652e636f6d", "\"http://www.example.com\"", false},
    {"60", "\"\"", true}, {"6161", "\"a\"", true}, {"6449455446", "\"IETF\"", true}, {"62225c", "\"\\\"\\\\\"", true},
    {"62c3bc", "\"\\u00fc\"", true}, {"63e6b0b4", "\"\\u6c34\"", true}, {"64f0908591", "\"\\ud800\\udd51\"", true},
    {"80", "[]", true}, {"83010203", "[1,2,3]", true}, {"8301820203820405", "[1,[2,3],[4,5]]", true},
    {"98190102030405060708090a0b0c0d0e0f101112131415161718181819",
     "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25]", true},
    {"a0", "{}", true}, {"a201020304", "{\"1\":2,\"3\":4}", false}, {"a26161016162820203", "{\"a\":1,\"b\":[2,3]}", true},
    {"826161a161626163", "[\"a\",{\"b\":\"c\"}]", true},
    {"a56161614161626142616361436164614461656145", "{\"a\":\"A\",\"b\":\"B\",\"c\":\"C\",\"d\":\"D\",\"e\":\"E\"}", true},
    {"7f657374726561646d696e67ff", "\"streaming\"", false}, {"9fff", "[]", false},
    {"9f018202039f0405ffff", "[1,[2,3],[4,5]]", false}, {"9f01820203820405ff", "[1,[2,3],[4,5]]", false},
    {"83018202039f0405ff", "[1,[2,3],[4,5]]", false}, {"83019f0203ff820405", "[1,[2,3],[4,5]]", false},
    {"9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff",
     "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25]", false},
    {"bf61610161629f0203ffff", "{\"a\":1,\"b\":[2,3]}", false}, {"826161bf61626163ff", "[\"a\",{\"b\":\"c\"}]", false},
    {"bf6346756ef563416d7421ff", "{\"Fun\":true,\"Amt\":-2}", false},
};

}  // namespace

TEST_CASE("cbor: RFC 8949 appendix A examples decode to their values")
{
  for (const Example& e : kExamples) {
    INFO(e.hex << " -> " << e.value);
    const json got = cbor::decode(unhex(e.hex));
    const json want = json::parse(e.value);
    CHECK(got == want);
    if (want.is_number_float())
      CHECK(std::signbit(got.get<double>()) == std::signbit(want.get<double>()));
  }
  // Infinity and NaN in half, single and double; byte strings, also in chunks and under tags.
  for (const char* h : {"f97c00", "fa7f800000", "fb7ff0000000000000"})
    CHECK(cbor::decode(unhex(h)).get<double>() == std::numeric_limits<double>::infinity());
  for (const char* h : {"f9fc00", "faff800000", "fbfff0000000000000"})
    CHECK(cbor::decode(unhex(h)).get<double>() == -std::numeric_limits<double>::infinity());
  for (const char* h : {"f97e00", "fa7fc00000", "fb7ff8000000000000"})
    CHECK(std::isnan(cbor::decode(unhex(h)).get<double>()));
  CHECK(cbor::decode(unhex("40")) == bin(""));
  CHECK(cbor::decode(unhex("4401020304")) == bin(unhex("01020304")));
  CHECK(cbor::decode(unhex("5f42010243030405ff")) == bin(unhex("0102030405")));
  CHECK(cbor::decode(unhex("d74401020304")) == bin(unhex("01020304")));
  CHECK(cbor::decode(unhex("d818456449455446")) == bin(unhex("6449455446")));
  CHECK(cbor::decode(unhex("3bffffffffffffffff")).get<double>() == -18446744073709551616.0);
}

TEST_CASE("cbor: preferred serialization reproduces appendix A, values round trip")
{
  for (const Example& e : kExamples) {
    if (!e.preferred)
      continue;
    INFO(e.value);
    const json v = json::parse(e.value);
    CHECK(hex(cbor::encode(v)) == e.hex);
    CHECK(cbor::decode(cbor::encode(v)) == v);
  }
  CHECK(hex(cbor::encode(std::numeric_limits<double>::infinity())) == "f97c00");
  CHECK(hex(cbor::encode(-std::numeric_limits<double>::infinity())) == "f9fc00");
  CHECK(hex(cbor::encode(std::numeric_limits<double>::quiet_NaN())) == "f97e00");
  CHECK(hex(cbor::encode(bin(unhex("01020304")))) == "4401020304");
  cbor::Writer w;
  w.tag(1);
  w.integer(1363896240);
  CHECK(hex(w.bytes_written()) == "c11a514b67b0");
  // Values of every kind and size survive encode -> decode (and nlohmann's own reader agrees).
  const json mixed = {{"ints", {0, 23, 24, 255, 256, 65535, 65536, 4294967295LL, 4294967296LL, -24, -25, -256, -257,
                                std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}},
                      {"floats", {0.1, 1e-7, 3.0e38, 1e39, -2.5, 6.103515625e-05}},
                      {"text", std::string(300, 'x')},
                      {"nested", {{"a", json::array()}, {"b", {{"c", nullptr}, {"d", true}}}}}};
  CHECK(cbor::decode(cbor::encode(mixed)) == mixed);
  CHECK(json::from_cbor(cbor::encode(mixed)) == mixed);
  CHECK(cbor::decode(std::string(reinterpret_cast<const char*>(json::to_cbor(mixed).data()), json::to_cbor(mixed).size())) ==
        mixed);
}

TEST_CASE("cbor: malformed input is refused with the offset")
{
  for (const char* h : {"", "18", "1c", "62c3", "9f01", "a161", "ff", "5f6161ff", "f818", "c2420100", "8201", "0000"})
    CHECK_THROWS_AS(cbor::decode(unhex(h)), cbor::Error);
  CHECK_THROWS_WITH(cbor::decode(unhex("83010203ff")), Catch::Contains("1 bytes after"));
  CHECK_THROWS_AS(cbor::decode(std::string(1000, '\x81') + "\x01"), cbor::Error);  // nesting 1000 deep
}

TEST_CASE("rpc-v2-cbor: botocore's GetMetricStatistics request parses to the input")
{
  // botocore 1.43 RpcV2CBORSerializer, GetMetricStatistics(Namespace="AWS/EC2", MetricName="CPUUtilization",
  // Dimensions=[{Name: InstanceId, Value: web}], StartTime=2025-01-01T00:00Z, EndTime=+10 min, Period=300,
  // Statistics=["Average"]).
  WireRequest req{"POST", "/service/GraniteServiceVersion20100801/operation/GetMetricStatistics", {},
                  unhex("a7694e616d657370616365674157532f4543326a4d65747269634e616d656e4350555574696c697a6174696f6e6a"
                        "44696d656e73696f6e7381a2644e616d656a496e7374616e636549646556616c75656377656269537461727454"
                        "696d65c11a6774858067456e6454696d65c11a677487d866506572696f6419012c6a5374617469737469637381"
                        "6741766572616765")};
  req.headers["smithy-protocol"] = "rpc-v2-cbor";
  req.headers["Content-Type"] = "application/cbor";
  CHECK(aws::identify_service(req) == "cloudwatch");  // unsigned: by the path
  CHECK(aws::request_protocol("cloudwatch", req) == Protocol::rpc_v2_cbor);
  CHECK(aws::operation_of("cloudwatch", req) == "GetMetricStatistics");
  const aws::ParsedRequest p = aws::parse_request("cloudwatch", req);
  CHECK(p.protocol == Protocol::rpc_v2_cbor);
  CHECK(p.input == json{{"Namespace", "AWS/EC2"}, {"MetricName", "CPUUtilization"},
                        {"Dimensions", {{{"Name", "InstanceId"}, {"Value", "web"}}}}, {"StartTime", 1735689600},
                        {"EndTime", 1735690200}, {"Period", 300}, {"Statistics", {"Average"}}});
  // Our client's encoding of the same input is read back identically.
  const WireRequest ours = aws::serialize_request("cloudwatch", "GetMetricStatistics", p.input, Protocol::rpc_v2_cbor);
  CHECK(ours.target == req.target);
  CHECK(ours.headers.at("smithy-protocol") == "rpc-v2-cbor");
  CHECK(ours.body.size() == req.body.size());  // same items, same head sizes (key order may differ)
  CHECK(aws::parse_request("cloudwatch", ours).input == p.input);
  // migsim's own client keeps json for CloudWatch (moto 5.2 reads no CBOR).
  CHECK(aws::find_service("cloudwatch")->protocol == Protocol::json);
}

TEST_CASE("rpc-v2-cbor: responses tag timestamps, errors carry __type, bad input is SerializationException")
{
  const json out = {{"Label", "CPUUtilization"},
                    {"Datapoints", {{{"Timestamp", 1735689600}, {"Average", 12.5}, {"Unit", "Percent"}},
                                    {{"Timestamp", 1735689900.25}, {"Average", 3}, {"Unit", "Percent"}}}}};
  const auto res = aws::serialize_response("cloudwatch", "GetMetricStatistics", out, "req-1", Protocol::rpc_v2_cbor);
  CHECK(res.headers.at("Content-Type") == "application/cbor");
  CHECK(res.headers.at("smithy-protocol") == "rpc-v2-cbor");
  CHECK(res.body.find(unhex("6954696d657374616d70c11a67748580")) != std::string::npos);  // "Timestamp": 1(1735689600)
  CHECK(res.body.find(unhex("6954696d657374616d70c1fb")) != std::string::npos);         // 1(1735689900.25) as a double
  CHECK(res.body.find(unhex("6741766572616765f94200")) != std::string::npos);           // "Average": 3.0 as a half
  const auto parsed = aws::parse_response("cloudwatch", "GetMetricStatistics", res.status, res.headers, res.body,
                                          Protocol::rpc_v2_cbor);
  REQUIRE(parsed.ok());
  CHECK(parsed.output == out);

  const auto err = aws::serialize_error("cloudwatch", AwsError("ResourceNotFound", "no alarm x", 404), "req-2",
                                        Protocol::rpc_v2_cbor);
  CHECK(err.status == 404);
  CHECK(cbor::decode(err.body) == json{{"__type", "ResourceNotFound"}, {"message", "no alarm x"}});
  const auto e = aws::parse_response("cloudwatch", "SetAlarmState", err.status, err.headers, err.body, Protocol::rpc_v2_cbor);
  REQUIRE(e.error);
  CHECK(e.error->code == "ResourceNotFound");
  CHECK(e.error->message == "no alarm x");

  WireRequest bad{"POST", "/service/GraniteServiceVersion20100801/operation/ListMetrics", {}, unhex("a1616162")};
  try {
    aws::parse_request("cloudwatch", bad);
    FAIL("truncated CBOR accepted");
  } catch (const AwsError& x) {
    CHECK(x.code == "SerializationException");
  }
  bad.body = cbor::encode(json{{"Namespace", 5}});
  try {
    aws::parse_request("cloudwatch", bad);
    FAIL("a number for a string accepted");
  } catch (const AwsError& x) {
    CHECK(x.code == "SerializationException");
  }
  bad.body = cbor::encode(json{{"MetricName", "x"}});
  bad.target = "/service/GraniteServiceVersion20100801/operation/GetMetricStatistics";
  try {
    aws::parse_request("cloudwatch", bad);
    FAIL("missing Namespace accepted");
  } catch (const AwsError& x) {
    CHECK(x.code == "ValidationException");
  }
  bad.target = "/service/GraniteServiceVersion20100801/operation/NoSuchOp";
  try {
    aws::parse_request("cloudwatch", bad);
    FAIL("unknown operation accepted");
  } catch (const AwsError& x) {
    CHECK(x.code == "UnknownOperationException");
    CHECK(x.status == 404);
  }
}
