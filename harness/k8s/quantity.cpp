#include "harness/k8s/quantity.hpp"

#include <cmath>
#include <cstdlib>
#include <string>
#include <utility>

namespace migsim::harness::k8s {

// strtod reads the exponent form "1e9"; a suffix must be one of resource.Quantity's.
std::optional<double> quantity_value(const nlohmann::json& q)
{
  if (q.is_number())
    return q.get<double>();
  if (!q.is_string())
    return std::nullopt;
  const std::string s = q.get<std::string>();
  char* end = nullptr;
  const double x = std::strtod(s.c_str(), &end);
  if (end == s.c_str())
    return std::nullopt;
  const std::string suffix(end);
  if (s.find_first_of(" \t") != std::string::npos)
    return std::nullopt;
  static const std::pair<const char*, double> kSuffixes[] = {
      {"", 1},         {"n", 1e-9},     {"u", 1e-6},          {"m", 1e-3},           {"k", 1e3},
      {"M", 1e6},      {"G", 1e9},      {"T", 1e12},          {"P", 1e15},           {"E", 1e18},
      {"Ki", 1024.0},  {"Mi", 1048576.0}, {"Gi", 1073741824.0}, {"Ti", 1099511627776.0}, {"Pi", 1125899906842624.0},
      {"Ei", 1152921504606846976.0}};
  for (const auto& [text, mult] : kSuffixes)
    if (suffix == text)
      return x * mult;
  return std::nullopt;
}

std::optional<int64_t> cpu_millicores(const nlohmann::json& q)
{
  const auto v = quantity_value(q);
  if (!v || *v < 0)
    return std::nullopt;
  return static_cast<int64_t>(std::ceil(*v * 1000 - 1e-9));
}

std::optional<int64_t> memory_mib(const nlohmann::json& q)
{
  const auto v = quantity_value(q);
  if (!v || *v < 0)
    return std::nullopt;
  return static_cast<int64_t>(std::ceil(*v / 1048576.0 - 1e-9));
}

}  // namespace migsim::harness::k8s
