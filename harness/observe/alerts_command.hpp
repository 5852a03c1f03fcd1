// `migsim alerts RULES.yml RUN`: which alerts of a Prometheus rule file would have fired during a
// recorded run, when and for how long. The rules are evaluated by the real Prometheus rule engine
// (`promtool test rules`) over input series generated from the run's OpenMetrics file, one
// evaluation per simulated minute; the firing alerts it reports become intervals, printed and
// written to RUN/alerts.json (which the run's HTML report shows as a timeline).
//
// Exit codes: 0 no alert fired, 1 at least one fired, 2 bad input (files, rule file rejected by
// promtool, promtool missing), 4 output could not be written.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace migsim::harness::observe {

// One alert instance (alert name + labels) and the simulated intervals it was firing.
struct AlertFiring {
  std::string alert;
  std::map<std::string, std::string> labels;  // alertname included
  std::vector<std::pair<double, double>> intervals_s;  // [from, to) in simulated seconds
};

// Series of an OpenMetrics file of `migsim run --openmetrics`: series text (name{labels}) ->
// (simulated seconds, value). Simulated second 0 comes from the file's migsim_simulated_time_seconds
// samples; its Unix time goes to *start_epoch_s.
std::map<std::string, std::vector<std::pair<double, double>>> read_openmetrics_series(const std::string& path,
                                                                                      double* start_epoch_s);
// Alert names declared in a rule file (the `alert:` keys).
std::vector<std::string> alert_names(const std::string& rules_path);
// The `promtool test rules` input that evaluates every alert each minute of the run.
std::string promtool_test_yaml(const std::string& rules_path,
                               const std::map<std::string, std::vector<std::pair<double, double>>>& series,
                               const std::vector<std::string>& alerts, double step_s, size_t* evaluations = nullptr);
// The firing alerts reported by promtool (its failure output against "no alert expected").
std::vector<AlertFiring> parse_promtool_failures(const std::string& output, double step_s);
nlohmann::json alerts_json(const std::string& rules_path, const std::vector<AlertFiring>& firing, double step_s,
                           double run_end_s);

class AlertsCli {
public:
  explicit AlertsCli(CLI::App& app);
  std::optional<int> run() const;

private:
  CLI::App* cmd_ = nullptr;
  std::string rules_, run_;
  std::string promtool_ = "promtool";
};

}  // namespace migsim::harness::observe
