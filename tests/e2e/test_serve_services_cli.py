#!/usr/bin/env python3
"""Route 53, DMS and MGN of `migsim serve` driven by the AWS CLI (v1), unmodified, every operation,
with values checked via --query (text output, as a shell script would read them): the scenario's
serverless DMS replication polled from start to running with its full-load progress advancing in
simulated time, the API-created endpoints, configs, instances and tasks, Route 53 zones, records,
health checks, MGN state changes and jobs.

(The other services: test_serve_asis_cli.py, test_serve_rds_eks_cli.py, test_serve_cloudwatch_cli.py,
test_serve_services.py; check_cli_coverage.py checks that together they call every operation of
harness/COVERAGE.md.)

Usage: python3 tests/e2e/test_serve_services_cli.py <path to migsim>   (from the repo root)
"""
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import check, serve_checked, small_scenario, summary  # noqa: E402

CFG_ARN = "arn:aws:dms:us-east-1:000000000000:replication-config:fast-engineering-db"
RDS_TARGET = "arn:aws:dms:us-east-1:000000000000:endpoint:rds-mysql"
REP = "Replications[0]"


def text(srv, *args):
    """The CLI's text output (after --query), or its error output when it fails."""
    rc, out, err = srv.aws(*args, output="text")
    return out if rc == 0 else err.strip()


def scenario_replication(srv, tables, rows):
    """The scenario's serverless replication: start-up statuses, full load, stop and resume."""
    seen, status = [], None
    for _ in range(60):  # 60 s steps: the shrunk full load takes about a minute
        status = text(srv, "dms", "describe-replications", "--query", f"{REP}.Status")
        if status not in seen:
            seen.append(status)
        if status == "running":
            break
        srv.advance(60)
    check("dms describe-replications: start-up statuses, then running", status == "running" and len(seen) >= 3, seen)
    pcts = []
    for _ in range(80):
        p = text(srv, "dms", "describe-replications", "--query", f"{REP}.ReplicationStats.FullLoadProgressPercent")
        if p != "None":
            pcts.append(int(p))
        if p == "100":
            break
        srv.advance(10)
    check("dms full load progress never decreases, reaches 100, seen in between",
          pcts == sorted(pcts) and pcts[-1:] == [100] and sum(0 < x < 100 for x in pcts) >= 2, pcts)
    got = text(srv, "dms", "describe-replication-table-statistics", "--replication-config-arn", CFG_ARN, "--query",
               "[length(ReplicationTableStatistics), sum(ReplicationTableStatistics[].FullLoadRows)]")
    check("dms describe-replication-table-statistics: the scenario's tables and rows", got.split() == [str(tables), str(rows)],
          got)
    got = text(srv, "dms", "stop-replication", "--replication-config-arn", CFG_ARN, "--query", "Replication.Status")
    check("dms stop-replication: stopping", got == "stopping", got)
    srv.advance(120)
    got = text(srv, "dms", "describe-replications", "--query", f"{REP}.Status")
    check("dms stopped 120 s later", got == "stopped", got)
    got = text(srv, "dms", "modify-replication-config", "--replication-config-arn", CFG_ARN, "--replication-settings",
               json.dumps({"ErrorBehavior": {"RecoverableErrorCount": 3}}), "--query", "ReplicationConfig.ReplicationSettings")
    behavior = json.loads(got).get("ErrorBehavior", {}) if got.startswith("{") else {}
    check("dms modify-replication-config while stopped: ErrorBehavior's RecoverableErrorCount",
          behavior.get("RecoverableErrorCount") == 3, got)
    got = text(srv, "dms", "start-replication", "--replication-config-arn", CFG_ARN, "--start-replication-type",
               "resume-processing", "--query", "Replication.Status")
    check("dms start-replication resume-processing: no longer stopped", got and got not in ("stopped", "failed"), got)
    for _ in range(40):
        srv.advance(60)
        if text(srv, "dms", "describe-replications", "--query", f"{REP}.Status") == "running":
            break
    got = text(srv, "dms", "describe-replications", "--query", f"{REP}.Status")
    check("dms resumed replication runs again", got == "running", got)


