#!/usr/bin/env python3
"""Amazon Managed Service for Prometheus (`aws amp`, signing name aps) on `migsim serve`, driven by the
AWS CLI: a workspace CREATING then ACTIVE after its provisioning time on the simulated clock, its alias,
configuration and tags; a rule groups namespace holding the shipped example rules
(examples/prometheus/rules.yml), refused when the data is not a rule file; paging; deletes.

Usage: python3 tests/e2e/test_serve_amp_cli.py <path to migsim>   (from the repo root)
"""
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import ROOT, check, serve_checked, small_scenario, summary  # noqa: E402

RULES = os.path.join(ROOT, "examples", "prometheus", "rules.yml")


def body(srv):
    ws = srv.cli("amp", "create-workspace", "--alias", "fast-modernised", "--tags", "team=platform")
    check("amp create-workspace: CREATING", isinstance(ws, dict) and ws["status"]["statusCode"] == "CREATING"
          and ws["workspaceId"].startswith("ws-") and ":aps:us-east-1:000000000000:workspace/" in ws["arn"], ws)
    wid = ws["workspaceId"] if isinstance(ws, dict) else "none"
    got = srv.cli("amp", "describe-workspace", "--workspace-id", wid, "--query", "workspace.[status.statusCode, alias]")
    check("amp describe-workspace: still CREATING, the alias", got == ["CREATING", "fast-modernised"], got)
    srv.advance(61)
    got = srv.cli("amp", "describe-workspace", "--workspace-id", wid, "--query", "workspace.status.statusCode")
    check("amp describe-workspace: ACTIVE 60 simulated seconds later", got == "ACTIVE", got)
    got = srv.cli("amp", "describe-workspace", "--workspace-id", wid, "--query", "workspace.prometheusEndpoint")
    check("amp describe-workspace: the endpoint is a loopback URL, no AWS host name",
          isinstance(got, str) and got.startswith("http://127.0.0.1/") and "amazonaws" not in got, got)
    srv.cli("amp", "update-workspace-alias", "--workspace-id", wid, "--alias", "fast-eks")
    got = srv.cli("amp", "list-workspaces", "--alias", "fast", "--query", "workspaces[].alias")
    check("amp update-workspace-alias / list-workspaces --alias", got == ["fast-eks"], got)
    got = srv.cli("amp", "describe-workspace-configuration", "--workspace-id", wid, "--query",
                  "workspaceConfiguration.retentionPeriodInDays")
    check("amp describe-workspace-configuration: 150 days of retention", got == 150, got)
    check("amp describe-logging-configuration: none: ResourceNotFoundException",
          srv.cli_error("amp", "describe-logging-configuration", "--workspace-id", wid) == "ResourceNotFoundException")
    arn = ws["arn"] if isinstance(ws, dict) else "none"
    srv.cli("amp", "tag-resource", "--resource-arn", arn, "--tags", "env=rehearsal")
    srv.cli("amp", "untag-resource", "--resource-arn", arn, "--tag-keys", "team")
    got = srv.cli("amp", "list-tags-for-resource", "--resource-arn", arn, "--query", "tags")
    check("amp tag-resource / untag-resource / list-tags-for-resource", got == {"env": "rehearsal"}, got)

    ns = srv.cli("amp", "create-rule-groups-namespace", "--workspace-id", wid, "--name", "migsim-examples",
                 "--data", "fileb://" + RULES)
    check("amp create-rule-groups-namespace with the example rules: CREATING",
          isinstance(ns, dict) and ns["status"]["statusCode"] == "CREATING", ns)
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        f.write("alert: not in a group\n")
    check("amp create-rule-groups-namespace with data that is not a rule file: ValidationException",
          srv.cli_error("amp", "create-rule-groups-namespace", "--workspace-id", wid, "--name", "bad",
                        "--data", "fileb://" + f.name) == "ValidationException")
    os.unlink(f.name)
    check("amp create-rule-groups-namespace twice: ConflictException",
          srv.cli_error("amp", "create-rule-groups-namespace", "--workspace-id", wid, "--name", "migsim-examples",
                        "--data", "fileb://" + RULES) == "ConflictException")
    srv.advance(31)
    got = srv.cli("amp", "describe-rule-groups-namespace", "--workspace-id", wid, "--name", "migsim-examples")
    with open(RULES, "rb") as f:
        rules = f.read()
    import base64
    check("amp describe-rule-groups-namespace: ACTIVE, the data as given",
          isinstance(got, dict) and got["ruleGroupsNamespace"]["status"]["statusCode"] == "ACTIVE"
          and base64.b64decode(got["ruleGroupsNamespace"]["data"]) == rules, str(got)[:300])
    got = srv.cli("amp", "put-rule-groups-namespace", "--workspace-id", wid, "--name", "migsim-examples",
                  "--data", "fileb://" + RULES, "--query", "status.statusCode")
    check("amp put-rule-groups-namespace: UPDATING", got == "UPDATING", got)
    srv.cli("amp", "create-rule-groups-namespace", "--workspace-id", wid, "--name", "migsim-more",
            "--data", "fileb://" + RULES)
    page = srv.cli("amp", "list-rule-groups-namespaces", "--workspace-id", wid, "--max-results", "1",
                   "--no-paginate")
    check("amp list-rule-groups-namespaces: one per page, a token", isinstance(page, dict)
          and len(page["ruleGroupsNamespaces"]) == 1 and page.get("nextToken"), page)
    got = srv.cli("amp", "list-rule-groups-namespaces", "--workspace-id", wid, "--query", "ruleGroupsNamespaces[].name")
    check("amp list-rule-groups-namespaces: all of them (the CLI follows the token)",
          got == ["migsim-examples", "migsim-more"], got)
    srv.cli("amp", "delete-rule-groups-namespace", "--workspace-id", wid, "--name", "migsim-more")
    got = srv.cli("amp", "list-rule-groups-namespaces", "--workspace-id", wid, "--query", "ruleGroupsNamespaces[].name")
    check("amp delete-rule-groups-namespace", got == ["migsim-examples"], got)
    srv.cli("amp", "delete-workspace", "--workspace-id", wid)
    check("amp delete-workspace: gone", srv.cli_error("amp", "describe-workspace", "--workspace-id", wid)
          == "ResourceNotFoundException")
    got = srv.cli("amp", "list-workspaces", "--query", "length(workspaces)")
    check("amp list-workspaces: none left", got == 0, got)


def main(migsim):
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="migsim-amp-cli-") as tmp:
        path = os.path.join(tmp, "scenario.json")
        small_scenario(path, "amp-cli")
        serve_checked(migsim, path, body)
    return summary(started)


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "build/migsim"))
