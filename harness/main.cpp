// migsim: rehearse a cloud migration offline. Entry point and command-line interface.
//
// Exit codes: 0 success (all expectations hold), 1 an expectation failed, 2 bad input (scenario,
// command line), 3 a simulation invariant was violated (a bug: results cannot be trusted),
// 4 output could not be written, 5 internal error (an unexpected exception: a bug, never a crash).
#include "harness/aws/client/aws_command.hpp"
#include "harness/observe/alerts_command.hpp"
#include "harness/observe/openmetrics_recorder.hpp"
#include "harness/endpoint/endpoint_command.hpp"
#include "harness/report/compare.hpp"
#include "harness/run/output_file.hpp"
#include "harness/report/html_report.hpp"
#include "harness/report/compare_estates.hpp"
#include "harness/report/junit.hpp"
#include "harness/run/run_command.hpp"
#include "harness/run/summary.hpp"
#include "harness/runbook/runbook_command.hpp"
#include "harness/rehearse/rehearse_command.hpp"
#include "harness/serve/core/speed_option.hpp"
#include "harness/serve/core/control_plane.hpp"
#include "harness/serve/elbv2/backend.hpp"
#include "harness/sweep/sweep_command.hpp"
#include "harness/serve/core/registry.hpp"
#include "sim/json_reader.hpp"
#include "sim/scenario.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/resource.h>
#include <unistd.h>

namespace {

constexpr int kExitExpectationFailed = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInvariant = 3;
constexpr int kExitOutput = 4;
constexpr int kExitInternal = 5;

migsim::sim::Scenario load(const std::string& path) { return migsim::harness::load_scenario(path); }

// A migration section using every key, so `scenario keys` documents them.
constexpr const char* kMigrationExemplar = R"({
  "vpn_link": "exemplar-link", "vpn_wire_overhead": 1.06,
  "database": {"source_server": "db", "target_server": "rds",
               "tables": [{"name": "t", "rows": 10, "row_bytes": 100, "write_share": 1, "update_fraction": 0.5,
                           "hot_rows": 5}]},
  "dms": {"start_at_s": 0, "min_dcu": 1, "max_dcu": 4, "migration_type": "full-load-and-cdc",
          "max_full_load_subtasks": 8, "batch_apply": false,
          "error_behavior": {"recoverable_error_count": -1, "recoverable_error_interval_s": 5,
                             "recoverable_error_throttling": true, "recoverable_error_throttling_max_s": 1800,
                             "recoverable_error_stop_retry_after_throttling_max": true}},
  "mgn": {"replication_server": "mgn-repl", "install_at_s": 0, "throttle_mbps": 0,
          "servers": [{"source": "db", "target": "app-aws", "disk_gb": 1}],
          "settings": {"snapshot_interval_s": 600}},
  "target_site": {"name": "aws", "services": {"mysql": "mysql-rds"}},
  "dns": {"record": "shop.example.com", "ttl_s": 60, "sticky_share": 0.05, "sticky_hold_s": 900},
  "cutover": {"max_cdc_latency_s": 10, "drain_timeout_s": 1800, "skip_drain": false, "monitor_s": 900, "poll_s": 5},
  "calendar": {"replication_days_before_cutover": 21, "test_launches": 1, "test_launch_hours": 8,
               "test_instance_type": "t3.medium", "days_after_cutover_before_finalize": 7},
  "estimates": {"static_class": "static", "rds_instance_class": "db.m5.large", "app_instance_type": "t3.large",
                "node_instance_type": "m5.large", "rds_storage_gb": 600, "nat_gateways": 1, "nat_processed_gb": 50,
                "waf_rules": 5, "s3_static_gb": 5, "cloudwatch_metrics": 20, "cloudwatch_alarms": 10,
                "sns_requests": 10000, "sns_email_notifications": 1000, "cloudtrail_trails": 1,
                "cloudtrail_management_events": 200000, "kms_keys": 2, "kms_requests": 100000, "secrets": 2,
                "secrets_api_calls": 50000, "route53_hosted_zones": 1, "requests_per_connection": 10,
                "app_instances": 2, "app_ebs_gb_each": 30, "nodes": 3, "node_ebs_gb_each": 50,
                "rds_read_replicas": 1, "efs_gb": 20, "ecr_gb": 5, "amp_active_series": 20000, "amp_storage_gb": 10,
                "amp_query_samples": 5e9, "amg_editors": 2, "amg_viewers": 5, "amp_scrape_s": 30}
})";

