# SPDX-License-Identifier: GPL-2.0
# Event channels through /dev/xen/evtchn and libxenevtchn: ping-pong, ABI and misuse, lsevtchn.
. /tests/lib.sh
need_xenhv

domid=$(own_domid)
ev() { status events "$1"; }
hv() { status hv_calls "$1"; }

check "/dev/xen/evtchn is a character device" test -c /dev/xen/evtchn

# How much a counter grew (a subshell: in the Xen domU there is no xenhv status).
grew() { echo $(( $($1 "$2") - $3 )); }
ipi0=$(hv send_ipi)
del0=$(ev delivered)
DOMID=$domid run_tap /progs/evtchn_pingpong 5000 "$domid"
hv_only "xenhv's status counters" check "5000 round trips were 10000 deliveries or more" \
	test "$(on_xen || grew ev delivered "$del0")" -ge 10000
hv_only "counts Hyper-V IPI hypercalls" check "pings from vCPU 1 to ports on vCPU 0 went by HvCallSendSyntheticClusterIpi" \
	test "$(on_xen || grew hv send_ipi "$ipi0")" -ge 5000
hv_only "xenhv's status counters" check_eq "no IPI fell back to the APIC driver" 0 "$(hv apic_ipi)"

DOMID=$domid run_tap /progs/evtchn_abi
hv_only "xenhv's status counters" check_eq "every port the tests bound is closed again" 0 "$(ev ports)"

# lsevtchn (Debian's) lists the guest's ports through privcmd: ours, beside those
# the kernel holds (none under xenhv; a Xen domU's kernel has its timers, IPIs,
# XenStore and console ports).
lsevtchn "$domid" > /tmp/ls0.out 2>&1
base=$(grep -c VCPU /tmp/ls0.out)
hv_only "a Xen domU's kernel binds ports of its own" \
	check_eq "before any test binds one, lsevtchn lists no port" 0 "$base"
mkfifo /tmp/hold.in
DOMID=$domid /progs/evtchn_abi hold < /tmp/hold.in > /tmp/hold.out &
holder=$!
exec 7> /tmp/hold.in
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s /tmp/hold.out ] && break; sleep 0.2; done
read -r a b t virq < /tmp/hold.out
lsevtchn "$domid" > /tmp/ls.out 2>&1
sed 's/^/# /' /tmp/ls.out
# (Linux's driver spreads interdomain ports over the vCPUs; any vCPU will do.)
check "lsevtchn: port $a connected to port $b" \
	grep -q "^ *$a: VCPU [0-9]*: Interdomain (Connected) - Remote Domain $domid, Port $b\$" /tmp/ls.out
check "lsevtchn: port $b connected to port $a" \
	grep -q "^ *$b: VCPU [0-9]*: Interdomain (Connected) - Remote Domain $domid, Port $a\$" /tmp/ls.out
check "lsevtchn: port $t is VIRQ $virq (the first one free)" \
	grep -q "^ *$t: VCPU 0: Virtual IRQ $virq\$" /tmp/ls.out
check_eq "lsevtchn lists exactly those three ports more" $((base + 3)) "$(grep -c VCPU /tmp/ls.out)"
# What the lab prints of a stalled test says the same: xenhv's port table in
# debugfs (3 is Xen's ECS_INTERDOMAIN, 5 ECS_VIRQ) and the holder's fdinfo.
dbg=/sys/kernel/debug/xenhv/evtchn
hv_only "xenhv's debugfs" check "debugfs: port $a interdomain to $domid:$b, with a consumer" \
	grep -q "^port $a state 3 remote $domid:$b vcpu [0-9]* pending [01] masked [01] consumer 1 " $dbg
hv_only "xenhv's debugfs" check "debugfs: port $t a VIRQ, with a consumer" \
	grep -q "^port $t state 5 .* consumer 1 " $dbg
cat /proc/$holder/fdinfo/* 2> /dev/null | grep '^port:' > /tmp/fdinfo.ports
hv_only "xenhv's /dev/xen/evtchn" check "the holder's /dev/xen/evtchn fdinfo lists ports $a, $b and $t" \
	sh -c "grep -q '^port:.$a enabled' /tmp/fdinfo.ports && grep -q '^port:.$b enabled' /tmp/fdinfo.ports &&
	       grep -q '^port:.$t enabled' /tmp/fdinfo.ports"
exec 7>&-
wait
lsevtchn "$domid" > /tmp/ls.out 2>&1
check_eq "after the holder exits, lsevtchn lists only what it did before" "$base" \
	"$(grep -c VCPU /tmp/ls.out)"
check_eq "lsevtchn for domain 0 (not ours: EPERM) lists nothing" 0 "$(lsevtchn 0 2>/dev/null | grep -c VCPU)"

# Unload while ports are bound: refused, and everything still works after.
mkfifo /tmp/hold2.in
DOMID=$domid /progs/evtchn_abi hold < /tmp/hold2.in > /tmp/hold2.out &
exec 8> /tmp/hold2.in
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s /tmp/hold2.out ] && break; sleep 0.2; done
hv_only "unloads xenhv" check_fails "rmmod xenhv is refused while /dev/xen/evtchn holds ports" rmmod xenhv
exec 8>&-
wait
hv_only "unloads xenhv" check "the module is still loaded" test -d /sys/module/xenhv
