#!/usr/bin/env python3
"""Results are never half-written or stale: `migsim run` writes each output whole (temporary file
then rename), marks its --out directory in progress until every output is written, exits 4 when
the disk is full, and `compare` / `report` refuse a directory whose run did not finish.

    test_outputs.py MIGSIM
"""
import glob
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from serve_fixture import check, summary  # noqa: E402

MARKER = ".migsim-in-progress"


def migsim(binary, *args, timeout=300):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def scenario(tmp, name, duration_s, rps):
    with open(os.path.join(ROOT, "tests", "data", "tiny_valid.json")) as f:
        doc = json.load(f)
    doc.update(name=name, duration_s=duration_s)
    doc["workload"]["base_rps"] = rps
    path = os.path.join(tmp, name + ".json")
    with open(path, "w") as f:
        json.dump(doc, f)
    return path


def try_mount_tmpfs(path, size):
    os.makedirs(path, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", path],
                          capture_output=True).returncode == 0


def main():
    binary = sys.argv[1]
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="migsim_outputs_") as tmp:
        quick = scenario(tmp, "quick", 60, 20)
        out = os.path.join(tmp, "run")
        r = migsim(binary, "run", quick, "--out", out, "-q", "--junit", os.path.join(tmp, "junit.xml"))
        check("a finished run exits 0", r.returncode == 0, r.stderr)
        check("a finished run leaves no in-progress marker", not os.path.exists(os.path.join(out, MARKER)))
        leftovers = glob.glob(os.path.join(out, "*.tmp-*")) + glob.glob(os.path.join(tmp, "*.tmp-*"))
        check("and no temporary file", not leftovers, leftovers)
        check("its outputs are all there", all(os.path.exists(os.path.join(out, f))
                                               for f in ("summary.json", "timeseries.csv", "report.html")))

        # A run killed half-way into a directory that holds a finished run: the old files must not
        # pass for the new run's result.
        slow = scenario(tmp, "slow", 86400, 400)
        p = subprocess.Popen([binary, "run", slow, "--out", out, "-q"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline and not os.path.exists(os.path.join(out, MARKER)):
            time.sleep(0.05)
        time.sleep(0.5)
        killed = p.poll() is None
        p.send_signal(signal.SIGKILL)
        p.wait()
        check("the slow run was still going when killed", killed)
        check("the killed run left the directory marked in progress", os.path.exists(os.path.join(out, MARKER)))
        r = migsim(binary, "compare", out, out)
        check("compare refuses the incomplete directory (exit 2)", r.returncode == 2 and "incomplete run" in r.stderr,
              f"exit {r.returncode}: {r.stderr}")
        r = migsim(binary, "compare", os.path.join(out, "summary.json"), os.path.join(out, "summary.json"))
        check("compare refuses its summary.json too", r.returncode == 2 and "incomplete run" in r.stderr, r.stderr)
        r = migsim(binary, "report", out, "-o", os.path.join(tmp, "r.html"))
        check("report refuses it (exit 2)", r.returncode == 2 and "incomplete run" in r.stderr, r.stderr)
        r = migsim(binary, "run", quick, "--out", out, "-q")
        r2 = migsim(binary, "compare", out, out)
        check("a rerun completes it and compare accepts it again", r.returncode == 0 and r2.returncode == 0,
              r.stderr + r2.stderr)

        # Disk full: /dev/full for the extra reports, a tiny tmpfs for --out when mounting is allowed.
        for flag in ("--junit", "--report"):
            r = migsim(binary, "run", quick, "--out", os.path.join(tmp, "full" + flag), "-q", flag, "/dev/full")
            check(f"{flag} /dev/full: exit 4 naming the reason", r.returncode == 4 and "No space left on device" in r.stderr,
                  f"exit {r.returncode}: {r.stderr}")
            check(f"{flag} /dev/full: the run directory stays marked incomplete",
                  os.path.exists(os.path.join(tmp, "full" + flag, MARKER)))
        small = os.path.join(tmp, "small-disk")
        if try_mount_tmpfs(small, "16k"):
            try:
                with open(os.path.join(small, "filler"), "wb") as f:
                    f.write(b"x" * 12288)
                target = os.path.join(small, "run")
                r = migsim(binary, "run", quick, "--out", target, "-q")
                check("--out on a full disk: exit 4 naming the reason",
                      r.returncode == 4 and "No space left on device" in r.stderr, f"exit {r.returncode}: {r.stderr}")
                half = [f for f in os.listdir(target) if f != MARKER] if os.path.isdir(target) else []
                check("--out on a full disk: no half-written file is left", not any(".tmp-" in f for f in half), half)
                r = migsim(binary, "compare", target, target)
                check("--out on a full disk: compare refuses the directory", r.returncode == 2, r.stderr)
            finally:
                subprocess.run(["umount", small], capture_output=True)
        else:
            print("skip --out on a full tmpfs: mounting is not allowed here (the /dev/full checks stand)")
    sys.exit(summary(started))


if __name__ == "__main__":
    main()
