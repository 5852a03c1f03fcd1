#!/usr/bin/env python3
"""RDS and EKS resources created through `migsim serve`, driven by boto3 and by the AWS CLI.

Usage (from anywhere):
  python3 tests/e2e/test_serve_rds_eks_create.py MIGSIM            checks against migsim (ctest runs this)
  python3 tests/e2e/test_serve_rds_eks_create.py MIGSIM --table F  also the same boto3 calls against
                                                                       moto_server, side-by-side table in F

RDS on scenarios/rds-failover.json (plus a read replica): CreateDBInstance (creating 480 s ->
backing-up 120 s -> available with its endpoint), CreateDBInstanceReadReplica of the scenario's
instance and of a created one (source and replica lists on both sides; the scenario replica's
ReplicaLag in CloudWatch), PromoteReadReplica (modifying 180 s -> standalone), DeleteDBInstance
(deleting 120 s -> DBInstanceNotFound; SkipFinalSnapshot / FinalDBSnapshotIdentifier rules),
RebootDBInstance ForceFailover of a created Multi-AZ instance; AWS's error codes.
EKS on scenarios/eks-black-friday.json: CreateCluster (CREATING 600 s -> ACTIVE), CreateNodegroup
on it (CREATING 120 s -> ACTIVE) and on the scenario's simulated cluster (its nodes boot and join
per the model: 90 + 30 s), UpdateNodegroupConfig + DescribeUpdate/ListUpdates (InProgress ->
Successful), DeleteNodegroup (DELETING 300 s -> gone), DeleteCluster (ResourceInUseException
while node groups exist; DELETING 300 s -> gone); errors in rest-json shape.
The durations are the defaults of the rds.api / eks.api scenario keys. The servers run paused
(--speed 0) and the clock moves with POST /_migsim/clock {"advance_s": N}.
Prints "N passed, M failed"; exits 1 if a check failed.
"""
import datetime
import json
import re
import os
import subprocess
import sys
import tempfile
import time

import botocore.model
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import (ROOT, Serve, aws_error as error_of, check, client, counting, free_port,  # noqa: E402
                           scenario_t0, summary, wait_connectable)

ROLE = "arn:aws:iam::000000000000:role/eks-cluster"
NODE_ROLE = "arn:aws:iam::000000000000:role/eks-node"
outcomes = {}      # "service Operation" -> outcome of its first happy-path call


def call(service, op, fn, **kw):
    """A happy-path call: records its outcome for the table; returns the response or None."""
    key = f"{service} {op}"
    try:
        r = fn(**kw)
        outcomes.setdefault(key, "ok")
        return r
    except ClientError as e:
        err = e.response.get("Error", {})
        outcomes.setdefault(key, f"{err.get('Code', '?')} ({e.response['ResponseMetadata'].get('HTTPStatusCode')})")
    except Exception as e:  # an answer botocore cannot read
        outcomes.setdefault(key, type(e).__name__)
    return None


def one_try_client(service, url):
    """A boto3 client for the endpoint that makes one attempt (standard retry mode), reads for up to 60 s."""
    return client(service, url, retries={"total_max_attempts": 1, "mode": "standard"}, read_timeout=60)


class Server(Serve):
    """Serve (quiet: `migsim serve` started with its output discarded) with one_try_client's clients."""

    def __init__(self, migsim, scenario):
        super().__init__(migsim, scenario, quiet=True)

    def client(self, service):
        return one_try_client(service, self.url)


def cli_value(srv, name, expected, *args):
    code, out, err = srv.aws(*args)
    return check(f"cli: {name}", code == 0 and out == expected, (code, out, err[-300:]))


def cli_error(srv, name, code_name, *args):
    code, out, err = srv.aws(*args)
    return check(f"cli: {name}", code != 0 and f"({code_name})" in err, (code, out, err[-300:]))


# --- RDS -----------------------------------------------------------------------------------------

