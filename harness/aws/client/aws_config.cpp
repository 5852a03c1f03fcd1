// Credential, region and endpoint resolution (see aws_config.hpp).
#include "harness/aws/client/aws_config.hpp"

#include "harness/aws/client/service_table.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace migsim::aws {
namespace {

std::string trim(const std::string& s)
{
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos)
    return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// A non-empty variable's value.
std::optional<std::string> get(const EnvLookup& env, const std::string& name)
{
  auto v = env(name);
  if (v && v->empty())
    return std::nullopt;
  return v;
}

// "~/x" -> "$HOME/x".
std::string expand_home(const std::string& path, const EnvLookup& env)
{
  if (path.rfind("~/", 0) == 0 || path == "~")
    return get(env, "HOME").value_or("") + path.substr(1);
  return path;
}

IniFile load_ini(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return {};
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_ini(ss.str());
}

std::map<std::string, std::string> section(const IniFile& f, const std::string& name)
{
  const auto it = f.find(name);
  return it == f.end() ? std::map<std::string, std::string>{} : it->second;
}

bool truthy(const std::optional<std::string>& v) { return v && lower(trim(*v)) == "true"; }

}  // namespace

EnvLookup process_env()
{
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
}

IniFile parse_ini(const std::string& text)
{
  IniFile out;
  std::istringstream in(text);
  std::string line, current, parent_key;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    const auto t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';')
      continue;
    if (t.front() == '[' && t.back() == ']') {
      current = trim(t.substr(1, t.size() - 2));
      out[current];
      parent_key.clear();
      continue;
    }
    const auto eq = t.find('=');
    if (eq == std::string::npos || current.empty())
      continue;
    const auto key = trim(t.substr(0, eq)), value = trim(t.substr(eq + 1));
    const bool indented = line[0] == ' ' || line[0] == '\t';
    if (indented && !parent_key.empty()) {
      out[current][parent_key + "." + key] = value;
      continue;
    }
    out[current][key] = value;
    parent_key = value.empty() ? key : "";
  }
  return out;
}

std::string resolve_profile(const std::string& explicit_profile, const EnvLookup& env)
{
  if (!explicit_profile.empty())
    return explicit_profile;
  if (auto p = get(env, "AWS_PROFILE"))
    return *p;
  if (auto p = get(env, "AWS_DEFAULT_PROFILE"))
    return *p;
  return "default";
}

IniFile load_credentials_file(const EnvLookup& env)
{
  return load_ini(expand_home(get(env, "AWS_SHARED_CREDENTIALS_FILE").value_or("~/.aws/credentials"), env));
}

IniFile load_config_file(const EnvLookup& env)
{
  return load_ini(expand_home(get(env, "AWS_CONFIG_FILE").value_or("~/.aws/config"), env));
}

std::map<std::string, std::string> config_profile(const IniFile& config, const std::string& profile)
{
  auto s = section(config, "profile " + profile);
  if (s.empty() && profile == "default")
    s = section(config, "default");
  return s;
}

std::optional<AwsCredentials> resolve_credentials(const EnvLookup& env, const std::string& profile,
                                                  std::string* source)
{
  const auto key = get(env, "AWS_ACCESS_KEY_ID"), secret = get(env, "AWS_SECRET_ACCESS_KEY");
  if (key && secret) {
    if (source)
      *source = "env";
    return AwsCredentials{*key, *secret, get(env, "AWS_SESSION_TOKEN").value_or("")};
  }
  if (key || secret)
    throw AwsClientError("PartialCredentials", std::string("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be "
                                                           "set; only ") +
                                                   (key ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") + " is");
  auto from = [&](const std::map<std::string, std::string>& s, const char* where) -> std::optional<AwsCredentials> {
    const auto k = s.find("aws_access_key_id"), v = s.find("aws_secret_access_key");
    if (k == s.end() && v == s.end())
      return std::nullopt;
    if (k == s.end() || v == s.end() || k->second.empty() || v->second.empty())
      throw AwsClientError("PartialCredentials", std::string("profile ") + profile + " in the " + where +
                                                     " needs both aws_access_key_id and aws_secret_access_key");
    const auto t = s.find("aws_session_token");
    if (source)
      *source = where;
    return AwsCredentials{k->second, v->second, t == s.end() ? "" : t->second};
  };
  if (auto c = from(section(load_credentials_file(env), profile), "shared-credentials-file"))
    return c;
  return from(config_profile(load_config_file(env), profile), "config-file");
}

std::string resolve_region(const std::string& explicit_region, const EnvLookup& env, const std::string& profile)
{
  if (!explicit_region.empty())
    return explicit_region;
  if (auto r = get(env, "AWS_REGION"))
    return *r;
  if (auto r = get(env, "AWS_DEFAULT_REGION"))
    return *r;
  const auto p = config_profile(load_config_file(env), profile);
  const auto it = p.find("region");
  return it == p.end() ? "" : it->second;
}

ResolvedEndpoint resolve_endpoint(const std::string& service, const std::string& explicit_url, const EnvLookup& env,
                                  const std::string& profile, const std::string& region)
{
  const auto* info = find_service_endpoint(service);
  const bool global = info && info->global;
  ResolvedEndpoint r{"", global ? "us-east-1" : region, ""};
  // A configured URL is signed in the configured region (LocalStack, moto and migsim accept any).
  const std::string configured_region = region.empty() && global ? "us-east-1" : region;
  if (!explicit_url.empty())
    return {explicit_url, configured_region, "explicit"};
  const auto config = load_config_file(env);
  const auto prof = config_profile(config, profile);
  const auto ignore = prof.find("ignore_configured_endpoint_urls");
  const bool ignore_configured = truthy(get(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) ||
                                 (ignore != prof.end() && lower(ignore->second) == "true");
  if (!ignore_configured) {
    std::string service_id = info ? info->service_id : service;
    const auto var = endpoint_env_var(service_id);
    if (auto u = get(env, var))
      return {*u, configured_region, "env:" + var};
    if (auto u = get(env, "AWS_ENDPOINT_URL"))
      return {*u, configured_region, "env:AWS_ENDPOINT_URL"};
    // [services NAME] sections hold "<snake_case service id>.endpoint_url".
    if (const auto s = prof.find("services"); s != prof.end()) {
      auto snake = lower(service_id);
      std::replace(snake.begin(), snake.end(), ' ', '_');
      std::replace(snake.begin(), snake.end(), '-', '_');
      const auto services = section(config, "services " + s->second);
      if (const auto u = services.find(snake + ".endpoint_url"); u != services.end() && !u->second.empty())
        return {u->second, configured_region, "config:services"};
    }
    if (const auto u = prof.find("endpoint_url"); u != prof.end() && !u->second.empty())
      return {u->second, configured_region, "config:endpoint_url"};
  }
  const std::string prefix = info ? info->endpoint_prefix : service;
  const std::string suffix = region.rfind("cn-", 0) == 0 ? ".amazonaws.com.cn" : ".amazonaws.com";
  r.source = "aws";
  if (global)
    r.url = "https://" + prefix + suffix;
  else if (service == "s3" && region == "us-east-1")
    r.url = "https://s3.amazonaws.com";
  else
    r.url = "https://" + prefix + "." + region + suffix;
  return r;
}

}  // namespace migsim::aws
