# SPDX-License-Identifier: GPL-2.0
# Scenario "vmbus-first": hv_vmbus loads before xenhv (as udev loads both by modalias at boot),
# so xenhv starts on hv_vmbus's SynIC pages; timers, cross-vCPU events and root-partition
# events must work there, and after xenhv is unloaded and loaded again beside it.
. /tests/lib.sh

hv() { status hv_calls "$1"; }
shared() { grep -c 'shared_with_vmbus 1' /sys/kernel/debug/xenhv/synic; }
vp_of() { awk -v c="cpu$1" '$1 == c { print $5 }' /sys/kernel/debug/xenhv/synic; }

if hv_vmbus_builtin; then
	check "hv_vmbus, built into $(uname -r), runs before xenhv" test -d /sys/bus/vmbus/devices
else
	check "hv_vmbus loads first" insmod /modules/hv_vmbus.ko
fi
klog_mark
check "xenhv loads after it" insmod /modules/xenhv.ko
klog_since > /tmp/vmbus-first.klog
check "xenhv says it shares hv_vmbus's SynIC pages" \
	grep -q "xenhv: SynIC: SINT[0-9]*, a vector of its own on each CPU, sharing hv_vmbus" /tmp/vmbus-first.klog
check_eq "from its first CPU on, every CPU uses hv_vmbus's pages" "$(nproc)" "$(shared)"
domid=$(cat /sys/module/xenhv/parameters/domid)
sint=$(cat /sys/module/xenhv/parameters/sint)

# Timers, IPIs and root events, each through the pages xenhv did not set up.
trip() {
	st0=$(hv stimer_fired)
	run_tap /progs/evtchn_timer
	check "$1: VIRQ_TIMER came from synthetic timer messages in hv_vmbus's page" \
		test $(( $(hv stimer_fired) - st0 )) -ge 40
	run_tap /progs/evtchn_pingpong 300 "$domid"
	[ -d /sys/module/hv_testdev_ctl ] || insmod /modules/hv_testdev_ctl.ko
	fl0=$(hv event_flags)
	run_tap /progs/evtchn_root "$sint" "$(vp_of 1)" 100
	check "$1: root-partition answers came as event flags in hv_vmbus's page" \
		test $(( $(hv event_flags) - fl0 )) -ge 100
}
trip "loaded after hv_vmbus"

# Unload beside hv_vmbus: xenhv must leave hv_vmbus's pages (and its SynIC) alone.
check "xenhv unloads beside hv_vmbus" rmmod xenhv
check "hv_vmbus still has its SynIC pages (VMBus keeps working: its channels are listed)" \
	test -d /sys/bus/vmbus/devices
check "xenhv loads again" insmod /modules/xenhv.ko
check_eq "again on hv_vmbus's pages on every CPU" "$(nproc)" "$(shared)"
trip "reloaded"
