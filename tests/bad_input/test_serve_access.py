#!/usr/bin/env python3
"""Who may use `migsim serve`: boto3 against `--enforce-sigv4` (AWS's errors for a wrong secret,
an unknown key, a request signed 10 minutes ago, a missing signature), the Origin allow-list and
CORS preflights, the control plane's Host check, and `--allowed-origin` / `--allowed-host`.

    test_serve_access.py MIGSIM
"""
import datetime
import http.client
import json
import os
import sys
import tempfile
import time
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "harness"))
from serve_fixture import Serve, aws_error, check, small_scenario, summary  # noqa: E402

KEY, SECRET = "AKIAREHEARSAL0000001", "rehearsal-secret-not-a-real-one"


def dms(srv, key=KEY, secret=SECRET):
    import boto3
    import botocore.config
    return boto3.client("dms", endpoint_url=srv.url, region_name="us-east-1", aws_access_key_id=key,
                        aws_secret_access_key=secret, config=botocore.config.Config(retries={"max_attempts": 1}))


def raw(port, method, path, headers=None, body=""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, data


def main():
    migsim = sys.argv[1]
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="migsim_access_") as tmp:
        scenario = os.path.join(tmp, "cutover.json")
        doc = small_scenario(scenario, "access")
        doc["credentials"] = [{"access_key_id": KEY, "secret_access_key": SECRET}]
        with open(scenario, "w") as f:
            json.dump(doc, f)
        with Serve(migsim, scenario, extra=("--enforce-sigv4",)) as srv:
            check("serve --enforce-sigv4 starts", srv.listening() is not None)
            ok = dms(srv).describe_replication_configs()
            check("a request signed with the scenario's key is served", "ReplicationConfigs" in ok, ok)
            code, status = aws_error(dms(srv, secret="wrong").describe_replication_configs)
            check("a wrong secret: SignatureDoesNotMatch 403", (code, status) == ("SignatureDoesNotMatch", 403), (code, status))
            code, status = aws_error(dms(srv, key="AKIAUNKNOWN000000000").describe_replication_configs)
            check("an unknown key: InvalidClientTokenId 403", (code, status) == ("InvalidClientTokenId", 403), (code, status))
            past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=10)
            with mock.patch("botocore.auth.get_current_datetime", return_value=past.replace(tzinfo=None)):
                code, status = aws_error(dms(srv).describe_replication_configs)
            check("a request signed 10 minutes ago: RequestExpired", code == "RequestExpired", (code, status))
            status, _, body = raw(srv.port, "POST", "/", {"X-Amz-Target": "AmazonDMSv20160101.DescribeReplications",
                                                          "Content-Type": "application/x-amz-json-1.1"}, "{}")
            check("no signature at all: MissingAuthenticationToken 403",
                  status == 403 and b"MissingAuthenticationToken" in body, (status, body[:200]))
            status, _, _ = raw(srv.port, "GET", "/_migsim/clock")
            check("the control plane needs no signature", status == 200, status)
        with Serve(migsim, scenario, extra=("--allowed-origin", "https://console.example:8443",
                                            "--allowed-host", "rehearsal.internal")) as srv:
            check("serve starts", srv.listening() is not None)
            status, hdrs, _ = raw(srv.port, "OPTIONS", "/", {"Origin": "http://localhost:3000",
                                                             "Access-Control-Request-Method": "POST",
                                                             "Access-Control-Request-Headers": "x-amz-target,content-type"})
            check("a preflight from a localhost page: 200 with the CORS headers",
                  status == 200 and hdrs.get("access-control-allow-origin") == "http://localhost:3000"
                  and "x-amz-target" in hdrs.get("access-control-allow-headers", ""), (status, hdrs))
            status, hdrs, _ = raw(srv.port, "OPTIONS", "/", {"Origin": "https://console.example:8443",
                                                             "Access-Control-Request-Method": "POST"})
            check("a preflight from --allowed-origin: 200", status == 200
                  and hdrs.get("access-control-allow-origin") == "https://console.example:8443", (status, hdrs))
            status, hdrs, _ = raw(srv.port, "OPTIONS", "/", {"Origin": "https://evil.example",
                                                             "Access-Control-Request-Method": "POST"})
            check("a preflight from another origin: 403 without CORS headers",
                  status == 403 and "access-control-allow-origin" not in hdrs, (status, hdrs))
            status, hdrs, _ = raw(srv.port, "POST", "/", {"Origin": "http://127.0.0.1:8080",
                                                          "X-Amz-Target": "AmazonDMSv20160101.DescribeReplications",
                                                          "Content-Type": "application/x-amz-json-1.1"}, "{}")
            check("an AWS call from a loopback page: served, readable cross-origin",
                  status == 200 and hdrs.get("access-control-allow-origin") == "http://127.0.0.1:8080", (status, hdrs))
            status, _, body = raw(srv.port, "POST", "/", {"Origin": "http://evil.example",
                                                          "X-Amz-Target": "AmazonDMSv20160101.DescribeReplications",
                                                          "Content-Type": "text/plain"}, "{}")
            check("an AWS call from another origin: 403 AccessDenied", status == 403 and b"AccessDenied" in body,
                  (status, body[:200]))
            before = srv.now()
            status, _, body = raw(srv.port, "POST", "/_migsim/clock", {"Origin": "http://evil.example",
                                                                       "Content-Type": "text/plain"},
                                  '{"advance_s": 600}')
            check("a cross-origin simple POST to the clock: 403, the clock does not move",
                  status == 403 and srv.now() == before, (status, body[:200]))
            status, _, _ = raw(srv.port, "GET", "/_migsim/clock", {"Host": "rehearsal.internal:4566"})
            check("--allowed-host names are answered", status == 200, status)
            status, _, body = raw(srv.port, "GET", "/_migsim/clock", {"Host": "attacker.example"})
            check("a DNS-rebinding Host: 403 ForbiddenHost", status == 403 and b"ForbiddenHost" in body, (status, body))
    sys.exit(summary(started))


if __name__ == "__main__":
    main()
