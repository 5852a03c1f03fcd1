#!/usr/bin/env python3
"""ELBv2 resources created through `migsim serve`, driven by boto3 and by the AWS CLI.

Usage: python3 tests/e2e/test_serve_elbv2_create.py <path to migsim>   (from the repo root)

Every new operation (CreateLoadBalancer, DeleteLoadBalancer, CreateTargetGroup, DeleteTargetGroup,
ModifyTargetGroup, CreateListener, DeleteListener, CreateRule, DeleteRule) is called with boto3 and
with `aws elbv2 ...` (values read back with --query), on a small AWS estate paused at --speed 0
whose clock moves with POST /_migsim/clock: a load balancer is `provisioning` for 180 s (the
default) then `active`; registered targets are `initial` until HealthyThresholdCount checks
HealthCheckIntervalSeconds apart have passed after the load balancer became active, then `healthy`;
the estate's own ALB and target groups are listed next to the created ones; errors are AWS's codes.
A second server without an aws estate (the cutover scenario, a test launch at 1800 s) runs with
--elbv2-provisioning-s 60 and uses an instance MGN launched as a target, then terminates it.
Prints "N passed, M failed"; exits 1 on a failure.
"""
import datetime
import json
import math
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import aws_cli, aws_error, check, scenario_t0, serve_checked, small_scenario, summary  # noqa: E402
from test_serve_asis import SCENARIO  # noqa: E402  the small AWS estate (ALB shop-alb, groups web and admin)

T0 = scenario_t0(SCENARIO)  # simulated t = 0 of the small AWS estate
# ... and of the lift-and-shift scenario the MGN part serves (its "start" on the calendar)
T0_CUTOVER = scenario_t0(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scenarios",
                                      "lift-and-shift-cutover.json"))


def error_code(fn, **kw):
    return aws_error(fn, **kw)[0]


def other(arn):
    """An ARN of the same kind that names nothing: the id replaced by zeros."""
    return arn[:-16] + "0" * 16


def states(elb, tg):
    return {d["Target"]["Id"]: d["TargetHealth"]["State"]
            for d in elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]}


