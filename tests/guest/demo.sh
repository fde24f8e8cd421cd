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
check "xenhv loads" insmod /modules/xenhv.ko
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
show /usr/lib/xen-4.17/bin/test-xenstore
check "test-xenstore passes" /usr/lib/xen-4.17/bin/test-xenstore
say ""
say "== Hypercalls xenhv answered, by Xen hypercall number (/sys/kernel/debug/xenhv/hypercalls) =="
show cat /sys/kernel/debug/xenhv/hypercalls
say "== Hyper-V features xenhv found =="
show sh -c "tr '\n' ' ' < /sys/kernel/debug/xenhv/features; echo"
