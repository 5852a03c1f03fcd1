#!/usr/bin/env python3
"""The AWS CLI drives the platform services of `migsim serve`: IAM, KMS, Secrets Manager, ECR, EFS,
CloudTrail (trails and LookupEvents over the recorded calls), WAFv2, CloudFront and the EKS add-ons,
every operation at least once, with the answers and the errors AWS gives.

Usage: test_serve_platform_cli.py MIGSIM. One server at speed 0 (paused) on scenarios/terraform-platform.json;
lifecycles are moved with POST /_migsim/clock.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import ROOT, Serve, check, summary  # noqa: E402

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})


def err(out):
    """The error code of a failed CLI call's output ("ERROR 255: ... (Code) ..."), or None."""
    if not isinstance(out, str) or not out.startswith("ERROR"):
        return None
    at = out.find("(")
    return out[at + 1:out.find(")", at)] if at >= 0 else out


def iam(srv):
    c = srv.cli
    role = c("iam", "create-role", "--role-name", "platform-cluster", "--assume-role-policy-document", TRUST,
             "--description", "control plane", "--tags", "Key=team,Value=platform")
    check("iam create-role answers the ARN", role["Role"]["Arn"] == "arn:aws:iam::000000000000:role/platform-cluster", role)
    got = c("iam", "get-role", "--role-name", "platform-cluster")
    check("iam get-role returns the trust policy", got["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Action"] ==
          "sts:AssumeRole", got)
    check("iam create-role twice: EntityAlreadyExists",
          err(c("iam", "create-role", "--role-name", "platform-cluster", "--assume-role-policy-document", TRUST)) ==
          "EntityAlreadyExists")
    check("iam create-role with a 65-character name: ValidationError",
          err(c("iam", "create-role", "--role-name", "r" * 65, "--assume-role-policy-document", TRUST)) == "ValidationError")
    c("iam", "update-role", "--role-name", "platform-cluster", "--max-session-duration", "7200")
    c("iam", "update-assume-role-policy", "--role-name", "platform-cluster", "--policy-document", TRUST)
    c("iam", "tag-role", "--role-name", "platform-cluster", "--tags", "Key=env,Value=rehearsal")
    c("iam", "untag-role", "--role-name", "platform-cluster", "--tag-keys", "team")
    tags = c("iam", "list-role-tags", "--role-name", "platform-cluster")
    check("iam tag-role / untag-role / list-role-tags", tags["Tags"] == [{"Key": "env", "Value": "rehearsal"}], tags)
    check("iam list-roles", [r["RoleName"] for r in c("iam", "list-roles")["Roles"]] == ["platform-cluster"])
    c("iam", "put-role-policy", "--role-name", "platform-cluster", "--policy-name", "inline", "--policy-document", POLICY)
    check("iam get-role-policy", c("iam", "get-role-policy", "--role-name", "platform-cluster", "--policy-name",
                                   "inline")["PolicyName"] == "inline")
    check("iam list-role-policies", c("iam", "list-role-policies", "--role-name", "platform-cluster")["PolicyNames"] == ["inline"])
    eks_policy = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
    c("iam", "attach-role-policy", "--role-name", "platform-cluster", "--policy-arn", eks_policy)
    check("iam attach-role-policy of an unknown AWS policy: NoSuchEntity",
          err(c("iam", "attach-role-policy", "--role-name", "platform-cluster", "--policy-arn",
                "arn:aws:iam::aws:policy/NoSuchPolicy")) == "NoSuchEntity")
    att = c("iam", "list-attached-role-policies", "--role-name", "platform-cluster")["AttachedPolicies"]
    check("iam list-attached-role-policies", att == [{"PolicyName": "AmazonEKSClusterPolicy", "PolicyArn": eks_policy}], att)
    check("iam delete-role with a policy attached: DeleteConflict",
          err(c("iam", "delete-role", "--role-name", "platform-cluster")) == "DeleteConflict")
    pol = c("iam", "create-policy", "--policy-name", "reader", "--policy-document", POLICY, "--description", "reads")
    arn = pol["Policy"]["Arn"]
    check("iam create-policy", arn == "arn:aws:iam::000000000000:policy/reader", pol)
    c("iam", "attach-role-policy", "--role-name", "platform-cluster", "--policy-arn", arn)
    check("iam get-policy counts the attachment", c("iam", "get-policy", "--policy-arn", arn)["Policy"]["AttachmentCount"] == 1)
    ent = c("iam", "list-entities-for-policy", "--policy-arn", arn)
    check("iam list-entities-for-policy", [r["RoleName"] for r in ent["PolicyRoles"]] == ["platform-cluster"], ent)
    check("iam list-policies --scope Local", [p["PolicyName"] for p in c("iam", "list-policies", "--scope", "Local")["Policies"]] == ["reader"])
    v2 = c("iam", "create-policy-version", "--policy-arn", arn, "--policy-document", POLICY, "--set-as-default")
    check("iam create-policy-version", v2["PolicyVersion"]["VersionId"] == "v2", v2)
    check("iam get-policy-version", c("iam", "get-policy-version", "--policy-arn", arn, "--version-id", "v2")
          ["PolicyVersion"]["IsDefaultVersion"] is True)
    check("iam list-policy-versions", len(c("iam", "list-policy-versions", "--policy-arn", arn)["Versions"]) == 2)
    c("iam", "delete-policy-version", "--policy-arn", arn, "--version-id", "v1")
    c("iam", "tag-policy", "--policy-arn", arn, "--tags", "Key=a,Value=b")
    c("iam", "untag-policy", "--policy-arn", arn, "--tag-keys", "a")
    check("iam tag-policy / untag-policy / list-policy-tags", c("iam", "list-policy-tags", "--policy-arn", arn)["Tags"] == [])
    check("iam delete-policy while attached: DeleteConflict", err(c("iam", "delete-policy", "--policy-arn", arn)) == "DeleteConflict")
    c("iam", "detach-role-policy", "--role-name", "platform-cluster", "--policy-arn", arn)
    c("iam", "detach-role-policy", "--role-name", "platform-cluster", "--policy-arn", eks_policy)
    c("iam", "delete-role-policy", "--role-name", "platform-cluster", "--policy-name", "inline")
    c("iam", "delete-policy", "--policy-arn", arn)
    prof = c("iam", "create-instance-profile", "--instance-profile-name", "nodes")
    check("iam create-instance-profile", prof["InstanceProfile"]["Arn"].endswith(":instance-profile/nodes"), prof)
    c("iam", "add-role-to-instance-profile", "--instance-profile-name", "nodes", "--role-name", "platform-cluster")
    check("iam get-instance-profile lists the role", [r["RoleName"] for r in c("iam", "get-instance-profile",
          "--instance-profile-name", "nodes")["InstanceProfile"]["Roles"]] == ["platform-cluster"])
    check("iam list-instance-profiles-for-role", len(c("iam", "list-instance-profiles-for-role", "--role-name",
                                                        "platform-cluster")["InstanceProfiles"]) == 1)
    check("iam list-instance-profiles", len(c("iam", "list-instance-profiles")["InstanceProfiles"]) == 1)
    c("iam", "tag-instance-profile", "--instance-profile-name", "nodes", "--tags", "Key=k,Value=v")
    check("iam list-instance-profile-tags", c("iam", "list-instance-profile-tags", "--instance-profile-name", "nodes")
          ["Tags"] == [{"Key": "k", "Value": "v"}])
    c("iam", "untag-instance-profile", "--instance-profile-name", "nodes", "--tag-keys", "k")
    check("iam delete-role still in a profile: DeleteConflict", err(c("iam", "delete-role", "--role-name", "platform-cluster")) == "DeleteConflict")
    c("iam", "remove-role-from-instance-profile", "--instance-profile-name", "nodes", "--role-name", "platform-cluster")
    c("iam", "delete-instance-profile", "--instance-profile-name", "nodes")
    c("iam", "delete-role", "--role-name", "platform-cluster")
    check("iam get-role after delete-role: NoSuchEntity", err(c("iam", "get-role", "--role-name", "platform-cluster")) == "NoSuchEntity")
    oidc = c("iam", "create-open-id-connect-provider", "--url", "https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
             "--client-id-list", "sts.amazonaws.com", "--thumbprint-list", "9e99a48a9960b14926bb7f3b02e22da2b0ab7280")
    oarn = oidc["OpenIDConnectProviderArn"]
    check("iam create-open-id-connect-provider", oarn.endswith(":oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"), oidc)
    c("iam", "add-client-id-to-open-id-connect-provider", "--open-id-connect-provider-arn", oarn, "--client-id", "extra")
    c("iam", "remove-client-id-from-open-id-connect-provider", "--open-id-connect-provider-arn", oarn, "--client-id", "extra")
    c("iam", "update-open-id-connect-provider-thumbprint", "--open-id-connect-provider-arn", oarn, "--thumbprint-list",
      "a" * 40)
    c("iam", "tag-open-id-connect-provider", "--open-id-connect-provider-arn", oarn, "--tags", "Key=x,Value=y")
    c("iam", "untag-open-id-connect-provider", "--open-id-connect-provider-arn", oarn, "--tag-keys", "x")
    check("iam list-open-id-connect-provider-tags", c("iam", "list-open-id-connect-provider-tags",
          "--open-id-connect-provider-arn", oarn)["Tags"] == [])
    got = c("iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", oarn)
    check("iam get-open-id-connect-provider", got["ClientIDList"] == ["sts.amazonaws.com"] and
          got["ThumbprintList"] == ["a" * 40], got)
    check("iam list-open-id-connect-providers", len(c("iam", "list-open-id-connect-providers")["OpenIDConnectProviderList"]) == 1)
    c("iam", "delete-open-id-connect-provider", "--open-id-connect-provider-arn", oarn)