def run_boto3(elb, asg, srv):
    t0 = srv.now()
    lb = elb.create_load_balancer(Name="green", Subnets=["subnet-a", "subnet-b"])["LoadBalancers"][0]
    check("boto3 CreateLoadBalancer: provisioning, application, two AZs, CreatedTime = now",
          lb["State"]["Code"] == "provisioning" and lb["Type"] == "application" and lb["Scheme"] == "internet-facing"
          and [z["ZoneName"] for z in lb["AvailabilityZones"]] == ["us-east-1a", "us-east-1b"]
          and lb["DNSName"].startswith("green-") and lb["DNSName"].endswith(".us-east-1.elb.amazonaws.com")
          and lb["CanonicalHostedZoneId"] == "Z35SXDOTRQ7X7K"
          and lb["CreatedTime"] == T0 + datetime.timedelta(seconds=t0), lb)
    lb_arn, vpc = lb["LoadBalancerArn"], lb["VpcId"]
    again = elb.create_load_balancer(Name="green", Subnets=["subnet-a", "subnet-b"])["LoadBalancers"][0]
    check("boto3 CreateLoadBalancer is idempotent with the same settings", again["LoadBalancerArn"] == lb_arn, again)
    internal = elb.create_load_balancer(Name="inner", Scheme="internal",
                                        SubnetMappings=[{"SubnetId": "subnet-x"}, {"SubnetId": "subnet-y"}])["LoadBalancers"][0]
    check("boto3 CreateLoadBalancer: internal scheme, SubnetMappings",
          internal["Scheme"] == "internal" and internal["DNSName"].startswith("internal-inner-")
          and len(internal["AvailabilityZones"]) == 2, internal)

    tg = elb.create_target_group(Name="green-web", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]
    check("boto3 CreateTargetGroup: ALB health check defaults (30 s, 5 s, 5, 2, /, 200, instance)",
          (tg["HealthCheckIntervalSeconds"], tg["HealthCheckTimeoutSeconds"], tg["HealthyThresholdCount"],
           tg["UnhealthyThresholdCount"], tg["HealthCheckPath"], tg["Matcher"]["HttpCode"], tg["TargetType"],
           tg["HealthCheckPort"], tg["LoadBalancerArns"]) == (30, 5, 5, 2, "/", "200", "instance", "traffic-port", []), tg)
    ip = elb.create_target_group(Name="green-ip", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip",
                                 HealthCheckIntervalSeconds=10, HealthCheckTimeoutSeconds=5, HealthyThresholdCount=3,
                                 HealthCheckPath="/health", Matcher={"HttpCode": "200-299"})["TargetGroups"][0]
    check("boto3 CreateTargetGroup: ip targets with custom health checks",
          (ip["TargetType"], ip["HealthCheckIntervalSeconds"], ip["HealthyThresholdCount"], ip["HealthCheckPath"],
           ip["Matcher"]["HttpCode"]) == ("ip", 10, 3, "/health", "200-299"), ip)
    tg_arn, ip_arn = tg["TargetGroupArn"], ip["TargetGroupArn"]

    listener = elb.create_listener(LoadBalancerArn=lb_arn, Protocol="HTTP", Port=80,
                                   DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}])["Listeners"][0]
    check("boto3 CreateListener: default forward action",
          listener["Port"] == 80 and listener["DefaultActions"][0]["TargetGroupArn"] == tg_arn
          and listener["LoadBalancerArn"] == lb_arn, listener)
    l_arn = listener["ListenerArn"]
    rule = elb.create_rule(ListenerArn=l_arn, Priority=10,
                           Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}],
                           Actions=[{"Type": "forward", "TargetGroupArn": ip_arn}])["Rules"][0]
    check("boto3 CreateRule: path-pattern condition, priority 10",
          rule["Priority"] == "10" and rule["Conditions"][0]["Values"] == ["/api/*"]
          and rule["Actions"][0]["TargetGroupArn"] == ip_arn and not rule["IsDefault"], rule)

    names = [x["LoadBalancerName"] for x in elb.describe_load_balancers()["LoadBalancers"]]
    check("DescribeLoadBalancers lists the created load balancers and the estate's", names == ["green", "inner", "shop-alb"], names)
    tgs = [x["TargetGroupName"] for x in elb.describe_target_groups()["TargetGroups"]]
    check("DescribeTargetGroups lists created and estate groups", tgs == ["green-web", "green-ip", "admin", "web"], tgs)
    by_lb = elb.describe_target_groups(LoadBalancerArn=lb_arn)["TargetGroups"]
    check("DescribeTargetGroups by the created load balancer", [x["TargetGroupName"] for x in by_lb] == ["green-web", "green-ip"]
          and by_lb[0]["LoadBalancerArns"] == [lb_arn], by_lb)
    rules = elb.describe_rules(ListenerArn=l_arn)["Rules"]
    check("DescribeRules: the rule then the default rule", [r["Priority"] for r in rules] == ["10", "default"], rules)
    check("DescribeListeners of the created load balancer",
          [x["ListenerArn"] for x in elb.describe_listeners(LoadBalancerArn=lb_arn)["Listeners"]] == [l_arn])

    # Targets: an instance of the estate (real simulated state), an instance outside the simulation
    # (answers every check) and an IP address.
    estate_id = next(i["InstanceId"] for i in asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])
                     ["AutoScalingGroups"][0]["Instances"] if i["LifecycleState"] == "InService")
    elb.register_targets(TargetGroupArn=tg_arn, Targets=[{"Id": estate_id}, {"Id": "i-0feedfacecafe0001"}])
    elb.register_targets(TargetGroupArn=ip_arn, Targets=[{"Id": "10.0.1.15", "Port": 9000}])
    d = elb.describe_target_health(TargetGroupArn=tg_arn)["TargetHealthDescriptions"]
    check("targets initial while the load balancer is provisioning (Elb.RegistrationInProgress)",
          [x["TargetHealth"]["State"] for x in d] == ["initial", "initial"]
          and d[0]["TargetHealth"]["Reason"] == "Elb.RegistrationInProgress" and d[0]["HealthCheckPort"] == "80", d)
    check("RegisterTargets: a public IP is refused (InvalidTarget)",
          error_code(elb.register_targets, TargetGroupArn=ip_arn, Targets=[{"Id": "8.8.8.8"}]) == "InvalidTarget")

    srv.advance(179)
    check("still provisioning 179 s after creation",
          elb.describe_load_balancers(Names=["green"])["LoadBalancers"][0]["State"]["Code"] == "provisioning")
    srv.advance(1)
    check("active 180 s after creation (the default provisioning time)",
          elb.describe_load_balancers(LoadBalancerArns=[lb_arn])["LoadBalancers"][0]["State"]["Code"] == "active")
    d = elb.describe_target_health(TargetGroupArn=tg_arn)["TargetHealthDescriptions"]
    check("initial health checking once active", d[0]["TargetHealth"]["Reason"] == "Elb.InitialHealthChecking", d)
    srv.advance(29)
    check("ip target (10 s x 3): initial at 29 s", states(elb, ip_arn) == {"10.0.1.15": "initial"})
    srv.advance(1)
    check("ip target (10 s x 3): healthy at 30 s", states(elb, ip_arn) == {"10.0.1.15": "healthy"})
    srv.advance(119)
    check("instances (30 s x 5): initial at 149 s after active", set(states(elb, tg_arn).values()) == {"initial"},
          states(elb, tg_arn))
    srv.advance(1)
    check("instances (30 s x 5): healthy at 150 s after active",
          states(elb, tg_arn) == {estate_id: "healthy", "i-0feedfacecafe0001": "healthy"}, states(elb, tg_arn))

    mod = elb.modify_target_group(TargetGroupArn=tg_arn, HealthCheckIntervalSeconds=10, HealthyThresholdCount=2,
                                  HealthCheckPath="/ready")["TargetGroups"][0]
    check("boto3 ModifyTargetGroup: new settings, targets stay healthy",
          (mod["HealthCheckIntervalSeconds"], mod["HealthyThresholdCount"], mod["HealthCheckPath"]) == (10, 2, "/ready")
          and set(states(elb, tg_arn).values()) == {"healthy"}, mod)

    # Errors.
    codes = {
        "DuplicateLoadBalancerName": error_code(elb.create_load_balancer, Name="green", Subnets=["subnet-a", "subnet-c"],
                                                Scheme="internal"),
        "DuplicateLoadBalancerName (the estate's)": error_code(elb.create_load_balancer, Name="shop-alb",
                                                               Subnets=["subnet-a", "subnet-b"]),
        "DuplicateTargetGroupName": error_code(elb.create_target_group, Name="green-web", Protocol="HTTP", Port=81, VpcId=vpc),
        "LoadBalancerNotFound": error_code(elb.describe_load_balancers, Names=["nope"]),
        "LoadBalancerNotFound (CreateListener)": error_code(elb.create_listener, LoadBalancerArn=other(lb_arn), Port=81,
                                                            DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}]),
        "TargetGroupNotFound": error_code(elb.create_listener, LoadBalancerArn=lb_arn, Port=81,
                                          DefaultActions=[{"Type": "forward", "TargetGroupArn": other(tg_arn)}]),
        "ListenerNotFound": error_code(elb.create_rule, ListenerArn=other(l_arn), Priority=1,
                                       Conditions=[{"Field": "path-pattern", "Values": ["/x"]}],
                                       Actions=[{"Type": "forward", "TargetGroupArn": tg_arn}]),
        "RuleNotFound": error_code(elb.delete_rule, RuleArn=other(rule["RuleArn"])),
        "PriorityInUse": error_code(elb.create_rule, ListenerArn=l_arn, Priority=10,
                                    Conditions=[{"Field": "path-pattern", "Values": ["/other/*"]}],
                                    Actions=[{"Type": "forward", "TargetGroupArn": tg_arn}]),
        "ResourceInUse": error_code(elb.delete_target_group, TargetGroupArn=tg_arn),
        "ValidationError": error_code(elb.create_load_balancer, Name="solo", Subnets=["subnet-a"]),
        "ValidationError (timeout >= interval)": error_code(elb.modify_target_group, TargetGroupArn=tg_arn,
                                                             HealthCheckTimeoutSeconds=10),
        "DuplicateListener": error_code(elb.create_listener, LoadBalancerArn=lb_arn, Port=80, Protocol="HTTP",
                                        DefaultActions=[{"Type": "forward", "TargetGroupArn": ip_arn}]),
        "OperationNotPermitted": error_code(elb.delete_rule, RuleArn=rules[-1]["RuleArn"]),
    }
    for want, got in codes.items():
        check(f"error {want}", got == want.split(" ")[0], got)

    # Deregistration: draining for the deregistration delay (300 s), then gone.
    elb.deregister_targets(TargetGroupArn=tg_arn, Targets=[{"Id": "i-0feedfacecafe0001"}])
    check("DeregisterTargets: draining", states(elb, tg_arn)["i-0feedfacecafe0001"] == "draining", states(elb, tg_arn))
    srv.advance(300)
    check("deregistered after 300 s", list(states(elb, tg_arn)) == [estate_id], states(elb, tg_arn))

    elb.delete_rule(RuleArn=rule["RuleArn"])
    check("boto3 DeleteRule", [r["Priority"] for r in elb.describe_rules(ListenerArn=l_arn)["Rules"]] == ["default"])
    elb.delete_listener(ListenerArn=l_arn)
    check("boto3 DeleteListener", elb.describe_listeners(LoadBalancerArn=lb_arn)["Listeners"] == [])
    check("targets unused once no listener forwards to the group", states(elb, tg_arn) == {estate_id: "unused"},
          states(elb, tg_arn))
    elb.delete_target_group(TargetGroupArn=ip_arn)
    check("boto3 DeleteTargetGroup", error_code(elb.describe_target_groups, TargetGroupArns=[ip_arn]) == "TargetGroupNotFound")
    elb.delete_load_balancer(LoadBalancerArn=lb_arn)
    check("boto3 DeleteLoadBalancer", error_code(elb.describe_load_balancers, Names=["green"]) == "LoadBalancerNotFound")
    check("DeleteLoadBalancer of a deleted load balancer succeeds (documented)",
          elb.delete_load_balancer(LoadBalancerArn=lb_arn)["ResponseMetadata"]["HTTPStatusCode"] == 200)
    elb.delete_target_group(TargetGroupArn=tg_arn)
    elb.delete_load_balancer(LoadBalancerArn=internal["LoadBalancerArn"])


