// Where the AWS client gets credentials, region and endpoints, with temporary shared
// config/credentials files and an injected environment (the process's own is never touched).
#include "harness/aws/client/aws_config.hpp"
#include "harness/aws/client/service_table.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using namespace migsim::aws;

// A temporary HOME with ~/.aws/credentials and ~/.aws/config, and an environment to go with it.
struct FakeHome {
  fs::path dir;
  std::map<std::string, std::string> vars;
  FakeHome()
  {
    char tmpl[] = "/tmp/migsim_awscfg_XXXXXX";
    dir = ::mkdtemp(tmpl);
    fs::create_directories(dir / ".aws");
    vars["HOME"] = dir.string();
  }
  ~FakeHome() { fs::remove_all(dir); }
  void write(const std::string& rel, const std::string& text) const { std::ofstream(dir / rel) << text; }
  EnvLookup env() const
  {
    return [vars = vars](const std::string& n) -> std::optional<std::string> {
      const auto it = vars.find(n);
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }
};

const char* kCredentials = R"(# comment
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = secretdefault

[ops]
aws_access_key_id=AKIDOPS
aws_secret_access_key=secretops
aws_session_token = tokenops
)";

const char* kConfig = R"([default]
region = eu-west-1

[profile ops]
region = sa-east-1
services = local

[profile cfgonly]
aws_access_key_id = AKIDCFG
aws_secret_access_key = secretcfg
endpoint_url = http://127.0.0.1:9999

[services local]
database_migration_service =
  endpoint_url = http://localhost:4566
elastic_load_balancing_v2 =
  endpoint_url = http://localhost:5000
)";

}  // namespace