// An aws section using every key, so `scenario keys` documents them.
constexpr const char* kAwsExemplar = R"({
  "region": "us-east-1", "azs": ["us-east-1a", "us-east-1b"], "client_latency_ms": 20, "inter_az_latency_ms": 0.6,
  "internet_mbps": 10000, "alb_name": "shop-alb", "alb_replaces": ["nginx"], "class_paths": {"browse": "/api/catalog/x"},
  "tiers": [{"name": "frontend", "serves": ["nginx", "frontend-app", "api-catalog", "api-cart", "api-orders"],
             "instance_type": "t3.small", "credit_mode": "unlimited", "initial_credits_fraction": 1, "speed_gflops": 1,
             "min_size": 1, "max_size": 2, "desired": 1, "workers": 8, "queue_limit": 10, "queue_timeout_s": 30,
             "boot_mean_s": 120, "boot_cv": 0.2, "warmup_s": 300, "health_check_grace_s": 300,
             "health_check_type": "ELB", "ec2_status_check_s": 60, "ebs_gb": 8, "algorithm": "round_robin",
             "slow_start_s": 0, "deregistration_delay_s": 300,
             "health_check": {"interval_s": 30, "timeout_s": 5, "healthy_threshold": 5, "unhealthy_threshold": 2},
             "policies": [{"name": "cpu", "metric": "ASGAverageCPUUtilization", "target": 50, "disable_scale_in": false,
                           "scale_out_datapoints": 3, "scale_in_datapoints": 15, "scale_in_fraction": 0.7}]},
            {"name": "catalog", "serves": ["api-catalog"], "path_patterns": ["/api/catalog/*"], "priority": 1}],
  "database": {"name": "rds", "az": "us-east-1a", "serves": ["mysql"], "cores": 2, "speed_gflops": 1, "ram_gb": 8,
               "disk_read_mbps": 250, "disk_write_mbps": 250, "workers": 151, "queue_limit": 1000,
               "queue_timeout_s": 10, "instance_class": "db.m5.large", "multi_az": true, "storage_type": "gp3",
               "storage_gb": 500},
  "cost": {"nat_gateways": 1, "nat_processed_gb_per_hour": 0.1, "route53_hosted_zones": 1,
           "route53_queries_per_request": 0.01, "requests_per_connection": 1}
})";

// An eks section using every key (on the built-in scenario's services), so `scenario keys` documents them.
constexpr const char* kEksExemplar = R"({
  "cluster_name": "shop", "zones": ["a", "b"], "provisioner": "cluster-autoscaler", "tick_s": 1,
  "node_boot_s": 90, "node_join_s": 30, "node_monitor_grace_s": 40, "pod_eviction_s": 300, "node_replace_s": 300,
  "metrics_resolution_s": 15, "hpa_sync_s": 15, "alb_latency_ms": 1,
  "fidelity": "fluid",
  "alb_target_group": {"algorithm": "round_robin", "slow_start_s": 0, "deregistration_delay_s": 300,
                       "health_check_interval_s": 15, "health_check_timeout_s": 5, "healthy_threshold": 2,
                       "unhealthy_threshold": 2},
  "node_groups": [{"name": "web", "instance_type": "m5.xlarge", "min_size": 1, "max_size": 3, "desired_size": 1}],
  "cluster_autoscaler": {"scan_interval_s": 10, "utilization_threshold": 0.5, "unneeded_time_s": 600,
                         "delay_after_add_s": 600, "max_node_provision_time_s": 900, "expander": "random"},
  "karpenter": {"instance_types": ["m5.large"], "consolidation_policy": "WhenEmpty", "consolidate_after_s": 30,
                "batch_max_s": 10},
  "efs": [{"name": "media", "throughput_mode": "elastic", "throughput_mibps": 100, "size_gib": 10}],
  "deployments": [{"name": "frontend-app", "replicas": 2, "cpu_request_m": 250, "cpu_limit_m": 500,
                   "memory_request_mib": 256, "cpu_scale": 1, "image_pull_s": 10, "container_start_s": 3,
                   "readiness_initial_delay_s": 5, "readiness_period_s": 10, "readiness_failure_threshold": 3,
                   "termination_grace_s": 30, "max_surge_pct": 25, "max_unavailable_pct": 25,
                   "efs_volume": "media", "efs_kb_per_request": 4, "max_concurrency": 0,
                   "hpa": {"min_replicas": 1, "max_replicas": 4, "target_cpu_utilization_pct": 80, "tolerance": 0.1,
                           "cpu_initialization_period_s": 300, "initial_readiness_delay_s": 30,
                           "scale_up": {"stabilization_window_s": 0, "select_policy": "Max",
                                        "policies": [{"type": "Pods", "value": 4, "period_s": 15}]},
                           "scale_down": {"stabilization_window_s": 300, "select_policy": "Max",
                                          "policies": [{"type": "Percent", "value": 100, "period_s": 15}]}}},
                  {"name": "api-catalog"}, {"name": "api-cart"}, {"name": "api-orders"}],
  "external": [{"service": "nginx", "latency_ms": 0.5}, {"service": "mysql", "latency_ms": 5}],
  "api": {"cluster_create_s": 600, "cluster_delete_s": 300, "nodegroup_create_s": 120, "nodegroup_delete_s": 300,
          "update_s": 120},
  "cost": {"node_volume_type": "gp3", "node_volume_gb": 20, "nat_gateways": 1, "nat_processed_gb_per_hour": 0.1,
           "route53_hosted_zones": 1, "route53_queries_per_request": 0.01, "requests_per_connection": 1,
           "alb_rules": -1, "efs_write_share": 0,
           "database": {"priced": true, "service": "mysql", "zone": "a", "instance_class": "db.m5.large",
                        "multi_az": true, "storage_type": "gp3", "storage_gb": 500}}
})";

