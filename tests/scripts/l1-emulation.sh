#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TAP: the nested emulation's signs in L2's console that L1 reads (a lost timer, an interrupt with IF clear, a console cut mid-line) and the one L2 watches for itself (an NMI never answered), told from a hang.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/scripts/tap.sh"

# The functions as L1 runs them (busybox sh), reading /tmp/l2.log there: here copies of ours.
for f in timer_stopped irq_if_clear console_cut; do
	sed -n "/^$f() {/,/^}/p" "$top/scripts/lab/l1-init.sh" |
		sed "s|/tmp/l2.log|$tmp/l2.log|g" > "$tmp/$f.sh"
	ok $(grep -c . "$tmp/$f.sh" | awk '{ print !($1 > 3) }') "l1-init.sh has $f()"
done
judge() { busybox sh -c ". '$tmp/timer_stopped.sh'; timer_stopped"; }
irq() { busybox sh -c ". '$tmp/irq_if_clear.sh'; irq_if_clear"; }
cutline() { busybox sh -c ". '$tmp/console_cut.sh'; console_cut"; }

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

# The debug kernel's report of 2026-12-07 (shortened): a Hyper-V callback taken inside
# another one's hrtimer_interrupt, where lockdep ran with interrupts off.
frame() {	# frame ENTRY FUNCTION EFLAGS
	printf '[  539.692754]  %s+0x16/0x20\n' "$1"
	printf '[  539.701025] RIP: 0010:%s+0xacb/0x6160\n' "$2"
	printf '[  539.709149] Code: 49 8d 7c 24 21 0f b6 6d 21\n'
	printf '[  539.739773] RSP: 0018:ffffc90000007aa8 EFLAGS: %s\n' "$3"
	printf '[  539.748972] RAX: 0000000000000000 RBX: 5039a2e5e99f6d22 RCX: ffffffff9a45e589\n'
}
{ echo '[  539.508581] BUG: spinlock recursion on CPU#0, swapper/0/0'
  echo '[  539.624317]  _raw_spin_lock_irqsave+0x3b/0x50'
  echo '[  539.660108]  vmbus_isr+0x5af/0x6e0 [hv_vmbus]'
  frame asm_sysvec_hyperv_callback __lock_acquire 00000046
  echo '[  539.944476]  vmbus_isr+0x5af/0x6e0 [hv_vmbus]'
  frame asm_sysvec_hyperv_callback handle_softirqs 00000202; } > "$tmp/l2.log"
out=$(irq)
ok $? "an interrupt entered from a frame with IF clear: the emulation's"
[ "$out" = "asm_sysvec_hyperv_callback+0x16/0x20 with EFLAGS 00000046" ]
ok $? "and it names the entry and the flags (got: $out)"

frame asm_sysvec_apic_timer_interrupt default_idle 00000246 > "$tmp/l2.log"
irq > /dev/null
ok $((! $?)) "an interrupt entered from a frame with IF set is a result"

frame asm_exc_page_fault copy_user_generic 00010046 > "$tmp/l2.log"
irq > /dev/null
ok $((! $?)) "an exception (a page fault) with IF clear is a result"

frame asm_exc_nmi __lock_acquire 00000046 > "$tmp/l2.log"
irq > /dev/null
ok $((! $?)) "an NMI with IF clear is a result"

frame asm_common_interrupt _raw_spin_unlock 00000082 > "$tmp/l2.log"
irq > /dev/null
ok $? "a device interrupt with IF clear is the emulation's too"

# The console cut mid-line at the limit (6.1/4.20 on 2026-12-07), QEMU's last word after it.
term='qemu-system-x86_64: terminating on signal 15 from pid 152 (timeout)'
printf '[tap] ok - xenbus_abi: watch 129 is E2BIG (128 set)\r\n[tap] ok - xenbus_abi: 3000 more watches: eve%s\n' "$term" > "$tmp/l2.log"
out=$(cutline)
ok $? "a console cut in the middle of a line at the limit: the emulation's"
[ "$out" = "[tap] ok - xenbus_abi: 3000 more watches: eve" ]
ok $? "and it shows the cut line (got: $out)"
printf '[tap] ok - xenbus_abi: watch 129 is E2BIG (128 set)\r\n%s\n' "$term" > "$tmp/l2.log"
cutline > /dev/null
ok $((! $?)) "a console that stopped after a whole line (a test hung) is a result"
{ stall 1 1; echo "$term"; } > "$tmp/l2.log"
cutline > /dev/null
ok $((! $?)) "a hang the kernel reported on is a result"
printf '[tap] ok - a half line, and QEMU still running' > "$tmp/l2.log"
cutline > /dev/null
ok $((! $?)) "a half line without QEMU's end is not judged"
printf '%0200d%s\n' 0 "$term" > "$tmp/l2.log"
out=$(cutline)
[ "${#out}" -le 63 ]
ok $? "a long cut line is shown by its last 60 characters (got ${#out})"

