#!/usr/bin/env python3
"""EC2 launch templates and Auto Scaling groups created through `migsim serve`, as boto3 and the AWS
CLI see them.

Usage: python3 tests/e2e/test_serve_asg_create.py <path to migsim>   (from the repo root)

Runs a small AWS as-is estate paused (--speed 0) and moves the simulated clock with
POST /_migsim/clock. boto3 drives every EC2 operation of the ec2 protocol (CreateLaunchTemplate,
CreateLaunchTemplateVersion, DescribeLaunchTemplates, DescribeLaunchTemplateVersions,
ModifyLaunchTemplate, DeleteLaunchTemplate, DescribeInstances) and CreateAutoScalingGroup /
DeleteAutoScalingGroup; the group's instances launch with the launch template's instance type, boot
for the estate's 100 s (Pending -> InService, EC2 pending -> running), their launches are scaling
activities, and deletion answers ResourceInUse / ScalingActivityInProgress as AWS does unless
ForceDelete. Then the AWS CLI drives every one of these operations again (values read with --query).
Prints "N passed, M failed"; exits 1 on a failure.
"""
import datetime
import json
import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import aws_cli, aws_error, check, serve_checked, summary  # noqa: E402

T0 = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)  # simulated t = 0

# The estate of test_serve_asis.py: its web tier boots in exactly 100 s (boot_cv 0), and groups
# created through the API boot as the estate's tier of their instance type (else its first tier).
SCENARIO = {
    "name": "serve-asg-create", "seed": 9, "duration_s": 7200,
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
                   "boot_mean_s": 100}],
        "database": {"serves": ["mysql"]}}}

TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef"


def error_code(fn):
    return aws_error(fn)[0]


def at(seconds):
    return T0 + datetime.timedelta(seconds=seconds)


