#!/usr/bin/env python3
"""Route 53, CloudWatch (json 1.0 and query), the DMS and MGN operations that create or change
resources, the chaos API and /_migsim/events, driven by boto3 against `migsim serve`.

Usage (from the repo root):
  python3 tests/e2e/test_serve_sim_services.py MIGSIM            checks against migsim (ctest runs this)
  python3 tests/e2e/test_serve_sim_services.py --moto            the same calls against moto_server
  python3 tests/e2e/test_serve_sim_services.py MIGSIM --table F  both, and the side-by-side table (markdown) in F

Against migsim every operation's values are checked, with the simulated clock moved through
POST /_migsim/clock (the server runs paused). Against moto only the calls are made (moto has no
simulated time, scenario or control paths) and each operation's outcome is recorded, which is what
the table shows. Prints "N passed, M failed"; exits 1 if a check failed.
"""
import datetime
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import boto3
import botocore.config
import botocore.model
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve_fixture as fx  # noqa: E402

T0 = fx.scenario_t0(os.path.join(fx.ROOT, "scenarios", "lift-and-shift-cutover.json"))  # small_scenario's start
DMS_ARN = "arn:aws:dms:us-east-1:000000000000:"
TOPIC = "arn:aws:sns:us-east-1:000000000000:cutover-alarms"
results = fx.results
counting = fx.counting  # False against moto: values are only checked against migsim
check = fx.check
outcomes = {}  # "service Operation" -> outcome of its first happy-path call


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
    except Exception as e:  # moto answers some operations with bodies botocore cannot read
        outcomes.setdefault(key, type(e).__name__)
    return None


def error_code(fn, **kw):
    """The AWS error code a call answers (None when it succeeds)."""
    try:
        fn(**kw)
        return None
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]


class Server:
    """The endpoint under test: migsim (with its control paths) or moto_server."""

    def __init__(self, port, migsim):
        self.url = f"http://127.0.0.1:{port}"
        self.migsim = migsim
        cfg = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"}, read_timeout=30)
        self.client = lambda svc: boto3.client(svc, endpoint_url=self.url, region_name="us-east-1",
                                               aws_access_key_id="test", aws_secret_access_key="test", config=cfg)

    def cloudwatch(self, protocol):
        """A CloudWatch client speaking `protocol` ("json" or "query"), whatever botocore would pick by default
        (json 1.0 with botocore 1.43; CBOR is tested in test_serve_cloudwatch_cbor.py)."""
        saved = botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS
        botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = (protocol,)
        try:
            c = self.client("cloudwatch")
            assert c.meta.service_model.resolved_protocol == protocol
            return c
        finally:
            botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = saved

    def http(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def advance(self, seconds):
        return self.http("POST", "/_migsim/clock", {"advance_s": seconds})[1]["now_s"]

    def now(self):
        return self.http("GET", "/_migsim/clock")[1]["now_s"]


def test_route53(srv):
    r53 = srv.client("route53")
    z = call("route53", "CreateHostedZone", r53.create_hosted_zone, Name="rehearsal.example", CallerReference="ref-1",
             HostedZoneConfig={"Comment": "test zone", "PrivateZone": False})
    if not z:
        return
    zid = z["HostedZone"]["Id"]
    check("route53: zone id and name", zid.startswith("/hostedzone/") and z["HostedZone"]["Name"] == "rehearsal.example.", z)
    check("route53: 4 name servers", len(z["DelegationSet"]["NameServers"]) == 4, z)
    got = call("route53", "GetHostedZone", r53.get_hosted_zone, Id=zid)
    check("route53: GetHostedZone comment", got and got["HostedZone"]["Config"]["Comment"] == "test zone", got)
    zones = call("route53", "ListHostedZones", r53.list_hosted_zones)
    check("route53: ListHostedZones has it", zones and zid in [h["Id"] for h in zones["HostedZones"]], zones)
    hc = call("route53", "CreateHealthCheck", r53.create_health_check, CallerReference="hc-1",
              HealthCheckConfig={"IPAddress": "192.0.2.11", "Port": 443, "Type": "HTTPS", "ResourcePath": "/health",
                                 "RequestInterval": 10, "FailureThreshold": 3})
    hcid = hc["HealthCheck"]["Id"] if hc else "00000000-0000-0000-0000-000000000000"
    g = call("route53", "GetHealthCheck", r53.get_health_check, HealthCheckId=hcid)
    check("route53: health check config kept", g and g["HealthCheck"]["HealthCheckConfig"]["RequestInterval"] == 10
          and g["HealthCheck"]["HealthCheckConfig"]["ResourcePath"] == "/health", g)
    lh = call("route53", "ListHealthChecks", r53.list_health_checks)
    check("route53: ListHealthChecks has it", lh and hcid in [h["Id"] for h in lh["HealthChecks"]], lh)
    rr = lambda v: [{"Value": v}]
    changes = [
        {"Action": "CREATE", "ResourceRecordSet": {"Name": "www.rehearsal.example", "Type": "A", "TTL": 300,
                                                   "ResourceRecords": rr("192.0.2.10")}},
        {"Action": "CREATE", "ResourceRecordSet": {"Name": "api.rehearsal.example", "Type": "A", "SetIdentifier": "onprem",
                                                   "Weight": 70, "TTL": 60, "ResourceRecords": rr("192.0.2.10")}},
        {"Action": "CREATE", "ResourceRecordSet": {"Name": "api.rehearsal.example", "Type": "A", "SetIdentifier": "aws",
                                                   "Weight": 30, "TTL": 60, "ResourceRecords": rr("192.0.2.11")}},
        {"Action": "CREATE", "ResourceRecordSet": {"Name": "app.rehearsal.example", "Type": "A", "SetIdentifier": "primary",
                                                   "Failover": "PRIMARY", "TTL": 60, "HealthCheckId": hcid,
                                                   "ResourceRecords": rr("192.0.2.11")}},
        {"Action": "CREATE", "ResourceRecordSet": {"Name": "app.rehearsal.example", "Type": "A", "SetIdentifier": "secondary",
                                                   "Failover": "SECONDARY", "TTL": 60, "ResourceRecords": rr("192.0.2.10")}},
    ]
    c = call("route53", "ChangeResourceRecordSets", r53.change_resource_record_sets, HostedZoneId=zid,
             ChangeBatch={"Comment": "weighted and failover", "Changes": changes})
    check("route53: change submitted PENDING", c and c["ChangeInfo"]["Status"] == "PENDING" or not srv.migsim, c)
    ch = call("route53", "GetChange", r53.get_change, Id=c["ChangeInfo"]["Id"] if c else "/change/C0")
    sets = call("route53", "ListResourceRecordSets", r53.list_resource_record_sets, HostedZoneId=zid)
    names = [(s["Name"], s["Type"], s.get("SetIdentifier")) for s in (sets or {}).get("ResourceRecordSets", [])]
    check("route53: records listed in DNS order", names == [
        ("rehearsal.example.", "NS", None), ("rehearsal.example.", "SOA", None),
        ("api.rehearsal.example.", "A", "aws"), ("api.rehearsal.example.", "A", "onprem"),
        ("app.rehearsal.example.", "A", "primary"), ("app.rehearsal.example.", "A", "secondary"),
        ("www.rehearsal.example.", "A", None)], names)
    weights = {s["SetIdentifier"]: s["Weight"] for s in sets["ResourceRecordSets"] if "Weight" in s} if sets else {}
    check("route53: weights kept", weights == {"onprem": 70, "aws": 30}, weights)
    if not srv.migsim:
        for s in sets["ResourceRecordSets"] if sets else []:
            if s["Type"] == "A":
                r53.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [{"Action": "DELETE", "ResourceRecordSet": s}]})
        call("route53", "DeleteHostedZone", r53.delete_hosted_zone, Id=zid)
        call("route53", "DeleteHealthCheck", r53.delete_health_check, HealthCheckId=hcid)
        return
    # Propagation: PENDING until U(10, 60) s of simulated time have passed, INSYNC after.
    statuses = []
    for _ in range(7):
        statuses.append(r53.get_change(Id=c["ChangeInfo"]["Id"])["ChangeInfo"]["Status"])
        srv.advance(10)
    check("route53: PENDING -> INSYNC within 60 s", statuses[0] == "PENDING" and statuses[-1] == "INSYNC"
          and statuses == sorted(statuses, key=lambda s: s != "PENDING"), statuses)
    dup = error_code(r53.change_resource_record_sets, HostedZoneId=zid, ChangeBatch={"Changes": changes[:1]})
    check("route53: CREATE of an existing record -> InvalidChangeBatch", dup == ("InvalidChangeBatch", 400), dup)
    bad = dict(changes[0]["ResourceRecordSet"], TTL=60)
    mism = error_code(r53.change_resource_record_sets, HostedZoneId=zid,
                      ChangeBatch={"Changes": [{"Action": "DELETE", "ResourceRecordSet": bad}]})
    check("route53: DELETE with other values -> InvalidChangeBatch", mism == ("InvalidChangeBatch", 400), mism)
    out = error_code(r53.change_resource_record_sets, HostedZoneId=zid, ChangeBatch={"Changes": [
        {"Action": "CREATE", "ResourceRecordSet": {"Name": "www.elsewhere.example", "Type": "A", "TTL": 60,
                                                   "ResourceRecords": rr("192.0.2.1")}}]})
    check("route53: record outside the zone -> InvalidChangeBatch", out == ("InvalidChangeBatch", 400), out)
    ne = error_code(r53.delete_hosted_zone, Id=zid)
    check("route53: non-empty zone -> HostedZoneNotEmpty", ne == ("HostedZoneNotEmpty", 400), ne)
    r53.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [
        {"Action": "DELETE", "ResourceRecordSet": ch["ResourceRecordSet"]} for ch in changes]})
    d = call("route53", "DeleteHostedZone", r53.delete_hosted_zone, Id=zid)
    check("route53: empty zone deleted", d is not None and error_code(r53.get_hosted_zone, Id=zid) == ("NoSuchHostedZone", 404), d)
    call("route53", "DeleteHealthCheck", r53.delete_health_check, HealthCheckId=hcid)
    check("route53: unknown change -> NoSuchChange", error_code(r53.get_change, Id="C000") == ("NoSuchChange", 404))


