#!/usr/bin/env python3
"""RDS and EKS of `migsim serve` driven by the AWS CLI (`aws --endpoint-url ...`, unmodified), every
operation, values read with --query and checked against what the simulation does:
  - RDS on scenarios/rds-failover.json plus a read replica: reboot-db-instance --force-failover
    keeps the instance rebooting for the documented 60-120 s, then it is available in the former
    standby's AZ; modify-db-instance deferred (pending) and immediate (modifying for 300 s).
  - EKS on scenarios/eks-black-friday.json: the cluster and its node group; update-nodegroup-config
    makes the simulation launch nodes, which describe-nodegroup's desiredSize shows.

Usage: python3 tests/e2e/test_serve_rds_eks_cli.py <path to migsim>   (from the repo root)
Prints "N passed, M failed"; exits 1 on a failure.
"""
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import ROOT, check, serve_checked, summary  # noqa: E402

DB = "DBInstances[0].[DBInstanceStatus, AvailabilityZone, SecondaryAvailabilityZone]"


def rds(srv):
    dbs = srv.cli("rds", "describe-db-instances", "--query",
                  "DBInstances[].[DBInstanceIdentifier, DBInstanceStatus, MultiAZ, DBInstanceClass, AllocatedStorage]")
    check("rds describe-db-instances: the Multi-AZ primary and its Single-AZ replica",
          dbs == [["shop-db", "available", True, "db.m5.large", 500],
                  ["shop-db-replica", "available", False, "db.m5.large", 500]], dbs)
    check("rds describe-db-instances of an unknown id: DBInstanceNotFound",
          srv.cli_error("rds", "describe-db-instances", "--db-instance-identifier", "nope") == "DBInstanceNotFound")
    check("rds reboot-db-instance --force-failover of the Single-AZ replica: InvalidParameterCombination",
          srv.cli_error("rds", "reboot-db-instance", "--db-instance-identifier", "shop-db-replica", "--force-failover")
          == "InvalidParameterCombination")
    srv.advance(100)
    status = srv.cli("rds", "reboot-db-instance", "--db-instance-identifier", "shop-db", "--force-failover",
                     "--query", "DBInstance.DBInstanceStatus")
    check("rds reboot-db-instance --force-failover: rebooting", status == "rebooting", status)
    srv.advance(59)
    db = srv.cli("rds", "describe-db-instances", "--db-instance-identifier", "shop-db", "--query", DB)
    check("rds describe-db-instances 59 s later: still rebooting in us-east-1a", db[:2] == ["rebooting", "us-east-1a"],
          db)
    srv.advance(71)
    db = srv.cli("rds", "describe-db-instances", "--db-instance-identifier", "shop-db", "--query", DB)
    check("rds describe-db-instances 130 s later: available, the AZs swapped",
          db == ["available", "us-east-1b", "us-east-1a"], db)
    mod = srv.cli("rds", "modify-db-instance", "--db-instance-identifier", "shop-db", "--db-instance-class",
                  "db.m5.xlarge", "--no-apply-immediately", "--query",
                  "DBInstance.[DBInstanceClass, PendingModifiedValues.DBInstanceClass]")
    check("rds modify-db-instance --no-apply-immediately: pending db.m5.xlarge", mod == ["db.m5.large", "db.m5.xlarge"],
          mod)
    mod = srv.cli("rds", "modify-db-instance", "--db-instance-identifier", "shop-db", "--allocated-storage", "600",
                  "--apply-immediately", "--query", "DBInstance.[DBInstanceStatus, AllocatedStorage]")
    check("rds modify-db-instance --apply-immediately 600 GiB: modifying", mod == ["modifying", 600], mod)
    check("rds reboot-db-instance while modifying: InvalidDBInstanceState",
          srv.cli_error("rds", "reboot-db-instance", "--db-instance-identifier", "shop-db")
          == "InvalidDBInstanceState")
    srv.advance(301)
    db = srv.cli("rds", "describe-db-instances", "--db-instance-identifier", "shop-db", "--query",
                 "DBInstances[0].[DBInstanceStatus, AllocatedStorage]")
    check("rds describe-db-instances after the 300 s modification: available, 600 GiB", db == ["available", 600], db)


def eks(srv):
    check("eks list-clusters: the scenario's cluster", srv.cli("eks", "list-clusters", "--query", "clusters") == ["shop"])
    c = srv.cli("eks", "describe-cluster", "--name", "shop", "--query",
                "cluster.[status, arn, resourcesVpcConfig.endpointPrivateAccess]")
    check("eks describe-cluster: ACTIVE, its ARN, private endpoint",
          c == ["ACTIVE", "arn:aws:eks:us-east-1:000000000000:cluster/shop", True], c)
    check("eks describe-cluster of an unknown cluster: ResourceNotFoundException",
          srv.cli_error("eks", "describe-cluster", "--name", "nope") == "ResourceNotFoundException")
    check("eks list-nodegroups", srv.cli("eks", "list-nodegroups", "--cluster-name", "shop", "--query", "nodegroups")
          == ["web"])
    query = "nodegroup.[instanceTypes[0], length(subnets), scalingConfig]"
    ng = srv.cli("eks", "describe-nodegroup", "--cluster-name", "shop", "--nodegroup-name", "web", "--query", query)
    check("eks describe-nodegroup: m5.large in 3 subnets, 3..12, 3 nodes at t = 0",
          ng == ["m5.large", 3, {"minSize": 3, "maxSize": 12, "desiredSize": 3}], ng)
    u = srv.cli("eks", "update-nodegroup-config", "--cluster-name", "shop", "--nodegroup-name", "web",
                "--scaling-config", "minSize=5,maxSize=12,desiredSize=6", "--query", "update.[status, type, params]")
    check("eks update-nodegroup-config: an InProgress ConfigUpdate with the new sizes",
          isinstance(u, list) and u[:2] == ["InProgress", "ConfigUpdate"]
          and {p["type"]: p["value"] for p in u[2]} == {"MinSize": "5", "MaxSize": "12", "DesiredSize": "6"}, u)
    srv.advance(300)
    ng = srv.cli("eks", "describe-nodegroup", "--cluster-name", "shop", "--nodegroup-name", "web", "--query",
                 "nodegroup.scalingConfig")
    check("eks describe-nodegroup 5 min later: the simulation runs 6 nodes, min 5",
          ng == {"minSize": 5, "maxSize": 12, "desiredSize": 6}, ng)
    check("eks update-nodegroup-config with min above max: InvalidParameterException", srv.cli_error(
        "eks", "update-nodegroup-config", "--cluster-name", "shop", "--nodegroup-name", "web", "--scaling-config",
        "minSize=8,maxSize=4,desiredSize=6") == "InvalidParameterException")


def main():
    migsim = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "build/migsim"
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(ROOT, "scenarios", "rds-failover.json")) as f:
            doc = json.load(f)
        doc["rds"]["read_replica"] = {}
        path = os.path.join(tmp, "rds-failover-replica.json")
        with open(path, "w") as f:
            json.dump(doc, f)
        for scenario, body in ((path, rds), (os.path.join(ROOT, "scenarios", "eks-black-friday.json"), eks)):
            serve_checked(migsim, scenario, body, "serve starts: " + os.path.basename(scenario))
    return summary(started)


if __name__ == "__main__":
    sys.exit(main())