def launch_templates(ec2, srv):
    """Launch templates with boto3; returns the template's id."""
    lt = ec2.create_launch_template(
        LaunchTemplateName="app-lt", VersionDescription="first",
        LaunchTemplateData={"ImageId": "ami-0abc", "InstanceType": "t3.small", "SecurityGroupIds": ["sg-1", "sg-2"],
                            "Monitoring": {"Enabled": True}},
        TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "team", "Value": "platform"}]}])["LaunchTemplate"]
    lt_id = lt["LaunchTemplateId"]
    check("CreateLaunchTemplate: id, versions 1/1, created at t = 0, tags", re.fullmatch(r"lt-[0-9a-f]{17}", lt_id)
          and lt["DefaultVersionNumber"] == 1 and lt["LatestVersionNumber"] == 1 and lt["CreateTime"] == at(0)
          and lt["Tags"] == [{"Key": "team", "Value": "platform"}], lt)
    check("CreateLaunchTemplate of a used name: InvalidLaunchTemplateName.AlreadyExistsException",
          error_code(lambda: ec2.create_launch_template(LaunchTemplateName="app-lt", LaunchTemplateData={"ImageId": "ami-0abc"}))
          == "InvalidLaunchTemplateName.AlreadyExistsException")
    check("CreateLaunchTemplate of a malformed name: InvalidLaunchTemplateName.MalformedException",
          error_code(lambda: ec2.create_launch_template(LaunchTemplateName="a b", LaunchTemplateData={"ImageId": "ami-0abc"}))
          == "InvalidLaunchTemplateName.MalformedException")
    check("CreateLaunchTemplate without data: MissingParameter (botocore sends no empty structure)",
          error_code(lambda: ec2.create_launch_template(LaunchTemplateName="empty-lt", LaunchTemplateData={}))
          == "MissingParameter")
    check("DryRun: DryRunOperation",
          error_code(lambda: ec2.create_launch_template(LaunchTemplateName="dry-lt", LaunchTemplateData={"ImageId": "ami-0abc"}, DryRun=True))
          == "DryRunOperation")

    srv.advance(60)
    v2 = ec2.create_launch_template_version(LaunchTemplateId=lt_id, SourceVersion="1", VersionDescription="bigger",
                                            LaunchTemplateData={"InstanceType": "t3.medium"})["LaunchTemplateVersion"]
    check("CreateLaunchTemplateVersion from version 1: number 2, t3.medium, the source's AMI kept",
          v2["VersionNumber"] == 2 and v2["LaunchTemplateData"]["InstanceType"] == "t3.medium"
          and v2["LaunchTemplateData"]["ImageId"] == "ami-0abc" and v2["LaunchTemplateData"]["SecurityGroupIds"] == ["sg-1", "sg-2"]
          and v2["DefaultVersion"] is False and v2["CreateTime"] == at(60) and v2["VersionDescription"] == "bigger", v2)
    check("CreateLaunchTemplateVersion of an unknown id: InvalidLaunchTemplateId.NotFound",
          error_code(lambda: ec2.create_launch_template_version(LaunchTemplateId="lt-00000000000000000",
                                                                LaunchTemplateData={"ImageId": "ami-0abc"})) == "InvalidLaunchTemplateId.NotFound")
    check("CreateLaunchTemplateVersion from a missing version: InvalidLaunchTemplateId.VersionNotFound",
          error_code(lambda: ec2.create_launch_template_version(LaunchTemplateId=lt_id, SourceVersion="9",
                                                                LaunchTemplateData={"ImageId": "ami-0abc"}))
          == "InvalidLaunchTemplateId.VersionNotFound")

    by_name = ec2.describe_launch_templates(LaunchTemplateNames=["app-lt"])["LaunchTemplates"]
    by_id = ec2.describe_launch_templates(LaunchTemplateIds=[lt_id])["LaunchTemplates"]
    check("DescribeLaunchTemplates by name and by id: latest 2, default 1", by_name == by_id and len(by_id) == 1
          and by_id[0]["LatestVersionNumber"] == 2 and by_id[0]["DefaultVersionNumber"] == 1, by_id)
    tagged = ec2.describe_launch_templates(Filters=[{"Name": "tag:team", "Values": ["platform"]}])["LaunchTemplates"]
    untagged = ec2.describe_launch_templates(Filters=[{"Name": "tag:team", "Values": ["other"]}])["LaunchTemplates"]
    check("DescribeLaunchTemplates filtered by tag", [t["LaunchTemplateId"] for t in tagged] == [lt_id] and untagged == [],
          (tagged, untagged))
    check("DescribeLaunchTemplates of an unknown name: InvalidLaunchTemplateName.NotFoundException",
          error_code(lambda: ec2.describe_launch_templates(LaunchTemplateNames=["nope-lt"]))
          == "InvalidLaunchTemplateName.NotFoundException")

    versions = ec2.describe_launch_template_versions(LaunchTemplateId=lt_id)["LaunchTemplateVersions"]
    check("DescribeLaunchTemplateVersions: newest first, version 1 the default",
          [(v["VersionNumber"], v["DefaultVersion"]) for v in versions] == [(2, False), (1, True)], versions)
    pages = ec2.get_paginator("describe_launch_template_versions").paginate(LaunchTemplateId=lt_id, MaxResults=1)
    paged = [[v["VersionNumber"] for v in p["LaunchTemplateVersions"]] for p in pages]
    check("DescribeLaunchTemplateVersions paged by boto3's paginator, one per page", paged == [[2], [1]], paged)
    check("DescribeLaunchTemplateVersions with MaxResults 0: InvalidParameterValue",
          error_code(lambda: ec2.describe_launch_template_versions(LaunchTemplateId=lt_id, MaxResults=0))
          == "InvalidParameterValue")
    latest = ec2.describe_launch_template_versions(LaunchTemplateName="app-lt", Versions=["$Latest"])["LaunchTemplateVersions"]
    check("DescribeLaunchTemplateVersions $Latest", [v["VersionNumber"] for v in latest] == [2], latest)
    check("DescribeLaunchTemplateVersions of version 7: InvalidLaunchTemplateId.VersionNotFound",
          error_code(lambda: ec2.describe_launch_template_versions(LaunchTemplateId=lt_id, Versions=["7"]))
          == "InvalidLaunchTemplateId.VersionNotFound")

    mod = ec2.modify_launch_template(LaunchTemplateId=lt_id, DefaultVersion="2")["LaunchTemplate"]
    default = ec2.describe_launch_template_versions(LaunchTemplateId=lt_id, Versions=["$Default"])["LaunchTemplateVersions"]
    check("ModifyLaunchTemplate: default version 2", mod["DefaultVersionNumber"] == 2
          and [v["VersionNumber"] for v in default] == [2], (mod, default))
    check("ModifyLaunchTemplate to version 9: InvalidLaunchTemplateId.VersionNotFound",
          error_code(lambda: ec2.modify_launch_template(LaunchTemplateId=lt_id, DefaultVersion="9"))
          == "InvalidLaunchTemplateId.VersionNotFound")
    ec2.modify_launch_template(LaunchTemplateId=lt_id, DefaultVersion="1")
    return lt_id


