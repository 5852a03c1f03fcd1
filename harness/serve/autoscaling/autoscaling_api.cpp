// Auto Scaling (query protocol, 2011-01-01) in the serve registry: each operation's handler and the
// input members it honours; a Fault becomes the AwsError the codec encodes.
#include "harness/serve/autoscaling/autoscaling_create.hpp"
#include "harness/serve/autoscaling/autoscaling_handlers.hpp"
#include "harness/serve/core/registry.hpp"

namespace migsim::harness::serve {

namespace {

Handler wrap(json (*fn)(const json&, ServeContext&))
{
  return [fn](const json& in, ServeContext& ctx) {
    try {
      return fn(in, ctx);
    } catch (const autoscaling::Fault& f) {
      throw AwsError(f.code, f.what(), f.status);
    }
  };
}

}  // namespace

// Adds the Auto Scaling operations on the simulated groups.
void register_autoscaling(Registry& r)
{
  r.add("autoscaling", "DescribeAutoScalingGroups", {"AutoScalingGroupNames"},
        wrap(autoscaling::describe_auto_scaling_groups));
  r.add("autoscaling", "DescribeScalingActivities", {"AutoScalingGroupName", "ActivityIds", "MaxRecords", "NextToken"},
        wrap(autoscaling::describe_scaling_activities));
  r.add("autoscaling", "SetDesiredCapacity", {"AutoScalingGroupName", "DesiredCapacity"},
        wrap(autoscaling::set_desired_capacity));
  r.add("autoscaling", "UpdateAutoScalingGroup", {"AutoScalingGroupName", "MinSize", "MaxSize", "DesiredCapacity"},
        wrap(autoscaling::update_auto_scaling_group));
  r.add("autoscaling", "DescribePolicies", {"AutoScalingGroupName", "PolicyNames"}, wrap(autoscaling::describe_policies));
  r.add("autoscaling", "PutScalingPolicy",
        {"AutoScalingGroupName", "PolicyName", "PolicyType", "TargetTrackingConfiguration"},
        wrap(autoscaling::put_scaling_policy));
  r.add("autoscaling", "StartInstanceRefresh", {"AutoScalingGroupName", "Strategy", "Preferences"},
        wrap(autoscaling::start_instance_refresh));
  r.add("autoscaling", "DescribeInstanceRefreshes", {"AutoScalingGroupName", "InstanceRefreshIds"},
        wrap(autoscaling::describe_instance_refreshes));
  r.add("autoscaling", "CreateAutoScalingGroup",
        {"AutoScalingGroupName", "LaunchTemplate", "MinSize", "MaxSize", "DesiredCapacity", "AvailabilityZones",
         "VPCZoneIdentifier", "HealthCheckType", "HealthCheckGracePeriod", "DefaultInstanceWarmup", "DefaultCooldown",
         "TargetGroupARNs"},
        wrap(autoscaling::create_auto_scaling_group));
  r.add("autoscaling", "DeleteAutoScalingGroup", {"AutoScalingGroupName", "ForceDelete"},
        wrap(autoscaling::delete_auto_scaling_group));
  r.add("autoscaling", "CancelInstanceRefresh", {"AutoScalingGroupName"}, wrap(autoscaling::cancel_instance_refresh));
}

}  // namespace migsim::harness::serve
