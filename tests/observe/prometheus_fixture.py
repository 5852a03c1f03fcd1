"""The real Prometheus for the observability tests: finds prometheus and promtool (Debian package
`prometheus`), starts a server on a free loopback port with a given config or data directory,
queries it over its HTTP API, and stops it. Tests exit with SKIP_CODE (one clear line) when
Prometheus is not installed."""
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "e2e"))
from serve_fixture import free_port  # noqa: E402

SKIP_CODE = 77


def require_prometheus():
    """Paths of prometheus and promtool, or exits with SKIP_CODE saying why."""
    prometheus, promtool = shutil.which("prometheus"), shutil.which("promtool")
    if not prometheus or not promtool:
        print("SKIP: prometheus/promtool not installed (Debian package prometheus; scripts/deps.sh --optional)")
        sys.exit(SKIP_CODE)
    return prometheus, promtool


class Prometheus:
    """`prometheus` on 127.0.0.1:<free port> for a `with` block; data in `data_dir`."""

    def __init__(self, binary, data_dir, config_text="global:\n  scrape_interval: 1m\n", extra=()):
        os.makedirs(data_dir, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = os.path.join(data_dir, "prometheus.yml")
        with open(config, "w") as f:
            f.write(config_text)
        self.log = open(os.path.join(data_dir, "prometheus.log"), "w")
        self.proc = subprocess.Popen([binary, f"--config.file={config}", f"--web.listen-address=127.0.0.1:{self.port}",
                                      f"--storage.tsdb.path={data_dir}", "--storage.tsdb.retention.time=100y", *extra],
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def __enter__(self):
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"prometheus exited with {self.proc.returncode} (see {self.log.name})")
            try:
                with urllib.request.urlopen(self.url + "/-/ready", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("prometheus did not become ready in 60 s")

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        return False

    def query(self, expr, at=None):
        """Instant query: the result list ([{metric, value: [t, "v"]}...])."""
        params = {"query": expr}
        if at is not None:
            params["time"] = repr(float(at))
        with urllib.request.urlopen(self.url + "/api/v1/query?" + urllib.parse.urlencode(params), timeout=30) as r:
            body = json.loads(r.read())
        if body.get("status") != "success":
            raise RuntimeError(f"query {expr!r}: {body}")
        return body["data"]["result"]

    def scalar(self, expr, at=None):
        """The single value of an instant query (None when empty)."""
        res = self.query(expr, at)
        return float(res[0]["value"][1]) if res else None

    def query_range(self, expr, start, end, step):
        params = {"query": expr, "start": repr(float(start)), "end": repr(float(end)), "step": str(step)}
        with urllib.request.urlopen(self.url + "/api/v1/query_range?" + urllib.parse.urlencode(params), timeout=60) as r:
            body = json.loads(r.read())
        if body.get("status") != "success":
            raise RuntimeError(f"query_range {expr!r}: {body}")
        return body["data"]["result"]
