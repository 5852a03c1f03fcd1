#!/usr/bin/env bash
# The second command of the README (and what .ci/run runs): install what is missing (prometheus
# included), build, and run every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --optional  # prometheus too: the observability tests use the real one
scripts/build.sh
ctest --test-dir build --output-on-failure -j2 "$@"
