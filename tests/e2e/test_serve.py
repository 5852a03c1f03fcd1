#!/usr/bin/env python3
"""`migsim serve` as a real AWS client sees it: boto3 (and raw HTTP) against the mock endpoint.

Usage: python3 tests/e2e/test_serve.py <path to migsim>   (from the repo root)

Runs a small variant of scenarios/lift-and-shift-cutover.json paused (--speed 0), moves the
simulated clock through POST /_migsim/clock, and checks what DMS and MGN Describe* calls show at
each step, the LocalStack control paths, the AWS error shapes and the HTTP behaviour (keep-alive,
pipelining, body limit, SIGTERM). Prints "N passed, M failed"; exits 1 if any check failed.
"""
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

import botocore.exceptions
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import ROOT, Serve, check, check_quiet, scenario_t0, small_scenario, summary  # noqa: E402

# Simulated t = 0 on the wall calendar: small_scenario keeps the cutover scenario's start.
T0 = scenario_t0(os.path.join(ROOT, "scenarios", "lift-and-shift-cutover.json"))

ARN = "arn:aws:dms:us-east-1:000000000000:replication-config:fast-engineering-db"
TARGET = "AmazonDMSv20160101."
# TableStatistics.TableState values documented for DMS.
TABLE_STATES = {"Table does not exist", "Before load", "Full load", "Table completed", "Table cancelled",
                "Table error", "Table is being reloaded"}


class Raw:
    """Plain HTTP to the endpoint (urllib-level checks without an AWS SDK)."""

    def __init__(self, port):
        self.port = port

    def call(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data

    def json(self, method, path, body=None, headers=None):
        status, hdrs, data = self.call(method, path, body, headers)
        return status, hdrs, json.loads(data) if data else None

    def dms(self, op, body):
        return self.json("POST", "/", body, {"X-Amz-Target": TARGET + op,
                                             "Content-Type": "application/x-amz-json-1.1"})

    def clock(self, **kw):
        return self.json("POST", "/_migsim/clock", json.dumps(kw))


def test_control_plane(raw):
    status, hdrs, health = raw.json("GET", "/_localstack/health")
    check("health: 200 with services.dms running", status == 200 and health["services"].get("dms") == "running",
          health)
    check("health: edition and version", health.get("edition") == "community" and "version" in health, health)
    want = T0.strftime("%a, %d %b %Y %H:%M:%S GMT")
    check(f"Date header at t=0 is the scenario's start ({want})", hdrs.get("date") == want, hdrs)
    check("x-amzn-RequestId is UUID-shaped",
          re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                       hdrs.get("x-amzn-requestid", "")) is not None, hdrs)
    status, hdrs, body = raw.call("HEAD", "/_localstack/health")
    check("HEAD health: 200, no body", status == 200 and body == b"", (status, body))
    status, _, info = raw.json("GET", "/_localstack/info")
    keys = {"version", "edition", "is_license_activated", "session_id", "machine_id", "system", "uptime"}
    check("info: LocalStack's keys", status == 200 and keys <= set(info) and info["is_license_activated"] is False
          and isinstance(info["uptime"], int) and info["uptime"] >= 0, info)
    status, _, clock = raw.json("GET", "/_migsim/clock")
    check("clock: t=0, 4 h, paused", status == 200 and clock["now_s"] == 0 and clock["duration_s"] == 14400
          and clock["speed"] == 0, clock)
    status, _, err = raw.json("POST", "/_migsim/clock", "{not json")
    check("clock: malformed body -> 400", status == 400 and "message" in err, (status, err))
    status, _, err = raw.clock(advance_s=-5)
    check("clock: going back -> 400", status == 400, (status, err))
    status, _, err = raw.json("GET", "/_localstack/nope")
    check("unknown control path -> 404", status == 404, (status, err))


