#!/usr/bin/env python3
"""EKS on `migsim serve`, driven by boto3: ListClusters, DescribeCluster, ListNodegroups,
DescribeNodegroup and UpdateNodegroupConfig against the live EKS model of
scenarios/eks-black-friday.json (paused clock, moved with POST /_migsim/clock).

Usage: python3 tests/harness/test_serve_eks.py <path to migsim>   (from the repo root)
Prints "N passed, M failed"; exits 1 if any check failed.
"""
import http.client
import json
import os
import re
import selectors
import socket
import subprocess
import sys
import time

import boto3
import botocore.config
from botocore.exceptions import ClientError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
results = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f"  -- {detail}"))
    return ok


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_line(proc, pattern, timeout_s):
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if sel.select(timeout=deadline - time.time()):
            line = proc.stdout.readline()
            if not line:
                return None
            if re.search(pattern, line):
                return line
    return None


def advance(port, seconds):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/_migsim/clock", body=json.dumps({"advance_s": seconds}))
    r = conn.getresponse()
    r.read()
    conn.close()
    return r.status


def error_code(fn):
    try:
        fn()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    return None, None


def run_checks(eks, port):
    check("ListClusters shows the scenario's cluster", eks.list_clusters()["clusters"] == ["shop"])
    c = eks.describe_cluster(name="shop")["cluster"]
    check("DescribeCluster: ACTIVE, private endpoint, ARN", c["status"] == "ACTIVE"
          and c["resourcesVpcConfig"]["endpointPrivateAccess"] is True
          and c["arn"] == "arn:aws:eks:us-east-1:000000000000:cluster/shop", c)
    code, status = error_code(lambda: eks.describe_cluster(name="nope"))
    check("DescribeCluster of an unknown cluster: ResourceNotFoundException, 404",
          code == "ResourceNotFoundException" and status == 404, (code, status))
    check("ListNodegroups", eks.list_nodegroups(clusterName="shop")["nodegroups"] == ["web"])
    ng = eks.describe_nodegroup(clusterName="shop", nodegroupName="web")["nodegroup"]
    check("DescribeNodegroup: m5.large, 3 AZ subnets, min 3 / max 12 / desired 3 at t=0",
          ng["instanceTypes"] == ["m5.large"] and len(ng["subnets"]) == 3
          and ng["scalingConfig"] == {"minSize": 3, "maxSize": 12, "desiredSize": 3}, ng)
    u = eks.update_nodegroup_config(clusterName="shop", nodegroupName="web",
                                    scalingConfig={"minSize": 5, "maxSize": 12, "desiredSize": 6})["update"]
    check("UpdateNodegroupConfig: an InProgress ConfigUpdate with the new sizes",
          u["status"] == "InProgress" and u["type"] == "ConfigUpdate"
          and {p["type"]: p["value"] for p in u["params"]} == {"MinSize": "5", "MaxSize": "12", "DesiredSize": "6"}, u)
    check("advance the clock 5 min", advance(port, 300) == 200)
    ng = eks.describe_nodegroup(clusterName="shop", nodegroupName="web")["nodegroup"]
    check("the simulation launched the nodes: desired 6, min 5",
          ng["scalingConfig"] == {"minSize": 5, "maxSize": 12, "desiredSize": 6}, ng["scalingConfig"])
    code, _ = error_code(lambda: eks.update_nodegroup_config(
        clusterName="shop", nodegroupName="web", scalingConfig={"minSize": 8, "maxSize": 4, "desiredSize": 6}))
    check("min above max: InvalidParameterException", code == "InvalidParameterException", code)
    code, status = error_code(lambda: eks.describe_nodegroup(clusterName="shop", nodegroupName="gpu"))
    check("unknown node group: ResourceNotFoundException", code == "ResourceNotFoundException", code)


def main():
    migsim = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build", "migsim")
    port = free_port()
    proc = subprocess.Popen([migsim, "serve", os.path.join(ROOT, "scenarios", "eks-black-friday.json"), "--port",
                             str(port), "--speed", "0"], stdout=subprocess.PIPE, text=True)
    try:
        if check("server starts", wait_for_line(proc, r"listening on http://127\.0\.0\.1:\d+", 20) is not None):
            eks = boto3.client("eks", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                               aws_access_key_id="test", aws_secret_access_key="test",
                               config=botocore.config.Config(retries={"max_attempts": 1}))
            try:
                run_checks(eks, port)
            except Exception as e:
                check("no exception", False, repr(e))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
