#!/usr/bin/env python3
"""Extracts what migsim's AWS codec needs from botocore's service models.

For each service below, reads botocore's data/<service>/<version>/service-2.json(.gz) and writes
harness/aws/models/<service>.json: the protocol metadata, the listed operations (HTTP binding,
input/output/errors) and the transitive closure of the shapes they use, without documentation.
Output is deterministic (sorted keys). The build embeds these files (harness/aws/CMakeLists.txt),
so building never needs Python or botocore. Usage (from the repository root):

    python3 tools/gen_aws_models.py [--botocore-data DIR] [--out harness/aws/models]

To add a service or an operation: add it to OPERATIONS, rerun, commit the JSON (README there).
"""
import argparse
import gzip
import json
import os
import sys

# The operations migsim needs per service (the mock endpoint's and a runbook's).
OPERATIONS = {
    "dms": [
        # serverless
        "CreateEndpoint", "DescribeEndpoints", "DeleteEndpoint", "ModifyEndpoint", "TestConnection",
        "DescribeConnections", "CreateReplicationConfig", "DescribeReplicationConfigs",
        "DeleteReplicationConfig", "ModifyReplicationConfig", "StartReplication", "StopReplication",
        "DescribeReplications", "DescribeReplicationTableStatistics",
        # classic task operations moto covers
        "CreateReplicationInstance", "DescribeReplicationInstances", "DeleteReplicationInstance",
        "CreateReplicationSubnetGroup", "DescribeReplicationSubnetGroups", "DeleteReplicationSubnetGroup",
        "CreateReplicationTask", "DescribeReplicationTasks", "StartReplicationTask", "StopReplicationTask",
        "DeleteReplicationTask", "DescribeTableStatistics", "ListTagsForResource", "AddTagsToResource",
        "RemoveTagsFromResource", "ModifyReplicationSubnetGroup",
    ],
    "mgn": [
        "InitializeService", "DescribeSourceServers", "ChangeServerLifeCycleState", "StartTest",
        "StartCutover", "FinalizeCutover", "DescribeJobs", "DescribeJobLogItems", "TerminateTargetInstances",
        "MarkAsArchived", "GetLaunchConfiguration", "UpdateLaunchConfiguration", "StartReplication",
        "StopReplication", "PauseReplication", "ResumeReplication", "RetryDataReplication",
        "DisconnectFromService", "DeleteSourceServer", "GetReplicationConfiguration",
        "UpdateReplicationConfiguration",
    ],
    "route53": [
        "CreateHostedZone", "GetHostedZone", "ListHostedZones", "ListHostedZonesByName", "DeleteHostedZone",
        "ChangeResourceRecordSets", "ListResourceRecordSets", "GetChange", "CreateHealthCheck",
        "GetHealthCheck", "ListHealthChecks", "DeleteHealthCheck", "UpdateHealthCheck",
        "GetHealthCheckStatus", "ChangeTagsForResource", "ListTagsForResource", "GetHostedZoneCount",
        "UpdateHostedZoneComment", "TestDNSAnswer",
    ],
    "elbv2": [
        "CreateLoadBalancer", "DescribeLoadBalancers", "DeleteLoadBalancer", "ModifyLoadBalancerAttributes",
        "DescribeLoadBalancerAttributes", "CreateTargetGroup", "DescribeTargetGroups", "DeleteTargetGroup",
        "ModifyTargetGroup", "ModifyTargetGroupAttributes", "DescribeTargetGroupAttributes",
        "CreateListener", "DescribeListeners", "DeleteListener", "ModifyListener", "CreateRule",
        "DescribeRules", "DeleteRule", "ModifyRule", "SetRulePriorities", "RegisterTargets",
        "DeregisterTargets", "DescribeTargetHealth", "AddTags", "DescribeTags",
        # what the terraform provider reads and tags
        "RemoveTags", "DescribeCapacityReservation", "DescribeListenerAttributes", "ModifyListenerAttributes",
    ],
    "autoscaling": [
        "CreateAutoScalingGroup", "DescribeAutoScalingGroups", "UpdateAutoScalingGroup",
        "DeleteAutoScalingGroup", "SetDesiredCapacity", "PutScalingPolicy", "DescribePolicies",
        "DeletePolicy", "DescribeScalingActivities", "DescribeAutoScalingInstances",
        "CreateLaunchConfiguration", "DescribeLaunchConfigurations", "DeleteLaunchConfiguration",
        "AttachLoadBalancerTargetGroups", "DetachLoadBalancerTargetGroups",
        "DescribeLoadBalancerTargetGroups", "SuspendProcesses", "ResumeProcesses",
        "TerminateInstanceInAutoScalingGroup", "SetInstanceHealth", "EnterStandby", "ExitStandby",
        "StartInstanceRefresh", "DescribeInstanceRefreshes", "CreateOrUpdateTags", "DescribeTags",
        "CancelInstanceRefresh",
        "DeleteTags", "DescribeLifecycleHooks", "DescribeWarmPool", "DescribeTrafficSources", "DescribeLoadBalancers",
    ],
    "rds": [
        "CreateDBInstance", "DescribeDBInstances", "ModifyDBInstance", "DeleteDBInstance",
        "RebootDBInstance", "StartDBInstance", "StopDBInstance", "CreateDBInstanceReadReplica",
        "PromoteReadReplica", "FailoverDBCluster", "CreateDBCluster", "DescribeDBClusters",
        "DeleteDBCluster", "ModifyDBCluster", "CreateDBSnapshot", "DescribeDBSnapshots",
        "DeleteDBSnapshot", "RestoreDBInstanceFromDBSnapshot", "DescribeEvents",
        "CreateDBSubnetGroup", "DescribeDBSubnetGroups", "DeleteDBSubnetGroup",
        "CreateDBParameterGroup", "DescribeDBParameterGroups", "ModifyDBParameterGroup",
        "ListTagsForResource", "AddTagsToResource",
        "RemoveTagsFromResource", "ModifyDBSubnetGroup",
    ],
    "eks": [
        "CreateCluster", "DescribeCluster", "ListClusters", "DeleteCluster", "UpdateClusterConfig",
        "UpdateClusterVersion", "CreateNodegroup", "DescribeNodegroup", "ListNodegroups",
        "DeleteNodegroup", "UpdateNodegroupConfig", "UpdateNodegroupVersion", "DescribeUpdate",
        "ListUpdates", "CreateAddon", "DescribeAddon", "ListAddons", "DeleteAddon",
        "CreateFargateProfile", "DescribeFargateProfile", "ListFargateProfiles", "DeleteFargateProfile",
        "TagResource", "ListTagsForResource", "UntagResource", "UpdateAddon", "DescribeAddonVersions",
        "AssociateEncryptionConfig",
    ],
    "cloudwatch": [
        "GetMetricData", "GetMetricStatistics", "ListMetrics", "PutMetricData", "PutMetricAlarm",
        "DescribeAlarms", "DescribeAlarmsForMetric", "DescribeAlarmHistory", "DeleteAlarms",
        "SetAlarmState", "EnableAlarmActions", "DisableAlarmActions", "PutCompositeAlarm",
        "PutDashboard", "GetDashboard", "ListDashboards", "DeleteDashboards", "TagResource",
        "ListTagsForResource", "UntagResource",
    ],
    "sns": [
        "CreateTopic", "ListTopics", "GetTopicAttributes", "SetTopicAttributes", "DeleteTopic",
        "Subscribe", "Unsubscribe", "ConfirmSubscription", "ListSubscriptions",
        "ListSubscriptionsByTopic", "GetSubscriptionAttributes", "SetSubscriptionAttributes",
        "Publish", "PublishBatch", "TagResource", "UntagResource", "ListTagsForResource",
    ],
    "s3": [
        "CreateBucket", "ListBuckets", "HeadBucket", "DeleteBucket", "GetBucketLocation",
        "PutObject", "GetObject", "HeadObject", "DeleteObject", "DeleteObjects", "CopyObject",
        "ListObjects", "ListObjectsV2", "GetBucketVersioning", "PutBucketVersioning",
        "GetBucketTagging", "PutBucketTagging", "GetObjectTagging", "PutObjectTagging",
        "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload", "AbortMultipartUpload",
        # a bucket's configuration as the terraform AWS provider reads and writes it (harness/serve/s3/bucket_config.cpp)
        "GetBucketPolicy", "PutBucketPolicy", "DeleteBucketPolicy", "GetPublicAccessBlock", "PutPublicAccessBlock",
        "DeletePublicAccessBlock", "DeleteBucketTagging", "GetBucketAcl", "GetBucketCors", "GetBucketWebsite",
        "GetBucketAccelerateConfiguration", "GetBucketRequestPayment", "GetBucketLogging",
        "GetBucketLifecycleConfiguration", "GetBucketReplication", "GetBucketEncryption",
        "GetObjectLockConfiguration", "GetBucketOwnershipControls", "PutBucketOwnershipControls",
        "DeleteBucketOwnershipControls",
    ],
    "sts": ["GetCallerIdentity", "AssumeRole", "GetSessionToken"],
    # EC2 (protocol ec2): the launch templates Auto Scaling groups launch from, and the instances.
    "ec2": [
        "CreateLaunchTemplate", "CreateLaunchTemplateVersion", "DescribeLaunchTemplates",
        "DescribeLaunchTemplateVersions", "DeleteLaunchTemplate", "ModifyLaunchTemplate",
        "DescribeInstances",
        # networking, as the terraform AWS provider drives it (harness/serve/ec2/network.hpp)
        "CreateVpc", "DescribeVpcs", "DeleteVpc", "DescribeVpcAttribute", "ModifyVpcAttribute",
        "CreateSubnet", "DescribeSubnets", "DeleteSubnet", "ModifySubnetAttribute",
        "DescribeAvailabilityZones", "DescribeAccountAttributes", "DescribeNetworkInterfaces",
        "CreateInternetGateway", "AttachInternetGateway", "DetachInternetGateway", "DeleteInternetGateway",
        "DescribeInternetGateways", "AllocateAddress", "DescribeAddresses", "DescribeAddressesAttribute",
        "ReleaseAddress", "AssociateAddress", "DisassociateAddress", "CreateNatGateway", "DescribeNatGateways", "DeleteNatGateway",
        "CreateRouteTable", "DescribeRouteTables", "DeleteRouteTable", "CreateRoute", "ReplaceRoute",
        "DeleteRoute", "AssociateRouteTable", "DisassociateRouteTable", "ReplaceRouteTableAssociation",
        "CreateSecurityGroup", "DescribeSecurityGroups", "DeleteSecurityGroup",
        "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
        "RevokeSecurityGroupEgress", "CreateNetworkAcl", "DescribeNetworkAcls", "DeleteNetworkAcl",
        "CreateNetworkAclEntry", "ReplaceNetworkAclEntry", "DeleteNetworkAclEntry",
        "ReplaceNetworkAclAssociation", "CreateVpcEndpoint", "DescribeVpcEndpoints", "ModifyVpcEndpoint",
        "DeleteVpcEndpoints", "DescribePrefixLists", "CreateTags", "DeleteTags", "DescribeTags",
    ],
    "ssm": ["GetParameter", "PutParameter", "GetParameters", "DeleteParameter", "GetParametersByPath",
            "DescribeParameters", "ListTagsForResource", "AddTagsToResource", "RemoveTagsFromResource"],
}

