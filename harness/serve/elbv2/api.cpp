// ELBv2's operation table (query protocol, 2015-12-01): decoded input -> elbv2 backend -> output.
// The reads and target operations answer for every load balancer (describe.cpp); created resources
// are backend.cpp (load balancers, listeners, rules) and target_groups.cpp; attributes and tags
// attributes.cpp.
#include "harness/serve/elbv2/backend.hpp"
#include "harness/serve/core/registry.hpp"

namespace migsim::harness::serve {

void register_elbv2(Registry& r)
{
  using namespace elbv2;
  r.add("elbv2", "DescribeLoadBalancers", {"LoadBalancerArns", "Names"}, describe_load_balancers);
  r.add("elbv2", "DescribeTargetGroups", {"LoadBalancerArn", "TargetGroupArns", "Names"}, describe_target_groups);
  r.add("elbv2", "DescribeListeners", {"LoadBalancerArn", "ListenerArns"}, describe_listeners);
  r.add("elbv2", "DescribeRules", {"ListenerArn", "RuleArns"}, describe_rules);
  r.add("elbv2", "DescribeTargetHealth", {"TargetGroupArn", "Targets"},
        static_cast<json (*)(const json&, ServeContext&)>(describe_target_health));
  r.add("elbv2", "RegisterTargets", {"TargetGroupArn", "Targets"},
        static_cast<json (*)(const json&, ServeContext&)>(register_targets));
  r.add("elbv2", "DeregisterTargets", {"TargetGroupArn", "Targets"},
        static_cast<json (*)(const json&, ServeContext&)>(deregister_targets));
  r.add("elbv2", "CreateLoadBalancer", {"Name", "Subnets", "SubnetMappings", "SecurityGroups", "Scheme", "Type", "IpAddressType", "Tags"},
        tagged(create_load_balancer, "LoadBalancers", "LoadBalancerArn"));
  r.add("elbv2", "DeleteLoadBalancer", {"LoadBalancerArn"}, delete_load_balancer);
  r.add("elbv2", "CreateTargetGroup",
        {"Name", "Protocol", "ProtocolVersion", "Port", "VpcId", "HealthCheckProtocol", "HealthCheckPort", "HealthCheckEnabled",
         "HealthCheckPath", "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount",
         "UnhealthyThresholdCount", "Matcher", "TargetType", "Tags"},
        tagged(create_target_group, "TargetGroups", "TargetGroupArn"));
  r.add("elbv2", "DeleteTargetGroup", {"TargetGroupArn"}, delete_target_group);
  r.add("elbv2", "ModifyTargetGroup",
        {"TargetGroupArn", "HealthCheckProtocol", "HealthCheckPort", "HealthCheckPath", "HealthCheckEnabled",
         "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount", "UnhealthyThresholdCount", "Matcher"},
        modify_target_group);
  r.add("elbv2", "CreateListener", {"LoadBalancerArn", "Protocol", "Port", "SslPolicy", "Certificates", "DefaultActions", "Tags"},
        tagged(create_listener, "Listeners", "ListenerArn"));
  r.add("elbv2", "DeleteListener", {"ListenerArn"}, delete_listener);
  r.add("elbv2", "CreateRule", {"ListenerArn", "Conditions", "Priority", "Actions", "Tags"},
        tagged(create_rule, "Rules", "RuleArn"));
  r.add("elbv2", "DeleteRule", {"RuleArn"}, delete_rule);
  register_attributes(r);
}

}  // namespace migsim::harness::serve
