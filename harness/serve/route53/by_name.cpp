#include "harness/serve/route53/by_name.hpp"

#include "harness/serve/route53/backend.hpp"
#include "harness/serve/core/services_state.hpp"

#include <string>
#include <vector>

namespace migsim::harness::serve::route53 {

namespace {

using nlohmann::json;

// A name as DNS orders it: lower case, trailing dot, labels from the right.
std::vector<std::string> dns_key(std::string name)
{
  for (auto& c : name)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!name.empty() && name.back() == '.')
    name.pop_back();
  std::vector<std::string> labels;
  size_t from = 0;
  while (from <= name.size()) {
    size_t dot = name.find('.', from);
    if (dot == std::string::npos)
      dot = name.size();
    labels.insert(labels.begin(), name.substr(from, dot - from));
    from = dot + 1;
  }
  return labels;
}

}  // namespace

json list_hosted_zones_by_name(const json& input, ServeContext& ctx)
{
  long max_items = 100;
  if (input.contains("MaxItems")) {
    try {
      const json& m = input.at("MaxItems");
      max_items = m.is_number() ? m.get<long>() : std::stol(m.get<std::string>());
    } catch (...) {
      throw Route53Error{"InvalidInput", "MaxItems must be an integer"};
    }
    if (max_items < 1)
      throw Route53Error{"InvalidInput", "MaxItems must be at least 1"};
  }
  const std::string dns_name = input.value("DNSName", std::string());
  const json all = service_state(ctx).route53->list_hosted_zones({{"MaxItems", "100000"}});
  json zones = json::array();
  bool truncated = false;
  json next_name, next_id;
  for (const auto& z : all.at("HostedZones")) {
    if (!dns_name.empty() && dns_key(z.at("Name").get<std::string>()) < dns_key(dns_name))
      continue;
    if (static_cast<long>(zones.size()) == max_items) {
      truncated = true;
      next_name = z.at("Name");
      next_id = z.at("Id");
      break;
    }
    zones.push_back(z);
  }
  json out = {{"HostedZones", zones}, {"IsTruncated", truncated}, {"MaxItems", std::to_string(max_items)}};
  if (!dns_name.empty())
    out["DNSName"] = dns_name;
  if (truncated) {
    out["NextDNSName"] = next_name;
    out["NextHostedZoneId"] = next_id;
  }
  return out;
}

}  // namespace migsim::harness::serve::route53
