#!/bin/sh
# wrk against `migsim serve` and moto_server (see bench_serve.py). Usage: tests/bench/bench_serve.sh [build/migsim] [--duration S] [--speed N]
cd "$(dirname "$0")/../.." && exec python3 tests/bench/bench_serve.py "$@"