def test_dns_switch(srv):
    """The migration's record: an UPSERT to the AWS site's address moves the simulated clients."""
    r53, cw = srv.client("route53"), srv.cloudwatch("json")
    zone = [z for z in r53.list_hosted_zones()["HostedZones"] if z["CallerReference"] == "migsim-migration-zone"]
    if not check("dns: the migration's zone exists", len(zone) == 1, zone):
        return
    zid = zone[0]["Id"]
    rec = [s for s in r53.list_resource_record_sets(HostedZoneId=zid)["ResourceRecordSets"] if s["Type"] == "A"][0]
    check("dns: the record points on-prem (192.0.2.10), TTL from the scenario",
          rec["ResourceRecords"] == [{"Value": "192.0.2.10"}] and rec["TTL"] == 60, rec)
    switched_at = srv.now()
    c = r53.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": dict(
        rec, ResourceRecords=[{"Value": "192.0.2.11"}])}]})
    seen = []
    for _ in range(8):
        seen.append(r53.get_change(Id=c["ChangeInfo"]["Id"])["ChangeInfo"]["Status"])
        srv.advance(10)
    check("dns: the model's change goes INSYNC within 60 s", seen[0] == "PENDING" and "INSYNC" in seen[:7], seen)
    srv.advance(1200 - (srv.now() - switched_at))
    q = {"Id": "aws", "MetricStat": {"Metric": {"Namespace": "Migsim/Workload", "MetricName": "RequestCount",
                                                "Dimensions": [{"Name": "Site", "Value": "aws"}]}, "Period": 60, "Stat": "Sum"}}
    start = T0 + datetime.timedelta(seconds=switched_at - switched_at % 60)
    r = cw.get_metric_data(MetricDataQueries=[q, dict(q, Id="all", MetricStat=dict(q["MetricStat"], Metric={
        "Namespace": "Migsim/Workload", "MetricName": "RequestCount"}))], StartTime=start,
        EndTime=start + datetime.timedelta(minutes=20), ScanBy="TimestampAscending")["MetricDataResults"]
    aws, total = r[0]["Values"], r[1]["Values"]
    share = [a / t for a, t in zip(aws, total) if t > 0]
    check("dns: requests move to the AWS site after the UPSERT (share rises above 90 %)",
          len(share) >= 15 and share[0] < 0.5 and max(share[-5:]) > 0.9, share)


