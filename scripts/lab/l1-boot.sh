# SPDX-License-Identifier: GPL-2.0
# Boots L1 (TCG) once and watches it: heartbeat, KVM soft lockups, triple faults; sourced.

# L1 beats every 60 s on its second serial port; one that has not for this
# long is wedged (nested SVM under TCG), however long its scenarios may be.
l1_quiet=${XENHV_L1_QUIET:-180}

# l1_boot LOG LIMIT INITRD APPEND [QEMU ARGS...]: one L1 boot of at most LIMIT
# seconds, its console in LOG, its [tap], [lab] and comment lines on stderr.
# Ends it early when it has stopped beating or is stuck in KVM, with the
# reason said as a "# lab:" comment on stdout.
l1_boot() {
	local logf=$1 limit=$2 initrd=$3 append=$4 stuck age wedge
	local beat=$XENHV_OUT/l1-heartbeat pid=$XENHV_OUT/l1.pid mon=$XENHV_OUT/l1.monitor
	shift 4
	: > "$beat"
	rm -f "$pid" "$XENHV_OUT/l1-reset.log"
	# tsc=reliable: L1's KVM keeps a master clock, so L2's reference TSC page is valid.
	# transparent_hugepage=never: L1's khugepaged collapsing L2's memory under TCG
	# held an L1 CPU for 20-30 s (soft lockups in L1, then in the L2 it starved).
	# idle=poll: L1's vCPUs never halt. A halted L1 vCPU with an interrupt
	# pending in its APIC (IF set) and never woken is how most wedged L1s
	# looked (docs/lab.md); polling, an idle vCPU still sees the work another
	# CPU queues for it. XENHV_L1_APPEND adds to the command line (experiments).
	timeout "$limit" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 3072 \
		-nodefaults -no-user-config -display none -serial stdio \
		-serial "file:$beat" -monitor "unix:$mon,server=on,wait=off" -pidfile "$pid" \
		-no-reboot -d cpu_reset -D "$XENHV_OUT/l1-reset.log" "$@" \
		-kernel "$LAB_KDIR/vmlinuz" -initrd "$initrd" \
		-append "console=ttyS0 quiet panic=-1 tsc=reliable transparent_hugepage=never idle=poll ${XENHV_L1_APPEND:-} $append" \
		< /dev/null 2>&1 | stdbuf -oL tr -d '\r' | tee "$logf" |
		grep --line-buffered -E '^\[(tap|lab)\]|^# ' >&2 &
	while [ -n "$(jobs -r)" ]; do
		sleep 10
		# A vCPU thread of L2's QEMU in L1 that has not left L1's kernel
		# for 100 s or more, as L1's own watchdog reports it: L1 stuck in
		# nested SVM (seen 2026-12-07 with the debug kernel's L2: both of
		# L1's CPUs, from L2's start on). It beats on, but nothing in it
		# moves again; the scenario's limit would be spent waiting.
		stuck=$(grep -a -o -E 'soft lockup - CPU#[0-9]+ stuck for [0-9]{3,}s! \[CPU [0-9]+/KVM:[0-9]+\]' "$logf" | tail -n1)
		if [ -n "$stuck" ] && [ -s "$pid" ]; then
			log "L1 is stuck in KVM ($stuck): stopping it"
			echo "# lab: L1 stuck in nested SVM ($stuck) and was stopped"
			kill "$(cat "$pid")" 2> /dev/null
			break
		fi
		age=$(($(date +%s) - $(stat -c %Y "$beat")))
		[ "$age" -gt "$l1_quiet" ] && [ -s "$pid" ] || continue
		log "L1 has not beaten for $age s: stopping it"
		echo "# lab: L1 stopped beating for $age s (wedged) and was stopped"
		# Its vCPUs and APICs as QEMU sees them, for finding out why (docs/lab.md).
		wedge=$XENHV_OUT/l1-wedge.$(date +%s).txt
		"$LAB_SRC/scripts/lab/qemu-monitor.py" "$mon" "info registers -a" "info lapic" \
			"cpu 1" "info lapic" "info irq" > "$wedge" 2>&1
		grep -E '^(RIP|EIP|CPU#|## |Timer|ISR|IRR)' "$wedge" | head -n 40 | sed 's/^/# lab: wedged L1: /'
		kill "$(cat "$pid")" 2> /dev/null
		break
	done
	wait
	# An L1 that vanished without a word may have triple-faulted: QEMU logs
	# the fault and the vCPU's state before it resets it (-no-reboot then
	# ends it). Kept, and its instruction pointer said, for docs/lab.md.
	if grep -q 'Triple fault' "$XENHV_OUT/l1-reset.log" 2> /dev/null; then
		wedge=$XENHV_OUT/l1-triple-fault.$(date +%s).txt
		sed -n '/Triple fault/,$p' "$XENHV_OUT/l1-reset.log" > "$wedge"
		grep -E '^(CPU Reset|RIP|EIP|CR0|CS |IDT)' "$wedge" | head -n 8 |
			sed 's/^/# lab: L1 triple-faulted: /'
	fi
}
