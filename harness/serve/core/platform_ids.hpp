// Identifiers and paging markers the platform services (IAM, KMS, Secrets Manager, ECR, EFS,
// CloudTrail, WAFv2, CloudFront, EKS add-ons) share: deterministic (a counter, never a clock or a
// random draw). ARNs and tags are core/resource.hpp's (arn(ctx, ...), the Tags store).
#pragma once

#include "harness/serve/core/errors.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <string>

namespace migsim::harness::serve::platform {

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

// A UUID-shaped id, the n-th of a kind (`kind` keeps kinds apart).
inline std::string uuid_id(unsigned kind, uint64_t n)
{
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-0000-4000-8000-%012llx", kind, static_cast<unsigned long long>(n));
  return buf;
}

// The item offset a Marker/NextMarker paging member carries (absent or "": 0). The services that
// page this way hand out the offset as decimal text; anything else answers `code` (400).
inline size_t marker_offset(const nlohmann::json& in, const char* member, const char* code = "InvalidNextToken")
{
  if (!in.contains(member))
    return 0;
  const std::string m = in[member].is_string() ? in[member].get<std::string>() : in[member].dump();
  if (m.empty())
    return 0;
  if (m.size() > 9 || m.find_first_not_of("0123456789") != std::string::npos)
    throw errors::validation(std::string("Invalid ") + member + ": " + m.substr(0, 64), code);
  return static_cast<size_t>(std::stoul(m));
}

// One page of a Marker-paged listing: items [from, from + max) of `items` (a JSON array) and the
// marker of the next page ("" on the last one), the offset as decimal text as these services hand it
// out. Each service names the members (Marker / NextMarker, MaxItems / Limit, IsTruncated / Truncated).
struct MarkerPage {
  nlohmann::json items = nlohmann::json::array();
  std::string next;
};
inline MarkerPage marker_page(const nlohmann::json& items, size_t from, size_t max)
{
  MarkerPage p;
  for (size_t i = from; i < items.size() && i < from + max; ++i)
    p.items.push_back(items[i]);
  if (from + max < items.size())
    p.next = std::to_string(from + max);
  return p;
}

}  // namespace migsim::harness::serve::platform
