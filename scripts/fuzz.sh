#!/usr/bin/env bash
# Runs one libFuzzer target for a while: scripts/fuzz.sh TARGET SECONDS
#   TARGET: scenario, runbook, sigv4, journal, protocol_json, protocol_rest_json, protocol_query,
#           protocol_rest_xml, protocol_cbor, protocol_ec2 (or "list")
# Builds the target with clang (AddressSanitizer + UBSan + libFuzzer) in build-fuzz/, seeds a
# working corpus in build-fuzz/corpus/TARGET from tests/fuzz/seeds/ (the bad-input corpora's
# inputs and the shipped scenarios/runbooks), runs for SECONDS on one core, and prints the
# figures the README quotes (executions, time, crashes). A crash leaves its input in
# build-fuzz/findings/TARGET and the script exits 1. JOBS=N builds with N compilers (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
targets="scenario runbook sigv4 journal protocol_json protocol_rest_json protocol_query protocol_rest_xml protocol_cbor protocol_ec2"
if [[ $# -lt 1 || "$1" == "list" ]]; then
  echo "usage: scripts/fuzz.sh TARGET SECONDS   (targets: $targets)"
  [[ $# -ge 1 ]] && exit 0 || exit 2
fi
target="$1"
seconds="${2:-60}"
[[ " $targets " == *" $target "* ]] || { echo "fuzz.sh: unknown target '$target' (targets: $targets)" >&2; exit 2; }

if [[ ! -f build-fuzz/CMakeCache.txt ]]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMIGSIM_FUZZ=ON >/dev/null
fi
cmake --build build-fuzz -j"${JOBS:-1}" --target "fuzz_$target" >/dev/null

corpus="build-fuzz/corpus/$target"
findings="build-fuzz/findings/$target"
mkdir -p "$corpus" "$findings"
# Seeds: the bad inputs of tests/bad_input (generated), the shipped documents, tests/fuzz/seeds.
case "$target" in
  scenario) cp -n scenarios/*.json tests/data/*.json "$corpus"/ 2>/dev/null || true
            python3 tests/bad_input/check_corpus.py --seeds-only "$corpus" scenarios.json ;;
  runbook) cp -n scenarios/runbooks/*.json "$corpus"/ 2>/dev/null || true
           python3 tests/bad_input/check_corpus.py --seeds-only "$corpus" runbooks.json ;;
  protocol_*) python3 tests/bad_input/check_corpus.py --seeds-only "$corpus" http.json ;;
esac
if [[ -d "tests/fuzz/seeds/$target" ]]; then cp -n "tests/fuzz/seeds/$target"/* "$corpus"/ 2>/dev/null || true; fi

log="build-fuzz/fuzz-$target.log"
set +e
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  "build-fuzz/tests/fuzz/fuzz_$target" "$corpus" -max_total_time="$seconds" -max_len=1200000 -rss_limit_mb=2048 \
  -timeout=25 -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1
rc=$?
set -e
execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
crashes=$(ls "$findings" | wc -l)
echo "fuzz_$target: $execs executions in $seconds s, $crashes crash/timeout input(s) in $findings (log: $log)"
if [[ $rc -ne 0 || $crashes -ne 0 ]]; then
  tail -40 "$log" >&2
  exit 1
fi
