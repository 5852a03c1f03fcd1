#!/usr/bin/env python3
"""migsim sweep end to end: a 12-variant grid of the Black Friday scenario with --jobs 2 writes the
table (sweep.csv, sweep.json) and the Pareto page; the Kubernetes manifest is valid YAML with one
completion per variant, a pod's command (--index env) runs one variant, and `sweep collect` merges.

usage: test_sweep.py MIGSIM SOURCE_DIR WORK_DIR
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

migsim, src, work = sys.argv[1], sys.argv[2], sys.argv[3]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
# The Black Friday scenario without its flash sales: the variants last 5 simulated minutes, and a
# spike that starts after the end of a run is refused by the loader.
with open(os.path.join(src, "scenarios", "onprem-black-friday.json")) as f:
    doc = json.load(f)
doc["workload"].pop("spikes", None)
scenario = os.path.join(work, "onprem-black-friday-no-spikes.json")
with open(scenario, "w") as f:
    json.dump(doc, f, indent=2)
out = os.path.join(work, "sweep")
# 3 x 4 = 12 variants of 5 simulated minutes each (the evening's traffic, flash sale not reached).
axes = ["--set", "duration_s=300", "--set", "platform.servers.backend.cores=1,2,4",
        "--set", "platform.services.api-catalog.workers=8,16,24,48"]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


r = subprocess.run([migsim, "sweep", scenario, *axes, "--jobs", "2", "--out", out], capture_output=True, text=True)
print(r.stdout, r.stderr)
check(r.returncode == 0, f"sweep exit {r.returncode}")
rows = list(csv.DictReader(open(os.path.join(out, "sweep.csv"))))
check(len(rows) == 12, f"{len(rows)} rows instead of 12")
check([int(x["index"]) for x in rows] == list(range(12)), "rows not indexed 0..11")
check({x["platform.servers.backend.cores"] for x in rows} == {"1", "2", "4"}, "cores axis values")
check(all(x["verdict"] in ("pass", "fail") and x["p99_ms"] for x in rows), "a variant has no result")
# The cost yardstick follows the cores: more backend cores never cost less.
by_cores = {}
for x in rows:
    by_cores.setdefault(int(x["platform.servers.backend.cores"]), set()).add(float(x["cost_per_month_usd"]))
check(all(len(v) == 1 for v in by_cores.values()), "cost depends on something other than the platform")
costs = [by_cores[c].pop() for c in sorted(by_cores)]
check(costs == sorted(costs) and costs[0] < costs[-1], f"cost does not grow with cores: {costs}")
# The Pareto front, recomputed here: no other row at most as costly and as slow, one strictly better.
pts = [(float(x["cost_per_month_usd"]), float(x["p99_ms"])) for x in rows]
expected = [not any(o[0] <= p[0] and o[1] <= p[1] and o != p for o in pts) for p in pts]
check([x["pareto"] == "yes" for x in rows] == expected, "Pareto front differs from the definition")
check(any(expected), "empty Pareto front")
doc = json.load(open(os.path.join(out, "sweep.json")))
check(doc["pareto_front"] == [i for i, e in enumerate(expected) if e], "sweep.json pareto_front")
page = open(os.path.join(out, "sweep.html")).read()
check(page.count("<circle") == 12, "sweep.html does not draw 12 points")
check(re.search(r'class="front" d="M[0-9.]+,[0-9.]+', page) is not None, "no front line in sweep.html")
check("http://" not in page.replace("http://www.w3.org/2000/svg", ""), "sweep.html refers to the network")
check(os.path.exists(os.path.join(out, "variants", "011", "report.html")), "variant report missing")

# Kubernetes: the manifest, then one pod's command run by hand.
k8s = os.path.join(work, "k8s")
r = subprocess.run([migsim, "sweep", scenario, *axes, "--emit-k8s-job", k8s, "--parallelism", "3"],
                   capture_output=True, text=True)
check(r.returncode == 0, f"--emit-k8s-job exit {r.returncode}: {r.stderr}")
docs = list(yaml.safe_load_all(open(os.path.join(k8s, "sweep-job.yaml"))))
kinds = {d["kind"]: d for d in docs if d}
check(set(kinds) == {"ConfigMap", "Job"}, f"manifest kinds {set(kinds)}")
job = kinds["Job"]
check(job["apiVersion"] == "batch/v1", "Job apiVersion")
check(job["spec"]["completionMode"] == "Indexed", "completionMode")
check(job["spec"]["completions"] == 12, f"completions {job['spec']['completions']}")
check(job["spec"]["parallelism"] == 3, "parallelism")
cmd = job["spec"]["template"]["spec"]["containers"][0]["command"]
check("--index" in cmd and cmd[cmd.index("--index") + 1] == "env", "the pod does not pick its variant by index")
cm = kinds["ConfigMap"]["data"]
check(json.loads(cm["scenario.json"]) == json.load(open(scenario)), "ConfigMap scenario differs")
grid = json.loads(cm["grid.json"])
check(len(grid["axes"]) == 3, "grid axes")
inp = os.path.join(work, "input")
os.makedirs(inp)
for name, text in cm.items():
    open(os.path.join(inp, name), "w").write(text)
pod_out = os.path.join(work, "pod-results")
args = [migsim if a == "migsim" else a for a in cmd]
args = [a.replace("/input", inp).replace("/results", pod_out) for a in args]
r = subprocess.run(args, capture_output=True, text=True, env=dict(os.environ, JOB_COMPLETION_INDEX="7"))
check(r.returncode == 0, f"pod command exit {r.returncode}: {r.stderr}")
check(os.listdir(os.path.join(pod_out, "variants")) == ["007"], "the pod did not run exactly variant 7")
pod_summary = json.load(open(os.path.join(pod_out, "variants", "007", "summary.json")))
local_summary = json.load(open(os.path.join(out, "variants", "007", "summary.json")))
check(pod_summary == local_summary, "variant 7 differs between the pod and the local sweep")
merged = os.path.join(work, "merged")
r = subprocess.run([migsim, "sweep", "collect", pod_out, out, "-o", merged], capture_output=True, text=True)
check(r.returncode == 0, f"collect exit {r.returncode}: {r.stderr}")
mrows = list(csv.DictReader(open(os.path.join(merged, "sweep.csv"))))
check(len(mrows) == 12, f"collect merged {len(mrows)} rows")
check([x["pareto"] for x in mrows] == [x["pareto"] for x in rows], "collect changed the front")
r = subprocess.run([migsim, "sweep", scenario, "--set", "platform.services.nope.workers=1"], capture_output=True,
                   text=True)
check(r.returncode == 2 and "no element named \"nope\"" in r.stderr, f"bad path: exit {r.returncode} {r.stderr}")
print("OK" if not failures else f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
