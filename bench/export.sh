#!/usr/bin/env bash
# Export speed and memory: `kehu export customers` of N demo customers to CSV
# (UTF-8 and GB18030) and XLSX, as the admin (every row, every list column, labels,
# names, masking checks, the primary contact of each customer). Prints a markdown
# table of wall time, rows per second, peak RSS (/usr/bin/time -v) and file size.
#
#   bench/export.sh                 # BENCH_EXPORT_SIZES="100000 1000000"
#   BENCH_EXPORT_SIZES=100000 bench/export.sh
#
# The databases are kept as bench/out/export-N.db. 100,000 customers come from
# `kehu demo` (about 1.5 minutes); a larger N is made from them in seconds by
# copying the customers and their contacts (new ids and codes) with SQL, since
# `kehu demo` would take about 15 minutes for 1,000,000: the export reads only
# customers, their primary contacts, users, departments and dictionaries.
set -euo pipefail
cd "$(dirname "$0")/.."
KEHU=${KEHU:-build/kehu}
SIZES=${BENCH_EXPORT_SIZES:-"100000 1000000"}
OUT=bench/out
mkdir -p "$OUT"
[ -x "$KEHU" ] || { echo "build kehu first (make)" >&2; exit 2; }

row() { # customers format extra-args...
	local n=$1 fmt=$2 label=$3
	shift 3
	local file="$OUT/export-$n.$label"
	/usr/bin/time -v -o "$OUT/time.txt" "$KEHU" --db "$OUT/export-$n.db" --format "$fmt" \
		export customers --output "$file" "$@" 2>/dev/null
	local wall rss rows size secs
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$OUT/time.txt")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/time.txt")
	secs=$(awk -v t="$wall" 'BEGIN { n = split(t, p, ":"); s = 0;
		for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }')
	size=$(stat -c %s "$file")
	printf '| %s | %s | %.1f s | %s | %.1f MiB | %.1f MiB |\n' "$n" "$label" \
		"$secs" "$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%d", n / s }')" \
		"$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" \
		"$(awk -v b="$size" 'BEGIN { print b / 1048576 }')"
	rm -f "$file"
}

echo "| customers | format | time | rows/s | peak RSS | file |"
echo "|---:|---|---:|---:|---:|---:|"
for n in $SIZES; do
	db="$OUT/export-$n.db"
	base="$OUT/export-100000.db"
	if [ ! -f "$base" ]; then
		echo benchpass1 | "$KEHU" --db "$base" init --admin-password-stdin >/dev/null
		"$KEHU" --db "$base" demo --customers 100000 --seed 42 >/dev/null
	fi
	if [ ! -f "$db" ]; then
		python3 - "$base" "$db" "$n" <<'PY'
import shutil, sqlite3, sys
base, db, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
shutil.copy(base, db)
c = sqlite3.connect(db)
def cols(t):
    return [r[1] for r in c.execute("PRAGMA table_info(%s)" % t)]
cc, kc = cols("customers"), cols("contacts")
(m,) = c.execute("SELECT max(id) FROM customers").fetchone()
(mk,) = c.execute("SELECT max(id) FROM contacts").fetchone()
for k in range(1, (n + m - 1) // m):
    sel = {"id": "id + %d" % (k * m), "code": "code || '-%d'" % k, "credit_code": "NULL"}
    c.execute("INSERT INTO customers (%s) SELECT %s FROM customers WHERE id <= %d" %
              (",".join(cc), ",".join(sel.get(x, x) for x in cc), m))
    sel = {"id": "id + %d" % (k * mk), "customer_id": "customer_id + %d" % (k * m)}
    c.execute("INSERT INTO contacts (%s) SELECT %s FROM contacts WHERE id <= %d" %
              (",".join(kc), ",".join(sel.get(x, x) for x in kc), mk))
c.commit()
PY
	fi
	row "$n" csv csv
	row "$n" csv gb18030.csv --encoding gb18030
	row "$n" xlsx xlsx
done
