// `migsim compare`: regression check of one run's summary.json against a baseline's. The outcome
// comes first (the verdict, the cutover's result, each expectation's pass/fail): any worse outcome
// is a regression whatever the numbers say. Then metric by metric, with a relative tolerance per
// metric and a direction (higher or lower is worse); a metric one run does not have (a cutover
// duration when the cutover aborted) is reported as absent, never compared as 0.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace migsim::harness {

// Unreadable or invalid comparison input; what() names the file.
struct CompareInputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CompareOptions {
  double tolerance = 0.05;                    // relative, applied to every metric
  std::map<std::string, double> per_metric;  // overrides by exact metric name
};

enum class CompareStatus { Ok, Regression, Improved, Absent };

// One outcome of the two runs: "verdict", "cutover" or "expectation <name>", as words.
struct OutcomeComparison {
  std::string item;
  std::string base, current;  // e.g. "pass" / "fail", "completed" / "aborted", "PASS" / "absent"
  CompareStatus status = CompareStatus::Ok;
};

struct MetricComparison {
  std::string metric;  // e.g. latency_ms.p99, class.get.errors, server.box.utilisation
  double base = 0, current = 0;
  // Why a run has no value (e.g. "cutover aborted"); status is then Absent and nothing is compared.
  std::string base_absent, current_absent;
  std::optional<double> change;  // (current - base) / |base|; empty when base is 0
  bool higher_is_worse = true;
  bool is_count = false;
  double tolerance = 0;
  CompareStatus status = CompareStatus::Ok;
};

struct Comparison {
  std::string base_file, current_file;
  std::string base_scenario, current_scenario;
  std::vector<OutcomeComparison> outcome;
  std::vector<MetricComparison> metrics;
  std::vector<std::string> warnings;
  int regressions = 0;  // outcome and metric regressions together
};

// PATH is a summary.json file or a directory containing one. Throws CompareInputError.
nlohmann::json load_summary_for_compare(const std::string& path, std::string* resolved_file = nullptr);

// Compares two parsed summaries (schema v1). Throws CompareInputError (naming the given file
// names) when a required field is missing or has the wrong type.
Comparison compare_summaries(const nlohmann::json& base, const nlohmann::json& current, const CompareOptions& opt,
                             const std::string& base_file = "BASE", const std::string& current_file = "CURRENT");

void print_comparison(const Comparison& c, std::ostream& out);
nlohmann::json comparison_json(const Comparison& c);
const char* status_name(CompareStatus s);

}  // namespace migsim::harness
