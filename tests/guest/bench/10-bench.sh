# SPDX-License-Identifier: GPL-2.0
# Scenario "bench": every benchmark row of bench/progs/bench.c in this one boot.
. /tests/lib.sh
T=bench

check "xenhv loads" insmod /modules/xenhv.ko $XENHV_LAB_ARGS \
	xenstore_transactions=128 xenstore_nodes=2000
check "the bench helper loads" insmod /modules/xenhv_bench.ko
check "the hyperv-testdev helper loads" insmod /modules/hv_testdev_ctl.ko
# Root-partition rows: the host answers on vCPU 1's SynIC.
BENCH_VP=$(awk '$1 == "cpu1" { print $5 }' /sys/kernel/debug/xenhv/synic) /progs/bench > /tmp/bench.out 2>&1
check "the benchmark ran" test $? -eq 0
cat /tmp/bench.out
