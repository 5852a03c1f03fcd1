// CloudWatch metric alarms evaluated on the simulated data: PutMetricAlarm, DescribeAlarms,
// DeleteAlarms, SetAlarmState, DescribeAlarmHistory. Each alarm is evaluated at every simulated
// minute boundary (as CloudWatch evaluates every minute) over its last EvaluationPeriods periods
// ending there; the transitions are stamped with the simulated time of that boundary, however late
// the evaluation runs, so the history is the same whatever the wall-clock pacing. Missing data
// (periods with no complete minute, or a metric that does not exist yet) follow TreatMissingData.
// Transitions publish to the alarm's actions (SNS topic ARNs) through `publish`.
#pragma once

#include "harness/serve/cloudwatch/metrics.hpp"
#include "harness/serve/core/errors.hpp"
#include "harness/serve/core/resource.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migsim::harness::serve::cloudwatch {

struct AlarmSpec {
  std::string name, description, name_space, metric_name, statistic, unit;
  Dimensions dimensions;
  int period_s = 60;
  int evaluation_periods = 1;
  int datapoints_to_alarm = 0;  // 0: same as evaluation_periods
  bool datapoints_given = false;  // PutMetricAlarm named DatapointsToAlarm (DescribeAlarms shows it only then)
  double threshold = 0;
  std::string comparison;       // GreaterThanThreshold, ...
  std::string treat_missing = "missing";  // missing, ignore, breaching, notBreaching
  bool actions_enabled = true;
  std::vector<std::string> alarm_actions, ok_actions, insufficient_data_actions;
};

struct Alarm {
  AlarmSpec spec;
  std::string state = "INSUFFICIENT_DATA";
  std::string reason = "Unchecked: Initial alarm creation";
  nlohmann::json reason_data;  // null until evaluated
  double state_updated_s = 0, config_updated_s = 0, transitioned_s = 0;
  long last_evaluated_minute = -1;
  std::string region = "us-east-1";  // its book's
  std::string arn() const { return arn_in(region, "cloudwatch", "alarm:" + spec.name); }
};

struct HistoryItem {
  std::string alarm_name;
  double t_s;
  std::string type;     // ConfigurationUpdate, StateUpdate, Action
  std::string summary;
  std::string data;     // JSON text
};

// What an alarm action sends to an SNS topic.
struct Notification {
  std::string topic_arn, subject, message;
  double t_s;
};

class AlarmBook {
public:
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  std::string region = "us-east-1";         // of its alarms (set by ServeContext::state)
  // Validates and stores (replaces an alarm of the same name, keeping its state). Throws AwsError.
  void put(AlarmSpec spec, double now_s);
  // Deletes the named alarms; ResourceNotFound (nothing deleted) if one does not exist.
  void remove(const std::vector<std::string>& names);
  // SetAlarmState: until the next evaluation.
  void set_state(const std::string& name, const std::string& state, const std::string& reason, double now_s);
  // Evaluates every alarm at each minute boundary up to now.
  void evaluate(const CatalogContext& ctx);

  const std::map<std::string, Alarm>& alarms() const { return alarms_; }
  const std::vector<HistoryItem>& history() const { return history_; }
  const std::vector<Notification>& notifications() const { return notifications_; }
  // Where alarm actions go: true when delivered (default: only recorded in notifications()).
  std::function<bool(const Notification&)> publish;

private:
  void evaluate_at(Alarm& a, const std::optional<MetricSource>& metric, const std::vector<double>& minutes, long minute);
  void transition(Alarm& a, const std::string& to, const std::string& reason, nlohmann::json data, double t_s);

  std::map<std::string, Alarm> alarms_;
  std::vector<HistoryItem> history_;
  std::vector<Notification> notifications_;
};

// Whether value compares as breaching against threshold under a CloudWatch ComparisonOperator.
bool breaches(const std::string& comparison, double value, double threshold);

}  // namespace migsim::harness::serve::cloudwatch