def test_before_start(dms, raw, doc):
    reps = dms.describe_replications()["Replications"]
    check("t=0: one replication with the deterministic ARN", len(reps) == 1 and reps[0]["ReplicationConfigArn"] == ARN,
          reps)
    check("t=0: status created or starting", reps and reps[0]["Status"] in ("created", "initializing"), reps)
    cfgs = dms.describe_replication_configs()["ReplicationConfigs"]
    dms_spec = doc["migration"]["dms"]
    check("configs: capacity range from the scenario",
          len(cfgs) == 1 and cfgs[0]["ComputeConfig"]["MinCapacityUnits"] == dms_spec["min_dcu"]
          and cfgs[0]["ComputeConfig"]["MaxCapacityUnits"] == dms_spec["max_dcu"]
          and cfgs[0]["ReplicationType"] == "full-load-and-cdc", cfgs)
    eps = dms.describe_endpoints()["Endpoints"]
    check("endpoints: a source on db and a target on rds",
          sorted((e["EndpointType"], e["ServerName"], e["EngineName"]) for e in eps)
          == [("SOURCE", "db", "mysql"), ("TARGET", "rds", "mysql")], eps)
    eps = dms.describe_endpoints(Filters=[{"Name": "endpoint-type", "Values": ["TARGET"]}])["Endpoints"]
    check("endpoints: filter by type", [e["EndpointType"] for e in eps] == ["TARGET"], eps)
    try:
        dms.describe_replication_table_statistics(ReplicationConfigArn=ARN + "-nope")
        check("bad ARN raises ResourceNotFoundFault", False, "no error")
    except ClientError as e:
        check("bad ARN raises ResourceNotFoundFault", e.response["Error"]["Code"] == "ResourceNotFoundFault"
              and e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response)
    try:
        dms.describe_replications(Filters=[{"Name": "colour", "Values": ["red"]}])
        check("unknown filter raises InvalidParameterValueException", False, "no error")
    except ClientError as e:
        check("unknown filter raises InvalidParameterValueException",
              e.response["Error"]["Code"] == "InvalidParameterValueException", e.response)
    status, _, body = raw.dms("DescribeReplications", json.dumps({"MaxRecords": 5}))
    check("MaxRecords 5 -> InvalidParameterValueException",
          status == 400 and body["__type"] == "InvalidParameterValueException", (status, body))


def test_full_load(dms, raw, doc):
    """Steps the clock: 60 s until DMS runs, then 5 s until the full load is done."""
    seen, now = [], 0
    while now < 3600:
        status, _, clock = raw.clock(advance_s=60)
        if not check_quiet(f"clock advance at {now}", status == 200 and clock["now_s"] == now + 60, clock):
            return
        now = clock["now_s"]
        resp = dms.describe_replications()
        rep = resp["Replications"][0]
        seen.append(rep["Status"])
        if rep["Status"] == "running":
            break
    check("DMS walks start-up statuses, then runs", seen[-1:] == ["running"] and len(set(seen)) >= 3, seen)
    date = resp["ResponseMetadata"]["HTTPHeaders"].get("date", "")
    want = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(T0.timestamp() + now))
    check("Date header follows the simulated clock", date == want, (date, want))
    samples = []
    for _ in range(200):
        rep = dms.describe_replications()["Replications"][0]
        stats = rep.get("ReplicationStats", {})
        samples.append((now, stats.get("FullLoadProgressPercent", 0), stats.get("ElapsedTimeMillis", 0)))
        if samples[-1][1] >= 100:
            break
        now = raw.clock(advance_s=5)[2]["now_s"]
    pct = [p for _, p, _ in samples]
    check("FullLoadProgressPercent never decreases and reaches 100",
          pct == sorted(pct) and pct[-1] == 100, samples)
    check("progress seen in between (0 < p < 100 at least twice)", sum(1 for p in pct if 0 < p < 100) >= 2, samples)
    start = rep["ReplicationStats"]["StartDate"].timestamp() - T0.timestamp()
    check("ElapsedTimeMillis is simulated time since StartDate",
          abs(samples[-1][2] - (samples[-1][0] - start) * 1000) <= 1000, (samples[-1], start))
    check("full load done: 6 tables loaded, finish date set",
          rep["ReplicationStats"]["TablesLoaded"] == 6 and "FullLoadFinishDate" in rep["ReplicationStats"], rep)
    tables = dms.describe_replication_table_statistics(ReplicationConfigArn=ARN)["ReplicationTableStatistics"]
    want_rows = {t["name"]: t["rows"] for t in doc["migration"]["database"]["tables"]}
    check("table statistics: the six tables", sorted(t["TableName"] for t in tables) == sorted(want_rows), tables)
    check("table statistics: documented TableState values", all(t["TableState"] in TABLE_STATES for t in tables),
          [t["TableState"] for t in tables])
    check("table statistics: FullLoadRows = snapshot rows",
          all(t["FullLoadRows"] == want_rows[t["TableName"]] for t in tables),
          [(t["TableName"], t["FullLoadRows"]) for t in tables])


