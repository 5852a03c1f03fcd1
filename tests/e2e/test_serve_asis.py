#!/usr/bin/env python3
"""ELBv2 and Auto Scaling of `migsim serve` as boto3 sees them, on a small AWS as-is estate.

Usage: python3 tests/e2e/test_serve_asis.py <path to migsim>   (from the repo root)

Runs the estate paused (--speed 0), moves the simulated clock with POST /_migsim/clock, and checks
that Describe* shows what the simulation did (instances booting, health checks passing after 5
checks 30 s apart, scaling activities with their causes and times) and that SetDesiredCapacity,
UpdateAutoScalingGroup, PutScalingPolicy, RegisterTargets, DeregisterTargets and an instance refresh
(Start/Describe/CancelInstanceRefresh) act on it; errors
come back as the AWS error codes boto3 raises. Prints "N passed, M failed"; exits 1 on a failure.
"""
import datetime
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import aws_error, check, serve_checked, summary  # noqa: E402

T0 = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)  # simulated t = 0

SCENARIO = {
    "name": "serve-asis", "seed": 9, "duration_s": 7200,
    "platform": {
        "zones": [{"name": "internet"}, {"name": "onprem"}],
        "servers": [{"name": "web", "zone": "onprem", "cores": 2}, {"name": "db", "zone": "onprem", "cores": 2}],
        "links": [{"name": "uplink", "from_zone": "internet", "to_zone": "onprem"}],
        "services": [{"name": "nginx", "server": "web", "kind": "proxy", "workers": 100},
                     {"name": "api", "server": "web", "workers": 32},
                     {"name": "mysql", "server": "db", "kind": "database", "workers": 100}]},
    "workload": {"client_zone": "internet", "base_rps": 5,
                 "classes": [{"name": "browse", "weight": 1, "response_kb": 10,
                              "stages": [{"service": "nginx", "cpu_ms": 0.3}, {"service": "api", "cpu_ms": 10},
                                         {"service": "mysql", "cpu_ms": 2}]}]},
    "aws": {
        "azs": ["us-east-1a", "us-east-1b"], "alb_replaces": ["nginx"],
        "tiers": [{"name": "web", "serves": ["api"], "min_size": 2, "max_size": 4, "desired": 2, "boot_cv": 0,
                   "boot_mean_s": 100,
                   "policies": [{"name": "cpu50", "metric": "ASGAverageCPUUtilization", "target": 50}]},
                  {"name": "admin", "serves": ["api"], "path_patterns": ["/admin/*"], "priority": 5,
                   "min_size": 1, "max_size": 1, "desired": 1}],
        "database": {"serves": ["mysql"]}}}


def error_code(fn):
    return aws_error(fn)[0]


def at(seconds):
    return T0 + datetime.timedelta(seconds=seconds)


