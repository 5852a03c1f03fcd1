#!/bin/sh
# Route 53, DMS and MGN of `migsim serve` driven by the AWS CLI (v1), unmodified, every operation,
# with values checked via --query: the scenario's serverless DMS replication polled from start to
# running with its full-load progress advancing in simulated time, the API-created endpoints,
# configs, instances and tasks, Route 53 zones, records, health checks, MGN state changes and jobs.
# (The other services: test_serve_asis_cli.py, test_serve_rds_eks_cli.py,
# test_serve_cloudwatch_cli.py, test_serve_services.py; check_cli_coverage.py checks that together
# they call every operation of harness/COVERAGE.md.)
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
print(len(doc["migration"]["database"]["tables"]), sum(t["rows"] for t in doc["migration"]["database"]["tables"]),
      file=open(sys.argv[2] + ".tables", "w"))
PY
read -r TABLES ROWS <"$TMP/scenario.json.tables"
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

# DMS: the scenario's serverless replication, from start to running, its full load progressing.
CFG_ARN=arn:aws:dms:us-east-1:000000000000:replication-config:fast-engineering-db
REP="Replications[0]"
SEEN=""
for _ in $(seq 60); do  # 60 s steps as test_serve.py: the shrunk full load takes about a minute
  S=$(aws_ dms describe-replications --query "$REP.Status")
  case " $SEEN " in *" $S "*) ;; *) SEEN="$SEEN $S" ;; esac
  [ "$S" = running ] && break
  advance 60
done
expect "dms describe-replications: start-up statuses, then running" "yes" \
  "$( [ "$S" = running ] && [ "$(echo $SEEN | wc -w)" -ge 3 ] && echo yes || echo "no:$SEEN")"
PCTS=""
for _ in $(seq 80); do
  P=$(aws_ dms describe-replications --query "$REP.ReplicationStats.FullLoadProgressPercent")
  PCTS="$PCTS $P"
  [ "$P" = 100 ] && break
  advance 10
done
expect "dms full load progress never decreases, reaches 100, seen in between" "yes" "$(echo $PCTS | python3 -c '
import sys; p = [int(x) for x in sys.stdin.read().split() if x != "None"]
print("yes" if p == sorted(p) and p[-1:] == [100] and sum(0 < x < 100 for x in p) >= 2 else "no: %s" % p)')"
expect "dms describe-replication-table-statistics: the scenario's tables and rows" "$TABLES $ROWS" \
  "$(aws_ dms describe-replication-table-statistics --replication-config-arn "$CFG_ARN" \
     --query '[length(ReplicationTableStatistics), sum(ReplicationTableStatistics[].FullLoadRows)]' | tr '\t' ' ')"
expect "dms stop-replication: stopping" "stopping" \
  "$(aws_ dms stop-replication --replication-config-arn "$CFG_ARN" --query Replication.Status)"
advance 120
expect "dms stopped 120 s later" "stopped" "$(aws_ dms describe-replications --query "$REP.Status")"
expect "dms modify-replication-config while stopped: ErrorBehavior's RecoverableErrorCount" "3" \
  "$(aws_ dms modify-replication-config --replication-config-arn "$CFG_ARN" \
       --replication-settings '{"ErrorBehavior": {"RecoverableErrorCount": 3}}' \
       --query ReplicationConfig.ReplicationSettings \
     | python3 -c 'import json, sys; print(json.loads(sys.stdin.read())["ErrorBehavior"]["RecoverableErrorCount"])')"
expect "dms start-replication resume-processing: no longer stopped" "yes" "$(S=$(aws_ dms start-replication \
  --replication-config-arn "$CFG_ARN" --start-replication-type resume-processing --query Replication.Status); \
  [ -n "$S" ] && [ "$S" != stopped ] && [ "$S" != failed ] && echo yes || echo "$S")"
for _ in $(seq 40); do
  advance 60
  [ "$(aws_ dms describe-replications --query "$REP.Status")" = running ] && break
done
expect "dms resumed replication runs again" "running" "$(aws_ dms describe-replications --query "$REP.Status")"

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
expect "route53 list-hosted-zones-by-name" "$ZONE" \
  "$(aws_ route53 list-hosted-zones-by-name --dns-name cli.example --query 'HostedZones[0].Id')"