def test_cloudwatch(srv, protocol):
    cw = srv.cloudwatch(protocol)
    tag = f"cloudwatch/{protocol}"
    if srv.migsim:  # the alarm actions' topic (its absence would show as a failed action in the history)
        srv.client("sns").create_topic(Name=TOPIC.rsplit(":", 1)[1])
    if not srv.migsim:
        cw.put_metric_data(Namespace="AWS/EC2", MetricData=[{"MetricName": "CPUUtilization", "Value": v,
                                                             "Dimensions": [{"Name": "InstanceId", "Value": "backend"}],
                                                             "Timestamp": datetime.datetime.now(datetime.timezone.utc)}
                                                            for v in (10, 20, 30)])
    m = call("cloudwatch", f"ListMetrics ({protocol})", cw.list_metrics, Namespace="AWS/EC2")
    ids = sorted(d["Value"] for x in (m or {}).get("Metrics", []) for d in x["Dimensions"])
    if srv.migsim:
        check(f"{tag}: ListMetrics: CPUUtilization per server", ids == sorted(
            ["db", "frontend", "backend", "mgn-repl", "frontend-aws", "backend-aws"]), ids)
        dmsm = cw.list_metrics(Namespace="AWS/DMS")["Metrics"]
        check(f"{tag}: ListMetrics: AWS/DMS CDC latencies of the replication",
              {"CDCLatencySource", "CDCLatencyTarget", "CapacityUtilization"} <= {x["MetricName"] for x in dmsm}
              and all(x["Dimensions"] == [{"Name": "ReplicationConfigId", "Value": "fast-engineering-db"}] for x in dmsm), dmsm)
        rds = cw.list_metrics(Namespace="AWS/RDS")["Metrics"]
        check(f"{tag}: ListMetrics: AWS/RDS CPU of the target server",
              rds == [{"Namespace": "AWS/RDS", "MetricName": "CPUUtilization",
                       "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": "rds"}]}], rds)
    now = T0 + datetime.timedelta(seconds=srv.now()) if srv.migsim else datetime.datetime.now(datetime.timezone.utc)
    start = (now - datetime.timedelta(minutes=15)).replace(second=0, microsecond=0)
    start -= datetime.timedelta(minutes=start.minute % 5)
    dims = [{"Name": "InstanceId", "Value": "backend"}]
    data = call("cloudwatch", f"GetMetricData ({protocol})", cw.get_metric_data, MetricDataQueries=[
        {"Id": "cpu", "MetricStat": {"Metric": {"Namespace": "AWS/EC2", "MetricName": "CPUUtilization", "Dimensions": dims},
                                     "Period": 60, "Stat": "Average"}, "Label": "backend cpu"}],
        StartTime=start, EndTime=start + datetime.timedelta(minutes=10), ScanBy="TimestampAscending")
    stats = call("cloudwatch", f"GetMetricStatistics ({protocol})", cw.get_metric_statistics, Namespace="AWS/EC2",
                 MetricName="CPUUtilization", Dimensions=dims, StartTime=start, EndTime=start + datetime.timedelta(minutes=10),
                 Period=300, Statistics=["Average", "Sum", "Minimum", "Maximum", "SampleCount"], ExtendedStatistics=["p50"])
    if srv.migsim and data and stats:
        res = data["MetricDataResults"][0]
        minutes = res["Values"]
        check(f"{tag}: GetMetricData: 10 one-minute values, ascending, labelled",
              len(minutes) == 10 and res["Label"] == "backend cpu" and res["StatusCode"] == "Complete"
              and res["Timestamps"] == sorted(res["Timestamps"]) and all(0 <= v <= 100 for v in minutes), res)
        dps = sorted(stats["Datapoints"], key=lambda d: d["Timestamp"])
        ok = len(dps) == 2
        for k, dp in enumerate(dps if ok else []):
            xs = minutes[5 * k:5 * k + 5]
            want = {"Average": sum(xs) / 5, "Sum": sum(xs), "Minimum": min(xs), "Maximum": max(xs), "SampleCount": 5.0}
            ok = ok and all(abs(dp[s] - v) <= 1e-9 * max(1, abs(v)) for s, v in want.items())
            ok = ok and dp["ExtendedStatistics"]["p50"] == sorted(xs)[2] and dp["Unit"] == "Percent"
        check(f"{tag}: GetMetricStatistics over 5 min = hand-computed from the minute values", ok, (dps, minutes))
        bad = error_code(cw.get_metric_statistics, Namespace="AWS/EC2", MetricName="CPUUtilization", StartTime=start,
                         EndTime=start + datetime.timedelta(minutes=10), Period=30, Statistics=["Average"])
        check(f"{tag}: Period 30 -> InvalidParameterValue", bad and bad[0] == "InvalidParameterValue", bad)
    name = f"requests-flowing-{protocol}"
    call("cloudwatch", f"PutMetricAlarm ({protocol})", cw.put_metric_alarm, AlarmName=name, AlarmDescription="traffic seen",
         Namespace="Migsim/Workload" if srv.migsim else "AWS/EC2", MetricName="RequestCount" if srv.migsim else "CPUUtilization",
         Statistic="Sum", Period=60, EvaluationPeriods=2, DatapointsToAlarm=2, Threshold=0,
         ComparisonOperator="GreaterThanThreshold", TreatMissingData="missing", AlarmActions=[TOPIC], OKActions=[TOPIC])
    if srv.migsim:
        srv.advance(120)
    a = call("cloudwatch", f"DescribeAlarms ({protocol})", cw.describe_alarms, AlarmNames=[name])
    call("cloudwatch", f"SetAlarmState ({protocol})", cw.set_alarm_state, AlarmName=name, StateValue="OK",
         StateReason="operator reset")
    h = call("cloudwatch", f"DescribeAlarmHistory ({protocol})", cw.describe_alarm_history, AlarmName=name,
             ScanBy="TimestampAscending")
    if srv.migsim and a:
        al = a["MetricAlarms"][0]
        check(f"{tag}: alarm goes to ALARM on simulated traffic, reason names the datapoints",
              al["StateValue"] == "ALARM" and al["StateReason"].startswith("Threshold Crossed: 2 out of the last 2 datapoints")
              and json.loads(al["StateReasonData"])["threshold"] == 0, al)
        items = [(i["HistoryItemType"], i["HistorySummary"]) for i in h["AlarmHistoryItems"]]
        check(f"{tag}: history: created, to ALARM, SNS notification, operator OK",
              items[0][0] == "ConfigurationUpdate" and ("StateUpdate", "Alarm updated from INSUFFICIENT_DATA to ALARM") in items
              and ("Action", "Published a notification to " + TOPIC) in items
              and [i for i in items if i[0] == "StateUpdate"][-1] == ("StateUpdate", "Alarm updated from ALARM to OK")
              and items[-1] == ("Action", "Published a notification to " + TOPIC), items)
        srv.advance(60)
        al = cw.describe_alarms(AlarmNamePrefix="requests-flowing-" + protocol)["MetricAlarms"][0]
        check(f"{tag}: next evaluation overrides SetAlarmState", al["StateValue"] == "ALARM", al)
        gone = error_code(cw.delete_alarms, AlarmNames=[name, "no-such-alarm"])
        check(f"{tag}: DeleteAlarms of a missing alarm -> ResourceNotFound (404)", gone == ("ResourceNotFound", 404), gone)
    call("cloudwatch", f"DeleteAlarms ({protocol})", cw.delete_alarms, AlarmNames=[name])
    if srv.migsim:
        check(f"{tag}: alarm deleted", cw.describe_alarms(AlarmNames=[name])["MetricAlarms"] == [])