# The platform services a terraform apply of the EKS estate and the edge uses.
OPERATIONS.update({
    "iam": [
        "CreateRole", "GetRole", "DeleteRole", "UpdateRole", "UpdateAssumeRolePolicy", "ListRoles",
        "TagRole", "UntagRole", "ListRoleTags", "PutRolePolicy", "GetRolePolicy", "DeleteRolePolicy",
        "ListRolePolicies", "AttachRolePolicy", "DetachRolePolicy", "ListAttachedRolePolicies",
        "CreateInstanceProfile", "GetInstanceProfile", "DeleteInstanceProfile", "ListInstanceProfiles",
        "AddRoleToInstanceProfile", "RemoveRoleFromInstanceProfile", "ListInstanceProfilesForRole",
        "TagInstanceProfile", "UntagInstanceProfile", "ListInstanceProfileTags",
        "CreatePolicy", "GetPolicy", "DeletePolicy", "ListPolicies", "GetPolicyVersion",
        "CreatePolicyVersion", "DeletePolicyVersion", "ListPolicyVersions", "TagPolicy", "UntagPolicy",
        "ListPolicyTags", "ListEntitiesForPolicy",
        "CreateOpenIDConnectProvider", "GetOpenIDConnectProvider", "DeleteOpenIDConnectProvider",
        "ListOpenIDConnectProviders", "UpdateOpenIDConnectProviderThumbprint",
        "AddClientIDToOpenIDConnectProvider", "RemoveClientIDFromOpenIDConnectProvider",
        "TagOpenIDConnectProvider", "UntagOpenIDConnectProvider", "ListOpenIDConnectProviderTags",
        "GetUser",
    ],
    "kms": [
        "CreateKey", "DescribeKey", "ListKeys", "EnableKey", "DisableKey", "ScheduleKeyDeletion",
        "CancelKeyDeletion", "UpdateKeyDescription", "GetKeyPolicy", "PutKeyPolicy", "ListKeyPolicies",
        "GetKeyRotationStatus", "EnableKeyRotation", "DisableKeyRotation", "CreateAlias", "DeleteAlias",
        "UpdateAlias", "ListAliases", "TagResource", "UntagResource", "ListResourceTags",
    ],
    "secretsmanager": [
        "CreateSecret", "DescribeSecret", "UpdateSecret", "DeleteSecret", "RestoreSecret", "ListSecrets",
        "PutSecretValue", "GetSecretValue", "ListSecretVersionIds", "UpdateSecretVersionStage",
        "GetResourcePolicy", "PutResourcePolicy", "DeleteResourcePolicy", "TagResource", "UntagResource",
    ],
    "ecr": [
        "CreateRepository", "DescribeRepositories", "DeleteRepository", "PutImageScanningConfiguration",
        "PutImageTagMutability", "PutLifecyclePolicy", "GetLifecyclePolicy", "DeleteLifecyclePolicy",
        "SetRepositoryPolicy", "GetRepositoryPolicy", "DeleteRepositoryPolicy", "ListImages",
        "DescribeImages", "BatchDeleteImage", "GetAuthorizationToken", "TagResource", "UntagResource",
        "ListTagsForResource",
    ],
    "efs": [
        "CreateFileSystem", "DescribeFileSystems", "UpdateFileSystem", "DeleteFileSystem",
        "PutLifecycleConfiguration", "DescribeLifecycleConfiguration", "PutBackupPolicy",
        "DescribeBackupPolicy", "PutFileSystemPolicy", "DescribeFileSystemPolicy", "DeleteFileSystemPolicy",
        "CreateMountTarget", "DescribeMountTargets", "DeleteMountTarget", "DescribeMountTargetSecurityGroups",
        "ModifyMountTargetSecurityGroups", "CreateAccessPoint", "DescribeAccessPoints", "DeleteAccessPoint",
        "TagResource", "UntagResource", "ListTagsForResource", "DescribeReplicationConfigurations",
    ],
    "cloudtrail": [
        "CreateTrail", "GetTrail", "DescribeTrails", "ListTrails", "UpdateTrail", "DeleteTrail",
        "GetTrailStatus", "StartLogging", "StopLogging", "GetEventSelectors", "PutEventSelectors",
        "GetInsightSelectors", "PutInsightSelectors", "AddTags", "RemoveTags", "ListTags", "LookupEvents",
    ],
    "wafv2": [
        "CreateWebACL", "GetWebACL", "UpdateWebACL", "DeleteWebACL", "ListWebACLs", "TagResource",
        "UntagResource", "ListTagsForResource", "GetLoggingConfiguration",
    ],
    "cloudfront": [
        "CreateDistribution", "CreateDistributionWithTags", "GetDistribution", "GetDistributionConfig",
        "UpdateDistribution", "DeleteDistribution", "ListDistributions", "CreateOriginAccessControl",
        "GetOriginAccessControl", "GetOriginAccessControlConfig", "UpdateOriginAccessControl",
        "DeleteOriginAccessControl", "ListOriginAccessControls", "TagResource", "UntagResource",
        "ListTagsForResource",
    ],
})

