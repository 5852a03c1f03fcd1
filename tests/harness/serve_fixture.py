"""What the python tests of `migsim serve` (and `migsim rehearse`) share: the pass/fail count,
a free loopback port, the shrunk cutover scenario, boto3 clients and the AWS CLI pointed at an
endpoint, and Serve, which starts `migsim serve SCENARIO --port P --speed S`, waits for it,
moves its clock and stops it.

    from serve_fixture import check, serve_checked, summary
    def body(srv):
        srv.advance(300)
        check("a node group", srv.client("eks").list_nodegroups(clusterName="shop")["nodegroups"] == ["web"])
    serve_checked(migsim, "scenarios/eks-black-friday.json", body)   # or: with Serve(...) as srv: ...
    sys.exit(summary())
"""
import datetime
import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from checks import check, check_quiet, counting, results, skip, summary  # noqa: E402,F401  (the one check helper)
import aws_cli as _aws_cli  # noqa: E402  (the real AWS CLI, in this process unless MIGSIM_AWS_CLI=process)
# The AWS CLI's environment: any credentials, one region, no retries, no pager.
AWS_ENV = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
               AWS_MAX_ATTEMPTS="1", AWS_PAGER="")
AWS_ENV.pop("AWS_PROFILE", None)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_line_queues = {}


def _line_queue(proc):
    """The server's stdout lines, read by a thread of their own: a select on the pipe would miss a
    line already in the reader's buffer (two lines in one read), and the pipe never fills up."""
    q = _line_queues.get(proc)
    if q is None:
        q = _line_queues[proc] = queue.Queue()

        def pump():
            for line in proc.stdout:
                q.put(line)
            q.put(None)

        threading.Thread(target=pump, daemon=True).start()
    return q


def wait_for_line(proc, pattern, timeout_s):
    """Reads the server's stdout until a line matches; returns it (or None on timeout/exit)."""
    q = _line_queue(proc)
    deadline = time.time() + timeout_s
    while True:
        try:
            line = q.get(timeout=max(0.0, deadline - time.time()))
        except queue.Empty:
            return None
        if line is None:
            q.put(None)  # the end stays visible to the next call
            return None
        if re.search(pattern, line):
            return line


def wait_connectable(port, timeout_s=30):
    """Whether something accepts connections on the loopback port within the time."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def scenario_t0(doc_or_path):
    """The wall instant (aware datetime, UTC) of simulated t = 0: the scenario's "start"
    (2025-01-01T00:00:00Z when it has none), which the mock endpoint's Date and timestamps follow."""
    doc = doc_or_path
    if isinstance(doc_or_path, str):
        with open(doc_or_path) as f:
            doc = json.load(f)
    start = doc.get("start", "2025-01-01T00:00:00Z").replace("Z", "+00:00")
    t = datetime.datetime.fromisoformat(start)
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return t.astimezone(datetime.timezone.utc)


def small_scenario(path, name, duration_s=4 * 3600, events=(), keep_expectations=False):
    """The cutover scenario shrunk to run in seconds: rows / 100, 1 GB disks; written to path."""
    with open(os.path.join(ROOT, "scenarios", "lift-and-shift-cutover.json")) as f:
        doc = json.load(f)
    for t in doc["migration"]["database"]["tables"]:
        t["rows"] //= 100
    for s in doc["migration"]["mgn"]["servers"]:
        s["disk_gb"] = 1
    doc.update(name=name, duration_s=duration_s, events=list(events))
    if not keep_expectations:
        doc["expectations"] = []
    with open(path, "w") as f:
        json.dump(doc, f)
    return doc


