#!/usr/bin/env python3
"""migsim benchmarks. Prints figures and ratios; never part of ctest.

  python3 tests/bench/run_benchmarks.py [--build build] [--quick]

1. M/M/8 at 90 % load: migsim's full stack beside a hand-written event heap, same process.
2. Memory flatness: the same M/M/8 at 1x and 4x the number of requests (peak RSS should not grow).
3. The on-prem Black Friday scenario stretched over a whole 24-hour simulated day: simulated
   requests per wall second and peak memory.
4. The whole lift-and-shift-cutover scenario (goal: under 60 s).
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(cmd):
    """Runs cmd, returns (stdout, wall seconds, peak RSS of the child in MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.monotonic()
    out = subprocess.run(cmd, check=False, capture_output=True, text=True)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if out.returncode not in (0, 1):
        sys.exit(f"benchmark command failed ({out.returncode}): {' '.join(cmd)}\n{out.stderr}")
    return out.stdout, wall, max(after, before) / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--quick", action="store_true", help="smaller runs (smoke test of the script)")
    args = ap.parse_args()
    bench = os.path.join(args.build, "tests", "bench", "bench_mmc")
    migsim = os.path.join(args.build, "migsim")
    n = 200000 if args.quick else 2000000

    print("== 1. M/M/8 at 90 % load ==")
    out, _, _ = run([bench, "--cores", "8", "--load", "0.9", "--requests", str(n)])
    print(out, end="")

    print("\n== 2. memory against simulated duration (M/M/8, 90 %) ==")
    for k in (1, 4):
        out, wall, _ = run([bench, "--requests", str(n * k)])
        rss = [l for l in out.splitlines() if "peak RSS" in l][0].split(":")[1].strip()
        print(f"  {n * k:>9} requests: peak RSS {rss}, {wall:.1f} s wall")

    print("\n== 3. on-prem Black Friday over a 24-hour simulated day ==")
    with open(os.path.join(ROOT, "scenarios", "onprem-black-friday.json")) as f:
        sc = json.load(f)
    sc["duration_s"] = 3600 if args.quick else 86400
    sc["workload"]["start_hour"] = 0
    sc["workload"]["spikes"] = [{"start_s": s["start_s"] + 16 * 3600, "duration_s": s["duration_s"],
                                 "multiplier": s["multiplier"]} for s in sc["workload"]["spikes"]
                                if s["start_s"] + 16 * 3600 < sc["duration_s"]]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bf24.json")
        with open(path, "w") as f:
            json.dump(sc, f)
        out, wall, _ = run([migsim, "run", path, "--out", tmp])
        rss = float(out.split("peak memory ")[1].split()[0])
        with open(os.path.join(tmp, "summary.json")) as f:
            summ = json.load(f)
    arrivals = summ["requests"]["arrivals"]
    print(f"  {arrivals} requests simulated in {wall:.1f} s wall: {arrivals / wall:,.0f} requests/s, "
          f"peak RSS {rss:.0f} MB, {sc['duration_s'] / wall:,.0f}x faster than real time")

    print("\n== 4. lift-and-shift-cutover (whole scenario) ==")
    if args.quick:
        print("  skipped with --quick")
        return
    with tempfile.TemporaryDirectory() as tmp:
        out, wall, _ = run([migsim, "run", os.path.join(ROOT, "scenarios", "lift-and-shift-cutover.json"), "--out", tmp])
        rss = float(out.split("peak memory ")[1].split()[0])
    print(f"  {wall:.1f} s wall (goal < 60 s), peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