def run_cli(srv, vpc):
    def aws(*args, query=None):
        rc, out, err = aws_cli(srv.url, *args, *(["--query", query] if query else []), output="text", timeout_s=60)
        return rc, out, err.strip()

    def value(*args, query):
        rc, out, err = aws(*args, query=query)
        return out if rc == 0 else f"rc={rc}: {err}"

    rc, out, _ = aws("elbv2", "create-load-balancer", "--name", "blue", "--subnets", "subnet-1", "subnet-2",
                     query="LoadBalancers[0].[State.Code,Type,Scheme,LoadBalancerArn]")
    code, typ, scheme, lb = (out.split("\t") + ["", "", "", ""])[:4]
    check("CLI create-load-balancer: provisioning application internet-facing",
          rc == 0 and (code, typ, scheme) == ("provisioning", "application", "internet-facing"), out)
    tg = value("elbv2", "create-target-group", "--name", "blue-web", "--protocol", "HTTP", "--port", "80", "--vpc-id", vpc,
               "--target-type", "instance", query="TargetGroups[0].TargetGroupArn")
    check("CLI create-target-group defaults", value("elbv2", "describe-target-groups", "--target-group-arns", tg,
          query="TargetGroups[0].[HealthCheckIntervalSeconds,HealthCheckTimeoutSeconds,HealthyThresholdCount,UnhealthyThresholdCount]")
          == "30\t5\t5\t2")
    listener = value("elbv2", "create-listener", "--load-balancer-arn", lb, "--protocol", "HTTP", "--port", "8080",
                     "--default-actions", f"Type=forward,TargetGroupArn={tg}", query="Listeners[0].ListenerArn")
    check("CLI create-listener", listener.startswith("arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/blue/"),
          listener)
    rule = value("elbv2", "create-rule", "--listener-arn", listener, "--priority", "5", "--conditions",
                 "Field=path-pattern,Values=/img/*", "--actions", f"Type=forward,TargetGroupArn={tg}",
                 query="Rules[0].RuleArn")
    check("CLI create-rule", value("elbv2", "describe-rules", "--listener-arn", listener, query="Rules[].Priority") == "5\tdefault", rule)
    rc, _, err = aws("elbv2", "create-rule", "--listener-arn", listener, "--priority", "5", "--conditions",
                     "Field=path-pattern,Values=/css/*", "--actions", f"Type=forward,TargetGroupArn={tg}")
    check("CLI create-rule with a used priority: PriorityInUse", rc != 0 and "(PriorityInUse)" in err, err)
    rc, _, err = aws("elbv2", "create-load-balancer", "--name", "blue", "--subnets", "subnet-1", "subnet-3", "--scheme", "internal")
    check("CLI DuplicateLoadBalancerName", rc != 0 and "(DuplicateLoadBalancerName)" in err, err)
    rc, _, err = aws("elbv2", "delete-target-group", "--target-group-arn", tg)
    check("CLI delete-target-group in use: ResourceInUse", rc != 0 and "(ResourceInUse)" in err, err)
    rc, _, err = aws("elbv2", "describe-load-balancers", "--names", "nope")
    check("CLI LoadBalancerNotFound", rc != 0 and "(LoadBalancerNotFound)" in err, err)

    check("CLI register-targets", aws("elbv2", "register-targets", "--target-group-arn", tg, "--targets", "Id=i-0abc0000000000001")[0] == 0)
    check("CLI describe-target-health: initial while provisioning",
          value("elbv2", "describe-target-health", "--target-group-arn", tg, query="TargetHealthDescriptions[0].TargetHealth.State") == "initial")
    srv.advance(180)
    check("CLI: active after advancing the clock 180 s",
          value("elbv2", "describe-load-balancers", "--names", "blue", query="LoadBalancers[0].State.Code") == "active")
    srv.advance(150)
    check("CLI: healthy 150 s after active", value("elbv2", "describe-target-health", "--target-group-arn", tg,
          query="TargetHealthDescriptions[0].TargetHealth.State") == "healthy")
    check("CLI modify-target-group", value("elbv2", "modify-target-group", "--target-group-arn", tg, "--health-check-interval-seconds",
          "15", "--healthy-threshold-count", "3", query="TargetGroups[0].[HealthCheckIntervalSeconds,HealthyThresholdCount]")
          == "15\t3")
    check("CLI deregister-targets: draining", aws("elbv2", "deregister-targets", "--target-group-arn", tg, "--targets",
          "Id=i-0abc0000000000001")[0] == 0 and value("elbv2", "describe-target-health", "--target-group-arn", tg,
          query="TargetHealthDescriptions[0].TargetHealth.State") == "draining")
    check("CLI delete-rule", aws("elbv2", "delete-rule", "--rule-arn", rule)[0] == 0
          and value("elbv2", "describe-rules", "--listener-arn", listener, query="Rules[].Priority") == "default")
    check("CLI delete-listener", aws("elbv2", "delete-listener", "--listener-arn", listener)[0] == 0
          and value("elbv2", "describe-listeners", "--load-balancer-arn", lb, query="length(Listeners)") == "0")
    check("CLI delete-target-group", aws("elbv2", "delete-target-group", "--target-group-arn", tg)[0] == 0
          and "(TargetGroupNotFound)" in aws("elbv2", "describe-target-groups", "--target-group-arns", tg)[2])
    check("CLI delete-load-balancer", aws("elbv2", "delete-load-balancer", "--load-balancer-arn", lb)[0] == 0
          and "(LoadBalancerNotFound)" in aws("elbv2", "describe-load-balancers", "--names", "blue")[2])


