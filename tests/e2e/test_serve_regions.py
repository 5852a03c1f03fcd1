#!/usr/bin/env python3
"""Regions of `migsim serve` as boto3 sees them, with two clients: one signing for us-east-1, one for
eu-west-1.
- What a client creates (an SNS topic, an SSM parameter, a DMS endpoint, a CloudWatch alarm, an EC2
  VPC and its tags) lives in the region its request was signed for: its ARN names that region, and a
  request signed for the other region does not see it.
- So do EFS file systems (a mount target finds only its own region's subnets) and REGIONAL WAFv2 web
  ACLs; CLOUDFRONT web ACLs are global.
- The scenario's own resources (its DMS replication config, its MGN source servers, the simulation's
  CloudWatch metrics) answer only in the
  scenario's region: us-east-1 by default, eu-west-1 when the scenario's top-level `region` says so
  (then their ARNs name eu-west-1).

usage: test_serve_regions.py MIGSIM
"""
import json
import os
import sys
import tempfile

import boto3
import botocore.config

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from checks import check, summary  # noqa: E402
from serve_fixture import Serve, aws_error, small_scenario  # noqa: E402


def client(url, service, region):
    return boto3.client(service, endpoint_url=url, region_name=region, aws_access_key_id="test",
                        aws_secret_access_key="test", config=botocore.config.Config(retries={"max_attempts": 1}))


def created_resources(srv):
    url = srv.url
    us = lambda svc: client(url, svc, "us-east-1")  # noqa: E731
    eu = lambda svc: client(url, svc, "eu-west-1")  # noqa: E731

    topic = eu("sns").create_topic(Name="orders")["TopicArn"]
    check("sns: a topic created in eu-west-1 has an eu-west-1 ARN", ":eu-west-1:" in topic, topic)
    check("sns: us-east-1 does not list it", us("sns").list_topics()["Topics"] == [], us("sns").list_topics())
    us_topic = us("sns").create_topic(Name="orders")["TopicArn"]
    check("sns: the same name in us-east-1 is another topic", ":us-east-1:" in us_topic and us_topic != topic, us_topic)
    check("sns: each region lists its own", [t["TopicArn"] for t in eu("sns").list_topics()["Topics"]] == [topic]
          and [t["TopicArn"] for t in us("sns").list_topics()["Topics"]] == [us_topic])

    eu("ssm").put_parameter(Name="/app/mode", Value="eu", Type="String")
    check("ssm: a parameter put in eu-west-1 is ParameterNotFound in us-east-1",
          aws_error(lambda: us("ssm").get_parameter(Name="/app/mode"))[0] == "ParameterNotFound")
    arn = eu("ssm").get_parameter(Name="/app/mode")["Parameter"]["ARN"]
    check("ssm: its ARN names eu-west-1", ":eu-west-1:" in arn, arn)

    ep = eu("dms").create_endpoint(EndpointIdentifier="eu-source", EndpointType="source", EngineName="mysql",
                                   ServerName="db", Port=3306)["Endpoint"]
    check("dms: an endpoint created in eu-west-1 has an eu-west-1 ARN", ":eu-west-1:" in ep["EndpointArn"], ep)
    us_ids = [e["EndpointIdentifier"] for e in us("dms").describe_endpoints()["Endpoints"]]
    check("dms: us-east-1 lists the scenario's endpoints, not it", "eu-source" not in us_ids and len(us_ids) == 2, us_ids)

    eu("cloudwatch").put_metric_alarm(AlarmName="eu-cpu", MetricName="CPUUtilization", Namespace="AWS/EC2",
                                      Statistic="Average", Period=60, EvaluationPeriods=1, Threshold=80,
                                      ComparisonOperator="GreaterThanThreshold")
    alarms = eu("cloudwatch").describe_alarms()["MetricAlarms"]
    check("cloudwatch: the eu-west-1 alarm has an eu-west-1 ARN",
          [a["AlarmArn"].split(":")[3] for a in alarms] == ["eu-west-1"], alarms)
    check("cloudwatch: us-east-1 has no alarm", us("cloudwatch").describe_alarms()["MetricAlarms"] == [])

    vpc = eu("ec2").create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    eu("ec2").create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": "eu"}])
    us_vpcs = [v["VpcId"] for v in us("ec2").describe_vpcs()["Vpcs"]]
    check("ec2: us-east-1 does not see the eu-west-1 VPC", vpc not in us_vpcs, us_vpcs)
    eu_tags = eu("ec2").describe_tags(Filters=[{"Name": "resource-id", "Values": [vpc]}])["Tags"]
    check("ec2: its tags in eu-west-1", [(t["Key"], t["Value"]) for t in eu_tags] == [("Name", "eu")], eu_tags)
    check("ec2: none in us-east-1", us("ec2").describe_tags(Filters=[{"Name": "resource-id", "Values": [vpc]}])["Tags"] == [])

    fs = eu("efs").create_file_system(CreationToken="media")
    check("efs: a file system created in eu-west-1 has an eu-west-1 ARN", ":eu-west-1:" in fs["FileSystemArn"], fs)
    check("efs: us-east-1 does not list it", us("efs").describe_file_systems()["FileSystems"] == [])
    check("efs: us-east-1 answers FileSystemNotFound for its id",
          aws_error(lambda: us("efs").describe_file_systems(FileSystemId=fs["FileSystemId"]))[0] == "FileSystemNotFound")
    srv.advance(600)  # the file system is available
    us_subnet = us("ec2").create_subnet(VpcId=us("ec2").create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"],
                                        CidrBlock="10.2.1.0/24")["Subnet"]["SubnetId"]
    code, _ = aws_error(lambda: eu("efs").create_mount_target(FileSystemId=fs["FileSystemId"], SubnetId=us_subnet))
    check("efs: a mount target in eu-west-1 does not find a us-east-1 subnet", code == "SubnetNotFound", code)

    rule = dict(DefaultAction={"Allow": {}}, VisibilityConfig={"SampledRequestsEnabled": False,
                "CloudWatchMetricsEnabled": False, "MetricName": "m"})
    acl = eu("wafv2").create_web_acl(Name="api", Scope="REGIONAL", **rule)["Summary"]
    check("wafv2: a REGIONAL web ACL created in eu-west-1 has an eu-west-1 ARN", ":eu-west-1:" in acl["ARN"], acl)
    check("wafv2: us-east-1 does not list it", us("wafv2").list_web_acls(Scope="REGIONAL")["WebACLs"] == [])
    check("wafv2: us-east-1 cannot get it", aws_error(lambda: us("wafv2").get_web_acl(
        Name="api", Scope="REGIONAL", Id=acl["Id"]))[0] == "WAFNonexistentItemException")
    check("wafv2: the same name in us-east-1 is another ACL",
          us("wafv2").create_web_acl(Name="api", Scope="REGIONAL", **rule)["Summary"]["Id"] != acl["Id"])
    glob = us("wafv2").create_web_acl(Name="edge", Scope="CLOUDFRONT", **rule)["Summary"]
    check("wafv2: a CLOUDFRONT web ACL is global", [a["Id"] for a in eu("wafv2").list_web_acls(
        Scope="CLOUDFRONT")["WebACLs"]] == [glob["Id"]] and ":us-east-1:" in glob["ARN"], glob)


