#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: one boot of each lab running bench/, then both tables and the ratios side by side.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lab/env.sh"
log=$XENHV_OUT/bench.log
xlog=$XENHV_OUT/xen-bench.log
"$top/scripts/lab/run.sh" --scenarios bench --log "$log" > /dev/null
rc=$?
# A PV domU: the PVH one dies under TCG in the XenStore rows (docs/benchmarks.md).
xtype=${XENHV_XEN_BENCH_TYPE:-pv}
"$top/scripts/lab/xen-run.sh" --scenario bench --type "$xtype" --log "$xlog" > /dev/null
xrc=$?
echo
echo "Through xenhv (nested Hyper-V lab):"
grep -a '^\[bench\]' "$log" | sed 's/^\[bench\] //'
echo
echo "In a real Xen 4.17 domU (Xen lab, $xtype):"
grep -a '^\[bench\]' "$xlog" | sed 's/^\[bench\] //'
echo
# Each row's ratio against the same in-guest floor, in both guests.
echo "Ratios side by side (path / floor):"
awk 'FNR == 1 { f++ }
     /^\[bench\] / && !/medians/ && !/ path ns / {
	line = substr($0, 9); what = substr(line, 1, 44); sub(/ +$/, "", what)
	r[f, what] = $(NF - 2); if (f == 1) order[++n] = what
     }
     END {
	printf "%-44s %8s %8s\n", "path", "xenhv", "Xen"
	for (i = 1; i <= n; i++)
		printf "%-44s %8s %8s\n", order[i], r[1, order[i]], ((2, order[i]) in r) ? r[2, order[i]] : "-"
     }' "$log" "$xlog"
# The same table as a bar chart (ratio per row, 1.0 = the floor, goals marked).
"$top/scripts/bench-chart.sh" "$log" "$XENHV_OUT/bench" || rc=1
[ $rc -eq 0 ] && [ $xrc -eq 0 ]
