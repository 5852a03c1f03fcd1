#!/usr/bin/env python3
"""S3 and request-size limits of `migsim serve` as real clients send them:
- virtual-hosted addressing (BUCKET.s3.localhost.localstack.cloud, BUCKET.localhost and the
  SDKs' default with an endpoint given by host name) answered like path style, from boto3, the AWS CLI
  and the AWS SDK for JavaScript v3;
- `aws s3 cp` of a 3 MB and a 100 MB file round-trips byte-identical (the 100 MB one as a multipart
  upload), and the multipart operations through `aws s3api`;
- a body over the limit of API calls (1 MiB) answers 413 in the protocol's error shape, which the client
  reads (no broken pipe), while object bodies have their own limit.
Every host name resolves to 127.0.0.1 (clients_env): nothing leaves the machine.

usage: test_clients_s3.py MIGSIM [JS_CACHE_DIR]
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from checks import check, skip, summary  # noqa: E402
from clients_env import cli_env, resolve_locally  # noqa: E402
from serve_fixture import AWS_ENV, Serve, aws_error, client, small_scenario  # noqa: E402


def md5_file(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cli(env, url, *args, timeout_s=300):
    p = subprocess.run(["aws", "--endpoint-url", url, "--output", "json", *args], capture_output=True, text=True,
                       env=env, timeout=timeout_s)
    return p.returncode, p.stdout, p.stderr


def test_virtual_hosts(srv, work):
    """boto3 and the CLI in virtual-hosted style: the bucket in the Host, the key in the path."""
    import botocore.config
    for host, label in ((f"s3.localhost.localstack.cloud:{srv.port}", "BUCKET.s3.localhost.localstack.cloud"),
                        (f"localhost:{srv.port}", "BUCKET.localhost")):
        s3 = client("s3", f"http://{host}", s3={"addressing_style": "virtual"})
        sent = []
        s3.meta.events.register("before-send.s3.*", lambda request, **kw: sent.append(request.url))
        bucket = "vh-" + label.split(".")[-1]
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="reports/day1.csv", Body=b"a,b\n1,2\n")
        check(f"boto3 {label}: the request went to the bucket's host", any(f"//{bucket}." in u for u in sent), sent)
        body = s3.get_object(Bucket=bucket, Key="reports/day1.csv")["Body"].read()
        check(f"boto3 {label}: the object reads back", body == b"a,b\n1,2\n", body)
        part = s3.get_object(Bucket=bucket, Key="reports/day1.csv", Range="bytes=2-4")
        check(f"boto3 {label}: Range bytes=2-4 -> 206, those bytes, Content-Range",
              part["ResponseMetadata"]["HTTPStatusCode"] == 206 and part["Body"].read() == b"b\n1"
              and part["ContentRange"] == "bytes 2-4/8", part.get("ContentRange"))
        tail = s3.get_object(Bucket=bucket, Key="reports/day1.csv", Range="bytes=-3")["Body"].read()
        check(f"boto3 {label}: Range bytes=-3 -> the last 3 bytes", tail == b",2\n", tail)
        code, status = aws_error(s3.get_object, Bucket=bucket, Key="reports/day1.csv", Range="bytes=8-")
        check(f"boto3 {label}: Range past the end -> 416 InvalidRange", (code, status) == ("InvalidRange", 416),
              (code, status))
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
        check(f"boto3 {label}: listed as a key of its bucket", keys == ["reports/day1.csv"], keys)
    buckets = sorted(b["Name"] for b in client("s3", srv.url).list_buckets()["Buckets"])
    check("virtual hosts: no bucket named after a key (a PUT /key made one before)",
          buckets == ["vh-cloud", "vh-localhost"], buckets)
    # The AWS CLI, virtual-hosted through its config file.
    env = cli_env(AWS_ENV, work, addressing_style="virtual")
    url = f"http://s3.localhost.localstack.cloud:{srv.port}"
    src = os.path.join(work, "small.txt")
    with open(src, "w") as f:
        f.write("hello from the CLI\n")
    rc, _, err = cli(env, url, "s3", "mb", "s3://cli-vh")
    rc2, _, err2 = cli(env, url, "s3", "cp", src, "s3://cli-vh/notes/hello.txt")
    rc3, out, err3 = cli(env, url, "s3api", "list-objects-v2", "--bucket", "cli-vh", "--debug")
    check("AWS CLI virtual-hosted: mb, cp and list succeed", rc == rc2 == rc3 == 0, (err, err2, err3[-300:]))
    check("AWS CLI virtual-hosted: the CLI addressed cli-vh.s3.localhost.localstack.cloud",
          "cli-vh.s3.localhost.localstack.cloud" in err3, err3[-300:])
    check("AWS CLI virtual-hosted: the key is in its bucket", '"notes/hello.txt"' in out, out)


def test_cp_round_trip(srv, work):
    """`aws s3 cp` up and down of 3 MB (one PutObject) and 100 MB (multipart), byte-identical."""
    rc, _, err = cli(AWS_ENV, srv.url, "s3", "mb", "s3://artifacts")
    check("aws s3 mb", rc == 0, err)
    for size_mb in (3, 100):
        src, back = os.path.join(work, f"up-{size_mb}.bin"), os.path.join(work, f"down-{size_mb}.bin")
        with open(src, "wb") as f:
            for _ in range(size_mb):
                f.write(os.urandom(1 << 20))
        t0 = time.time()
        rc, _, err = cli(AWS_ENV, srv.url, "s3", "cp", src, f"s3://artifacts/{size_mb}mb.bin")
        rc2, _, err2 = cli(AWS_ENV, srv.url, "s3", "cp", f"s3://artifacts/{size_mb}mb.bin", back)
        same = rc == 0 and rc2 == 0 and md5_file(src) == md5_file(back)
        check(f"aws s3 cp {size_mb} MB up and down: byte-identical ({time.time() - t0:.1f} s)", same,
              (err[-300:], err2[-300:]))
        if size_mb == 100:
            etag = client("s3", srv.url).head_object(Bucket="artifacts", Key="100mb.bin")["ETag"]
            check("aws s3 cp 100 MB went as a multipart upload (ETag <md5>-<parts>)", "-" in etag, etag)
        os.remove(src)
        if os.path.exists(back):
            os.remove(back)


def test_multipart_api(srv, work):
    """The multipart operations one by one through `aws s3api`, and their errors."""
    part = os.path.join(work, "part.bin")
    with open(part, "wb") as f:
        f.write(os.urandom(5 << 20))
    import json
    rc, out, err = cli(AWS_ENV, srv.url, "s3api", "create-multipart-upload", "--bucket", "artifacts", "--key", "parts.bin")
    upload = json.loads(out)["UploadId"] if rc == 0 else ""
    rc1, out1, _ = cli(AWS_ENV, srv.url, "s3api", "upload-part", "--bucket", "artifacts", "--key", "parts.bin", "--upload-id", upload,
                       "--part-number", "1", "--body", part)
    rc2, out2, _ = cli(AWS_ENV, srv.url, "s3api", "upload-part", "--bucket", "artifacts", "--key", "parts.bin", "--upload-id", upload,
                       "--part-number", "2", "--body", part)
    etags = [json.loads(o)["ETag"] for o in (out1, out2) if o]
    check("s3api create-multipart-upload and upload-part", rc == rc1 == rc2 == 0 and len(etags) == 2, err)
    parts = json.dumps({"Parts": [{"PartNumber": 2, "ETag": etags[1]}, {"PartNumber": 1, "ETag": etags[0]}]})
    rc, _, err = cli(AWS_ENV, srv.url, "s3api", "complete-multipart-upload", "--bucket", "artifacts", "--key", "parts.bin", "--upload-id", upload,
                     "--multipart-upload", parts)
    check("s3api complete-multipart-upload: parts out of order -> InvalidPartOrder", rc != 0 and "InvalidPartOrder" in err, err)
    parts = json.dumps({"Parts": [{"PartNumber": 1, "ETag": etags[0]}, {"PartNumber": 2, "ETag": etags[1]}]})
    rc, out, err = cli(AWS_ENV, srv.url, "s3api", "complete-multipart-upload", "--bucket", "artifacts", "--key", "parts.bin", "--upload-id", upload,
                       "--multipart-upload", parts)
    check("s3api complete-multipart-upload", rc == 0 and json.loads(out)["ETag"].endswith('-2"'), (out, err))
    size = client("s3", srv.url).head_object(Bucket="artifacts", Key="parts.bin")["ContentLength"]
    check("the completed object is both parts", size == 10 << 20, size)
    rc, out, _ = cli(AWS_ENV, srv.url, "s3api", "create-multipart-upload", "--bucket", "artifacts", "--key", "dropped.bin")
    upload = json.loads(out)["UploadId"]
    rc, _, err = cli(AWS_ENV, srv.url, "s3api", "abort-multipart-upload", "--bucket", "artifacts", "--key", "dropped.bin", "--upload-id", upload)
    rc2, _, err2 = cli(AWS_ENV, srv.url, "s3api", "upload-part", "--bucket", "artifacts", "--key", "dropped.bin", "--upload-id", upload,
                       "--part-number", "1", "--body", part)
    check("s3api abort-multipart-upload; the upload is gone (NoSuchUpload)", rc == 0 and "NoSuchUpload" in err2, (err, err2))


def test_413(srv, work):
    """Over the 1 MiB limit of API calls: 413 in the protocol's shape, read by the client (no EPIPE)."""
    big = "x" * (2 << 20)
    code, status = aws_error(client("sns", srv.url).publish, TopicArn="arn:aws:sns:us-east-1:000000000000:t",
                             Message=big)
    check("boto3 SNS (query) 2 MiB: 413 RequestEntityTooLarge", (code, status) == ("RequestEntityTooLarge", 413),
          (code, status))
    code, status = aws_error(client("ssm", srv.url).put_parameter, Name="/big", Value=big, Type="String")
    check("boto3 SSM (json) 2 MiB: 413 RequestEntityTooLargeException",
          (code, status) == ("RequestEntityTooLargeException", 413), (code, status))
    msg = os.path.join(work, "big.txt")
    with open(msg, "w") as f:
        f.write(big)
    rc, _, err = cli(AWS_ENV, srv.url, "sns", "publish", "--topic-arn", "arn:aws:sns:us-east-1:000000000000:t",
                     "--message", f"file://{msg}")
    check("AWS CLI 2 MiB publish: the CLI reports the 413 error, not a connection error",
          rc != 0 and "RequestEntityTooLarge" in err and "Connection" not in err, err[-300:])
    # Object data is not an API call: a 2 MiB PutObject is fine.
    s3 = client("s3", srv.url)
    s3.put_object(Bucket="artifacts", Key="two-mib.bin", Body=big.encode())
    check("a 2 MiB object body is accepted (the data limit, not the API one)",
          s3.head_object(Bucket="artifacts", Key="two-mib.bin")["ContentLength"] == 2 << 20)
    os.remove(msg)


