#!/usr/bin/env python3
"""scenarios/runbooks/scale-preflight.json, unmodified, against a third-party endpoint: moto_server.

Usage: python3 tests/e2e/test_rehearse_moto.py <path to migsim>   (from the repo root)

Starts `moto_server -H 127.0.0.1 -p PORT`, creates the estate the pre-flight checks with boto3
(VPC and subnets, a launch template, the Auto Scaling group, a target group with two running
instances, a Multi-AZ RDS instance, the hosted zone and the shop's record), then runs
`migsim runbook run scenarios/runbooks/scale-preflight.json --endpoint-url URL`: Auto Scaling
(query), ELBv2 (query), RDS (query) and Route 53 (rest-xml) through migsim's own client. Then the
ASG's MaxSize is lowered below the plan and the run must fail at asgMaxSizeTooLow. Skips (exit 0,
"0 passed, 0 failed" and a note) when moto_server is not installed.
Prints "N passed, M failed"; exits 1 if any check failed.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import ROOT, check, free_port, results  # noqa: E402


def wait_up(url, timeout_s=30):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1)
            return True
        except Exception:
            time.sleep(0.2)
    return False


def build_estate(url):
    """What scale-preflight.json checks, as the team would have it before Black Friday."""
    kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    ec2, asg, elb, rds, r53 = (boto3.client(s, **kw) for s in ("ec2", "autoscaling", "elbv2", "rds", "route53"))
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{i}.0/24", AvailabilityZone=az)["Subnet"]["SubnetId"]
               for i, az in enumerate(["us-east-1a", "us-east-1b"])]
    ami = ec2.describe_images()["Images"][0]["ImageId"]
    ec2.create_launch_template(LaunchTemplateName="fast-web", LaunchTemplateData={"ImageId": ami, "InstanceType": "c6i.large"})
    asg.create_auto_scaling_group(AutoScalingGroupName="fast-web-asg", LaunchTemplate={"LaunchTemplateName": "fast-web"},
                                  MinSize=2, MaxSize=16, DesiredCapacity=2, VPCZoneIdentifier=",".join(subnets))
    tg = elb.create_target_group(Name="fast-web", Protocol="HTTP", Port=80, VpcId=vpc,
                                 TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
    instances = ec2.run_instances(ImageId=ami, MinCount=2, MaxCount=2, SubnetId=subnets[0])["Instances"]
    elb.register_targets(TargetGroupArn=tg, Targets=[{"Id": i["InstanceId"], "Port": 80} for i in instances])
    rds.create_db_instance(DBInstanceIdentifier="fast-db", DBInstanceClass="db.r6g.xlarge", Engine="mysql",
                           MasterUsername="admin", MasterUserPassword="not-a-secret-1", AllocatedStorage=1000,
                           MultiAZ=True)
    zone = r53.create_hosted_zone(Name="fastengineering.com.br.", CallerReference="preflight")["HostedZone"]["Id"]
    r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {
        "Name": "shop.fastengineering.com.br.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.11"}]}}]})
    return tg, asg


def main():
    migsim = os.path.abspath(sys.argv[1])
    if not shutil.which("moto_server"):
        print("moto_server not installed: skipped\n0 passed, 0 failed")
        return
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        if not check("moto_server starts", wait_up(url)):
            return
        tg, asg = build_estate(url)
        env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_REGION="us-east-1")
        with tempfile.TemporaryDirectory(prefix="migsim_moto_") as tmp:
            log_path = os.path.join(tmp, "log.json")
            cmd = [migsim, "runbook", "run", "scenarios/runbooks/scale-preflight.json", "--endpoint-url", url,
                   "-p", f"TargetGroupArn={tg}", "--log", log_path, "--poll-s", "1"]
            p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
            print(p.stdout[-3000:])
            check("pre-flight passes against moto", p.returncode == 0, f"rc={p.returncode} {p.stderr[-2000:]}")
            with open(log_path) as f:
                log = json.load(f)
            by_name = {s["name"]: s for s in log["steps"]}
            check("ASG MaxSize read through the query protocol",
                  by_name.get("describeAsg", {}).get("outputs", {}).get("MaxSize") == 16, by_name.get("describeAsg"))
            check("RDS storage read", by_name.get("describeDb", {}).get("outputs", {}).get("StorageGb") == 1000,
                  by_name.get("describeDb"))
            check("Route 53 record read through rest-xml",
                  by_name.get("describeRecord", {}).get("outputs", {}).get("Ttl") == 60, by_name.get("describeRecord"))
            check("targets healthy", by_name.get("waitTargetsHealthy", {}).get("status") == "Success",
                  by_name.get("waitTargetsHealthy"))
            check("the branch went past the failure steps", "asgMaxSizeTooLow" not in by_name and "dbStorageTooSmall"
                  not in by_name and "done" in by_name, list(by_name))
            # Below the plan: the run must fail, at the step that says so.
            asg.update_auto_scaling_group(AutoScalingGroupName="fast-web-asg", MaxSize=8, DesiredCapacity=2)
            p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
            with open(log_path) as f:
                log = json.load(f)
            check("an ASG too small fails the pre-flight (exit 1)", p.returncode == 1, f"rc={p.returncode} {p.stderr}")
            check("at asgMaxSizeTooLow, showing both numbers", log.get("failed_step") == "asgMaxSizeTooLow" and
                  "8" in log.get("failure_reason", "") and "12" in log.get("failure_reason", ""), log.get("failure_reason"))
    finally:
        moto.terminate()
        moto.wait(timeout=10)
        print(f"{results['passed']} passed, {results['failed']} failed")
    sys.exit(1 if results["failed"] else 0)


if __name__ == "__main__":
    main()