def cli_time(value):
    """A timestamp as the AWS CLI v1 prints it (as the wire had it: ISO 8601 or epoch seconds), as a datetime."""
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
    return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def client(service, url, **config):
    """A boto3 client for the endpoint (retries off unless config says otherwise)."""
    import boto3
    import botocore.config
    config.setdefault("retries", {"max_attempts": 1})
    return boto3.client(service, endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test", config=botocore.config.Config(**config))


def aws_cli(url, *args, output="json", timeout_s=120):
    """Runs `aws --endpoint-url URL --output OUTPUT ARGS...`; returns (exit code, parsed output, stderr).
    JSON output is parsed (None when empty); text output is stripped."""
    rc, out, err = _aws_cli.run(AWS_ENV, ["--endpoint-url", url, "--output", output, *args], timeout_s=timeout_s)
    out = out.strip()
    if output == "json" and out:
        try:
            out = json.loads(out)
        except json.JSONDecodeError:
            pass
    elif output == "json":
        out = None
    return rc, out, err


def aws_error(fn, *args, **kw):
    """(AWS error code, HTTP status) of a boto3 call that must fail; (None, None) when it succeeds."""
    from botocore.exceptions import ClientError
    try:
        fn(*args, **kw)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    return None, None


class Serve:
    """`migsim serve SCENARIO --port P --speed SPEED [EXTRA...]` on a free loopback port for a `with` block.
    quiet=True sends its output to /dev/null (wait with wait_connectable(port) then)."""

    def __init__(self, migsim, scenario, speed="0", quiet=False, extra=()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        out = subprocess.DEVNULL if quiet else subprocess.PIPE
        self.proc = subprocess.Popen([migsim, "serve", scenario, "--port", str(self.port), "--speed", str(speed),
                                      *extra], stdout=out, stderr=subprocess.DEVNULL if quiet else None, text=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        return False

    def listening(self, timeout_s=20):
        """The server's "listening on" line once it prints it (None on timeout or exit)."""
        if self.proc.stdout is None:
            return "listening" if wait_connectable(self.port, timeout_s) else None
        return wait_for_line(self.proc, r"listening on http://127\.0\.0\.1:\d+", timeout_s)

    def stop(self, timeout_s=5):
        """SIGTERM and wait; the exit code, or None when it did not exit in time (then killed on exit)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            return None

    def clock(self, timeout_s=300, **body):
        """GET /_migsim/clock, or POST it with body (advance_s=... or to_s=...); the reply's JSON."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout_s)
        if body:
            conn.request("POST", "/_migsim/clock", body=json.dumps(body), headers={"Content-Type": "application/json"})
        else:
            conn.request("GET", "/_migsim/clock")
        reply = json.loads(conn.getresponse().read())
        conn.close()
        # 202: a long jump goes on between requests; wait until the clock gets there.
        deadline = time.time() + timeout_s
        while body and "pending_to_s" in reply and time.time() < deadline:
            time.sleep(0.2)
            reply = self.clock(timeout_s=timeout_s)
        return reply

    def advance(self, seconds):
        """Moves the simulated clock; returns the new simulated time (s)."""
        return self.clock(advance_s=seconds)["now_s"]

    def now(self):
        return self.clock()["now_s"]

    def client(self, service, **config):
        return client(service, self.url, **config)

    def aws(self, *args, output="json"):
        """The AWS CLI against this server: (exit code, parsed output, stderr)."""
        return aws_cli(self.url, *args, output=output)

    def cli(self, *args):
        """The AWS CLI's JSON output (after --query, when given), or "ERROR <code>: <stderr>" when it fails."""
        rc, out, err = aws_cli(self.url, *args)
        return out if rc == 0 else f"ERROR {rc}: {err.strip()[-400:]}"

    def cli_error(self, *args):
        """The AWS error code of a CLI call that must fail (None when it succeeds)."""
        rc, _, err = aws_cli(self.url, *args)
        m = re.search(r"An error occurred \(([A-Za-z0-9.]+)\)", err)
        return None if rc == 0 else m.group(1) if m else err.strip()[-200:]


def serve_checked(migsim, scenario, body, label="serve starts", check_stop=True, timeout_s=20, extra=()):
    """body(srv) against `migsim serve SCENARIO [EXTRA...]`: a server that does not start or an exception in
    body is one failed check; then SIGTERM (with check_stop, exiting 0 is a check)."""
    with Serve(migsim, scenario, extra=extra) as srv:
        if check(label, srv.listening(timeout_s) is not None):
            try:
                body(srv)
            except Exception as e:  # a crash is one failure
                check("no exception", False, repr(e))
        rc = srv.stop(10)
        if check_stop:
            check("serve stops on SIGTERM", rc == 0, rc)
