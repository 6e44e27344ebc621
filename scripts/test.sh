#!/usr/bin/env bash
# Build kehu twice (optimised, and with AddressSanitizer + UBSan) and run the whole test
# suite against both builds and both database engines: C unit tests (ctest) and the
# black-box tests of the CLI and of the HTTP API against a real `kehu serve`, on SQLite
# and on a throwaway PostgreSQL cluster this script starts on 127.0.0.1 and removes at
# the end, also when a test fails; then a short fuzzing run of the file readers
# (tests/fuzz/run.sh, FUZZ_SECONDS each, 20 by default).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
jobs=$(nproc)

echo "== build (optimised)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
echo "== build (AddressSanitizer + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DKEHU_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"

pgdir=$(mktemp -d /tmp/kehu-test-pg.XXXXXX)
chmod 755 "$pgdir"
cleanup() { scripts/pg-cluster.sh stop "$pgdir"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "== PostgreSQL test cluster on 127.0.0.1:$port"
export KEHU_TEST_PG KEHU_TEST_PG_DIR=$pgdir
KEHU_TEST_PG=$(scripts/pg-cluster.sh start "$pgdir" "$port")

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for b in build build-asan; do
  for engine in sqlite postgresql; do
    echo "== unit tests ($b, $engine)"
    (cd "$b" && KEHU_TEST_ENGINE=$engine ctest --output-on-failure -j"$jobs") || status=1
    echo "== black-box tests ($b, $engine)"
    KEHU_TEST_ENGINE=$engine KEHU_BIN="$PWD/$b/kehu" \
      python3 -m unittest discover -s tests/blackbox -t . -p 'test_*.py' || status=1
  done
done
# a short libFuzzer run of the file readers (about a minute with the clang build)
echo "== fuzzing the CSV and XLSX readers (${FUZZ_SECONDS:-20}s each)"
FUZZ_SECONDS=${FUZZ_SECONDS:-20} tests/fuzz/run.sh || status=1
exit $status