// rds and edge sections using every key, so `scenario keys` documents them.
constexpr const char* kRdsExemplar = R"({
  "identifier": "shop-db", "server": "rds", "service": "mysql-rds", "instance_class": "db.m5.large",
  "multi_az": true, "az": "us-east-1a", "secondary_az": "us-east-1b",
  "storage": {"type": "gp3", "allocated_gb": 100, "iops": 0, "throughput_mbps": 0}, "io_kib": 16,
  "reserved_memory_share": 0, "max_connections": 0, "size_server": true, "refuse_when_full": true,
  "failover_min_s": 60, "failover_max_s": 120,
  "read_replica": {"identifier": "shop-db-replica", "apply_ms_per_tx": 2, "apply_ms_per_row": 0},
  "api": {"create_s": 600, "backup_s": 120, "replica_create_s": 600, "delete_s": 120, "promote_s": 180}
})";
constexpr const char* kEdgeExemplar = R"({
  "edge_latency_ms": 15, "s3_fetch_ms": 40, "edge_locations": 8,
  "waf": {"enabled": true, "malicious_share": 0.05, "block_share": 1, "rules": 5},
  "classes": [{"class": "?", "origin": "s3", "objects": 1000, "zipf_s": 0.8, "ttl_s": 86400, "hit_ratio": 0.9,
               "object_kb": 50}]
})";

