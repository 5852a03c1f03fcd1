#include "models/route53/hosted_zone.hpp"

#include <algorithm>

namespace migsim::models::route53 {

HostedZone::HostedZone(std::string name, std::string id) : name_(std::move(name)), id_(std::move(id)) {}

void HostedZone::upsert(const RecordSet& r)
{
  for (auto& existing : records_)
    if (existing.name == r.name && existing.type == r.type && existing.set_identifier == r.set_identifier) {
      existing = r;
      return;
    }
  records_.push_back(r);
}

bool HostedZone::remove(const std::string& name, const std::string& type, const std::string& set_identifier)
{
  const auto before = records_.size();
  records_.erase(std::remove_if(records_.begin(), records_.end(),
                                [&](const RecordSet& r) {
                                  return r.name == name && r.type == type && r.set_identifier == set_identifier;
                                }),
                 records_.end());
  return records_.size() != before;
}

const RecordSet* HostedZone::find(const std::string& name, const std::string& type, const std::string& set_identifier) const
{
  for (const auto& r : records_)
    if (r.name == name && r.type == type && r.set_identifier == set_identifier)
      return &r;
  return nullptr;
}

double authoritative_queries_per_s(double lookups_per_s, double ttl_s, int resolvers)
{
  if (resolvers <= 0 || lookups_per_s <= 0)
    return 0.0;
  const double r = lookups_per_s / resolvers;
  return resolvers * r / (1.0 + r * ttl_s);
}

}  // namespace migsim::models::route53