MGN_AUTH = ("AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/mgn/aws4_request, "
            "SignedHeaders=host, Signature=00")


def test_mgn_before_install(mgn, raw):
    """t = 0, paused: the agents' install event (install_at_s 0) has not run, so MGN knows no server."""
    items = mgn.describe_source_servers()["items"]
    check("mgn t=0: no source servers before the agents are installed", items == [], items)
    check("mgn t=0: no jobs", mgn.describe_jobs()["items"] == [])


def test_mgn_after_sync(mgn, raw):
    """Steps the clock until every server has finished its initial sync (1 GB disks: minutes)."""
    items = []
    for _ in range(240):
        items = mgn.describe_source_servers()["items"]
        if len(items) == 2 and all(i["lifeCycle"]["state"] == "READY_FOR_TEST" for i in items):
            break
        raw.clock(advance_s=30)
    check("mgn: the two application servers, hostnames frontend, backend (the database moves with DMS)",
          sorted(i["sourceProperties"]["identificationHints"]["hostname"] for i in items)
          == ["backend", "frontend"], items)
    check("mgn: every server READY_FOR_TEST and CONTINUOUS after the initial sync",
          len(items) == 2 and all(i["lifeCycle"]["state"] == "READY_FOR_TEST"
                                  and i["dataReplicationInfo"]["dataReplicationState"] == "CONTINUOUS"
                                  for i in items), [(i["lifeCycle"], i["dataReplicationInfo"]) for i in items])
    disks = [d for i in items for d in i["dataReplicationInfo"]["replicatedDisks"]]
    check("mgn: replicatedStorageBytes == totalStorageBytes (1 GB) on every disk",
          len(disks) == 2 and all(d["replicatedStorageBytes"] == d["totalStorageBytes"] == 10 ** 9 for d in disks),
          disks)
    check("mgn: ids and ARNs are MGN-shaped",
          all(re.fullmatch(r"s-[0-9a-f]{17}", i["sourceServerID"])
              and i["arn"] == "arn:aws:mgn:us-east-1:000000000000:source-server/" + i["sourceServerID"]
              and i["isArchived"] is False for i in items), items)
    check("mgn: ISO-8601 lagDuration and dates",
          all(re.fullmatch(r"PT(\d+H)?(\d+M)?(\d+S)?", i["dataReplicationInfo"].get("lagDuration", ""))
              and re.fullmatch(r"2025-\d\d-\d\dT\d\d:\d\d:\d\dZ", i["lifeCycle"]["addedToServiceDateTime"])
              for i in items), items)
    if items:
        one = items[0]["sourceServerID"]
        got = mgn.describe_source_servers(filters={"sourceServerIDs": [one]})["items"]
        check("mgn: filter by one sourceServerID -> that one", [i["sourceServerID"] for i in got] == [one], got)
    got = mgn.describe_source_servers(filters={"sourceServerIDs": ["s-00000000000000000"]})["items"]
    check("mgn: unknown sourceServerID filters to empty", got == [], got)
    got = mgn.describe_source_servers(filters={"lifeCycleStates": ["CUTOVER"]})["items"]
    check("mgn: lifeCycleStates filter", got == [], got)
    got = mgn.describe_source_servers(filters={"isArchived": True})["items"]
    check("mgn: isArchived filter", got == [], got)
    jobs = mgn.describe_jobs()["items"]
    check("mgn: no jobs (no launches in this scenario)", jobs == [], jobs)
    jobs = mgn.describe_jobs(filters={"jobIDs": ["mgnjob-00000000000000000"]})["items"]
    check("mgn: unknown jobID filters to empty", jobs == [], jobs)
    try:
        mgn.describe_source_servers(filters={"lifeCycleStates": ["SLEEPING"]})
        check("mgn: bad lifeCycleState raises ValidationException", False, "no error")
    except ClientError as e:
        check("mgn: bad lifeCycleState raises ValidationException",
              e.response["Error"]["Code"] == "ValidationException"
              and e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response)
    headers = {"Authorization": MGN_AUTH, "Content-Type": "application/json"}
    status, hdrs, body = raw.json("POST", "/DescribeSourceServers", "{\"filters\": [", headers)
    check("mgn: malformed body -> 400 ValidationException with a message",
          status == 400 and hdrs.get("x-amzn-errortype") == "ValidationException" and "message" in body,
          (status, hdrs, body))
    status, hdrs, body = raw.json("POST", "/RetryDataReplication", "{}", headers)
    check("mgn: unknown path -> 404 UnknownOperationException",
          status == 404 and hdrs.get("x-amzn-errortype") == "UnknownOperationException" and "message" in body,
          (status, hdrs, body))


