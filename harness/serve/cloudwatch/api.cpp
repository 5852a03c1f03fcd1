// CloudWatch's operation table over the metrics registry (metrics.hpp) and the alarm book
// (alarms.hpp, reached through backend.hpp): inputs and outputs keyed by botocore member names, timestamps as epoch
// seconds. Inputs decoded from the query protocol arrive as strings: the accessors here accept
// both a JSON number/boolean and its string form. The shared codec speaks json 1.0 and query to them.
#include "harness/serve/cloudwatch/backend.hpp"
#include "harness/serve/core/resource.hpp"

#include "harness/serve/core/registry.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>

namespace migsim::harness::serve {

namespace {

using nlohmann::json;

// The member or nullptr.
const json* member(const json& in, const char* key) { return in.is_object() && in.contains(key) ? &in[key] : nullptr; }

std::string text(const json& in, const char* key, const std::string& def = "")
{
  const json* v = member(in, key);
  if (!v)
    return def;
  if (!v->is_string())
    throw errors::error("InvalidParameterValue", std::string(key) + " must be a string");
  return *v;
}

std::string required_text(const json& in, const char* key)
{
  const std::string s = text(in, key);
  if (s.empty())
    throw errors::error("MissingParameter", "The parameter " + std::string(key) + " is required.");
  return s;
}

double number(const json& in, const char* key, std::optional<double> def = std::nullopt)
{
  const json* v = member(in, key);
  if (!v) {
    if (def)
      return *def;
    throw errors::error("MissingParameter", "The parameter " + std::string(key) + " is required.");
  }
  if (v->is_number())
    return v->get<double>();
  if (v->is_string()) {
    char* end = nullptr;
    const std::string s = *v;
    const double d = std::strtod(s.c_str(), &end);
    if (!s.empty() && end && *end == '\0' && std::isfinite(d))
      return d;
  }
  throw errors::error("InvalidParameterValue", std::string(key) + " must be a number");
}

int integer(const json& in, const char* key, std::optional<int> def = std::nullopt)
{
  const double d = number(in, key, def ? std::optional<double>(*def) : std::nullopt);
  if (d != std::floor(d))
    throw errors::error("InvalidParameterValue", std::string(key) + " must be an integer");
  return static_cast<int>(d);
}

bool boolean(const json& in, const char* key, bool def)
{
  const json* v = member(in, key);
  if (!v)
    return def;
  if (v->is_boolean())
    return *v;
  if (*v == "true")
    return true;
  if (*v == "false")
    return false;
  throw errors::error("InvalidParameterValue", std::string(key) + " must be true or false");
}

// A timestamp (epoch seconds, or ISO 8601 as the query protocol sends it) as simulated seconds.
double sim_time(const json& in, const char* key)
{
  const json* v = member(in, key);
  if (!v)
    throw errors::error("MissingParameter", "The parameter " + std::string(key) + " is required.");
  if (v->is_number())
    return v->get<double>() - epoch_at_zero_s();
  if (v->is_string())
    if (const auto t = parse_date(v->get<std::string>()))
      return *t;
  throw errors::error("InvalidParameterValue", std::string(key) + " must be a timestamp");
}

cloudwatch::Dimensions dimensions(const json& in, const char* key = "Dimensions")
{
  cloudwatch::Dimensions d;
  if (const json* v = member(in, key))
    for (const json& x : *v)
      d.emplace_back(required_text(x, "Name"), text(x, "Value"));
  if (d.size() > 30)
    throw errors::error("InvalidParameterValue", "at most 30 dimensions");
  return d;
}

json dimensions_json(const cloudwatch::Dimensions& d)
{
  json out = json::array();
  for (const auto& [k, v] : d)
    out.push_back({{"Name", k}, {"Value", v}});
  return out;
}

int period(const json& in, const char* key = "Period")
{
  const int p = integer(in, key);
  if (p < 60 || p % 60 != 0)
    throw errors::error("InvalidParameterValue", "The parameter " + std::string(key) +
                                                       " must be a multiple of 60 (simulated metrics have 1-minute resolution).");
  return p;
}

// The complete minutes of a metric.
std::vector<double> minutes_of(const cloudwatch::MetricSource& m, const cloudwatch::CatalogContext& c)
{
  return m.minutes(static_cast<size_t>(std::max(0.0, std::floor(c.now_s / 60.0))));
}

json list_metrics(const json& in, ServeContext& ctx)
{
  const std::string ns = text(in, "Namespace"), name = text(in, "MetricName");
  const auto filters = dimensions(in);
  json out = json::array();
  for (const auto& m : cloudwatch::list_metrics(catalog_context(ctx))) {
    if ((!ns.empty() && m.name_space != ns) || (!name.empty() && m.name != name))
      continue;
    bool ok = true;
    for (const auto& [fk, fv] : filters)
      ok = ok && std::any_of(m.dimensions.begin(), m.dimensions.end(),
                             [&](const auto& d) { return d.first == fk && (fv.empty() || d.second == fv); });
    if (ok)
      out.push_back({{"Namespace", m.name_space}, {"MetricName", m.name}, {"Dimensions", dimensions_json(m.dimensions)}});
  }
  return {{"Metrics", out}};
}

json get_metric_statistics(const json& in, ServeContext& ctx)
{
  const std::string ns = required_text(in, "Namespace"), name = required_text(in, "MetricName");
  const double start = sim_time(in, "StartTime"), end = sim_time(in, "EndTime");
  const int p = period(in);
  if (start >= end)
    throw errors::error("InvalidParameterValue", "The parameter StartTime must be less than the parameter EndTime.");
  const auto stats = strings(in, "Statistics", "InvalidParameterValue"), extended = strings(in, "ExtendedStatistics", "InvalidParameterValue");
  if (stats.empty() == extended.empty() && stats.empty())
    throw errors::error("MissingParameter", "Must specify either Statistics or ExtendedStatistics");
  if (stats.size() + extended.size() > 10)
    throw errors::error("InvalidParameterValue", "at most 5 Statistics and 10 ExtendedStatistics");
  for (const auto& s : stats)
    if (s.empty() || s[0] == 'p' || !cloudwatch::valid_statistic(s))
      throw errors::error("InvalidParameterValue", "The parameter Statistics has an invalid value: " + s);
  for (const auto& s : extended)
    if (s.empty() || s[0] != 'p' || !cloudwatch::valid_statistic(s))
      throw errors::error("InvalidParameterValue", "The parameter ExtendedStatistics has an invalid value: " + s);
  const double points = std::ceil((end - std::floor(start / p) * p) / p);
  if (points > 1440)
    throw errors::error("InvalidParameterCombination",
                          "You have requested up to " + std::to_string(static_cast<long>(points)) +
                              " datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by "
                              "increasing Period, or decreasing the time range.");
  const auto c = catalog_context(ctx);
  json datapoints = json::array();
  if (auto m = cloudwatch::find_metric(c, ns, name, dimensions(in)))
    for (const auto& ps : cloudwatch::periods(minutes_of(*m, c), start, end, p)) {
      json dp = {{"Timestamp", epoch_s(ps.start_s)}, {"Unit", m->unit}};
      for (const auto& s : stats)
        dp[s] = cloudwatch::statistic(s, ps.samples);
      for (const auto& s : extended)
        dp["ExtendedStatistics"][s] = cloudwatch::statistic(s, ps.samples);
      datapoints.push_back(dp);
    }
  return {{"Label", name}, {"Datapoints", datapoints}};
}

json get_metric_data(const json& in, ServeContext& ctx)
{
  const double start = sim_time(in, "StartTime"), end = sim_time(in, "EndTime");
  if (start >= end)
    throw errors::error("InvalidParameterValue", "The parameter StartTime must be less than the parameter EndTime.");
  const json* queries = member(in, "MetricDataQueries");
  if (!queries || !queries->is_array() || queries->empty() || queries->size() > 500)
    throw errors::error("MissingParameter", "MetricDataQueries must hold 1 to 500 queries");
  const bool descending = text(in, "ScanBy", "TimestampDescending") != "TimestampAscending";
  const int max_points = integer(in, "MaxDatapoints", 100800);
  const auto c = catalog_context(ctx);
  json results = json::array();
  int returned = 0;
  for (const json& q : *queries) {
    const std::string id = required_text(q, "Id");
    if (member(q, "Expression"))
      throw errors::error("InvalidParameterValue", "query " + id + ": metric math (Expression) is not simulated");
    const json* ms = member(q, "MetricStat");
    if (!ms)
      throw errors::error("MissingParameter", "query " + id + ": MetricStat is required");
    const json* metric = member(*ms, "Metric");
    if (!metric)
      throw errors::error("MissingParameter", "query " + id + ": MetricStat.Metric is required");
    const std::string stat = required_text(*ms, "Stat");
    if (!cloudwatch::valid_statistic(stat))
      throw errors::error("InvalidParameterValue", "query " + id + ": unknown Stat '" + stat + "'");
    const int p = period(*ms);
    if (!boolean(q, "ReturnData", true))
      continue;
    const std::string name = required_text(*metric, "MetricName");
    json r = {{"Id", id}, {"Label", text(q, "Label", name)}, {"Timestamps", json::array()},
              {"Values", json::array()}, {"StatusCode", "Complete"}};
    if (auto m = cloudwatch::find_metric(c, required_text(*metric, "Namespace"), name, dimensions(*metric))) {
      auto ps = cloudwatch::periods(minutes_of(*m, c), start, end, p);
      if (descending)
        std::reverse(ps.begin(), ps.end());
      for (const auto& x : ps) {
        if (returned == max_points) {
          r["StatusCode"] = "PartialData";
          break;
        }
        r["Timestamps"].push_back(epoch_s(x.start_s));
        r["Values"].push_back(cloudwatch::statistic(stat, x.samples));
        ++returned;
      }
    }
    results.push_back(r);
  }
  return {{"MetricDataResults", results}, {"Messages", json::array()}};
}

json alarm_json(const cloudwatch::Alarm& a)
{
  const auto& s = a.spec;
  json j = {{"AlarmName", s.name},
            {"AlarmArn", a.arn()},
            {"AlarmDescription", s.description},
            {"AlarmConfigurationUpdatedTimestamp", epoch_s(a.config_updated_s)},
            {"ActionsEnabled", s.actions_enabled},
            {"OKActions", s.ok_actions},
            {"AlarmActions", s.alarm_actions},
            {"InsufficientDataActions", s.insufficient_data_actions},
            {"StateValue", a.state},
            {"StateReason", a.reason},
            {"StateUpdatedTimestamp", epoch_s(a.state_updated_s)},
            {"MetricName", s.metric_name},
            {"Namespace", s.name_space},
            {"Dimensions", dimensions_json(s.dimensions)},
            {"Period", s.period_s},
            {"EvaluationPeriods", s.evaluation_periods},
            {"DatapointsToAlarm", s.datapoints_to_alarm},
            {"Threshold", s.threshold},
            {"ComparisonOperator", s.comparison},
            {"TreatMissingData", s.treat_missing},
            {"StateTransitionedTimestamp", epoch_s(a.transitioned_s)}};
  if (!a.reason_data.is_null())
    j["StateReasonData"] = a.reason_data.dump();
  if (!s.datapoints_given)  // CloudWatch shows DatapointsToAlarm only when PutMetricAlarm set it
    j.erase("DatapointsToAlarm");
  (s.statistic[0] == 'p' ? j["ExtendedStatistic"] : j["Statistic"]) = s.statistic;
  if (!s.unit.empty())
    j["Unit"] = s.unit;
  return j;
}

json put_metric_alarm(const json& in, ServeContext& ctx)
{
  cloudwatch::AlarmSpec s;
  s.name = required_text(in, "AlarmName");
  s.description = text(in, "AlarmDescription");
  s.name_space = text(in, "Namespace");
  s.metric_name = text(in, "MetricName");
  if (member(in, "Metrics"))
    throw errors::error("InvalidParameterValue", "metric math alarms (Metrics) are not simulated");
  const std::string stat = text(in, "Statistic"), ext = text(in, "ExtendedStatistic");
  if (stat.empty() == ext.empty())
    throw errors::error("InvalidParameterCombination", "Exactly one of Statistic or ExtendedStatistic must be given");
  if (!stat.empty() && stat[0] == 'p')
    throw errors::error("InvalidParameterValue", "Statistic must be SampleCount, Average, Sum, Minimum or Maximum");
  s.statistic = stat.empty() ? ext : stat;
  s.unit = text(in, "Unit");
  s.dimensions = dimensions(in);
  s.period_s = integer(in, "Period");
  s.evaluation_periods = integer(in, "EvaluationPeriods");
  s.datapoints_to_alarm = integer(in, "DatapointsToAlarm", 0);
  s.datapoints_given = in.contains("DatapointsToAlarm");
  s.threshold = number(in, "Threshold");
  s.comparison = required_text(in, "ComparisonOperator");
  s.treat_missing = text(in, "TreatMissingData", "missing");
  s.actions_enabled = boolean(in, "ActionsEnabled", true);
  s.alarm_actions = strings(in, "AlarmActions", "InvalidParameterValue");
  s.ok_actions = strings(in, "OKActions", "InvalidParameterValue");
  s.insufficient_data_actions = strings(in, "InsufficientDataActions", "InvalidParameterValue");
  for (const auto* list : {&s.alarm_actions, &s.ok_actions, &s.insufficient_data_actions})
    for (const auto& a : *list)
      if (a.rfind("arn:aws:sns:", 0) != 0)
        throw errors::error("InvalidParameterValue", "only SNS topic ARNs are simulated as alarm actions, got '" + a + "'");
  auto& book = alarm_book(ctx);
  book.put(s, ctx.simulation.now());
  book.evaluate(catalog_context(ctx));
  return json::object();
}

json describe_alarms(const json& in, ServeContext& ctx)
{
  evaluate_alarms(ctx);
  const auto names = strings(in, "AlarmNames", "InvalidParameterValue");
  const std::string prefix = text(in, "AlarmNamePrefix"), state = text(in, "StateValue"),
                    action_prefix = text(in, "ActionPrefix");
  if (!names.empty() && !prefix.empty())
    throw errors::error("InvalidParameterCombination", "AlarmNames and AlarmNamePrefix cannot be used together");
  const int max = integer(in, "MaxRecords", 100);
  json out = json::array();
  for (const auto& [name, a] : alarm_book(ctx).alarms()) {
    if (!names.empty() && std::find(names.begin(), names.end(), name) == names.end())
      continue;
    if (!prefix.empty() && name.rfind(prefix, 0) != 0)
      continue;
    if (!state.empty() && a.state != state)
      continue;
    if (!action_prefix.empty() &&
        std::none_of(a.spec.alarm_actions.begin(), a.spec.alarm_actions.end(),
                     [&](const std::string& x) { return x.rfind(action_prefix, 0) == 0; }))
      continue;
    if (static_cast<int>(out.size()) < max)
      out.push_back(alarm_json(a));
  }
  return {{"MetricAlarms", out}, {"CompositeAlarms", json::array()}};
}

json describe_alarm_history(const json& in, ServeContext& ctx)
{
  evaluate_alarms(ctx);
  const std::string name = text(in, "AlarmName"), type = text(in, "HistoryItemType");
  const bool ascending = text(in, "ScanBy", "TimestampDescending") == "TimestampAscending";
  const int max = integer(in, "MaxRecords", 100);
  json items = json::array();
  for (const auto& h : alarm_book(ctx).history())
    if ((name.empty() || h.alarm_name == name) && (type.empty() || h.type == type))
      items.push_back({{"AlarmName", h.alarm_name}, {"AlarmType", "MetricAlarm"}, {"Timestamp", epoch_s(h.t_s)},
                       {"HistoryItemType", h.type}, {"HistorySummary", h.summary}, {"HistoryData", h.data}});
  if (!ascending)
    std::reverse(items.begin(), items.end());
  if (static_cast<int>(items.size()) > max)
    items.erase(items.begin() + max, items.end());
  return {{"AlarmHistoryItems", items}};
}

}  // namespace

void register_cloudwatch_alarm_tags(Registry& r);  // alarm_tags.cpp

void register_cloudwatch(Registry& r)
{
  register_cloudwatch_alarm_tags(r);
  r.before_each_request(evaluate_alarms);
  r.add("cloudwatch", "ListMetrics", {"Namespace", "MetricName", "Dimensions"},
        list_metrics);
  r.add("cloudwatch", "GetMetricStatistics", {"Namespace", "MetricName", "Dimensions", "StartTime", "EndTime", "Period", "Statistics", "ExtendedStatistics"},
        get_metric_statistics);
  r.add("cloudwatch", "GetMetricData", {"MetricDataQueries", "StartTime", "EndTime", "ScanBy", "MaxDatapoints"},
        get_metric_data);
  r.add("cloudwatch", "PutMetricAlarm", {"AlarmName", "AlarmDescription", "ActionsEnabled", "OKActions", "AlarmActions", "InsufficientDataActions",
        "MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Dimensions", "Period", "Unit", "EvaluationPeriods",
        "DatapointsToAlarm", "Threshold", "ComparisonOperator", "TreatMissingData", "Tags"},
        [](const json& in, ServeContext& ctx) {
          json out = put_metric_alarm(in, ctx);
          if (in.contains("Tags"))
            ctx.state<Tags>().add(arn(ctx, "cloudwatch", "alarm:" + in["AlarmName"].get<std::string>()), in["Tags"]);
          return out;
        });
  r.add("cloudwatch", "DescribeAlarms", {"AlarmNames", "AlarmNamePrefix", "StateValue", "ActionPrefix", "MaxRecords"},
        describe_alarms);
  r.add("cloudwatch", "DeleteAlarms", {"AlarmNames"},
        [](const json& in, ServeContext& ctx) {
         alarm_book(ctx).remove(strings(in, "AlarmNames", "InvalidParameterValue"));
         for (const auto& name : strings(in, "AlarmNames", "InvalidParameterValue"))
           ctx.state<Tags>().forget(arn(ctx, "cloudwatch", "alarm:" + name));
         return json::object();
       });
  r.add("cloudwatch", "SetAlarmState", {"AlarmName", "StateValue", "StateReason"},
        [](const json& in, ServeContext& ctx) {
         evaluate_alarms(ctx);
         alarm_book(ctx).set_state(required_text(in, "AlarmName"), required_text(in, "StateValue"),
                                             required_text(in, "StateReason"), ctx.simulation.now());
         return json::object();
       });
  r.add("cloudwatch", "DescribeAlarmHistory", {"AlarmName", "HistoryItemType", "ScanBy", "MaxRecords"},
        describe_alarm_history);
}

}  // namespace migsim::harness::serve
