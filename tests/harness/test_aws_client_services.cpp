// The client's service table against the installed botocore (the AWS SDK for Python that the
// project's other tests drive the mock endpoint with): serviceId, endpointPrefix, signing name,
// protocol, the AWS_ENDPOINT_URL_<SERVICE> name and the real endpoint URL of every row must be
// what botocore itself says.
#include "harness/aws/client/aws_config.hpp"
#include "harness/aws/client/service_table.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

namespace {

// Runs a command and returns its standard output.
std::string capture(const std::string& cmd)
{
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0)
    out.append(buf, n);
  REQUIRE(::pclose(p) == 0);
  return out;
}

}  // namespace

TEST_CASE("aws client: the service table matches botocore's models and endpoint rules")
{
  std::string names;
  for (const auto& s : migsim::aws::service_table())
    names += (names.empty() ? "" : ",") + s.name;
  const std::string script = R"(
import json, sys, boto3, botocore.session
from botocore.configprovider import ConfiguredEndpointProvider
out = {}
sess = botocore.session.get_session()
for name in sys.argv[1].split(','):
    m = sess.get_service_model(name)
    row = {'service_id': m.metadata['serviceId'], 'endpoint_prefix': m.metadata['endpointPrefix'],
           'signing_name': m.signing_name, 'protocols': m.metadata.get('protocols', [m.metadata['protocol']]),
           'env_var': ConfiguredEndpointProvider(full_config={}, scoped_config={}, client_name=name,
                                                 environ={})._get_service_env_var_name()}
    for region in ('eu-west-1', 'us-east-1'):
        c = boto3.client(name, region_name=region, aws_access_key_id='a', aws_secret_access_key='b')
        row['url_' + region] = c.meta.endpoint_url
    out[name] = row
print(json.dumps(out))
)";
  const auto doc = nlohmann::json::parse(capture("python3 -c \"$(cat <<'PYEOF'\n" + script + "\nPYEOF\n)\" " + names));
  REQUIRE(doc.size() == migsim::aws::service_table().size());
  const auto none = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  for (const auto& s : migsim::aws::service_table()) {
    INFO(s.name);
    const auto& b = doc.at(s.name);
    CHECK(s.service_id == b["service_id"]);
    CHECK(s.endpoint_prefix == b["endpoint_prefix"]);
    CHECK(s.signing_name == b["signing_name"]);
    CHECK(std::find(b["protocols"].begin(), b["protocols"].end(), s.protocol) != b["protocols"].end());
    CHECK(migsim::aws::endpoint_env_var(s.service_id) == b["env_var"]);
    for (const char* region : {"eu-west-1", "us-east-1"})
      CHECK(migsim::aws::resolve_endpoint(s.name, "", none, "default", region).url ==
            b["url_" + std::string(region)].get<std::string>());
  }
}
