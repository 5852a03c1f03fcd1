// CloudTrail's operation table (json 1.1): trails on CloudTrailBackend, LookupEvents on the serve
// core's CallRecorder.
#include "harness/serve/cloudtrail/backend.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/core/registry.hpp"
#include "harness/serve/s3/backend.hpp"

namespace migsim::harness::serve {

namespace {

using cloudtrail::CloudTrailBackend;

CloudTrailBackend& be(ServeContext& ctx) { return ctx.state<CloudTrailBackend>(); }
std::string str(const json& in, const char* k) { return in.value(k, std::string()); }

json trail_json(const cloudtrail::Trail& t)
{
  json j = {{"Name", t.name},
            {"S3BucketName", t.bucket},
            {"IncludeGlobalServiceEvents", t.include_global},
            {"IsMultiRegionTrail", t.multi_region},
            {"HomeRegion", arn_region(t.arn)},
            {"TrailARN", t.arn},
            {"LogFileValidationEnabled", t.log_file_validation},
            {"HasCustomEventSelectors", false},
            {"HasInsightSelectors", t.insight_selectors.is_array() && !t.insight_selectors.empty()},
            {"IsOrganizationTrail", t.organization}};
  if (!t.key_prefix.empty()) j["S3KeyPrefix"] = t.key_prefix;
  if (!t.sns_topic.empty()) {
    j["SnsTopicName"] = t.sns_topic;
    j["SnsTopicARN"] = arn_in(arn_region(t.arn), "sns", t.sns_topic);
  }
  if (!t.log_group_arn.empty()) j["CloudWatchLogsLogGroupArn"] = t.log_group_arn;
  if (!t.log_role_arn.empty()) j["CloudWatchLogsRoleArn"] = t.log_role_arn;
  if (!t.kms_key_id.empty()) j["KmsKeyId"] = t.kms_key_id;
  return j;
}

// Applies the settings CreateTrail and UpdateTrail share.
void apply(cloudtrail::Trail& t, const json& in, ServeContext& ctx)
{
  if (in.contains("S3BucketName")) {
    bool found = false;
    for (const auto* b : ctx.state<S3Backend>().buckets())
      found = found || b->name == str(in, "S3BucketName");
    if (!found)
      throw errors::not_found("S3 bucket " + str(in, "S3BucketName") + " does not exist.",
                              "S3BucketDoesNotExistException");
    t.bucket = str(in, "S3BucketName");
  }
  if (in.contains("S3KeyPrefix")) t.key_prefix = str(in, "S3KeyPrefix");
  if (in.contains("SnsTopicName")) t.sns_topic = str(in, "SnsTopicName");
  if (in.contains("CloudWatchLogsLogGroupArn")) t.log_group_arn = str(in, "CloudWatchLogsLogGroupArn");
  if (in.contains("CloudWatchLogsRoleArn")) t.log_role_arn = str(in, "CloudWatchLogsRoleArn");
  if (in.contains("KmsKeyId")) t.kms_key_id = str(in, "KmsKeyId");
  t.include_global = in.value("IncludeGlobalServiceEvents", t.include_global);
  t.multi_region = in.value("IsMultiRegionTrail", t.multi_region);
  t.log_file_validation = in.value("EnableLogFileValidation", t.log_file_validation);
  t.organization = in.value("IsOrganizationTrail", t.organization);
  if (t.multi_region && !t.include_global)
    throw errors::validation("Multi-Region trail must include global service events.",
                             "InvalidParameterCombinationException");
}

json event_json(const ApiCallRecord& r)
{
  json resources = json::array();
  for (const auto& res : r.resources)
    resources.push_back({{"ResourceType", res.type}, {"ResourceName", res.name}});
  json e = {{"EventId", r.event_id},
            {"EventName", r.event_name},
            {"ReadOnly", r.read_only ? "true" : "false"},
            {"EventTime", epoch_s(r.time_s)},
            {"EventSource", r.event_source},
            {"Username", "root"},
            {"Resources", resources},
            {"CloudTrailEvent", cloudtrail_event_json(r).dump()}};
  if (!r.access_key_id.empty())
    e["AccessKeyId"] = r.access_key_id;
  return e;
}

void register_trails(Registry& r)
{
  r.add("cloudtrail", "CreateTrail",
        {"Name", "S3BucketName", "S3KeyPrefix", "SnsTopicName", "IncludeGlobalServiceEvents", "IsMultiRegionTrail",
         "EnableLogFileValidation", "CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn", "KmsKeyId",
         "IsOrganizationTrail", "TagsList"},
        [](const json& in, ServeContext& ctx) {
          cloudtrail::Trail draft;
          apply(draft, in, ctx);  // validate before creating
          const TagMap tags = tags_from(in.value("TagsList", json::array()));
          auto& t = be(ctx).create(region(ctx), str(in, "Name"), ctx.simulation.now());
          apply(t, in, ctx);
          ctx.state<Tags>().forget(t.arn);
          ctx.state<Tags>().tag(t.arn, tags);
          json out = trail_json(t);
          out.erase("HomeRegion");
          out.erase("HasCustomEventSelectors");
          out.erase("HasInsightSelectors");
          return out;
        });
  r.add("cloudtrail", "UpdateTrail",
        {"Name", "S3BucketName", "S3KeyPrefix", "SnsTopicName", "IncludeGlobalServiceEvents", "IsMultiRegionTrail",
         "EnableLogFileValidation", "CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn", "KmsKeyId", "IsOrganizationTrail"},
        [](const json& in, ServeContext& ctx) {
          auto& t = be(ctx).trail(str(in, "Name"));
          apply(t, in, ctx);
          json out = trail_json(t);
          out.erase("HomeRegion");
          out.erase("HasCustomEventSelectors");
          out.erase("HasInsightSelectors");
          return out;
        });
  r.add("cloudtrail", "GetTrail", {"Name"}, [](const json& in, ServeContext& ctx) {
    return json{{"Trail", trail_json(be(ctx).trail(str(in, "Name")))}};
  });
  r.add("cloudtrail", "DescribeTrails", {"trailNameList"}, [](const json& in, ServeContext& ctx) {
    json list = json::array();
    if (in.contains("trailNameList") && !in["trailNameList"].empty()) {
      for (const auto& n : in["trailNameList"])
        for (const auto* t : be(ctx).trails())
          if (t->name == n.get<std::string>() || t->arn == n.get<std::string>())
            list.push_back(trail_json(*t));
    } else {
      for (const auto* t : be(ctx).trails())
        list.push_back(trail_json(*t));
    }
    return json{{"trailList", list}};
  });
  r.add("cloudtrail", "ListTrails", {}, [](const json&, ServeContext& ctx) {
    json list = json::array();
    for (const auto* t : be(ctx).trails())
      list.push_back({{"TrailARN", t->arn}, {"Name", t->name}, {"HomeRegion", arn_region(t->arn)}});
    return json{{"Trails", list}};
  });
  r.add("cloudtrail", "DeleteTrail", {"Name"}, [](const json& in, ServeContext& ctx) {
    const std::string arn = be(ctx).trail(str(in, "Name")).arn;
    be(ctx).remove(str(in, "Name"));
    ctx.state<Tags>().forget(arn);
    return json::object();
  });
  r.add("cloudtrail", "StartLogging", {"Name"}, [](const json& in, ServeContext& ctx) {
    auto& t = be(ctx).trail(str(in, "Name"));
    t.logging = true;
    t.started_s = ctx.simulation.now();
    return json::object();
  });
  r.add("cloudtrail", "StopLogging", {"Name"}, [](const json& in, ServeContext& ctx) {
    auto& t = be(ctx).trail(str(in, "Name"));
    t.logging = false;
    t.stopped_s = ctx.simulation.now();
    return json::object();
  });
  r.add("cloudtrail", "GetTrailStatus", {"Name"}, [](const json& in, ServeContext& ctx) {
    const auto& t = be(ctx).trail(str(in, "Name"));
    json out = {{"IsLogging", t.logging}};
    if (t.started_s >= 0) {
      out["StartLoggingTime"] = epoch_s(t.started_s);
      out["TimeLoggingStarted"] = iso_date(t.started_s);
    }
    if (t.stopped_s >= 0) {
      out["StopLoggingTime"] = epoch_s(t.stopped_s);
      out["TimeLoggingStopped"] = iso_date(t.stopped_s);
    }
    return out;
  });
  r.add("cloudtrail", "GetEventSelectors", {"TrailName"}, [](const json& in, ServeContext& ctx) {
    const auto& t = be(ctx).trail(str(in, "TrailName"));
    json out = {{"TrailARN", t.arn}};
    if (t.advanced_selectors.is_array())
      out["AdvancedEventSelectors"] = t.advanced_selectors;
    else
      out["EventSelectors"] = t.event_selectors;
    return out;
  });
  r.add("cloudtrail", "PutEventSelectors", {"TrailName", "EventSelectors", "AdvancedEventSelectors"},
        [](const json& in, ServeContext& ctx) {
          auto& t = be(ctx).trail(str(in, "TrailName"));
          if (in.contains("EventSelectors") == in.contains("AdvancedEventSelectors"))
            throw errors::validation("Specify either EventSelectors or AdvancedEventSelectors.",
                                     "InvalidEventSelectorsException");
          t.event_selectors = in.value("EventSelectors", json());
          t.advanced_selectors = in.value("AdvancedEventSelectors", json());
          json out = {{"TrailARN", t.arn}};
          if (t.advanced_selectors.is_array())
            out["AdvancedEventSelectors"] = t.advanced_selectors;
          else
            out["EventSelectors"] = t.event_selectors;
          return out;
        });
  r.add("cloudtrail", "GetInsightSelectors", {"TrailName"}, [](const json& in, ServeContext& ctx) {
    const auto& t = be(ctx).trail(str(in, "TrailName"));
    if (!t.insight_selectors.is_array() || t.insight_selectors.empty())
      throw errors::invalid_state("Trail " + t.name + " does not have Insights enabled.", "InsightNotEnabledException");
    return json{{"TrailARN", t.arn}, {"InsightSelectors", t.insight_selectors}};
  });
  r.add("cloudtrail", "PutInsightSelectors", {"TrailName", "InsightSelectors"}, [](const json& in, ServeContext& ctx) {
    auto& t = be(ctx).trail(str(in, "TrailName"));
    t.insight_selectors = in.value("InsightSelectors", json::array());
    return json{{"TrailARN", t.arn}, {"InsightSelectors", t.insight_selectors}};
  });
  r.add("cloudtrail", "AddTags", {"ResourceId", "TagsList"}, [](const json& in, ServeContext& ctx) {
    ctx.state<Tags>().tag(be(ctx).trail(str(in, "ResourceId")).arn, tags_from(in.value("TagsList", json::array())));
    return json::object();
  });
  r.add("cloudtrail", "RemoveTags", {"ResourceId", "TagsList"}, [](const json& in, ServeContext& ctx) {
    std::vector<std::string> keys;
    for (const auto& t : in.value("TagsList", json::array()))
      keys.push_back(t.value("Key", ""));
    ctx.state<Tags>().untag(be(ctx).trail(str(in, "ResourceId")).arn, keys);
    return json::object();
  });
  r.add("cloudtrail", "ListTags", {"ResourceIdList"}, [](const json& in, ServeContext& ctx) {
    json list = json::array();
    for (const auto& id : in.value("ResourceIdList", json::array())) {
      const auto& t = be(ctx).trail(id.get<std::string>());
      list.push_back({{"ResourceId", t.arn}, {"TagsList", ctx.state<Tags>().list(t.arn)}});
    }
    return json{{"ResourceTagList", list}};
  });
}

}  // namespace

// Registers CloudTrail (json 1.1): trails, selectors, tags, and LookupEvents over every mutating
// call the endpoint answered.
void register_cloudtrail(Registry& r)
{
  register_trails(r);
  r.add("cloudtrail", "LookupEvents", {"LookupAttributes", "StartTime", "EndTime", "MaxResults", "NextToken"},
        [](const json& in, ServeContext& ctx) {
          cloudtrail::Lookup q;
          const json attrs = in.value("LookupAttributes", json::array());
          if (attrs.size() > 1)
            throw errors::validation("LookupAttributes can contain only one item.", "InvalidLookupAttributesException");
          if (!attrs.empty()) {
            q.attribute_key = attrs[0].value("AttributeKey", "");
            q.attribute_value = attrs[0].value("AttributeValue", "");
          }
          if (in.contains("StartTime"))
            q.start_s = in["StartTime"].get<double>() - epoch_at_zero_s();
          if (in.contains("EndTime"))
            q.end_s = in["EndTime"].get<double>() - epoch_at_zero_s();
          q.max_results = in.value("MaxResults", 50);
          if (in.contains("NextToken")) {
            const std::string tok = str(in, "NextToken");
            try {
              q.before_seq = std::stoull(tok);
            } catch (const std::exception&) {
              throw errors::validation("Invalid NextToken: " + tok, "InvalidNextTokenException");
            }
          }
          bool more = false;
          json events = json::array();
          const auto found = CloudTrailBackend::lookup(ctx.state<CallRecorder>(), q, more);
          for (const auto* rec : found)
            events.push_back(event_json(*rec));
          json out = {{"Events", events}};
          if (more)
            out["NextToken"] = std::to_string(found.back()->seq);
          return out;
        });
}

}  // namespace migsim::harness::serve
