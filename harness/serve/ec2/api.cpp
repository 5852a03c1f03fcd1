// EC2 (protocol ec2, 2016-11-15) in the serve registry: launch templates (ec2_backend.hpp) and
// DescribeInstances over the simulation's instances (the estate's Auto Scaling groups and those
// created through the API). DryRun is honoured everywhere (DryRunOperation, 412).
#include "harness/serve/autoscaling/backend.hpp"
#include "harness/serve/core/resource.hpp"
#include "harness/serve/ec2/backend.hpp"
#include "harness/serve/core/registry.hpp"
#include "models/aws/aws_estate.hpp"

#include <algorithm>

namespace migsim::harness::serve {

namespace {

namespace asg = models::asg;

// Wraps a handler with EC2's DryRun check.
Handler dry_run(Handler h)
{
  return [h = std::move(h)](const json& in, ServeContext& ctx) {
    if (in.value("DryRun", false))
      throw AwsError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);
    return h(in, ctx);
  };
}

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// The tags of a TagSpecifications list for one resource type.
json tags_for(const json& in, const std::string& resource_type)
{
  json out = json::array();
  if (in.contains("TagSpecifications"))
    for (const auto& spec : in["TagSpecifications"])
      if (spec.value("ResourceType", std::string()) == resource_type && spec.contains("Tags"))
        for (const auto& t : spec["Tags"])
          out.push_back(t);
  return out;
}

// Whether a value passes the Filters of a request (name -> values; tag:Key filters on tags).
bool passes(const json& in, const std::map<std::string, std::string>& fields, const json& tags)
{
  if (!in.contains("Filters"))
    return true;
  for (const auto& f : in["Filters"]) {
    const std::string name = f.value("Name", std::string());
    const auto values = strings(f, "Values");
    std::string have;
    if (name.rfind("tag:", 0) == 0) {
      for (const auto& t : tags)
        if (t.value("Key", std::string()) == name.substr(4))
          have = t.value("Value", std::string());
    } else if (auto it = fields.find(name); it != fields.end()) {
      have = it->second;
    } else {
      throw AwsError("InvalidParameterValue", "The filter '" + name + "' is invalid");
    }
    if (!has(values, have))
      return false;
  }
  return true;
}

// A whole number sent as text (NextToken, MinVersion); InvalidParameterValue when it is not one.
long long whole(const json& in, const char* key)
{
  const std::string text = in[key].get<std::string>();
  try {
    size_t used = 0;
    const long long v = std::stoll(text, &used);
    if (used == text.size() && v >= 0)
      return v;
  } catch (const std::exception&) {
  }
  throw AwsError("InvalidParameterValue", std::string("Invalid value '") + text + "' for " + key);
}

// A page of `all`: MaxResults long, from a NextToken an earlier page returned.
json page(const json& in, const json& all, const char* key)
{
  const Page p = paginate(all, in, {.default_max = 1000, .min_max = 1, .max_max = 1000000,
                                    .max_code = "InvalidParameterValue", .token_code = "InvalidPaginationToken"});
  json out = {{key, p.items}};
  if (!p.next_token.empty())
    out["NextToken"] = p.next_token;
  return out;
}

json create_launch_template(const json& in, ServeContext& ctx)
{
  auto& t = ctx.state<Ec2Backend>().create(in.at("LaunchTemplateName"), in.at("LaunchTemplateData"),
                                           in.value("VersionDescription", std::string()), tags_for(in, "launch-template"),
                                           ctx.simulation.now());
  return {{"LaunchTemplate", launch_template_json(t)}};
}

json create_launch_template_version(const json& in, ServeContext& ctx)
{
  auto& ec2 = ctx.state<Ec2Backend>();
  auto& t = ec2.named(in);
  auto& v = ec2.add_version(t, in.at("LaunchTemplateData"), in.value("VersionDescription", std::string()),
                            in.value("SourceVersion", std::string()), ctx.simulation.now());
  return {{"LaunchTemplateVersion", launch_template_version_json(t, v)}};
}

json describe_launch_templates(const json& in, ServeContext& ctx)
{
  auto& ec2 = ctx.state<Ec2Backend>();
  const auto ids = strings(in, "LaunchTemplateIds"), names = strings(in, "LaunchTemplateNames");
  for (const auto& id : ids)
    if (!ec2.by_id(id))
      throw AwsError("InvalidLaunchTemplateId.NotFound",
                     "The specified launch template, with template ID " + id + ", does not exist.");
  for (const auto& n : names)
    if (!ec2.by_name(n))
      throw AwsError("InvalidLaunchTemplateName.NotFoundException",
                     "At least one of the launch templates specified in the request does not exist.");
  json all = json::array();
  for (auto* t : ec2.all()) {
    if ((!ids.empty() || !names.empty()) && !has(ids, t->id) && !has(names, t->name))
      continue;
    if (passes(in, {{"launch-template-name", t->name}}, t->tags))
      all.push_back(launch_template_json(*t));
  }
  return page(in, all, "LaunchTemplates");
}

json describe_launch_template_versions(const json& in, ServeContext& ctx)
{
  auto& ec2 = ctx.state<Ec2Backend>();
  const auto versions = strings(in, "Versions");
  std::vector<LaunchTemplate*> templates;
  if (in.contains("LaunchTemplateId") || in.contains("LaunchTemplateName")) {
    templates.push_back(&ec2.named(in));
  } else {
    for (const auto& v : versions)
      if (v != "$Latest" && v != "$Default")
        throw AwsError("MissingParameter",
                       "The request must contain the parameter LaunchTemplateName or LaunchTemplateId");
    if (versions.empty())
      throw AwsError("MissingParameter", "The request must contain the parameter LaunchTemplateName or LaunchTemplateId");
    templates = ec2.all();
  }
  const int64_t min_v = in.contains("MinVersion") ? whole(in, "MinVersion") : 0;
  const int64_t max_v = in.contains("MaxVersion") ? whole(in, "MaxVersion") : INT64_MAX;
  json all = json::array();
  for (auto* t : templates) {
    std::vector<int64_t> wanted;
    for (const auto& v : versions)
      wanted.push_back(ec2.version(*t, v).number);  // throws VersionNotFound
    for (auto it = t->versions.rbegin(); it != t->versions.rend(); ++it) {  // newest first, as AWS lists them
      if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), it->number) == wanted.end())
        continue;
      if (it->number < min_v || it->number > max_v)
        continue;
      if (passes(in, {{"instance-type", it->data.value("InstanceType", std::string())},
                      {"image-id", it->data.value("ImageId", std::string())},
                      {"is-default-version", it->number == t->default_version ? "true" : "false"}},
                 json::array()))
        all.push_back(launch_template_version_json(*t, *it));
    }
  }
  return page(in, all, "LaunchTemplateVersions");
}

