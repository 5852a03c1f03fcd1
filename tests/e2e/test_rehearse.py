#!/usr/bin/env python3
"""`migsim rehearse` and `migsim runbook` end to end: the binary as a user runs it.

Usage: python3 tests/e2e/test_rehearse.py <path to migsim> CASE   (from the repo root)

CASE is one of:
  cutover     scenarios/runbooks/cutover.json against scenarios/lift-and-shift-cutover.json at
              --speed max: the runbook succeeds, nothing is lost, write downtime within the
              scenario's own expectation, DNS at the AWS site, every MGN server finalized.
  fault       the same runbook on a shrunk variant of the scenario whose VPN goes down while CDC
              drains (a scenario event), at the default speed (step): the runbook fails at
              waitCdcDrained, takes its rollback path (DNS back, writes resumed on-prem), the
              report says so (rehearsal.json and report.html), nothing is lost.
  setup       --setup commands before the runbook (shrunk scenario, step speed): they see the
              endpoint in their environment, their calls are in the report and on the timeline; a
              failing one stops the rehearsal (exit 1) before the runbook, naming it.
  bad         every runbook of tests/data/bad_runbooks fails before any call (a counting HTTP
              server sees no request), naming the step and the field; `rehearse` with one exits 2.
Prints "N passed, M failed"; exits 1 if any check failed.
"""
import http.server
import json
import os
import re
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import ROOT, check, results, small_scenario  # noqa: E402


def run(cmd, timeout=600):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    return p.returncode, p.stdout, p.stderr


def step(report, name):
    return next((s for s in report["timeline"] if s["step"] == name), None)


def case_cutover(migsim, tmp):
    scenario = os.path.join(ROOT, "scenarios", "lift-and-shift-cutover.json")
    with open(scenario) as f:
        expectations = {e["metric"]: e for e in json.load(f)["expectations"]}
    out = os.path.join(tmp, "rehearsal")
    rc, stdout, stderr = run([migsim, "rehearse", scenario, "--runbook", "scenarios/runbooks/cutover.json",
                              "--speed", "max", "--out", out])
    print(stdout[-4000:])
    check("rehearse exits 0", rc == 0, f"rc={rc} stderr={stderr[-2000:]}")
    with open(os.path.join(out, "rehearsal.json")) as f:
        rep = json.load(f)
    check("runbook succeeded", rep["runbook"]["status"] == "Success", rep["runbook"])
    check("zero lost transactions", rep["data"]["lost_transactions"] == 0, rep["data"])
    check("integrity clean", rep["data"]["integrity_clean"] is True, rep["data"])
    bound = expectations["write_downtime_s"]["max"]
    check(f"write downtime within the scenario's {bound} s", 0 < rep["downtime"]["write_downtime_s"] <= bound,
          rep["downtime"]["write_downtime_s"])
    check("refused writes counted", rep["downtime"]["refused_writes"] > 0, rep["downtime"]["refused_writes"])
    check("cutover completed", rep["cutover"]["result"] == "completed", rep["cutover"])
    check("every expectation met", all(e["passed"] for e in rep["expectations"]),
          [e for e in rep["expectations"] if not e["passed"]])
    check("verdict pass", rep["verdict"] == "pass", rep["verdict"])
    # The timeline is in simulated time, in order, from the scenario's cutover time (at --speed max the
    # clock keeps running while the first call is on its way, so the first step may start later).
    starts = [s["start_s"] for s in rep["timeline"]]
    check("timeline ordered from the cutover time", starts == sorted(starts) and starts[0] >= rep["runbook"]["start_s"],
          starts[:3])
    stop, switch = step(rep, "stopWrites"), step(rep, "switchDns")
    check("writes stopped before the DNS switch", stop and switch and stop["end_s"] <= switch["start_s"])
    check("downtime measured from the writes stop to the switch",
          abs(rep["downtime"]["write_downtime_s"] - (rep["cutover"]["dns_switched_s"] - rep["cutover"]["writes_stopped_s"])) < 1e-6)
    check("DNS shift curve reaches 95 %", any(p["share_new_site"] >= 0.95 for p in rep["dns_shift"]), rep["dns_shift"][:3])
    fs = rep["final_state"]
    check("DNS points at AWS", fs["dns"]["points_to"] == "aws", fs["dns"])
    check("every MGN server finalized", all(s["lifecycle"] == "DISCONNECTED" for s in fs["mgn"]), fs["mgn"])
    check("DMS stopped", fs["dms"]["status"] == "stopped", fs["dms"])
    check("per-minute user view around the cutover", len(rep["downtime"]["per_minute"]) > 30 and
          sum(m.get("writes_refused", 0) for m in rep["downtime"]["per_minute"]) == rep["downtime"]["refused_writes"])
    with open(os.path.join(out, "runbook-log.json")) as f:
        log = json.load(f)
    check("runbook log has every step with server-clock times",
          len(log["steps"]) == len(rep["timeline"]) and all("start_epoch_s" in s for s in log["steps"]))


