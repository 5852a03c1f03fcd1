// Identifiers, ARNs and tag lists the platform services (IAM, KMS, Secrets Manager, ECR, EFS,
// CloudTrail, WAFv2, CloudFront) share: deterministic (a counter, never a clock or a random draw),
// in the account and region migsim answers as.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>

namespace migsim::harness::serve::platform {

inline constexpr const char* kAccount = "000000000000";
inline constexpr const char* kRegion = "us-east-1";

// "arn:aws:<service>:<region>:<account>:<resource>" (`region` "" for global services such as IAM).
inline std::string arn(const std::string& service, const std::string& resource, const std::string& region = kRegion)
{
  return "arn:aws:" + service + ":" + region + ":" + kAccount + ":" + resource;
}

// The n-th identifier of a kind: `prefix` + n as lowercase hex, zero-padded to `width`.
inline std::string hex_id(const std::string& prefix, uint64_t n, int width = 17)
{
  char buf[40];
  std::snprintf(buf, sizeof buf, "%0*llx", width, static_cast<unsigned long long>(n));
  return prefix + buf;
}

// The n-th identifier as upper-case letters and digits (IAM unique ids: "AROA" + 17).
inline std::string upper_id(const std::string& prefix, uint64_t n, int width = 17)
{
  std::string s = hex_id("", n, width);
  for (char& c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return prefix + s;
}

// A UUID-shaped id, the n-th of a kind (`kind` 0-15 keeps kinds apart).
inline std::string uuid_id(unsigned kind, uint64_t n)
{
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-0000-4000-8000-%012llx", kind, static_cast<unsigned long long>(n));
  return buf;
}

// The base URL clients reach this server at (set when the server listens): where migsim serves what
// AWS would serve on a host of its own, e.g. an EKS cluster's Kubernetes endpoint.
struct EndpointUrl {
  std::string url = "http://127.0.0.1:4566";
};

using Tags = std::map<std::string, std::string>;

// Tags from a list of {Key, Value} (or {TagKey, TagValue}, {key, value}) or from a map.
inline Tags tags_from(const nlohmann::json& v, const char* key = "Key", const char* value = "Value")
{
  Tags out;
  if (v.is_object())
    for (const auto& [k, x] : v.items())
      out[k] = x.is_string() ? x.get<std::string>() : x.dump();
  else if (v.is_array())
    for (const auto& t : v)
      out[t.value(key, "")] = t.value(value, "");
  return out;
}

// Tags as a list of {Key, Value} (the member names the service uses).
inline nlohmann::json tags_list(const Tags& tags, const char* key = "Key", const char* value = "Value")
{
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [k, v] : tags)
    out.push_back({{key, k}, {value, v}});
  return out;
}

// Removes the keys a list of strings names.
inline void untag(Tags& tags, const nlohmann::json& keys)
{
  for (const auto& k : keys)
    tags.erase(k.get<std::string>());
}

}  // namespace migsim::harness::serve::platform