def groups(ec2, asg, srv, lt_id):
    """CreateAutoScalingGroup on the simulated clock, DescribeInstances, DeleteAutoScalingGroup."""
    t = srv.advance(240)  # t = 300
    asg.create_auto_scaling_group(AutoScalingGroupName="app", LaunchTemplate={"LaunchTemplateName": "app-lt"},
                                  MinSize=1, MaxSize=4, DesiredCapacity=2, HealthCheckGracePeriod=60,
                                  AvailabilityZones=["us-east-1a", "us-east-1b"], TargetGroupARNs=[TG_ARN])
    g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["app"])["AutoScalingGroups"][0]
    inst = g["Instances"]
    check("CreateAutoScalingGroup: 2 Pending instances of version 1's t3.small, one per AZ",
          [i["LifecycleState"] for i in inst] == ["Pending", "Pending"]
          and [i["InstanceType"] for i in inst] == ["t3.small", "t3.small"]
          and sorted(i["AvailabilityZone"] for i in inst) == ["us-east-1a", "us-east-1b"]
          and all(i["LaunchTemplate"] == {"LaunchTemplateId": lt_id, "LaunchTemplateName": "app-lt", "Version": "1"}
                  for i in inst), inst)
    check("DescribeAutoScalingGroups: sizes, launch template, target groups, grace period, created time",
          (g["MinSize"], g["MaxSize"], g["DesiredCapacity"]) == (1, 4, 2) and g["HealthCheckGracePeriod"] == 60
          and g["LaunchTemplate"] == {"LaunchTemplateId": lt_id, "LaunchTemplateName": "app-lt", "Version": "$Default"}
          and g["TargetGroupARNs"] == [TG_ARN] and g["CreatedTime"] == at(t)
          and g["AvailabilityZones"] == ["us-east-1a", "us-east-1b"], g)
    ids = [i["InstanceId"] for i in inst]
    res = ec2.describe_instances(InstanceIds=ids)["Reservations"]
    ec2_inst = [r["Instances"][0] for r in res]
    check("DescribeInstances: pending, t3.small, the AMI, launched at t = 300",
          sorted(i["InstanceId"] for i in ec2_inst) == sorted(ids)
          and all(i["State"] == {"Code": 0, "Name": "pending"} and i["InstanceType"] == "t3.small"
                  and i["ImageId"] == "ami-0abc" and i["LaunchTime"] == at(300) for i in ec2_inst), ec2_inst)

    srv.advance(50)
    inst = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["app"])["AutoScalingGroups"][0]["Instances"]
    check("still Pending 50 s later", [i["LifecycleState"] for i in inst] == ["Pending", "Pending"], inst)
    srv.advance(51)  # t = 401: booted at 400
    inst = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["app"])["AutoScalingGroups"][0]["Instances"]
    check("InService after the 100 s boot", [i["LifecycleState"] for i in inst] == ["InService", "InService"], inst)
    running = ec2.describe_instances(Filters=[{"Name": "instance-state-name", "Values": ["running"]},
                                              {"Name": "tag:aws:autoscaling:groupName", "Values": ["app"]}])
    check("DescribeInstances: running, filtered by state and group tag",
          sorted(r["Instances"][0]["InstanceId"] for r in running["Reservations"]) == sorted(ids), running)
    acts = asg.describe_scaling_activities(AutoScalingGroupName="app")["Activities"]
    check("DescribeScalingActivities: two launches, 300 -> 400, caused by the creation",
          len(acts) == 2 and all(a["StatusCode"] == "Successful" and a["StartTime"] == at(300) and a["EndTime"] == at(400)
                                 and a["Description"].startswith("Launching a new EC2 instance: i-")
                                 and "a user request created an AutoScalingGroup changing the desired capacity from 0 to 2"
                                 in a["Cause"] for a in acts), acts)
    check("CreateAutoScalingGroup of an existing name: AlreadyExists",
          error_code(lambda: asg.create_auto_scaling_group(AutoScalingGroupName="app", MinSize=0, MaxSize=1,
                                                           LaunchTemplate={"LaunchTemplateName": "app-lt"},
                                                           AvailabilityZones=["us-east-1a"])) == "AlreadyExists")
    check("CreateAutoScalingGroup named as the estate's tier: AlreadyExists",
          error_code(lambda: asg.create_auto_scaling_group(AutoScalingGroupName="web", MinSize=0, MaxSize=1,
                                                           LaunchTemplate={"LaunchTemplateName": "app-lt"},
                                                           AvailabilityZones=["us-east-1a"])) == "AlreadyExists")
    for what, kw in (("no AZ nor subnet", dict(LaunchTemplate={"LaunchTemplateName": "app-lt"})),
                     ("desired above max", dict(LaunchTemplate={"LaunchTemplateName": "app-lt"}, DesiredCapacity=5,
                                                AvailabilityZones=["us-east-1a"])),
                     ("an unknown launch template", dict(LaunchTemplate={"LaunchTemplateId": "lt-00000000000000000"},
                                                         AvailabilityZones=["us-east-1a"])),
                     ("no launch template", dict(AvailabilityZones=["us-east-1a"]))):
        args = dict(AutoScalingGroupName="bad", MinSize=0, MaxSize=2, **kw)
        check(f"CreateAutoScalingGroup with {what}: ValidationError",
              error_code(lambda: asg.create_auto_scaling_group(**args)) == "ValidationError")

    # A second group on $Latest (version 2, t3.medium) in a subnet of us-east-1b.
    asg.create_auto_scaling_group(AutoScalingGroupName="app-latest", MinSize=0, MaxSize=2, DesiredCapacity=1,
                                  LaunchTemplate={"LaunchTemplateId": lt_id, "Version": "$Latest"},
                                  VPCZoneIdentifier="subnet-us-east-1b")
    g2 = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["app-latest"])["AutoScalingGroups"][0]
    check("a group on $Latest launches version 2's t3.medium in the subnet's AZ",
          g2["Instances"][0]["InstanceType"] == "t3.medium" and g2["Instances"][0]["LaunchTemplate"]["Version"] == "2"
          and g2["Instances"][0]["AvailabilityZone"] == "us-east-1b" and g2["VPCZoneIdentifier"] == "subnet-us-east-1b", g2)

    # Deletion: refused while instances remain or activities run, as AWS does.
    check("DeleteAutoScalingGroup with instances InService: ResourceInUse",
          error_code(lambda: asg.delete_auto_scaling_group(AutoScalingGroupName="app")) == "ResourceInUse")
    check("DeleteAutoScalingGroup while a launch is in progress: ScalingActivityInProgress",
          error_code(lambda: asg.delete_auto_scaling_group(AutoScalingGroupName="app-latest"))
          == "ScalingActivityInProgress")
    srv.advance(101)
    asg.update_auto_scaling_group(AutoScalingGroupName="app-latest", MinSize=0, DesiredCapacity=0)
    check("DeleteAutoScalingGroup while its instance shuts down: ScalingActivityInProgress",
          error_code(lambda: asg.delete_auto_scaling_group(AutoScalingGroupName="app-latest"))
          == "ScalingActivityInProgress")
    srv.advance(31)  # the 30 s shutdown
    asg.delete_auto_scaling_group(AutoScalingGroupName="app-latest")
    names = [x["AutoScalingGroupName"] for x in asg.describe_auto_scaling_groups()["AutoScalingGroups"]]
    check("DeleteAutoScalingGroup of the emptied group: gone", names == ["web", "app"], names)

    asg.delete_auto_scaling_group(AutoScalingGroupName="app", ForceDelete=True)
    g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["app"])["AutoScalingGroups"]
    states = {r["Instances"][0]["State"]["Name"] for r in ec2.describe_instances(InstanceIds=ids)["Reservations"]}
    check("ForceDelete: Delete in progress, instances shutting-down", len(g) == 1
          and g[0].get("Status") == "Delete in progress" and states == {"shutting-down"}, (g, states))
    srv.advance(31)
    g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["app"])["AutoScalingGroups"]
    states = {r["Instances"][0]["State"]["Name"] for r in ec2.describe_instances(InstanceIds=ids)["Reservations"]}
    check("ForceDelete: gone once its instances are terminated", g == [] and states == {"terminated"}, (g, states))
    check("DeleteAutoScalingGroup of an unknown group: ValidationError",
          error_code(lambda: asg.delete_auto_scaling_group(AutoScalingGroupName="app")) == "ValidationError")
    check("DeleteAutoScalingGroup of the estate's tier: ResourceInUse",
          error_code(lambda: asg.delete_auto_scaling_group(AutoScalingGroupName="web", ForceDelete=True))
          == "ResourceInUse")
    check("DescribeInstances of an unknown id: InvalidInstanceID.NotFound",
          error_code(lambda: ec2.describe_instances(InstanceIds=["i-0000000000000dead"])) == "InvalidInstanceID.NotFound")

    gone = ec2.delete_launch_template(LaunchTemplateName="app-lt")["LaunchTemplate"]
    check("DeleteLaunchTemplate returns the template", gone["LaunchTemplateId"] == lt_id, gone)
    check("then DescribeLaunchTemplates by id: InvalidLaunchTemplateId.NotFound",
          error_code(lambda: ec2.describe_launch_templates(LaunchTemplateIds=[lt_id])) == "InvalidLaunchTemplateId.NotFound")


