#!/usr/bin/env python3
"""The side-by-side table of the README: terraform apply of examples/terraform/asis against
`migsim serve` and against moto_server 5.2.1 on the same configuration.

Usage: compare_moto.py MIGSIM [--timeout S]. Prints a Markdown table: resources declared, resources
in the state after apply, the first error, wall time of the apply, and (migsim) the simulated time
the apply took. A per-server timeout stops an apply that hangs (moto answers 500 to some calls and
the provider retries them).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
import tfdriver  # noqa: E402

SCENARIO = os.path.join(tfdriver.ROOT, "scenarios", "lift-and-shift-cutover.json")


def declared(ws):
    """Resources the plan would create."""
    code, out, _ = ws.tf("plan", "-no-color", "-input=false", check=False)
    m = re.search(r"Plan: (\d+) to add", out)
    return int(m.group(1)) if m else 0


def first_error(out):
    m = re.search(r"Error: (.*)", out)
    return m.group(1).strip()[:90] if m else ""


def apply(ws, timeout_s):
    try:
        return ws.tf("apply", "-auto-approve", "-no-color", "-parallelism=10", check=False, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return 124, f"Error: apply did not finish within {timeout_s} s", float(timeout_s)


class _Nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _apply_migsim(args, serve, exclude, rows):
    serve.listening()
    override = subprocess.run([args.migsim, "terraform-override", "--endpoint-url", serve.url],
                              capture_output=True, text=True, check=True).stdout
    ws = tfdriver.Workspace("asis", override, exclude=exclude)
    try:
        ws.tf("init", "-no-color", "-input=false")
        total = declared(ws)
        sim0 = serve.now()
        code, out, wall = apply(ws, args.timeout)
        sim_s = serve.now() - sim0
        rows.append(("migsim serve --speed max", total, tfdriver.resource_count(ws), code, first_error(out), wall,
                     f"{sim_s / 60:.1f} min"))
        ws.tf("destroy", "-auto-approve", "-no-color", "-parallelism=10", check=False, timeout=args.timeout)
    finally:
        ws.cleanup()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("migsim")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--only", choices=["migsim", "moto"], help="run one side only")
    args = ap.parse_args()
    reason = tfdriver.skip_reason()
    if reason:
        print(f"SKIP: {reason}")
        return 77
    from serve_fixture import Serve, free_port, wait_connectable
    rows = []
    exclude = ("edge.tf",)

    with Serve(args.migsim, SCENARIO, speed="max", quiet=True) if args.only != "moto" else _Nothing() as serve:
        if serve is not None:
            _apply_migsim(args, serve, exclude, rows)

    if args.only != "migsim" and shutil.which("moto_server"):
        port = free_port()
        moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            wait_connectable(port, 30)
            ws = tfdriver.Workspace("asis", tfdriver.override_for(f"http://127.0.0.1:{port}"), exclude=exclude)
            try:
                ws.tf("init", "-no-color", "-input=false")
                total = declared(ws)
                code, out, wall = apply(ws, args.timeout)
                rows.append(("moto_server 5.2.1", total, tfdriver.resource_count(ws), code, first_error(out), wall,
                             "n/a (no clock)"))
            finally:
                ws.cleanup()
        finally:
            moto.terminate()
            moto.wait()

    print("| endpoint | resources declared | applied | apply exit | first error | wall time | simulated time |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, total, applied, code, err, wall, sim in rows:
        print(f"| {name} | {total} | {applied} | {code} | {err or '-'} | {wall:.0f} s | {sim} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
