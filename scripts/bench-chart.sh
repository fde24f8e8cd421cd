#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Draws make bench's table (its [bench] lines) as PNG and SVG bar charts with gnuplot.
# Usage: scripts/bench-chart.sh BENCH_LOG OUT_PREFIX  (writes OUT_PREFIX.png and .svg)
set -eu
[ $# -eq 2 ] || { echo "usage: $0 BENCH_LOG OUT_PREFIX" >&2; exit 2; }
log=$1 out=$2
command -v gnuplot > /dev/null || { echo "bench-chart: gnuplot missing (scripts/deps.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A row: path (44 wide), floor (40 wide), then path ns, floor ns, ratio,
# goal and verdict (or "-"). A longer label pushes the columns right, so
# the numbers are taken from the end; the label is the path's 44 columns.
# One data line per row: index, ratio, goal, label.
sed -n 's/^\[bench\] //p' "$log" | awk '
	length($0) > 86 && substr($0, 1, 4) != "path" {
		name = substr($0, 1, 44); sub(/ +$/, "", name)
		k = split($0, w, " ")
		ratio = w[k - 2]; goal = w[k - 1]
		if (w[k - 4] !~ /^[0-9.]+$/ || ratio !~ /^[0-9.]+$/) next
		if (goal !~ /^[0-9.]+$/) goal = "NaN"
		gsub(/"/, "", name)
		printf "%d %s %s \"%s\"\n", n++, ratio, goal, name
	}' > "$tmp/rows.dat"
rows=$(wc -l < "$tmp/rows.dat")
[ "$rows" -gt 0 ] || { echo "bench-chart: no [bench] rows in $log" >&2; exit 1; }

# Horizontal-ish layout: one bar per row, the floor at 1.0, goals as marks.
# The ratios span 0.05 to 20 and more (vchan-socket-proxy's small rings), so
# the scale is logarithmic: 0.5 and 2 sit as far from the floor, and a bar
# reaches up or down from it.
lo=$(awk 'NR == 1 || $2 < m { m = $2 } END { print (m > 0 && m < 0.5) ? m / 1.5 : 0.33 }' "$tmp/rows.dat")
cat > "$tmp/plot.gp" <<GP
set style fill solid 0.6 border -1
set boxwidth 0.7
set logscale y 2
set yrange [$lo:*]
set offsets 0, 0, graph 0.08, 0
set xrange [-0.6:$rows - 0.4]
set ylabel "xenhv path / floor (ratio, log scale; 1.0 = the floor)"
set xtics rotate by -40 left font ",8" nomirror
set key top left
set grid ytics
set bmargin 16
set rmargin 12
set arrow from -0.6,1 to $rows - 0.4,1 nohead dt 2 lw 2 lc rgb "black"
plot "$tmp/rows.dat" using 1:(1):(\$1 - 0.35):(\$1 + 0.35):(\$2 < 1 ? \$2 : 1):(\$2 < 1 ? 1 : \$2):xtic(4) \\
	with boxxyerror lc rgb "#4477aa" title "ratio", \\
     "" using 1:3 with points pt 9 ps 2 lc rgb "#cc3311" title "goal (at most)", \\
     "" using 1:(\$2 < 1 ? 1/0 : \$2):(sprintf("%.2f", \$2)) with labels offset 0,0.7 font ",8" notitle, \\
     "" using 1:(\$2 < 1 ? \$2 : 1/0):(sprintf("%.2f", \$2)) with labels offset 0,-0.7 font ",8" notitle
GP
gnuplot -e "set terminal pngcairo noenhanced size 1400,800; set output '$out.png'; load '$tmp/plot.gp'" 2> "$tmp/err" ||
	gnuplot -e "set terminal png noenhanced size 1400,800; set output '$out.png'; load '$tmp/plot.gp'" 2>> "$tmp/err" || {
	cat "$tmp/err" >&2; exit 1; }
gnuplot -e "set terminal svg noenhanced size 1400,800; set output '$out.svg'; load '$tmp/plot.gp'" 2>> "$tmp/err" || {
	cat "$tmp/err" >&2; exit 1; }
echo "bench-chart: $rows rows -> $out.png $out.svg"
