#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of L1: a plain TCG guest that checks xenhv refuses it, then runs KVM and
# boots the Hyper-V L2 guest once per scenario, checking what L2's QEMU reports.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /tmp && mount -t tmpfs tmp /tmp
echo 1 > /proc/sys/kernel/printk_ratelimit 2>/dev/null

tap() { echo "[tap] $*"; }
echo "[lab] l1 up $(nproc) cpus"
# A heartbeat on the second serial port, apart from the results on the first:
# the host stops an L1 that has gone quiet (seen: an L1 wedged in nested SVM
# for good, its own timeouts never firing). Each beat also says where L2 is
# (its last "[lab] l2 up" or "[lab] test" line, and its last lines), which the host's
# l1-heartbeat file shows while L2 runs: L2's console reaches the host only
# at each boot's end.
( while :; do
	{ echo "$(cut -d' ' -f1 /proc/uptime) $(grep -a -E '^\[lab\] (l2 up|test )' /tmp/l2.log 2> /dev/null | tail -n1)"
	  tail -n 3 /tmp/l2.log 2> /dev/null | cut -c1-200 | sed 's/^/  l2: /'; } > /dev/ttyS1
	sleep 60
  done ) &

# No Hyper-V here: xenhv must refuse with -ENODEV and one clear line.
if grep -q 'lab.nohv=1' /proc/cmdline; then
	dmesg -c > /dev/null
	if insmod /lab/xenhv.ko 2> /tmp/insmod.err; then
		tap "not ok - l1: xenhv refuses a guest without Hyper-V (it loaded)"
		rmmod xenhv
	elif grep -q 'No such device' /tmp/insmod.err; then
		tap "ok - l1: xenhv refuses a guest without Hyper-V with ENODEV"
	else
		tap "not ok - l1: xenhv refuses a guest without Hyper-V with ENODEV ($(cat /tmp/insmod.err))"
	fi
	# The kernel's own taint notices carry our prefix too; they are not ours.
	dmesg | grep 'xenhv: ' | grep -v -e 'taints kernel' -e 'module verification' > /tmp/ours
	# busybox insmod retries init_module after finit_module: one line per try.
	n=$(sed 's/^\[[^]]*\] //' /tmp/ours | sort -u | wc -l)
	line=$(head -n1 /tmp/ours)
	if [ "$n" -eq 1 ] && echo "$line" | grep -q 'not running on Hyper-V'; then
		tap "ok - l1: refusal is one log line naming the reason"
	else
		tap "not ok - l1: refusal is one log line naming the reason (got $n: $line)"
	fi
	[ -e /dev/xen/privcmd ] && tap "not ok - l1: no /dev/xen/privcmd after refusal" ||
		tap "ok - l1: no /dev/xen/privcmd after refusal"
fi

for m in irqbypass ccp kvm kvm-amd; do
	insmod /modules/$m.ko || echo "[lab] insmod $m failed"
done
[ -e /dev/kvm ] || { echo "[lab] no /dev/kvm in L1"; tap "not ok - l1: KVM available for L2"; }

# The full set of Hyper-V enlightenments; a scenario may name its own (scenario.conf).
HV_FULL=hv-relaxed,hv-vapic,hv-spinlocks=0x1fff,hv-vpindex,hv-runtime,hv-time,hv-synic
HV_FULL=$HV_FULL,hv-stimer,hv-frequencies,hv-reset,hv-tlbflush,hv-ipi,hv-crash
only=$(sed -n 's/.*lab\.only=\([^ ]*\).*/\1/p' /proc/cmdline)
# XENHV_LAB_SLOW (a debug kernel): L2's per-test budgets grow with the limits.
slow=$(sed -n 's/.*lab\.slow=\([0-9]*\).*/\1/p' /proc/cmdline)
# The VM's ID as Hyper-V would set it; tests read it back as Xen's domain handle.
uuid=5c1d8a4e-3b6f-4e2a-9d7c-0a1b2c3d4e5f

