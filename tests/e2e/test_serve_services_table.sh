#!/bin/sh
# Regenerates the side-by-side table of docs/mock-endpoint-services.md: the boto3 acceptance script
# against `migsim serve` and against moto_server, one row per operation it calls.
# Usage: tests/e2e/test_serve_services_table.sh [build/migsim] [OUT.md]
set -e
cd "$(dirname "$0")/../.."
python3 tests/e2e/test_serve_sim_services.py "${1:-build/migsim}" --table "${2:-/dev/stdout}"
