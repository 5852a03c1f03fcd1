#!/bin/sh
# The added services of `migsim serve` driven by the AWS CLI (v1), unmodified: Route 53, the DMS
# create/describe and task operations, MGN state changes, with values checked via --query.
# (CloudWatch is covered by test_serve_services.py in json 1.0 and query: this AWS CLI's botocore
# speaks CloudWatch in smithy-rpc-v2-cbor, which migsim does not decode.)
# Usage: tests/harness/test_serve_services_cli.sh build/migsim      prints "N passed, M failed"
set -u
MIGSIM=${1:-build/migsim}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 - "$ROOT" "$TMP/scenario.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1] + "/scenarios/lift-and-shift-cutover.json"))
for t in doc["migration"]["database"]["tables"]:
    t["rows"] //= 100
for s in doc["migration"]["mgn"]["servers"]:
    s["disk_gb"] = 1
doc.update(name="serve-cli-test", duration_s=6 * 3600, events=[], expectations=[])
json.dump(doc, open(sys.argv[2], "w"))
PY
"$MIGSIM" serve "$TMP/scenario.json" --port "$PORT" --speed 0 >"$TMP/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$TMP"' EXIT
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_MAX_ATTEMPTS=1
URL="http://127.0.0.1:$PORT"
for _ in $(seq 50); do curl -s "$URL/_localstack/health" >/dev/null && break; sleep 0.1; done
PASS=0 FAIL=0
aws_() { aws --endpoint-url "$URL" --output text "$@" 2>&1; }
expect() {  # expect NAME WANT GOT
  if [ "$2" = "$3" ]; then PASS=$((PASS + 1)); echo "ok   $1"; else FAIL=$((FAIL + 1)); echo "FAIL $1  -- want '$2' got '$3'"; fi
}
advance() { curl -s -X POST -d "{\"advance_s\": $1}" "$URL/_migsim/clock" >/dev/null; }

# Route 53
ZONE=$(aws_ route53 create-hosted-zone --name cli.example --caller-reference cli-1 --query HostedZone.Id)
expect "route53 create-hosted-zone" "cli.example." "$(aws_ route53 get-hosted-zone --id "$ZONE" --query HostedZone.Name)"
CHANGE=$(aws_ route53 change-resource-record-sets --hosted-zone-id "$ZONE" --query ChangeInfo.Id --change-batch \
  '{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"www.cli.example","Type":"A","TTL":120,"ResourceRecords":[{"Value":"192.0.2.11"}]}}]}')
expect "route53 change PENDING" "PENDING" "$(aws_ route53 get-change --id "$CHANGE" --query ChangeInfo.Status)"
advance 60
expect "route53 change INSYNC after 60 s" "INSYNC" "$(aws_ route53 get-change --id "$CHANGE" --query ChangeInfo.Status)"
expect "route53 list-resource-record-sets TTL" "120" \
  "$(aws_ route53 list-resource-record-sets --hosted-zone-id "$ZONE" --query "ResourceRecordSets[?Name=='www.cli.example.'].TTL")"
expect "route53 list-hosted-zones" "2" "$(aws_ route53 list-hosted-zones --query 'length(HostedZones)')"

# DMS
EP=$(aws_ dms create-endpoint --endpoint-identifier cli-src --endpoint-type source --engine-name mysql \
  --server-name frontend --port 3306 --query Endpoint.EndpointArn)
expect "dms describe-endpoints (scenario's two + created)" "3" "$(aws_ dms describe-endpoints --query 'length(Endpoints)')"
RI=$(aws_ dms create-replication-instance --replication-instance-identifier cli-ri \
  --replication-instance-class dms.t3.medium --query ReplicationInstance.ReplicationInstanceArn)
expect "dms instance creating" "creating" \
  "$(aws_ dms describe-replication-instances --query 'ReplicationInstances[0].ReplicationInstanceStatus')"
advance 600
expect "dms instance available" "available" \
  "$(aws_ dms describe-replication-instances --query 'ReplicationInstances[0].ReplicationInstanceStatus')"
