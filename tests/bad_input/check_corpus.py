#!/usr/bin/env python3
"""Runs a bad-input corpus against the migsim binary: every input must end with its documented
error (exit code and message, or HTTP status and AWS error code), never with a signal, and a
server must still answer afterwards.

    check_corpus.py MIGSIM scenarios.json|runbooks.json|http.json
    check_corpus.py --seeds-only DIR scenarios.json|runbooks.json|http.json

A corpus file is a JSON list of cases. Each case builds one input:
  "text": the file's content;  "deep": {"before", "open", "leaf", "close", "after", "depth"}: a
  nested text generated here (kept out of the repository: 300k levels are 1.5 MB);
  "base" + "set": a shipped file with values replaced at JSON pointers;  "path": an existing
  path (/dev/zero);  "fifo": true: a named pipe;  "size_bytes": a sparse file that large.
File cases run `migsim ARGS` ("args", default `scenario check {file}` / `runbook check {file}`)
and expect "exit" and a stderr containing "stderr". HTTP cases send "request" (raw bytes: a
string, \\u00XX for byte XX, "{deep}" replaced by the generated text) to `migsim serve` and expect
"status" and, when given, "code" in the body or x-amzn-ErrorType.
--seeds-only DIR writes each generated input to DIR without running anything (the libFuzzer seeds
of scripts/fuzz.sh).
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from serve_fixture import check, free_port, summary, wait_connectable  # noqa: E402


def deep_text(d):
    return d.get("before", "") + d["open"] * d["depth"] + d.get("leaf", "") + d["close"] * d["depth"] + d.get("after", "")


def set_pointer(doc, pointer, value):
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    node = doc
    for p in parts[:-1]:
        node = node[int(p)] if isinstance(node, list) else node[p]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def build_file(case, tmp):
    """The path of the case's input file (created under tmp), and its bytes when generated."""
    path = os.path.join(tmp, "input.json")
    if "path" in case:
        return case["path"], None
    if case.get("fifo"):
        os.mkfifo(path)
        return path, None
    if "size_bytes" in case:
        with open(path, "wb") as f:
            f.truncate(case["size_bytes"])
        return path, None
    if "text" in case:
        data = case["text"].encode("utf-8")
    elif "deep" in case:
        data = deep_text(case["deep"]).encode()
    else:
        with open(os.path.join(ROOT, case["base"])) as f:
            doc = json.load(f)
        for pointer, value in case.get("set", {}).items():
            set_pointer(doc, pointer, value)
        data = json.dumps(doc).encode()
    with open(path, "wb") as f:
        f.write(data)
    return path, data


def run_file_cases(migsim, kind, cases, seeds):
    default_args = {"scenarios": ["scenario", "check", "{file}"], "runbooks": ["runbook", "check", "{file}"]}[kind]
    for i, case in enumerate(cases):
        with tempfile.TemporaryDirectory(prefix="migsim_bad_") as tmp:
            path, data = build_file(case, tmp)
            if seeds and data is not None:
                with open(os.path.join(seeds, f"{kind}-{i:02d}"), "wb") as f:
                    f.write(data)
            args = [a.replace("{file}", path).replace("{tmp}", tmp) for a in case.get("args", default_args)]
            started = time.time()
            try:
                p = subprocess.run([migsim, *args], capture_output=True, text=True, errors="replace", timeout=60,
                               cwd=ROOT)
            except subprocess.TimeoutExpired:
                check(f"{kind}: {case['name']}", False, "no answer within 60 s")
                continue
            took = time.time() - started
            died = p.returncode < 0
            ok = not died and p.returncode == case["exit"] and case.get("stderr", "") in p.stderr
            check(f"{kind}: {case['name']} -> exit {p.returncode} in {took:.1f} s", ok,
                  f"signal {-p.returncode}" if died else f"expected exit {case['exit']} and {case.get('stderr')!r}; "
                  f"stderr: {p.stderr.strip()[-300:]!r}")


