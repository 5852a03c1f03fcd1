#!/usr/bin/env python3
"""A DMS replication config created through the API (CreateReplicationConfig), driven with boto3 like
the scenario's: StartReplication, DescribeReplications, DescribeReplicationTableStatistics and
StopReplication accept it, and its replication replicates with the scenario's physics (the scenario's
source database over the VPN): starting -> running, the full load of the scenario's tables advancing
with simulated time, then CDC; a stop keeps the checkpoint and resume-processing starts from it.
Endpoints it cannot replicate between (a source that is not the scenario's source database) answer
InvalidResourceStateFault; a config with a running replication cannot be deleted.

usage: test_serve_dms_api_replication.py MIGSIM
"""
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from checks import check, summary  # noqa: E402
from serve_fixture import Serve, aws_error, small_scenario  # noqa: E402


def config(dms, ident, source_arn, target_arn):
    return dms.create_replication_config(
        ReplicationConfigIdentifier=ident, SourceEndpointArn=source_arn, TargetEndpointArn=target_arn,
        ReplicationType="full-load-and-cdc", ComputeConfig={"MinCapacityUnits": 2, "MaxCapacityUnits": 16},
        TableMappings=json.dumps({"rules": []}))["ReplicationConfig"]["ReplicationConfigArn"]


def replication(dms, arn):
    reps = dms.describe_replications(Filters=[{"Name": "replication-config-arn", "Values": [arn]}])["Replications"]
    return reps[0] if reps else {}


def run(srv):
    dms = srv.client("dms")
    src = dms.create_endpoint(EndpointIdentifier="api-source", EndpointType="source", EngineName="mysql",
                              ServerName="db", Port=3306)["Endpoint"]["EndpointArn"]
    dst = dms.create_endpoint(EndpointIdentifier="api-target", EndpointType="target", EngineName="mysql",
                              ServerName="rds", Port=3306)["Endpoint"]["EndpointArn"]
    arn = config(dms, "api-copy", src, dst)

    rep = replication(dms, arn)
    check("DescribeReplications lists the API-created config's replication, created", rep.get("Status") == "created", rep)
    stats = dms.describe_replication_table_statistics(ReplicationConfigArn=arn)["ReplicationTableStatistics"]
    check("DescribeReplicationTableStatistics accepts it (no statistics before a start)", stats == [], stats)
    check("StopReplication before a start: InvalidResourceStateFault",
          aws_error(lambda: dms.stop_replication(ReplicationConfigArn=arn))[0] == "InvalidResourceStateFault")

    started = dms.start_replication(ReplicationConfigArn=arn, StartReplicationType="start-replication")["Replication"]
    check("StartReplication accepts it", started.get("ReplicationConfigArn") == arn and started.get("Status") != "created",
          started)
    seen, pct = [], []
    for _ in range(300):
        rep = replication(dms, arn)
        if not seen or seen[-1] != rep["Status"]:
            seen.append(rep["Status"])
        if rep["Status"] == "running":
            pct.append(rep["ReplicationStats"]["FullLoadProgressPercent"])
            if len(pct) >= 3 and pct[-1] > pct[0]:
                break
        srv.advance(5 if pct else 30)
    check("its replication starts, runs, and its full load advances with simulated time",
          seen and seen[-1] == "running" and len(seen) >= 3 and pct == sorted(pct) and pct[-1] > pct[0], (seen, pct))
    stats = dms.describe_replication_table_statistics(ReplicationConfigArn=arn)["ReplicationTableStatistics"]
    scenario_tables = sorted(t["TableName"] for t in dms.describe_replication_table_statistics(
        ReplicationConfigArn=dms.describe_replication_configs()["ReplicationConfigs"][0]["ReplicationConfigArn"])
        ["ReplicationTableStatistics"])
    check("its table statistics are the scenario's source tables", sorted(t["TableName"] for t in stats)
          == scenario_tables and len(stats) > 0, (stats, scenario_tables))
    check("a config with a running replication cannot be deleted",
          aws_error(lambda: dms.delete_replication_config(ReplicationConfigArn=arn))[0] == "InvalidResourceStateFault")

    for _ in range(200):  # to the end of the full load: CDC
        rep = replication(dms, arn)
        if rep["ReplicationStats"].get("FullLoadFinishDate"):
            break
        srv.advance(60)
    check("its full load finishes (then CDC runs)", "FullLoadFinishDate" in rep["ReplicationStats"]
          and rep["Status"] == "running", rep)

    stopped = dms.stop_replication(ReplicationConfigArn=arn)["Replication"]
    check("StopReplication accepts it", stopped.get("Status") in ("stopping", "stopped"), stopped)
    srv.advance(120)
    check("stopped", replication(dms, arn).get("Status") == "stopped", replication(dms, arn))
    resumed = dms.start_replication(ReplicationConfigArn=arn, StartReplicationType="resume-processing")["Replication"]
    check("resume-processing is accepted and keeps the full load done", resumed.get("Status") != "stopped"
          and resumed["ReplicationStats"]["FullLoadProgressPercent"] == 100, resumed)

    other = dms.create_endpoint(EndpointIdentifier="web-source", EndpointType="source", EngineName="mysql",
                                ServerName="frontend", Port=3306)["Endpoint"]["EndpointArn"]
    bad = config(dms, "not-the-database", other, dst)
    err = aws_error(lambda: dms.start_replication(ReplicationConfigArn=bad, StartReplicationType="start-replication"))
    check("a source that is not the scenario's source database: InvalidResourceStateFault",
          err[0] == "InvalidResourceStateFault", err)
    check("an unknown config: ResourceNotFoundFault", aws_error(lambda: dms.start_replication(
        ReplicationConfigArn=arn + "x", StartReplicationType="start-replication"))[0] == "ResourceNotFoundFault")


def main():
    migsim = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "scenario.json")
        small_scenario(path, "dms-api-replication")
        with Serve(migsim, path) as srv:
            if check("serve starts", srv.listening() is not None):
                try:
                    run(srv)
                except Exception as e:  # a crash is one failure
                    check("no exception", False, repr(e))
            check("serve stops", srv.stop(10) == 0)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
