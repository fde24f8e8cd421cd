# SPDX-License-Identifier: GPL-2.0
# Assertions for guest test scripts; each prints one TAP line the lab collects.
T=${T:-$(basename "$0" .sh)}

ok() { echo "[tap] ok - $T: $*"; }
not_ok() { echo "[tap] not ok - $T: $*"; }

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
	grep '^\[tap\]' /tmp/run.out
	grep -v '^\[tap\]' /tmp/run.out | sed 's/^/# /'
	[ $rc -eq 0 ] || not_ok "$1 exited with $rc"
}

# The lab's xenhv settings. The home /local/domain/<domid> is domain 0's, as
# libxl makes it, so Xen's test-xenstore (which works in xenstore-test/ there)
# needs the admin's remedy, as a Xen admin would chmod that node from dom0.
XENHV_LAB_ARGS="xenstore_guest_writable=xenstore-test"

# Load xenhv unless it is loaded: each test file can run alone (make lab-test).
need_xenhv() { [ -d /sys/module/xenhv ] || insmod /modules/xenhv.ko $XENHV_LAB_ARGS; }

watchdogs() { cat /sys/module/xenhv/status/watchdogs_armed; }
# Calls so far of one Xen hypercall number.
calls() { cat /sys/module/xenhv/status/hypercalls/"$1"; }
# One status value: status GROUP NAME (/sys/module/xenhv/status, no debugfs needed).
status() { cat /sys/module/xenhv/status/"$1"/"$2"; }
cmdline_arg() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
