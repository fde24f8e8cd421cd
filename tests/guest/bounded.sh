# SPDX-License-Identifier: GPL-2.0
# The L2 runner's bound on one guest test: past its budget, what it waits in is printed and it is killed.

# What a stalled test's processes (its session SID) wait in, and the state
# of xenhv's event channels, so that a stall reads as a failure with causes.
hang_report() {
	local sid=$1 d st
	# Shell builtins only in the scan: a fork per process would take seconds here.
	for d in /proc/[0-9]*; do
		read -r st < "$d/stat" 2> /dev/null || continue
		# shellcheck disable=SC2086 # state ppid pgrp session ...
		set -- ${st##*) }
		[ "$4" = "$sid" ] || continue
		echo "# stalled: pid ${d#/proc/} $(cat "$d/comm") state $1 in $(cat "$d/wchan")"
		sed 's/^/# stalled:   /' "$d/stack" 2> /dev/null | head -n 16
		for f in "$d"/fdinfo/*; do
			grep -q '^ring_size' "$f" 2> /dev/null || continue
			echo "# stalled:   evtchn fd ${f##*/}:" $(cat "$f" | grep -v '^\(pos\|flags\|mnt_id\|ino\):')
		done
	done
	if [ -d /sys/module/xenhv/status/events ]; then
		echo "# stalled: events:" $(cd /sys/module/xenhv/status/events && grep . *)
		sed 's/^/# stalled: evtchn: /' /sys/kernel/debug/xenhv/evtchn 2> /dev/null | head -n 40
	fi
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