def k8s(endpoint, method="GET", path="/api/v1/namespaces", body=None):
    """One Kubernetes API request to a cluster endpoint of this server: (status, JSON body)."""
    import ssl
    import urllib.error
    import urllib.request
    req = urllib.request.Request(endpoint + path, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Content-Type": "application/json",
                                          "Authorization": "Bearer k8s-aws-v1.test"})  
    try:
        with urllib.request.urlopen(req, context=ssl._create_unverified_context(), timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def kubernetes_clusters(srv):
    """EKS clusters are per region, and so are their Kubernetes APIs."""
    eu, us = client(srv.url, "eks", "eu-west-1"), client(srv.url, "eks", "us-east-1")
    cfg = dict(roleArn="arn:aws:iam::000000000000:role/eks-cluster", resourcesVpcConfig={"subnetIds": ["subnet-a", "subnet-b"]})
    eu.create_cluster(name="staging", **cfg)
    us.create_cluster(name="staging", **cfg)
    srv.advance(600)  # both ACTIVE
    eu_ep, us_ep = eu.describe_cluster(name="staging")["cluster"]["endpoint"], us.describe_cluster(name="staging")["cluster"]["endpoint"]
    check("eks: a cluster outside the scenario's region is served at NAME.REGION on this machine",
          eu_ep.endswith("/_migsim/eks/staging.eu-west-1") and "127.0.0.1" in eu_ep and us_ep.endswith("/_migsim/eks/staging"),
          (eu_ep, us_ep))
    status, ns = k8s(eu_ep)
    check("k8s: the eu-west-1 cluster's API answers", status == 200 and "default" in [n["metadata"]["name"] for n in ns["items"]],
          (status, ns))
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "region"}, "data": {"home": "eu-west-1"}}
    status, _ = k8s(eu_ep, "POST", "/api/v1/namespaces/default/configmaps", cm)
    check("k8s: a ConfigMap created in the eu-west-1 cluster", status == 201, status)
    check("k8s: the same-named us-east-1 cluster does not have it",
          k8s(us_ep, path="/api/v1/namespaces/default/configmaps/region")[0] == 404)
    check("k8s: the eu-west-1 one does", k8s(eu_ep, path="/api/v1/namespaces/default/configmaps/region")[1].get("data") ==
          {"home": "eu-west-1"})
    bad = srv.url + "/_migsim/eks/staging.not_a_region"
    check("k8s: a region that is not one in the path is a 404 naming it", k8s(bad)[0] == 404)