json delete_launch_template(const json& in, ServeContext& ctx)
{
  auto& ec2 = ctx.state<Ec2Backend>();
  return {{"LaunchTemplate", launch_template_json(ec2.remove(ec2.named(in)))}};
}

json modify_launch_template(const json& in, ServeContext& ctx)
{
  auto& ec2 = ctx.state<Ec2Backend>();
  auto& t = ec2.named(in);
  if (in.contains("DefaultVersion")) {
    const std::string v = in["DefaultVersion"].get<std::string>();
    if (v.empty() || v[0] == '$')
      throw AwsError("InvalidLaunchTemplateId.VersionNotFound", "The default version must be a version number, got '" + v + "'");
    t.default_version = ec2.version(t, v).number;
  }
  return {{"LaunchTemplate", launch_template_json(t)}};
}

// EC2's state of an Auto Scaling lifecycle state: code and name.
json ec2_state(asg::LifecycleState s)
{
  switch (s) {
    case asg::LifecycleState::Pending: return {{"Code", 0}, {"Name", "pending"}};
    case asg::LifecycleState::InService: return {{"Code", 16}, {"Name", "running"}};
    case asg::LifecycleState::Terminating: return {{"Code", 32}, {"Name", "shutting-down"}};
    case asg::LifecycleState::Terminated: return {{"Code", 48}, {"Name", "terminated"}};
  }
  return {{"Code", 0}, {"Name", "pending"}};
}