def route53(srv):
    zone = text(srv, "route53", "create-hosted-zone", "--name", "cli.example", "--caller-reference", "cli-1", "--query",
                "HostedZone.Id")
    got = text(srv, "route53", "get-hosted-zone", "--id", zone, "--query", "HostedZone.Name")
    check("route53 create-hosted-zone", got == "cli.example.", got)
    record = ('{"Changes":[{"Action":"%s","ResourceRecordSet":{"Name":"www.cli.example","Type":"A","TTL":120,'
              '"ResourceRecords":[{"Value":"192.0.2.11"}]}}]}')
    change = text(srv, "route53", "change-resource-record-sets", "--hosted-zone-id", zone, "--query", "ChangeInfo.Id",
                  "--change-batch", record % "UPSERT")
    got = text(srv, "route53", "get-change", "--id", change, "--query", "ChangeInfo.Status")
    check("route53 change PENDING", got == "PENDING", got)
    srv.advance(60)
    got = text(srv, "route53", "get-change", "--id", change, "--query", "ChangeInfo.Status")
    check("route53 change INSYNC after 60 s", got == "INSYNC", got)
    got = text(srv, "route53", "list-resource-record-sets", "--hosted-zone-id", zone, "--query",
               "ResourceRecordSets[?Name=='www.cli.example.'].TTL")
    check("route53 list-resource-record-sets TTL", got == "120", got)
    got = text(srv, "route53", "list-hosted-zones", "--query", "length(HostedZones)")
    check("route53 list-hosted-zones", got == "2", got)
    got = text(srv, "route53", "list-hosted-zones-by-name", "--dns-name", "cli.example", "--query", "HostedZones[0].Id")
    check("route53 list-hosted-zones-by-name", got == zone, got)
    hc = text(srv, "route53", "create-health-check", "--caller-reference", "hc-1", "--query", "HealthCheck.Id",
              "--health-check-config", "Type=HTTP,FullyQualifiedDomainName=www.cli.example,Port=80,ResourcePath=/health")
    got = text(srv, "route53", "get-health-check", "--health-check-id", hc, "--query",
               "HealthCheck.HealthCheckConfig.[Type,Port,ResourcePath]")
    check("route53 get-health-check", got.split() == ["HTTP", "80", "/health"], got)
    got = text(srv, "route53", "list-health-checks", "--query", "HealthChecks[].Id")
    check("route53 list-health-checks", got == hc, got)
    text(srv, "route53", "delete-health-check", "--health-check-id", hc)
    got = text(srv, "route53", "list-health-checks", "--query", "length(HealthChecks)")
    check("route53 delete-health-check", got == "0", got)
    got = text(srv, "route53", "delete-hosted-zone", "--id", zone)
    check("route53 delete-hosted-zone with a record: HostedZoneNotEmpty", "HostedZoneNotEmpty" in got, got)
    text(srv, "route53", "change-resource-record-sets", "--hosted-zone-id", zone, "--change-batch", record % "DELETE")
    text(srv, "route53", "delete-hosted-zone", "--id", zone)
    got = text(srv, "route53", "list-hosted-zones", "--query", "length(HostedZones)")
    check("route53 delete-hosted-zone once empty", got == "1", got)


def dms_created(srv):
    ep = text(srv, "dms", "create-endpoint", "--endpoint-identifier", "cli-src", "--endpoint-type", "source",
              "--engine-name", "mysql", "--server-name", "frontend", "--port", "3306", "--query", "Endpoint.EndpointArn")
    got = text(srv, "dms", "describe-endpoints", "--query", "length(Endpoints)")
    check("dms describe-endpoints (scenario's two + created)", got == "3", got)
    ri = text(srv, "dms", "create-replication-instance", "--replication-instance-identifier", "cli-ri",
              "--replication-instance-class", "dms.t3.medium", "--query", "ReplicationInstance.ReplicationInstanceArn")
    status = ("dms", "describe-replication-instances", "--query", "ReplicationInstances[0].ReplicationInstanceStatus")
    got = text(srv, *status)
    check("dms instance creating", got == "creating", got)
    srv.advance(600)
    got = text(srv, *status)
    check("dms instance available", got == "available", got)
    text(srv, "dms", "test-connection", "--replication-instance-arn", ri, "--endpoint-arn", ep)
    srv.advance(10)
    got = text(srv, "dms", "describe-connections", "--query", "Connections[0].Status")
    check("dms test-connection successful", got == "successful", got)
    text(srv, "dms", "create-replication-config", "--replication-config-identifier", "cli-cfg", "--source-endpoint-arn",
         ep, "--target-endpoint-arn", RDS_TARGET, "--replication-type", "cdc", "--compute-config",
         "MaxCapacityUnits=4,MinCapacityUnits=1", "--table-mappings", '{"rules":[]}')
    got = text(srv, "dms", "describe-replication-configs", "--query",
               "ReplicationConfigs[?ReplicationConfigIdentifier=='cli-cfg'].ComputeConfig.MaxCapacityUnits")
    check("dms describe-replication-configs", got == "4", got)
    task = text(srv, "dms", "create-replication-task", "--replication-task-identifier", "cli-task",
                "--source-endpoint-arn", ep, "--target-endpoint-arn", RDS_TARGET, "--replication-instance-arn", ri,
                "--migration-type", "full-load", "--table-mappings", '{"rules":[]}', "--query",
                "ReplicationTask.ReplicationTaskArn")
    task_status = ("dms", "describe-replication-tasks", "--query", "ReplicationTasks[0].Status")
    srv.advance(60)
    got = text(srv, *task_status)
    check("dms task ready", got == "ready", got)
    text(srv, "dms", "start-replication-task", "--replication-task-arn", task, "--start-replication-task-type",
         "start-replication")
    srv.advance(60)
    got = text(srv, *task_status)
    check("dms task running", got == "running", got)
    text(srv, "dms", "stop-replication-task", "--replication-task-arn", task)
    srv.advance(30)
    got = text(srv, *task_status)
    check("dms task stopped", got == "stopped", got)
    text(srv, "dms", "delete-replication-task", "--replication-task-arn", task)
    srv.advance(30)
    got = text(srv, "dms", "describe-replication-tasks", "--query", "length(ReplicationTasks)")
    check("dms task deleted", got == "0", got)
    cfg = text(srv, "dms", "describe-replication-configs", "--query",
               "ReplicationConfigs[?ReplicationConfigIdentifier=='cli-cfg'].ReplicationConfigArn")
    text(srv, "dms", "delete-replication-config", "--replication-config-arn", cfg)
    got = text(srv, "dms", "describe-replication-configs", "--query", "ReplicationConfigs[].ReplicationConfigIdentifier")
    check("dms delete-replication-config: the scenario's is left", got == "fast-engineering-db", got)
    got = text(srv, "dms", "delete-endpoint", "--endpoint-arn", ep, "--query", "Endpoint.Status")
    check("dms delete-endpoint", got == "deleting", got)
    got = text(srv, "dms", "describe-endpoints", "--query", "length(Endpoints)")
    check("dms describe-endpoints: the scenario's two", got == "2", got)
    got = text(srv, "dms", "delete-replication-instance", "--replication-instance-arn", ri, "--query",
               "ReplicationInstance.ReplicationInstanceStatus")
    check("dms delete-replication-instance: deleting", got == "deleting", got)
    srv.advance(30)
    got = text(srv, "dms", "describe-replication-instances", "--query", "length(ReplicationInstances)")
    check("dms replication instance gone 30 s later", got == "0", got)


