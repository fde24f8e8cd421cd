# SPDX-License-Identifier: GPL-2.0
# Scenario "bench": every benchmark row of bench/progs/bench.c in this one boot.
. /tests/lib.sh
T=bench
# BENCH_ROWS on the host picks rows here too (scripts/lab/run.sh passes it).
BENCH_ROWS=$(cat /etc/lab-bench-rows 2>/dev/null)
[ -n "$BENCH_ROWS" ] && export BENCH_ROWS

if on_xen; then
	# The Xen lab's domU: Linux's Xen drivers are loaded; rows that need xenhv say n/a.
	/progs/bench > /tmp/bench.out 2>&1
	check "the benchmark ran" test $? -eq 0
	cat /tmp/bench.out
	exit 0
fi
# Footprint: the slab counters just before and after xenhv loads, with
# nothing else loading between; page-allocator memory is not in them.
slab_kb() { awk '$1 == "Slab:" { print $2 }' /proc/meminfo; }
sync; echo 3 > /proc/sys/vm/drop_caches
slab0=$(slab_kb)
check "xenhv loads" insmod /modules/xenhv.ko $XENHV_LAB_ARGS \
	xenstore_transactions=128 xenstore_nodes=2000
sleep 1
slab1=$(slab_kb)
core=$(cat /sys/module/xenhv/coresize)
init=$(cat /sys/module/xenhv/initsize 2>/dev/null || echo 0)
check "the bench helper loads" insmod /modules/xenhv_bench.ko
check "the hyperv-testdev helper loads" insmod /modules/hv_testdev_ctl.ko
# Root-partition rows: the host answers on vCPU 1's SynIC.
BENCH_VP=$(awk '$1 == "cpu1" { print $5 }' /sys/kernel/debug/xenhv/synic) /progs/bench > /tmp/bench.out 2>&1
check "the benchmark ran" test $? -eq 0
cat /tmp/bench.out
# One row like bench's: KB where the others have ns, against the 128 KB goal.
awk -v c="$core" -v i="$init" -v s0="$slab0" -v s1="$slab1" 'BEGIN {
	kb = (c + i) / 1024 + (s1 - s0); r = kb / 128
	printf "[bench] %-44s %-40s %10.0f %10.0f %7.2f %7.2f %s\n",
		"footprint KB: core+init " int((c + i) / 1024) " + slab " (s1 - s0),
		"128 KB goal (the \"ns\" columns hold KB)", kb, 128, r, 1.0,
		r <= 1.0 ? "met" : "not-met" }'