TEST_CASE("aws config: environment credentials come first, with the session token")
{
  FakeHome h;
  h.write(".aws/credentials", kCredentials);
  h.vars["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  h.vars["AWS_SECRET_ACCESS_KEY"] = "secretenv";
  h.vars["AWS_SESSION_TOKEN"] = "tokenenv";
  std::string source;
  const auto c = resolve_credentials(h.env(), "default", &source);
  REQUIRE(c);
  CHECK(c->access_key_id == "AKIDENV");
  CHECK(c->secret_access_key == "secretenv");
  CHECK(c->session_token == "tokenenv");
  CHECK(source == "env");
  // Only half of the pair is an error, not a silent fall-through to the files.
  h.vars.erase("AWS_SECRET_ACCESS_KEY");
  CHECK_THROWS_AS(resolve_credentials(h.env(), "default"), AwsClientError);
}

TEST_CASE("aws config: the shared credentials file, by AWS_PROFILE, then the config file")
{
  FakeHome h;
  h.write(".aws/credentials", kCredentials);
  h.write(".aws/config", kConfig);
  std::string source;
  auto c = resolve_credentials(h.env(), resolve_profile("", h.env()), &source);
  REQUIRE(c);
  CHECK(c->access_key_id == "AKIDDEFAULT");
  CHECK(c->session_token.empty());
  CHECK(source == "shared-credentials-file");

  h.vars["AWS_PROFILE"] = "ops";
  CHECK(resolve_profile("", h.env()) == "ops");
  CHECK(resolve_profile("cfgonly", h.env()) == "cfgonly");  // explicit beats AWS_PROFILE
  c = resolve_credentials(h.env(), resolve_profile("", h.env()));
  REQUIRE(c);
  CHECK(c->access_key_id == "AKIDOPS");
  CHECK(c->session_token == "tokenops");

  c = resolve_credentials(h.env(), "cfgonly", &source);
  REQUIRE(c);
  CHECK(c->access_key_id == "AKIDCFG");
  CHECK(source == "config-file");
  CHECK_FALSE(resolve_credentials(h.env(), "nosuchprofile").has_value());
}

TEST_CASE("aws config: AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE move the files")
{
  FakeHome h;
  h.write("creds.ini", "[default]\naws_access_key_id = AKIDMOVED\naws_secret_access_key = s\n");
  h.write("conf.ini", "[default]\nregion = ap-south-1\n");
  h.write(".aws/config", kConfig);  // ignored once AWS_CONFIG_FILE is set
  h.vars["AWS_SHARED_CREDENTIALS_FILE"] = (h.dir / "creds.ini").string();
  h.vars["AWS_CONFIG_FILE"] = "~/conf.ini";
  CHECK(resolve_credentials(h.env(), "default")->access_key_id == "AKIDMOVED");
  CHECK(resolve_region("", h.env(), "default") == "ap-south-1");
}

TEST_CASE("aws config: region from explicit, AWS_REGION, AWS_DEFAULT_REGION, then the profile")
{
  FakeHome h;
  h.write(".aws/config", kConfig);
  CHECK(resolve_region("", h.env(), "default") == "eu-west-1");
  CHECK(resolve_region("", h.env(), "ops") == "sa-east-1");
  CHECK(resolve_region("", h.env(), "cfgonly") == "");
  h.vars["AWS_DEFAULT_REGION"] = "us-west-1";
  CHECK(resolve_region("", h.env(), "ops") == "us-west-1");
  h.vars["AWS_REGION"] = "us-west-2";
  CHECK(resolve_region("", h.env(), "ops") == "us-west-2");
  CHECK(resolve_region("ca-central-1", h.env(), "ops") == "ca-central-1");
}

TEST_CASE("aws config: endpoint order is explicit, per-service variable, AWS_ENDPOINT_URL, config, AWS")
{
  FakeHome h;
  h.write(".aws/config", kConfig);
  const auto env = [&] { return h.env(); };
  // The real AWS endpoints, as botocore builds them.
  CHECK(resolve_endpoint("dms", "", env(), "default", "eu-west-1").url == "https://dms.eu-west-1.amazonaws.com");
  CHECK(resolve_endpoint("elbv2", "", env(), "default", "eu-west-1").url ==
        "https://elasticloadbalancing.eu-west-1.amazonaws.com");
  CHECK(resolve_endpoint("cloudwatch", "", env(), "default", "eu-west-1").url ==
        "https://monitoring.eu-west-1.amazonaws.com");
  const auto r53 = resolve_endpoint("route53", "", env(), "default", "eu-west-1");
  CHECK(r53.url == "https://route53.amazonaws.com");
  CHECK(r53.signing_region == "us-east-1");
  CHECK(resolve_endpoint("sts", "", env(), "default", "eu-west-1").url == "https://sts.eu-west-1.amazonaws.com");
  CHECK(resolve_endpoint("s3", "", env(), "default", "us-east-1").url == "https://s3.amazonaws.com");
  CHECK(resolve_endpoint("dms", "", env(), "default", "cn-north-1").url == "https://dms.cn-north-1.amazonaws.com.cn");

  // Profile-level endpoint_url, then the services section.
  CHECK(resolve_endpoint("dms", "", env(), "cfgonly", "eu-west-1").url == "http://127.0.0.1:9999");
  auto e = resolve_endpoint("dms", "", env(), "ops", "eu-west-1");
  CHECK(e.url == "http://localhost:4566");
  CHECK(e.source == "config:services");
  CHECK(resolve_endpoint("elbv2", "", env(), "ops", "eu-west-1").url == "http://localhost:5000");
  CHECK(resolve_endpoint("mgn", "", env(), "ops", "eu-west-1").url == "https://mgn.eu-west-1.amazonaws.com");

  h.vars["AWS_ENDPOINT_URL"] = "http://global:1";
  CHECK(resolve_endpoint("dms", "", env(), "ops", "eu-west-1").url == "http://global:1");
  h.vars["AWS_ENDPOINT_URL_DATABASE_MIGRATION_SERVICE"] = "http://dms-only:2";
  h.vars["AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2"] = "http://elbv2-only:3";
  h.vars["AWS_ENDPOINT_URL_ROUTE_53"] = "http://r53-only:4";
  e = resolve_endpoint("dms", "", env(), "ops", "eu-west-1");
  CHECK(e.url == "http://dms-only:2");
  CHECK(e.source == "env:AWS_ENDPOINT_URL_DATABASE_MIGRATION_SERVICE");
  CHECK(resolve_endpoint("elbv2", "", env(), "ops", "eu-west-1").url == "http://elbv2-only:3");
  CHECK(resolve_endpoint("route53", "", env(), "ops", "eu-west-1").url == "http://r53-only:4");
  CHECK(resolve_endpoint("mgn", "", env(), "ops", "eu-west-1").url == "http://global:1");
  // An explicit --endpoint-url wins over everything; configured endpoints are signed in the
  // configured region.
  e = resolve_endpoint("dms", "http://explicit:5", env(), "ops", "eu-west-1");
  CHECK(e.url == "http://explicit:5");
  CHECK(e.signing_region == "eu-west-1");
  // AWS_IGNORE_CONFIGURED_ENDPOINT_URLS drops variables and config, not the explicit URL.
  h.vars["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
  CHECK(resolve_endpoint("dms", "", env(), "ops", "eu-west-1").url == "https://dms.eu-west-1.amazonaws.com");
  CHECK(resolve_endpoint("dms", "http://explicit:5", env(), "ops", "eu-west-1").url == "http://explicit:5");
}

TEST_CASE("aws config: per-service variable names follow the SDKs' service-id rule")
{
  CHECK(endpoint_env_var(find_service_endpoint("elbv2")->service_id) == "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2");
  CHECK(endpoint_env_var(find_service_endpoint("route53")->service_id) == "AWS_ENDPOINT_URL_ROUTE_53");
  CHECK(endpoint_env_var(find_service_endpoint("dms")->service_id) == "AWS_ENDPOINT_URL_DATABASE_MIGRATION_SERVICE");
  CHECK(endpoint_env_var(find_service_endpoint("autoscaling")->service_id) == "AWS_ENDPOINT_URL_AUTO_SCALING");
  CHECK(endpoint_env_var(find_service_endpoint("logs")->service_id) == "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS");
  CHECK(endpoint_env_var(find_service_endpoint("mgn")->service_id) == "AWS_ENDPOINT_URL_MGN");
}

TEST_CASE("aws config: INI parsing keeps sections, trims, skips comments and nests sub-keys")
{
  const auto ini = parse_ini("; c\n[ a ]\nk = v  \r\n# c\nn =\n  x = 1\n  y=2\nz = 3\n[b]\nk=w\n");
  CHECK(ini.at("a").at("k") == "v");
  CHECK(ini.at("a").at("n.x") == "1");
  CHECK(ini.at("a").at("n.y") == "2");
  CHECK(ini.at("a").at("z") == "3");
  CHECK(ini.at("b").at("k") == "w");
}