def kms(srv):
    c = srv.cli
    key = c("kms", "create-key", "--description", "platform", "--tags", "TagKey=team,TagValue=platform")["KeyMetadata"]
    kid = key["KeyId"]
    check("kms create-key: Enabled, symmetric", key["KeyState"] == "Enabled" and key["KeySpec"] == "SYMMETRIC_DEFAULT", key)
    check("kms describe-key", c("kms", "describe-key", "--key-id", key["Arn"])["KeyMetadata"]["KeyId"] == kid)
    check("kms list-keys", [k["KeyId"] for k in c("kms", "list-keys")["Keys"]] == [kid])
    c("kms", "enable-key-rotation", "--key-id", kid)
    check("kms get-key-rotation-status", c("kms", "get-key-rotation-status", "--key-id", kid)["KeyRotationEnabled"] is True)
    c("kms", "disable-key-rotation", "--key-id", kid)
    pol = json.loads(c("kms", "get-key-policy", "--key-id", kid, "--policy-name", "default")["Policy"])
    check("kms get-key-policy: the default policy", pol["Statement"][0]["Sid"] == "Enable IAM User Permissions", pol)
    c("kms", "put-key-policy", "--key-id", kid, "--policy-name", "default", "--policy", POLICY)
    check("kms list-key-policies", c("kms", "list-key-policies", "--key-id", kid)["PolicyNames"] == ["default"])
    c("kms", "update-key-description", "--key-id", kid, "--description", "renamed")
    c("kms", "disable-key", "--key-id", kid)
    check("kms disable-key", c("kms", "describe-key", "--key-id", kid)["KeyMetadata"]["KeyState"] == "Disabled")
    c("kms", "enable-key", "--key-id", kid)
    c("kms", "tag-resource", "--key-id", kid, "--tags", "TagKey=env,TagValue=dev")
    c("kms", "untag-resource", "--key-id", kid, "--tag-keys", "team")
    check("kms list-resource-tags", c("kms", "list-resource-tags", "--key-id", kid)["Tags"] ==
          [{"TagKey": "env", "TagValue": "dev"}])
    c("kms", "create-alias", "--alias-name", "alias/platform", "--target-key-id", kid)
    check("kms describe-key by alias", c("kms", "describe-key", "--key-id", "alias/platform")["KeyMetadata"]["KeyId"] == kid)
    check("kms create-alias alias/aws/...: refused", err(c("kms", "create-alias", "--alias-name", "alias/aws/x",
                                                          "--target-key-id", kid)) is not None)
    key2 = c("kms", "create-key")["KeyMetadata"]["KeyId"]
    c("kms", "update-alias", "--alias-name", "alias/platform", "--target-key-id", key2)
    check("kms list-aliases --key-id", [a["AliasName"] for a in c("kms", "list-aliases", "--key-id", key2)["Aliases"]] ==
          ["alias/platform"])
    c("kms", "delete-alias", "--alias-name", "alias/platform")
    sched = c("kms", "schedule-key-deletion", "--key-id", kid, "--pending-window-in-days", "7")
    check("kms schedule-key-deletion: PendingDeletion 7 days", sched["KeyState"] == "PendingDeletion" and
          sched["PendingWindowInDays"] == 7, sched)
    check("kms enable-key-rotation of a key pending deletion: KMSInvalidStateException",
          err(c("kms", "enable-key-rotation", "--key-id", kid)) == "KMSInvalidStateException")
    c("kms", "cancel-key-deletion", "--key-id", kid)
    check("kms cancel-key-deletion leaves it Disabled", c("kms", "describe-key", "--key-id", kid)["KeyMetadata"]["KeyState"] == "Disabled")
    c("kms", "schedule-key-deletion", "--key-id", key2, "--pending-window-in-days", "7")
    srv.advance(7 * 86400 + 1)
    check("kms: the key is gone after its 7-day window on the simulated clock",
          err(c("kms", "describe-key", "--key-id", key2)) == "NotFoundException")


