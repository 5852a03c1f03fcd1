// Route 53 hosted zones and record sets as data (what ListResourceRecordSets shows), and what
// resolver caching does to the queries Route 53 answers: a resolver keeps an answer for the TTL,
// so with lookups arriving as a Poisson process of rate r it asks Route 53 r / (1 + r x TTL) times
// a second (each miss opens a TTL window; the next miss comes 1 / r after it ends on average).
#pragma once

#include <string>
#include <vector>

namespace migsim::models::route53 {

// One resource record set.
struct RecordSet {
  std::string name;               // "shop.example.com."
  std::string type = "A";         // A, AAAA, CNAME, ...
  double ttl_s = 60;
  std::vector<std::string> values;
  std::string set_identifier;     // routing policies: which of the same-name sets
  std::string failover;           // "PRIMARY", "SECONDARY" or "" (simple routing)
  std::string health_check_id;    // evaluated for PRIMARY failover records
};

// A public hosted zone and its record sets.
class HostedZone {
public:
  HostedZone(std::string name, std::string id);

  const std::string& name() const { return name_; }
  const std::string& id() const { return id_; }  // "/hostedzone/Z..."
  // CREATE / UPSERT / DELETE of ChangeResourceRecordSets (by name, type and set identifier).
  void upsert(const RecordSet& r);
  bool remove(const std::string& name, const std::string& type, const std::string& set_identifier = "");
  const RecordSet* find(const std::string& name, const std::string& type, const std::string& set_identifier = "") const;
  const std::vector<RecordSet>& records() const { return records_; }

private:
  std::string name_;
  std::string id_;
  std::vector<RecordSet> records_;
};

// Queries per second Route 53 answers for one name: `resolvers` resolvers sharing `lookups_per_s`
// evenly, each caching the answer for ttl_s.
double authoritative_queries_per_s(double lookups_per_s, double ttl_s, int resolvers);

}  // namespace migsim::models::route53
