#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the L2 guest (Hyper-V lab, or the Xen lab's domU): runs one scenario's guest tests as TAP.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /tmp /dev/shm && mount -t tmpfs tmp /tmp && mount -t tmpfs shm /dev/shm
mount -t debugfs debugfs /sys/kernel/debug
ln -sf /proc/self/fd /dev/fd
hostname l2

scenario=$(sed -n 's/.*lab\.scenario=\([^ ]*\).*/\1/p' /proc/cmdline)
export LAB_WORLD=$(sed -n 's/.*lab\.world=\([^ ]*\).*/\1/p' /proc/cmdline)

# The Hyper-V lab's console is an emulated 16550 whose transmitter the nested
# emulation can stop for good: the tests write to a pseudo-terminal, and a
# relay carries their output to the console (tests/progs/console_relay.c).
relay=
if [ "$LAB_WORLD" != xen ]; then
	mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
	/progs/console_relay /tmp/console &
	relay=$!
	n=0
	while [ ! -e /tmp/console ] && [ $n -lt 50 ]; do
		usleep 100000
		n=$((n + 1))
	done
	if [ -e /tmp/console ]; then
		exec < /dev/null > /tmp/console 2>&1
	else
		echo "[lab] no console relay: the tests write to the console"
		relay=
	fi
fi
# The Xen userland this boot carries (its tools live in /usr/lib/xen-X.Y/bin).
export LAB_XEN=$(sed -n 's/.*lab\.xen=\([^ ]*\).*/\1/p' /proc/cmdline)
LAB_XEN=${LAB_XEN:-4.17}
export PATH=/bin:/sbin:/usr/bin:/usr/sbin:/usr/lib/xen-$LAB_XEN/bin:/progs
# "core": the named subset for the kernels and userlands that do not run everything
# in a plain make check: load, privcmd, event channels, grants, XenStore, unload.
set=$(sed -n 's/.*lab\.set=\([^ ]*\).*/\1/p' /proc/cmdline)
core="10-load 20-xen-version 30-privcmd-abi 46-evtchn 52-grants-vchan 70-xenstore-tools 75-xenstore-abi 90-unload"
export LAB_ONLY=$(sed -n 's/.*lab\.only=\([^ ]*\).*/\1/p' /proc/cmdline)
# lab.finished: tests an earlier domU of the Xen lab finished before it died ("+" apart).
LAB_FINISHED=$(sed -n 's/.*lab\.finished=\([^ ]*\).*/\1/p' /proc/cmdline)
echo "[lab] l2 up scenario=$scenario set=${set:-all} kernel=$(uname -r) xen=$LAB_XEN cpus=$(nproc) $(dmesg | grep -o 'Hypervisor detected: .*' | head -n1)"

# A debug kernel's leak detector: what boot left behind is not the tests'.
kml=/sys/kernel/debug/kmemleak
if [ -w $kml ]; then
	echo scan > $kml
	echo clear > $kml
fi

# Xen's tools find their libraries under /usr/lib/xen-X.Y too.
export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu

# In the Xen lab's domU, Linux's own Xen drivers stand where xenhv stands on
# Hyper-V. privcmd is loaded unrestricted: Linux refuses a domU's hypercalls
# unless its XenStore names a target domain (docs/lab.md).
if [ "$LAB_WORLD" = xen ]; then
	echo "[lab] domU guest_type=$(cat /sys/hypervisor/guest_type)"
	for m in xen-evtchn xen-privcmd xen-gntdev xen-gntalloc xenfs; do
		a=
		[ $m = xen-privcmd ] && a=unrestricted=1
		# shellcheck disable=SC2086
		insmod /modules/xen/$m.ko $a || echo "[tap] not ok - xen domU: insmod $m"
	done
	mkdir -p /proc/xen && mount -t xenfs xenfs /proc/xen
fi

# Each test runs bounded (tests/guest/bounded.sh): a stall is a failure with its causes.
# Its budget grows with the lab's limits on a slow (debug) kernel.
. /tests/bounded.sh
LAB_SLOW=$(sed -n 's/.*lab\.slow=\([0-9]*\).*/\1/p' /proc/cmdline)
# The Xen lab's domU runs under plain TCG, slower again: its whole run has 900 s.
[ "$LAB_WORLD" = xen ] && LAB_SLOW=${LAB_SLOW:-3}
LAB_SLOW=${LAB_SLOW:-1}
# The scenario's own limit (L1 stops this machine then): every budget ends a
# minute before it, so that a stalled test's report is seen whole.
LAB_TMO=$(sed -n 's/.*lab\.tmo=\([0-9]*\).*/\1/p' /proc/cmdline)

# The scenario's folder: its scripts in order (one that ends the machine, a
# crash, simply never returns), then the kernel-log check.
kmark="lab: the scenario's tests begin"

