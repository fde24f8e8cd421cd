#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lists each kernel report (KASAN, lockdep, atomic sleep, UBSAN, warnings) in a lab log with its first xenhv frame.
#
# usage: kreports.sh LAB_LOG. Reads the "# dmesg: " lines l2-init.sh prints for a
# dirty log, per scenario; prints one line per report, "-" when no frame is xenhv's.
set -u
logf=${1:?usage: kreports.sh LAB_LOG}
awk '
/^\[lab\] scenario .* begin/ { scen = $3 }
function flush() {
	if (title != "")
		printf "%s: %s -- first xenhv frame: %s\n", scen, title,
			frame != "" ? frame : guess != "" ? guess : "-"
	title = ""; frame = ""; guess = ""
}
/^# dmesg: / {
	line = substr($0, 10)
	sub(/^\[ *[0-9.]+\] /, "", line)
	if (line ~ /^(BUG: |WARNING: |UBSAN: |KASAN: |general protection|Oops|ODEBUG: |.*refcount_t: |.*detected stall)/) {
		flush()
		title = line
		sub(/CPU: [0-9]+ PID: [0-9]+ /, "", title)
		next
	}
	# A "? " frame is a stale stack word: taken only when no reliable frame names xenhv.
	if (title != "" && frame == "" && line ~ /\[xenhv\]/) {
		sub(/^ +/, "", line)
		if (line ~ /^\? /) {
			if (guess == "")
				guess = line
		} else {
			frame = line
		}
	}
}
END { flush() }
' "$logf" | sort | uniq -c | sort -rn