def test_dms_progress(srv):
    """Polls the scenario's replication from its start until it runs and its full load advances."""
    dms = srv.client("dms")
    if srv.migsim:
        seen, pct = [], []
        for _ in range(200):
            rep = dms.describe_replications()["Replications"][0]
            if not seen or seen[-1] != rep["Status"]:
                seen.append(rep["Status"])
            if rep["Status"] == "running":
                pct.append(rep["ReplicationStats"]["FullLoadProgressPercent"])
                if len(pct) >= 3 and pct[-1] > pct[0]:
                    break
            srv.advance(5 if pct else 30)
        check("dms: the scenario's replication starts, runs, and its full load advances with simulated time",
              seen[-1] == "running" and len(seen) >= 3 and pct == sorted(pct) and pct[-1] > pct[0], (seen, pct))


def test_dms(srv):
    dms = srv.client("dms")
    ep = call("dms", "CreateEndpoint", dms.create_endpoint, EndpointIdentifier="onprem-replica", EndpointType="source",
              EngineName="mysql", ServerName="db", Port=3306, Username="dms", Password="secret")
    ep_arn = ep["Endpoint"]["EndpointArn"] if ep else DMS_ARN + "endpoint:X"
    tgt = DMS_ARN + "endpoint:rds-mysql"
    if not srv.migsim:
        t = dms.create_endpoint(EndpointIdentifier="rds-mysql", EndpointType="target", EngineName="mysql",
                                ServerName="rds", Port=3306, Username="dms", Password="secret")
        tgt = t["Endpoint"]["EndpointArn"]
    eps = call("dms", "DescribeEndpoints", dms.describe_endpoints)
    if srv.migsim:
        check("dms: endpoints: the scenario's two and the created one",
              [e["EndpointIdentifier"] for e in eps["Endpoints"]] == ["onprem-mysql", "rds-mysql", "onprem-replica"], eps)
        dup = error_code(dms.create_endpoint, EndpointIdentifier="onprem-replica", EndpointType="source", EngineName="mysql")
        check("dms: duplicate endpoint -> ResourceAlreadyExistsFault", dup == ("ResourceAlreadyExistsFault", 400), dup)
    cfg = call("dms", "CreateReplicationConfig", dms.create_replication_config, ReplicationConfigIdentifier="replica-cfg",
               SourceEndpointArn=ep_arn, TargetEndpointArn=tgt, ReplicationType="cdc",
               ComputeConfig={"MinCapacityUnits": 2, "MaxCapacityUnits": 8}, TableMappings=json.dumps({"rules": []}))
    cfgs = call("dms", "DescribeReplicationConfigs", dms.describe_replication_configs)
    if srv.migsim:
        check("dms: configs: the scenario's and the created one (capacity kept)",
              [c["ReplicationConfigIdentifier"] for c in cfgs["ReplicationConfigs"]] == ["fast-engineering-db", "replica-cfg"]
              and cfgs["ReplicationConfigs"][1]["ComputeConfig"]["MaxCapacityUnits"] == 8, cfgs)
        bad = error_code(dms.create_replication_config, ReplicationConfigIdentifier="c2", SourceEndpointArn=ep_arn,
                         TargetEndpointArn=tgt, ReplicationType="cdc", ComputeConfig={"MaxCapacityUnits": 3}, TableMappings="{}")
        check("dms: 3 DCU -> InvalidParameterValueException", bad == ("InvalidParameterValueException", 400), bad)
        # ErrorBehavior through ReplicationSettings: defaults filled in on create, changed by Modify, shown by Describe.
        created = json.loads(cfg["ReplicationConfig"]["ReplicationSettings"])["ErrorBehavior"]
        check("dms: a created config shows the ErrorBehavior defaults",
              created == {"RecoverableErrorCount": -1, "RecoverableErrorInterval": 5, "RecoverableErrorThrottling": True,
                          "RecoverableErrorThrottlingMax": 1800, "RecoverableErrorStopRetryAfterThrottlingMax": True},
              created)
        dms.modify_replication_config(ReplicationConfigArn=cfg["ReplicationConfig"]["ReplicationConfigArn"],
                                      ReplicationSettings=json.dumps({"ErrorBehavior": {"RecoverableErrorCount": 5,
                                                                                        "RecoverableErrorThrottlingMax": 600}}))
        shown = [json.loads(c["ReplicationSettings"])["ErrorBehavior"] for c in dms.describe_replication_configs()["ReplicationConfigs"]
                 if c["ReplicationConfigIdentifier"] == "replica-cfg"][0]
        check("dms: ModifyReplicationConfig's ErrorBehavior returned by DescribeReplicationConfigs",
              shown["RecoverableErrorCount"] == 5 and shown["RecoverableErrorThrottlingMax"] == 600
              and shown["RecoverableErrorInterval"] == 5, shown)
        scenario_eb = json.loads(cfgs["ReplicationConfigs"][0]["ReplicationSettings"])["ErrorBehavior"]
        check("dms: the scenario's config shows its ErrorBehavior", scenario_eb["RecoverableErrorThrottlingMax"] == 1800, scenario_eb)
        bad_eb = error_code(dms.modify_replication_config, ReplicationConfigArn=cfg["ReplicationConfig"]["ReplicationConfigArn"],
                            ReplicationSettings=json.dumps({"ErrorBehavior": {"RecoverableErrorCount": -2}}))
        check("dms: RecoverableErrorCount -2 -> InvalidParameterValueException", bad_eb == ("InvalidParameterValueException", 400), bad_eb)
        running = error_code(dms.modify_replication_config, ReplicationConfigArn=DMS_ARN + "replication-config:fast-engineering-db",
                             ReplicationSettings=json.dumps({"ErrorBehavior": {"RecoverableErrorCount": 3}}))
        check("dms: modifying the running scenario replication -> InvalidResourceStateFault",
              running == ("InvalidResourceStateFault", 400), running)
    call("dms", "DescribeReplicationTableStatistics", dms.describe_replication_table_statistics,
         ReplicationConfigArn=(DMS_ARN + "replication-config:fast-engineering-db") if srv.migsim
         else (cfg or {}).get("ReplicationConfig", {}).get("ReplicationConfigArn", DMS_ARN + "replication-config:X"))
    ri = call("dms", "CreateReplicationInstance", dms.create_replication_instance, ReplicationInstanceIdentifier="rehearsal-ri",
              ReplicationInstanceClass="dms.t3.medium", AllocatedStorage=50)
    ri_arn = ri["ReplicationInstance"]["ReplicationInstanceArn"] if ri else DMS_ARN + "rep:X"
    if srv.migsim:
        check("dms: instance creating", ri["ReplicationInstance"]["ReplicationInstanceStatus"] == "creating", ri)
        early = error_code(dms.test_connection, ReplicationInstanceArn=ri_arn, EndpointArn=ep_arn)
        check("dms: TestConnection before the instance is available -> InvalidResourceStateFault",
              early == ("InvalidResourceStateFault", 400), early)
        srv.advance(600)
    ris = call("dms", "DescribeReplicationInstances", dms.describe_replication_instances)
    if srv.migsim:
        check("dms: instance available after 600 s", ris["ReplicationInstances"][0]["ReplicationInstanceStatus"] == "available", ris)
    tc = call("dms", "TestConnection", dms.test_connection, ReplicationInstanceArn=ri_arn, EndpointArn=ep_arn)
    if srv.migsim:
        check("dms: TestConnection testing", tc["Connection"]["Status"] == "testing", tc)
        srv.advance(10)
    conns = call("dms", "DescribeConnections", dms.describe_connections,
                 Filters=[{"Name": "endpoint-arn", "Values": [ep_arn]}])
    if srv.migsim:
        check("dms: connection to db over the VPN successful", [c["Status"] for c in conns["Connections"]] == ["successful"], conns)
    task = call("dms", "CreateReplicationTask", dms.create_replication_task, ReplicationTaskIdentifier="rehearsal-task",
                SourceEndpointArn=DMS_ARN + "endpoint:onprem-mysql" if srv.migsim else ep_arn, TargetEndpointArn=tgt,
                ReplicationInstanceArn=ri_arn, MigrationType="full-load-and-cdc", TableMappings=json.dumps({"rules": []}))
    task_arn = task["ReplicationTask"]["ReplicationTaskArn"] if task else DMS_ARN + "task:X"
    if srv.migsim:
        check("dms: task creating", task["ReplicationTask"]["Status"] == "creating", task)
        srv.advance(60)
    st = call("dms", "StartReplicationTask", dms.start_replication_task, ReplicationTaskArn=task_arn,
              StartReplicationTaskType="start-replication")
    if srv.migsim:
        check("dms: task starting", st["ReplicationTask"]["Status"] == "starting", st)
        srv.advance(60)
    ts = call("dms", "DescribeReplicationTasks", dms.describe_replication_tasks,
              Filters=[{"Name": "replication-task-arn", "Values": [task_arn]}])
    if srv.migsim:
        t = ts["ReplicationTasks"][0]
        live = dms.describe_replications()["Replications"][0]["ReplicationStats"]
        check("dms: task running, mirroring the scenario's replication progress",
              t["Status"] == "running" and t["ReplicationTaskStats"]["FullLoadProgressPercent"] == live["FullLoadProgressPercent"],
              (t, live))
        running = error_code(dms.delete_replication_task, ReplicationTaskArn=task_arn)
        check("dms: deleting a running task -> InvalidResourceStateFault", running == ("InvalidResourceStateFault", 400), running)
    sp = call("dms", "StopReplicationTask", dms.stop_replication_task, ReplicationTaskArn=task_arn)
    if srv.migsim:
        check("dms: task stopping", sp["ReplicationTask"]["Status"] == "stopping", sp)
        srv.advance(30)
        check("dms: task stopped after 30 s", dms.describe_replication_tasks()["ReplicationTasks"][0]["Status"] == "stopped")
    dl = call("dms", "DeleteReplicationTask", dms.delete_replication_task, ReplicationTaskArn=task_arn)
    if srv.migsim:
        check("dms: task deleting", dl["ReplicationTask"]["Status"] == "deleting", dl)
        srv.advance(30)
        check("dms: task gone", dms.describe_replication_tasks()["ReplicationTasks"] == [])