# L2's own watch (l2-init.sh): an RCU stall whose NMI is never answered. Lines as busybox dmesg prints them.
sed -n '/^nmi_unanswered() {/,/^}/p' "$top/scripts/lab/l2-init.sh" > "$tmp/nmi.sh"
ok $(grep -c . "$tmp/nmi.sh" | awk '{ print !($1 > 3) }') "l2-init.sh has nmi_unanswered()"
nmi() { busybox sh -c "kmark=\"lab: the scenario's tests begin\"; . '$tmp/nmi.sh'; nmi_unanswered" < "$tmp/dmesg"; }
rec() { printf '[%5d.%06d] %s\n' "$((seq += 1))" "$seq" "$1"; }
report() {	# report CPU: one RCU report, as 6.12 logs it, and the NMI it sends
	rec 'rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:'
	rec "$(printf 'rcu: \t%s-...0: (1 GPs behind) idle=ce94/1/0x4000000000000000 softirq=3318/3320 fqs=1050' "$1")"
	rec "$(printf 'rcu: \t(detected by 0, t=5255 jiffies, g=6153, q=26 ncpus=2)')"
	rec "Sending NMI from CPU 0 to CPUs $1:"
}
answer() { rec "NMI backtrace for cpu $1"; rec "CPU: $1 UID: 0 PID: 0 Comm: swapper/$1"; }
seq=0
{ rec "lab: the scenario's tests begin"; report 1; report 1; } > "$tmp/dmesg"
out=$(nmi)
ok $? "a stalled CPU that answers no NMI before the next report: the emulation's"
[ "$out" = "CPU 1 answered no NMI between two RCU stall reports" ]
ok $? "and it names the CPU (got: $out)"

{ rec "lab: the scenario's tests begin"; report 1; answer 1; report 1; answer 1; report 1; } > "$tmp/dmesg"
nmi > /dev/null
ok $((! $?)) "a stalled CPU that answers each NMI (a hang in the kernel) is a result"

{ rec "lab: the scenario's tests begin"; report 1; } > "$tmp/dmesg"
nmi > /dev/null
ok $((! $?)) "one report, its NMI not yet answered, is not judged"

{ report 1; report 1; rec "lab: the scenario's tests begin"; } > "$tmp/dmesg"
nmi > /dev/null
ok $((! $?)) "reports before the tests' mark (L2's boot) are not read"

{ rec "lab: the scenario's tests begin"; report 0; answer 0; report 1; report 0; } > "$tmp/dmesg"
out=$(nmi)
ok $? "each report's NMIs are judged apart"
[ "$out" = "CPU 1 answered no NMI between two RCU stall reports" ]
ok $? "and the silent one is named (got: $out)"

# 7.2 logs no "Sending NMI" line: the kernel itself names the silent CPU.
{ rec "lab: the scenario's tests begin"
  rec 'rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:'
  rec "After 10 seconds, these CPUS still haven't responded to the NMI: 1"; } > "$tmp/dmesg"
out=$(nmi)
ok $? "a CPU the kernel says did not answer its NMI (7.2's report): the emulation's"
[ "$out" = "CPU 1 answered no NMI within 10 s of an RCU stall report" ]
ok $? "and it names the CPU (got: $out)"
{ rec "After 10 seconds, these CPUS still haven't responded to the NMI: 1"
  rec "lab: the scenario's tests begin"; } > "$tmp/dmesg"
nmi > /dev/null
ok $((! $?)) "7.2's report before the tests' mark is not read"

echo "1..$n"
[ "$fails" -eq 0 ]
