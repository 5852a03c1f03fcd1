#!/usr/bin/env python3
"""CloudWatch of `migsim serve` in smithy-rpc-v2-cbor (POST
/service/GraniteServiceVersion20100801/operation/<Op>, CBOR bodies), spoken by botocore's own
RpcV2CBORSerializer/RpcV2CBORParser through boto3 and the AWS CLI's driver.

botocore 1.43.11 lists CloudWatch's protocols as [smithy-rpc-v2-cbor, json, query] but resolves a
default client to json (its PRIORITY_ORDERED_SUPPORTED_PROTOCOLS puts json first), so CBOR is
selected here by narrowing that list to ("smithy-rpc-v2-cbor",), and every request is checked on the
wire (path, smithy-protocol header on the request and the response). The default client and plain
`aws` are checked too, whatever protocol botocore resolves them to.

Usage: python3 tests/e2e/test_serve_cloudwatch_cbor.py <path to migsim>   (from the repo root)

Serves scenarios/lift-and-shift-cutover.json paused (--speed 0), moves the clock, and checks that the
CBOR client gets from ListMetrics, GetMetricData,
GetMetricStatistics, PutMetricAlarm, DescribeAlarms and SetAlarmState what a client pinned to json
1.0 gets for the same calls, that the statistics match the ones computed here from the minute
values, that errors come back as the codes boto3 raises, and that `aws cloudwatch list-metrics`
prints the same metrics. Prints "N passed, M failed"; exits 1 on a failure.
"""
import datetime
import json
import os
import subprocess
import sys
import time

import boto3
import botocore.config
import botocore.model
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import AWS_ENV, check, scenario_t0, serve_checked, summary  # noqa: E402