def test_mgn(srv):
    mgn = srv.client("mgn")
    call("mgn", "InitializeService", mgn.initialize_service)
    if not srv.migsim:
        fake = "s-1234567890abcdef0"
        call("mgn", "GetLaunchConfiguration", mgn.get_launch_configuration, sourceServerID=fake)
        call("mgn", "UpdateLaunchConfiguration", mgn.update_launch_configuration, sourceServerID=fake, launchDisposition="STOPPED")
        call("mgn", "ChangeServerLifeCycleState", mgn.change_server_life_cycle_state, sourceServerID=fake,
             lifeCycle={"state": "READY_FOR_CUTOVER"})
        for op, fn in (("StartTest", mgn.start_test), ("StartCutover", mgn.start_cutover),
                       ("TerminateTargetInstances", mgn.terminate_target_instances)):
            call("mgn", op, fn, sourceServerIDs=[fake])
        call("mgn", "FinalizeCutover", mgn.finalize_cutover, sourceServerID=fake)
        call("mgn", "MarkAsArchived", mgn.mark_as_archived, sourceServerID=fake)
        return
    for _ in range(60):
        servers = mgn.describe_source_servers()["items"]
        if servers and all(s["lifeCycle"]["state"] == "READY_FOR_TEST" for s in servers):
            break
        srv.advance(60)
    by_host = {s["sourceProperties"]["identificationHints"]["hostname"]: s["sourceServerID"] for s in servers}
    check("mgn: the two application servers ready for test", len(by_host) == 2 and all(
        s["lifeCycle"]["state"] == "READY_FOR_TEST" for s in servers), servers)
    sid = by_host.get("backend")
    lc = call("mgn", "GetLaunchConfiguration", mgn.get_launch_configuration, sourceServerID=sid)
    check("mgn: launch configuration defaults (BASIC right-sizing, STARTED)",
          lc["targetInstanceTypeRightSizingMethod"] == "BASIC" and lc["launchDisposition"] == "STARTED"
          and lc["name"] == "backend" and lc["ec2LaunchTemplateID"].startswith("lt-"), lc)
    up = call("mgn", "UpdateLaunchConfiguration", mgn.update_launch_configuration, sourceServerID=sid,
              launchDisposition="STOPPED", copyTags=True)
    check("mgn: update kept", up["launchDisposition"] == "STOPPED" and up["copyTags"] is True
          and mgn.get_launch_configuration(sourceServerID=sid)["launchDisposition"] == "STOPPED", up)
    fin = error_code(mgn.finalize_cutover, sourceServerID=sid)
    check("mgn: FinalizeCutover before cutover -> ConflictException (409)", fin == ("ConflictException", 409), fin)
    nf = error_code(mgn.start_test, sourceServerIDs=["s-00000000000000000"])
    check("mgn: unknown server -> ResourceNotFoundException (404)", nf == ("ResourceNotFoundException", 404), nf)
    job = call("mgn", "StartTest", mgn.start_test, sourceServerIDs=[sid])["job"]
    check("mgn: test job PENDING, LAUNCH", job["status"] == "PENDING" and job["type"] == "LAUNCH"
          and job["initiatedBy"] == "START_TEST", job)
    again = error_code(mgn.start_test, sourceServerIDs=[sid])
    check("mgn: second StartTest while launching -> ConflictException", again == ("ConflictException", 409), again)
    srv.advance(1800)
    j = [x for x in mgn.describe_jobs()["items"] if x["jobID"] == job["jobID"]][0]
    check("mgn: test job completed, instance launched", j["status"] == "COMPLETED"
          and j["participatingServers"][0]["launchStatus"] == "LAUNCHED", j)
    s = call("mgn", "ChangeServerLifeCycleState", mgn.change_server_life_cycle_state, sourceServerID=sid,
             lifeCycle={"state": "READY_FOR_CUTOVER"})
    check("mgn: marked ready for cutover", s["lifeCycle"]["state"] == "READY_FOR_CUTOVER", s)
    cj = call("mgn", "StartCutover", mgn.start_cutover, sourceServerIDs=[sid])["job"]
    check("mgn: cutover job", cj["initiatedBy"] == "START_CUTOVER", cj)
    srv.advance(1800)
    state = mgn.describe_source_servers(filters={"sourceServerIDs": [sid]})["items"][0]["lifeCycle"]["state"]
    check("mgn: cutover launched -> CUTOVER", state == "CUTOVER", state)
    f = call("mgn", "FinalizeCutover", mgn.finalize_cutover, sourceServerID=sid)
    check("mgn: finalized -> DISCONNECTED", f["lifeCycle"]["state"] == "DISCONNECTED", f)
    t = call("mgn", "TerminateTargetInstances", mgn.terminate_target_instances, sourceServerIDs=[sid])["job"]
    check("mgn: terminate job", t["type"] == "TERMINATE" and t["initiatedBy"] == "TERMINATE", t)
    a = call("mgn", "MarkAsArchived", mgn.mark_as_archived, sourceServerID=sid)
    check("mgn: archived", a["isArchived"] is True, a)
    # An injected launch failure: the next test of frontend fails, the lifecycle rolls back.
    fid = by_host["frontend"]
    status, ev = srv.http("POST", "/_migsim/events", {"action": "mgn_launch_fail", "target": "frontend"})
    check("events: mgn_launch_fail applied", status == 201 and ev["status"] == "applied", ev)
    job = mgn.start_test(sourceServerIDs=[fid])["job"]
    srv.advance(1800)
    j = [x for x in mgn.describe_jobs()["items"] if x["jobID"] == job["jobID"]][0]
    st = mgn.describe_source_servers(filters={"sourceServerIDs": [fid]})["items"][0]["lifeCycle"]["state"]
    check("mgn: injected launch failure -> job FAILED, back to READY_FOR_TEST",
          j["participatingServers"][0]["launchStatus"] == "FAILED" and st == "READY_FOR_TEST", (j, st))


