#!/usr/bin/env bash
# The import's speed and memory: `kehu import` of IMPORT_ROWS (default 1,000,000)
# generated customer rows (the seeds' template columns: dictionary values by label,
# dates in three forms, amounts with separators, a primary contact each) from CSV into a
# fresh SQLite database, through the service layer with full validation, the code rule,
# derived fields, audit and the batch; beside sqlite3's own `.import` of the same file
# into a plain table (no checks, no indexes). One run each; prints a table.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${IMPORT_ROWS:-1000000}
out=bench/out
mkdir -p "$out"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target kehu >/dev/null
csv=$out/import-$rows.csv
[[ -f $csv ]] || python3 bench/import_gen.py "$rows" "$csv"
db=$out/import-$rows.db
rm -f "$db" "$db"-wal "$db"-shm "$out/plain.db"
echo 'Bench-Passw0rd!' | build/kehu --db "$db" init --admin-password-stdin >/dev/null 2>&1
tf=$(mktemp)
/usr/bin/time -o "$tf" -f "%e %M" build/kehu --db "$db" import "$csv" >"$out/import-report.txt" 2>&1 || true
read -r kt km <"$tf"
/usr/bin/time -o "$tf" -f "%e %M" sqlite3 "$out/plain.db" ".mode csv" ".import $csv plain" >/dev/null 2>&1
read -r st sm <"$tf"
rm -f "$tf"
created=$(grep -oE '(created|新建)[:：] ?[0-9]+' "$out/import-report.txt" | grep -oE '[0-9]+$' || echo "?")
printf '| rows | what | seconds | rows/s | peak RSS MB |\n|---:|---|---:|---:|---:|\n'
printf '| %s | kehu import (created %s) | %s | %.0f | %.0f |\n' "$rows" "$created" "$kt" \
  "$(echo "$rows / $kt" | bc -l)" "$(echo "$km / 1024" | bc -l)"
printf '| %s | sqlite3 .import (plain table) | %s | %.0f | %.0f |\n' "$rows" "$st" \
  "$(echo "$rows / $st" | bc -l)" "$(echo "$sm / 1024" | bc -l)"
printf 'ratio kehu / sqlite3: %.1fx\n' "$(echo "$kt / $st" | bc -l)"
