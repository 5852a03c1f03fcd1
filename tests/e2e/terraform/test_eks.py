#!/usr/bin/env python3
"""terraform applies examples/terraform/eks against `migsim serve --speed max`, then plans (no
changes) and destroys; boto3 checks what exists in between and that nothing is left.

Usage: test_eks.py MIGSIM. Exits 77 (skipped, one line) without terraform, without the provider
mirror (/opt/tf-plugins, or MIGSIM_TF_MIRROR), or when this migsim lacks an operation the example
needs from a service outside this test's scope (EC2 networking, RDS).

Checked after apply: the cluster is ACTIVE with a loopback endpoint of migsim and its OIDC issuer is
an IAM identity provider; both node groups ACTIVE; the add-on ACTIVE; EFS available with a mount
target per AZ and the access point; four ECR repositories; the KMS key with rotation; three secrets;
the timeline shows the cluster's 600 s and the mount targets' 90 s on the simulated clock; CloudTrail
LookupEvents returns terraform's CreateCluster with its user agent. After destroy: no cluster, no
role, no OIDC provider, no repository, no file system, no secret, the key pending deletion.
"""
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from terraform_driver import ROOT, check, round_trip, skip_unless_ready  # noqa: E402

NEEDS = ["ec2 CreateVpc", "ec2 CreateSubnet", "ec2 CreateSecurityGroup", "rds CreateDBInstance",
         "rds CreateDBInstanceReadReplica", "eks CreateAddon", "iam CreateOpenIDConnectProvider"]


def after_apply(srv, timeline):
    eks = srv.client("eks")
    cluster = eks.describe_cluster(name="fast-eks")["cluster"]
    check("the cluster is ACTIVE", cluster["status"] == "ACTIVE", cluster["status"])
    # the cluster's Kubernetes API on serve's HTTPS listener (docs/kubernetes-api.md), on this machine
    check("its endpoint is a loopback URL of migsim, not an AWS hostname",
          re.fullmatch(r"https://127\.0\.0\.1:\d+/_migsim/eks/fast-eks", cluster.get("endpoint", "")) is not None,
          cluster.get("endpoint"))
    check("secrets are encrypted with the platform key",
          cluster.get("encryptionConfig", [{}])[0].get("resources") == ["secrets"], cluster.get("encryptionConfig"))
    groups = sorted(eks.list_nodegroups(clusterName="fast-eks")["nodegroups"])
    check("two managed node groups", groups == ["apps", "system"], groups)
    for g in groups:
        ng = eks.describe_nodegroup(clusterName="fast-eks", nodegroupName=g)["nodegroup"]
        check(f"node group {g} is ACTIVE over three subnets", ng["status"] == "ACTIVE" and len(ng["subnets"]) == 3,
              (ng["status"], ng["subnets"]))
    addon = eks.describe_addon(clusterName="fast-eks", addonName="aws-efs-csi-driver")["addon"]
    check("the EFS CSI add-on is ACTIVE with the IRSA role", addon["status"] == "ACTIVE" and
          addon.get("serviceAccountRoleArn", "").endswith(":role/fast-eks-efs-csi"), addon)
    iam = srv.client("iam")
    issuer = cluster["identity"]["oidc"]["issuer"].replace("https://", "")
    arns = [p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]]
    check("the cluster's OIDC issuer is an IAM identity provider", any(a.endswith(issuer) for a in arns), arns)
    attached = [p["PolicyName"] for p in iam.list_attached_role_policies(RoleName="fast-eks-node")["AttachedPolicies"]]
    check("the node role has the three worker policies", len(attached) == 3, attached)
    efs = srv.client("efs")
    fs = efs.describe_file_systems(CreationToken="fast-eks-shared")["FileSystems"]
    check("one encrypted EFS file system, available", len(fs) == 1 and fs[0]["Encrypted"] and
          fs[0]["LifeCycleState"] == "available", fs)
    if fs:
        mts = efs.describe_mount_targets(FileSystemId=fs[0]["FileSystemId"])["MountTargets"]
        check("a mount target per AZ, available", len(mts) == 3 and all(m["LifeCycleState"] == "available" for m in mts),
              mts)
        aps = efs.describe_access_points(FileSystemId=fs[0]["FileSystemId"])["AccessPoints"]
        check("the assets access point", len(aps) == 1 and aps[0]["RootDirectory"]["Path"] == "/assets", aps)
    repos = sorted(r["repositoryName"] for r in srv.client("ecr").describe_repositories()["repositories"])
    check("four ECR repositories", repos == ["fast-eks/catalog", "fast-eks/frontend", "fast-eks/orders", "fast-eks/users"],
          repos)
    secrets = sorted(s["Name"] for s in srv.client("secretsmanager").list_secrets()["SecretList"])
    check("three database secrets", len(secrets) == 3, secrets)
    by_type = {}
    for r in timeline["resources"]:
        by_type.setdefault((r["service"], r["type"]), []).append(r["provisioning_s"])
    check("the timeline: the cluster took 600 s on the simulated clock", by_type.get(("eks", "Cluster")) == [600], by_type)
    check("the timeline: each mount target took 90 s", by_type.get(("efs", "MountTarget")) == [90] * 3, by_type)
    check("the timeline: the Managed Prometheus workspace took 60 s", by_type.get(("amp", "Workspace")) == [60], by_type)
    ws = srv.client("amp").list_workspaces()["workspaces"]
    check("the Managed Prometheus workspace, ACTIVE", [(w["alias"], w["status"]["statusCode"]) for w in ws]
          == [("fast-eks-metrics", "ACTIVE")], ws)
    rules = srv.client("amp").describe_rule_groups_namespace(workspaceId=ws[0]["workspaceId"] if ws else "none",
                                                             name="fast-eks-alerts")["ruleGroupsNamespace"]
    check("the alert rules in it: the shipped rules.yml", b"LatencyP99OverSLO" in rules["data"], rules["name"])
    ct = srv.client("cloudtrail")
    events = ct.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateCluster"}])["Events"]
    import json
    detail = json.loads(events[0]["CloudTrailEvent"]) if events else {}
    check("CloudTrail recorded terraform's CreateCluster with its user agent",
          len(events) == 1 and "Terraform" in detail.get("userAgent", ""), detail.get("userAgent"))


