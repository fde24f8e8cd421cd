#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TAP: the L2 runner's bound on a guest test (busybox sh, as in L2): a stall is reported and killed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/scripts/tap.sh"

# A test that hangs in a child of its own, one that ends with a status, one that ends at once.
cat > "$tmp/hangs.sh" <<'X'
echo "started as $T"
sleep 300 &
echo $! > "$TMPD/child"
while :; do :; done &
echo $! > "$TMPD/spinner"
sleep 301
X
cat > "$tmp/fails.sh" <<'X'
echo "ran as $T"
exit 3
X
cat > "$tmp/driver.sh" <<X
. "$top/tests/guest/bounded.sh"
export TMPD="$tmp"
run_bounded stuck 3 sh "$tmp/hangs.sh" > "$tmp/stuck.out" 2>&1
echo "stuck \$?" > "$tmp/rc"
run_bounded quick 30 sh "$tmp/fails.sh" > "$tmp/quick.out" 2>&1
echo "quick \$?" >> "$tmp/rc"
X
start=$(date +%s)
busybox sh "$tmp/driver.sh" 2> "$tmp/driver.err"
took=$(($(date +%s) - start))

grep -q '^stuck 124$' "$tmp/rc"
ok $? "a test past its budget ends with status 124"
grep -q '^# stalled: pid [0-9]* sleep state S in ' "$tmp/stuck.out"
ok $? "the report names each of its processes, its state and what it waits in"
grep -q '^# stalled:   \[<0>\] ' "$tmp/stuck.out" || [ ! -r /proc/self/stack ]
ok $? "and the kernel stack of each (where /proc/PID/stack is readable)"
grep -q 'started as stuck' "$tmp/stuck.out"
ok $? "the test ran with T set to its name"
spinner=$(cat "$tmp/spinner" 2> /dev/null)
grep -q "^# stalled: busiest in 2 s: [0-9]* ticks, pid $spinner " "$tmp/stuck.out"
ok $? "a process spinning on a CPU is named among the busiest"
child=$(cat "$tmp/child" 2> /dev/null)
gone() {	# PID: dead (reaped, or a zombie nobody has reaped yet)
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ -e "/proc/$1" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f1)" != Z ] || return 0
		sleep 0.2
	done
	return 1
}
[ -n "$child" ] && gone "$child" && gone "$spinner"
ok $? "its background children are killed with it"
grep -q '^quick 3$' "$tmp/rc" && grep -q 'ran as quick' "$tmp/quick.out"
ok $? "a test that ends keeps its own exit status"
! grep -q stalled "$tmp/quick.out"
ok $? "and nothing is reported for it"
[ "$took" -lt 20 ]
ok $? "the runner waits for no watchdog once a test has ended ($took s)"
! pgrep -f "sleep 30\$" > /dev/null
ok $? "no watchdog sleep is left behind"
[ "$fails" -eq 0 ]
