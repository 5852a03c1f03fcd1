#!/usr/bin/env python3
"""RDS of `migsim serve` as boto3 sees it, on scenarios/rds-failover.json (plus a read replica).

Usage: python3 tests/e2e/test_serve_rds.py <path to migsim>   (from anywhere)

Runs the scenario paused (--speed 0), moves the simulated clock with POST /_migsim/clock, and checks
that DescribeDBInstances shows what the simulated instance does: available and Multi-AZ, rebooting
for the failover window RebootDBInstance ForceFailover starts (60-120 s, documented), then available
in the former standby's AZ; the scenario's own rds_failover event at t = 2000 takes the same path.
Errors come back as the AWS codes boto3 raises (DBInstanceNotFound, InvalidDBInstanceState,
InvalidParameterCombination). A scenario without an rds section has no DB instances.
Prints "N passed, M failed"; exits 1 on a failure.
"""
import datetime
import json
import os
import sys
import tempfile
import time

import boto3
import botocore.model

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import aws_error as error_of, check, scenario_t0, serve_checked, summary  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIO = os.path.join(HERE, "..", "..", "scenarios", "rds-failover.json")

# A small estate without an rds section.
NO_RDS = {
    "name": "no-rds", "seed": 1, "duration_s": 600,
    "platform": {
        "zones": [{"name": "internet"}, {"name": "onprem"}],
        "servers": [{"name": "web", "zone": "onprem", "cores": 2}],
        "links": [{"name": "uplink", "from_zone": "internet", "to_zone": "onprem"}],
        "services": [{"name": "api", "server": "web", "workers": 8}]},
    "workload": {"client_zone": "internet", "base_rps": 1,
                 "classes": [{"name": "get", "weight": 1, "response_kb": 1,
                              "stages": [{"service": "api", "cpu_ms": 1}]}]}}


