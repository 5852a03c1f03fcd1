#!/usr/bin/env python3
"""ELBv2 and Auto Scaling of `migsim serve` driven by the AWS CLI (`aws --endpoint-url ...`,
unmodified), every operation, values read with --query and checked against what the simulation
does, on the small AWS as-is estate of test_serve_asis.py (two tiers, 100 s boots, documented
health-check defaults: 5 checks 30 s apart).

Usage: python3 tests/e2e/test_serve_asis_cli.py <path to migsim>   (from the repo root)

The server runs paused (--speed 0); the simulated clock moves through POST /_migsim/clock.
Prints "N passed, M failed"; exits 1 on a failure.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import check, cli_time as ts  # noqa: E402
from test_serve_asis import at, serve_estate  # noqa: E402


def load_balancer(srv):
    """Describe* of the load balancer, its target groups, listener and rules: the scenario's ALB."""
    lb = srv.cli("elbv2", "describe-load-balancers", "--query",
                 "LoadBalancers[0].[LoadBalancerName, State.Code, length(AvailabilityZones), LoadBalancerArn]")
    check("elbv2 describe-load-balancers: shop-alb, active, two AZs", lb[:3] == ["shop-alb", "active", 2], lb)
    check("elbv2 describe-load-balancers --names nope: LoadBalancerNotFound",
          srv.cli_error("elbv2", "describe-load-balancers", "--names", "nope") == "LoadBalancerNotFound")
    tgs = srv.cli("elbv2", "describe-target-groups", "--load-balancer-arn", lb[3], "--query",
                  "TargetGroups[].[TargetGroupName, TargetGroupArn, HealthCheckIntervalSeconds, HealthyThresholdCount,"
                  " UnhealthyThresholdCount]")
    arns = {t[0]: t[1] for t in tgs}
    check("elbv2 describe-target-groups: web and admin, checks every 30 s, 5 healthy / 2 unhealthy",
          sorted(arns) == ["admin", "web"] and all(t[2:] == [30, 5, 2] for t in tgs), tgs)
    listener = srv.cli("elbv2", "describe-listeners", "--load-balancer-arn", lb[3], "--query",
                       "Listeners[0].[Port, DefaultActions[0].TargetGroupArn, ListenerArn]")
    check("elbv2 describe-listeners: HTTP 80 forwarding to web", listener[:2] == [80, arns.get("web")], listener)
    rules = srv.cli("elbv2", "describe-rules", "--listener-arn", listener[2], "--query",
                    "Rules[].[Priority, Conditions[0].Values[0], Actions[0].TargetGroupArn]")
    check("elbv2 describe-rules: /admin/* at priority 5 to admin, then the default",
          [r[0] for r in rules] == ["5", "default"] and rules[0][1:] == ["/admin/*", arns.get("admin")], rules)
    states = srv.cli("elbv2", "describe-target-health", "--target-group-arn", arns["web"], "--query",
                     "TargetHealthDescriptions[].TargetHealth.State")
    check("elbv2 describe-target-health: two healthy web targets", states == ["healthy", "healthy"], states)
    return arns