def test_rds(srv):
    rds = srv.client("rds")
    one = lambda i: rds.describe_db_instances(DBInstanceIdentifier=i)["DBInstances"][0]  # noqa: E731
    base = dict(DBInstanceClass="db.t3.medium", Engine="mysql", MasterUsername="admin", MasterUserPassword="secret123")
    r = call("rds", "CreateDBInstance", rds.create_db_instance, DBInstanceIdentifier="app-db", MultiAZ=True,
             AllocatedStorage=50, StorageType="gp3", **base)
    d = r["DBInstance"]
    check("rds: CreateDBInstance answers creating, Multi-AZ, us-east-1a/b, no endpoint yet",
          d["DBInstanceStatus"] == "creating" and d["MultiAZ"] is True and d["AvailabilityZone"] == "us-east-1a"
          and d["SecondaryAvailabilityZone"] == "us-east-1b" and "Endpoint" not in d
          and d["DBInstanceClass"] == "db.t3.medium" and d["AllocatedStorage"] == 50, d)
    check("rds: gp3 below 400 GiB shows the 3,000 IOPS / 125 MiB/s baseline",
          d.get("Iops") == 3000 and d.get("StorageThroughput") == 125, d)
    ids = [x["DBInstanceIdentifier"] for x in rds.describe_db_instances()["DBInstances"]]
    check("rds: DescribeDBInstances lists the scenario's instances, then the created one",
          ids == ["shop-db", "shop-db-replica", "app-db"], ids)
    check("rds: the same identifier again -> DBInstanceAlreadyExists",
          error_of(rds.create_db_instance, DBInstanceIdentifier="app-db", **base)[0] == "DBInstanceAlreadyExists")
    check("rds: the scenario's identifier -> DBInstanceAlreadyExists",
          error_of(rds.create_db_instance, DBInstanceIdentifier="shop-db", **base)[0] == "DBInstanceAlreadyExists")
    bad_class = dict(base, DBInstanceClass="db.x9.huge")
    check("rds: a class outside the catalogue -> InvalidParameterCombination",
          error_of(rds.create_db_instance, DBInstanceIdentifier="x-db", **bad_class)[0] == "InvalidParameterCombination")
    check("rds: MultiAZ with an AvailabilityZone -> InvalidParameterCombination",
          error_of(rds.create_db_instance, DBInstanceIdentifier="x-db", MultiAZ=True, AvailabilityZone="us-east-1c",
                   **base)[0] == "InvalidParameterCombination")
    check("rds: identifier with two hyphens -> InvalidParameterValue",
          error_of(rds.create_db_instance, DBInstanceIdentifier="x--db", **base)[0] == "InvalidParameterValue")
    check("rds: 5 GiB of storage -> InvalidParameterValue",
          error_of(rds.create_db_instance, DBInstanceIdentifier="x-db", AllocatedStorage=5, **base)[0]
          == "InvalidParameterValue")
    check("rds: no AllocatedStorage (required for MySQL) -> InvalidParameterValue",
          error_of(rds.create_db_instance, DBInstanceIdentifier="x-db", **base)[0] == "InvalidParameterValue")
    check("rds: no master password -> InvalidParameterValue",
          error_of(rds.create_db_instance, DBInstanceIdentifier="x-db", DBInstanceClass="db.t3.medium", Engine="mysql",
                   MasterUsername="admin")[0] == "InvalidParameterValue")
    check("rds: a replica of an instance still creating -> InvalidDBInstanceState",
          error_of(rds.create_db_instance_read_replica, DBInstanceIdentifier="app-db-r1",
                   SourceDBInstanceIdentifier="app-db")[0] == "InvalidDBInstanceState")
    check("rds: a replica of an unknown source -> DBInstanceNotFound (404)",
          error_of(rds.create_db_instance_read_replica, DBInstanceIdentifier="x-db",
                   SourceDBInstanceIdentifier="nope") == ("DBInstanceNotFound", 404))
    t0 = srv.advance(0)
    # A replica of the scenario's instance, started now: it receives the simulated commits.
    rep = call("rds", "CreateDBInstanceReadReplica", rds.create_db_instance_read_replica,
               DBInstanceIdentifier="shop-db-r2", SourceDBInstanceIdentifier="shop-db")["DBInstance"]
    check("rds: replica of the scenario's instance: creating, names its source, Single-AZ",
          rep["DBInstanceStatus"] == "creating" and rep["ReadReplicaSourceDBInstanceIdentifier"] == "shop-db"
          and rep["MultiAZ"] is False and rep["DBInstanceClass"] == "db.m5.large", rep)
    check("rds: the scenario's instance lists both replicas",
          one("shop-db")["ReadReplicaDBInstanceIdentifiers"] == ["shop-db-replica", "shop-db-r2"],
          one("shop-db")["ReadReplicaDBInstanceIdentifiers"])
    srv.advance(479)
    check("rds: creating at 479 s", one("app-db")["DBInstanceStatus"] == "creating")
    srv.advance(2)
    check("rds: backing-up at 481 s (the first backup's 120 s)", one("app-db")["DBInstanceStatus"] == "backing-up")
    srv.advance(120)
    d = one("app-db")
    check("rds: available at 601 s with Endpoint.Address / Port",
          d["DBInstanceStatus"] == "available" and d["Endpoint"]["Port"] == 3306
          and d["Endpoint"]["Address"] == "app-db.c9akciq32.us-east-1.rds.amazonaws.com", d)
    rr = one("shop-db-r2")
    check("rds: the scenario's new replica available, replicating", rr["DBInstanceStatus"] == "available"
          and rr["StatusInfos"] == [{"StatusType": "read replication", "Normal": True, "Status": "replicating"}], rr)
    lag_check(srv, "shop-db-r2", t0)
    # A replica of the created instance, in another AZ.
    rep = rds.create_db_instance_read_replica(DBInstanceIdentifier="app-db-r1", SourceDBInstanceIdentifier="app-db",
                                              AvailabilityZone="us-east-1c")["DBInstance"]
    check("rds: replica of a created instance: creating in us-east-1c",
          rep["DBInstanceStatus"] == "creating" and rep["AvailabilityZone"] == "us-east-1c", rep)
    check("rds: the replica's identifier taken -> DBInstanceAlreadyExists",
          error_of(rds.create_db_instance_read_replica, DBInstanceIdentifier="app-db-r1",
                   SourceDBInstanceIdentifier="app-db")[0] == "DBInstanceAlreadyExists")
    srv.advance(601)
    check("rds: both sides of the link after 600 s", one("app-db")["ReadReplicaDBInstanceIdentifiers"] == ["app-db-r1"]
          and one("app-db-r1")["ReadReplicaSourceDBInstanceIdentifier"] == "app-db"
          and one("app-db-r1")["DBInstanceStatus"] == "available", (one("app-db"), one("app-db-r1")))
    # ForceFailover on the created Multi-AZ instance (the model's U(60, 120) s window).
    d = rds.reboot_db_instance(DBInstanceIdentifier="app-db", ForceFailover=True)["DBInstance"]
    check("rds: ForceFailover on a created Multi-AZ instance: rebooting", d["DBInstanceStatus"] == "rebooting", d)
    check("rds: ForceFailover on the created replica (Single-AZ) -> InvalidParameterCombination",
          error_of(rds.reboot_db_instance, DBInstanceIdentifier="app-db-r1", ForceFailover=True)[0]
          == "InvalidParameterCombination")
    srv.advance(121)
    d = one("app-db")
    check("rds: available 121 s later in the former standby's AZ", d["DBInstanceStatus"] == "available"
          and d["AvailabilityZone"] == "us-east-1b" and d["SecondaryAvailabilityZone"] == "us-east-1a", d)
    # PromoteReadReplica: modifying for 180 s, then standalone.
    check("rds: PromoteReadReplica of a non-replica -> InvalidDBInstanceState",
          error_of(rds.promote_read_replica, DBInstanceIdentifier="app-db")[0] == "InvalidDBInstanceState")
    d = call("rds", "PromoteReadReplica", rds.promote_read_replica, DBInstanceIdentifier="app-db-r1")["DBInstance"]
    check("rds: PromoteReadReplica answers modifying", d["DBInstanceStatus"] == "modifying", d)
    srv.advance(181)
    d = one("app-db-r1")
    check("rds: promoted after 180 s: available, no source, not listed by app-db",
          d["DBInstanceStatus"] == "available" and "ReadReplicaSourceDBInstanceIdentifier" not in d
          and one("app-db")["ReadReplicaDBInstanceIdentifiers"] == [], d)
    # DeleteDBInstance: AWS's final-snapshot rules, then deleting -> gone.
    check("rds: delete without SkipFinalSnapshot or a snapshot name -> InvalidParameterCombination",
          error_of(rds.delete_db_instance, DBInstanceIdentifier="app-db")[0] == "InvalidParameterCombination")
    check("rds: SkipFinalSnapshot with a snapshot name -> InvalidParameterCombination",
          error_of(rds.delete_db_instance, DBInstanceIdentifier="app-db", SkipFinalSnapshot=True,
                   FinalDBSnapshotIdentifier="app-db-final")[0] == "InvalidParameterCombination")
    check("rds: a final snapshot of a replica -> InvalidParameterCombination",
          error_of(rds.delete_db_instance, DBInstanceIdentifier="shop-db-r2",
                   FinalDBSnapshotIdentifier="r2-final")[0] == "InvalidParameterCombination")
    check("rds: a snapshot name ending with a hyphen -> InvalidParameterValue",
          error_of(rds.delete_db_instance, DBInstanceIdentifier="app-db", FinalDBSnapshotIdentifier="final-")[0]
          == "InvalidParameterValue")
    check("rds: deleting the scenario's instance -> InvalidParameterValue (not simulated)",
          error_of(rds.delete_db_instance, DBInstanceIdentifier="shop-db", SkipFinalSnapshot=True)[0]
          == "InvalidParameterValue")
    check("rds: deleting an unknown instance -> DBInstanceNotFound",
          error_of(rds.delete_db_instance, DBInstanceIdentifier="nope", SkipFinalSnapshot=True)[0] == "DBInstanceNotFound")
    d = call("rds", "DeleteDBInstance", rds.delete_db_instance, DBInstanceIdentifier="app-db",
             FinalDBSnapshotIdentifier="app-db-final")["DBInstance"]
    check("rds: DeleteDBInstance with a final snapshot: deleting", d["DBInstanceStatus"] == "deleting", d)
    check("rds: deleting again -> InvalidDBInstanceState",
          error_of(rds.delete_db_instance, DBInstanceIdentifier="app-db", SkipFinalSnapshot=True)[0]
          == "InvalidDBInstanceState")
    check("rds: the same snapshot name again -> DBSnapshotAlreadyExists",
          error_of(rds.delete_db_instance, DBInstanceIdentifier="app-db-r1", FinalDBSnapshotIdentifier="app-db-final")[0]
          == "DBSnapshotAlreadyExists")
    check("rds: a replica without SkipFinalSnapshot -> InvalidParameterCombination",
          error_of(rds.delete_db_instance, DBInstanceIdentifier="shop-db-r2")[0] == "InvalidParameterCombination")
    d = rds.delete_db_instance(DBInstanceIdentifier="shop-db-r2", SkipFinalSnapshot=True)["DBInstance"]
    check("rds: a replica deleted with SkipFinalSnapshot: deleting", d["DBInstanceStatus"] == "deleting", d)
    srv.advance(119)
    check("rds: still deleting at 119 s", one("app-db")["DBInstanceStatus"] == "deleting")
    srv.advance(2)
    check("rds: gone after 120 s -> DBInstanceNotFound",
          error_of(rds.describe_db_instances, DBInstanceIdentifier="app-db") == ("DBInstanceNotFound", 404))
    check("rds: the scenario's instance lists its own replica only again",
          one("shop-db")["ReadReplicaDBInstanceIdentifiers"] == ["shop-db-replica"])


