# SPDX-License-Identifier: GPL-2.0
# The L2 runner's bound on one guest test: past its budget, what it waits in is printed and it is killed.

# CPU time of every task: "PID COMM TICKS" (user + system), builtins only: a
# fork per process would take seconds here.
cpu_ticks() {
	local d st c
	for d in /proc/[0-9]*; do
		read -r st < "$d/stat" 2> /dev/null || continue
		c=${st#*(}
		c=${c%%)*}
		# shellcheck disable=SC2086 # state ppid pgrp session tty tpgid flags 4 faults utime stime
		set -- ${st##*) }
		echo "${d#/proc/} $c $((${12} + ${13}))"
	done
}

# The processes of session SID, by PID (the test and everything it started).
session_pids() {
	local sid=$1 d st
	for d in /proc/[0-9]*; do
		read -r st < "$d/stat" 2> /dev/null || continue
		# shellcheck disable=SC2086 # state ppid pgrp session ...
		set -- ${st##*) }
		[ "$4" = "$sid" ] && echo "${d#/proc/}"
	done
}

# xenhv's counters, one "NAME VALUE" line each.
xenhv_counters() {
	local f
	for f in /sys/module/xenhv/status/events/* /sys/module/xenhv/status/hv_calls/*; do
		[ -r "$f" ] && echo "${f##*/} $(cat "$f")"
	done
}

# What a stalled test (its session SID) is doing, cheapest and most telling
# first, since the scenario's own limit may cut the report short: what grew
# in 2 s (an interrupt storm or a spinning thread shows there), the test's
# processes and what they wait in, xenhv's port table, then kernel stacks.
hang_report() {
	local sid=$1 d st p pids
	xenhv_counters > /tmp/cnt.a
	cpu_ticks > /tmp/ticks.a
	sleep 2
	xenhv_counters > /tmp/cnt.b
	cpu_ticks > /tmp/ticks.b
	echo "# stalled: xenhv counters that grew in 2 s:" $(awk 'NR == FNR { a[$1] = $2; next }
		$2 != a[$1] { printf "%s +%d ", $1, $2 - a[$1] }' /tmp/cnt.a /tmp/cnt.b)
	awk 'NR == FNR { a[$1] = $3; next } ($1 in a) && $3 > a[$1] { print $3 - a[$1], $1, $2 }' \
		/tmp/ticks.a /tmp/ticks.b | sort -rn | head -n 5 |
		sed 's/^\([0-9]*\) \([0-9]*\) /# stalled: busiest in 2 s: \1 ticks, pid \2 /'
	pids=$(session_pids "$sid")
	for p in $pids; do
		d=/proc/$p
		read -r st < "$d/stat" 2> /dev/null || continue
		# shellcheck disable=SC2086 # state ...
		set -- ${st##*) }
		echo "# stalled: pid $p $(cat "$d/comm") state $1 in $(cat "$d/wchan")"
		for f in "$d"/fdinfo/*; do
			grep -q '^ring_size' "$f" 2> /dev/null || continue
			echo "# stalled:   evtchn fd ${f##*/}:" $(grep -v '^\(pos\|flags\|mnt_id\|ino\):' "$f")
		done
	done
	sed 's/^/# stalled: evtchn: /' /sys/kernel/debug/xenhv/evtchn 2> /dev/null | head -n 40
	for p in $pids; do
		echo "# stalled: pid $p kernel stack:"
		sed 's/^/# stalled:   /' "/proc/$p/stack" 2> /dev/null | head -n 16
	done
}

# run_bounded NAME BUDGET CMD...: CMD in a session of its own; past BUDGET
# seconds its processes are reported and killed, and the status is 124.
run_bounded() {
	local name=$1 budget=$2 pid wd rc
	shift 2
	T=$name setsid "$@" &
	pid=$!
	( sleep "$budget" &
	  s=$!
	  trap 'kill $s; exit 0' TERM
	  wait $s
	  kill -0 "$pid" 2> /dev/null || exit 0
	  # Marked first: once this is said, the test has failed.
	  : > /tmp/stalled.$pid
	  echo "[lab] $name still running after $budget s"
	  hang_report "$pid"
	  kill -9 "-$pid" 2> /dev/null ) &
	wd=$!
	wait "$pid"
	rc=$?
	kill "$wd" 2> /dev/null
	wait "$wd"
	[ -e /tmp/stalled.$pid ] && rc=124
	return $rc
}
# The budget of a test without a "# lab-budget: SECONDS" line of its own.
BUDGET=240
