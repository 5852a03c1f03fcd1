# Amazon Managed Service for Prometheus: the workspace the modernised estate's metrics go to, and the
# team's alert rules in it (the same file `migsim alerts` rehearses against a simulated run:
# examples/prometheus/rules.yml).
resource "aws_prometheus_workspace" "platform" {
  alias = "${var.name}-metrics"
}

resource "aws_prometheus_rule_group_namespace" "alerts" {
  name         = "${var.name}-alerts"
  workspace_id = aws_prometheus_workspace.platform.id
  data         = file(var.alert_rules_file)
}