def secrets(srv):
    c = srv.cli
    s = c("secretsmanager", "create-secret", "--name", "orders/db", "--secret-string", '{"user":"app"}',
          "--description", "db", "--tags", "Key=team,Value=orders")
    check("secretsmanager create-secret: ARN with the 6-character suffix", s["ARN"].startswith(
        "arn:aws:secretsmanager:us-east-1:000000000000:secret:orders/db-") and len(s["ARN"].rsplit("-", 1)[1]) == 6, s)
    check("secretsmanager create-secret twice: ResourceExistsException",
          err(c("secretsmanager", "create-secret", "--name", "orders/db")) == "ResourceExistsException")
    v = c("secretsmanager", "put-secret-value", "--secret-id", "orders/db", "--secret-string", '{"user":"app2"}')
    check("secretsmanager put-secret-value: AWSCURRENT", v["VersionStages"] == ["AWSCURRENT"], v)
    got = c("secretsmanager", "get-secret-value", "--secret-id", s["ARN"])
    check("secretsmanager get-secret-value: the current value", got["SecretString"] == '{"user":"app2"}', got)
    prev = c("secretsmanager", "get-secret-value", "--secret-id", "orders/db", "--version-stage", "AWSPREVIOUS")
    check("secretsmanager: the previous value is AWSPREVIOUS", prev["SecretString"] == '{"user":"app"}', prev)
    ids = c("secretsmanager", "list-secret-version-ids", "--secret-id", "orders/db")["Versions"]
    check("secretsmanager list-secret-version-ids", len(ids) == 2, ids)
    c("secretsmanager", "update-secret-version-stage", "--secret-id", "orders/db", "--version-stage", "AWSCURRENT",
      "--remove-from-version-id", v["VersionId"], "--move-to-version-id", prev["VersionId"])
    check("secretsmanager update-secret-version-stage moves AWSCURRENT back",
          c("secretsmanager", "get-secret-value", "--secret-id", "orders/db")["VersionId"] == prev["VersionId"])
    c("secretsmanager", "update-secret", "--secret-id", "orders/db", "--description", "orders database")
    c("secretsmanager", "put-resource-policy", "--secret-id", "orders/db", "--resource-policy", POLICY)
    check("secretsmanager get-resource-policy", "ResourcePolicy" in c("secretsmanager", "get-resource-policy", "--secret-id", "orders/db"))
    c("secretsmanager", "delete-resource-policy", "--secret-id", "orders/db")
    c("secretsmanager", "tag-resource", "--secret-id", "orders/db", "--tags", "Key=env,Value=dev")
    c("secretsmanager", "untag-resource", "--secret-id", "orders/db", "--tag-keys", "team")
    d = c("secretsmanager", "describe-secret", "--secret-id", "orders/db")
    check("secretsmanager describe-secret", d["Description"] == "orders database" and d["Tags"] == [{"Key": "env", "Value": "dev"}], d)
    check("secretsmanager list-secrets", [x["Name"] for x in c("secretsmanager", "list-secrets")["SecretList"]] == ["orders/db"])
    c("secretsmanager", "delete-secret", "--secret-id", "orders/db", "--recovery-window-in-days", "7")
    check("secretsmanager get-secret-value of a secret scheduled for deletion: InvalidRequestException",
          err(c("secretsmanager", "get-secret-value", "--secret-id", "orders/db")) == "InvalidRequestException")
    c("secretsmanager", "restore-secret", "--secret-id", "orders/db")
    c("secretsmanager", "delete-secret", "--secret-id", "orders/db", "--force-delete-without-recovery")
    check("secretsmanager: gone after a forced delete",
          err(c("secretsmanager", "describe-secret", "--secret-id", "orders/db")) == "ResourceNotFoundException")


