// `migsim compare-estates RUN...`: puts several runs of one traffic profile side by side (on-prem,
// AWS as-is, EKS ...): latency, errors, capacity and monthly cost, plus capacity and p99 hour by
// hour when the run's timeseries.csv sits beside its summary.json. Generic over summary.json: a
// hour-by-hour rows are aligned by calendar time (each run's scenario.start; a run without one is
// taken to start at the default 2025-01-01T00:00:00Z and flagged), not by hours since each run's own
// start, so 18:00 of one run sits beside 18:00 of another. A
// monthly cost is taken from any section that reports one ("monthly_run_rate" or a key starting
// with "monthly"), capacity from the EKS section (nodes) or the servers' cores. Runs whose summary
// holds an itemised recurring bill (aws.cost for the as-is estate, eks.cost for EKS: models/cost
// Bill JSON) are also put side by side line by line: one row per price item, grouped by service, in
// USD per 730-hour month, so the same resources (ALB, RDS, NAT, EBS, transfer ...) align.
#pragma once

#include "sim/calendar.hpp"

#include <nlohmann/json.hpp>

#include <map>

#include <ostream>
#include <string>
#include <vector>

namespace migsim::harness {

// One priced item of a run's recurring bill, projected to a month.
struct EstateBillLine {
  std::string service;
  std::string item;
  double monthly_usd = 0;
};

struct EstateColumn {
  std::string file;
  std::string scenario;
  double p50_ms = 0, p95_ms = 0, p99_ms = 0, error_rate = 0, throughput_rps = 0;
  unsigned long long requests = 0;
  std::string capacity;       // e.g. "peak 4 nodes" or "6 cores"
  double monthly_usd = -1;    // -1: the run reports no cost
  std::string cost_source;    // the summary.json key it came from
  std::vector<EstateBillLine> bill;  // recurring bill by item (summed), empty when none
  std::vector<double> hourly_p99_ms;    // max of the minutes of each hour (empty without timeseries.csv)
  std::vector<double> hourly_capacity;  // eks_nodes_total (EKS) or 0
  sim::Calendar calendar;               // the run's scenario.start
  bool start_known = false;             // false: summary.json has no scenario.start (the default assumed)
  // Keyed by the calendar hour (Unix time / 3600, UTC): worst-minute p99 and nodes in that hour.
  std::map<long long, double> p99_by_hour, nodes_by_hour;
};

// Reads one run (summary.json file or its directory). Throws CompareInputError naming the file.
EstateColumn load_estate(const std::string& path);
void print_estates(const std::vector<EstateColumn>& runs, std::ostream& out);
nlohmann::json estates_json(const std::vector<EstateColumn>& runs);
// The bills aligned: every (service, item) any run has, services in first-seen order, and each
// run's monthly USD for it (-1 where the run has no such line; all -1 for a run without a bill).
struct AlignedBillRow {
  std::string service;
  std::string item;  // empty: the service's subtotal row
  std::vector<double> monthly_usd;
};
std::vector<AlignedBillRow> align_bills(const std::vector<EstateColumn>& runs);

}  // namespace migsim::harness