json describe_instances(const json& in, ServeContext& ctx)
{
  const auto ids = strings(in, "InstanceIds");
  for (const auto& id : ids)
    if (id.rfind("i-", 0) != 0)
      throw AwsError("InvalidInstanceID.Malformed", "Invalid id: \"" + id + "\"");
  // Every instance of the simulation: the estate's groups, then the API's (deleted groups included:
  // EC2 keeps showing terminated instances for a while).
  struct Row {
    const asg::Instance* inst;
    std::string group, type, image;
  };
  std::vector<Row> rows;
  if (auto* a = scenario_aws(ctx))
    for (auto* g : a->groups())
      for (const auto& i : g->instances())
        rows.push_back({&i, g->spec().name, g->spec().instance_type, ""});
  for (auto& g : ctx.state<autoscaling::ApiGroups>().all) {
    auto* t = ctx.state<Ec2Backend>().by_id(g->lt_id);
    for (const auto& i : g->group->instances()) {
      std::string image;  // the AMI of the version it launched from, while the template exists
      if (t)
        for (const auto& v : t->versions)
          if (std::to_string(v.number) == g->instance_lt_version[i.id])
            image = v.data.value("ImageId", std::string());
      rows.push_back({&i, g->group->spec().name, g->instance_type[i.id], image});
    }
  }
  std::vector<std::string> found;
  json all = json::array();
  for (const auto& r : rows) {
    const auto& i = *r.inst;
    if (!ids.empty() && !has(ids, i.id))
      continue;
    found.push_back(i.id);
    json tags = json::array({{{"Key", "aws:autoscaling:groupName"}, {"Value", r.group}}});
    json state = ec2_state(i.state);
    if (!passes(in, {{"instance-id", i.id}, {"instance-type", r.type}, {"availability-zone", i.az},
                     {"instance-state-name", state["Name"].get<std::string>()}},
                tags))
      continue;
    json x = {{"InstanceId", i.id},
              {"InstanceType", r.type},
              {"State", state},
              {"Placement", {{"AvailabilityZone", i.az}, {"Tenancy", "default"}, {"GroupName", ""}}},
              {"LaunchTime", epoch_s(i.launched_s)},
              {"AmiLaunchIndex", 0},
              {"Architecture", "x86_64"},
              {"RootDeviceType", "ebs"},
              {"VirtualizationType", "hvm"},
              {"Hypervisor", "xen"},
              {"SubnetId", "subnet-" + i.az},
              {"Tags", tags}};
    if (!r.image.empty())
      x["ImageId"] = r.image;
    all.push_back({{"ReservationId", "r-" + i.id.substr(2)}, {"OwnerId", kAccountId}, {"Instances", {x}}});
  }
  for (const auto& id : ids)
    if (!has(found, id))
      throw AwsError("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
  return page(in, all, "Reservations");
}

}  // namespace

// Adds the EC2 operations (launch templates, DescribeInstances).
void register_ec2(Registry& r)
{
  r.add("ec2", "CreateLaunchTemplate",
        {"LaunchTemplateName", "LaunchTemplateData", "VersionDescription", "TagSpecifications", "DryRun"},
        dry_run(create_launch_template));
  r.add("ec2", "CreateLaunchTemplateVersion",
        {"LaunchTemplateId", "LaunchTemplateName", "LaunchTemplateData", "SourceVersion", "VersionDescription", "DryRun"},
        dry_run(create_launch_template_version));
  r.add("ec2", "DescribeLaunchTemplates",
        {"LaunchTemplateIds", "LaunchTemplateNames", "Filters", "MaxResults", "NextToken", "DryRun"},
        dry_run(describe_launch_templates));
  r.add("ec2", "DescribeLaunchTemplateVersions",
        {"LaunchTemplateId", "LaunchTemplateName", "Versions", "MinVersion", "MaxVersion", "Filters", "MaxResults",
         "NextToken", "DryRun"},
        dry_run(describe_launch_template_versions));
  r.add("ec2", "DeleteLaunchTemplate", {"LaunchTemplateId", "LaunchTemplateName", "DryRun"},
        dry_run(delete_launch_template));
  r.add("ec2", "ModifyLaunchTemplate", {"LaunchTemplateId", "LaunchTemplateName", "DefaultVersion", "DryRun"},
        dry_run(modify_launch_template));
  r.add("ec2", "DescribeInstances", {"InstanceIds", "Filters", "MaxResults", "NextToken", "DryRun"},
        dry_run(describe_instances));
}

}  // namespace migsim::harness::serve