def scale_by_hand(srv, arns):
    """set-desired-capacity at t = 300: Pending, InService after its 100 s boot, initial until the
    5th passing health check (checks at 400, 430, 460, 490, 520), then healthy."""
    srv.advance(300)
    srv.cli("autoscaling", "set-desired-capacity", "--auto-scaling-group-name", "web", "--desired-capacity", "3")
    g = srv.cli("autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "web", "--query",
                "AutoScalingGroups[0].[DesiredCapacity, length(Instances), Instances[2].LifecycleState, "
                "Instances[2].InstanceId]")
    check("autoscaling set-desired-capacity 3: desired 3, a third instance Pending", g[:3] == [3, 3, "Pending"], g)
    new_id = g[3]
    srv.advance(101)
    state = srv.cli("autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "web",
                    "--query", "AutoScalingGroups[0].Instances[2].LifecycleState")
    check("autoscaling describe-auto-scaling-groups: InService after the 100 s boot", state == "InService", state)
    th = srv.cli("elbv2", "describe-target-health", "--target-group-arn", arns["web"], "--targets", f"Id={new_id}",
                 "--query", "TargetHealthDescriptions[0].TargetHealth.[State, Reason]")
    check("elbv2 describe-target-health: the new target initial (Elb.InitialHealthChecking)",
          th == ["initial", "Elb.InitialHealthChecking"], th)
    srv.advance(120)  # t = 521
    th = srv.cli("elbv2", "describe-target-health", "--target-group-arn", arns["web"], "--targets", f"Id={new_id}",
                 "--query", "TargetHealthDescriptions[0].TargetHealth.State")
    check("elbv2 describe-target-health: healthy after 5 checks 30 s apart", th == "healthy", th)
    acts = srv.cli("autoscaling", "describe-scaling-activities", "--auto-scaling-group-name", "web", "--query",
                   "Activities[].[Description, StatusCode, StartTime, EndTime, Cause]")
    check("autoscaling describe-scaling-activities: the launch at 300 s, done at 400 s, caused by the user",
          len(acts) == 1 and acts[0][:2] == ["Launching a new EC2 instance: " + new_id, "Successful"]
          and ts(acts[0][2]) == at(300) and ts(acts[0][3]) == at(400)
          and "explicitly set group desired capacity changing the desired capacity from 2 to 3" in acts[0][4], acts)
    check("autoscaling set-desired-capacity beyond MaxSize: ValidationError", srv.cli_error(
        "autoscaling", "set-desired-capacity", "--auto-scaling-group-name", "web", "--desired-capacity", "9")
        == "ValidationError")


def policies_and_update(srv):
    pols = srv.cli("autoscaling", "describe-policies", "--auto-scaling-group-name", "web", "--query",
                   "ScalingPolicies[].[PolicyName, TargetTrackingConfiguration.TargetValue, Alarms[0].AlarmName]")
    check("autoscaling describe-policies: the scenario's cpu50 target tracking policy",
          pols == [["cpu50", 50.0, "TargetTracking-web-AlarmHigh-cpu50"]], pols)
    config = {"PredefinedMetricSpecification": {"PredefinedMetricType": "ALBRequestCountPerTarget",
                                                "ResourceLabel": "app/shop-alb/x/targetgroup/web/y"},
              "TargetValue": 600.0}
    put = srv.cli("autoscaling", "put-scaling-policy", "--auto-scaling-group-name", "web", "--policy-name", "requests",
                  "--policy-type", "TargetTrackingScaling", "--target-tracking-configuration", json.dumps(config),
                  "--query", "[PolicyARN, length(Alarms)]")
    check("autoscaling put-scaling-policy: its ARN and two alarms",
          isinstance(put, list) and put[0].endswith("policyName/requests") and put[1] == 2, put)
    names = srv.cli("autoscaling", "describe-policies", "--auto-scaling-group-name", "web", "--query",
                    "ScalingPolicies[].PolicyName")
    check("autoscaling describe-policies lists it", names == ["cpu50", "requests"], names)
    srv.cli("autoscaling", "update-auto-scaling-group", "--auto-scaling-group-name", "web", "--min-size", "2",
            "--max-size", "3", "--desired-capacity", "2")
    g = srv.cli("autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "web", "--query",
                "AutoScalingGroups[0].[MinSize, MaxSize, DesiredCapacity]")
    first = srv.cli("autoscaling", "describe-scaling-activities", "--auto-scaling-group-name", "web", "--query",
                    "Activities[0].Description")
    check("autoscaling update-auto-scaling-group: 2..3, desired 2, a termination first",
          g == [2, 3, 2] and str(first).startswith("Terminating EC2 instance: "), (g, first))
    check("autoscaling update-auto-scaling-group desired outside min/max: ValidationError", srv.cli_error(
        "autoscaling", "update-auto-scaling-group", "--auto-scaling-group-name", "web", "--desired-capacity", "7")
        == "ValidationError")


