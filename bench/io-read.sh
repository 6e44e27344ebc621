#!/usr/bin/env bash
# The file readers' speed and memory: `kehu file-inspect --count` (which reads every row
# through src/io and keeps none) on generated files of IO_ROWS rows (default 1,000,000):
# short ASCII rows, 11-column Chinese customer rows in UTF-8 and in GBK, and the customer
# rows as an XLSX with shared strings; beside sqlite3's own `.import` of the same CSVs.
# Best of IO_RUNS (default 3); prints rows/s, MB/s and peak resident memory.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${IO_ROWS:-1000000}
runs=${IO_RUNS:-3}
out=bench/out
mkdir -p "$out"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target kehu >/dev/null
p=$out/io-$rows
if [[ ! -f $p.xlsx ]]; then
  echo "generating $rows rows in $p.* ..."
  python3 bench/io_gen.py "$rows" "$p"
  iconv -f UTF-8 -t GB18030 "$p.csv" >"$p.gbk.csv"
fi

best() { # command...: prints "seconds max_rss_kb" of the fastest run
  local b="" m="" tf
  tf=$(mktemp)
  for _ in $(seq "$runs"); do
    /usr/bin/time -o "$tf" -f "%e %M" "$@" >/dev/null 2>&1
    local t
    t=$(tail -1 "$tf")
    if [[ -z $b ]] || awk -v a="${t% *}" -v b="$b" 'BEGIN{exit !(a<b)}'; then
      b=${t% *}; m=${t#* }
    fi
  done
  rm -f "$tf"
  echo "$b $m"
}

printf '| file | size | reader s | rows/s | MB/s | peak RSS | sqlite3 .import s |\n|---|---:|---:|---:|---:|---:|---:|\n'
for f in simple.csv csv gbk.csv xlsx; do
  file=$p.$f
  size=$(stat -c %s "$file")
  read -r s kb < <(best build/kehu file-inspect "$file" --rows 0 --count)
  imp="—"
  if [[ $f != xlsx && $f != gbk.csv ]]; then
    db=$(mktemp -u /tmp/kehu-io-bench-XXXXXX.db)
    read -r imp _ < <(best sh -c "rm -f $db; sqlite3 $db '.mode csv' '.import $file t'")
    rm -f "$db"
  fi
  awk -v f="$f" -v size="$size" -v s="$s" -v kb="$kb" -v rows="$rows" -v imp="$imp" 'BEGIN{
    printf "| %s | %.0f MB | %.2f | %.0f | %.0f | %.0f MB | %s |\n", f, size/1e6, s,
      (rows+1)/s, size/1e6/s, kb/1024, imp }'
done
