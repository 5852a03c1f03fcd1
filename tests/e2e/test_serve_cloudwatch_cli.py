#!/usr/bin/env python3
"""CloudWatch of `migsim serve` driven by the AWS CLI, every operation, twice: plain `aws` (which
botocore 1.43.11 resolves to json 1.0) and the AWS CLI's own driver with botocore narrowed to
smithy-rpc-v2-cbor (the first protocol of CloudWatch's model; CBOR on the wire is checked once with
--debug). Values read with --query are checked against what the simulation holds: the same numbers
as a boto3 client reading the metrics registry in json, GetMetricStatistics equal to statistics
computed here from GetMetricData's minute values, an alarm evaluated on the simulated CPU that goes
to ALARM and notifies an SNS topic (created with `aws sns create-topic`).

Usage: python3 tests/e2e/test_serve_cloudwatch_cli.py <path to migsim>   (from the repo root)
Serves the shrunk cutover scenario paused (--speed 0) and moves its clock.
Prints "N passed, M failed"; exits 1 on a failure.
"""
import datetime
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import AWS_ENV, check, cli_time, serve_checked, small_scenario, summary  # noqa: E402

from test_serve_cloudwatch_cbor import T0  # noqa: E402
import aws_cli  # noqa: E402  (tests/e2e: the real AWS CLI, in this process)


def cli(srv, protocol, *args, debug=False):
    """`aws ARGS` with CloudWatch in json (plain aws) or cbor: (exit code, parsed output, stderr)."""
    rc, stdout, stderr = aws_cli.run(AWS_ENV, ["--endpoint-url", srv.url, "--output", "json"]
                                     + (["--debug"] if debug else []) + list(args),
                                     protocols=None if protocol == "json" else ("smithy-rpc-v2-cbor",))
    out = json.loads(stdout) if rc == 0 and stdout.strip() else None
    return rc, out, stderr


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def metrics(srv, protocol, js, start):
    """list-metrics, get-metric-data and get-metric-statistics over 10 minutes of backend CPU."""
    rc, ids, err = cli(srv, protocol, "cloudwatch", "list-metrics", "--namespace", "AWS/EC2", "--query",
                       "Metrics[?MetricName=='CPUUtilization'].Dimensions[0].Value")
    want = sorted(d["Value"] for m in js.list_metrics(Namespace="AWS/EC2", MetricName="CPUUtilization")["Metrics"]
                  for d in m["Dimensions"])
    check(f"cloudwatch list-metrics ({protocol}): CPUUtilization of the on-prem servers, as boto3 lists them",
          rc == 0 and {"db", "frontend", "backend"} <= set(ids) and sorted(ids) == want, (rc, ids, want, err[-300:]))
    end = start + datetime.timedelta(minutes=10)
    dims = [{"Name": "InstanceId", "Value": "backend"}]
    queries = [{"Id": "cpu", "Label": "backend cpu", "MetricStat": {
        "Metric": {"Namespace": "AWS/EC2", "MetricName": "CPUUtilization", "Dimensions": dims},
        "Period": 60, "Stat": "Average"}}]
    rc, res, err = cli(srv, protocol, "cloudwatch", "get-metric-data", "--metric-data-queries", json.dumps(queries),
                       "--start-time", iso(start),
                       "--end-time", iso(end), "--scan-by", "TimestampAscending", "--query",
                       "MetricDataResults[0].[Label, StatusCode, Values, Timestamps]")
    ref = js.get_metric_data(MetricDataQueries=queries, StartTime=start, EndTime=end,
                             ScanBy="TimestampAscending")["MetricDataResults"][0]
    minutes = res[2] if rc == 0 else []
    stamps = [cli_time(t) for t in (res[3] if rc == 0 else [])]
    check(f"cloudwatch get-metric-data ({protocol}): 10 minute values of the simulated CPU, as boto3 reads them",
          rc == 0 and res[:2] == ["backend cpu", "Complete"] and len(minutes) == 10 and minutes == ref["Values"]
          and stamps == [start + datetime.timedelta(minutes=k) for k in range(10)]
          and all(0 <= v <= 100 for v in minutes) and any(v > 0 for v in minutes), (rc, res, ref, err[-300:]))
    rc, dps, err = cli(srv, protocol, "cloudwatch", "get-metric-statistics", "--namespace", "AWS/EC2", "--metric-name",
                       "CPUUtilization",
                       "--dimensions", "Name=InstanceId,Value=backend", "--start-time", iso(start), "--end-time",
                       iso(end), "--period", "300", "--statistics", "Average", "Sum", "Minimum", "Maximum",
                       "SampleCount", "--query", "sort_by(Datapoints, &Timestamp)")
    ok = rc == 0 and len(dps) == 2 and len(minutes) == 10
    for k, dp in enumerate(dps if ok else []):
        xs = minutes[5 * k:5 * k + 5]
        want = {"Average": sum(xs) / 5, "Sum": sum(xs), "Minimum": min(xs), "Maximum": max(xs), "SampleCount": 5.0}
        ok = ok and dp["Unit"] == "Percent" and all(abs(dp[s] - v) <= 1e-9 * max(1, abs(v)) for s, v in want.items())
    check(f"cloudwatch get-metric-statistics ({protocol}) over 5 min = computed from the minute values", ok,
          (rc, dps, minutes, err[-300:]))
    rc, _, err = cli(srv, protocol, "cloudwatch", "get-metric-statistics", "--namespace", "AWS/EC2", "--metric-name",
                     "CPUUtilization",
                     "--start-time", iso(start), "--end-time", iso(end), "--period", "30", "--statistics", "Average")
    check(f"cloudwatch get-metric-statistics ({protocol}) --period 30: InvalidParameterValue",
          rc != 0 and "InvalidParameterValue" in err, (rc, err[-300:]))


