#include "models/edge/cloudfront.hpp"

#include "models/edge/cache_model.hpp"

#include <stdexcept>

namespace migsim::models::edge {

CloudFront::CloudFront(EdgeSettings settings, const std::vector<std::string>& class_names,
                       const std::vector<double>& class_response_kb, const std::vector<double>& class_rate_per_s,
                       sim::RandomStream rng)
    : settings_(std::move(settings)), rng_(rng)
{
  plans_.resize(class_names.size());
  for (size_t i = 0; i < class_names.size(); ++i)
    plans_[i].response_bytes = class_response_kb.at(i) * 1000.0;
  for (const auto& c : settings_.classes) {
    size_t i = 0;
    while (i < class_names.size() && class_names[i] != c.request_class)
      ++i;
    if (i == class_names.size())
      throw std::invalid_argument("edge class " + c.request_class + " is not a workload class");
    auto& p = plans_[i];
    p.listed = true;
    p.origin = c.origin;
    // Users only (the malicious share never reaches the cache lookup when WAF blocks it).
    const double rate = class_rate_per_s.at(i);
    p.hit_ratio = c.hit_ratio ? *c.hit_ratio
                              : class_hit_ratio(rate, c.objects, c.zipf_s, c.ttl_s, settings_.edge_locations);
    const double object_bytes = c.object_kb > 0 ? c.object_kb * 1000.0 : p.response_bytes;
    if (c.origin == Origin::s3)
      p.stored_bytes = object_bytes * c.objects;
  }
}

EdgeDecision CloudFront::on_request(double, uint32_t cls)
{
  ++counters_.requests;
  if (settings_.malicious_share > 0 && rng_.uniform01() < settings_.malicious_share) {
    ++counters_.malicious;
    if (settings_.waf && rng_.uniform01() < settings_.waf_block_share) {
      ++counters_.blocked;  // 403 from the edge: never reaches an origin
      return {EdgeDecision::Kind::blocked, 0};
    }
    ++counters_.malicious_passed;
  }
  const auto& p = plans_.at(cls);
  counters_.bytes_out += p.response_bytes;
  const double edge_s = settings_.edge_latency_ms / 1000.0;
  if (!p.listed) {
    ++counters_.passed_to_alb;
    return {EdgeDecision::Kind::origin, 0};
  }
  if (rng_.uniform01() < *p.hit_ratio) {
    ++counters_.hits;
    return {EdgeDecision::Kind::answered, edge_s};
  }
  ++counters_.misses;
  if (p.origin == Origin::s3) {
    ++counters_.s3_fetches;
    return {EdgeDecision::Kind::answered, edge_s + settings_.s3_fetch_ms / 1000.0};
  }
  ++counters_.passed_to_alb;
  return {EdgeDecision::Kind::origin, 0};
}

cost::Usage CloudFront::usage(double hours) const
{
  using cost::Phase;
  cost::Usage u;
  if (counters_.bytes_out > 0)
    u.add(Phase::run, "cloudfront.gb-out", counters_.bytes_out / 1e9, "", "responses served by CloudFront");
  if (counters_.requests > 0)
    u.add(Phase::run, "cloudfront.https-10k", static_cast<double>(counters_.requests) / 1e4, "",
          "every request reaching CloudFront, blocked ones included");
  double stored = 0;
  for (const auto& p : plans_)
    stored += p.stored_bytes;
  if (stored > 0)
    u.add(Phase::run, "s3.standard.gb-month", cost::gb_months(stored / 1e9, hours), "", "static assets");
  if (counters_.s3_fetches > 0)
    u.add(Phase::run, "s3.standard.get-1k", static_cast<double>(counters_.s3_fetches) / 1e3, "",
          "origin fetches on edge misses");
  if (settings_.waf) {
    u.add(Phase::run, "waf.web-acl-month", hours / cost::kHoursPerMonth, "", "one web ACL on the distribution");
    if (settings_.waf_rules > 0)
      u.add(Phase::run, "waf.rule-month", hours / cost::kHoursPerMonth * settings_.waf_rules, "");
    if (counters_.requests > 0)
      u.add(Phase::run, "waf.million-requests", static_cast<double>(counters_.requests) / 1e6, "");
  }
  return u;
}

}  // namespace migsim::models::edge