def run(elb, asg, srv):
    # The load balancer, its listener and rules, its target groups.
    lbs = elb.describe_load_balancers()["LoadBalancers"]
    check("one ALB, active, in two AZs", len(lbs) == 1 and lbs[0]["LoadBalancerName"] == "shop-alb"
          and lbs[0]["State"]["Code"] == "active" and len(lbs[0]["AvailabilityZones"]) == 2, lbs)
    lb_arn = lbs[0]["LoadBalancerArn"]
    check("LoadBalancerNotFound for another name",
          error_code(lambda: elb.describe_load_balancers(Names=["nope"])) == "LoadBalancerNotFound")
    tgs = {t["TargetGroupName"]: t for t in elb.describe_target_groups(LoadBalancerArn=lb_arn)["TargetGroups"]}
    web = tgs.get("web", {})
    check("target groups with the documented health check defaults", set(tgs) == {"web", "admin"}
          and web.get("HealthCheckIntervalSeconds") == 30 and web.get("HealthCheckTimeoutSeconds") == 5
          and web.get("HealthyThresholdCount") == 5 and web.get("UnhealthyThresholdCount") == 2, tgs)
    listeners = elb.describe_listeners(LoadBalancerArn=lb_arn)["Listeners"]
    check("HTTP:80 listener forwarding to web by default", len(listeners) == 1 and listeners[0]["Port"] == 80
          and listeners[0]["DefaultActions"][0]["TargetGroupArn"] == web.get("TargetGroupArn"), listeners)
    rules = elb.describe_rules(ListenerArn=listeners[0]["ListenerArn"])["Rules"]
    check("rules: /admin/* at priority 5, then the default", [r["Priority"] for r in rules] == ["5", "default"]
          and rules[0]["Conditions"][0]["Values"] == ["/admin/*"]
          and rules[0]["Actions"][0]["TargetGroupArn"] == tgs["admin"]["TargetGroupArn"], rules)
    health = elb.describe_target_health(TargetGroupArn=web["TargetGroupArn"])["TargetHealthDescriptions"]
    check("two healthy web targets", [h["TargetHealth"]["State"] for h in health] == ["healthy", "healthy"], health)

    # Scale by hand at t = 300: a Pending instance, InService 100 s later, then `initial` until the
    # 5th passing health check (checks at 400, 430, 460, 490, 520).
    srv.advance(300)
    asg.set_desired_capacity(AutoScalingGroupName="web", DesiredCapacity=3)
    groups = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"]
    inst = groups[0]["Instances"]
    check("SetDesiredCapacity: desired 3, a Pending instance", groups[0]["DesiredCapacity"] == 3 and len(inst) == 3
          and inst[2]["LifecycleState"] == "Pending", groups)
    new_id = inst[2]["InstanceId"]
    srv.advance(101)
    inst = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]["Instances"]
    check("InService after its 100 s boot", inst[2]["LifecycleState"] == "InService", inst)
    h = elb.describe_target_health(TargetGroupArn=web["TargetGroupArn"], Targets=[{"Id": new_id}])
    th = h["TargetHealthDescriptions"][0]["TargetHealth"]
    check("the new target is initial (Elb.InitialHealthChecking)", th["State"] == "initial"
          and th.get("Reason") == "Elb.InitialHealthChecking", th)
    srv.advance(120)  # t = 521: the 5th check at 520 answered in 2 ms
    th = elb.describe_target_health(TargetGroupArn=web["TargetGroupArn"],
                                    Targets=[{"Id": new_id}])["TargetHealthDescriptions"][0]["TargetHealth"]
    check("healthy after 5 checks 30 s apart", th["State"] == "healthy", th)
    acts = asg.describe_scaling_activities(AutoScalingGroupName="web")["Activities"]
    check("the launch activity: times, status, cause", len(acts) == 1
          and acts[0]["Description"] == "Launching a new EC2 instance: " + new_id
          and acts[0]["StatusCode"] == "Successful" and acts[0]["StartTime"] == at(300)
          and acts[0]["EndTime"] == at(400)
          and "a user request explicitly set group desired capacity changing the desired capacity from 2 to 3"
          in acts[0]["Cause"], acts)
    check("SetDesiredCapacity beyond MaxSize: ValidationError",
          error_code(lambda: asg.set_desired_capacity(AutoScalingGroupName="web", DesiredCapacity=9)) == "ValidationError")
    check("unknown group: ValidationError",
          error_code(lambda: asg.describe_scaling_activities(AutoScalingGroupName="nope")) == "ValidationError")

    # Policies.
    pols = asg.describe_policies(AutoScalingGroupName="web")["ScalingPolicies"]
    check("the scenario's target tracking policy", len(pols) == 1 and pols[0]["PolicyName"] == "cpu50"
          and pols[0]["TargetTrackingConfiguration"]["TargetValue"] == 50.0
          and pols[0]["Alarms"][0]["AlarmName"] == "TargetTracking-web-AlarmHigh-cpu50", pols)
    put = asg.put_scaling_policy(AutoScalingGroupName="web", PolicyName="requests", PolicyType="TargetTrackingScaling",
                                 TargetTrackingConfiguration={"PredefinedMetricSpecification": {
                                     "PredefinedMetricType": "ALBRequestCountPerTarget",
                                     "ResourceLabel": "app/shop-alb/x/targetgroup/web/y"}, "TargetValue": 600.0})
    check("PutScalingPolicy returns its ARN and two alarms", put["PolicyARN"].endswith("policyName/requests")
          and len(put["Alarms"]) == 2, put)
    names = [p["PolicyName"] for p in asg.describe_policies(AutoScalingGroupName="web")["ScalingPolicies"]]
    check("DescribePolicies lists it", names == ["cpu50", "requests"], names)

    # UpdateAutoScalingGroup back to 2: a termination, listed first (newest first).
    asg.update_auto_scaling_group(AutoScalingGroupName="web", MinSize=2, MaxSize=3, DesiredCapacity=2)
    g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]
    acts = asg.describe_scaling_activities(AutoScalingGroupName="web")["Activities"]
    check("UpdateAutoScalingGroup: max 3, desired 2, a termination", g["MaxSize"] == 3 and g["DesiredCapacity"] == 2
          and acts[0]["Description"].startswith("Terminating EC2 instance: "), (g, acts))
    check("UpdateAutoScalingGroup with desired outside min/max: ValidationError",
          error_code(lambda: asg.update_auto_scaling_group(AutoScalingGroupName="web", DesiredCapacity=7)) == "ValidationError")

    # Deregister the admin target (draining, then gone), register it again (initial).
    admin_arn = tgs["admin"]["TargetGroupArn"]
    admin_id = elb.describe_target_health(TargetGroupArn=admin_arn)["TargetHealthDescriptions"][0]["Target"]["Id"]
    elb.deregister_targets(TargetGroupArn=admin_arn, Targets=[{"Id": admin_id}])
    srv.advance(1)
    state = elb.describe_target_health(TargetGroupArn=admin_arn, Targets=[{"Id": admin_id}])
    state = state["TargetHealthDescriptions"][0]["TargetHealth"]["State"]
    check("DeregisterTargets: draining or already gone", state in ("draining", "unused"), state)
    elb.register_targets(TargetGroupArn=admin_arn, Targets=[{"Id": admin_id}])
    state = elb.describe_target_health(TargetGroupArn=admin_arn)["TargetHealthDescriptions"][0]["TargetHealth"]["State"]
    check("RegisterTargets: initial again", state == "initial", state)
    check("RegisterTargets of an unknown instance: InvalidTarget",
          error_code(lambda: elb.register_targets(TargetGroupArn=admin_arn, Targets=[{"Id": "i-nothere"}]))
          == "InvalidTarget")

    # Instance refresh of web (2 instances, both warmed up by t = 822): MinHealthyPercentage 50 keeps
    # ceil(2 * 50 %) = 1 serving, so one at a time; each replacement boots 100 s and warms up 60 s.
    t0 = srv.advance(300)
    check("CancelInstanceRefresh with none in progress: ActiveInstanceRefreshNotFound",
          error_code(lambda: asg.cancel_instance_refresh(AutoScalingGroupName="web")) == "ActiveInstanceRefreshNotFound")
    rid = asg.start_instance_refresh(AutoScalingGroupName="web", Strategy="Rolling",
                                     Preferences={"MinHealthyPercentage": 50, "InstanceWarmup": 60})["InstanceRefreshId"]
    check("StartInstanceRefresh again while one runs: InstanceRefreshInProgress",
          error_code(lambda: asg.start_instance_refresh(AutoScalingGroupName="web")) == "InstanceRefreshInProgress")
    ref = asg.describe_instance_refreshes(AutoScalingGroupName="web")["InstanceRefreshes"]
    check("DescribeInstanceRefreshes: InProgress, 0 %, 2 to update", len(ref) == 1 and ref[0]["InstanceRefreshId"] == rid
          and ref[0]["Status"] == "InProgress" and ref[0]["PercentageComplete"] == 0 and ref[0]["InstancesToUpdate"] == 2
          and ref[0]["Preferences"]["MinHealthyPercentage"] == 50 and ref[0]["StartTime"] == at(t0), ref)
    srv.advance(161)  # the first replacement: InService at +100, warmed up at +160
    ref = asg.describe_instance_refreshes(AutoScalingGroupName="web")["InstanceRefreshes"][0]
    check("after the first batch: 50 %, 1 to update", ref["Status"] == "InProgress" and ref["PercentageComplete"] == 50
          and ref["InstancesToUpdate"] == 1, ref)
    srv.advance(160)
    ref = asg.describe_instance_refreshes(AutoScalingGroupName="web")["InstanceRefreshes"][0]
    check("Successful at +320 s, 100 %", ref["Status"] == "Successful" and ref["PercentageComplete"] == 100
          and ref["InstancesToUpdate"] == 0 and ref.get("EndTime") == at(t0 + 320), ref)
    acts = asg.describe_scaling_activities(AutoScalingGroupName="web")["Activities"]
    taken = [a for a in acts if "was taken out of service in response to an instance refresh" in a["Cause"]]
    check("two terminations caused by the instance refresh, at +0 and +160 s",
          sorted(a["StartTime"] for a in taken) == [at(t0), at(t0 + 160)], acts[:6])
    rid2 = asg.start_instance_refresh(AutoScalingGroupName="web")["InstanceRefreshId"]
    cancelled = asg.cancel_instance_refresh(AutoScalingGroupName="web")["InstanceRefreshId"]
    ref = asg.describe_instance_refreshes(AutoScalingGroupName="web")["InstanceRefreshes"]
    check("CancelInstanceRefresh: Cancelled, listed first, defaults 90 % and the group's warm-up", cancelled == rid2
          and len(ref) == 2 and ref[0]["InstanceRefreshId"] == rid2 and ref[0]["Status"] == "Cancelled"
          and ref[0]["Preferences"]["MinHealthyPercentage"] == 90 and ref[0]["Preferences"]["InstanceWarmup"] == 300, ref)


def serve_estate(body, check_stop=False):
    """body(srv) against `migsim serve` of SCENARIO (sys.argv[1]: the migsim binary); the exit code."""
    migsim = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "build/migsim"
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "serve-asis.json")
        with open(path, "w") as f:
            json.dump(SCENARIO, f)
        serve_checked(migsim, path, body, check_stop=check_stop)
    return summary(started)


def main():
    return serve_estate(lambda srv: run(srv.client("elbv2"), srv.client("autoscaling"), srv))


if __name__ == "__main__":
    sys.exit(main())
