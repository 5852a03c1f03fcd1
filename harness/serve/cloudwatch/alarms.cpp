#include "harness/serve/cloudwatch/alarms.hpp"

#include "harness/serve/core/resource.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace migsim::harness::serve::cloudwatch {

namespace {

using nlohmann::json;

const std::set<std::string> kComparisons = {"GreaterThanOrEqualToThreshold", "GreaterThanThreshold",
                                            "LessThanThreshold", "LessThanOrEqualToThreshold"};
const std::set<std::string> kTreatMissing = {"missing", "ignore", "breaching", "notBreaching"};
const std::set<std::string> kStates = {"OK", "ALARM", "INSUFFICIENT_DATA"};

// The words of a comparison in a state reason ("greater than").
std::string comparison_words(const std::string& c)
{
  if (c == "GreaterThanOrEqualToThreshold") return "greater than or equal to";
  if (c == "GreaterThanThreshold") return "greater than";
  if (c == "LessThanThreshold") return "less than";
  return "less than or equal to";
}

// A number as CloudWatch prints it in reasons (shortest form).
std::string num(double v)
{
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  std::string s = buf;
  if (s.find('.') == std::string::npos && s.find('e') == std::string::npos)
    s += ".0";
  return s;
}

// "dd/mm/yy HH:MM:SS" of a simulated time, as in CloudWatch's state reasons.
std::string reason_date(double sim_s)
{
  const std::string iso = iso_date(sim_s);  // YYYY-MM-DDTHH:MM:SSZ
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(2, 2) + " " + iso.substr(11, 8);
}

}  // namespace

bool breaches(const std::string& c, double v, double t)
{
  if (c == "GreaterThanOrEqualToThreshold") return v >= t;
  if (c == "GreaterThanThreshold") return v > t;
  if (c == "LessThanThreshold") return v < t;
  if (c == "LessThanOrEqualToThreshold") return v <= t;
  throw errors::error("InvalidParameterValue", "unknown ComparisonOperator '" + c + "'");
}

void AlarmBook::put(AlarmSpec spec, double now_s)
{
  if (spec.name.empty() || spec.name.size() > 255)
    throw errors::error("InvalidParameterValue", "AlarmName must have 1 to 255 characters");
  if (spec.metric_name.empty() || spec.name_space.empty())
    throw errors::error("MissingParameter", "MetricName and Namespace are required (metric math alarms are not simulated)");
  if (!valid_statistic(spec.statistic))
    throw errors::error("InvalidParameterValue", "Statistic/ExtendedStatistic '" + spec.statistic + "' is not valid");
  if (spec.period_s <= 0 || spec.period_s % 60 != 0)
    throw errors::error("InvalidParameterValue", "Period must be a positive multiple of 60 seconds (simulated metrics have 1-minute resolution)");
  if (spec.evaluation_periods < 1)
    throw errors::error("InvalidParameterValue", "EvaluationPeriods must be at least 1");
  if (spec.datapoints_to_alarm == 0)
    spec.datapoints_to_alarm = spec.evaluation_periods;
  if (spec.datapoints_to_alarm < 1 || spec.datapoints_to_alarm > spec.evaluation_periods)
    throw errors::error("InvalidParameterValue", "DatapointsToAlarm must be from 1 to EvaluationPeriods");
  if (!kComparisons.count(spec.comparison))
    throw errors::error("InvalidParameterValue", "ComparisonOperator '" + spec.comparison + "' is not one of "
                                                   "GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold");
  if (!kTreatMissing.count(spec.treat_missing))
    throw errors::error("InvalidParameterValue", "TreatMissingData must be missing, ignore, breaching or notBreaching");
  std::sort(spec.dimensions.begin(), spec.dimensions.end());
  const std::string name = spec.name;
  auto it = alarms_.find(name);
  if (it == alarms_.end()) {
    Alarm a;
    a.region = region;
    a.spec = std::move(spec);
    a.state_updated_s = a.config_updated_s = a.transitioned_s = now_s;
    alarms_.emplace(name, std::move(a));
    history_.push_back({name, now_s, "ConfigurationUpdate", "Alarm \"" + name + "\" created", "{}"});
  } else {
    it->second.spec = std::move(spec);
    it->second.config_updated_s = now_s;
    it->second.last_evaluated_minute = -1;
    history_.push_back({name, now_s, "ConfigurationUpdate", "Alarm \"" + name + "\" updated", "{}"});
  }
}

