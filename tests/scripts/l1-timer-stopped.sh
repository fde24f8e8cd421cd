#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TAP: L1 tells an L2 vCPU whose timer interrupts stopped while idle (the emulation's) from a hang.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/scripts/tap.sh"

# The function as L1 runs it (busybox sh), reading /tmp/l2.log there: here a copy of ours.
sed -n '/^timer_stopped() {/,/^}/p' "$top/scripts/lab/l1-init.sh" |
	sed "s|/tmp/l2.log|$tmp/l2.log|g" > "$tmp/fn.sh"
ok $(grep -c . "$tmp/fn.sh" | awk '{ print !($1 > 3) }') "l1-init.sh has timer_stopped()"
judge() { busybox sh -c ". '$tmp/fn.sh'; timer_stopped"; }

# What 6.12's RCU printed on 2026-12-07 while CPU 1 sat idle with no tick (tabs as the kernel's).
stall() {	# stall CPU NESTING
	printf '[  153.629421] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:\n'
	printf '[  153.649507] rcu: \t%s-...!: (0 ticks this GP) idle=32d0/%s/0x0 softirq=7000/7000 fqs=0 (false positive?)\n' "$1" "$2"
	printf '[  153.675867] rcu: \t(detected by 0, t=5252 jiffies, g=14309, q=31 ncpus=2)\n'
}
timer() {	# timer CPU
	printf "[  164.962403] rcu: rcu_preempt kthread timer wakeup didn't happen for 5251 jiffies! g14309 f0x0 RCU_GP_WAIT_FQS(5) ->state=0x200\n"
	printf '[  165.005588] rcu: \tPossible timer handling issue on cpu=%s timer-softirq=3571\n' "$1"
}

{ echo "[tap] ok - 65-status: xenhv status runs"; stall 1 0; timer 1; } > "$tmp/l2.log"
out=$(judge)
ok $? "an idle CPU 1 without ticks and its timer not run: the emulation's"
echo "$out" | grep -q '^CPU 1 stopped taking timer interrupts while idle'
ok $? "and it names the CPU (got: $out)"

{ stall 1 1; timer 1; } > "$tmp/l2.log"
judge > /dev/null
ok $((! $?)) "a CPU that is not idle (a hang with interrupts off, say) is a result"

{ stall 1 0; timer 0; } > "$tmp/l2.log"
judge > /dev/null
ok $((! $?)) "the timer issue on another CPU than the idle one is a result"

stall 1 0 > "$tmp/l2.log"
judge > /dev/null
ok $((! $?)) "an RCU stall alone is a result"

: > "$tmp/l2.log"
judge > /dev/null
ok $((! $?)) "a quiet console is a result"

echo "1..$n"
[ "$fails" -eq 0 ]
