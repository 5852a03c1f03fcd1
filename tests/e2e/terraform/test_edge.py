#!/usr/bin/env python3
"""terraform applies examples/terraform/edge/ (edge.tf) on its own (the static bucket behind CloudFront
with a WAFv2 web ACL, the CloudTrail trail and its bucket) against `migsim serve --speed max`, then
plans (no changes) and destroys; boto3 checks what exists in between and that nothing is left.

Usage: test_edge.py MIGSIM. Exits 77 (skipped, one line) without terraform or without the provider
mirror (and, as a guard, when this migsim lacks an operation the configuration needs).
"""
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from terraform_driver import ROOT, check, round_trip, skip_unless_ready  # noqa: E402

NEEDS = ["s3 PutBucketPolicy", "s3 PutPublicAccessBlock", "s3 GetBucketPolicy", "cloudfront CreateDistribution",
         "wafv2 CreateWebACL", "cloudtrail CreateTrail"]


def after_apply(srv, timeline):
    cf = srv.client("cloudfront")
    items = cf.list_distributions()["DistributionList"].get("Items", [])
    check("one distribution, Deployed, behind the web ACL", len(items) == 1 and items[0]["Status"] == "Deployed" and
          ":global/webacl/fast-edge-web-acl/" in items[0]["WebACLId"], items)
    acls = srv.client("wafv2").list_web_acls(Scope="CLOUDFRONT")["WebACLs"]
    check("the CLOUDFRONT web ACL", [a["Name"] for a in acls] == ["fast-edge-web-acl"], acls)
    trails = srv.client("cloudtrail").describe_trails()["trailList"]
    check("the multi-region trail with log file validation", len(trails) == 1 and trails[0]["IsMultiRegionTrail"] and
          trails[0]["LogFileValidationEnabled"], trails)
    status = srv.client("cloudtrail").get_trail_status(Name="fast-edge-audit")
    check("the trail is logging", status["IsLogging"], status)
    deploy = [r["provisioning_s"] for r in timeline["resources"] if r["type"] == "Distribution"]
    check("the timeline: the distribution took 300 s to deploy", deploy == [300], deploy)


def after_destroy(srv):
    check("no distribution left", srv.client("cloudfront").list_distributions()["DistributionList"]["Quantity"] == 0)
    check("no web ACL left", srv.client("wafv2").list_web_acls(Scope="CLOUDFRONT")["WebACLs"] == [])
    check("no trail left", srv.client("cloudtrail").describe_trails()["trailList"] == [])
    buckets = [b["Name"] for b in srv.client("s3").list_buckets()["Buckets"] if b["Name"].startswith("fast-edge")]
    check("no edge bucket left", buckets == [], buckets)


def main():
    migsim = sys.argv[1]
    skip_unless_ready(migsim, NEEDS)
    files = sorted(glob.glob(os.path.join(ROOT, "examples", "terraform", "edge", "*.tf")))
    return round_trip(migsim, files, after_apply, after_destroy)


if __name__ == "__main__":
    sys.exit(main())