# Boot L2 once for scenario $name on kernel $ktag with Xen userland $xen; its
# console goes to /tmp/l2.log. Its initrd is the shared part, the kernel's
# part, the userland and its programs, stacked (Linux unpacks them all, a
# later file replacing an earlier one): the userland's C library must win
# over the host's that the shared tools bring (Xen 4.20's is newer).
boot_l2() {
	hv=$HV_FULL
	[ "$hvset" = - ] || hv=$hvset
	cat /l2/common.cpio.gz /l2/k-$ktag.cpio.gz /l2/u-$xen.cpio.gz /l2/p-$xen.cpio.gz \
		> /tmp/initrd
	# QEMU ends quietly on timeout's SIGTERM, so the clock tells a timeout.
	# 7.x without XSAVE still took polyval's AVX path and oopsed at boot
	# (invalid opcode): its CPU has no AVX either. 6.12's L2 hung in its boot
	# twice without AVX, and booted with it: the 6.x kernels keep it.
	noavx=
	case "$ktag" in [7-9].*) noavx=,-avx,-avx2 ;; esac
	l2start=$(date +%s)
	rm -f /tmp/l2.pid /tmp/vcpu.a /tmp/vcpu.b /tmp/l2.qmp /tmp/qmp.in /tmp/qmp.out
	mkfifo /tmp/qmp.in /tmp/qmp.out
	# -k: a QEMU paused at its end (shutdown=pause) whose watcher is gone.
	timeout -k 30 "$tmo" qemu-system-x86_64 -accel kvm -pidfile /tmp/l2.pid -name l2,debug-threads=on \
		-cpu EPYC,-xsave$noavx,kvm=off,$hv -smp 2 -m 768 \
		-nodefaults -no-user-config -L /qemu -bios /qemu/bios-256k.bin \
		-display none -serial stdio -monitor none -no-reboot \
		-action panic=exit-failure,shutdown=pause -d guest_errors \
		-chardev pipe,id=qmp,path=/tmp/qmp -mon chardev=qmp,mode=control \
		-device vmbus-bridge -device hyperv-testdev -uuid $uuid \
		-kernel /l2/vmlinuz-$ktag -initrd /tmp/initrd \
		-append "console=ttyS0 quiet panic=-1 lab.scenario=$name lab.only=$only lab.uuid=$uuid lab.xen=$xen lab.set=$set lab.slow=${slow:-1} lab.tmo=$tmo" \
		< /dev/null > /tmp/l2.log 2>&1 &
	qemu=$!
	qmp_watch &
	qmpw=$!
	# Near the limit, two looks 30 s apart at L2's vCPU threads (one sleep,
	# no polling): see vcpu_stopped.
	( sleep $((tmo > 90 ? tmo - 45 : tmo)); vcpu_times > /tmp/vcpu.a
	  sleep 30; vcpu_times > /tmp/vcpu.b ) &
	looks=$!
	wait $qemu
	qrc=$?
	kill $looks $qmpw 2> /dev/null
	wait $looks $qmpw 2> /dev/null
	# Did its init speak? (One that did and ran out of time hung in a test.)
	# Nothing polls while L2 boots: with a 2 s watchdog loop here, L1 died
	# in or near an L2 boot four times in two runs (suspected, not shown).
	l2up=
	grep -q -F '[lab] l2 up' /tmp/l2.log && l2up=1
	rm -f /tmp/initrd
}

# QEMU's own account of how L2 ended, from its QMP events (into /tmp/l2.qmp).
# With shutdown=pause QEMU stops at the end instead of exiting: after a reset
# the guest did not announce (a triple fault, say) its vCPUs' registers are
# still there to be read. Then a signal ends it (QEMU 7.2's "quit" would only
# pause it again).
qmp_watch() {
	local line
	exec 3> /tmp/qmp.in
	echo '{"execute":"qmp_capabilities"}' >&3
	while read -r line; do
		echo "$line" >> /tmp/l2.qmp
		case "$line" in
		*'"SHUTDOWN"'*'"guest-reset"'*)
			# QEMU goes once the answer is in (the next case).
			echo '{"execute":"human-monitor-command","arguments":{"command-line":"info registers -a"}}' >&3 ;;
		*'"SHUTDOWN"'* | *'"return": "'*)
			kill "$(cat /tmp/l2.pid)" ;;
		esac
	done < /tmp/qmp.out
}

# How QEMU says L2 ended ("guest-shutdown", "guest-reset", ...), or "unknown".
l2_end_reason() {
	sed -n 's/.*"event": "SHUTDOWN".*"reason": "\([^"]*\)".*/\1/p' /tmp/l2.qmp 2> /dev/null |
		head -n1 | grep . || echo unknown
}

