#!/usr/bin/env python3
"""The AWS estate built through `migsim serve` with boto3 carries the simulated traffic
(docs/estate-from-api.md).

Usage: python3 tests/e2e/test_serve_estate_from_api.py <path to migsim>   (from the repo root)

Two servers run the same application, seed and traffic:
- A: a scenario-declared estate (aws.tiers: an ALB rule /api/* -> group "api", default -> "web",
  two c6i.large instances each in us-east-1a/b, the database tier);
- B: aws.from_api, where boto3 builds the equivalent: load balancer, two target groups, listener,
  rule, launch template, two Auto Scaling groups tagged migsim:service (PropagateAtLaunch) with
  their TargetGroupARNs, and an RDS instance tagged migsim:service = mysql.

Checks:
1. Latency: the successful requests' latency distribution (migsim_request_duration_seconds, per
   class, from GET /metrics) over the same window [1200 s, 4800 s) of both servers is the same
   by a two-sample Kolmogorov-Smirnov test at alpha = 0.001: D <= 1.949 * sqrt((n1 + n2) / (n1 n2)).
   The histogram's buckets make D a lower bound of the continuous statistic, so the test can only
   pass more easily where the buckets are coarse; it also compares the means within 4 standard
   errors of their difference (variances from the buckets' midpoints).
2. B's requests went through what boto3 built: the target groups' RequestCount (CloudWatch,
   dimension TargetGroup) is the class traffic, the database host serves them (no errors).
3. An instance without the tag (a third group, built with the rest), registered in the web target
   group, runs nothing: it never turns healthy, the group's HealthyHostCount stays 2 and its
   HTTPCode_Target_5XX_Count 0 over the window.
4. Target tracking put through the API (ASGAverageCPUUtilization 50 %) scales the api group out on
   the simulated CPU when the traffic rises (set_multiplier at 5000 s), and the new instance joins
   the target group and takes traffic (its CPUUtilization > 0).
Prints "N passed, M failed"; exits 1 on a failure.
"""
import copy
import json
import math
import os
import re
import sys
import tempfile
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import Serve, check, summary  # noqa: E402

WINDOW = (1200, 4800)
SURGE_AT = 5000

LOGICAL = {
    "seed": 21, "duration_s": 7200,
    "platform": {
        "zones": [{"name": "internet"}, {"name": "onprem"}],
        "servers": [{"name": "web", "zone": "onprem", "cores": 2}, {"name": "db", "zone": "onprem", "cores": 2}],
        "links": [{"name": "uplink", "from_zone": "internet", "to_zone": "onprem"}],
        "services": [{"name": "nginx", "server": "web", "kind": "proxy", "workers": 200},
                     {"name": "front", "server": "web", "workers": 32},
                     {"name": "api", "server": "web", "workers": 32},
                     {"name": "mysql", "server": "db", "kind": "database", "workers": 100}]},
    "workload": {"client_zone": "internet", "base_rps": 40, "client_timeout_s": 30,
                 "classes": [
                     {"name": "page", "weight": 1, "response_kb": 20, "path": "/",
                      "stages": [{"service": "nginx", "cpu_ms": 0.3}, {"service": "front", "cpu_ms": 8,
                                                                       "cpu_dist": "lognormal", "cpu_cv": 0.6}]},
                     {"name": "browse", "weight": 1, "response_kb": 10, "path": "/api/items/list",
                      "stages": [{"service": "nginx", "cpu_ms": 0.3},
                                 {"service": "api", "cpu_ms": 15, "cpu_dist": "lognormal", "cpu_cv": 0.8},
                                 {"service": "mysql", "cpu_ms": 3, "disk_read_kb": 16}]}]},
    "events": [{"at_s": SURGE_AT, "action": "set_multiplier", "value": 10}]}
AZS = ["us-east-1a", "us-east-1b"]
DATABASE = {"name": "rds", "az": "us-east-1a", "serves": ["mysql"], "cores": 2, "workers": 100}


