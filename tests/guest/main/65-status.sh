# SPDX-License-Identifier: GPL-2.0
# The xenhv status command: its text and JSON match what the guest just did.
# lab-only: hyperv xenhv's status command
. /tests/lib.sh
need_xenhv

check "xenhv status runs" /progs/xenhv
/progs/xenhv > /tmp/st.txt
check "it names the Xen version and domain" grep -q 'Xen 4.17.0 guest ABI as domain 1' /tmp/st.txt
check "it lists no fallback on this fully enlightened Hyper-V" sh -c \
	"grep -A1 '^Fallbacks in use:' /tmp/st.txt | grep -q none"
check "--json is valid JSON saying the module is loaded" sh -c '/progs/xenhv --json > /tmp/st.json && jq -e .loaded /tmp/st.json'
j() { /progs/xenhv --json | jq -r "$1"; }
y0=$(j .hypercalls.sched_op)
s0=$(j .hyperv_calls.notify_long_spin_wait)
o0=$(j .devices.privcmd.opens)
/progs/xenhv_call yield 7 > /dev/null
check_eq "7 SCHEDOP_yield show as sched_op calls" $((y0 + 7)) "$(j .hypercalls.sched_op)"
check_eq "and as Hyper-V spin-wait calls" $((s0 + 7)) "$(j .hyperv_calls.notify_long_spin_wait)"
check_eq "and one more privcmd open" $((o0 + 1)) "$(j .devices.privcmd.opens)"
/progs/xen_info > /dev/null
check_eq "xen_version answered is counted" true "$(j '.hypercalls.xen_version > 0')"
check_eq "JSON names the Hyper-V features" 1 "$(j .hyperv_features.crash_msrs)"
check_eq "JSON watchdogs_armed" 0 "$(j .watchdogs_armed)"
check_eq "JSON shows XenStore usage against its quota" 1000 "$(j .xenstore.nodes_limit)"
check "the status text shows XenStore usage" grep -q 'nodes .* / 1000' /tmp/st.txt
check_fails "a bad option is an error" /progs/xenhv --bogus
check_eq "JSON: event channel counters are numbers" number "$(j '.events.upcalls | type')"
check_eq "JSON: /dev/xen/evtchn use is listed" number "$(j '.devices.evtchn.ports | type')"
check "text: an event channel section with the SINT" sh -c '/progs/xenhv | grep -q "^  sint [0-9]"'
check_eq "JSON: the grant table's size is a number" number "$(j '.grants.frames | type')"

# Without debugfs (lockdown, or a distribution that leaves it unmounted) the status command
# still works: it reads /sys/module/xenhv/status only.
check_eq "debugfs holds test detail only" "evtchn synic" "$(echo $(ls /sys/kernel/debug/xenhv))"
check "debugfs can be unmounted" umount /sys/kernel/debug
check_fails "debugfs is really gone" test -e /sys/kernel/debug/xenhv
check "xenhv status runs without debugfs" sh -c '/progs/xenhv > /tmp/st-nodbg.txt'
check "its text names the Xen version and lists no fallback" sh -c \
	'grep -q "Xen 4.17.0 guest ABI as domain 1" /tmp/st-nodbg.txt &&
	 grep -A1 "^Fallbacks in use:" /tmp/st-nodbg.txt | grep -q none'
y0=$(j .hypercalls.sched_op)
/progs/xenhv_call yield 3 > /dev/null
check_eq "without debugfs, 3 more SCHEDOP_yield show in --json" $((y0 + 3)) "$(j .hypercalls.sched_op)"
check_eq "and in status/hypercalls/29" $((y0 + 3)) "$(cat /sys/module/xenhv/status/hypercalls/29)"
check_eq "JSON without debugfs: features, events, time, grants, xenstore" \
	"1 number string number 1000" \
	"$(j '"\(.hyperv_features.crash_msrs) \(.events.upcalls | type) \(.time.source | type) \(.grants.frames | type) \(.xenstore.nodes_limit)"')"
check_eq "one value per status file" 0 \
	"$(for f in /sys/module/xenhv/status/*/* /sys/module/xenhv/status/watchdogs_armed; do
		[ "$(wc -l < "$f")" = 1 ] || echo "$f"; done | wc -l)"
check_fails "status files are read-only" sh -c 'echo 1 > /sys/module/xenhv/status/features/stimer'
check "debugfs mounts again" mount -t debugfs debugfs /sys/kernel/debug
