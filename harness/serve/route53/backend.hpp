// Route 53's state for the mock endpoint (no HTTP): hosted zones, resource record sets (simple,
// weighted, failover; TTL or alias), changes that are PENDING until they have propagated to every
// name server (U(10 s, 60 s) of simulated time, the bounds of models/route53/dns_switch) and
// health checks. Inputs and outputs are json objects keyed by botocore member names (timestamps:
// epoch seconds), so the wire layer only encodes them.
//
// The migration's record (scenario `migration.dns_record`) is special: a simple (non-weighted,
// non-failover) UPSERT of it to a site's address moves the simulated clients through the
// migration's RecordSwitch (DNS caches, TTL, sticky clients), and its GetChange follows that
// model's propagation. Each site has an address (192.0.2.(10 + site index), TEST-NET-1) and an
// alias name (<site>.migsim.internal.); see notes/README-services.md.
#pragma once

#include "sim/rng.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migsim::harness::serve::route53 {

using nlohmann::json;

// A client error of the Route 53 API.
struct Route53Error {
  std::string code;
  std::string message;
  int status = 400;
};

// How the backend reaches the migration's DNS model (absent without a migration).
struct DnsHook {
  std::string record;                                 // FQDN with the trailing dot
  double ttl_s = 60;
  std::vector<std::string> sites;                     // site names by index (0 = on-prem)
  int initial_site = 0;
  std::function<std::string(int site)> upsert;        // moves the clients; returns the change id
  std::function<std::string(const std::string& change_id)> status;  // PENDING / INSYNC ("" unknown)
};

// The address and alias name a site answers with.
std::string site_address(int site);
std::string site_alias(const std::string& site_name);

class Backend {
public:
  Backend(uint64_t seed, std::optional<DnsHook> hook);

  json create_hosted_zone(const json& in, double now_s);
  json get_hosted_zone(const json& in) const;
  json list_hosted_zones(const json& in) const;
  json delete_hosted_zone(const json& in, double now_s);
  json change_resource_record_sets(const json& in, double now_s);
  json list_resource_record_sets(const json& in) const;
  json get_change(const json& in, double now_s) const;
  json create_health_check(const json& in);
  json get_health_check(const json& in) const;
  json list_health_checks(const json& in) const;
  json delete_health_check(const json& in);

private:
  struct Zone {
    std::string id, name, caller_reference, comment;
    bool private_zone = false;
    std::vector<json> records;  // ResourceRecordSet objects
  };
  struct ChangeRecord {
    std::string id;
    double submitted_s, insync_s;
    std::string model_id;  // the migration's change id when it moved clients
  };

  Zone& zone(const json& in, const char* key = "Id");
  const Zone& zone(const json& in, const char* key = "Id") const;
  json zone_json(const Zone& z) const;
  json change_info(const ChangeRecord& c, double now_s) const;
  const ChangeRecord& new_change(double now_s, std::string model_id = {});
  std::string next_id(const char* prefix, int digits);
  // The site index a simple record's values point to, or -1.
  int site_of(const json& record_set) const;

  sim::RandomStream rng_;
  std::optional<DnsHook> hook_;
  std::map<std::string, Zone> zones_;          // by id (without /hostedzone/)
  std::vector<ChangeRecord> changes_;
  std::map<std::string, json> health_checks_;  // by id
  std::map<std::string, std::string> hc_by_reference_;
  uint64_t counter_ = 0;
};

}  // namespace migsim::harness::serve::route53
