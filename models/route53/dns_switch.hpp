// dns_shift: a Route 53 record whose value changes (UPSERT), and the clients that follow it. A change
// is PENDING until it has propagated to every Route 53 name server (at most 60 s, documented), then
// INSYNC. From then on each client keeps its cached answer until its cache expires: an ordinary
// client resolved at a uniformly random moment within the last TTL, so it moves within one TTL
// after propagation; a share of clients (e.g. JVMs) hold answers longer than the TTL.
//
// Each request draws its client's delay and is served where the record pointed when that client
// last resolved, so traffic shifts gradually, and a rollback (another UPSERT) shifts it back.
#pragma once

#include "sim/rng.hpp"

#include <string>
#include <vector>

namespace migsim::models::route53 {

struct DnsSettings {
  double ttl_s = 60.0;                 // the record's TTL
  double propagation_min_s = 10.0;     // a change reaches all name servers after U(min, max)
  double propagation_max_s = 60.0;     // documented upper bound
  double sticky_share = 0.05;          // clients caching longer than the TTL
  double sticky_hold_s = 900.0;        // how long those keep an answer
};

struct Change {
  std::string id;     // "/change/C..." as GetChange shows it
  double submitted_s;
  double insync_s;
  int value;          // site index the record points to after the change
};

class RecordSwitch {
public:
  RecordSwitch(std::string record, int initial_value, DnsSettings settings, sim::RandomStream rng);

  // UPSERT at time t: the record points to `value`; returns the change (PENDING until insync_s).
  const Change& upsert(double t, int value);
  // "PENDING" or "INSYNC" for a change id at time t ("" when unknown).
  std::string status(const std::string& change_id, double t) const;

  // The site a request arriving at t is served by (draws its client's cache delay).
  int route(double t);
  // Expected share of requests at t served by `value` (no draw; for reports and tests).
  double share(double t, int value) const;

  int value_at_name_servers(double t) const;  // what a fresh resolver gets at t
  const std::vector<Change>& changes() const { return changes_; }
  const DnsSettings& settings() const { return settings_; }
  const std::string& record() const { return record_; }

private:
  int value_for_delay(double t, double delay) const;

  std::string record_;
  int initial_;
  DnsSettings settings_;
  sim::RandomStream rng_;
  std::vector<Change> changes_;
};

}  // namespace migsim::models::route53
