// Auto Scaling's operation table (query protocol, 2011-01-01): each operation's backend function and the
// input members it honours.
#include "harness/serve/autoscaling/backend.hpp"
#include "harness/serve/core/registry.hpp"

namespace migsim::harness::serve {

// Adds the Auto Scaling operations on the simulated groups.
void register_autoscaling(Registry& r)
{
  r.add("autoscaling", "DescribeAutoScalingGroups", {"AutoScalingGroupNames"},
        autoscaling::with_group_tags(autoscaling::describe_auto_scaling_groups));
  r.add("autoscaling", "DeletePolicy", {"AutoScalingGroupName", "PolicyName"}, autoscaling::delete_policy);
  autoscaling::register_tags(r);
  autoscaling::register_attachments(r);
  r.add("autoscaling", "DescribeScalingActivities", {"AutoScalingGroupName", "ActivityIds", "MaxRecords", "NextToken"},
        autoscaling::describe_scaling_activities);
  r.add("autoscaling", "SetDesiredCapacity", {"AutoScalingGroupName", "DesiredCapacity"},
        autoscaling::set_desired_capacity);
  r.add("autoscaling", "UpdateAutoScalingGroup", {"AutoScalingGroupName", "MinSize", "MaxSize", "DesiredCapacity"},
        autoscaling::update_auto_scaling_group);
  r.add("autoscaling", "DescribePolicies", {"AutoScalingGroupName", "PolicyNames"}, autoscaling::describe_policies);
  r.add("autoscaling", "PutScalingPolicy",
        {"AutoScalingGroupName", "PolicyName", "PolicyType", "TargetTrackingConfiguration"},
        autoscaling::put_scaling_policy);
  r.add("autoscaling", "StartInstanceRefresh", {"AutoScalingGroupName", "Strategy", "Preferences"},
        autoscaling::start_instance_refresh);
  r.add("autoscaling", "DescribeInstanceRefreshes", {"AutoScalingGroupName", "InstanceRefreshIds"},
        autoscaling::describe_instance_refreshes);
  r.add("autoscaling", "CreateAutoScalingGroup",
        {"AutoScalingGroupName", "LaunchTemplate", "MinSize", "MaxSize", "DesiredCapacity", "AvailabilityZones",
         "VPCZoneIdentifier", "HealthCheckType", "HealthCheckGracePeriod", "DefaultInstanceWarmup", "DefaultCooldown",
         "TargetGroupARNs", "Tags"},
        autoscaling::recording_tags(autoscaling::create_auto_scaling_group));
  r.add("autoscaling", "DeleteAutoScalingGroup", {"AutoScalingGroupName", "ForceDelete"},
        autoscaling::forgetting_tags(autoscaling::delete_auto_scaling_group));
  r.add("autoscaling", "CancelInstanceRefresh", {"AutoScalingGroupName"}, autoscaling::cancel_instance_refresh);
}

}  // namespace migsim::harness::serve
