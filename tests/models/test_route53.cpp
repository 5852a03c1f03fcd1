// Route 53 beyond the record switch: health-checked failover records (detection after
// interval x threshold, clients following within the TTL), hosted zones, resolver caching.
#include "models/route53/failover_record.hpp"
#include "models/route53/hosted_zone.hpp"
#include "sim/rng.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace migsim::models::route53;
using migsim::sim::RandomStream;

namespace {

// Fails the primary at t_fail; returns the last time a request was routed to it, checking the
// measured share of requests against the model's expected share at a few instants.
double last_primary_request(HealthCheckSettings hc, double ttl_s, uint64_t seed, double* detected)
{
  DnsSettings dns;
  dns.ttl_s = ttl_s;
  dns.sticky_share = 0.0;
  FailoverRecord rec("shop.example.com", 0, 1, hc, dns, RandomStream(seed, "failover"));
  const double t_fail = 1000;
  rec.set_primary_healthy(t_fail, false);
  double last = -1;
  RandomStream arrivals(seed, "arrivals");
  for (double t = 900; t < 1400; t += arrivals.exponential(0.01))  // 100 requests/s
    if (rec.route(t) == 0 && t >= t_fail)
      last = t;
  *detected = rec.answer_changes().at(0).insync_s;
  return last;
}

}  // namespace

TEST_CASE("Route 53 failover: the answer switches after interval x threshold, clients follow within the TTL")
{
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    double detected = 0;
    const double last = last_primary_request({30, 3}, 60, seed, &detected);
    // First probe after the failure within one interval, then two more: (60, 90] s after it.
    CHECK(detected > 1000 + 60);
    CHECK(detected <= 1000 + 90);
    // Cached answers last one TTL at most: nobody is on the primary after detection + 60 s.
    CHECK(last <= detected + 60);
    CHECK(last > detected + 50);  // at 100 requests/s someone still holds an old answer near the end
    CHECK(last <= 1000 + 30 * 3 + 60);
  }
  // Fast health checks (10 s) with threshold 3: detection within (20, 30] s.
  double detected = 0;
  const double last = last_primary_request({10, 3}, 60, 5, &detected);
  CHECK(detected > 1020);
  CHECK(detected <= 1030);
  CHECK(last <= 1000 + 10 * 3 + 60);
}

TEST_CASE("Route 53 failover: the share still on the primary falls linearly over the TTL")
{
  DnsSettings dns;
  dns.ttl_s = 60;
  dns.sticky_share = 0.0;
  FailoverRecord rec("shop.example.com", 0, 1, {30, 3}, dns, RandomStream(9, "failover"));
  rec.set_primary_healthy(500, false);
  CHECK(rec.health_check_passing(559));  // at least 60 s before the third failed probe
  rec.answer(700);
  const double detected = rec.answer_changes().at(0).insync_s;
  CHECK_FALSE(rec.health_check_passing(detected));
  // Expected share on the primary 15 s after detection: 1 - 15/60 = 0.75; measured over draws.
  const double t = detected + 15;
  CHECK(rec.share(t, 0) == Approx(0.75));
  int on_primary = 0;
  const int n = 40000;
  for (int i = 0; i < n; ++i)
    on_primary += rec.route(t) == 0 ? 1 : 0;
  CHECK(on_primary / static_cast<double>(n) == Approx(0.75).margin(0.01));
  CHECK(rec.share(detected + 60, 0) == Approx(0.0));
}

TEST_CASE("Route 53 failover: a failure shorter than the threshold is never seen, recovery switches back")
{
  DnsSettings dns;
  dns.sticky_share = 0.0;
  FailoverRecord rec("shop.example.com", 0, 1, {30, 3}, dns, RandomStream(4, "failover"));
  rec.set_primary_healthy(100, false);
  rec.set_primary_healthy(150, true);  // 50 s < 60 s: at most 2 failed probes
  CHECK(rec.answer(1000) == 0);
  CHECK(rec.answer_changes().empty());
  rec.set_primary_healthy(2000, false);
  rec.set_primary_healthy(2500, true);
  CHECK(rec.answer(2400) == 1);
  CHECK(rec.answer(2600) == 0);  // 3 passing probes within 90 s
  REQUIRE(rec.answer_changes().size() == 2);
  CHECK(rec.answer_changes()[1].insync_s - 2500 <= 90);
  CHECK(rec.answer_changes()[1].insync_s - 2500 > 60);
}

TEST_CASE("Route 53 hosted zone records and resolver caching cut queries to r / (1 + r TTL)")
{
  HostedZone zone("example.com.", "/hostedzone/Z0EXAMPLE");
  zone.upsert({"shop.example.com.", "A", 60, {"203.0.113.10"}, "primary", "PRIMARY", "hc-1"});
  zone.upsert({"shop.example.com.", "A", 60, {"203.0.113.20"}, "secondary", "SECONDARY", ""});
  zone.upsert({"shop.example.com.", "A", 120, {"203.0.113.11"}, "primary", "PRIMARY", "hc-1"});
  REQUIRE(zone.records().size() == 2);
  CHECK(zone.find("shop.example.com.", "A", "primary")->ttl_s == 120);
  CHECK(zone.remove("shop.example.com.", "A", "secondary"));
  CHECK(zone.find("shop.example.com.", "A", "secondary") == nullptr);

  // One resolver, lookups at 2/s, TTL 60: 2 / 121 queries/s. Checked against a direct simulation.
  const double predicted = authoritative_queries_per_s(2.0, 60, 1);
  CHECK(predicted == Approx(2.0 / 121.0));
  RandomStream rng(2, "lookups");
  double t = 0, expires = -1;
  uint64_t misses = 0;
  const double horizon = 200000;
  while (t < horizon) {
    t += rng.exponential(0.5);
    if (t >= expires) {
      ++misses;
      expires = t + 60;
    }
  }
  CHECK(misses / horizon == Approx(predicted).epsilon(0.03));
}