def ecr(srv):
    c = srv.cli
    repo = c("ecr", "create-repository", "--repository-name", "shop/frontend", "--image-tag-mutability", "IMMUTABLE",
             "--image-scanning-configuration", "scanOnPush=true", "--tags", "Key=app,Value=frontend")["repository"]
    check("ecr create-repository", repo["repositoryUri"] == "000000000000.dkr.ecr.us-east-1.amazonaws.com/shop/frontend", repo)
    check("ecr create-repository with capitals: InvalidParameterException",
          err(c("ecr", "create-repository", "--repository-name", "Shop")) == "InvalidParameterException")
    check("ecr describe-repositories", c("ecr", "describe-repositories", "--repository-names", "shop/frontend")
          ["repositories"][0]["imageTagMutability"] == "IMMUTABLE")
    c("ecr", "put-image-tag-mutability", "--repository-name", "shop/frontend", "--image-tag-mutability", "MUTABLE")
    c("ecr", "put-image-scanning-configuration", "--repository-name", "shop/frontend", "--image-scanning-configuration",
      "scanOnPush=false")
    life = json.dumps({"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                                                   "countUnit": "days", "countNumber": 14},
                                  "action": {"type": "expire"}}]})
    c("ecr", "put-lifecycle-policy", "--repository-name", "shop/frontend", "--lifecycle-policy-text", life)
    check("ecr get-lifecycle-policy", json.loads(c("ecr", "get-lifecycle-policy", "--repository-name", "shop/frontend")
                                                 ["lifecyclePolicyText"]) == json.loads(life))
    c("ecr", "delete-lifecycle-policy", "--repository-name", "shop/frontend")
    check("ecr get-lifecycle-policy after delete: LifecyclePolicyNotFoundException",
          err(c("ecr", "get-lifecycle-policy", "--repository-name", "shop/frontend")) == "LifecyclePolicyNotFoundException")
    c("ecr", "set-repository-policy", "--repository-name", "shop/frontend", "--policy-text", POLICY)
    check("ecr get-repository-policy", "policyText" in c("ecr", "get-repository-policy", "--repository-name", "shop/frontend"))
    c("ecr", "delete-repository-policy", "--repository-name", "shop/frontend")
    check("ecr list-images: none pushed", c("ecr", "list-images", "--repository-name", "shop/frontend")["imageIds"] == [])
    check("ecr describe-images: none pushed", c("ecr", "describe-images", "--repository-name", "shop/frontend")["imageDetails"] == [])
    bd = c("ecr", "batch-delete-image", "--repository-name", "shop/frontend", "--image-ids", "imageTag=v1")
    check("ecr batch-delete-image: ImageNotFound", bd["failures"][0]["failureCode"] == "ImageNotFound", bd)
    tok = c("ecr", "get-authorization-token")["authorizationData"][0]
    check("ecr get-authorization-token", tok["proxyEndpoint"].startswith("https://000000000000.dkr.ecr."), tok)
    c("ecr", "tag-resource", "--resource-arn", repo["repositoryArn"], "--tags", "Key=env,Value=dev")
    c("ecr", "untag-resource", "--resource-arn", repo["repositoryArn"], "--tag-keys", "app")
    check("ecr list-tags-for-resource", c("ecr", "list-tags-for-resource", "--resource-arn", repo["repositoryArn"])["tags"] ==
          [{"Key": "env", "Value": "dev"}])
    c("ecr", "delete-repository", "--repository-name", "shop/frontend", "--force")
    check("ecr describe-repositories after delete: RepositoryNotFoundException",
          err(c("ecr", "describe-repositories", "--repository-names", "shop/frontend")) == "RepositoryNotFoundException")


