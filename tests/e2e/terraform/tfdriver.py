"""Runs terraform against a local AWS endpoint (migsim serve or moto_server), offline.

Shared by the end-to-end test (test_asis.py) and the side-by-side table (compare_moto.py). terraform
installs the AWS provider from a filesystem mirror only (a CLI config in a temporary directory),
never from the registry; every provider endpoint points at the local server.
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
EXAMPLES = os.path.join(ROOT, "examples", "terraform")
MIRROR_CANDIDATES = [os.environ.get("MIGSIM_TF_MIRROR", ""), "/opt/tf-plugins",
                     os.path.expanduser("~/.terraform.d/plugins"), "/usr/share/terraform/plugins"]


def find_mirror():
    """The filesystem mirror holding hashicorp/aws, or None."""
    for path in MIRROR_CANDIDATES:
        if path and os.path.isdir(os.path.join(path, "registry.terraform.io", "hashicorp", "aws")):
            return path
    return None


def skip_reason():
    """Why these tests cannot run here (None when they can)."""
    if shutil.which("terraform") is None:
        return "terraform is not on PATH"
    if find_mirror() is None:
        return "no filesystem mirror with hashicorp/aws (set MIGSIM_TF_MIRROR)"
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout_s=30):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout_s} s")


class Workspace:
    """A copy of one example in a temporary directory with its own CLI config and plugin cache."""

    def __init__(self, example, override_text, exclude=()):
        self.dir = tempfile.mkdtemp(prefix="migsim-tf-")
        self.work = os.path.join(self.dir, example)
        src = os.path.join(EXAMPLES, example)
        shutil.copytree(src, self.work, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*", *exclude))
        with open(os.path.join(self.work, "migsim_override.tf"), "w", encoding="utf-8") as f:
            f.write(override_text)
        self.cli_config = os.path.join(self.dir, "terraformrc")
        with open(self.cli_config, "w", encoding="utf-8") as f:
            f.write('provider_installation {\n  filesystem_mirror {\n    path    = "%s"\n'
                    '    include = ["registry.terraform.io/*/*"]\n  }\n  direct {\n'
                    '    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n' % find_mirror())
        self.env = dict(os.environ, TF_CLI_CONFIG_FILE=self.cli_config, TF_IN_AUTOMATION="1",
                        CHECKPOINT_DISABLE="1", TF_INPUT="0", AWS_ACCESS_KEY_ID="test",
                        AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
                        AWS_EC2_METADATA_DISABLED="true")
        self.env.pop("AWS_PROFILE", None)

    def tf(self, *args, log=None, check=True, timeout=900):
        """Runs `terraform <args>`; returns (exit code, stdout+stderr, wall seconds)."""
        env = dict(self.env)
        if log:
            env.update(TF_LOG="DEBUG", TF_LOG_PATH=log)
        start = time.time()
        p = subprocess.run(["terraform", *args], cwd=self.work, env=env, capture_output=True, text=True,
                           timeout=timeout)
        wall = time.time() - start
        out = p.stdout + p.stderr
        if check and p.returncode != 0:
            raise RuntimeError(f"terraform {' '.join(args)} exited {p.returncode}:\n{out[-6000:]}")
        return p.returncode, out, wall

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


# The provider's endpoint keys pointed at the local server (moto's side; migsim prints its own with
# `migsim terraform-override`).
ENDPOINT_KEYS = ["acm", "amp", "autoscaling", "cloudfront", "cloudtrail", "cloudwatch", "dms", "ec2", "ecr", "efs",
                 "eks", "elb", "elbv2", "iam", "kms", "logs", "rds", "route53", "s3", "secretsmanager", "sns",
                 "ssm", "sts", "wafv2"]


def override_for(url):
    """A provider override pointing every endpoint key at `url` (what tflocal writes)."""
    lines = ['provider "aws" {', '  access_key                  = "test"', '  secret_key                  = "test"',
             '  skip_credentials_validation = true',
             '  skip_metadata_api_check     = true', '  s3_use_path_style           = true', '', '  endpoints {']
    lines += [f'    {k:<14} = "{url}"' for k in ENDPOINT_KEYS]
    lines += ['  }', '}', '']
    return "\n".join(lines)


def resource_count(ws):
    """How many resources the state holds (`terraform state list`)."""
    code, out, _ = ws.tf("state", "list", check=False)
    return len([l for l in out.splitlines() if l.strip() and not l.startswith("data.")]) if code == 0 else 0
