# SPDX-License-Identifier: GPL-2.0
# Assertions for guest test scripts; each prints one TAP line the lab collects.
T=${T:-$(basename "$0" .sh)}

# A kernel report of any kind: oopses and warnings, KASAN/KFENCE/UBSAN, lockdep
# (its splats start "WARNING: possible ..." without "CPU"), sleeping in atomic
# context (a "BUG:"), RCU stalls, debug objects, lock debugging turned off.
KREPORT_PAT='BUG:|WARNING: CPU|\] WARNING: |^WARNING: |Oops|general protection|UBSAN|KASAN|KFENCE|refcount_t|ODEBUG|detected stall|Disabling lock debugging|turning off the locking|kernel BUG at|invalid opcode|list_(add|del) corruption|Call Trace:|blocked for more than'

ok() { echo "[tap] ok - $T: $*"; }
not_ok() { echo "[tap] not ok - $T: $*"; }

# klog_mark: a line in the kernel log; klog_since: the log after the last mark.
# (Clearing the log instead would hide a report from the scenario's final check.)
klog_mark() {
	KLOG_MARK="lab: mark $T $$ $(date +%s%N)"
	echo "$KLOG_MARK" > /dev/kmsg
}
klog_since() {
	dmesg | sed -n "\|$KLOG_MARK|,\$p" | tail -n +2
}

# check DESC CMD...: CMD must succeed.
check() {
	local desc=$1
	shift
	if "$@" > /tmp/check.out 2>&1; then
		ok "$desc"
	else
		not_ok "$desc"
		sed 's/^/# /' /tmp/check.out
	fi
}

# check_fails DESC CMD...: CMD must fail.
check_fails() {
	local desc=$1
	shift
	if "$@" > /tmp/check.out 2>&1; then
		not_ok "$desc (it succeeded)"
		sed 's/^/# /' /tmp/check.out
	else
		ok "$desc"
	fi
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1 (expected '$2', got '$3')"
	fi
}

# A program that prints its own TAP lines: pass them on, fail if it fails.
run_tap() {
	"$@" > /tmp/run.out 2>&1
	local rc=$?
	grep '^\[\(tap\|skip\|conf\)\]' /tmp/run.out
	grep -v '^\[\(tap\|skip\|conf\)\]' /tmp/run.out | sed 's/^/# /'
	[ $rc -eq 0 ] || not_ok "$1 exited with $rc"
}

# The lab's xenhv settings. The home /local/domain/<domid> is domain 0's, as
# libxl makes it, so Xen's test-xenstore (which works in xenstore-test/ there)
# needs the admin's remedy, as a Xen admin would chmod that node from dom0.
XENHV_LAB_ARGS="xenstore_guest_writable=xenstore-test"

# Load xenhv unless it is loaded: each test file can run alone (make lab-test).
# In the Xen lab's domU (LAB_WORLD=xen) Linux's own Xen drivers are loaded instead.
need_xenhv() {
	[ "${LAB_WORLD:-}" = xen ] && return 0
	[ -d /sys/module/xenhv ] || insmod /modules/xenhv.ko $XENHV_LAB_ARGS
}

watchdogs() { cat /sys/module/xenhv/status/watchdogs_armed; }
# Calls so far of one Xen hypercall number.
calls() { cat /sys/module/xenhv/status/hypercalls/"$1"; }
# One status value: status GROUP NAME (/sys/module/xenhv/status, no debugfs needed).
status() { cat /sys/module/xenhv/status/"$1"/"$2"; }
cmdline_arg() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" /proc/cmdline; }

# hv_only REASON CHECKFN DESC ...: a check whose expectation holds only through xenhv on
# Hyper-V (its status counters, Hyper-V hypercalls, its module). In the Xen lab's domU it
# is not run: it is reported as "[skip]" with REASON, and never counted as passed.
hv_only() {
	local why=$1
	shift
	if [ "${LAB_WORLD:-}" = xen ]; then
		echo "[skip] $T: $2 (hyperv-only: $why)"
		return 0
	fi
	"$@"
}
on_xen() { [ "${LAB_WORLD:-}" = xen ]; }
# xen_lab_runs WHAT WHY: whether a part the Xen lab cannot run for a defect of its own
# (Xen under TCG; docs/lab.md says what was seen) runs here. There it is reported as
# "[skip]" with WHY: no hyperv-only check, since a real Xen host would run it.
xen_lab_runs() {
	on_xen || return 0
	echo "[skip] $T: $1 (xen-lab: $2)"
	return 1
}
# maps_grants WHAT: the Xen lab's PVH domU loses what is written through a mapping of
# its own grant, then oopses.
maps_grants() {
	xen_lab_runs "$1" "the Xen lab's PVH domU under TCG corrupts its memory when it maps its own grant (docs/lab.md)"
}

# Is hv_vmbus part of this kernel (7.x: CONFIG_HYPERV_VMBUS=y)? It then runs
# from boot, and xenhv is on its SynIC pages from its own load on.
hv_vmbus_builtin() {
	grep -q '/hv_vmbus\.ko$' "/lib/modules/$(uname -r)/modules.builtin" 2> /dev/null
}

# The domain's own id: xenhv's parameter, or what XenStore says in a Xen domU.
own_domid() {
	if on_xen; then xenstore-read domid; else cat /sys/module/xenhv/parameters/domid; fi
}
# The Xen version the guest must see: xenhv's defaults, or what dom0's `xl info` said.
lab_xen_version() { if on_xen; then cmdline_arg lab.xenver; else echo 0x40011; fi; }
lab_xen_extra() { if on_xen; then cmdline_arg lab.xenextra; else echo .0; fi; }
# xenhv bounds a silent watcher's queued events by its parameter; Linux's
# xenbus device does not (the check that depends on it is hyperv-only).
xenstore_events() {
	if on_xen; then echo 1024; else cat /sys/module/xenhv/parameters/xenstore_events; fi
}