def efs(srv):
    c = srv.cli
    fs = c("efs", "create-file-system", "--creation-token", "shared", "--encrypted", "--throughput-mode", "elastic",
           "--tags", "Key=Name,Value=shared")
    fid = fs["FileSystemId"]
    check("efs create-file-system: creating", fs["LifeCycleState"] == "creating" and fs["Name"] == "shared", fs)
    check("efs create-mount-target before the file system is available: IncorrectFileSystemLifeCycleState",
          err(c("efs", "create-mount-target", "--file-system-id", fid, "--subnet-id", "subnet-0000000000000beef")) ==
          "IncorrectFileSystemLifeCycleState")
    srv.advance(5)
    check("efs describe-file-systems: available after 5 s", c("efs", "describe-file-systems", "--file-system-id", fid)
          ["FileSystems"][0]["LifeCycleState"] == "available")
    check("efs create-mount-target in a subnet EC2 does not know: SubnetNotFound",
          err(c("efs", "create-mount-target", "--file-system-id", fid, "--subnet-id", "subnet-0000000000000dead")) ==
          "SubnetNotFound")
    vpc = c("ec2", "create-vpc", "--cidr-block", "10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [c("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", f"10.40.{i}.0/24", "--availability-zone",
                 "us-east-1a")["Subnet"]["SubnetId"] for i in (1, 2)]
    sgs = [c("ec2", "create-security-group", "--group-name", f"efs-{i}", "--description", "efs", "--vpc-id", vpc)["GroupId"]
           for i in (1, 2)]
    mt = c("efs", "create-mount-target", "--file-system-id", fid, "--subnet-id", subnets[0], "--security-groups", sgs[0])
    check("efs create-mount-target: creating, in the subnet's zone and VPC",
          mt["LifeCycleState"] == "creating" and mt.get("AvailabilityZoneName") == "us-east-1a" and mt.get("VpcId") == vpc,
          mt)
    check("efs create-mount-target in a second subnet of the same zone: MountTargetConflict",
          err(c("efs", "create-mount-target", "--file-system-id", fid, "--subnet-id", subnets[1])) == "MountTargetConflict")
    srv.advance(90)
    check("efs describe-mount-targets: available after 90 s", c("efs", "describe-mount-targets", "--file-system-id", fid)
          ["MountTargets"][0]["LifeCycleState"] == "available")
    c("efs", "modify-mount-target-security-groups", "--mount-target-id", mt["MountTargetId"], "--security-groups", sgs[1])
    check("efs describe-mount-target-security-groups", c("efs", "describe-mount-target-security-groups", "--mount-target-id",
                                                         mt["MountTargetId"])["SecurityGroups"] == [sgs[1]])
    c("efs", "put-lifecycle-configuration", "--file-system-id", fid, "--lifecycle-policies", "TransitionToIA=AFTER_30_DAYS")
    check("efs describe-lifecycle-configuration", c("efs", "describe-lifecycle-configuration", "--file-system-id", fid)
          ["LifecyclePolicies"] == [{"TransitionToIA": "AFTER_30_DAYS"}])
    c("efs", "put-backup-policy", "--file-system-id", fid, "--backup-policy", "Status=ENABLED")
    check("efs describe-backup-policy", c("efs", "describe-backup-policy", "--file-system-id", fid)["BackupPolicy"]["Status"] == "ENABLED")
    c("efs", "put-file-system-policy", "--file-system-id", fid, "--policy", POLICY)
    check("efs describe-file-system-policy", "Policy" in c("efs", "describe-file-system-policy", "--file-system-id", fid))
    c("efs", "delete-file-system-policy", "--file-system-id", fid)
    check("efs describe-replication-configurations: ReplicationNotFound",
          err(c("efs", "describe-replication-configurations", "--file-system-id", fid)) == "ReplicationNotFound")
    c("efs", "update-file-system", "--file-system-id", fid, "--throughput-mode", "bursting")
    ap = c("efs", "create-access-point", "--file-system-id", fid, "--posix-user", "Uid=1000,Gid=1000",
           "--root-directory", "Path=/assets")
    check("efs create-access-point", ap["RootDirectory"]["Path"] == "/assets", ap)
    check("efs describe-access-points", len(c("efs", "describe-access-points", "--file-system-id", fid)["AccessPoints"]) == 1)
    c("efs", "tag-resource", "--resource-id", fid, "--tags", "Key=env,Value=dev")
    c("efs", "untag-resource", "--resource-id", fid, "--tag-keys", "env")
    check("efs list-tags-for-resource", c("efs", "list-tags-for-resource", "--resource-id", fid)["Tags"] ==
          [{"Key": "Name", "Value": "shared"}])
    check("efs delete-file-system with a mount target: FileSystemInUse",
          err(c("efs", "delete-file-system", "--file-system-id", fid)) == "FileSystemInUse")
    c("efs", "delete-access-point", "--access-point-id", ap["AccessPointId"])
    c("efs", "delete-mount-target", "--mount-target-id", mt["MountTargetId"])
    srv.advance(60)
    c("efs", "delete-file-system", "--file-system-id", fid)
    check("efs: nothing left", c("efs", "describe-file-systems")["FileSystems"] == [])


