#!/usr/bin/env python3
"""terraform apply of examples/terraform/asis against `migsim serve` with an aws.from_api scenario:
what terraform builds carries the simulated users' requests (docs/estate-from-api.md).

Usage: test_estate_from_api.py MIGSIM. The scenario is the shop's application (the Black Friday
scenario's services and request classes, each with its path, at a steady 10 requests/s) with no
AWS estate: users resolve shop.fastengineering.com.br, which dns.tf aliases to the ALB. After the
apply, the simulated clock moves 30 minutes and CloudWatch must show each of the four terraform
target groups carrying its classes' requests with no target errors, every instance of the four
Auto Scaling groups running its service, and no request failing over the last 10 minutes.
Exits 77 (ctest skip) with one line when terraform or the provider mirror is missing.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
import tfdriver  # noqa: E402

T0 = 1735689600  # 2025-01-01T00:00:00Z, simulated t = 0
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def scenario():
    """The Black Friday scenario's application at a steady rate, its AWS estate left to terraform."""
    with open(os.path.join(tfdriver.ROOT, "scenarios", "aws-asis-black-friday.json")) as f:
        bf = json.load(f)
    paths = bf["aws"]["class_paths"]
    workload = bf["workload"]
    workload.update(base_rps=10, multiplier=1)
    workload.pop("daily_curve")
    workload.pop("spikes")
    for c in workload["classes"]:
        c["path"] = paths[c["name"]]
    health = {"frontend-app": "/health", "api-catalog": "/api/catalog/health", "api-cart": "/api/cart/health",
              "api-orders": "/api/orders/health"}
    services = [{"name": s, "health_check_paths": [p]} for s, p in health.items()]
    services[0]["serves"] = ["frontend-app", "nginx"]
    return {"name": "terraform-estate-from-api", "seed": 3, "duration_s": 6 * 3600, "platform": bf["platform"],
            "workload": workload,
            "aws": {"azs": ["us-east-1a", "us-east-1b"], "alb_replaces": ["nginx"],
                    "from_api": {"entry_record": "shop.fastengineering.com.br", "hosts_per_az": 8,
                                 "instance_types": ["t3.small", "c6i.large"], "services": services},
                    "database": bf["aws"]["database"]}}


def total(cw, name, dims, start_s, end_s, namespace="AWS/ApplicationELB", stat="Sum"):
    r = cw.get_metric_statistics(Namespace=namespace, MetricName=name, Dimensions=[{"Name": k, "Value": v} for k, v in dims],
                                 StartTime=T0 + start_s, EndTime=T0 + end_s, Period=60, Statistics=[stat])
    return sum(p[stat] for p in r["Datapoints"])


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: test_estate_from_api.py MIGSIM")
    migsim = sys.argv[1]
    reason = tfdriver.skip_reason()
    if reason:
        print(f"SKIP: terraform estate-from-api test: {reason}")
        sys.exit(77)
    from serve_fixture import Serve

    path = os.path.join(tempfile.mkdtemp(), "from-api.json")
    with open(path, "w") as f:
        json.dump(scenario(), f)
    with Serve(migsim, path, speed="30", quiet=True) as serve:
        assert serve.listening(), "migsim serve did not start"
        override = subprocess.run([migsim, "terraform-override", "--endpoint-url", serve.url], capture_output=True,
                                  text=True, check=True).stdout
        ws = tfdriver.Workspace("asis", override, exclude=("edge.tf",))
        try:
            ws.tf("init", "-no-color", "-input=false")
            code, out, wall = ws.tf("apply", "-auto-approve", "-no-color", "-parallelism=10", check=False)
            check(code == 0, f"apply: exit {code} in {wall:.1f} s wall" + ("" if code == 0 else "\n" + out[-4000:]))
            if code != 0:
                return
            applied = serve.now()
            serve.advance(1800)
            end = int(serve.now()) // 60 * 60
            cw, elb, asg = serve.client("cloudwatch"), serve.client("elbv2"), serve.client("autoscaling")
            lb = elb.describe_load_balancers(Names=["asis-shop"])["LoadBalancers"][0]["LoadBalancerArn"].split(":loadbalancer/")[1]
            for g in elb.describe_target_groups()["TargetGroups"]:
                dims = [("LoadBalancer", lb), ("TargetGroup", g["TargetGroupArn"].split(":")[-1])]
                served = total(cw, "RequestCount", dims, end - 600, end)
                errors = total(cw, "HTTPCode_Target_5XX_Count", dims, end - 600, end)
                check(served > 0 and errors == 0, f"{g['TargetGroupName']}: {served:.0f} requests, {errors:.0f} target errors "
                                                 "in the last 10 minutes")
            for g in asg.describe_auto_scaling_groups()["AutoScalingGroups"]:
                for i in g["Instances"]:
                    cpu = total(cw, "CPUUtilization", [("InstanceId", i["InstanceId"])], end - 600, end, "AWS/EC2", "Maximum")
                    check(cpu > 0, f"{g['AutoScalingGroupName']}: {i['InstanceId']} runs its service (CPU max {cpu:.2f} %)")
            errors = total(cw, "Errors", [], end - 600, end, "Migsim/Workload")
            requests = total(cw, "RequestCount", [], end - 600, end, "Migsim/Workload")
            check(requests > 5000 and errors == 0, f"users: {requests:.0f} requests, {errors:.0f} failed in the last 10 minutes "
                                                   f"(apply ended at {applied:.0f} s simulated)")
        finally:
            ws.tf("destroy", "-auto-approve", "-no-color", "-parallelism=10", check=False)
            ws.cleanup()
    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print("all terraform estate-from-api checks passed")


if __name__ == "__main__":
    main()