def after_destroy(srv):
    check("no EKS cluster left", srv.client("eks").list_clusters()["clusters"] == [])
    iam = srv.client("iam")
    roles = [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("fast-eks")]
    check("no IAM role left", roles == [], roles)
    check("no OIDC provider left", iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == [])
    check("no customer policy left", iam.list_policies(Scope="Local")["Policies"] == [])
    check("no ECR repository left", srv.client("ecr").describe_repositories()["repositories"] == [])
    check("no EFS file system left", srv.client("efs").describe_file_systems()["FileSystems"] == [])
    check("no Managed Prometheus workspace left", srv.client("amp").list_workspaces()["workspaces"] == [])
    check("no secret left", srv.client("secretsmanager").list_secrets()["SecretList"] == [])
    kms = srv.client("kms")
    states = [kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] for k in kms.list_keys()["Keys"]]
    check("the KMS key is pending deletion", states == ["PendingDeletion"], states)
    check("no KMS alias left", kms.list_aliases()["Aliases"] == [])
    check("no RDS instance left", srv.client("rds").describe_db_instances()["DBInstances"] == [])


def main():
    migsim = sys.argv[1]
    skip_unless_ready(migsim, NEEDS)
    files = sorted(glob.glob(os.path.join(ROOT, "examples", "terraform", "eks", "*.tf")))
    # The example reads the shipped alert rules relative to its own directory; the test applies a copy.
    os.environ["TF_VAR_alert_rules_file"] = os.path.join(ROOT, "examples", "prometheus", "rules.yml")
    return round_trip(migsim, files, after_apply, after_destroy)


if __name__ == "__main__":
    sys.exit(main())