def test_stop_resume(dms, raw):
    """StopReplication and StartReplication (resume-processing) change the simulated replication."""
    arn = dms.describe_replications()["Replications"][0]["ReplicationConfigArn"]
    rep = dms.stop_replication(ReplicationConfigArn=arn)["Replication"]
    check("StopReplication: status stopping", rep["Status"] == "stopping", rep["Status"])
    raw.clock(advance_s=120)
    rep = dms.describe_replications()["Replications"][0]
    check("after the stop time: status stopped", rep["Status"] == "stopped", rep["Status"])
    try:
        dms.stop_replication(ReplicationConfigArn=arn)
        check("stopping a stopped replication is refused", False, "no error")
    except botocore.exceptions.ClientError as e:
        check("stopping a stopped replication is refused",
              e.response["Error"]["Code"] == "InvalidResourceStateFault", e.response["Error"])
    try:
        dms.start_replication(ReplicationConfigArn=arn, StartReplicationType="reload-everything")
        check("bad StartReplicationType refused", False, "no error")
    except botocore.exceptions.ClientError as e:
        check("bad StartReplicationType refused",
              e.response["Error"]["Code"] == "InvalidParameterValueException", e.response["Error"])
    rep = dms.start_replication(ReplicationConfigArn=arn, StartReplicationType="resume-processing")["Replication"]
    check("StartReplication resume: starting again", rep["Status"] not in ("stopped", "failed"), rep["Status"])
    for _ in range(40):
        raw.clock(advance_s=60)
        rep = dms.describe_replications()["Replications"][0]
        if rep["Status"] == "running":
            break
    check("resumed replication runs again", rep["Status"] == "running", rep["Status"])