def run(rds, srv):
    def one(ident):
        return rds.describe_db_instances(DBInstanceIdentifier=ident)["DBInstances"][0]

    dbs = {d["DBInstanceIdentifier"]: d for d in rds.describe_db_instances()["DBInstances"]}
    check("two DB instances: the primary and its read replica", sorted(dbs) == ["shop-db", "shop-db-replica"], dbs)
    p = dbs.get("shop-db", {})
    check("primary: available, Multi-AZ, db.m5.large, mysql", p.get("DBInstanceStatus") == "available"
          and p.get("MultiAZ") is True and p.get("DBInstanceClass") == "db.m5.large" and p.get("Engine") == "mysql", p)
    check("primary in us-east-1a, standby in us-east-1b", p.get("AvailabilityZone") == "us-east-1a"
          and p.get("SecondaryAvailabilityZone") == "us-east-1b", p)
    check("endpoint on port 3306", p.get("Endpoint", {}).get("Port") == 3306
          and p["Endpoint"]["Address"].startswith("shop-db."), p.get("Endpoint"))
    # gp3 from 400 GiB on RDS for MySQL: 12,000 IOPS and 500 MiB/s baseline (storage.hpp).
    check("500 GiB gp3: 12,000 IOPS, 500 MiB/s", p.get("AllocatedStorage") == 500 and p.get("StorageType") == "gp3"
          and p.get("Iops") == 12000 and p.get("StorageThroughput") == 500, p)
    check("the primary lists its replica", p.get("ReadReplicaDBInstanceIdentifiers") == ["shop-db-replica"], p)
    rr = dbs.get("shop-db-replica", {})
    check("the replica names its source, Single-AZ", rr.get("ReadReplicaSourceDBInstanceIdentifier") == "shop-db"
          and rr.get("MultiAZ") is False and "SecondaryAvailabilityZone" not in rr, rr)
    check("DBInstanceIdentifier filter", one("shop-db")["DBInstanceIdentifier"] == "shop-db")
    check("unknown id: DBInstanceNotFound (404)",
          error_of(lambda: rds.describe_db_instances(DBInstanceIdentifier="nope")) == ("DBInstanceNotFound", 404))
    check("ForceFailover on the Single-AZ replica: InvalidParameterCombination",
          error_of(lambda: rds.reboot_db_instance(DBInstanceIdentifier="shop-db-replica", ForceFailover=True))[0]
          == "InvalidParameterCombination")

    # Forced failover at t = 100: rebooting for U(60, 120) s, then available in the former standby's AZ.
    srv.advance(100)
    reply = rds.reboot_db_instance(DBInstanceIdentifier="shop-db", ForceFailover=True)["DBInstance"]
    check("RebootDBInstance ForceFailover answers rebooting", reply.get("DBInstanceStatus") == "rebooting", reply)
    p = one("shop-db")
    check("Describe: rebooting, still in us-east-1a", p["DBInstanceStatus"] == "rebooting"
          and p["AvailabilityZone"] == "us-east-1a", p)
    check("a second reboot while rebooting: InvalidDBInstanceState",
          error_of(lambda: rds.reboot_db_instance(DBInstanceIdentifier="shop-db", ForceFailover=True))[0]
          == "InvalidDBInstanceState")
    srv.advance(59)
    check("still rebooting 59 s later (window >= 60 s)", one("shop-db")["DBInstanceStatus"] == "rebooting")
    srv.advance(71)  # t = 230: 130 s after the reboot
    p = one("shop-db")
    check("available 130 s later, AZs swapped", p["DBInstanceStatus"] == "available"
          and p["AvailabilityZone"] == "us-east-1b" and p["SecondaryAvailabilityZone"] == "us-east-1a", p)

    # The API's failover took the simulated database down: requests failed in the minute of the
    # reboot (t = 100), none in the minute before (CloudWatch Migsim/Workload Errors).
    saved = botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS
    botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = ("json",)  # boto3 would pick CBOR
    try:
        cw = boto3.client("cloudwatch", endpoint_url=rds.meta.endpoint_url, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
    finally:
        botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = saved
    t0 = scenario_t0(SCENARIO)
    points = cw.get_metric_statistics(Namespace="Migsim/Workload", MetricName="Errors", StartTime=t0,
                                      EndTime=t0 + datetime.timedelta(seconds=120), Period=60,
                                      Statistics=["Sum"])["Datapoints"]
    errs = {int((d["Timestamp"] - t0).total_seconds()): d["Sum"] for d in points}
    check("errors in the minute of the API failover, none before", errs.get(0) == 0 and errs.get(60, 0) > 0, errs)

    # ModifyDBInstance: deferred (pending) and applied immediately.
    reply = rds.modify_db_instance(DBInstanceIdentifier="shop-db", DBInstanceClass="db.m5.xlarge",
                                   ApplyImmediately=False)["DBInstance"]
    check("ModifyDBInstance deferred: PendingModifiedValues, class unchanged",
          reply["PendingModifiedValues"].get("DBInstanceClass") == "db.m5.xlarge"
          and reply["DBInstanceClass"] == "db.m5.large", reply)
    reply = rds.modify_db_instance(DBInstanceIdentifier="shop-db", AllocatedStorage=600,
                                   ApplyImmediately=True)["DBInstance"]
    check("ModifyDBInstance AllocatedStorage 600 now: modifying", reply["DBInstanceStatus"] == "modifying"
          and reply["AllocatedStorage"] == 600, reply)
    check("decreasing storage: InvalidParameterValue",
          error_of(lambda: rds.modify_db_instance(DBInstanceIdentifier="shop-db", AllocatedStorage=100,
                                                  ApplyImmediately=True))[0] == "InvalidParameterValue")
    check("reboot while modifying: InvalidDBInstanceState",
          error_of(lambda: rds.reboot_db_instance(DBInstanceIdentifier="shop-db"))[0] == "InvalidDBInstanceState")
    srv.advance(301)
    check("available after the 300 s modification", one("shop-db")["DBInstanceStatus"] == "available")

    # The scenario's rds_failover event at t = 2000 takes the same path: back to us-east-1a.
    now = srv.advance(2001 - 531)
    p = one("shop-db")
    check("scenario event at t = 2000: rebooting", p["DBInstanceStatus"] == "rebooting", (now, p))
    srv.advance(130)
    p = one("shop-db")
    check("after the event's failover: back in us-east-1a", p["DBInstanceStatus"] == "available"
          and p["AvailabilityZone"] == "us-east-1a" and p["SecondaryAvailabilityZone"] == "us-east-1b", p)


def serve(migsim, path, body):
    serve_checked(migsim, path, lambda srv: body(srv.client("rds"), srv), "serve starts: " + os.path.basename(path),
                  check_stop=False)


def main():
    migsim = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "build/migsim"
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        with open(SCENARIO) as f:
            doc = json.load(f)
        doc["rds"]["read_replica"] = {}
        path = os.path.join(tmp, "rds-failover-replica.json")
        with open(path, "w") as f:
            json.dump(doc, f)
        serve(migsim, path, run)
        path = os.path.join(tmp, "no-rds.json")
        with open(path, "w") as f:
            json.dump(NO_RDS, f)

        def empty(rds, srv):
            check("no rds section: no DB instances", rds.describe_db_instances()["DBInstances"] == [])
            check("no rds section: DBInstanceNotFound for an id",
                  error_of(lambda: rds.describe_db_instances(DBInstanceIdentifier="shop-db"))[0]
                  == "DBInstanceNotFound")
        serve(migsim, path, empty)
    return summary(started)


if __name__ == "__main__":
    sys.exit(main())
