// `migsim sweep`: what-if grids. A scenario plus axes (`--set path=v1,v2,...`) gives the cartesian
// product of variants; each runs as its own `migsim run` child process (SimGrid allows one engine
// per process), up to --jobs at a time; the rows (parameters, p99, error rate, monthly cost,
// verdict, whether the variant met its SLOs and which it missed) are written as sweep.csv /
// sweep.json with the Pareto front (cost vs p99) marked, and drawn in sweep.html.
//
// The front compares designs: axes of the traffic and the run's conditions (paths under `workload`,
// `seed`, `duration_s`, `start`) are not designs, so the front is computed among the variants that
// share their values (one front per traffic level). The same grid can run on Kubernetes as an Indexed Job (one variant per
// completion index) and be merged with `migsim sweep collect`.
//
// Paths: dot-separated keys into the scenario JSON. An array step is an index (platform.services.2)
// or the `name` of an element (platform.services.api-catalog.workers). Values are JSON (numbers,
// true/false, "quoted strings"); anything that does not parse as JSON is taken as a string.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace migsim::harness::sweep {

// Bad --set, path or grid file; the message says which.
class SweepInputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct Axis {
  std::string path;
  std::vector<nlohmann::json> values;
};

// "path=v1,v2" -> Axis (commas inside [...], {...} or "..." do not split).
Axis parse_set(const std::string& arg);
// grid.json: {"axes": [{"path": ..., "values": [...]}, ...]} <-> axes.
std::vector<Axis> axes_from_json(const nlohmann::json& grid);
nlohmann::json axes_to_json(const std::vector<Axis>& axes);

// Number of variants (product of the axes' sizes; 1 with no axis).
size_t variant_count(const std::vector<Axis>& axes);
// The values of variant `index` (the last axis varies fastest), as path -> value.
std::vector<std::pair<std::string, nlohmann::json>> variant_params(const std::vector<Axis>& axes, size_t index);
// Reads a JSON document (grid, scenario, a variant's params or summary); throws SweepInputError.
nlohmann::json read_json(const std::filesystem::path& p);
// Sets doc at path to value (throws SweepInputError naming the path and the failing step).
void apply_path(nlohmann::json& doc, const std::string& path, const nlohmann::json& value);

// True for an axis of the traffic or the run's conditions rather than of the design.
bool is_condition_axis(const std::string& path);

// Variant `index` of the grid: the base scenario with its values set, checked as the loader would;
// throws SweepInputError naming the variant, its values and why (and, when the error is about a key
// the scenario lacks, how to give it to every variant).
nlohmann::json build_variant(const nlohmann::json& base, const std::vector<Axis>& axes, size_t index,
                             const std::string& scenario_path);

// One variant's outcome.
struct Row {
  size_t index = 0;
  std::vector<std::pair<std::string, nlohmann::json>> params;
  int exit_code = -1;            // of `migsim run`: 0 pass, 1 expectation failed, 3 invariant, other: no result
  std::string verdict;           // pass, fail, invariant_violated, error
  // Met its SLOs: every expectation held, except those pinning a failure (pins_failure), which must
  // not (the variant no longer shows the failure the base scenario is built to show).
  bool met_slos = false;
  std::vector<std::string> missed;  // why not: each expectation missed, measured against its bound
  double p99_ms = 0, error_rate = 0;
  double cost_per_month_usd = -1;
  std::string cost_basis;        // "model" (summary.json) or "ec2-equivalent" (see ec2_equivalent_monthly_usd)
  bool pareto = false;
  std::string dir;               // variant directory, relative to the sweep's output
};

// Monthly on-demand cost of the scenario's servers if each ran on the cheapest EC2 type of the
// price table with at least its cores as vCPUs and its RAM (used when no model priced the estate,
// e.g. on-prem: a like-for-like yardstick, not a bill). Published vCPU/GiB of each type.
double ec2_equivalent_monthly_usd(const nlohmann::json& scenario);

// The values of a row's condition axes ("workload.multiplier=2"; empty without such an axis).
std::string conditions_of(const Row& row);
// Marks rows on the Pareto front of their conditions: no other measured row with the same
// conditions is at most as costly and at most as slow with one of the two strictly better. Rows
// without a result or a cost are never on it.
void mark_pareto(std::vector<Row>& rows);
// Why a finished run missed its SLOs, from its summary.json expectations (see Row::met_slos): one
// line each, "NAME: p99_ms measured 1523.4, limit <= 400".
std::vector<std::string> missed_slos(const nlohmann::json& summary);

struct Options {
  std::string scenario_path;
  std::vector<Axis> axes;
  int jobs = 1;
  std::string out_dir = "sweep-out";
  std::optional<size_t> only_index;  // run one variant (a Kubernetes completion index)
  bool quiet = false;
};

// Runs the grid (or one index) and writes the outputs; returns the rows. Throws SweepInputError
// for a bad path or a variant that is not a valid scenario (before anything runs).
std::vector<Row> run_sweep(const Options& options, const std::string& migsim_binary);

// Reads the variant directories under each of dirs (a sweep output or a variant directory).
std::vector<Row> collect_rows(const std::vector<std::string>& dirs);
// sweep.csv, sweep.json and sweep.html in out_dir (marks the Pareto front first).
void write_outputs(std::vector<Row>& rows, const std::string& out_dir, const std::string& title);
std::string sweep_html(const std::vector<Row>& rows, const std::string& title);

// The Kubernetes manifests (ConfigMap with scenario.json and grid.json, Indexed Job) in dir.
struct K8sOptions {
  std::string name = "migsim-sweep";
  std::string image = "migsim:latest";
  int parallelism = 4;
  std::string results_claim = "migsim-sweep-results";
};
std::string k8s_manifest(const nlohmann::json& scenario, const std::vector<Axis>& axes, const K8sOptions& options);

}  // namespace migsim::harness::sweep
