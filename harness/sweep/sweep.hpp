// `migsim sweep`: what-if grids. A scenario plus axes (`--set path=v1,v2,...`) gives the cartesian
// product of variants; each runs as its own `migsim run` child process (SimGrid allows one engine
// per process), up to --jobs at a time; the rows (parameters, p99, error rate, monthly cost,
// verdict) are written as sweep.csv / sweep.json with the Pareto front (cost vs p99) marked, and
// drawn in sweep.html. The same grid can run on Kubernetes as an Indexed Job (one variant per
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

// One variant's outcome.
struct Row {
  size_t index = 0;
  std::vector<std::pair<std::string, nlohmann::json>> params;
  int exit_code = -1;            // of `migsim run`: 0 pass, 1 expectation failed, 3 invariant, other: no result
  std::string verdict;           // pass, fail, invariant_violated, error
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

// Marks rows on the Pareto front: no other measured row is at most as costly and at most as slow
// with one of the two strictly better. Rows without a result or a cost are never on it.
void mark_pareto(std::vector<Row>& rows);

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
