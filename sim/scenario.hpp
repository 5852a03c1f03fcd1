// The scenario: what is simulated (platform), what load it gets (workload), what happens when
// (events) and what must hold at the end (expectations). Loaded strictly from JSON; every key is
// declared once in scenario.cpp with its unit, default, range and help text.
#pragma once

#include "sim/calendar.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace migsim::sim {

struct ZoneSpec {
  std::string name;
  double lan_latency_ms = 0.2;
};

struct ServerSpec {
  std::string name;
  std::string zone;
  int cores = 1;
  double speed_gflops = 1.0;  // per core; stage CPU demand is given in ms at this reference speed
  double ram_gb = 1.0;
  double disk_gb = 10.0;
  double disk_read_mbps = 200.0;   // MB/s
  double disk_write_mbps = 150.0;  // MB/s
  double nic_mbps = 1000.0;        // Mbit/s, full duplex
  double throttled_fraction = 0.0;  // not a scenario key: > 0 gives the host a second speed (burstable instances at baseline)
};

struct LinkSpec {
  std::string name;
  std::string from_zone;
  std::string to_zone;
  double bandwidth_mbps = 1000.0;  // Mbit/s per direction (of one tunnel, for a VPN)
  double latency_ms = 10.0;
  double loss_rate = 0.0;          // packet loss: caps each TCP connection (Mathis et al.)
  double mss_bytes = 1460.0;       // TCP payload per packet over this link
  int tunnels = 1;                 // 2 for a Site-to-Site VPN: active + standby
  double failover_s = 30.0;        // outage when the active tunnel drops and the other takes over
};

// A piece of software on a server that requests pass through (Nginx, an API, MySQL).
struct ServiceSpec {
  std::string name;
  std::string server;
  std::string kind;       // proxy, app, database
  int workers = 1;        // requests served concurrently (worker threads / connections)
  int queue_limit = 0;    // requests waiting for a worker beyond which new ones are rejected; 0 = none
  double queue_timeout_s = 0.0;  // a request waiting longer is dropped; 0 = wait forever
};

struct PlatformSpec {
  std::vector<ZoneSpec> zones;
  std::vector<ServerSpec> servers;
  std::vector<LinkSpec> links;
  std::vector<ServiceSpec> services;
};

// One hop of a request class: the service it visits and what it costs there.
struct StageSpec {
  std::string service;
  double cpu_ms = 0.0;            // mean CPU time at the server's per-core speed
  std::string cpu_dist = "exponential";  // exponential, constant, lognormal
  double cpu_cv = 1.0;            // coefficient of variation for lognormal
  double disk_read_kb = 0.0;
  double disk_write_kb = 0.0;
  double request_kb = 1.0;        // sent from the previous hop to this service
  bool on_target = false;         // not a scenario key: the AWS estate marks stages its load balancer routes
};

struct RequestClassSpec {
  std::string name;
  double weight = 1.0;
  double response_kb = 10.0;   // sent back from the first stage to the client
  int rows_written = 0;        // database rows committed per request (orders feed CDC)
  bool is_write = false;       // true when rows_written > 0
  std::string path;            // the URL path its requests ask for (ALB listener rules route it); "" = not given
  std::vector<StageSpec> stages;
};

struct SpikeSpec {
  double start_s = 0.0;
  double duration_s = 0.0;
  double multiplier = 1.0;
};

struct WorkloadSpec {
  std::string client_zone;
  double base_rps = 10.0;                 // average arrival rate of an ordinary day
  std::vector<double> daily_curve;        // 24 hourly factors, normalised to mean 1; empty = flat
  double multiplier = 1.0;                // e.g. Black Friday
  double start_hour = 0.0;                // local time of day at simulated t = 0 (from Scenario::start)
  std::vector<SpikeSpec> spikes;
  double client_timeout_s = 30.0;
  std::vector<RequestClassSpec> classes;
};

struct EventSpec {
  double at_s = 0.0;
  std::string action;  // server_down, server_up, set_workers, set_multiplier
  std::string target;  // server or service name (depends on the action)
  double value = 0.0;
};

struct ExpectationSpec {
  std::string name;
  std::string metric;       // see scenarios/README.md
  std::string request_class;  // optional: restricts latency/error metrics to one class
  std::string server;         // for utilisation
  std::optional<double> min;
  std::optional<double> max;
  // Optional window: simulated time [from_s, to_s), or a phase of the migration report by id
  // (the phase's name in lower case with '_' for spaces: dms_full_load, dms_cdc, cutover ...; a
  // suffix such as full_load or cdc matches too). Only for the metrics in windowed_metrics().
  std::optional<double> from_s, to_s;
  std::string phase;
  std::string capacity;                   // time_to_capacity_s: the capacity_<unit> family
  std::optional<double> capacity_target;  // time_to_capacity_s: level the family's sum must reach
  // The expectation pins a failure the scenario is built to show (e.g. p99 above 1 s): when it holds
  // the estate fails that SLO, as expected; reports say so instead of a plain PASS.
  bool pins_failure = false;
};

// An access key the mock endpoint accepts when it checks signatures (serve --enforce-sigv4).
struct CredentialSpec {
  std::string access_key_id;
  std::string secret_access_key;
};

struct Scenario {
  std::string name;
  std::string description;
  unsigned long long seed = 1;
  double duration_s = 3600.0;
  std::string start = "2025-01-01T00:00:00Z";  // the `start` key as written
  Calendar calendar;                            // simulated t = 0 on the calendar
  std::string region = "us-east-1";  // where the scenario's AWS resources live (`region`, else aws.region)
  std::string source;  // file path or "<built-in>"
  PlatformSpec platform;
  WorkloadSpec workload;
  std::vector<EventSpec> events;
  std::vector<ExpectationSpec> expectations;
  nlohmann::json migration;  // null when absent; parsed by models/cutover/migration_spec
  nlohmann::json rds;        // null when absent; parsed by models/rds/rds_spec
  nlohmann::json edge;       // null when absent; parsed by models/edge/edge_spec
  nlohmann::json aws;        // null when absent; parsed (and the platform expanded) by models/aws/aws_spec
  nlohmann::json eks;        // null when absent; parsed by models/eks/eks_spec
  std::vector<CredentialSpec> credentials;  // serve --enforce-sigv4: the keys it accepts

  const ServerSpec* server(const std::string& name) const;
  const ServiceSpec* service(const std::string& name) const;
};

// Parses and validates; throws InputError (with the JSON pointer) on any problem.
Scenario parse_scenario(const nlohmann::json& doc, const std::string& source);
// Reads the file (invalid JSON is reported with line and column) and parses it.
// The file's JSON, unvalidated (InputError with line:column when it is not JSON).
nlohmann::json read_scenario_json(const std::string& path);
Scenario load_scenario_file(const std::string& path);
// The built-in default scenario (the company's on-prem estate on an ordinary day), as JSON.
const char* default_scenario_json();

// Names of the expectation metrics understood by the harness.
const std::vector<std::string>& expectation_metrics();
// The metrics that accept a time window or phase (measured from the per-minute series).
const std::vector<std::string>& windowed_metrics();

}  // namespace migsim::sim