// Prints the table of every scenario key, as documented in the loader.
void print_keys()
{
  // Parse the built-in scenario plus an exemplar touching every optional section, so every
  // declared key is recorded.
  auto doc = nlohmann::json::parse(migsim::sim::default_scenario_json());
  doc["platform"]["links"].push_back(
      {{"name", "exemplar-link"}, {"from_zone", doc["platform"]["zones"][0]["name"]}, {"to_zone", "exemplar-zone"}});
  doc["platform"]["zones"].push_back({{"name", "exemplar-zone"}});
  doc["workload"]["spikes"] = nlohmann::json::array({{{"start_s", 0}, {"duration_s", 1}, {"multiplier", 2}}});
  doc["events"] = nlohmann::json::array({{{"at_s", 0}, {"action", "set_multiplier"}, {"value", 1}},
                                         {{"at_s", 0}, {"action", "server_down"},
                                          {"target", doc["platform"]["servers"][0]["name"]}}});
  doc["expectations"] = nlohmann::json::array({{{"metric", "p99_ms"}, {"max", 1}}});
  doc["migration"] = nlohmann::json::parse(kMigrationExemplar);
  for (const char* server : {"rds", "mgn-repl", "app-aws"})
    doc["platform"]["servers"].push_back({{"name", server}, {"zone", "exemplar-zone"}, {"cores", 2}});
  doc["platform"]["services"].push_back({{"name", "mysql-rds"}, {"server", "rds"}, {"workers", 10}});
  doc["events"].push_back({{"at_s", 0}, {"action", "link_down"}, {"target", "exemplar-link"}});
  doc["rds"] = nlohmann::json::parse(kRdsExemplar);
  doc["events"].push_back({{"at_s", 0}, {"action", "rds_failover"}});
  doc["edge"] = nlohmann::json::parse(kEdgeExemplar);
  for (const auto& c : doc["workload"]["classes"])
    if (c.value("rows_written", 0) == 0)
      doc["edge"]["classes"][0]["class"] = c["name"];
  migsim::harness::parse_full_scenario(doc, "exemplar");
  auto aws_doc = nlohmann::json::parse(migsim::sim::default_scenario_json());
  aws_doc["aws"] = nlohmann::json::parse(kAwsExemplar);
  aws_doc.erase("expectations");  // they name on-prem servers
  aws_doc.erase("events");
  migsim::harness::parse_full_scenario(aws_doc, "aws exemplar");
  doc["eks"] = nlohmann::json::parse(kEksExemplar);
  migsim::harness::parse_full_scenario(doc, "exemplar");
  std::cout << "| key | type | unit | default | valid | meaning |\n|---|---|---|---|---|---|\n";
  for (const auto& [path, d] : migsim::sim::field_docs())
    std::cout << "| `" << path << "` | " << d.type << " | " << d.unit << " | " << d.def << " | " << d.range << " | "
              << d.help << " |\n";
}

// Writes the HTML report of a finished run into the run directory and, if asked, to another file.
void write_run_report(const migsim::harness::RunResult& result, const std::string& out_dir,
                      const std::string& report_path)
{
  migsim::harness::SeriesTable table{result.series_columns, result.series_rows};
  const auto page = migsim::harness::html_report(migsim::harness::summary_json(result), table);
  migsim::harness::write_text_file(out_dir + "/report.html", page);
  if (!report_path.empty())
    migsim::harness::write_text_file(report_path, page);
}

// `migsim report DIR [-o FILE]`: the HTML report of an existing run directory.
int report(const std::string& dir, const std::string& out_path)
{
  const std::string out = out_path.empty() ? dir + "/report.html" : out_path;
  try {
    migsim::harness::write_report_for_dir(dir, out);
  } catch (const migsim::harness::ReportInputError& e) {
    std::cerr << "migsim: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "migsim: " << e.what() << "\n";
    return kExitOutput;
  }
  std::cout << "wrote " << out << "\n";
  return 0;
}

int run(const std::string& path, const std::vector<std::string>& sets, long long seed, const std::string& out_dir,
        bool quiet, bool verbose, const std::string& junit_path, const std::string& report_path = "",
        const std::string& openmetrics_path = "")
{
  migsim::sim::Scenario sc;
  try {
    sc = migsim::harness::load_scenario(path, sets);
  } catch (const migsim::sim::InputError& e) {
    std::cerr << "migsim: " << (path.empty() ? "<built-in default>" : path) << ": " << e.what() << "\n";
    return kExitBadInput;
  }
  if (seed >= 0)
    sc.seed = static_cast<unsigned long long>(seed);
  migsim::harness::RunOptions opt;
  opt.progress = !quiet && isatty(STDERR_FILENO);
  opt.verbose = verbose;
  try {
    // Until every output is written the directory says so: a killed run never passes for a result.
    migsim::harness::mark_run_in_progress(out_dir);
  } catch (const std::exception& e) {
    std::cerr << "migsim: " << e.what() << "\n";
    return kExitOutput;
  }
  migsim::harness::observe::OpenMetricsRecorder recorder;
  auto result = openmetrics_path.empty() ? migsim::harness::run_scenario(sc, opt)
                                         : migsim::harness::observe::run_recorded(sc, verbose, recorder);
  result.settings = sets;
  try {
    migsim::harness::write_summary(result, out_dir);
    if (!openmetrics_path.empty()) {
      std::ostringstream om;  // written like every other output: temporary file, then rename
      recorder.write(om);
      migsim::harness::write_text_file(openmetrics_path, om.str());
    }
    if (!junit_path.empty())
      migsim::harness::write_junit(result, junit_path);
    write_run_report(result, out_dir, report_path);
    migsim::harness::mark_run_complete(out_dir);
  } catch (const std::exception& e) {
    std::cerr << "migsim: " << e.what() << "\n";
    return kExitOutput;
  }
  if (!quiet) {
    migsim::harness::print_summary(result, std::cout);
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::cout << "\n  wrote " << out_dir << "/summary.json, " << out_dir << "/timeseries.csv and " << out_dir
              << "/report.html\n  "
              << result.arrivals << " requests, " << result.events << " simulation events in " << result.wall_s
              << " s wall, peak memory " << usage.ru_maxrss / 1024 << " MB\n";
  } else {
    std::cout << (result.all_invariants_held() ? (result.all_expectations_passed() ? "PASS" : "FAIL") : "INVARIANT VIOLATED")
              << " " << sc.name << "\n";
  }
  if (!result.all_invariants_held()) {
    std::cerr << "migsim: simulation invariant violated; results cannot be trusted (see summary)\n";
    return kExitInvariant;
  }
  return result.all_expectations_passed() ? 0 : kExitExpectationFailed;
}

