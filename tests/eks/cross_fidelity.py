#!/usr/bin/env python3
"""Cross-validation of the EKS fidelities (DESIGN.md: a coarser fidelity is validated against the
request-level run on the same scenario).

Runs one scenario twice with `migsim run` (SimGrid allows one engine per process), once with
eks.fidelity = "fluid" and once with "request", and checks that the fluid run agrees with the
request-level one within the tolerances below. Prints a table and writes fidelity.json to OUTDIR.

usage: cross_fidelity.py MIGSIM SCENARIO OUTDIR
"""
import json
import os
import subprocess
import sys
import time

# The fluid model assumes every pod receives a Poisson share of the traffic (M/G/1-PS per pod).
# That holds at request level when the ALB routes by weighted random; the ALB's default round robin
# sends each pod every c-th request (Erlang-c gaps: smoother), so pods queue less than the fluid
# model says. Hence two comparisons, tolerances relative to the request-level run:
#
# 1. fluid vs request level with weighted_random routing (the fluid model's assumption holds):
#    - throughput 1 %: the same traffic integral; Poisson arrivals (330,000: 0.2 % sd).
#    - mean latency 10 %: the PS mean sojourn x / (1 - rho) is exact for M/G/1-PS whatever the CPU
#      distribution; what remains is the HPA acting on a noisy per-pod metric at request level
#      (seeds 1, 2, 3, 7 measured -0.8 % to +9 %).
#    - p99 +-15 %: the fluid model draws percentiles from the M/M/1-PS sojourn spread (SCV
#      cs2 + 2 rho / (2 - rho), 1.86 for exponential CPU at rho = 0.6; models/eks/sojourn_tail.hpp)
#      through a two-moment fit (balanced H2 above SCV 1); measured -0.6 %, -1.3 %, -4.8 %, -2.7 % on
#      seeds 1, 2, 3, 7 (it was -27 % to -30 % with an exponential tail). A change that moves it out
#      of this band changed one of the two models.
#    - p99 per class +-25 %: exponential-CPU "order" -0.5 .. +6.4 %, lognormal cv 0.8 "browse"
#      -0.8 .. +22 % on the same seeds (the M/M/1-PS conditional variance overstates the spread a
#      less variable CPU leaves; the request-level class p99 itself moves 640 .. 785 ms by seed).
#    - errors: both <= 0.1 %; the same final replica counts (the HPA formula on the same mean CPU).
# 2. fluid vs request level with round robin (the default): the same throughput (1 %), errors and
#    replicas, and the fluid mean and p99 at least the request level's (fluid is conservative).
THROUGHPUT_TOL = 0.01
MEAN_TOL = 0.10
P99_BAND = (-0.15, 0.15)
CLASS_P99_BAND = (-0.25, 0.25)
MAX_ERROR_RATE = 0.001