def tier_scenario():
    sc = copy.deepcopy(LOGICAL)
    sc["name"] = "estate-declared"
    sc["aws"] = {"azs": AZS, "alb_replaces": ["nginx"],
                 "tiers": [{"name": "web", "serves": ["front", "nginx"], "instance_type": "c6i.large", "min_size": 2,
                            "max_size": 4, "desired": 2, "workers": 32},
                           {"name": "api", "serves": ["api"], "instance_type": "c6i.large", "min_size": 2,
                            "max_size": 4, "desired": 2, "workers": 32, "path_patterns": ["/api/*"], "priority": 10}],
                 "database": DATABASE}
    return sc


def api_scenario():
    sc = copy.deepcopy(LOGICAL)
    sc["name"] = "estate-from-api"
    sc["aws"] = {"azs": AZS, "alb_replaces": ["nginx"],
                 "from_api": {"entry_load_balancer": "shop", "hosts_per_az": 4, "instance_types": ["c6i.large"],
                              "services": [{"name": "front", "serves": ["front", "nginx"], "workers": 32,
                                            "health_check_paths": ["/health"]},
                                           {"name": "api", "workers": 32, "health_check_paths": ["/api/health"]}]},
                 "database": DATABASE}
    return sc


def histograms(srv):
    """{class: [(le, cumulative count)...], ...} and {class: (sum, count)} of the latency histogram."""
    with urllib.request.urlopen(srv.url + "/metrics", timeout=60) as r:
        text = r.read().decode()
    buckets, totals = {}, {}
    for line in text.splitlines():
        m = re.match(r'migsim_request_duration_seconds_bucket\{class="([^"]+)",le="([^"]+)"\} (\S+)', line)
        if m:
            le = math.inf if m.group(2) == "+Inf" else float(m.group(2))
            buckets.setdefault(m.group(1), []).append((le, float(m.group(3))))
        m = re.match(r'migsim_request_duration_seconds_(sum|count)\{class="([^"]+)"\} (\S+)', line)
        if m:
            totals.setdefault(m.group(2), {})[m.group(1)] = float(m.group(3))
    return buckets, totals


def window(before, after):
    """Per class: the bucket counts (not cumulative) of the requests completed between two snapshots."""
    out = {}
    for cls, cum in after[0].items():
        prev = dict(before[0].get(cls, []))
        counts, last = [], 0.0
        for le, c in sorted(cum):
            d = c - prev.get(le, 0.0)
            counts.append((le, d - last))
            last = d
        out[cls] = counts
    return out


def ks(a, b):
    """Binned two-sample KS statistic, n1, n2 and the alpha = 0.001 critical value."""
    n1, n2 = sum(c for _, c in a), sum(c for _, c in b)
    f1 = f2 = d = 0.0
    for (le, c1), (_, c2) in zip(a, b):
        f1 += c1 / n1
        f2 += c2 / n2
        d = max(d, abs(f1 - f2))
    return d, n1, n2, 1.949 * math.sqrt((n1 + n2) / (n1 * n2))


def moments(counts):
    """Mean and variance from the buckets' midpoints (the last finite edge for +Inf)."""
    lo, pts = 0.0, []
    for le, c in counts:
        hi = le if math.isfinite(le) else lo
        pts.append(((lo + hi) / 2, c))
        lo = hi
    n = sum(c for _, c in pts)
    mean = sum(x * c for x, c in pts) / n
    return mean, sum(c * (x - mean) ** 2 for x, c in pts) / n, n


def metric(cw, name, dims, start_s, end_s, stat="Sum"):
    t0 = 1735689600  # 2025-01-01T00:00:00Z, simulated t = 0
    r = cw.get_metric_statistics(Namespace="AWS/ApplicationELB" if not name.startswith("CPU") else "AWS/EC2",
                                 MetricName=name, Dimensions=[{"Name": k, "Value": v} for k, v in dims],
                                 StartTime=t0 + start_s, EndTime=t0 + end_s, Period=60, Statistics=[stat])
    return [p[stat] for p in sorted(r["Datapoints"], key=lambda p: p["Timestamp"])]


