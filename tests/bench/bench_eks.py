#!/usr/bin/env python3
"""EKS benchmark: a 1,000-node, 10,000-pod cluster through a 24-hour simulated day with
HPA and the Cluster Autoscaler. Prints wall time and peak memory (goals: under 60 s, under 1 GB).

  python3 tests/bench/bench_eks.py [--build build] [--hours 24] [--tick 1]

Fidelity: the EKS model's fluid load (per-Deployment request rates each tick, processor-sharing
pods at their CPU limit, queueing-theory latency), not per-request simulation; the control plane
(scheduler, HPA, Cluster Autoscaler, pod and node lifecycles) runs in full.

The generated scenario: 50 microservices (one request class each, 20 ms of CPU per request, pods
requesting 380m with a 760m limit, HPA at 60 % of the request), a daily curve peaking at 114,000
requests/s, one managed node group of m5.xlarge (3,920m allocatable: 10 pods of 380m) from 100 to
1,500 nodes. At the peak the HPA asks for about 10,000 pods on about 1,000 nodes.
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
CURVE = [0.35, 0.25, 0.18, 0.15, 0.15, 0.2, 0.35, 0.6, 0.85, 1.05, 1.15, 1.2, 1.25, 1.2, 1.15, 1.15, 1.2, 1.3,
         1.45, 1.6, 1.65, 1.5, 1.1, 0.7]


def scenario(hours, tick):
    n_dep = 50
    peak_rps = 114000.0
    base = peak_rps / max(CURVE)
    # Each pod at the HPA target serves 0.6 x 380m / 20 ms = 11.4 requests/s.
    first = base * CURVE[0] / n_dep / 11.4
    deployments = [{"name": f"svc-{i:02d}", "replicas": int(first) + 1, "cpu_request_m": 380, "cpu_limit_m": 760,
                    "memory_request_mib": 512, "image_pull_s": 10, "container_start_s": 4,
                    "hpa": {"min_replicas": 2, "max_replicas": 1000, "target_cpu_utilization_pct": 60}}
                   for i in range(n_dep)]
    classes = [{"name": f"c{i:02d}", "weight": 1, "stages": [{"service": f"svc-{i:02d}", "cpu_ms": 20}]}
               for i in range(n_dep)]
    services = [{"name": f"svc-{i:02d}", "server": "placeholder", "workers": 1} for i in range(n_dep)]
    return {
        "name": "bench-eks-1000-nodes", "seed": 1, "duration_s": hours * 3600,
        "platform": {"zones": [{"name": "internet"}],
                     "servers": [{"name": "placeholder", "zone": "internet", "cores": 1}], "services": services},
        "workload": {"client_zone": "internet", "base_rps": base, "daily_curve": CURVE, "classes": classes},
        "eks": {"zones": ["us-east-1a", "us-east-1b", "us-east-1c"], "tick_s": tick,
                "node_groups": [{"name": "workers", "instance_type": "m5.xlarge", "min_size": 100,
                                 "max_size": 1500, "desired_size": 260}],
                "cluster_autoscaler": {"expander": "least-waste"},
                "deployments": deployments},
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--hours", type=float, default=24)
    ap.add_argument("--tick", type=float, default=1)
    args = ap.parse_args()
    migsim = os.path.join(args.build, "migsim")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bench-eks.json")
        with open(path, "w") as f:
            json.dump(scenario(args.hours, args.tick), f)
        t0 = time.monotonic()
        out = subprocess.run([migsim, "run", path, "-q", "--out", tmp], capture_output=True, text=True)
        wall = time.monotonic() - t0
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
        if out.returncode not in (0, 1):
            sys.exit(f"migsim failed ({out.returncode}):\n{out.stderr}")
        with open(os.path.join(tmp, "summary.json")) as f:
            s = json.load(f)
    e = s["eks"]
    print(f"  {args.hours:g} h simulated, tick {args.tick:g} s: {wall:.1f} s wall (goal < 60 s), "
          f"peak RSS {rss_mb:.0f} MB (goal < 1024 MB)")
    print(f"  peak {e['nodes']['peak']} nodes, {e['pods']['peak_ready']} ready pods; "
          f"{e['nodes']['launched']} nodes launched, {e['nodes']['removed']} removed; "
          f"{e['time_to_capacity_s']['scale_up_episodes']} HPA scale-ups, longest to capacity "
          f"{e['time_to_capacity_s']['max']:.0f} s; {s['requests']['arrivals']:,} requests (fluid), "
          f"p99 {s['latency_ms']['p99']:.0f} ms, error rate {s['requests']['error_rate']:.4f}")


if __name__ == "__main__":
    main()