# Output shapes cut down to the members migsim fills, to keep a table small (EC2's Instance has 60
# members, most of them closures of their own). Only output shapes: a client never sends them.
PRUNE = {
    "ec2": {
        "Instance": ["InstanceId", "ImageId", "State", "PrivateDnsName", "InstanceType", "LaunchTime",
                     "Placement", "SubnetId", "VpcId", "PrivateIpAddress", "Tags", "AmiLaunchIndex",
                     "KeyName", "Architecture", "RootDeviceType", "VirtualizationType", "Hypervisor"],
        "Placement": ["AvailabilityZone", "Tenancy", "GroupName"],
    },
}

# Shape fields the codec uses (documentation and validation-only fields are dropped).
SHAPE_KEYS = ["type", "required", "enum", "payload", "flattened", "locationName", "xmlNamespace",
              "timestampFormat", "error", "exception", "fault", "streaming", "event", "eventstream",
              "union", "document", "min", "max"]
MEMBER_KEYS = ["shape", "location", "locationName", "xmlAttribute", "xmlNamespace", "flattened",
               "queryName", "timestampFormat", "jsonvalue", "idempotencyToken", "hostLabel",
               "streaming", "eventpayload"]
METADATA_KEYS = ["protocol", "protocols", "targetPrefix", "jsonVersion", "apiVersion", "signingName",
                 "endpointPrefix", "xmlNamespace", "serviceId", "globalEndpoint"]


