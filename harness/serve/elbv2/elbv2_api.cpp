// ELBv2 (query protocol, 2015-12-01) in the serve registry: each operation's handler and the input
// members it honours; a Fault becomes the AwsError the codec encodes.
#include "harness/serve/elbv2/elbv2_handlers.hpp"
#include "harness/serve/elbv2/elbv2_create.hpp"
#include "harness/serve/elbv2/elbv2_targets.hpp"
#include "harness/run/run_command.hpp"
#include "harness/serve/core/registry.hpp"

namespace migsim::harness::serve {

namespace {

Handler wrap(json (*fn)(const json&, ServeContext&))
{
  return [fn](const json& in, ServeContext& ctx) {
    try {
      return fn(in, ctx);
    } catch (const elbv2::Fault& f) {
      throw AwsError(f.code, f.what(), f.status);
    }
  };
}

// Without an aws estate, the target groups are the migration's sites (elbv2_targets.cpp): the
// cutover runbook waits on them; with one, the simulated ALB's groups.
Handler aws_or_sites(json (*on_aws)(const json&, ServeContext&), json (*on_sites)(const json&, ServeContext&))
{
  return [on_aws, on_sites](const json& in, ServeContext& ctx) {
    if (ctx.simulation.aws())
      return wrap(on_aws)(in, ctx);
    try {
      return on_sites(in, ctx);
    } catch (const elbv2_sites::Elbv2Error& e) {
      throw AwsError(e.code, e.what(), 400);
    }
  };
}

}  // namespace

// Adds the ELBv2 operations on the simulated ALB.
void register_elbv2(Registry& r)
{
  r.add("elbv2", "DescribeLoadBalancers", {"LoadBalancerArns", "Names"}, elbv2_create::with_created("DescribeLoadBalancers", wrap(elbv2::describe_load_balancers)));
  r.add("elbv2", "DescribeTargetGroups", {"LoadBalancerArn", "TargetGroupArns", "Names"}, elbv2_create::with_created("DescribeTargetGroups", aws_or_sites(elbv2::describe_target_groups, elbv2_sites::describe_target_groups)));
  r.add("elbv2", "DescribeListeners", {"LoadBalancerArn", "ListenerArns"}, elbv2_create::with_created("DescribeListeners", wrap(elbv2::describe_listeners)));
  r.add("elbv2", "DescribeRules", {"ListenerArn", "RuleArns"}, elbv2_create::with_created("DescribeRules", wrap(elbv2::describe_rules)));
  r.add("elbv2", "DescribeTargetHealth", {"TargetGroupArn", "Targets"}, elbv2_create::with_created("DescribeTargetHealth", aws_or_sites(elbv2::describe_target_health, elbv2_sites::describe_target_health)));
  r.add("elbv2", "RegisterTargets", {"TargetGroupArn", "Targets"}, elbv2_create::with_created("RegisterTargets", wrap(elbv2::register_targets)));
  r.add("elbv2", "DeregisterTargets", {"TargetGroupArn", "Targets"}, elbv2_create::with_created("DeregisterTargets", wrap(elbv2::deregister_targets)));
  elbv2_create::register_operations(r);  // CreateLoadBalancer, ... (elbv2_create_api.cpp)
}

}  // namespace migsim::harness::serve
