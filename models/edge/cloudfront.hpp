// CloudFront (+ WAF) in front of the estate: each arriving request is first inspected by WAF (a
// share of the traffic is malicious; WAF blocks a share of that before it reaches any origin, and
// blocked requests are attack traffic, counted apart, never user errors), then looked up in the
// edge cache of its object class: a hit is answered at the edge after edge_latency_ms; a miss goes
// to the class's origin: S3 (static assets: answered after the S3 fetch, costing no estate
// capacity) or the ALB (the estate's request flow). Classes not listed pass through to the ALB
// uncached (the API). Hit ratios: the TTL-cache formula of cache_model.hpp at the class's mean
// request rate over the run, or a stated `hit_ratio` per class.
//
// Counters feed the bill: CloudFront GB out and HTTPS requests, S3 GETs and storage, WAF web ACL,
// rules and inspected requests.
#pragma once

#include "models/cost/cost_model.hpp"
#include "sim/rng.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace migsim::models::edge {

enum class Origin : uint8_t { s3, alb };

// How one request class behaves at the edge.
struct EdgeClassSpec {
  std::string request_class;      // a workload class name
  Origin origin = Origin::s3;
  int objects = 1000;             // distinct objects of the class
  double zipf_s = 0.8;            // popularity skew
  double ttl_s = 86400;           // Cache-Control max-age / default TTL
  std::optional<double> hit_ratio;  // stated instead of the formula
  double object_kb = 0;           // object size stored in S3 (0: the class's response size)
};

struct EdgeSettings {
  double edge_latency_ms = 15;    // client <-> edge location round trip plus edge processing
  double s3_fetch_ms = 40;        // edge -> S3 origin fetch on a miss
  int edge_locations = 8;         // edge locations sharing the traffic evenly
  bool waf = true;
  double malicious_share = 0.0;   // of all arriving requests
  double waf_block_share = 1.0;   // of the malicious ones, blocked by the web ACL's rules
  int waf_rules = 5;
  std::vector<EdgeClassSpec> classes;
};

// What happens to one request.
struct EdgeDecision {
  enum class Kind : uint8_t { origin, answered, blocked } kind = Kind::origin;
  double latency_s = 0;
};

struct EdgeCounters {
  uint64_t requests = 0;         // reaching CloudFront (blocked ones included)
  uint64_t hits = 0, misses = 0; // cacheable classes
  uint64_t passed_to_alb = 0;    // misses of ALB-origin classes and uncached classes
  uint64_t s3_fetches = 0;
  uint64_t malicious = 0, blocked = 0, malicious_passed = 0;
  double bytes_out = 0;
};

class CloudFront {
public:
  // class_names / class_response_kb / class_rate_per_s: the workload's classes, in order, with
  // their response size and mean request rate over the run (for the hit-ratio formula).
  CloudFront(EdgeSettings settings, const std::vector<std::string>& class_names,
             const std::vector<double>& class_response_kb, const std::vector<double>& class_rate_per_s,
             sim::RandomStream rng);

  EdgeDecision on_request(double t, uint32_t cls);

  // Hit ratio used for a workload class (nullopt: not cached at the edge).
  std::optional<double> hit_ratio(uint32_t cls) const { return plans_.at(cls).hit_ratio; }
  const EdgeCounters& counters() const { return counters_; }
  const EdgeSettings& settings() const { return settings_; }
  // What CloudFront, S3 and WAF cost over `hours` of this traffic (recurring lines).
  cost::Usage usage(double hours) const;

private:
  struct Plan {
    bool listed = false;
    Origin origin = Origin::alb;
    std::optional<double> hit_ratio;
    double response_bytes = 0;
    double stored_bytes = 0;   // in S3 (objects x size) for S3-origin classes
  };
  EdgeSettings settings_;
  std::vector<Plan> plans_;
  sim::RandomStream rng_;
  EdgeCounters counters_;
};

}  // namespace migsim::models::edge
