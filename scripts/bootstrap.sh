#!/usr/bin/env bash
# The first command of the README: install what is missing, build, and run the built-in default
# scenario (the on-prem estate on an ordinary day), writing results to ./results/default.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
exec build/migsim run --out results/default "$@"
