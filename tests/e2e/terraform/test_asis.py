#!/usr/bin/env python3
"""terraform init/apply/plan/destroy of examples/terraform/asis against one `migsim serve`.

Usage: test_asis.py MIGSIM. The real terraform and hashicorp/aws provider (from a filesystem mirror,
never downloaded) build the as-is estate on the mock endpoint at --speed max; then `plan
-detailed-exitcode` must say no changes (exit 0), `destroy` must leave nothing (checked with
Describe* calls through boto3), and a few bad configurations must fail with AWS's error code.
Exits 77 (ctest skip) with one line when terraform or the provider mirror is missing.
"""
import concurrent.futures
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "harness"))
import tfdriver  # noqa: E402
sys.path.insert(0, os.path.join(HERE, ".."))
from checks import check, summary  # noqa: E402

SCENARIO = os.path.join(tfdriver.ROOT, "scenarios", "lift-and-shift-cutover.json")
EXCLUDE = () if os.environ.get("MIGSIM_TF_WITH_EDGE") else ("edge.tf",)


def tail_if(failed, text):
    """A failed step's output, printed whole (a check's detail is cut short)."""
    if failed:
        print(text, flush=True)


def override(migsim, url):
    import subprocess
    return subprocess.run([migsim, "terraform-override", "--endpoint-url", url], capture_output=True, text=True,
                          check=True).stdout


def check_timeline(serve):
    """The apply's resources on /_migsim/timeline: the slow ones (the RDS instance, the ALB, the NAT
    gateways) with their simulated provisioning time, which sets the critical path."""
    from terraform_driver import get_json
    timeline = get_json(serve.port, "/_migsim/timeline")
    slow = {}
    for r in timeline["resources"]:
        slow.setdefault(r["type"], []).append(r["provisioning_s"])
    check("the timeline: the RDS instance takes its creation time (600 s)", slow.get("DBInstance") == [600],
          slow.get("DBInstance"))
    check("the timeline: the ALB is provisioning for 180 s", slow.get("LoadBalancer") == [180], slow.get("LoadBalancer"))
    nat = slow.get("NatGateway", [])
    check("the timeline: each NAT gateway is pending for a while", len(nat) == 2 and all(s > 0 for s in nat), nat)
    check("the critical path is at least the database's creation", timeline["critical_path_s"] >= 600,
          timeline["critical_path_s"])


def zone_ids(serve):
    return {z["Id"] for z in serve.client("route53").list_hosted_zones()["HostedZones"]}


# What `terraform plan` shows after an import in AWS too: arguments the provider cannot read back
# (they live only in the configuration) and an engine version given as a prefix of the actual one.
UNREADABLE_AFTER_IMPORT = {"force_delete", "force_delete_warm_pool", "ignore_failed_scaling_activities",
                           "wait_for_capacity_timeout", "apply_immediately", "password", "skip_final_snapshot",
                           "delete_automated_backups", "final_snapshot_identifier"}


def unexpected_import_changes(plan_text):
    """The attribute changes of a plan after import that are not in UNREADABLE_AFTER_IMPORT."""
    out = []
    for line in plan_text.splitlines():
        m = re.match(r'\s+([~+-])\s+(\w+)\s+=\s+(.*)$', line)
        if not m or m.group(2) in UNREADABLE_AFTER_IMPORT:
            continue
        if m.group(2) == "engine_version":
            v = re.match(r'"([^"]+)"\s+->\s+"([^"]+)"', m.group(3))
            if v and v.group(1).startswith(v.group(2) + "."):
                continue
        out.append(line.strip())
    return out