# A CPU whose vCPU the nested emulation stopped: RCU reports it stalled and
# sends it an NMI for its backtrace, and no answer comes before the next
# report a minute later. A CPU hung in the kernel, interrupts off or not,
# still answers an NMI. Reads the kernel log as dmesg prints it, from the
# mark on; prints the CPU and fails if there is none.
nmi_unanswered() {
	awk -v mark="$kmark" '
	{ sub(/^\[[ 0-9.]*\] /, "") }
	!go { go = $0 == mark; next }
	/detected (expedited )?stalls on CPUs/ {
		for (c in sent)
			if (!(c in answered)) {
				print "CPU " c " answered no NMI between two RCU stall reports"
				found = 1
				exit
			}
		split("", sent); split("", answered); next
	}
	/^Sending NMI from CPU [0-9]+ to CPUs [0-9,]+:$/ {
		s = $NF; sub(/:$/, "", s); n = split(s, a, ",")
		for (i = 1; i <= n; i++) sent[a[i]] = 1
		next
	}
	/^NMI backtrace for cpu [0-9]+/ { answered[$5] = 1 }
	# Newer kernels (7.x) send the NMI silently and say so themselves.
	/^After [0-9]+ seconds, these CPUS still haven.t responded to the NMI: [0-9,]+$/ {
		print "CPU " $NF " answered no NMI within " $2 " s of an RCU stall report"
		found = 1
		exit
	}
	END { exit !found }'
}
# Found, L2 ends at once (no need to wait for the scenario's limit) and says
# why on the kernel's console, which L1 reads: the console relay may be the
# very thing that stopped. L1 takes it for the emulation's. A look every 20 s
# rather than a reader of /dev/kmsg, which every printk would wake.
( while sleep 20; do
	dmesg | nmi_unanswered > /tmp/emulation || continue
	echo "<2>lab: emulation: $(cat /tmp/emulation)" > /dev/kmsg
	sleep 2
	poweroff -f
  done ) &
echo "$kmark" > /dev/kmsg
# Warnings and worse reach the console while the tests run: a report's stack
# (printed at the default level, below "quiet"'s) is then on the console even
# when the guest hangs in it and never reaches the kernel-log check below
# (seen: a soft lockup on 7.2 that only showed its first line).
echo 5 > /proc/sys/kernel/printk
for t in /tests/"$scenario"/*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	# lab.only: parts of test names, separated by "," or "+" (any one picks a test).
	pick=
	for o in $(echo "$LAB_ONLY" | tr ,+ '  '); do
		case "$name" in *"$o"*) pick=1 ;; esac
	done
	[ -z "$LAB_ONLY" ] || [ -n "$pick" ] || continue
	[ "$name" = verdict ] && continue
	case "+$LAB_FINISHED+" in *"+$name+"*) continue ;; esac
	if [ "$set" = core ]; then
		case " $core " in *" $name "*) ;; *) continue ;; esac
	fi
	# A test whose every expectation holds only through xenhv says so in a
	# "# lab-only: hyperv REASON" line: in the Xen domU it is reported skipped.
	why=$(sed -n 's/^# lab-only: hyperv //p' "$t")
	if [ "$LAB_WORLD" = xen ] && [ -n "$why" ]; then
		echo "[skip] $name: hyperv-only: $why"
		continue
	fi
	echo "[lab] test $name"
	budget=$(sed -n 's/^# lab-budget: \([0-9]*\).*/\1/p' "$t")
	budget=$((${budget:-$BUDGET} * LAB_SLOW))
	if [ -n "$LAB_TMO" ]; then
		left=$((LAB_TMO - 60 - $(cut -d. -f1 /proc/uptime)))
		[ "$budget" -gt "$left" ] && budget=$left
		[ "$budget" -ge 10 ] || budget=10
	fi
	t0=$(date +%s)
	run_bounded "$name" "$budget" sh "$t"
	rc=$?
	if [ $rc -eq 124 ]; then
		echo "[tap] not ok - $name: finished within its $budget s (stopped; what it waited in is above)"
	elif [ $rc -ne 0 ]; then
		echo "[tap] not ok - $name: script exited with $rc"
	fi
	# Time and memory after each test, so a leak shows as a trend across the run.
	echo "# $name took $(($(date +%s) - t0)) s; mem after (kB):" $(awk '/^(MemAvailable|Slab|VmallocUsed|Mlocked):/ {
		printf "%s %s ", $1, $2 }' /proc/meminfo)
done
[ -w $kml ] && sh /tests/kmemleak.sh
# A kernel log with any report in it fails the run (the pattern: tests/guest/lib.sh).
pat=$(. /tests/lib.sh && echo "$KREPORT_PAT")
# What the kernel printed before the first test (its own boot: no module of
# ours was loaded yet) is the nested emulation's: shown, not counted (seen: an
# RCU stall in 6.12's boot while L1 was starved). If the mark was rotated out
# of the log, everything counts.
dmesg > /tmp/klog
boot=$(grep -n -F "$kmark" /tmp/klog | head -n1 | cut -d: -f1)
head -n "${boot:-0}" /tmp/klog | grep -E "$pat" | sed 's/^/# in the boot, before any test (not counted): /'
tail -n +$((${boot:-0} + 1)) /tmp/klog > /tmp/klog.tests
bad=$(grep -E "$pat" /tmp/klog.tests)
if [ -z "$bad" ]; then
	echo "[tap] ok - kernel log of scenario $scenario is clean"
else
	echo "[tap] not ok - kernel log of scenario $scenario is clean"
	echo "$bad" | sed 's/^/# /'
	# The log from just before the first report on, so each stack can be read
	# (scripts/lab/kreports.sh names each report's first xenhv frame).
	first=$(grep -n -E "$pat" /tmp/klog.tests | head -n1 | cut -d: -f1)
	tail -n +$((first > 20 ? first - 20 : 1)) /tmp/klog.tests | head -n 3000 |
		sed 's/^/# dmesg: /'
fi
echo "[lab] l2 done $scenario"
# Let the console drain before the kernel's own power-off line.
if [ -n "$relay" ]; then
	exec > /dev/null 2>&1
	kill -TERM "$relay"
	wait "$relay"
fi
sleep 1
poweroff -f
