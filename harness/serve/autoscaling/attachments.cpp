// What else the terraform provider reads of an Auto Scaling group, for features migsim does not
// model (so a group never has any): classic load balancers (DescribeLoadBalancers), lifecycle hooks
// (DescribeLifecycleHooks), a warm pool (DescribeWarmPool); and its traffic sources
// (DescribeTrafficSources: its target groups, as AWS lists them).
#include "harness/serve/autoscaling/backend.hpp"
#include "harness/serve/core/registry.hpp"

namespace migsim::harness::serve::autoscaling {

namespace {

// The group's DescribeAutoScalingGroups entry; ValidationError when there is none.
json group_of(const json& in, ServeContext& ctx)
{
  const std::string name = in.value("AutoScalingGroupName", std::string());
  json out = describe_auto_scaling_groups(json{{"AutoScalingGroupNames", {name}}}, ctx);
  if (out["AutoScalingGroups"].empty())
    throw AwsError("ValidationError", "AutoScalingGroup name not found - " + name, 400);
  return out["AutoScalingGroups"][0];
}

}  // namespace

void register_attachments(Registry& r)
{
  r.add("autoscaling", "DescribeLoadBalancers", {"AutoScalingGroupName"}, [](const json& in, ServeContext& ctx) {
    group_of(in, ctx);
    return json{{"LoadBalancers", json::array()}};
  });
  r.add("autoscaling", "DescribeLifecycleHooks", {"AutoScalingGroupName"}, [](const json& in, ServeContext& ctx) {
    group_of(in, ctx);
    return json{{"LifecycleHooks", json::array()}};
  });
  r.add("autoscaling", "DescribeWarmPool", {"AutoScalingGroupName"}, [](const json& in, ServeContext& ctx) {
    group_of(in, ctx);
    return json{{"Instances", json::array()}};
  });
  r.add("autoscaling", "DescribeTrafficSources", {"AutoScalingGroupName", "TrafficSourceType"},
        [](const json& in, ServeContext& ctx) {
          const json g = group_of(in, ctx);
          const std::string type = in.value("TrafficSourceType", std::string());
          json out = json::array();
          if (type.empty() || type == "elbv2")
            for (const auto& arn : g.value("TargetGroupARNs", json::array()))
              out.push_back({{"TrafficSource", arn}, {"State", "InService"}, {"Identifier", arn}, {"Type", "elbv2"}});
          return json{{"TrafficSources", out}};
        });
}

}  // namespace migsim::harness::serve::autoscaling