# Each vCPU thread of L2's QEMU: "vcpuN CPU-TICKS CONTEXT-SWITCHES".
vcpu_times() {
	local t c
	for t in /proc/$(cat /tmp/l2.pid 2> /dev/null)/task/*; do
		c=$(cat "$t/comm" 2> /dev/null)
		case "$c" in "CPU "*"/KVM") ;; *) continue ;; esac
		c=${c#CPU }
		echo "vcpu${c%/KVM} $(sed 's/.*) //' "$t/stat" | awk '{ print $12 + $13 }')" \
			"$(awk '/ctxt_switches/ { s += $2 } END { print s }' "$t/status")"
	done
}

# Which vCPU of L2 was not run at all between the two looks (no CPU time, no
# context switch in 30 s): even a guest hung in a test has its timer
# interrupts taken, so that is the nested emulation having stopped the vCPU
# (seen: an RCU stall on L2's CPU 0 detected by CPU 1), not a result.
vcpu_stopped() {
	[ -s /tmp/vcpu.a ] && [ -s /tmp/vcpu.b ] || return 1
	awk 'FNR == NR { a[$1] = $2 " " $3; next }
	     a[$1] == $2 " " $3 { printf "%s%s", s, $1; s = ", " }
	     END { if (!s) exit 1 }' /tmp/vcpu.a /tmp/vcpu.b
}

# An idle vCPU of L2 whose timer interrupts stopped, as L2's RCU reports it:
# a stall of CPU N "(0 ticks this GP) idle=.../0/0x0" (idle, no tick since)
# and "Possible timer handling issue on cpu=N" (its expired timer never ran).
# L2's timers are hrtimers of L1's KVM, and an L1 vCPU that stopped taking
# its own timer interrupt (wedged L1s, docs/lab.md) stops them: seen on
# 2026-12-07 in 65-status on 6.12, both vCPU threads still running in L1. A
# CPU that hangs with interrupts off is not idle, and is not matched here.
timer_stopped() {
	local cpu
	cpu=$(sed -n 's/.*Possible timer handling issue on cpu=\([0-9]*\).*/\1/p' /tmp/l2.log | head -n1)
	[ -n "$cpu" ] &&
		grep -q -E "rcu:[[:space:]]+$cpu-[^:]*: \(0 ticks this GP\) idle=[0-9a-f]+/0/0x0" /tmp/l2.log &&
		echo "CPU $cpu stopped taking timer interrupts while idle (RCU: \"Possible timer handling issue on cpu=$cpu\")"
}

# An interrupt that L2 took where interrupts were off: a kernel report whose
# stack enters an interrupt (asm_sysvec_*, asm_common_interrupt) from a frame
# whose EFLAGS has IF (bit 9) clear. No CPU does that; the nested emulation
# did, three times in 65-status (6.1 on 2026-12-06: CPU 1 deadlocked on its
# own runqueue lock; the debug kernel on 2026-12-07: "BUG: spinlock
# recursion" in hrtimer_interrupt, a Hyper-V callback taken inside another).
# Prints the interrupt and the flags.
irq_if_clear() {
	awk '/asm_(sysvec_[a-z_]+|common_interrupt)\+/ { e = $NF; n = 4; next }
	     n > 0 && /EFLAGS: [0-9a-f]+/ {
		f = $0; sub(/.*EFLAGS: /, "", f); f = substr(f, 1, 8)
		if (index("014589cd", substr(f, 6, 1))) { print e " with EFLAGS " f; exit 0 }
	     }
	     { n-- } END { exit 1 }' /tmp/l2.log 2> /dev/null | head -n1 | grep .
}

# L2's console stopped in the middle of a line: at the limit, QEMU's own
# "terminating on signal" lands after part of a line. Tests write whole lines
# (tests/progs/console_relay takes each at once), and a live L2 kernel whose
# relay stalls logs "console output stood still" by polling the port; here
# nothing came out at all, not even a stall report. Seen on 2026-12-07 in
# 75-xenstore-abi on 6.1/4.20 ("3000 more watches: eve"), both vCPU threads
# running. Two L2 CPUs hung with interrupts off would look the same: the new
# L1 boots the scenario again, and such a hang fails there too. Prints the cut
# line's end.
console_cut() {
	awk '{ sub(/\r$/, "") }
	     /qemu-system-x86_64: terminating on signal/ {
		i = index($0, "qemu-system-x86_64: terminating on signal")
		if (i > 1) { t = substr($0, 1, i - 1); c = 1 }
	     }
	     END { if (!c) exit 1; if (length(t) > 60) t = "..." substr(t, length(t) - 59); print t }' \
		/tmp/l2.log 2> /dev/null | grep .
}

# Did the attempt reach a verdict? (The crash scenarios are judged here.)
judge() {
	: > /tmp/judge
	if [ -x "/lab/verdict-$name.sh" ]; then
		/lab/verdict-$name.sh /tmp/l2.log > /tmp/judge
		grep -q "^\[lab\] verdict $name" /tmp/judge
	else
		grep -q "\[lab\] l2 done $name" /tmp/l2.log
	fi
}

# Not a result: this L1 gives up (the attempt shown as comments; the caller
# powers off), and the host boots a new one for the scenarios not seen to
# their end, this one too.
give_up() {	# give_up WHY
	sed 's/^/# discarded attempt: /' /tmp/l2.log
	attempt_registers
	echo "[lab] scenario $id: $1: L1 gives up"
}

