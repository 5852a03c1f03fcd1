#!/usr/bin/env python3
"""`migsim serve` as real clients (boto3, the AWS CLI) find it, beyond S3 (test_clients_s3.py):
- the clock never freezes: past duration_s the workload goes on, the daily curve repeating day after day
  (CloudWatch's ALB RequestCount at the same hour of day 1 and day 2), a load balancer created past the
  window goes provisioning -> active (an SDK waiter succeeds), and /_migsim/clock, the startup line and
  the log say where the run is;
- /_localstack/health lists every service the endpoint answers, "running" where the scenario is behind it;
- one answer for what is not implemented, in each protocol's error shape, naming the operation and
  pointing to `migsim serve --coverage`;
- paging where the model declares it (MGN DescribeSourceServers maxResults=1 pages; a malformed token
  is 400 InvalidNextToken, e.g. Auto Scaling describe-scaling-activities --next-token abc);
- SSM GetParameter of a SecureString without decryption answers ciphertext-shaped text.

usage: test_clients_serve.py MIGSIM
"""
import base64
import copy
import datetime
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from checks import check, summary  # noqa: E402
from serve_fixture import Serve, aws_error, small_scenario, wait_for_line  # noqa: E402
from test_serve_asis import SCENARIO as ASIS  # noqa: E402  (an ALB, two tiers, no migration)

T0 = datetime.datetime(2025, 11, 28, 12, tzinfo=datetime.timezone.utc)  # the test scenario's "start" (simulated t = 0)
# Low at night, high in the afternoon: hour h's factor.
DAILY_CURVE = [0.2] * 6 + [0.6, 1.0, 1.4, 1.6, 1.8, 2.0, 2.0, 2.0, 1.8, 1.6, 1.4, 1.2, 1.0, 0.8, 0.6, 0.4, 0.3, 0.2]


def health(srv):
    with urllib.request.urlopen(srv.url + "/_localstack/health", timeout=10) as r:
        return json.loads(r.read())["services"]


def alb_requests(cw, lb_dim, from_s, to_s):
    stats = cw.get_metric_statistics(Namespace="AWS/ApplicationELB", MetricName="RequestCount",
                                     Dimensions=[{"Name": "LoadBalancer", "Value": lb_dim}],
                                     StartTime=T0 + datetime.timedelta(seconds=from_s),
                                     EndTime=T0 + datetime.timedelta(seconds=to_s), Period=3600, Statistics=["Sum"])
    return sum(p["Sum"] for p in stats["Datapoints"])


def test_clock(srv, doc):
    """Past duration_s: the window says so, the workload repeats its day, created resources progress."""
    end = doc["duration_s"]
    clock = srv.clock()
    check("clock: inside the window at the start", clock.get("window") == "inside" and clock["duration_s"] == end, clock)
    clock = srv.clock(to_s=end + 600)
    check("clock: runs past duration_s (no clamp), window past", clock["now_s"] == end + 600
          and clock["window"] == "past", clock)
    check("the log says the clock left the scenario window",
          wait_for_line(srv.proc, r"past the scenario window", 10) is not None)
    elb = srv.client("elbv2")
    lb = elb.create_load_balancer(Name="after-hours", Subnets=["subnet-1", "subnet-2"])["LoadBalancers"][0]
    check("a load balancer created past the window starts provisioning", lb["State"]["Code"] == "provisioning", lb)
    srv.advance(240)
    try:
        elb.get_waiter("load_balancer_available").wait(LoadBalancerArns=[lb["LoadBalancerArn"]],
                                                       WaiterConfig={"Delay": 1, "MaxAttempts": 5})
        check("ELBv2 waiter load_balancer_available succeeds past the window", True)
    except Exception as e:  # the waiter timing out is the bug
        check("ELBv2 waiter load_balancer_available succeeds past the window", False, repr(e))
    # The daily curve repeats: the same hours of day 1 and day 2 carry the same load, night is lower.
    srv.clock(to_s=86400 + 3 * 3600)
    cw = srv.client("cloudwatch")
    dims = [d["Value"] for m in cw.list_metrics(Namespace="AWS/ApplicationELB", MetricName="RequestCount")["Metrics"]
            for d in m["Dimensions"] if len(m["Dimensions"]) == 1 and d["Name"] == "LoadBalancer"
            and d["Value"].startswith("app/shop-alb/")]
    if not check("CloudWatch lists the scenario ALB's RequestCount", len(dims) == 1, dims):
        return
    day1 = alb_requests(cw, dims[0], 0, 3600)            # 12:00-13:00 on day 1 (start at noon)
    day2 = alb_requests(cw, dims[0], 86400, 86400 + 3600)  # 12:00-13:00 on day 2, past the window
    night = alb_requests(cw, dims[0], 15 * 3600, 16 * 3600)  # 03:00-04:00 between them
    check(f"day 2 repeats day 1's noon load ({day1:.0f} vs {day2:.0f} requests, within 10 %)",
          day1 > 0 and abs(day2 - day1) / day1 < 0.10, (day1, day2))
    check(f"the curve still shapes it past the window (03:00 {night:.0f} vs noon {day2:.0f}: about 0.2 / 2.0)",
          0 < night < 0.2 * day2, (night, day2))