// `migsim compare`: exit 0 no regression, 1 at least one, 2 bad input, 4 --json not writable.
int compare(const std::string& base_path, const std::string& current_path, double tolerance,
            const std::vector<std::string>& tolerance_for, const std::string& json_out)
{
  migsim::harness::CompareOptions opt;
  opt.tolerance = tolerance;
  for (const auto& t : tolerance_for) {
    const auto eq = t.rfind('=');
    double v = -1;
    try {
      size_t used = 0;
      if (eq != std::string::npos && eq > 0) {
        v = std::stod(t.substr(eq + 1), &used);
        if (used != t.size() - eq - 1)
          v = -1;
      }
    } catch (const std::exception&) {
      v = -1;
    }
    if (!(v >= 0)) {
      std::cerr << "migsim: --tolerance-for " << t << ": expected METRIC=X with X >= 0\n";
      return kExitBadInput;
    }
    opt.per_metric[t.substr(0, eq)] = v;
  }
  migsim::harness::Comparison c;
  try {
    std::string base_file, current_file;
    const auto base = migsim::harness::load_summary_for_compare(base_path, &base_file);
    const auto current = migsim::harness::load_summary_for_compare(current_path, &current_file);
    c = migsim::harness::compare_summaries(base, current, opt, base_file, current_file);
  } catch (const migsim::harness::CompareInputError& e) {
    std::cerr << "migsim: " << e.what() << "\n";
    return kExitBadInput;
  }
  for (const auto& w : c.warnings)
    std::cout << "warning: " << w << "\n";
  if (!c.warnings.empty())
    std::cout << "\n";
  migsim::harness::print_comparison(c, std::cout);
  if (!json_out.empty()) {
    try {
      migsim::harness::write_text_file(json_out, migsim::harness::comparison_json(c).dump(2) + "\n");
    } catch (const std::exception& e) {
      std::cerr << "migsim: " << e.what() << "\n";
      return kExitOutput;
    }
  }
  return c.regressions > 0 ? 1 : 0;
}

// `migsim compare-estates`: exit 0, 2 bad input, 4 --json not writable.
int compare_estates(const std::vector<std::string>& paths, const std::string& json_out)
{
  std::vector<migsim::harness::EstateColumn> runs;
  try {
    for (const auto& p : paths)
      runs.push_back(migsim::harness::load_estate(p));
  } catch (const migsim::harness::CompareInputError& e) {
    std::cerr << "migsim: " << e.what() << "\n";
    return kExitBadInput;
  }
  migsim::harness::print_estates(runs, std::cout);
  if (!json_out.empty()) {
    try {
      migsim::harness::write_text_file(json_out, migsim::harness::estates_json(runs).dump(2) + "\n");
    } catch (const std::exception& e) {
      std::cerr << "migsim: " << e.what() << "\n";
      return kExitOutput;
    }
  }
  return 0;
}


