# SPDX-License-Identifier: GPL-2.0
# VIRQ_TIMER on Hyper-V synthetic timers, and ports bound to root-partition event connections.
# lab-only: hyperv Hyper-V synthetic timers and root-partition event connections
. /tests/lib.sh
need_xenhv

hv() { status hv_calls "$1"; }
ev() { status events "$1"; }
vp_of() { awk -v c="cpu$1" '$1 == c { print $5 }' /sys/kernel/debug/xenhv/synic; }

st0=$(hv stimer_fired)
run_tap /progs/evtchn_timer
check "VIRQ_TIMER came from Hyper-V synthetic timer messages" test $(( $(hv stimer_fired) - st0 )) -ge 40
check_eq "no hrtimer fallback with synthetic timers present" 0 "$(hv hrtimer_fired)"

sint=$(cat /sys/module/xenhv/parameters/sint)
[ -d /sys/module/hv_testdev_ctl ] || insmod /modules/hv_testdev_ctl.ko
# The host answers on vCPU 1's SynIC; the port's upcall runs on vCPU 0.
root_trip() {
	se0=$(hv signal_event)
	fl0=$(hv event_flags)
	run_tap /progs/evtchn_root "$sint" "$(vp_of 1)" 200
	check "$1: each send was an HvSignalEvent" test $(( $(hv signal_event) - se0 )) -ge 200
	check "$1: each answer was a SynIC event flag" test $(( $(hv event_flags) - fl0 )) -ge 200
}
if hv_vmbus_builtin; then
	# No switch to see: hv_vmbus ran before xenhv, as in the vmbus-first scenario.
	echo "# hv_vmbus is built into $(uname -r): xenhv has been on its SynIC pages since it loaded"
	check_eq "with hv_vmbus built in, xenhv uses its SynIC pages on every CPU" \
		"$(nproc)" "$(grep -c 'shared_with_vmbus 1' /sys/kernel/debug/xenhv/synic)"
	root_trip "with hv_vmbus built in"
	run_tap /progs/sched_poll
	exit 0
fi
root_trip "without hv_vmbus"

# Beside hv_vmbus: it brings its own SynIC pages; xenhv follows them. (Not
# unloaded again here: in this lab, rmmod hv_vmbus itself oopsed in
# vmbus_isr -> hv_stimer0_isr once, and once left the guest without ticks.)
# hv_vmbus loads while Xen timers are firing: xenhv's module notifier switches
# every CPU to hv_vmbus's pages under load. Timer events must keep coming and
# nothing may wedge; how punctual they are then depends on the lab's load (the
# program's own timing checks are shown, not counted).
st0=$(hv stimer_fired)
timeout 120 /progs/evtchn_timer > /tmp/bg-timer.out 2>&1 &
bg=$!
if insmod /modules/hv_vmbus.ko 2> /tmp/modprobe.err; then
	wait $bg
	rc=$?
	sed 's/^\[tap\]/#/' /tmp/bg-timer.out
	check "VIRQ_TIMER through the page switch: evtchn_timer ran to its end (exit $rc)" test "$rc" -le 1
	check "timer messages kept coming through the switch" \
		test $(( $(hv stimer_fired) - st0 )) -ge 20
	check "xenhv followed hv_vmbus's pages when it went live" \
		sh -c 'dmesg | grep -q "xenhv: hv_vmbus loaded: SynIC pages followed on every CPU"'
	check_eq "with hv_vmbus loaded, xenhv uses its SynIC pages on every CPU" \
		"$(nproc)" "$(grep -c 'shared_with_vmbus 1' /sys/kernel/debug/xenhv/synic)"
	root_trip "with hv_vmbus"
	run_tap /progs/evtchn_timer
else
	wait $bg
	not_ok "insmod hv_vmbus: $(cat /tmp/modprobe.err)"
fi
run_tap /progs/sched_poll