def mgn(srv, hostname):
    rc, _, err = srv.aws("mgn", "initialize-service", output="text")
    check("mgn initialize-service", rc == 0, err)
    srv.advance(1200)
    sid = text(srv, "mgn", "describe-source-servers", "--query",
               f"items[?sourceProperties.identificationHints.hostname=='{hostname}'].sourceServerID")
    got = text(srv, "mgn", "describe-source-servers", "--query", f"items[?sourceServerID=='{sid}'].lifeCycle.state")
    check(f"mgn {hostname} ready for test", got == "READY_FOR_TEST", got)
    got = text(srv, "mgn", "get-launch-configuration", "--source-server-id", sid, "--query",
               "targetInstanceTypeRightSizingMethod")
    check("mgn get-launch-configuration", got == "BASIC", got)
    got = text(srv, "mgn", "update-launch-configuration", "--source-server-id", sid, "--launch-disposition", "STOPPED",
               "--query", "launchDisposition")
    check("mgn update-launch-configuration", got == "STOPPED", got)
    got = text(srv, "mgn", "finalize-cutover", "--source-server-id", sid)
    check("mgn finalize-cutover too early -> ConflictException", "ConflictException" in got, got)
    job = text(srv, "mgn", "start-test", "--source-server-ids", sid, "--query", "job.jobID")
    got = text(srv, "mgn", "describe-jobs", "--filters", f"jobIDs={job}", "--query", "items[0].[type,initiatedBy]")
    check("mgn start-test: a LAUNCH job", got.split() == ["LAUNCH", "START_TEST"], got)
    srv.advance(1800)
    got = text(srv, "mgn", "describe-jobs", "--filters", f"jobIDs={job}", "--query", "items[0].status")
    check("mgn describe-jobs: the test launch completed", got == "COMPLETED", got)
    got = text(srv, "mgn", "change-server-life-cycle-state", "--source-server-id", sid, "--life-cycle",
               "state=READY_FOR_CUTOVER", "--query", "lifeCycle.state")
    check("mgn change-server-life-cycle-state", got == "READY_FOR_CUTOVER", got)
    got = text(srv, "mgn", "start-cutover", "--source-server-ids", sid, "--query", "job.initiatedBy")
    check("mgn start-cutover", got == "START_CUTOVER", got)
    srv.advance(1800)
    got = text(srv, "mgn", "finalize-cutover", "--source-server-id", sid, "--query", "lifeCycle.state")
    check("mgn finalize-cutover", got == "DISCONNECTED", got)
    got = text(srv, "mgn", "terminate-target-instances", "--source-server-ids", sid, "--query", "job.type")
    check("mgn terminate-target-instances", got == "TERMINATE", got)
    got = text(srv, "mgn", "mark-as-archived", "--source-server-id", sid, "--query", "isArchived")
    check("mgn mark-as-archived", got == "True", got)


def main(migsim):
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="migsim-services-cli-") as tmp:
        path = os.path.join(tmp, "scenario.json")
        doc = small_scenario(path, "serve-cli-test", duration_s=6 * 3600)
        tables = doc["migration"]["database"]["tables"]
        hostname = doc["migration"]["mgn"]["servers"][0]["source"]

        def body(srv):
            scenario_replication(srv, len(tables), sum(t["rows"] for t in tables))
            route53(srv)
            dms_created(srv)
            mgn(srv, hostname)

        serve_checked(migsim, path, body)
    return summary(started)


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "build/migsim"))
