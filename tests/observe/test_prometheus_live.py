"""`migsim serve` /metrics scraped by a real Prometheus: both exposition formats, promtool's lint of
the names, and a PromQL histogram_quantile(0.99) over one simulated minute against migsim's own
p99 for that minute (it must fall in the bucket PromQL interpolated in).

    python3 tests/observe/test_prometheus_live.py build/migsim
"""
import http.client
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prometheus_fixture import Prometheus, require_prometheus  # noqa: E402
from serve_fixture import ROOT, Serve, check, summary  # noqa: E402

BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10,
           30, 60]


def get(port, path, accept=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Accept": accept} if accept else {})
    r = conn.getresponse()
    body = r.read().decode()
    conn.close()
    return r.status, r.getheader("Content-Type"), body


def wait_for(prom, expr, want, timeout_s=30):
    """Polls until the instant query's value equals want; returns the sample's timestamp (or None)."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        res = prom.query(expr)
        if res and float(res[0]["value"][1]) == want:
            ts = prom.scalar(f"timestamp({expr})")
            return ts
        time.sleep(0.3)
    return None


def main(migsim):
    prometheus, promtool = require_prometheus()
    started = time.time()
    scenario = os.path.join(ROOT, "scenarios", "onprem-black-friday.json")
    with Serve(migsim, scenario, speed="0") as srv, tempfile.TemporaryDirectory(prefix="migsim-prom-") as tmp:
        check("serve listening", srv.listening() is not None)
        srv.advance(120)
        status, ctype, text = get(srv.port, "/metrics")
        check("GET /metrics: 200, text format 0.0.4", status == 200 and ctype.startswith("text/plain; version=0.0.4"),
              f"{status} {ctype}")
        check("text format: a counter with _total and its TYPE",
              "# TYPE migsim_requests_completed_total counter" in text and "migsim_requests_completed_total{class=\"browse\"}" in text,
              text[:400])
        lint = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True)
        check("promtool check metrics: no naming problem", lint.returncode == 0, lint.stdout + lint.stderr)
        status, ctype, om = get(srv.port, "/metrics", "application/openmetrics-text;version=1.0.0,text/plain;q=0.5")
        check("Accept: OpenMetrics -> application/openmetrics-text, # EOF, UNIT lines",
              ctype.startswith("application/openmetrics-text; version=1.0.0") and om.endswith("# EOF\n")
              and "# UNIT migsim_request_duration_seconds seconds" in om, f"{ctype} {om[-200:]}")
        status, _, _ = get(srv.port, "/metrics?x=1")
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
        conn.request("POST", "/metrics", body="")
        check("POST /metrics: 405", conn.getresponse().status == 405)
        conn.close()
        for series in ("migsim_server_cpu_busy_seconds_total{server=\"backend\"}", "migsim_service_busy_workers{",
                       "migsim_service_queued_requests{", "migsim_site_request_duration_seconds_bucket{",
                       "migsim_simulated_time_seconds 120"):
            check(f"/metrics has {series}", series in text)

        config = ("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: migsim\n"
                  f"    static_configs:\n      - targets: ['127.0.0.1:{srv.port}']\n")
        with Prometheus(prometheus, os.path.join(tmp, "data"), config) as prom:
            t1 = wait_for(prom, "migsim_simulated_time_seconds", 120)
            check("Prometheus scraped serve (simulated t = 120 s)", t1 is not None)
            up = prom.scalar('up{job="migsim"}')
            check("up == 1", up == 1, up)
            # One simulated minute [600, 660): scraped at its two ends, then 5 s more closes migsim's minute.
            srv.clock(to_s=600)
            t1 = wait_for(prom, "migsim_simulated_time_seconds", 600)
            srv.clock(to_s=660)
            t2 = wait_for(prom, "migsim_simulated_time_seconds", 660)
            srv.clock(to_s=665)
            check("scrapes at t = 600 s and 660 s", t1 is not None and t2 is not None)
            b = "migsim_request_duration_seconds_bucket"
            expr = f"histogram_quantile(0.99, sum by (le) ({b} - {b} @ {t1}))"
            promql_p99 = prom.scalar(expr, at=t2)
            n = prom.scalar(f"sum(migsim_request_duration_seconds_count - migsim_request_duration_seconds_count @ {t1})", at=t2)
            own = None
            deadline = time.time() + 30
            while time.time() < deadline and own is None:
                if prom.scalar("migsim_simulated_time_seconds") == 665:
                    own = prom.scalar("migsim_latency_p99_seconds")
                time.sleep(0.3)
            lo = max([0] + [x for x in BUCKETS if x < promql_p99]) if promql_p99 is not None else None
            hi = min([x for x in BUCKETS if x >= promql_p99] + [float("inf")]) if promql_p99 is not None else None
            print(f"    minute [600, 660): {n:.0f} requests; PromQL p99 {promql_p99} s (bucket ({lo}, {hi}]), "
                  f"migsim's own p99 {own} s")
            check("PromQL histogram_quantile(0.99) over the minute agrees with migsim's p99 within the bucket",
                  promql_p99 is not None and own is not None and lo * 0.996 <= own <= hi * 1.004,
                  f"PromQL {promql_p99}, migsim {own}, bucket ({lo}, {hi}]")
            rate = prom.scalar(f"sum(migsim_requests_arrived_total @ {t2} - migsim_requests_arrived_total @ {t1})")
            check("requests of the minute counted by Prometheus (> 1000 at Black Friday evening)", rate and rate > 1000, rate)
        check("serve stops on SIGTERM", srv.stop() == 0)
    return summary(started)


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1])))
