#!/usr/bin/env bash
# Build the libFuzzer harnesses of the file readers with clang (ASan + UBSan) and run
# each for FUZZ_SECONDS (default 30) from the seeds in tests/fuzz/corpus/{csv,xlsx}.
# New inputs go to a scratch corpus in build-fuzz/ (the seeds stay as committed);
# a crash leaves its input in build-fuzz/artifacts/ and fails the script.
#   tests/fuzz/run.sh [csv|xlsx ...]      FUZZ_SECONDS=300 for a longer run
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECONDS:-30}
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(csv xlsx)

CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEHU_FUZZ=ON \
  -DKEHU_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]/#/fuzz_}" >/dev/null

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p build-fuzz/artifacts
status=0
for t in "${targets[@]}"; do
  work=build-fuzz/corpus-$t
  mkdir -p "$work"
  echo "== fuzz_$t for ${secs}s"
  if ! build-fuzz/tests/fuzz/fuzz_"$t" "$work" "tests/fuzz/corpus/$t" \
      -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
      -artifact_prefix=build-fuzz/artifacts/"$t"- -print_final_stats=1 2>build-fuzz/fuzz-$t.log; then
    status=1
    tail -60 build-fuzz/fuzz-$t.log
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:" build-fuzz/fuzz-$t.log | tail -3
  fi
done
exit $status