def nothing_left(serve, zones_before=frozenset()):
    """Describe* after destroy: what is still there, as 'kind id' strings (zones the scenario had
    before the apply are not counted)."""
    ec2 = serve.client("ec2")
    left = [f"vpc {v['VpcId']}" for v in ec2.describe_vpcs()["Vpcs"]]
    left += [f"subnet {s['SubnetId']}" for s in ec2.describe_subnets()["Subnets"]]
    left += [f"eip {a['AllocationId']}" for a in ec2.describe_addresses()["Addresses"]]
    left += [f"nat {n['NatGatewayId']}" for n in ec2.describe_nat_gateways()["NatGateways"] if n["State"] != "deleted"]
    left += [f"igw {g['InternetGatewayId']}" for g in ec2.describe_internet_gateways()["InternetGateways"]]
    left += [f"sg {g['GroupId']}" for g in ec2.describe_security_groups()["SecurityGroups"]]
    left += [f"lt {t['LaunchTemplateId']}" for t in ec2.describe_launch_templates()["LaunchTemplates"]]
    elb = serve.client("elbv2")
    left += [f"alb {lb['LoadBalancerName']}" for lb in elb.describe_load_balancers()["LoadBalancers"]
             if lb["LoadBalancerName"].startswith("asis-")]
    left += [f"tg {g['TargetGroupName']}" for g in elb.describe_target_groups()["TargetGroups"]
             if g["TargetGroupName"].startswith("asis-")]
    asg = serve.client("autoscaling")
    left += [f"asg {g['AutoScalingGroupName']}" for g in asg.describe_auto_scaling_groups()["AutoScalingGroups"]
             if g["AutoScalingGroupName"].startswith("asis-")]
    rds = serve.client("rds")
    left += [f"db {d['DBInstanceIdentifier']}" for d in rds.describe_db_instances()["DBInstances"]
             if d["DBInstanceIdentifier"].startswith("asis-")]
    left += [f"dbsubnet {g['DBSubnetGroupName']}" for g in rds.describe_db_subnet_groups()["DBSubnetGroups"]]
    r53 = serve.client("route53")
    left += [f"zone {z['Name']}" for z in r53.list_hosted_zones()["HostedZones"] if z["Id"] not in zones_before]
    left += [f"topic {t['TopicArn']}" for t in serve.client("sns").list_topics()["Topics"]]
    left += [f"param {p['Name']}" for p in serve.client("ssm").describe_parameters()["Parameters"]]
    left += [f"alarm {a['AlarmName']}" for a in serve.client("cloudwatch").describe_alarms()["MetricAlarms"]
             if a["AlarmName"].startswith("asis-")]
    dms = serve.client("dms")
    left += [f"dms-endpoint {e['EndpointIdentifier']}" for e in dms.describe_endpoints()["Endpoints"]
             if e["EndpointIdentifier"].startswith("asis-")]
    left += [f"dms-config {c['ReplicationConfigIdentifier']}"
             for c in dms.describe_replication_configs()["ReplicationConfigs"]
             if c["ReplicationConfigIdentifier"].startswith("asis-")]
    return left


# Bad configurations: (name, terraform text, AWS error code the apply must report).
BAD = [
    ("overlapping subnets", '''
resource "aws_vpc" "v" { cidr_block = "10.9.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.9.1.0/24"
}
resource "aws_subnet" "b" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.9.1.128/25"
  depends_on = [aws_subnet.a]
}''', "InvalidSubnet.Conflict"),
    ("subnet outside its VPC", '''
resource "aws_vpc" "v" { cidr_block = "10.9.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.10.0.0/24"
}''', "InvalidSubnet.Range"),
    ("security group rule referencing a missing group", '''
resource "aws_vpc" "v" { cidr_block = "10.9.0.0/16" }
resource "aws_security_group" "g" {
  name   = "bad-ref"
  vpc_id = aws_vpc.v.id
  ingress {
    from_port       = 80
    to_port         = 80
    protocol        = "tcp"
    security_groups = ["sg-0123456789abcdef0"]
  }
}''', "InvalidGroup.NotFound"),
    # (names over their limits are refused by the provider itself before any call; a tag value is not)
    ("a tag value over EC2's 256 characters", '''
resource "aws_vpc" "v" {
  cidr_block = "10.9.0.0/16"
  tags       = { Description = "%s" }
}''' % ("n" * 257), "InvalidParameterValue"),
    ("DB instance class not offered for MySQL", '''
resource "aws_db_instance" "d" {
  identifier          = "bad-class"
  engine              = "mysql"
  engine_version      = "8.0"
  instance_class      = "db.x9.huge"
  allocated_storage   = 20
  username            = "admin"
  password            = "rehearsal-only-1"
  skip_final_snapshot = true
}''', "InvalidParameterCombination"),
]


