// What one batch run produced: totals, per-class latency, per-server utilisation, the invariant
// checks, expectation verdicts and the per-minute time series. summary.json is this, serialised.
#pragma once

#include "sim/calendar.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migsim::harness {

struct ClassResult {
  std::string name;
  unsigned long long arrivals = 0, completed = 0, rejected = 0, timeouts = 0, server_errors = 0;
  double p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0, mean_ms = 0;
};

struct ServerResult {
  std::string name;
  int cores = 0;
  double utilisation = 0;  // busy cores / cores, averaged over the run
  double peak_minute_utilisation = 0;
};

struct ServiceResult {
  std::string name;
  std::string server;
  int workers = 0;
  unsigned long long peak_queue = 0;
  unsigned long long served = 0;
  double mean_wait_ms = 0;
};

struct ExpectationResult {
  std::string name;
  std::string metric;
  double measured = 0;
  std::optional<double> min, max;
  bool passed = false;
  std::string window;  // "2025-11-28 18:00:00 to 2025-11-28 19:00:00" or "phase dms_cdc (...)"; empty: the whole run
  std::string note;    // why the value could not be measured (measured is NaN then)
  bool pins_failure = false;  // the bound describes a failure the scenario is built to show
};

struct InvariantResult {
  std::string name;
  bool held = false;
  std::string detail;
};

// The lift-and-shift part of a run (present when the scenario has a migration section).
struct MigrationResult {
  struct Phase {
    std::string name;
    double start_s = -1, end_s = -1;
    std::string detail;
    bool skipped = false;  // did not run; detail says why
  };
  struct Table {
    std::string name;
    unsigned long long source_rows = 0, target_rows = 0;
    std::string source_checksum, target_checksum;
    bool match = false;
  };
  std::vector<Phase> phases;
  std::string cutover_result;
  std::string cutover_failed_step, cutover_reason;
  double cutover_started_s = -1, writes_stopped_s = -1, drained_s = -1, dms_stopped_s = -1, launched_s = -1,
         dns_switched_s = -1, dns_insync_s = -1, finalized_s = -1, cutover_duration_s = -1;
  unsigned long long source_committed = 0, target_applied = 0, lost_transactions = 0, behind_transactions = 0;
  bool integrity_clean = false;
  std::vector<Table> tables;
  unsigned long long refused_writes = 0, target_site_commits = 0;
  double writes_unavailable_s = 0, shift_95_s = -1, rto_s = -1;
  std::vector<std::pair<double, double>> dns_shift;
  double max_cdc_latency_s = 0;
  int dms_dcu_peak = 0;
  std::vector<std::pair<double, int>> dms_capacity;  // (t, DCU) at each capacity change
  std::string dms_status;
  std::vector<std::pair<std::string, std::string>> mgn_states;
  double migration_cost_usd = 0;
  std::vector<std::pair<std::string, double>> migration_cost_by_service;
  nlohmann::json cost_bill;  // itemised, as the cost model presents it
  // The design's three estimates (migration over its calendar, post-migration and
  // post-modernisation months), the calendar and the monthly traffic they assume.
  nlohmann::json estimates;
};

// What an EKS run adds (the estate on EKS): capacity timing, node usage and cost.
struct EksResult {
  std::string provisioner;
  double time_to_capacity_max_s = 0;
  double cost_usd = 0;          // control plane + nodes over the run
  double monthly_cost_usd = 0;  // the same rate over 730 h
  double node_hours = 0;
  int max_pending_pods = 0;
  nlohmann::json detail;        // everything, as summary.json shows it
};

struct RunResult {
  std::string scenario;
  std::string source;
  std::vector<std::string> settings;  // `run --set` PATH=VALUE applied to the scenario, in order
  unsigned long long seed = 0;
  double duration_s = 0;
  sim::Calendar calendar;  // simulated t = 0 on the scenario's calendar

  unsigned long long arrivals = 0, completed = 0, failed = 0, in_flight = 0;
  unsigned long long rejected = 0, timeouts = 0, server_errors = 0, in_flight_past_deadline = 0;
  unsigned long long transactions_committed = 0, rows_committed = 0;
  double expected_arrivals = 0;  // integral of the traffic profile
  double p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0, mean_ms = 0;
  double error_rate = 0;
  double throughput_rps = 0;

  // Little's law: L (time-average in system) against lambda * W.
  double little_l = 0, little_lambda = 0, little_w_s = 0, little_rel_error = 0;

  std::vector<ClassResult> classes;
  std::vector<ServerResult> servers;
  std::vector<ServiceResult> services;
  std::vector<ExpectationResult> expectations;
  std::vector<InvariantResult> invariants;
  std::optional<MigrationResult> migration;
  // Recurring cost of the simulated estate per 730-hour month at list prices; < 0: not priced by
  // the models of this scenario (models that price an estate set it).
  double cost_per_month_usd = -1;
  nlohmann::json rds;   // the RDS instance's report (null without an "rds" section)
  nlohmann::json edge;  // CloudFront / WAF report (null without an "edge" section)
  std::map<std::string, double> model_metrics;  // expectation metrics the models measure (rds_*, edge_*)
  // The AWS as-is estate (an aws section): groups, scaling activities, load balancer, monthly bill.
  std::optional<nlohmann::json> aws;
  std::map<std::string, double> aws_metrics;  // aws_monthly_cost_usd, aws_peak_instances, ...
  std::optional<EksResult> eks;

  // Per-minute series: column names and rows (minute index first).
  std::vector<std::string> series_columns;
  std::vector<std::vector<double>> series_rows;

  // Not in summary.json (not deterministic): wall-clock figures.
  double wall_s = 0;
  unsigned long long events = 0;

  bool all_expectations_passed() const;
  // Some expectation pins a failure (the scenario is built to show one) and every such one held:
  // the estate fails its SLOs, as the scenario means it to.
  bool failure_reproduced() const;
  bool pins_failures() const;
  bool all_invariants_held() const;
};

}  // namespace migsim::harness
