#!/usr/bin/env bash
# Build kehu twice (optimised, and with AddressSanitizer + UBSan) and run the whole test
# suite against both: C unit tests (ctest) and black-box tests of the CLI and of the
# HTTP API against a real `kehu serve`.
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

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for b in build build-asan; do
  echo "== unit tests ($b)"
  (cd "$b" && ctest --output-on-failure -j"$jobs") || status=1
  echo "== black-box tests ($b)"
  KEHU_BIN="$PWD/$b/kehu" python3 -m unittest discover -s tests/blackbox -t . -p 'test_*.py' \
    || status=1
done
exit $status