# A reset's registers (RIP, CR2, the IDT...): a guest bug or the emulation's.
attempt_registers() {
	grep '"return": "' /tmp/l2.qmp 2> /dev/null | sed 's/\\r\\n/\n/g' |
		grep -E '^(CPU#|RAX|RSI|R8|R12|RIP|CS|SS|GDT|IDT|CR0|EFER)' |
		sed 's/^/# discarded attempt: registers: /'
}

# Each line of /lab/scenarios: scenario, kernel tag, Xen userland, test set,
# label, timeout in seconds, enlightenments ("-": the full set). An L2 that
# died without a verdict (nested SVM under TCG does, now and then: fallback on
# 6.12 reset itself in 5 of 11 boots on 2026-12-03, some before init) boots
# again; a dead attempt's lines are shown as comments, never counted. Such
# deaths come in runs (on 2026-12-07 one L1's first scenario reset four times
# in a row, at four different tests, and its next 14 scenarios none), so after
# three in one L1 this L1 gives up and the host boots a new one, which starts
# with that scenario. An L2 that came up and then ran out of time hung in a
# test: that is a result, not bad luck, and is not booted again. Every result
# line names its boot's label (kernel/Xen).
while read -r name ktag xen set label tmo hvset; do
	[ -n "$name" ] || continue
	id=$name@$label
	echo "[lab] scenario $id begin ($ktag)"
	attempt=1
	while :; do
		boot_l2
		judge && break
		# L2 itself saw a vCPU the emulation stopped (nmi_unanswered in
		# scripts/lab/l2-init.sh) and ended early.
		if stopped=$(sed -n 's/.*lab: emulation: //p' /tmp/l2.log | head -n1 | grep .); then
			give_up "L2's $stopped (nested emulation)"
			poweroff -f
		fi
		if [ -n "$l2up" ] && [ $(($(date +%s) - l2start)) -ge "$tmo" ]; then
			# The second look is due 15 s before the limit. Missing, its
			# sleep ended that late or never: a vCPU of L1 stopped taking
			# its timer interrupt (docs/lab.md, wedged L1s), and the L2
			# threads queued there stopped with it. Not a result either.
			if [ "$tmo" -gt 90 ] && [ ! -e /tmp/vcpu.b ]; then
				give_up "L1's own look at L2's vCPUs, due 15 s before the limit, never came (L1's timers stopped)"
				poweroff -f
			fi
			if stopped=$(irq_if_clear); then
				give_up "L2 took an interrupt with interrupts off ($stopped; nested emulation)"
				poweroff -f
			fi
			if stopped=$(timer_stopped); then
				give_up "L2's $stopped (nested emulation)"
				poweroff -f
			fi
			if stopped=$(vcpu_stopped); then
				give_up "L2's $stopped not run in its last 30 s (nested emulation)"
				sed 's/^/# vCPU threads (ticks, switches) before: /' /tmp/vcpu.a
				sed 's/^/# and 30 s later: /' /tmp/vcpu.b
				poweroff -f
			fi
			if stopped=$(console_cut); then
				give_up "L2's console stopped in the middle of a line (\"$stopped\") and nothing came after (nested emulation)"
				poweroff -f
			fi
			# The test it hung in and the console's last kernel line, in the
			# result itself: CI may keep only the failing results.
			hung=$(sed -n 's/^\[lab\] test //p' /tmp/l2.log | tail -n1)
			last=$(grep '^\[ *[0-9.]*\] ' /tmp/l2.log | tail -n1 | cut -c1-160)
			echo "[tap] not ok - $label: scenario $name finished within its $tmo s (hung in ${hung:-its boot}; last kernel line: ${last:-none})"
			break
		fi
		# How it ended: QEMU's status (1: a panic it was told of; 0: a
		# reset, which -no-reboot ends, e.g. a triple fault) and QEMU's own
		# word for it. Its guest error log stays on the console: the crash
		# verdict reads it there.
		end="L2's QEMU ended with status $qrc ($(l2_end_reason))"
		if [ $attempt -ge 3 ]; then
			give_up "$attempt attempts in this L1 gave no verdict, the last: $end"
			poweroff -f
		fi
		sed 's/^/# discarded attempt: /' /tmp/l2.log
		echo "# discarded attempt: $end"
		attempt_registers
		echo "[lab] scenario $id: L2 gave no verdict, booting it once more"
		attempt=$((attempt + 1))
	done
	cat /tmp/l2.log /tmp/judge | sed "s|^\[tap\] \(not \)\{0,1\}ok - |&$label: |"
	echo "[lab] scenario $id qemu exited"
	if judge > /dev/null; then
		echo "[lab] judged $id"
	else
		echo "[lab] no verdict $id"
	fi
	echo "[lab] scenario $id end"
done < /lab/scenarios

echo "[lab] l1 done"
poweroff -f
