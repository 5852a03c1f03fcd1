#!/usr/bin/env python3
"""wrk against `migsim serve` and moto_server, same requests, same machine, one script.

Usage: python3 tests/bench/bench_serve.py [build/migsim] [--duration 10] [--speed 60]

Runs scenarios/lift-and-shift-cutover.json live (--speed simulated seconds per wall second, so the
simulation advances during the load) and moto_server, then wrk (2 threads, 16 connections,
keep-alive, loopback) on DMS DescribeEndpoints (json 1.1) and CloudWatch GetMetricData (json 1.0:
the backend's CPU per minute over the last hour) with a Lua script for the POST bodies. Prints
requests/s, p50 and p99 for each, the migsim/moto ratio, and the simulated time covered during the
migsim runs. Goals: >= 20x moto's requests/s, p99 < 5 ms.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "e2e"))
from serve_fixture import free_port, scenario_t0, wait_connectable as wait_listening  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AUTH = "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/{svc}/aws4_request, SignedHeaders=host, Signature=0"


def lua(path, target, content_type, svc, body):
    """A wrk script POSTing one AWS json request."""
    with open(path, "w") as f:
        f.write('wrk.method = "POST"\n')
        f.write(f"wrk.body = {json.dumps(json.dumps(body))}\n")
        f.write(f'wrk.headers["Content-Type"] = "{content_type}"\n')
        f.write(f'wrk.headers["X-Amz-Target"] = "{target}"\n')
        f.write(f'wrk.headers["Authorization"] = "{AUTH.format(svc=svc)}"\n')
        # Counts non-2xx answers so a benchmark of errors cannot pass unnoticed.
        f.write("bad = 0\nresponse = function(status, headers, body) if status ~= 200 then bad = bad + 1 end end\n")
        f.write('done = function(summary, latency, requests) io.write("non-2xx-seen ", bad, "\\n") end\n')


def ms(value, unit):
    return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


def wrk(url, script, duration_s):
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{duration_s}s", "--latency", "-s", script, url],
                         capture_output=True, text=True, timeout=duration_s + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = ms(*re.search(r"\s50%\s+([\d.]+)(us|ms|s)", out).groups())
    p99 = ms(*re.search(r"\s99%\s+([\d.]+)(us|ms|s)", out).groups())
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "errors": int(non2xx.group(1)) if non2xx else 0}


def sim_now(url):
    with urllib.request.urlopen(url + "/_migsim/clock", timeout=10) as r:
        return json.load(r)["now_s"]


def main():
    args = sys.argv[1:]
    duration = int(args[args.index("--duration") + 1]) if "--duration" in args else 10
    speed = args[args.index("--speed") + 1] if "--speed" in args else "60"
    binary = next((a for a in args if not a.startswith("--") and a not in (str(duration), speed)), "build/migsim")
    tmp = tempfile.mkdtemp()
    mport, tport = free_port(), free_port()
    migsim = subprocess.Popen([binary, "serve", os.path.join(ROOT, "scenarios", "lift-and-shift-cutover.json"),
                               "--port", str(mport), "--speed", speed], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(tport)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        if not (wait_listening(mport) and wait_listening(tport)):
            print("a server did not start")
            return 2
        murl, turl = f"http://127.0.0.1:{mport}", f"http://127.0.0.1:{tport}"
        # moto has no scenario: give it the same two endpoints migsim describes, and a CPU series.
        dms = boto3.client("dms", endpoint_url=turl, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")
        for ident, kind, server in (("onprem-mysql", "source", "db"), ("rds-mysql", "target", "rds")):
            dms.create_endpoint(EndpointIdentifier=ident, EndpointType=kind, EngineName="mysql", ServerName=server, Port=3306)
        now = time.time()
        cw = boto3.client("cloudwatch", endpoint_url=turl, region_name="us-east-1", aws_access_key_id="t",
                          aws_secret_access_key="t")
        cw.put_metric_data(Namespace="AWS/EC2", MetricData=[
            {"MetricName": "CPUUtilization", "Dimensions": [{"Name": "InstanceId", "Value": "backend"}], "Value": v,
             "Timestamp": now - 60 * k} for k, v in enumerate([10, 20, 30, 40, 50, 60])])
        describe = os.path.join(tmp, "describe_endpoints.lua")
        lua(describe, "AmazonDMSv20160101.DescribeEndpoints", "application/x-amz-json-1.1", "dms", {})
        query = {"MetricDataQueries": [{"Id": "cpu", "MetricStat": {"Metric": {
            "Namespace": "AWS/EC2", "MetricName": "CPUUtilization", "Dimensions": [{"Name": "InstanceId", "Value": "backend"}]},
            "Period": 60, "Stat": "Average"}}]}
        results = {}
        for name, target, svc, window in (("DMS DescribeEndpoints", None, "dms", None),
                                          ("CloudWatch GetMetricData", "GraniteServiceVersion20100801.GetMetricData",
                                           "monitoring", 3600)):
            for who, url in (("migsim", murl), ("moto", turl)):
                script = describe
                if target:
                    # migsim: the last simulated hour (epoch of simulated t); moto: the last wall hour.
                    t0 = scenario_t0(os.path.join(ROOT, "scenarios", "lift-and-shift-cutover.json")).timestamp()
                    end = t0 + 7200 if who == "migsim" else now + 60
                    body = dict(query, StartTime=end - window, EndTime=end)
                    script = os.path.join(tmp, f"gmd_{who}.lua")
                    lua(script, target, "application/x-amz-json-1.0", svc, body)
                t0 = sim_now(url) if who == "migsim" else None
                r = wrk(url, script, duration)
                if who == "migsim":
                    r["simulated_s"] = sim_now(url) - t0
                results[(name, who)] = r
        print(f"wrk -t2 -c16 -d{duration}s --latency, loopback; migsim serve --speed {speed} "
              "(scenarios/lift-and-shift-cutover.json); moto_server 5.2.1")
        print(f"{'operation':<26} {'server':<7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}  note")
        for name in ("DMS DescribeEndpoints", "CloudWatch GetMetricData"):
            for who in ("migsim", "moto"):
                r = results[(name, who)]
                note = f"simulation advanced {r['simulated_s']:.0f} s" if who == "migsim" else ""
                print(f"{name:<26} {who:<7} {r['rps']:>9.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['errors']:>8}  {note}")
            ratio = results[(name, "migsim")]["rps"] / max(results[(name, "moto")]["rps"], 1e-9)
            p99 = results[(name, "migsim")]["p99_ms"]
            print(f"{name:<26} ratio {ratio:.1f}x (goal >= 20x: {'met' if ratio >= 20 else 'NOT met'}), "
                  f"migsim p99 {p99:.2f} ms (goal < 5 ms: {'met' if p99 < 5 else 'NOT met'})")
        return 0
    finally:
        for p in (migsim, moto):
            p.terminate()
            p.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
