#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TAP: the xenhv status command on a made-up /sys/module/xenhv (status/ only, no debugfs).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/scripts/tap.sh"

m=$tmp/xenhv
st=$m/status
put() {	# put FILE VALUE
	mkdir -p "$(dirname "$m/$1")"
	echo "$2" > "$m/$1"
}
put version 0.1
put parameters/xen_major 4
put parameters/xen_minor 17
put parameters/xen_extra .0
put parameters/domid 7
for f in stimer crash_msrs ref_tsc vp_runtime reset_msr tlbflush ipi ex_processor_masks \
	signal_events post_messages time_ref_count; do
	put status/features/$f 1
done
for f in crash vcpu_runtime timers tlb_flush ipi system_time pvclock; do
	put status/fallbacks/$f 0
done
for f in notify_long_spin_wait crash_notify flush_space flush_list send_ipi apic_ipi \
	signal_event event_flags synic_irqs synic_stray_msgs stimer_armed stimer_fired \
	stimer_stray hrtimer_fired; do
	put status/hv_calls/$f 0
done
put status/hv_calls/notify_long_spin_wait 11
for i in $(seq 0 63); do put status/hypercalls/$i 0; done
put status/hypercalls/29 11
put status/hypercalls/17 3
for f in privcmd_opens privcmd_ioctls hypercall_opens hypercall_mmaps hypercall_pages \
	evtchn_opens evtchn_ports; do
	put status/devices/$f 2
done
for f in ports upcalls delivered coalesced root_sends root_events root_unbound; do
	put status/events/$f 4
done
put status/events/sint 5
put status/time/source reftsc
for f in tsc_sequence tsc_khz tsc_timestamp system_time mul shift flags updates \
	reftsc_changes runstate_areas runstate_writes vcpu_info_moved; do
	put status/time/$f 9
done
for f in in_use frames max_frames gntalloc_pages granted revoked mapped copies; do
	put status/grants/$f 1
done
for f in nodes watches transactions transactions_limit_per_connection connections requests \
	commits conflicts quota_errors events_dropped; do
	put status/xenstore/$f 3
done
put status/xenstore/nodes_limit 1000
put status/xenstore/watches_limit 128
put status/watchdogs_armed 2

x() { XENHV_SYSFS=$m "$top/scripts/xenhv" "$@"; }
x > "$tmp/text" 2> "$tmp/err"
ok $? "the text status runs on status/ alone"
grep -q '^xenhv 0.1: Xen 4.17.0 guest ABI as domain 7$' "$tmp/text"
ok $? "it names the version, the Xen version and the domain"
grep -A1 '^Fallbacks in use:' "$tmp/text" | grep -q none
ok $? "no fallback listed when none is in use"
grep -q '^  sched_op  *11$' "$tmp/text" && grep -q '^  xen_version  *3$' "$tmp/text"
ok $? "hypercalls by name, only those called"
grep -q '^  privcmd ioctls 2 opens 2$' "$tmp/text"
ok $? "device nodes, one line each"
x --json > "$tmp/json"
ok $? "--json runs"
jq -e . "$tmp/json" > /dev/null 2>&1
ok $? "--json is valid JSON"
[ "$(jq -r '"\(.domid) \(.hypercalls.sched_op) \(.hyperv_calls.notify_long_spin_wait) \(.devices.hypercall.pages) \(.events.sint) \(.time.source) \(.watchdogs_armed) \(.xenstore.nodes_limit) \(.fallbacks | length)"' "$tmp/json")" = "7 11 11 2 5 reftsc 2 1000 0" ]
ok $? "--json carries every group (domid, hypercalls, hv calls, devices, events, time, watchdogs, xenstore)"
echo 1 > "$st/fallbacks/timers"
echo 1 > "$st/fallbacks/pvclock"
x > "$tmp/text"
grep -q '^  timers: hrtimer' "$tmp/text" && grep -q '^  pvclock: TSC frequency' "$tmp/text"
ok $? "a fallback in use is listed by what stands in"
[ "$(x --json | jq '.fallbacks | length')" = 2 ]
ok $? "and counted in --json"
rm -rf "$st"
x > /dev/null 2> "$tmp/err"
[ $? -eq 1 ] && grep -q 'cannot read' "$tmp/err"
ok $? "without status/ it fails saying so"
XENHV_SYSFS=$tmp/none "$top/scripts/xenhv" --json > "$tmp/out"
[ $? -eq 1 ] && [ "$(cat "$tmp/out")" = '{"loaded": false}' ]
ok $? "not loaded: exit 1, and --json says loaded false"
XENHV_SYSFS=$m "$top/scripts/xenhv" --bogus 2> /dev/null
[ $? -eq 2 ]
ok $? "a bad option exits 2"

echo "1..$n"
[ $fails -eq 0 ]
