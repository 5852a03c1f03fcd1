#!/usr/bin/env python3
"""Regenerates aws_operations.json, the table the runbook validator checks Service/Api/inputs
against: for each boto3 client name an SSM Automation runbook may use, every operation with its
input members and which of them are required, from the botocore service models installed here.

    python3 harness/runbook/gen_operations.py > harness/runbook/aws_operations.json
"""
import json
import sys

import botocore.session

SERVICES = ["dms", "mgn", "route53", "elbv2", "autoscaling", "rds", "eks", "cloudwatch", "sns", "ssm",
            "sts", "s3"]


def main():
    session = botocore.session.get_session()
    out = {"botocore_version": botocore.__version__, "services": {}}
    for name in SERVICES:
        model = session.get_service_model(name)
        ops = {}
        for op_name in model.operation_names:
            op = model.operation_model(op_name)
            shape = op.input_shape
            members = sorted(shape.members) if shape is not None else []
            required = sorted(shape.required_members) if shape is not None else []
            ops[op_name] = {"members": members, "required": required}
        out["services"][name] = {"protocol": model.protocol, "operations": ops}
    json.dump(out, sys.stdout, separators=(",", ":"), sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
