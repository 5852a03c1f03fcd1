// CloudFront and WAF: the TTL-cache hit ratio formula against a direct simulation of Poisson
// requests to Zipf-popular objects over several edges, the edge decisions, WAF's blocked share and
// the bill lines.
#include "models/edge/cache_model.hpp"
#include "models/edge/cloudfront.hpp"
#include "sim/rng.hpp"

#include <catch2/catch.hpp>

#include <unordered_map>

using namespace migsim::models;
using migsim::sim::RandomStream;

namespace {

// Direct simulation: Poisson requests at `rate`, object drawn from Zipf(s), edge drawn uniformly;
// each (edge, object) holds a copy until its expiry; returns the measured hit ratio.
double simulate_ttl_caches(double rate, int objects, double zipf_s, double ttl_s, int edges, double horizon_s,
                           uint64_t seed)
{
  const auto p = edge::zipf_popularity(objects, zipf_s);
  std::vector<double> cumulative(p.size());
  double c = 0;
  for (size_t i = 0; i < p.size(); ++i)
    cumulative[i] = (c += p[i]);
  RandomStream rng(seed, "ttl-cache");
  std::vector<double> expires(static_cast<size_t>(objects) * static_cast<size_t>(edges), -1.0);
  uint64_t hits = 0, requests = 0;
  double t = 0;
  while (true) {
    t += rng.exponential(1.0 / rate);
    if (t >= horizon_s)
      break;
    const size_t obj = rng.pick(cumulative.data(), cumulative.size());
    const auto e = static_cast<size_t>(rng.uniform01() * edges);
    double& exp = expires[e * static_cast<size_t>(objects) + obj];
    ++requests;
    if (t < exp) {
      ++hits;
    } else {
      exp = t + ttl_s;  // miss: fetched from the origin, cached for the TTL
    }
  }
  return static_cast<double>(hits) / static_cast<double>(requests);
}

}  // namespace

TEST_CASE("Edge TTL cache: one object at rate lambda hits lambda T / (1 + lambda T)")
{
  CHECK(edge::ttl_hit_ratio(1.0, 1.0) == Approx(0.5));
  CHECK(edge::ttl_hit_ratio(0.1, 90.0) == Approx(0.9));
  CHECK(edge::ttl_hit_ratio(0.0, 60.0) == 0.0);
  const double measured = simulate_ttl_caches(0.05, 1, 0.0, 60.0, 1, 2e6, 1);  // lambda T = 3
  CHECK(measured == Approx(0.75).margin(0.005));
}

TEST_CASE("Edge class hit ratio over Zipf objects and several edges matches a direct simulation")
{
  struct Case {
    double rate;
    int objects;
    double s;
    double ttl;
    int edges;
  };
  for (const auto& k : {Case{20, 2000, 0.8, 300, 8}, Case{5, 500, 1.0, 3600, 4}, Case{50, 10000, 0.6, 60, 10}}) {
    const double formula = edge::class_hit_ratio(k.rate, k.objects, k.s, k.ttl, k.edges);
    const double simulated = simulate_ttl_caches(k.rate, k.objects, k.s, k.ttl, k.edges, 40000, 7);
    INFO("rate " << k.rate << " objects " << k.objects << " s " << k.s << " ttl " << k.ttl << " edges " << k.edges
                 << ": formula " << formula << ", simulated " << simulated);
    CHECK(simulated == Approx(formula).margin(0.01));
    CHECK(formula > 0.05);
    CHECK(formula < 0.99);
  }
  // More edges split the traffic: each sees fewer requests per object, so fewer hits.
  CHECK(edge::class_hit_ratio(20, 2000, 0.8, 300, 1) > edge::class_hit_ratio(20, 2000, 0.8, 300, 8));
}

TEST_CASE("Edge decisions: hits answered at the edge, S3 misses fetched, API passed to the ALB, WAF blocks its share")
{
  edge::EdgeSettings s;
  s.edge_latency_ms = 15;
  s.s3_fetch_ms = 40;
  s.malicious_share = 0.1;
  s.waf_block_share = 0.9;
  s.classes.push_back({"static", edge::Origin::s3, 100, 0.8, 86400, 0.8, 50});
  edge::CloudFront cf(s, {"static", "api"}, {50, 5}, {30, 10}, RandomStream(3, "edge"));
  CHECK(*cf.hit_ratio(0) == 0.8);
  CHECK_FALSE(cf.hit_ratio(1).has_value());
  const int n = 200000;
  int answered_fast = 0, answered_s3 = 0, origin = 0, blocked = 0;
  for (int i = 0; i < n; ++i) {
    const auto d = cf.on_request(i * 0.01, static_cast<uint32_t>(i % 2));
    switch (d.kind) {
      case edge::EdgeDecision::Kind::blocked: ++blocked; break;
      case edge::EdgeDecision::Kind::origin: ++origin; break;
      case edge::EdgeDecision::Kind::answered:
        if (d.latency_s == Approx(0.015))
          ++answered_fast;
        else if (d.latency_s == Approx(0.055))
          ++answered_s3;
        break;
    }
  }
  const auto& c = cf.counters();
  // Blocked: 10 % malicious x 90 % blocked = 9 % (binomial sd 0.064 %).
  CHECK(blocked / static_cast<double>(n) == Approx(0.09).margin(0.003));
  CHECK(c.blocked == static_cast<uint64_t>(blocked));
  CHECK(c.malicious_passed + c.blocked == c.malicious);
  // Of the non-blocked static requests (half of 91 %), 80 % hit and 20 % come from S3.
  CHECK(answered_fast / (n * 0.91 / 2) == Approx(0.8).margin(0.01));
  CHECK(answered_s3 / (n * 0.91 / 2) == Approx(0.2).margin(0.01));
  CHECK(origin / (n * 0.91 / 2) == Approx(1.0).margin(0.01));
  CHECK(c.s3_fetches == static_cast<uint64_t>(answered_s3));
  CHECK(c.requests == static_cast<uint64_t>(n));

  // The bill: requests and GB out as counted; S3 storage 100 x 50 kB held for 730 h = 0.005 GB-month.
  auto prices = cost::default_price_table();
  auto bill = cost::compute(prices, cf.usage(730), 730);
  double cf_requests_usd = 0, s3_storage_gb_months = 0, waf_acl_usd = 0;
  for (const auto& l : bill.lines) {
    if (l.item == "cloudfront.https-10k")
      cf_requests_usd = l.cost_usd;
    if (l.item == "s3.standard.gb-month")
      s3_storage_gb_months = l.quantity;
    if (l.item == "waf.web-acl-month")
      waf_acl_usd = l.cost_usd;
  }
  CHECK(cf_requests_usd == Approx(n / 1e4 * 0.01));
  CHECK(s3_storage_gb_months == Approx(100 * 50e3 / 1e9));
  CHECK(waf_acl_usd == Approx(5.0));
}
