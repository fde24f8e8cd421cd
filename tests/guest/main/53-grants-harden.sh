# SPDX-License-Identifier: GPL-2.0
# Grant lifetimes under misuse: a ref pinned while its ALLOC_GREF batch fails.
# lab-only: hyperv xenhv's grant lifetimes, read from its status counters
. /tests/lib.sh
need_xenhv

domid=$(cat /sys/module/xenhv/parameters/domid)
gnt() { status grants "$1"; }
in_use0=$(gnt in_use)

# The table full but for 512 refs: a batch of 513 fails at its last grant.
klog_mark
check "the table-filling module loads (512 refs left free)" insmod /modules/xenhv_test_fill.ko leave=512
first=$(klog_since | sed -n 's/.*the first free is \([0-9]*\).*/\1/p' | tail -n 1)
klog_since | grep xenhv_test_fill | sed 's/^/# /'
run_tap /progs/gnt_harden undo "$domid" "${first:-0}" 512
check "the table-filling module unloads (every ref it held ends)" rmmod xenhv_test_fill
sleep 2
check_eq "no ref of the failed batch is left behind" "$in_use0" "$(gnt in_use)"
check_eq "and gntalloc holds no page" 0 "$(gnt gntalloc_pages)"

# Sizes no allocation can hold, and a mapping that must not be pinned.
klog_mark
run_tap /progs/gnt_harden hugemap
klog_since > /tmp/hugemap.klog
check_fails "no kernel warning for the huge mappings" grep -q "WARNING: CPU" /tmp/hugemap.klog
run_tap /progs/gnt_harden vmsplice "$domid"
sleep 2
check_eq "after the splice test no grant is left" "$in_use0" "$(gnt in_use)"