def shrunk_scenario(path, events):
    """The cutover scenario shrunk to run in seconds (rows / 100, 1 GB disks, 4 h), its expectations kept."""
    small_scenario(path, "rehearse-fault", 4 * 3600, events, keep_expectations=True)


def case_fault(migsim, tmp):
    # Test launch at 1 h (as the scenario's own event), cutover runbook from 2 h (--speed step: the
    # pre-checks take no simulated time, the writes stop at 2 h); the VPN goes down one second
    # before, so the last changes cannot reach RDS while the runbook waits for the drain; 20 min
    # (shorter than the outage after which DMS itself fails).
    start, outage = 7200, 7200 - 1
    scenario = os.path.join(tmp, "fault.json")
    shrunk_scenario(scenario, [{"at_s": 3600, "action": "test_launch"},
                               {"at_s": start, "action": "cutover_start"},
                               {"at_s": outage, "action": "link_down", "target": "vpn"},
                               {"at_s": outage + 1200, "action": "link_up", "target": "vpn"}])
    out = os.path.join(tmp, "fault-out")
    # No --speed: the default is the deterministic step mode.
    rc, stdout, stderr = run([migsim, "rehearse", scenario, "--runbook", "scenarios/runbooks/cutover.json",
                              "--out", out])
    print(stdout[-4000:])
    check("rehearse exits 1 (runbook failed)", rc == 1, f"rc={rc} stderr={stderr[-2000:]}")
    with open(os.path.join(out, "rehearsal.json")) as f:
        rep = json.load(f)
    check("the default speed is step (deterministic)", rep["speed"] == "step", rep["speed"])
    check_report(migsim, out, rep, tmp)
    stop, drained = step(rep, "stopWrites"), step(rep, "waitCdcDrained")
    check("the outage began before the drain was judged", stop and drained and outage <= drained["start_s"], stop)
    check("the drain wait timed out on the server clock", drained and drained["status"] == "TimedOut" and
          abs(drained["duration_s"] - 900) < 1e-6, drained)
    check("runbook failed", rep["runbook"]["status"] == "Failed", rep["runbook"])
    check("the report names the failed step", rep["runbook"].get("failed_step") == "waitCdcDrained", rep["runbook"])
    check("and why", "ALARM" in rep["runbook"].get("failure_reason", "") and
          "waited 15 min" in rep["runbook"].get("failure_reason", ""), rep["runbook"].get("failure_reason"))
    names = [s["step"] for s in rep["timeline"]]
    check("rollback path taken", names[names.index("waitCdcDrained") + 1] == "rollbackFindZone", names)
    check("DNS not switched, replication never stopped", "switchDns" not in names and "stopReplication" not in names, names)
    resumed = step(rep, "rollbackResumeWrites")
    check("writes resumed on-prem", resumed and resumed["status"] == "Success", resumed)
    fs = rep["final_state"]
    check("on-prem writes open again", fs["sites"][0]["writes_blocked"] is False, fs["sites"])
    check("DNS still on-prem", fs["dns"]["points_to"] != "aws", fs["dns"])
    check("cutover reported rolled back", rep["cutover"]["result"] == "rolled back", rep["cutover"])
    check("nothing lost", rep["data"]["lost_transactions"] == 0, rep["data"])
    # DMS runs again after the VPN came back: what it has not applied yet at the end is behind (on-prem
    # is still the primary; a few transactions of the last seconds), not lost.
    check("replication running again after the VPN came back", fs["dms"]["status"] == "running" and
          rep["data"]["behind_transactions"] < 50, (fs["dms"], rep["data"]))