def alarms(srv, protocol, topic):
    """An alarm on the backend CPU (> 0 in 2 of 2 minutes) that notifies the topic; reset; deleted."""
    name = f"cli-cpu-{protocol}"
    rc, _, err = cli(srv, protocol, "cloudwatch", "put-metric-alarm", "--alarm-name", name, "--alarm-description",
                     "backend busy", "--namespace",
                     "AWS/EC2", "--metric-name", "CPUUtilization", "--dimensions", "Name=InstanceId,Value=backend",
                     "--statistic", "Average", "--period", "60", "--evaluation-periods", "2", "--datapoints-to-alarm",
                     "2", "--threshold", "0", "--comparison-operator", "GreaterThanThreshold", "--treat-missing-data",
                     "missing", "--alarm-actions", topic)
    check(f"cloudwatch put-metric-alarm ({protocol})", rc == 0, err[-300:])
    srv.advance(180)
    rc, a, err = cli(srv, protocol, "cloudwatch", "describe-alarms", "--alarm-names", name, "--query",
                     "MetricAlarms[0].[StateValue, Threshold, Period, EvaluationPeriods, AlarmActions[0]]")
    check(f"cloudwatch describe-alarms ({protocol}): in ALARM on the simulated CPU 3 minutes later",
          rc == 0 and a == ["ALARM", 0.0, 60, 2, topic], (rc, a, err[-300:]))
    rc, h, err = cli(srv, protocol, "cloudwatch", "describe-alarm-history", "--alarm-name", name,
                     "--history-item-type", "Action", "--query",
                     "AlarmHistoryItems[].HistorySummary")
    check(f"cloudwatch describe-alarm-history ({protocol}): the ALARM notification published to the SNS topic",
          rc == 0 and f"Published a notification to {topic}" in h, (rc, h, err[-300:]))
    rc, _, err = cli(srv, protocol, "cloudwatch", "set-alarm-state", "--alarm-name", name, "--state-value", "OK",
                     "--state-reason", "operator reset")
    rc2, a, err2 = cli(srv, protocol, "cloudwatch", "describe-alarms", "--alarm-names", name, "--query",
                       "MetricAlarms[0].[StateValue, StateReason]")
    check(f"cloudwatch set-alarm-state ({protocol}): OK with the reason", rc == 0 and a == ["OK", "operator reset"],
          (rc, err[-300:], a, err2[-300:]))
    rc, h, err = cli(srv, protocol, "cloudwatch", "describe-alarm-history", "--alarm-name", name, "--scan-by",
                     "TimestampAscending", "--query",
                     "AlarmHistoryItems[?HistoryItemType=='StateUpdate'].HistorySummary")
    check(f"cloudwatch describe-alarm-history ({protocol}): to ALARM, then to OK",
          rc == 0 and h[-1] == "Alarm updated from ALARM to OK" and "from INSUFFICIENT_DATA to ALARM" in h[0],
          (rc, h, err[-300:]))
    rc, _, err = cli(srv, protocol, "cloudwatch", "delete-alarms", "--alarm-names", name)
    rc2, a, _ = cli(srv, protocol, "cloudwatch", "describe-alarms", "--alarm-names", name, "--query", "MetricAlarms")
    check(f"cloudwatch delete-alarms ({protocol})", rc == 0 and a == [], (rc, a, err[-300:]))
    rc, _, err = cli(srv, protocol, "cloudwatch", "set-alarm-state", "--alarm-name", name, "--state-value", "OK",
                     "--state-reason", "x")
    check(f"cloudwatch set-alarm-state ({protocol}) of a deleted alarm: ResourceNotFound",
          rc != 0 and "ResourceNotFound" in err, (rc, err[-300:]))


def run(srv):
    js = srv.client("cloudwatch")
    check("the boto3 reference client speaks json", js.meta.service_model.resolved_protocol == "json")
    now = T0 + datetime.timedelta(seconds=srv.advance(2 * 3600))  # 02:00: DMS and MGN running, traffic flows
    start = (now - datetime.timedelta(minutes=15)).replace(second=0, microsecond=0)
    start -= datetime.timedelta(minutes=start.minute % 5)
    rc, _, err = cli(srv, "cbor", "cloudwatch", "list-metrics", "--namespace", "AWS/EC2", debug=True)
    check("the CBOR CLI puts its calls on the rpc-v2-cbor path and header", rc == 0
          and "/service/GraniteServiceVersion20100801/operation/ListMetrics" in err
          and "'smithy-protocol': 'rpc-v2-cbor'" in err, err[-1500:])
    topic = srv.cli("sns", "create-topic", "--name", "cli-alarms", "--query", "TopicArn")
    check("sns create-topic for the alarm actions", topic == "arn:aws:sns:us-east-1:000000000000:cli-alarms", topic)
    for protocol in ("json", "cbor"):
        metrics(srv, protocol, js, start)
        alarms(srv, protocol, topic)


def main():
    migsim = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "build/migsim"
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "scenario.json")
        small_scenario(path, "serve-cloudwatch-cli", 6 * 3600)
        serve_checked(migsim, path, run)
    return summary(started)


if __name__ == "__main__":
    sys.exit(main())