def targets(srv, arns):
    """deregister-targets (draining, then gone) and register-targets (initial again) on admin."""
    admin_id = srv.cli("elbv2", "describe-target-health", "--target-group-arn", arns["admin"], "--query",
                       "TargetHealthDescriptions[0].Target.Id")
    srv.cli("elbv2", "deregister-targets", "--target-group-arn", arns["admin"], "--targets", f"Id={admin_id}")
    srv.advance(1)
    state = srv.cli("elbv2", "describe-target-health", "--target-group-arn", arns["admin"], "--targets",
                    f"Id={admin_id}", "--query", "TargetHealthDescriptions[0].TargetHealth.State")
    check("elbv2 deregister-targets: draining or already unused", state in ("draining", "unused"), state)
    srv.cli("elbv2", "register-targets", "--target-group-arn", arns["admin"], "--targets", f"Id={admin_id}")
    state = srv.cli("elbv2", "describe-target-health", "--target-group-arn", arns["admin"], "--query",
                    "TargetHealthDescriptions[0].TargetHealth.State")
    check("elbv2 register-targets: initial again", state == "initial", state)
    check("elbv2 register-targets of an unknown instance: InvalidTarget", srv.cli_error(
        "elbv2", "register-targets", "--target-group-arn", arns["admin"], "--targets", "Id=i-nothere")
        == "InvalidTarget")


def instance_refresh(srv):
    """Two instances, MinHealthyPercentage 50: one at a time, 100 s boot + 60 s warm-up each."""
    t0 = srv.advance(300)
    check("autoscaling cancel-instance-refresh with none running: ActiveInstanceRefreshNotFound", srv.cli_error(
        "autoscaling", "cancel-instance-refresh", "--auto-scaling-group-name", "web")
        == "ActiveInstanceRefreshNotFound")
    rid = srv.cli("autoscaling", "start-instance-refresh", "--auto-scaling-group-name", "web", "--strategy",
                  "Rolling", "--preferences", "MinHealthyPercentage=50,InstanceWarmup=60", "--query",
                  "InstanceRefreshId")
    query = "InstanceRefreshes[0].[InstanceRefreshId, Status, PercentageComplete, InstancesToUpdate, StartTime]"
    ref = srv.cli("autoscaling", "describe-instance-refreshes", "--auto-scaling-group-name", "web", "--query", query)
    check("autoscaling start-instance-refresh + describe-instance-refreshes: InProgress, 0 %, 2 to update",
          isinstance(ref, list) and ref[:4] == [rid, "InProgress", 0, 2] and ts(ref[4]) == at(t0), (rid, ref))
    srv.advance(161)
    ref = srv.cli("autoscaling", "describe-instance-refreshes", "--auto-scaling-group-name", "web", "--query", query)
    check("autoscaling describe-instance-refreshes after the first batch: 50 %, 1 to update",
          ref[:4] == [rid, "InProgress", 50, 1], ref)
    srv.advance(160)
    ref = srv.cli("autoscaling", "describe-instance-refreshes", "--auto-scaling-group-name", "web", "--query",
                  "InstanceRefreshes[0].[Status, PercentageComplete, EndTime]")
    check("autoscaling describe-instance-refreshes: Successful at +320 s",
          ref[:2] == ["Successful", 100] and ts(ref[2]) == at(t0 + 320), ref)
    rid2 = srv.cli("autoscaling", "start-instance-refresh", "--auto-scaling-group-name", "web", "--query",
                   "InstanceRefreshId")
    cancelled = srv.cli("autoscaling", "cancel-instance-refresh", "--auto-scaling-group-name", "web", "--query",
                        "InstanceRefreshId")
    ref = srv.cli("autoscaling", "describe-instance-refreshes", "--auto-scaling-group-name", "web", "--query",
                  "InstanceRefreshes[0].[InstanceRefreshId, Status, Preferences.MinHealthyPercentage]")
    check("autoscaling cancel-instance-refresh: Cancelled, the default 90 % minimum healthy",
          cancelled == rid2 and ref == [rid2, "Cancelled", 90], (rid2, cancelled, ref))


def run(srv):
    arns = load_balancer(srv)
    scale_by_hand(srv, arns)
    policies_and_update(srv)
    targets(srv, arns)
    instance_refresh(srv)


def main():
    return serve_estate(run, check_stop=True)


if __name__ == "__main__":
    sys.exit(main())