def check_report(migsim, out, rep, tmp):
    """report.html of a rehearsal shows the runbook: every step with its status and duration in time
    order, the failed step, the injected fault as a marker, the rollback path; `migsim report DIR`
    rebuilds the same section from rehearsal.json."""
    path = os.path.join(out, "report.html")
    check("rehearse writes report.html", os.path.exists(path), os.listdir(out))
    if not os.path.exists(path):
        return
    with open(path) as f:
        html = f.read()
    check("report: a runbook section", 'id="runbook"' in html and "Runbook rehearsal" in html)
    check("report: the failed step and why", "Failed step: waitCdcDrained" in html)
    check("report: the injected VPN outage as a marker", "link_down vpn" in html and "stroke-dasharray" in html)
    check("report: the rollback path", "rollback path" in html)
    section = html[html.index('id="runbook"'):html.index('id="charts"')] if 'id="charts"' in html else html
    rows = re.findall(r"<tr[^>]*><td class=\"n\">\d+</td><td>([^<]+)</td>", section)
    check("report: every step in the steps table, in time order", rows == [s["step"] for s in
          sorted(rep["timeline"], key=lambda s: s["start_s"])], (rows[:5], len(rows)))
    check("report: times on the scenario's calendar", "2025-10-14 10:00:00" in section, section[:600])
    again = os.path.join(tmp, "again.html")
    rc, _, stderr = run([migsim, "report", out, "-o", again])
    with open(again) as f:
        rebuilt = f.read()
    check("migsim report of a rehearsal directory shows the runbook too", rc == 0 and "Failed step: waitCdcDrained" in rebuilt,
          stderr)