HC=$(aws_ route53 create-health-check --caller-reference hc-1 --query HealthCheck.Id \
  --health-check-config Type=HTTP,FullyQualifiedDomainName=www.cli.example,Port=80,ResourcePath=/health)
expect "route53 get-health-check" "HTTP 80 /health" \
  "$(aws_ route53 get-health-check --health-check-id "$HC" --query 'HealthCheck.HealthCheckConfig.[Type,Port,ResourcePath]' | tr '\t' ' ')"
expect "route53 list-health-checks" "$HC" "$(aws_ route53 list-health-checks --query 'HealthChecks[].Id')"
aws_ route53 delete-health-check --health-check-id "$HC" >/dev/null
expect "route53 delete-health-check" "0" "$(aws_ route53 list-health-checks --query 'length(HealthChecks)')"
expect "route53 delete-hosted-zone with a record: HostedZoneNotEmpty" "1" \
  "$(aws_ route53 delete-hosted-zone --id "$ZONE" | grep -c HostedZoneNotEmpty)"
aws_ route53 change-resource-record-sets --hosted-zone-id "$ZONE" --change-batch \
  '{"Changes":[{"Action":"DELETE","ResourceRecordSet":{"Name":"www.cli.example","Type":"A","TTL":120,"ResourceRecords":[{"Value":"192.0.2.11"}]}}]}' >/dev/null
aws_ route53 delete-hosted-zone --id "$ZONE" >/dev/null
expect "route53 delete-hosted-zone once empty" "1" "$(aws_ route53 list-hosted-zones --query 'length(HostedZones)')"

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
CFG=$(aws_ dms describe-replication-configs --query "ReplicationConfigs[?ReplicationConfigIdentifier=='cli-cfg'].ReplicationConfigArn")
aws_ dms delete-replication-config --replication-config-arn "$CFG" >/dev/null
expect "dms delete-replication-config: the scenario's is left" "fast-engineering-db" \
  "$(aws_ dms describe-replication-configs --query 'ReplicationConfigs[].ReplicationConfigIdentifier')"
expect "dms delete-endpoint" "deleting" "$(aws_ dms delete-endpoint --endpoint-arn "$EP" --query Endpoint.Status)"
expect "dms describe-endpoints: the scenario's two" "2" "$(aws_ dms describe-endpoints --query 'length(Endpoints)')"
expect "dms delete-replication-instance: deleting" "deleting" \
  "$(aws_ dms delete-replication-instance --replication-instance-arn "$RI" --query ReplicationInstance.ReplicationInstanceStatus)"
advance 30
expect "dms replication instance gone 30 s later" "0" \
  "$(aws_ dms describe-replication-instances --query 'length(ReplicationInstances)')"

# MGN
aws_ mgn initialize-service >/dev/null
expect "mgn initialize-service" "0" "$?"
advance 1200
SID=$(aws_ mgn describe-source-servers --query "items[?sourceProperties.identificationHints.hostname=='backend'].sourceServerID")
expect "mgn backend ready for test" "READY_FOR_TEST" \
  "$(aws_ mgn describe-source-servers --query "items[?sourceServerID=='$SID'].lifeCycle.state")"
expect "mgn get-launch-configuration" "BASIC" \
  "$(aws_ mgn get-launch-configuration --source-server-id "$SID" --query targetInstanceTypeRightSizingMethod)"
expect "mgn update-launch-configuration" "STOPPED" \
  "$(aws_ mgn update-launch-configuration --source-server-id "$SID" --launch-disposition STOPPED --query launchDisposition)"
expect "mgn finalize-cutover too early -> ConflictException" "1" \
  "$(aws_ mgn finalize-cutover --source-server-id "$SID" | grep -c ConflictException)"
JOB=$(aws_ mgn start-test --source-server-ids "$SID" --query job.jobID)
expect "mgn start-test: a LAUNCH job" "LAUNCH START_TEST" \
  "$(aws_ mgn describe-jobs --filters jobIDs="$JOB" --query 'items[0].[type,initiatedBy]' | tr '\t' ' ')"
advance 1800
expect "mgn describe-jobs: the test launch completed" "COMPLETED" \
  "$(aws_ mgn describe-jobs --filters jobIDs="$JOB" --query 'items[0].status')"
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