def build_estate(srv):
    """What a platform team's terraform does, with boto3: returns the target group ARNs by name."""
    elb, ec2, asg, rds = (srv.client(s) for s in ("elbv2", "ec2", "autoscaling", "rds"))
    lb = elb.create_load_balancer(Name="shop", Subnets=["subnet-us-east-1a", "subnet-us-east-1b"])["LoadBalancers"][0]
    tgs = {}
    for name, path in (("web", "/health"), ("api", "/api/health")):
        tgs[name] = elb.create_target_group(Name=name, Protocol="HTTP", Port=8080, VpcId=lb["VpcId"],
                                            HealthCheckPath=path)["TargetGroups"][0]["TargetGroupArn"]
    listener = elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
                                   DefaultActions=[{"Type": "forward", "TargetGroupArn": tgs["web"]}])
    elb.create_rule(ListenerArn=listener["Listeners"][0]["ListenerArn"], Priority=10,
                    Conditions=[{"Field": "path-pattern", "Values": ["/api/*"]}],
                    Actions=[{"Type": "forward", "TargetGroupArn": tgs["api"]}])
    ec2.create_launch_template(LaunchTemplateName="app", LaunchTemplateData={"ImageId": "ami-0abc", "InstanceType": "c6i.large"})
    for name, service in (("web", "front"), ("api", "api")):
        asg.create_auto_scaling_group(AutoScalingGroupName=name, LaunchTemplate={"LaunchTemplateName": "app"},
                                      MinSize=2, MaxSize=4, DesiredCapacity=2, AvailabilityZones=AZS,
                                      TargetGroupARNs=[tgs[name]], HealthCheckType="ELB", HealthCheckGracePeriod=300,
                                      Tags=[{"Key": "migsim:service", "Value": service, "PropagateAtLaunch": True}])
    # An instance without the tag, registered in the web group: it runs nothing.
    asg.create_auto_scaling_group(AutoScalingGroupName="stray", LaunchTemplate={"LaunchTemplateName": "app"},
                                  MinSize=1, MaxSize=1, DesiredCapacity=1, AvailabilityZones=AZS[:1],
                                  TargetGroupARNs=[tgs["web"]])
    rds.create_db_instance(DBInstanceIdentifier="shop-db", DBInstanceClass="db.m5.large", Engine="mysql",
                           MasterUsername="admin", MasterUserPassword="secret123", AllocatedStorage=100,
                           Tags=[{"Key": "migsim:service", "Value": "mysql"}])
    return tgs