def scenario_resources(url, home, away):
    dms_home, dms_away = client(url, "dms", home), client(url, "dms", away)
    cfgs = dms_home.describe_replication_configs()["ReplicationConfigs"]
    check(f"dms: the scenario's replication config answers in {home}, with a {home} ARN",
          len(cfgs) == 1 and f":{home}:" in cfgs[0]["ReplicationConfigArn"], cfgs)
    check(f"dms: not in {away}", dms_away.describe_replication_configs()["ReplicationConfigs"] == []
          and dms_away.describe_replications()["Replications"] == [])
    home_servers = client(url, "mgn", home).describe_source_servers()["items"]
    check(f"mgn: the scenario's source servers answer in {home}", len(home_servers) > 0
          and all(f":{home}:" in s["arn"] for s in home_servers), [s.get("arn") for s in home_servers])
    check(f"mgn: none in {away}", client(url, "mgn", away).describe_source_servers()["items"] == [])
    lbs = client(url, "elbv2", home).describe_load_balancers()["LoadBalancers"]
    groups = client(url, "elbv2", home).describe_target_groups()["TargetGroups"]
    check(f"elbv2: the target site's load balancer answers in {home}, active, in front of its target group",
          [(lb["LoadBalancerName"], lb["State"]["Code"]) for lb in lbs] == [("migsim-aws", "active")] and
          groups[0]["LoadBalancerArns"] == [lbs[0]["LoadBalancerArn"]] and f":{home}:" in lbs[0]["LoadBalancerArn"],
          (lbs, groups))
    check(f"elbv2: not in {away}", client(url, "elbv2", away).describe_load_balancers()["LoadBalancers"] == [])
    dbs = client(url, "rds", home).describe_db_instances()["DBInstances"]
    check(f"rds: the migration's target database is an RDS instance in {home} (the class of its 2 cores and 16 GB)",
          [(d["DBInstanceIdentifier"], d["DBInstanceStatus"], d["Engine"], d.get("DBInstanceClass")) for d in dbs]
          == [("rds", "available", "mysql", "db.r5.large")] and f":{home}:" in dbs[0]["DBInstanceArn"], dbs)
    check("rds: and by its identifier", client(url, "rds", home).describe_db_instances(
        DBInstanceIdentifier="rds")["DBInstances"][0]["Endpoint"]["Port"] == 3306)
    check(f"rds: not in {away}", client(url, "rds", away).describe_db_instances()["DBInstances"] == [])
    cw_home, cw_away = client(url, "cloudwatch", home), client(url, "cloudwatch", away)
    home_metrics = cw_home.list_metrics()["Metrics"]
    check(f"cloudwatch: the simulation's metrics are listed in {home}", len(home_metrics) > 0, len(home_metrics))
    check(f"cloudwatch: none in {away}", cw_away.list_metrics()["Metrics"] == [], cw_away.list_metrics()["Metrics"][:2])
    m = home_metrics[0]
    query = dict(MetricDataQueries=[{"Id": "m", "MetricStat": {"Metric": {k: m[k] for k in ("Namespace", "MetricName",
                 "Dimensions")}, "Period": 60, "Stat": "Average"}}],
                 StartTime=1000000000, EndTime=4000000000)
    check(f"cloudwatch: a simulated metric has datapoints in {home}",
          len(cw_home.get_metric_data(**query)["MetricDataResults"][0]["Values"]) > 0)
    check(f"cloudwatch: and none in {away}", cw_away.get_metric_data(**query)["MetricDataResults"][0]["Values"] == [])


def main():
    migsim = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        default = os.path.join(tmp, "default.json")
        small_scenario(default, "regions")
        with Serve(migsim, default) as srv:
            if check("serve starts (the scenario's region by default: us-east-1)", srv.listening() is not None):
                srv.advance(3600)  # the MGN agents are installed, the replication started
                created_resources(srv)
                kubernetes_clusters(srv)
                scenario_resources(srv.url, "us-east-1", "eu-west-1")
            check("serve stops", srv.stop(10) == 0)

        eu_path = os.path.join(tmp, "eu.json")
        doc = small_scenario(eu_path, "regions-eu")
        doc["region"] = "eu-west-1"
        with open(eu_path, "w") as f:
            json.dump(doc, f)
        with Serve(migsim, eu_path) as srv:
            if check("serve starts (scenario region eu-west-1)", srv.listening() is not None):
                srv.advance(3600)
                scenario_resources(srv.url, "eu-west-1", "us-east-1")
            check("serve stops", srv.stop(10) == 0)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