aws_ dms test-connection --replication-instance-arn "$RI" --endpoint-arn "$EP" >/dev/null
advance 10
expect "dms test-connection successful" "successful" "$(aws_ dms describe-connections --query 'Connections[0].Status')"
aws_ dms create-replication-config --replication-config-identifier cli-cfg --source-endpoint-arn "$EP" \
  --target-endpoint-arn arn:aws:dms:us-east-1:000000000000:endpoint:rds-mysql --replication-type cdc \
  --compute-config MaxCapacityUnits=4,MinCapacityUnits=1 --table-mappings '{"rules":[]}' >/dev/null
expect "dms describe-replication-configs" "4" \
  "$(aws_ dms describe-replication-configs --query "ReplicationConfigs[?ReplicationConfigIdentifier=='cli-cfg'].ComputeConfig.MaxCapacityUnits")"
TASK=$(aws_ dms create-replication-task --replication-task-identifier cli-task --source-endpoint-arn "$EP" \
  --target-endpoint-arn arn:aws:dms:us-east-1:000000000000:endpoint:rds-mysql --replication-instance-arn "$RI" \
  --migration-type full-load --table-mappings '{"rules":[]}' --query ReplicationTask.ReplicationTaskArn)
advance 60
expect "dms task ready" "ready" "$(aws_ dms describe-replication-tasks --query 'ReplicationTasks[0].Status')"
aws_ dms start-replication-task --replication-task-arn "$TASK" --start-replication-task-type start-replication >/dev/null
advance 60
expect "dms task running" "running" "$(aws_ dms describe-replication-tasks --query 'ReplicationTasks[0].Status')"
aws_ dms stop-replication-task --replication-task-arn "$TASK" >/dev/null
advance 30
expect "dms task stopped" "stopped" "$(aws_ dms describe-replication-tasks --query 'ReplicationTasks[0].Status')"
aws_ dms delete-replication-task --replication-task-arn "$TASK" >/dev/null
advance 30
expect "dms task deleted" "0" "$(aws_ dms describe-replication-tasks --query 'length(ReplicationTasks)')"

# MGN
aws_ mgn initialize-service >/dev/null
expect "mgn initialize-service" "0" "$?"
advance 1200
SID=$(aws_ mgn describe-source-servers --query "items[?sourceProperties.identificationHints.hostname=='db'].sourceServerID")
expect "mgn db ready for test" "READY_FOR_TEST" \
  "$(aws_ mgn describe-source-servers --query "items[?sourceServerID=='$SID'].lifeCycle.state")"
expect "mgn get-launch-configuration" "BASIC" \
  "$(aws_ mgn get-launch-configuration --source-server-id "$SID" --query targetInstanceTypeRightSizingMethod)"
expect "mgn update-launch-configuration" "STOPPED" \
  "$(aws_ mgn update-launch-configuration --source-server-id "$SID" --launch-disposition STOPPED --query launchDisposition)"
expect "mgn finalize-cutover too early -> ConflictException" "1" \
  "$(aws_ mgn finalize-cutover --source-server-id "$SID" | grep -c ConflictException)"
expect "mgn start-test" "START_TEST" "$(aws_ mgn start-test --source-server-ids "$SID" --query job.initiatedBy)"
advance 1800
expect "mgn change-server-life-cycle-state" "READY_FOR_CUTOVER" \
  "$(aws_ mgn change-server-life-cycle-state --source-server-id "$SID" --life-cycle state=READY_FOR_CUTOVER --query lifeCycle.state)"
expect "mgn start-cutover" "START_CUTOVER" "$(aws_ mgn start-cutover --source-server-ids "$SID" --query job.initiatedBy)"
advance 1800
expect "mgn finalize-cutover" "DISCONNECTED" "$(aws_ mgn finalize-cutover --source-server-id "$SID" --query lifeCycle.state)"
expect "mgn terminate-target-instances" "TERMINATE" \
  "$(aws_ mgn terminate-target-instances --source-server-ids "$SID" --query job.type)"
expect "mgn mark-as-archived" "True" "$(aws_ mgn mark-as-archived --source-server-id "$SID" --query isArchived)"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