def test_chaos(srv):
    dms, cw = srv.client("dms"), srv.cloudwatch("query")
    status, rules = srv.http("POST", "/_localstack/chaos/faults", [
        {"service": "dms", "operation": "DescribeEndpoints", "error": {"statusCode": 503, "code": "ServiceUnavailable"}}])
    check("chaos: POST replaces the rules", status == 200 and len(rules) == 1, rules)
    err = error_code(dms.describe_endpoints)
    check("chaos: matching DMS call fails with the rule's error (json)", err == ("ServiceUnavailable", 503), err)
    check("chaos: other operations unaffected", error_code(dms.describe_replications) is None)
    status, rules = srv.http("PATCH", "/_localstack/chaos/faults", [
        {"service": "cloudwatch", "region": "us-east-1", "error": {"statusCode": 400, "code": "Throttling"}}])
    check("chaos: PATCH appends", status == 200 and len(rules) == 2, rules)
    err = error_code(cw.list_metrics)
    check("chaos: CloudWatch query call fails with the query error shape", err == ("Throttling", 400), err)
    status, rules = srv.http("DELETE", "/_localstack/chaos/faults", [rules[1]])
    check("chaos: DELETE removes the given rule", status == 200 and len(rules) == 1 and rules[0]["service"] == "dms", rules)
    srv.http("POST", "/_localstack/chaos/faults", [{"service": "dms", "operation": "DescribeReplications", "probability": 0.5}])
    fails = sum(1 for _ in range(60) if error_code(dms.describe_replications) is not None)
    check("chaos: probability 0.5 fails about half of 60 calls (binomial, 4 sigma)", 14 <= fails <= 46, fails)
    status, _ = srv.http("POST", "/_localstack/chaos/faults", [{"service": "dms", "probability": 2}])
    check("chaos: probability 2 -> 400", status == 400)
    status, rules = srv.http("POST", "/_localstack/chaos/faults", [])
    check("chaos: empty list disables faults", status == 200 and rules == [] and error_code(dms.describe_endpoints) is None)
    status, eff = srv.http("POST", "/_localstack/chaos/effects", {"latency": 300})
    check("chaos: effects latency set", status == 200 and eff == {"latency": 300}, eff)
    box = {}

    def slow_call():
        t = time.time()
        dms.describe_endpoints()
        box["s"] = time.time() - t

    th = threading.Thread(target=slow_call)
    th.start()
    time.sleep(0.05)
    t = time.time()
    srv.http("GET", "/_migsim/clock")
    control_s = time.time() - t
    th.join()
    check("chaos: latency delays AWS calls (>= 0.3 s) without blocking the server (control path < 0.1 s)",
          box.get("s", 0) >= 0.3 and control_s < 0.1, (box, control_s))
    srv.http("POST", "/_localstack/chaos/effects", {"latency": 0})