def cloudtrail(srv):
    c = srv.cli
    c("s3api", "create-bucket", "--bucket", "audit-trail-bucket")
    check("cloudtrail create-trail on a missing bucket: S3BucketDoesNotExistException",
          err(c("cloudtrail", "create-trail", "--name", "audit", "--s3-bucket-name", "nope")) == "S3BucketDoesNotExistException")
    t = c("cloudtrail", "create-trail", "--name", "audit", "--s3-bucket-name", "audit-trail-bucket", "--is-multi-region-trail",
          "--enable-log-file-validation")
    check("cloudtrail create-trail", t["TrailARN"] == "arn:aws:cloudtrail:us-east-1:000000000000:trail/audit", t)
    c("cloudtrail", "start-logging", "--name", "audit")
    check("cloudtrail get-trail-status: logging", c("cloudtrail", "get-trail-status", "--name", "audit")["IsLogging"] is True)
    c("cloudtrail", "stop-logging", "--name", "audit")
    c("cloudtrail", "update-trail", "--name", "audit", "--s3-key-prefix", "logs")
    check("cloudtrail get-trail", c("cloudtrail", "get-trail", "--name", "audit")["Trail"]["S3KeyPrefix"] == "logs")
    check("cloudtrail describe-trails", len(c("cloudtrail", "describe-trails")["trailList"]) == 1)
    check("cloudtrail list-trails", c("cloudtrail", "list-trails")["Trails"][0]["Name"] == "audit")
    c("cloudtrail", "put-event-selectors", "--trail-name", "audit", "--event-selectors",
      '[{"ReadWriteType":"WriteOnly","IncludeManagementEvents":true}]')
    check("cloudtrail get-event-selectors", c("cloudtrail", "get-event-selectors", "--trail-name", "audit")
          ["EventSelectors"][0]["ReadWriteType"] == "WriteOnly")
    check("cloudtrail get-insight-selectors without insights: InsightNotEnabledException",
          err(c("cloudtrail", "get-insight-selectors", "--trail-name", "audit")) == "InsightNotEnabledException")
    c("cloudtrail", "put-insight-selectors", "--trail-name", "audit", "--insight-selectors", '[{"InsightType":"ApiCallRateInsight"}]')
    check("cloudtrail get-insight-selectors", len(c("cloudtrail", "get-insight-selectors", "--trail-name", "audit")["InsightSelectors"]) == 1)
    c("cloudtrail", "add-tags", "--resource-id", t["TrailARN"], "--tags-list", "Key=team,Value=sec")
    c("cloudtrail", "remove-tags", "--resource-id", t["TrailARN"], "--tags-list", "Key=team")
    check("cloudtrail list-tags", c("cloudtrail", "list-tags", "--resource-id-list", t["TrailARN"])["ResourceTagList"][0]["TagsList"] == [])
    ev = c("cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=EventName,AttributeValue=CreateTrail")["Events"]
    detail = json.loads(ev[0]["CloudTrailEvent"]) if ev else {}
    check("cloudtrail lookup-events: both CreateTrail calls, the failed one with its error code",
          len(ev) == 2 and detail.get("eventSource") == "cloudtrail.amazonaws.com" and
          json.loads(ev[1]["CloudTrailEvent"]).get("errorCode") == "S3BucketDoesNotExistException", ev)
    check("cloudtrail lookup-events: the user agent is the AWS CLI's", detail.get("userAgent", "").startswith("aws-cli/"), detail)
    page = c("cloudtrail", "lookup-events", "--max-results", "2", "--no-paginate")
    nxt = c("cloudtrail", "lookup-events", "--max-results", "2", "--no-paginate", "--next-token", page.get("NextToken", "x"))
    check("cloudtrail lookup-events pages newest first without overlap", len(page["Events"]) == 2 and len(nxt["Events"]) == 2 and
          page["Events"][1]["EventId"] > nxt["Events"][0]["EventId"], (page, nxt))
    ro = c("cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=ReadOnly,AttributeValue=true")["Events"]
    check("cloudtrail lookup-events: read-only calls are not recorded", ro == [], ro)
    c("cloudtrail", "delete-trail", "--name", "audit")
    check("cloudtrail get-trail after delete: TrailNotFoundException", err(c("cloudtrail", "get-trail", "--name", "audit")) ==
          "TrailNotFoundException")


