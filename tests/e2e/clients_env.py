"""What the real-client end-to-end tests share beyond serve_fixture: host names that resolve to this
machine (so virtual-hosted S3 works without any DNS lookup leaving it), in this process and in the
AWS CLI's, and an AWS CLI configured for virtual-hosted S3."""
import os
import socket

_real_getaddrinfo = socket.getaddrinfo
LOCAL_SUFFIXES = (".localhost", ".localstack.cloud")

SITECUSTOMIZE = '''import socket
_real = socket.getaddrinfo
def _local(host, *a, **k):
    if isinstance(host, str) and host.endswith(%r):
        host = "127.0.0.1"
    return _real(host, *a, **k)
socket.getaddrinfo = _local
''' % (LOCAL_SUFFIXES,)


def resolve_locally():
    """From now on, in this process, *.localhost and *.localstack.cloud are 127.0.0.1 (never an AWS host name)."""
    def local(host, *args, **kw):
        if isinstance(host, str) and host.endswith(LOCAL_SUFFIXES):
            host = "127.0.0.1"
        return _real_getaddrinfo(host, *args, **kw)
    socket.getaddrinfo = local


def cli_env(base_env, work_dir, addressing_style=None):
    """The AWS CLI's environment with the same local resolution (a sitecustomize on PYTHONPATH) and, when
    asked, S3 addressing_style set in its config file."""
    site = os.path.join(work_dir, "site")
    os.makedirs(site, exist_ok=True)
    with open(os.path.join(site, "sitecustomize.py"), "w") as f:
        f.write(SITECUSTOMIZE)
    env = dict(base_env, PYTHONPATH=site + os.pathsep + base_env.get("PYTHONPATH", ""))
    if addressing_style:
        config = os.path.join(work_dir, "aws-config")
        with open(config, "w") as f:
            f.write(f"[default]\nregion = us-east-1\ns3 =\n    addressing_style = {addressing_style}\n")
        env["AWS_CONFIG_FILE"] = config
    return env
