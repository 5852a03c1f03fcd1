// Auto Scaling group tags: given at CreateAutoScalingGroup or by CreateOrUpdateTags/DeleteTags,
// listed by DescribeTags and in DescribeAutoScalingGroups' Tags (Key, Value, PropagateAtLaunch,
// ResourceId, ResourceType), as the terraform provider reads them back. `migsim:service` names the
// scenario service the group's instances run.
#include "harness/serve/autoscaling/backend.hpp"
#include "harness/serve/core/registry.hpp"

#include <map>

namespace migsim::harness::serve::autoscaling {

namespace {

// Tags by group name, then key.
struct GroupTags {
  static constexpr bool kRegional = true;  // one per region (ServeContext::state)
  std::map<std::string, std::map<std::string, json>> by_group;
};

json tag_json(const std::string& group, const json& t)
{
  return {{"ResourceId", group},
          {"ResourceType", "auto-scaling-group"},
          {"Key", t.value("Key", std::string())},
          {"Value", t.value("Value", std::string())},
          {"PropagateAtLaunch", t.value("PropagateAtLaunch", false)}};
}

void put(ServeContext& ctx, const json& tags, const std::string& default_group)
{
  auto& st = ctx.state<GroupTags>();
  for (const auto& t : tags) {
    const std::string group = t.value("ResourceId", default_group);
    if (t.contains("ResourceType") && t["ResourceType"] != "auto-scaling-group")
      throw AwsError("ValidationError", "ResourceType must be auto-scaling-group", 400);
    const std::string key = t.value("Key", std::string());
    if (key.empty() || key.size() > 128)
      throw AwsError("ValidationError", "Tag key must be 1 to 128 characters", 400);
    st.by_group[group][key] = tag_json(group, t);
  }
}

json tags_of(ServeContext& ctx, const std::string& group)
{
  json out = json::array();
  auto& st = ctx.state<GroupTags>();
  if (auto it = st.by_group.find(group); it != st.by_group.end())
    for (const auto& [k, t] : it->second)
      out.push_back(t);
  return out;
}

}  // namespace

std::string propagated_tag(ServeContext& ctx, const std::string& group, const std::string& key)
{
  auto& st = ctx.state<GroupTags>();
  auto g = st.by_group.find(group);
  if (g == st.by_group.end())
    return "";
  auto t = g->second.find(key);
  return t == g->second.end() || !t->second.value("PropagateAtLaunch", false) ? "" : t->second.value("Value", std::string());
}

Handler recording_tags(Handler create)
{
  return [create = std::move(create)](const json& in, ServeContext& ctx) {
    json out = create(in, ctx);
    if (in.contains("Tags"))
      put(ctx, in["Tags"], in["AutoScalingGroupName"]);
    return out;
  };
}

Handler forgetting_tags(Handler remove)
{
  return [remove = std::move(remove)](const json& in, ServeContext& ctx) {
    json out = remove(in, ctx);
    ctx.state<GroupTags>().by_group.erase(in["AutoScalingGroupName"].get<std::string>());
    return out;
  };
}

Handler with_group_tags(Handler describe)
{
  return [describe = std::move(describe)](const json& in, ServeContext& ctx) {
    json out = describe(in, ctx);
    for (auto& g : out["AutoScalingGroups"]) {
      json tags = tags_of(ctx, g["AutoScalingGroupName"]);
      if (!tags.empty() || !g.contains("Tags"))
        g["Tags"] = tags;
    }
    return out;
  };
}

void register_tags(Registry& r)
{
  r.add("autoscaling", "CreateOrUpdateTags", {"Tags"}, [](const json& in, ServeContext& ctx) {
    for (const auto& t : in["Tags"]) {
      const std::string group = t.value("ResourceId", std::string());
      if (describe_auto_scaling_groups(json{{"AutoScalingGroupNames", {group}}}, ctx)["AutoScalingGroups"].empty())
        throw AwsError("ValidationError", "AutoScalingGroup name not found - " + group, 400);
    }
    put(ctx, in["Tags"], "");
    return json::object();
  });
  r.add("autoscaling", "DeleteTags", {"Tags"}, [](const json& in, ServeContext& ctx) {
    auto& st = ctx.state<GroupTags>();
    for (const auto& t : in["Tags"]) {
      auto it = st.by_group.find(t.value("ResourceId", std::string()));
      if (it != st.by_group.end())
        it->second.erase(t.value("Key", std::string()));
    }
    return json::object();
  });
  r.add("autoscaling", "DescribeTags", {"Filters"}, [](const json& in, ServeContext& ctx) {
    json out = json::array();
    for (const auto& [group, tags] : ctx.state<GroupTags>().by_group)
      for (const auto& [key, t] : tags) {
        bool keep = true;
        for (const auto& f : in.value("Filters", json::array())) {
          const std::string name = f.value("Name", std::string());
          const std::string have = name == "auto-scaling-group" ? group
                                   : name == "key"              ? key
                                   : name == "value"            ? t["Value"].get<std::string>()
                                   : name == "propagate-at-launch" ? (t["PropagateAtLaunch"].get<bool>() ? "true" : "false")
                                                                   : "\x01";
          if (have == "\x01")
            throw AwsError("ValidationError", "Filter " + name + " is not valid", 400);
          bool any = false;
          for (const auto& v : f.value("Values", json::array()))
            any = any || v.get<std::string>() == have;
          keep = keep && any;
        }
        if (keep)
          out.push_back(t);
      }
    return json{{"Tags", out}};
  });
}

}  // namespace migsim::harness::serve::autoscaling
