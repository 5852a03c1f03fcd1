"""A whole run backfilled into a real Prometheus: `migsim run --openmetrics`, then
`promtool tsdb create-blocks-from openmetrics`, then Prometheus on that data directory answers
PromQL on the scenario's calendar with the run's own totals and percentiles. With --alerts, the
shipped example rules are checked too: `migsim alerts` must report the expected alerts firing on
the failing scenarios and none on the healthy ones.

    python3 tests/observe/test_prometheus_backfill.py build/migsim SCENARIO [--alerts NAME,NAME|-] [--run-dir DIR]

--run-dir reads the run a scenario test already made with `--openmetrics DIR/metrics.om` (ctest's
scenario runs do, for the scenarios of this test) instead of running the scenario again.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prometheus_fixture import Prometheus, require_prometheus  # noqa: E402
from serve_fixture import ROOT, check, scenario_t0, summary  # noqa: E402

BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10,
           30, 60]


def main(migsim, scenario, expected_alerts, given_run_dir=None):
    prometheus, promtool = require_prometheus()
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="migsim-backfill-") as tmp:
        run_dir = given_run_dir or os.path.join(tmp, "run")
        om = os.path.join(run_dir, "metrics.om")
        if given_run_dir:
            check("the scenario's run wrote metrics.om (--openmetrics)", os.path.exists(om), om)
        else:
            run = subprocess.run([migsim, "run", scenario, "--out", run_dir, "-q", "--openmetrics", om],
                                 capture_output=True, text=True)
            check("migsim run --openmetrics", run.returncode in (0, 1) and os.path.exists(om), run.stdout + run.stderr)
        with open(os.path.join(run_dir, "summary.json")) as f:
            s = json.load(f)
        duration = s["scenario"]["duration_s"]
        epoch0 = scenario_t0(scenario).timestamp()  # simulated t = 0: the scenario's start on the calendar
        print(f"    {os.path.basename(scenario)}: {os.path.getsize(om) / 1e6:.1f} MB of OpenMetrics")

        data = os.path.join(tmp, "data")
        blocks = subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics", om, data],
                                capture_output=True, text=True)
        check("promtool tsdb create-blocks-from openmetrics accepts the file", blocks.returncode == 0,
              (blocks.stdout + blocks.stderr)[-800:])
        with Prometheus(prometheus, data) as prom:
            end = epoch0 + duration
            completed = prom.scalar("sum(migsim_requests_completed_total)", at=end)
            check("completed requests at the run's end = summary.json", completed == s["requests"]["completed"],
                  f"{completed} vs {s['requests']['completed']}")
            failed = prom.scalar("sum(migsim_request_errors_total)", at=end) or 0
            check("failed requests at the run's end = summary.json", failed == s["requests"]["failed"],
                  f"{failed} vs {s['requests']['failed']}")
            b = "migsim_request_duration_seconds_bucket"
            p99 = prom.scalar(f"histogram_quantile(0.99, sum by (le) ({b}))", at=end)
            own = s["latency_ms"]["p99"] / 1000
            lo = max([0] + [x for x in BUCKETS if x < p99]) if p99 is not None else None
            hi = min([x for x in BUCKETS if x >= p99] + [float("inf")]) if p99 is not None else None
            print(f"    whole run: PromQL p99 {p99} s in bucket ({lo}, {hi}], summary.json p99 {own} s")
            check("PromQL p99 of the whole run agrees with summary.json within the bucket",
                  p99 is not None and lo * 0.996 <= own <= hi * 1.004, f"{p99} vs {own}")
            first = prom.query_range("sum(rate(migsim_requests_arrived_total[5m]))", epoch0 + 600, end, 600)
            check("a range query on the scenario's calendar has values",
                  bool(first) and len(first[0]["values"]) >= min(5, duration // 600 - 1), first[:1])
            t = prom.scalar("max(migsim_simulated_time_seconds)", at=end)
            check("migsim_simulated_time_seconds at the end = the run's duration", t == duration, t)
            if s.get("eks"):
                avail = prom.query("kube_deployment_status_replicas_available", at=end)
                check("kube-state-metrics: kube_deployment_status_replicas_available per deployment", len(avail) > 0)
                running = prom.scalar('sum(kube_pod_status_phase{phase="Running"})', at=end)
                final = sum(s["eks"]["pods"].get("final_replicas", {}).values())
                check("kube_pod_status_phase Running at the end >= the final replicas", running and running >= final * 0.5,
                      f"{running} vs {final}")

        if expected_alerts is not None:
            rules = os.path.join(ROOT, "examples", "prometheus", "rules.yml")
            res = subprocess.run([migsim, "alerts", rules, run_dir], capture_output=True, text=True)
            print("    " + res.stdout.strip().replace("\n", "\n    "))
            with open(os.path.join(run_dir, "alerts.json")) as f:
                fired = sorted({a["alert"] for a in json.load(f)["alerts"]})
            check(f"example rules: fired {expected_alerts or 'nothing'}", fired == sorted(expected_alerts),
                  f"fired {fired}; {res.stderr}")
            check("migsim alerts exit code: 1 when something fired, 0 otherwise",
                  res.returncode == (1 if expected_alerts else 0), res.returncode)
            with open(os.path.join(run_dir, "report.html")) as f:
                page = f.read()
            check("the run's report shows the alerts section", 'id="alerts"' in page)
    return summary(started)


if __name__ == "__main__":
    alerts = None
    if "--alerts" in sys.argv:
        spec = sys.argv[sys.argv.index("--alerts") + 1]
        alerts = [] if spec == "-" else spec.split(",")
    run_dir = os.path.abspath(sys.argv[sys.argv.index("--run-dir") + 1]) if "--run-dir" in sys.argv else None
    sys.exit(main(os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), alerts, run_dir))
