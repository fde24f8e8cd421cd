# SPDX-License-Identifier: GPL-2.0
# The raw privcmd and hypercall-buffer ABI, and every misuse of it.
. /tests/lib.sh
need_xenhv

on_xen || before=$(calls 29)
DOMID=$(own_domid) run_tap /progs/privcmd_abi
hv_only "xenhv's status counters" check "sched_op calls are counted per hypercall number" test "$(calls 29)" -gt "$before"
hv_only "Xen refuses a domU console_io (EPERM); xenhv logs it" \
	check "console_io text reaches the kernel log with the domain prefix" \
	sh -c 'dmesg | grep -q "xenhv: (d1) privcmd_abi says hello$"'
hv_only "xenhv's status counters" check "no watchdog is left armed by the test" test "$(watchdogs)" = 0
