#!/usr/bin/env python3
"""`migsim serve --state-dir`: the endpoint's state survives restarts (docs/persistence.md).

A reference run drives a sequence of mutating boto3 calls (EC2 VPC, subnets and a security group,
ELBv2 target group, load balancer and listener, a chaos rule, RDS subnet group and instance, DMS
endpoints and replication config, Route 53 zone and records, a call the chaos rule fails, a posted
event, clock advances, a DMS start) and fingerprints the endpoint after each call: every Describe*
and List* of what the calls made, CloudWatch GetMetricData, /metrics, the clock, the chaos rules,
the posted events, the recorded calls and the resource timeline. Then the same calls run against
`serve --state-dir` under a read load, killed with SIGKILL at seeded random points; after each
restart the fingerprint must equal the reference's at the same journal position, generated ids
must be the reference's, and the run continues from there. Also: a torn last record (the journal
cut by a few bytes) is dropped with a warning; a journal of another seed or scenario, damage in the
middle, a second server on the same directory and an unknown snapshot are refused with exit code
6; a snapshot saved through /_migsim/state is resumed with --restore (twice, the rehearsal from
"the evening before"); AWS CLI calls appear in the journal in order; the paced clock's position
survives a kill; Kubernetes API writes are journaled and come back; a journal that cannot be
written fails its call and stops the endpoint (exit 4); and what replay at full speed rests on when the
clock was paced: 1,200 half-second clock steps leave the state one 600 s jump leaves.

usage: test_serve_persistence.py MIGSIM
"""
import datetime
import json
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "harness"))
from serve_fixture import Serve, aws_cli, check, client, free_port, scenario_t0, small_scenario, summary  # noqa: E402

EXIT_STATE_REFUSED = 6
KILL_SEED = 20261208


