// The signer against botocore's own SigV4 implementation (installed with boto3) on requests shaped
// like the client's real traffic: a JSON call with a session token, a Route 53 path with an
// encoded '/' and a query (double encoding), an S3 PUT (no normalisation, x-amz-content-sha256)
// and an S3 presigned URL (UNSIGNED-PAYLOAD). Same time, same credentials: same signature.
#include "harness/aws/client/sigv4.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>
#include <stdlib.h>
#include <unistd.h>

namespace {

using nlohmann::json;

// botocore signs each case with the clock pinned to 2025-01-01T02:00:00Z.
const char* kScript = R"(
import datetime, json, sys
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
botocore.auth.get_current_datetime = lambda *a, **k: datetime.datetime(2025, 1, 1, 2, 0, 0)
out = []
for c in json.loads(sys.stdin.read()):
    creds = Credentials(c['key'], c['secret'], c.get('token') or None)
    req = AWSRequest(method=c['method'], url=c['url'], headers=c['headers'], data=c['body'].encode())
    if c.get('presign'):
        botocore.auth.S3SigV4QueryAuth(creds, 's3', c['region'], expires=c['presign']).add_auth(req)
        out.append(req.url)
    else:
        cls = botocore.auth.S3SigV4Auth if c['service'] == 's3' else botocore.auth.SigV4Auth
        cls(creds, c['service'], c['region']).add_auth(req)
        out.append(req.headers['Authorization'])
print(json.dumps(out))
)";

json botocore_sign(const json& cases)
{
  char path[] = "/tmp/migsim_sigv4_XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  const auto text = cases.dump();
  REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  ::close(fd);
  const std::string cmd = "python3 -c \"$(cat <<'PYEOF'\n" + std::string(kScript) + "\nPYEOF\n)\" < " + path;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0)
    out.append(buf, n);
  REQUIRE(::pclose(p) == 0);
  ::unlink(path);
  return json::parse(out);
}

}  // namespace

TEST_CASE("sigv4: same signatures as botocore on the client's kinds of request")
{
  const json cases = json::array({
      {{"key", "AKIDEXAMPLE"}, {"secret", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}, {"token", "FQoGZXIvYXdzEXAMPLE"},
       {"method", "POST"}, {"url", "https://dms.us-east-1.amazonaws.com/"}, {"service", "dms"},
       {"region", "us-east-1"}, {"body", R"({"MaxRecords":20})"},
       {"headers", {{"Content-Type", "application/x-amz-json-1.1"},
                    {"X-Amz-Target", "AmazonDMSv20160101.DescribeReplications"}}}},
      {{"key", "AKIDEXAMPLE"}, {"secret", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}, {"method", "GET"},
       {"url", "https://route53.amazonaws.com/2013-04-01/hostedzone/Z1%2F2/rrset?type=A&name=a%20b.example.com."},
       {"service", "route53"}, {"region", "us-east-1"}, {"body", ""}, {"headers", json::object()}},
      {{"key", "AKIDEXAMPLE"}, {"secret", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}, {"method", "PUT"},
       {"url", "https://s3.eu-west-1.amazonaws.com/bkt/a%20b/../c"}, {"service", "s3"}, {"region", "eu-west-1"},
       {"body", "hello"}, {"headers", {{"Content-Type", "text/plain"}}}},
      {{"key", "AKIDEXAMPLE"}, {"secret", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}, {"method", "GET"},
       {"url", "https://s3.amazonaws.com/bkt/k%2Bx?versionId=3"}, {"service", "s3"}, {"region", "us-east-1"},
       {"body", ""}, {"headers", json::object()}, {"presign", 900}},
  });
  const auto expected = botocore_sign(cases);
  REQUIRE(expected.size() == cases.size());
  std::tm tm{};
  strptime("2025-01-01T02:00:00Z", "%Y-%m-%dT%H:%M:%SZ", &tm);
  const auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    INFO(c["url"]);
    const std::string url = c["url"];
    const auto host_start = url.find("://") + 3, path_start = url.find('/', host_start), q = url.find('?');
    migsim::aws::sigv4::SignableRequest req;
    req.method = c["method"];
    req.path = url.substr(path_start, q == std::string::npos ? std::string::npos : q - path_start);
    req.query = q == std::string::npos ? "" : url.substr(q + 1);
    req.body = c["body"];
    for (const auto& [k, v] : c["headers"].items())
      req.headers.emplace_back(k, v.get<std::string>());
    req.headers.emplace_back("Host", url.substr(host_start, path_start - host_start));
    migsim::aws::sigv4::SigningParams p;
    p.credentials = {c["key"], c["secret"], c.value("token", "")};
    p.region = c["region"];
    p.service = c["service"];
    p.time = when;
    const bool s3 = c["service"] == "s3";
    p.normalize_path = p.double_encode_path = !s3;
    if (c.contains("presign")) {
      p.expires_s = c["presign"];
      p.payload_hash = "UNSIGNED-PAYLOAD";
      migsim::aws::sigv4::presign_query(req, p);
      const std::string want = expected[i];
      const auto sig = [](const std::string& s) { return s.substr(s.find("X-Amz-Signature=")); };
      CHECK(sig(req.query) == sig(want));
    } else {
      p.add_content_sha256 = s3;
      migsim::aws::sigv4::sign_headers(req, p);
      CHECK(req.headers.back().first == "Authorization");
      CHECK(req.headers.back().second == expected[i].get<std::string>());
    }
  }
}