def bad_configuration(migsim, url, text):
    """Applies one bad configuration in a workspace of its own; (exit code, output). Destroys what it made."""
    bad = tfdriver.Workspace("asis", override(migsim, url), exclude=("*.tf",))
    try:
        with open(os.path.join(bad.work, "main.tf"), "w", encoding="utf-8") as f:
            f.write('provider "aws" {\n  region = "us-east-1"\n}\n' + text)
        # The override's provider block merges into main.tf's.
        bad.tf("init", "-no-color", "-input=false")
        code, out, _ = bad.tf("apply", "-auto-approve", "-no-color", check=False)
        bad.tf("destroy", "-auto-approve", "-no-color", check=False)
        return code, out
    finally:
        bad.cleanup()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: test_asis.py MIGSIM")
    migsim = sys.argv[1]
    reason = tfdriver.skip_reason()
    if reason:
        print(f"SKIP: terraform end-to-end test: {reason}")
        sys.exit(77)
    from serve_fixture import Serve

    with Serve(migsim, SCENARIO, speed="max", quiet=True) as serve:
        assert serve.listening(), "migsim serve did not start"
        # The bad configurations apply in parallel with the example (terraform mostly waits on the
        # provider's polling), each in its own workspace and VPC; their results are checked at the end.
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=len(BAD))
        bad_runs = [pool.submit(bad_configuration, migsim, serve.url, text) for _, text, _ in BAD]
        ws = tfdriver.Workspace("asis", override(migsim, serve.url), exclude=EXCLUDE)
        try:
            ws.tf("init", "-no-color", "-input=false")
            zones_before = zone_ids(serve)
            sim0 = serve.now()
            code, out, wall = ws.tf("apply", "-auto-approve", "-no-color", "-parallelism=10", check=False)
            sim_s = serve.now() - sim0
            tail_if(code != 0, out[-4000:])
            check(f"apply: exit {code} in {wall:.1f} s wall, {sim_s:.0f} s simulated", code == 0)
            if code == 0:
                check_timeline(serve)
                applied = tfdriver.resource_count(ws)
                check(f"apply: {applied} resources in the state (65 declared with az_count = 2)", applied == 65)
                code, out, _ = ws.tf("plan", "-detailed-exitcode", "-no-color", "-parallelism=10", check=False)
                changes = [l for l in out.splitlines() if re.match(r"\s+[~+-]|.*will be (updated|replaced|created|destroyed)", l)]
                tail_if(code != 0, "\n".join(changes[:40]))
                check(f"plan after apply: exit {code} (0 = no changes)", code == 0)
                # the import ids the provider documents: the ALB's ARN, the group's name, the DB identifier
                for addr, attribute in [("aws_lb.shop", "arn"), ("aws_autoscaling_group.app[\"frontend\"]", "name"),
                                        ("aws_db_instance.shop", "identifier")]:
                    # terraform import of what exists: drop it from the state, import it back, plan again.
                    code, show, _ = ws.tf("state", "show", "-no-color", addr, check=False)
                    m = re.search(r'^\s+' + attribute + r'\s+=\s+"([^"]+)"', show, re.M)
                    ident = m.group(1) if m else ""
                    ws.tf("state", "rm", addr, check=False)
                    code, out, _ = ws.tf("import", "-no-color", "-input=false", addr, ident, check=False)
                    check(f"import {addr} {ident}", code == 0, out[-700:])
                code, out, _ = ws.tf("plan", "-detailed-exitcode", "-no-color", "-parallelism=10", check=False)
                extra = unexpected_import_changes(out) if code in (0, 2) else ["plan failed:\n" + out[-3000:]]
                tail_if(bool(extra), "\n".join(extra[:40]))
                check("plan after import: only the arguments an import cannot read back differ", not extra)
            code, out, wall = ws.tf("destroy", "-auto-approve", "-no-color", "-parallelism=10", check=False)
            tail_if(code != 0, out[-4000:])
            check(f"destroy: exit {code} in {wall:.1f} s wall", code == 0)
            pool.shutdown(wait=True)  # the bad configurations destroyed what they made
            left = nothing_left(serve, zones_before)
            check("after destroy, Describe* show nothing left", not left, ", ".join(left))
        finally:
            ws.cleanup()

        for (name, _, code_expected), run in zip(BAD, bad_runs):
            code, out = run.result()
            check(f"bad configuration fails with {code_expected}: {name}", code != 0 and code_expected in out,
                  out[-700:])
    sys.exit(summary())


if __name__ == "__main__":
    main()