def test_health_asis(srv):
    services = health(srv)
    check("health (as-is estate): elbv2, autoscaling, ec2, cloudwatch running",
          all(services.get(s) == "running" for s in ("elbv2", "autoscaling", "ec2", "cloudwatch")), services)
    check("health (as-is estate): dms and mgn answer but hold only what clients create (available)",
          services.get("dms") == "available" and services.get("mgn") == "available", services)
    check("health: every service the endpoint answers is listed",
          {"s3", "sns", "ssm", "sts", "route53", "rds", "eks"} <= set(services), sorted(services))


def test_not_implemented(srv):
    """The same answer in every protocol: its error shape, the operation named, `migsim serve --coverage`."""
    cases = [("rest-xml", ["cloudfront", "list-cache-policies"], "ListCachePolicies", None),
             ("rest-json, unknown service", ["lambda", "list-functions"], "ListFunctions", None),
             ("ec2", ["ec2", "describe-key-pairs"], "DescribeKeyPairs", "DescribeKeyPairs"),
             ("json", ["dms", "describe-certificates"], "DescribeCertificates", "DescribeCertificates"),
             ("query", ["sns", "list-platform-applications"], "ListPlatformApplications", "ListPlatformApplications"),
             ("rest-json", ["eks", "list-fargate-profiles", "--cluster-name", "shop"], "ListFargateProfiles", None)]
    for label, args, op, named in cases:
        rc, _, err = srv.aws(*args)
        ok = (rc != 0 and f"calling the {op} operation" in err and "not implemented by migsim" in err
              and "migsim serve --coverage" in err and (named is None or f" {named} is not implemented" in err))
        check(f"not implemented ({label}): `aws {' '.join(args[:2])}` names it and points to --coverage", ok,
              err.strip()[-400:])


def test_ssm_secure_string(srv):
    rc, _, err = srv.aws("ssm", "put-parameter", "--name", "/shop/db/password", "--type", "SecureString",
                         "--value", "hunter2-very-secret")
    rc2, out, err2 = srv.aws("ssm", "get-parameter", "--name", "/shop/db/password")
    value = out["Parameter"]["Value"] if rc2 == 0 else ""
    blob = base64.b64decode(value + "=" * (-len(value) % 4)) if value else b""
    check("SSM SecureString without decryption: ciphertext-shaped (base64 of a KMS blob, AQICAHh...)",
          rc == 0 and value.startswith("AQICAH") and len(blob) > len("hunter2-very-secret") + 32
          and "hunter2" not in value and value != "****", (value, err, err2))
    rc3, out3, _ = srv.aws("ssm", "get-parameter", "--name", "/shop/db/password", "--with-decryption")
    check("SSM SecureString with decryption: the value", rc3 == 0 and out3["Parameter"]["Value"] == "hunter2-very-secret",
          out3)