def main(migsim):
    tmp = tempfile.mkdtemp()
    paths = {}
    for name, sc in (("declared", tier_scenario()), ("api", api_scenario())):
        paths[name] = os.path.join(tmp, name + ".json")
        with open(paths[name], "w") as f:
            json.dump(sc, f)
    snaps = {}
    with Serve(migsim, paths["declared"], quiet=True) as a:
        if not check("the declared estate's server starts", a.listening(60) is not None):
            return
        a.advance(WINDOW[0])
        first = histograms(a)
        a.advance(WINDOW[1] - WINDOW[0])
        snaps["declared"] = window(first, histograms(a))
    with Serve(migsim, paths["api"], quiet=True, extra=("--elbv2-provisioning-s", "60")) as b:
        if not check("the from_api server starts", b.listening(60) is not None):
            return
        tgs = build_estate(b)
        b.advance(WINDOW[0])
        elb, cw, asg = b.client("elbv2"), b.client("cloudwatch"), b.client("autoscaling")
        health = {n: sorted(t["TargetHealth"]["State"] for t in elb.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"])
                  for n, arn in tgs.items()}
        check("the API-built targets are healthy before the window (the untagged one is not)",
              health == {"web": ["healthy", "healthy", "unhealthy"], "api": ["healthy"] * 2}, health)
        first = histograms(b)
        b.advance(WINDOW[1] - WINDOW[0])
        snaps["api"] = window(first, histograms(b))
        api_dim = [("LoadBalancer", tgs_dim(b, "shop")), ("TargetGroup", tg_dim(tgs["api"]))]
        served = sum(metric(cw, "RequestCount", api_dim, *WINDOW))
        check("the api target group's RequestCount is the browse traffic of the window", served > 0.9 * sum(
            c for _, c in snaps["api"]["browse"]), (served, sum(c for _, c in snaps["api"]["browse"])))

        asg.put_scaling_policy(AutoScalingGroupName="api", PolicyName="cpu50", PolicyType="TargetTrackingScaling",
                               TargetTrackingConfiguration={"PredefinedMetricSpecification": {
                                   "PredefinedMetricType": "ASGAverageCPUUtilization"}, "TargetValue": 50.0})
        b.advance(SURGE_AT - WINDOW[1] - 1)
        web_dim = [("LoadBalancer", tgs_dim(b, "shop")), ("TargetGroup", tg_dim(tgs["web"]))]
        states = sorted(t["TargetHealth"]["State"] for t in elb.describe_target_health(TargetGroupArn=tgs["web"])["TargetHealthDescriptions"])
        check("the untagged instance is registered but never healthy", states == ["healthy", "healthy", "unhealthy"], states)
        healthy = metric(cw, "HealthyHostCount", web_dim, *WINDOW, "Maximum")
        check("web HealthyHostCount stays 2 with the untagged instance registered", healthy and max(healthy) == 2, healthy[:3])
        check("no request reached the untagged instance (web HTTPCode_Target_5XX_Count 0 in the window)",
              sum(metric(cw, "HTTPCode_Target_5XX_Count", web_dim, *WINDOW)) == 0)

        # 4. Target tracking on the simulated CPU.
        b.advance(1200)
        group = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["api"])["AutoScalingGroups"][0]
        check("target tracking scaled the api group out on simulated CPU", group["DesiredCapacity"] > 2, group["DesiredCapacity"])
        cpu = metric(cw, "CPUUtilization", [("AutoScalingGroupName", "api")], SURGE_AT + 60, SURGE_AT + 240, "Average")
        check("the api group's CPUUtilization rose above the 50 % target", cpu and max(cpu) > 50, cpu)
        new = [i["InstanceId"] for i in group["Instances"]][2:]
        registered = {t["Target"]["Id"]: t["TargetHealth"]["State"]
                      for t in elb.describe_target_health(TargetGroupArn=tgs["api"])["TargetHealthDescriptions"]}
        check("the scaled-out instances joined the target group and are healthy",
              new and all(registered.get(i) == "healthy" for i in new), (new, registered))
        took = [max(metric(cw, "CPUUtilization", [("InstanceId", i)], SURGE_AT + 600, SURGE_AT + 1200, "Maximum") or [0]) for i in new]
        check("the new instances take traffic (CPUUtilization > 0)", took and min(took) > 0, took)

    # 1. The same latency distribution.
    for cls in ("page", "browse"):
        d, n1, n2, crit = ks(snaps["declared"][cls], snaps["api"][cls])
        check(f"{cls}: same latency distribution (KS D {d:.4f} <= {crit:.4f}, n {n1:.0f} / {n2:.0f})", d <= crit)
        m1, v1, _ = moments(snaps["declared"][cls])
        m2, v2, _ = moments(snaps["api"][cls])
        tol = 4 * math.sqrt(v1 / n1 + v2 / n2)
        check(f"{cls}: same mean latency ({m1 * 1000:.2f} ms / {m2 * 1000:.2f} ms, within {tol * 1000:.2f} ms)",
              abs(m1 - m2) <= tol)


def tgs_dim(srv, name):
    lb = srv.client("elbv2").describe_load_balancers(Names=[name])["LoadBalancers"][0]["LoadBalancerArn"]
    return lb.split(":loadbalancer/")[1]


def tg_dim(arn):
    return arn.split(":")[-1]


if __name__ == "__main__":
    main(sys.argv[1])
    sys.exit(summary())