def test_js_sdk(srv, cache_dir):
    """The AWS SDK for JavaScript v3 (tests/e2e/js): installed with `npm ci` into cache_dir once."""
    npm, node = shutil.which("npm"), shutil.which("node")
    if not npm or not node:
        skip("AWS SDK for JavaScript v3", "node/npm not installed")
        return
    js_src = os.path.join(HERE, "js")
    js_dir = os.path.join(cache_dir, "e2e-js")
    if not os.path.isdir(os.path.join(js_dir, "node_modules", "@aws-sdk", "client-s3")):
        os.makedirs(js_dir, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(os.path.join(js_src, name), js_dir)
        p = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=js_dir, capture_output=True,
                           text=True, timeout=600)
        if p.returncode != 0:
            skip("AWS SDK for JavaScript v3", "npm ci failed (registry unreachable?): " + p.stderr.strip()[-200:])
            return
    shutil.copy(os.path.join(js_src, "s3_clients.mjs"), js_dir)
    p = subprocess.run([node, "s3_clients.mjs", str(srv.port)], cwd=js_dir, capture_output=True, text=True, timeout=300)
    lines = [line for line in p.stdout.splitlines() if line.startswith(("ok", "FAIL"))]
    for line in lines:
        check("JS SDK v3: " + line[5:].split("  -- ")[0], line.startswith("ok"), line)
    check("JS SDK v3: the script ran its checks and exited 0", p.returncode == 0 and len(lines) >= 6,
          (p.returncode, p.stdout[-500:], p.stderr[-500:]))


def main():
    migsim = sys.argv[1]
    started = time.time()
    work = tempfile.mkdtemp(prefix="migsim-e2e-s3-")
    cache = sys.argv[2] if len(sys.argv) > 2 else os.path.join(work, "cache")
    resolve_locally()
    try:
        scenario = os.path.join(work, "scenario.json")
        small_scenario(scenario, "clients-s3", duration_s=3600)
        with Serve(migsim, scenario) as srv:
            if check("serve starts", srv.listening(30) is not None):
                for test in (lambda: test_virtual_hosts(srv, work), lambda: test_cp_round_trip(srv, work),
                             lambda: test_multipart_api(srv, work), lambda: test_413(srv, work),
                             lambda: test_js_sdk(srv, cache)):
                    try:
                        test()
                    except Exception as e:  # one failure, the others still run
                        check("no exception", False, repr(e))
                check("serve stops on SIGTERM", srv.stop(10) == 0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return summary(started)


if __name__ == "__main__":
    sys.exit(main())
