#!/usr/bin/env bash
# The second command of the README (and what .ci/run runs): install what is missing, build, and
# run every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j2 "$@"
