#!/usr/bin/env python3
"""`terraform import` of the scenario's own resources: a team that adopts the estate it already runs
imports it rather than recreating it. Against `migsim serve scenarios/rds-failover.json` (an ALB,
four Auto Scaling groups, the Multi-AZ RDS instance), with a configuration that declares them, the
provider imports the ALB by ARN, an Auto Scaling group by name and the RDS instance by identifier,
and the state it writes carries what the scenario says (name, sizes, instance class, Multi-AZ).
Then `terraform state rm` forgets them again and the scenario's ALB is still served.

usage: test_import_scenario.py MIGSIM     (exit 77 when terraform or the provider mirror is absent)
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "..", "harness"))
import tfdriver  # noqa: E402
from checks import check, summary  # noqa: E402

SCENARIO = os.path.join(tfdriver.ROOT, "scenarios", "rds-failover.json")

CONFIG = '''
provider "aws" {
  region = "us-east-1"
}

resource "aws_lb" "shop" {
  name = "shop-alb"
}

resource "aws_autoscaling_group" "frontend" {
  name     = "frontend"
  min_size = 2
  max_size = 6
}

resource "aws_db_instance" "shop" {
  identifier     = "shop-db"
  instance_class = "db.m5.large"
}
'''


def state_attributes(ws, address):
    """The attributes of one resource in the state (terraform show -json)."""
    _, out, _ = ws.tf("show", "-json", "-no-color")
    for r in json.loads(out).get("values", {}).get("root_module", {}).get("resources", []):
        if r["address"] == address:
            return r["values"]
    return None


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: test_import_scenario.py MIGSIM")
    migsim = sys.argv[1]
    reason = tfdriver.skip_reason()
    if reason:
        print(f"SKIP: terraform import test: {reason}")
        sys.exit(77)
    from serve_fixture import Serve
    import subprocess

    with open(SCENARIO) as f:
        doc = json.load(f)
    tier = next(t for t in doc["aws"]["tiers"] if t["name"] == "frontend")
    with Serve(migsim, SCENARIO, speed="max", quiet=True) as serve:
        check("serve starts", serve.listening() is not None)
        override = subprocess.run([migsim, "terraform-override", "--endpoint-url", serve.url], capture_output=True,
                                  text=True, check=True).stdout
        lb_arn = serve.client("elbv2").describe_load_balancers(Names=["shop-alb"])["LoadBalancers"][0]["LoadBalancerArn"]
        ws = tfdriver.Workspace("asis", override, exclude=("*.tf",))
        try:
            with open(os.path.join(ws.work, "main.tf"), "w", encoding="utf-8") as f:
                f.write(CONFIG)
            ws.tf("init", "-no-color", "-input=false")
            for address, ident in [("aws_lb.shop", lb_arn), ("aws_autoscaling_group.frontend", "frontend"),
                                   ("aws_db_instance.shop", doc["rds"]["identifier"])]:
                code, out, wall = ws.tf("import", "-no-color", "-input=false", address, ident, check=False)
                check(f"import {address} {ident} ({wall:.1f} s wall)", code == 0 and "Import successful" in out,
                      out[-700:])
            lb = state_attributes(ws, "aws_lb.shop") or {}
            check("the ALB's state: its ARN, name, application type, DNS name",
                  lb.get("arn") == lb_arn and lb.get("name") == "shop-alb" and lb.get("load_balancer_type") ==
                  "application" and lb.get("dns_name", "").startswith("shop-alb-"),
                  {k: lb.get(k) for k in ("arn", "name", "load_balancer_type", "dns_name")})
            asg = state_attributes(ws, "aws_autoscaling_group.frontend") or {}
            check("the Auto Scaling group's state: the scenario tier's sizes and its target group",
                  (asg.get("min_size"), asg.get("max_size"), asg.get("desired_capacity")) ==
                  (tier["min_size"], tier["max_size"], tier["desired"]) and
                  any(":targetgroup/frontend/" in a for a in asg.get("target_group_arns", [])),
                  {k: asg.get(k) for k in ("min_size", "max_size", "desired_capacity", "target_group_arns")})
            db = state_attributes(ws, "aws_db_instance.shop") or {}
            check("the RDS instance's state: class, Multi-AZ, storage, engine",
                  db.get("instance_class") == doc["rds"]["instance_class"] and db.get("multi_az") is True and
                  db.get("allocated_storage") == doc["rds"]["storage"]["allocated_gb"] and
                  db.get("engine") == "mysql" and re.match(r"shop-db\.", db.get("address", "")),
                  {k: db.get(k) for k in ("instance_class", "multi_az", "allocated_storage", "engine", "address")})
            for address in ("aws_lb.shop", "aws_autoscaling_group.frontend", "aws_db_instance.shop"):
                ws.tf("state", "rm", "-no-color", address)
            _, out, _ = ws.tf("state", "list", "-no-color", check=False)
            check("the state is empty again", out.strip() == "", out[-700:])
            check("the scenario's ALB is still there",
                  len(serve.client("elbv2").describe_load_balancers(Names=["shop-alb"])["LoadBalancers"]) == 1)
        finally:
            ws.cleanup()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
