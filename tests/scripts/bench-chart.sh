#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TAP: scripts/bench-chart.sh turns a saved make bench table into PNG and SVG naming every row.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
ok() {	# ok RC DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
log=$top/tests/scripts/bench-sample.log
chart=$top/scripts/bench-chart.sh

"$chart" "$log" "$tmp/c" > "$tmp/out" 2>&1
ok $? "bench-chart: draws the saved table ($(cat "$tmp/out"))"
head -c 8 "$tmp/c.png" 2>/dev/null | od -An -tx1 | tr -d ' \n' | grep -qx 89504e470d0a1a0a
ok $? "bench-chart: the PNG is a PNG"
[ "$(stat -c %s "$tmp/c.png" 2>/dev/null || echo 0)" -gt 10000 ]
ok $? "bench-chart: the PNG is a drawing, not an empty canvas (over 10 KB)"
python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$tmp/c.svg" 2>/dev/null
ok $? "bench-chart: the SVG is well-formed XML"
# Every row of the table (not the header or the medians note) is a bar named in the SVG.
rows=0 missing=
while IFS= read -r name; do
	rows=$((rows + 1))
	grep -qF "$name" "$tmp/c.svg" || missing="$missing [$name]"
done < <(sed -n 's/^\[bench\] //p' "$log" | awk 'length($0) > 86 && substr($0, 1, 4) != "path" {
	s = substr($0, 1, 44); sub(/ +$/, "", s); print s }')
[ "$rows" -eq 7 ] && [ -z "$missing" ]
ok $? "bench-chart: the SVG names all $rows rows of the table, the footprint row too${missing:+; missing$missing}"
grep -q 'goal' "$tmp/c.svg" && [ "$(grep -c '<path' "$tmp/c.svg")" -gt 7 ]
ok $? "bench-chart: the SVG has the goal marks' key and the bars"
grep -q '^bench-chart: 7 rows' "$tmp/out"
ok $? "bench-chart: it counts the 7 rows, skipping the boot line, header and medians note"

# A label longer than its column pushes the numbers right: they are still read, from the end.
{ printf '[bench] %-44s %-40s %10s %10s %7s %7s %s\n' "a short row" "its floor" 200 100 2.00 - -
  printf '[bench] %-44s %-40s %10s %10s %7s %7s %s\n' "a row whose label runs past the path's column" \
	"and a floor that runs past its own column, too" 321 100 3.21 4.00 met; } > "$tmp/long.log"
"$chart" "$tmp/long.log" "$tmp/l" > "$tmp/lout" 2>&1
grep -q '^bench-chart: 2 rows' "$tmp/lout" && grep -q '>3.21<' "$tmp/l.svg" && grep -q '>2.00<' "$tmp/l.svg"
ok $? "bench-chart: a label wider than its column still gives its row's ratio ($(cat "$tmp/lout"))"

printf '[lab] no table here\n[bench] medians of 5 interleaved rounds\n' > "$tmp/empty.log"
"$chart" "$tmp/empty.log" "$tmp/e" > "$tmp/eout" 2>&1
rc=$?
[ $rc -ne 0 ] && [ ! -e "$tmp/e.png" ] && [ ! -e "$tmp/e.svg" ] && grep -q 'no \[bench\] rows' "$tmp/eout"
ok $? "bench-chart: a log without rows fails with a message and writes no pictures (rc $rc)"
"$chart" "$tmp/missing.log" "$tmp/m" > /dev/null 2>&1
ok $(($? == 0)) "bench-chart: a log that does not exist is an error"
"$chart" > /dev/null 2>&1
[ $? -eq 2 ]
ok $? "bench-chart: without arguments it prints usage and exits 2"
echo "1..$n"