def test_events(srv):
    dms = srv.client("dms")
    status, err = srv.http("POST", "/_migsim/events", {"action": "link_down", "target": "nope"})
    check("events: unknown link -> 400 naming target", status == 400 and err["field"] == "target", err)
    status, err = srv.http("POST", "/_migsim/events", {"action": "explode"})
    check("events: unknown action -> 400 naming action", status == 400 and err["field"] == "action", err)
    status, err = srv.http("POST", "/_migsim/events", {"action": "set_workers", "target": "api-cart", "value": 0.5})
    check("events: bad value -> 400 naming value", status == 400 and err["field"] == "value", err)
    status, err = srv.http("POST", "/_migsim/events", {"action": "link_up", "target": "vpn", "at_s": "soon"})
    check("events: bad time -> 400 naming at_s", status == 400 and err["field"] == "at_s", err)
    arn = DMS_ARN + "replication-config:fast-engineering-db"
    status, ev = srv.http("POST", "/_migsim/events", {"action": "dms_fail"})
    rep = dms.describe_replications()["Replications"][0]
    check("events: dms_fail -> replication failed with a failure message",
          status == 201 and rep["Status"] == "failed" and rep.get("FailureMessages"), (ev, rep))
    dms.start_replication(ReplicationConfigArn=arn, StartReplicationType="resume-processing")
    for _ in range(30):
        srv.advance(30)
        if dms.describe_replications()["Replications"][0]["Status"] == "running":
            break
    check("events: resumed after the failure", dms.describe_replications()["Replications"][0]["Status"] == "running")
    now = srv.now()
    status, ev = srv.http("POST", "/_migsim/events", {"action": "link_down", "target": "vpn", "at_s": now + 60})
    check("events: scheduled in the future", status == 201 and ev["status"] == "scheduled" and ev["at_s"] == now + 60, ev)
    srv.http("POST", "/_migsim/events", {"action": "link_up", "target": "vpn", "at_s": now + 600})
    srv.advance(61)
    status, lst = srv.http("GET", "/_migsim/events")
    evs = lst["events"]
    check("events: GET lists them, the due one applied at its time",
          status == 200 and evs[-2]["status"] == "applied" and evs[-2]["applied_s"] == now + 60
          and evs[-1]["status"] == "scheduled", evs[-2:])