def test_paging(srv):
    mgn = srv.client("mgn")
    pages = list(mgn.get_paginator("describe_source_servers").paginate(PaginationConfig={"PageSize": 1}))
    ids = [s["sourceServerID"] for p in pages for s in p["items"]]
    check(f"MGN DescribeSourceServers maxResults=1: one server a page ({len(pages)} pages), all of them",
          len(ids) >= 2 and len(pages) == len(ids) and all(len(p["items"]) == 1 for p in pages)
          and len(set(ids)) == len(ids), [len(p["items"]) for p in pages])
    rc, out, err = srv.aws("mgn", "describe-source-servers", "--max-results", "1", "--no-paginate")
    check("AWS CLI mgn describe-source-servers --max-results 1 --no-paginate: one item and a nextToken",
          rc == 0 and len(out["items"]) == 1 and out.get("nextToken"), (out, err))
    rc, out, err = srv.aws("mgn", "describe-source-servers", "--page-size", "1")
    check("AWS CLI mgn describe-source-servers --page-size 1: the CLI pages through all",
          rc == 0 and sorted(s["sourceServerID"] for s in out["items"]) == sorted(ids), (out, err))
    code, status = aws_error(mgn.describe_source_servers, maxResults=1, nextToken="abc")
    check("MGN malformed nextToken: 400 InvalidNextToken", (code, status) == ("InvalidNextToken", 400), (code, status))
    rc, _, err = srv.aws("autoscaling", "describe-scaling-activities", "--next-token", "abc")
    check("AWS CLI autoscaling describe-scaling-activities --next-token abc: InvalidNextToken (not 500 stoul)",
          rc != 0 and "(InvalidNextToken)" in err and "stoul" not in err, err.strip()[-300:])
    code, status = aws_error(srv.client("autoscaling").describe_scaling_activities, NextToken="abc")
    check("boto3 the same: 400", (code, status) == ("InvalidNextToken", 400), (code, status))


def main():
    migsim = sys.argv[1]
    started = time.time()
    work = tempfile.mkdtemp(prefix="migsim-e2e-serve-")
    try:
        doc = copy.deepcopy(ASIS)
        doc.update(name="clients-clock", duration_s=3600)
        doc["workload"].update(base_rps=2, daily_curve=DAILY_CURVE)
        doc["start"] = "2025-11-28T12:00:00Z"  # noon: the daily curve is read from the time of day
        path = os.path.join(work, "asis.json")
        with open(path, "w") as f:
            json.dump(doc, f)
        with Serve(migsim, path) as srv:
            line = srv.listening(30)
            if check("serve starts; the startup line says it is inside the window and runs on past it",
                     line is not None and "inside the scenario window 0-3600 s" in line and "runs on past it" in line,
                     line):
                for test in (lambda: test_health_asis(srv), lambda: test_clock(srv, doc)):
                    try:
                        test()
                    except Exception as e:
                        check("no exception", False, repr(e))
            check("serve stops on SIGTERM", srv.stop(10) == 0)
        cutover = os.path.join(work, "cutover.json")
        small_scenario(cutover, "clients-cutover", duration_s=4 * 3600)
        with Serve(migsim, cutover) as srv:
            if check("serve starts (cutover)", srv.listening(30) is not None):
                srv.advance(1800)  # the MGN agents are installed
                services = health(srv)
                check("health (cutover): dms, mgn, route53 running", all(services.get(s) == "running"
                                                                          for s in ("dms", "mgn", "route53")), services)
                for test in (lambda: test_not_implemented(srv), lambda: test_ssm_secure_string(srv),
                             lambda: test_paging(srv)):
                    try:
                        test()
                    except Exception as e:
                        check("no exception", False, repr(e))
            check("serve stops on SIGTERM (cutover)", srv.stop(10) == 0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return summary(started)


if __name__ == "__main__":
    sys.exit(main())
