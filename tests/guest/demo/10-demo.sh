# SPDX-License-Identifier: GPL-2.0
# Scenario "demo": what a user sees when Xen programs run on Hyper-V through xenhv.
. /tests/lib.sh
T=demo
say() { echo "[demo] $*"; }
show() { "$@" 2>&1 | sed 's/^/[demo]     /'; }

say "== The guest =="
say "$(dmesg | grep -o 'Hypervisor detected: .*' | head -n1), $(nproc) vCPUs, kernel $(uname -r)"
say ""
say "== insmod xenhv.ko =="
check "xenhv loads" insmod /modules/xenhv.ko $XENHV_LAB_ARGS
show sh -c "dmesg | grep 'xenhv: ' | grep -v taint | grep -v verification | sed 's/^\[[^]]*\] //'"
show ls -l /dev/xen
say ""
say "== Xen's libxenctrl asks the hypervisor who it is (xen_info, linked against Debian's libraries) =="
show /progs/xen_info
check "xen_info works" /progs/xen_info
say ""
say "== Debian's xenwatchdogd arms SCHEDOP_watchdog and pets it =="
check "xenwatchdogd starts" xenwatchdogd 20 2
sleep 5
say "watchdogs armed (bitmap): $(watchdogs); sched_op calls so far: $(calls 29)"
check_eq "xenwatchdogd armed its watchdog" 1 "$(watchdogs)"
kill -USR1 "$(pidof xenwatchdogd)"
sleep 1
say "after SIGUSR1 (xenwatchdogd disarms and exits): watchdogs armed: $(watchdogs)"
check_eq "xenwatchdogd disarmed it" 0 "$(watchdogs)"
say ""
say "== Debian's xenstore-utils read the guest's XenStore, as a Xen domU sees it =="
show xenstore-ls /local/domain/1
xenstore-write data/demo "hello from Xen tools on Hyper-V"
say "xenstore-read data/demo: $(xenstore-read data/demo)"
check_eq "xenstore-read returns what xenstore-write stored" "hello from Xen tools on Hyper-V" "$(xenstore-read data/demo)"
say "Xen's own test-xenstore:"
show /usr/lib/xen-${LAB_XEN:-4.17}/bin/test-xenstore
check "test-xenstore passes" /usr/lib/xen-${LAB_XEN:-4.17}/bin/test-xenstore
say ""
say "== Event channels: Debian's libxenevtchn in two processes, and lsevtchn =="
/progs/evtchn_pingpong 1000 1 > /tmp/demo-pp.out 2>&1
pp=$?
show cat /tmp/demo-pp.out
check_eq "two processes ping-pong 1000 events through /dev/xen/evtchn" 0 "$pp"
mkfifo /tmp/demo-hold
/progs/evtchn_abi hold < /tmp/demo-hold > /dev/null &
exec 7> /tmp/demo-hold
sleep 1
say "lsevtchn 1 (a process holds an interdomain pair and VIRQ_TIMER):"
show lsevtchn 1
exec 7>&-
wait
say ""
say "== Grants and vchan: Debian's vchan-socket-proxy carries 3 MB both ways =="
# The client's end waits for the server's end to have it all before closing.
VCHAN_PEER_DONE=/tmp/demo-s.done /progs/vchan_peer listen /tmp/demo-s.sock 5 3000000 6 3000000 \
	server > /tmp/demo-s.out &
speer=$!
vchan-socket-proxy -m server 1 data/demo-vchan /tmp/demo-s.sock > /dev/null 2>&1 &
sp=$!
vchan-socket-proxy -m client 1 data/demo-vchan /tmp/demo-c.sock > /dev/null 2>&1 &
cp=$!
show env VCHAN_PEER_HOLD=/tmp/demo-s.done /progs/vchan_peer connect /tmp/demo-c.sock 6 3000000 5 \
	3000000 client
wait $speer
show cat /tmp/demo-s.out
check "3 MB each way through vchan, byte-exact" sh -c 'grep -c "^\[tap\] ok" /tmp/demo-s.out | grep -qx 2'
kill $sp $cp 2> /dev/null
say "grant table now: $(/progs/xenhv --json | jq -c .grants)"
say ""
say "== Hypercalls xenhv answered (/sys/module/xenhv/status/hypercalls, by Xen hypercall number) =="
show sh -c '/progs/xenhv --json | jq -c .hypercalls'
say "== Hyper-V features xenhv found =="
show sh -c '/progs/xenhv --json | jq -c .hyperv_features'
