#!/usr/bin/env python3
"""EKS on `migsim serve`, driven by boto3: ListClusters, DescribeCluster, ListNodegroups,
DescribeNodegroup and UpdateNodegroupConfig against the live EKS model of
scenarios/eks-black-friday.json (paused clock, moved with POST /_migsim/clock).

Usage: python3 tests/e2e/test_serve_eks.py <path to migsim>   (from the repo root)
Prints "N passed, M failed"; exits 1 if any check failed.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import ROOT, aws_error as error_code, check, serve_checked, summary  # noqa: E402


def run_checks(eks, srv):
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
    check("advance the clock 5 min", srv.advance(300) == 300)
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
    serve_checked(migsim, os.path.join(ROOT, "scenarios", "eks-black-friday.json"),
                  lambda srv: run_checks(srv.client("eks"), srv), "server starts", check_stop=False)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
