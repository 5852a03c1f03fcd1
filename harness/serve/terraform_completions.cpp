// What the terraform AWS provider reads and writes beyond create/describe on SNS, SSM, CloudWatch
// and Route 53: topic attributes and tags, subscription attributes, Unsubscribe; SSM parameter
// metadata (DescribeParameters), deletion and tags; CloudWatch alarm tags; Route 53 zone tags.
// Tags live in the server's TagBook (resource_tags.hpp), keyed by ARN (Route 53: the zone id).
#include "harness/serve/cloudwatch_alarms.hpp"
#include "harness/serve/registry.hpp"
#include "harness/serve/resource_tags.hpp"
#include "harness/serve/route53_backend.hpp"
#include "harness/serve/services_state.hpp"
#include "harness/serve/sns_backend.hpp"
#include "harness/serve/ssm_backend.hpp"

#include <algorithm>

namespace migsim::harness::serve {

namespace {

std::vector<std::string> string_list(const json& in, const char* key)
{
  std::vector<std::string> out;
  if (in.contains(key))
    for (const auto& v : in[key])
      out.push_back(v.get<std::string>());
  return out;
}

// --- SNS ---------------------------------------------------------------------------------------

// The topic a tagging call names (SNS answers ResourceNotFound for tags, NotFound elsewhere).
void sns_topic_exists(ServeContext& ctx, const std::string& arn)
{
  try {
    ctx.state<SnsBackend>().topic(arn);
  } catch (const AwsError&) {
    throw AwsError("ResourceNotFound", "Resource does not exist", 404);
  }
}

void register_sns_completions(Registry& r)
{
  r.add("sns", "SetTopicAttributes", {"TopicArn", "AttributeName", "AttributeValue"}, [](const json& in, ServeContext& ctx) {
    static const std::vector<std::string> settable = {
        "DisplayName", "Policy", "DeliveryPolicy", "KmsMasterKeyId", "SignatureVersion", "TracingConfig",
        "ContentBasedDeduplication", "ArchivePolicy", "FifoThroughputScope", "DataProtectionPolicy",
        "HTTPSuccessFeedbackRoleArn", "HTTPFailureFeedbackRoleArn", "HTTPSuccessFeedbackSampleRate",
        "LambdaSuccessFeedbackRoleArn", "LambdaFailureFeedbackRoleArn", "LambdaSuccessFeedbackSampleRate",
        "SQSSuccessFeedbackRoleArn", "SQSFailureFeedbackRoleArn", "SQSSuccessFeedbackSampleRate",
        "FirehoseSuccessFeedbackRoleArn", "FirehoseFailureFeedbackRoleArn", "FirehoseSuccessFeedbackSampleRate",
        "ApplicationSuccessFeedbackRoleArn", "ApplicationFailureFeedbackRoleArn",
        "ApplicationSuccessFeedbackSampleRate"};
    const std::string name = in["AttributeName"];
    if (std::find(settable.begin(), settable.end(), name) == settable.end())
      throw AwsError("InvalidParameter", "Invalid parameter: AttributeName", 400);
    ctx.state<SnsBackend>().set_topic_attribute(in["TopicArn"], name, in.value("AttributeValue", std::string()));
    return json::object();
  });
  r.add("sns", "TagResource", {"ResourceArn", "Tags"}, [](const json& in, ServeContext& ctx) {
    sns_topic_exists(ctx, in["ResourceArn"]);
    ctx.state<TagBook>().add(in["ResourceArn"], in["Tags"]);
    return json::object();
  });
  r.add("sns", "UntagResource", {"ResourceArn", "TagKeys"}, [](const json& in, ServeContext& ctx) {
    sns_topic_exists(ctx, in["ResourceArn"]);
    ctx.state<TagBook>().remove(in["ResourceArn"], string_list(in, "TagKeys"));
    return json::object();
  });
  r.add("sns", "ListTagsForResource", {"ResourceArn"}, [](const json& in, ServeContext& ctx) {
    sns_topic_exists(ctx, in["ResourceArn"]);
    return json{{"Tags", ctx.state<TagBook>().list(in["ResourceArn"])}};
  });
  r.add("sns", "GetSubscriptionAttributes", {"SubscriptionArn"}, [](const json& in, ServeContext& ctx) {
    for (const auto& s : ctx.state<SnsBackend>().subscriptions())
      if (s.arn == in["SubscriptionArn"])
        return json{{"Attributes",
                     {{"SubscriptionArn", s.arn},
                      {"TopicArn", s.topic_arn},
                      {"Protocol", s.protocol},
                      {"Endpoint", s.endpoint},
                      {"Owner", "000000000000"},
                      {"PendingConfirmation", "false"},
                      {"ConfirmationWasAuthenticated", "true"},
                      {"RawMessageDelivery", "false"},
                      {"SubscriptionPrincipal", "arn:aws:iam::000000000000:root"}}}};
    throw AwsError("NotFound", "Subscription does not exist", 404);
  });
  r.add("sns", "Unsubscribe", {"SubscriptionArn"}, [](const json& in, ServeContext& ctx) {
    ctx.state<SnsBackend>().unsubscribe(in["SubscriptionArn"]);
    return json::object();
  });
}

// --- SSM ---------------------------------------------------------------------------------------

json parameter_metadata(const SsmParameter& p)
{
  json m = {{"Name", p.name},
            {"ARN", p.arn()},
            {"Type", p.type},
            {"LastModifiedDate", p.last_modified_epoch_s},
            {"LastModifiedUser", "arn:aws:iam::000000000000:root"},
            {"Version", p.version},
            {"Tier", "Standard"},
            {"Policies", json::array()},
            {"DataType", p.data_type}};
  if (!p.description.empty())
    m["Description"] = p.description;
  return m;
}

const SsmParameter& ssm_tagged(ServeContext& ctx, const json& in)
{
  if (in.value("ResourceType", std::string()) != "Parameter")
    throw AwsError("InvalidResourceType", "migsim tags SSM parameters only (ResourceType Parameter)", 400);
  try {
    return ctx.state<SsmBackend>().get(in["ResourceId"]);
  } catch (const AwsError&) {
    throw AwsError("InvalidResourceId", "The resource ID \"" + in["ResourceId"].get<std::string>() + "\" is not valid. "
                                        "Verify the ID and try again.", 400);
  }
}

void register_ssm_completions(Registry& r)
{
  r.add("ssm", "DescribeParameters", {"ParameterFilters", "Filters", "MaxResults"}, [](const json& in, ServeContext& ctx) {
    json out = json::array();
    for (const auto& [name, p] : ctx.state<SsmBackend>().parameters()) {
      bool keep = true;
      for (const auto& f : in.value("ParameterFilters", json::array())) {
        const std::string key = f.value("Key", std::string());
        const std::string option = f.value("Option", std::string("Equals"));
        const auto values = string_list(f, "Values");
        bool any = values.empty();
        for (const auto& v : values) {
          const std::string have = key == "Name" ? p.name : key == "Type" ? p.type : key == "DataType" ? p.data_type : "";
          if (key != "Name" && key != "Type" && key != "DataType")
            throw AwsError("InvalidFilterKey", "The filter key " + key + " is not supported by migsim", 400);
          any = any || (option == "BeginsWith" ? have.rfind(v, 0) == 0
                                               : option == "Contains" ? have.find(v) != std::string::npos : have == v);
        }
        keep = keep && any;
      }
      if (keep)
        out.push_back(parameter_metadata(p));
    }
    return json{{"Parameters", out}};
  });
  r.add("ssm", "GetParameters", {"Names", "WithDecryption"}, [](const json& in, ServeContext& ctx) {
    json found = json::array(), invalid = json::array();
    for (const auto& name : string_list(in, "Names")) {
      const auto& all = ctx.state<SsmBackend>().parameters();
      auto it = all.find(name);
      if (it == all.end()) {
        invalid.push_back(name);
        continue;
      }
      const auto& p = it->second;
      const bool hide = p.type == "SecureString" && !in.value("WithDecryption", false);
      found.push_back({{"Name", p.name}, {"Type", p.type}, {"Value", hide ? std::string("****") : p.value},
                       {"Version", p.version}, {"LastModifiedDate", p.last_modified_epoch_s}, {"ARN", p.arn()},
                       {"DataType", p.data_type}});
    }
    return json{{"Parameters", found}, {"InvalidParameters", invalid}};
  });
  r.add("ssm", "DeleteParameter", {"Name"}, [](const json& in, ServeContext& ctx) {
    const std::string name = in["Name"];
    ctx.state<SsmBackend>().remove(name);
    ctx.state<TagBook>().forget("ssm-parameter:" + name);
    return json::object();
  });
  r.add("ssm", "AddTagsToResource", {"ResourceType", "ResourceId", "Tags"}, [](const json& in, ServeContext& ctx) {
    ctx.state<TagBook>().add("ssm-parameter:" + ssm_tagged(ctx, in).name, in["Tags"]);
    return json::object();
  });
  r.add("ssm", "RemoveTagsFromResource", {"ResourceType", "ResourceId", "TagKeys"}, [](const json& in, ServeContext& ctx) {
    ctx.state<TagBook>().remove("ssm-parameter:" + ssm_tagged(ctx, in).name, string_list(in, "TagKeys"));
    return json::object();
  });
  r.add("ssm", "ListTagsForResource", {"ResourceType", "ResourceId"}, [](const json& in, ServeContext& ctx) {
    return json{{"TagList", ctx.state<TagBook>().list("ssm-parameter:" + ssm_tagged(ctx, in).name)}};
  });
}

// --- CloudWatch --------------------------------------------------------------------------------

void alarm_exists(ServeContext& ctx, const std::string& arn)
{
  for (const auto& [name, a] : service_state(ctx).alarms.alarms())
    if (a.arn() == arn)
      return;
  throw AwsError("ResourceNotFoundException", "The specified resource " + arn + " does not exist.", 404);
}

void register_cloudwatch_completions(Registry& r)
{
  r.add("cloudwatch", "TagResource", {"ResourceARN", "Tags"}, [](const json& in, ServeContext& ctx) {
    alarm_exists(ctx, in["ResourceARN"]);
    ctx.state<TagBook>().add(in["ResourceARN"], in["Tags"]);
    return json::object();
  });
  r.add("cloudwatch", "UntagResource", {"ResourceARN", "TagKeys"}, [](const json& in, ServeContext& ctx) {
    alarm_exists(ctx, in["ResourceARN"]);
    ctx.state<TagBook>().remove(in["ResourceARN"], string_list(in, "TagKeys"));
    return json::object();
  });
  r.add("cloudwatch", "ListTagsForResource", {"ResourceARN"}, [](const json& in, ServeContext& ctx) {
    alarm_exists(ctx, in["ResourceARN"]);
    return json{{"Tags", ctx.state<TagBook>().list(in["ResourceARN"])}};
  });
}

// --- Route 53 ----------------------------------------------------------------------------------

std::string zone_key(ServeContext& ctx, const json& in)
{
  if (in.value("ResourceType", std::string()) != "hostedzone")
    throw AwsError("InvalidInput", "migsim tags hosted zones only (ResourceType hostedzone)", 400);
  std::string id = in["ResourceId"];
  if (id.rfind("/hostedzone/", 0) == 0)
    id = id.substr(12);
  service_state(ctx).route53->get_hosted_zone(json{{"Id", id}});  // NoSuchHostedZone when absent
  return "route53-hostedzone:" + id;
}

void register_route53_completions(Registry& r)
{
  r.add("route53", "ChangeTagsForResource", {"ResourceType", "ResourceId", "AddTags", "RemoveTagKeys"},
        [](const json& in, ServeContext& ctx) {
          const std::string key = zone_key(ctx, in);
          if (in.contains("AddTags"))
            ctx.state<TagBook>().add(key, in["AddTags"]);
          ctx.state<TagBook>().remove(key, string_list(in, "RemoveTagKeys"));
          return json::object();
        });
  r.add("route53", "ListTagsForResource", {"ResourceType", "ResourceId"}, [](const json& in, ServeContext& ctx) {
    const std::string key = zone_key(ctx, in);
    std::string id = in["ResourceId"];
    if (id.rfind("/hostedzone/", 0) == 0)
      id = id.substr(12);
    return json{{"ResourceTagSet",
                 {{"ResourceType", "hostedzone"}, {"ResourceId", id}, {"Tags", ctx.state<TagBook>().list(key)}}}};
  });
}

}  // namespace

void register_rds_subnet_groups(Registry& r);  // rds_subnet_groups.cpp
void register_dms_subnet_groups(Registry& r);  // dms_subnet_groups.cpp

void register_terraform_completions(Registry& r)
{
  register_rds_subnet_groups(r);
  register_dms_subnet_groups(r);
  register_sns_completions(r);
  register_ssm_completions(r);
  register_cloudwatch_completions(r);
  register_route53_completions(r);
}

}  // namespace migsim::harness::serve
