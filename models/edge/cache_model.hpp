// The hit ratio of a TTL cache (what a CloudFront edge does with an object: a miss fetches it from
// the origin and keeps it ttl_s; requests within that window hit). For Poisson requests of rate
// lambda to one object, each miss opens a window of ttl_s holding lambda x ttl_s hits on average,
// and the next miss comes 1 / lambda after the window: hit ratio h = lambda T / (1 + lambda T)
// = 1 - 1 / (1 + lambda T) (the classic per-object TTL-cache result, e.g. Jung, Berger and
// Balakrishnan, "Modeling TTL-based Internet caches", INFOCOM 2003).
//
// A class of N objects with Zipf(s) popularity (p_i proportional to i^-s) receiving `rate` requests
// per second spread evenly over `edges` edge locations: H = sum_i p_i h(rate p_i / edges, T).
// Capacity evictions are not modelled (CloudFront edges hold the working set of a small shop).
#pragma once

#include <vector>

namespace migsim::models::edge {

// Hit ratio of one object requested as a Poisson process of rate lambda (1/s) with a TTL of T s.
double ttl_hit_ratio(double lambda_per_s, double ttl_s);

// Zipf(s) popularity of N objects, most popular first (sums to 1).
std::vector<double> zipf_popularity(int objects, double zipf_s);

// Request-weighted hit ratio of a class (formula above).
double class_hit_ratio(double rate_per_s, int objects, double zipf_s, double ttl_s, int edges);

}  // namespace migsim::models::edge
