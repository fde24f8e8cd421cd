#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: one lab boot running bench/, then the table of ratios it printed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lab/env.sh"
log=$XENHV_OUT/bench.log
"$top/scripts/lab/run.sh" --scenarios bench --log "$log" > /dev/null
rc=$?
echo
grep -a '^\[bench\]' "$log" | sed 's/^\[bench\] //'
# The same table as a bar chart (ratio per row, 1.0 = the floor, goals marked).
"$top/scripts/bench-chart.sh" "$log" "$XENHV_OUT/bench" || rc=1
exit $rc
