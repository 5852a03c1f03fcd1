// Where the client's credentials, region and endpoints come from, resolved as the AWS SDKs do
// (botocore's credential chain, region lookup and configured-endpoint provider), reading the
// environment through an injectable lookup so tests use temporary files and variables.
#pragma once

#include "harness/aws/client/aws_client.hpp"

#include <map>
#include <optional>
#include <string>

namespace migsim::aws {

// The process environment (getenv).
EnvLookup process_env();

// An INI file as the shared config/credentials files use it: section -> key -> value. Nested
// sub-keys ("s3 =" followed by indented "endpoint_url = ...") become "s3.endpoint_url".
using IniFile = std::map<std::string, std::map<std::string, std::string>>;
IniFile parse_ini(const std::string& text);

// The profile to use: explicit, else AWS_PROFILE (AWS_DEFAULT_PROFILE), else "default".
std::string resolve_profile(const std::string& explicit_profile, const EnvLookup& env);

// The shared files, from AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE or ~/.aws/ (missing -> empty).
IniFile load_credentials_file(const EnvLookup& env);
IniFile load_config_file(const EnvLookup& env);
// A profile's section of the config file ("default" or "profile NAME"; empty when absent).
std::map<std::string, std::string> config_profile(const IniFile& config, const std::string& profile);

// Credentials: the environment (AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY [+ AWS_SESSION_TOKEN]),
// then the credentials file's [profile], then the config file's profile. Returns the source in
// `source` ("env", "shared-credentials-file", "config-file"). nullopt when none; throws
// AwsClientError("PartialCredentials") when only one of key id and secret is set.
std::optional<AwsCredentials> resolve_credentials(const EnvLookup& env, const std::string& profile,
                                                  std::string* source = nullptr);

// Region: explicit, else AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`; "" when none.
std::string resolve_region(const std::string& explicit_region, const EnvLookup& env, const std::string& profile);

// Where a service's calls go and in which region they are signed.
struct ResolvedEndpoint {
  std::string url;             // "https://dms.us-east-1.amazonaws.com" or the configured URL
  std::string signing_region;  // us-east-1 for partition-global services
  std::string source;          // "explicit", "env:AWS_ENDPOINT_URL_DMS", "env:AWS_ENDPOINT_URL",
                               // "config:services", "config:endpoint_url", "aws"
};

// The endpoint of `service` (botocore client name): the explicit URL, then
// AWS_ENDPOINT_URL_<SERVICE_ID>, AWS_ENDPOINT_URL, the config file's services section and
// endpoint_url (all but the explicit one skipped when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true),
// then the real AWS endpoint https://<endpointPrefix>.<region>.amazonaws.com (global services:
// https://<prefix>.amazonaws.com signed in us-east-1; China regions: amazonaws.com.cn).
ResolvedEndpoint resolve_endpoint(const std::string& service, const std::string& explicit_url, const EnvLookup& env,
                                  const std::string& profile, const std::string& region);

}  // namespace migsim::aws