def request_bytes(case):
    text = case["request"]
    if "deep" in case:
        text = text.replace("{deep}", deep_text(case["deep"]))
    if "{length}" in text:
        body = text.split("\r\n\r\n", 1)[1] if "\r\n\r\n" in text else ""
        text = text.replace("{length}", str(len(body.encode("latin-1"))))
    return text.encode("latin-1")


def send(port, data, timeout_s=30):
    """Sends raw bytes, reads the reply until the server closes or a full response has arrived."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as s:
        s.sendall(data)
        reply = b""
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            reply += chunk
            head, sep, body = reply.partition(b"\r\n\r\n")
            m = re.search(rb"(?i)content-length:\s*(\d+)", head)
            if sep and m and len(body) >= int(m.group(1)):
                break
    return reply


def alive(port):
    try:
        reply = send(port, b"GET /_migsim/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 10)
        return reply.startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def run_http_cases(migsim, cases, seeds):
    with tempfile.TemporaryDirectory(prefix="migsim_bad_http_") as tmp:
        from serve_fixture import small_scenario
        scenario = os.path.join(tmp, "cutover.json")
        small_scenario(scenario, "bad-input")
        port = free_port()
        proc = subprocess.Popen([migsim, "serve", scenario, "--port", str(port), "--speed", "0"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if not check("http: the server starts", wait_connectable(port, 60)):
                return
            for i, case in enumerate(cases):
                data = request_bytes(case)
                if seeds:
                    with open(os.path.join(seeds, f"http-{i:02d}"), "wb") as f:
                        f.write(data)
                try:
                    reply = send(port, data)
                except OSError as e:
                    reply = str(e).encode()
                status = reply[9:12].decode("latin-1", "replace")
                head = reply.partition(b"\r\n\r\n")[0].decode("latin-1", "replace")
                wanted = case["status"] if isinstance(case["status"], list) else [case["status"]]
                ok = status in [str(w) for w in wanted] and (not case.get("code") or case["code"].encode() in reply)
                for forbidden in case.get("absent_headers", []):
                    ok = ok and re.search(rf"(?im)^{re.escape(forbidden)}:", head) is None
                check(f"http: {case['name']} -> {status}", ok, f"expected {case['status']} {case.get('code')}; got "
                      f"{reply[:400]!r}")
                check(f"http: the server still answers after {case['name']}", proc.poll() is None and alive(port),
                      f"exit {proc.poll()}")
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def write_seeds(seeds, kind, cases):
    os.makedirs(seeds, exist_ok=True)
    for i, case in enumerate(cases):
        if kind == "http":
            data = request_bytes(case)
        else:
            with tempfile.TemporaryDirectory(prefix="migsim_seed_") as tmp:
                if "path" in case or case.get("fifo") or "size_bytes" in case:
                    continue
                data = build_file(case, tmp)[1]
        with open(os.path.join(seeds, f"{kind}-{i:02d}"), "wb") as f:
            f.write(data)


def main():
    if sys.argv[1] == "--seeds-only":
        corpus = sys.argv[3]
        corpus = corpus if os.path.isabs(corpus) else os.path.join(HERE, corpus)
        with open(corpus) as f:
            write_seeds(sys.argv[2], os.path.splitext(os.path.basename(corpus))[0], json.load(f))
        return
    migsim, corpus = sys.argv[1], sys.argv[2]
    seeds = None
    if not os.path.isabs(corpus):
        corpus = os.path.join(HERE, corpus)
    with open(corpus) as f:
        cases = json.load(f)
    kind = os.path.splitext(os.path.basename(corpus))[0]
    started = time.time()
    if kind == "http":
        run_http_cases(migsim, cases, seeds)
    else:
        run_file_cases(migsim, kind, cases, seeds)
    sys.exit(summary(started))


if __name__ == "__main__":
    main()