def waf_and_cloudfront(srv):
    c = srv.cli
    vis = "SampledRequestsEnabled=true,CloudWatchMetricsEnabled=true,MetricName=edge"
    rules = json.dumps([{"Name": "common", "Priority": 1, "OverrideAction": {"None": {}},
                         "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet"}},
                         "VisibilityConfig": {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "c"}}])
    acl = c("wafv2", "create-web-acl", "--name", "edge", "--scope", "CLOUDFRONT", "--default-action", "Allow={}",
            "--visibility-config", vis, "--rules", rules, "--tags", "Key=team,Value=edge")["Summary"]
    check("wafv2 create-web-acl: a global ARN", ":global/webacl/edge/" in acl["ARN"], acl)
    got = c("wafv2", "get-web-acl", "--name", "edge", "--scope", "CLOUDFRONT", "--id", acl["Id"])
    check("wafv2 get-web-acl: rules and capacity", got["WebACL"]["Capacity"] == 700 and len(got["WebACL"]["Rules"]) == 1, got)
    check("wafv2 update-web-acl with a stale lock token: WAFOptimisticLockException",
          err(c("wafv2", "update-web-acl", "--name", "edge", "--scope", "CLOUDFRONT", "--id", acl["Id"], "--default-action",
                "Block={}", "--visibility-config", vis, "--lock-token", "stale")) == "WAFOptimisticLockException")
    up = c("wafv2", "update-web-acl", "--name", "edge", "--scope", "CLOUDFRONT", "--id", acl["Id"], "--default-action",
           "Allow={}", "--visibility-config", vis, "--rules", rules, "--lock-token", got["LockToken"])
    check("wafv2 update-web-acl: a new lock token", up["NextLockToken"] != got["LockToken"], up)
    check("wafv2 list-web-acls", [a["Name"] for a in c("wafv2", "list-web-acls", "--scope", "CLOUDFRONT")["WebACLs"]] == ["edge"])
    c("wafv2", "tag-resource", "--resource-arn", acl["ARN"], "--tags", "Key=env,Value=dev")
    c("wafv2", "untag-resource", "--resource-arn", acl["ARN"], "--tag-keys", "team")
    check("wafv2 list-tags-for-resource", c("wafv2", "list-tags-for-resource", "--resource-arn", acl["ARN"])
          ["TagInfoForResource"]["TagList"] == [{"Key": "env", "Value": "dev"}])
    check("wafv2 get-logging-configuration: WAFNonexistentItemException",
          err(c("wafv2", "get-logging-configuration", "--resource-arn", acl["ARN"])) == "WAFNonexistentItemException")

    oac = c("cloudfront", "create-origin-access-control", "--origin-access-control-config",
            "Name=static,SigningProtocol=sigv4,SigningBehavior=always,OriginAccessControlOriginType=s3")
    oid = oac["OriginAccessControl"]["Id"]
    check("cloudfront create-origin-access-control", oac["OriginAccessControl"]["OriginAccessControlConfig"]["Name"] == "static", oac)
    cfg = c("cloudfront", "get-origin-access-control-config", "--id", oid)
    c("cloudfront", "update-origin-access-control", "--id", oid, "--if-match", cfg["ETag"], "--origin-access-control-config",
      "Name=static,Description=updated,SigningProtocol=sigv4,SigningBehavior=always,OriginAccessControlOriginType=s3")
    check("cloudfront get-origin-access-control", c("cloudfront", "get-origin-access-control", "--id", oid)
          ["OriginAccessControl"]["OriginAccessControlConfig"]["Description"] == "updated")
    check("cloudfront list-origin-access-controls", c("cloudfront", "list-origin-access-controls", "--no-paginate")
          ["OriginAccessControlList"]["Quantity"] == 1)
    dist = {"CallerReference": "static-1", "Comment": "storefront", "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [{"Id": "s3", "DomainName": "static.s3.us-east-1.amazonaws.com",
                                                  "OriginAccessControlId": oid, "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https",
                                     "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
            "WebACLId": acl["ARN"]}
    bad = dict(dist, CallerReference="bad", DefaultCacheBehavior=dict(dist["DefaultCacheBehavior"], TargetOriginId="nope"))
    check("cloudfront create-distribution targeting a missing origin: NoSuchOrigin",
          err(c("cloudfront", "create-distribution", "--distribution-config", json.dumps(bad))) == "NoSuchOrigin")
    made = c("cloudfront", "create-distribution", "--distribution-config", json.dumps(dist))
    did = made["Distribution"]["Id"]
    check("cloudfront create-distribution: InProgress", made["Distribution"]["Status"] == "InProgress" and
          made["Distribution"]["DomainName"].endswith(".cloudfront.net"), made)
    srv.advance(300)
    check("cloudfront get-distribution: Deployed after 300 s", c("cloudfront", "get-distribution", "--id", did)
          ["Distribution"]["Status"] == "Deployed")
    check("wafv2 delete-web-acl used by a distribution: WAFAssociatedItemException",
          err(c("wafv2", "delete-web-acl", "--name", "edge", "--scope", "CLOUDFRONT", "--id", acl["Id"], "--lock-token",
                up["NextLockToken"])) == "WAFAssociatedItemException")
    tagged = dict(dist, CallerReference="static-2", WebACLId="")
    made2 = c("cloudfront", "create-distribution-with-tags", "--distribution-config-with-tags",
              json.dumps({"DistributionConfig": tagged, "Tags": {"Items": [{"Key": "team", "Value": "edge"}]}}))
    arn2 = made2["Distribution"]["ARN"]
    c("cloudfront", "tag-resource", "--resource", arn2, "--tags", "Items=[{Key=env,Value=dev}]")
    c("cloudfront", "untag-resource", "--resource", arn2, "--tag-keys", "Items=team")
    check("cloudfront list-tags-for-resource", c("cloudfront", "list-tags-for-resource", "--resource", arn2)["Tags"]["Items"] ==
          [{"Key": "env", "Value": "dev"}])
    check("cloudfront list-distributions", c("cloudfront", "list-distributions", "--no-paginate")["DistributionList"]["Quantity"] == 2)
    conf = c("cloudfront", "get-distribution-config", "--id", did)
    check("cloudfront delete-distribution while enabled: DistributionNotDisabled",
          err(c("cloudfront", "delete-distribution", "--id", did, "--if-match", conf["ETag"])) == "DistributionNotDisabled")
    off = dict(conf["DistributionConfig"], Enabled=False)
    upd = c("cloudfront", "update-distribution", "--id", did, "--if-match", conf["ETag"], "--distribution-config", json.dumps(off))
    check("cloudfront update-distribution: InProgress again", upd["Distribution"]["Status"] == "InProgress", upd)
    check("cloudfront delete-origin-access-control in use: OriginAccessControlInUse",
          err(c("cloudfront", "delete-origin-access-control", "--id", oid, "--if-match",
                c("cloudfront", "get-origin-access-control", "--id", oid)["ETag"])) == "OriginAccessControlInUse")
    srv.advance(300)
    c("cloudfront", "delete-distribution", "--id", did, "--if-match", upd["ETag"])
    conf2 = c("cloudfront", "get-distribution-config", "--id", made2["Distribution"]["Id"])
    up2 = c("cloudfront", "update-distribution", "--id", made2["Distribution"]["Id"], "--if-match", conf2["ETag"],
            "--distribution-config", json.dumps(dict(conf2["DistributionConfig"], Enabled=False)))
    srv.advance(300)
    c("cloudfront", "delete-distribution", "--id", made2["Distribution"]["Id"], "--if-match", up2["ETag"])
    c("cloudfront", "delete-origin-access-control", "--id", oid, "--if-match",
      c("cloudfront", "get-origin-access-control", "--id", oid)["ETag"])
    c("wafv2", "delete-web-acl", "--name", "edge", "--scope", "CLOUDFRONT", "--id", acl["Id"], "--lock-token", up["NextLockToken"])
    check("cloudfront and wafv2: nothing left", c("cloudfront", "list-distributions", "--no-paginate")["DistributionList"]["Quantity"] == 0 and
          c("wafv2", "list-web-acls", "--scope", "CLOUDFRONT")["WebACLs"] == [])