void AlarmBook::remove(const std::vector<std::string>& names)
{
  for (const auto& n : names)
    if (!alarms_.count(n))
      throw errors::error("ResourceNotFound", "alarm " + n + " does not exist", 404);
  for (const auto& n : names)
    alarms_.erase(n);
}

void AlarmBook::set_state(const std::string& name, const std::string& state, const std::string& reason, double now_s)
{
  auto it = alarms_.find(name);
  if (it == alarms_.end())
    throw errors::error("ResourceNotFound", "alarm " + name + " does not exist", 404);
  if (!kStates.count(state))
    throw errors::error("InvalidParameterValue", "StateValue must be OK, ALARM or INSUFFICIENT_DATA");
  transition(it->second, state, reason, nullptr, now_s);
}

void AlarmBook::evaluate(const CatalogContext& ctx)
{
  const long now_minute = static_cast<long>(std::floor(ctx.now_s / 60.0));
  for (auto& [name, a] : alarms_) {
    if (a.last_evaluated_minute >= now_minute)
      continue;
    const auto metric = find_metric(ctx, a.spec.name_space, a.spec.metric_name, a.spec.dimensions);
    const std::vector<double> minutes = metric ? metric->minutes(static_cast<size_t>(now_minute)) : std::vector<double>{};
    // A new (or reconfigured) alarm is evaluated from now; later calls catch up minute by minute.
    const long from = a.last_evaluated_minute < 0 ? now_minute : a.last_evaluated_minute + 1;
    for (long m = from; m <= now_minute; ++m)
      evaluate_at(a, metric, minutes, m);
    a.last_evaluated_minute = now_minute;
  }
}

void AlarmBook::evaluate_at(Alarm& a, const std::optional<MetricSource>& metric, const std::vector<double>& minutes,
                            long minute)
{
  const AlarmSpec& s = a.spec;
  const double end_s = static_cast<double>(minute) * 60.0;
  const double p = s.period_s;
  // The last EvaluationPeriods periods ending at this boundary, oldest first; nullopt = missing.
  std::vector<std::optional<double>> points;
  std::vector<double> starts;
  for (int i = s.evaluation_periods - 1; i >= 0; --i) {
    const double start = end_s - (i + 1) * p;
    std::vector<double> samples;
    if (metric)
      for (double t = std::max(0.0, start); t < start + p; t += 60.0) {
        const size_t k = static_cast<size_t>(t / 60.0);
        if (k < static_cast<size_t>(minute) && k < minutes.size())
          samples.push_back(minutes[k]);
      }
    starts.push_back(start);
    points.push_back(samples.empty() ? std::nullopt : std::optional<double>(statistic(s.statistic, samples)));
  }
  int present = 0, breaching = 0;
  std::string listed;
  json evaluated = json::array();
  for (size_t i = 0; i < points.size(); ++i) {
    bool bad;
    if (points[i]) {
      ++present;
      bad = breaches(s.comparison, *points[i], s.threshold);
      listed += (listed.empty() ? "" : ", ") + num(*points[i]) + " (" + reason_date(starts[i]) + ")";
      evaluated.push_back({{"timestamp", iso_date(starts[i])}, {"value", *points[i]}});
    } else if (s.treat_missing == "breaching") {
      bad = true;
    } else {
      bad = false;
    }
    breaching += bad ? 1 : 0;
  }
  std::string to;
  if (present == 0 && (s.treat_missing == "missing"))
    to = "INSUFFICIENT_DATA";
  else if (present == 0 && s.treat_missing == "ignore")
    return;  // keep the current state
  else
    to = breaching >= s.datapoints_to_alarm ? "ALARM" : "OK";
  if (to == a.state)
    return;
  std::string reason;
  if (to == "INSUFFICIENT_DATA")
    reason = "Insufficient Data: " + std::to_string(s.evaluation_periods) + " datapoint" +
             (s.evaluation_periods > 1 ? "s were" : " was") + " unknown.";
  else
    reason = "Threshold Crossed: " + std::to_string(breaching) + " out of the last " +
             std::to_string(s.evaluation_periods) + " datapoints " + (listed.empty() ? "" : "[" + listed + "] ") +
             (to == "ALARM" ? "were " : "were not ") + comparison_words(s.comparison) + " the threshold (" +
             num(s.threshold) + ") (minimum " + std::to_string(s.datapoints_to_alarm) + " datapoint" +
             (s.datapoints_to_alarm > 1 ? "s" : "") + " for " + a.state + " -> " + to + " transition).";
  json data = {{"version", "1.0"},          {"queryDate", iso_date(end_s)},
               {"startDate", iso_date(starts.front())}, {"statistic", s.statistic},
               {"period", s.period_s},       {"recentDatapoints", json::array()},
               {"threshold", s.threshold},  {"evaluatedDatapoints", evaluated}};
  for (const auto& pt : points)
    if (pt)
      data["recentDatapoints"].push_back(*pt);
  transition(a, to, reason, data, end_s);
}