def cli(srv, *args):
    """Runs `aws --endpoint-url ... --output text ARGS`; (exit code, stdout, stderr)."""
    rc, out, err = aws_cli(srv.url, *args, output="text", timeout_s=60)
    return rc, out, err.strip()


def with_cli(srv):
    """Every new operation again through the AWS CLI, values read with --query."""
    rc, lt_id, err = cli(srv, "ec2", "create-launch-template", "--launch-template-name", "cli-lt",
                         "--launch-template-data", '{"InstanceType":"t3.micro","ImageId":"ami-cli"}',
                         "--query", "LaunchTemplate.LaunchTemplateId")
    check("aws ec2 create-launch-template", rc == 0 and re.fullmatch(r"lt-[0-9a-f]{17}", lt_id), (rc, lt_id, err))
    rc, out, err = cli(srv, "ec2", "create-launch-template-version", "--launch-template-id", lt_id,
                       "--source-version", "1", "--launch-template-data", '{"InstanceType":"t3.large"}',
                       "--query", "LaunchTemplateVersion.[VersionNumber,LaunchTemplateData.ImageId]")
    check("aws ec2 create-launch-template-version", rc == 0 and out.split() == ["2", "ami-cli"], (rc, out, err))
    rc, out, err = cli(srv, "ec2", "modify-launch-template", "--launch-template-name", "cli-lt", "--default-version", "2",
                       "--query", "LaunchTemplate.DefaultVersionNumber")
    check("aws ec2 modify-launch-template", rc == 0 and out == "2", (rc, out, err))
    rc, out, err = cli(srv, "ec2", "describe-launch-templates", "--launch-template-names", "cli-lt",
                       "--query", "LaunchTemplates[0].[LaunchTemplateId,DefaultVersionNumber,LatestVersionNumber]")
    check("aws ec2 describe-launch-templates", rc == 0 and out.split() == [lt_id, "2", "2"], (rc, out, err))
    rc, out, err = cli(srv, "ec2", "describe-launch-template-versions", "--launch-template-id", lt_id,
                       "--query", "LaunchTemplateVersions[].LaunchTemplateData.InstanceType")
    check("aws ec2 describe-launch-template-versions (newest first)", rc == 0 and out.split() == ["t3.large", "t3.micro"],
          (rc, out, err))
    rc, out, err = cli(srv, "ec2", "describe-launch-templates", "--launch-template-ids", "lt-00000000000000000")
    check("aws ec2 describe-launch-templates of an unknown id fails with InvalidLaunchTemplateId.NotFound",
          rc != 0 and "InvalidLaunchTemplateId.NotFound" in err, (rc, err))

    rc, out, err = cli(srv, "autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "cli-asg",
                       "--launch-template", "LaunchTemplateName=cli-lt,Version=$Default", "--min-size", "1",
                       "--max-size", "3", "--availability-zones", "us-east-1a")
    check("aws autoscaling create-auto-scaling-group", rc == 0, (rc, out, err))
    rc, out, err = cli(srv, "autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "cli-asg",
                       "--query", "AutoScalingGroups[0].Instances[0].[LifecycleState,InstanceType,InstanceId]")
    fields = out.split()
    check("aws autoscaling describe-auto-scaling-groups: Pending, t3.large ($Default = 2)",
          rc == 0 and fields[:2] == ["Pending", "t3.large"], (rc, out, err))
    instance = fields[2] if len(fields) == 3 else "i-none"
    srv.advance(101)
    rc, out, err = cli(srv, "ec2", "describe-instances", "--instance-ids", instance,
                       "--query", "Reservations[0].Instances[0].[State.Name,InstanceType,Placement.AvailabilityZone]")
    check("aws ec2 describe-instances: running after the boot", rc == 0 and out.split() == ["running", "t3.large", "us-east-1a"],
          (rc, out, err))
    rc, out, err = cli(srv, "autoscaling", "delete-auto-scaling-group", "--auto-scaling-group-name", "cli-asg")
    check("aws autoscaling delete-auto-scaling-group with an instance fails with ResourceInUse",
          rc != 0 and "ResourceInUse" in err, (rc, err))
    rc, out, err = cli(srv, "autoscaling", "delete-auto-scaling-group", "--auto-scaling-group-name", "cli-asg",
                       "--force-delete")
    check("aws autoscaling delete-auto-scaling-group --force-delete", rc == 0, (rc, out, err))
    rc, out, err = cli(srv, "autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "cli-asg",
                       "--query", "AutoScalingGroups[0].Status")
    check("aws: the group is Delete in progress", rc == 0 and out == "Delete in progress", (rc, out, err))
    rc, out, err = cli(srv, "ec2", "delete-launch-template", "--launch-template-id", lt_id,
                       "--query", "LaunchTemplate.LaunchTemplateName")
    check("aws ec2 delete-launch-template", rc == 0 and out == "cli-lt", (rc, out, err))


def main():
    migsim = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "build/migsim"
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "serve-asg-create.json")
        with open(path, "w") as f:
            json.dump(SCENARIO, f)

        def body(srv):
            ec2, asg = srv.client("ec2"), srv.client("autoscaling")
            for step in (lambda: groups(ec2, asg, srv, launch_templates(ec2, srv)), lambda: with_cli(srv)):
                try:
                    step()
                except Exception as e:  # a crash is one failure
                    check("no exception", False, repr(e))
        serve_checked(migsim, path, body, check_stop=False)
    return summary(started)


if __name__ == "__main__":
    sys.exit(main())