def eks_addons(srv):
    c = srv.cli
    c("eks", "create-cluster", "--name", "addons", "--role-arn", "arn:aws:iam::000000000000:role/x",
      "--resources-vpc-config", "subnetIds=subnet-a,subnet-b", "--tags", "team=platform")
    check("eks create-addon on a CREATING cluster: InvalidRequestException",
          err(c("eks", "create-addon", "--cluster-name", "addons", "--addon-name", "vpc-cni")) == "InvalidRequestException")
    srv.advance(600)
    vers = c("eks", "describe-addon-versions", "--addon-name", "aws-efs-csi-driver", "--kubernetes-version", "1.30")
    check("eks describe-addon-versions", vers["addons"][0]["addonVersions"][0]["addonVersion"].startswith("v2."), vers)
    a = c("eks", "create-addon", "--cluster-name", "addons", "--addon-name", "aws-efs-csi-driver")["addon"]
    check("eks create-addon: CREATING", a["status"] == "CREATING", a)
    srv.advance(60)
    check("eks describe-addon: ACTIVE after 60 s", c("eks", "describe-addon", "--cluster-name", "addons", "--addon-name",
                                                    "aws-efs-csi-driver")["addon"]["status"] == "ACTIVE")
    check("eks list-addons", c("eks", "list-addons", "--cluster-name", "addons")["addons"] == ["aws-efs-csi-driver"])
    c("eks", "update-addon", "--cluster-name", "addons", "--addon-name", "aws-efs-csi-driver", "--service-account-role-arn",
      "arn:aws:iam::000000000000:role/efs")
    carn = c("eks", "describe-cluster", "--name", "addons")["cluster"]["arn"]
    c("eks", "tag-resource", "--resource-arn", carn, "--tags", "env=dev")
    c("eks", "untag-resource", "--resource-arn", carn, "--tag-keys", "team")
    check("eks tag-resource / untag-resource / list-tags-for-resource", c("eks", "list-tags-for-resource", "--resource-arn",
                                                                         carn)["tags"] == {"env": "dev"})
    c("eks", "delete-addon", "--cluster-name", "addons", "--addon-name", "aws-efs-csi-driver")
    srv.advance(30)
    check("eks: the add-on is gone 30 s after delete-addon", c("eks", "list-addons", "--cluster-name", "addons")["addons"] == [])
    c("eks", "delete-cluster", "--name", "addons")


def main():
    migsim = sys.argv[1]
    started = time.time()
    with Serve(migsim, os.path.join(ROOT, "scenarios", "terraform-platform.json"), speed="0") as srv:
        check("migsim serve listens", srv.listening() is not None)
        for part in (iam, kms, secrets, ecr, efs, cloudtrail, waf_and_cloudfront, eks_addons):
            try:
                part(srv)
            except Exception as e:  # a broken answer fails the part, not the run
                check(f"{part.__name__} ran to the end", False, repr(e))
    return summary(started)


if __name__ == "__main__":
    sys.exit(main())