void AlarmBook::transition(Alarm& a, const std::string& to, const std::string& reason, json data, double t_s)
{
  const std::string from = a.state;
  a.state = to;
  a.reason = reason;
  a.reason_data = std::move(data);
  a.state_updated_s = t_s;
  a.transitioned_s = t_s;
  history_.push_back({a.spec.name, t_s, "StateUpdate", "Alarm updated from " + from + " to " + to,
                      json{{"version", "1.0"},
                           {"oldState", {{"stateValue", from}}},
                           {"newState", {{"stateValue", to}, {"stateReason", reason}}}}
                          .dump()});
  if (!a.spec.actions_enabled)
    return;
  const auto& actions = to == "ALARM" ? a.spec.alarm_actions : to == "OK" ? a.spec.ok_actions : a.spec.insufficient_data_actions;
  json dims = json::array();
  for (const auto& [k, v] : a.spec.dimensions)
    dims.push_back({{"name", k}, {"value", v}});
  const json message = {{"AlarmName", a.spec.name},
                        {"AlarmDescription", a.spec.description},
                        {"AWSAccountId", kAccountId},
                        {"NewStateValue", to},
                        {"NewStateReason", reason},
                        {"StateChangeTime", iso_date(t_s)},
                        {"Region", "US East (N. Virginia)"},
                        {"AlarmArn", a.arn()},
                        {"OldStateValue", from},
                        {"Trigger",
                         {{"MetricName", a.spec.metric_name},
                          {"Namespace", a.spec.name_space},
                          {"Statistic", a.spec.statistic},
                          {"Dimensions", dims},
                          {"Period", a.spec.period_s},
                          {"EvaluationPeriods", a.spec.evaluation_periods},
                          {"ComparisonOperator", a.spec.comparison},
                          {"Threshold", a.spec.threshold},
                          {"TreatMissingData", a.spec.treat_missing}}}};
  for (const auto& topic : actions) {
    Notification n{topic, to + ": \"" + a.spec.name + "\" in US East (N. Virginia)", message.dump(), t_s};
    notifications_.push_back(n);
    const bool delivered = !publish || publish(n);
    history_.push_back({a.spec.name, t_s, "Action",
                        delivered ? "Published a notification to " + topic
                                  : "Failed to execute action " + topic + ": the SNS topic does not exist",
                        "{}"});
  }
}

}  // namespace migsim::harness::serve::cloudwatch
