#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer: builds migsim and its unit tests in build-asan/,
# then runs the C++ unit tests, the bad-input corpora and the Python serve tests against that
# build. Leaks reported inside libsimgrid are suppressed (scripts/lsan-suppressions.txt); nothing
# of ours is. Slow on 2 cores (a full instrumented build), so not part of .ci/run: run it before
# submitting a change to a parser, a codec or the server.
#   scripts/sanitize.sh            build, then everything
#   scripts/sanitize.sh -R REGEX   build, then only the ctest entries matching REGEX
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f build-asan/CMakeCache.txt ]]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
fi
cmake --build build-asan -j"${JOBS:-1}" --target migsim migsim_tests
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan-suppressions.txt:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# Unit tests, the bad-input corpora, the Python serve tests (the slow scenario regressions are the
# release build's job).
regex="${2:-^(cli|sim|json|sigv4|protocol|cbor|ec2|runbook|chaos|route53|cloudwatch|journal|state dir|bad input|outputs|serve: boto3 drives the mock endpoint|serve: boto3 drives Route 53)}"
if [[ "${1:-}" == "-R" ]]; then regex="$2"; fi
ctest --test-dir build-asan --output-on-failure -j"${JOBS:-1}" -R "$regex"
