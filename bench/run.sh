#!/usr/bin/env bash
# The list/search benchmark of bench/README.md: builds kehu and the baseline, loads
# 1,000,000 demo customers once (kept in bench/out/), then measures kehu, the baseline
# and nginx side by side with wrk. Prints a table and writes bench/out/results.md.
# Environment: BENCH_CUSTOMERS (default 1000000), BENCH_SECONDS (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh bench
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target kehu
mkdir -p bench/out
cc -O2 -Wall -Wextra -o bench/out/baseline bench/baseline.c \
  $(pkg-config --cflags --libs libmicrohttpd sqlite3 jansson) -lpthread
exec python3 bench/bench.py "$@"