def run_without_estate(elb, mgn, srv):
    t0 = srv.now()
    lb = elb.create_load_balancer(Name="cutover", Subnets=["subnet-1", "subnet-2"])["LoadBalancers"][0]
    check("no aws estate: DescribeLoadBalancers lists the created one, then the migration's target-site one",
          [x["LoadBalancerName"] for x in elb.describe_load_balancers()["LoadBalancers"]] == ["cutover", "migsim-aws"])
    site = elb.describe_load_balancers(Names=["migsim-aws"])["LoadBalancers"][0]["LoadBalancerArn"]
    listener = elb.describe_listeners(LoadBalancerArn=site)["Listeners"]
    check("no aws estate: the site's load balancer forwards HTTP:80 to the migration's target group",
          [(x["Port"], x["DefaultActions"][0]["TargetGroupArn"].split("/")[1]) for x in listener] == [(80, "migsim-aws")],
          listener)
    rules = elb.describe_rules(ListenerArn=listener[0]["ListenerArn"])["Rules"] if listener else []
    check("no aws estate: its one rule is the default", [r["IsDefault"] for r in rules] == [True], rules)
    tg = elb.create_target_group(Name="cutover-web", Protocol="HTTP", Port=80, VpcId=lb["VpcId"])["TargetGroups"][0]
    names = [x["TargetGroupName"] for x in elb.describe_target_groups()["TargetGroups"]]
    check("no aws estate: created target group next to the migration's site group", names == ["cutover-web", "migsim-aws"], names)
    check("no aws estate: the site group's name is taken (DuplicateTargetGroupName)",
          error_code(elb.create_target_group, Name="migsim-aws", Protocol="HTTP", Port=80, VpcId=lb["VpcId"])
          == "DuplicateTargetGroupName")
    srv.advance(59)
    check("--elbv2-provisioning-s 60: provisioning at 59 s",
          elb.describe_load_balancers(Names=["cutover"])["LoadBalancers"][0]["State"]["Code"] == "provisioning")
    srv.advance(1)
    check("--elbv2-provisioning-s 60: active at 60 s",
          elb.describe_load_balancers(Names=["cutover"])["LoadBalancers"][0]["State"]["Code"] == "active", t0)
    run_mgn_target(elb, mgn, srv, tg["TargetGroupArn"], lb["LoadBalancerArn"])
    elb.delete_load_balancer(LoadBalancerArn=lb["LoadBalancerArn"])
    elb.delete_target_group(TargetGroupArn=tg["TargetGroupArn"])