// Parses the command line and runs the subcommand; main() wraps it so nothing ends on an exception.
int dispatch(int argc, char** argv)
{
  CLI::App app{"migsim: rehearse a cloud migration offline (simulated estate, mocked AWS, real runbooks).\n"
               "Exit codes: 0 ok, 1 expectation failed, 2 bad input, 3 invariant violated, 4 output error, "
               "5 internal error."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "migsim 0.1.0");

  auto* run_cmd = app.add_subcommand("run", "Run a scenario to its end; print a summary and write summary.json and "
                                            "timeseries.csv. Without SCENARIO, runs the built-in default "
                                            "(the on-prem estate on an ordinary day).");
  std::string scenario_path, out_dir = "migsim-out";
  long long seed = -1;
  bool quiet = false, verbose = false;
  run_cmd->add_option("scenario", scenario_path, "Scenario JSON file (see scenarios/README.md)");
  run_cmd->add_option("--seed", seed, "Override the scenario's seed (a non-negative integer)")
      ->check(CLI::Range(0LL, (1LL << 53)));
  run_cmd->add_option("--out", out_dir, "Directory for summary.json and timeseries.csv")->capture_default_str();
  std::vector<std::string> run_sets;
  run_cmd->add_option("--set", run_sets,
                      "Change one scenario key for this run, PATH=VALUE (the syntax of sweep --set with one value, "
                      "e.g. workload.multiplier=2 or platform.servers.db.cores=8); repeatable")
      ->allow_extra_args(false);
  run_cmd->add_flag("-q,--quiet", quiet, "Print only the verdict line (no progress, no summary)");
  run_cmd->add_flag("-v,--verbose", verbose, "Echo the simulation event log on stderr");
  std::string junit_path;
  run_cmd->add_option("--junit", junit_path,
                      "Also write a JUnit XML report (one testcase per expectation and per invariant) to FILE");

  std::string report_path;
  run_cmd->add_option("--report", report_path,
                      "Also write the HTML report to FILE (it is always written to the --out directory as report.html)");
  std::string openmetrics_path;
  run_cmd->add_option("--openmetrics", openmetrics_path,
                      "Also write every metric, sampled each simulated minute, as OpenMetrics with timestamps on the "
                      "scenario's calendar to FILE (promtool tsdb create-blocks-from openmetrics FILE DIR)");

  auto* report_cmd = app.add_subcommand(
      "report", "Write the HTML report (self-contained, works offline) of a run directory holding summary.json and "
                "timeseries.csv.");
  std::string report_dir, report_out;
  report_cmd->add_option("dir", report_dir, "Run directory (migsim run --out DIR)")->required();
  report_cmd->add_option("-o,--output", report_out, "Output file (default: DIR/report.html)");

  migsim::harness::sweep::SweepArgs sweep_args;
  CLI::App* collect_cmd = nullptr;
  auto* sweep_cmd = migsim::harness::sweep::add_sweep_command(app, sweep_args, &collect_cmd);

  auto* compare_cmd = app.add_subcommand(
      "compare", "Compare two runs' summary.json metric by metric; exit 1 if CURRENT regressed beyond the "
                 "tolerance (2: unreadable or invalid input).");
  std::string compare_base, compare_current, compare_json;
  double compare_tolerance = 0.05;
  std::vector<std::string> compare_tolerance_for;
  compare_cmd->add_option("base", compare_base, "Baseline summary.json, or a directory containing one")->required();
  compare_cmd->add_option("current", compare_current, "Current summary.json, or a directory containing one")
      ->required();
  compare_cmd->add_option("--tolerance", compare_tolerance, "Relative tolerance for every metric (0.05 = 5 %)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e9));
  compare_cmd->add_option("--tolerance-for", compare_tolerance_for,
                          "Tolerance for one metric, METRIC=X (e.g. latency_ms.p99=0.2); repeatable")
      ->allow_extra_args(false);
  compare_cmd->add_option("--json", compare_json, "Also write the comparison as JSON to OUT");
  auto* estates_cmd = app.add_subcommand(
      "compare-estates", "Put runs of one traffic profile side by side (on-prem, as-is, EKS): latency, errors, "
                         "capacity, monthly cost, and hour by hour p99 / nodes from each run's timeseries.csv");
  std::vector<std::string> estates_runs;
  std::string estates_json;
  estates_cmd->add_option("runs", estates_runs, "summary.json files, or directories holding one")->required();
  estates_cmd->add_option("--json", estates_json, "Also write the table as JSON to OUT");

  auto* sc_cmd = app.add_subcommand("scenario", "Inspect and validate scenarios.");
  sc_cmd->require_subcommand(1);
  auto* check_cmd = sc_cmd->add_subcommand("check", "Validate scenario files (exit 2 on the first bad one).");
  std::vector<std::string> check_files;
  check_cmd->add_option("files", check_files, "Scenario JSON files")->required();
  auto* keys_cmd = sc_cmd->add_subcommand("keys", "Print every scenario key as a Markdown table.");
  auto* default_cmd = sc_cmd->add_subcommand("default", "Print the built-in default scenario.");

  auto* serve_cmd = app.add_subcommand("serve", "Serve the scenario's simulated AWS (harness/COVERAGE.md) on one port, "
                                                "LocalStack-style, while the simulation runs at --speed.");
  std::string serve_scenario, serve_speed = "1";
  migsim::harness::serve::ServeOptions serve_opt;
  serve_cmd->add_option("scenario", serve_scenario, "Scenario JSON file (see scenarios/README.md)");
  bool serve_coverage = false;
  serve_cmd->add_flag("--coverage", serve_coverage,
                      "Print the implemented operations (service, operation, protocol, honoured members) as the "
                      "Markdown of harness/COVERAGE.md and exit");
  serve_cmd->add_option("--host", serve_opt.host, "Address to listen on (loopback by default)")->capture_default_str();
  serve_cmd->add_option("--port", serve_opt.port, "TCP port (0: any free port)")->capture_default_str();
  serve_cmd->add_option("--allowed-origin", serve_opt.allowed_origins,
                        "A web origin (https://console.example:8443) allowed to call the endpoint from a browser "
                        "besides pages on localhost, 127.0.0.1 and [::1]; '*' allows any (repeatable)");
  serve_cmd->add_option("--allowed-host", serve_opt.allowed_hosts,
                        "A Host name the control plane (/_migsim/*, /_localstack/*) answers besides localhost, "
                        "127.0.0.1, ::1 and --host (repeatable)");
  serve_cmd->add_flag("--enforce-sigv4", serve_opt.enforce_sigv4,
                      "Check every AWS call's Signature V4 against the scenario's /credentials (off: any "
                      "credentials are accepted, as LocalStack does)");
  serve_cmd->add_option("--timing", serve_opt.timings,
                        "NAME=SECONDS: how long a platform resource takes on the simulated clock (repeatable; "
                        "names and defaults in docs/terraform-eks.md, e.g. efs_mount_target_create_s=90)");
  serve_cmd
      ->add_option("--elbv2-provisioning-s", migsim::harness::serve::elbv2::provisioning_s_option(),
                   "Simulated seconds a load balancer created with CreateLoadBalancer stays provisioning "
                   "before it is active (not published by AWS)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));
  long long serve_seed = -1;
  serve_cmd->add_option("--seed", serve_seed, "Override the scenario's seed (a non-negative integer)")
      ->check(CLI::NonNegativeNumber);
  auto* state_dir_opt = serve_cmd->add_option(
      "--state-dir", serve_opt.state_dir,
      "Keep the endpoint's state in DIR: every state-changing call, event, clock move and chaos rule is "
      "journaled there before it is answered, and a restart with the same scenario, seed and settings replays "
      "it (exit 6 when DIR holds another scenario's or seed's journal; docs/persistence.md)")
      ->type_name("DIR");
  serve_cmd
      ->add_option("--restore", serve_opt.restore,
                   "Resume from snapshot NAME of --state-dir (saved with POST /_migsim/state {\"save\": NAME}); "
                   "the journal it replaces is kept as journal.superseded-N.bin")
      ->type_name("NAME")
      ->needs(state_dir_opt);
  serve_cmd
      ->add_option("--speed", serve_speed,
                   "Simulated seconds per wall second; 0 pauses (the clock then moves only via POST "
                   "/_migsim/clock); max runs 60 simulated s per 20 ms tick")
      ->capture_default_str()
      ->check(migsim::harness::serve::SpeedOption{.zero_allowed = true});

  auto* aws_cmd = app.add_subcommand("aws", "Call one AWS API operation through migsim's own AWS client (SigV4, "
                                            "standard retries) and print its output as JSON; exit 1 if it fails.");
  migsim::aws::AwsCommandArgs aws_args;
  aws_cmd->add_option("service", aws_args.service, "Service (botocore client name: dms, mgn, elbv2, route53, sts...)")
      ->required();
  aws_cmd->add_option("operation", aws_args.operation, "Operation (API name: DescribeReplications...)")->required();
  aws_cmd->add_option("--input", aws_args.input, "Input as a JSON object, or file://PATH")->capture_default_str();
  aws_cmd->add_option("--endpoint-url", aws_args.endpoint_url,
                      "Endpoint URL (else AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, config, real AWS)");
  aws_cmd->add_option("--region", aws_args.region, "Region (else AWS_REGION, AWS_DEFAULT_REGION, config)");
  aws_cmd->add_option("--profile", aws_args.profile, "Profile of the shared config files (else AWS_PROFILE)");
  aws_cmd->add_option("--max-attempts", aws_args.max_attempts, "Attempts in total (standard retry mode)")
      ->capture_default_str()
      ->check(CLI::Range(1, 10));
  aws_cmd->add_flag("--debug", aws_args.debug, "Log each request on stderr (secrets masked)");
  migsim::harness::runbook::RunbookCli runbook_cli(app);
  migsim::harness::rehearse::RehearseCli rehearse_cli(app);
  migsim::harness::observe::AlertsCli alerts_cli(app);
  migsim::harness::endpoint::EndpointCli endpoint_cli(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  }

  if (const auto rc = runbook_cli.run())
    return *rc;
  if (const auto rc = rehearse_cli.run())
    return *rc;
  if (const auto rc = alerts_cli.run())
    return *rc;
  if (const auto rc = endpoint_cli.run(std::cout, std::cerr))
    return *rc;
  if (*run_cmd)
    return run(scenario_path, run_sets, seed, out_dir, quiet, verbose, junit_path, report_path, openmetrics_path);
  if (*aws_cmd)
    return migsim::aws::run_aws_command(aws_args, std::cout, std::cerr);
  if (*report_cmd)
    return report(report_dir, report_out);
  if (*sweep_cmd)
    return migsim::harness::sweep::run_sweep_command(sweep_args, static_cast<bool>(*collect_cmd));
  if (*estates_cmd)
    return compare_estates(estates_runs, estates_json);
  if (*compare_cmd)
    return compare(compare_base, compare_current, compare_tolerance, compare_tolerance_for, compare_json);
  if (*serve_cmd) {
    if (serve_coverage) {
      std::cout << migsim::harness::serve::coverage_markdown(migsim::harness::serve::registry());
      return 0;
    }
    if (serve_scenario.empty()) {
      std::cerr << "migsim serve: a SCENARIO is required (or --coverage)\n";
      return kExitBadInput;
    }
    migsim::sim::Scenario sc;
    try {
      sc = load(serve_scenario);
    } catch (const migsim::sim::InputError& e) {
      std::cerr << "migsim: " << serve_scenario << ": " << e.what() << "\n";
      return kExitBadInput;
    }
    if (serve_seed >= 0)
      sc.seed = static_cast<unsigned long long>(serve_seed);
    serve_opt.scenario_path = serve_scenario;
    if (serve_opt.enforce_sigv4 && sc.credentials.empty()) {
      std::cerr << "migsim: " << serve_scenario << ": --enforce-sigv4 needs access keys in the scenario's /credentials\n";
      return kExitBadInput;
    }
    serve_opt.speed = serve_speed == "max" ? migsim::harness::serve::Speed{0, true}
                                           : migsim::harness::serve::Speed{std::stod(serve_speed), false};
    return migsim::harness::serve::run_serve(sc, serve_opt);
  }
  if (*check_cmd) {
    for (const auto& f : check_files) {
      try {
        auto sc = migsim::harness::load_scenario(f);
        std::cout << f << ": ok (" << sc.name << ")\n";
      } catch (const migsim::sim::InputError& e) {
        std::cerr << "migsim: " << f << ": " << e.what() << "\n";
        return kExitBadInput;
      }
    }
    return 0;
  }
  if (*keys_cmd) {
    print_keys();
    return 0;
  }
  if (*default_cmd) {
    std::cout << migsim::sim::default_scenario_json();
    return 0;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv)
{
  try {
    return dispatch(argc, argv);
  } catch (const migsim::sim::InputError& e) {
    std::cerr << "migsim: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::bad_alloc&) {
    std::cerr << "migsim: out of memory\n";
    return kExitInternal;
  } catch (const std::exception& e) {
    std::cerr << "migsim: internal error: " << e.what() << "\n";
    return kExitInternal;
  } catch (...) {
    std::cerr << "migsim: internal error: an unknown exception\n";
    return kExitInternal;
  }
}