def test_errors(raw):
    status, hdrs, body = raw.dms("CreateMigrationProject", "{}")
    check("unknown DMS operation -> 400 UnknownOperationException",
          status == 400 and body["__type"] == "UnknownOperationException"
          and hdrs.get("x-amzn-errortype") == "UnknownOperationException", (status, hdrs, body))
    status, _, body = raw.dms("DescribeReplications", "{\"Filters\": [")
    check("malformed JSON -> SerializationException", status == 400 and body["__type"] == "SerializationException",
          (status, body))
    auth = ("AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/elasticloadbalancing/aws4_request, "
            "SignedHeaders=host, Signature=00")
    status, _, body = raw.call("POST", "/", "Action=DescribeAccountLimits&Version=2015-12-01",
                               {"Authorization": auth, "Content-Type": "application/x-www-form-urlencoded"})
    check("query protocol: unknown action -> XML InvalidAction",
          status == 400 and b"<Code>InvalidAction</Code>" in body and b"<Type>Sender</Type>" in body, (status, body))
    with socket.create_connection(("127.0.0.1", raw.port), timeout=10) as s:
        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n")
        data = s.recv(65536)
    check("body over 1 MiB -> 413", data.startswith(b"HTTP/1.1 413"), data[:80])


def test_connections(raw):
    conn = http.client.HTTPConnection("127.0.0.1", raw.port, timeout=10)
    ids, sock = [], None
    for i in range(5):
        conn.request("GET", "/_migsim/clock")
        r = conn.getresponse()
        r.read()
        ids.append(r.getheader("x-amzn-RequestId"))
        sock = sock or conn.sock
        if conn.sock is not sock:
            break
    conn.close()
    check("keep-alive: 5 requests on one connection", len(ids) == 5 and len(set(ids)) == 5 and sock is not None,
          ids)
    with socket.create_connection(("127.0.0.1", raw.port), timeout=10) as s:
        s.sendall(b"GET /_localstack/health HTTP/1.1\r\nHost: localhost\r\n\r\n"
                  b"GET /_migsim/clock HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    a, b = data.find(b'"services"'), data.find(b'"now_s"')
    check("pipelined requests answered in order", data.count(b"HTTP/1.1 200") == 2 and 0 <= a < b, data[:300])


def main():
    migsim = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build", "migsim")
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "serve-test.json")
        doc = small_scenario(path, "serve-test")
        bad = subprocess.run([migsim, "serve", os.path.join(tmp, "missing.json")], capture_output=True, timeout=30)
        check("bad scenario -> exit 2", bad.returncode == 2, bad)
        with Serve(migsim, path) as srv:
            line = srv.listening(20)
            if check("prints the listening line", line is not None and f":{srv.port} " in line
                     and "scenario serve-test, speed 0" in line, line):
                raw = Raw(srv.port)
                dms, mgn = srv.client("dms"), srv.client("mgn")
                for test in (lambda: test_control_plane(raw), lambda: test_before_start(dms, raw, doc),
                             lambda: test_mgn_before_install(mgn, raw),
                             lambda: test_full_load(dms, raw, doc), lambda: test_mgn_after_sync(mgn, raw),
                             lambda: test_stop_resume(dms, raw), lambda: test_errors(raw),
                             lambda: test_connections(raw)):
                    try:
                        test()
                    except Exception as e:  # a crash in one group is one failure, the rest still run
                        check(f"no exception in {test.__code__.co_names}", False, repr(e))
                status, _, clock = raw.clock(to_s=14400 + 600)
                # A long jump runs in slices between requests: 202 with pending_to_s, and GET shows
                # pending_to_s until it gets there (on a loaded machine, or under AddressSanitizer, it
                # does not finish within the request).
                deadline = time.time() + 120
                while status in (200, 202) and "pending_to_s" in clock and time.time() < deadline:
                    time.sleep(0.2)
                    status, _, clock = raw.json("GET", "/_migsim/clock")
                check("clock: runs on past the scenario's end (window past)", status == 200
                      and clock["now_s"] == 15000 and clock["window"] == "past", clock)
            t0 = time.time()
            # Under AddressSanitizer (scripts/sanitize.sh) the leak check at exit takes seconds more.
            bound = 15 if "ASAN_OPTIONS" in os.environ else 2
            rc = srv.stop(bound)
            check(f"SIGTERM: exits 0 within {bound} s", rc == 0, (rc, time.time() - t0) if rc is not None
                  else f"still running after {bound} s")
    return summary(started)


if __name__ == "__main__":
    sys.exit(main())
