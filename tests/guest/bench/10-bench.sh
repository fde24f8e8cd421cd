# SPDX-License-Identifier: GPL-2.0
# Scenario "bench": every benchmark row of bench/progs/bench.c in this one boot.
. /tests/lib.sh
T=bench
# BENCH_ROWS on the host picks rows here too (scripts/lab/run.sh passes it).
BENCH_ROWS=$(cat /etc/lab-bench-rows 2>/dev/null)
[ -n "$BENCH_ROWS" ] && export BENCH_ROWS

if on_xen; then
	# The Xen lab's domU: Linux's Xen drivers are loaded; rows that need xenhv say n/a.
	# Each row is named on the console as it starts: TCG may kill the domU in one.
	BENCH_TRACE=1 /progs/bench > /tmp/bench.out
	check "the benchmark ran" test $? -eq 0
	cat /tmp/bench.out
	exit 0
fi
# Footprint: the slab counters just before and after xenhv loads, with
# nothing else loading between; page-allocator memory is not in them.
slab_kb() { awk '$1 == "Slab:" { print $2 }' /proc/meminfo; }
sync; echo 3 > /proc/sys/vm/drop_caches
cat /proc/slabinfo > /tmp/slab.0 2> /dev/null
slab0=$(slab_kb)
check "xenhv loads" insmod /modules/xenhv.ko $XENHV_LAB_ARGS \
	xenstore_transactions=128 xenstore_nodes=2000
sleep 1
slab1=$(slab_kb)
cat /proc/slabinfo > /tmp/slab.1 2> /dev/null
core=$(cat /sys/module/xenhv/coresize)
init=$(cat /sys/module/xenhv/initsize 2>/dev/null || echo 0)
check "the bench helper loads" insmod /modules/xenhv_bench.ko
check "the hyperv-testdev helper loads" insmod /modules/hv_testdev_ctl.ko
# Root-partition rows: the host answers on vCPU 1's SynIC.
BENCH_VP=$(awk '$1 == "cpu1" { print $5 }' /sys/kernel/debug/xenhv/synic) /progs/bench > /tmp/bench.out 2>&1
check "the benchmark ran" test $? -eq 0
cat /tmp/bench.out
# Where the slab growth went: the caches that grew most across the load, in
# KB of their objects (active objects times object size).
awk 'FNR <= 2 { next } FNR == NR { b[$1] = $2 * $4; next }
     { d = ($2 * $4 - b[$1]) / 1024; if (d >= 1) printf "%.0f %s\n", d, $1 }' \
	/tmp/slab.0 /tmp/slab.1 2> /dev/null | sort -rn | head -n 8 |
	awk '{ printf "# footprint: slab cache %s grew %s KB\n", $2, $1 }'
# One row like bench's: KB where the others have ns, against the 128 KB goal.
# Idle memory is the module's core and what it allocated; its init sections
# are freed once it has loaded, so initsize is shown, not counted.
echo "# footprint: init sections $((init / 1024)) KB, freed after the load"
awk -v c="$core" -v i="$init" -v s0="$slab0" -v s1="$slab1" 'BEGIN {
	kb = c / 1024 + (s1 - s0); r = kb / 128
	printf "[bench] %-44s %-40s %10.0f %10.0f %7.2f %7.2f %s\n",
		"footprint KB: core " int(c / 1024) " + slab " (s1 - s0),
		"128 KB goal (the \"ns\" columns hold KB)", kb, 128, r, 1.0,
		r <= 1.0 ? "met" : "not-met" }'
