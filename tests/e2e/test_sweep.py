#!/usr/bin/env python3
"""migsim sweep end to end: a 12-variant grid of the Black Friday scenario (two traffic levels) with
--jobs 2 writes the table (sweep.csv, sweep.json) and the Pareto page with one front per traffic
level, says how many variants met their SLOs and, in each run.log, why the others did not; the
Kubernetes manifest is valid YAML with one completion per variant, a pod's command (--index env)
runs one variant, and `sweep collect` merges.

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

from checks import check, summary  # noqa: E402

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
# 2 x 3 x 2 = 12 variants of 5 simulated minutes each (the evening's traffic, flash sale not reached),
# at two traffic levels: Black Friday's 5.9x an ordinary day and 2x.
axes = ["--set", "duration_s=300", "--set", "workload.multiplier=5.9,2",
        "--set", "platform.servers.backend.cores=1,2,4", "--set", "platform.services.api-catalog.workers=8,48"]
r = subprocess.run([migsim, "sweep", scenario, *axes, "--jobs", "2", "--out", out], capture_output=True, text=True)
print(r.stdout, r.stderr)
check(f"sweep exit {r.returncode}", r.returncode == 0)
rows = list(csv.DictReader(open(os.path.join(out, "sweep.csv"))))
check(f"{len(rows)} rows instead of 12", len(rows) == 12)
check("rows not indexed 0..11", [int(x["index"]) for x in rows] == list(range(12)))
check("cores axis values", {x["platform.servers.backend.cores"] for x in rows} == {"1", "2", "4"})
check("a variant has no result", all(x["verdict"] in ("pass", "fail") and x["p99_ms"] for x in rows))
# The cost yardstick follows the cores: more backend cores never cost less.
by_cores = {}
for x in rows:
    by_cores.setdefault(int(x["platform.servers.backend.cores"]), set()).add(float(x["cost_per_month_usd"]))
check("cost depends on something other than the platform", all(len(v) == 1 for v in by_cores.values()))
costs = [by_cores[c].pop() for c in sorted(by_cores)]
check(f"cost does not grow with cores: {costs}", costs == sorted(costs) and costs[0] < costs[-1])
# The Pareto front, recomputed here per traffic level (traffic is not a design): no other row of the
# same level at most as costly and as slow, one strictly better.
pts = [(x["workload.multiplier"], float(x["cost_per_month_usd"]), float(x["p99_ms"])) for x in rows]
expected = [not any(o[0] == p[0] and o[1] <= p[1] and o[2] <= p[2] and o != p for o in pts) for p in pts]
across = [not any(o[1] <= p[1] and o[2] <= p[2] and o[1:] != p[1:] for o in pts) for p in pts]
check("Pareto front differs from the definition", [x["pareto"] == "yes" for x in rows] == expected)
check("a traffic level has no front", all(any(e for e, x in zip(expected, rows) if x["workload.multiplier"] == m)
                                          for m in ("5.9", "2")))
check("the grid does not show the difference between one front and a front per level", expected != across)
doc = json.load(open(os.path.join(out, "sweep.json")))
check("sweep.json pareto_front", doc["pareto_front"] == [i for i, e in enumerate(expected) if e])
fronts = {f["conditions"]: f["variants"] for f in doc["pareto_fronts"]}
check(f"sweep.json pareto_fronts {fronts}",
      fronts == {f"duration_s=300, workload.multiplier={m}":
                 [i for i, e in enumerate(expected) if e and rows[i]["workload.multiplier"] == m] for m in ("5.9", "2")})
page = open(os.path.join(out, "sweep.html")).read()
check("sweep.html does not draw 12 points", page.count("<circle") == 12)
check("sweep.html does not draw one chart per traffic level", page.count("<svg") == 2 and "at duration_s=300, workload.multiplier=2" in page)
check("no front line in sweep.html", re.search(r'class="front" d="M[0-9.]+,[0-9.]+', page) is not None)
# How many met their SLOs: the header and the last line say it; each variant that missed says why.
met = [x for x in rows if x["met_slos"] == "yes"]
check(f"all or none of the variants met their SLOs ({len(met)})", 0 < len(met) < 12)
header = f"{len(met)} of 12 variants met their SLOs"
check("the page's header does not say how many met their SLOs", header in page)
check("the command does not say how many met their SLOs", header in r.stdout)
for x in rows:
    log = open(os.path.join(out, x["dir"], "run.log")).read()
    missed = [line for line in log.splitlines() if line.startswith("sweep: SLO missed: ")]
    if x["met_slos"] == "yes":
        check(f"variant {x['index']} met its SLOs but its run.log says it missed", not missed)
    else:
        check(f"variant {x['index']} missed its SLOs and its run.log does not say why", missed)
        check(f"variant {x['index']}: a reason without measured value and bound: {missed}",
              all(re.search(r": \w+ measured [0-9.e+-]+, (limit|the failure the base scenario pins still happens)", m) for m in missed))
        check("sweep.csv does not list what was missed", x["missed"])
check("sweep.html refers to the network", "http://" not in page.replace("http://www.w3.org/2000/svg", ""))
check("variant report missing", os.path.exists(os.path.join(out, "variants", "011", "report.html")))

# Kubernetes: the manifest, then one pod's command run by hand.
k8s = os.path.join(work, "k8s")
r = subprocess.run([migsim, "sweep", scenario, *axes, "--emit-k8s-job", k8s, "--parallelism", "3"],
                   capture_output=True, text=True)
check(f"--emit-k8s-job exit {r.returncode}: {r.stderr}", r.returncode == 0)
docs = list(yaml.safe_load_all(open(os.path.join(k8s, "sweep-job.yaml"))))
kinds = {d["kind"]: d for d in docs if d}
check(f"manifest kinds {set(kinds)}", set(kinds) == {"ConfigMap", "Job"})
job = kinds["Job"]
check("Job apiVersion", job["apiVersion"] == "batch/v1")
check("completionMode", job["spec"]["completionMode"] == "Indexed")
check(f"completions {job['spec']['completions']}", job["spec"]["completions"] == 12)
check("parallelism", job["spec"]["parallelism"] == 3)
cmd = job["spec"]["template"]["spec"]["containers"][0]["command"]
check("the pod does not pick its variant by index", "--index" in cmd and cmd[cmd.index("--index") + 1] == "env")
cm = kinds["ConfigMap"]["data"]
check("ConfigMap scenario differs", json.loads(cm["scenario.json"]) == json.load(open(scenario)))
grid = json.loads(cm["grid.json"])
check("grid axes", len(grid["axes"]) == 4)
inp = os.path.join(work, "input")
os.makedirs(inp)
for name, text in cm.items():
    open(os.path.join(inp, name), "w").write(text)
pod_out = os.path.join(work, "pod-results")
args = [migsim if a == "migsim" else a for a in cmd]
args = [a.replace("/input", inp).replace("/results", pod_out) for a in args]
r = subprocess.run(args, capture_output=True, text=True, env=dict(os.environ, JOB_COMPLETION_INDEX="7"))
check(f"pod command exit {r.returncode}: {r.stderr}", r.returncode == 0)
check("the pod did not run exactly variant 7", os.listdir(os.path.join(pod_out, "variants")) == ["007"])
pod_summary = json.load(open(os.path.join(pod_out, "variants", "007", "summary.json")))
local_summary = json.load(open(os.path.join(out, "variants", "007", "summary.json")))
check("variant 7 differs between the pod and the local sweep", pod_summary == local_summary)
merged = os.path.join(work, "merged")
r = subprocess.run([migsim, "sweep", "collect", pod_out, out, "-o", merged], capture_output=True, text=True)
check(f"collect exit {r.returncode}: {r.stderr}", r.returncode == 0)
mrows = list(csv.DictReader(open(os.path.join(merged, "sweep.csv"))))
check(f"collect merged {len(mrows)} rows", len(mrows) == 12)
check("collect changed the front", [x["pareto"] for x in mrows] == [x["pareto"] for x in rows])
r = subprocess.run([migsim, "sweep", scenario, "--set", "platform.services.nope.workers=1"], capture_output=True,
                   text=True)
check(f"bad path: exit {r.returncode} {r.stderr}", r.returncode == 2 and "no element named \"nope\"" in r.stderr)
# A value that needs a key the scenario lacks says which and how to set it for every variant.
eks = os.path.join(src, "scenarios", "eks-black-friday.json")
r = subprocess.run([migsim, "sweep", eks, "--set", "eks.provisioner=cluster-autoscaler,karpenter",
                    "--emit-k8s-job", os.path.join(work, "k8s-eks")], capture_output=True, text=True)
check(f"karpenter without its NodePool: exit {r.returncode} {r.stderr}",
      r.returncode == 2 and "needs /eks/karpenter/instance_types" in r.stderr and "--set 'eks.karpenter=" in r.stderr)
r = subprocess.run([migsim, "sweep", eks, "--set", "eks.provisioner=cluster-autoscaler,karpenter",
                    "--set", 'eks.karpenter={"instance_types":["m5.large","m5.xlarge"]}',
                    "--emit-k8s-job", os.path.join(work, "k8s-eks")], capture_output=True, text=True)
check(f"karpenter with its NodePool: exit {r.returncode} {r.stderr}", r.returncode == 0)
sys.exit(summary())