def test_elbv2_create(srv):
    """ELBv2 create/delete (harness/serve/elbv2/backend.cpp, target_groups.cpp): the happy path on both servers; against migsim the
    load balancer is provisioning, then active 180 s later (tests/e2e/test_serve_elbv2_create.py
    checks every value and error)."""
    elb = srv.client("elbv2")
    subnets = ["subnet-a", "subnet-b"]
    if not srv.migsim:  # moto checks subnets against its EC2
        ec2 = srv.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"]["SubnetId"]
                   for i, z in ((1, "a"), (2, "b"))]
    r = call("elbv2", "CreateLoadBalancer", elb.create_load_balancer, Name="side-lb", Subnets=subnets)
    if not r:
        return
    lb = r["LoadBalancers"][0]
    check("elbv2 CreateLoadBalancer: provisioning", lb["State"]["Code"] == "provisioning", lb)
    r = call("elbv2", "CreateTargetGroup", elb.create_target_group, Name="side-tg", Protocol="HTTP", Port=80,
             VpcId=lb["VpcId"], TargetType="ip")
    tg = r["TargetGroups"][0]["TargetGroupArn"] if r else ""
    r = call("elbv2", "CreateListener", elb.create_listener, LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
             DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
    listener = r["Listeners"][0]["ListenerArn"] if r else ""
    r = call("elbv2", "CreateRule", elb.create_rule, ListenerArn=listener, Priority=10,
             Conditions=[{"Field": "path-pattern", "Values": ["/api/*"]}], Actions=[{"Type": "forward", "TargetGroupArn": tg}])
    rule = r["Rules"][0]["RuleArn"] if r else ""
    call("elbv2", "RegisterTargets", elb.register_targets, TargetGroupArn=tg, Targets=[{"Id": "10.0.1.20"}])
    call("elbv2", "ModifyTargetGroup", elb.modify_target_group, TargetGroupArn=tg, HealthCheckIntervalSeconds=10)
    if srv.migsim:
        srv.advance(180)
        r = call("elbv2", "DescribeLoadBalancers", elb.describe_load_balancers, Names=["side-lb"])
        check("elbv2 active 180 s after CreateLoadBalancer", r and r["LoadBalancers"][0]["State"]["Code"] == "active", r)
    else:
        call("elbv2", "DescribeLoadBalancers", elb.describe_load_balancers, Names=["side-lb"])
    call("elbv2", "DescribeTargetHealth", elb.describe_target_health, TargetGroupArn=tg)
    call("elbv2", "DeregisterTargets", elb.deregister_targets, TargetGroupArn=tg, Targets=[{"Id": "10.0.1.20"}])
    call("elbv2", "DeleteRule", elb.delete_rule, RuleArn=rule)
    call("elbv2", "DeleteListener", elb.delete_listener, ListenerArn=listener)
    call("elbv2", "DeleteTargetGroup", elb.delete_target_group, TargetGroupArn=tg)
    call("elbv2", "DeleteLoadBalancer", elb.delete_load_balancer, LoadBalancerArn=lb["LoadBalancerArn"])


def test_ec2_asg(srv):
    """EC2 launch templates (ec2 protocol) and an Auto Scaling group launched from one (test_serve_asg_create.py
    checks them in depth on an AWS estate; here the side-by-side with moto)."""
    ec2, asg = srv.client("ec2"), srv.client("autoscaling")
    lt = call("ec2", "CreateLaunchTemplate", ec2.create_launch_template, LaunchTemplateName="table-lt",
              LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.small"})
    lt_id = lt["LaunchTemplate"]["LaunchTemplateId"] if lt else "lt-00000000000000000"
    v2 = call("ec2", "CreateLaunchTemplateVersion", ec2.create_launch_template_version, LaunchTemplateId=lt_id,
              SourceVersion="1", LaunchTemplateData={"InstanceType": "t3.medium"})
    data = (v2 or {}).get("LaunchTemplateVersion", {})
    check("ec2: CreateLaunchTemplateVersion 2 keeps the source's AMI", data.get("VersionNumber") == 2
          and data.get("LaunchTemplateData", {}).get("ImageId") == "ami-12c6146b", v2)
    mod = call("ec2", "ModifyLaunchTemplate", ec2.modify_launch_template, LaunchTemplateId=lt_id, DefaultVersion="2")
    check("ec2: ModifyLaunchTemplate sets the default", (mod or {}).get("LaunchTemplate", {}).get("DefaultVersionNumber") == 2,
          mod)
    d = call("ec2", "DescribeLaunchTemplates", ec2.describe_launch_templates, LaunchTemplateNames=["table-lt"])
    check("ec2: DescribeLaunchTemplates", d is not None and [t.get("LatestVersionNumber") for t in d["LaunchTemplates"]] == [2], d)
    v = call("ec2", "DescribeLaunchTemplateVersions", ec2.describe_launch_template_versions, LaunchTemplateId=lt_id)
    check("ec2: DescribeLaunchTemplateVersions", v is not None
          and sorted(x["VersionNumber"] for x in v["LaunchTemplateVersions"]) == [1, 2], v)
    call("autoscaling", "CreateAutoScalingGroup", asg.create_auto_scaling_group, AutoScalingGroupName="table-asg",
         LaunchTemplate={"LaunchTemplateId": lt_id, "Version": "$Default"}, MinSize=1, MaxSize=3, DesiredCapacity=2,
         AvailabilityZones=["us-east-1a", "us-east-1b"])
    if srv.migsim:
        srv.advance(600)  # boots take 120 s (cv 0.2) without an aws section
    g = call("autoscaling", "DescribeAutoScalingGroups", asg.describe_auto_scaling_groups,
             AutoScalingGroupNames=["table-asg"])
    inst = g["AutoScalingGroups"][0]["Instances"] if g and g["AutoScalingGroups"] else []
    check("autoscaling: the created group has 2 InService t3.medium instances",
          [(i.get("LifecycleState"), i.get("InstanceType")) for i in inst] == [("InService", "t3.medium")] * 2, inst)
    r = call("ec2", "DescribeInstances", ec2.describe_instances, InstanceIds=[i["InstanceId"] for i in inst] or ["i-0"])
    states = [x.get("State", {}).get("Name") for res in (r or {}).get("Reservations", []) for x in res.get("Instances", [])]
    check("ec2: DescribeInstances shows them running", states == ["running", "running"], r)
    call("autoscaling", "DeleteAutoScalingGroup", asg.delete_auto_scaling_group, AutoScalingGroupName="table-asg",
         ForceDelete=True)
    call("ec2", "DeleteLaunchTemplate", ec2.delete_launch_template, LaunchTemplateId=lt_id)


def run_migsim(binary):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "scenario.json")
        fx.small_scenario(path, "serve-services-test", 6 * 3600)
        with fx.Serve(binary, path, quiet=True) as srv:
            if not check("migsim serve listening", srv.listening(30) is not None):
                return
            server = Server(srv.port, True)
            for section in (test_dms_progress, test_route53, test_dns_switch, lambda s: test_cloudwatch(s, "json"),
                            lambda s: test_cloudwatch(s, "query"), test_dms, test_mgn, test_chaos, test_events, test_elbv2_create,
                            test_ec2_asg):
                section(server)
            srv.proc.terminate()
            srv.proc.wait(timeout=10)


def run_moto():
    port = fx.free_port()
    proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        if not fx.wait_connectable(port):
            print("moto_server did not start")
            return
        srv = Server(port, False)
        counting[0] = False
        for section in (test_route53, lambda s: test_cloudwatch(s, "json"), lambda s: test_cloudwatch(s, "query"),
                        test_dms, test_mgn, test_elbv2_create, test_ec2_asg):
            section(srv)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main():
    args = sys.argv[1:]
    table = None
    if "--table" in args:
        table = args[args.index("--table") + 1]
        del args[args.index("--table"):args.index("--table") + 2]
    if args == ["--moto"]:
        run_moto()
        print(json.dumps(outcomes, indent=1))
        return 0
    run_migsim(args[0])
    if table:
        migsim_outcomes = dict(outcomes)
        outcomes.clear()
        run_moto()
        rows = ["| service | operation | migsim | moto 5.2.1 |", "|---|---|---|---|"]
        for key in sorted(set(migsim_outcomes) | set(outcomes)):
            svc, op = key.split(" ", 1)
            rows.append(f"| {svc} | {op} | {migsim_outcomes.get(key, '-')} | {outcomes.get(key, 'not called')} |")
        with open(table, "w") as f:
            f.write("\n".join(rows) + "\n")
        print(f"table written to {table}")
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