class Counter(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_POST(self):
        Counter.hits += 1
        self.send_response(500)
        self.end_headers()

    do_GET = do_POST

    def log_message(self, *args):
        pass


def case_bad(migsim, tmp):
    server = http.server.HTTPServer(("127.0.0.1", 0), Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    bad_dir = os.path.join(ROOT, "tests", "data", "bad_runbooks")
    for name in sorted(os.listdir(bad_dir)):
        rc, _, stderr = run([migsim, "runbook", "run", os.path.join(bad_dir, name), "--endpoint-url", url], timeout=60)
        check(f"{name}: exit 2", rc == 2, f"rc={rc} {stderr}")
        check(f"{name}: names the step and the field", re.search(r"step '[A-Za-z0-9_-]+': [A-Za-z][\w.\[\]]*: ", stderr),
              stderr)
        rc, _, stderr = run([migsim, "runbook", "check", os.path.join(bad_dir, name)], timeout=60)
        check(f"{name}: check exits 2", rc == 2, stderr)
    check("no request reached the endpoint", Counter.hits == 0, Counter.hits)
    server.shutdown()
    rc, _, stderr = run([migsim, "rehearse", "scenarios/lift-and-shift-cutover.json", "--runbook",
                         os.path.join(bad_dir, "unknown_api.json"), "--out", os.path.join(tmp, "x")], timeout=60)
    check("rehearse with a bad runbook exits 2 before starting", rc == 2 and "BeginCutover" in stderr, f"rc={rc} {stderr}")
    rc, stdout, stderr = run([migsim, "runbook", "check"] +
                             [os.path.join("scenarios", "runbooks", f) for f in
                              sorted(os.listdir(os.path.join(ROOT, "scenarios", "runbooks")))], timeout=60)
    check("shipped runbooks are valid", rc == 0, stderr)
    rc, _, stderr = run([migsim, "runbook", "run", "scenarios/runbooks/cutover.json", "-p", "RecordTtl=sixty",
                         "--endpoint-url", url], timeout=60)
    check("a bad parameter exits 2 naming it", rc == 2 and "parameters.RecordTtl" in stderr, stderr)


def case_setup(migsim, tmp):
    scenario = os.path.join(tmp, "setup.json")
    small_scenario(scenario, "rehearse-setup", 4 * 3600,
                   [{"at_s": 3600, "action": "test_launch"}, {"at_s": 7200, "action": "cutover_start"}])
    env_file = os.path.join(tmp, "setup-env.txt")
    create_vpc = (f"{sys.executable} -c \"import boto3; print(boto3.client('ec2').create_vpc("
                  f"CidrBlock='10.42.0.0/16')['Vpc']['VpcId'])\"")
    out = os.path.join(tmp, "ok")
    rc, stdout, stderr = run([migsim, "rehearse", scenario, "--runbook", "scenarios/runbooks/cutover.json",
                              "--out", out, "--setup", f"env > {env_file}", "--setup", create_vpc])
    check("rehearse with setup exits 0", rc == 0, f"rc={rc} {stdout[-1500:]} {stderr[-1500:]}")
    with open(env_file) as f:
        env = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
    check("setup sees the loopback endpoint", re.fullmatch(r"http://127\.0\.0\.1:\d+", env.get("AWS_ENDPOINT_URL", "")),
          env.get("AWS_ENDPOINT_URL"))
    check("setup sees the scenario's region and test credentials, metadata off",
          env.get("AWS_REGION") == "us-east-1" and env.get("AWS_ACCESS_KEY_ID") == "test" and
          env.get("AWS_EC2_METADATA_DISABLED") == "true", {k: v for k, v in env.items() if k.startswith("AWS")})
    with open(os.path.join(out, "rehearsal.json")) as f:
        rep = json.load(f)
    setup = rep["setup"]
    check("both setup commands recorded with exit 0", [s["exit_code"] for s in setup] == [0, 0], setup)
    check("the VPC's creation is counted against the second command", [s["api_calls"] for s in setup] == [0, 1], setup)
    check("setup output kept", "vpc-" in open(setup[1]["log"]).read())
    check("the setup's call is in the audit trail", any(c["name"] == "CreateVpc" for c in rep["api_calls"]),
          [c["name"] for c in rep["api_calls"]][:5])
    check("setup steps open the timeline", [s["action"] for s in rep["timeline"][:2]] == ["setup", "setup"] and
          rep["timeline"][2]["action"] != "setup", [s["step"] for s in rep["timeline"][:3]])
    check("the runbook starts after the setup, at the cutover time", rep["runbook"]["start_s"] >= 7200 and
          setup[1]["end_s"] <= rep["runbook"]["start_s"], (setup[1]["end_s"], rep["runbook"]["start_s"]))
    check("wall times only under wall", len(rep["wall"]["setup_wall_s"]) == 2 and "wall_s" not in setup[0])
    vpcs = [r for r in rep["resource_timeline"]["resources"] if r["type"] == "Vpc"]
    check("the setup's VPC is on the resource timeline", len(vpcs) == 1 and vpcs[0]["created_s"] >= setup[1]["start_s"],
          rep["resource_timeline"]["resources"][:3])
    check("the report page shows the setup", "setup 2: " in open(os.path.join(out, "report.html")).read())

    out = os.path.join(tmp, "failing")
    rc, stdout, stderr = run([migsim, "rehearse", scenario, "--runbook", "scenarios/runbooks/cutover.json",
                              "--out", out, "--setup", "echo provisioning; exit 3", "--setup", "touch never"])
    check("a failing setup exits 1", rc == 1, f"rc={rc}")
    check("and says which, with its output", "setup command 1 failed (exit 3)" in stderr and "provisioning" in stderr,
          stderr[-1000:])
    with open(os.path.join(out, "rehearsal.json")) as f:
        rep = json.load(f)
    check("the next setup command and the runbook did not run",
          len(rep["setup"]) == 1 and rep["runbook"]["status"] == "NotRun" and
          [s["action"] for s in rep["timeline"]] == ["setup"], (rep["runbook"], rep["timeline"]))
    check("the report names the failed setup", rep["runbook"].get("failed_step") == "setup 1" and
          rep["timeline"][0]["status"] == "Failed" and rep["verdict"] == "fail", rep["runbook"])
    rc, _, stderr = run([migsim, "rehearse", scenario, "--runbook", "scenarios/runbooks/cutover.json",
                         "--out", out, "--setup", "true", "--setup-speed", "-1"])
    check("a bad --setup-speed exits 2 naming it", rc == 2 and "--setup-speed" in stderr, f"rc={rc} {stderr}")


def main():
    migsim, case = os.path.abspath(sys.argv[1]), sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="migsim_rehearse_") as tmp:
        {"cutover": case_cutover, "fault": case_fault, "setup": case_setup, "bad": case_bad}[case](migsim, tmp)
    print(f"{results['passed']} passed, {results['failed']} failed")
    sys.exit(1 if results["failed"] else 0)


if __name__ == "__main__":
    main()
