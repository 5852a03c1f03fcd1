// Secret-free request descriptions (see request_log.hpp).
#include "harness/aws/client/request_log.hpp"

#include <spdlog/sinks/stdout_sinks.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace migsim::aws {
namespace {

std::string lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Masks the values of the presigning parameters in a query string.
std::string mask_query(const std::string& target)
{
  const auto q = target.find('?');
  if (q == std::string::npos)
    return target;
  std::string out = target.substr(0, q + 1);
  size_t pos = q + 1;
  while (pos <= target.size()) {
    auto amp = target.find('&', pos);
    if (amp == std::string::npos)
      amp = target.size();
    const auto item = target.substr(pos, amp - pos);
    const auto eq = item.find('=');
    const auto name = lower(item.substr(0, eq));
    if (name == "x-amz-signature" || name == "x-amz-credential" || name == "x-amz-security-token")
      out += item.substr(0, eq) + "=***";
    else
      out += item;
    if (amp < target.size())
      out += '&';
    pos = amp + 1;
  }
  return out;
}

}  // namespace

std::shared_ptr<spdlog::logger> aws_logger()
{
  auto logger = spdlog::get("aws-client");
  if (!logger) {
    logger = spdlog::stderr_logger_st("aws-client");
    const char* level = std::getenv("MIGSIM_AWS_LOG");
    logger->set_level(level ? spdlog::level::from_str(level) : spdlog::level::warn);
  }
  return logger;
}

std::string describe_request(const std::string& method, const Url& url, const std::string& target,
                             const HeaderList& headers, size_t body_bytes)
{
  std::string out = method + " " + url.scheme + "://" + url.host_header() + mask_query(target);
  for (const auto& [k, v] : headers) {
    const auto name = lower(k);
    std::string value = v;
    if (name == "authorization") {
      // Keep the signed-header list (useful when debugging), drop credential and signature.
      const auto sh = v.find("SignedHeaders=");
      const auto end = sh == std::string::npos ? sh : v.find(',', sh);
      value = "AWS4-HMAC-SHA256 Credential=***, " +
              (sh == std::string::npos ? std::string() : v.substr(sh, end - sh) + ", ") + "Signature=***";
    } else if (name == "x-amz-security-token") {
      value = "***";
    }
    out += " | " + k + ": " + value;
  }
  return out + " | body " + std::to_string(body_bytes) + " bytes";
}

}  // namespace migsim::aws