def run(migsim, doc, fidelity, outdir, algorithm=None):
    doc = json.loads(json.dumps(doc))
    doc["eks"]["fidelity"] = fidelity
    label = fidelity + ("-" + algorithm if algorithm else "")
    if algorithm:
        doc["eks"].setdefault("alb_target_group", {})["algorithm"] = algorithm
    path = os.path.join(outdir, f"scenario-{label}.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    run_dir = os.path.join(outdir, label)
    t0 = time.monotonic()
    rc = subprocess.run([migsim, "run", path, "-q", "--out", run_dir], stdout=subprocess.DEVNULL).returncode
    if rc not in (0, 1):  # 1: an expectation failed, still a complete run
        raise SystemExit(f"migsim run {path} exited {rc}")
    wall = time.monotonic() - t0
    with open(os.path.join(run_dir, "summary.json")) as f:
        s = json.load(f)
    return {
        "wall_s": round(wall, 3),
        "requests": s["requests"]["arrivals"],
        "throughput_rps": s["requests"]["throughput_rps"],
        "error_rate": s["requests"]["error_rate"],
        "mean_ms": s["latency_ms"]["mean"],
        "p50_ms": s["latency_ms"]["p50"],
        "p99_ms": s["latency_ms"]["p99"],
        "final_replicas": s["eks"]["pods"]["final_replicas"],
        "classes": {c["name"]: c["latency_ms"]["p99"] for c in s["classes"]},
    }


def rel(a, b):
    return (a - b) / b


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    migsim, scenario, outdir = sys.argv[1:]
    os.makedirs(outdir, exist_ok=True)
    with open(scenario) as f:
        doc = json.load(f)
    fluid = run(migsim, doc, "fluid", outdir)
    rand = run(migsim, doc, "request", outdir, "weighted_random")
    rr = run(migsim, doc, "request", outdir, "round_robin")
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)
        return "" if ok else "  FAIL"

    print(f"{'':16}{'fluid':>11}{'req random':>12}{'diff':>8}{'req rr':>11}{'diff':>8}")
    for key in ("throughput_rps", "mean_ms", "p50_ms", "p99_ms"):
        print(f"{key:16}{fluid[key]:11.2f}{rand[key]:12.2f}{rel(fluid[key], rand[key]) * 100:7.1f}%"
              f"{rr[key]:11.2f}{rel(fluid[key], rr[key]) * 100:7.1f}%")
    for name in ("browse", "order"):
        if name in fluid["classes"]:
            print(f"{'p99 ' + name:16}{fluid['classes'][name]:11.2f}{rand['classes'][name]:12.2f}"
                  f"{rel(fluid['classes'][name], rand['classes'][name]) * 100:7.1f}%{rr['classes'][name]:11.2f}"
                  f"{rel(fluid['classes'][name], rr['classes'][name]) * 100:7.1f}%")
    print(f"{'error rate':16}{fluid['error_rate']:11.5f}{rand['error_rate']:12.5f}{'':8}{rr['error_rate']:11.5f}")
    print(f"{'wall s':16}{fluid['wall_s']:11.2f}{rand['wall_s']:12.2f}{'':8}{rr['wall_s']:11.2f}")
    print(f"final replicas  fluid {json.dumps(fluid['final_replicas'])} random {json.dumps(rand['final_replicas'])} "
          f"rr {json.dumps(rr['final_replicas'])}")
    print()
    for label, req in (("weighted_random", rand), ("round_robin", rr)):
        d = rel(fluid["throughput_rps"], req["throughput_rps"])
        print(f"{label}: throughput {d * 100:+.2f} % (tolerance 1 %)" +
              check(abs(d) <= THROUGHPUT_TOL, f"{label}: throughput differs by {d * 100:+.2f} %"))
        print(f"{label}: error rates {fluid['error_rate']:.5f} / {req['error_rate']:.5f} (both <= {MAX_ERROR_RATE})" +
              check(max(fluid["error_rate"], req["error_rate"]) <= MAX_ERROR_RATE, f"{label}: error rate above 0.1 %"))
        print(f"{label}: final replicas equal" +
              check(fluid["final_replicas"] == req["final_replicas"], f"{label}: final replicas differ"))
    d = rel(fluid["mean_ms"], rand["mean_ms"])
    print(f"weighted_random: mean latency {d * 100:+.1f} % (tolerance 10 %)" +
          check(abs(d) <= MEAN_TOL, f"weighted_random: mean latency differs by {d * 100:+.1f} %"))
    d = rel(fluid["p99_ms"], rand["p99_ms"])
    print(f"weighted_random: p99 {d * 100:+.1f} % (band {P99_BAND[0] * 100:.0f} % .. {P99_BAND[1] * 100:+.0f} %)" +
          check(P99_BAND[0] <= d <= P99_BAND[1], f"weighted_random: p99 differs by {d * 100:+.1f} %"))
    for name in sorted(fluid["classes"]):
        if name in rand["classes"]:
            d = rel(fluid["classes"][name], rand["classes"][name])
            print(f"weighted_random: p99 {name} {d * 100:+.1f} % (band {CLASS_P99_BAND[0] * 100:.0f} % .. "
                  f"{CLASS_P99_BAND[1] * 100:+.0f} %)" +
                  check(CLASS_P99_BAND[0] <= d <= CLASS_P99_BAND[1], f"weighted_random: p99 {name} differs by {d * 100:+.1f} %"))
    print(f"round_robin: fluid mean and p99 at least the request level's (conservative)" +
          check(fluid["mean_ms"] >= rr["mean_ms"] and fluid["p99_ms"] >= rr["p99_ms"],
                "round_robin: fluid latency below the request level's"))
    print(f"request level costs {rand['wall_s'] / max(fluid['wall_s'], 1e-3):.0f}x the fluid wall time")
    with open(os.path.join(outdir, "fidelity.json"), "w") as f:
        json.dump({"fluid": fluid, "request_weighted_random": rand, "request_round_robin": rr,
                   "failures": failures}, f, indent=1)
    for x in failures:
        print("FAIL:", x)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