def lag_check(srv, replica, t0):
    """ReplicaLag of the scenario's new replica in CloudWatch (AWS/RDS, DBInstanceIdentifier): the
    relay log filled during the 600 s of creation and drained after (2 ms per transaction), so the
    lag is near 600 s at first and back to 0 a minute later."""
    saved = botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS
    botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = ("json",)
    try:
        cw = srv.client("cloudwatch")
    finally:
        botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = saved
    srv.advance(120)
    epoch = scenario_t0(os.path.join(ROOT, "scenarios", "rds-failover.json"))
    pts = cw.get_metric_statistics(Namespace="AWS/RDS", MetricName="ReplicaLag",
                                   Dimensions=[{"Name": "DBInstanceIdentifier", "Value": replica}],
                                   StartTime=epoch + datetime.timedelta(seconds=t0),
                                   EndTime=epoch + datetime.timedelta(seconds=t0 + 720), Period=60,
                                   Statistics=["Maximum"])["Datapoints"]
    by_min = {int((p["Timestamp"] - epoch).total_seconds() - t0) // 60: p["Maximum"] for p in pts}
    check("rds: ReplicaLag of the new replica ~600 s when it becomes available, 0 a minute later",
          550 <= by_min.get(10, 0) <= 601 and by_min.get(11, -1) == 0, by_min)


def test_rds_cli(srv):
    cli_value(srv, "rds create-db-instance: creating", "creating", "rds", "create-db-instance",
              "--db-instance-identifier", "cli-db", "--db-instance-class", "db.m5.large", "--engine", "mysql",
              "--master-username", "admin", "--master-user-password", "secret123", "--allocated-storage", "100",
              "--query", "DBInstance.DBInstanceStatus")
    cli_error(srv, "rds create-db-instance again: DBInstanceAlreadyExists", "DBInstanceAlreadyExists", "rds",
              "create-db-instance", "--db-instance-identifier", "cli-db", "--db-instance-class", "db.m5.large",
              "--engine", "mysql", "--master-username", "admin", "--master-user-password", "secret123")
    srv.advance(600)
    cli_value(srv, "rds describe-db-instances: available on 3306, gp3 by default", ["available", 3306, "gp3"], "rds",
              "describe-db-instances", "--db-instance-identifier", "CLI-DB", "--query",
              "DBInstances[0].[DBInstanceStatus, Endpoint.Port, StorageType]")
    cli_value(srv, "rds create-db-instance-read-replica: creating from cli-db", ["creating", "cli-db"], "rds",
              "create-db-instance-read-replica", "--db-instance-identifier", "cli-db-r", "--source-db-instance-identifier",
              "cli-db", "--query", "DBInstance.[DBInstanceStatus, ReadReplicaSourceDBInstanceIdentifier]")
    cli_error(srv, "rds promote-read-replica while creating: InvalidDBInstanceState", "InvalidDBInstanceState", "rds",
              "promote-read-replica", "--db-instance-identifier", "cli-db-r")
    srv.advance(600)
    cli_value(srv, "rds describe-db-instances: the source lists its replica", ["cli-db-r"], "rds",
              "describe-db-instances", "--db-instance-identifier", "cli-db", "--query",
              "DBInstances[0].ReadReplicaDBInstanceIdentifiers")
    cli_value(srv, "rds promote-read-replica: modifying", "modifying", "rds", "promote-read-replica",
              "--db-instance-identifier", "cli-db-r", "--query", "DBInstance.DBInstanceStatus")
    cli_error(srv, "rds delete-db-instance without a snapshot choice: InvalidParameterCombination",
              "InvalidParameterCombination", "rds", "delete-db-instance", "--db-instance-identifier", "cli-db")
    cli_value(srv, "rds delete-db-instance --skip-final-snapshot: deleting", "deleting", "rds", "delete-db-instance",
              "--db-instance-identifier", "cli-db", "--skip-final-snapshot", "--query", "DBInstance.DBInstanceStatus")
    srv.advance(180)
    cli_value(srv, "rds describe-db-instances: cli-db gone, cli-db-r standalone", [["cli-db-r", "available", None]],
              "rds", "describe-db-instances", "--query",
              "DBInstances[?starts_with(DBInstanceIdentifier, 'cli')].[DBInstanceIdentifier, DBInstanceStatus, "
              "ReadReplicaSourceDBInstanceIdentifier]")
    cli_error(srv, "rds describe-db-instances of the deleted one: DBInstanceNotFound", "DBInstanceNotFound", "rds",
              "describe-db-instances", "--db-instance-identifier", "cli-db")


# --- EKS -----------------------------------------------------------------------------------------

def test_eks(srv):
    eks = srv.client("eks")
    vpc = {"subnetIds": ["subnet-a", "subnet-b"]}
    c = call("eks", "CreateCluster", eks.create_cluster, name="staging", roleArn=ROLE, resourcesVpcConfig=vpc)["cluster"]
    check("eks: CreateCluster answers CREATING without an endpoint", c["status"] == "CREATING" and "endpoint" not in c
          and c["resourcesVpcConfig"]["subnetIds"] == ["subnet-a", "subnet-b"], c)
    check("eks: ListClusters: the scenario's and the new one", eks.list_clusters()["clusters"] == ["shop", "staging"])
    check("eks: the same name again -> ResourceInUseException (409)",
          error_of(eks.create_cluster, name="staging", roleArn=ROLE, resourcesVpcConfig=vpc)
          == ("ResourceInUseException", 409))
    check("eks: the scenario's cluster name -> ResourceInUseException",
          error_of(eks.create_cluster, name="shop", roleArn=ROLE, resourcesVpcConfig=vpc)[0] == "ResourceInUseException")
    check("eks: one subnet -> InvalidParameterException (400)",
          error_of(eks.create_cluster, name="solo", roleArn=ROLE, resourcesVpcConfig={"subnetIds": ["subnet-a"]})
          == ("InvalidParameterException", 400))
    ng = dict(subnets=["subnet-a", "subnet-b"], nodeRole=NODE_ROLE)
    check("eks: a node group on a CREATING cluster -> InvalidRequestException",
          error_of(eks.create_nodegroup, clusterName="staging", nodegroupName="workers", **ng)[0]
          == "InvalidRequestException")
    srv.advance(599)
    check("eks: CREATING at 599 s", eks.describe_cluster(name="staging")["cluster"]["status"] == "CREATING")
    srv.advance(2)
    c = eks.describe_cluster(name="staging")["cluster"]
    check("eks: ACTIVE at 601 s with its endpoint (this server's Kubernetes API for the cluster)", c["status"] == "ACTIVE"
          and re.fullmatch(r"https://127\.0\.0\.1:\d+/_migsim/eks/staging", c["endpoint"]) is not None, c)
    g = call("eks", "CreateNodegroup", eks.create_nodegroup, clusterName="staging", nodegroupName="workers",
             instanceTypes=["m5.large"], scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": 2}, **ng)["nodegroup"]
    check("eks: CreateNodegroup answers CREATING with its scaling config", g["status"] == "CREATING"
          and g["scalingConfig"] == {"minSize": 1, "maxSize": 3, "desiredSize": 2}
          and g["instanceTypes"] == ["m5.large"] and g["subnets"] == ["subnet-a", "subnet-b"], g)
    check("eks: an instance type outside the catalogue -> InvalidParameterException",
          error_of(eks.create_nodegroup, clusterName="staging", nodegroupName="tiny", instanceTypes=["t2.nano"], **ng)[0]
          == "InvalidParameterException")
    check("eks: minSize above maxSize -> InvalidParameterException",
          error_of(eks.create_nodegroup, clusterName="staging", nodegroupName="bad",
                   scalingConfig={"minSize": 4, "maxSize": 2, "desiredSize": 3}, **ng)[0] == "InvalidParameterException")
    check("eks: the same node group again -> ResourceInUseException",
          error_of(eks.create_nodegroup, clusterName="staging", nodegroupName="workers", **ng)[0]
          == "ResourceInUseException")
    check("eks: a node group on an unknown cluster -> ResourceNotFoundException (404)",
          error_of(eks.create_nodegroup, clusterName="nope", nodegroupName="w", **ng) == ("ResourceNotFoundException", 404))
    check("eks: DeleteCluster with a node group -> ResourceInUseException",
          error_of(eks.delete_cluster, name="staging")[0] == "ResourceInUseException")
    srv.advance(119)
    check("eks: node group CREATING at 119 s",
          eks.describe_nodegroup(clusterName="staging", nodegroupName="workers")["nodegroup"]["status"] == "CREATING")
    srv.advance(2)
    check("eks: node group ACTIVE at 121 s",
          eks.describe_nodegroup(clusterName="staging", nodegroupName="workers")["nodegroup"]["status"] == "ACTIVE")
    u = call("eks", "UpdateNodegroupConfig", eks.update_nodegroup_config, clusterName="staging",
             nodegroupName="workers", scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": 3})["update"]
    d = call("eks", "DescribeUpdate", eks.describe_update, name="staging", nodegroupName="workers", updateId=u["id"])
    check("eks: DescribeUpdate: InProgress with the new DesiredSize", d["update"]["status"] == "InProgress"
          and {"type": "DesiredSize", "value": "3"} in d["update"]["params"], d)
    lu = call("eks", "ListUpdates", eks.list_updates, name="staging", nodegroupName="workers")
    check("eks: ListUpdates of the node group lists it", lu["updateIds"] == [u["id"]], lu)
    check("eks: DescribeUpdate of an unknown id -> ResourceNotFoundException",
          error_of(eks.describe_update, name="staging", nodegroupName="workers", updateId="nope")[0]
          == "ResourceNotFoundException")
    srv.advance(121)
    check("eks: the update Successful after 120 s", eks.describe_update(
        name="staging", nodegroupName="workers", updateId=u["id"])["update"]["status"] == "Successful")
    g = call("eks", "DeleteNodegroup", eks.delete_nodegroup, clusterName="staging", nodegroupName="workers")["nodegroup"]
    check("eks: DeleteNodegroup answers DELETING", g["status"] == "DELETING", g)
    check("eks: deleting it again -> ResourceInUseException",
          error_of(eks.delete_nodegroup, clusterName="staging", nodegroupName="workers")[0] == "ResourceInUseException")
    srv.advance(299)
    check("eks: still listed at 299 s", eks.list_nodegroups(clusterName="staging")["nodegroups"] == ["workers"])
    srv.advance(2)
    check("eks: gone after 300 s -> ResourceNotFoundException",
          error_of(eks.describe_nodegroup, clusterName="staging", nodegroupName="workers")[0]
          == "ResourceNotFoundException" and eks.list_nodegroups(clusterName="staging")["nodegroups"] == [])
    c = call("eks", "DeleteCluster", eks.delete_cluster, name="staging")["cluster"]
    check("eks: DeleteCluster answers DELETING", c["status"] == "DELETING", c)
    srv.advance(301)
    check("eks: the cluster gone after 300 s", eks.list_clusters()["clusters"] == ["shop"]
          and error_of(eks.describe_cluster, name="staging") == ("ResourceNotFoundException", 404))

    # A node group on the scenario's simulated cluster: its nodes boot (90 s) and join (30 s).
    g = eks.create_nodegroup(clusterName="shop", nodegroupName="batch", instanceTypes=["m6i.large"],
                             scalingConfig={"minSize": 2, "maxSize": 4, "desiredSize": 2}, **ng)["nodegroup"]
    check("eks: node group on the simulated cluster: CREATING, 2 nodes launched", g["status"] == "CREATING"
          and g["scalingConfig"] == {"minSize": 2, "maxSize": 4, "desiredSize": 2}, g)
    check("eks: ListNodegroups of the simulated cluster", eks.list_nodegroups(clusterName="shop")["nodegroups"]
          == ["web", "batch"])
    srv.advance(119)
    check("eks: CREATING while its nodes boot and join (119 s)",
          eks.describe_nodegroup(clusterName="shop", nodegroupName="batch")["nodegroup"]["status"] == "CREATING")
    srv.advance(2)
    check("eks: ACTIVE once its 2 nodes are Ready (121 s)",
          eks.describe_nodegroup(clusterName="shop", nodegroupName="batch")["nodegroup"]["status"] == "ACTIVE")
    u = eks.update_nodegroup_config(clusterName="shop", nodegroupName="batch",
                                    scalingConfig={"minSize": 2, "maxSize": 4, "desiredSize": 4})["update"]
    check("eks: resize of the simulated group: InProgress while 2 more nodes boot",
          eks.describe_update(name="shop", nodegroupName="batch", updateId=u["id"])["update"]["status"] == "InProgress")
    srv.advance(121)
    check("eks: Successful once they are Ready, 4 nodes", eks.describe_update(
        name="shop", nodegroupName="batch", updateId=u["id"])["update"]["status"] == "Successful"
        and eks.describe_nodegroup(clusterName="shop", nodegroupName="batch")["nodegroup"]["scalingConfig"]["desiredSize"]
        == 4)
    check("eks: DeleteCluster of the simulated cluster -> ResourceInUseException",
          error_of(eks.delete_cluster, name="shop")[0] == "ResourceInUseException")
    g = eks.delete_nodegroup(clusterName="shop", nodegroupName="batch")["nodegroup"]
    check("eks: DeleteNodegroup on the simulated cluster: DELETING, its nodes drained",
          g["status"] == "DELETING" and g["scalingConfig"]["desiredSize"] == 0, g)
    srv.advance(301)
    check("eks: the simulated group gone after 300 s", eks.list_nodegroups(clusterName="shop")["nodegroups"] == ["web"])


def test_eks_cli(srv):
    cli_value(srv, "eks create-cluster: CREATING", "CREATING", "eks", "create-cluster", "--name", "cli", "--role-arn",
              ROLE, "--resources-vpc-config", "subnetIds=subnet-a,subnet-b", "--query", "cluster.status")
    cli_error(srv, "eks create-cluster again: ResourceInUseException", "ResourceInUseException", "eks",
              "create-cluster", "--name", "cli", "--role-arn", ROLE, "--resources-vpc-config", "subnetIds=subnet-a,subnet-b")
    srv.advance(600)
    cli_value(srv, "eks describe-cluster: ACTIVE", "ACTIVE", "eks", "describe-cluster", "--name", "cli", "--query",
              "cluster.status")
    cli_value(srv, "eks create-nodegroup: CREATING, desired 1", ["CREATING", 1], "eks", "create-nodegroup",
              "--cluster-name", "cli", "--nodegroup-name", "ng", "--subnets", "subnet-a", "--node-role", NODE_ROLE,
              "--instance-types", "c6i.large", "--scaling-config", "minSize=1,maxSize=2,desiredSize=1", "--query",
              "nodegroup.[status, scalingConfig.desiredSize]")
    cli_error(srv, "eks create-nodegroup m1.small: InvalidParameterException", "InvalidParameterException", "eks",
              "create-nodegroup", "--cluster-name", "cli", "--nodegroup-name", "old", "--subnets", "subnet-a",
              "--node-role", NODE_ROLE, "--instance-types", "m1.small")
    srv.advance(120)
    cli_value(srv, "eks describe-nodegroup: ACTIVE", "ACTIVE", "eks", "describe-nodegroup", "--cluster-name", "cli",
              "--nodegroup-name", "ng", "--query", "nodegroup.status")
    code, out, err = srv.aws("eks", "update-nodegroup-config", "--cluster-name", "cli", "--nodegroup-name", "ng",
                             "--scaling-config", "minSize=1,maxSize=2,desiredSize=2", "--query", "update.id")
    check("cli: eks update-nodegroup-config answers an update id", code == 0 and isinstance(out, str), (code, out, err))
    cli_value(srv, "eks list-updates: that id", [out], "eks", "list-updates", "--name", "cli", "--nodegroup-name", "ng",
              "--query", "updateIds")
    cli_value(srv, "eks describe-update: InProgress", "InProgress", "eks", "describe-update", "--name", "cli",
              "--nodegroup-name", "ng", "--update-id", str(out), "--query", "update.status")
    cli_error(srv, "eks delete-cluster with a node group: ResourceInUseException", "ResourceInUseException", "eks",
              "delete-cluster", "--name", "cli")
    srv.advance(120)
    cli_value(srv, "eks describe-update: Successful", "Successful", "eks", "describe-update", "--name", "cli",
              "--nodegroup-name", "ng", "--update-id", str(out), "--query", "update.status")
    cli_value(srv, "eks delete-nodegroup: DELETING", "DELETING", "eks", "delete-nodegroup", "--cluster-name", "cli",
              "--nodegroup-name", "ng", "--query", "nodegroup.status")
    srv.advance(300)
    cli_value(srv, "eks delete-cluster: DELETING", "DELETING", "eks", "delete-cluster", "--name", "cli", "--query",
              "cluster.status")
    srv.advance(300)
    cli_error(srv, "eks describe-cluster after deletion: ResourceNotFoundException", "ResourceNotFoundException", "eks",
              "describe-cluster", "--name", "cli")


# --- moto (the table) ----------------------------------------------------------------------------

def moto_calls(url):
    """The same happy-path boto3 calls against moto_server, with no clock (moto's states are instant)."""
    rds, eks = one_try_client("rds", url), one_try_client("eks", url)
    base = dict(DBInstanceClass="db.t3.medium", Engine="mysql", MasterUsername="admin", MasterUserPassword="secret123")
    call("rds", "CreateDBInstance", rds.create_db_instance, DBInstanceIdentifier="app-db", MultiAZ=True,
         AllocatedStorage=50, StorageType="gp3", **base)
    call("rds", "CreateDBInstanceReadReplica", rds.create_db_instance_read_replica, DBInstanceIdentifier="app-db-r1",
         SourceDBInstanceIdentifier="app-db")
    call("rds", "PromoteReadReplica", rds.promote_read_replica, DBInstanceIdentifier="app-db-r1")
    call("rds", "DeleteDBInstance", rds.delete_db_instance, DBInstanceIdentifier="app-db",
         FinalDBSnapshotIdentifier="app-db-final")
    vpc = {"subnetIds": ["subnet-a", "subnet-b"]}
    call("eks", "CreateCluster", eks.create_cluster, name="staging", roleArn=ROLE, resourcesVpcConfig=vpc)
    call("eks", "CreateNodegroup", eks.create_nodegroup, clusterName="staging", nodegroupName="workers",
         instanceTypes=["m5.large"], scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": 2},
         subnets=["subnet-a", "subnet-b"], nodeRole=NODE_ROLE)
    u = call("eks", "UpdateNodegroupConfig", eks.update_nodegroup_config, clusterName="staging",
             nodegroupName="workers", scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": 3})
    uid = u["update"]["id"] if u else "none"
    call("eks", "DescribeUpdate", eks.describe_update, name="staging", nodegroupName="workers", updateId=uid)
    call("eks", "ListUpdates", eks.list_updates, name="staging", nodegroupName="workers")
    call("eks", "DeleteNodegroup", eks.delete_nodegroup, clusterName="staging", nodegroupName="workers")
    call("eks", "DeleteCluster", eks.delete_cluster, name="staging")


def serve(migsim, path, body):
    with Server(migsim, path) as srv:
        if check("serve starts: " + os.path.basename(path), srv.listening(30) is not None):
            for section in body:
                try:
                    section(srv)
                except Exception as e:  # a crash is one failure
                    check(f"no exception in {section.__name__}", False, repr(e))
            check("server still running", srv.proc.poll() is None, srv.proc.poll())
        srv.stop(10)


def run_moto():
    port = free_port()
    proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        if wait_connectable(port):
            counting[0] = False
            moto_calls(f"http://127.0.0.1:{port}")
            counting[0] = True
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main():
    args = sys.argv[1:]
    table = None
    if "--table" in args:
        table = args[args.index("--table") + 1]
        del args[args.index("--table"):args.index("--table") + 2]
    migsim = os.path.abspath(args[0]) if args else os.path.join(ROOT, "build", "migsim")
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(ROOT, "scenarios", "rds-failover.json")) as f:
            doc = json.load(f)
        doc["rds"]["read_replica"] = {}
        path = os.path.join(tmp, "rds-failover-replica.json")
        with open(path, "w") as f:
            json.dump(doc, f)
        serve(migsim, path, [test_rds, test_rds_cli])
    serve(migsim, os.path.join(ROOT, "scenarios", "eks-black-friday.json"), [test_eks, test_eks_cli])
    if table:
        ours = dict(outcomes)
        outcomes.clear()
        run_moto()
        rows = ["| service | operation | migsim | moto 5.2.1 |", "|---|---|---|---|"]
        for key in sorted(set(ours) | set(outcomes)):
            svc, op = key.split(" ", 1)
            rows.append(f"| {svc} | {op} | {ours.get(key, '-')} | {outcomes.get(key, 'not called')} |")
        with open(table, "w") as f:
            f.write("\n".join(rows) + "\n")
        print(f"table written to {table}")
    return summary(started)


if __name__ == "__main__":
    sys.exit(main())