def iso_s(text):
    """Simulated seconds of an MGN date (ISO 8601 or a datetime)."""
    if isinstance(text, str):
        text = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (text - T0_CUTOVER).total_seconds()


def run_mgn_target(elb, mgn, srv, tg, lb_arn):
    """An instance MGN launched for the test (scenario event at 1800 s) as a target: healthy after 5
    checks; after TerminateTargetInstances it fails the checks that follow the terminate job's end
    and is unhealthy (Target.InvalidState) when the 2nd failure times out, at a hand-computed time."""
    elb.create_listener(LoadBalancerArn=lb_arn, Protocol="HTTP", Port=80,
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
    srv.advance(2600 - srv.now())
    server = next(s for s in mgn.describe_source_servers(filters={})["items"] if s.get("launchedInstance"))
    sid, iid = server["sourceServerID"], server["launchedInstance"]["ec2InstanceID"]
    elb.register_targets(TargetGroupArn=tg, Targets=[{"Id": iid}])
    health = lambda: elb.describe_target_health(TargetGroupArn=tg, Targets=[{"Id": iid}])["TargetHealthDescriptions"][0]["TargetHealth"]
    srv.advance(149)
    check("MGN test instance: initial 149 s after registration", health()["State"] == "initial", health())
    srv.advance(1)
    check("MGN test instance: healthy 150 s after registration (5 checks x 30 s)", health()["State"] == "healthy", health())
    mgn.terminate_target_instances(sourceServerIDs=[sid])
    end_s = None
    for _ in range(200):
        jobs = [j for j in mgn.describe_jobs(filters={})["items"] if j["type"] == "TERMINATE" and j["status"] == "COMPLETED"
                and any(p["sourceServerID"] == sid for p in j["participatingServers"])]
        if jobs:
            end_s = iso_s(jobs[0]["endDateTime"])
            break
        srv.advance(5)
    if not check("MGN TerminateTargetInstances job completed", end_s is not None):
        return
    # Checks at 2600 + 30 k; the last passing one is before end_s; two failures, the 2nd known 5 s later.
    k_last = math.ceil((end_s - 2600) / 30) - 1
    unhealthy_at = 2600 + 30 * (k_last + 2) + 5
    srv.advance(unhealthy_at - 0.5 - srv.now())
    check(f"terminated MGN instance: still healthy at {unhealthy_at - 0.5} s (terminated at {end_s} s)",
          health()["State"] == "healthy", health())
    srv.advance(0.5)
    h = health()
    check(f"terminated MGN instance: unhealthy (Target.InvalidState) at {unhealthy_at} s",
          h["State"] == "unhealthy" and h["Reason"] == "Target.InvalidState", h)


def main():
    migsim = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "build/migsim"
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "estate.json")
        with open(path, "w") as f:
            json.dump(SCENARIO, f)

        def on_estate(srv):
            elb = srv.client("elbv2")
            run_boto3(elb, srv.client("autoscaling"), srv)
            run_cli(srv, elb.describe_load_balancers(Names=["shop-alb"])["LoadBalancers"][0]["VpcId"])
        serve_checked(migsim, path, on_estate, check_stop=False, timeout_s=60)

        cutover = os.path.join(tmp, "cutover.json")
        # 1 GB disks replicate in minutes: the test launch at 1800 s finds the servers ready. The scenario's
        # own name and 72,000 s duration are kept.
        small_scenario(cutover, "lift-and-shift-cutover", 72000, [{"at_s": 1800, "action": "test_launch"}])
        serve_checked(migsim, cutover, lambda srv: run_without_estate(srv.client("elbv2"), srv.client("mgn"), srv),
                      check_stop=False, timeout_s=60, extra=["--elbv2-provisioning-s", "60"])
    return summary(started)


if __name__ == "__main__":
    sys.exit(main())
