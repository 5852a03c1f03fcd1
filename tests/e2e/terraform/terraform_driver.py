"""Runs terraform against one `migsim serve`: init from the provider mirror, apply, plan (no changes),
destroy. Shared by the terraform end-to-end tests (test_eks.py, test_edge.py)."""
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from serve_fixture import Serve, check, summary  # noqa: E402

MIRROR = os.environ.get("MIGSIM_TF_MIRROR", "/opt/tf-plugins")
SKIP = 77  # ctest SKIP_RETURN_CODE


def skip_unless_ready(migsim, needs):
    """Exits 77 with one line when terraform, the provider mirror or an operation the example needs is absent."""
    if not shutil.which("terraform"):
        print("SKIP: terraform is not on PATH (the terraform end-to-end tests need terraform >= 1.5)")
        sys.exit(SKIP)
    if not os.path.isdir(os.path.join(MIRROR, "registry.terraform.io", "hashicorp", "aws")):
        print(f"SKIP: no hashicorp/aws provider in the filesystem mirror {MIRROR} (set MIGSIM_TF_MIRROR)")
        sys.exit(SKIP)
    coverage = subprocess.run([migsim, "serve", "--coverage"], capture_output=True, text=True).stdout
    missing = [op for op in needs if f"| {op.split()[0]} | {op.split()[1]} |" not in coverage]
    if missing:
        print(f"SKIP: this migsim does not serve {', '.join(missing)}, which the example needs")
        sys.exit(SKIP)


def workdir(migsim, example_files, endpoint):
    """A temporary terraform directory: the example's files, the override `migsim terraform-override`
    writes (every provider endpoint at migsim), a CLI config installing the provider from the mirror only."""
    d = tempfile.mkdtemp(prefix="migsim-tf-")
    for f in example_files:
        shutil.copy(f, d)
    override = subprocess.run([migsim, "terraform-override", "--endpoint-url", endpoint], capture_output=True,
                              text=True, check=True).stdout
    with open(os.path.join(d, "migsim_override.tf"), "w") as dst:
        dst.write(override)
    with open(os.path.join(d, "cli.tfrc"), "w") as f:
        f.write('provider_installation {\n  filesystem_mirror {\n    path    = "%s"\n'
                '    include = ["registry.terraform.io/hashicorp/*"]\n  }\n'
                '  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n' % MIRROR)
    return d


def tf_env(d):
    env = dict(os.environ)
    env.update({"TF_CLI_CONFIG_FILE": os.path.join(d, "cli.tfrc"), "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1",
                "TF_INPUT": "0", "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"})
    for k in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        env.pop(k, None)
    return env


def terraform(d, *args, timeout_s=1200):
    """Runs terraform in d; (exit code, wall seconds, output tail)."""
    started = time.monotonic()
    p = subprocess.run(["terraform", *args, "-no-color"], cwd=d, env=tf_env(d), capture_output=True, text=True,
                       timeout=timeout_s)
    out = p.stdout + p.stderr
    with open(os.path.join(d, "terraform.log"), "a") as log:
        log.write(f"\n$ terraform {' '.join(args)}\n{out}")
    return p.returncode, time.monotonic() - started, out[-3000:]


def get_json(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    body = conn.getresponse().read()
    conn.close()
    return json.loads(body)


def round_trip(migsim, example_files, after_apply=None, after_destroy=None):
    """One serve at --speed max: init, apply -parallelism=10, plan -detailed-exitcode (0), destroy;
    the callbacks check the endpoint with boto3 after apply and after destroy. Returns the exit code."""
    started = time.time()
    scenario = os.path.join(ROOT, "scenarios", "terraform-platform.json")
    with Serve(migsim, scenario, speed="max") as srv:
        check("migsim serve listens", srv.listening() is not None)
        d = workdir(migsim, example_files, srv.url)
        print(f"terraform directory: {d}")
        rc, wall, out = terraform(d, "init", "-input=false")
        check("terraform init installs hashicorp/aws from the filesystem mirror", rc == 0, out)
        rc, apply_wall, out = terraform(d, "apply", "-auto-approve", "-input=false", "-parallelism=10")
        check("terraform apply succeeds", rc == 0, out)
        timeline = get_json(srv.port, "/_migsim/timeline")
        print(f"apply: {apply_wall:.1f} s wall, {len(timeline['resources'])} resources, simulated critical path "
              f"{timeline['critical_path_s']:.0f} s (span on the clock {timeline['span_s']:.0f} s)")
        if rc == 0 and after_apply:
            after_apply(srv, timeline)
        rc, wall, out = terraform(d, "plan", "-detailed-exitcode", "-input=false")
        check("terraform plan after apply shows no changes (exit 0)", rc == 0, out)
        rc, destroy_wall, out = terraform(d, "destroy", "-auto-approve", "-input=false", "-parallelism=10")
        check("terraform destroy succeeds", rc == 0, out)
        print(f"destroy: {destroy_wall:.1f} s wall")
        if rc == 0 and after_destroy:
            after_destroy(srv)
        if summary(started) == 0:
            shutil.rmtree(d, ignore_errors=True)
            return 0
        print(f"kept for inspection: {d}/terraform.log")
        return 1
