// Route 53 failover routing: a PRIMARY record guarded by a health check and a SECONDARY one.
// The health checker probes the primary endpoint every request_interval_s (30 s standard, 10 s
// fast) and changes its verdict after failure_threshold consecutive results the other way (3 by
// default); the probes' phase relative to the failure is uniform. From that moment Route 53
// answers the secondary (health is evaluated at query time: no propagation delay), and clients
// move as their cached answers expire (RecordSwitch: within one TTL, sticky clients later). So the
// last ordinary client leaves the primary at most interval x threshold + TTL after the failure.
//
// Route 53 runs checkers in several regions and decides on the share reporting healthy; they
// probe at independent phases, so one checker's view with a random phase is the model here.
#pragma once

#include "models/route53/dns_switch.hpp"

namespace migsim::models::route53 {

struct HealthCheckSettings {
  double request_interval_s = 30;  // 30 (standard) or 10 (fast)
  int failure_threshold = 3;       // 1-10
};

class FailoverRecord {
public:
  // Answers `primary` while its health check passes, `secondary` otherwise (values: site indices).
  FailoverRecord(std::string name, int primary, int secondary, HealthCheckSettings hc, DnsSettings dns,
                 sim::RandomStream rng);

  // The primary endpoint becomes healthy or unhealthy at t (t never goes backwards).
  void set_primary_healthy(double t, bool healthy);
  // The health check's status at t (what GetHealthCheckStatus reports).
  bool health_check_passing(double t);
  // What Route 53 answers at t; where a client request arriving at t goes (draws its cache age);
  // expected share of requests at t going to `value`.
  int answer(double t);
  int route(double t);
  double share(double t, int value);

  // Times the health check changed its verdict (for reports and tests).
  const std::vector<Change>& answer_changes() const { return switch_.changes(); }
  double probe_phase_s() const { return phase_s_; }
  const HealthCheckSettings& health_check() const { return hc_; }
  const RecordSwitch& record_switch() const { return switch_; }

private:
  void settle(double t);
  // When the checker reports a change of the endpoint that happened at t (if it lasts).
  double detection_time(double t) const;

  std::string name_;
  int primary_, secondary_;
  HealthCheckSettings hc_;
  RecordSwitch switch_;
  double phase_s_;
  bool reported_healthy_ = true;
  bool actual_healthy_ = true;
  double pending_at_s_ = -1;  // when the pending verdict change takes effect (< 0: none)
};

}  // namespace migsim::models::route53