def http(url, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            raw = r.read()
            return r.status, json.loads(raw) if raw[:1] in (b"{", b"[") else raw.decode()
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def one_try(service, url):
    return client(service, url, retries={"total_max_attempts": 1, "mode": "standard"}, read_timeout=60)


def journal_records(path):
    """The journal's records, read as docs/persistence.md describes the format (whole frames only)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"MIGSIMJ1", data[:8]
    out, at = [], 8
    while at + 8 <= len(data):
        n, crc = struct.unpack_from("<II", data, at)
        payload = data[at + 8:at + 8 + n]
        if len(payload) < n or zlib.crc32(payload) != crc:
            break
        out.append(json.loads(payload))
        at += 8 + n
    return out


def calls_in(path):
    return [r for r in journal_records(path) if r["kind"] == "call"]


# --- the mutating calls, one journaled request each -------------------------------------------------

class Driver:
    """The clients of one server and the ids the calls hand out. The reference run records the ids;
    a later run checks that the same call hands out the same id (ids are deterministic)."""

    def __init__(self, url, ids, reference):
        self.url, self.ids, self.reference = url, ids, reference
        self.c = {s: one_try(s, url) for s in ("ec2", "elbv2", "rds", "dms", "route53")}
        self.id_mismatches = []

    def keep(self, key, value):
        if self.reference:
            self.ids[key] = value
        elif self.ids.get(key) != value:
            self.id_mismatches.append((key, self.ids.get(key), value))
        return value


def aws_error_of(fn, **kw):
    from botocore.exceptions import ClientError
    try:
        fn(**kw)
    except ClientError as e:
        return e.response["Error"]["Code"]
    return None


def steps():
    """(name, function of a Driver) for each call, in order."""
    ec2 = lambda d: d.c["ec2"]  # noqa: E731
    elb = lambda d: d.c["elbv2"]  # noqa: E731
    rds = lambda d: d.c["rds"]  # noqa: E731
    dms = lambda d: d.c["dms"]  # noqa: E731
    r53 = lambda d: d.c["route53"]  # noqa: E731
    i = lambda d, k: d.ids[k]  # noqa: E731
    return [
        ("CreateVpc", lambda d: d.keep("vpc", ec2(d).create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"])),
        ("CreateSubnet", lambda d: d.keep("subnet_a", ec2(d).create_subnet(
            VpcId=i(d, "vpc"), CidrBlock="10.20.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"])),
        ("CreateSubnet", lambda d: d.keep("subnet_b", ec2(d).create_subnet(
            VpcId=i(d, "vpc"), CidrBlock="10.20.2.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"])),
        ("CreateSecurityGroup", lambda d: d.keep("sg", ec2(d).create_security_group(
            GroupName="web", Description="web tier", VpcId=i(d, "vpc"))["GroupId"])),
        ("CreateTargetGroup", lambda d: d.keep("tg", elb(d).create_target_group(
            Name="web", Protocol="HTTP", Port=80, VpcId=i(d, "vpc"))["TargetGroups"][0]["TargetGroupArn"])),
        ("CreateLoadBalancer", lambda d: d.keep("lb", elb(d).create_load_balancer(
            Name="shop", Subnets=[i(d, "subnet_a"), i(d, "subnet_b")],
            SecurityGroups=[i(d, "sg")])["LoadBalancers"][0]["LoadBalancerArn"])),
        ("CreateListener", lambda d: d.keep("listener", elb(d).create_listener(
            LoadBalancerArn=i(d, "lb"), Protocol="HTTP", Port=80,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": i(d, "tg")}])["Listeners"][0]["ListenerArn"])),
        ("POST /_localstack/chaos/faults", lambda d: http(d.url, "POST", "/_localstack/chaos/faults", [
            {"service": "route53", "operation": "DeleteHostedZone", "error": {"statusCode": 400, "code": "InjectedFault"}}])),
        ("POST /_migsim/clock", lambda d: http(d.url, "POST", "/_migsim/clock", {"advance_s": 120})),
        ("CreateDBSubnetGroup", lambda d: rds(d).create_db_subnet_group(
            DBSubnetGroupName="app", DBSubnetGroupDescription="app", SubnetIds=[i(d, "subnet_a"), i(d, "subnet_b")])),
        ("CreateDBInstance", lambda d: rds(d).create_db_instance(
            DBInstanceIdentifier="app-db", DBInstanceClass="db.t3.medium", Engine="mysql", MasterUsername="admin",
            MasterUserPassword="secret123", AllocatedStorage=50, DBSubnetGroupName="app")),
        ("CreateEndpoint", lambda d: d.keep("src", dms(d).create_endpoint(
            EndpointIdentifier="api-source", EndpointType="source", EngineName="mysql", ServerName="db",
            Port=3306)["Endpoint"]["EndpointArn"])),
        ("CreateEndpoint", lambda d: d.keep("dst", dms(d).create_endpoint(
            EndpointIdentifier="api-target", EndpointType="target", EngineName="mysql", ServerName="rds",
            Port=3306)["Endpoint"]["EndpointArn"])),
        ("CreateReplicationConfig", lambda d: d.keep("config", dms(d).create_replication_config(
            ReplicationConfigIdentifier="api-copy", SourceEndpointArn=i(d, "src"), TargetEndpointArn=i(d, "dst"),
            ReplicationType="full-load-and-cdc", ComputeConfig={"MinCapacityUnits": 2, "MaxCapacityUnits": 16},
            TableMappings=json.dumps({"rules": []}))["ReplicationConfig"]["ReplicationConfigArn"])),
        ("CreateHostedZone", lambda d: d.keep("zone", r53(d).create_hosted_zone(
            Name="shop.example.", CallerReference="persist-1")["HostedZone"]["Id"])),
        ("ChangeResourceRecordSets", lambda d: d.keep("change", r53(d).change_resource_record_sets(
            HostedZoneId=i(d, "zone"), ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {
                "Name": "www.shop.example.", "Type": "A", "TTL": 60,
                "ResourceRecords": [{"Value": "10.20.1.10"}]}}]})["ChangeInfo"]["Id"])),
        ("DeleteHostedZone", lambda d: d.keep("chaos_code", aws_error_of(r53(d).delete_hosted_zone, Id=i(d, "zone")))),
        ("POST /_migsim/events", lambda d: http(d.url, "POST", "/_migsim/events", {"action": "set_multiplier", "value": 2})),
        ("POST /_migsim/clock", lambda d: http(d.url, "POST", "/_migsim/clock", {"advance_s": 600})),
        ("StartReplication", lambda d: dms(d).start_replication(
            ReplicationConfigArn=i(d, "config"), StartReplicationType="start-replication")),
        ("POST /_migsim/clock", lambda d: http(d.url, "POST", "/_migsim/clock", {"advance_s": 300})),
        ("CreateTags", lambda d: ec2(d).create_tags(Resources=[i(d, "vpc")], Tags=[{"Key": "env", "Value": "cutover"}])),
        ("POST /_migsim/clock", lambda d: http(d.url, "POST", "/_migsim/clock", {"advance_s": 900})),
        ("ModifyDBInstance", lambda d: rds(d).modify_db_instance(
            DBInstanceIdentifier="app-db", AllocatedStorage=100, ApplyImmediately=True)),
        ("POST /_migsim/clock", lambda d: http(d.url, "POST", "/_migsim/clock", {"advance_s": 1800})),
    ]


STEPS = steps()


# --- what the endpoint shows -------------------------------------------------------------------------

def plain(v):
    """A boto3 answer without its per-request metadata, as comparable JSON text."""
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items() if k != "ResponseMetadata"}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, datetime.datetime):
        return v.isoformat()
    return v


def fingerprint(url, t0):
    """Every Describe*/List* of what the calls create, CloudWatch metrics and the control paths."""
    ec2, elb, rds, dms, r53, cw = (one_try(s, url) for s in ("ec2", "elbv2", "rds", "dms", "route53", "cloudwatch"))
    fp = {
        "vpcs": ec2.describe_vpcs(), "subnets": ec2.describe_subnets(), "sgs": ec2.describe_security_groups(),
        "lbs": elb.describe_load_balancers(), "tgs": elb.describe_target_groups(),
        "db": rds.describe_db_instances(), "db_subnets": rds.describe_db_subnet_groups(),
        "dms_endpoints": dms.describe_endpoints(), "dms_configs": dms.describe_replication_configs(),
        "dms_replications": dms.describe_replications(), "zones": r53.list_hosted_zones(),
    }
    fp["listeners"] = [elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])
                       for lb in fp["lbs"]["LoadBalancers"]]
    fp["records"] = [r53.list_resource_record_sets(HostedZoneId=z["Id"]) for z in fp["zones"]["HostedZones"]]
    for path in ("/_migsim/clock", "/_localstack/chaos/faults", "/_migsim/events", "/_migsim/calls",
                 "/_migsim/timeline", "/metrics"):
        fp[path] = http(url, "GET", path)
    now = fp["/_migsim/clock"][1]["now_s"]
    end = t0 + datetime.timedelta(seconds=60 * (int(now) // 60 + 1))
    queries = [{"Id": f"cpu{k}", "MetricStat": {"Metric": {"Namespace": "AWS/EC2", "MetricName": "CPUUtilization",
                                                          "Dimensions": [{"Name": "InstanceId", "Value": host}]},
                                               "Period": 60, "Stat": "Average"}}
               for k, host in enumerate(("db", "frontend", "backend"))]
    fp["cloudwatch"] = cw.get_metric_data(MetricDataQueries=queries, StartTime=t0, EndTime=end,
                                          ScanBy="TimestampAscending")
    return json.loads(json.dumps(plain(fp), sort_keys=True, default=str))


def across_runs(fp):
    """A fingerprint as two runs with different read traffic share it: the request id numbers every
    request, reads included, so the recorded calls' requestID is the run's own (a replay keeps the
    journaled run's, checked by same_request_ids)."""
    out = json.loads(json.dumps(fp))
    for call in out["/_migsim/calls"][1]["calls"]:
        call.pop("requestID", None)
    return out


def same_request_ids(fp, journal):
    """Whether the recorded calls carry the request ids the journal says they were answered with."""
    recorded = [c["requestID"] for c in fp["/_migsim/calls"][1]["calls"]]
    journaled = ["00000000-0000-4000-8000-%012x" % c["request_no"] for c in calls_in(journal)
                 if not c["operation"].startswith("POST /")]
    return recorded == journaled, (recorded[-3:], journaled[-3:])


def differences(a, b):
    """The top-level keys where two fingerprints differ, with a short excerpt."""
    out = []
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            out.append((k, json.dumps(a.get(k))[:300], json.dumps(b.get(k))[:300]))
    return out


# --- servers -----------------------------------------------------------------------------------------

class Server(Serve):
    """`migsim serve SCENARIO --speed S --state-dir DIR [EXTRA]` with stderr kept in a file."""

    def __init__(self, migsim, scenario, state_dir, speed="0", extra=()):
        self.err_path = tempfile.mktemp(prefix="serve-err-")
        self.err = open(self.err_path, "w")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([migsim, "serve", scenario, "--port", str(self.port), "--speed", str(speed),
                                      "--state-dir", state_dir, *extra],
                                     stdout=subprocess.PIPE, stderr=self.err, text=True)

    def listening(self, timeout_s=90):
        """The listening line (None on timeout or exit); the replay comes first, and the machine may be busy."""
        return super().listening(timeout_s)

    def stderr(self):
        """What the server wrote on stderr so far, and its exit code when it has ended."""
        self.err.flush()
        with open(self.err_path) as f:
            text = f.read()
        return text if self.proc.poll() is None else f"{text} (exit code {self.proc.returncode})"

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def refused(migsim, scenario, *args):
    """(exit code, stderr) of a serve that must refuse to start."""
    r = subprocess.run([migsim, "serve", scenario, "--port", "0", "--speed", "0", *args],
                       capture_output=True, text=True, timeout=60)
    return r.returncode, r.stderr


def load(url, stop):
    """Read traffic while the calls run: Describe* on four services, until stop is set or the server dies."""
    clients = [one_try(s, url) for s in ("ec2", "elbv2", "rds", "dms")]
    reads = [lambda: clients[0].describe_vpcs(), lambda: clients[1].describe_load_balancers(),
             lambda: clients[2].describe_db_instances(), lambda: clients[3].describe_endpoints()]
    k = 0
    while not stop.is_set():
        try:
            reads[k % 4]()
        except Exception:  # the server was killed under us
            return
        k += 1


def run_until_killed(srv, ids, start, kill_after, rng):
    """Runs STEPS[start:] with two read-load threads; SIGKILL once kill_after steps are done (plus a few
    random milliseconds, so the kill lands inside a call as often as between two). Returns how many
    steps had completed, and the id mismatches seen."""
    stop = threading.Event()
    loaders = [threading.Thread(target=load, args=(srv.url, stop)) for _ in range(2)]
    for t in loaders:
        t.start()
    done = [start]
    reached = threading.Event()

    def killer():
        reached.wait()
        time.sleep(rng.uniform(0, 0.004))
        srv.kill9()

    kt = threading.Thread(target=killer)
    kt.start()
    d = Driver(srv.url, ids, reference=False)
    for k in range(start, len(STEPS)):
        if k >= kill_after:
            reached.set()
        try:
            STEPS[k][1](d)
        except Exception:
            break
        done[0] = k + 1
    reached.set()
    kt.join()
    stop.set()
    for t in loaders:
        t.join()
    return done[0], d.id_mismatches


# --- the tests ---------------------------------------------------------------------------------------

def reference_run(migsim, scenario, work, t0):
    """All the calls on a fresh server with its own state directory; the fingerprints after each."""
    ids, prints = {}, []
    with Server(migsim, scenario, os.path.join(work, "reference")) as srv:
        check("serve --state-dir starts on an empty directory", srv.listening() is not None, srv.stderr())
        prints.append(fingerprint(srv.url, t0))
        d = Driver(srv.url, ids, reference=True)
        for _, fn in STEPS:
            fn(d)
            prints.append(fingerprint(srv.url, t0))
        check("the chaos rule failed DeleteHostedZone as asked", ids.get("chaos_code") == "InjectedFault", ids)
        status, state = http(srv.url, "GET", "/_migsim/state")
        check("GET /_migsim/state: the journal's records, the state directory, no snapshots",
              status == 200 and state["journal"]["records"] == len(STEPS) + 1 and state["snapshots"] == []
              and state["state_dir"].endswith("reference"), state)
        check("serve stops on SIGTERM with a state directory", srv.stop(10) == 0)
    with Server(migsim, scenario, os.path.join(work, "reference")) as srv:
        check("restart of the reference run: serve replays its journal", srv.listening() is not None, srv.stderr())
        fp = fingerprint(srv.url, t0)
        check("restart of the reference run: everything it showed, request ids included, is as before the stop",
              fp == prints[-1], differences(fp, prints[-1]))
        srv.stop(10)
        srv.err.close()
    calls = calls_in(os.path.join(work, "reference", "journal.bin"))
    check("the journal holds every mutating call, in order, each once (reads are not journaled)",
          [c["operation"] for c in calls] == [name for name, _ in STEPS], [c["operation"] for c in calls])
    check("each call record carries its simulated time and answer status",
          all(c["at_s"] <= c["after_s"] for c in calls) and calls[8]["after_s"] == calls[8]["at_s"] + 120
          and [c["status"] for c in calls if c["operation"] == "DeleteHostedZone"] == [400], calls[8])
    check("the reference run's fingerprints change as the calls go (the comparison can fail)",
          len({json.dumps(p, sort_keys=True) for p in prints}) == len(prints), len(prints))
    return ids, prints


def killed_runs(migsim, scenario, work, t0, ids, prints):
    """The calls under load, SIGKILLed at three seeded points; after each restart the state is the
    reference's at the same journal position, and the run goes on. Then a torn last record."""
    state_dir = os.path.join(work, "killed")
    journal = os.path.join(state_dir, "journal.bin")
    rng = random.Random(KILL_SEED)
    kill_points = sorted(rng.sample(range(1, len(STEPS) - 1), 3))
    position = 0
    snapshot_at = None
    for n, kill_after in enumerate(kill_points):
        srv = Server(migsim, scenario, state_dir)
        if not check(f"restart {n}: serve replays the journal and listens", srv.listening() is not None, srv.stderr()):
            return None
        if n == 1:  # "the evening before": a snapshot after the first stretch of calls
            status, saved = http(srv.url, "POST", "/_migsim/state", {"save": "evening"})
            check("POST /_migsim/state {save}: 201 with the snapshot's records, bytes and SHA-256",
                  status == 201 and saved["name"] == "evening" and saved["records"] == position + 1
                  and len(saved["sha256"]) == 64, (status, saved))
            snapshot_at = position
            status, again = http(srv.url, "POST", "/_migsim/state", {"save": "evening"})
            check("saving over an existing snapshot without overwrite: 409 SnapshotExists",
                  status == 409 and again["error"] == "SnapshotExists", (status, again))
            status, bad = http(srv.url, "POST", "/_migsim/state", {"save": "../x"})
            check("a snapshot name that is not a plain file name: 400", status == 400, (status, bad))
        done, mismatches = run_until_killed(srv, ids, position, kill_after, rng)
        killed = srv.proc.returncode == -signal.SIGKILL
        journaled = len(calls_in(journal))
        check(f"kill {n} (SIGKILL after call {kill_after}): the journal holds every answered call, at most one more",
              killed and journaled in (done, done + 1), (srv.proc.returncode, done, journaled))
        check(f"kill {n}: the calls before it handed out the reference run's ids", mismatches == [], mismatches)
        srv.err.close()
        with Server(migsim, scenario, state_dir) as again:
            up = again.listening()
            if not check(f"restart after kill {n}: serve replays and listens", up is not None, again.stderr()):
                return None
            fp = fingerprint(again.url, t0)
            check(f"restart after kill {n}: every Describe*, metric, the clock and the recorded calls are the "
                  f"uninterrupted run's after {journaled} calls", across_runs(fp) == across_runs(prints[journaled]),
                  differences(across_runs(fp), across_runs(prints[journaled])))
            ok, detail = same_request_ids(fp, journal)
            check(f"restart after kill {n}: the recorded calls keep the request ids they were answered with", ok, detail)
            check(f"restart after kill {n}: the replay did not diverge", "diverged" not in again.stderr(), again.stderr())
            again.stop(10)
            again.err.close()
        position = journaled
    # The last stretch, uninterrupted: the state at the end is the reference's.
    with Server(migsim, scenario, state_dir) as srv:
        srv.listening()
        d = Driver(srv.url, ids, reference=False)
        for _, fn in STEPS[position:]:
            fn(d)
        fp = fingerprint(srv.url, t0)
        check("after three kills and restarts, the end state is the uninterrupted run's",
              across_runs(fp) == across_runs(prints[-1]), differences(across_runs(fp), across_runs(prints[-1])))
        check("generated ids are the reference run's after the restarts", d.id_mismatches == [], d.id_mismatches)
        srv.stop(10)
        srv.err.close()
    check("the journal of the killed runs holds the calls in the reference order",
          [c["operation"] for c in calls_in(journal)] == [name for name, _ in STEPS],
          [c["operation"] for c in calls_in(journal)])

    # A torn last record: the journal cut by a few bytes, as a kill inside write(2) could leave it.
    size = os.path.getsize(journal)
    with open(journal, "r+b") as f:
        f.truncate(size - 5)
    with Server(migsim, scenario, state_dir) as srv:
        check("a torn last record: serve starts", srv.listening() is not None, srv.stderr())
        warned = srv.stderr()
        check("a torn last record: dropped with a warning naming it", "warning" in warned and "torn" in warned
              and f"record {len(STEPS)}" in warned, warned)
        status, state = http(srv.url, "GET", "/_migsim/state")
        check("a torn last record: /_migsim/state says so, one record fewer",
              state["journal"]["records"] == len(STEPS) and state["opened"]["torn_record_dropped"], state)
        fp = fingerprint(srv.url, t0)
        check("a torn last record: the state is the uninterrupted run's before that call",
              across_runs(fp) == across_runs(prints[-2]), differences(across_runs(fp), across_runs(prints[-2])))
        srv.stop(10)
        srv.err.close()
    return state_dir, snapshot_at


def restores(migsim, scenario, work, t0, ids, prints, state_dir, snapshot_at):
    """--restore evening, twice: each time the state is the snapshot's, the replaced journal is kept, and
    the calls after it rebuild the reference's end state."""
    for attempt in (1, 2):
        with Server(migsim, scenario, state_dir, extra=("--restore", "evening")) as srv:
            line = srv.listening()
            check(f"--restore evening ({attempt}): serve resumes from the snapshot", line is not None, srv.stderr())
            fp = fingerprint(srv.url, t0)
            check(f"--restore evening ({attempt}): the state is the snapshot's",
                  across_runs(fp) == across_runs(prints[snapshot_at]),
                  differences(across_runs(fp), across_runs(prints[snapshot_at])))
            check(f"--restore evening ({attempt}): the replaced journal is kept as journal.superseded-{attempt}.bin",
                  os.path.exists(os.path.join(state_dir, f"journal.superseded-{attempt}.bin")))
            status, state = http(srv.url, "GET", "/_migsim/state")
            check(f"--restore evening ({attempt}): GET /_migsim/state lists the snapshot and where it resumed from",
                  [s["name"] for s in state["snapshots"]] == ["evening"]
                  and state["opened"]["restored_from"] == "evening", state)
            d = Driver(srv.url, ids, reference=False)
            for _, fn in STEPS[snapshot_at:]:
                fn(d)
            fp = fingerprint(srv.url, t0)
            check(f"--restore evening ({attempt}): the same calls again end in the reference's state",
                  across_runs(fp) == across_runs(prints[-1]), differences(across_runs(fp), across_runs(prints[-1])))
            srv.stop(10)
            srv.err.close()


def refusals(migsim, scenario, other_scenario, work, state_dir):
    rc, err = refused(migsim, scenario, "--state-dir", state_dir, "--seed", "999")
    check("a journal of another seed: exit 6, the seeds named", rc == EXIT_STATE_REFUSED
          and "written with seed" in err and "999" in err, (rc, err))
    rc, err = refused(migsim, other_scenario, "--state-dir", state_dir)
    check("a journal of another scenario: exit 6, the scenarios named", rc == EXIT_STATE_REFUSED
          and "written for scenario" in err, (rc, err))
    rc, err = refused(migsim, scenario, "--state-dir", state_dir, "--timing", "efs_mount_target_create_s=90")
    check("a journal written with other settings (--timing): exit 6, both named", rc == EXIT_STATE_REFUSED
          and "written with settings" in err and "efs_mount_target_create_s=90" in err, (rc, err))
    rc, err = refused(migsim, scenario, "--state-dir", state_dir, "--restore", "nope")
    check("--restore of an unknown snapshot: exit 6, the snapshots listed", rc == EXIT_STATE_REFUSED
          and "no snapshot 'nope'" in err and "evening" in err, (rc, err))
    rc, err = refused(migsim, scenario, "--restore", "evening")
    check("--restore without --state-dir: exit 2 (command line)", rc == 2, (rc, err))
    with Server(migsim, scenario, state_dir) as srv:
        srv.listening()
        rc, err = refused(migsim, scenario, "--state-dir", state_dir)
        check("a second server on the same state directory: exit 6, in use", rc == EXIT_STATE_REFUSED
              and "in use" in err, (rc, err))
        srv.stop(10)
        srv.err.close()
    damaged = os.path.join(work, "damaged")
    shutil.copytree(state_dir, damaged)
    with open(os.path.join(damaged, "journal.bin"), "r+b") as f:
        f.seek(200)
        byte = f.read(1)
        f.seek(200)
        f.write(bytes([byte[0] ^ 0x20]))
    rc, err = refused(migsim, scenario, "--state-dir", damaged)
    check("damage in the middle of the journal: exit 6, not silently cut", rc == EXIT_STATE_REFUSED
          and "damaged in the middle" in err, (rc, err))


def cli_sequence(migsim, scenario, work):
    """What an apply does through the AWS CLI shows in the journal, in order, reads left out."""
    state_dir = os.path.join(work, "cli")
    with Server(migsim, scenario, state_dir) as srv:
        srv.listening()
        rc1, vpc, _ = aws_cli(srv.url, "ec2", "create-vpc", "--cidr-block", "10.30.0.0/16")
        vpc_id = vpc["Vpc"]["VpcId"] if rc1 == 0 else "vpc-x"
        aws_cli(srv.url, "ec2", "describe-vpcs")
        aws_cli(srv.url, "ec2", "create-subnet", "--vpc-id", vpc_id, "--cidr-block", "10.30.1.0/24")
        aws_cli(srv.url, "ec2", "create-tags", "--resources", vpc_id, "--tags", "Key=Name,Value=app")
        aws_cli(srv.url, "elbv2", "describe-target-groups")
        aws_cli(srv.url, "elbv2", "create-target-group", "--name", "app", "--protocol", "HTTP", "--port", "80",
                "--vpc-id", vpc_id)
        srv.stop(10)
        srv.err.close()
    calls = calls_in(os.path.join(state_dir, "journal.bin"))
    check("AWS CLI calls are journaled in order, reads left out, with the CLI's user agent",
          [c["operation"] for c in calls] == ["CreateVpc", "CreateSubnet", "CreateTags", "CreateTargetGroup"]
          and all(any(h[0].lower() == "user-agent" and "aws-cli" in h[1] for h in c["headers"]) for c in calls),
          [(c["operation"], c["status"]) for c in calls])


def paced_clock(migsim, scenario, work):
    """At --speed 600 the clock's position is journaled as it runs: after a SIGKILL the restarted clock
    is where it was, within the journaling interval (one wall second)."""
    state_dir = os.path.join(work, "paced")
    with Server(migsim, scenario, state_dir, speed="600") as srv:
        srv.listening()
        one_try("ec2", srv.url).create_vpc(CidrBlock="10.40.0.0/16")
        time.sleep(3)
        before = http(srv.url, "GET", "/_migsim/clock")[1]["now_s"]
        srv.kill9()
        srv.err.close()
    with Server(migsim, scenario, state_dir) as srv:
        srv.listening()
        after = http(srv.url, "GET", "/_migsim/clock")[1]["now_s"]
        vpcs = [v["CidrBlock"] for v in one_try("ec2", srv.url).describe_vpcs()["Vpcs"]]
        check("--speed 600, SIGKILL: the restarted clock is where the killed one was, within one wall second's "
              "worth (600 s)", before - 600 * 1.5 <= after <= before and after >= 1200, (before, after))
        check("--speed 600, SIGKILL: the call made while the clock ran is there", "10.40.0.0/16" in vpcs, vpcs)
        srv.stop(10)
        srv.err.close()
    records = journal_records(os.path.join(state_dir, "journal.bin"))
    check("--speed 600: clock records follow the paced clock", sum(r["kind"] == "clock" for r in records) >= 2,
          [r["kind"] for r in records])


def kubernetes_writes(migsim, work):
    """Kubernetes API writes go through the same router: journaled, and back after a SIGKILL with the same
    uid, resourceVersion and data; the watch-free reads are not journaled."""
    scenario = os.path.join(os.path.dirname(os.path.dirname(HERE)), "scenarios", "eks-black-friday.json")
    state_dir = os.path.join(work, "k8s")
    base = "/_migsim/eks/shop/api/v1/namespaces/default/configmaps"
    with Server(migsim, scenario, state_dir) as srv:
        srv.listening()
        http(srv.url, "GET", base)
        created = http(srv.url, "POST", base, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app"},
                                               "data": {"mode": "blue"}})
        http(srv.url, "POST", "/_migsim/clock", {"advance_s": 60})
        req = urllib.request.Request(srv.url + base + "/app", data=json.dumps({"data": {"mode": "green"}}).encode(),
                                     method="PATCH", headers={"Content-Type": "application/merge-patch+json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            patched = json.loads(r.read())
        srv.kill9()
        srv.err.close()
    with Server(migsim, scenario, state_dir) as srv:
        srv.listening()
        status, back = http(srv.url, "GET", base + "/app")
        check("Kubernetes API writes (create, merge patch) survive a SIGKILL: same uid, resourceVersion and data",
              created[0] == 201 and status == 200 and back == patched and back["data"] == {"mode": "green"},
              (created, patched, back))
        srv.stop(10)
        srv.err.close()
    ops = [c["operation"] for c in calls_in(os.path.join(state_dir, "journal.bin"))]
    check("the journal holds the Kubernetes writes (not the list before them)",
          ops == [f"POST {base}", "POST /_migsim/clock", f"PATCH {base}/app"], ops)


def journal_full(migsim, scenario, work):
    """A journal that cannot be written (here: a file-size limit, as a full disk would) fails the call it
    could not journal with a 500 naming the error and stops the endpoint with exit code 4; after a restart
    the calls journaled before it are there, the failed one is not."""
    import resource
    state_dir = os.path.join(work, "full")

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write(2) then fails with EFBIG instead of a signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (3000, 3000))

    port = free_port()
    proc = subprocess.Popen([migsim, "serve", scenario, "--port", str(port), "--speed", "0", "--state-dir", state_dir],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, preexec_fn=limited)
    url = f"http://127.0.0.1:{port}"
    from serve_fixture import wait_connectable
    wait_connectable(port, 60)
    ec2 = one_try("ec2", url)
    made, failure = [], None
    for k in range(40):
        try:
            made.append(ec2.create_vpc(CidrBlock=f"10.{k}.0.0/16")["Vpc"]["CidrBlock"])
        except Exception as e:  # the call that could not be journaled
            failure = e
            break
    try:
        rc = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = None
    err = proc.stderr.read()
    check("a journal that cannot be written: the call fails with 500 InternalFailure naming why",
          failure is not None and "InternalFailure" in str(failure) and "could not journal" in str(failure), failure)
    check("a journal that cannot be written: the endpoint stops with exit code 4, the reason on stderr",
          rc == 4 and "File too large" in err, (rc, err[-400:]))
    with Server(migsim, scenario, state_dir) as srv:
        srv.listening()
        cidrs = sorted(v["CidrBlock"] for v in one_try("ec2", srv.url).describe_vpcs()["Vpcs"])
        check("after it, a restart holds every call answered before, not the one that failed",
              made and all(c in cidrs for c in made) and f"10.{len(made)}.0.0/16" not in cidrs, (made, cidrs))
        srv.stop(10)
        srv.err.close()


def state_path_guarded(migsim, scenario, work):
    """/_migsim/state answers without --state-dir (nothing to save) and refuses what the control plane
    refuses: a foreign Origin (a web page's cross-origin POST) and a DNS-rebinding Host."""
    with Serve(migsim, scenario, quiet=True) as srv:
        srv.listening()
        status, body = http(srv.url, "GET", "/_migsim/state")
        check("without --state-dir: GET /_migsim/state says there is none", status == 200
              and body == {"state_dir": None, "snapshots": []}, (status, body))
        status, body = http(srv.url, "POST", "/_migsim/state", {"save": "x"})
        check("without --state-dir: POST /_migsim/state is 409 NoStateDir", status == 409
              and body["error"] == "NoStateDir", (status, body))
    state_dir = os.path.join(work, "guarded")
    with Server(migsim, scenario, state_dir) as srv:
        srv.listening()
        for header, value in (("Origin", "http://evil.example"), ("Host", "evil.example")):
            req = urllib.request.Request(srv.url + "/_migsim/state", data=b'{"save": "x"}', method="POST",
                                         headers={"Content-Type": "text/plain", header: value})
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    status = r.status
            except urllib.error.HTTPError as e:
                status = e.code
            check(f"POST /_migsim/state with {header}: {value}: 403, nothing saved", status == 403
                  and not os.path.exists(os.path.join(state_dir, "snapshots", "x.json")), status)
        srv.stop(10)
        srv.err.close()


def step_independence(migsim, scenario, t0):
    """What replay at full speed rests on when the clock was paced: the simulation's state at a time does not
    depend on the steps the clock took to get there. The first calls, a DMS start, then 10 simulated
    minutes as 1,200 half-second steps (as ticks pace it) or as one jump (as a replay runs it)."""
    prints = []
    for steps, advance in ((1200, 0.5), (1, 600)):
        with Serve(migsim, scenario, quiet=True) as srv:
            srv.listening()
            d = Driver(srv.url, {}, reference=True)
            for name, fn in STEPS[:16]:
                if name != "POST /_migsim/clock":
                    fn(d)
            d.c["dms"].start_replication(ReplicationConfigArn=d.ids["config"], StartReplicationType="start-replication")
            for _ in range(steps):
                http(srv.url, "POST", "/_migsim/clock", {"advance_s": advance})
            prints.append(across_runs(fingerprint(srv.url, t0)))
            srv.stop(10)
    check("the state after 1,200 half-second clock steps is the state after one 600 s jump (resources, "
          "CloudWatch, /metrics)", prints[0] == prints[1], differences(prints[0], prints[1]))


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    migsim = os.path.abspath(sys.argv[1])
    started = time.time()
    work = tempfile.mkdtemp(prefix="migsim-persist-")
    try:
        scenario = os.path.join(work, "cutover.json")
        doc = small_scenario(scenario, "persist-cutover")
        other = os.path.join(work, "other.json")
        small_scenario(other, "persist-other")
        t0 = scenario_t0(doc)
        ids, prints = reference_run(migsim, scenario, work, t0)
        result = killed_runs(migsim, scenario, work, t0, ids, prints)
        if result:
            state_dir, snapshot_at = result
            restores(migsim, scenario, work, t0, ids, prints, state_dir, snapshot_at)
            refusals(migsim, scenario, other, work, state_dir)
        cli_sequence(migsim, scenario, work)
        paced_clock(migsim, scenario, work)
        kubernetes_writes(migsim, work)
        journal_full(migsim, scenario, work)
        state_path_guarded(migsim, scenario, work)
        step_independence(migsim, scenario, t0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return summary(started)


if __name__ == "__main__":
    sys.exit(main())