def load_model(data_dir, service):
    """The newest service-2.json of a service, parsed."""
    versions = sorted(os.listdir(os.path.join(data_dir, service)))
    base = os.path.join(data_dir, service, versions[-1], "service-2.json")
    if os.path.exists(base):
        with open(base, encoding="utf-8") as f:
            return json.load(f)
    with gzip.open(base + ".gz", "rt", encoding="utf-8") as f:
        return json.load(f)


def compact_ref(ref, keys):
    """A member/list-member/map key reference with only the fields the codec reads."""
    return {k: ref[k] for k in keys if k in ref}


def compact_shape(shape):
    """A shape without documentation."""
    out = {k: shape[k] for k in SHAPE_KEYS if k in shape}
    if "members" in shape:
        out["members"] = {name: compact_ref(ref, MEMBER_KEYS) for name, ref in shape["members"].items()}
    for k in ("member", "key", "value"):
        if k in shape:
            out[k] = compact_ref(shape[k], MEMBER_KEYS)
    return out


def referenced(shape):
    """The names of the shapes a shape refers to."""
    refs = [ref["shape"] for ref in shape.get("members", {}).values()]
    refs += [shape[k]["shape"] for k in ("member", "key", "value") if k in shape]
    return refs


def extract(model, service, operations):
    """The compact model of the listed operations."""
    missing = [op for op in operations if op not in model["operations"]]
    if missing:
        sys.exit(f"gen_aws_models: {service} has no operation(s) {', '.join(missing)}")
    ops, todo = {}, []
    for name in operations:
        op = model["operations"][name]
        entry = {"http": {k: op["http"][k] for k in ("method", "requestUri", "responseCode") if k in op["http"]}}
        if "input" in op:
            entry["input"] = compact_ref(op["input"], ["shape", "locationName", "xmlNamespace"])
            todo.append(op["input"]["shape"])
        if "output" in op:
            entry["output"] = compact_ref(op["output"], ["shape", "resultWrapper"])
            todo.append(op["output"]["shape"])
        if op.get("errors"):
            entry["errors"] = sorted(e["shape"] for e in op["errors"])
            todo += entry["errors"]
        ops[name] = entry
    shapes = {}
    prune = PRUNE.get(service, {})
    while todo:
        name = todo.pop()
        if name in shapes:
            continue
        shape = model["shapes"][name]
        if name in prune:
            shape = dict(shape, members={k: v for k, v in shape["members"].items() if k in prune[name]})
        shapes[name] = compact_shape(shape)
        todo += referenced(shape)
    metadata = {k: model["metadata"][k] for k in METADATA_KEYS if k in model["metadata"]}
    return {"metadata": metadata, "operations": ops, "shapes": shapes}


def main():
    import botocore  # only needed to find the data directory by default
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--botocore-data", default=os.path.join(os.path.dirname(botocore.__file__), "data"))
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "harness", "aws", "models"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for service, operations in sorted(OPERATIONS.items()):
        compact = extract(load_model(args.botocore_data, service), service, sorted(set(operations)))
        compact["metadata"]["botocoreVersion"] = botocore.__version__
        path = os.path.join(args.out, service + ".json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(compact, f, sort_keys=True, indent=1, separators=(",", ":"), ensure_ascii=True)
            f.write("\n")
        print(f"{path}: {len(compact['operations'])} operations, {len(compact['shapes'])} shapes")


if __name__ == "__main__":
    main()