SCENARIO = "scenarios/lift-and-shift-cutover.json"
T0 = scenario_t0(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", SCENARIO))  # simulated t = 0


def clock(srv, advance_s=None):
    """The simulated time (s), after moving it by advance_s (9 simulated hours take ~8 s idle)."""
    return srv.now() if advance_s is None else srv.advance(advance_s)


def error_of(fn, **kw):
    try:
        fn(**kw)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    return None


wire = {"requests": 0, "not_cbor": []}  # what the CBOR client put on the wire and got back


def on_request(request, **_):
    wire["requests"] += 1
    path = request.url.split("://", 1)[-1].split("/", 1)[-1]
    if not path.startswith("service/GraniteServiceVersion20100801/operation/") \
            or request.headers.get("smithy-protocol") not in (b"rpc-v2-cbor", "rpc-v2-cbor"):
        wire["not_cbor"].append(("request", request.url, dict(request.headers)))


def on_response(http_response, **_):
    if http_response is not None and http_response.headers.get("smithy-protocol") != "rpc-v2-cbor":
        wire["not_cbor"].append(("response", http_response.status_code, dict(http_response.headers)))


def client_speaking(protocol, **kw):
    """A CloudWatch client whose botocore resolves to `protocol` (None: botocore's own choice)."""
    if protocol is None:
        return boto3.client("cloudwatch", **kw)
    saved = botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS
    botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = (protocol,)
    try:
        return boto3.client("cloudwatch", **kw)
    finally:
        botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = saved


def clients(port):
    kw = dict(endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1", aws_access_key_id="test",
              aws_secret_access_key="test", config=botocore.config.Config(retries={"max_attempts": 1}))
    cbor = client_speaking("smithy-rpc-v2-cbor", **kw)
    cbor.meta.events.register("before-send.cloudwatch", on_request)
    cbor.meta.events.register("after-call.cloudwatch", lambda http_response, **_: on_response(http_response))
    return cbor, client_speaking("json", **kw), client_speaking(None, **kw)


def strip(reply):
    return {k: v for k, v in reply.items() if k != "ResponseMetadata"}


def run(cw, js, default, srv):
    check("the CBOR client speaks smithy-rpc-v2-cbor", cw.meta.service_model.resolved_protocol == "smithy-rpc-v2-cbor"
          and "smithy-rpc-v2-cbor" in cw.meta.service_model.protocols, cw.meta.service_model.resolved_protocol)
    check("the pinned client speaks json", js.meta.service_model.resolved_protocol == "json")
    print(f"     (botocore {botocore.__version__} resolves a default CloudWatch client to "
          f"{default.meta.service_model.resolved_protocol})")
    clock(srv, 9 * 3600)  # 09:00: MGN and DMS are running, traffic flows

    # ListMetrics: the same metrics both ways, the per-server CPU among them.
    m = cw.list_metrics(Namespace="AWS/EC2")
    ids = sorted(d["Value"] for x in m["Metrics"] for d in x["Dimensions"] if d["Name"] == "InstanceId")
    check("ListMetrics (CBOR): CPUUtilization of the on-prem servers", {"db", "frontend", "backend"} <= set(ids), ids)
    check("ListMetrics: CBOR = json", strip(m) == strip(js.list_metrics(Namespace="AWS/EC2")))
    everything = cw.list_metrics()
    check("ListMetrics without a namespace: CBOR = json, several namespaces",
          strip(everything) == strip(js.list_metrics())
          and len({x["Namespace"] for x in everything["Metrics"]}) >= 2, everything)

    # GetMetricData and GetMetricStatistics over 10 minutes of backend CPU.
    now = T0 + datetime.timedelta(seconds=clock(srv))
    start = (now - datetime.timedelta(minutes=15)).replace(second=0, microsecond=0)
    start -= datetime.timedelta(minutes=start.minute % 5)
    end = start + datetime.timedelta(minutes=10)
    dims = [{"Name": "InstanceId", "Value": "backend"}]
    queries = [{"Id": "cpu", "Label": "backend cpu", "MetricStat": {
        "Metric": {"Namespace": "AWS/EC2", "MetricName": "CPUUtilization", "Dimensions": dims},
        "Period": 60, "Stat": "Average"}}]
    data = cw.get_metric_data(MetricDataQueries=queries, StartTime=start, EndTime=end, ScanBy="TimestampAscending")
    res = data["MetricDataResults"][0]
    minutes = res["Values"]
    check("GetMetricData (CBOR): 10 one-minute values, timestamps as datetimes one minute apart",
          len(minutes) == 10 and res["Label"] == "backend cpu" and res["StatusCode"] == "Complete"
          and res["Timestamps"] == [start + datetime.timedelta(minutes=k) for k in range(10)]
          and all(0 <= v <= 100 for v in minutes) and any(v > 0 for v in minutes), res)
    check("GetMetricData: CBOR = json", strip(data) == strip(js.get_metric_data(
        MetricDataQueries=queries, StartTime=start, EndTime=end, ScanBy="TimestampAscending")))
    kw = dict(Namespace="AWS/EC2", MetricName="CPUUtilization", Dimensions=dims, StartTime=start, EndTime=end,
              Period=300, Statistics=["Average", "Sum", "Minimum", "Maximum", "SampleCount"])
    stats = cw.get_metric_statistics(**kw)
    dps = sorted(stats["Datapoints"], key=lambda d: d["Timestamp"])
    ok = len(dps) == 2
    for k, dp in enumerate(dps if ok else []):
        xs = minutes[5 * k:5 * k + 5]
        want = {"Average": sum(xs) / 5, "Sum": sum(xs), "Minimum": min(xs), "Maximum": max(xs), "SampleCount": 5.0}
        ok = ok and dp["Timestamp"] == start + datetime.timedelta(minutes=5 * k) and dp["Unit"] == "Percent"
        ok = ok and all(abs(dp[s] - v) <= 1e-9 * max(1, abs(v)) for s, v in want.items())
    check("GetMetricStatistics (CBOR) over 5 min = computed from the minute values", ok, (dps, minutes))
    check("GetMetricStatistics: CBOR = json", strip(stats) == strip(js.get_metric_statistics(**kw)))
    check("Period 30 -> InvalidParameterValue (400)",
          error_of(cw.get_metric_statistics, **dict(kw, Period=30)) == ("InvalidParameterValue", 400))
    lax = client_speaking("smithy-rpc-v2-cbor", endpoint_url=cw.meta.endpoint_url, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test",
                          config=botocore.config.Config(parameter_validation=False, retries={"max_attempts": 1}))
    lax.meta.events.register("before-send.cloudwatch", on_request)
    check("the server validates: no Namespace -> ValidationException (400)",
          error_of(lax.get_metric_statistics, **{k: v for k, v in kw.items() if k != "Namespace"})
          == ("ValidationException", 400))

    # Alarms: create, see it evaluate on simulated traffic, reset it by hand.
    cw.put_metric_alarm(AlarmName="cbor-cpu", AlarmDescription="backend busy", Namespace="AWS/EC2",
                        MetricName="CPUUtilization", Dimensions=dims, Statistic="Average", Period=60,
                        EvaluationPeriods=2, DatapointsToAlarm=2, Threshold=0.0,
                        ComparisonOperator="GreaterThanThreshold", TreatMissingData="missing")
    clock(srv, 180)
    a = cw.describe_alarms(AlarmNames=["cbor-cpu"])["MetricAlarms"]
    check("PutMetricAlarm + DescribeAlarms (CBOR): the alarm, in ALARM on the simulated CPU",
          len(a) == 1 and a[0]["AlarmName"] == "cbor-cpu" and a[0]["Threshold"] == 0.0 and a[0]["Period"] == 60
          and a[0]["Dimensions"] == dims and a[0]["StateValue"] == "ALARM"
          and isinstance(a[0]["StateUpdatedTimestamp"], datetime.datetime)
          and a[0]["StateUpdatedTimestamp"] <= T0 + datetime.timedelta(seconds=clock(srv)), a)
    check("DescribeAlarms: CBOR = json", strip(cw.describe_alarms(AlarmNames=["cbor-cpu"]))
          == strip(js.describe_alarms(AlarmNames=["cbor-cpu"])))
    cw.set_alarm_state(AlarmName="cbor-cpu", StateValue="OK", StateReason="operator reset")
    a = cw.describe_alarms(AlarmNames=["cbor-cpu"])["MetricAlarms"][0]
    check("SetAlarmState (CBOR): OK with the reason", a["StateValue"] == "OK" and a["StateReason"] == "operator reset", a)
    check("SetAlarmState of an unknown alarm -> ResourceNotFound (404)",
          error_of(cw.set_alarm_state, AlarmName="nope", StateValue="OK", StateReason="x") == ("ResourceNotFound", 404))
    h = cw.describe_alarm_history(AlarmName="cbor-cpu", ScanBy="TimestampAscending")["AlarmHistoryItems"]
    check("DescribeAlarmHistory (CBOR): created, to ALARM, to OK",
          h and h[0]["HistoryItemType"] == "ConfigurationUpdate"
          and [i["HistorySummary"] for i in h if i["HistoryItemType"] == "StateUpdate"][-1] == "Alarm updated from ALARM to OK",
          h)
    cw.delete_alarms(AlarmNames=["cbor-cpu"])
    check("DeleteAlarms (CBOR)", cw.describe_alarms(AlarmNames=["cbor-cpu"])["MetricAlarms"] == [])
    check("every call of the CBOR client went out and came back in rpc-v2-cbor",
          wire["requests"] >= 14 and not wire["not_cbor"], wire)
    check("the default client (botocore's own choice) reads the same metrics",
          strip(default.list_metrics(Namespace="AWS/EC2")) == strip(js.list_metrics(Namespace="AWS/EC2")))


# The AWS CLI's own driver with botocore narrowed to CBOR (plain `aws` resolves CloudWatch to json).
CLI_CBOR = ("import sys, botocore.model; botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = ('smithy-rpc-v2-cbor',); "
            "import awscli.clidriver; sys.exit(awscli.clidriver.main())")


def run_cli(port, want):
    env = AWS_ENV
    url = f"http://127.0.0.1:{port}"
    for name, cli in (("aws (CBOR)", [sys.executable, "-c", CLI_CBOR]), ("aws (its default protocol)", ["aws"])):
        p = subprocess.run(cli + ["--endpoint-url", url, "--output", "json", "--debug", "cloudwatch", "list-metrics",
                                  "--namespace", "AWS/EC2"], capture_output=True, text=True, env=env, timeout=60)
        try:
            got = json.loads(p.stdout)
        except ValueError:
            got = None
        check(f"{name} cloudwatch list-metrics prints the metrics boto3 sees", p.returncode == 0 and got is not None
              and sorted(map(json.dumps, got.get("Metrics", []))) == sorted(map(json.dumps, want)),
              (p.returncode, p.stderr[-500:]))
        if "CBOR" in name:
            check(f"{name}: the request went to the rpc-v2 path", "/service/GraniteServiceVersion20100801/operation/"
                  "ListMetrics" in p.stderr and "'smithy-protocol': 'rpc-v2-cbor'" in p.stderr, p.stderr[-2000:])
    p = subprocess.run([sys.executable, "-c", CLI_CBOR, "--endpoint-url", url, "cloudwatch", "set-alarm-state",
                        "--alarm-name", "nope", "--state-value", "OK", "--state-reason", "x"],
                       capture_output=True, text=True, env=env, timeout=60)
    check("aws (CBOR) cloudwatch set-alarm-state of an unknown alarm: ResourceNotFound",
          p.returncode != 0 and "ResourceNotFound" in p.stderr, (p.returncode, p.stderr[-500:]))


def main():
    migsim = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "build/migsim"
    started = time.time()
    def body(srv):
        cw, js, default = clients(srv.port)
        run(cw, js, default, srv)
        run_cli(srv.port, js.list_metrics(Namespace="AWS/EC2")["Metrics"])
    serve_checked(migsim, SCENARIO, body, check_stop=False, timeout_s=30)
    return summary(started)


if __name__ == "__main__":
    sys.exit(main())
