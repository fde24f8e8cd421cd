# SPDX-License-Identifier: GPL-2.0
# Each Xen call that should reach Hyper-V does: counters per Hyper-V mechanism move.
. /tests/lib.sh
need_xenhv

hv_calls() { status hv_calls "$1"; }

before=$(hv_calls notify_long_spin_wait)
/progs/xenhv_call yield 100 > /tmp/yield.out
check_eq "100 SCHEDOP_yield calls through libxencall succeed" "0 0" "$(cat /tmp/yield.out)"
check_eq "each SCHEDOP_yield made one HvCallNotifyLongSpinWait" $((before + 100)) "$(hv_calls notify_long_spin_wait)"
check_eq "no crash notification so far" 0 "$(hv_calls crash_notify)"
